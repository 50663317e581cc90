#!/usr/bin/env bash
# Installs the headless browser that test/report/browser.test.ts drives (Debian's `chromium`).
# Idempotent: does nothing when /usr/bin/chromium is already there. playwright-core is an npm
# dependency; we use the distribution's browser because the machine cannot download Playwright's.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-browser: /usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
