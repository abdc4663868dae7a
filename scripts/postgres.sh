#!/usr/bin/env bash
# Start a local PostgreSQL for the case store and print its URL on stdout (all else on stderr):
#
#   export TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"
#
# Installs Debian's `postgresql` package when no server is installed, starts the Debian
# cluster (pg_ctlcluster) listening on 127.0.0.1 only, or, without the Debian cluster
# tools, a server initialised into var/pg and run as the `postgres` user. Creates the role
# and database if missing. Safe to run again: when the server is up it only checks the role
# and database and prints the URL. Needs root the first time (package install, cluster start).
#
# PG_USER, PG_PASSWORD, PG_DATABASE, PG_PORT override the defaults office/office/office/5432;
# PG_MODE=private forces the var/pg server even where the Debian cluster tools exist.
set -euo pipefail

PG_USER="${PG_USER:-office}"
PG_PASSWORD="${PG_PASSWORD:-office}"
PG_DATABASE="${PG_DATABASE:-office}"
PG_PORT="${PG_PORT:-5432}"
PG_MODE="${PG_MODE:-auto}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { echo "postgres.sh: $*" >&2; }

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

server_bin_dir() {
    local version
    version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/postgres" ] \
        && echo "/usr/lib/postgresql/$version/bin"
}

install_server() {
    if server_bin_dir >/dev/null; then return; fi
    say "installing PostgreSQL from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

is_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }

start_debian_cluster() {
    local version="$1" status
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$version main"; then
        say "creating cluster $version/main on port $PG_PORT"
        pg_createcluster "$version" main --port "$PG_PORT" >&2
    fi
    status="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3, $4}')"
    PG_PORT="${status%% *}"
    if [ "${status##* }" != online ]; then
        say "starting cluster $version/main on port $PG_PORT"
        pg_ctlcluster "$version" main start >&2
    fi
}

start_private_server() {
    local bin="$1" data="$REPO/var/pg"
    mkdir -p "$REPO/var"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "initialising $data"
        install -d -o postgres -g postgres "$data"
        as_postgres "$bin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 >&2
    fi
    install -d -o postgres -g postgres /var/run/postgresql
    say "starting server in $data on port $PG_PORT"
    as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT" start >&2
}

psql_admin() {
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PG_PORT" -d postgres "$@"
}

ensure_role_and_database() {
    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" ]; then
        say "creating role $PG_USER"
        psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
    fi
    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" ]; then
        say "creating database $PG_DATABASE"
        psql_admin -c "CREATE DATABASE \"$PG_DATABASE\" OWNER \"$PG_USER\""
    fi
}

main() {
    install_server
    local bin
    bin="$(server_bin_dir)"
    if [ "$PG_MODE" != private ] && command -v pg_lsclusters >/dev/null 2>&1; then
        start_debian_cluster "$(basename "$(dirname "$bin")")"
    elif ! is_up; then
        start_private_server "$bin"
    fi
    for _ in $(seq 1 50); do is_up && break; sleep 0.2; done
    is_up || { say "server on 127.0.0.1:$PG_PORT did not come up"; exit 1; }
    ensure_role_and_database
    echo "postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE"
}

main "$@"
