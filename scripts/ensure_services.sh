#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the marketplace, as `make run` and `make test` need them:
# install them from Debian's packages when they are missing, start them when they are down, and check that the
# database role the settings use (postgres, no password: DATABASE_URL's default) can connect and create databases.
# Everything it does, it says.
set -euo pipefail
# shellcheck source=scripts/apt_install.sh
. "$(dirname "$0")/apt_install.sh"

say() { echo "ensure_services: $*"; }

# wait_until NAME SECONDS COMMAND...: run COMMAND every half second until it succeeds.
wait_until() {
    local name=$1 seconds=$2
    shift 2
    for ((i = 0; i < seconds * 2; i++)); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    say "$name did not answer on 127.0.0.1 within ${seconds}s" >&2
    return 1
}

postgres_cluster() { # the version directory of the (single) Debian cluster, or nothing
    ls /etc/postgresql 2>/dev/null | head -n 1
}

# --- PostgreSQL -------------------------------------------------------------------------------------------------
if ! command -v pg_isready >/dev/null || [ -z "$(postgres_cluster)" ]; then
    say "PostgreSQL is not installed"
    apt_install postgresql postgresql-contrib
    version=$(postgres_cluster)
    # A cluster this script created serves this machine's developer only: let local TCP connections in without a
    # password, as the default DATABASE_URL (postgres://postgres@127.0.0.1:5432/...) expects.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    say "letting local TCP connections (127.0.0.1, ::1) into the new cluster without a password ($hba)"
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+$/\1trust/' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
fi

# pg_isready: 0 accepting, 1 starting up or rejecting, 2 no answer (server down).
pg_status=0
pg_isready -q -h 127.0.0.1 || pg_status=$?
if [ "$pg_status" -eq 2 ]; then
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(postgres_cluster)" main start
fi
wait_until PostgreSQL 60 pg_isready -q -h 127.0.0.1

if [ -z "${DATABASE_URL:-}" ]; then
    can_create=$(psql -h 127.0.0.1 -U postgres -d postgres -tAc \
        "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user" 2>/dev/null || true)
    if [ "$can_create" != "t" ]; then
        say "the role postgres cannot connect to 127.0.0.1:5432 without a password, or cannot create databases." >&2
        say "Allow it in pg_hba.conf (trust for 127.0.0.1), or set DATABASE_URL to a role that can (see .env.example)." >&2
        exit 1
    fi
fi

# --- Redis ------------------------------------------------------------------------------------------------------
redis_answers() {
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    say "Redis is not installed"
    apt_install redis-server
fi
if ! redis_answers; then
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
wait_until Redis 30 redis_answers
