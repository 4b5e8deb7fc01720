#!/usr/bin/env bash
# The demo behind `make run`: database, migrations, the registry stand-in, a first sync, demo data,
# static files, a Celery worker and beat in the background, and the web server in the foreground.
# Ctrl-C (or any exit) stops everything this script started. Logs of background processes: var/log/.
# Expects the virtualenv installed and PostgreSQL/Redis up (the Makefile sees to both).
set -euo pipefail
cd "$(dirname "$0")/.."

# Local overrides, if any: a copy of .env.example with changed values.
if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
fi

BIN=.venv/bin
PYTHON=$BIN/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
# The demo's checkouts may be paid with the test gateway (Saleor's Dummy Payment app id), as the storefront's
# test journey does; production settings refuse it.
export OCOP_DUMMY_PAYMENTS=${OCOP_DUMMY_PAYMENTS:-true}
# The database named by DATABASE_URL (ocop_marketplace by default), on the local server.
DB_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ocop_marketplace}
DB_NAME=${DB_URL##*/}
DB_NAME=${DB_NAME%%\?*}
SHARED_DIR=${OCOP_SHARED_DIR:-../shared}
SIM_URL=http://127.0.0.1:8765
SIM_TOKEN=${OCOP_REGISTRY_TOKEN:-dev-token}
SIM_PIDFILE=var/registry_sim.pid
mkdir -p var/log

# Background processes run in sessions of their own (setsid), so that stopping one stops its children
# too (the worker's pool, runserver's reloader): we signal the whole process group.
pids=()
start_background() { # LOG COMMAND...
    local log=$1
    shift
    setsid "$@" </dev/null >"$log" 2>&1 &
    pids+=("$!")
}
stop_background() {
    # Runs once, to the end: make passes a second TERM on, and a second Ctrl-C must not cut this short.
    trap - EXIT
    trap '' HUP INT TERM
    if [ "${#pids[@]}" -gt 0 ]; then
        echo "run_demo: stopping ${pids[*]}"
        for pid in "${pids[@]}"; do
            kill -TERM -- "-$pid" 2>/dev/null || true
        done
        for ((i = 0; i < 40; i++)); do # up to 10 seconds for a clean shutdown, then KILL
            local alive=0
            for pid in "${pids[@]}"; do
                if kill -0 -- "-$pid" 2>/dev/null; then
                    alive=1
                fi
            done
            [ "$alive" -eq 1 ] || break
            sleep 0.25
        done
        for pid in "${pids[@]}"; do
            kill -KILL -- "-$pid" 2>/dev/null || true
        done
        wait 2>/dev/null || true
    fi
    rm -f "$SIM_PIDFILE"
}
trap stop_background EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

answers() { # URL [BEARER_TOKEN]: does URL answer 2xx within 2 seconds?
    "$PYTHON" - "$@" <<'PY' >/dev/null 2>&1
import sys
import urllib.request

request = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    request.add_header("Authorization", f"Bearer {sys.argv[2]}")
urllib.request.urlopen(request, timeout=2)
PY
}

wait_for() { # NAME URL SECONDS
    for ((i = 0; i < $3 * 4; i++)); do
        if answers "$2"; then
            return 0
        fi
        sleep 0.25
    done
    echo "run_demo: $1 did not answer at $2 within $3s" >&2
    return 1
}

echo "run_demo: database $DB_NAME"
if [ -z "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    createdb -h 127.0.0.1 -U postgres "$DB_NAME"
fi
"$PYTHON" manage.py migrate --noinput

# The registry stand-in, when the settings point at its default address.
if [ "${OCOP_REGISTRY_URL:-$SIM_URL}" = "$SIM_URL" ]; then
    # One of ours left by an earlier run that could not clean up: restart it.
    if [ -f "$SIM_PIDFILE" ] && grep -qs registry_sim.py "/proc/$(cat "$SIM_PIDFILE")/cmdline"; then
        kill -TERM -- "-$(cat "$SIM_PIDFILE")" 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$SIM_PIDFILE"
    if answers "$SIM_URL/api/v1/certifications?limit=1" "$SIM_TOKEN"; then
        echo "run_demo: reusing the registry already serving $SIM_URL"
    elif answers "$SIM_URL/api/v1/health"; then
        echo "run_demo: $SIM_URL answers but refuses the token $SIM_TOKEN; stop what serves it" >&2
        exit 1
    else
        echo "run_demo: starting the registry stand-in on $SIM_URL (log: var/log/registry_sim.log)"
        start_background var/log/registry_sim.log "$PYTHON" "$SHARED_DIR/registry/registry_sim.py" \
            --data "$SHARED_DIR/data/registry-demo.json" --port 8765 --token "$SIM_TOKEN"
        echo "${pids[-1]}" >"$SIM_PIDFILE"
        wait_for "the registry stand-in" "$SIM_URL/api/v1/health" 15
    fi
fi

# Card payments: localstripe (a Stripe stand-in, behind our shim) unless a real Stripe key is configured. It
# signs its webhooks with the demo secret and delivers them to the marketplace's endpoint below.
if [ -z "${STRIPE_SECRET_KEY:-}" ]; then
    STRIPE_DEMO_PORT=${STRIPE_DEMO_PORT:-8420}
    export STRIPE_API_BASE=http://127.0.0.1:$STRIPE_DEMO_PORT
    export STRIPE_SECRET_KEY=sk_test_ocop_demo
    export STRIPE_PUBLISHABLE_KEY=pk_test_ocop_demo
    export STRIPE_WEBHOOK_SECRET=whsec_ocop_demo
    export STRIPE_JS_URL=$STRIPE_API_BASE/js.stripe.com/v3/ # localstripe's stand-in for Stripe.js
    echo "run_demo: starting localstripe on $STRIPE_API_BASE (log: var/log/localstripe.log)"
    start_background var/log/localstripe.log "$PYTHON" -m payments.stripe.localstripe_server \
        --port "$STRIPE_DEMO_PORT" --webhook-url http://127.0.0.1:8000/payments/stripe/webhook/ \
        --webhook-secret "$STRIPE_WEBHOOK_SECRET"
    for ((i = 0; i < 80; i++)); do # up to 20 seconds
        if answers "$STRIPE_API_BASE/v1/payment_intents?limit=1" "$STRIPE_SECRET_KEY"; then
            break
        fi
        sleep 0.25
    done
    answers "$STRIPE_API_BASE/v1/payment_intents?limit=1" "$STRIPE_SECRET_KEY" ||
        { echo "run_demo: localstripe did not answer at $STRIPE_API_BASE" >&2; exit 1; }
fi

# Bank transfers go to a demo collection account (config/settings/local.py); `manage.py bank_credit --order N` plays
# the bank-notification service: it posts the credit to the webhook, signed with the same demo secret.

"$PYTHON" manage.py sync_registry
"$PYTHON" manage.py seed_demo
"$PYTHON" manage.py rebuild_search_index
"$PYTHON" manage.py collectstatic --noinput

echo "run_demo: Celery worker and beat (logs: var/log/celery-worker.log, var/log/celery-beat.log)"
start_background var/log/celery-worker.log "$BIN/celery" -A config worker -l info
start_background var/log/celery-beat.log "$BIN/celery" -A config beat -l info --schedule var/celerybeat-schedule

echo "run_demo: the marketplace on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/); Ctrl-C stops it all"
# In its own session like the rest, so that the reloader's child stops with it; `wait` lets the traps run.
setsid "$PYTHON" manage.py runserver 127.0.0.1:8000 </dev/null &
pids+=("$!")
wait "$!"
