"""``/favicon.ico``: browsers ask for it at the site root whatever the page links, so it is
served from there (the pages also link the SVG and ICO in static/img)."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"


@cache
def _icon() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    return HttpResponse(_icon(), content_type="image/x-icon")
