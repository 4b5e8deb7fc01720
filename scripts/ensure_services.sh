#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, starting the Debian-packaged servers if they are down.
# Used by `make test` and `make run`.
set -euo pipefail

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
    echo "ensure_services: $name did not answer on 127.0.0.1 within ${seconds}s" >&2
    return 1
}

redis_answers() {
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
}

# pg_isready: 0 accepting, 1 starting up or rejecting, 2 no answer (server down).
pg_status=0
pg_isready -q -h 127.0.0.1 || pg_status=$?
if [ "$pg_status" -eq 2 ]; then
    echo "ensure_services: starting PostgreSQL"
    # shellcheck disable=SC2046  # one cluster version directory on these machines
    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
fi
wait_until PostgreSQL 60 pg_isready -q -h 127.0.0.1

if ! redis_answers; then
    echo "ensure_services: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
wait_until Redis 30 redis_answers
