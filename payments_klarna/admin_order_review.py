"""Staff money actions in two steps: what staff enter, then what they confirm.

A money action of the Klarna panel (capture, cancel, release) moves nothing when its form is
posted; refunds are credit memos (``checkout.admin_credit_memos``). The form becomes a
``Review``: the amount in minor units, the currency, the Klarna order lines that are sent,
shipping info, description, a fresh operation id and the order's state as seen (``state_of``).
The confirmation page shows it in currency precision and carries it signed
(``django.core.signing``) in one hidden ``token``; only the Confirm POST of that token moves
money, with exactly the signed values (never the POST's other fields), and only while the
order is still in the state that was shown.

The capture form has no preset choice: what moves is inferred from what staff entered (an
amount, or line quantities), and a contradiction (an amount typed while "Everything" is
chosen, or an amount and lines together) is refused in plain words.
"""

import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django import forms
from django.core import signing

from shop.money import precision, to_minor_units

from . import order_management as om
from .models import KlarnaPayment

MONEY_ACTIONS = ("capture", "cancel", "release")
SALT = "payments_klarna.admin_order_review"
MAX_AGE_SECONDS = 12 * 3600

STALE = "The order changed since you reviewed this action; review it again."
INVALID = (
    "This confirmation is not valid (altered, or made for another order, action or staff "
    "member); nothing was done. Review the action again."
)
EXPIRED = "This confirmation is more than 12 hours old; nothing was done. Review the action again."
FORM_ERRORS = {
    "nothing_entered": "Enter an amount, enter line quantities, or choose “{everything}”.",
    "all_and_amount": (
        "You chose “{everything}” and also typed an amount of {amount}: choose “An amount” to "
        "{verb} only that, or clear the amount to {verb} everything."
    ),
    "all_and_lines": (
        "You chose “{everything}” and also entered line quantities: choose “Chosen lines” to "
        "{verb} only those, or clear the quantities to {verb} everything."
    ),
    "amount_and_lines": (
        "You entered both an amount ({amount}) and line quantities: enter only one of them, so it "
        "is clear what to {verb}."
    ),
    "amount_missing": "You chose “An amount”: enter the amount.",
    "lines_missing": "You chose “Chosen lines”: enter a quantity for at least one line.",
    "zero": "There is nothing to do for a zero amount.",
}
HEADLINES = {
    "capture": "Klarna will charge the customer {amount}.",
    "cancel": "Klarna will cancel the whole order: the customer will not be charged the {amount} authorized.",
    "release": "Klarna will release the {amount} left of the authorization: it can no longer be captured.",
}


CONFIRM_LABELS = {
    "capture": "Confirm: capture {amount}",
    "cancel": "Confirm: cancel the order",
    "release": "Confirm: release {amount}",
}


class ReviewInvalid(Exception):
    """The posted confirmation cannot be carried out as it stands (message in plain words)."""


def state_of(payment: KlarnaPayment, order) -> dict:
    """The order's state as staff see it when they review an action; a confirmation is carried
    out only while this is unchanged (after reading Klarna again)."""
    return {
        "order_status": order.status,
        "klarna_status": payment.status,
        "fraud_status": payment.fraud_status,
        "currency": payment.currency,
        "authorized": payment.authorized_amount,
        "captured": payment.captured_amount,
        "refunded": payment.refunded_amount,
        "remaining": om.remaining_to_capture(payment),
    }


@dataclass(frozen=True)
class Review:
    """Exactly what one Confirm moves. Amounts are integer minor units."""

    order_id: int
    action: str
    user_id: int
    currency: str
    amount_minor: int
    state: dict
    operation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    lines: list = field(default_factory=list)
    shipping_company: str = ""
    tracking_number: str = ""
    description: str = ""

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=SALT, compress=True)

    @classmethod
    def unsign(cls, token: str, *, order, action: str, user) -> "Review":
        """The signed review, if it is intact, recent, and for this order, action and user."""
        try:
            data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
        except signing.SignatureExpired as error:
            raise ReviewInvalid(EXPIRED) from error
        except signing.BadSignature as error:
            raise ReviewInvalid(INVALID) from error
        try:
            review = cls(**data)
        except TypeError as error:  # signed by an older version of this page
            raise ReviewInvalid(INVALID) from error
        if (review.order_id, review.action, review.user_id) != (order.pk, action, user.pk):
            raise ReviewInvalid(INVALID)
        return review

    # --- shown on the confirmation page -------------------------------------------------------

    def money(self, amount_minor: int) -> str:
        return om.format_minor(amount_minor, self.currency)

    @property
    def amount(self) -> str:
        return self.money(self.amount_minor)

    @property
    def headline(self) -> str:
        return HEADLINES[self.action].format(amount=self.amount)

    @property
    def confirm_label(self) -> str:
        return CONFIRM_LABELS[self.action].format(amount=self.amount)

    @property
    def line_rows(self) -> list[tuple[str, int, str, str]]:
        """(name, quantity, unit price, total) of each Klarna order line sent."""
        return [
            (
                line.get("name") or line.get("reference") or "—",
                int(line.get("quantity") or 0),
                self.money(int(line.get("unit_price") or 0)),
                self.money(int(line.get("total_amount") or 0)),
            )
            for line in self.lines
        ]

    @property
    def lines_note(self) -> str:
        if self.action == "cancel":
            return "The whole order is cancelled, all lines below included."
        if self.lines:
            return "These Klarna order lines are sent with the amount."
        return "No order lines are sent: Klarna records the amount only."

    @property
    def afterwards(self) -> list[tuple[str, str]]:
        """What the order will hold once Klarna has done it."""
        state = self.state
        if self.action == "capture":
            return [
                ("Captured afterwards", self.money(state["captured"] + self.amount_minor)),
                ("Left to capture afterwards", self.money(state["remaining"] - self.amount_minor)),
            ]
        return [("Left to capture afterwards", self.money(0))]


# --- the capture form ----------------------------------------------------------------------------


class CaptureForm(forms.Form):
    """Capture everything, an amount, or chosen quantities of Klarna's order lines, with optional
    shipping info. No choice is preset; ``clean`` infers it from what was entered or refuses a
    contradiction, and sets ``amount_minor`` and ``lines``."""

    verb = "capture"
    mode = forms.ChoiceField(widget=forms.RadioSelect, required=False)
    amount = forms.DecimalField(required=False, min_value=0, label="Amount")
    description = forms.CharField(required=False, max_length=255)
    shipping_company = forms.CharField(required=False, max_length=100)
    tracking_number = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, payment: KlarnaPayment, klarna_lines: list[dict], full: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.klarna_lines = klarna_lines
        self.full = full
        currency = payment.currency
        self.everything = f"Everything ({om.format_minor(full, currency)})"
        choices = [("all", self.everything), ("amount", "An amount")]
        if klarna_lines:
            choices.append(("lines", "Chosen lines"))
        self.fields["mode"].choices = choices
        self.fields["mode"].label = f"What to {self.verb}"
        self.fields["mode"].help_text = "Optional: entering an amount or line quantities is enough."
        self.fields["amount"].decimal_places = precision(currency)
        self.fields["amount"].widget.attrs["step"] = str(Decimal(1).scaleb(-precision(currency)))
        self.fields["amount"].help_text = f"in {currency}"
        for index, line in enumerate(klarna_lines):
            self.fields[f"line_{index}"] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=int(line.get("quantity") or 0),
                label=(
                    f"{line.get('name')} — {line.get('quantity')} × "
                    f"{om.format_minor(line.get('unit_price'), currency)}"
                ),
            )
        self.order_fields(["mode", "amount", *(f"line_{i}" for i in range(len(klarna_lines)))])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        mode = data.get("mode") or ""
        amount = data.get("amount")
        quantities = {i: data.get(f"line_{i}") for i in range(len(self.klarna_lines))}
        quantities = {i: q for i, q in quantities.items() if q}
        words = {"everything": self.everything, "verb": self.verb}
        if amount is not None:
            words["amount"] = om.format_minor(
                to_minor_units(amount, self.payment.currency), self.payment.currency
            )

        def refuse(code):
            raise forms.ValidationError(FORM_ERRORS[code].format(**words), code=code)

        if mode == "all":
            if amount is not None:
                refuse("all_and_amount")
            if quantities:
                refuse("all_and_lines")
        elif mode == "amount":
            if amount is None:
                refuse("amount_missing")
            if quantities:
                refuse("amount_and_lines")
        elif mode == "lines":
            if amount is not None:
                refuse("amount_and_lines")
            if not quantities:
                refuse("lines_missing")
        elif amount is not None and quantities:
            refuse("amount_and_lines")
        elif amount is not None:
            mode = "amount"
        elif quantities:
            mode = "lines"
        else:
            refuse("nothing_entered")

        data["mode"], data["lines"] = mode, []
        if mode == "all":
            data["amount_minor"] = self.full
        elif mode == "amount":
            data["amount_minor"] = to_minor_units(amount, self.payment.currency)
        else:
            try:
                data["lines"] = om.lines_for(self.klarna_lines, quantities)
            except om.OperationInvalid as error:
                raise forms.ValidationError(str(error)) from error
            data["amount_minor"] = sum(line["total_amount"] for line in data["lines"])
        if data["amount_minor"] <= 0:
            refuse("zero")
        return data
