import { useCallback, useEffect, useRef } from 'react';
import { useApolloClient } from '@apollo/client';
import { useCartContext } from '@magento/peregrine/lib/context/cart';

import { CREATE_KLARNA_SESSION } from './klarna.gql';
import { isKlarnaCode } from './codes';

/**
 * Wraps Peregrine's usePaymentMethods (the `talons` target): when the payment step shows a cart
 * whose methods list no Klarna category yet, ask for a Klarna session once per cart, then
 * re-query the methods (the shop lists `klarna_<identifier>` for the session's categories).
 * Klarna off or unavailable: the error is swallowed and the other methods stay as they are.
 * Choosing a Klarna category sends nothing yet: the shop takes a Klarna method only with its
 * authorization token (the component sets it after authorize()).
 */
export default function wrapUsePaymentMethods(original) {
    return function useKlarnaPaymentMethods(props) {
        const result = original(props);
        const client = useApolloClient();
        const [{ cartId }] = useCartContext();
        const asked = useRef(null);
        const { availablePaymentMethods, isLoading } = result;
        const hasKlarna = (availablePaymentMethods || []).some(m =>
            isKlarnaCode(m.code)
        );

        useEffect(() => {
            if (!cartId || isLoading || hasKlarna || asked.current === cartId)
                return;
            asked.current = cartId;
            client
                .mutate({
                    mutation: CREATE_KLARNA_SESSION,
                    variables: { cartId }
                })
                .then(({ data }) => {
                    const session = data && data.createKlarnaPaymentsSession;
                    if (session && session.payment_method_categories.length) {
                        return client.refetchQueries({
                            include: ['getPaymentMethods']
                        });
                    }
                })
                .catch(() => {});
        }, [cartId, client, hasKlarna, isLoading]);

        const { handlePaymentMethodSelection } = result;
        const handleSelection = useCallback(
            event => {
                if (!isKlarnaCode(event.target.value))
                    handlePaymentMethodSelection(event);
            },
            [handlePaymentMethodSelection]
        );

        return { ...result, handlePaymentMethodSelection: handleSelection };
    };
}
