"""Klarna Payments v1 behaviour: sessions, authorizations (as the SDK grants them) and orders.

Pure domain functions over the emulator's models; the HTTP views in ``api.py`` and ``sdk.py``
only parse requests and shape responses. Every function that changes state runs in one short
transaction and locks the row it changes.
"""

import secrets
import uuid
from datetime import timedelta

from django.db import transaction

from . import clock
from .errors import KlarnaError
from .markets import AUTHORIZED_PAYMENT_METHOD, INITIAL_PAYMENT_METHOD, categories_for
from .models import EmulatorAuthorization, EmulatorCallback, EmulatorOrder, EmulatorSession
from .personas import email_of, persona_for
from .tokens import issue_client_token
from .validation import ADDRESS_LIMITS, normalise_country, validate_payload

SESSION_LIFETIME = timedelta(hours=48)
AUTHORIZATION_LIFETIME = timedelta(minutes=60)
ORDER_AUTHORIZATION_LIFETIME = timedelta(days=28)
# The badge image of every category, relative to the emulator's root (urls.py serves it).
BADGE_PATH = "assets/badges/klarna.svg"
# Fields the shopper must have given (in the session or in authorize data) before Klarna decides.
REQUIRED_BILLING_FIELDS = (
    "given_name",
    "family_name",
    "email",
    "street_address",
    "postal_code",
    "city",
    "country",
)
# Fields compared between the authorized data and the create-order body.
MATCHED_FIELDS = ("purchase_country", "purchase_currency", "order_amount", "order_tax_amount")
MATCHED_LINE_FIELDS = (
    "type",
    "reference",
    "name",
    "quantity",
    "unit_price",
    "tax_rate",
    "total_amount",
    "total_discount_amount",
    "total_tax_amount",
)


def _session(merchant: str, session_id: str, *, lock: bool = False) -> EmulatorSession:
    qs = EmulatorSession.objects.select_for_update() if lock else EmulatorSession.objects
    session = qs.filter(session_id=session_id, merchant=merchant).first()
    if session is None or session.expires_at <= clock.now():
        raise KlarnaError(404, "NOT_FOUND", "Invalid session id")
    return session


def _categories(payload: dict) -> list[dict]:
    return categories_for(normalise_country(payload), payload["purchase_currency"], payload["order_amount"])


def with_badges(categories: list[dict], base_url: str) -> list[dict]:
    """The categories as Klarna answers them, with ``asset_urls``: the emulator's own badge,
    served under ``base_url`` (the emulator root the shopper's browser reaches), never
    Klarna's CDN, so emulator mode sends no request off the machine."""
    badge = f"{base_url}/{BADGE_PATH}"
    return [
        {
            "identifier": c["identifier"],
            "name": c["name"],
            "asset_urls": {"descriptive": badge, "standard": badge},
        }
        for c in categories
    ]


def create_session(merchant: str, payload, base_url: str) -> dict:
    """POST /payments/v1/sessions -> merchant_session. Validates like Klarna (400 BAD_VALUE)."""
    data = validate_payload(payload)
    now = clock.now()
    session_id = str(uuid.uuid4())
    session = EmulatorSession.objects.create(
        session_id=session_id,
        merchant=merchant,
        data=data,
        payment_method_categories=_categories(data),
        created_at=now,
        updated_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    return {
        "session_id": session.session_id,
        "client_token": client_token(session, base_url),
        "payment_method_categories": with_badges(session.payment_method_categories, base_url),
    }


def client_token(session: EmulatorSession, base_url: str) -> str:
    return issue_client_token(
        {
            "session_id": session.session_id,
            "base_url": base_url,
            "iat": int(session.created_at.timestamp()),
            "purchase_country": session.data.get("purchase_country"),
            "locale": session.data.get("locale"),
        }
    )


def update_session(merchant: str, session_id: str, payload) -> None:
    """POST /payments/v1/sessions/{id} (204): merges the given top-level fields, revalidates,
    recomputes the categories for the new amount and pushes the expiry to now + 48 h."""
    if not isinstance(payload, dict):
        raise KlarnaError(400, "BAD_REQUEST", "Malformed request: body must be a JSON object")
    with transaction.atomic():
        session = _session(merchant, session_id, lock=True)
        if session.status == "complete":
            raise KlarnaError(404, "SESSION_COMPLETED", "Session is already completed")
        data = validate_payload({**session.data, **payload})
        now = clock.now()
        session.data = data
        session.payment_method_categories = _categories(data)
        session.updated_at = now
        session.expires_at = now + SESSION_LIFETIME
        session.save()


def read_session(merchant: str, session_id: str, base_url: str) -> dict:
    """GET /payments/v1/sessions/{id} -> session_read."""
    session = _session(merchant, session_id)
    body = dict(session.data)
    if session.browser_data.get("billing_address") and "billing_address" not in body:
        body["billing_address"] = session.browser_data["billing_address"]
    body.update(
        {
            "status": session.status,
            "client_token": client_token(session, base_url),
            "payment_method_categories": with_badges(session.payment_method_categories, base_url),
            "expires_at": session.expires_at.isoformat().replace("+00:00", "Z"),
        }
    )
    if session.authorization_token:
        body["authorization_token"] = session.authorization_token
    return body


# --- What the browser does through the SDK ----------------------------------------------------------


def browser_session(session_id: str) -> EmulatorSession:
    session = EmulatorSession.objects.filter(session_id=session_id).first()
    if session is None or session.expires_at <= clock.now():
        raise KlarnaError(404, "NOT_FOUND", "Invalid session id")
    return session


def _merge_browser_data(session: EmulatorSession, data: dict | None) -> None:
    if not isinstance(data, dict):
        return
    merged = dict(session.browser_data)
    for key in ("billing_address", "shipping_address", "customer"):
        if isinstance(data.get(key), dict):
            merged[key] = {**merged.get(key, {}), **data[key]}
    session.browser_data = merged


def _current_billing(session: EmulatorSession) -> dict:
    return {
        **(session.data.get("billing_address") or {}),
        **(session.browser_data.get("billing_address") or {}),
    }


def invalid_fields(session: EmulatorSession) -> list[str]:
    billing = _current_billing(session)
    missing = [f"billing_address.{f}" for f in REQUIRED_BILLING_FIELDS if not billing.get(f)]
    for key, value in billing.items():
        if key in ADDRESS_LIMITS and isinstance(value, str) and len(value) > ADDRESS_LIMITS[key]:
            missing.append(f"billing_address.{key}")
    return missing


def load(session_id: str, category: str | None, data: dict | None) -> dict:
    """What load() shows: ``show_form`` and the widget's content for the session as it is now."""
    with transaction.atomic():
        session = browser_session(session_id)
        _merge_browser_data(session, data)
        session.save(update_fields=["browser_data"])
    identifiers = [c["identifier"] for c in session.payment_method_categories]
    persona = persona_for(email_of(session.browser_data, session.data))
    show_form = (
        session.status != "complete" and not persona.red and (category is None or category in identifiers)
    )
    return {"show_form": show_form, "session": session}


def authorize_check(session_id: str, category: str, data: dict | None) -> dict | None:
    """Before the overlay opens: a final answer (dict) when there is nothing to ask the shopper."""
    with transaction.atomic():
        session = browser_session(session_id)
        _merge_browser_data(session, data)
        session.save(update_fields=["browser_data"])
    if category not in [c["identifier"] for c in session.payment_method_categories]:
        return {"approved": False, "show_form": False}
    persona = persona_for(email_of(session.browser_data, session.data))
    if persona.red:
        return {"approved": False, "show_form": False}
    fields = invalid_fields(session)
    if fields:
        return {"approved": False, "show_form": True, "error": {"invalid_fields": fields}}
    return None


def authorize(
    session_id: str, category: str, data: dict | None = None, *, auto_finalize: bool = True
) -> dict:
    """The shopper approved in the overlay: Klarna decides and, if approved, issues a token.

    Also the Python API for tests that need an authorization token without a browser.
    """
    answer = authorize_check(session_id, category, data)
    if answer is not None:
        return answer
    with transaction.atomic():
        session = EmulatorSession.objects.select_for_update().get(session_id=session_id)
        persona = persona_for(email_of(session.browser_data, session.data))
        if persona.denied:
            return {"approved": False, "show_form": False}
        if not auto_finalize:
            session.finalize_category = category
            session.save(update_fields=["finalize_category"])
            return {"approved": True, "show_form": True, "finalize_required": True}
        return _grant(session, category)


def finalize(session_id: str, category: str, data: dict | None = None) -> dict:
    answer = authorize_check(session_id, category, data)
    if answer is not None:
        return answer
    with transaction.atomic():
        session = EmulatorSession.objects.select_for_update().get(session_id=session_id)
        if session.finalize_category != category:
            return {"approved": False, "show_form": True}
        session.finalize_category = ""
        return _grant(session, category)


def _grant(session: EmulatorSession, category: str) -> dict:
    now = clock.now()
    snapshot = dict(session.data)
    for key in ("billing_address", "shipping_address"):
        given = {**(session.data.get(key) or {}), **(session.browser_data.get(key) or {})}
        if given:
            snapshot[key] = given
    if "shipping_address" not in snapshot and "billing_address" in snapshot:
        snapshot["shipping_address"] = snapshot["billing_address"]  # Klarna copies billing
    token = str(uuid.uuid4())
    EmulatorAuthorization.objects.create(
        token=token,
        session=session,
        merchant=session.merchant,
        payment_method_category=category,
        snapshot=snapshot,
        created_at=now,
        expires_at=now + AUTHORIZATION_LIFETIME,
    )
    session.authorization_token = token
    session.save(update_fields=["authorization_token", "finalize_category"])
    callback_url = (session.data.get("merchant_urls") or {}).get("authorization")
    if callback_url:
        EmulatorCallback.objects.create(
            kind=EmulatorCallback.KIND_AUTHORIZATION,
            url=callback_url,
            payload={"authorization_token": token, "session_id": session.session_id},
            due_at=now,
        )
    return {"approved": True, "show_form": True, "authorization_token": token}


# --- Create order / cancel authorization ------------------------------------------------------------


def _authorization(merchant: str, token: str, *, lock: bool = False) -> EmulatorAuthorization:
    qs = EmulatorAuthorization.objects.select_for_update() if lock else EmulatorAuthorization.objects
    authorization = qs.select_related("session").filter(token=token, merchant=merchant).first()
    if authorization is None or authorization.cancelled_at or authorization.expires_at <= clock.now():
        raise KlarnaError(404, "NOT_FOUND", "Invalid authorization token")
    return authorization


def not_matching_fields(snapshot: dict, body: dict) -> list[str]:
    """Fields of the create-order body that differ from what the shopper authorized."""
    fields = [f for f in MATCHED_FIELDS if f in snapshot and f in body and snapshot[f] != body[f]]
    fields += [
        f
        for f in ("purchase_country", "purchase_currency", "order_amount")
        if f in snapshot and f not in body
    ]
    body = dict(body)
    if "shipping_address" not in body and "billing_address" in body:
        body["shipping_address"] = body["billing_address"]
    for key in ("billing_address", "shipping_address"):
        authorized, given = snapshot.get(key) or {}, body.get(key) or {}
        if not authorized and not given:
            continue
        for name in sorted(set(authorized) | set(given)):
            if (authorized.get(name) or "") != (given.get(name) or ""):
                fields.append(f"{key}.{name}")
    expected_lines, lines = snapshot.get("order_lines") or [], body.get("order_lines") or []
    if len(expected_lines) != len(lines):
        fields.append(
            f"Incorrect number of items in the cart. Expected: {len(expected_lines)}, Actual: {len(lines)}"
        )
    else:
        for i, (a, b) in enumerate(zip(expected_lines, lines, strict=True)):
            for name in MATCHED_LINE_FIELDS:
                if a.get(name) != b.get(name):
                    fields.append(f"order_lines[{i}].{name}")
    return fields


def create_order(merchant: str, token: str, payload, base_url: str) -> tuple[int, dict]:
    """POST /payments/v1/authorizations/{token}/order. Keyed by the token: the first result,
    success or failure, is stored and replayed on every later call."""
    with transaction.atomic():
        authorization = _authorization(merchant, token, lock=True)
        if authorization.result_status is not None:
            return authorization.result_status, authorization.result_body
        try:
            status, body = 200, _place(authorization, payload, base_url)
        except KlarnaError as error:
            status, body = error.status, error.body()
        authorization.result_status, authorization.result_body = status, body
        authorization.save(update_fields=["result_status", "result_body"])
        return status, body


def _place(authorization: EmulatorAuthorization, payload, base_url: str) -> dict:
    data = validate_payload(payload)
    mismatched = not_matching_fields(authorization.snapshot, payload)
    if mismatched:
        raise KlarnaError(409, "BAD_VALUE", f"Not matching fields: [{', '.join(mismatched)}]")
    session = authorization.session
    now = clock.now()
    order_data = {**authorization.snapshot, **data}
    persona = persona_for(email_of(order_data, authorization.snapshot))
    fraud_status = "PENDING" if persona.pending_decision else "ACCEPTED"
    category = authorization.payment_method_category
    order = EmulatorOrder.objects.create(
        order_id=str(uuid.uuid4()),
        merchant=authorization.merchant,
        session=session,
        fraud_status=fraud_status,
        order_amount=data["order_amount"],
        original_order_amount=data["order_amount"],
        purchase_country=data["purchase_country"],
        purchase_currency=data["purchase_currency"],
        locale=data["locale"],
        data=order_data,
        klarna_reference=secrets.token_hex(4).upper(),
        initial_payment_method=INITIAL_PAYMENT_METHOD.get(category, {"type": "OTHER"}),
        created_at=now,
        expires_at=now + ORDER_AUTHORIZATION_LIFETIME,
    )
    if persona.pending_decision:
        notification_url = (order_data.get("merchant_urls") or {}).get("notification", "")
        EmulatorCallback.objects.create(
            kind=EmulatorCallback.KIND_NOTIFICATION,
            order=order,
            url=_fill_placeholders(notification_url, order),
            decision=persona.pending_decision,
            due_at=now + timedelta(minutes=persona.pending_minutes),
        )
    if data.get("auto_capture") and fraud_status == "ACCEPTED":
        from .orders import capture_everything

        capture_everything(order)
    session.status = "complete"
    session.save(update_fields=["status"])
    return {
        "order_id": order.order_id,
        "redirect_url": f"{base_url}/redirect/{order.order_id}",
        "fraud_status": fraud_status,
        "authorized_payment_method": AUTHORIZED_PAYMENT_METHOD.get(category, {"type": "invoice"}),
    }


def _fill_placeholders(url: str, order: EmulatorOrder) -> str:
    session_id = order.session.session_id if order.session else ""
    return url.replace("{order.id}", order.order_id).replace("{session.id}", session_id)


def confirmation_url(order_id: str) -> str | None:
    order = EmulatorOrder.objects.select_related("session").filter(order_id=order_id).first()
    if order is None:
        return None
    url = (order.data.get("merchant_urls") or {}).get("confirmation")
    return _fill_placeholders(url, order) if url else None


def cancel_authorization(merchant: str, token: str) -> None:
    """DELETE /payments/v1/authorizations/{token} (204); the token is unusable afterwards."""
    with transaction.atomic():
        authorization = _authorization(merchant, token, lock=True)
        authorization.cancelled_at = clock.now()
        authorization.save(update_fields=["cancelled_at"])
