"""Drives the T-Bank stand-in with T-Bank's Python SDK (`tbank` from PyPI), as a merchant's code would drive T-Bank.

Usage: tbank_sdk.py BASE_URL TERMINAL_KEY PASSWORD — BASE_URL is the stand-in's (`http://127.0.0.1:PORT`); nothing
leaves loopback.
"""

import http.server
import json
import sys
import threading
import urllib.request
import uuid

from tbank.acquiring.enums import FfdVersion, PaymentMethod, PaymentObject, PaymentStatus, Tax, Taxation
from tbank.acquiring.models import InitRequest, Receipt, ReceiptItem
from tbank.acquiring.sync import AcquiringClient
from tbank.acquiring.webhooks import parse_notification, verify_notification
from tbank.core.errors import TBankAPIError

received = []


class Notifications(http.server.BaseHTTPRequestHandler):
    """The merchant's notification URL: keeps each body and answers OK, as T-Bank requires."""

    def do_POST(self):
        received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


def check(condition, what):
    if not condition:
        raise SystemExit(f"tbank_sdk: {what}")


def receipt(kopecks):
    item = ReceiptItem(
        name="Интернет «Домашний 500»",
        price=kopecks,
        quantity=1,
        amount=kopecks,
        tax=Tax.VAT_22,
        payment_method=PaymentMethod.FULL_PAYMENT,
        payment_object=PaymentObject.SERVICE,
        measurement_unit="шт",
    )
    return Receipt(taxation=Taxation.OSN, email="ivanov@example.ru", ffd_version=FfdVersion.FFD_12, items=[item])


def refused_with(code, call):
    try:
        call()
    except TBankAPIError as error:
        check(error.code == code, f"expected T-Bank's error {code}, got {error.code}: {error}")
        return
    raise SystemExit(f"tbank_sdk: expected T-Bank's error {code}, the call succeeded")


def main():
    base, terminal, password = sys.argv[1], sys.argv[2], sys.argv[3]
    client = AcquiringClient(terminal, password, base_url=f"{base}/v2")
    order = str(uuid.uuid4())
    sink = http.server.HTTPServer(("127.0.0.1", 0), Notifications)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    notify = f"http://127.0.0.1:{sink.server_address[1]}/"

    created = client.init(
        InitRequest(amount=50000, order_id=order, description="Пополнение баланса", receipt=receipt(50000), notification_url=notify)
    )
    check(created.success and created.status == PaymentStatus.NEW, f"Init answered {created}")
    check(created.payment_id and created.payment_url, f"Init gave no PaymentId or PaymentURL: {created}")
    check(client.get_state(created.payment_id).status == PaymentStatus.NEW, "a new payment is not NEW")

    page = urllib.request.urlopen(created.payment_url, timeout=10).read().decode()
    check("Оплатить" in page, "the payment page has no pay button")
    check(client.get_state(created.payment_id).status == PaymentStatus.FORM_SHOWED, "a shown payment is not FORM_SHOWED")
    paid = urllib.request.urlopen(urllib.request.Request(created.payment_url, data=b"action=pay", method="POST"), timeout=10)
    check(paid.status == 200, f"paying on the page answered {paid.status}")
    check(client.get_state(created.payment_id).status == PaymentStatus.CONFIRMED, "the paid payment is not CONFIRMED")
    check(len(received) == 1, f"{len(received)} notifications arrived, not 1")
    check(verify_notification(received[0], password), f"the SDK finds the notification's Token wrong: {received[0]}")
    notification = parse_notification(received[0])
    check(str(notification.payment_id) == created.payment_id and notification.order_id == order, f"the notification: {notification}")
    check(notification.status == PaymentStatus.CONFIRMED and notification.success, f"the notification's status: {notification}")
    forged = dict(received[0], Amount=1)
    check(not verify_notification(forged, password), "the SDK accepts a forged notification")

    refunded = client.cancel(created.payment_id, amount=20000)
    check(refunded.status == PaymentStatus.PARTIAL_REFUNDED, f"a partial refund answered {refunded}")
    check(refunded.original_amount == 50000 and refunded.new_amount == 30000, f"the refund's amounts: {refunded}")

    listed = client.check_order(order)
    check(len(listed.payments) == 1, f"CheckOrder listed {listed.payments}")
    check(listed.payments[0].payment_id == created.payment_id, "CheckOrder listed another payment")
    check(listed.payments[0].status == "PARTIAL_REFUNDED", f"CheckOrder's status: {listed.payments[0].status}")

    mismatched = InitRequest(amount=50000, order_id=str(uuid.uuid4()), description="Пополнение", receipt=receipt(40000))
    refused_with("334", lambda: client.init(mismatched))
    stranger = AcquiringClient(terminal, "not-the-password", base_url=f"{base}/v2")
    refused_with("204", lambda: stranger.get_state(created.payment_id))
    sink.shutdown()
    print("tbank_sdk: Init, GetState, the page, the notification, Cancel, CheckOrder and the refusals match T-Bank's shapes")


main()
