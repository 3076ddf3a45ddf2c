"""Browser-facing endpoints: the JS SDK script, and what it asks the emulated Klarna.

These are called by the shopper's browser, so they take the client token (a signed JWT naming
the session) instead of the merchant's HTTP Basic credentials, like Klarna's own widget.
"""

import json
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from shop.money import from_minor_units

from . import payments
from .errors import KlarnaError
from .personas import email_of
from .tokens import read_client_token

SDK_SCRIPT = Path(__file__).parent / "js" / "api.js"
# Drawn for the emulator (a pink rounded rectangle saying "Klarna."), not Klarna's artwork.
BADGE = Path(__file__).parent / "assets" / "badge.svg"


@require_GET
def index(request):
    return HttpResponse(
        "Klarna emulator: payments/v1, ordermanagement/v1, kp/lib/v1/api.js, _faults",
        content_type="text/plain",
    )


@require_GET
def script(request):
    response = HttpResponse(
        SDK_SCRIPT.read_text(encoding="utf-8"), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def badge(request):
    """The image every category's ``asset_urls`` names (``payments.BADGE_PATH``)."""
    response = HttpResponse(BADGE.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _format_amount(minor: int, currency: str, locale: str) -> str:
    amount: Decimal = from_minor_units(minor, currency)
    return format_currency(amount, currency, locale=locale.replace("-", "_"))


def _cors(response: HttpResponse) -> HttpResponse:
    """The SDK's calls are cross-origin when the storefront is elsewhere (e.g. Venia on its own
    server loading the SDK from the shop), as Klarna's are: no cookies (``credentials: omit``),
    the client token in the body is the credential."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _browser_call(handler):
    @csrf_exempt
    @require_http_methods(["POST", "OPTIONS"])
    def view(request):
        if request.method == "OPTIONS":
            preflight = HttpResponse(status=204)
            preflight["Access-Control-Allow-Methods"] = "POST"
            preflight["Access-Control-Allow-Headers"] = "Content-Type"
            preflight["Access-Control-Max-Age"] = "600"
            return _cors(preflight)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return _cors(JsonResponse({"error": "invalid JSON"}, status=400))
        claims = read_client_token(body.get("client_token"))
        if not claims:
            return _cors(JsonResponse({"error": "InvalidClientTokenError"}, status=401))
        try:
            return _cors(JsonResponse(handler(claims["session_id"], body)))
        except KlarnaError as error:
            return _cors(
                JsonResponse(
                    {"error": error.error_code, "messages": error.error_messages}, status=error.status
                )
            )

    view.__name__ = handler.__name__
    return view


def _widget(session, category: str | None, show_form: bool) -> dict:
    data = session.data
    currency, locale = data["purchase_currency"], data.get("locale", "en-US")
    categories = session.payment_method_categories
    chosen = next((c for c in categories if c["identifier"] == category), None) if category else None
    shown = [chosen] if chosen else ([] if category else categories)
    amount = _format_amount(data["order_amount"], currency, locale)
    html = render_to_string(
        "klarna_emulator/widget.html",
        {"categories": shown, "amount": amount, "show_form": show_form, "session_id": session.session_id},
    )
    return {
        "show_form": show_form,
        "html": html,
        "amount": data["order_amount"],
        "amount_formatted": amount,
        "purchase_currency": currency,
        "payment_method_categories": categories,
    }


@_browser_call
def load(session_id, body):
    category = body.get("payment_method_category")
    result = payments.load(session_id, category, body.get("data"))
    return _widget(result["session"], category, result["show_form"])


@_browser_call
def authorize_check(session_id, body):
    answer = payments.authorize_check(session_id, body.get("payment_method_category"), body.get("data"))
    if answer is not None:
        return {"result": answer}
    session = payments.browser_session(session_id)
    widget = _widget(session, body.get("payment_method_category"), True)
    email = email_of(session.browser_data, session.data)
    return {"result": None, "amount_formatted": widget["amount_formatted"], "email": email}


@_browser_call
def authorize(session_id, body):
    category = body.get("payment_method_category")
    if body.get("decision") != "approve":
        return {"approved": False, "show_form": False}
    auto_finalize = body.get("auto_finalize", True) is not False
    return payments.authorize(session_id, category, body.get("data"), auto_finalize=auto_finalize)


@_browser_call
def finalize(session_id, body):
    return payments.finalize(session_id, body.get("payment_method_category"), body.get("data"))
