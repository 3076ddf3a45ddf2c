from tests.checkout.conftest import new_cart, ready_cart  # noqa: F401 - shared fixtures
from tests.checkout.test_place_order_klarna import klarna_cart  # noqa: F401
