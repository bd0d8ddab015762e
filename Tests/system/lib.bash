# Shared by the system tests (sourced, not run): starting `lastmile serve` and reading its demo login.
# Expects $binary, $work, $port and a `fail` function; sets $pid, $email and $password_demo.

# start_serve — runs `lastmile serve` in $work and waits until it has printed the demo logins.
start_serve() {
    (cd "$work" && exec "$binary" serve --port "$port" >"$work/out.log" 2>"$work/err.log") &
    pid=$!
    for _ in $(seq 1 150); do
        grep -q "customer  " "$work/out.log" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || fail "the server exited early"
        sleep 0.2
    done
    email=$(awk '$1 == "customer" {print $2}' "$work/out.log")
    password_demo=$(awk '$1 == "customer" {print $3}' "$work/out.log")
    [[ -n $email && -n $password_demo ]] || fail "no demo customer login was printed"
}

# free_port — a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
