"""``CustomerOrder.invoices``: Klarna's field on checkout's order type, added by the root schema
(``shop.schema``). An invoice is what was billed: for a Klarna order each capture Klarna
confirmed; an order paid otherwise (check / money order) is billed outside the shop and has none."""

import graphene

from checkout.graphql.types import Invoice, InvoiceTotal
from shop.graphql.ids import encode_uid
from shop.graphql.money import money
from shop.money import from_minor_units

from ..order_management import captures_of


def resolve_invoices(order, info):
    return [
        Invoice(
            id=encode_uid(capture.pk),
            number=capture.klarna_capture_id,
            total=InvoiceTotal(
                grand_total=money(from_minor_units(capture.amount, order.currency), order.currency)
            ),
        )
        for capture in captures_of(order)
    ]


def invoices_field() -> graphene.Field:
    return graphene.Field(graphene.List(Invoice, required=True), required=True, resolver=resolve_invoices)
