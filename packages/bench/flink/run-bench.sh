#!/usr/bin/env bash
# packages/bench/flink/run-bench.sh <brokers> <topic> <mysql-db> <expected-rows>
#
# Runs the Flink baseline (the original wrongbook DataStream job's shape, see README.md) once over a
# topic that the caller produced, into dwd_wrong_record_wide_delta of <mysql-db> (created if missing;
# its wide table must be empty), and prints ONE JSON line on stdout:
#   {"system":"flink","events":N,"seconds":S,"eventsPerSecond":R,"cpuSeconds":C,"flinkVersion":"…",…}
# Everything else goes to stderr.
#
# Timing: `seconds` runs from the moment the Flink job is RUNNING (JVM start, MiniCluster start and job
# submission excluded) until the table holds <expected-rows> rows, as seen by a wait loop that runs
# inside MariaDB (no client polling). `secondsInclJvmStartup` runs from the launch of `java`.
# CPU: `cpuSeconds` is utime+stime of the job's JVM (/proc/<pid>/stat) when the rows are complete,
# startup included; `cpuSecondsProcessing` is the part after the job was RUNNING.
#
# Environment (defaults): PARALLELISM (2) BATCH_SIZE (1000) FLUSH_MS (200) CHECKPOINT_MS (0 = off)
# JVM_HEAP (1g) TIMEOUT_S (900) MYSQL_HOST (127.0.0.1) MYSQL_PORT (3306) MYSQL_USER (root)
# MYSQL_PASSWORD (empty) KEEP_LOGS (0: the job's log is removed on success).
set -euo pipefail

usage() { echo "usage: $0 <brokers> <topic> <mysql-db> <expected-rows>" >&2; exit 2; }
[ $# -eq 4 ] || usage
BROKERS=$1 TOPIC=$2 DB=$3 EXPECTED=$4
[[ $DB =~ ^[A-Za-z0-9_]+$ ]] || { echo "run-bench: the database name must match [A-Za-z0-9_]+" >&2; exit 2; }
[[ $EXPECTED =~ ^[0-9]+$ ]] || usage

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
WIDE_TABLE_DDL=$REPO/packages/mysql/sql/010_dwd_wrong_record_wide_delta.sql
PARALLELISM=${PARALLELISM:-2}
BATCH_SIZE=${BATCH_SIZE:-1000}
FLUSH_MS=${FLUSH_MS:-200}
CHECKPOINT_MS=${CHECKPOINT_MS:-0}
JVM_HEAP=${JVM_HEAP:-1g}
TIMEOUT_S=${TIMEOUT_S:-900}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_USER=${MYSQL_USER:-root}
MYSQL_PASSWORD=${MYSQL_PASSWORD:-}
TABLE=dwd_wrong_record_wide_delta

log() { printf 'run-bench: %s\n' "$*" >&2; }
die() { printf 'run-bench: error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
MYSQL=(mysql -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" -N -B)
[ -n "$MYSQL_PASSWORD" ] && MYSQL+=("-p$MYSQL_PASSWORD")
# utime+stime (clock ticks) and peak RSS (kB) of a live pid.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
TICKS=$(getconf CLK_TCK)
# Machine-wide busy and idle ticks (all cores) from /proc/stat, to show how much CPU others used.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }

# ---- build (offline when the dependencies are cached)
log "building (mvn compile)"
(cd "$HERE" && { mvn -q -o compile >/dev/null 2>&1 || mvn -q compile >&2; }) || die "maven build failed"
CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"

# ---- database: routing_configs as the guide creates it, the wide table from evroute's own DDL
"${MYSQL[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4"
"${MYSQL[@]}" "$DB" < "$HERE/sql/routing_configs.sql"
"${MYSQL[@]}" "$DB" < "$WIDE_TABLE_DDL"
existing=$("${MYSQL[@]}" -e "SELECT COUNT(*) FROM \`$DB\`.\`$TABLE\`")
[ "$existing" -eq 0 ] || die "$DB.$TABLE already holds $existing rows; use a fresh database name"

EVENTS=$(java -Xmx256m -cp "$CP" dev.evroute.bench.Tools topic-size "$BROKERS" "$TOPIC" 2>/dev/null) \
  || die "cannot read the size of topic $TOPIC on $BROKERS"
log "topic $TOPIC holds $EVENTS events; waiting for $EXPECTED rows in $DB.$TABLE"

WORK=$(mktemp -d /tmp/evroute-flink-bench.XXXXXX)
JPID= WPID=
# Ends the server-side wait loop (killing the client alone would leave it sleeping in MariaDB).
stop_wait() {
  local cid
  cid=$(head -n1 "$WORK/wait.out" 2>/dev/null || true)
  [[ $cid =~ ^[0-9]+$ ]] && "${MYSQL[@]}" -e "KILL QUERY $cid" 2>/dev/null || true
  kill "$WPID" 2>/dev/null || true
  WPID=
}
cleanup() {
  if [ -n "$WPID" ]; then stop_wait; fi
  if [ -n "$JPID" ] && kill -0 "$JPID" 2>/dev/null; then
    kill -TERM "$JPID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$JPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$JPID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

MYSQLD_PID=$(pgrep -o -x mariadbd || pgrep -o -x mysqld || true)
mysqld_ticks_0=0; [ -n "$MYSQLD_PID" ] && mysqld_ticks_0=$(cpu_ticks "$MYSQLD_PID")
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the upsert SQL: rendered now by evroute itself (its MySQL sink's compileUpsert over the wrongbook
# plugin's wide-table specs, from the built packages), so both systems run the same statements; the job
# falls back to its built-in copy when that is not possible (no node, or packages not built).
UPSERT_ARGS=()
if node --input-type=module -e '
  const root = process.argv[1];
  const { WIDE_TABLE_SPECS, WIDE_TABLE } = await import(`${root}/packages/wrongbook/dist/wide-table.js`);
  const { compileUpsert } = await import(`${root}/packages/mysql/dist/upsert-statement.js`);
  const out = {};
  for (const kind of ["add", "fix"]) {
    const s = compileUpsert(WIDE_TABLE, WIDE_TABLE_SPECS[kind]);
    out[kind] = { columns: s.plan.columns, tail: s.tail };
  }
  process.stdout.write(JSON.stringify(out));' "$REPO" >"$WORK/upsert-sql.json" 2>"$WORK/upsert-sql.err"; then
  UPSERT_ARGS=(--upsert-sql "$WORK/upsert-sql.json")
else
  log "could not render the upsert SQL from evroute ($(head -c 300 "$WORK/upsert-sql.err")); the job uses its built-in copy"
fi

# ---- the job (a plain JVM, so the measured process is the job alone)
JAVA_OPTS=(-Xms256m "-Xmx$JVM_HEAP" -XX:+UseG1GC
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED)
JDBC_URL="jdbc:mariadb://$MYSQL_HOST:$MYSQL_PORT/$DB?user=$MYSQL_USER&password=$MYSQL_PASSWORD"
read -r busy_0 idle_0 < <(machine_ticks)
t_launch=$(now_ms)
java "${JAVA_OPTS[@]}" -cp "$CP" dev.evroute.bench.WrongbookFlinkBench \
  --brokers "$BROKERS" --topic "$TOPIC" --group "evroute-flink-bench-$DB-$t_launch" --jdbc-url "$JDBC_URL" \
  --table "$TABLE" --parallelism "$PARALLELISM" --batch-size "$BATCH_SIZE" --flush-ms "$FLUSH_MS" \
  --checkpoint-ms "$CHECKPOINT_MS" "${UPSERT_ARGS[@]}" >"$WORK/job.out" 2>"$WORK/job.err" &
JPID=$!

# ---- wait inside MariaDB until the row count is reached (READ COMMITTED: each COUNT sees new rows).
# COUNT(*) scans an index (about 5 ms per 100k rows), so the loop sleeps about half the time it
# expects the remaining rows to take at the rate between the last two counts (20 ms to 1 s): few
# counts in all, and the last one comes within ~20 ms + one COUNT of the true completion.
"${MYSQL[@]}" >"$WORK/wait.out" 2>"$WORK/wait.err" <<SQL &
SELECT CONNECTION_ID();
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
DELIMITER //
BEGIN NOT ATOMIC
  DECLARE c, c0, polls BIGINT DEFAULT 0;
  DECLARE t, t0, s DOUBLE DEFAULT 0;
  DECLARE deadline DOUBLE DEFAULT UNIX_TIMESTAMP(SYSDATE(6)) + $TIMEOUT_S;
  SET t0 = UNIX_TIMESTAMP(SYSDATE(6));
  w: LOOP
    SELECT COUNT(*) INTO c FROM \`$DB\`.\`$TABLE\`;
    SET t = UNIX_TIMESTAMP(SYSDATE(6)), polls = polls + 1;
    IF c >= $EXPECTED OR t > deadline THEN LEAVE w; END IF;
    IF c > c0 AND t > t0 THEN
      SET s = LEAST(1.0, GREATEST(0.02, ($EXPECTED - c) / ((c - c0) / (t - t0)) * 0.5));
    ELSE
      SET s = 0.2;
    END IF;
    SET c0 = c, t0 = t;
    DO SLEEP(s);
  END LOOP w;
  SELECT c, CAST(UNIX_TIMESTAMP(SYSDATE(3)) * 1000 AS UNSIGNED), polls;
END //
DELIMITER ;
SQL
WPID=$!

set +e
wait -n "$WPID" "$JPID"
set -e
if ! kill -0 "$JPID" 2>/dev/null; then
  stop_wait
  tail -n 40 "$WORK/job.err" >&2 || true
  die "the Flink job exited before the table was complete (logs: $WORK)"
fi
WPID=
end_ticks=$(cpu_ticks "$JPID")
read -r busy_1 idle_1 < <(machine_ticks)
peak_kb=$(peak_rss_kb "$JPID")
mysqld_ticks_1=0; [ -n "$MYSQLD_PID" ] && mysqld_ticks_1=$(cpu_ticks "$MYSQLD_PID")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
read -r rows t_end polls < <(sed -n 2p "$WORK/wait.out") || die "the wait loop printed nothing ($(cat "$WORK/wait.err"))"
[ "$rows" -ge "$EXPECTED" ] || die "timed out after ${TIMEOUT_S}s with $rows of $EXPECTED rows (logs: $WORK)"

# ---- stop the job (SIGTERM runs its shutdown hook, which prints the counters), then report
kill -TERM "$JPID" 2>/dev/null || true
for _ in $(seq 1 150); do kill -0 "$JPID" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$JPID" 2>/dev/null || true
wait "$JPID" 2>/dev/null || true
JPID=

mark() { sed -n "s/^EVROUTE_BENCH $1 ms=\([0-9]*\) cpu_ticks=\([0-9-]*\).*/\\$2/p" "$WORK/job.out" | head -n1; }
t_running=$(mark job_running 1); c_running=$(mark job_running 2)
t_first=$(mark first_event 1)
flink_version=$(sed -n 's/^EVROUTE_BENCH flink_version=\([^ ]*\).*/\1/p' "$WORK/job.out" | head -n1)
counters=$(sed -n 's/^EVROUTE_BENCH counters //p' "$WORK/job.out" | head -n1)
upsert_sql=$(sed -n 's/^EVROUTE_BENCH upsert_sql=//p' "$WORK/job.out" | head -n1 | tr '_' ' ')
[ -n "$t_running" ] || die "no job_running mark in the job's output (logs: $WORK)"
log "counters: ${counters:-none printed}; row counts polled: $polls"
log "load average: start $load_start, end $load_end"

jq -cn --argjson events "$EVENTS" --argjson rows "$rows" --argjson expected "$EXPECTED" \
  --argjson tLaunch "$t_launch" --argjson tRunning "$t_running" --argjson tFirst "${t_first:-$t_running}" --argjson tEnd "$t_end" \
  --argjson cRunning "$c_running" --argjson cEnd "$end_ticks" --argjson ticks "$TICKS" --argjson peakKb "$peak_kb" \
  --argjson mysqld0 "$mysqld_ticks_0" --argjson mysqld1 "$mysqld_ticks_1" \
  --argjson busy "$((busy_1 - busy_0))" --argjson idle "$((idle_1 - idle_0))" \
  --arg version "$flink_version" --argjson parallelism "$PARALLELISM" --argjson batch "$BATCH_SIZE" \
  --argjson flushMs "$FLUSH_MS" --argjson checkpointMs "$CHECKPOINT_MS" --arg heap "$JVM_HEAP" \
  --argjson polls "$polls" --arg loadStart "$load_start" --arg loadEnd "$load_end" --arg counters "$counters" --arg upsertSql "$upsert_sql" '
  def r(n): (. * pow(10; n) | round) / pow(10; n);
  (($tEnd - $tRunning) / 1000) as $s
  | {system: "flink", events: $events, seconds: ($s | r(3)), eventsPerSecond: ($events / $s | round),
     cpuSeconds: ($cEnd / $ticks | r(2)), flinkVersion: $version,
     rows: $rows, secondsInclJvmStartup: ((($tEnd - $tLaunch) / 1000) | r(3)),
     eventsPerSecondInclJvmStartup: ($events / (($tEnd - $tLaunch) / 1000) | round),
     secondsFromFirstEvent: ((($tEnd - $tFirst) / 1000) | r(3)),
     jvmAndJobStartupSeconds: ((($tRunning - $tLaunch) / 1000) | r(3)),
     cpuSecondsProcessing: ((($cEnd - $cRunning) / $ticks) | r(2)),
     cpuMicrosPerEvent: (($cEnd - $cRunning) / $ticks * 1e6 / $events | r(1)),
     peakRssMiB: ($peakKb / 1024 | r(1)),
     mysqldCpuSeconds: (if $mysqld1 > 0 then (($mysqld1 - $mysqld0) / $ticks | r(2)) else null end),
     machineBusyCpuSeconds: ($busy / $ticks | r(2)), machineIdleCpuSeconds: ($idle / $ticks | r(2)),
     otherCpuSeconds: (($busy - $cEnd - (if $mysqld1 > 0 then $mysqld1 - $mysqld0 else 0 end)) / $ticks | r(2)),
     parallelism: $parallelism, batchSize: $batch, flushMs: $flushMs,
     checkpointing: (if $checkpointMs > 0 then "every \($checkpointMs) ms" else "off" end), heap: $heap,
     countPolls: $polls, loadAvgStart: $loadStart, loadAvgEnd: $loadEnd, upsertSql: $upsertSql, counters: $counters}'

if [ "${KEEP_LOGS:-0}" = 1 ]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
