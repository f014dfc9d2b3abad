#!/usr/bin/env bash
# Dev/CI Elasticsearch 8 (8.14.3) on 127.0.0.1, built only from Maven Central jars.
#
#   infra/dev/elasticsearch.sh start|stop|restart|status
#
# No Docker and no elastic.co downloads: infra/dev/elasticsearch/ is a tiny Maven module that
# runs the official org.elasticsearch:elasticsearch server jar + transport-netty4 inside one JVM
# (single node, no security, no x-pack; see RunEs.java / DevBasicsPlugin.java for what exists).
#
# Environment (all optional):
#   ELASTICSEARCH_PORT           HTTP port (default 9201, so a system ES on 9200 is left alone)
#   ELASTICSEARCH_TRANSPORT_PORT transport port or range (default 9300-9400, first free one)
#   ELASTICSEARCH_HEAP           -Xms/-Xmx (default 512m)
#   ELASTICSEARCH_JAVA_OPTS      extra JVM options
#   ELASTICSEARCH_START_TIMEOUT  seconds to wait for yellow health (default 180)
#   ELASTICSEARCH_STOP_TIMEOUT   seconds between SIGTERM and SIGKILL (default 30)
#   DIALOG_SERVICES_DIR          state root (default <repo>/.services, git-ignored); ES lives in
#                                $DIALOG_SERVICES_DIR/elasticsearch/{lib,build,node}
#   DIALOG_ES_USER               OS user that runs ES when this script runs as root (default
#                                dialog-es, created with useradd --system if missing)
#   JAVA_HOME                    JDK (17+) to use; else `java` / `mvn` from PATH
#
# When run as root, Elasticsearch runs as $DIALOG_ES_USER (it must never run as root). If that
# user cannot traverse the path to <repo>/.services (e.g. a repo under a 0700 /root), and
# DIALOG_SERVICES_DIR is not set, state goes to /var/tmp/dialog-services-<hash of repo path>/
# elasticsearch instead (the folder infra/dev/common.sh uses for the other services). `status` and `stop` apply the same rule, so they find it again.
set -euo pipefail
umask 022

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
MODULE_DIR=$SCRIPT_DIR/elasticsearch
MAIN_CLASS=dialog.dev.es.RunEs
CLUSTER_NAME=dialog-dev
HOST=127.0.0.1

PORT=${ELASTICSEARCH_PORT:-9201}
TRANSPORT_PORT=${ELASTICSEARCH_TRANSPORT_PORT:-9300-9400}
HEAP=${ELASTICSEARCH_HEAP:-512m}
START_TIMEOUT=${ELASTICSEARCH_START_TIMEOUT:-180}
STOP_TIMEOUT=${ELASTICSEARCH_STOP_TIMEOUT:-30}
ES_USER=${DIALOG_ES_USER:-dialog-es}
URL="http://$HOST:$PORT"

log() { printf 'elasticsearch.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# ------------------------------------------------------------------ locations

resolve_dirs() {
    local primary
    if [[ -n ${DIALOG_SERVICES_DIR:-} ]]; then
        primary=$(realpath -m -- "$DIALOG_SERVICES_DIR")/elasticsearch
    else
        primary=$REPO_ROOT/.services/elasticsearch
    fi
    ES_DIR=$primary
    if is_root && id -u "$ES_USER" >/dev/null 2>&1 && ! user_can_reach "$primary"; then
        if [[ -n ${DIALOG_SERVICES_DIR:-} ]]; then
            die "user $ES_USER cannot reach $primary (DIALOG_SERVICES_DIR); make its parents traversable (o+x) or pick another dir"
        fi
        # same folder (and hash) as infra/dev/common.sh uses for the other services
        local hash
        hash=$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)
        ES_DIR=/var/tmp/dialog-services-$hash/elasticsearch
    fi
    LIB_DIR=$ES_DIR/lib
    BUILD_DIR=$ES_DIR/build
    NODE_HOME=$ES_DIR/node
    LOG_FILE=$NODE_HOME/logs/elasticsearch.log
    PID_FILE=$NODE_HOME/elasticsearch.pid
    PORT_FILE=$NODE_HOME/elasticsearch.port
}

# Can $ES_USER get to $1 (or, if it does not exist yet, to its nearest existing ancestor)?
user_can_reach() {
    local d=$1
    while [[ ! -e $d && $d != / ]]; do d=$(dirname "$d"); done
    runuser -u "$ES_USER" -- test -x "$d" -a -r "$d" 2>/dev/null
}

# ------------------------------------------------------------------ tools

find_java() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        JAVA=$JAVA_HOME/bin/java
    else
        JAVA=$(command -v java || true)
    fi
    [[ -n $JAVA ]] || die "java not found (need a JDK 17+; on Debian: apt-get install -y openjdk-17-jdk-headless maven)"
    local v
    v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [[ ${v%%.*} =~ ^[0-9]+$ && ${v%%.*} -ge 17 ]] || die "$JAVA is Java '$v'; Elasticsearch 8.14 needs 17+"
}

http_code() { # http_code PATH -> prints the HTTP status (000 when nothing answers)
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL$1" 2>/dev/null || true
    else
        local line
        if exec 3<>"/dev/tcp/$HOST/$PORT" 2>/dev/null; then
            printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$HOST" >&3
            IFS= read -r -t 5 line <&3 || true
            exec 3<&- 3>&-
            line=${line#* }
            printf '%s' "${line:0:3}"
        else
            printf '000'
        fi
    fi
}

healthy() { [[ $(http_code "/_cluster/health?wait_for_status=yellow&timeout=1s") == 200 ]]; }

# ------------------------------------------------------------------ process bookkeeping

is_our_jvm() { # is_our_jvm PID
    local pid=$1 cmd
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    cmd=$(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null) || return 1
    [[ $cmd == *" $MAIN_CLASS "* && $cmd == *"--home $NODE_HOME "* ]]
}

# Prints the pid of the running node for NODE_HOME, if any. Clears a stale pid file
# (left by a hard-killed run, or a pid that now belongs to another process).
running_pid() {
    local pid=""
    if [[ -f $PID_FILE ]]; then
        pid=$(tr -dc '0-9' <"$PID_FILE" || true)
        if is_our_jvm "$pid"; then
            echo "$pid"
            return 0
        fi
        rm -f "$PID_FILE"
    fi
    # pid file gone but the JVM still alive (e.g. someone wiped it): find it by its exact --home
    local p
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        if is_our_jvm "$p"; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# ------------------------------------------------------------------ build

build_stamp() {
    (cd "$MODULE_DIR" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

ensure_built() {
    local stamp
    stamp=$(build_stamp)
    if [[ -f $LIB_DIR/.build-stamp && $(cat "$LIB_DIR/.build-stamp") == "$stamp" ]] && compgen -G "$LIB_DIR/*.jar" >/dev/null; then
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || die "mvn not found (on Debian: apt-get install -y maven)"
    log "building the dev node into $LIB_DIR (Maven; first run downloads ~40 MB to ~/.m2)"
    local tmp=$ES_DIR/lib.new out
    rm -rf "$tmp"
    mkdir -p "$tmp"
    out=$(mktemp)
    local -a mvn_cmd=(mvn -q -B -f "$MODULE_DIR/pom.xml" "-Des.lib.dir=$tmp" "-Des.build.dir=$BUILD_DIR"
        clean package dependency:copy-dependencies)
    # offline first (works without network once ~/.m2 has everything), then online
    if ! JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$JAVA")")")} \
        timeout 300 "${mvn_cmd[@]}" -o >"$out" 2>&1; then
        rm -rf "$tmp" && mkdir -p "$tmp"
        if ! JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$JAVA")")")} \
            timeout 600 "${mvn_cmd[@]}" >"$out" 2>&1; then
            cat "$out" >&2
            rm -rf "$out" "$tmp"
            die "Maven build of $MODULE_DIR failed"
        fi
    fi
    rm -f "$out"
    echo "$stamp" >"$tmp/.build-stamp"
    chmod -R a+rX "$tmp"
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
}

ensure_user() {
    is_root || return 0
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is needed to drop root"
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        log "creating system user $ES_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null \
            || id -u "$ES_USER" >/dev/null 2>&1 || die "could not create user $ES_USER"
    fi
}

# ------------------------------------------------------------------ commands

cmd_start() {
    local t0=$SECONDS pid
    ensure_user
    resolve_dirs

    if pid=$(running_pid); then
        local running_port
        running_port=$(cat "$PORT_FILE" 2>/dev/null || echo "?")
        [[ $running_port == "$PORT" ]] \
            || die "already running (pid $pid) on port $running_port, not $PORT; run '$0 stop' first"
        if wait_healthy "$pid" "$START_TIMEOUT"; then
            log "already running (pid $pid)"
            echo "$URL"
            return 0
        fi
        die "running (pid $pid) but not healthy within ${START_TIMEOUT}s; see $LOG_FILE"
    fi

    [[ $(http_code /) == 000 ]] \
        || die "something else already answers on $URL; set ELASTICSEARCH_PORT to a free port"

    find_java
    mkdir -p "$ES_DIR" "$NODE_HOME/logs"
    ensure_built

    local -a run_as=()
    if is_root; then
        # hand the whole node home to the unprivileged user (only what isn't theirs yet)
        local group
        group=$(id -gn "$ES_USER")
        find "$NODE_HOME" \( ! -user "$ES_USER" -o ! -group "$group" \) -exec chown -h "$ES_USER:$group" {} + 2>/dev/null \
            || chown -R "$ES_USER:$group" "$NODE_HOME"
        runuser -u "$ES_USER" -- test -r "$LIB_DIR/.build-stamp" \
            || die "user $ES_USER cannot read $LIB_DIR"
        run_as=(runuser -u "$ES_USER" --)
    fi

    # keep the previous run's log, start a fresh one
    [[ -f $LOG_FILE ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
    rm -f "$PID_FILE"
    echo "$PORT" >"$PORT_FILE"

    # shellcheck disable=SC2054 # "SPI,COMPAT" is one argument
    local -a jvm=(
        "$JAVA" "-Xms$HEAP" "-Xmx$HEAP" -Xss1m -XX:+UseG1GC
        -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true -Dfile.encoding=UTF-8
        -Djava.locale.providers=SPI,COMPAT
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0
        -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true
        "-Djava.io.tmpdir=$NODE_HOME/tmp" "-Djna.tmpdir=$NODE_HOME/tmp"
    )
    # shellcheck disable=SC2206 # word splitting of user-supplied JVM options is intended
    [[ -n ${ELASTICSEARCH_JAVA_OPTS:-} ]] && jvm+=(${ELASTICSEARCH_JAVA_OPTS})
    jvm+=(-cp "$LIB_DIR/*" "$MAIN_CLASS" --home "$NODE_HOME" --host "$HOST" --http-port "$PORT"
        --transport-port "$TRANSPORT_PORT" --cluster-name "$CLUSTER_NAME" --node-name "$CLUSTER_NAME-1")

    mkdir -p "$NODE_HOME/tmp"
    is_root && chown "$ES_USER:" "$NODE_HOME/tmp" "$PORT_FILE"
    log "starting Elasticsearch 8.14.3 on $URL (heap $HEAP, home $NODE_HOME, log $LOG_FILE)"
    # The child shell records its own pid and execs the JVM, so the pid file holds the JVM's pid.
    # setsid + no inherited stdio: the node outlives this script and never holds a CI pipe open.
    # shellcheck disable=SC2016 # expanded by the child shell
    setsid "${run_as[@]}" /bin/bash -c 'echo $$ >"$1"; log=$2; shift 2; exec "$@" >>"$log" 2>&1' \
        _ "$PID_FILE" "$LOG_FILE" "${jvm[@]}" </dev/null >/dev/null 2>&1 &

    local deadline=$((SECONDS + 10))
    while [[ ! -s $PID_FILE ]] && ((SECONDS < deadline)); do sleep 0.1; done
    pid=$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)
    [[ -n $pid ]] || die "the JVM did not start; see $LOG_FILE"

    if wait_healthy "$pid" "$START_TIMEOUT"; then
        log "up after $((SECONDS - t0))s (pid $pid)"
        echo "$URL"
        return 0
    fi
    if kill -0 "$pid" 2>/dev/null; then
        log "not healthy after ${START_TIMEOUT}s; stopping it"
        stop_pid "$pid"
    fi
    tail -n 40 "$LOG_FILE" >&2 || true
    die "Elasticsearch did not become healthy; full log: $LOG_FILE"
}

wait_healthy() { # wait_healthy PID TIMEOUT
    local pid=$1 deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || { log "the JVM (pid $pid) exited"; rm -f "$PID_FILE"; return 1; }
        healthy && return 0
        sleep 1
    done
    return 1
}

stop_pid() {
    local pid=$1 deadline
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid still alive after ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    fi
    ! kill -0 "$pid" 2>/dev/null
}

cmd_stop() {
    local pid
    resolve_dirs
    if ! pid=$(running_pid); then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    log "stopping pid $pid"
    stop_pid "$pid" || die "could not stop pid $pid"
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    local pid port
    resolve_dirs
    if ! pid=$(running_pid); then
        echo "stopped"
        return 3
    fi
    port=$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")
    URL="http://$HOST:$port"
    PORT=$port
    if healthy; then
        echo "running (pid $pid) $URL"
        return 0
    fi
    echo "running (pid $pid) but not healthy yet: $URL"
    return 1
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop && cmd_start ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 start|stop|restart|status" >&2
        exit 64
        ;;
esac
