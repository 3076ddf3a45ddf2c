"""Klarna's error body: ``{error_code, error_messages, correlation_id}``."""

import uuid

from django.http import JsonResponse


class KlarnaError(Exception):
    def __init__(self, status: int, error_code: str, *messages: str):
        super().__init__(f"{status} {error_code}: {'; '.join(messages)}")
        self.status = status
        self.error_code = error_code
        self.error_messages = list(messages)

    def body(self) -> dict:
        return {
            "error_code": self.error_code,
            "error_messages": self.error_messages,
            "correlation_id": str(uuid.uuid4()),
        }

    def response(self) -> JsonResponse:
        body = self.body()
        response = JsonResponse(body, status=self.status)
        response["Klarna-Correlation-Id"] = body["correlation_id"]
        return response


def bad_value(*fields: str) -> KlarnaError:
    return KlarnaError(400, "BAD_VALUE", *(f"Bad value: {f}" for f in fields))
