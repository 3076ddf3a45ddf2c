"""Domain error codes -> Magento's exact message and ``extensions.category``: the one table of
error texts, for the GraphQL edge (``shop.graphql_errors``), the storefront pages and the
cart's per-item ``user_errors``. Plain Python: domain code may read it.

Messages are copied from Magento 2.4 (see shared/reference/magento-graphql.md §2.4-§2.7).
"""

INPUT = "graphql-input"
AUTHORIZATION = "graphql-authorization"
AUTHENTICATION = "graphql-authentication"
NO_SUCH_ENTITY = "graphql-no-such-entity"
ALREADY_EXISTS = "graphql-already-exists"
TOO_MANY_REQUESTS = "graphql-too-many-requests"

# code: (message template, category)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- generic -------------------------------------------------------------------------------
    "required_parameter": ('Required parameter "{name}" is missing', INPUT),
    "required_parameter_dot": ('Required parameter "{name}" is missing.', INPUT),
    "invalid_input": ("{message}", INPUT),
    # Document validation, in webonyx/graphql-php's words (Magento's), not graphql-core's.
    "input_field_not_provided": ("Field {field} of required type {type} was not provided.", INPUT),
    "argument_not_provided": (
        'Field "{field}" argument "{argument}" of type "{type}" is required but not provided.',
        INPUT,
    ),
    # --- the HTTP request itself (before any resolver runs) ---------------------------------------
    "query_missing": ("Must provide query string.", INPUT),
    "query_not_string": ("The query must be a string.", INPUT),
    "query_too_long": ("The query is too long.", INPUT),
    "input_nul": ("Input must not contain NUL characters.", INPUT),
    "variables_unparsable": ("Unable to parse the variables.", INPUT),
    "variables_not_object": ("Variables must be a JSON object.", INPUT),
    "operation_unknown": ('Unknown operation named "{name}".', INPUT),
    "mutation_over_get": ("Mutation requests allowed only for POST requests", INPUT),
    "store_not_found": ("Requested store is not found", INPUT),
    "currency_invalid": ("Please correct the target currency", INPUT),
    # --- cart lookup (GetCartForUser) --------------------------------------------------------------
    "cart_not_found": ('Could not find a cart with ID "{cart_id}"', NO_SUCH_ENTITY),
    "cart_not_active": ("The cart isn't active.", NO_SUCH_ENTITY),
    "cart_wrong_store": ('Wrong store code specified for cart "{cart_id}"', NO_SUCH_ENTITY),
    "cart_not_owned": ('The current user cannot perform operations on cart "{cart_id}"', AUTHORIZATION),
    "cart_placing": ("The order has already been placed and is currently processing.", INPUT),
    # --- cart creation -------------------------------------------------------------------------
    "cart_exists": ('Cart with ID "{cart_id}" already exists.', ALREADY_EXISTS),
    "cart_id_length": ("Cart ID length should to be 32 symbols.", INPUT),
    # createEmptyCart(input: {cart_id}) by a customer who has a cart: ours keeps one id per cart.
    "customer_cart_exists": (
        "The customer already has an active cart: use `Query.customerCart` for its ID.",
        ALREADY_EXISTS,
    ),
    "customer_use_customer_cart": ("Use `Query.customerCart` for logged in customer.", ALREADY_EXISTS),
    "customer_required": ("The request is allowed for logged in customer", AUTHORIZATION),
    "customer_not_authorized": ("The current customer isn't authorized.", AUTHORIZATION),
    # A bearer token revoked by revokeCustomerToken (Magento's JWT revocation check).
    "token_revoked": ("User token has been revoked", AUTHORIZATION),
    # --- items -----------------------------------------------------------------------------------
    "product_not_found": ('Could not find a product with SKU "{sku}"', INPUT),
    "product_not_salable": ("Product that you are trying to add is not available.", INPUT),
    # The legacy addSimpleProductsToCart wraps a product's failure (AddSimpleProductToCart).
    "add_simple_failed": ("Could not add the product with SKU {sku} to the shopping cart: {message}", INPUT),
    "qty_not_available": ("The requested qty is not available", INPUT),
    # Configurable products (Magento's Configurable type and AddConfigurableProductsToCart): no,
    # unknown or another product's option values, or a combination no variant has.
    "configurable_options_missing": ("You need to choose options for your item.", INPUT),
    "configurable_variant_not_found": ("Could not find specified product.", INPUT),
    "variant_out_of_stock": ("This product is out of stock.", INPUT),
    # A cart line whose product has no stock at all (Magento's inventory, GetCartTest).
    "item_out_of_stock": ("There are no source items with the in stock status", INPUT),
    "qty_not_positive": ("The product quantity should be greater than 0", INPUT),
    "qty_decimal": ("You cannot use decimal quantity for this product.", INPUT),
    "qty_too_large": ("The most you may purchase is {max}.", INPUT),
    "cart_item_not_found": ("Could not find cart item with id: {item_id}.", NO_SUCH_ENTITY),
    "cart_item_not_in_cart": ("Cart doesn't contain the {item_id} item.", NO_SUCH_ENTITY),
    "cart_item_id_missing": ('Required parameter "cart_item_id" is missing.', INPUT),
    "cart_items_missing": ('Required parameter "cart_items" is missing.', INPUT),
    "update_cart_id_missing": ('Required parameter "cart_id" is missing.', INPUT),
    "cart_item_qty_missing": ('Required parameter "quantity" for "cart_items" is missing.', INPUT),
    # --- coupons -----------------------------------------------------------------------------------
    "coupon_already_applied": (
        "A coupon is already applied to the cart. Please remove it to apply another",
        INPUT,
    ),
    # Magento's CouponManagement throws NoSuchEntityException for an empty cart.
    "coupon_empty_cart": ("Cart does not contain products.", NO_SUCH_ENTITY),
    # ... and RemoveCouponFromCart rewrites the same exception without the full stop.
    "coupon_remove_empty_cart": ("Cart does not contain products", NO_SUCH_ENTITY),
    "coupon_invalid": ("The coupon code isn't valid. Verify the code and try again.", NO_SUCH_ENTITY),
    "coupon_code_missing": ('Required parameter "coupon_code" is missing', INPUT),
    # --- email -------------------------------------------------------------------------------------
    "email_missing": ('Required parameter "email" is missing', INPUT),
    "email_invalid": ("Invalid email format", INPUT),
    "email_customer": ("The request is not allowed for logged in customers", INPUT),
    # --- addresses ---------------------------------------------------------------------------------
    "shipping_addresses_missing": ('Required parameter "shipping_addresses" is missing', INPUT),
    "shipping_address_multiple": ("You cannot specify multiple shipping addresses.", INPUT),
    "shipping_address_input": (
        'The shipping address must contain either "customer_address_id" or "address".',
        INPUT,
    ),
    "shipping_address_both": (
        'The shipping address cannot contain "customer_address_id" and "address" at the same time.',
        INPUT,
    ),
    "billing_address_missing": ('Required parameter "billing_address" is missing', INPUT),
    "billing_address_input": (
        'The billing address must contain either "customer_address_id", "address", or "same_as_shipping".',
        INPUT,
    ),
    "billing_address_both": (
        'The billing address cannot contain "customer_address_id" and "address" at the same time.',
        INPUT,
    ),
    "billing_same_as_shipping_unset": (
        'Could not use the "same_as_shipping" option, because the shipping address has not been set.',
        INPUT,
    ),
    "address_field_required": ('"{field}" is required. Enter and try again.', INPUT),
    "address_field_invalid": ('Invalid value of "{value}" provided for the {field} field.', INPUT),
    "country_not_allowed": (
        "Some addresses can't be used due to the configurations for specific countries.",
        INPUT,
    ),
    # Magento's QuoteAddressFactory, for cart addresses (checked before the address's fields).
    "cart_country_not_available": ("Country is not available", INPUT),
    "region_required": ("Region is required.", INPUT),
    "region_id_mismatch": ("The region_id does not match the selected country or region", INPUT),
    "region_not_of_country": ("The specified region is not a part of the selected country or region", INPUT),
    "customer_address_not_found": ('Could not find a address with ID "{address_id}"', NO_SUCH_ENTITY),
    # --- shipping methods --------------------------------------------------------------------------
    "shipping_methods_missing": ('Required parameter "shipping_methods" is missing', INPUT),
    "shipping_method_multiple": ("You cannot specify multiple shipping methods.", INPUT),
    "carrier_code_missing": ('Required parameter "carrier_code" is missing.', INPUT),
    "method_code_missing": ('Required parameter "method_code" is missing.', INPUT),
    "shipping_method_empty_cart": (
        "The shipping method can't be set for an empty cart. Add an item to cart and try again.",
        INPUT,
    ),
    "shipping_method_not_found": ("Carrier with such method not found: {carrier_code}, {method_code}", INPUT),
    "shipping_address_not_set": ("The shipping address is missing. Set the address and try again.", INPUT),
    # --- payment -------------------------------------------------------------------------------------
    "payment_code_missing": ('Required parameter "code" for "payment_method" is missing.', INPUT),
    "payment_method_unavailable": ("The requested Payment Method is not available.", INPUT),
    # --- place order (2.4.9: top-level, with extensions.error_code) ---------------------------------
    "place_guest_email_missing": ("Guest email for cart is missing.", INPUT),
    "place_empty_cart": (
        "A server error stopped your order from being placed. Please try to place your order again.",
        INPUT,
    ),
    "place_shipping_address_missing": (
        "Some addresses can't be used due to the configurations for specific countries.",
        INPUT,
    ),
    "place_shipping_method_missing": (
        "The shipping method is missing. Select the shipping method and try again.",
        INPUT,
    ),
    "place_billing_address_missing": ("Please check the billing address information.", INPUT),
    "place_payment_missing": ("Enter a valid payment method and try again.", INPUT),
    "place_out_of_stock": ("Some of the products are out of stock.", INPUT),
    "place_failed": ("{message}", INPUT),
    # 2.4.9 (as 2.4.4-2.4.6) formats what stops the order itself with this prefix (§2.7).
    "place_unable": ("Unable to place order: {message}", INPUT),
    # --- products ----------------------------------------------------------------------------------
    "products_search_or_filter": ("'search' or 'filter' input argument is required.", INPUT),
    "products_current_page": ("currentPage value must be greater than 0.", INPUT),
    "products_page_size": ("pageSize value must be greater than 0.", INPUT),
    "products_page_beyond": (
        "currentPage value {current_page} specified is greater than the {total_pages} page(s) available.",
        INPUT,
    ),
    "products_filter_invalid": ('Invalid value of "{value}" provided for the {field} field.', INPUT),
    # --- Klarna ----------------------------------------------------------------------------------------
    "klarna_cart_id_missing": ("Required parameter 'cart_id' is missing", INPUT),
    "klarna_not_active": ("Klarna Payments method is not active", INPUT),
    "klarna_not_available": ("Klarna Payments is not available for this cart.", INPUT),
    "klarna_token_missing": ("No authorization token provided!", INPUT),
    "klarna_unavailable": (
        "Klarna Payments is temporarily unavailable. Please try again or choose another payment method.",
        INPUT,
    ),
    "klarna_cart_changed": (
        "Your cart has changed since you authorized the payment with Klarna. "
        "Please review your order and authorize the payment again.",
        INPUT,
    ),
    "klarna_placement_failed": ("{message}", INPUT),
    # --- customers -----------------------------------------------------------------------------------
    "too_many_requests": ("{message}", TOO_MANY_REQUESTS),
    "sign_in_failed": (
        "The account sign-in was incorrect or your account is disabled temporarily. "
        "Please wait and try again later.",
        AUTHENTICATION,
    ),
    "sign_in_email_missing": ('Specify the "email" value.', INPUT),
    "sign_in_password_missing": ('Specify the "password" value.', INPUT),
    "customer_exists": (
        "A customer with the same email address already exists in an associated website.",
        INPUT,
    ),
    "customer_email_invalid": ('"Email" is not a valid email address.', INPUT),
    "customer_fields_missing": ("Required parameters are missing: {fields}", INPUT),
    "customer_password_invalid": ("{message}", INPUT),
    "customer_address_forbidden": (
        'Current customer does not have permission to address with ID "{address_id}"',
        AUTHORIZATION,
    ),
    # The storefront's guest order lookup (checkout.guest_orders); Magento's "Orders and Returns" words.
    "guest_order_not_found": ("You entered incorrect data. Please try again.", INPUT),
    "guest_order_too_many": (
        "Too many attempts. Please wait a few minutes and try again.",
        TOO_MANY_REQUESTS,
    ),
    "guest_orders_link_invalid": (
        "This link has expired or belongs to another account. Sign in with the account it was sent "
        "for, or ask for a new link.",
        INPUT,
    ),
    # Magento's RequestPasswordResetEmail and ResetPassword resolvers.
    "password_reset_email_missing": ("You must specify an email address.", INPUT),
    "password_reset_email_invalid": ("The email address has an invalid format.", INPUT),
    "password_reset_unknown": ("Cannot reset the customer's password", INPUT),
    "password_reset_too_many": (
        "We received too many requests for password resets. Please wait and try again later.",
        TOO_MANY_REQUESTS,
    ),
    "email_not_sent": (
        "We could not send the email right now. Please try again in a few minutes.",
        INPUT,
    ),
    "password_reset_token_missing": ("resetPasswordToken must be specified", INPUT),
    "password_reset_password_missing": ("newPassword must be specified", INPUT),
    "password_reset_refused": ("Cannot set the customer's password", INPUT),
    "merge_source_missing": ('Required parameter "source_cart_id" is missing', INPUT),
    # --- account pieces Venia reads (Magento's api-functional tests: Customer/*, Directory/*) -------
    "input_missing": ('"input" value should be specified', INPUT),
    # Magento's NewsletterGraphQl SubscribeEmailToNewsletter, in its order.
    "newsletter_email_missing": ("You must specify an email address to subscribe to a newsletter.", INPUT),
    "newsletter_email_invalid": ("Enter a valid email address.", INPUT),
    "newsletter_guest_not_allowed": (
        "Guests can not subscribe to the newsletter. You must create an account to subscribe.",
        INPUT,
    ),
    "newsletter_email_of_another_user": ("This email address is already assigned to another user.", INPUT),
    "newsletter_already_subscribed": ("This email address is already subscribed.", INPUT),
    "email_availability_missing": ("Email must be specified", INPUT),
    "email_availability_invalid": ("Email is invalid", INPUT),
    "customer_email_change_password": ('Provide the current "password" to change "email".', INPUT),
    "customer_password_wrong": ("Invalid login or password.", AUTHENTICATION),
    "customer_email_value_invalid": ('"{email}" is not a valid email address.', INPUT),
    "customer_address_id_missing": ('Address "id" value should be specified', INPUT),
    "customer_address_region_mismatch": (
        "The region_id does not match the selected country or region",
        INPUT,
    ),
    "customer_address_region_id_required": ("A region_id is required for the specified country code", INPUT),
    "customer_address_default": (
        "Customer Address {address_id} is set as default {kind} address and can not be deleted",
        INPUT,
    ),
    "country_id_missing": ('Country "id" value should be specified', INPUT),
    "country_not_available": ("The country isn't available.", NO_SUCH_ENTITY),
    # --- CMS and routing (CmsGraphQl, UrlRewriteGraphQl) ---------------------------------------------
    "cms_page_identifier_missing": ('"Page id/identifier should be specified', INPUT),
    "cms_page_not_found": ('The CMS page with the "{identifier}" ID doesn\'t exist.', NO_SUCH_ENTITY),
    "cms_blocks_identifiers_missing": ('"identifiers" of CMS blocks should be specified', INPUT),
    "cms_block_not_found": ('The CMS block with the "{identifier}" ID doesn\'t exist.', NO_SUCH_ENTITY),
    "url_missing": ('"url" argument should be specified and not empty', INPUT),
    "contact_form_unavailable": ("The contact form is unavailable.", INPUT),
}


def message(code: str, **params) -> str:
    """Magento's message for ``code``, filled with ``params``."""
    template, _ = MESSAGES[code]
    return template.format(**params)


def message_for(error) -> str:
    """The message of a ``shop.errors.DomainError``."""
    return message(error.code, **error.params)


def category_for(error) -> str:
    return MESSAGES[error.code][1]
