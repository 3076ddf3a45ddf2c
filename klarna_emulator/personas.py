"""Playground test personas, chosen by the local part of the shopper's email (reference §5.4)."""

import re
from dataclasses import dataclass

_PENDING = re.compile(r"\+pend-(accept|reject)-(\d{2})@", re.IGNORECASE)


@dataclass(frozen=True)
class Persona:
    denied: bool = False  # authorize -> approved: false
    red: bool = False  # load/authorize -> show_form: false
    pending_decision: str = ""  # "ACCEPTED" / "REJECTED" after review
    pending_minutes: int = 0


def persona_for(email: str | None) -> Persona:
    email = (email or "").lower()
    pending = _PENDING.search(email)
    return Persona(
        denied="+denied@" in email,
        red="+red@" in email,
        pending_decision=({"accept": "ACCEPTED", "reject": "REJECTED"}[pending.group(1)] if pending else ""),
        pending_minutes=int(pending.group(2)) if pending else 0,
    )


def email_of(*payloads: dict) -> str:
    """The first billing email found in the given payloads (browser data first, then session)."""
    for payload in payloads:
        billing = (payload or {}).get("billing_address") or {}
        if isinstance(billing, dict) and billing.get("email"):
            return billing["email"]
    return ""
