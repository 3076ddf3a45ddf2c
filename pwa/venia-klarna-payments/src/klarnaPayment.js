import React, { useCallback, useEffect, useRef, useState } from 'react';
import { bool, func, shape, string } from 'prop-types';
import { useIntl } from 'react-intl';
import { useApolloClient } from '@apollo/client';
import { useCartContext } from '@magento/peregrine/lib/context/cart';
import useFieldState from '@magento/peregrine/lib/hooks/hook-wrappers/useInformedFieldStateWrapper';
import { useStyle } from '@magento/venia-ui/lib/classify';
import BillingAddress from '@magento/venia-ui/lib/components/CheckoutPage/BillingAddress';

import {
    CREATE_KLARNA_SESSION,
    GET_KLARNA_CART_DETAILS,
    SET_KLARNA_PAYMENT_METHOD
} from './klarna.gql';
import { identifierOf, isKlarnaCode } from './codes';
import { initKlarna, klarnaCall, loadKlarnaSdk } from './klarnaSdk';
import defaultClasses from './klarnaPayment.module.css';

// Klarna takes a region only where addresses have one (the shop sends it for these alone; a
// region Klarna did not get at session time makes the authorization not match the order).
const REGION_COUNTRIES = ['US', 'CA', 'AU', 'MX'];

/** A cart address as Klarna's authorize() data names it. */
const klarnaAddress = (address, email) => ({
    given_name: address.firstname,
    family_name: address.lastname,
    email,
    street_address: (address.street && address.street[0]) || '',
    street_address2: (address.street && address.street[1]) || '',
    postal_code: address.postcode || '',
    city: address.city,
    region:
        (address.country &&
            REGION_COUNTRIES.includes(address.country.code) &&
            address.region &&
            (address.region.code || address.region.label)) ||
        '',
    phone: address.telephone || '',
    country: address.country && address.country.code
});

/**
 * One Klarna category (the selected `klarna_<identifier>` method) in Venia's payment step, with
 * the contract of Venia's payment components (the checkmo sample's): when selected, a fresh Klarna
 * session (createKlarnaPaymentsSession), Klarna's SDK initialised with its client_token and the
 * widget loaded for the category; on Review Order (`shouldSubmit`) the billing address is saved
 * (Venia's BillingAddress), Klarna.Payments.authorize() runs with the cart's addresses, and an
 * approval sets the method with `klarna.authorization_token` before `onPaymentSuccess`; Venia then
 * places the order with its own placeOrder.
 */
const KlarnaPayment = props => {
    const { onPaymentSuccess, onPaymentError, resetShouldSubmit, shouldSubmit } = props;
    const classes = useStyle(defaultClasses, props.classes);
    const { formatMessage } = useIntl();
    const client = useApolloClient();
    const [{ cartId }] = useCartContext();
    const { value: code } = useFieldState('selectedPaymentMethod');
    const identifier = isKlarnaCode(code) ? identifierOf(code) : null;
    const containerId = `klarna-payments-container-${identifier}`;

    const [status, setStatus] = useState('loading'); // loading | ready | unavailable | error
    const [message, setMessage] = useState(null);
    const [category, setCategory] = useState(null);
    const statusRef = useRef(status);
    statusRef.current = status;
    const busy = useRef(false);
    const tokenRef = useRef(null);

    const say = useCallback(
        (id, defaultMessage) => setMessage(formatMessage({ id, defaultMessage })),
        [formatMessage]
    );

    useEffect(() => {
        if (!identifier || !cartId) return;
        let current = true;
        setStatus('loading');
        setMessage(null);
        (async () => {
            try {
                const { data } = await client.mutate({
                    mutation: CREATE_KLARNA_SESSION,
                    variables: { cartId }
                });
                const session = data.createKlarnaPaymentsSession || {};
                const found = (session.payment_method_categories || []).find(
                    c => c.identifier === identifier
                );
                if (!current) return;
                if (!session.client_token || !found) {
                    setStatus('unavailable');
                    say(
                        'klarnaPayments.unavailable',
                        "Klarna isn't available for this order. Please choose another payment method."
                    );
                    return;
                }
                setCategory(found);
                await loadKlarnaSdk();
                if (!current) return;
                initKlarna(session.client_token);
                tokenRef.current = session.client_token;
                const result = await klarnaCall('load', {
                    container: `#${containerId}`,
                    payment_method_category: identifier
                });
                if (!current) return;
                if (result.show_form === false) {
                    setStatus('unavailable');
                    say(
                        'klarnaPayments.unavailable',
                        "Klarna isn't available for this order. Please choose another payment method."
                    );
                } else {
                    setStatus('ready');
                }
            } catch (error) {
                if (!current) return;
                setStatus('error');
                say(
                    'klarnaPayments.loadError',
                    "We couldn't load Klarna right now. Please try again in a moment or choose another payment method."
                );
            }
        })();
        return () => {
            current = false;
        };
    }, [cartId, client, containerId, identifier, say]);

    const onBillingAddressChangedSuccess = useCallback(async () => {
        if (busy.current) return;
        busy.current = true;
        try {
            if (statusRef.current !== 'ready') {
                resetShouldSubmit();
                return;
            }
            // Venia has just saved the billing address: Klarna's session must hold the cart as it
            // is now, or the shop refuses the authorization at placeOrder.
            const refreshed = await client.mutate({
                mutation: CREATE_KLARNA_SESSION,
                variables: { cartId }
            });
            const session = refreshed.data.createKlarnaPaymentsSession || {};
            if (
                !(session.payment_method_categories || []).some(
                    c => c.identifier === identifier
                )
            ) {
                setStatus('unavailable');
                say(
                    'klarnaPayments.unavailable',
                    "Klarna isn't available for this order. Please choose another payment method."
                );
                resetShouldSubmit();
                return;
            }
            if (session.client_token && session.client_token !== tokenRef.current) {
                initKlarna(session.client_token);
                tokenRef.current = session.client_token;
            }
            const { data } = await client.query({
                query: GET_KLARNA_CART_DETAILS,
                variables: { cartId },
                fetchPolicy: 'network-only'
            });
            const cart = data.cart;
            const shipping = cart.shipping_addresses[0];
            const billing = cart.billing_address || shipping;
            const result = await klarnaCall(
                'authorize',
                { payment_method_category: identifier },
                {
                    billing_address: klarnaAddress(billing, cart.email),
                    shipping_address: klarnaAddress(shipping || billing, cart.email)
                }
            );
            if (result.approved && result.authorization_token) {
                await client.mutate({
                    mutation: SET_KLARNA_PAYMENT_METHOD,
                    variables: {
                        cartId,
                        code,
                        authorizationToken: result.authorization_token
                    }
                });
                setMessage(null);
                onPaymentSuccess();
            } else if (result.show_form === false) {
                setStatus('unavailable');
                say(
                    'klarnaPayments.declined',
                    'Klarna declined this payment. Please choose another payment method.'
                );
                resetShouldSubmit();
            } else {
                say(
                    'klarnaPayments.notCompleted',
                    'The Klarna payment was not completed. Please try again.'
                );
                resetShouldSubmit();
            }
        } catch (error) {
            say(
                'klarnaPayments.authorizeError',
                "We couldn't reach Klarna. Please try again or choose another payment method."
            );
            onPaymentError();
        } finally {
            busy.current = false;
        }
    }, [
        cartId,
        client,
        code,
        identifier,
        onPaymentError,
        onPaymentSuccess,
        resetShouldSubmit,
        say
    ]);

    // asset_urls: a list in Magento's Klarna schema ([{descriptive, standard}]).
    const assets = category && [].concat(category.asset_urls || [])[0];
    const badge =
        assets && assets.standard ? (
            <img
                className={classes.badge}
                src={assets.standard}
                alt="Klarna"
                height="24"
            />
        ) : null;

    return (
        <div className={classes.root} data-klarna-category={identifier}>
            {category ? (
                <p className={classes.title}>
                    {badge}
                    <span>{category.name}</span>
                </p>
            ) : null}
            <div id={containerId} className={classes.container} />
            {message ? (
                <p className={classes.message} role="alert">
                    {message}
                </p>
            ) : null}
            <BillingAddress
                resetShouldSubmit={resetShouldSubmit}
                shouldSubmit={shouldSubmit}
                onBillingAddressChangedError={resetShouldSubmit}
                onBillingAddressChangedSuccess={onBillingAddressChangedSuccess}
            />
        </div>
    );
};

KlarnaPayment.propTypes = {
    classes: shape({ root: string }),
    shouldSubmit: bool.isRequired,
    onPaymentSuccess: func.isRequired,
    onPaymentError: func.isRequired,
    resetShouldSubmit: func.isRequired
};

export default KlarnaPayment;
