"""The words the storefront's scripts write (static/js), translated on the server: the page
carries them in ``<body data-messages>`` (only on a translated page), and ``t()`` in
static/js/graphql.js looks them up, English being the source and the fallback."""

import json

from django.utils.translation import gettext, gettext_noop

JS_MESSAGES = (
    gettext_noop("Subtotal"),
    gettext_noop("Discount (%(label)s)"),
    gettext_noop("Shipping (%(name)s)"),
    gettext_noop("Shipping"),
    gettext_noop("At checkout"),
    gettext_noop("Included %(tax)s"),
    gettext_noop("Total"),
    gettext_noop("Free"),
    gettext_noop("Saving your address…"),
    gettext_noop("Address saved."),
    gettext_noop("Placing your order…"),
    gettext_noop("Thank you! Your order is placed."),
    gettext_noop("Your cart is empty."),
    gettext_noop("Please choose a payment method."),
    gettext_noop("Enter your email address"),
    gettext_noop("Enter an email address like name@example.com"),
    gettext_noop("Enter a first name"),
    gettext_noop("Enter a last name"),
    gettext_noop("Enter the street and house number"),
    gettext_noop("Enter a postcode"),
    gettext_noop("Enter a city"),
    gettext_noop("Choose a country"),
    gettext_noop("Enter a phone number"),
)


def script_messages() -> str:
    """JSON of the scripts' words in the active language: only those that differ from English
    (an English page carries ``{}``)."""
    translated = {text: gettext(text) for text in JS_MESSAGES}
    return json.dumps({k: v for k, v in translated.items() if v != k}, ensure_ascii=False)
