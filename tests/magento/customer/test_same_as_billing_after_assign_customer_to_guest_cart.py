"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/SameAsBillingAfterAssignCustomerToGuestCartTest.php."""

from tests.magento.conftest import add_simple_product


def test_same_as_billing_stays_false_after_assign_customer_to_guest_cart(
    gql, simple_product, guest_cart, customer_auth
):
    add_simple_product(gql, guest_cart, quantity=1)
    gql.data(
        """
mutation {
  setShippingAddressesOnCart(
    input: {
      cart_id: "%s"
      shipping_addresses: [
        {
          address: {
            firstname: "John"
            lastname: "Doe"
            telephone: "0987654321"
            street: ["Green str, 67"]
            city: "CityM"
            region: "AL"
            postcode: "75477"
            country_code: "US"
          }
        }
      ]
    }
  ) {
    cart {
      shipping_addresses {
        firstname
        same_as_billing
      }
    }
  }
}"""
        % guest_cart
    )
    gql.data(
        """
mutation {
  setBillingAddressOnCart(
    input: {
      cart_id: "%s"
      billing_address: {
        address: {
          firstname: "Jane"
          lastname: "Roe"
          telephone: "1234567890"
          street: ["Test street 1"]
          city: "Test city"
          region: "CA"
          postcode: "887766"
          country_code: "US"
        }
      }
    }
  ) {
    cart {
      shipping_addresses {
        firstname
        same_as_billing
      }
    }
  }
}"""
        % guest_cart
    )
    response = gql.data(
        """
mutation {
  assignCustomerToGuestCart(cart_id: "%s") {
    shipping_addresses {
      firstname
      same_as_billing
    }
    billing_address {
      firstname
    }
  }
}"""
        % guest_cart,
        **customer_auth,
    )
    cart = response["assignCustomerToGuestCart"]
    shipping = cart["shipping_addresses"][0]
    assert shipping["same_as_billing"] is False
    assert shipping["firstname"] != cart["billing_address"]["firstname"]
