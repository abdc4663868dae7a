#!/usr/bin/env bash
# Start a local Redis for Rasa's lock store and print its URL on stdout (all else on stderr):
#
#   export REDIS_URL="$(bash scripts/redis.sh)"        # redis://127.0.0.1:6379/1
#   bash scripts/redis.sh --foreground                  # for a supervisor (supervisor/cluster.py)
#   bash scripts/redis.sh --install                     # only install; prints redis-server's path
#
# Installs Debian's `redis-server` package when the server is missing (without starting
# Debian's own service), then runs redis-server as the project's own process: bound to
# 127.0.0.1 only, protected mode on, no snapshots or append-only file (the lock store holds
# only short-lived ticket locks), its files in REDIS_DIR. By default it is started in
# the background (pid file redis.pid there) unless a Redis already answers on the
# port; with --foreground the script becomes redis-server (logging to stdout), so whoever
# started it stops it with SIGTERM. Needs root the first time (package install).
#
# REDIS_PORT (6379), REDIS_DB (1, the database number Rasa's lock store uses by default) and
# REDIS_DIR (var/redis-<port>) override the defaults.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DB="${REDIS_DB:-1}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${REDIS_DIR:-$REPO/var/redis-$REDIS_PORT}"

say() { echo "redis.sh: $*" >&2; }

server() { command -v redis-server; }

# without_service_start: install without starting Debian's own service.
source "$(dirname "${BASH_SOURCE[0]}")/debian.sh"

install_server() {
    if server >/dev/null; then return; fi
    say "installing redis-server from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    without_service_start apt-get install -y -qq --no-install-recommends redis-server >&2
}

is_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

main() {
    install_server
    if [ "${1:-}" = --install ]; then server; return; fi
    mkdir -p "$DIR"
    # An empty `save` turns snapshots off.
    local options=(--bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --dir "$DIR"
                   --save "" --appendonly no)
    if [ "${1:-}" = --foreground ]; then
        say "redis-server on 127.0.0.1:$REDIS_PORT in the foreground"
        exec "$(server)" "${options[@]}" --daemonize no --logfile ""
    fi
    if ! is_up; then
        say "starting redis-server on 127.0.0.1:$REDIS_PORT (files in $DIR)"
        "$(server)" "${options[@]}" --daemonize yes --pidfile "$DIR/redis.pid" \
            --logfile "$DIR/redis.log"
    fi
    for _ in $(seq 1 50); do is_up && break; sleep 0.1; done
    is_up || { say "redis on 127.0.0.1:$REDIS_PORT did not come up"; exit 1; }
    echo "redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
}

main "$@"
