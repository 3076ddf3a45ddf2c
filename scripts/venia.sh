#!/usr/bin/env bash
# `make venia`: Magento's own PWA storefront (Venia), packed from npm, installed, built against
# this shop and ready to serve. Everything lives in build/venia/ (git-ignored). Idempotent: the
# install is skipped while package.json and node_modules match, the build while dist/ was built
# from the same install and backend.
#
#   VENIA_BACKEND   the shop the build queries (storeConfig, availableStores, introspection).
#                   Default: a throw-away shop (temp SQLite, migrate + seed_demo) on VENIA_SHOP_PORT.
#   VENIA_REBUILD=1 build again even if dist/ is current.
#   KLARNA_SDK_URL  the Klarna JS SDK the Klarna extension loads (default Klarna's CDN; offline:
#                   <shop>/klarna-emulator/kp/lib/v1/api.js). Part of the build stamp.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=14.5.1
# The registry lacks the versions Venia 14.5.1's ranges ask for (~1.0.13, ~1.1.21): the newest
# published ones below them.
PIN_CONNECTOR=1.0.12     # @magento/experience-platform-connector
PIN_HEADERS=1.1.20       # @magento/upward-security-headers
CHECKMO=0.0.13           # @magento/venia-sample-payments-checkmo (PWA Studio's check / money order)
KLARNA_PKG=pwa/venia-klarna-payments   # this repository's Klarna extension for Venia
DIR=build/venia
APP=$DIR/app
PY=${PY:-$(test -x .venv/bin/python && echo .venv/bin/python || echo python3)}
SHOP_PORT=${VENIA_SHOP_PORT:-8097}

now() { date +%s; }
t0=$(now)

command -v node >/dev/null || { echo "make venia needs Node >= 18 and npm" >&2; exit 1; }
mkdir -p "$DIR"

# 1. Pack and patch ----------------------------------------------------------------------------
if [ "$(node -p "try{require('./$APP/package.json').version}catch(e){''}" 2>/dev/null)" != "$VERSION" ]; then
  echo "== npm pack @magento/venia-concept@$VERSION"
  rm -rf "$APP" "$DIR/package"
  (cd "$DIR" && npm pack --silent "@magento/venia-concept@$VERSION" >/dev/null && tar xzf "magento-venia-concept-$VERSION.tgz")
  mv "$DIR/package" "$APP"
  # What `buildpack create-project` writes after copying the template (_buildpack/create.js):
  # the package has no babel.config.js of its own (it would disturb PWA Studio's monorepo).
  echo "module.exports = { presets: ['@magento/peregrine'] };" > "$APP/babel.config.js"
fi
# Pins for versions the registry does not have; sharp (optional, native, downloads binaries at
# install) is dropped: UPWARD then serves images unresized. Venia itself pays only with
# Braintree (or "free"): Magento's own check / money order extension for Venia,
# @magento/venia-sample-payments-checkmo, is added as a merchant would. Applied on every run
# (idempotent); a change shows in the install stamp below.
node -e '
  const fs = require("fs"), f = process.argv[1], p = JSON.parse(fs.readFileSync(f));
  p.dependencies["@magento/experience-platform-connector"] = process.argv[2];
  p.devDependencies["@magento/upward-security-headers"] = process.argv[3];
  p.dependencies["@magento/venia-sample-payments-checkmo"] = process.argv[4];
  p.overrides = {"@magento/experience-platform-connector": process.argv[2],
                 "@magento/upward-security-headers": process.argv[3]};
  delete p.optionalDependencies;
  const out = JSON.stringify(p, null, 2) + "\n";
  if (out !== fs.readFileSync(f, "utf8")) fs.writeFileSync(f, out);' \
  "$APP/package.json" "$PIN_CONNECTOR" "$PIN_HEADERS" "$CHECKMO"
# The .env create-project would write: Magento Open Source, Braintree's public sandbox token
# (required by buildpack's environment checks; this shop takes no Braintree), no custom origin
# (devcert wants root). MAGENTO_BACKEND_URL is given by the caller and wins over the file.
if [ ! -f "$APP/.env" ]; then
  printf '%s\n' "MAGENTO_BACKEND_EDITION=MOS" "CHECKOUT_BRAINTREE_TOKEN=sandbox_8yrzsvtm_s2bg8fs563crhqzk" \
    "CUSTOM_ORIGIN_ENABLED=false" > "$APP/.env"
fi

# This repository's Klarna Payments extension (pwa/venia-klarna-payments), installed from the local
# folder as a packed copy (a symlinked folder would resolve React and Venia from outside the app).
# A changed package drops its lock entry so npm takes the new tarball.
klarna_tgz=$(cd "$KLARNA_PKG" && npm pack --silent --pack-destination "$OLDPWD/$DIR" | tail -1)
klarna_sum=$(cksum < "$DIR/$klarna_tgz" | cut -d' ' -f1)
node -e '
  const fs = require("fs"), [f, lock, tgz, sum, old] = process.argv.slice(1);
  const p = JSON.parse(fs.readFileSync(f));
  p.dependencies["@klarna-shop/venia-klarna-payments"] = "file:../" + tgz;
  const out = JSON.stringify(p, null, 2) + "\n";
  if (out !== fs.readFileSync(f, "utf8")) fs.writeFileSync(f, out);
  if (sum !== old && fs.existsSync(lock)) {
    const l = JSON.parse(fs.readFileSync(lock));
    delete (l.packages || {})["node_modules/@klarna-shop/venia-klarna-payments"];
    fs.writeFileSync(lock, JSON.stringify(l, null, 2) + "\n");
  }' "$APP/package.json" "$APP/package-lock.json" "$klarna_tgz" "$klarna_sum" \
  "$(cat "$APP/node_modules/.venia-klarna" 2>/dev/null)"

# 2. Install -----------------------------------------------------------------------------------
stamp=$(cat "$APP/package.json" "$APP/package-lock.json" 2>/dev/null | cksum | cut -d' ' -f1)-$(node -v)-$klarna_sum
t1=$(now)
if [ "$(cat "$APP/node_modules/.venia-installed" 2>/dev/null)" = "$stamp" ]; then
  echo "== install: current (node_modules matches package.json and package-lock.json)"
else
  echo "== npm install --legacy-peer-deps (a few minutes)"
  (cd "$APP" && npm install --legacy-peer-deps --no-audit --no-fund --loglevel=error)
  stamp=$(cat "$APP/package.json" "$APP/package-lock.json" | cksum | cut -d' ' -f1)-$(node -v)-$klarna_sum
  echo "$stamp" > "$APP/node_modules/.venia-installed"
  echo "$klarna_sum" > "$APP/node_modules/.venia-klarna"
fi
t2=$(now)

# 3. Build against a running shop --------------------------------------------------------------
shop_pid=""
cleanup() { if [ -n "$shop_pid" ]; then kill "$shop_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
backend=${VENIA_BACKEND:-}
build_stamp="$stamp-${KLARNA_SDK_URL:-}"
if [ -z "${VENIA_REBUILD:-}" ] && [ -f "$APP/dist/index.html" ] && [ "$(cat "$APP/dist/.venia-built" 2>/dev/null)" = "$build_stamp" ]; then
  echo "== build: current (dist/ built from this install; VENIA_REBUILD=1 builds again)"
else
  if [ -z "$backend" ]; then
    db=$(mktemp /tmp/venia-shop-XXXXXX.sqlite3)
    echo "== a throw-away shop for the build: $db on port $SHOP_PORT"
    export DATABASE_URL="sqlite:///$db"
    $PY manage.py migrate --noinput -v0
    $PY manage.py seed_demo -v0
    $PY manage.py runserver "127.0.0.1:$SHOP_PORT" --noreload >"$DIR/build-shop.log" 2>&1 &
    shop_pid=$!
    backend="http://127.0.0.1:$SHOP_PORT/"
    for _ in $(seq 1 60); do curl -sf -o /dev/null "${backend}graphql?query=%7BstoreConfig%7Bstore_code%7D%7D" && break; sleep 0.5; done
  fi
  curl -sf -o /dev/null "${backend%/}/graphql?query=%7BstoreConfig%7Bstore_code%7D%7D" \
    || { echo "the shop at $backend does not answer storeConfig" >&2; exit 1; }
  echo "== webpack production build against $backend"
  (cd "$APP" && rm -rf dist && \
    DISABLE_V8_COMPILE_CACHE=1 NODE_OPTIONS=--openssl-legacy-provider MAGENTO_BACKEND_URL="$backend" \
    npx webpack --no-progress --env.mode production)
  echo "$build_stamp" > "$APP/dist/.venia-built"
fi
t3=$(now)

# 4. Report --------------------------------------------------------------------------------------
v() { node -p "require('./$APP/node_modules/$1/package.json').version" 2>/dev/null || echo "?"; }
echo "== Venia ready in $APP (serve: make venia-serve)"
echo "   node $(node -v), npm $(npm -v)"
echo "   @magento/venia-concept $VERSION, venia-ui $(v @magento/venia-ui), peregrine $(v @magento/peregrine), pwa-buildpack $(v @magento/pwa-buildpack), upward-js $(v @magento/upward-js)"
echo "   added: @magento/venia-sample-payments-checkmo $(v @magento/venia-sample-payments-checkmo), @klarna-shop/venia-klarna-payments $(v @klarna-shop/venia-klarna-payments) (from $KLARNA_PKG)"
echo "   pinned (registry lacks the ranges' versions): @magento/experience-platform-connector $(v @magento/experience-platform-connector) (asked ~1.0.13), @magento/upward-security-headers $(v @magento/upward-security-headers) (asked ~1.1.21); sharp left out"
echo "   timings: pack $((t1 - t0)) s, install $((t2 - t1)) s, build $((t3 - t2)) s, total $((t3 - t0)) s"
