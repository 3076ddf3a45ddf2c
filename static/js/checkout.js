// Checkout page: address, shipping method, payment with the Klarna Payments widget, place order.
//
// It follows Magento's Klarna seed workflow: once the cart has an email, an address and a
// shipping method, ask the server for a Klarna session (createKlarnaPaymentsSession), load the
// SDK, init with the client token and load the widget of the selected category. After every
// cart change (here, or in another tab: checked when the page becomes visible again) re-read
// the cart with available_payment_methods (the server refreshes the Klarna session), ask for
// the current token and categories, init again when the token changed and reload the widget.
import {
  PRICE_SUMMARY_FRAGMENT,
  linePrices,
  pricesIncludeTax,
  renderTotals,
  shippingNames,
  summaryLine,
} from "./cart-summary.js";
import {
  GraphQLResponseError,
  NetworkError,
  announce,
  formatMoney,
  graphql,
  h,
  isCartGone,
  onInFlightChange,
  setCartCount,
  isCustomer,
  shopperMessage,
  t,
} from "./graphql.js";
import { setFieldError, showFormErrors } from "./form-errors.js";

// --- GraphQL documents (the same operations a Venia client sends) ----------------------------

const ADDRESS_FIELDS = `firstname lastname street city region { code label region_id } postcode country { code label } telephone`;

const CHECKOUT_DETAILS = `
query getCheckoutDetails($cartId: String!) {
  cart(cart_id: $cartId) {
    id
    email
    ...PriceSummaryFragment
    shipping_addresses {
      ${ADDRESS_FIELDS}
      available_shipping_methods {
        amount { currency value }
        price_incl_tax { currency value }
        price_excl_tax { currency value }
        available carrier_code carrier_title method_code method_title error_message
      }
      selected_shipping_method { carrier_code method_code }
    }
    billing_address { ${ADDRESS_FIELDS} }
    available_payment_methods { code title }
    selected_payment_method { code }
  }
}
${PRICE_SUMMARY_FRAGMENT}`;

const GET_PAYMENT_METHODS = `
query getPaymentMethods($cartId: String!) {
  cart(cart_id: $cartId) { id available_payment_methods { code title } }
}`;

const SET_GUEST_SHIPPING = `
mutation SetGuestShipping($cartId: String!, $email: String!, $address: CartAddressInput!) {
  setGuestEmailOnCart(input: { cart_id: $cartId, email: $email }) { cart { id } }
  setShippingAddressesOnCart(input: { cart_id: $cartId, shipping_addresses: [{ address: $address }] }) {
    cart { id }
  }
}`;

// A signed-in customer's cart carries the account's email (setGuestEmailOnCart is for guests).
const SET_CUSTOMER_SHIPPING = `
mutation SetCustomerShipping($cartId: String!, $address: CartAddressInput!) {
  setShippingAddressesOnCart(input: { cart_id: $cartId, shipping_addresses: [{ address: $address }] }) {
    cart { id }
  }
}`;

const SET_BILLING_ADDRESS = `
mutation setBillingAddress($cartId: String!, $billingAddress: BillingAddressInput!) {
  setBillingAddressOnCart(input: { cart_id: $cartId, billing_address: $billingAddress }) {
    cart { id billing_address { firstname lastname country { code } } }
  }
}`;

const SET_SHIPPING_METHOD = `
mutation SetShippingMethod($cartId: String!, $shippingMethod: ShippingMethodInput!) {
  setShippingMethodsOnCart(input: { cart_id: $cartId, shipping_methods: [$shippingMethod] }) {
    cart { id available_payment_methods { code title } }
  }
}`;

const CREATE_KLARNA_SESSION = `
mutation createKlarnaPaymentsSession($cartId: String!) {
  createKlarnaPaymentsSession(input: { cart_id: $cartId }) {
    client_token
    payment_method_categories { identifier name asset_urls { descriptive standard } }
  }
}`;

const SET_PAYMENT_METHOD = `
mutation setPaymentMethodOnCart($cartId: String!, $paymentMethod: PaymentMethodInput!) {
  setPaymentMethodOnCart(input: { cart_id: $cartId, payment_method: $paymentMethod }) {
    cart { id selected_payment_method { code title } }
  }
}`;

const PLACE_ORDER = `
mutation placeOrder($cartId: String!) {
  placeOrder(input: { cart_id: $cartId }) {
    order { order_number }
    orderV2 { number status }
    errors { code message }
  }
}`;

const KLARNA_PREFIX = "klarna_";

// --- Page elements ---------------------------------------------------------------------------

const root = document.querySelector("[data-checkout]");
const cartId = root.dataset.cartId;
const rules = JSON.parse(document.getElementById("address-rules").textContent);
const addressForm = root.querySelector("[data-address-form]");
const billingSame = root.querySelector("[data-billing-same]");
const billingFields = root.querySelector("[data-billing-fields]");
const saveButton = root.querySelector("[data-save-address]");
const addressStatus = root.querySelector("[data-address-status]");
const errorSummary = root.querySelector("[data-error-summary]");
const shippingHint = root.querySelector("[data-shipping-hint]");
const shippingFieldset = root.querySelector("[data-shipping-methods]");
const shippingOptions = root.querySelector("[data-shipping-options]");
const paymentHint = root.querySelector("[data-payment-hint]");
const paymentFieldset = root.querySelector("[data-payment-methods]");
const paymentOptions = root.querySelector("[data-payment-options]");
const paymentStatus = root.querySelector("[data-payment-status]");
const placeButton = root.querySelector("[data-place-order]");

const state = {
  cart: null,
  ready: false, // email, shipping address and shipping method are on the cart
  addressSaved: false,
  addressDirty: false,
  klarnaToken: null, // current client token from createKlarnaPaymentsSession
  initedToken: null, // token Klarna.Payments.init last ran with
  categories: new Map(), // identifier -> category
  widgetReady: new Set(), // identifiers whose widget loaded with show_form true
  hiddenCategories: new Set(), // identifiers Klarna refused (show_form false) for this session
  selected: null, // payment method code
  shopperChoseShipping: false, // the shopper picked a shipping method (we stop choosing for them)
  placing: false,
  leaving: false,
  klarnaBusy: 0,
  requests: 0,
  refreshSeq: 0,
};

// --- Small helpers ---------------------------------------------------------------------------

function say(target, message, kind = "info") {
  announce(message, kind, target);
}

const isKlarna = (code) => Boolean(code) && code.startsWith(KLARNA_PREFIX);
const identifierOf = (code) => code.slice(KLARNA_PREFIX.length);
const containerId = (identifier) => `klarna_container_${identifier}`;

function updatePlaceButton() {
  const selected = state.selected;
  const widgetOk = !isKlarna(selected) || state.widgetReady.has(identifierOf(selected));
  const idle = state.requests === 0 && state.klarnaBusy === 0 && !state.placing && !state.leaving;
  placeButton.disabled = !(state.ready && selected && widgetOk && idle);
  saveButton.disabled = state.requests > 0 || state.placing || state.leaving;
  root.setAttribute("aria-busy", String(!idle));
}

onInFlightChange((count) => {
  state.requests = count;
  updatePlaceButton();
});

async function withKlarnaBusy(work) {
  state.klarnaBusy += 1;
  updatePlaceButton();
  try {
    return await work();
  } finally {
    state.klarnaBusy -= 1;
    updatePlaceButton();
  }
}

function cartGone() {
  state.leaving = true;
  updatePlaceButton();
  say(
    paymentStatus,
    "This cart has already been ordered or is no longer available. Please go back to your cart.",
    "error",
  );
  paymentStatus.append(h("a", { href: root.dataset.cartUrl }, "Go to your cart"));
}

// --- Address form ----------------------------------------------------------------------------

function addressBlock(prefix) {
  return root.querySelector(`[data-address="${prefix}"]`);
}

function populateRegions(block, selectedCode = "") {
  const country = block.querySelector("[data-country]").value;
  const regions = rules.regions[country] || [];
  const required = rules.region_required.includes(country);
  const select = block.querySelector("[data-region-select]");
  const text = block.querySelector("[data-region-text]");
  const selectField = block.querySelector("[data-region-select-field]");
  const textField = block.querySelector("[data-region-text-field]");
  const postcode = block.querySelector("input[name=postcode]");
  postcode.required = !rules.postcode_optional.includes(country);
  if (regions.length) {
    const placeholder = h("option", { value: "" }, required ? "Choose…" : "—");
    select.replaceChildren(
      placeholder,
      ...regions.map((r) =>
        h("option", { value: r.code, "data-region-id": r.id, selected: r.code === selectedCode }, r.name),
      ),
    );
    select.required = required;
    selectField.querySelector("[data-region-optional]").hidden = required;
    selectField.hidden = false;
    textField.hidden = true;
    text.value = "";
  } else {
    select.replaceChildren();
    select.required = false;
    selectField.hidden = true;
    textField.hidden = false;
    text.value = selectedCode;
  }
}

function readAddress(prefix) {
  const block = addressBlock(prefix);
  const value = (name) => block.querySelector(`[name=${name}]`).value.trim();
  const country = value("country_code");
  const street = [value("street1"), value("street2")].filter(Boolean);
  const address = {
    firstname: value("firstname"),
    lastname: value("lastname"),
    street,
    city: value("city"),
    postcode: value("postcode"),
    country_code: country,
    telephone: value("telephone"),
    // A customer's address goes to their address book (the next checkout starts filled in).
    save_in_address_book: isCustomer(),
  };
  const select = block.querySelector("[data-region-select]");
  if (!block.querySelector("[data-region-select-field]").hidden && select.value) {
    address.region = select.value;
    address.region_id = Number(select.selectedOptions[0].dataset.regionId);
  } else if (value("region_text")) {
    address.region = value("region_text");
  }
  return address;
}

function fillAddress(prefix, address) {
  if (!address) return;
  const block = addressBlock(prefix);
  const set = (name, value) => {
    block.querySelector(`[name=${name}]`).value = value || "";
  };
  set("firstname", address.firstname);
  set("lastname", address.lastname);
  set("street1", address.street?.[0]);
  set("street2", address.street?.[1]);
  set("city", address.city);
  set("postcode", address.postcode);
  set("telephone", address.telephone);
  const countrySelect = block.querySelector("[data-country]");
  if ([...countrySelect.options].some((o) => o.value === address.country?.code)) {
    countrySelect.value = address.country.code;
  }
  populateRegions(block, address.region?.code || address.region?.label || "");
}

function sameAddress(a, b) {
  if (!a || !b) return false;
  const key = (x) =>
    [x.firstname, x.lastname, (x.street || []).join("|"), x.city, x.postcode, x.country?.code, x.region?.code, x.telephone].join("¦");
  return key(a) === key(b);
}

// What to tell the shopper about each field, by its name.
const FIELD_MESSAGES = {
  email: { missing: t("Enter your email address"), invalid: t("Enter an email address like name@example.com") },
  firstname: { missing: t("Enter a first name") },
  lastname: { missing: t("Enter a last name") },
  street1: { missing: t("Enter the street and house number") },
  postcode: { missing: t("Enter a postcode") },
  city: { missing: t("Enter a city") },
  country_code: { missing: t("Choose a country") },
  region: { missing: "Choose a state or region" },
  telephone: { missing: t("Enter a phone number") },
};

/** The country's postcode format (Google's address data, from the page): a message when it
 *  does not fit. GraphQL itself accepts any postcode, as Magento does. */
function postcodeProblem(el, value) {
  const countrySelect = el.closest("[data-address]").querySelector("[data-country]");
  const rule = (rules.postcodes || {})[countrySelect.value];
  if (!rule || new RegExp(rule.pattern).test(value.toUpperCase())) return "";
  const country = countrySelect.selectedOptions[0]?.textContent.trim() || countrySelect.value;
  return rule.example
    ? `Enter a postcode for ${country} like ${rule.example}`
    : `Enter a postcode in the format used in ${country}`;
}

/** Why a field is not acceptable ("" when it is). */
function fieldProblem(el) {
  const value = el.value.trim();
  const words = FIELD_MESSAGES[el.name] || {};
  if (el.required && !value) return words.missing || "Fill in this field";
  if (!value) return "";
  if (el.name === "postcode") return postcodeProblem(el, value);
  if (!el.checkValidity()) return words.invalid || "Check this field";
  return "";
}

/** The form's fields a shopper can see and fill (not the billing-same checkbox). */
function addressFields() {
  return [...addressForm.querySelectorAll("input, select")].filter(
    (el) => !el.closest("[hidden]") && el.type !== "checkbox" && !el.readOnly,
  );
}

/** Check every field; show all problems in the summary (focused) and on the fields. */
function validateAddressForm() {
  const fields = addressFields();
  const errors = fields
    .map((field) => ({ field, label: fieldLabel(field), message: fieldProblem(field) }))
    .filter((e) => e.message);
  // Fields hidden since the last check (billing made "same as shipping") lose their marks too.
  const all = [...addressForm.querySelectorAll("input, select")].filter((el) => el.type !== "checkbox");
  showFormErrors(errorSummary, all, errors);
  return errors.length === 0;
}

function fieldLabel(el) {
  const label = root.querySelector(`label[for="${el.id}"]`);
  const legend = el.closest("fieldset")?.querySelector("legend")?.textContent.trim();
  const text = label ? label.firstChild.textContent.trim() : el.name;
  return legend && legend !== "Contact" ? `${text} (${legend.toLowerCase()})` : text;
}

async function saveAddress() {
  if (!validateAddressForm()) {
    say(addressStatus, "");
    return false;
  }
  say(addressStatus, t("Saving your address…"));
  const email = addressForm.elements.email.value.trim();
  const shipping = readAddress("shipping");
  const billing = billingSame.checked ? { same_as_shipping: true } : { address: readAddress("billing") };
  try {
    if (isCustomer()) await graphql(SET_CUSTOMER_SHIPPING, { cartId, address: shipping });
    else await graphql(SET_GUEST_SHIPPING, { cartId, email, address: shipping });
    await graphql(SET_BILLING_ADDRESS, { cartId, billingAddress: billing });
  } catch (error) {
    if (isCartGone(error)) cartGone();
    else say(addressStatus, shopperMessage(error, "We couldn't save your address. Please try again."), "error");
    return false;
  }
  state.addressSaved = true;
  state.addressDirty = false;
  say(addressStatus, t("Address saved."), "success");
  await refresh();
  return true;
}

// --- Shipping methods ------------------------------------------------------------------------

const methodKey = (m) => `${m.carrier_code}|${m.method_code}`;

/** The offered methods, cheapest first (free shipping leads when it applies); ties keep the
 *  server's order. Amounts are compared, never computed. */
function offeredShipping(address) {
  const inclTax = pricesIncludeTax();
  const price = (m) => (inclTax ? m.price_incl_tax || m.amount : m.price_excl_tax || m.amount);
  return (address?.available_shipping_methods || [])
    .filter((m) => m.available)
    .map((m, index) => ({ method: m, price: price(m), index }))
    .sort((a, b) => a.price.value - b.price.value || a.index - b.index);
}

function renderShippingMethods(cart) {
  const address = cart.shipping_addresses[0];
  if (!address) {
    shippingFieldset.hidden = true;
    shippingHint.hidden = false;
    return;
  }
  const offered = offeredShipping(address);
  const selected = address.selected_shipping_method;
  shippingHint.hidden = offered.length > 0;
  if (!offered.length) shippingHint.textContent = "We can't ship to this address. Please check it.";
  shippingFieldset.hidden = offered.length === 0;
  shippingOptions.replaceChildren(
    ...offered.map(({ method: m, price }) => {
      const id = `shipping-${m.carrier_code}-${m.method_code}`;
      const shown = shippingNames()[methodKey(m)];
      const input = h("input", {
        type: "radio",
        name: "shipping_method",
        id,
        value: methodKey(m),
        checked: selected && selected.carrier_code === m.carrier_code && selected.method_code === m.method_code,
        "aria-describedby": shown?.estimate ? `${id}-estimate` : null,
      });
      input.addEventListener("change", () => {
        state.shopperChoseShipping = true;
        chooseShippingMethod(m.carrier_code, m.method_code);
      });
      return h(
        "div",
        { class: "radio-option", "data-shipping-method": methodKey(m) },
        input,
        h(
          "label",
          { for: id },
          h(
            "span",
            { class: "radio-option__text" },
            h("span", { class: "radio-option__name" }, shown?.name || [m.carrier_title, m.method_title].filter(Boolean).join(" – ")),
            shown?.estimate ? h("span", { class: "radio-option__hint", id: `${id}-estimate` }, shown.estimate) : null,
          ),
          h("span", { class: "radio-option__price" }, price.value === 0 ? t("Free") : formatMoney(price)),
        ),
      );
    }),
  );
}

/** The cheapest method when the shopper has not picked one themselves and it is not chosen yet. */
function shippingToPreselect(cart) {
  const address = cart.shipping_addresses[0];
  const cheapest = offeredShipping(address)[0]?.method;
  if (!cheapest) return null;
  const selected = address.selected_shipping_method;
  if (selected && (state.shopperChoseShipping || methodKey(selected) === methodKey(cheapest))) return null;
  return cheapest;
}

async function chooseShippingMethod(carrierCode, methodCode) {
  try {
    await graphql(SET_SHIPPING_METHOD, {
      cartId,
      shippingMethod: { carrier_code: carrierCode, method_code: methodCode },
    });
  } catch (error) {
    if (isCartGone(error)) return cartGone();
    say(paymentStatus, shopperMessage(error, "We couldn't choose that shipping method. Please try again."), "error");
  }
  await refresh({ autoSelectShipping: false });
}

// --- Klarna SDK ------------------------------------------------------------------------------

let sdkPromise = null;

function klarnaPayments() {
  return window.Klarna && window.Klarna.Payments ? window.Klarna.Payments : null;
}

/** Load the configured SDK once; resolve with Klarna.Payments. */
function loadKlarnaSdk() {
  if (klarnaPayments()) return Promise.resolve(klarnaPayments());
  if (sdkPromise) return sdkPromise;
  sdkPromise = new Promise((resolve, reject) => {
    let poll = null;
    let timer = null;
    const finish = (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) {
        sdkPromise = null;
        reject(error);
      } else {
        resolve(klarnaPayments());
      }
    };
    const check = () => {
      if (klarnaPayments()) finish();
    };
    const previous = window.klarnaAsyncCallback;
    window.klarnaAsyncCallback = () => {
      if (typeof previous === "function") previous();
      check();
    };
    poll = setInterval(check, 100);
    timer = setTimeout(() => finish(new Error("The Klarna script did not load in time.")), 15000);
    const script = document.createElement("script");
    script.src = root.dataset.klarnaSdkUrl;
    script.async = true;
    script.addEventListener("error", () => {
      script.remove();
      finish(new Error("The Klarna script could not be loaded."));
    });
    document.head.append(script);
  });
  return sdkPromise;
}

/** Klarna.Payments.<method>(options, data?, callback) as a promise, with a time limit. */
function klarnaCall(method, options, data, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Klarna ${method} timed out`)), timeoutMs);
    const callback = (result) => {
      clearTimeout(timer);
      resolve(result || {});
    };
    try {
      if (data === undefined) klarnaPayments()[method](options, callback);
      else klarnaPayments()[method](options, data, callback);
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}

// --- Payment methods and the Klarna widget ---------------------------------------------------

async function klarnaSession() {
  try {
    const data = await graphql(CREATE_KLARNA_SESSION, { cartId });
    const session = data.createKlarnaPaymentsSession || {};
    return { token: session.client_token || null, categories: session.payment_method_categories || [] };
  } catch (error) {
    if (error instanceof GraphQLResponseError && !isCartGone(error)) {
      // Klarna is off or not offered for this cart: the other methods still work.
      return { token: null, categories: [] };
    }
    throw error;
  }
}

function paymentOption(method) {
  const id = `payment-${method.code}`;
  const input = h("input", { type: "radio", name: "payment_method", id, value: method.code });
  input.addEventListener("change", () => selectPayment(method.code));
  const label = h("label", { for: id }, h("span", { class: "payment-option__title" }, method.title));
  const option = h("div", { class: "payment-option", "data-payment-code": method.code }, input, label);
  const note = document.getElementById(`payment-note-${method.code}`);
  if (note) {
    const details = h("div", { class: "payment-option__note", id: `${id}-note`, hidden: true });
    details.append(note.content.cloneNode(true));
    option.append(details);
    input.setAttribute("aria-describedby", details.id);
  }
  if (isKlarna(method.code)) {
    const identifier = identifierOf(method.code);
    option.append(h("div", { id: containerId(identifier), class: "klarna-container", hidden: true }));
  }
  return option;
}

/** A Klarna category as Klarna presents it, saying Klarna before it is chosen ("Klarna — Pay
 * later in 30 days"), as the confirmation and My orders name it (payments_klarna.provider). */
function klarnaName(title) {
  return /klarna/i.test(title) ? title : `Klarna — ${title}`;
}

function renderPaymentMethods(methods) {
  const codes = new Set(methods.map((m) => m.code));
  for (const option of paymentOptions.querySelectorAll("[data-payment-code]")) {
    if (!codes.has(option.dataset.paymentCode)) {
      if (isKlarna(option.dataset.paymentCode)) state.widgetReady.delete(identifierOf(option.dataset.paymentCode));
      option.remove();
    }
  }
  let previous = null;
  for (const method of methods) {
    let option = paymentOptions.querySelector(`[data-payment-code="${CSS.escape(method.code)}"]`);
    if (!option) option = paymentOption(method);
    option.querySelector(".payment-option__title").textContent = isKlarna(method.code)
      ? klarnaName(method.title)
      : method.title;
    const category = isKlarna(method.code) ? state.categories.get(identifierOf(method.code)) : null;
    const logo = category?.asset_urls?.[0]?.standard;
    let img = option.querySelector(".payment-option__logo");
    if (logo && !img) {
      img = h("img", { class: "payment-option__logo", src: logo, alt: "", height: "24" });
      option.querySelector("label").append(img);
    } else if (img && !logo) {
      img.remove();
    }
    if (previous) previous.after(option);
    else paymentOptions.prepend(option);
    previous = option;
  }
}

/** The methods to offer: the server's list, Klarna ones only with a live category. */
function offeredMethods(available) {
  return available.filter((m) => {
    if (!isKlarna(m.code)) return true;
    const identifier = identifierOf(m.code);
    return state.klarnaToken && state.categories.has(identifier) && !state.hiddenCategories.has(identifier);
  });
}

async function selectPayment(code, { reload = true } = {}) {
  state.selected = code;
  for (const input of paymentOptions.querySelectorAll("input[name=payment_method]")) {
    input.checked = input.value === code;
  }
  for (const container of paymentOptions.querySelectorAll(".klarna-container")) {
    container.hidden = container.id !== (isKlarna(code) ? containerId(identifierOf(code)) : "");
  }
  for (const note of paymentOptions.querySelectorAll(".payment-option__note")) {
    note.hidden = note.closest("[data-payment-code]").dataset.paymentCode !== code;
  }
  updatePlaceButton();
  if (isKlarna(code) && reload) await loadWidget(identifierOf(code));
}

async function loadWidget(identifier) {
  const seq = state.refreshSeq;
  state.widgetReady.delete(identifier);
  updatePlaceButton();
  await withKlarnaBusy(async () => {
    try {
      await loadKlarnaSdk();
      if (seq !== state.refreshSeq) return;
      if (state.initedToken !== state.klarnaToken) {
        klarnaPayments().init({ client_token: state.klarnaToken });
        state.initedToken = state.klarnaToken;
      }
      const result = await klarnaCall(
        "load",
        { container: `#${containerId(identifier)}`, payment_method_category: identifier },
        undefined,
        20000,
      );
      if (seq !== state.refreshSeq) return;
      if (result.show_form === false) {
        hideKlarnaCategories([identifier], "Klarna isn't available for this order. Please choose another payment method.");
      } else if (result.error) {
        say(paymentStatus, "Klarna needs a few more details. Please check your address and email.", "error");
      } else {
        state.widgetReady.add(identifier);
      }
    } catch (error) {
      if (seq !== state.refreshSeq) return;
      state.initedToken = null;
      say(
        paymentStatus,
        "We couldn't load Klarna right now. Please try again in a moment or choose another payment method.",
        "error",
      );
    }
  });
}

/** Remove Klarna categories Klarna refused; select another method if the chosen one went. */
function hideKlarnaCategories(identifiers, message) {
  for (const identifier of identifiers) {
    state.hiddenCategories.add(identifier);
    state.widgetReady.delete(identifier);
    paymentOptions.querySelector(`[data-payment-code="${CSS.escape(KLARNA_PREFIX + identifier)}"]`)?.remove();
  }
  if (state.selected && !paymentOptions.querySelector(`[data-payment-code="${CSS.escape(state.selected)}"]`)) {
    state.selected = null;
    const first = paymentOptions.querySelector("input[name=payment_method]");
    if (first) selectPayment(first.value);
  }
  if (!paymentOptions.children.length) paymentFieldset.hidden = true;
  say(paymentStatus, message, "error");
  updatePlaceButton();
}

// --- Refresh: read the cart, then the Klarna session, then the widget -------------------------

function renderSummary(cart) {
  const lines = root.querySelector("[data-summary-lines]");
  lines.replaceChildren(
    ...cart.items.map((item) => summaryLine(item, formatMoney(linePrices(item).row))),
  );
  renderTotals(root.querySelector("[data-summary-totals]"), cart);
  const total = root.querySelector("[data-place-total]");
  total.querySelector("[data-place-total-amount]").textContent = formatMoney(cart.prices?.grand_total);
  root.querySelector("[data-summary-toggle-total]").textContent = formatMoney(cart.prices?.grand_total);
  total.hidden = !cart.items.length;
  setCartCount(cart.total_quantity);
}

function isReady(cart) {
  const address = cart.shipping_addresses[0];
  return Boolean(cart.email && address && address.selected_shipping_method && cart.items.length);
}

/**
 * Re-read everything after a cart change. Newer calls supersede older ones: a refresh that
 * finds a newer one started leaves the page to it.
 */
async function refresh({ fillForm = false, autoSelectShipping = true } = {}) {
  const seq = ++state.refreshSeq;
  let cart;
  try {
    cart = (await graphql(CHECKOUT_DETAILS, { cartId })).cart;
  } catch (error) {
    if (isCartGone(error)) return cartGone();
    say(paymentStatus, shopperMessage(error, "We couldn't load your cart. Please reload the page."), "error");
    return;
  }
  if (seq !== state.refreshSeq) return;
  state.cart = cart;
  if (!cart.items.length) {
    state.ready = false;
    say(paymentStatus, t("Your cart is empty."), "info");
    paymentStatus.append(" ", h("a", { href: root.dataset.cartUrl }, "Go to your cart"));
    renderSummary(cart);
    updatePlaceButton();
    return;
  }
  if (fillForm) fillFromCart(cart);
  renderSummary(cart);
  renderShippingMethods(cart);

  const preselect = autoSelectShipping ? shippingToPreselect(cart) : null;
  if (preselect) return chooseShippingMethod(preselect.carrier_code, preselect.method_code);

  state.ready = isReady(cart);
  if (!state.ready) {
    paymentFieldset.hidden = true;
    paymentHint.hidden = false;
    state.selected = null;
    updatePlaceButton();
    return;
  }

  let session;
  let available = cart.available_payment_methods || [];
  try {
    session = await klarnaSession();
    if (seq !== state.refreshSeq) return;
    const known = new Set(available.map((m) => m.code));
    if (session.categories.some((c) => !known.has(KLARNA_PREFIX + c.identifier))) {
      // First session for this cart (or new categories): the list now includes them.
      available = (await graphql(GET_PAYMENT_METHODS, { cartId })).cart.available_payment_methods || [];
      if (seq !== state.refreshSeq) return;
    }
  } catch (error) {
    if (isCartGone(error)) return cartGone();
    say(paymentStatus, shopperMessage(error, "We couldn't load the payment methods. Please try again."), "error");
    return;
  }
  if (session.token !== state.klarnaToken) state.hiddenCategories.clear(); // a new Klarna session
  state.klarnaToken = session.token;
  state.categories = new Map(session.categories.map((c) => [c.identifier, c]));

  const methods = offeredMethods(available);
  renderPaymentMethods(methods);
  paymentHint.hidden = true;
  paymentFieldset.hidden = methods.length === 0;
  if (!methods.length) say(paymentStatus, "No payment method is available for this order.", "error");

  const codes = methods.map((m) => m.code);
  let choice = state.selected;
  if (!codes.includes(choice)) choice = cart.selected_payment_method?.code;
  if (!codes.includes(choice)) choice = codes[0] || null;
  if (choice) await selectPayment(choice);
  else {
    state.selected = null;
    updatePlaceButton();
  }
}

function fillFromCart(cart) {
  if (cart.email) addressForm.elements.email.value = cart.email;
  const shipping = cart.shipping_addresses[0];
  if (shipping) {
    fillAddress("shipping", shipping);
    state.addressSaved = true;
  }
  const billing = cart.billing_address;
  if (billing && shipping && !sameAddress(billing, shipping)) {
    billingSame.checked = false;
    billingFields.hidden = false;
    fillAddress("billing", billing);
  }
}

// --- Place order -----------------------------------------------------------------------------

const KLARNA_FIELD_NAMES = {
  email: "email address",
  given_name: "first name",
  family_name: "last name",
  street_address: "street address",
  street_address2: "address line 2",
  postal_code: "postcode",
  city: "city",
  region: "state / region",
  phone: "phone number",
  country: "country",
};

function describeInvalidFields(fields) {
  return fields
    .map((field) => {
      const [group, name] = field.includes(".") ? field.split(".", 2) : ["", field];
      const words = KLARNA_FIELD_NAMES[name] || name.replaceAll("_", " ");
      const where = group.startsWith("billing") ? "billing " : group.startsWith("shipping") ? "shipping " : "";
      return `${where}${words}`;
    })
    .join(", ");
}

function klarnaAddress(address, email) {
  return {
    given_name: address.firstname,
    family_name: address.lastname,
    email,
    street_address: address.street?.[0] || "",
    street_address2: address.street?.[1] || "",
    postal_code: address.postcode || "",
    city: address.city,
    region: address.region?.code || address.region?.label || "",
    phone: address.telephone || "",
    country: address.country?.code,
  };
}

function placeOrderError(data) {
  const result = data?.placeOrder;
  if (!result) return "We couldn't place your order. Please try again.";
  if (result.errors && result.errors.length) return result.errors.map((e) => e.message).join(" ");
  return null;
}

async function authorizeKlarna(identifier) {
  const cart = state.cart;
  const shipping = klarnaAddress(cart.shipping_addresses[0], cart.email);
  const billing = klarnaAddress(cart.billing_address || cart.shipping_addresses[0], cart.email);
  if (state.initedToken !== state.klarnaToken) {
    klarnaPayments().init({ client_token: state.klarnaToken });
    state.initedToken = state.klarnaToken;
  }
  return withKlarnaBusy(() =>
    klarnaCall(
      "authorize",
      { payment_method_category: identifier },
      { billing_address: billing, shipping_address: shipping },
    ),
  );
}

async function placeOrder() {
  if (state.placing || state.leaving) return; // a second click while the first is running
  state.placing = true;
  updatePlaceButton();
  say(paymentStatus, t("Placing your order…"));
  try {
    if (state.addressDirty || !state.addressSaved) {
      if (!(await saveAddress())) return;
      if (!state.ready || !state.selected) {
        say(paymentStatus, "Your address changed. Please check the shipping and payment choice, then place your order.", "info");
        return;
      }
    }
    const code = state.selected;
    if (!code) {
      say(paymentStatus, t("Please choose a payment method."), "error");
      return;
    }
    let paymentMethod = { code };
    if (isKlarna(code)) {
      const identifier = identifierOf(code);
      let result;
      try {
        result = await authorizeKlarna(identifier);
      } catch (error) {
        say(
          paymentStatus,
          "Klarna isn't responding right now. Please try again in a moment or choose another payment method.",
          "error",
        );
        return;
      }
      if (!result.approved || !result.authorization_token) {
        if (result.show_form === false) {
          // A final rejection: Klarna as a whole is off the table for this order.
          hideKlarnaCategories(
            [...state.categories.keys()],
            "Klarna couldn't approve this payment, so it isn't available for this order. Please choose another payment method.",
          );
        } else if (result.error?.invalid_fields?.length) {
          say(
            paymentStatus,
            `Klarna needs these details corrected: ${describeInvalidFields(result.error.invalid_fields)}.`,
            "error",
          );
        } else if (result.finalize_required) {
          say(paymentStatus, "Klarna needs one more step. Please try again.", "error");
        } else {
          say(
            paymentStatus,
            "You closed the Klarna window before finishing. Choose Place order to try again, or pick another payment method.",
            "info",
          );
        }
        return;
      }
      paymentMethod = { code, klarna: { authorization_token: result.authorization_token } };
    }
    await graphql(SET_PAYMENT_METHOD, { cartId, paymentMethod });
    let data;
    try {
      data = await graphql(PLACE_ORDER, { cartId });
    } catch (error) {
      if (error instanceof GraphQLResponseError && error.data?.placeOrder?.order) data = error.data;
      else throw error;
    }
    const problem = placeOrderError(data);
    if (problem) {
      say(paymentStatus, problem, "error");
      return;
    }
    const number = data.placeOrder.orderV2?.number || data.placeOrder.order?.order_number;
    state.leaving = true;
    say(paymentStatus, t("Thank you! Your order is placed."), "success");
    window.location.assign(root.dataset.successUrl.replace("ORDER_NUMBER", encodeURIComponent(number)));
  } catch (error) {
    if (isCartGone(error)) {
      cartGone();
    } else if (error instanceof NetworkError) {
      say(paymentStatus, `${error.message} Your order was not placed yet.`, "error");
    } else {
      say(paymentStatus, shopperMessage(error, "We couldn't place your order. Please try again."), "error");
    }
  } finally {
    state.placing = false;
    updatePlaceButton();
    if (!state.leaving && paymentStatus.querySelector(".message--error")) refreshAfterFailure();
  }
}

async function refreshAfterFailure() {
  // The cart may have changed (stock, prices): show what is true now, keep the message.
  const message = paymentStatus.textContent;
  await refresh();
  if (!paymentStatus.textContent) say(paymentStatus, message, "error");
}

// --- Wiring ----------------------------------------------------------------------------------

for (const prefix of ["shipping", "billing"]) {
  const block = addressBlock(prefix);
  populateRegions(block);
  block.querySelector("[data-country]").addEventListener("change", () => populateRegions(block));
}

billingSame.addEventListener("change", () => {
  billingFields.hidden = billingSame.checked;
  state.addressDirty = true;
});

// A field marked invalid loses its mark as soon as its value is acceptable (while typing, so
// that no message disappears under the pointer on the way to a button); a new country checks
// the postcode again.
addressForm.addEventListener("input", (event) => {
  const el = event.target;
  const block = el.closest("[data-address]");
  const postcode = el.matches("[data-country]") && block ? block.querySelector("input[name=postcode]") : null;
  for (const field of [el, postcode]) {
    if (field?.getAttribute("aria-invalid") !== "true") continue;
    const problem = fieldProblem(field);
    if (!problem || field === postcode) setFieldError(field, problem);
  }
});

addressForm.addEventListener("input", () => {
  if (state.addressSaved) {
    state.addressDirty = true;
    say(addressStatus, "You changed your details. Save them to update shipping and payment.", "info");
  }
});

addressForm.addEventListener("submit", (event) => {
  event.preventDefault();
  saveAddress();
});

placeButton.addEventListener("click", placeOrder);

// The order summary: folded on a phone (the shopper opens it on demand), always open beside
// the steps on a wide screen, where it has no toggle to show.
const summaryDetails = root.querySelector("[data-summary-details]");
const wide = window.matchMedia("(min-width: 56rem)");
const fitSummary = () => {
  summaryDetails.open = wide.matches;
};
fitSummary();
wide.addEventListener("change", fitSummary);
summaryDetails.addEventListener("toggle", () => {
  if (wide.matches && !summaryDetails.open) summaryDetails.open = true;
});

document.addEventListener("visibilitychange", () => {
  // The cart may have changed in another tab (quantities, coupon): update session and widget.
  if (document.visibilityState === "visible" && !state.placing && !state.leaving) refresh();
});

updatePlaceButton();
refresh({ fillForm: true });
