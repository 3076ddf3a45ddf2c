"""The shop's WSGI application plus one test-only endpoint, for the two-host test.

``gunicorn tests.deploy.probe_wsgi:application`` serves the real shop (``shop.wsgi``) and
``GET /_probe/throttle?scope=..&key=..&limit=..`` which counts one hit with ``shop.throttle``
in that server process and answers the count and the process id. It exists only here, so
production has no endpoint that writes counters for anyone who asks.
"""

import json
import os
from urllib.parse import parse_qs

from shop.wsgi import application as shop_application


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/_probe/throttle":
        return shop_application(environ, start_response)
    from django.db import close_old_connections

    from shop import throttle

    query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    close_old_connections()
    try:
        result = throttle.hit(query["scope"], query["key"], limit=int(query["limit"]), window=3600)
    finally:
        close_old_connections()
    body = json.dumps({"allowed": result.allowed, "count": result.count, "pid": os.getpid()}).encode()
    start_response(
        "200 OK" if result.allowed else "429 Too Many Requests",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
