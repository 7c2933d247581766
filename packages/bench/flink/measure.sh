#!/usr/bin/env bash
# packages/bench/flink/measure.sh <brokers> <topic> <expected-rows> [runs=3] [out=.results/flink.json]
#
# Runs run-bench.sh <runs> times over the same topic, each into a fresh database (dropped afterwards),
# and writes the runs with their median / min / max to <out>. Before each run it waits (up to
# WAIT_QUIET_S, default 120 s) for the 1-minute load average to fall below QUIET_LOAD (default 1.0),
# since the machine is shared; the load seen is recorded with each run. Extra fields for <out> can be
# passed as a JSON object in EXTRA_JSON (e.g. the producer's summary under "data").
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 <brokers> <topic> <expected-rows> [runs] [out]" >&2; exit 2; }
BROKERS=$1 TOPIC=$2 EXPECTED=$3 RUNS=${4:-3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${5:-$HERE/.results/flink.json}
QUIET_LOAD=${QUIET_LOAD:-1.0}
WAIT_QUIET_S=${WAIT_QUIET_S:-120}
EXTRA_JSON=${EXTRA_JSON:-'{}'}
MYSQL=(mysql -h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}" -N -B)
[ -n "${MYSQL_PASSWORD:-}" ] && MYSQL+=("-p$MYSQL_PASSWORD")

stamp=$(date +%s)
lines=()
for i in $(seq 1 "$RUNS"); do
  waited=0
  while awk -v q="$QUIET_LOAD" '{ exit !($1 >= q) }' /proc/loadavg && [ "$waited" -lt "$WAIT_QUIET_S" ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "measure: run $i/$RUNS (uptime:$(uptime | sed 's/.*load/ load/'))" >&2
  db="flinkbench_${stamp}_$i"
  line=$("$HERE/run-bench.sh" "$BROKERS" "$TOPIC" "$db" "$EXPECTED")
  "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$db\`"
  echo "$line" >&2
  lines+=("$(jq -c --arg up "$(uptime)" --argjson waited "$waited" '. + {uptimeAfter: $up, waitedForQuietSeconds: $waited}' <<<"$line")")
done

mkdir -p "$(dirname "$OUT")"
printf '%s\n' "${lines[@]}" | jq -s --argjson extra "$EXTRA_JSON" --arg java "$(java -version 2>&1 | head -n1)" \
  --arg mariadb "$("${MYSQL[@]}" -e 'SELECT VERSION()')" --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" '
  def stats(f): (map(f) | sort) as $v | {median: $v[(($v | length) / 2 | floor)], min: $v[0], max: $v[-1]};
  {system: "flink", flinkVersion: .[0].flinkVersion, measuredAt: (now | todate),
   machine: {cores: 2, memoryGiB: 24, cpu: $cpu, java: $java, mariadb: $mariadb},
   settings: (.[0] | {parallelism, batchSize, flushMs, checkpointing, heap}),
   events: .[0].events, rows: .[0].rows, runs: length,
   eventsPerSecond: stats(.eventsPerSecond),
   eventsPerSecondInclJvmStartup: stats(.eventsPerSecondInclJvmStartup),
   eventsPerSecondFromFirstEvent: stats(.events / .secondsFromFirstEvent | round),
   seconds: stats(.seconds), secondsInclJvmStartup: stats(.secondsInclJvmStartup),
   jvmAndJobStartupSeconds: stats(.jvmAndJobStartupSeconds),
   cpuSeconds: stats(.cpuSeconds), cpuSecondsProcessing: stats(.cpuSecondsProcessing),
   cpuMicrosPerEvent: stats(.cpuMicrosPerEvent), peakRssMiB: stats(.peakRssMiB),
   mysqldCpuSeconds: stats(.mysqldCpuSeconds), otherCpuSeconds: stats(.otherCpuSeconds // 0)} + $extra + {perRun: .}' > "$OUT"
echo "measure: wrote $OUT" >&2
jq -c '{events, eventsPerSecond, cpuSeconds, peakRssMiB}' "$OUT"
