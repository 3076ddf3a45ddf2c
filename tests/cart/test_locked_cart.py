"""Cart changes take the lock as an argument (``cart.locks.LockedCart``) and return what they
wrote (``cart.services.CartChange``)."""

import pytest
from django.utils import timezone

from cart import locks, services
from cart.models import Cart
from shop.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_change_writes_its_fields_with_the_version_bump_and_returns_the_cart_as_written():
    cart = Cart.objects.create()
    before = Cart.objects.get(pk=cart.pk)

    with locks.cart_for_change(cart.masked_id) as locked:
        change = services.set_guest_email(locked, " erika@example.com ")

    stored = Cart.objects.get(pk=cart.pk)
    assert change.cart is locked.cart
    assert (stored.email, stored.version) == ("erika@example.com", before.version + 1)
    assert (change.cart.email, change.cart.version) == (stored.email, stored.version)
    assert stored.updated_at > before.updated_at  # auto_now, written with the bump


def test_the_lock_helper_checks_access_before_handing_out_the_cart():
    cart = Cart.objects.create()
    with pytest.raises(DomainError) as missing, locks.cart_for_change("x" * 32):
        pass
    assert missing.value.code == "cart_not_found"
    Cart.objects.filter(pk=cart.pk).update(is_active=False)
    with pytest.raises(DomainError) as inactive, locks.cart_for_change(cart.masked_id):
        pass
    assert inactive.value.code == "cart_not_active"


def test_a_cart_being_placed_refuses_changes_and_keeps_its_version():
    cart = Cart.objects.create(placing_started_at=timezone.now())

    with pytest.raises(DomainError) as error, locks.locked(cart) as locked:
        services.remove_coupon(locked)

    assert error.value.code == "cart_placing"
    assert Cart.objects.get(pk=cart.pk).version == cart.version
