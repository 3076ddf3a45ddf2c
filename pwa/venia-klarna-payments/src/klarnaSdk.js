/**
 * Klarna's JS SDK (window.Klarna.Payments), loaded once from KLARNA_SDK_URL (build time), and its
 * callback-style calls as promises.
 */
const SDK_URL =
    process.env.KLARNA_SDK_URL || 'https://x.klarnacdn.net/kp/lib/v1/api.js';

let loading = null;

const payments = () =>
    (typeof window !== 'undefined' &&
        window.Klarna &&
        window.Klarna.Payments) ||
    null;

export const loadKlarnaSdk = () => {
    if (payments()) return Promise.resolve(payments());
    if (loading) return loading;
    loading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = SDK_URL;
        script.async = true;
        script.onload = () =>
            payments()
                ? resolve(payments())
                : reject(new Error('The Klarna script did not define Klarna.Payments.'));
        script.onerror = () =>
            reject(new Error('The Klarna script could not be loaded.'));
        document.head.appendChild(script);
    }).catch(error => {
        loading = null;
        throw error;
    });
    return loading;
};

/** Klarna.Payments.<method>(options[, data], callback) as a promise. */
export const klarnaCall = (method, options, data) =>
    new Promise((resolve, reject) => {
        try {
            const callback = result => resolve(result || {});
            if (data === undefined) payments()[method](options, callback);
            else payments()[method](options, data, callback);
        } catch (error) {
            reject(error);
        }
    });

export const initKlarna = clientToken =>
    payments().init({ client_token: clientToken });
