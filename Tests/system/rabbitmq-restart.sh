#!/usr/bin/env bash
# System test: `lastmile serve` on PostgreSQL with events through RabbitMQ while the broker stops and starts again.
# - an operator records cash payments over HTTP all along; with RabbitMQ's app stopped every one is still accepted
#   (201): the outbox holds their events, and /health/ready answers 200 "degraded" with the broker "down";
# - RabbitMQ's app starts again; without restarting LastMile, /health/ready is "ok" again, and every payment's
#   payment.created and payment.succeeded is on the customer's timeline exactly once;
# - /metrics counts the published events, the relay's failed attempts while the broker was away, and the broker
#   connection.
# Uses the control node (LASTMILE_TEST_AMQP_CONTROL_URL, driven by LASTMILE_TEST_RABBITMQCTL), holding the same lock as
# the Swift tests that restart it, and a fresh database on LASTMILE_TEST_POSTGRES_URL; skipped when any is unset.
# Usage: Tests/system/rabbitmq-restart.sh PATH_TO_LASTMILE_BINARY
set -euo pipefail
binary=${1:?usage: rabbitmq-restart.sh PATH_TO_LASTMILE}
if [[ -z ${LASTMILE_TEST_POSTGRES_URL:-} || -z ${LASTMILE_TEST_AMQP_CONTROL_URL:-} || -z ${LASTMILE_TEST_RABBITMQCTL:-} ]]; then
    echo "rabbitmq-restart: skipped (needs LASTMILE_TEST_POSTGRES_URL, LASTMILE_TEST_AMQP_CONTROL_URL and LASTMILE_TEST_RABBITMQCTL)"
    exit 0
fi
work=$(mktemp -d /tmp/lastmile-rabbitmq-restart.XXXXXX)
chmod 777 "$work"
pid=""
producer=""
database=""
broker_stopped=0
admin_url=${LASTMILE_TEST_POSTGRES_URL%/*}/postgres

# rabbitmqctl ARGS — rabbitmqctl against the control node.
rabbitmqctl() { bash -c "$LASTMILE_TEST_RABBITMQCTL $*" >>"$work/rabbitmqctl.log" 2>&1; }

cleanup() {
    if [[ -n $producer ]]; then kill "$producer" 2>/dev/null || true; fi
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [[ $broker_stopped -eq 1 ]]; then rabbitmqctl start_app || true; fi
    if [[ -n $database ]]; then psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=Tests/system/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
fail() {
    echo "rabbitmq-restart: $*" >&2
    echo "--- last payments (status, id) ---" >&2
    tail -n 5 "$work/payments" >&2 2>/dev/null || true
    echo "--- server output ---" >&2
    tail -n 40 "$work/out.log" "$work/err.log" >&2 || true
    exit 1
}

# The Swift tests that restart the control node take an flock on this file (TestSupport's ControlBrokerLock): so does this.
lock=$(python3 -c '
import os, sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print(os.path.join(os.environ.get("TMPDIR", "/tmp"), "lastmile-amqp-control-%d.lock" % h))' "$LASTMILE_TEST_AMQP_CONTROL_URL")
exec 9>>"$lock"
flock -w 600 9 || fail "the control broker stayed locked for 10 minutes"
# (The processes started below get the lock's descriptor closed, so none can hold the lock after this script.)

database="lastmile_rabbitmq_restart_$$"
psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null || fail "cannot create database $database"
export LASTMILE_DATABASE_URL="${LASTMILE_TEST_POSTGRES_URL%/*}/$database"
export LASTMILE_AMQP_URL=$LASTMILE_TEST_AMQP_CONTROL_URL
# The demo logins are asked for: on PostgreSQL demo data defaults to off.
export LASTMILE_DEMO_DATA=true LASTMILE_DEMO_CUSTOMERS=20 LASTMILE_BCRYPT_COST=4 LASTMILE_RATE_LIMIT_API=100000 LASTMILE_LOG_LEVEL=warning
unset LASTMILE_REDIS_URL
port=$(free_port)
base="http://127.0.0.1:$port"
sql() { psql "$LASTMILE_DATABASE_URL" -Atqc "$1"; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
login() {
    curl -sS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" |
        json 'd["accessToken"]'
}
ready() { curl -sS "$base/health/ready"; }
# metric NAME — the value of the sample whose name and labels are NAME on /metrics (empty when absent).
metric() { curl -sS "$base/metrics" | awk -v name="$1" '$1 == name {print $2}'; }

start_serve 9>&-
customer=$(login "$email" "$password_demo") || fail "the demo customer cannot log in"
customer_id=$(curl -sS "$base/api/v1/billing/invoices" -H "Authorization: Bearer $customer" | json 'd["customer"]["id"]')
admin=$(login "$(awk '$1 == "admin" {print $2}' "$work/out.log")" "$(awk '$1 == "admin" {print $3}' "$work/out.log")") ||
    fail "the demo admin cannot log in"
ready_ok() { [[ $(ready) == '{"checks":{"broker":"ok","database":"ok","draining":"ok"},"status":"ok"}' ]]; }
until_true 30 ready_ok || fail "not ready with the broker up: $(ready)"

# The producer: one cash payment every 0.1 s until told to stop; each line of $work/payments is "status payment-id".
produce() {
    local i=0 answer
    while [[ ! -e $work/stop ]]; do
        i=$((i + 1))
        answer=$(curl -sS -X POST "$base/api/v1/admin/payments" -H "Authorization: Bearer $admin" \
            -H 'Content-Type: application/json' -H "Idempotency-Key: restart-$$-$i" -w '\n%{http_code}' \
            -d "{\"customerId\":\"$customer_id\",\"amount\":{\"amount\":$((10000 + i)),\"currency\":\"RUB\"},\"method\":\"cash\"}") ||
            answer=$'{}\ncurl-failed'
        echo "$(tail -n1 <<<"$answer") $(sed '$d' <<<"$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("id", "-"))' 2>/dev/null)" \
            >>"$work/payments"
        sleep 0.1
    done
}
made() { if [[ -e $work/payments ]]; then wc -l <"$work/payments"; else echo 0; fi; }
at_least() { [[ $(made) -ge $1 ]]; }
produce 9>&- &
producer=$!

until_true 30 at_least 10 || fail "the producer is stuck"
! grep -qv '^201 ' "$work/payments" || fail "payments refused with the broker up"
broker_stopped=1
rabbitmqctl stop_app || fail "rabbitmqctl stop_app failed: $(tail -5 "$work/rabbitmqctl.log")"
down_from=$(made)
ready_degraded() { [[ $(ready) == '{"checks":{"broker":"down","database":"ok","draining":"ok"},"status":"degraded"}' ]]; }
until_true 15 ready_degraded || fail "/health/ready does not report the broker down: $(ready)"
held() { [[ $(sql "SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL AND dead_at IS NULL") -gt 0 ]]; }
until_true 30 at_least $((down_from + 20)) || fail "payments stopped while the broker was down"
until_true 10 held || fail "no event waits in the outbox while the broker is down"
ready_degraded || fail "the broker came back by itself? $(ready)"
down_to=$(made)
rabbitmqctl start_app || fail "rabbitmqctl start_app failed: $(tail -5 "$work/rabbitmqctl.log")"
broker_stopped=0
until_true 60 ready_ok || fail "/health/ready did not recover: $(ready)"
until_true 30 at_least $((down_to + 10)) || fail "payments stopped after the broker came back"
touch "$work/stop"
wait "$producer"
producer=""

total=$(made)
accepted=$(grep -c '^201 ' "$work/payments" || true)
[[ $accepted -eq $total ]] || fail "$((total - accepted)) of $total payments were refused: $(grep -v '^201 ' "$work/payments" | head -3)"
echo "rabbitmq-restart: $total payments accepted, at least $((down_to - down_from)) of them while RabbitMQ was stopped"

# The events of those payments, by id, from the outbox; then each must be on the timeline once.
ids=$(awk '{print $2}' "$work/payments" | paste -sd, -)
sql "SELECT id FROM outbox_events WHERE type IN ('payment.created', 'payment.succeeded')
     AND payload::jsonb->>'paymentId' = ANY('{$ids}'::text[])" | sort >"$work/expected"
[[ $(wc -l <"$work/expected") -eq $((2 * total)) ]] || fail "$(wc -l <"$work/expected") events in the outbox for $total payments"
# timeline — the ids of every entry of the customer's timeline, one a line, following the pages.
timeline() {
    python3 - "$base" "$admin" "$customer_id" <<'EOF'
import json, sys, urllib.parse, urllib.request
base, token, customer = sys.argv[1:4]
cursor = None
while True:
    query = {"limit": "200"} | ({"cursor": cursor} if cursor else {})
    request = urllib.request.Request(
        f"{base}/api/v1/admin/customers/{customer}/timeline?{urllib.parse.urlencode(query)}", headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(request))
    for item in page["items"]:
        print(item["id"])
    cursor = page.get("nextCursor")
    if not cursor:
        break
EOF
}
all_there() {
    timeline | sort >"$work/timeline"
    [[ -z $(comm -23 "$work/expected" <(sort -u "$work/timeline")) ]]
}
until_true 90 all_there || fail "$(comm -23 "$work/expected" <(sort -u "$work/timeline") | wc -l) events never reached the timeline"
sleep 2
timeline | sort >"$work/timeline"
repeated=$(uniq -d "$work/timeline" | wc -l)
[[ $repeated -eq 0 ]] || fail "$repeated timeline entries appear more than once"
[[ $(comm -12 "$work/expected" "$work/timeline" | wc -l) -eq $((2 * total)) ]] || fail "the timeline does not hold each event once"
[[ $(sql "SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL") -eq 0 ]] || fail "events left in the outbox"
echo "rabbitmq-restart: all $((2 * total)) events on the timeline, each once"

published=$(metric 'events_published_total{type="payment.created"}')
[[ ${published:-0} -ge $total ]] || fail "events_published_total{type=\"payment.created\"} is ${published:-absent}, want at least $total"
unavailable=$(metric 'events_relay_failures_total{reason="unavailable"}')
[[ ${unavailable:-0} -gt 0 ]] || fail "events_relay_failures_total{reason=\"unavailable\"} is ${unavailable:-absent} after the broker was away"
broker_up() { [[ $(metric events_broker_connected) == 1.0 ]]; }
until_true 30 broker_up || fail "events_broker_connected is $(metric events_broker_connected), want 1"
handled=$(metric 'events_consumer_handled_total{consumer="customers.timeline"}')
duplicates=$(metric 'events_consumer_duplicates_total{consumer="customers.timeline"}')
echo "rabbitmq-restart: metrics: published payment.created $published, relay attempts failed while unavailable $unavailable," \
    "timeline consumer handled $handled (repeats dropped ${duplicates:-0})"

kill -0 "$pid" 2>/dev/null || fail "LastMile is no longer running"
[[ $(grep -c "LastMile is running" "$work/out.log") -eq 1 ]] || fail "LastMile started more than once"
kill -TERM "$pid"
wait "$pid" || fail "the server did not stop cleanly"
pid=""
echo "rabbitmq-restart: passed"
