#!/usr/bin/env bash
# Installs Debian's pandas, with which test/node/trace-file.test.ts runs the pandas snippet of
# docs/trace.md on a real event log. Idempotent: does nothing when /usr/bin/python3 has pandas.
set -euo pipefail

if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  echo "install-python: pandas present ($(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends python3 python3-pandas >/dev/null
echo "install-python: installed pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)')"
