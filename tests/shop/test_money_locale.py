"""Money written one way per store locale everywhere (issue 18 part 6): pages, their scripts,
emails, admin and the locale Klarna's widget gets (shop.money.format_money, store_locale)."""

from decimal import Decimal

import pytest

from cart.session_carts import SESSION_CART_HISTORY_KEY
from checkout import admin_shipments
from checkout.models import EmailOutbox, Order
from klarna_emulator.sdk import _format_amount
from payments_klarna.models import KlarnaPayment
from payments_klarna.order_management import format_minor
from shop.money import format_money, script_money_format, store_locale
from tests.checkout_fixtures import PLACE_ORDER


def test_the_store_locale_is_the_languages_in_the_store_country(settings):
    settings.STORE_LOCALE = ""
    settings.LANGUAGE_CODE = "en-us"
    settings.STORE_COUNTRY = "DE"
    assert store_locale() == "en-DE"
    assert format_money(Decimal("1237.2")) == "1.237,20\xa0€"
    settings.STORE_LOCALE = "en-US"
    assert format_money(Decimal("1237.2")) == "€1,237.20"
    assert format_money(Decimal("1237.2"), "JPY") == "¥1,237"


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en-DE", "EUR", {"template": "{n}\xa0€", "decimal": ",", "group": ".", "digits": 2}),
        ("en-US", "EUR", {"template": "€{n}", "decimal": ".", "group": ",", "digits": 2}),
        ("en-AT", "EUR", {"template": "€\xa0{n}", "decimal": ",", "group": ".", "digits": 2}),
        ("en-US", "JPY", {"template": "¥{n}", "decimal": "", "group": ",", "digits": 0}),
        ("fr-FR", "EUR", {"template": "{n}\xa0€", "decimal": ",", "group": "\u202f", "digits": 2}),
    ],
)
def test_scripts_get_the_servers_format(settings, locale, currency, expected):
    settings.STORE_LOCALE = locale
    found = script_money_format(currency)
    assert {key: found[key] for key in expected} == expected
    # What static/js/graphql.js formatMoney does with it writes what format_money writes.
    amount = Decimal("1234567.5") if expected["digits"] else Decimal("1234567")
    integer, _, fraction = f"{amount:.{expected['digits']}f}".partition(".")
    groups = f"{int(integer):,}".replace(",", expected["group"])
    number = f"{groups}{expected['decimal']}{fraction}" if fraction else groups
    assert found["template"].replace("{n}", number) == format_money(amount, currency)


def test_every_page_tells_its_scripts_the_store_locale_and_format(client, db):
    html = client.get("/").content.decode()
    assert 'data-locale="en-DE"' in html
    assert "data-money-format=" in html and "&quot;template&quot;: &quot;{n}\xa0€&quot;" in html


def test_the_same_amount_reads_the_same_on_the_page_in_the_email_in_admin_and_in_klarna(
    gql, client, klarna_cart, django_capture_on_commit_callbacks
):
    cart_id = klarna_cart("pay_later")
    with django_capture_on_commit_callbacks(execute=True):  # the email is rendered by its sender
        number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)
    payment = KlarnaPayment.objects.select_related("session").get(order=order)
    session = client.session
    session[SESSION_CART_HISTORY_KEY] = [cart_id]
    session.save()

    written = format_money(order.grand_total)
    assert written == "44,98\xa0€"  # 2 × 19.99 + 5.00
    page = client.get(f"/checkout/success/{number}/").content.decode()
    assert f'<dd class="totals__grand" data-grand-total>{written}</dd>' in page
    email = EmailOutbox.objects.get(order=order, kind="confirmation")
    assert written in email.text_body and written in email.html_body
    assert format_minor(payment.authorized_amount, "EUR") == written
    assert admin_shipments.money(payment.authorized_amount, "EUR") == written
    # Klarna got the store locale and its widget (the emulator formats by it, with CLDR as
    # Klarna does) writes the amount as the page.
    assert payment.session.locale == "en-DE"
    assert payment.session.payload["locale"] == "en-DE"
    assert _format_amount(payment.authorized_amount, "EUR", payment.session.locale) == written
