"""Drives the YooKassa stand-in with YooKassa's own Python SDK (`yookassa` from PyPI), holding the stand-in to the
shapes the real API answers: a payment with a receipt is created, read, paid on the hosted page, seen succeeded and
refunded with a receipt; two-stage payments are captured and cancelled; a saved card is charged; SBP is paid by its QR
link; the payments are listed page by page. Usage: yookassa_sdk.py BASE_URL SHOP_ID SECRET_KEY"""

import sys
import uuid
from datetime import datetime, timedelta, timezone

import requests
from yookassa import Configuration, Payment, Refund
from yookassa.domain.exceptions import BadRequestError


def receipt(value):
    return {
        "customer": {"email": "ivanov@example.ru"},
        "items": [
            {
                "description": "Интернет 100 Мбит/с, декабрь",
                "quantity": "1.00",
                "amount": {"value": value, "currency": "RUB"},
                "vat_code": 11,
                "payment_mode": "full_payment",
                "payment_subject": "service",
            }
        ],
    }


def main():
    base_url, shop_id, secret_key = sys.argv[1:4]
    Configuration.configure(shop_id, secret_key, api_url=base_url + "/v3")
    started = datetime.now(timezone.utc) - timedelta(minutes=1)

    key = str(uuid.uuid4())
    request = {
        "amount": {"value": "1490.00", "currency": "RUB"},
        "confirmation": {"type": "redirect", "return_url": "https://isp.example/return"},
        "capture": True,
        "description": "Договор 123, декабрь",
        "metadata": {"payment_id": "ours-1"},
        "receipt": receipt("1490.00"),
    }
    payment = Payment.create(request, key)
    assert payment.status == "pending", payment.status
    assert payment.confirmation.type == "redirect"
    assert Payment.create(request, key).id == payment.id, "the same key made a second payment"
    print("sdk: created", payment.id)

    try:
        Payment.create({**request, "receipt": receipt("1489.99")}, str(uuid.uuid4()))
        raise AssertionError("a receipt that does not add up was accepted")
    except BadRequestError as error:
        assert error.content["code"] == "invalid_request", error.content
        print("sdk: a receipt that does not add up is refused:", error.content.get("parameter"))

    found = Payment.find_one(payment.id)
    assert found.id == payment.id and found.status == "pending" and found.amount.value == 1490
    assert found.metadata["payment_id"] == "ours-1"

    page = requests.post(payment.confirmation.confirmation_url, data={"action": "pay"}, timeout=10)
    assert page.status_code == 200, page.status_code
    paid = Payment.find_one(payment.id)
    assert paid.status == "succeeded" and paid.paid, paid.status
    print("sdk: paid on the page:", paid.status)

    refund = Refund.create({"payment_id": payment.id, "amount": {"value": "490.00", "currency": "RUB"}, "receipt": receipt("490.00")},
                           str(uuid.uuid4()))
    assert refund.status == "succeeded" and refund.payment_id == payment.id, refund.status
    assert Refund.find_one(refund.id).amount.value == 490
    refunded = Payment.find_one(payment.id)
    assert refunded.refunded_amount.value == 490, refunded.refunded_amount.value
    print("sdk: refunded", refund.id)

    # Two stages: authorised on the page, then captured; another authorised one cancelled.
    two_stage = {**request, "capture": False, "receipt": receipt("1490.00")}
    held = Payment.create(two_stage, str(uuid.uuid4()))
    requests.post(held.confirmation.confirmation_url, data={"action": "pay"}, timeout=10)
    assert Payment.find_one(held.id).status == "waiting_for_capture"
    captured = Payment.capture(held.id, {"amount": {"value": "1490.00", "currency": "RUB"}}, str(uuid.uuid4()))
    assert captured.status == "succeeded", captured.status
    dropped = Payment.create(two_stage, str(uuid.uuid4()))
    requests.post(dropped.confirmation.confirmation_url, data={"action": "pay"}, timeout=10)
    cancelled = Payment.cancel(dropped.id, str(uuid.uuid4()))
    assert cancelled.status == "canceled" and cancelled.cancellation_details.reason == "canceled_by_merchant"
    print("sdk: captured and cancelled two-stage payments")

    # A card saved on a first payment is charged without the customer.
    first = Payment.create({**request, "save_payment_method": True, "payment_method_data": {"type": "bank_card"}}, str(uuid.uuid4()))
    requests.post(first.confirmation.confirmation_url, data={"action": "pay"}, timeout=10)
    method = Payment.find_one(first.id).payment_method
    assert method.saved and method.card.last4 == "4444", method
    again = Payment.create({"amount": {"value": "1490.00", "currency": "RUB"}, "capture": True, "payment_method_id": method.id,
                            "description": "Автоплатёж", "receipt": receipt("1490.00")}, str(uuid.uuid4()))
    assert again.status == "succeeded", again.status
    print("sdk: charged a saved card")

    # SBP confirmed by a QR code.
    sbp = Payment.create({"amount": {"value": "100.00", "currency": "RUB"}, "capture": True, "payment_method_data": {"type": "sbp"},
                          "confirmation": {"type": "qr"}, "receipt": receipt("100.00")}, str(uuid.uuid4()))
    assert sbp.confirmation.type == "qr" and sbp.confirmation.confirmation_data, sbp.confirmation
    requests.post(sbp.confirmation.confirmation_data, data={"action": "pay"}, timeout=10)
    assert Payment.find_one(sbp.id).status == "succeeded"
    print("sdk: paid by SBP")

    made = [payment.id, held.id, dropped.id, first.id, again.id, sbp.id]
    listed = Payment.list({"limit": 2, "created_at.gte": started.isoformat()})
    seen = [item.id for item in listed.items]
    while listed.next_cursor:
        listed = Payment.list({"limit": 2, "created_at.gte": started.isoformat(), "cursor": listed.next_cursor})
        seen += [item.id for item in listed.items]
    assert seen == list(reversed(made)), seen
    refunds = Refund.list({"payment_id": payment.id})
    assert [item.id for item in refunds.items] == [refund.id]
    print("sdk: listed")


if __name__ == "__main__":
    main()
