#!/usr/bin/env bash
# Build and start Saleor's storefront (saleor/storefront, fetched outside this repository), unchanged,
# against our API. See docs/saleor-storefront.md.
#
#   bash scripts/saleor_storefront_build.sh STOREFRONT_DIR [install|generate|build|start|all]
#
# install   pnpm install --frozen-lockfile (from the npm registry)
# generate  the storefront's code generators: they introspect our /graphql/ (the API must be running)
# build     next build (the TypeScript compile checks the storefront against the generated types)
# start     next start on 127.0.0.1:$STOREFRONT_PORT, in the foreground
# all       (default) the four in turn
#
# Environment (all optional):
#   SALEOR_API_URL   our API, default http://127.0.0.1:8000/graphql/ (`make run`); keep the trailing slash
#   STOREFRONT_PORT  default 3000
#   PNPM             the pnpm to use, default `pnpm` on PATH (pnpm 10: npm i --prefix DIR pnpm@10)
#   STOREFRONT_STRIPE  true = the card form of our Stripe gateway (needs js.stripe.com); default: the test gateway
# Each step prints its wall time and peak memory (GNU time) to stderr.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/package.json" ]; then
    echo "usage: $0 STOREFRONT_DIR [install|generate|build|start|all]" >&2
    exit 2
fi
STOREFRONT=$(cd "$1" && pwd)
STEP=${2:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
PNPM=${PNPM:-pnpm}
PORT=${STOREFRONT_PORT:-3000}
API=${SALEOR_API_URL:-http://127.0.0.1:8000/graphql/}

# Offline: next/font reads Google Fonts' CSS from our mock instead of fonts.googleapis.com, and Next sends
# no telemetry. Everything else is the storefront's own configuration (.env.example).
export NEXT_FONT_GOOGLE_MOCKED_RESPONSES=$HERE/saleor_storefront/font-mock.cjs
export NEXT_TELEMETRY_DISABLED=1
export HUSKY=0 # the storefront's `prepare` installs git hooks otherwise
export NEXT_PUBLIC_SALEOR_API_URL=$API
export NEXT_PUBLIC_STOREFRONT_URL=http://127.0.0.1:$PORT
export NEXT_PUBLIC_DEFAULT_CHANNEL=default-channel
# The home page's texts and featured collection from our pages (the demo seeds them), not the storefront's defaults.
export CONTENT_PROVIDER=saleor
# The storefront's test payment: Saleor's dummy gateway id, which our test-only gateway answers to.
export NEXT_PUBLIC_ALLOW_DUMMY_PAYMENT=true
export ALLOW_DUMMY_PAYMENT=true
# The card form for our Stripe gateway (Saleor's Stripe app id) only with STOREFRONT_STRIPE=true: it loads
# Stripe.js from js.stripe.com, and when it is on the storefront prefers it to the test gateway.
if [ "${STOREFRONT_STRIPE:-false}" = true ]; then
    export NEXT_PUBLIC_ENABLE_STRIPE_PAYMENTS=true
    export ENABLE_STRIPE_PAYMENTS=true
fi

measured() { # NAME COMMAND...: run COMMAND in the storefront, then print its wall time and peak memory
    local name=$1
    shift
    if [ -x /usr/bin/time ]; then
        (cd "$STOREFRONT" && /usr/bin/time -f "saleor_storefront_build: $name took %e s, peak %M KB" "$@")
    else
        local start=$SECONDS
        (cd "$STOREFRONT" && "$@")
        echo "saleor_storefront_build: $name took $((SECONDS - start)) s" >&2
    fi
}

api_answers() {
    curl -fsS -m 5 -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' "$API" >/dev/null 2>&1
}

case $STEP in
install | all) measured "pnpm install" "$PNPM" install --frozen-lockfile ;;&
generate | build | all)
    if ! api_answers; then
        echo "saleor_storefront_build: $API does not answer; start the API first (make run)" >&2
        exit 1
    fi
    ;;&
generate | all) measured "codegen" "$PNPM" run generate:all ;;&
build | all) measured "next build" "$PNPM" exec next build ;;&
start | all)
    echo "saleor_storefront_build: the storefront on http://127.0.0.1:$PORT/ (API $API)" >&2
    cd "$STOREFRONT"
    exec "$PNPM" exec next start --hostname 127.0.0.1 --port "$PORT"
    ;;
install | generate | build) ;;
*)
    echo "usage: $0 STOREFRONT_DIR [install|generate|build|start|all]" >&2
    exit 2
    ;;
esac
