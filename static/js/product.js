// Product page: "Add to cart" through addProductsToCart, creating the session's guest cart
// on first use. Without this script the form posts to the server's fallback view.
import { stockMessage } from "./cart-summary.js";
import { announce, csrfToken, graphql, isCartGone, setCartCount, shopperMessage } from "./graphql.js";

const ADD_PRODUCT_TO_CART = `
mutation AddProductToCart($cartId: String!, $product: CartItemInput!) {
  addProductsToCart(cartId: $cartId, cartItems: [$product]) {
    cart { id total_quantity }
    user_errors { code message ... on InsufficientStockError { quantity } }
  }
}`;

const form = document.querySelector("[data-add-to-cart]");
// A configurable product: one <select> per attribute, its variants in a JSON script.
const optionSelects = [...document.querySelectorAll("[data-option]")];
const variantsData = document.getElementById("product-variants");
const variants = variantsData ? JSON.parse(variantsData.textContent) : [];

function chosenVariant() {
  const uids = optionSelects.map((select) => select.value);
  if (uids.some((uid) => !uid)) return null;
  return variants.find((variant) => uids.every((uid) => variant.uids.includes(uid))) || null;
}

function showChosenVariant() {
  const variant = chosenVariant();
  if (!variant) return;
  document.querySelector("[data-price-amount]").textContent = variant.price_display;
  document.querySelector("[data-sku-display]").textContent = variant.sku;
  const image = document.querySelector("[data-product-image]");
  if (image && variant.image_url) image.src = variant.image_url;
  const stock = document.querySelector("[data-stock]");
  stock.textContent = variant.in_stock ? `${variant.stock_qty} in stock` : "Out of stock";
  stock.className = `stock ${variant.in_stock ? "stock--in" : "stock--out"}`;
  const quantity = form?.querySelector("input[name=quantity]");
  if (quantity && variant.in_stock) quantity.max = variant.stock_qty;
}
optionSelects.forEach((select) => select.addEventListener("change", showChosenVariant));

async function sessionCartId() {
  const response = await fetch(form.dataset.sessionUrl, {
    method: "POST",
    headers: { "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`cart session: HTTP ${response.status}`);
  const body = await response.json();
  form.dataset.cartId = body.cart_id;
  return body.cart_id;
}

async function addToCart(quantity) {
  const product = { sku: form.dataset.sku, quantity };
  if (optionSelects.length) product.selected_options = optionSelects.map((select) => select.value);
  let cartId = form.dataset.cartId || (await sessionCartId());
  try {
    return await graphql(ADD_PRODUCT_TO_CART, { cartId, product });
  } catch (error) {
    if (!isCartGone(error)) throw error;
    // The stored cart was ordered meanwhile (another tab): the server starts a new one.
    cartId = await sessionCartId();
    return graphql(ADD_PRODUCT_TO_CART, { cartId, product });
  }
}

if (form) {
  const button = form.querySelector("button[type=submit]");
  const quantityInput = form.querySelector("input[name=quantity]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const quantity = Number(quantityInput.value);
    const unchosen = optionSelects.find((select) => !select.value);
    if (unchosen) {
      announce(`Please choose ${unchosen.labels[0].textContent.toLowerCase()}.`, "error");
      unchosen.focus();
      return;
    }
    if (!Number.isInteger(quantity) || quantity < 1) {
      announce("Please enter a quantity of 1 or more.", "error");
      quantityInput.focus();
      return;
    }
    button.disabled = true;
    announce("Adding to your cart…");
    try {
      const data = await addToCart(quantity);
      const result = data.addProductsToCart;
      if (result.user_errors.length) {
        const words = (e) => (e.code === "INSUFFICIENT_STOCK" && e.quantity != null ? stockMessage(e.quantity) : e.message);
        announce(result.user_errors.map(words).join(" "), "error");
      } else {
        setCartCount(result.cart.total_quantity);
        const link = document.createElement("a");
        link.href = form.dataset.cartUrl;
        link.textContent = "View cart";
        announce(`Added ${quantity} to your cart. `, "success");
        document.querySelector("#messages p")?.append(link);
      }
    } catch (error) {
      announce(shopperMessage(error, "We couldn't add this to your cart. Please try again."), "error");
    } finally {
      button.disabled = false;
    }
  });
}
