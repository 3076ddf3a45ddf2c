"""URLconf of ``manage.py klarna_emulator``: only the emulator, served at the root.

The shop then uses ``KLARNA_API_URL=http://127.0.0.1:8089`` and the SDK at
``http://127.0.0.1:8089/kp/lib/v1/api.js``.
"""

from django.urls import include, path

urlpatterns = [path("", include("klarna_emulator.urls"))]
