#!/usr/bin/env bash
# The README's first command: the wrongbook pipeline on embedded defaults, no servers needed.
#   toolchain (Node 24 + pnpm, installed into ~/.cache/evroute when missing) → frozen install → build →
#   examples/wrongbook/dist/demo.js: sample events through the router into SQLite with a progress bar;
#   mid-run a plugin version is hot-swapped in and a route is flipped in the routing file; at the end a
#   summary of the wide table and where to look next. Everything it writes goes to .evroute/demo/.
# Options go to the demo: --count <events> (default 20000), --rate <events/s> (default 2000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

mkdir -p .evroute
log=.evroute/demo-setup.log
started=$(date +%s)
echo "demo.sh: node $(node --version), pnpm $(pnpm --version); installing and building (log: $log)"
# Quiet unless something fails: then the log says why.
# The second install only links the `evroute` command, whose file exists once the CLI is built.
if ! { pnpm install --frozen-lockfile --reporter=append-only && pnpm exec tsc -b examples/wrongbook &&
  pnpm install --frozen-lockfile --offline --reporter=append-only; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "demo.sh: install or build failed (output above, also in $log)" >&2
  exit 1
fi
echo "demo.sh: ready in $(($(date +%s) - started)) s"
echo

node examples/wrongbook/dist/demo.js "$@"
echo
echo "demo.sh: done in $(($(date +%s) - started)) s. Next: docs/guides/wrongbook.md"
