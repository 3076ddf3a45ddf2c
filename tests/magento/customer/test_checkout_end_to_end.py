"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/CheckoutEndToEndTest.php
(one method, ``testCheckoutWorkflow``: a new customer from sign-up to the order in its history).

Adapted: the password meets our rules (Magento's is ``123123Qa``); Magento's
``Magento/Catalog/_files/products_list.php`` product ``simple1`` is one product at $10; the
order-history step reads 2.4's ``customer { orders }`` (Magento's file still uses the
deprecated ``customerOrders`` query with ``increment_id``, which the shop does not serve);
"email sent" is the order's confirmation email in the outbox."""

import pytest

from checkout.models import EmailOutbox, Order
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import gql_string


@pytest.fixture
def simple1(make_product):
    return make_product(sku="simple1", price="10.00", stock=100, name="Simple Product1")


def test_checkout_workflow(gql, simple1):
    quantity = 2

    # createCustomer
    gql.data(
        """
mutation {
  createCustomer(
    input: {
      firstname: "endto"
      lastname: "endtester"
      email: "customer@example.com"
      password: %s
    }
  ) {
    customer {
      email
    }
  }
}"""
        % gql_string(PASSWORD)
    )

    # loginCustomer
    response = gql.data(
        """
mutation {
  generateCustomerToken(
    email: "customer@example.com"
    password: %s
  ) {
    token
  }
}"""
        % gql_string(PASSWORD)
    )
    token = response["generateCustomerToken"]["token"]
    assert token
    headers = bearer(token)

    # findProduct
    response = gql.data(
        """
{
  products (
    filter: {
      sku: {
        eq:"simple1"
      }
    }
    pageSize: 1
    currentPage: 1
  ) {
    items {
      sku
    }
  }
}"""
    )
    assert len(response["products"]["items"]) == 1
    sku = response["products"]["items"][0]["sku"]
    assert sku

    # createEmptyCart
    cart_id = gql.data("mutation {\n  createEmptyCart\n}", **headers)["createEmptyCart"]
    assert cart_id

    # addProductToCart
    gql.data(
        """
mutation {
  addSimpleProductsToCart(
    input: {
      cart_id: "%s"
      cart_items: [
        {
          data: {
            quantity: %s
            sku: "%s"
          }
        }
      ]
    }
  ) {
    cart {
      items {
        quantity
        product {
          sku
        }
      }
    }
  }
}"""
        % (cart_id, quantity, sku),
        **headers,
    )

    address = """
          firstname: "test firstname"
          lastname: "test lastname"
          company: "test company"
          street: ["test street 1", "test street 2"]
          city: "test city"
          postcode: "887766"
          telephone: "88776655"
          region: "TX"
          country_code: "US"
"""
    # setBillingAddress
    gql.data(
        """
mutation {
  setBillingAddressOnCart(
    input: {
      cart_id: "%s"
      billing_address: {
         address: {%s}
      }
    }
  ) {
    cart {
      billing_address {
        __typename
      }
    }
  }
}"""
        % (cart_id, address),
        **headers,
    )

    # setShippingAddress
    response = gql.data(
        """
mutation {
  setShippingAddressesOnCart(
    input: {
      cart_id: "%s"
      shipping_addresses: [
        {
          address: {%s}
        }
      ]
    }
  ) {
    cart {
      shipping_addresses {
        available_shipping_methods {
          carrier_code
          method_code
          amount {
            value
          }
        }
      }
    }
  }
}"""
        % (cart_id, address),
        **headers,
    )
    addresses = response["setShippingAddressesOnCart"]["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert len(addresses[0]["available_shipping_methods"]) == 1
    shipping_method = addresses[0]["available_shipping_methods"][0]
    assert shipping_method["carrier_code"]
    assert shipping_method["method_code"]
    assert shipping_method["amount"]["value"]

    # setShippingMethod
    response = gql.data(
        """
mutation {
  setShippingMethodsOnCart(input:  {
    cart_id: "%s",
    shipping_methods: [
      {
         carrier_code: "%s"
         method_code: "%s"
      }
    ]
  }) {
    cart {
      available_payment_methods {
        code
        title
      }
    }
  }
}"""
        % (cart_id, shipping_method["carrier_code"], shipping_method["method_code"]),
        **headers,
    )
    payment_methods = response["setShippingMethodsOnCart"]["cart"]["available_payment_methods"]
    assert len(payment_methods) == 1
    payment_method = payment_methods[0]
    assert payment_method["code"]
    assert payment_method["title"]

    # setPaymentMethod
    gql.data(
        """
mutation {
  setPaymentMethodOnCart(
    input: {
      cart_id: "%s"
      payment_method: {
        code: "%s"
      }
    }
  ) {
    cart {
      selected_payment_method {
        code
      }
    }
  }
}"""
        % (cart_id, payment_method["code"]),
        **headers,
    )

    # placeOrder
    response = gql.data(
        """
mutation {
  placeOrder(
    input: {
      cart_id: "%s"
    }
  ) {
    order {
      order_number
    }
  }
}"""
        % cart_id,
        **headers,
    )
    order_increment_id = response["placeOrder"]["order"]["order_number"]
    assert order_increment_id
    order = Order.objects.get(number=order_increment_id)

    # checkOrderInHistory (2.4's customer.orders; see the module docstring)
    response = gql.data(
        "{\n  customer {\n    orders {\n      items {\n        number\n        total {\n          grand_total {\n            value\n          }\n        }\n      }\n    }\n  }\n}",
        **headers,
    )
    items = response["customer"]["orders"]["items"]
    assert len(items) == 1
    assert items[0]["number"] == order_increment_id
    assert "grand_total" in items[0]["total"]

    # $order->getEmailSent(): the confirmation email is written with the order.
    assert EmailOutbox.objects.filter(order=order, kind=EmailOutbox.Kind.CONFIRMATION).exists()
