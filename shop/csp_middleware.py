"""django-csp's middleware, with the settings' policy built once instead of for every response.

django-csp 4.0 builds both headers (policy and report-only) from the settings on every response,
~20 % of the CPU of a trivial GraphQL request (cProfile, ``{ __typename }``). A response whose
request used no nonce and whose view set no per-view policy (``csp.decorators``: config, update,
replace, exempt) gets the header strings built once per settings value; every other response
goes through django-csp unchanged.
"""

from http import HTTPStatus

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

PER_VIEW = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)

_built: dict[str, str] = {}


def _clear(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


setting_changed.connect(_clear)


def settings_headers() -> dict[str, str]:
    """{header: value} of the settings' policies (those that build to something), built once."""
    if not _built:
        _built[""] = ""  # built (maybe to nothing)
        for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
            value = build_policy(report_only=report_only)
            if value:
                _built[header] = value
    return {header: value for header, value in _built.items() if header}


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in PER_VIEW
        ):
            return super().process_response(request, response)
        debug_page = response.status_code in (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND)
        if debug_page and settings.DEBUG:
            return response
        for header, value in settings_headers().items():
            setting = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if header == HEADER_REPORT_ONLY else "")
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if header not in response and not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
