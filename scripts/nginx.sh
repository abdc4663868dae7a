#!/usr/bin/env bash
# Run nginx, the cluster's load balancer, with a configuration the caller wrote, and print the
# address it balances on stdout (all else on stderr):
#
#   bash scripts/nginx.sh var/cluster/nginx.conf                # in the background; prints
#                                                               # http://127.0.0.1:5005
#   bash scripts/nginx.sh var/cluster/nginx.conf --foreground   # for a supervisor (supervisor/cluster.py)
#   bash scripts/nginx.sh var/cluster/nginx.conf --stop         # stops the background one
#   bash scripts/nginx.sh --install                             # only install; prints nginx's path
#
# Installs Debian's `nginx` package when nginx is missing (without starting Debian's own
# service on port 80), checks the configuration (`nginx -t`), then runs nginx as the project's
# own process with that configuration only: the Debian site files are not read, and the error
# log goes to stderr until the configuration names its own. supervisor/cluster.py writes the
# configuration (upstreams, pid file and temporary files under var/cluster). With
# --foreground the script becomes nginx's master process (`daemon off`), so whoever started it
# stops it with SIGTERM. Needs root the first time (package install).
set -euo pipefail

say() { echo "nginx.sh: $*" >&2; }

# without_service_start: install without starting Debian's own service.
source "$(dirname "${BASH_SOURCE[0]}")/debian.sh"

server() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

install_server() {
    if server >/dev/null; then return; fi
    say "installing nginx from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    without_service_start apt-get install -y -qq --no-install-recommends nginx >&2
}

# The first `listen` of the configuration, as a URL.
balanced_address() {
    local listen
    listen="$(grep -m 1 -oE '^\s*listen\s+[^; ]+' "$1" | awk '{print $2}')"
    echo "http://$listen"
}

main() {
    install_server
    if [ "${1:-}" = --install ]; then server; return; fi
    local config mode="${2:-}" nginx
    config="$(realpath "${1:?usage: nginx.sh CONFIG [--foreground|--stop]}")"
    nginx="$(server)"
    # -e: the log nginx writes before it has read the configuration (not /var/log/nginx).
    local run=("$nginx" -e stderr -p "$(dirname "$config")" -c "$config")
    if [ "$mode" = --stop ]; then
        "${run[@]}" -s quit
        return
    fi
    "${run[@]}" -t -q
    if [ "$mode" = --foreground ]; then
        say "nginx with $config in the foreground"
        exec "${run[@]}" -g "daemon off;"
    fi
    say "starting nginx with $config"
    "${run[@]}"
    balanced_address "$config"
}

main "$@"
