// Form errors a shopper (and a screen reader) can follow: one summary at the top of the form
// naming every invalid field (role=alert, focused, each entry a link to its field), and on each
// field aria-invalid plus its own message tied in with aria-describedby.
import { h } from "./graphql.js";

const errorId = (field) => `${field.id}-error`;

function describedBy(field) {
  return (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
}

/** Mark one field invalid with `message` under it, or clear it when `message` is empty. */
export function setFieldError(field, message) {
  const id = errorId(field);
  let note = document.getElementById(id);
  const ids = describedBy(field).filter((x) => x !== id);
  if (!message) {
    note?.remove();
    field.removeAttribute("aria-invalid");
    if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
    else field.removeAttribute("aria-describedby");
    return;
  }
  if (!note) {
    note = h("p", { class: "field-error", id });
    field.after(note);
  }
  note.textContent = message;
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", [...ids, id].join(" "));
}

/**
 * Show `errors` ([{ field, label, message }]) in `summary` and on their fields, then move focus
 * to the summary; with no errors, hide the summary. Fields not listed are cleared.
 */
export function showFormErrors(summary, fields, errors) {
  const invalid = new Map(errors.map((e) => [e.field, e]));
  for (const field of fields) setFieldError(field, invalid.get(field)?.message || "");
  if (!errors.length) {
    summary.hidden = true;
    summary.replaceChildren();
    return;
  }
  const heading =
    errors.length === 1 ? "Please correct 1 field:" : `Please correct these ${errors.length} fields:`;
  const items = errors.map((e) => {
    const link = h("a", { href: `#${e.field.id}` }, `${e.label}: ${e.message}`);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      e.field.focus();
    });
    return h("li", {}, link);
  });
  summary.replaceChildren(h("p", { class: "error-summary__title" }, heading), h("ul", {}, items));
  summary.hidden = false;
  summary.focus();
}
