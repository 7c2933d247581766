#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is at /usr/bin/chromium, for the admin status-page
# browser test (packages/admin/test/status-page.integration.test.ts). Installs it with apt-get only when
# it is missing (the test and CI machines are Debian, and the tests run as root there); prints the path.
# Idempotent and quiet when Chromium is already there. Exits non-zero, with the reason, when it cannot.
set -euo pipefail
bin="${EVROUTE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium.sh: $bin is missing and there is no apt-get to install it; install Chromium and set EVROUTE_CHROMIUM" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "ensure-chromium.sh: $bin is missing and installing it needs root (apt-get install -y chromium)" >&2
    exit 1
  fi
fi
echo "ensure-chromium.sh: installing Debian's chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
# Serialise concurrent callers (two test workers) on one lock: apt itself refuses a second instance.
exec 9>/tmp/evroute-ensure-chromium.lock
flock 9
if [ ! -x "$bin" ]; then
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
if [ ! -x "$bin" ]; then
  echo "ensure-chromium.sh: apt-get finished but $bin is still missing" >&2
  exit 1
fi
echo "$bin"
