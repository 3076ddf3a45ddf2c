"""The Django admin pages of the catalog, tax rates, coupons and carts load for staff."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cart.models import Cart, CartAddress, CartItem, Coupon
from shop.models import TaxRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-password-123")
    client.force_login(user)
    return client


@pytest.fixture
def records(product):
    tax_rate = TaxRate.objects.create(country="DE", tax_class="standard", rate=Decimal("19"))
    coupon = Coupon.objects.create(code="welcome10", value=Decimal("10"), times_used=2)
    cart = Cart.objects.create(email="shopper@example.com")
    CartItem.objects.create(cart=cart, product=product, quantity=2)
    CartAddress.objects.create(
        cart=cart,
        kind="shipping",
        firstname="Ada",
        lastname="L",
        street=["Main 1"],
        city="Berlin",
        country_code="DE",
    )
    return {"product": product, "taxrate": tax_rate, "coupon": coupon, "cart": cart}


@pytest.mark.parametrize(
    ("app", "model"), [("shop", "product"), ("shop", "taxrate"), ("cart", "coupon"), ("cart", "cart")]
)
def test_admin_changelist_and_change_form_load(admin_client, records, app, model):
    changelist = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    change = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[records[model].pk]))
    assert change.status_code == 200


def test_admin_product_search_and_filters(admin_client, records):
    response = admin_client.get(
        reverse("admin:shop_product_changelist"), {"q": "duffle", "tax_class": "standard"}
    )
    assert response.status_code == 200
    assert "24-MB01" in response.content.decode()


def test_admin_cart_is_read_only_and_shows_items_and_addresses(admin_client, records):
    cart = records["cart"]
    response = admin_client.get(reverse("admin:cart_cart_change", args=[cart.pk]))
    html = response.content.decode()
    assert "Joust Duffle Bag" in html and "Berlin" in html
    assert 'name="_save"' not in html
    assert admin_client.get(reverse("admin:cart_cart_add")).status_code == 403
    listing = admin_client.get(reverse("admin:cart_cart_changelist"), {"q": "shopper@"}).content.decode()
    assert f"{cart.masked_id[:8]}…" in listing
    assert cart.masked_id not in listing


def test_admin_coupon_times_used_is_read_only(admin_client, records):
    coupon = records["coupon"]
    url = reverse("admin:cart_coupon_change", args=[coupon.pk])
    assert 'name="times_used"' not in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "code": "WELCOME10",
            "label": "",
            "discount_type": "percent",
            "value": "15",
            "times_used": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.value, coupon.times_used) == (Decimal("15.00"), 2)


def test_admin_product_form_accepts_a_local_image_path(admin_client, records):
    product = records["product"]
    response = admin_client.post(
        reverse("admin:shop_product_change", args=[product.pk]),
        {
            "sku": product.sku,
            "name": product.name,
            "url_key": product.url_key,
            "is_active": "on",
            "price": "19.99",
            "tax_class": "standard",
            "stock_qty": "10",
            "description": "",
            "image_url": "/static/img/products/tote.svg",
            # the categories inline, left empty
            "category_links-TOTAL_FORMS": "0",
            "category_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.image_url == "/static/img/products/tote.svg"
