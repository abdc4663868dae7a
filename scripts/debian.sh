# Sourced by the scripts that install a server from Debian's packages (nginx.sh, redis.sh).

# apt-get would start Debian's own service; a policy-rc.d that says 101 prevents it.
without_service_start() {
    local policy=/usr/sbin/policy-rc.d
    if [ -e "$policy" ]; then "$@"; return; fi
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    "$@"
    rm -f "$policy" && trap - EXIT
}
