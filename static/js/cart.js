// Cart page: the server renders it complete and its actions are plain forms (change quantity,
// remove a line, apply or remove a discount code) that work without this script. With it, a
// form is sent in the background and the page swaps in the server's new cart and messages,
// keeping the shopper's place (focus) instead of reloading. Nothing here computes money.
import { announce, setCartCount } from "./graphql.js";

const OFFLINE = "We couldn't reach the shop. Please check your connection and try again.";

let busy = false;

function setBusy(root, value) {
  busy = value;
  root.setAttribute("aria-busy", String(value));
  for (const button of root.querySelectorAll("button")) button.disabled = value;
}

/** Put the server's new cart (and its messages, when it has any) in place of the current one. */
function swapIn(html, focusId) {
  const next = new DOMParser().parseFromString(html, "text/html");
  const fresh = next.querySelector("[data-cart]");
  const current = document.querySelector("[data-cart]");
  if (!fresh || !current) return false;
  current.replaceWith(document.importNode(fresh, true));
  const messages = next.getElementById("messages");
  const live = document.getElementById("messages");
  if (messages && live && messages.children.length) {
    live.replaceChildren(...[...messages.children].map((node) => document.importNode(node, true)));
  }
  setCartCount(fresh.dataset.cartCountValue);
  if (focusId !== undefined) {
    (document.getElementById(focusId) || document.getElementById("cart-heading"))?.focus();
  }
  return true;
}

async function send(form, submitter) {
  const root = document.querySelector("[data-cart]");
  if (busy || !root) return;
  const body = new FormData(form, submitter);
  // Where the shopper was: the same quantity field or button after the swap, else the heading.
  const focused = form.contains(document.activeElement) ? document.activeElement : submitter;
  const focusId = focused?.id || form.querySelector("input[id]:not([type=hidden])")?.id || "";
  setBusy(root, true);
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    if (!response.ok || !swapIn(await response.text(), focusId)) {
      announce("Something went wrong. Please reload the page and try again.", "error");
    }
  } catch {
    announce(OFFLINE, "error");
  } finally {
    const now = document.querySelector("[data-cart]");
    if (now) setBusy(now, false);
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest?.("[data-cart-form]");
  if (!form) return;
  event.preventDefault();
  send(form, event.submitter);
});

// Changes made in another tab (checkout, product page) show up when the shopper comes back.
document.addEventListener("visibilitychange", async () => {
  if (document.visibilityState !== "visible" || busy) return;
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (response.ok && !busy) swapIn(await response.text());
  } catch {
    // The page shown stays right until the next action, which reports a lost connection.
  }
});
