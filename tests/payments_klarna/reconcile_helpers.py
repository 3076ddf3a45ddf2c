"""Helpers for the authorization-callback and reconcile tests."""

import json

from klarna_emulator import callbacks


class DjangoClientHttp:
    """Delivers the emulator's callbacks to this test's Django app, as Klarna would over HTTP."""

    def __init__(self, client):
        self.client = client
        self.delivered = []

    def post(self, url, json, timeout):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        response = self.client.post(path, data=_dumps(json), content_type="application/json")
        self.delivered.append((path, response.status_code, response.json()))
        return response


def _dumps(value) -> str:
    return json.dumps(value)


def deliver_callbacks(client) -> DjangoClientHttp:
    http = DjangoClientHttp(client)
    callbacks.fire_due(http=http)
    return http
