// Cart page: lines with quantity change and remove, coupon apply/remove, totals. Everything
// is read from and written to the GraphQL cart; the page re-renders from each answer.
import { PRICE_SUMMARY_FRAGMENT, linePrices, renderTotals, stockMessage } from "./cart-summary.js";
import { announce, formatMoney, graphql, h, isCartGone, setCartCount, shopperMessage } from "./graphql.js";

const CART_PAGE_QUERY = `
query getCartDetails($cartId: String!) {
  cart(cart_id: $cartId) { id ...PriceSummaryFragment available_payment_methods { code title } }
}
${PRICE_SUMMARY_FRAGMENT}`;

const UPDATE_QUANTITY = `
mutation updateItemQuantity($cartId: String!, $itemUid: ID!, $quantity: Float!) {
  updateCartItems(input: { cart_id: $cartId, cart_items: [{ cart_item_uid: $itemUid, quantity: $quantity }] }) {
    cart { id ...PriceSummaryFragment }
    errors { code message }
  }
}
${PRICE_SUMMARY_FRAGMENT}`;

const REMOVE_ITEM = `
mutation removeItem($cartId: String!, $itemUid: ID!) {
  removeItemFromCart(input: { cart_id: $cartId, cart_item_uid: $itemUid }) {
    cart { id ...PriceSummaryFragment }
  }
}
${PRICE_SUMMARY_FRAGMENT}`;

const APPLY_COUPON = `
mutation applyCouponToCart($cartId: String!, $couponCode: String!) {
  applyCouponToCart(input: { cart_id: $cartId, coupon_code: $couponCode }) {
    cart { id ...PriceSummaryFragment available_payment_methods { code title } }
  }
}
${PRICE_SUMMARY_FRAGMENT}`;

const REMOVE_COUPON = `
mutation removeCouponFromCart($cartId: String!) {
  removeCouponFromCart(input: { cart_id: $cartId }) {
    cart { id ...PriceSummaryFragment available_payment_methods { code title } }
  }
}
${PRICE_SUMMARY_FRAGMENT}`;

const root = document.querySelector("[data-cart]");
const cartId = root?.dataset.cartId;
const content = root?.querySelector("[data-cart-content]");
const lines = root?.querySelector("[data-cart-lines]");
const totals = root?.querySelector("[data-cart-totals]");
const couponForm = root?.querySelector("[data-coupon-form]");
const couponApplied = root?.querySelector("[data-coupon-applied]");
const freeShipping = root?.querySelector("[data-free-shipping]");

function showEmpty() {
  root.querySelector("[data-cart-loading]")?.remove();
  content.hidden = true;
  root.querySelector("[data-cart-empty]").hidden = false;
  setCartCount(0);
}

function lineRow(item) {
  const { unit, row } = linePrices(item);
  const product = item.product;
  const qtyId = `qty-${item.uid}`;
  const quantity = h("input", {
    id: qtyId,
    type: "number",
    inputmode: "numeric",
    min: "1",
    step: "1",
    value: String(item.quantity),
    name: "quantity",
    required: true,
  });
  const update = h("button", { type: "submit", class: "button button--small" }, "Update");
  const qtyForm = h(
    "form",
    { class: "qty-form", "data-uid": item.uid },
    h("label", { for: qtyId, class: "visually-hidden" }, `Quantity of ${product.name}`),
    quantity,
    update,
  );
  qtyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(quantity.value);
    if (!Number.isInteger(value) || value < 0) {
      announce("Please enter a whole number.", "error");
      quantity.focus();
      return;
    }
    change(UPDATE_QUANTITY, { itemUid: item.uid, quantity: value }, "Quantity updated.", item.uid);
  });
  const remove = h(
    "button",
    { type: "button", class: "button button--link", "aria-label": `Remove ${product.name}` },
    "Remove",
  );
  remove.addEventListener("click", () =>
    change(REMOVE_ITEM, { itemUid: item.uid }, `${product.name} removed from your cart.`),
  );
  const discount = item.prices?.total_item_discount;
  const problems = (item.errors || []).map((e) =>
    h("p", { class: "line-error" }, e.code === "ITEM_QTY" ? stockMessage(item.max_qty) : e.message),
  );
  return h(
    "tr",
    { "data-line": product.sku },
    h(
      "td",
      { "data-label": "Product" },
      h("a", { href: `/products/${encodeURIComponent(product.url_key)}/` }, product.name),
      h("span", { class: "sku" }, ` SKU ${product.sku}`),
      problems,
    ),
    h("td", { "data-label": "Price" }, formatMoney(unit)),
    h("td", { "data-label": "Quantity" }, qtyForm),
    h(
      "td",
      { "data-label": "Total", class: "num" },
      formatMoney(row),
      discount && discount.value ? h("span", { class: "line-discount" }, ` −${formatMoney(discount)}`) : null,
    ),
    h("td", {}, remove),
  );
}

/** Re-read the free-shipping notice: the server words it from its totals, nothing here adds money. */
async function refreshFreeShipping() {
  try {
    const response = await fetch(freeShipping.dataset.freeShippingUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const { notice } = await response.json();
    freeShipping.hidden = !notice;
    freeShipping.textContent = notice ? notice.text : "";
    freeShipping.classList.toggle("free-shipping--ok", Boolean(notice?.qualifies));
  } catch {
    // The notice is a hint; the totals above stay right without it.
  }
}

function render(cart) {
  root.querySelector("[data-cart-loading]")?.remove();
  setCartCount(cart.total_quantity);
  if (!cart.items.length) {
    showEmpty();
    return;
  }
  root.querySelector("[data-cart-empty]").hidden = true;
  content.hidden = false;
  lines.replaceChildren(...cart.items.map(lineRow));
  renderTotals(totals, cart);
  const coupon = (cart.applied_coupons || [])[0];
  couponForm.hidden = Boolean(coupon);
  couponApplied.hidden = !coupon;
  if (coupon) couponApplied.querySelector("[data-coupon-code]").textContent = coupon.code;
  refreshFreeShipping();
}

let busy = false;

function setBusy(value) {
  busy = value;
  root.setAttribute("aria-busy", String(value));
  for (const button of root.querySelectorAll("button")) button.disabled = value;
}

/** Run a cart mutation and re-render; resolve true when it worked without errors. */
async function change(document_, variables, successMessage, itemUid = null) {
  if (busy) return false;
  let ok = false;
  setBusy(true);
  try {
    const data = await graphql(document_, { cartId, ...variables });
    const result = Object.values(data)[0];
    if (result.errors && result.errors.length) {
      const line = result.cart?.items?.find((i) => i.uid === itemUid);
      const words = (e) => (e.code === "INSUFFICIENT_STOCK" && line ? stockMessage(line.max_qty) : e.message);
      announce(result.errors.map(words).join(" "), "error");
    } else {
      announce(successMessage, "success");
      ok = true;
    }
    render(result.cart);
  } catch (error) {
    if (isCartGone(error)) {
      showEmpty();
      announce("This cart has already been ordered. Your new cart is empty.", "info");
    } else {
      announce(shopperMessage(error), "error");
    }
  } finally {
    setBusy(false);
  }
  return ok;
}

async function load() {
  try {
    const data = await graphql(CART_PAGE_QUERY, { cartId });
    render(data.cart);
  } catch (error) {
    if (isCartGone(error)) showEmpty();
    else announce(shopperMessage(error, "We couldn't load your cart. Please reload the page."), "error");
  }
}

if (root && cartId) {
  couponForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = couponForm.elements.coupon_code.value.trim();
    if (!code) {
      announce("Please enter a discount code.", "error");
      return;
    }
    change(APPLY_COUPON, { couponCode: code }, `Discount code ${code} applied.`).then((ok) => {
      if (ok) couponForm.reset();
    });
  });
  couponApplied
    .querySelector("[data-coupon-remove]")
    .addEventListener("click", () => change(REMOVE_COUPON, {}, "Discount code removed."));
  // Changes made at checkout in another tab show up when the shopper comes back.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !busy) load();
  });
  load();
}
