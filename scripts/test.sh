#!/usr/bin/env bash
# The README's test command: sets up everything and runs every test.
#   toolchain (Node 24 + pnpm) → frozen install → build → lint → type-check tests → real Kafka and
#   MariaDB → every vitest project → stop what it started → one closing line `N passed, N failed`.
# Extra arguments go to vitest (e.g. `./scripts/test.sh --project 'core:*'`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
# shellcheck source=scripts/env.sh
source scripts/env.sh
echo "test.sh: node $(node --version), pnpm $(pnpm --version)"

mkdir -p .evroute
pnpm install --frozen-lockfile --reporter=silent
pnpm run --silent build
pnpm run --silent lint
pnpm run --silent typecheck:tests
pnpm --filter @evroute/api-docs run --silent check   # every public export has TSDoc (TypeDoc model)
node scripts/check-packages.mjs                       # what `npm publish` would ship is complete and typed

# Services: reuse configured or running ones; otherwise start them and stop them on exit.
started=0
if [ -z "${EVROUTE_KAFKA_BROKERS:-}" ] && ! bash scripts/services.sh env >/dev/null 2>&1; then
  started=1
fi
services_out=$(bash scripts/services.sh up) || { echo "test.sh: services did not start (see above)" >&2; exit 1; }
eval "$services_out"
if [ "$started" = 1 ]; then
  trap 'cd "$root" && bash scripts/services.sh down >/dev/null' EXIT
fi
echo "test.sh: Kafka ${EVROUTE_KAFKA_VERSION:-(external)} at $EVROUTE_KAFKA_BROKERS; MariaDB ${EVROUTE_MARIADB_VERSION:-(external)} at ${EVROUTE_MYSQL_URL%%@*}@…"

# The status-page test drives a real browser: Debian's chromium, installed here when missing.
bash scripts/ensure-chromium.sh >/dev/null

report=.evroute/vitest-report.json
rm -f "$report"
set +e
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
set -e
if [ "$started" = 1 ]; then
  bash scripts/services.sh down >/dev/null 2>&1 || echo "test.sh: warning: services.sh down failed" >&2
  trap - EXIT
fi
# The closing line, last on stdout: `N passed, N failed[, N skipped]`.
node scripts/test-summary.mjs "$report" "$status"
