from tests.checkout.conftest import new_cart, ready_cart  # noqa: F401 - shared fixtures
