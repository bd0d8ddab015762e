#!/usr/bin/env bash
# System test of issue 12's proof: the distributed topology with real processes.
# - PostgreSQL, Redis and RabbitMQ (the ones scripts/test started, through LASTMILE_TEST_*_URL, else private ones), a
#   fresh database, and one of its own for support (`LASTMILE_SUPPORT_DATABASE_URL`: a service that owns its tables
#   may keep them apart), `lastmile migrate`; auth, customers, billing, support and notifications each as
#   `lastmile serve --service X`, two
#   gateway replicas, and nginx (deploy/nginx with this run's ports) terminating TLS with a test CA in front of the gateways;
# - seed: an admin (`lastmile users create`), generated customers (`lastmile demo seed`), and customers with passwords,
#   contracts and subscriptions made by the admin through the API; last month's run through the API makes invoices;
# - the seed's flows through nginx over HTTPS: login, invoices page, an operator's cash payment, paying an invoice with
#   an Idempotency-Key (the repeat gives the same payment), this month's run; support: an operator registered by the
#   admin goes online, gets the customer's new ticket from the assigner and answers it (with an internal note the
#   customer never sees), a 1.5 MiB photo goes up and back through nginx, ticket.created reaches the CRM timeline, and
#   the answer reaches the customer's notification inbox (notifications found them through customers' internal API);
#   logout (the token then fails on both gateways);
# - internal routes: 401 without a service token, with a token signed by another key (carrying a forged user), and
#   with one meant for another service; 404 through nginx;
# - kill test: while payments (each with its own Idempotency-Key, a quarter sent twice, every failure retried with the
#   same key as a client would), logins and new tickets run through nginx, SIGKILL every process once in random order,
#   then random ones, restarting each; afterwards every 2xx payment is in PostgreSQL once, no key made two payments,
#   every ticket answered 201 is there once with the number the client got (and no request opened two), every ticket
#   gets assigned, `lastmile billing verify` is clean, every payment.created and ticket.created went through the
#   customers.timeline consumer exactly once, support's consumer got billing's events, and clients saw only 2xx,
#   502/503/504 problem+json (502/503 for tickets; 409 "request in progress" on a retried key), never a hang;
# - SIGTERM stops every process with exit 0.
# Usage: Tests/system/distributed.sh PATH_TO_LASTMILE_BINARY
# Environment: LASTMILE_TEST_PAUSE_ON_FAILURE=1 leaves everything running for 10 minutes after a failure;
# LASTMILE_TEST_DISTRIBUTED_KILLS (default 7), LASTMILE_TEST_DISTRIBUTED_ORDER (the processes to kill, say
# "billing auth", instead of a random order), LASTMILE_TEST_KEEP=1 keeps the work folder (logs).
set -euo pipefail
binary=${1:?usage: distributed.sh PATH_TO_LASTMILE}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
SCRIPT_NAME=distributed
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=Tests/system/lib.bash
source "$here/lib.bash"
services_begin

say() { printf 'distributed: %s\n' "$*"; }
declare -A role_of=([auth]=auth [customers]=customers [billing]=billing [support]=support [notifications]=notifications
    [gateway-1]=gateway [gateway-2]=gateway)
processes=(auth customers billing support notifications gateway-1 gateway-2)
declare -A port_of=() pid_of=()
work=""
database_url=""

fail() {
    printf 'distributed: FAILED: %s\n' "$*" >&2
    if [[ -n $work ]]; then
        local name
        for name in "${processes[@]}"; do
            [[ -e $work/$name.log ]] || continue
            printf -- '--- %s (last lines of %s) ---\n' "$name" "$work/$name.log" >&2
            tail -n 15 "$work/$name.log" >&2 || true
        done
        [[ -e $work/nginx/logs/error.log ]] && { echo "--- nginx error.log ---" >&2; tail -n 10 "$work/nginx/logs/error.log" >&2; }
    fi
    if [[ ${LASTMILE_TEST_PAUSE_ON_FAILURE:-0} == 1 ]]; then
        echo "distributed: paused for 10 minutes with everything running (LASTMILE_TEST_PAUSE_ON_FAILURE); database $database_url" >&2
        sleep 600
    fi
    exit 1
}
[[ -x $binary ]] || fail "$binary is not built"
require_tool curl curl
require_tool python3 python3

# ---------------------------------------------------------------- infrastructure

work=$(mktemp -d /tmp/lastmile-distributed.XXXXXX)
chmod 755 "$work"
if [[ ${LASTMILE_TEST_KEEP:-0} == 1 ]]; then
    add_cleanup "echo 'distributed: logs kept in $work'"
else
    add_cleanup "rm -rf '$work'"
fi
say "work folder $work"

if [[ -n ${LASTMILE_TEST_AMQP_URL:-} ]]; then
    amqp_url=$LASTMILE_TEST_AMQP_URL
    say "RabbitMQ from LASTMILE_TEST_AMQP_URL"
else
    start_rabbitmq distributed
fi
if [[ -n ${LASTMILE_TEST_POSTGRES_URL:-} ]]; then
    server_url=$LASTMILE_TEST_POSTGRES_URL
    say "PostgreSQL from LASTMILE_TEST_POSTGRES_URL"
else
    # shellcheck disable=SC2119 # the default profile
    start_postgres
    server_url=$PG_URL
fi
require_tool psql postgresql-client
# A fresh database on that server, dropped on exit (the URL may carry ?sslmode=… and the like).
url_base=${server_url%%\?*}
url_query=${server_url#"$url_base"}
database="lastmile_distributed_$$"
postgres_admin_url="${url_base%/*}/postgres$url_query"
psql "$postgres_admin_url" -qc "CREATE DATABASE $database" >/dev/null || fail "cannot create database $database"
add_cleanup "psql '$postgres_admin_url' -qc 'DROP DATABASE IF EXISTS $database WITH (FORCE)' >/dev/null 2>&1"
database_url="${url_base%/*}/$database$url_query"
support_database="${database}_support"
psql "$postgres_admin_url" -qc "CREATE DATABASE $support_database" >/dev/null || fail "cannot create database $support_database"
add_cleanup "psql '$postgres_admin_url' -qc 'DROP DATABASE IF EXISTS $support_database WITH (FORCE)' >/dev/null 2>&1"
support_database_url="${url_base%/*}/$support_database$url_query"
say "databases $database, and $support_database for support"
if [[ -n ${LASTMILE_TEST_REDIS_URL:-} ]]; then
    redis_url=$LASTMILE_TEST_REDIS_URL
    say "Redis from LASTMILE_TEST_REDIS_URL"
else
    # shellcheck disable=SC2119 # without TLS
    start_redis
    redis_url=$REDIS_URL
fi
if [[ -z ${LASTMILE_TEST_AMQP_URL:-} ]]; then
    await_rabbitmq distributed
    amqp_url=${RABBITMQ_URL[distributed]}
fi
make_certificates
require_tool nginx nginx
require_tool openssl openssl

# What every LastMile process gets (deploy/docker/docker-compose.yml's distributed environment, with this run's
# addresses), and the marks that let the exit trap find each one.
for name in "${processes[@]}"; do port_of[$name]=$(free_port); done
https_port=$(free_port)
http_port=$(free_port)
edge="https://localhost:$https_port"
export LASTMILE_TEST_RUN_MARK=$RUN_MARK
export LASTMILE_DATABASE_URL=$database_url LASTMILE_REDIS_URL=$redis_url LASTMILE_AMQP_URL=$amqp_url
LASTMILE_SERVICE_KEY=$(openssl rand -base64 32)
export LASTMILE_SERVICE_KEY
export LASTMILE_AUTH_URL="http://127.0.0.1:${port_of[auth]}" LASTMILE_CUSTOMERS_URL="http://127.0.0.1:${port_of[customers]}"
export LASTMILE_BILLING_URL="http://127.0.0.1:${port_of[billing]}" LASTMILE_SUPPORT_URL="http://127.0.0.1:${port_of[support]}"
export LASTMILE_NOTIFICATIONS_URL="http://127.0.0.1:${port_of[notifications]}"
export LASTMILE_DEMO_DATA=false LASTMILE_SANDBOX_PAYMENTS=false LASTMILE_BCRYPT_COST=4 LASTMILE_PUBLIC_URL=$edge
export LASTMILE_RATE_LIMIT_API=1000000 LASTMILE_RATE_LIMIT_CREDENTIALS=1000000 LASTMILE_RATE_LIMIT_GLOBAL=1000000
export LASTMILE_LOG_LEVEL=${LASTMILE_LOG_LEVEL:-notice} LASTMILE_DATA_DIR=$work/data
unset LASTMILE_SERVICES LASTMILE_METRICS_TOKEN LASTMILE_AUTH_DATABASE_URL LASTMILE_CUSTOMERS_DATABASE_URL LASTMILE_BILLING_DATABASE_URL \
    LASTMILE_SUPPORT_DATABASE_URL LASTMILE_SUPPORT_ATTACHMENTS LASTMILE_SUPPORT_ATTACHMENTS_DIR LASTMILE_SUPPORT_ATTACHMENT_MAX_BYTES
export LASTMILE_SUPPORT_DATABASE_URL=$support_database_url
mkdir -p "$LASTMILE_DATA_DIR"

# ---------------------------------------------------------------- processes

# start_process NAME — `lastmile serve --service ROLE` on NAME's port, its output appended to $work/NAME.log.
start_process() {
    local name=$1
    echo "==== start $(date +%T.%N) ====" >>"$work/$name.log"
    (cd "$work" && exec "$binary" serve --service "${role_of[$name]}" --port "${port_of[$name]}" >>"$work/$name.log" 2>&1) &
    pid_of[$name]=$!
}

# await_ready NAME [SECONDS] — until NAME answers 200 on /health/ready.
await_ready() {
    local name=$1 limit=${2:-90} status
    for _ in $(seq 1 $((limit * 5))); do
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:${port_of[$name]}/health/ready" || true)
        [[ $status == 200 ]] && return 0
        kill -0 "${pid_of[$name]}" 2>/dev/null || fail "$name exited while starting"
        sleep 0.2
    done
    fail "$name is not ready after $limit s (last /health/ready: $status)"
}

# kill_process NAME — SIGKILL, and reap it.
kill_process() {
    local name=$1
    kill -KILL "${pid_of[$name]}" 2>/dev/null || fail "$name was not running when it was to be killed"
    wait "${pid_of[$name]}" 2>/dev/null || true
    echo "==== SIGKILL $(date +%T.%N) ====" >>"$work/$name.log"
}

sql() { psql "$database_url" -XAtqc "$1"; }
support_sql() { psql "$support_database_url" -XAtqc "$1"; }
moscow_date() { TZ=Europe/Moscow date "$@"; }

section "migrate, seed the database, start the processes"
"$binary" migrate >"$work/migrate.log" 2>&1 || fail "lastmile migrate: $(tail -5 "$work/migrate.log")"
say "lastmile migrate: $(grep -c '^  ' "$work/migrate.log") migrations applied"
"$binary" migrate >"$work/migrate-again.log" 2>&1 || fail "a second lastmile migrate failed: $(tail -5 "$work/migrate-again.log")"
grep -q "Nothing to apply" "$work/migrate-again.log" || fail "a second lastmile migrate applied something: $(cat "$work/migrate-again.log")"
[[ $(sql "SELECT to_regclass('support_tickets') IS NULL AND to_regclass('customers') IS NOT NULL") == t &&
    $(support_sql "SELECT to_regclass('support_tickets') IS NOT NULL AND to_regclass('customers') IS NULL") == t ]] ||
    fail "support's tables are not apart in their own database"
say "support's tables in their own database, the others' in the shared one"
admin_email="admin-$$@test.lastmile.local"
admin_password=$(random_secret)
"$binary" users create --email "$admin_email" --role admin --password-stdin <<<"$admin_password" >"$work/users.log" 2>&1 ||
    fail "lastmile users create: $(tail -5 "$work/users.log")"
say "$(cat "$work/users.log")"
"$binary" demo seed --customers 200 >"$work/seed.log" 2>&1 || fail "lastmile demo seed: $(tail -5 "$work/seed.log")"
say "lastmile demo seed: $(grep -o 'Created [0-9]* customers' "$work/seed.log")"

# Customers starts last, once billing's scheduler has run this month at its start and those invoice.created events
# were published: its consumer's queue must already hold them (`lastmile migrate` declared it), or they are lost.
for name in auth billing support notifications; do start_process "$name"; done
for name in auth billing support notifications; do await_ready "$name"; done
published_invoices() { sql "SELECT COUNT(*) FROM outbox_events WHERE type = 'invoice.created' AND published_at IS NOT NULL"; }
for _ in $(seq 1 150); do [[ $(published_invoices) -gt 0 ]] && break; sleep 0.2; done
say "auth, billing, support and notifications ready; $(published_invoices) invoice.created events published before customers starts"
start_process customers
await_ready customers
for name in gateway-1 gateway-2; do start_process "$name"; done
for name in gateway-1 gateway-2; do await_ready "$name"; done
for name in "${processes[@]}"; do say "$name: lastmile serve --service ${role_of[$name]} on 127.0.0.1:${port_of[$name]} (pid ${pid_of[$name]})"; done

# nginx: deploy/nginx's files as they are, with this run's ports, certificate and folders.
mkdir -p "$work/nginx/logs" "$work/nginx/temp"
sed -e "s|gateway-1:8080|127.0.0.1:${port_of[gateway-1]}|" -e "s|gateway-2:8080|127.0.0.1:${port_of[gateway-2]}|" \
    "$here/../../deploy/nginx/upstream.conf" >"$work/nginx/upstream.conf"
sed -e "s|/etc/nginx/tls/tls.crt|$TLS_DIR/server.pem|" -e "s|/etc/nginx/tls/tls.key|$TLS_DIR/server.key|" \
    -e "s|/var/log/nginx/|$work/nginx/logs/|g" \
    -e "s|listen 80 |listen 127.0.0.1:$http_port |" -e "s|listen 443 |listen 127.0.0.1:$https_port |" \
    "$here/../../deploy/nginx/lastmile.conf" >"$work/nginx/lastmile.conf"
grep -q "127.0.0.1:$https_port" "$work/nginx/lastmile.conf" || fail "deploy/nginx/lastmile.conf no longer has 'listen 443 ': update this test"
cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 512; }
http {
    client_body_temp_path $work/nginx/temp/body;
    proxy_temp_path $work/nginx/temp/proxy;
    fastcgi_temp_path $work/nginx/temp/fastcgi;
    uwsgi_temp_path $work/nginx/temp/uwsgi;
    scgi_temp_path $work/nginx/temp/scgi;
    include $work/nginx/upstream.conf;
    include $work/nginx/lastmile.conf;
}
EOF
[[ $(id -u) -ne 0 ]] || chown -R "$SERVICE_USER" "$work/nginx"
as_service_user nginx -t -q -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" || fail "nginx -t failed"
as_service_user env LASTMILE_TEST_RUN_MARK="$RUN_MARK" nginx -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" ||
    fail "nginx did not start"
add_cleanup "kill \$(cat '$work/nginx/nginx.pid' 2>/dev/null) 2>/dev/null"
for _ in $(seq 1 50); do
    curl -s -o /dev/null --max-time 2 --cacert "$TLS_DIR/ca.pem" "$edge/health/live" && break
    sleep 0.1
done
say "nginx $(nginx -v 2>&1 | sed 's/.*\///') on $edge (TLS, test CA) in front of gateway-1 and gateway-2"

# ---------------------------------------------------------------- HTTP helpers

# json EXPRESSION — evaluates a Python expression over the JSON on stdin (`d` is the document).
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# call METHOD URL TOKEN [BODY] [KEY] — prints the body, then the status on the last line.
call() {
    local args=(-sS --max-time 30 --cacert "$TLS_DIR/ca.pem" -X "$1" "$2" -w '\n%{http_code}')
    [[ -n $3 ]] && args+=(-H "Authorization: Bearer $3")
    [[ -n ${4:-} ]] && args+=(-H 'Content-Type: application/json' -d "$4")
    [[ -n ${5:-} ]] && args+=(-H "Idempotency-Key: $5")
    curl "${args[@]}" || printf '\ncurl-failed'
}
body() { sed '$d' <<<"$1"; }
status() { tail -n1 <<<"$1"; }
# expect STATUS ANSWER WHAT — fails unless ANSWER's status is STATUS.
expect() { [[ $(status "$2") == "$1" ]] || fail "$3 answered $(status "$2") (want $1): $(body "$2" | head -c 600)"; }
login() {
    local answer
    answer=$(call POST "$edge/api/v1/auth/login" "" "{\"email\":\"$1\",\"password\":\"$2\"}")
    expect 200 "$answer" "login of $1"
    body "$answer" | json 'd["accessToken"]'
}

# ---------------------------------------------------------------- seed through the API

section "seed through nginx: customers with passwords, subscriptions, last month's run"
this_period=$(moscow_date +%Y-%m)
last_period=$(moscow_date -d "$(moscow_date +%Y-%m-01) -1 month" +%Y-%m)
admin=$(login "$admin_email" "$admin_password") || exit 1
say "admin logged in through nginx"
tariff=$(body "$(call GET "$edge/api/v1/billing/tariffs" "")" | json '[t["id"] for t in d["items"] if t["code"] == "home-300"][0]') ||
    fail "no home-300 tariff after lastmile demo seed"
subscribers=6
: >"$work/customers.json.lines"
for i in $(seq 1 "$subscribers"); do
    email="subscriber-$i-$$@test.lastmile.local"
    password="Pw-$(random_secret)"
    answer=$(call POST "$edge/api/v1/admin/users" "$admin" "{\"email\":\"$email\",\"password\":\"$password\",\"role\":\"customer\"}")
    expect 201 "$answer" "creating user $email"
    user_id=$(body "$answer" | json 'd["id"]')
    answer=$(call POST "$edge/api/v1/admin/customers" "$admin" "{\"userId\":\"$user_id\",\"fullName\":\"Тестов Тест $i\",
        \"email\":\"$email\",\"address\":{\"city\":\"Москва\",\"street\":\"ул. Тестовая\",\"building\":\"$i\"},\"signedOn\":\"$last_period-01\"}")
    expect 201 "$answer" "creating the customer of $email"
    customer_id=$(body "$answer" | json 'd["id"]')
    contract_id=$(body "$answer" | json 'd["contracts"][0]["id"]')
    answer=$(call POST "$edge/api/v1/admin/subscriptions" "$admin" \
        "{\"customerId\":\"$customer_id\",\"contractId\":\"$contract_id\",\"tariffId\":\"$tariff\",\"startsOn\":\"$last_period-01\"}")
    expect 201 "$answer" "subscribing $email"
    printf '{"id":"%s","email":"%s","password":"%s"}\n' "$customer_id" "$email" "$password" >>"$work/customers.json.lines"
done
say "$subscribers customers with passwords, contracts and home-300 since $last_period-01, made by the admin through the API"

# run_month PERIOD — the monthly run through the admin API, waited for; prints the invoices it created.
run_month() {
    local answer run_id state=""
    answer=$(call POST "$edge/api/v1/admin/billing/runs" "$admin" "{\"period\":\"$1\"}")
    expect 202 "$answer" "starting the run of $1"
    run_id=$(body "$answer" | json 'd["id"]')
    for _ in $(seq 1 600); do
        answer=$(call GET "$edge/api/v1/admin/billing/runs/$run_id" "$admin")
        state=$(body "$answer" | json 'd["status"]' 2>/dev/null || echo "?")
        [[ $state == running || $state == pending ]] || break
        sleep 0.2
    done
    [[ $state == completed ]] || fail "the run of $1 ended '$state': $(body "$answer")"
    body "$answer" | json 'd["invoicesCreated"]'
}
created=$(run_month "$last_period") || exit 1
[[ $created -ge $subscribers ]] || fail "the run of $last_period created $created invoices, want at least $subscribers"
say "the run of $last_period (admin API) created $created invoices"

# ---------------------------------------------------------------- the seed's flows

section "the seed's flows through nginx"
first=$(head -n1 "$work/customers.json.lines")
email=$(json 'd["email"]' <<<"$first")
password=$(json 'd["password"]' <<<"$first")
customer_id=$(json 'd["id"]' <<<"$first")
customer=$(login "$email" "$password") || exit 1
say "customer $email logged in"
overview=$(call GET "$edge/api/v1/billing/invoices" "$customer")
expect 200 "$overview" "the invoices page"
[[ $(body "$overview" | json 'd["missing"]') == "[]" ]] || fail "the invoices page misses a part: $(body "$overview")"
invoice=$(body "$overview" | json '[i["id"] for i in d["invoices"] if i["amountDue"]["amount"] > 0][0]') ||
    fail "no unpaid invoice on the invoices page: $(body "$overview")"
due=$(body "$overview" | json '[i["amountDue"]["amount"] for i in d["invoices"] if i["id"] == "'"$invoice"'"][0]')
say "invoices page: invoice $invoice, $due kopecks due"

answer=$(call POST "$edge/api/v1/admin/payments" "$admin" \
    "{\"customerId\":\"$customer_id\",\"amount\":{\"amount\":500000,\"currency\":\"RUB\"},\"method\":\"cash\",\"reference\":\"desk-$$\"}" "desk-$$")
expect 201 "$answer" "the operator's cash payment"
balance=$(body "$(call GET "$edge/api/v1/billing/balance" "$customer")" | json 'd["balance"]["amount"]')
[[ $balance -gt 0 ]] || fail "the balance is $balance after a cash payment of 5000 RUB"
say "the operator took 5000 RUB in cash: balance $balance kopecks"

pay_body="{\"invoiceId\":\"$invoice\",\"method\":\"balance\"}"
paid=$(call POST "$edge/api/v1/billing/pay" "$customer" "$pay_body" "pay-$$")
expect 201 "$paid" "paying the invoice"
again=$(call POST "$edge/api/v1/billing/pay" "$customer" "$pay_body" "pay-$$")
[[ $(status "$again") == 2* ]] || fail "the repeated payment answered $(status "$again"): $(body "$again")"
[[ $(body "$again" | json 'd["id"]') == $(body "$paid" | json 'd["id"]') ]] || fail "the repeat did not return the same payment: $again"
detail=$(call GET "$edge/api/v1/billing/invoices/$invoice" "$customer")
[[ $(body "$detail" | json 'd["invoice"]["status"]') == paid ]] || fail "the invoice is not paid: $(body "$detail")"
after=$(body "$(call GET "$edge/api/v1/billing/balance" "$customer")" | json 'd["balance"]["amount"]')
[[ $after -eq $((balance - due)) ]] || fail "balance $after after paying $due from $balance"
say "the customer paid the invoice from the balance (Idempotency-Key pay-$$; the repeat gave the same payment)"

# Billing's scheduler runs this month when billing starts after its first day, so the run through the API may find
# everything invoiced already (and the generated customers, with last month unpaid, are suspended for debt). What it
# must do: complete, and a second run of the month create nothing.
created=$(run_month "$this_period") || exit 1
again=$(run_month "$this_period") || exit 1
[[ $again == 0 ]] || fail "running $this_period again created $again invoices"
month_invoices=$(sql "SELECT COUNT(*) FROM invoices WHERE period = '$this_period'")
say "the monthly run of $this_period (admin API) completed, creating $created invoices ($month_invoices in the month); a second run created none"

# Flow 4: the admin registers an operator, who goes online; the customer opens a ticket, which the assigner gives to
# the operator; an internal note and an answer; the customer sees the answer (never the note) and a photo of over
# 1 MiB goes up through nginx and comes back to the operator byte for byte; ticket.created reaches the CRM timeline.
operator_email="operator-$$@test.lastmile.local"
operator_password="Pw-$(random_secret)"
answer=$(call POST "$edge/api/v1/admin/users" "$admin" "{\"email\":\"$operator_email\",\"password\":\"$operator_password\",\"role\":\"support_agent\"}")
expect 201 "$answer" "creating the operator's user"
operator_id=$(body "$answer" | json 'd["id"]')
operator=$(login "$operator_email" "$operator_password") || exit 1
# Every category, and room (the most an operator may hold) for every ticket of the kill test below.
profile='{"name":"Оператор Анна","skills":["no_connection","slow_speed","billing","equipment","connection_request","other"],
    "languages":["ru"],"maximumOpenTickets":500}'
expect 403 "$(call PUT "$edge/api/v1/admin/support/agents/$operator_id" "$operator" "$profile")" "an operator registering themselves"
expect 200 "$(call PUT "$edge/api/v1/admin/support/agents/$operator_id" "$admin" "$profile")" "the admin registering the operator"
answer=$(call PUT "$edge/api/v1/admin/support/agents/me/state" "$operator" '{"state":"online"}')
expect 200 "$answer" "the operator going online"
[[ $(body "$answer" | json 'd["state"]') == online ]] || fail "the operator is not online: $(body "$answer")"
opened=$(call POST "$edge/api/v1/support/tickets" "$customer" \
    '{"subject":"Медленный интернет","text":"По вечерам 5 Мбит/с вместо 300","category":"slow_speed"}')
expect 201 "$opened" "opening a ticket"
ticket_id=$(body "$opened" | json 'd["summary"]["id"]')
ticket_number=$(body "$opened" | json 'd["summary"]["number"]')
assignee_seen() { body "$(call GET "$edge/api/v1/support/tickets/$ticket_id" "$customer")" | json '(d["summary"].get("assignee") or {}).get("name", "")'; }
assigned() { [[ $(assignee_seen) == "Оператор Анна" ]]; }
until_true 30 assigned || fail "ticket $ticket_number was not assigned to the operator within 30 s (the customer sees '$(assignee_seen)')"
queue=$(call GET "$edge/api/v1/admin/support/tickets?queue=mine" "$operator")
expect 200 "$queue" "the operator's queue"
[[ $(body "$queue" | json '[t["id"] for t in d["items"]]') == "['$ticket_id']" ]] || fail "the operator's queue is not the ticket: $(body "$queue")"
say "the customer opened ticket № $ticket_number; the assigner gave it to the operator the admin registered"
expect 201 "$(call POST "$edge/api/v1/admin/support/tickets/$ticket_id/messages" "$operator" \
    '{"text":"Перегружен узел на Тверской","isInternal":true}')" "the operator's internal note"
expect 201 "$(call POST "$edge/api/v1/admin/support/tickets/$ticket_id/messages" "$operator" '{"text":"Расширили канал, проверьте"}')" \
    "the operator's answer"
seen=$(call GET "$edge/api/v1/support/tickets/$ticket_id" "$customer")
expect 200 "$seen" "the customer reading the ticket"
[[ $(body "$seen" | json '[m["text"] for m in d["messages"]]') == "['По вечерам 5 Мбит/с вместо 300', 'Расширили канал, проверьте']" ]] ||
    fail "the customer does not see the question and the answer: $(body "$seen")"
! grep -q "Перегружен" <<<"$seen" || fail "the customer sees the operator's internal note"
python3 -c 'import os, sys; sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + os.urandom(1536 * 1024))' >"$work/photo.png"
uploaded=$(curl -sS --max-time 30 --cacert "$TLS_DIR/ca.pem" -X POST -H "Authorization: Bearer $customer" -H 'Content-Type: image/png' \
    --data-binary "@$work/photo.png" -w '\n%{http_code}' "$edge/api/v1/support/tickets/$ticket_id/attachments?name=router.png" || printf '\ncurl-failed')
expect 201 "$uploaded" "uploading a photo of 1.5 MiB through nginx"
attachment_id=$(body "$uploaded" | json 'd["messages"][-1]["attachments"][0]["id"]')
code=$(curl -sS --max-time 30 --cacert "$TLS_DIR/ca.pem" -H "Authorization: Bearer $operator" -o "$work/photo.back" -w '%{http_code}' \
    "$edge/api/v1/admin/support/tickets/$ticket_id/attachments/$attachment_id" || true)
[[ $code == 200 ]] || fail "the operator's download of the photo answered $code"
cmp -s "$work/photo.png" "$work/photo.back" || fail "the photo came back different ($(wc -c <"$work/photo.back") bytes of $(wc -c <"$work/photo.png"))"
say "the operator answered (and left an internal note the customer does not see); the customer's 1.5 MiB photo went" \
    "up through nginx and came back to the operator unchanged"
on_timeline() { call GET "$edge/api/v1/admin/customers/$customer_id/timeline" "$admin" | grep -q "Создано обращение № $ticket_number"; }
until_true 60 on_timeline || fail "ticket.created of № $ticket_number did not reach the CRM timeline within 60 s:" \
    "$(call GET "$edge/api/v1/admin/customers/$customer_id/timeline" "$admin" | head -c 600)"
say "ticket.created reached the customer's CRM timeline (\"Создано обращение № $ticket_number\")"
in_inbox() { call GET "$edge/api/v1/notifications" "$customer" | grep -q "Ответ по обращению № $ticket_number"; }
until_true 60 in_inbox || fail "the operator's answer to № $ticket_number did not reach the customer's inbox within 60 s:" \
    "$(call GET "$edge/api/v1/notifications" "$customer" | head -c 600)"
say "the operator's answer reached the customer's notification inbox (\"Ответ по обращению № $ticket_number\")"

answer=$(call POST "$edge/api/v1/auth/logout" "$customer")
expect 204 "$answer" "logout"
for name in gateway-1 gateway-2; do
    answer=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $customer" \
        "http://127.0.0.1:${port_of[$name]}/api/v1/billing/invoices")
    [[ $answer == 401 ]] || fail "after logout $name answered $answer to the old access token (want 401)"
done
say "logout: the access token is refused by both gateways"

# ---------------------------------------------------------------- internal routes

section "internal routes"
# service_token KEY_BASE64 ISSUER AUDIENCE — an HS256 service token like ServiceKeys makes, carrying an admin as the
# acting user (the forged claim); the key id is what ServiceKeys derives from the key.
service_token() {
    python3 - "$@" <<'EOF'
import base64, hashlib, hmac, json, sys, time
key, issuer, audience = base64.b64decode(sys.argv[1]), sys.argv[2], sys.argv[3]
b64 = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()
header = {"alg": "HS256", "typ": "JWT", "kid": hashlib.sha256(key).hexdigest()[:16]}
now = int(time.time())
claims = {"iss": issuer, "aud": [audience], "exp": now + 60, "iat": now,
          "usr": {"userID": "forged", "role": "admin", "sessionID": "forged"}}
signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
print(signing + "." + b64(hmac.new(key, signing.encode(), hashlib.sha256).digest()))
EOF
}
# internal SERVICE OPERATION [TOKEN] — the status of POST /internal/v1/SERVICE/OPERATION on that service's process.
internal() {
    local args=(-s -o "$work/internal.body" -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' -d '{}')
    [[ -n ${3:-} ]] && args+=(-H "LastMile-Service-Token: $3")
    curl "${args[@]}" "http://127.0.0.1:${port_of[$1]}/internal/v1/$1/$2"
}
other_key=$(openssl rand -base64 32)
for target in "auth jwks" "customers customer" "billing verify-ledger" "support agents" "notifications preferences"; do
    read -r service operation <<<"$target"
    code=$(internal "$service" "$operation")
    [[ $code == 401 ]] || fail "$service's /internal/v1/$service/$operation without a token answered $code (want 401)"
    code=$(internal "$service" "$operation" "not-a-token")
    [[ $code == 401 ]] || fail "$service's internal API with a malformed token answered $code (want 401)"
    code=$(internal "$service" "$operation" "$(service_token "$other_key" gateway "$service")")
    [[ $code == 401 ]] || fail "$service's internal API with a token of another key and a forged admin answered $code (want 401)"
done
code=$(internal billing verify-ledger "$(service_token "$LASTMILE_SERVICE_KEY" gateway customers)")
[[ $code == 401 || $code == 403 ]] || fail "billing's internal API with a token meant for customers answered $code (want 401 or 403)"
code=$(internal billing verify-ledger "$(service_token "$LASTMILE_SERVICE_KEY" gateway billing)")
[[ $code == 200 ]] || fail "billing's internal API with a valid token answered $code (want 200): $(head -c 300 "$work/internal.body")"
code=$(internal support agents "$(service_token "$LASTMILE_SERVICE_KEY" gateway support)")
[[ $code == 200 ]] || fail "support's internal API with a valid token answered $code (want 200): $(head -c 300 "$work/internal.body")"
for path in /internal/v1/billing/verify-ledger /internal/v1/auth/jwks /internal/v1/support/agents /metrics; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$TLS_DIR/ca.pem" -X POST "$edge$path")
    [[ $code == 404 ]] || fail "$path through nginx answered $code (want 404)"
done
say "without a token, with a malformed one, with another key's (forged admin) and with one for another service: 401;" \
    "a valid token: 200; /internal/ and /metrics through nginx: 404"

# ---------------------------------------------------------------- kill test

section "kill test: payments, logins and tickets through nginx while processes are SIGKILLed"
python3 -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$work/customers.json.lines" >"$work/customers.json"
# The customer who opens tickets during the kills, signed in once beforehand.
second=$(sed -n 2p "$work/customers.json.lines")
ticket_customer=$(login "$(json 'd["email"]' <<<"$second")" "$(json 'd["password"]' <<<"$second")") || exit 1
cat >"$work/load.py" <<'EOF'
# The load: payment and login workers through nginx until the stop file appears; every request one JSON line.
import http.client, json, os, random, socket, ssl, sys, threading, time

port, cafile, records, stop, admin, customers, run, customer = sys.argv[1:9]
customers = json.load(open(customers))
context = ssl.create_default_context(cafile=cafile)
lock = threading.Lock()
out = open(records, "a")
TIMEOUT = 30  # a request unanswered after this long is a hang
RETRYABLE = {502, 503, 504, 409, "transport"}


def record(**fields):
    fields["at"] = round(time.time(), 3)
    with lock:
        out.write(json.dumps(fields) + "\n")
        out.flush()


def request(method, path, body=None, headers=None):
    started = time.monotonic()
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPSConnection("localhost", int(port), context=context, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return response.status, response.getheader("Content-Type", ""), text, time.monotonic() - started
    except socket.timeout:
        return "timeout", "", "", time.monotonic() - started
    except (OSError, http.client.HTTPException) as error:
        return "transport", "", type(error).__name__ + ": " + str(error), time.monotonic() - started
    finally:
        connection.close()


def payments(worker):
    number = 0
    while not os.path.exists(stop):
        number += 1
        key = f"load-{run}-{worker}-{number}"
        body = {"customerId": random.choice(customers)["id"], "amount": {"amount": random.randrange(100, 100000), "currency": "RUB"},
                "method": "cash", "reference": key}
        sends = 2 if random.random() < 0.25 else 1
        for send in range(sends):
            # A client retries a money request with the same key until it has an answer; the servers must make that safe.
            for attempt in range(1, 61):
                status, kind, text, seconds = request(
                    "POST", "/api/v1/admin/payments", body, {"Authorization": f"Bearer {admin}", "Idempotency-Key": key})
                paid = None
                if isinstance(status, int) and 200 <= status < 300:
                    paid = json.loads(text).get("id")
                record(kind="payment", key=key, send=send, attempt=attempt, status=status, type=kind, id=paid,
                       body=None if paid else text[:300], seconds=round(seconds, 3))
                if status not in RETRYABLE:
                    break
                time.sleep(0.25 + random.random() * 0.5)
        time.sleep(0.05)


def logins(worker):
    while not os.path.exists(stop):
        customer = random.choice(customers)
        status, kind, text, seconds = request("POST", "/api/v1/auth/login", {"email": customer["email"], "password": customer["password"]})
        record(kind="login", status=status, type=kind, body=None if status == 200 else text[:300], seconds=round(seconds, 3))
        if status == 200:
            token = json.loads(text)["accessToken"]
            status, kind, text, seconds = request("GET", "/api/v1/billing/invoices", headers={"Authorization": f"Bearer {token}"})
            missing = json.loads(text).get("missing") if status == 200 else None
            record(kind="invoices", status=status, type=kind, missing=missing, body=None if status == 200 else text[:300],
                   seconds=round(seconds, 3))
            status, kind, text, seconds = request("POST", "/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
            record(kind="logout", status=status, type=kind, body=None if status == 204 else text[:300], seconds=round(seconds, 3))
        time.sleep(0.1)


def tickets(worker):
    # Opening a ticket is not idempotent: a client that got no 201 does not know whether it was opened, so it sends
    # no repeat; each ticket has a subject of its own to find it by.
    number = 0
    while not os.path.exists(stop):
        number += 1
        subject = f"load-{run}-{worker}-{number}"
        body = {"subject": subject, "text": "Пропадает связь по вечерам", "category": random.choice(["no_connection", "slow_speed", "other"])}
        status, kind, text, seconds = request("POST", "/api/v1/support/tickets", body, {"Authorization": f"Bearer {customer}"})
        opened = json.loads(text)["summary"] if status == 201 else None
        record(kind="ticket", subject=subject, status=status, type=kind, id=opened and opened["id"], number=opened and opened["number"],
               body=None if opened else text[:300], seconds=round(seconds, 3))
        time.sleep(0.2)


threads = [threading.Thread(target=payments, args=(n,)) for n in range(3)] + [threading.Thread(target=logins, args=(n,)) for n in range(2)]
threads += [threading.Thread(target=tickets, args=(0,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
EOF
# Every process has a new key so that a rerun in the same database (there is none) could not collide.
python3 "$work/load.py" "$https_port" "$TLS_DIR/ca.pem" "$work/requests.jsonl" "$work/stop" "$admin" "$work/customers.json" "$$" \
    "$ticket_customer" >"$work/load.log" 2>&1 &
load_pid=$!
requests_so_far() { if [[ -e $work/requests.jsonl ]]; then wc -l <"$work/requests.jsonl"; else echo 0; fi; }
for _ in $(seq 1 150); do
    [[ $(requests_so_far) -ge 20 ]] && break
    kill -0 "$load_pid" 2>/dev/null || fail "the load generator exited: $(tail -5 "$work/load.log")"
    sleep 0.2
done
[[ $(requests_so_far) -ge 20 ]] || fail "the load does not get going: $(tail -3 "$work/requests.jsonl" 2>/dev/null)"
say "load running: 3 payment workers, 2 login workers, 1 ticket worker ($(requests_so_far) requests so far)"

# Each process once, in random order, then random ones: each SIGKILLed a few seconds into the load, left down for
# a moment, started again and waited for.
kills=${LASTMILE_TEST_DISTRIBUTED_KILLS:-7}
mapfile -t order < <(printf '%s\n' "${processes[@]}" | shuf)
if [[ -n ${LASTMILE_TEST_DISTRIBUTED_ORDER:-} ]]; then read -r -a order <<<"$LASTMILE_TEST_DISTRIBUTED_ORDER"; fi
while [[ ${#order[@]} -lt $kills ]]; do order+=("${processes[RANDOM % ${#processes[@]}]}"); done
kill_start=$SECONDS
for ((k = 0; k < kills; k++)); do
    victim=${order[k]}
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 2 + (r % 300) / 100 }')"
    kill -0 "$load_pid" 2>/dev/null || fail "the load generator exited: $(tail -5 "$work/load.log")"
    killed_at=$(date +%s.%N)
    kill_process "$victim"
    down=$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (r % 200) / 100 }')
    sleep "$down"
    start_process "$victim"
    await_ready "$victim"
    echo "$victim $killed_at $(date +%s.%N)" >>"$work/kills.txt"
    say "kill $((k + 1))/$kills: SIGKILLed $victim, down ${down} s, ready again as pid ${pid_of[$victim]} ($(requests_so_far) requests so far)"
done
sleep 3
touch "$work/stop"
say "stopping the load after $((SECONDS - kill_start)) s of kills; waiting for its retries to settle"
for _ in $(seq 1 600); do
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$load_pid" 2>/dev/null && fail "the load generator did not finish within 120 s of the stop"
wait "$load_pid" || fail "the load generator failed: $(tail -5 "$work/load.log")"

# ---------------------------------------------------------------- what the clients saw

section "what the clients saw"
sql "SELECT reference, id FROM payments WHERE reference LIKE 'load-$$-%' ORDER BY reference" >"$work/payments.db"
support_sql "SELECT subject, id, number FROM support_tickets WHERE subject LIKE 'load-$$-%' ORDER BY subject" >"$work/tickets.db"
python3 - "$work/requests.jsonl" "$work/payments.db" "$work/kills.txt" "$work/tickets.db" >"$work/verdict.txt" <<'EOF' || { cat "$work/verdict.txt" >&2; fail "the clients' record breaks the rules (above)"; }
import collections, json, sys

records = [json.loads(line) for line in open(sys.argv[1])]
stored = collections.defaultdict(list)
for line in open(sys.argv[2]):
    if line.strip():
        reference, payment = line.strip().split("|")
        stored[reference].append(payment)
tickets_stored = collections.defaultdict(list)
for line in open(sys.argv[4]):
    if line.strip():
        subject, ticket, number = line.strip().split("|")
        tickets_stored[subject].append([ticket, int(number)])
problems = []
tally = collections.Counter()
ids = collections.defaultdict(set)
settled = {}
for r in records:
    status, kind = r["status"], r["kind"]
    tally[(kind, status)] += 1
    if isinstance(status, int) and 200 <= status < 300:
        if kind == "payment":
            ids[r["key"]].add(r["id"])
            settled[r["key"]] = True
        continue
    settled.setdefault(r.get("key"), False)
    where = f"ticket {r['subject']}" if kind == "ticket" else f"{kind} {r.get('key', '')} attempt {r.get('attempt', 1)}"
    if status == "timeout":
        problems.append(f"{where}: no answer within 30 s (a hang)")
    elif status == "transport":
        problems.append(f"{where}: the connection to nginx failed: {r['body']}")
    elif status in ((502, 503) if kind == "ticket" else (502, 503, 504)):
        if not r["type"].startswith("application/problem+json"):
            problems.append(f"{where}: {status} is not problem+json ({r['type']}): {r['body'][:200]}")
    elif status == 409 and kind == "payment" and (r["attempt"] > 1 or r["send"] > 0) and "idempotency-key-in-progress" in r["body"]:
        pass  # a retry that met its own earlier attempt still running: Stripe's answer, retried
    else:
        problems.append(f"{where}: unexpected {status} {r['type']}: {r['body'][:300]}")
    if r["seconds"] > 25:
        problems.append(f"{where}: took {r['seconds']} s")
payments = {r["key"] for r in records if r["kind"] == "payment"}
repeated = {r["key"] for r in records if r["kind"] == "payment" and r["send"] > 0}
unsettled = sorted(k for k in payments if not ids[k])
if unsettled:
    problems.append(f"{len(unsettled)} payment keys never got a 2xx despite 60 retries: {unsettled[:5]}")
for key, answered in ids.items():
    if len(answered) != 1:
        problems.append(f"key {key} answered with different payments: {sorted(answered)}")
    elif stored.get(key) != list(answered):
        problems.append(f"key {key}: the client got payment {sorted(answered)}, PostgreSQL holds {stored.get(key, [])}")
doubles = {k: v for k, v in stored.items() if len(v) > 1}
if doubles:
    problems.append(f"{len(doubles)} idempotency keys made more than one payment: {list(doubles.items())[:5]}")
strays = sorted(set(stored) - set(ids))
# Tickets: every 201 is in PostgreSQL as the client was told, and no request opened two.
ticket_requests = [r for r in records if r["kind"] == "ticket"]
opened = {r["subject"]: [r["id"], r["number"]] for r in ticket_requests if r["status"] == 201}
for subject, answered in opened.items():
    if tickets_stored.get(subject) != [answered]:
        problems.append(f"ticket {subject}: the client got {answered} (201), PostgreSQL holds {tickets_stored.get(subject, [])}")
twice = {k: v for k, v in tickets_stored.items() if len(v) > 1}
if twice:
    problems.append(f"{len(twice)} ticket requests opened more than one ticket: {list(twice.items())[:5]}")
numbers = collections.Counter(number for v in tickets_stored.values() for _, number in v)
if any(count > 1 for count in numbers.values()):
    problems.append(f"ticket numbers given twice: {[n for n, count in numbers.items() if count > 1][:5]}")
errors = {k: v for k, v in tally.items() if not (isinstance(k[1], int) and 200 <= k[1] < 300)}
invoices = [r for r in records if r["kind"] == "invoices" and r["status"] == 200]
partial = sum(1 for r in invoices if r["missing"])
print(f"{len(records)} requests: {sum(1 for r in records if r['kind'] == 'login')} logins, {len(payments)} payment keys"
      f" ({len(repeated)} sent twice), {len(invoices)} invoice pages ({partial} with a part marked missing)")
print("answers other than 2xx: " + (", ".join(f"{k[0]} {k[1]}: {n}" for k, n in sorted(errors.items(), key=str)) or "none"))
print(f"payments in PostgreSQL for those keys: {sum(len(v) for v in stored.values())}; keys committed without a 2xx seen: {len(strays)}")
print(f"tickets: {len(ticket_requests)} requests, {len(opened)} answered 201, each in PostgreSQL once with the number the client"
      f" got; {len(set(tickets_stored) - set(opened))} opened without a 201 seen")
# For each kill: the errors clients saw from the kill until the next one, and how long after the process was ready
# again the last of them came (a gateway's restart can also leave nginx holding both out for its fail_timeout).
kills = [line.split() for line in open(sys.argv[3])]
for number, (name, killed, ready) in enumerate(kills):
    killed, ready = float(killed), float(ready)
    until = float(kills[number + 1][1]) if number + 1 < len(kills) else float("inf")
    seen = [r for r in records if killed <= r["at"] < until and not (isinstance(r["status"], int) and 200 <= r["status"] < 300)]
    tail = max((r["at"] for r in seen), default=ready) - ready
    print(f"kill {number + 1} ({name}): down {ready - killed:.1f} s until ready again; {len(seen)} errors"
          + (f", the last {tail:.1f} s after it was ready" if seen else ""))
for problem in problems[:30]:
    print("PROBLEM: " + problem)
sys.exit(1 if problems else 0)
EOF
sed 's/^/  /' "$work/verdict.txt"
[[ $(grep -c '"kind": "payment"' "$work/requests.jsonl") -ge 50 ]] || fail "fewer than 50 payment requests were made: the load did not run"
[[ $(grep -c '"kind": "ticket", .*"status": 201' "$work/requests.jsonl") -ge 20 ]] || fail "fewer than 20 tickets were opened: the load did not run"
grep -qE '"status": (502|503|504)' "$work/requests.jsonl" || say "(no client saw an error during the kills)"

# ---------------------------------------------------------------- the books

section "the books: ledger, tickets, events"
"$binary" billing verify >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "lastmile billing verify found breaches"; }
say "lastmile billing verify: $(tail -n1 "$work/verify.log")"
# The assigner (in the support process, killed and restarted with the rest) gives every ticket of the load to the
# operator, who has room for all of them.
unassigned() { support_sql "SELECT COUNT(*) FROM support_tickets WHERE subject LIKE 'load-$$-%' AND assignee_id IS NULL"; }
all_assigned() { [[ $(unassigned) == 0 ]]; }
until_true 60 all_assigned || fail "$(unassigned) tickets of the load are still unassigned a minute after it"
say "all $(support_sql "SELECT COUNT(*) FROM support_tickets WHERE subject LIKE 'load-$$-%'") tickets of the load were assigned to the operator"
# Every payment.created in the outbox, published; then each through customers.timeline (its only consumer, see
# TimelineSummary.eventTypes; billing.open-account takes customer.created only) exactly once: one inbox row (the
# primary key allows no more) and one timeline entry with the event's id.
# waiting_events [SQL] — the outbox's events not yet published, in the main database or through SQL (support_sql).
waiting_events() {
    "${1:-sql}" "SELECT COUNT(*), MIN(type), MAX(attempts), (MAX(claimed_until) - $(date +%s%6N)) / 1000, (MIN(available_at) - $(date +%s%6N)) / 1000, MAX(last_error)
         FROM outbox_events WHERE published_at IS NULL AND dead_at IS NULL"
}
outbox_settled() { [[ $(waiting_events sql) == 0\|* && $(waiting_events support_sql) == 0\|* ]]; }
# Billing's jobs (the debt sweep a restarted billing runs at once) may still be adding events: the checks below take
# the outbox as it was once everything in it had been published, and wait for those events.
until_true 60 outbox_settled || fail "events still wait in an outbox a minute after the load (count|a type|attempts|lease left ms|due in ms|error):" \
    "$(waiting_events sql); support: $(waiting_events support_sql)"
snapshot=$(sql "SELECT COALESCE(MAX(seq), 0) FROM outbox_events")
support_snapshot=$(support_sql "SELECT COALESCE(MAX(seq), 0) FROM outbox_events")
for db in sql support_sql; do
    dead=$("$db" "SELECT COUNT(*) FROM outbox_events WHERE dead_at IS NOT NULL")
    [[ $dead == 0 ]] || fail "$dead outbox events are dead: $("$db" "SELECT type, last_error FROM outbox_events WHERE dead_at IS NOT NULL LIMIT 3")"
done
# unhandled_across FROM TYPES SNAPSHOT CONSUMER IN — how many events of TYPES in FROM's outbox (sql or support_sql, up
# to SNAPSHOT) CONSUMER's inbox in IN lacks: the two databases are apart, so the ids are compared here.
unhandled_across() {
    comm -23 <("$1" "SELECT id FROM outbox_events WHERE type IN ($2) AND seq <= $3" | sort) \
        <("$5" "SELECT event_id FROM inbox_events WHERE consumer = '$4'" | sort) | wc -l
}
all_handled_across() { [[ $(unhandled_across "$@") == 0 ]]; }
# not_handled TYPES [CONSUMER] — how many events of TYPES (up to the snapshot) CONSUMER (customers.timeline) has not
# handled.
not_handled() {
    sql "SELECT COUNT(*) FROM outbox_events o WHERE o.type IN ($1) AND o.seq <= $snapshot
         AND NOT EXISTS (SELECT 1 FROM inbox_events i WHERE i.consumer = '${2:-customers.timeline}' AND i.event_id = o.id)"
}
all_handled() { [[ $(not_handled "$@") == 0 ]]; }
until_true 90 all_handled "'payment.created'" || fail "$(not_handled "'payment.created'") payment.created events never reached customers.timeline"
events=$(sql "SELECT COUNT(*) FROM outbox_events WHERE type = 'payment.created'")
payments_total=$(sql "SELECT COUNT(*) FROM payments")
[[ $events == "$payments_total" ]] || fail "$payments_total payments but $events payment.created events"
inbox=$(sql "SELECT COUNT(*) FROM inbox_events i JOIN outbox_events o ON o.id = i.event_id
             WHERE i.consumer = 'customers.timeline' AND o.type = 'payment.created'")
timeline=$(sql "SELECT COUNT(*) FROM customer_timeline t JOIN outbox_events o ON o.id = t.id WHERE o.type = 'payment.created'")
[[ $inbox == "$events" ]] || fail "customers.timeline handled $inbox payment.created events of $events"
[[ $timeline == "$events" ]] || fail "$timeline timeline entries for $events payment.created events"
say "$events payments, $events payment.created events, each handled once by customers.timeline (inbox and timeline)"
ticket_created="'ticket.created'"
until_true 60 all_handled_across support_sql "$ticket_created" "$support_snapshot" customers.timeline sql ||
    fail "$(unhandled_across support_sql "$ticket_created" "$support_snapshot" customers.timeline sql) ticket.created events never reached customers.timeline"
events=$(support_sql "SELECT COUNT(*) FROM outbox_events WHERE type = 'ticket.created'")
tickets_total=$(support_sql "SELECT COUNT(*) FROM support_tickets")
[[ $events == "$tickets_total" ]] || fail "$tickets_total tickets but $events ticket.created events"
timeline=$(sql "SELECT COUNT(*) FROM customer_timeline WHERE source = 'ticket.created'")
[[ $timeline == "$events" ]] || fail "$timeline timeline entries for $events ticket.created events"
say "$events tickets (in support's own database), $events ticket.created events, each handled once by customers.timeline"
# Every other event customers.timeline consumes (TimelineSummary.eventTypes) too: the invoices of both runs, the
# suspensions of the debt sweep. An event published before the consumer's queue was declared would be missing here.
timeline_types="'payment.succeeded','payment.failed','payment.refunded','invoice.created','invoice.paid','invoice.overdue',
    'subscription.suspended','subscription.resumed','subscription.tariff_changed','subscription.paused',
    'promised_payment.taken','promised_payment.expired'"
until_true 60 all_handled "$timeline_types" || fail "$(not_handled "$timeline_types") events of the timeline's types never reached" \
    "customers.timeline: $(sql "SELECT o.type, COUNT(*) FROM outbox_events o WHERE o.type IN ($timeline_types) AND o.seq <= $snapshot
        AND NOT EXISTS (SELECT 1 FROM inbox_events i WHERE i.consumer = 'customers.timeline' AND i.event_id = o.id) GROUP BY o.type" | tr '\n' ' ')"
say "and $(sql "SELECT COUNT(*) FROM outbox_events WHERE type IN ($timeline_types) AND seq <= $snapshot") other events of the timeline's types, each handled by it"
ticket_types="'ticket.assigned','ticket.status_changed','ticket.sla_breached'"
until_true 60 all_handled_across support_sql "$ticket_types" "$support_snapshot" customers.timeline sql ||
    fail "$(unhandled_across support_sql "$ticket_types" "$support_snapshot" customers.timeline sql) of support's other events never reached customers.timeline"
say "and $(support_sql "SELECT COUNT(*) FROM outbox_events WHERE type IN ($ticket_types) AND seq <= $support_snapshot") other events of support's, each handled by it"
# And what support takes from billing (SupportService.billingEventsConsumer): its process was killed too, and its
# inbox is in its own database.
support_types="'subscription.resumed','invoice.paid','payment.succeeded'"
until_true 60 all_handled_across sql "$support_types" "$snapshot" support.billing-updates support_sql ||
    fail "$(unhandled_across sql "$support_types" "$snapshot" support.billing-updates support_sql) events never reached support.billing-updates"
say "$(sql "SELECT COUNT(*) FROM outbox_events WHERE type IN ($support_types) AND seq <= $snapshot") events of billing's that support" \
    "takes, each handled by support.billing-updates in its own database"

# ---------------------------------------------------------------- graceful stop

section "graceful stop"
for name in gateway-1 gateway-2 support billing customers auth; do
    kill -TERM "${pid_of[$name]}"
    code=0
    wait "${pid_of[$name]}" || code=$?
    [[ $code == 0 ]] || fail "$name exited $code on SIGTERM"
done
say "every process stopped on SIGTERM with exit 0"
say "passed"
