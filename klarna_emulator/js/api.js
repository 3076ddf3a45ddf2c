/*
 * Klarna Payments JS SDK, emulated (window.Klarna.Payments).
 *
 * Served by the Klarna emulator at <emulator>/kp/lib/v1/api.js. It talks to the emulator that
 * served it (the script's own origin and path), so the client token may name any base URL.
 * Callback shapes and thrown errors follow Klarna's SDK reference (klarna-api.md §5.2).
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var EVENTS = ["heightChanged", "fullscreenOverlayShown", "fullscreenOverlayHidden"];
  var PREFERRED_METHODS = ["invoice", "fixed_amount", "base_account", "direct_debit", "pay_now", "pay_later"];

  function KlarnaError(name, message) {
    var error = new Error(message || name);
    error.name = name;
    return error;
  }

  var state = { token: null, claims: null, loaded: null, handlers: {}, overlayOpen: false };
  EVENTS.forEach(function (name) { state.handlers[name] = []; });

  function emulatorBase() {
    if (SCRIPT && SCRIPT.src) {
      return SCRIPT.src.replace(/\/kp\/lib\/v1\/api\.js(\?.*)?$/, "");
    }
    return state.claims && state.claims.base_url ? state.claims.base_url : "";
  }

  function decodeToken(token) {
    if (typeof token !== "string") { return null; }
    var parts = token.split(".");
    if (parts.length !== 3 || parts.some(function (p) { return !/^[A-Za-z0-9_-]+$/.test(p); })) { return null; }
    try {
      var b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
      while (b64.length % 4) { b64 += "="; }
      var claims = JSON.parse(atob(b64));
      return claims && claims.session_id ? claims : null;
    } catch (e) {
      return null;
    }
  }

  function emit(name, payload) {
    state.handlers[name].slice().forEach(function (handler) {
      try { handler(payload); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  function post(path, body) {
    body.client_token = state.token;
    return fetch(emulatorBase() + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw KlarnaError("EmulatorRequestError", JSON.stringify(json)); }
        return json;
      });
    });
  }

  // (options, data, callback) or (options, callback)
  function args(options, data, callback) {
    if (typeof data === "function") { return { options: options || {}, data: {}, callback: data }; }
    return { options: options || {}, data: data || {}, callback: callback || function () {} };
  }

  function categoryOf(options) {
    if (Object.prototype.hasOwnProperty.call(options, "payment_method_category")) {
      if (typeof options.payment_method_category !== "string" || !options.payment_method_category) {
        throw KlarnaError("PaymentMethodCategoryNotProvidedError", "payment_method_category is empty");
      }
      return options.payment_method_category;
    }
    if (Object.prototype.hasOwnProperty.call(options, "payment_method_categories")) {
      var list = options.payment_method_categories;
      if (!Array.isArray(list) || !list.length || !options.instance_id) {
        throw KlarnaError("PaymentMethodCategoryNotProvidedError", "payment_method_categories needs items and instance_id");
      }
      return list[0];
    }
    return null;
  }

  function init(options) {
    var claims = decodeToken(options && options.client_token);
    if (!claims) {
      throw KlarnaError("InvalidClientTokenError", "client_token is not a valid JWT");
    }
    state.token = options.client_token;
    state.claims = claims;
    state.loaded = null;
  }

  function load(options, data, callback) {
    var a = args(options, data, callback);
    var container, category;
    try {
      if (!state.token) { throw KlarnaError("ApplicationNotInitializedError", "call Klarna.Payments.init first"); }
      container = typeof a.options.container === "string"
        ? document.querySelector(a.options.container) : a.options.container;
      if (!container || !container.nodeType) {
        throw KlarnaError("InvalidContainerSelectorError", "container not found: " + a.options.container);
      }
      category = categoryOf(a.options);
      if (a.options.preferred_payment_method &&
          PREFERRED_METHODS.indexOf(a.options.preferred_payment_method) === -1) {
        throw KlarnaError("PreferredPaymentMethodNotSupportedError", a.options.preferred_payment_method);
      }
    } catch (error) {
      a.callback({ show_form: false });
      throw error;
    }
    post("/kp/sdk/load", { payment_method_category: category, data: a.data }).then(function (res) {
      container.innerHTML = res.html;
      state.loaded = { category: category, categories: res.payment_method_categories, container: container };
      emit("heightChanged", container.offsetHeight);
      a.callback({ show_form: res.show_form });
    }, function () {
      a.callback({ show_form: false });
    });
  }

  function closeOverlay(overlay) {
    if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    state.overlayOpen = false;
    emit("fullscreenOverlayHidden");
  }

  function button(id, label) {
    var el = document.createElement("button");
    el.type = "button";
    el.id = id;
    el.setAttribute("data-testid", id);
    el.textContent = label;
    el.style.margin = "4px";
    return el;
  }

  function openOverlay(category, check, onChoice) {
    var overlay = document.createElement("div");
    overlay.id = "klarna-emulator-overlay";
    overlay.setAttribute("data-testid", "klarna-emulator-overlay");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Klarna");
    overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.55);z-index:2147483647;" +
      "display:flex;align-items:center;justify-content:center;font-family:sans-serif";
    var box = document.createElement("div");
    box.style.cssText = "background:#fff;padding:24px;border-radius:8px;min-width:300px;max-width:90vw";
    var title = document.createElement("h2");
    title.textContent = "Klarna (emulator)";
    var what = document.createElement("p");
    var names = (state.loaded.categories || []).filter(function (c) { return c.identifier === category; });
    what.textContent = names.length ? names[0].name : category;
    var amount = document.createElement("p");
    amount.setAttribute("data-testid", "klarna-emulator-overlay-amount");
    amount.textContent = check.amount_formatted;
    var who = document.createElement("p");
    who.setAttribute("data-testid", "klarna-emulator-overlay-email");
    who.textContent = check.email || "";
    box.appendChild(title);
    box.appendChild(what);
    box.appendChild(amount);
    box.appendChild(who);
    [["klarna-emulator-approve", "Approve", "approve"], ["klarna-emulator-decline", "Decline", "decline"],
      ["klarna-emulator-close", "Close", "close"]].forEach(function (spec) {
      var el = button(spec[0], spec[1]);
      el.addEventListener("click", function () {
        closeOverlay(overlay);
        onChoice(spec[2]);
      });
      box.appendChild(el);
    });
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    state.overlayOpen = true;
    emit("fullscreenOverlayShown");
  }

  function decide(category, a, requireLoad) {
    if (!state.token) { throw KlarnaError("ApplicationNotInitializedError", "call Klarna.Payments.init first"); }
    if (requireLoad && !state.loaded) { throw KlarnaError("ApplicationNotLoadedError", "call Klarna.Payments.load first"); }
    if (!category) { throw KlarnaError("PaymentMethodCategoryNotProvidedError", "payment_method_category missing"); }
    if (state.loaded && state.loaded.categories &&
        !state.loaded.categories.some(function (c) { return c.identifier === category; })) {
      throw KlarnaError("PaymentMethodCategoryNotSupportedError", category);
    }
    var autoFinalize = a.options.auto_finalize !== false;
    post("/kp/sdk/authorize-check", { payment_method_category: category, data: a.data }).then(function (check) {
      if (check.result) { a.callback(check.result); return; }
      if (!state.loaded) { state.loaded = { categories: null }; }
      openOverlay(category, check, function (choice) {
        if (choice === "close") { a.callback({ approved: false, show_form: true }); return; }
        post("/kp/sdk/authorize", {
          payment_method_category: category, data: a.data, decision: choice, auto_finalize: autoFinalize,
        }).then(a.callback, function () { a.callback({ approved: false, show_form: false }); });
      });
    }, function () {
      a.callback({ approved: false, show_form: false });
    });
  }

  function authorize(options, data, callback) {
    var a = args(options, data, callback);
    decide(categoryOf(a.options) || (state.loaded && state.loaded.category), a, true);
  }

  function reauthorize(options, data, callback) {
    var a = args(options, data, callback);
    decide(categoryOf(a.options), a, false);
  }

  function finalize(options, data, callback) {
    var a = args(options, data, callback);
    if (!state.token) { throw KlarnaError("ApplicationNotInitializedError", "call Klarna.Payments.init first"); }
    var category = categoryOf(a.options);
    post("/kp/sdk/finalize", { payment_method_category: category, data: a.data }).then(a.callback, function () {
      a.callback({ approved: false, show_form: false });
    });
  }

  function loadPaymentReview(options, callback) {
    if (!state.token) { throw KlarnaError("ApplicationNotInitializedError", "call Klarna.Payments.init first"); }
    if (!state.claims || state.claims.purchase_country !== "US") {
      throw KlarnaError("OperationNotSupportedError", "loadPaymentReview is only available in the US");
    }
    (callback || function () {})({ show_form: true });
  }

  function on(name, handler) {
    if (EVENTS.indexOf(name) === -1) { throw KlarnaError("EventNotSupportedError", name); }
    state.handlers[name].push(handler);
  }

  function off(name, handler) {
    if (EVENTS.indexOf(name) === -1) { throw KlarnaError("EventNotSupportedError", name); }
    state.handlers[name] = handler ? state.handlers[name].filter(function (h) { return h !== handler; }) : [];
  }

  window.Klarna = window.Klarna || {};
  window.Klarna.Payments = {
    init: init,
    load: load,
    authorize: authorize,
    reauthorize: reauthorize,
    finalize: finalize,
    loadPaymentReview: loadPaymentReview,
    on: on,
    off: off,
  };
  if (typeof window.klarnaAsyncCallback === "function") {
    setTimeout(function () { window.klarnaAsyncCallback(); }, 0);
  }
})();
