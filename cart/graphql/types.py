"""Magento's Cart types. Every field reads the request's ``CartView`` (info + totals computed
once), so the number of SQL queries does not depend on the number of lines."""

import graphene

from cart.models import CartAddress
from cart.payment_methods import method_title
from shop.configurable import option_uid, selected_options, value_uid
from shop.error_messages import message
from shop.graphql.addresses import address_value, resolve_address_field
from shop.graphql.ids import encode_uid
from shop.graphql.money import Money, money
from shop.graphql.types import ProductInterface, SearchResultPageInfo, SortEnum


class CartDiscountType(graphene.Enum):
    ITEM = "ITEM"
    SHIPPING = "SHIPPING"


class AppliedCoupon(graphene.ObjectType):
    code = graphene.String(required=True)


class Discount(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    applied_to = graphene.Field(CartDiscountType, required=True)
    label = graphene.String(required=True)
    coupon = graphene.Field(AppliedCoupon)
    is_discounting_locked = graphene.Boolean()
    type = graphene.String()
    value = graphene.Float()


def _discount(view, amount):
    coupon = view.totals.coupon
    return Discount(
        amount=money(amount, view.currency),
        applied_to=CartDiscountType.ITEM,
        label=view.totals.discount_label,
        coupon=AppliedCoupon(code=coupon.code) if coupon else None,
        is_discounting_locked=False,
        type="PERCENT" if coupon and coupon.discount_type == "percent" else "FIXED",
        value=float(coupon.value) if coupon else None,
    )


class CartItemPrices(graphene.ObjectType):
    price = graphene.Field(Money, required=True)
    price_including_tax = graphene.Field(Money, required=True)
    row_total = graphene.Field(Money, required=True)
    row_total_including_tax = graphene.Field(Money, required=True)
    total_item_discount = graphene.Field(Money)
    discounts = graphene.List(Discount)
    original_item_price = graphene.Field(Money, required=True)
    original_row_total = graphene.Field(Money, required=True)

    # root: (CartView, LineTotals)
    @staticmethod
    def resolve_price(root, info):
        view, line = root
        return money(line.price_excl_tax, view.currency)

    @staticmethod
    def resolve_price_including_tax(root, info):
        view, line = root
        return money(line.price_incl_tax, view.currency)

    @staticmethod
    def resolve_row_total(root, info):
        view, line = root
        return money(line.row_total_excl_tax, view.currency)

    @staticmethod
    def resolve_row_total_including_tax(root, info):
        view, line = root
        return money(line.row_total_incl_tax, view.currency)

    @staticmethod
    def resolve_total_item_discount(root, info):
        view, line = root
        return money(line.discount, view.currency)

    @staticmethod
    def resolve_discounts(root, info):
        view, line = root
        return [_discount(view, line.discount)] if line.discount else []

    @staticmethod
    def resolve_original_item_price(root, info):
        view, line = root
        return money(line.catalog_price, view.currency)

    @staticmethod
    def resolve_original_row_total(root, info):
        view, line = root
        return money(line.row_total, view.currency)


class CartItemError(graphene.ObjectType):
    code = graphene.String(required=True)
    message = graphene.String(required=True)


class CartItemInterface(graphene.Interface):
    uid = graphene.ID(required=True)
    id = graphene.String(required=True, deprecation_reason="Use `uid` instead.")
    quantity = graphene.Float(required=True)
    product = graphene.Field(ProductInterface, required=True)
    prices = graphene.Field(CartItemPrices)
    is_available = graphene.Boolean(required=True)
    errors = graphene.List(CartItemError)
    not_available_message = graphene.String()
    max_qty = graphene.Float()
    min_qty = graphene.Float()

    # root: (CartView, CartItem)
    @staticmethod
    def resolve_uid(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_id(root, info):
        return str(root[1].pk)

    @staticmethod
    def resolve_quantity(root, info):
        return float(root[1].quantity)

    @staticmethod
    def resolve_product(root, info):
        # A configurable product's line shows the product the shopper chose (Magento): the
        # parent; the variant it bought is ``ConfigurableCartItem.configured_variant``.
        view, item = root
        if item.product.parent_id is None:
            return item.product
        view.load_variants()
        return item.product.parent

    @staticmethod
    def resolve_prices(root, info):
        view, item = root
        return (view, view.totals.line(item.pk))

    @staticmethod
    def _available(item):
        return item.product.is_active and item.quantity <= item.product.stock_qty

    @staticmethod
    def resolve_is_available(root, info):
        return CartItemInterface._available(root[1])

    @staticmethod
    def _unavailable_message(item):
        """Why the line cannot be bought as it is: none in stock, or not that many."""
        if not item.product.is_active or item.product.stock_qty <= 0:
            return message("item_out_of_stock")
        return message("qty_not_available")

    @staticmethod
    def resolve_errors(root, info):
        if CartItemInterface._available(root[1]):
            return None
        return [CartItemError(code="ITEM_QTY", message=CartItemInterface._unavailable_message(root[1]))]

    @staticmethod
    def resolve_not_available_message(root, info):
        if CartItemInterface._available(root[1]):
            return None
        return CartItemInterface._unavailable_message(root[1])

    @staticmethod
    def resolve_max_qty(root, info):
        return float(root[1].product.stock_qty)

    @staticmethod
    def resolve_min_qty(root, info):
        return 1.0


class SimpleCartItem(graphene.ObjectType):
    class Meta:
        interfaces = (CartItemInterface,)

    @classmethod
    def is_type_of(cls, root, info):
        return _is_cart_line(root) and root[1].product.parent_id is None


def _is_cart_line(root) -> bool:
    return isinstance(root, tuple) and len(root) == 2 and hasattr(root[1], "product_id")


class SelectedConfigurableOption(graphene.ObjectType):
    configurable_product_option_uid = graphene.ID(required=True)
    configurable_product_option_value_uid = graphene.ID(required=True)
    id = graphene.Int(required=True)
    option_label = graphene.String(required=True)
    value_id = graphene.Int(required=True)
    value_label = graphene.String(required=True)


class ConfigurableCartItem(graphene.ObjectType):
    """A line of a configurable product: ``product`` is the parent, ``configured_variant`` the
    variant bought (its SKU, price and stock), ``configurable_options`` the values chosen."""

    class Meta:
        interfaces = (CartItemInterface,)

    configurable_options = graphene.List(graphene.NonNull(SelectedConfigurableOption), required=True)
    configured_variant = graphene.Field(ProductInterface, required=True)

    @classmethod
    def is_type_of(cls, root, info):
        return _is_cart_line(root) and root[1].product.parent_id is not None

    @staticmethod
    def resolve_configurable_options(root, info):
        view, item = root
        view.load_variants()
        return [
            SelectedConfigurableOption(
                id=chosen.attribute_id,
                configurable_product_option_uid=option_uid(chosen.attribute_id),
                option_label=chosen.attribute.label,
                value_id=chosen.value_id,
                configurable_product_option_value_uid=value_uid(chosen.attribute_id, chosen.value_id),
                value_label=chosen.value.label,
            )
            for chosen in selected_options(item.product)
        ]

    @staticmethod
    def resolve_configured_variant(root, info):
        return root[1].product


class CartItems(graphene.ObjectType):
    items = graphene.List(CartItemInterface, required=True)
    page_info = graphene.Field(SearchResultPageInfo)
    total_count = graphene.Int(required=True)


class CartTaxItem(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    label = graphene.String(required=True)


class CartDiscount(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    label = graphene.List(graphene.String, required=True)


class CartPrices(graphene.ObjectType):
    grand_total = graphene.Field(Money)
    grand_total_excluding_tax = graphene.Field(Money)
    subtotal_including_tax = graphene.Field(Money)
    subtotal_excluding_tax = graphene.Field(Money)
    subtotal_with_discount_excluding_tax = graphene.Field(Money)
    applied_taxes = graphene.List(CartTaxItem)
    discounts = graphene.List(Discount)
    discount = graphene.Field(CartDiscount, deprecation_reason="Use discounts instead.")

    # root: CartView
    @staticmethod
    def resolve_grand_total(view, info):
        return money(view.totals.grand_total, view.currency)

    @staticmethod
    def resolve_grand_total_excluding_tax(view, info):
        return money(view.totals.grand_total_excl_tax, view.currency)

    @staticmethod
    def resolve_subtotal_including_tax(view, info):
        return money(view.totals.subtotal_incl_tax, view.currency)

    @staticmethod
    def resolve_subtotal_excluding_tax(view, info):
        return money(view.totals.subtotal_excl_tax, view.currency)

    @staticmethod
    def resolve_subtotal_with_discount_excluding_tax(view, info):
        return money(view.totals.subtotal_with_discount_excl_tax, view.currency)

    @staticmethod
    def resolve_applied_taxes(view, info):
        return [
            CartTaxItem(amount=money(tax.amount, view.currency), label=tax.title)
            for tax in view.totals.applied_taxes
        ]

    @staticmethod
    def resolve_discounts(view, info):
        total = view.totals.discount_total
        return [_discount(view, total)] if total else []

    @staticmethod
    def resolve_discount(view, info):
        total = view.totals.discount_total
        if not total:
            return None
        return CartDiscount(amount=money(total, view.currency), label=[view.totals.discount_label])


class CartAddressRegion(graphene.ObjectType):
    code = graphene.String()
    label = graphene.String()
    region_id = graphene.Int()


class CartAddressCountry(graphene.ObjectType):
    code = graphene.String(required=True)
    label = graphene.String(required=True)


class AvailableShippingMethod(graphene.ObjectType):
    carrier_code = graphene.String(required=True)
    carrier_title = graphene.String(required=True)
    method_code = graphene.String()
    method_title = graphene.String()
    error_message = graphene.String()
    amount = graphene.Field(Money, required=True)
    price_excl_tax = graphene.Field(Money, required=True)
    price_incl_tax = graphene.Field(Money, required=True)
    available = graphene.Boolean(required=True)
    base_amount = graphene.Field(Money, deprecation_reason="The field should not be used on the storefront.")


class SelectedShippingMethod(graphene.ObjectType):
    carrier_code = graphene.String(required=True)
    method_code = graphene.String(required=True)
    carrier_title = graphene.String(required=True)
    method_title = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    price_excl_tax = graphene.Field(Money, required=True)
    price_incl_tax = graphene.Field(Money, required=True)
    base_amount = graphene.Field(Money, deprecation_reason="The field should not be used on the storefront.")


class CartAddressInterface(graphene.Interface):
    uid = graphene.ID(required=True)
    id = graphene.Int(deprecation_reason="Use `uid` instead.")
    firstname = graphene.String(required=True)
    lastname = graphene.String(required=True)
    company = graphene.String()
    street = graphene.List(graphene.String, required=True)
    city = graphene.String(required=True)
    region = graphene.Field(CartAddressRegion)
    postcode = graphene.String()
    country = graphene.Field(CartAddressCountry, required=True)
    telephone = graphene.String()
    vat_id = graphene.String()

    # root: (CartView, CartAddress); the address fields come from one table
    # (``shop.graphql.addresses``), the default resolver of the two cart address types.
    @staticmethod
    def resolve_uid(root, info):
        return encode_uid(root[1].pk)

    @staticmethod
    def resolve_id(root, info):
        return root[1].pk

    @staticmethod
    def resolve_region(root, info):
        address = root[1]
        # A free-text region (no region_id) is its own code, as Magento's getRegionCode() answers.
        return CartAddressRegion(
            code=address_value(address, "region_code") or address_value(address, "region_label"),
            label=address_value(address, "region_label"),
            region_id=address_value(address, "region_id"),
        )

    @staticmethod
    def resolve_country(root, info):
        address = root[1]
        return CartAddressCountry(
            code=address_value(address, "country_code"), label=address_value(address, "country_label")
        )

    @staticmethod
    def resolve_vat_id(root, info):
        return None


def _shipping_money(view, amount):
    from cart.totals import shipping_price

    tax, excl, incl, _ = shipping_price(view.info, amount)
    return money(amount, view.currency), money(excl, view.currency), money(incl, view.currency)


class CartItemQuantity(graphene.ObjectType):
    """Magento's deprecated ``ShippingCartAddress.cart_items`` entry."""

    cart_item_id = graphene.Int(required=True)
    quantity = graphene.Float(required=True)


class ShippingCartAddress(graphene.ObjectType):
    class Meta:
        interfaces = (CartAddressInterface,)
        default_resolver = resolve_address_field

    available_shipping_methods = graphene.List(AvailableShippingMethod)
    selected_shipping_method = graphene.Field(SelectedShippingMethod)
    customer_notes = graphene.String()
    same_as_billing = graphene.Boolean(required=True)
    cart_items_v2 = graphene.List(CartItemInterface)
    cart_items = graphene.List(
        graphene.NonNull(lambda: CartItemQuantity), deprecation_reason="Use `cart_items_v2` instead."
    )

    @staticmethod
    def resolve_available_shipping_methods(root, info):
        view, _ = root
        methods = []
        for rate in view.totals.available_shipping:
            amount, excl, incl = _shipping_money(view, rate.amount)
            methods.append(
                AvailableShippingMethod(
                    carrier_code=rate.carrier_code,
                    carrier_title=rate.carrier_title,
                    method_code=rate.method_code,
                    method_title=rate.method_title,
                    error_message="",
                    amount=amount,
                    price_excl_tax=excl,
                    price_incl_tax=incl,
                    available=True,
                    base_amount=None,  # Magento: deprecated, always null (its resolvers set null)
                )
            )
        return methods

    @staticmethod
    def resolve_selected_shipping_method(root, info):
        view, _ = root
        selected = view.totals.shipping
        if selected is None:
            return None
        return SelectedShippingMethod(
            carrier_code=selected.carrier_code,
            method_code=selected.method_code,
            carrier_title=selected.carrier_title,
            method_title=selected.method_title,
            amount=money(selected.amount, view.currency),
            price_excl_tax=money(selected.excl_tax, view.currency),
            price_incl_tax=money(selected.incl_tax, view.currency),
            base_amount=None,  # Magento: deprecated, always null
        )

    @staticmethod
    def resolve_customer_notes(root, info):
        return root[1].customer_notes or None

    @staticmethod
    def resolve_same_as_billing(root, info):
        return root[1].same_as_billing

    @staticmethod
    def resolve_cart_items_v2(root, info):
        view, _ = root
        return [(view, item) for item in view.info.items]

    @staticmethod
    def resolve_cart_items(root, info):
        view, _ = root
        return [CartItemQuantity(cart_item_id=item.pk, quantity=item.quantity) for item in view.info.items]

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, tuple) and isinstance(root[1], CartAddress) and root[1].kind == "shipping"


class BillingCartAddress(graphene.ObjectType):
    class Meta:
        interfaces = (CartAddressInterface,)
        default_resolver = resolve_address_field

    customer_notes = graphene.String(deprecation_reason="The field is used only in shipping address.")

    @staticmethod
    def resolve_customer_notes(root, info):
        return None

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, tuple) and isinstance(root[1], CartAddress) and root[1].kind == "billing"


class AvailablePaymentMethod(graphene.ObjectType):
    code = graphene.String(required=True)
    title = graphene.String(required=True)
    is_deferred = graphene.Boolean(required=True)


class SelectedPaymentMethod(graphene.ObjectType):
    code = graphene.String(required=True)
    title = graphene.String(required=True)
    purchase_order_number = graphene.String()


class SortQuoteItemsEnum(graphene.Enum):
    ITEM_ID = "ITEM_ID"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    PRODUCT_ID = "PRODUCT_ID"
    SKU = "SKU"
    NAME = "NAME"
    QTY = "QTY"
    PRICE = "PRICE"
    ROW_TOTAL = "ROW_TOTAL"


class QuoteItemsSortInput(graphene.InputObjectType):
    field = SortQuoteItemsEnum(required=True)
    order = SortEnum(required=True)


_SORT_KEYS = {
    "ITEM_ID": lambda item, line: item.pk,
    "CREATED_AT": lambda item, line: (item.created_at, item.pk),
    "UPDATED_AT": lambda item, line: (item.created_at, item.pk),
    "PRODUCT_ID": lambda item, line: item.product_id,
    "SKU": lambda item, line: item.product.sku,
    "NAME": lambda item, line: item.product.name,
    "QTY": lambda item, line: item.quantity,
    "PRICE": lambda item, line: line.catalog_price,
    "ROW_TOTAL": lambda item, line: line.row_total,
}


class Cart(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String()
    is_virtual = graphene.Boolean(required=True)
    total_quantity = graphene.Float(required=True)
    items = graphene.List(CartItemInterface, deprecation_reason="Use `itemsV2` instead.")
    itemsV2 = graphene.Field(
        CartItems,
        pageSize=graphene.Int(default_value=20),
        currentPage=graphene.Int(default_value=1),
        sort=QuoteItemsSortInput(),
    )
    prices = graphene.Field(CartPrices)
    shipping_addresses = graphene.List(ShippingCartAddress, required=True)
    billing_address = graphene.Field(BillingCartAddress)
    available_payment_methods = graphene.List(AvailablePaymentMethod)
    selected_payment_method = graphene.Field(SelectedPaymentMethod)
    applied_coupons = graphene.List(AppliedCoupon)
    applied_coupon = graphene.Field(AppliedCoupon, deprecation_reason="Use `applied_coupons` instead.")
    gift_message = graphene.Field("cart.graphql.gift_options.GiftMessage")
    gift_receipt_included = graphene.Boolean(required=True)
    printed_card_included = graphene.Boolean(required=True)
    total_summary_quantity_including_config = graphene.Float(
        required=True,
        description="The total number of items in the cart, counting each item of a product with "
        "options; with simple products only, the sum of the line quantities.",
    )

    # root: CartView
    @staticmethod
    def resolve_id(view, info):
        return view.cart.masked_id

    @staticmethod
    def resolve_email(view, info):
        return view.cart.email or None

    @staticmethod
    def resolve_is_virtual(view, info):
        return view.info.is_virtual

    @staticmethod
    def resolve_total_quantity(view, info):
        return float(view.totals.total_quantity)

    @staticmethod
    def resolve_items(view, info):
        return [(view, item) for item in view.info.items]

    @staticmethod
    def resolve_itemsV2(view, info, pageSize=20, currentPage=1, sort=None):
        from shop.errors import DomainError

        if currentPage is None or currentPage < 1:
            raise DomainError("products_current_page")
        if pageSize is None or pageSize < 1:
            raise DomainError("products_page_size")
        items = list(view.info.items)
        if sort:
            key = _SORT_KEYS[sort.field]
            items.sort(key=lambda item: key(item, view.totals.line(item.pk)), reverse=sort.order == "DESC")
        total = len(items)
        start = (currentPage - 1) * pageSize
        page = items[start : start + pageSize]
        total_pages = (total + pageSize - 1) // pageSize if total else 0
        return CartItems(
            items=[(view, item) for item in page],
            total_count=total,
            page_info={"current_page": currentPage, "page_size": pageSize, "total_pages": total_pages},
        )

    @staticmethod
    def resolve_prices(view, info):
        return view

    @staticmethod
    def resolve_shipping_addresses(view, info):
        address = view.addresses.get("shipping")
        return [(view, address)] if address else []

    @staticmethod
    def resolve_billing_address(view, info):
        address = view.addresses.get("billing")
        return (view, address) if address else None

    @staticmethod
    def resolve_available_payment_methods(view, info):
        return [
            AvailablePaymentMethod(code=m.code, title=m.title, is_deferred=m.is_deferred)
            for m in view.payment_methods
        ]

    @staticmethod
    def resolve_selected_payment_method(view, info):
        code = view.cart.payment_method_code
        return SelectedPaymentMethod(
            code=code, title=method_title(code) if code else "", purchase_order_number=None
        )

    @staticmethod
    def resolve_applied_coupons(view, info):
        coupon = view.totals.coupon
        return [AppliedCoupon(code=coupon.code)] if coupon else None

    @staticmethod
    def resolve_applied_coupon(view, info):
        coupon = view.totals.coupon
        return AppliedCoupon(code=coupon.code) if coupon else None

    @staticmethod
    def resolve_total_summary_quantity_including_config(view, info):
        return float(view.totals.total_quantity)

    @staticmethod
    def resolve_gift_message(view, info):
        from cart.services import gift_message_of

        return gift_message_of(view.cart)

    @staticmethod
    def resolve_gift_receipt_included(view, info):
        return view.cart.gift_receipt_included

    @staticmethod
    def resolve_printed_card_included(view, info):
        return view.cart.printed_card_included
