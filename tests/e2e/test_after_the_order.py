"""After the order, in real browsers (issue 16): a signed-in shopper pays two lines with Klarna
(the emulator's widget); staff in the Django admin ship part of it (one line, one unit, carrier
and tracking) after confirming the exact amount captured, then refund that line as a credit memo
after confirming its amount; the shopper's My orders shows the shipment with its tracking link
and the refund; the SMTP server received the confirmation, shipment and refund emails once
each; Klarna (the emulator) holds exactly one capture of those lines and one refund."""

import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from cart.addresses import validate_address
from checkout.models import CreditMemo, EmailOutbox, Order, Shipment
from klarna_emulator.models import EmulatorCapture, EmulatorRefund
from payments_klarna.models import KlarnaPayment
from shop import customers
from shop.money import format_money

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT
TEE = "demo-tee-01"  # configurable: Red / M is DEMO-TEE-01-RED-M at 24.90 EUR
PASSWORD = "Correct-Horse-42"
TRACKING = "00340434161094012345"
TRACKING_URL = f"https://tracking.example.com/track?n={TRACKING}"


@pytest.fixture
def eva(demo_store):
    user = customers.create_customer(
        email="eva.shopper@example.com", firstname="Eva", lastname="Kundin", password=PASSWORD
    )
    address = validate_address(
        {
            "firstname": "Eva",
            "lastname": "Kundin",
            "street": ["Hauptstraße 5"],
            "city": "Berlin",
            "postcode": "10115",
            "country_code": "DE",
            "telephone": "+49 30 7654321",
        }
    )
    customers.save_address(user, address)
    return user


@pytest.fixture
def staff_page(chromium, live_server):
    User.objects.create_superuser("staff", "staff@example.com", PASSWORD)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    yield page
    context.close()
    blocked = [line for line in console if "Content Security Policy" in line]
    assert blocked == [], "Content-Security-Policy violations in the admin:\n" + "\n".join(blocked)


def wait_for_mail(smtp_server, count: int, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return smtp_server.messages


def place_two_line_order_with_klarna(shop) -> Order:
    page = shop.page
    page.goto(shop.url("/account/sign-in/"))
    page.fill("#id_email", "eva.shopper@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-account-link]")
    shop.add_to_cart(BOOK, quantity=2)
    page.goto(shop.url(f"/products/{TEE}/"))
    page.select_option("#option-color", label="Red")
    page.select_option("#option-size", label="M")
    page.click("button:has-text('Add to cart')")
    page.wait_for_selector("#messages .message--success")
    page.goto(shop.url("/checkout/"))
    page.wait_for_selector("[data-summary-lines] li")
    page.click("[data-save-address]")
    shop.wait_until_ready()
    selected = page.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    assert selected.startswith("klarna_")
    page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()
    return Order.objects.get(number=number)


def test_staff_ship_part_refund_one_line_and_the_shopper_sees_both(shop, eva, staff_page, smtp_server):
    order = place_two_line_order_with_klarna(shop)
    assert order.customer == eva and order.status == Order.Status.PROCESSING
    book, tee = order.items.order_by("sku")
    assert (book.sku, book.quantity, tee.sku, tee.quantity) == ("DEMO-BOOK-02", 2, "DEMO-TEE-01-RED-M", 1)
    payment = KlarnaPayment.objects.get(order=order)
    authorized = payment.authorized_amount
    assert authorized == 9390  # 2 × 32.00 + 24.90 + 5.00 shipping

    # --- staff ship one of the two books (the tee stays back) ----------------------------------
    admin = staff_page
    change_url = shop.url(f"/admin/checkout/order/{order.pk}/change/")
    admin.goto(change_url)
    admin.click("#order-action-ship")
    admin.wait_for_selector("#order-ship-form")
    admin.fill(f"#id_qty_{book.pk}", "1")
    admin.fill(f"#id_qty_{tee.pk}", "0")
    admin.fill("#id_carrier", "DHL")
    admin.fill("#id_tracking_number", TRACKING)
    admin.fill("#id_tracking_url", TRACKING_URL)
    shop.shot("admin-ship-form", page=admin)
    admin.click("input[name=review]")
    admin.wait_for_selector("#order-ship-confirm-form")
    shop.shot("admin-ship-confirm", page=admin)
    capture_text = format_money(Decimal("37.00"), "EUR")  # one book + the shipping fee
    assert admin.inner_text("[data-review=amount]") == capture_text
    assert admin.inner_text("[data-review=currency]") == "EUR"
    items = admin.inner_text("#ship-review-items tbody")
    assert "DEMO-BOOK-02\t1" in items and "DEMO-TEE" not in items
    confirm = admin.locator("#order-ship-confirm-form input[name=confirm]")
    assert confirm.get_attribute("value") == f"Confirm: ship and capture {capture_text}"
    assert Shipment.objects.count() == 0 and EmulatorCapture.objects.count() == 0  # nothing moved yet
    confirm.click()
    admin.wait_for_selector("#order-shipment-list")
    shop.shot("admin-order-shipped", page=admin)
    assert f"Shipment {order.number}-1 recorded." in admin.inner_text(".messagelist")

    # --- staff refund that one line as a credit memo ------------------------------------------
    admin.click("#credit-memo-new")
    admin.wait_for_selector("#credit-memo-form")
    admin.fill(f"#id_qty_{book.pk}", "1")
    admin.fill("#id_reason", "Damaged in transit")
    shop.shot("admin-credit-memo-form", page=admin)
    admin.click("input[name=review]")
    admin.wait_for_selector("#credit-memo-confirm")
    refund_text = format_money(Decimal("32.00"), "EUR")
    assert admin.inner_text("[data-review=amount]") == refund_text
    assert admin.inner_text("[data-review=currency]") == "EUR"
    assert admin.inner_text("#memo-review-lines tbody").split("\t")[:2] == [book.name, "1"]
    shop.shot("admin-credit-memo-confirm", page=admin)
    assert EmulatorRefund.objects.count() == 0  # nothing moved yet
    admin.click("#credit-memo-confirm input[name=confirm]")
    admin.wait_for_url(change_url)
    memo = CreditMemo.objects.get(order=order)
    assert f"Credit memo {memo.number}: {refund_text} refunded." in admin.inner_text(".messagelist")
    shop.shot("admin-order-refunded", page=admin)
    # The order page reads as an order: the variant's options and image, what shipped and was
    # refunded per line, the totals in currency precision, the Klarna panel before the timeline.
    tee_row = admin.locator(f"[data-item='{tee.sku}']")
    assert "Color: Red" in tee_row.inner_text() and "Size: M" in tee_row.inner_text()
    assert tee_row.locator("img").get_attribute("src").endswith("/tshirt-red.svg")
    book_row = admin.locator(f"[data-item='{book.sku}']")
    assert (
        book_row.locator("[data-shipped]").inner_text(),
        book_row.locator("[data-refunded]").inner_text(),
    ) == (
        "1",
        "1",
    )
    assert admin.inner_text("[data-total=grand-total]") == format_money(Decimal("93.90"), "EUR")
    assert admin.inner_text("[data-total=refunded]") == format_money(Decimal("-32.00"), "EUR")
    boxes = [
        admin.locator(s).bounding_box()["y"] for s in ("#order-summary", "#klarna-panel", "#order-history")
    ]
    assert boxes == sorted(boxes)

    # --- Klarna holds exactly one capture of those lines, and one refund ----------------------
    [capture] = EmulatorCapture.objects.filter(order__order_id=payment.klarna_order_id)
    lines = capture.data["order_lines"]
    assert [(line["type"], line["reference"], line["quantity"]) for line in lines] == [
        ("physical", "DEMO-BOOK-02", 1),
        ("shipping_fee", "flatrate_flatrate", 1),
    ]
    assert capture.captured_amount == sum(line["total_amount"] for line in lines) == 3700
    assert capture.data["shipping_info"] == [
        {"shipping_company": "DHL", "tracking_number": TRACKING, "tracking_uri": TRACKING_URL}
    ]
    [refund] = EmulatorRefund.objects.filter(order__order_id=payment.klarna_order_id)
    assert refund.refunded_amount == 3200
    assert [(line["reference"], line["quantity"]) for line in refund.data["order_lines"]] == [
        ("DEMO-BOOK-02", 1)
    ]
    payment.refresh_from_db()
    assert (payment.captured_amount, payment.refunded_amount) == (3700, 3200)
    assert payment.remaining_authorized_amount == authorized - 3700  # the rest stays authorized
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_SHIPPED  # one book and the tee are left to ship

    # --- the shopper's My orders --------------------------------------------------------------
    page = shop.page
    page.goto(shop.url("/account/orders/"))
    page.wait_for_selector(f"[data-order='{order.number}']")
    page.click(f"a:has-text('#{order.number}')")
    page.wait_for_selector("[data-order-status]")
    assert page.inner_text("[data-order-status]") == "Partially shipped"
    shop.shot("my-order-shipped-and-refunded")
    shipment = page.locator(f"[data-shipment='{order.number}-1']")
    assert "DHL" in shipment.inner_text() and "1 × " in shipment.inner_text()
    assert shipment.locator("a[data-tracking]").get_attribute("href") == TRACKING_URL
    assert shipment.locator("a[data-tracking]").inner_text() == TRACKING
    refund_row = page.locator(f"[data-refund='{memo.number}']")
    assert refund_row.locator("[data-refund-total]").inner_text() == refund_text
    assert "Damaged in transit" in refund_row.inner_text()

    # --- the emails: confirmation, shipment (with its tracking link) and refund, once each -----
    messages = wait_for_mail(smtp_server, 3)
    time.sleep(0.5)  # nothing more arrives late
    messages = smtp_server.messages
    subjects = [message["Subject"] for _, message in messages]
    assert len(messages) == 3, subjects
    assert all(to == ["eva.shopper@example.com"] for to, _ in messages)
    by_subject = {message["Subject"]: message for _, message in messages}
    shipment_mail = by_subject[f"Your order #{order.number} is on its way"]
    text = shipment_mail.get_body(("plain",)).get_content()
    html = shipment_mail.get_body(("html",)).get_content()
    assert f"Tracking number: {TRACKING}" in text and TRACKING_URL in text
    assert f'href="{TRACKING_URL}"' in html
    refund_mail = by_subject[f"A refund for your order #{order.number}"]
    assert f"We have refunded {refund_text}" in refund_mail.get_body(("plain",)).get_content()
    assert sum(1 for s in subjects if "is on its way" in s) == 1
    assert sum(1 for s in subjects if "A refund" in s) == 1
    outbox = EmailOutbox.objects.filter(order=order)
    assert sorted(outbox.values_list("kind", "state")) == [
        ("confirmation", "sent"),
        ("refund", "sent"),
        ("shipment", "sent"),
    ]
