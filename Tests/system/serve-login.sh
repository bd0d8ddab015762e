#!/usr/bin/env bash
# System test: a fresh `lastmile serve` on the embedded defaults prints demo logins; a curl login with them,
# then GET /api/v1/auth/me with the token, succeeds; SIGTERM shuts the process down cleanly.
# Usage: Tests/system/serve-login.sh PATH_TO_LASTMILE_BINARY
set -euo pipefail
binary=${1:?usage: serve-login.sh PATH_TO_LASTMILE}
work=$(mktemp -d /tmp/lastmile-system.XXXXXX)
pid=""
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=Tests/system/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
port=$(free_port)

fail() {
    echo "serve-login: $*" >&2
    echo "--- server output ---" >&2
    cat "$work/out.log" "$work/err.log" >&2 || true
    exit 1
}

start_serve
password=$password_demo
[[ -d $work/data ]] || fail "no ./data directory was created for the SQLite file"
grep -q "http://127.0.0.1:$port" "$work/out.log" || fail "the URL was not printed"

login=$(curl -sS -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}")
token=$(printf '%s' "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])') ||
    fail "login did not return an access token: $login"
me=$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$port/api/v1/auth/me" -H "Authorization: Bearer $token")
[[ $(tail -n1 <<<"$me") == 200 ]] || fail "GET /api/v1/auth/me answered: $me"
grep -q "\"email\":\"$email\"" <<<"$me" || fail "GET /api/v1/auth/me named someone else: $me"
if grep -q "$password" "$work/err.log"; then fail "a password appeared in the logs"; fi
if grep -q "$token" "$work/err.log"; then fail "an access token appeared in the logs"; fi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[[ $status -eq 0 ]] || fail "the server exited with $status after SIGTERM"

# A second start keeps the data and creates no new demo logins.
(cd "$work" && exec "$binary" serve --port "$port" >"$work/out2.log" 2>>"$work/err.log") &
pid=$!
for _ in $(seq 1 150); do
    grep -q "LastMile is running" "$work/out2.log" 2>/dev/null && break
    sleep 0.2
done
grep -q "LastMile is running" "$work/out2.log" || fail "the second start did not come up"
if grep -q "Demo logins" "$work/out2.log"; then fail "the second start created demo logins again"; fi
relogin=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
    -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}")
[[ $relogin == 200 ]] || fail "the demo login did not survive a restart ($relogin)"
kill -TERM "$pid"
wait "$pid" || true
pid=""
echo "serve-login: ok"
