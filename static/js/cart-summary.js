// The cart fields every page shows, and how the totals are laid out. Amounts come from the
// API as they are; nothing here adds or subtracts money.
import { formatMoney, h, t } from "./graphql.js";

export const PRICE_SUMMARY_FRAGMENT = `
fragment PriceSummaryFragment on Cart {
  id
  total_quantity
  items {
    uid
    quantity
    product { uid sku name url_key stock_status thumbnail { url } }
    prices {
      price { currency value }
      price_including_tax { currency value }
      row_total { currency value }
      row_total_including_tax { currency value }
      total_item_discount { currency value }
    }
    errors { code message }
    max_qty
    ... on ConfigurableCartItem {
      configurable_options { option_label value_label }
      configured_variant { sku thumbnail { url } }
    }
  }
  applied_coupons { code }
  shipping_addresses {
    selected_shipping_method {
      amount { currency value }
      price_incl_tax { currency value }
      price_excl_tax { currency value }
      carrier_code
      method_code
      carrier_title
      method_title
    }
  }
  prices {
    grand_total { currency value }
    subtotal_excluding_tax { currency value }
    subtotal_including_tax { currency value }
    applied_taxes { label amount { currency value } }
    discounts { label amount { currency value } }
  }
}`;

let names = null;

/** "carrier|method" -> { name, estimate }: the page's names for Magento's carrier titles. */
export function shippingNames() {
  if (names === null) {
    const script = document.getElementById("shipping-names");
    names = script ? JSON.parse(script.textContent) : {};
  }
  return names;
}

export const pricesIncludeTax = () => document.body.dataset.pricesIncludeTax === "true";

/** The unit price and row total to show for a line, per the store's tax display. */
export function linePrices(item) {
  const p = item.prices || {};
  return pricesIncludeTax()
    ? { unit: p.price_including_tax, row: p.row_total_including_tax }
    : { unit: p.price, row: p.row_total };
}

function row(term, value, className = "") {
  return [h("dt", { class: className }, term), h("dd", { class: className }, value)];
}

/** Fill a <dl> with subtotal, discounts, shipping, taxes and grand total of `cart`. */
export function renderTotals(dl, cart) {
  const prices = cart.prices || {};
  const inclTax = pricesIncludeTax();
  const rows = [];
  const subtotal = inclTax ? prices.subtotal_including_tax : prices.subtotal_excluding_tax;
  rows.push(...row(t("Subtotal"), formatMoney(subtotal)));
  for (const discount of prices.discounts || []) {
    rows.push(...row(t("Discount (%(label)s)", { label: discount.label }), `−${formatMoney(discount.amount)}`, "totals__discount"));
  }
  const method = (cart.shipping_addresses || [])[0]?.selected_shipping_method;
  if (method) {
    const amount = inclTax ? method.price_incl_tax || method.amount : method.price_excl_tax || method.amount;
    const shown = shippingNames()[`${method.carrier_code}|${method.method_code}`];
    rows.push(...row(t("Shipping (%(name)s)", { name: shown?.name || method.carrier_title }), formatMoney(amount)));
  } else {
    rows.push(...row(t("Shipping"), t("At checkout"), "totals__muted"));
  }
  for (const tax of prices.applied_taxes || []) {
    const label = inclTax ? t("Included %(tax)s", { tax: tax.label }) : tax.label;
    rows.push(...row(label, formatMoney(tax.amount), "totals__tax"));
  }
  rows.push(...row(t("Total"), formatMoney(prices.grand_total), "totals__grand"));
  dl.replaceChildren(...rows);
}

/** The storefront's words for "not that many": the most a shopper can have (Magento's own
 *  message, "The requested qty is not available", names no number). */
export function stockMessage(available) {
  const left = Math.max(0, Math.floor(Number(available) || 0));
  return left > 0 ? `Only ${left} left in stock.` : "This item is out of stock.";
}

/** A line's thumbnail, name × quantity and chosen options: the markup the server renders in
 *  templates/checkout/_summary_lines.html (the variant's own image and SKU when there is one). */
export function summaryLine(item, rowTotal) {
  const variant = item.configured_variant;
  const url = variant?.thumbnail?.url || item.product.thumbnail?.url;
  const thumb = url
    ? h("img", { class: "cart-line__thumb cart-line__thumb--small", src: url, alt: "", width: "48", height: "48" })
    : h("span", { class: "cart-line__thumb cart-line__thumb--small", "aria-hidden": "true" });
  const options = item.configurable_options || [];
  return h(
    "li",
    { class: "summary-line", "data-summary-line": variant?.sku || item.product.sku },
    h(
      "div",
      { class: "cart-line" },
      thumb,
      h(
        "div",
        { class: "cart-line__text" },
        h("span", {}, `${item.product.name} × ${item.quantity}`),
        options.length
          ? h(
              "dl",
              { class: "line-options" },
              options.map((o) => h("div", {}, h("dt", {}, `${o.option_label}:`), " ", h("dd", {}, o.value_label))),
            )
          : null,
      ),
    ),
    h("span", { class: "num" }, rowTotal),
  );
}
