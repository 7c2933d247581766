#!/usr/bin/env bash
# scripts/services.sh -- local backing services for evroute: a REAL single-node
# Apache Kafka broker (KRaft, combined broker+controller, jars from Maven
# Central -- there is no Docker on the dev/CI machines) and MariaDB.
#
#   eval "$(scripts/services.sh up)"   start (or reuse) the services; prints ONLY
#                                      `export EVROUTE_...=...` lines on stdout
#   scripts/services.sh env            print those lines again (exit 1 if nothing runs)
#   scripts/services.sh down           stop the broker that `up` started (idempotent)
#
# Environment:
#   EVROUTE_KAFKA_BROKERS  if set, no broker is started: that cluster is used as is
#   EVROUTE_MYSQL_URL      if set, MariaDB is neither checked nor started
#   EVROUTE_CACHE          download cache (default ~/.cache/evroute); the broker's
#                          jars go to $EVROUTE_CACHE/kafka-<version>/libs
#   EVROUTE_STATE          where up/down keep pid & co (default <repo>/.evroute/services)
#   EVROUTE_KAFKA_VERSION_OVERRIDE  fetch/run another kafka_2.13 version than the
#                          one pinned in scripts/kafka/pom.xml (for trying versions)
#
# Everything except the export lines goes to stderr, so that `eval` only ever
# sees shell assignments (on failure `up` prints just `false`, so the eval
# fails too). `down` prints an `unset` line for the broker variables, so
# `eval "$(scripts/services.sh down)"` also cleans the caller's shell.
# See scripts/kafka/VERSION-NOTES.md for the Kafka version and why.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
KAFKA_SUPPORT_DIR="$SCRIPT_DIR/kafka"
POM="$KAFKA_SUPPORT_DIR/pom.xml"
CACHE_ROOT=${EVROUTE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/evroute}  # same default as env.sh
STATE_DIR=${EVROUTE_STATE:-$REPO_ROOT/.evroute/services}

# MariaDB location is fixed: it is the machine's system service (Debian package).
MYSQL_HOST=127.0.0.1
MYSQL_PORT=3306
MARIADBD=/usr/sbin/mariadbd

KAFKA_READY_TIMEOUT_S=90   # deadline for the broker to answer a metadata request
KAFKA_STOP_TIMEOUT_S=20    # SIGTERM grace period before SIGKILL in `down`
MARIADB_START_TIMEOUT_S=30

log() { printf 'services.sh: %s\n' "$*" >&2; }
die() { printf 'services.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: scripts/services.sh up|down|env
  up    start (or reuse) Kafka + MariaDB; use as: eval "$(scripts/services.sh up)"
  env   print the export lines of the running services (exit 1 if none)
  down  stop the Kafka broker started by `up` (MariaDB is left running)
EOF
}

now_ms() { date +%s%3N; }
# Seconds (one decimal) elapsed since the now_ms value $1.
secs_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

# ---------------------------------------------------------------- state files
# $STATE_DIR/
#   lock            flock(1) so concurrent up/down calls don't race
#   kafka.pid       pid of the broker JVM we started
#   kafka.dir       its temp dir (config, KRaft data, logs) -- removed by `down`
#   kafka.port      broker port;  kafka.version: Kafka version it runs
#   mariadb.started present if *we* started mariadbd (holds its pid); informational
#   env             the export lines `up` printed (what `env` prints)

acquire_lock() {
  mkdir -p "$STATE_DIR"
  # fd 9 stays open for the life of this script. Every long-lived child
  # (broker JVM, mariadbd) is started with 9>&- so it does not inherit the
  # lock and block every later up/down.
  exec 9>"$STATE_DIR/lock"
  flock -w 300 9 || die "another scripts/services.sh holds $STATE_DIR/lock for >300 s"
}

# True if $1 is a live process that is *our* broker: its command line must
# contain kafka.Kafka and the server.properties inside our own temp dir. This
# guards against pid reuse -- we never signal a process we did not start.
is_our_broker() {
  local pid=$1 dir=$2 cmdline
  [[ $pid =~ ^[0-9]+$ && -n $dir ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"kafka.Kafka $dir/server.properties"* ]]
}

read_state() { if [[ -f $STATE_DIR/$1 ]]; then cat "$STATE_DIR/$1"; fi; }

# Only ever rm -rf a dir that looks like one of our mktemp dirs.
remove_broker_dir() {
  local dir=$1
  [[ -n $dir && -d $dir && $(basename "$dir") == evroute-kafka.* ]] || return 0
  rm -rf -- "$dir"
}

# ---------------------------------------------------------------- helpers

# Can we open a TCP connection to host:port? (bash's /dev/tcp, no nc needed)
tcp_open() {
  # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" >/dev/null 2>&1
}

# A free loopback port, chosen below the kernel's ephemeral range (so outgoing
# connections can't grab it between our check and the broker's bind) and not
# currently used by any socket. A race with another process is still possible;
# start_kafka retries with new ports if the broker fails to bind.
pick_free_port() {
  local exclude=${1:-} used port _
  used=" $(ss -Htan 2>/dev/null | awk '{n=split($4,a,":"); print a[n]}' | sort -u | tr '\n' ' ') "
  for _ in $(seq 1 500); do
    port=$((20000 + RANDOM % 12000)) # 20000..31999
    [[ $port == "$exclude" || $used == *" $port "* ]] && continue
    tcp_open 127.0.0.1 "$port" && continue
    echo "$port"
    return 0
  done
  die "could not find a free TCP port on 127.0.0.1"
}

# KRaft cluster id: a Kafka Uuid = 16 random bytes, base64url without padding.
# (Done in bash to save a JVM start for `kafka-storage random-uuid`.) Kafka
# itself never hands out ids starting with '-' because they look like flags.
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

java_bin() { if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then echo "$JAVA_HOME/bin/java"; else command -v java || true; fi; }

java_major_version() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  v=${v#1.} # 1.8.0 -> 8.0
  echo "${v%%[.+-]*}"
}

kafka_version() {
  if [[ -n ${EVROUTE_KAFKA_VERSION_OVERRIDE:-} ]]; then
    echo "$EVROUTE_KAFKA_VERSION_OVERRIDE"
  else
    sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -1
  fi
}

# The download is keyed by version (directory name) + sha256 of pom.xml (stamp).
libs_stamp() { { sha256sum <"$POM" | cut -d' ' -f1; echo "$1"; } | sha256sum | cut -d' ' -f1; }

libs_ready() {
  local version=$1 base="$CACHE_ROOT/kafka-$1"
  [[ -f $base/libs.stamp && $(cat "$base/libs.stamp") == "$(libs_stamp "$version")" ]] &&
    compgen -G "$base/libs/kafka_2.13-*.jar" >/dev/null
}

# mvn dependency:copy-dependencies into a scratch dir, then swap it in, so an
# interrupted download never looks like a complete cache.
fetch_kafka_libs() {
  local version=$1 base="$CACHE_ROOT/kafka-$1" tmp t0
  mkdir -p "$base"
  tmp=$(mktemp -d "$base/libs.tmp.XXXXXX")
  log "downloading Kafka $version jars from Maven Central (log: $base/maven.log) ..."
  t0=$(now_ms)
  if ! mvn -B -f "$POM" \
      -Dkafka.version="$version" \
      dependency:copy-dependencies \
      -DincludeScope=runtime \
      -DoutputDirectory="$tmp" \
      >"$base/maven.log" 2>&1 </dev/null 9>&-; then
    tail -n 30 "$base/maven.log" >&2 || true
    rm -rf -- "$tmp"
    die "Maven could not fetch org.apache.kafka:kafka_2.13:$version (see $base/maven.log; is Maven Central reachable?)"
  fi
  rm -rf -- "$base/libs"
  mv -- "$tmp" "$base/libs"
  libs_stamp "$version" >"$base/libs.stamp"
  log "downloaded $(find "$base/libs" -name '*.jar' | wc -l) jars in $(secs_since "$t0") s"
}

# ---------------------------------------------------------------- Kafka

# Print the tail of the broker's logs to stderr (used on failures).
dump_broker_logs() {
  local dir=$1 f
  for f in "$dir/logs/format.log" "$dir/logs/stdout.log" "$dir/logs/server.log"; do
    [[ -s $f ]] || continue
    printf -- '----- last 50 lines of %s -----\n' "$f" >&2
    tail -n 50 "$f" >&2
  done
}

# Has process $1 fully exited? A zombie counts as exited: its sockets and
# files are closed; whoever is pid 1 here reaps it when it gets round to it.
# (/proc/PID/cmdline is already empty a moment *before* that, while the
# kernel is still closing the sockets, hence this second check.)
pid_exited() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) } # strip "pid (comm) " -- comm may contain spaces
  [[ ${stat%% *} == Z ]]
}

stop_pid() { # SIGTERM, wait, then SIGKILL -- only ever called on our own broker
  local pid=$1 dir=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < KAFKA_STOP_TIMEOUT_S * 10; i++)); do
    is_our_broker "$pid" "$dir" || break
    sleep 0.1
  done
  if is_our_broker "$pid" "$dir"; then
    log "broker pid $pid did not stop within ${KAFKA_STOP_TIMEOUT_S} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Once our command line is gone the pid can only still be ours (exiting) or,
  # in theory, reused by a new process: wait briefly, but never signal again.
  for ((i = 0; i < 50; i++)); do pid_exited "$pid" && return 0; sleep 0.1; done
}

# kafkajs resolvable from the repo root (i.e. the monorepo has installed it)?
# Then readiness is checked with a real Metadata request; else by the log line.
kafkajs_path() {
  command -v node >/dev/null 2>&1 || return 1
  (cd "$REPO_ROOT" && node -e 'process.stdout.write(require.resolve("kafkajs", { paths: [process.cwd()] }))' 2>/dev/null)
}

# Wait until the broker at 127.0.0.1:$port serves clients.
# returns 0 ready, 2 timeout, 3 broker died
wait_broker_ready() {
  local pid=$1 dir=$2 port=$3 deadline_ms=$4 kjs rc
  if kjs=$(kafkajs_path) && [[ -n $kjs ]]; then
    log "waiting for a Metadata response (kafkajs probe, deadline ${KAFKA_READY_TIMEOUT_S} s)"
    rc=0
    KAFKAJS_NO_PARTITIONER_WARNING=1 node "$KAFKA_SUPPORT_DIR/wait-ready.cjs" \
      "$kjs" "127.0.0.1:$port" "$deadline_ms" "$pid" </dev/null >&2 9>&- || rc=$?
    case $rc in 0 | 2 | 3) return $rc ;; esac
    log "kafkajs readiness probe failed to run (exit $rc); falling back to the broker log"
  fi
  # Fallback: port accepts connections AND KafkaRaftServer logged its
  # "Kafka Server started" line (log4j2.properties keeps that logger at INFO).
  log "waiting for 'Kafka Server started' in the broker log (kafkajs not installed in the repo; deadline ${KAFKA_READY_TIMEOUT_S} s)"
  while (($(now_ms) < deadline_ms)); do
    is_our_broker "$pid" "$dir" || return 3
    if grep -q 'Kafka Server started' "$dir/logs/server.log" 2>/dev/null && tcp_open 127.0.0.1 "$port"; then
      return 0
    fi
    sleep 0.3
  done
  return 2
}

# Format KRaft storage in a fresh temp dir and start the broker in the
# background. Sets BROKER_PID and BROKER_PORT.
start_kafka() {
  local version=$1 java=$2 libs="$CACHE_ROOT/kafka-$1/libs"
  local attempt dir port cport cluster_id pid rc t0 deadline_ms
  local -a jvm_common=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$KAFKA_SUPPORT_DIR/log4j2.properties")

  for attempt in 1 2 3; do
    t0=$(now_ms)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/evroute-kafka.XXXXXX")
    mkdir -p "$dir/data" "$dir/logs"
    port=$(pick_free_port)
    cport=$(pick_free_port "$port")
    sed -e "s|@BROKER_PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@DATA_DIR@|$dir/data|g" \
      "$KAFKA_SUPPORT_DIR/server.properties.in" >"$dir/server.properties"

    # `kafka-storage format` (kafka.tools.StorageTool). With a static
    # controller.quorum.voters only --config and --cluster-id are needed;
    # --standalone would be required (and voters forbidden) for a dynamic quorum.
    # TieredStopAtLevel=1: this JVM lives ~2 s, C2 compilation would be wasted.
    cluster_id=$(new_cluster_id)
    if ! "$java" -Xmx256m -XX:TieredStopAtLevel=1 -Xshare:auto "${jvm_common[@]}" "-Dkafka.logs.dir=$dir/logs" \
        -cp "$libs/*" kafka.tools.StorageTool format --config "$dir/server.properties" --cluster-id "$cluster_id" \
        >"$dir/logs/format.log" 2>&1 </dev/null 9>&-; then
      dump_broker_logs "$dir"
      die "formatting KRaft storage failed (dir kept for inspection: $dir)"
    fi

    # setsid: own session, so a Ctrl-C in the terminal that ran `up` doesn't
    # kill the broker; bash execs it directly, so $! is the JVM's pid.
    # stdin/stdout/stderr are redirected so `$(scripts/services.sh up)` returns.
    setsid "$java" -Xms256m -Xmx768m \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      "${jvm_common[@]}" "-Dkafka.logs.dir=$dir/logs" \
      -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
      </dev/null >"$dir/logs/stdout.log" 2>&1 9>&- &
    pid=$!
    # Record state right away: if we die while waiting, `down` still finds it.
    echo "$pid" >"$STATE_DIR/kafka.pid"
    echo "$dir" >"$STATE_DIR/kafka.dir"
    echo "$port" >"$STATE_DIR/kafka.port"
    echo "$version" >"$STATE_DIR/kafka.version"
    log "Kafka $version starting: pid $pid, broker 127.0.0.1:$port, controller 127.0.0.1:$cport, dir $dir"

    deadline_ms=$(($(now_ms) + KAFKA_READY_TIMEOUT_S * 1000))
    rc=0
    wait_broker_ready "$pid" "$dir" "$port" "$deadline_ms" || rc=$?
    if ((rc == 0)); then
      BROKER_PID=$pid BROKER_PORT=$port
      log "Kafka broker ready in $(secs_since "$t0") s (format + start)"
      return 0
    fi

    # Failed: never leave a half-started broker behind.
    if is_our_broker "$pid" "$dir"; then stop_pid "$pid" "$dir"; fi
    rm -f "$STATE_DIR/kafka.pid" "$STATE_DIR/kafka.dir" "$STATE_DIR/kafka.port" "$STATE_DIR/kafka.version"
    if ((rc == 3)) && grep -qi 'Address already in use' "$dir"/logs/*.log 2>/dev/null && ((attempt < 3)); then
      log "port race (address already in use); retrying with other ports"
      remove_broker_dir "$dir"
      continue
    fi
    dump_broker_logs "$dir"
    if ((rc == 2)); then
      die "Kafka broker did not answer within ${KAFKA_READY_TIMEOUT_S} s (logs above; dir kept: $dir)"
    fi
    die "Kafka broker process exited during startup (logs above; dir kept: $dir)"
  done
}

# ---------------------------------------------------------------- MariaDB

mysql_admin_bin() { command -v mariadb-admin || command -v mysqladmin || true; }
mysql_client_bin() { command -v mariadb || command -v mysql || true; }

# Is MariaDB answering on 127.0.0.1:3306? `ping` exits 0 even on "access
# denied" (the server is up, which is all we ask here), but not on e.g. "host
# not allowed", so a listening port also counts -- with a warning, because
# starting a second server would not help then.
mariadb_alive() {
  local admin out
  admin=$(mysql_admin_bin)
  if [[ -n $admin ]] && out=$("$admin" --protocol=TCP -h"$MYSQL_HOST" -P"$MYSQL_PORT" -uroot --connect-timeout=2 ping 2>&1 </dev/null); then
    return 0
  fi
  tcp_open "$MYSQL_HOST" "$MYSQL_PORT" || return 1
  if [[ -n $admin ]]; then
    log "warning: MariaDB listens on $MYSQL_HOST:$MYSQL_PORT but refuses root without password: $(printf '%s' "$out" | grep -m1 -i error || true)"
  fi
  return 0
}

# Server version via SQL, falling back to the version in the server's greeting
# packet (readable with bash alone), else "unknown".
mariadb_version() {
  local host=$1 port=$2 user=$3 client v=''
  client=$(mysql_client_bin)
  if [[ -n $client ]]; then
    v=$("$client" --protocol=TCP -h"$host" -P"$port" -u"$user" --connect-timeout=3 -N -B -e 'SELECT VERSION()' 2>/dev/null </dev/null 9>&- || true)
  fi
  if [[ -z $v ]]; then
    # Handshake v10: 4-byte header, 1-byte protocol version, NUL-terminated version string.
    # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
    v=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; head -c 64 <&3' "$host" "$port" 2>/dev/null |
      tail -c +6 | tr '\0' '\n' | head -1 | tr -cd '[:alnum:].+_~-' || true)
    v=${v#5.5.5-} # MariaDB prefixes its greeting version for old MySQL clients
  fi
  echo "${v:-unknown}"
}

# Start the distro's mariadbd as a daemon (it drops to user `mysql` via
# /etc/mysql/my.cnf), then wait until it answers.
start_mariadb() {
  local i
  log "MariaDB not answering on $MYSQL_HOST:$MYSQL_PORT; starting $MARIADBD"
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec "$MARIADBD" </dev/null >/dev/null 2>&1 9>&- ||
    die "start-stop-daemon could not start $MARIADBD (are you root? is /var/lib/mysql initialised?)"
  for ((i = 0; i < MARIADB_START_TIMEOUT_S * 2; i++)); do
    if mariadb_alive; then
      pgrep -x mariadbd | head -1 >"$STATE_DIR/mariadb.started" || echo unknown >"$STATE_DIR/mariadb.started"
      log "MariaDB started (pid $(cat "$STATE_DIR/mariadb.started"))"
      return 0
    fi
    sleep 0.5
  done
  die "MariaDB did not answer on $MYSQL_HOST:$MYSQL_PORT within ${MARIADB_START_TIMEOUT_S} s (see /var/log/mysql or journal)"
}

# ---------------------------------------------------------------- commands

export_line() { printf 'export %s=%q\n' "$1" "$2"; }

cmd_up() {
  # `eval "$(scripts/services.sh up)"` would happily eval an empty string when
  # up fails, so on failure stdout gets a single `false`: the eval then fails
  # too, which stops a `set -e` CI script right there instead of later with a
  # confusing "EVROUTE_KAFKA_BROKERS not set".
  trap 'rc=$?; if ((rc != 0)); then echo "false # scripts/services.sh up failed, see stderr"; fi' EXIT
  acquire_lock
  local t_start missing=() java='' kafka_mode mysql_mode version
  local kafka_brokers kafka_ver mysql_url mariadb_ver kafka_desc mariadb_desc
  t_start=$(now_ms)

  # ---- plan: decide what to do for each service, and check that we *can*
  # before starting anything (so we never leave a half-started set behind).
  version=$(kafka_version)
  [[ -n $version ]] || die "cannot read <kafka.version> from $POM"

  if [[ -n ${EVROUTE_KAFKA_BROKERS:-} ]]; then
    kafka_mode=external
  elif is_our_broker "$(read_state kafka.pid)" "$(read_state kafka.dir)"; then
    kafka_mode=reuse
  else
    kafka_mode=start
    java=$(java_bin)
    if [[ -z $java ]]; then
      missing+=("Kafka: no 'java' (JDK/JRE 17+) on PATH or in \$JAVA_HOME -- install it (apt-get install openjdk-17-jre-headless) or point EVROUTE_KAFKA_BROKERS=host:port at a running broker")
    elif (($(java_major_version "$java") < 17)); then
      missing+=("Kafka: $java is Java $(java_major_version "$java"); Kafka $version needs Java 17+ -- install openjdk-17-jre-headless or set JAVA_HOME, or set EVROUTE_KAFKA_BROKERS=host:port")
    fi
    if ! libs_ready "$version" && ! command -v mvn >/dev/null 2>&1; then
      missing+=("Kafka: jars for $version not cached in $CACHE_ROOT/kafka-$version/libs and no 'mvn' to fetch them -- install Maven (apt-get install maven) or set EVROUTE_KAFKA_BROKERS=host:port")
    fi
  fi

  if [[ -n ${EVROUTE_MYSQL_URL:-} ]]; then
    mysql_mode=external
  elif mariadb_alive; then
    mysql_mode=running
  elif [[ -x $MARIADBD ]]; then
    mysql_mode=start
    command -v start-stop-daemon >/dev/null 2>&1 ||
      missing+=("MariaDB: not running and no start-stop-daemon to start $MARIADBD -- start MariaDB yourself or set EVROUTE_MYSQL_URL=mysql://user@host:port")
  else
    missing+=("MariaDB: nothing answers on $MYSQL_HOST:$MYSQL_PORT and $MARIADBD is not installed -- apt-get install mariadb-server, or set EVROUTE_MYSQL_URL=mysql://user[:password]@host:port")
  fi

  if ((${#missing[@]})); then
    local m
    for m in "${missing[@]}"; do printf 'services.sh: missing: %s\n' "$m" >&2; done
    exit 1
  fi

  # Whatever a previous `up` recorded is replaced below; don't let `env` show
  # stale lines if this run fails half-way.
  rm -f "$STATE_DIR/env"

  # ---- MariaDB first: quick, and Kafka's startup is the slow part.
  case $mysql_mode in
    external)
      mysql_url=$EVROUTE_MYSQL_URL
      # Best effort: mysql://user[:pass]@host[:port][/db] -> ask the server its version.
      # (URL-encoded characters are not decoded; the version is informational.)
      local rest userinfo=root host port=3306
      rest=${mysql_url#*://}
      rest=${rest%%/*}
      rest=${rest%%\?*}
      if [[ $rest == *@* ]]; then userinfo=${rest%@*}; rest=${rest##*@}; fi
      host=${rest%%:*}
      if [[ $rest == *:* ]]; then port=${rest##*:}; fi
      if [[ $userinfo == *:* ]]; then
        # Password via the environment, never on a command line (visible in ps).
        mariadb_ver=$(MYSQL_PWD=${userinfo#*:} mariadb_version "$host" "$port" "${userinfo%%:*}")
      else
        mariadb_ver=$(mariadb_version "$host" "$port" "$userinfo")
      fi
      mariadb_desc="MariaDB/MySQL $mariadb_ver (from EVROUTE_MYSQL_URL, not managed)"
      ;;
    running | start)
      [[ $mysql_mode == start ]] && start_mariadb
      mysql_url="mysql://root@$MYSQL_HOST:$MYSQL_PORT"
      mariadb_ver=$(mariadb_version "$MYSQL_HOST" "$MYSQL_PORT" root)
      if [[ $mysql_mode == start ]]; then
        mariadb_desc="MariaDB $mariadb_ver (started now by services.sh)"
      else
        mariadb_desc="MariaDB $mariadb_ver (already running)"
      fi
      ;;
  esac

  # ---- Kafka
  case $kafka_mode in
    external)
      kafka_brokers=$EVROUTE_KAFKA_BROKERS
      kafka_ver=${EVROUTE_KAFKA_VERSION:-external}
      kafka_desc="Kafka $kafka_ver at $kafka_brokers (from EVROUTE_KAFKA_BROKERS, not managed)"
      # A common trap: `eval` of an earlier `up` left EVROUTE_KAFKA_BROKERS in
      # this shell, then `down` stopped that broker. Say so rather than hang later.
      local first=${kafka_brokers%%,*}
      if [[ $first == *:* ]] && ! tcp_open "${first%:*}" "${first##*:}"; then
        log "warning: nothing answers at $first (EVROUTE_KAFKA_BROKERS). If it is left over from an earlier 'eval', run: unset EVROUTE_KAFKA_BROKERS"
      fi
      ;;
    reuse)
      kafka_brokers="127.0.0.1:$(read_state kafka.port)"
      kafka_ver=$(read_state kafka.version)
      kafka_desc="Kafka $kafka_ver at $kafka_brokers (reused: already running, pid $(read_state kafka.pid))"
      ;;
    start)
      # Stale state of a broker that died: clean it up first.
      local stale_dir
      stale_dir=$(read_state kafka.dir)
      if [[ -n $stale_dir ]]; then
        log "previous broker (pid $(read_state kafka.pid)) is gone; removing its stale state"
        remove_broker_dir "$stale_dir"
        rm -f "$STATE_DIR/kafka.pid" "$STATE_DIR/kafka.dir" "$STATE_DIR/kafka.port" "$STATE_DIR/kafka.version"
      fi
      libs_ready "$version" || fetch_kafka_libs "$version"
      BROKER_PID='' BROKER_PORT=''
      start_kafka "$version" "$java"
      kafka_brokers="127.0.0.1:$BROKER_PORT"
      kafka_ver=$version
      kafka_desc="Kafka $kafka_ver at $kafka_brokers (started now, pid $BROKER_PID)"
      ;;
  esac

  local env_lines
  env_lines=$(
    export_line EVROUTE_KAFKA_BROKERS "$kafka_brokers"
    export_line EVROUTE_MYSQL_URL "$mysql_url"
    export_line EVROUTE_KAFKA_VERSION "$kafka_ver"
    export_line EVROUTE_MARIADB_VERSION "$mariadb_ver"
  )
  printf '%s\n' "$env_lines" >"$STATE_DIR/env"
  log "using $kafka_desc; $mariadb_desc [up took $(secs_since "$t_start") s]"
  printf '%s\n' "$env_lines"
}

cmd_env() {
  local pid dir
  [[ -f $STATE_DIR/env ]] || { log "no services recorded in $STATE_DIR (run: eval \"\$(scripts/services.sh up)\")"; exit 1; }
  pid=$(read_state kafka.pid)
  dir=$(read_state kafka.dir)
  # If `up` started a broker, it must still be alive for the lines to be true.
  if [[ -n $pid ]] && ! is_our_broker "$pid" "$dir"; then
    log "the Kafka broker recorded in $STATE_DIR (pid $pid) is not running (run: scripts/services.sh down; then up)"
    exit 1
  fi
  cat "$STATE_DIR/env"
}

cmd_down() {
  acquire_lock
  local pid dir stopped=0
  pid=$(read_state kafka.pid)
  dir=$(read_state kafka.dir)
  if [[ -n $pid ]] && is_our_broker "$pid" "$dir"; then
    log "stopping Kafka broker pid $pid"
    stop_pid "$pid" "$dir"
    stopped=1
  elif [[ -n $pid ]]; then
    log "Kafka broker pid $pid is already gone"
  else
    log "no Kafka broker started by services.sh is recorded in $STATE_DIR"
  fi
  remove_broker_dir "$dir"
  rm -f "$STATE_DIR/kafka.pid" "$STATE_DIR/kafka.dir" "$STATE_DIR/kafka.port" "$STATE_DIR/kafka.version" "$STATE_DIR/env"

  # MariaDB is deliberately left running, even if `up` started it: it is the
  # machine's shared system database (fixed port 3306, persistent datadir),
  # other checkouts/sessions/tests on this machine may be using it, and it
  # costs nothing idle. We only forget that we started it.
  if [[ -f $STATE_DIR/mariadb.started ]]; then
    log "leaving MariaDB (started by an earlier 'up', pid $(cat "$STATE_DIR/mariadb.started")) running on purpose"
    rm -f "$STATE_DIR/mariadb.started"
  fi

  # For `eval "$(scripts/services.sh down)"`: drop the now-dead broker address
  # from the caller's shell so a later `up` starts a new broker instead of
  # "using" EVROUTE_KAFKA_BROKERS that points nowhere.
  if ((stopped)); then echo 'unset EVROUTE_KAFKA_BROKERS EVROUTE_KAFKA_VERSION'; fi
  return 0
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
