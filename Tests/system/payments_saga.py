"""The client side of Tests/system/payments-saga.sh (standard library only).

    payments_saga.py load BASE TOKEN ADMIN_TOKEN CUSTOMER_ID COUNT AMOUNT KEY_PREFIX OUT_JSON
        COUNT concurrent YooKassa top-ups of AMOUNT kopecks, arriving within half a second (a 503 with Retry-After is
        sent again under the same key), while two other clients time the customer's balance reads and an operator's
        1-kopeck cash payments to the same account (money written under the same account lock the top-ups take);
        writes what happened to OUT_JSON and prints a summary line. (The top-ups run as
        `payments_saga.py topups BASE TOKEN COUNT AMOUNT KEY_PREFIX OUT_JSON`, a process of their own.)
    payments_saga.py fire BASE TOKEN ADMIN_TOKEN KEY_PREFIX AMOUNT COUNT [PAYMENT_ID:KOPECKS...]
        COUNT top-ups (of AMOUNT, AMOUNT+1, … kopecks) and a refund of each payment named, all at once, ignoring the
        answers (the server is killed under them).
    payments_saga.py pay STANDIN SHOP SECRET SINCE
        Pays, on the stand-in's hosted page, every payment it holds as pending created at SINCE (ISO 8601) or later;
        prints how many.
    payments_saga.py sums STANDIN SHOP SECRET SINCE
        Prints the kopecks the stand-in took and returned since SINCE: `PAID REFUNDED`.
    payments_saga.py check DATABASE STANDIN SHOP SECRET
        Compares our payments, refunds and ledger (DATABASE: a SQLite file or a postgres:// URL read with psql)
        with the stand-in's lists; prints the totals, exits 1 with the breaches.
"""

import base64
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def request(method, url, token=None, body=None, key=None, headers=None, timeout=60):
    """Sends one request; answers (status, headers, parsed JSON or text)."""
    data = None
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = "Bearer " + token
    if key:
        sent["Idempotency-Key"] = key
    if body is not None:
        if isinstance(body, (bytes, str)):
            data = body.encode() if isinstance(body, str) else body
        else:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return status, answer_headers, parsed


# How long the concurrent top-ups take to arrive, in seconds.
RAMP_SECONDS = 0.5


def top_up_body(amount):
    return {"amount": {"amount": amount, "currency": "RUB"}, "provider": "yookassa"}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def top_ups(base, token, count, amount, prefix, out):
    """COUNT concurrent top-ups (retried after a 503 with Retry-After); writes OUT.started when they are let go and
    OUT, with each one's outcome, when all have answered."""
    start = threading.Event()
    results = [None] * count

    def top_up(index):
        key = "%s-%d" % (prefix, index)
        start.wait()
        # Spread over the first half second (a thundering herd within a millisecond is no customer load), all of them
        # still waiting on the 2 s provider together.
        time.sleep(RAMP_SECONDS * index / count)
        first, retries, status, body = None, 0, None, None
        try:
            for _ in range(6):
                status, headers, body = request("POST", base + "/api/v1/billing/top-up", token, top_up_body(amount), key)
                first = first if first is not None else status
                if status != 503 or not headers.get("Retry-After"):
                    break
                retries += 1
                # Retry-After says 5 s; the test keeps its time and comes back sooner, as an impatient client would.
                time.sleep(1)
        except Exception as error:  # noqa: BLE001 - a transport failure is a result the test reports
            status, body = "error", str(error)
        payment = body if isinstance(body, dict) else {}
        results[index] = {
            "key": key,
            "first": first,
            "status": status,
            "retries": retries,
            "id": payment.get("id"),
            "paymentStatus": payment.get("status"),
            "confirmationURL": payment.get("confirmationURL"),
            "problem": None if status == 201 else body,
        }

    threads = [threading.Thread(target=top_up, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    open(out + ".started", "w").close()
    start.set()
    for thread in threads:
        thread.join()
    with open(out + ".partial", "w") as handle:
        json.dump({"seconds": round(time.monotonic() - began, 2), "topUps": results}, handle)
    os.rename(out + ".partial", out)


def load(base, token, admin, customer, count, amount, prefix, out):
    """Concurrent top-ups against a slow provider, and the latency of cheap requests meanwhile. The top-ups run in a
    process of their own, so that their 200 threads do not hold the timing client's interpreter."""
    # A server that has been up a while has its database connections open: open them before the clock starts.
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda _: request("GET", base + "/api/v1/billing/balance", token, timeout=30), range(96)))
    for stale in (out + ".topups", out + ".topups.started"):
        if os.path.exists(stale):
            os.remove(stale)
    child = subprocess.Popen([sys.executable, __file__, "topups", base, token, str(count), str(amount), prefix, out + ".topups"])
    while not os.path.exists(out + ".topups.started"):
        if child.poll() is not None:
            raise SystemExit("the top-up client exited before it started")
        time.sleep(0.005)
    released = time.monotonic()
    samples = {"balance": [], "pay": []}
    cheap_failures = []
    paid = [0]
    # When each cheap request started (ms after the top-ups were let go), for telling a slow tail's cause.
    timeline = []

    def cheap(worker):
        iteration = 0
        while child.poll() is None:
            iteration += 1
            if iteration % 4 == 0:
                kind = "pay"
                began = time.monotonic()
                status, _, body = request(
                    "POST",
                    base + "/api/v1/admin/payments",
                    admin,
                    {"customerId": customer, "amount": {"amount": 1, "currency": "RUB"}, "method": "cash"},
                    "%s-cheap-%d-%d" % (prefix, worker, iteration),
                    timeout=30,
                )
                ok = status == 201
            else:
                kind = "balance"
                began = time.monotonic()
                status, _, body = request("GET", base + "/api/v1/billing/balance", token, timeout=30)
                ok = status == 200
            elapsed = (time.monotonic() - began) * 1000
            samples[kind].append(elapsed)
            timeline.append((round((began - released) * 1000), kind, round(elapsed, 1)))
            if not ok:
                cheap_failures.append({"kind": kind, "status": status, "body": body})
            elif kind == "pay":
                paid[0] += 1

    threads = [threading.Thread(target=cheap, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if child.wait() != 0 or not os.path.exists(out + ".topups"):
        raise SystemExit("the top-up client failed")
    with open(out + ".topups") as handle:
        report = json.load(handle)
    results = report["topUps"]
    everything = samples["balance"] + samples["pay"]
    report.update(
        {
            "statuses": {},
            "retried": sum(1 for r in results if r["retries"] > 0),
            "cheap": {
                "count": len(everything),
                "balanceReads": len(samples["balance"]),
                "cashPayments": paid[0],
                "p50": round(percentile(everything, 0.50), 1),
                "p99": round(percentile(everything, 0.99), 1),
                "max": round(max(everything or [0]), 1),
                "failures": cheap_failures,
                "slowest": sorted(timeline, key=lambda sample: -sample[2])[:10],
            },
        }
    )
    for r in results:
        report["statuses"][str(r["status"])] = report["statuses"].get(str(r["status"]), 0) + 1
    with open(out, "w") as handle:
        json.dump(report, handle, indent=1)
    cheap_report = report["cheap"]
    print(
        "%d top-ups in %.1f s: %s, %d retried after 503; %d cheap requests meanwhile: p50 %.0f ms, p99 %.0f ms, max %.0f ms, %d failed"
        % (
            count,
            report["seconds"],
            report["statuses"],
            report["retried"],
            cheap_report["count"],
            cheap_report["p50"],
            cheap_report["p99"],
            cheap_report["max"],
            len(cheap_failures),
        )
    )


def fire(base, token, admin, prefix, amount, count, refunds):
    """Top-ups and refunds sent together; their answers do not matter (the server dies under them)."""

    def top_up(index):
        try:
            request("POST", base + "/api/v1/billing/top-up", token, top_up_body(amount + index), "%s-%d" % (prefix, index), timeout=20)
        except Exception:  # noqa: BLE001 - the server is killed under these requests
            pass

    def refund(payment):
        try:
            request(
                "POST",
                "%s/api/v1/admin/payments/%s/refunds" % (base, payment),
                admin,
                {"amount": {"amount": refund_amounts[payment], "currency": "RUB"}, "reason": "system test: killed refund"},
                "%s-refund-%s" % (prefix, payment),
                timeout=20,
            )
        except Exception:  # noqa: BLE001 - the server is killed under these requests
            pass

    refund_amounts = {}
    for payment in refunds:
        payment_id, _, kopecks = payment.partition(":")
        refund_amounts[payment_id] = int(kopecks)
    threads = [threading.Thread(target=top_up, args=(i,)) for i in range(count)]
    threads += [threading.Thread(target=refund, args=(p,)) for p in refund_amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def standin_list(standin, shop, secret, kind, since=None):
    """Every payment or refund the stand-in holds, newest first, following its cursors."""
    auth = "Basic " + base64.b64encode(("%s:%s" % (shop, secret)).encode()).decode()
    items, cursor = [], None
    while True:
        query = {"limit": "100"}
        if since:
            query["created_at.gte"] = since
        if cursor:
            query["cursor"] = cursor
        status, _, body = request("GET", "%s/v3/%s?%s" % (standin, kind, urllib.parse.urlencode(query)), headers={"Authorization": auth})
        if status != 200:
            raise SystemExit("the stand-in's %s list answered %s: %s" % (kind, status, body))
        items += body["items"]
        cursor = body.get("next_cursor")
        if not cursor:
            return items


def pay(standin, shop, secret, since):
    """Pays every pending payment created since `since` on the stand-in's page."""
    pending = [p for p in standin_list(standin, shop, secret, "payments", since) if p["status"] == "pending"]

    def one(payment):
        status, _, body = request("POST", "%s/yookassa/checkout/%s" % (standin, payment["id"]), body="action=pay", timeout=30)
        if status != 200 or "succeeded" not in str(body):
            raise SystemExit("the stand-in's page did not take payment %s: %s %s" % (payment["id"], status, body))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, pending))
    print(len(pending))


def sums(standin, shop, secret, since):
    """Prints the kopecks the stand-in took and returned since `since`: `PAID REFUNDED`."""
    paid = sum(kopecks(p["amount"]) for p in standin_list(standin, shop, secret, "payments", since) if p["status"] == "succeeded")
    returned = sum(kopecks(r["amount"]) for r in standin_list(standin, shop, secret, "refunds", since) if r["status"] == "succeeded")
    print(paid, returned)


def query(database, sql):
    """Rows of a query, as lists of strings (None for NULL)."""
    if database.startswith("postgres"):
        output = subprocess.run(
            ["psql", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-P", "null=\\N", "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return [[None if v == "\\N" else v for v in line.split("\t")] for line in output.splitlines()]
    with sqlite3.connect("file:%s?mode=ro" % database, uri=True, timeout=30) as connection:
        return [[None if v is None else str(v) for v in row] for row in connection.execute(sql)]


def kopecks(amount):
    rubles, _, fraction = amount["value"].partition(".")
    return int(rubles) * 100 + int((fraction + "00")[:2])


def check(database, standin, shop, secret):
    """Our books against the stand-in's: one succeeded payment per payment it took, one refund per refund it made."""
    breaches = []
    theirs = standin_list(standin, shop, secret, "payments")
    their_refunds = standin_list(standin, shop, secret, "refunds")
    ours = {
        row[0]: {"provider_id": row[1], "amount": int(row[2]), "status": row[3], "refunded": int(row[4])}
        for row in query(
            database,
            "SELECT id, provider_payment_id, amount, status, refunded_amount FROM payments WHERE method = 'provider' AND provider = 'yookassa'",
        )
    }
    by_provider_id = {}
    for payment_id, payment in ours.items():
        if payment["provider_id"]:
            by_provider_id.setdefault(payment["provider_id"], []).append(payment_id)
    taken = 0
    for their in theirs:
        mine = by_provider_id.get(their["id"], [])
        metadata = (their.get("metadata") or {}).get("payment_id")
        if len(mine) != 1:
            breaches.append("stand-in payment %s (ours %s, %s) is recorded %d times" % (their["id"], metadata, their["status"], len(mine)))
            continue
        payment = ours[mine[0]]
        if mine[0] != metadata:
            breaches.append("stand-in payment %s carries our id %s but is recorded as %s" % (their["id"], metadata, mine[0]))
        if their["status"] == "succeeded":
            taken += 1
            if payment["status"] not in ("succeeded", "partially_refunded", "refunded"):
                breaches.append("payment %s: the provider took it, ours is %s" % (mine[0], payment["status"]))
            if payment["amount"] != kopecks(their["amount"]):
                breaches.append("payment %s: %d kopecks here, %s there" % (mine[0], payment["amount"], their["amount"]["value"]))
            returned = kopecks(their["refunded_amount"]) if their.get("refunded_amount") else 0
            if payment["refunded"] != returned:
                breaches.append("payment %s: %d kopecks refunded here, %d there" % (mine[0], payment["refunded"], returned))
        elif their["status"] == "pending" or payment["status"] not in ("failed", "pending"):
            breaches.append("payment %s: %s there, %s here" % (mine[0], their["status"], payment["status"]))
    pending = [payment_id for payment_id, payment in ours.items() if payment["status"] == "pending"]
    if pending:
        breaches.append("%d payments are still pending: %s" % (len(pending), ", ".join(sorted(pending)[:5])))
    known = {their["id"] for their in theirs}
    for payment_id, payment in ours.items():
        if payment["status"] != "failed" and payment["provider_id"] not in known:
            breaches.append("payment %s (%s) is unknown to the provider" % (payment_id, payment["status"]))
    postings = query(
        database,
        "SELECT t.payment_id, count(*) FROM ledger_transactions t JOIN payments p ON p.id = t.payment_id "
        "WHERE t.kind = 'payment' AND p.method = 'provider' GROUP BY t.payment_id",
    )
    posted = {row[0]: int(row[1]) for row in postings}
    for payment_id, times in posted.items():
        if times != 1:
            breaches.append("payment %s is in the ledger %d times" % (payment_id, times))
    settled = {pid for pid, p in ours.items() if p["status"] in ("succeeded", "partially_refunded", "refunded")}
    if set(posted) != settled:
        breaches.append("ledger payments %d, succeeded payments %d" % (len(posted), len(settled)))
    refunds = query(database, "SELECT id, payment_id, amount, status, provider_refund_id FROM payment_refunds WHERE provider = 'yookassa'")
    their_by_id = {refund["id"]: refund for refund in their_refunds}
    recorded = {}
    for refund_id, payment_id, amount, status, provider_refund_id in refunds:
        if status != "succeeded":
            breaches.append("refund %s of payment %s is %s" % (refund_id, payment_id, status))
            continue
        their = their_by_id.get(provider_refund_id)
        if their is None:
            breaches.append("refund %s is unknown to the provider" % refund_id)
        elif kopecks(their["amount"]) != int(amount) or (their.get("metadata") or {}).get("refund_id") != refund_id:
            breaches.append("refund %s differs from the provider's %s" % (refund_id, provider_refund_id))
        recorded[provider_refund_id] = recorded.get(provider_refund_id, 0) + 1
    for their in their_refunds:
        if their["status"] == "succeeded" and recorded.get(their["id"], 0) != 1:
            breaches.append("the provider's refund %s is recorded %d times" % (their["id"], recorded.get(their["id"], 0)))
    refund_postings = query(
        database,
        "SELECT t.payment_id, count(*) FROM ledger_transactions t JOIN payments p ON p.id = t.payment_id "
        "WHERE t.kind = 'refund' AND p.method = 'provider' GROUP BY t.payment_id",
    )
    refunds_per_payment = {}
    for _, payment_id, _, status, _ in refunds:
        if status == "succeeded":
            refunds_per_payment[payment_id] = refunds_per_payment.get(payment_id, 0) + 1
    if {row[0]: int(row[1]) for row in refund_postings} != refunds_per_payment:
        breaches.append("ledger refunds %s, succeeded refunds %s" % (refund_postings, refunds_per_payment))
    for breach in breaches:
        print("breach: " + breach)
    print(
        "provider: %d payments (%d taken), %d refunds; ours: %d provider payments, %d settled, %d refunds; %d breaches"
        % (len(theirs), taken, len(their_refunds), len(ours), len(settled), len(refunds), len(breaches))
    )
    sys.exit(1 if breaches else 0)


def main(arguments):
    command = arguments[0] if arguments else ""
    if command == "topups" and len(arguments) == 7:
        top_ups(arguments[1], arguments[2], int(arguments[3]), int(arguments[4]), arguments[5], arguments[6])
    elif command == "load" and len(arguments) == 9:
        load(arguments[1], arguments[2], arguments[3], arguments[4], int(arguments[5]), int(arguments[6]), arguments[7], arguments[8])
    elif command == "fire" and len(arguments) >= 7:
        fire(arguments[1], arguments[2], arguments[3], arguments[4], int(arguments[5]), int(arguments[6]), arguments[7:])
    elif command == "pay" and len(arguments) == 5:
        pay(*arguments[1:])
    elif command == "sums" and len(arguments) == 5:
        sums(*arguments[1:])
    elif command == "check" and len(arguments) == 5:
        check(*arguments[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
