#!/usr/bin/env bash
# System test: YooKassa's own Python SDK (`yookassa` from PyPI) drives `acquirer-standin --provider yookassa` on
# loopback: a payment with a receipt is created, read, paid through the hosted page's POST, seen succeeded, refunded;
# two-stage payments are captured and cancelled, a saved card charged, SBP paid; the payments are listed page by page.
# Holds the stand-in to the shapes the real API answers. Skipped only when pip cannot install the SDK.
# Usage: Tests/system/yookassa-sdk.sh PATH_TO_LASTMILE_BINARY (acquirer-standin is built beside it)
set -euo pipefail
binary=${1:?usage: yookassa-sdk.sh PATH_TO_LASTMILE}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT_NAME=yookassa-sdk
# shellcheck source=scripts/lib/services.bash
source "$here/../../scripts/lib/services.bash"

standin="$(dirname "$binary")/acquirer-standin"
[[ -x $standin ]] || die "no acquirer-standin beside $binary (swift build builds it)"
if ! require_yookassa_sdk; then
    echo "yookassa-sdk: skipped (pip could not install the yookassa SDK)"
    exit 0
fi

work=$(mktemp -d /tmp/lastmile-yookassa-sdk.XXXXXX)
port=$(free_port)
shop_id=506751
secret_key="test_$(random_secret)"
"$standin" --provider yookassa --port "$port" --account "$shop_id" --secret "$secret_key" >"$work/standin.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# Its start line may sit in a pipe buffer, so readiness is the port accepting connections.
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/standin.log" >&2; die "acquirer-standin exited early"; }
    sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "acquirer-standin did not start listening on $port"

if ! python3 "$here/yookassa_sdk.py" "http://127.0.0.1:$port" "$shop_id" "$secret_key"; then
    cat "$work/standin.log" >&2
    die "the YooKassa SDK failed against the stand-in"
fi
echo "yookassa-sdk: passed"
