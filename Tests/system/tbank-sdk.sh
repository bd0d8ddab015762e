#!/usr/bin/env bash
# System test: T-Bank's own Python SDK (`tbank` from PyPI) drives `acquirer-standin --provider tbank` on loopback:
# a payment with a receipt is made, read, paid through the page's POST, seen confirmed, refunded in part and listed by
# its order; a receipt that does not add up and a wrong password are refused with T-Bank's codes. This holds the
# stand-in to the shapes a real client sends and reads. Skipped (exit 0) only when pip cannot install the SDK.
# Usage: Tests/system/tbank-sdk.sh PATH_TO_LASTMILE_BINARY (acquirer-standin is built beside it)
set -euo pipefail
binary=${1:?usage: tbank-sdk.sh PATH_TO_LASTMILE}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
standin="$(dirname "$binary")/acquirer-standin"
SCRIPT_NAME=tbank-sdk
# shellcheck source=scripts/lib/services.bash
source "$here/../../scripts/lib/services.bash"
[[ -x $standin ]] || die "no acquirer-standin beside $binary (swift build builds it)"
if ! require_tbank_sdk; then
    echo "tbank-sdk: skipped (pip could not install T-Bank's SDK, the tbank package)"
    exit 0
fi
work=$(mktemp -d /tmp/lastmile-tbank-sdk.XXXXXX)
pid=""
cleanup() {
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
terminal="1700000000001DEMO"
password=$(random_secret)
"$standin" --provider tbank --port "$port" --account "$terminal" --secret "$password" >"$work/standin.log" 2>&1 &
pid=$!
# listening — whether the stand-in answers on its port yet (its own line on stdout is buffered when not a terminal).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
for _ in $(seq 1 100); do
    listening && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/standin.log" >&2; die "acquirer-standin exited early"; }
    sleep 0.1
done
listening || die "acquirer-standin did not start"
if ! python3 "$here/tbank_sdk.py" "http://127.0.0.1:$port" "$terminal" "$password"; then
    echo "--- acquirer-standin output ---" >&2
    cat "$work/standin.log" >&2
    die "T-Bank's SDK failed against the stand-in"
fi
echo "tbank-sdk: passed"
