"""The emulator's URLs, relative to its root (``/klarna-emulator/`` in the shop, ``/`` standalone)."""

from django.conf import settings
from django.urls import path, re_path

from . import api, payments, sdk, views_faults

app_name = "klarna_emulator"

urlpatterns = [
    path("", sdk.index, name="root"),
    # Payments v1
    path("payments/v1/sessions", api.sessions, name="sessions"),
    path("payments/v1/sessions/<str:session_id>", api.session, name="session"),
    path("payments/v1/authorizations/<str:token>/order", api.create_order, name="create_order"),
    path("payments/v1/authorizations/<str:token>", api.authorization, name="authorization"),
    path("redirect/<str:order_id>", api.order_redirect, name="order_redirect"),
    # Order Management v1
    path("ordermanagement/v1/orders/<str:order_id>", api.order, name="order"),
    path("ordermanagement/v1/orders/<str:order_id>/captures", api.captures, name="captures"),
    path("ordermanagement/v1/orders/<str:order_id>/captures/<str:capture_id>", api.capture, name="capture"),
    path(
        "ordermanagement/v1/orders/<str:order_id>/captures/<str:capture_id>/shipping-info",
        api.capture_shipping_info,
    ),
    path("ordermanagement/v1/orders/<str:order_id>/shipping-info", api.add_order_shipping_info),
    path("ordermanagement/v1/orders/<str:order_id>/refunds", api.refunds, name="refunds"),
    path("ordermanagement/v1/orders/<str:order_id>/refunds/<str:refund_id>", api.refund, name="refund"),
    path("ordermanagement/v1/orders/<str:order_id>/cancel", api.cancel),
    path(
        "ordermanagement/v1/orders/<str:order_id>/release-remaining-authorization",
        api.release_remaining_authorization,
    ),
    path("ordermanagement/v1/orders/<str:order_id>/extend-authorization-time", api.extend_authorization_time),
    path("ordermanagement/v1/orders/<str:order_id>/acknowledge", api.acknowledge),
    path("ordermanagement/v1/orders/<str:order_id>/authorization", api.update_authorization),
    path("ordermanagement/v1/orders/<str:order_id>/merchant-references", api.update_merchant_references),
    # JS SDK and what it calls
    path("kp/lib/v1/api.js", sdk.script, name="sdk"),
    path("kp/sdk/load", sdk.load, name="sdk_load"),
    path("kp/sdk/authorize-check", sdk.authorize_check, name="sdk_authorize_check"),
    path("kp/sdk/authorize", sdk.authorize, name="sdk_authorize"),
    path("kp/sdk/finalize", sdk.finalize, name="sdk_finalize"),
    # Payment method badges (asset_urls)
    path(payments.BADGE_PATH, sdk.badge, name="badge"),
    # Test hooks
]
if settings.KLARNA_EMULATOR_FAULTS:
    # Fault injection, unauthenticated by design: only on a DEBUG=true machine (never with DEBUG=false).
    urlpatterns.append(path("_faults", views_faults.faults_view, name="faults"))
# Last: whatever else is asked of the emulator answers as Klarna does for an unknown resource.
urlpatterns.append(re_path(r"^(?P<rest>.*)$", api.not_modelled, name="not_modelled"))
