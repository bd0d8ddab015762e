#!/usr/bin/env bash
# System test of issue 4's "done when", over HTTP against a real `lastmile serve`: the demo customer logs in, sees
# the balance and invoices, tops up through the sandbox provider's page, pays an invoice with an Idempotency-Key
# (and the repeat returns the same payment); an operator runs a month and sees its result; the customer's
# timeline shows billing events; `lastmile billing verify` is clean afterwards.
# On PostgreSQL (a fresh database) when LASTMILE_TEST_POSTGRES_URL is set, else SQLite; events through RabbitMQ
# when LASTMILE_TEST_AMQP_URL is set, else in process.
# Usage: Tests/system/serve-billing.sh PATH_TO_LASTMILE_BINARY
set -euo pipefail
binary=${1:?usage: serve-billing.sh PATH_TO_LASTMILE}
work=$(mktemp -d /tmp/lastmile-system.XXXXXX)
pid=""
database=""
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    [[ -n $database ]] && psql "${LASTMILE_TEST_POSTGRES_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=Tests/system/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
port=$(free_port)
base="http://127.0.0.1:$port"

fail() {
    echo "serve-billing: $*" >&2
    echo "--- server output ---" >&2
    tail -n 40 "$work/out.log" "$work/err.log" >&2 || true
    exit 1
}

# Demo data and the sandbox default to off on PostgreSQL: this test needs both, on either database.
export LASTMILE_DEMO_DATA=true LASTMILE_SANDBOX_PAYMENTS=true LASTMILE_DEMO_CUSTOMERS=100 LASTMILE_BCRYPT_COST=4
unset LASTMILE_DATABASE_URL LASTMILE_AMQP_URL
if [[ -n ${LASTMILE_TEST_POSTGRES_URL:-} ]]; then
    database="lastmile_system_$$"
    psql "${LASTMILE_TEST_POSTGRES_URL%/*}/postgres" -qc "CREATE DATABASE $database" >/dev/null || fail "cannot create database $database"
    export LASTMILE_DATABASE_URL="${LASTMILE_TEST_POSTGRES_URL%/*}/$database"
fi
[[ -n ${LASTMILE_TEST_AMQP_URL:-} ]] && export LASTMILE_AMQP_URL=$LASTMILE_TEST_AMQP_URL
events="in process"
[[ -n ${LASTMILE_AMQP_URL:-} ]] && events="through RabbitMQ"
echo "serve-billing: database ${database:-SQLite}, events $events"

start_serve

# json EXPRESSION — evaluates a Python expression over the JSON on stdin (`d` is the document).
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# call METHOD PATH TOKEN [BODY] [KEY] — prints the body, then the status on the last line.
call() {
    local args=(-sS -X "$1" "$base$2" -H "Authorization: Bearer $3" -w '\n%{http_code}')
    [[ -n ${4:-} ]] && args+=(-H 'Content-Type: application/json' -d "$4")
    [[ -n ${5:-} ]] && args+=(-H "Idempotency-Key: $5")
    curl "${args[@]}"
}
body() { sed '$d' <<<"$1"; }
status() { tail -n1 <<<"$1"; }

login() {
    curl -sS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" |
        json 'd["accessToken"]'
}
customer=$(login "$email" "$password_demo") || fail "the demo customer cannot log in"
admin_email=$(awk '$1 == "admin" {print $2}' "$work/out.log")
admin_password=$(awk '$1 == "admin" {print $3}' "$work/out.log")
admin=$(login "$admin_email" "$admin_password") || fail "the demo admin cannot log in"

# The first start bills the current month in the background: its charges must land before balances are compared.
month=$(TZ=Europe/Moscow date +%Y-%m)
for _ in $(seq 1 300); do
    runs=$(body "$(call GET "/api/v1/admin/billing/runs?limit=100" "$admin")")
    json 'all(r["status"] != "running" for r in d["items"]) and any(r["period"] == "'"$month"'" and r["status"] == "completed"
        and not r["dryRun"] for r in d["items"])' <<<"$runs" | grep -q True && break
    sleep 0.2
done

# The debt sweep charges invoices past their due day and grace to the balance, at the start and every few minutes:
# wait until it has taken the demo customer's, so that it does not land between the two balances compared below.
cutoff=$(TZ=Europe/Moscow date -d '5 days ago' +%Y-%m-%d)
for _ in $(seq 1 300); do
    body "$(call GET /api/v1/billing/invoices "$customer")" |
        json 'all(not (i["status"] == "issued" and i["dueOn"] < "'"$cutoff"'") for i in d["invoices"])' | grep -q True && break
    sleep 0.2
done
overview=$(call GET /api/v1/billing/invoices "$customer")
[[ $(status "$overview") == 200 ]] || fail "GET /api/v1/billing/invoices answered $overview"
invoice=$(body "$overview" | json '[i["id"] for i in d["invoices"] if i["amountDue"]["amount"] > 0][0]') ||
    fail "no unpaid invoice in: $overview"
due=$(body "$overview" | json '[i["amountDue"]["amount"] for i in d["invoices"] if i["id"] == "'"$invoice"'"][0]')
[[ $(body "$overview" | json 'd["missing"]') == "[]" ]] || fail "the invoice page misses a part: $overview"

topup=$(call POST /api/v1/billing/top-up "$customer" '{"amount":{"amount":500000,"currency":"RUB"},"provider":"sandbox"}' "top-$$")
[[ $(status "$topup") == 201 ]] || fail "top-up answered $topup"
payment=$(body "$topup" | json 'd["id"]')
confirm=$(body "$topup" | json 'd["confirmationURL"]')
[[ $confirm == */sandbox/pay/$payment\?token=* ]] || fail "the confirmation URL is $confirm"
page_path=${confirm#*/sandbox/pay/}
[[ $(curl -sS -o /dev/null -w '%{http_code}' "$base/sandbox/pay/$payment") == 404 ]] || fail "the sandbox page opens without its token"
[[ $(curl -sS -o /dev/null -w '%{http_code}' -X POST "$base/sandbox/pay/$payment" -d outcome=succeeded) == 404 ]] ||
    fail "the sandbox page confirms without its token"
page=$(curl -sS "$base/sandbox/pay/$page_path")
grep -q "000,00" <<<"$page" || fail "the sandbox page does not show the amount: $page"
curl -sS -o /dev/null -X POST "$base/sandbox/pay/$page_path" -d outcome=succeeded
balance=$(body "$(call GET /api/v1/billing/balance "$customer")" | json 'd["balance"]["amount"]')
[[ $balance -gt 0 ]] || fail "the balance is $balance after a confirmed top-up of 5000 RUB"

pay_body="{\"invoiceId\":\"$invoice\",\"method\":\"balance\"}"
paid=$(call POST /api/v1/billing/pay "$customer" "$pay_body" "pay-$$")
[[ $(status "$paid") == 201 ]] || fail "paying the invoice answered $paid"
again=$(call POST /api/v1/billing/pay "$customer" "$pay_body" "pay-$$")
[[ $(body "$again" | json 'd["id"]') == $(body "$paid" | json 'd["id"]') ]] || fail "the repeat did not return the same payment: $again"
after=$(body "$(call GET /api/v1/billing/balance "$customer")" | json 'd["balance"]["amount"]')
[[ $after -eq $((balance - due)) ]] || fail "balance $after after paying $due from $balance"
detail=$(call GET "/api/v1/billing/invoices/$invoice" "$customer")
[[ $(body "$detail" | json 'd["invoice"]["status"]') == paid ]] || fail "the invoice is not paid: $detail"

run=$(call POST /api/v1/admin/billing/runs "$admin" '{"period":"2027-01","dryRun":true}')
[[ $(status "$run") == 202 ]] || fail "starting a run answered $run"
run_id=$(body "$run" | json 'd["id"]')
for _ in $(seq 1 300); do
    state=$(body "$(call GET "/api/v1/admin/billing/runs/$run_id" "$admin")" | json 'd["status"]')
    [[ $state != running ]] && break
    sleep 0.2
done
[[ $state == completed ]] || fail "the run ended $state"
created=$(body "$(call GET "/api/v1/admin/billing/runs/$run_id" "$admin")" | json 'd["invoicesCreated"]')
# The generated customers are in debt and suspended (their November invoices are overdue): only the demo
# customer, who just paid, is billed for January.
[[ $created -ge 1 ]] || fail "the dry run would create no invoice"

customer_id=$(body "$overview" | json 'd["customer"]["id"]')
for _ in $(seq 1 100); do
    timeline=$(body "$(call GET "/api/v1/admin/customers/$customer_id/timeline" "$admin")")
    grep -q '"payment.succeeded"' <<<"$timeline" && break
    sleep 0.2
done
grep -q '"invoice.created"' <<<"$timeline" || fail "the timeline has no invoice.created: $timeline"
grep -q '"payment.succeeded"' <<<"$timeline" || fail "the timeline has no payment.succeeded: $timeline"

kill -TERM "$pid"
wait "$pid" || fail "the server did not stop cleanly"
pid=""
(cd "$work" && "$binary" billing verify >"$work/verify.log" 2>&1) || fail "billing verify: $(cat "$work/verify.log")"
grep -q clean "$work/verify.log" || fail "billing verify: $(cat "$work/verify.log")"
echo "serve-billing: passed"
