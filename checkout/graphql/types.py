"""Magento's order types: ``Order`` (placeOrder's deprecated field) and ``CustomerOrder``."""

import graphene

from cart.addresses import country_name
from checkout.credit_memos import refunded_memos
from shop.graphql.addresses import address_value, resolve_address_field
from shop.graphql.ids import encode_uid
from shop.graphql.money import Money, money

from ..customer_orders import shipped_shipments


class Order(graphene.ObjectType):
    order_number = graphene.String(required=True)
    order_id = graphene.String(deprecation_reason="Use `order_number` instead.")

    @staticmethod
    def resolve_order_number(order, info):
        return order.number

    @staticmethod
    def resolve_order_id(order, info):
        return order.number


class TaxItem(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    rate = graphene.Float()
    title = graphene.String(required=True)


class OrderDiscount(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    label = graphene.String(required=True)


class ShippingHandling(graphene.ObjectType):
    amount_excluding_tax = graphene.Field(Money)
    amount_including_tax = graphene.Field(Money)
    total_amount = graphene.Field(Money, required=True)


class OrderTotal(graphene.ObjectType):
    grand_total = graphene.Field(Money, required=True)
    grand_total_excl_tax = graphene.Field(Money)
    subtotal = graphene.Field(Money, required=True)
    subtotal_excl_tax = graphene.Field(Money)
    subtotal_incl_tax = graphene.Field(Money)
    total_shipping = graphene.Field(Money, required=True)
    total_tax = graphene.Field(Money, required=True)
    discounts = graphene.List(OrderDiscount)
    taxes = graphene.List(TaxItem)
    shipping_handling = graphene.Field(ShippingHandling)

    @staticmethod
    def resolve_grand_total(order, info):
        return money(order.grand_total, order.currency)

    @staticmethod
    def resolve_grand_total_excl_tax(order, info):
        return money(order.grand_total_excl_tax, order.currency)

    @staticmethod
    def resolve_subtotal(order, info):
        subtotal = order.subtotal_incl_tax if order.prices_include_tax else order.subtotal_excl_tax
        return money(subtotal, order.currency)

    @staticmethod
    def resolve_subtotal_excl_tax(order, info):
        return money(order.subtotal_excl_tax, order.currency)

    @staticmethod
    def resolve_subtotal_incl_tax(order, info):
        return money(order.subtotal_incl_tax, order.currency)

    @staticmethod
    def resolve_total_shipping(order, info):
        return money(
            order.shipping_incl_tax if order.prices_include_tax else order.shipping_excl_tax, order.currency
        )

    @staticmethod
    def resolve_total_tax(order, info):
        return money(order.tax_total, order.currency)

    @staticmethod
    def resolve_discounts(order, info):
        if not order.discount_total:
            return []
        return [OrderDiscount(amount=money(order.discount_total, order.currency), label=order.discount_label)]

    @staticmethod
    def resolve_taxes(order, info):
        from decimal import Decimal

        return [
            TaxItem(amount=money(Decimal(tax["amount"]), order.currency), title=tax["title"], rate=None)
            for tax in order.applied_taxes
        ]

    @staticmethod
    def resolve_shipping_handling(order, info):
        return ShippingHandling(
            amount_excluding_tax=money(order.shipping_excl_tax, order.currency),
            amount_including_tax=money(order.shipping_incl_tax, order.currency),
            total_amount=money(
                order.shipping_incl_tax if order.prices_include_tax else order.shipping_excl_tax,
                order.currency,
            ),
        )


class OrderItemOption(graphene.ObjectType):
    label = graphene.String(required=True)
    value = graphene.String(required=True)


class OrderItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    product_name = graphene.String()
    product_sku = graphene.String(required=True)
    product_url_key = graphene.String()
    quantity_ordered = graphene.Float()
    product_sale_price = graphene.Field(Money, required=True)
    selected_options = graphene.List(OrderItemOption, required=True)
    status = graphene.String()

    # root: (Order, OrderItem)
    @staticmethod
    def resolve_id(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_product_name(root, info):
        return root[1].name

    @staticmethod
    def resolve_product_sku(root, info):
        return root[1].sku

    @staticmethod
    def resolve_product_url_key(root, info):
        # The product as it is now (Magento reads it the same way); None once it is deleted.
        # checkout.customer_orders loads it with the items.
        item = root[1]
        if not item.product_id:
            return None
        # A variant has no page of its own: its configurable product's url key (Magento's).
        product = item.product.parent if item.product.parent_id else item.product
        return product.url_key

    @staticmethod
    def resolve_quantity_ordered(root, info):
        return float(root[1].quantity)

    @staticmethod
    def resolve_product_sale_price(root, info):
        order, item = root
        price = item.price_incl_tax if order.prices_include_tax else item.price_excl_tax
        return money(price, order.currency)

    @staticmethod
    def resolve_selected_options(root, info):
        # A configurable product's variant: the values it was bought in ("Color": "Blue"); a
        # simple product has none (Magento answers [] for them too).
        item = root[1]
        if not item.product_id or not item.product.parent_id:
            return []
        return [
            OrderItemOption(label=chosen.attribute.label, value=chosen.value.label)
            for chosen in item.product.variant_values.all()
        ]

    @staticmethod
    def resolve_status(root, info):
        return root[0].get_status_display()


class OrderAddress(graphene.ObjectType):
    class Meta:
        default_resolver = resolve_address_field  # the one address table

    firstname = graphene.String(required=True)
    lastname = graphene.String(required=True)
    company = graphene.String()
    street = graphene.List(graphene.String, required=True)
    city = graphene.String(required=True)
    region = graphene.String()
    region_id = graphene.ID()
    postcode = graphene.String()
    country_code = graphene.String()
    telephone = graphene.String()

    @staticmethod
    def resolve_region(address, info):
        return address_value(address, "region_label")


class KeyValue(graphene.ObjectType):
    name = graphene.String()
    value = graphene.String()


class OrderPaymentMethod(graphene.ObjectType):
    name = graphene.String(required=True)
    type = graphene.String(required=True)
    # Magento's OrderPayments answers an empty list for every method; so do we.
    additional_data = graphene.List(KeyValue, default_value=())


class ShipmentTracking(graphene.ObjectType):
    carrier = graphene.String(required=True)
    number = graphene.String()
    title = graphene.String(required=True)


class SalesCommentItem(graphene.ObjectType):
    timestamp = graphene.String(required=True)
    message = graphene.String(required=True)


class ShipmentItem(graphene.ObjectType):
    """Magento's ``ShipmentItem`` (of ``ShipmentItemInterface``). Root: (Order, ShipmentItem row)."""

    id = graphene.ID(required=True)
    order_item = graphene.Field(OrderItem)
    product_name = graphene.String()
    product_sale_price = graphene.Field(Money, required=True)
    product_sku = graphene.String(required=True)
    quantity_shipped = graphene.Float(required=True)

    @staticmethod
    def resolve_id(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_order_item(root, info):
        return (root[0], root[1].order_item)

    @staticmethod
    def resolve_product_name(root, info):
        return root[1].order_item.name

    @staticmethod
    def resolve_product_sku(root, info):
        return root[1].order_item.sku

    @staticmethod
    def resolve_product_sale_price(root, info):
        return OrderItem.resolve_product_sale_price((root[0], root[1].order_item), info)

    @staticmethod
    def resolve_quantity_shipped(root, info):
        return float(root[1].quantity)


class OrderShipment(graphene.ObjectType):
    """A shipment of the order (``checkout.models.Shipment``, shipped ones only). Root:
    (Order, Shipment)."""

    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    tracking = graphene.List(ShipmentTracking)
    items = graphene.List(ShipmentItem)
    comments = graphene.List(SalesCommentItem)

    @staticmethod
    def resolve_id(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_number(root, info):
        return root[1].number

    @staticmethod
    def resolve_tracking(root, info):
        shipment = root[1]
        # Staff type the carrier's name: it is Magento's custom carrier's code and title both.
        return [
            ShipmentTracking(
                carrier=shipment.carrier, number=shipment.tracking_number, title=shipment.carrier
            )
        ]

    @staticmethod
    def resolve_items(root, info):
        order, shipment = root
        return [(order, row) for row in shipment.items.all()]

    @staticmethod
    def resolve_comments(root, info):
        # Staff add no comments to shipments in this shop (Magento answers [] without any).
        return []


class Invoice(graphene.ObjectType):
    """An amount billed on the order (Magento's ``Invoice``); the payment app that bills adds
    ``CustomerOrder.invoices`` (Klarna: one invoice per capture)."""

    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    total = graphene.Field("checkout.graphql.types.InvoiceTotal")


class InvoiceTotal(graphene.ObjectType):
    grand_total = graphene.Field(Money, required=True)


class SalesCommentItem(graphene.ObjectType):
    timestamp = graphene.String(required=True)
    message = graphene.String(required=True)


class CreditMemoItem(graphene.ObjectType):
    """A refunded order item (Magento's ``CreditMemoItemInterface``). Root: (Order, CreditMemoItem)."""

    id = graphene.ID(required=True)
    order_item = graphene.Field(OrderItem)
    product_name = graphene.String()
    product_sku = graphene.String(required=True)
    product_sale_price = graphene.Field(Money, required=True)
    discounts = graphene.List(OrderDiscount)
    quantity_refunded = graphene.Float()

    @staticmethod
    def resolve_id(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_order_item(root, info):
        order, item = root
        return (order, item.order_item) if item.order_item_id else None

    @staticmethod
    def resolve_product_name(root, info):
        return root[1].name

    @staticmethod
    def resolve_product_sku(root, info):
        return root[1].sku

    @staticmethod
    def resolve_product_sale_price(root, info):
        order, item = root
        return money(item.unit_price, order.currency)

    @staticmethod
    def resolve_discounts(root, info):
        order, item = root
        if not item.discount:
            return []
        return [OrderDiscount(amount=money(item.discount, order.currency), label=order.discount_label)]

    @staticmethod
    def resolve_quantity_refunded(root, info):
        return float(root[1].quantity)


class CreditMemoTotal(graphene.ObjectType):
    """Root: a ``checkout.models.CreditMemo``; amounts tax included, in the order's currency."""

    subtotal = graphene.Field(Money, required=True)
    discounts = graphene.List(OrderDiscount)
    total_tax = graphene.Field(Money, required=True)
    grand_total = graphene.Field(Money, required=True)
    base_grand_total = graphene.Field(Money, required=True)
    total_shipping = graphene.Field(Money, required=True)
    shipping_handling = graphene.Field(ShippingHandling)
    adjustment = graphene.Field(Money, required=True)

    @staticmethod
    def resolve_subtotal(memo, info):
        return money(memo.subtotal, memo.currency)

    @staticmethod
    def resolve_discounts(memo, info):
        return []  # line discounts are on the items; the memo's subtotal is after them

    @staticmethod
    def resolve_total_tax(memo, info):
        return money(memo.tax_total, memo.currency)

    @staticmethod
    def resolve_grand_total(memo, info):
        return money(memo.grand_total, memo.currency)

    resolve_base_grand_total = resolve_grand_total

    @staticmethod
    def resolve_total_shipping(memo, info):
        return money(memo.shipping, memo.currency)

    @staticmethod
    def resolve_shipping_handling(memo, info):
        shipping_tax = sum((i.tax_amount for i in memo.items.all() if i.is_shipping), start=memo.shipping * 0)
        return ShippingHandling(
            amount_excluding_tax=money(memo.shipping - shipping_tax, memo.currency),
            amount_including_tax=money(memo.shipping, memo.currency),
            total_amount=money(memo.shipping, memo.currency),
        )

    @staticmethod
    def resolve_adjustment(memo, info):
        return money(memo.adjustment, memo.currency)


class CreditMemo(graphene.ObjectType):
    """A refund of the order (Magento's ``CreditMemo``): only memos that gave money back."""

    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    items = graphene.List(CreditMemoItem)
    comments = graphene.List(SalesCommentItem)
    total = graphene.Field(CreditMemoTotal)

    @staticmethod
    def resolve_id(memo, info):
        return encode_uid(memo.pk)

    @staticmethod
    def resolve_items(memo, info):
        # Shipping is a total (total_shipping), not an item, as in Magento.
        return [(memo.order, item) for item in memo.items.all() if not item.is_shipping]

    @staticmethod
    def resolve_comments(memo, info):
        return [
            SalesCommentItem(timestamp=memo.created_at.strftime("%Y-%m-%d %H:%M:%S"), message=memo.reason)
        ]

    @staticmethod
    def resolve_total(memo, info):
        return memo


class CustomerOrder(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    token = graphene.String(required=True)
    status = graphene.String(required=True)
    state = graphene.String()
    email = graphene.String()
    order_date = graphene.String(required=True)
    total = graphene.Field(OrderTotal)
    items = graphene.List(OrderItem)
    shipping_address = graphene.Field(OrderAddress)
    billing_address = graphene.Field(OrderAddress)
    shipping_method = graphene.String()
    payment_methods = graphene.List(OrderPaymentMethod)
    shipments = graphene.List(OrderShipment)
    credit_memos = graphene.List(CreditMemo)
    carrier = graphene.String()
    gift_message = graphene.Field("cart.graphql.gift_options.GiftMessage")
    gift_receipt_included = graphene.Boolean(required=True)
    printed_card_included = graphene.Boolean(required=True)

    @staticmethod
    def resolve_gift_message(order, info):
        from cart.services import gift_message_of

        return gift_message_of(order)

    @staticmethod
    def resolve_id(order, info):
        return encode_uid(order.pk)

    @staticmethod
    def resolve_order_date(order, info):
        return order.created_at.strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def resolve_total(order, info):
        return order

    @staticmethod
    def resolve_items(order, info):
        return [(order, item) for item in order.items.all()]

    @staticmethod
    def _address(order, kind):
        return next((a for a in order.addresses.all() if a.kind == kind), None)

    @staticmethod
    def resolve_shipping_address(order, info):
        return CustomerOrder._address(order, "shipping")

    @staticmethod
    def resolve_billing_address(order, info):
        return CustomerOrder._address(order, "billing")

    @staticmethod
    def resolve_shipping_method(order, info):
        return order.shipping_title

    @staticmethod
    def resolve_carrier(order, info):
        return order.shipping_title.split(" - ")[0] if order.shipping_title else None

    @staticmethod
    def resolve_shipments(order, info):
        return [(order, shipment) for shipment in shipped_shipments(order)]

    @staticmethod
    def resolve_credit_memos(order, info):
        return refunded_memos(order)

    @staticmethod
    def resolve_payment_methods(order, info):
        return [OrderPaymentMethod(name=order.payment_method_title, type=order.payment_method_code)]


__all__ = ["CreditMemo", "CustomerOrder", "Invoice", "InvoiceTotal", "Order", "country_name"]
