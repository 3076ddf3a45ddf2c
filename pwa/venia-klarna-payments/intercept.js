/**
 * Build-time registration with PWA Studio's extensibility targets (no Venia file is patched):
 *
 * - @magento/venia-ui `checkoutPagePaymentTypes`: one payment component per Klarna code. Venia's
 *   list renders a method only if its code has a component, and Klarna's codes are
 *   `klarna_<category identifier>`: Klarna's three categories (pay_now, pay_later, pay_over_time),
 *   each a module of its own in src/methods/ (the list imports a path once), one component.
 * - @magento/peregrine `talons`: usePaymentMethods is wrapped so the checkout asks for a Klarna
 *   session (createKlarnaPaymentsSession) once the cart reaches the payment step; the cart's
 *   available_payment_methods lists Klarna's categories only after that.
 * - @magento/pwa-buildpack `envVarDefinitions`: KLARNA_SDK_URL, the Klarna JS SDK the widget loads.
 */
const PACKAGE = '@klarna-shop/venia-klarna-payments';
const CATEGORIES = ['pay_now', 'pay_later', 'pay_over_time'];

module.exports = targets => {
    const { specialFeatures, envVarDefinitions } = targets.of(
        '@magento/pwa-buildpack'
    );
    specialFeatures.tap(flags => {
        flags[targets.name] = { esModules: true, cssModules: true };
    });
    envVarDefinitions.tap(defs => {
        defs.sections.push({
            name: 'Klarna Payments',
            variables: [
                {
                    name: 'KLARNA_SDK_URL',
                    type: 'str',
                    desc:
                        "Klarna's JS SDK. Klarna's CDN in production; the shop's emulator SDK (<shop>/klarna-emulator/kp/lib/v1/api.js) offline.",
                    default: 'https://x.klarnacdn.net/kp/lib/v1/api.js'
                }
            ]
        });
    });

    const { checkoutPagePaymentTypes } = targets.of('@magento/venia-ui');
    checkoutPagePaymentTypes.tap(payments => {
        for (const identifier of CATEGORIES) {
            payments.add({
                paymentCode: `klarna_${identifier}`,
                importPath: `${PACKAGE}/src/methods/klarna_${identifier}.js`
            });
        }
    });

    targets.of('@magento/peregrine').talons.tap(talons => {
        talons.CheckoutPage.PaymentInformation.usePaymentMethods.wrapWith(
            `${PACKAGE}/src/wrapUsePaymentMethods.js`
        );
    });
};
