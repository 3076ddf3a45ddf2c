"""The Klarna emulator alone, served at the root, as a WSGI application.

``manage.py klarna_emulator`` serves it with the standard library; a production-grade server
works too, which is what the load bench does so "Klarna" answers like a real API would
(persistent HTTP/1.1 connections, one database connection per thread)::

    gunicorn 'klarna_emulator.wsgi:create_app()' --worker-class gthread --threads 8

The shop then uses ``KLARNA_API_URL=http://<host>:<port>``.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.urls import set_urlconf

URLCONF = "klarna_emulator.standalone_urls"


class EmulatorWSGIHandler(WSGIHandler):
    """Django's handler, with the emulator's own URLconf for every request."""

    def get_response(self, request):
        request.urlconf = URLCONF
        set_urlconf(URLCONF)
        return super().get_response(request)


def create_app() -> EmulatorWSGIHandler:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup(set_prefix=False)
    return EmulatorWSGIHandler()
