// Shared helpers for the storefront pages: talk to /graphql like a PWA client, format money
// the API returned, and tell the shopper what happened.

const ENDPOINT = "/graphql";

let messages = null;

/**
 * `text` in the page's language (the server's translations in `<body data-messages>`; English,
 * the source, when there is none), with `%(name)s` filled from `params`.
 */
export function t(text, params = {}) {
  if (messages === null) {
    try {
      messages = JSON.parse(document.body?.dataset.messages || "{}");
    } catch {
      messages = {};
    }
  }
  return (messages[text] || text).replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
}

/** A GraphQL answer with errors. `errors` are the server's, `data` whatever came back. */
export class GraphQLResponseError extends Error {
  constructor(errors, data) {
    super(errors.map((e) => e.message).join(" "));
    this.name = "GraphQLResponseError";
    this.errors = errors;
    this.data = data;
  }

  /** Magento's error category of the first error, e.g. "graphql-no-such-entity". */
  get category() {
    return this.errors[0]?.extensions?.category || "";
  }
}

/** The request never got a GraphQL answer (offline, server down, not JSON). */
export class NetworkError extends Error {
  constructor(cause) {
    super("We couldn't reach the shop. Please check your connection and try again.");
    this.name = "NetworkError";
    this.cause = cause;
  }
}

/**
 * The signed-in customer's bearer token, rendered by the server into the page (the only
 * way /graphql knows a customer: it ignores cookies). Empty for guests.
 */
export function customerToken() {
  return document.querySelector("meta[name=customer-token]")?.content || "";
}

/** True when the page belongs to a signed-in customer. */
export function isCustomer() {
  return Boolean(customerToken());
}

function requestHeaders() {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = customerToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  // The page's store (its /<code>/ prefix): carts, prices and currency of that store.
  const store = document.body?.dataset.store;
  if (store) headers.Store = store;
  return headers;
}

let inFlight = 0;
const inFlightListeners = new Set();

/** Call `listener(count)` whenever the number of requests in flight changes. */
export function onInFlightChange(listener) {
  inFlightListeners.add(listener);
}

function setInFlight(delta) {
  inFlight += delta;
  for (const listener of inFlightListeners) listener(inFlight);
}

/** POST one document; resolve with `data`, reject with GraphQLResponseError or NetworkError. */
export async function graphql(query, variables = {}) {
  setInFlight(+1);
  try {
    let response;
    let body;
    try {
      response = await fetch(ENDPOINT, {
        method: "POST",
        headers: requestHeaders(),
        body: JSON.stringify({ query, variables }),
        credentials: "same-origin",
      });
      body = await response.json();
    } catch (error) {
      throw new NetworkError(error);
    }
    if (body.errors && body.errors.length) {
      throw new GraphQLResponseError(body.errors, body.data);
    }
    if (!body.data) {
      throw new NetworkError(new Error(`HTTP ${response.status}`));
    }
    return body.data;
  } finally {
    setInFlight(-1);
  }
}

/** True when the error says the cart is gone or already ordered. */
export function isCartGone(error) {
  if (!(error instanceof GraphQLResponseError)) return false;
  return error.errors.some((e) => {
    const message = e.message || "";
    return message === "The cart isn't active." || message.startsWith("Could not find a cart with ID");
  });
}

const formatters = new Map();
let storeFormat;

/** How the server writes money (body[data-money-format], shop.money.script_money_format):
 * browsers' locale data differs from the server's CLDR (Chromium writes en-DE as "€1,237.20",
 * the server and Klarna's widget "1.237,20 €"), so the page never asks Intl for the store's. */
function storeMoneyFormat() {
  if (storeFormat === undefined) {
    try {
      storeFormat = JSON.parse(document.body.dataset.moneyFormat || "null");
    } catch {
      storeFormat = null;
    }
  }
  return storeFormat;
}

/** Format a GraphQL `Money` ({value, currency}) for display, exactly as the server writes it
 * (shop.money.format_money, in the store locale). */
export function formatMoney(money) {
  if (!money || money.value === null || money.value === undefined) return "";
  const currency = money.currency || document.body.dataset.currency || "EUR";
  const store = storeMoneyFormat();
  if (store && store.currency === currency) {
    const [integer, fraction] = Math.abs(money.value).toFixed(store.digits).split(".");
    const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, store.group);
    const number = fraction ? `${grouped}${store.decimal}${fraction}` : grouped;
    return `${money.value < 0 ? "-" : ""}${store.template.replace("{n}", number)}`;
  }
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat(document.body.dataset.locale || document.documentElement.lang || undefined, {
      style: "currency",
      currency,
    });
    formatters.set(currency, formatter);
  }
  return formatter.format(money.value);
}

/** Show a message in the page's live region (or `target`). kind: "info" | "success" | "error". */
export function announce(message, kind = "info", target = document.getElementById("messages")) {
  if (!target) return;
  target.replaceChildren();
  if (!message) return;
  const p = document.createElement("p");
  p.className = `message message--${kind}`;
  p.textContent = message;
  target.append(p);
}

/** Update the header's cart counter from the cart's `total_quantity`. */
export function setCartCount(totalQuantity) {
  for (const el of document.querySelectorAll("[data-cart-count]")) {
    el.textContent = String(totalQuantity ?? 0);
  }
}

/** Django's CSRF token from its cookie, for the few non-GraphQL POSTs. */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

/** The words to show a shopper for a failed request. */
export function shopperMessage(error, fallback = "Something went wrong. Please try again.") {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof GraphQLResponseError) {
    const messages = error.errors.map((e) => e.message).filter(Boolean);
    if (messages.some((m) => m === "Internal server error")) return fallback;
    return messages.join(" ") || fallback;
  }
  return fallback;
}

/** Create an element with attributes and children (strings become text, never HTML). */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
