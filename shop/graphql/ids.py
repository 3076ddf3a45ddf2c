"""Magento's ``uid`` values: base64 of the entity id (``MQ==`` for 1)."""

import base64
import binascii


def encode_uid(pk: int) -> str:
    return base64.b64encode(str(pk).encode()).decode()


def decode_uid(uid: str) -> int | None:
    """Entity id of a uid, or None when the uid is not one of ours."""
    try:
        value = base64.b64decode(uid.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(value) if value.isascii() and value.isdigit() else None
