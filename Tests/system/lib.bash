# Shared by the system tests (sourced, not run): the server library of scripts/test and scripts/bench (free_port and
# friends), and starting `lastmile serve` and reading its demo login.
# Expects $binary, $work, $port and a `fail` function; sets $pid, $email and $password_demo.

SCRIPT_NAME=${SCRIPT_NAME:-$(basename "$0" .sh)}
# shellcheck source=scripts/lib/services.bash
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/services.bash"

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

# until_true SECONDS COMMAND... — runs COMMAND every 0.2 s until it succeeds; fails after SECONDS.
until_true() {
    local limit=$1
    shift
    for _ in $(seq 1 $((limit * 5))); do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}
