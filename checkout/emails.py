"""The emails a shopper gets about an order: rendered here, enqueued as ``EmailOutbox`` rows.

Every ``enqueue_*`` function must run inside the transaction of the event it tells of (the
order's write, its cancellation, the record of Klarna's capture or refund): the row commits
with the event or not at all, and is sent after that commit (``email_outbox.send_after_commit``).
One INSERT each, ``ON CONFLICT DO NOTHING`` on (order, kind, event id): enqueuing the same
event again is a no-op, never a second email.

Bodies are rendered once, from ``templates/emails/<kind>.txt`` and ``.html``; amounts in the
order's currency and precision (``shop.views.format_price``). The emails of later events are
rendered at enqueue time (their context — amount, carrier, credit memo — is the event's). The
order confirmation is rendered by its first sender (``render_stored``), after placeOrder's
response, from the order, items and addresses placeOrder holds in memory (handed over with the
row's key; ``send_outbox`` reads them back when that sender is gone). It shows only what
placeOrder wrote, which nothing rewrites afterwards, so rendering it a moment later gives the
same email and takes ~1.5 ms of templates out of the request. Its bodies are saved with the
first attempt's outcome (a retry sends the same email). The shop has one language
(LANGUAGE_CODE), so rendering outside the request changes no wording.
"""

import logging
import uuid
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from shop.money import from_minor_units, quantize
from shop.regions import country_name
from shop.store import pricing_store, use_store
from shop.store_urls import page_language
from shop.views import format_price

from . import email_outbox
from .models import CreditMemo, EmailOutbox, Order, OrderAddress, OrderItem
from .payment_display import payment_shown

logger = logging.getLogger("checkout.emails")

Kind = EmailOutbox.Kind

SUBJECTS = {
    Kind.CONFIRMATION: lambda: gettext("Your order #%(number)s at %(store)s"),
    Kind.CANCELLATION: lambda: gettext("Your order #%(number)s has been cancelled"),
    Kind.SHIPMENT: lambda: gettext("Your order #%(number)s is on its way"),
    Kind.REFUND: lambda: gettext("A refund for your order #%(number)s"),
}


def address_lines(address: OrderAddress | None) -> list[str]:
    """A postal address as the lines of an envelope (name, company, street, town, country)."""
    if address is None:
        return []
    town = " ".join(part for part in (address.postcode, address.city) if part)
    lines = [
        f"{address.firstname} {address.lastname}".strip(),
        address.company,
        *address.street,
        f"{town}, {address.region_label}" if address.region_label else town,
        country_name(address.country_code) or address.country_code,
    ]
    return [line for line in lines if line]


@contextmanager
def in_store_of(order: Order):
    """The order's store and the language of its pages: an email reads as the store's pages do
    (money in the store's locale, its language). No query for the default store."""
    store = pricing_store(order.store_id)
    with use_store(store), translation.override(page_language(store)):
        yield


def _context(order: Order, items=None, addresses=None, **extra) -> dict:
    with in_store_of(order):
        return _context_in_store(order, items, addresses, **extra)


def _context_in_store(order: Order, items=None, addresses=None, **extra) -> dict:
    def money(amount: Decimal) -> str:
        return format_price(amount, order.currency)

    incl = order.prices_include_tax
    addresses = list(order.addresses.all()) if addresses is None else addresses
    by_kind = {address.kind: address for address in addresses}
    items = list(order.items.all()) if items is None else items
    return {
        "order": order,
        "payment": payment_shown(order),
        "store_name": settings.STORE_NAME,
        "site_url": settings.SITE_URL,
        "lines": [
            {
                "name": item.name,
                "sku": item.sku,
                "quantity": item.quantity,
                "total": money(item.total_incl_tax),
            }
            for item in items
        ],
        "subtotal": money(order.subtotal_incl_tax if incl else order.subtotal_excl_tax),
        "discount": money(order.discount_total) if order.discount_total else "",
        "shipping": money(order.shipping_incl_tax if incl else order.shipping_excl_tax),
        "tax": money(order.tax_total),
        "grand_total": money(order.grand_total),
        "shipping_address": address_lines(by_kind.get(OrderAddress.Kind.SHIPPING)),
        "billing_address": address_lines(by_kind.get(OrderAddress.Kind.BILLING)),
        **extra,
    }


def _enqueue(order: Order, kind: str, context: dict | None, event_id: str = "", later=None) -> None:
    """``context`` None: the row is written without bodies, rendered by its first sender (with
    ``later()``'s context when given, else from the stored order)."""
    if not order.email:
        return
    with in_store_of(order):
        subject = SUBJECTS[kind]() % {"number": order.number, "store": settings.STORE_NAME}
    row = EmailOutbox(kind=kind, order=order, event_id=event_id, recipient=order.email, subject=subject)
    if context is not None:
        try:
            row.text_body, row.html_body = _render(kind, context)
        except Exception as error:  # noqa: BLE001 - a template bug must not undo a paid order
            # The event commits; the email is recorded as failed, visible in the admin.
            logger.exception("%s email for order %s could not be rendered", kind, order.number)
            row.text_body = row.html_body = ""
            row.state = EmailOutbox.State.FAILED
            row.last_error = not_rendered(error)
    # One statement; a second enqueue of the same event conflicts on the unique key and is dropped.
    EmailOutbox.objects.bulk_create([row], ignore_conflicts=True)
    if row.state == EmailOutbox.State.PENDING:
        transaction.on_commit(lambda: email_outbox.send_after_commit(order.pk, kind, event_id, later))


def _render(kind: str, context: dict) -> tuple[str, str]:
    with in_store_of(context["order"]):
        return render_to_string(f"emails/{kind}.txt", context), render_to_string(
            f"emails/{kind}.html", context
        )


def not_rendered(error: Exception) -> str:
    return f"Not rendered: {type(error).__name__}: {error}"[:1000]


# The kinds enqueued without bodies: rendered from the stored order by ``render_stored``.
RENDERED_WHEN_SENT = frozenset({Kind.CONFIRMATION})


def enqueue_confirmation(order: Order, items: list[OrderItem], addresses: list[OrderAddress]) -> None:
    """The order confirmation: one INSERT, no rendering; its first sender renders it from the
    rows just written (``render_stored``). Inside ``write_order``'s transaction."""
    _enqueue(order, Kind.CONFIRMATION, None, later=lambda: _context(order, items, addresses))


def render_stored(row: EmailOutbox, context=None) -> tuple[str, str]:
    """The bodies of a row enqueued without them (``RENDERED_WHEN_SENT``): from ``context()``
    (what the enqueuing request wrote, in memory), else from the order as stored (three reads).
    Raises what the templates raise."""
    if row.kind not in RENDERED_WHEN_SENT:
        raise ValueError(f"{row.kind} emails are rendered when enqueued")
    return _render(row.kind, context() if context else _context(Order.objects.get(pk=row.order_id)))


def enqueue_cancellation(order: Order) -> None:
    """The cancellation notice; once per order. Inside the cancellation's transaction."""
    _enqueue(order, Kind.CANCELLATION, _context(order))


def enqueue_shipment(
    order: Order, *, event_id: str, amount: int, carrier: str = "", tracking_number: str = ""
) -> None:
    """A shipment (a payment capture), ``amount`` in minor units, with tracking when given.
    Once per ``event_id`` (the capture operation). Inside the transaction recording it."""
    captured = format_price(from_minor_units(amount, order.currency), order.currency)
    context = _context(order, amount=captured, carrier=carrier, tracking_number=tracking_number)
    _enqueue(order, Kind.SHIPMENT, context, event_id)


def enqueue_shipment_of(order: Order, shipment) -> None:
    """The email for a recorded ``checkout.models.Shipment``: its items, carrier, tracking
    number and tracking link, and what was charged for it (if anything). Once per shipment.
    Inside the transaction recording the shipment."""
    charged = ""
    if shipment.capture_amount:
        charged = format_price(shipment.capture_amount, order.currency)
    context = _context(
        order,
        amount=charged,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url,
        shipment_number=shipment.number,
        shipped_lines=[
            {"name": row.order_item.name, "sku": row.order_item.sku, "quantity": row.quantity}
            for row in shipment.items.select_related("order_item")
        ],
    )
    _enqueue(order, Kind.SHIPMENT, context, str(shipment.operation_id))


def enqueue_refund(order: Order, *, event_id: str, amount: int) -> None:
    """A refund of ``amount`` minor units; once per ``event_id`` (the refund operation, which
    is the credit memo's operation id when the refund is a credit memo: then its lines and
    reason are listed, whoever enqueues first — the payment provider recording the refund or
    ``credit_memos`` recording the memo)."""
    refunded = format_price(from_minor_units(amount, order.currency), order.currency)
    memo = _credit_memo(order, event_id)
    lines, reason = [], ""
    if memo is not None:
        reason = memo.reason
        lines = [
            {
                "name": item.name,
                "quantity": item.quantity,
                "total": format_price(quantize(item.total, order.currency), order.currency),
            }
            for item in memo.items.all()
        ]
    context = _context(order, amount=refunded, refund_lines=lines, reason=reason)
    _enqueue(order, Kind.REFUND, context, event_id)


def _credit_memo(order: Order, event_id: str) -> CreditMemo | None:
    try:
        operation_id = uuid.UUID(event_id)
    except ValueError:
        return None
    return CreditMemo.objects.filter(order=order, operation_id=operation_id).first()
