"""One registry of payment providers (settings.PAYMENT_PROVIDERS): each provider says which
codes it handles; cart and checkout find them the same way."""

from types import SimpleNamespace

import pytest

from cart.payment_methods import RetryPlacement, method_title, provider_for, providers
from checkout.offline_payments import OfflinePayments
from payments_klarna.provider import KlarnaPayments
from shop.errors import DomainError


def test_every_code_finds_the_provider_that_says_it_handles_it():
    assert isinstance(provider_for("klarna_pay_later"), KlarnaPayments)
    assert isinstance(provider_for("klarna_some_new_category"), KlarnaPayments)
    assert isinstance(provider_for("checkmo"), OfflinePayments)
    assert isinstance(provider_for("free"), OfflinePayments)
    with pytest.raises(DomainError) as raised:
        provider_for("braintree")
    assert raised.value.code == "payment_method_unavailable"


def test_the_registry_lists_klarna_first_as_the_setting_says():
    assert [type(provider) for provider in providers()] == [KlarnaPayments, OfflinePayments]


def test_titles_of_selected_methods_come_from_their_provider():
    assert method_title("checkmo") == "Check / Money order"
    assert method_title("free") == "No Payment Information Required"
    assert method_title("klarna_pay_over_time") == "Financing"
    assert method_title("klarna_gift_card") == "Klarna (gift card)"
    assert method_title("braintree") == "braintree"


@pytest.mark.parametrize(
    ("code", "grand_total", "refused"),
    [("checkmo", 10, False), ("checkmo", 0, True), ("free", 0, False), ("free", 10, True)],
)
def test_offline_payment_is_refused_when_the_total_no_longer_fits_the_method(code, grand_total, refused):
    cart = SimpleNamespace(payment_method_code=code)
    totals = SimpleNamespace(grand_total=grand_total)
    if refused:
        with pytest.raises(DomainError) as raised:
            OfflinePayments().prepare(cart, None, totals)
        assert raised.value.code == "place_payment_missing"
    else:
        assert OfflinePayments().prepare(cart, None, totals) is None
        assert OfflinePayments().authorize(cart, None, "1000001").order_status == "pending"


@pytest.mark.parametrize("state", ["uncertain", "paying", "authorized", "failed"])
def test_offline_placements_leave_nothing_to_recover(state):
    assert OfflinePayments().recover(SimpleNamespace(state=state, payment_reference="")) is None


@pytest.mark.parametrize("state", ["uncertain", "paying"])
def test_klarna_retries_an_unfinished_payment_with_the_same_token(state):
    assert KlarnaPayments().recover(SimpleNamespace(state=state)) == RetryPlacement()
