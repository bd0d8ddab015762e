#!/usr/bin/env bash
# System test: SIGKILL `lastmile billing run` at random points, then run it again to the end.
# - 10,000 subscriptions seeded set-based by `lastmile-bench billing-seed` (1% with a start, pause, tariff change or
#   end inside the period), on PostgreSQL in a fresh database when LASTMILE_TEST_POSTGRES_URL is set, else SQLite;
# - a dry run first gives the expected invoice count and total;
# - the run is killed with SIGKILL several times (the CLI, and the service with small batches), each restart resuming at once (a killed runner's lease on this host
#   is void); then it runs to the end;
# - exactly one invoice per customer and period, one invoice.created each, totals equal to the dry run,
#   `lastmile billing verify` exits 0, and a further run creates nothing.
# Usage: Tests/system/billing-kill.sh PATH_TO_LASTMILE_BINARY (lastmile-bench must sit next to it)
set -euo pipefail
binary=${1:?usage: billing-kill.sh PATH_TO_LASTMILE}
bench="$(dirname "$binary")/lastmile-bench"
customers=${LASTMILE_BILLING_KILL_CUSTOMERS:-10000}
period=2026-12
# Small batches make every run span many batches, so a kill lands inside a run even on a fast, idle machine (with
# the default 5,000 a run over 10,000 customers is two batches and was seen to finish before the first kill).
export LASTMILE_BILLING_RUN_BATCH_SIZE=100
[[ -x $bench ]] || {
    echo "billing-kill: $bench is not built (swift build builds it)" >&2
    exit 1
}
work=$(mktemp -d /tmp/lastmile-billing-kill.XXXXXX)
chmod 777 "$work"
pid=""
database=""
admin_url=""
cleanup() {
    if [[ -n $pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    if [[ -n $database ]]; then
        psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "billing-kill: $*" >&2
    tail -20 "$work/run.log" >&2 2>/dev/null || true
    exit 1
}
# kv KEY LINE — the value of KEY=value in a lastmile-bench result line.
kv() { grep -oE "(^| )$1=[^ ]+" <<<"$2" | tail -1 | cut -d= -f2; }

export LASTMILE_DATA_DIR=$work/data LASTMILE_DEMO_DATA=false LASTMILE_LOG_LEVEL=warning
unset LASTMILE_DATABASE_URL
engine=SQLite
if [[ -n ${LASTMILE_TEST_POSTGRES_URL:-} ]]; then
    command -v psql >/dev/null || fail "LASTMILE_TEST_POSTGRES_URL is set but psql is not installed"
    admin_url=$LASTMILE_TEST_POSTGRES_URL
    database=billing_kill_$(date +%s)_$$
    psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null || fail "could not create database $database"
    url=${admin_url%%\?*}
    query=${admin_url#"$url"}
    export LASTMILE_DATABASE_URL="${url%/*}/$database$query"
    engine=PostgreSQL
fi
mkdir -p "$LASTMILE_DATA_DIR"

seeded=$("$bench" billing-seed --customers "$customers" --period "$period" 2>>"$work/run.log") || fail "seeding failed"
echo "billing-kill: $engine, seeded $customers customers in $(kv seconds "$seeded") s"
dry=$("$bench" billing-run --period "$period" --dry-run 2>>"$work/run.log") || fail "the dry run failed"
expected_invoices=$(kv invoices "$dry")
expected_total=$(kv total "$dry")
[[ $expected_invoices -gt 0 ]] || fail "the dry run found nothing to invoice"
started=$(date +%s%N)
cli_dry=$("$binary" billing run --period "$period" --dry-run 2>>"$work/run.log") || fail "lastmile billing run --dry-run failed"
dry_ms=$((($(date +%s%N) - started) / 1000000))
grep -q "would create $expected_invoices invoices" <<<"$cli_dry" || fail "CLI dry run disagrees: $cli_dry"

# Kill at random points within about as long as the CLI's dry run took (start-up included), so that kills land
# before the first batch, inside one, or between two; each restart resumes what the last one left. Even attempts are
# `lastmile billing run`; odd ones run the same service code through lastmile-bench; both in batches of 100
# customers, so that kills also land between many small batches. At least one kill must leave the
# period part-invoiced, or the test proves nothing.
kills=0
interrupted=0
for attempt in 1 2 3 4 5 6 7 8; do
    window=$dry_ms
    if ((attempt % 2)); then
        "$bench" billing-run --period "$period" --batch-size 100 >>"$work/run.log" 2>&1 &
    else
        "$binary" billing run --period "$period" >>"$work/run.log" 2>&1 &
        window=$((dry_ms / 2))
    fi
    pid=$!
    sleep "$(awk -v r="$RANDOM" -v ms="$window" 'BEGIN { printf "%.3f", (50 + r % (ms > 100 ? ms : 100)) / 1000 }')"
    if kill -KILL "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$pid" 2>/dev/null || true
    else
        wait "$pid" || fail "run $attempt failed on its own"
    fi
    pid=""
    state=$("$bench" billing-check --period "$period" 2>>"$work/run.log") || fail "billing-check failed"
    [[ $(kv duplicates "$state") == 0 ]] || fail "after kill $attempt: a customer has two invoices ($state)"
    now=$(kv invoices "$state")
    if [[ $now -gt 0 && $now -lt $expected_invoices ]]; then interrupted=$((interrupted + 1)); fi
    echo "billing-kill: attempt $attempt: $now of $expected_invoices invoices"
    [[ $now -lt $expected_invoices ]] || break
done
echo "billing-kill: $kills SIGKILLs, $interrupted left the period part-invoiced"
[[ $interrupted -ge 1 ]] || fail "no kill landed inside the run; nothing was tested"

"$binary" billing run --period "$period" >>"$work/run.log" 2>&1 || fail "the final run failed"
state=$("$bench" billing-check --period "$period" 2>>"$work/run.log")
[[ $(kv invoices "$state") == "$expected_invoices" ]] || fail "invoices: $(kv invoices "$state"), dry run said $expected_invoices"
[[ $(kv total "$state") == "$expected_total" ]] || fail "total: $(kv total "$state"), dry run said $expected_total"
[[ $(kv duplicates "$state") == 0 ]] || fail "a customer has two invoices of $period"
[[ $(kv events "$state") == "$expected_invoices" ]] || fail "invoice.created events: $(kv events "$state") for $expected_invoices invoices"
"$binary" billing verify >"$work/verify.log" 2>&1 || {
    cat "$work/verify.log" >&2
    fail "lastmile billing verify found breaches"
}
again=$("$binary" billing run --period "$period" 2>>"$work/run.log") || fail "the repeated run failed"
grep -q "created 0 invoices" <<<"$again" || fail "a repeated run created invoices: $again"
echo "billing-kill: passed ($engine, $expected_invoices invoices, total $expected_total kopecks, ledger clean)"
