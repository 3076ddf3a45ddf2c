import { gql } from '@apollo/client';

// The documents the shop's own checkout sends (static/js/checkout.js), as Magento's Klarna module
// defines them.
export const CREATE_KLARNA_SESSION = gql`
    mutation createKlarnaPaymentsSession($cartId: String!) {
        createKlarnaPaymentsSession(input: { cart_id: $cartId }) {
            client_token
            payment_method_categories {
                identifier
                name
                asset_urls {
                    descriptive
                    standard
                }
            }
        }
    }
`;

// What Klarna's authorize() wants to see: the cart's email and addresses.
export const GET_KLARNA_CART_DETAILS = gql`
    query getKlarnaCartDetails($cartId: String!) {
        cart(cart_id: $cartId) {
            id
            email
            shipping_addresses {
                firstname
                lastname
                street
                city
                postcode
                telephone
                region {
                    code
                    label
                }
                country {
                    code
                }
            }
            billing_address {
                firstname
                lastname
                street
                city
                postcode
                telephone
                region {
                    code
                    label
                }
                country {
                    code
                }
            }
        }
    }
`;

export const SET_KLARNA_PAYMENT_METHOD = gql`
    mutation setKlarnaPaymentMethodOnCart(
        $cartId: String!
        $code: String!
        $authorizationToken: String!
    ) {
        setPaymentMethodOnCart(
            input: {
                cart_id: $cartId
                payment_method: {
                    code: $code
                    klarna: { authorization_token: $authorizationToken }
                }
            }
        ) {
            cart {
                id
                selected_payment_method {
                    code
                    title
                }
            }
        }
    }
`;
