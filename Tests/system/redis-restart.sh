#!/usr/bin/env bash
# System test: `lastmile serve` with sessions and rate limits in Redis, while Redis restarts.
# - sessions are in Redis (redis-cli reads the keys our client wrote);
# - Redis down: a session-checked request gets 503 problem+json (fail closed), health/ready 503;
# - Redis back (same data, persisted): the same token works again, without restarting LastMile.
# Usage: Tests/system/redis-restart.sh PATH_TO_LASTMILE_BINARY
set -euo pipefail
binary=${1:?usage: redis-restart.sh PATH_TO_LASTMILE}
command -v redis-server >/dev/null || {
    echo "redis-restart: redis-server is not installed (scripts/test installs it)" >&2
    exit 1
}
work=$(mktemp -d /tmp/lastmile-redis-restart.XXXXXX)
chmod 777 "$work"
pid=""
# shellcheck source=Tests/system/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
redis_port=$(free_port)
port=$(free_port)
password=$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
redis_start() {
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work" --appendonly yes --appendfsync always --save '' \
        --requirepass "$password" --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
    for _ in $(seq 1 50); do
        REDISCLI_AUTH=$password redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return
        sleep 0.1
    done
    echo "redis-restart: redis did not start" >&2
    exit 1
}
redis_stop() {
    REDISCLI_AUTH=$password redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do
        [[ -e $work/redis.pid ]] && kill -0 "$(cat "$work/redis.pid")" 2>/dev/null || return 0
        sleep 0.1
    done
}
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
    redis_stop
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "redis-restart: $*" >&2
    cat "$work/err.log" >&2 || true
    exit 1
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

redis_start
export LASTMILE_REDIS_URL="redis://default:$password@127.0.0.1:$redis_port/0"
start_serve
grep -q "sessions and rate limits in Redis" "$work/out.log" || fail "serve did not report Redis"
token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password_demo\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])') ||
    fail "login failed"
[[ $(status_of "http://127.0.0.1:$port/api/v1/auth/me" -H "Authorization: Bearer $token") == 200 ]] || fail "me before restart"
sessions=$(REDISCLI_AUTH=$password redis-cli -p "$redis_port" --scan --pattern 'lastmile:session:*' | wc -l)
[[ $sessions -ge 1 ]] || fail "no session keys in Redis"

redis_stop
down=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$port/api/v1/auth/me" -H "Authorization: Bearer $token")
[[ $(tail -n1 <<<"$down") == 503 ]] || fail "with Redis down /me answered $(tail -n1 <<<"$down"), want 503"
grep -q '"code":"unavailable"' <<<"$down" || fail "the 503 is not a problem+json: $down"
[[ $(status_of "http://127.0.0.1:$port/health/ready") == 503 ]] || fail "ready should be 503 with Redis down"

redis_start
for _ in $(seq 1 100); do
    [[ $(status_of "http://127.0.0.1:$port/api/v1/auth/me" -H "Authorization: Bearer $token") == 200 ]] && break
    sleep 0.1
done
[[ $(status_of "http://127.0.0.1:$port/api/v1/auth/me" -H "Authorization: Bearer $token") == 200 ]] ||
    fail "the session did not come back after Redis restarted"
[[ $(status_of "http://127.0.0.1:$port/health/ready") == 200 ]] || fail "ready did not recover"
kill -TERM "$pid"
wait "$pid" || fail "the server did not exit cleanly"
pid=""
echo "redis-restart: ok"
