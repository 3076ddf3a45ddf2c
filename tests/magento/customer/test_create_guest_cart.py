"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/CreateGuestCartTest.php."""

from cart.models import Cart

QUERY = "mutation {\n  createGuestCart {\n    cart {\n      id\n    }\n  }\n}"


def test_fail_for_logged_in_user(gql, customer_auth):
    error = gql.error(QUERY, **customer_auth)
    assert error["message"] == "Use `Query.customerCart` for logged in customer."
    assert not Cart.objects.exists()
