#!/usr/bin/env bash
# scripts/cluster.sh: a local PBFT cluster on 127.0.0.1, one process per replica.
#
#   scripts/cluster.sh demo   [-f F] [--base-port P]  start, run scripted commands and a workload, stop
#   scripts/cluster.sh start  [-f F] [--base-port P]  start a cluster that stays up
#   scripts/cluster.sh status                         its processes and each replica's progress
#   scripts/cluster.sh stop                           stop it
#
# n = 3f + 1 replicas (f = 1 by default). Replica i listens on BASE + i for replicas and on
# BASE + 100 + i for clients (BASE = 7000, or PBFT_BASE_PORT, or --base-port). Keys, config, pids
# and logs live in .cluster/ at the repository root (not tracked by git):
#   .cluster/cluster.properties, .cluster/keys/replica-<i>.key, .cluster/pids, .cluster/logs/replica-<i>.log
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$SCRIPTS/lib.sh"

WORK="$ROOT/.cluster"
CONFIG="$WORK/cluster.properties"
PIDS="$WORK/pids"
LOGS="$WORK/logs"
PBFT="$SCRIPTS/pbft"
REPLICA_JVM=(-Xms128m -Xmx1g -XX:+UseSerialGC)
STOP_WAIT_SECONDS=15

# Prints the comment at the top of this file, up to the first line that is not a comment.
usage() {
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
    exit "${1:-2}"
}

# --- arguments ---------------------------------------------------------------------------------

COMMAND="${1:-}"
[ -n "$COMMAND" ] || usage
shift
F=1
BASE_PORT="${PBFT_BASE_PORT:-7000}"
while [ $# -gt 0 ]; do
    case "$1" in
        -f | --f) [ $# -ge 2 ] || die "$1 needs a value"; F="$2"; shift 2 ;;
        --base-port) [ $# -ge 2 ] || die "$1 needs a value"; BASE_PORT="$2"; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[[ "$F" =~ ^[0-9]+$ ]] && [ "$F" -ge 1 ] && [ "$F" -le 33 ] || die "-f must be a whole number from 1 to 33, was '$F'"
[[ "$BASE_PORT" =~ ^[0-9]+$ ]] && [ "$BASE_PORT" -ge 1024 ] || die "the base port must be a number from 1024 up, was '$BASE_PORT'"
N=$((3 * F + 1))
[ $((BASE_PORT + 100 + N)) -le 65535 ] || die "base port $BASE_PORT leaves no room for $N replicas below 65536"

# --- processes ---------------------------------------------------------------------------------

# Whether $1 is the pid of a replica of this cluster (guards against a recycled pid).
is_our_replica() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 1
    if [ -r "/proc/$pid/cmdline" ]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- " replica --config $CONFIG " || return 1
    fi
    return 0
}

# The pids of .cluster/pids that are still running replicas of this cluster.
live_pids() {
    [ -f "$PIDS" ] || return 0
    local pid
    while read -r pid; do
        [ -n "$pid" ] && is_our_replica "$pid" && echo "$pid"
    done <"$PIDS"
    return 0
}

port_in_use() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

check_ports() {
    local i
    for ((i = 0; i < N; i++)); do
        port_in_use $((BASE_PORT + i)) &&
            die "port $((BASE_PORT + i)) (replica $i) is in use; pick other ports with --base-port P or PBFT_BASE_PORT=P"
        port_in_use $((BASE_PORT + 100 + i)) &&
            die "port $((BASE_PORT + 100 + i)) (clients of replica $i) is in use; pick other ports with --base-port P or PBFT_BASE_PORT=P"
    done
    return 0
}

stop_cluster() {
    local pids
    pids="$(live_pids)"
    if [ -z "$pids" ]; then
        rm -f "$PIDS"
        return 0
    fi
    # A paused (SIGSTOPped) replica acts on SIGTERM only once continued; SIGCONT does nothing to
    # the others.
    # shellcheck disable=SC2086 # one pid per word
    kill $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    kill -CONT $pids 2>/dev/null || true
    local waited=0 pid alive
    while :; do
        alive=""
        for pid in $pids; do
            kill -0 "$pid" 2>/dev/null && alive="$alive $pid"
        done
        [ -z "$alive" ] && break
        if [ "$waited" -ge $((STOP_WAIT_SECONDS * 10)) ]; then
            echo "replicas$alive did not stop within ${STOP_WAIT_SECONDS} s; killing them" >&2
            # shellcheck disable=SC2086
            kill -9 $alive 2>/dev/null || true
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    local stopped listed
    stopped="$(echo "$pids" | wc -w | tr -d ' ')"
    listed="$(grep -c . "$PIDS" || true)"
    rm -f "$PIDS"
    if [ "$listed" -gt "$stopped" ]; then
        echo "cluster stopped ($stopped replicas; $((listed - stopped)) had already exited)"
    else
        echo "cluster stopped ($stopped replicas)"
    fi
}

start_cluster() {
    if [ -n "$(live_pids)" ]; then
        die "a cluster is already running (pids: $(live_pids | tr '\n' ' ')); run scripts/cluster.sh stop first"
    fi
    rm -f "$PIDS"
    check_ports
    ensure_jar
    rm -rf "$WORK/keys" "$CONFIG" "$LOGS"
    mkdir -p "$LOGS"
    "$PBFT" keygen -f "$F" --dir "$WORK" --base-port "$BASE_PORT" >/dev/null
    local i ids=()
    for ((i = 0; i < N; i++)); do
        launch_replica "$i"
        echo $! >>"$PIDS"
        ids+=("$i")
    done
    if ! wait_until_ready "${ids[@]}"; then
        stop_cluster >/dev/null
        exit 1
    fi
    echo "cluster up: $N replicas (f = $F) on 127.0.0.1, replica ports $BASE_PORT-$((BASE_PORT + N - 1)),"\
        "client ports $((BASE_PORT + 100))-$((BASE_PORT + 100 + N - 1))"
    echo "  config .cluster/cluster.properties, pids .cluster/pids, logs .cluster/logs/replica-<i>.log"
}

# Starts replica $1 in the background, its output appended to its log; $! is its pid.
launch_replica() {
    local id="$1"
    # shellcheck disable=SC2086 # PBFT_JAVA_OPTS is a list of options
    nohup java "${REPLICA_JVM[@]}" ${PBFT_JAVA_OPTS:-} -Dpbft.log.level="${PBFT_LOG_LEVEL:-INFO}" \
        -jar "$JAR" replica --config "$CONFIG" --id "$id" >>"$LOGS/replica-$id.log" 2>&1 </dev/null &
}

# The pid that .cluster/pids holds for replica $1 (line $1 + 1; empty if there is none).
pid_of() {
    [ -f "$PIDS" ] || return 0
    sed -n "$(($1 + 1))p" "$PIDS"
}

# Waits (bounded) until each replica of $@ (ids) answers a status query. Returns 1, having said
# why, if one exits or they do not all answer in time.
wait_until_ready() {
    local timeout=$((30 + 10 * $#)) start=$SECONDS id answers
    while :; do
        for id in "$@"; do
            if ! kill -0 "$(pid_of "$id")" 2>/dev/null; then
                echo "replica $id exited during start-up; the end of .cluster/logs/replica-$id.log:" >&2
                tail -n 20 "$LOGS/replica-$id.log" >&2 || true
                return 1
            fi
        done
        # One line per replica, "replica <id>: view ..." when it answered (see pbft's StatusCommand).
        answers="$("$PBFT" status --config "$CONFIG" --timeout-ms 1000 2>&1 || true)"
        all_answered "$answers" "$@" && return 0
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            echo "not every replica answered within $timeout s:" >&2
            echo "$answers" >&2
            return 1
        fi
        sleep 0.5
    done
}

# Whether the status output $1 has an answer from each replica of ${@:2} (ids).
all_answered() {
    local answers="$1" id
    shift
    for id in "$@"; do
        grep -q "^replica $id: view " <<<"$answers" || return 1
    done
    return 0
}

# --- demo --------------------------------------------------------------------------------------

STEPS=0
STEP_FAILURES=0

# Runs one scripted command, shown as typed; $1 is the exit code it must end with.
step() {
    local expected="$1"
    shift
    STEPS=$((STEPS + 1))
    echo
    echo "\$ scripts/pbft $*"
    local code=0
    "$PBFT" "$@" || code=$?
    if [ "$code" -ne "$expected" ]; then
        echo "!! exit code $code, expected $expected" >&2
        STEP_FAILURES=$((STEP_FAILURES + 1))
    fi
}

demo() {
    if [ -n "$(live_pids)" ]; then
        die "a cluster from 'scripts/cluster.sh start' is running; stop it first (scripts/cluster.sh stop)"
    fi
    trap 'stop_cluster' EXIT
    trap 'exit 130' INT TERM
    echo "== starting $N replicas (f = $F) =="
    start_cluster

    echo
    echo "== scripted commands (exit code 3 = the cluster answered that a condition did not hold) =="
    step 0 put demo:greeting hello
    step 0 get demo:greeting
    step 0 cas demo:greeting bonjour --expect hello
    step 3 cas demo:greeting hola --expect hello
    step 0 txn --require demo:greeting=bonjour --require-absent demo:lock --put demo:from=7 --put demo:to=3 \
        --delete demo:greeting --read demo:from --read demo:to --read demo:greeting
    step 3 txn --require-absent demo:from --put demo:from=0 --read demo:from
    step 0 delete demo:to
    step 0 get demo:to
    step 0 status

    # Fewer operations for larger clusters, which order each one more slowly.
    local ops=$((2000 / F)) clients=4 out="$WORK/demo-workload.txt"
    echo
    echo "== workload: $clients closed-loop clients, $ops operations =="
    echo "\$ scripts/pbft workload --clients $clients --ops $ops --keys 16 --history .cluster/history.jsonl"
    local workload_code=0
    "$PBFT" workload --clients "$clients" --ops "$ops" --keys 16 --history "$WORK/history.jsonl" | tee "$out" ||
        workload_code=$?

    echo
    echo "== summary =="
    echo "cluster: $N replica processes (f = $F) on 127.0.0.1"
    echo "scripted commands: $((STEPS - STEP_FAILURES)) of $STEPS ended as expected"
    grep -E '^(operations|latency|throughput):' "$out" | sed 's/^/workload /' || true
    if [ "$STEP_FAILURES" -ne 0 ] || [ "$workload_code" -ne 0 ]; then
        echo "demo FAILED: $STEP_FAILURES scripted command(s) did not end as expected, workload exit code"\
            "$workload_code (replica logs: .cluster/logs/)"
        exit 1
    fi
    echo "demo passed"
}

# --- main --------------------------------------------------------------------------------------

case "$COMMAND" in
    demo) demo ;;
    start) start_cluster ;;
    status)
        pids="$(live_pids)"
        if [ -z "$pids" ]; then
            echo "no cluster running (nothing alive in .cluster/pids); start one with scripts/cluster.sh start"
            exit 1
        fi
        echo "replica processes: $(echo "$pids" | wc -w) running (pids $(echo "$pids" | tr '\n' ' '| sed 's/ $//'))"
        exec "$PBFT" status --config "$CONFIG"
        ;;
    stop)
        if [ -z "$(live_pids)" ]; then
            rm -f "$PIDS"
            echo "no cluster running"
            exit 0
        fi
        stop_cluster
        ;;
    -h | --help | help) usage 0 ;;
    *) echo "unknown command: $COMMAND" >&2; usage ;;
esac
