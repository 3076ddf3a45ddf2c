"""HTTP views of the Payments API v1 and the Order Management API v1."""

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

from . import orders, payments
from .errors import KlarnaError
from .http import base_url, browser_url, json_body, json_response, klarna_api, no_content, relative_path

# --- Payments v1 --------------------------------------------------------------------------------


@klarna_api("POST")
def sessions(request, merchant):
    return json_response(payments.create_session(merchant, json_body(request), browser_url(request)))


@klarna_api("GET", "POST")
def session(request, merchant, session_id):
    if request.method == "GET":
        return json_response(payments.read_session(merchant, session_id, browser_url(request)))
    payments.update_session(merchant, session_id, json_body(request))
    response = HttpResponse(status=204, content_type="application/octet-stream")
    return response


@klarna_api("POST")
def create_order(request, merchant, token):
    status, body = payments.create_order(merchant, token, json_body(request), browser_url(request))
    return json_response(body, status=status)


@klarna_api("DELETE")
def authorization(request, merchant, token):
    payments.cancel_authorization(merchant, token)
    return no_content()


def order_redirect(request, order_id):
    """Klarna's redirect_url: sends the shopper on to merchant_urls.confirmation."""
    url = payments.confirmation_url(order_id)
    if not url:
        return HttpResponse("No confirmation URL for this order.", status=404, content_type="text/plain")
    return HttpResponseRedirect(url)


# --- Order Management v1 ----------------------------------------------------------------------------


@klarna_api("GET")
def order(request, merchant, order_id):
    return json_response(orders.order_body(orders.get_order(merchant, order_id)))


def _created(request, kind: str, identifier: str) -> HttpResponse:
    response = HttpResponse(status=201)
    del response["Content-Type"]
    location = f"{base_url(request)}/ordermanagement/v1/orders/{request.resolver_match.kwargs['order_id']}"
    response["Location"] = f"{location}/{kind}s/{identifier}"
    response["Capture-Id" if kind == "capture" else "Refund-Id"] = identifier
    return response


@klarna_api("GET", "POST", idempotent=True)
def captures(request, merchant, order_id):
    if request.method == "GET":
        found = orders.get_order(merchant, order_id)
        return json_response([orders.capture_body(c) for c in found.captures.order_by("captured_at", "id")])
    created = orders.capture(merchant, order_id, json_body(request))
    return _created(request, "capture", created.capture_id)


@klarna_api("GET")
def capture(request, merchant, order_id, capture_id):
    return json_response(orders.capture_body(orders.get_capture(merchant, order_id, capture_id)))


@klarna_api("POST", idempotent=True)
def capture_shipping_info(request, merchant, order_id, capture_id):
    orders.add_capture_shipping_info(merchant, order_id, capture_id, json_body(request))
    return no_content()


@klarna_api("POST", idempotent=True)
def refunds(request, merchant, order_id):
    created = orders.refund(merchant, order_id, json_body(request))
    return _created(request, "refund", created.refund_id)


@klarna_api("GET")
def refund(request, merchant, order_id, refund_id):
    return json_response(orders.refund_body(orders.get_refund(merchant, order_id, refund_id)))


def _action(operation, *, with_body: bool = False, method: str = "POST"):
    @klarna_api(method, idempotent=True)
    def view(request, merchant, order_id):
        if with_body:
            operation(merchant, order_id, json_body(request))
        else:
            operation(merchant, order_id)
        return no_content()

    view.__name__ = operation.__name__
    return view


cancel = _action(orders.cancel)
release_remaining_authorization = _action(orders.release_remaining_authorization)
extend_authorization_time = _action(orders.extend_authorization_time)
acknowledge = _action(orders.acknowledge)
update_authorization = _action(orders.update_authorization, with_body=True, method="PATCH")
update_merchant_references = _action(orders.update_merchant_references, with_body=True, method="PATCH")
add_order_shipping_info = _action(orders.add_order_shipping_info, with_body=True)


@csrf_exempt
def not_modelled(request, rest=""):
    """Any path the emulator does not model: Klarna's JSON error with 404 (never Django's HTML
    page), whatever the method, so a client reads it as it would read Klarna's."""
    error = KlarnaError(404, "NOT_FOUND", f"No such resource: {request.method} {relative_path(request)}")
    return error.response()
