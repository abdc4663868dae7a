#!/usr/bin/env bash
# Installs Debian's Chromium and its driver for the browser tests, unless already there.
# Idempotent: does nothing (and needs no network) when /usr/bin/chromium exists.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
/usr/bin/chromium --version
