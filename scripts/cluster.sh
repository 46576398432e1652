#!/usr/bin/env bash
# scripts/cluster.sh: a local PBFT cluster on 127.0.0.1, one process per replica.
#
#   scripts/cluster.sh demo    [-f F] [--base-port P]  start, run scripted commands and a workload, stop
#   scripts/cluster.sh start   [-f F] [--base-port P]  start a new cluster that stays up (new keys, empty data)
#   scripts/cluster.sh start --keep-data               start the stopped cluster again: same keys, ports, data
#   scripts/cluster.sh start --metrics-port M          as start, replica i serving Prometheus metrics at
#                                                      http://127.0.0.1:(M + i)/metrics (restarts keep it)
#   scripts/cluster.sh start --byzantine ID=SPEC ...   as start, replica ID misbehaving on purpose as SPEC says
#                                                      (the simulator's behaviours, e.g. 0=equivocate,
#                                                      2=wrong-replies, 1=silent@5000; at most f; for tests)
#   scripts/cluster.sh start --fault-control           as start, each replica taking network faults on command
#                                                      on 127.0.0.1:BASE + 200 + i (scripts/pbft fault; tests)
#   scripts/cluster.sh status                          each replica: running, paused or gone; its progress
#   scripts/cluster.sh stop                            stop it, paused replicas too
#   scripts/cluster.sh pause N                         SIGSTOP replica N: a stop-the-world pause (a long GC)
#   scripts/cluster.sh resume N                        SIGCONT paused replica N
#   scripts/cluster.sh kill N                          SIGKILL replica N: a crash
#   scripts/cluster.sh restart N                       start killed replica N again on its data directory
#
# n = 3f + 1 replicas (f = 1 by default). Replica i listens on BASE + i for replicas and on
# BASE + 100 + i for clients (BASE = 7000, or PBFT_BASE_PORT, or --base-port). N is a replica id
# of the running cluster, 0 to n - 1 (n from its .cluster/cluster.properties). Keys, config, pids
# and logs live in .cluster/ at the repository root (not tracked by git):
#   .cluster/cluster.properties, .cluster/keys/replica-<i>.key, .cluster/pids, .cluster/logs/replica-<i>.log,
#   .cluster/data/replica-<i>/ (each replica's write-ahead log and snapshots, kept across stop and restart)
# Replicas start with the limit on open files their connection limits need (2 x
# transport.maxConnectionsPerPort + 1024: 9216 by default), as far as the hard limit (ulimit -Hn)
# allows; below that, start and restart warn.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$SCRIPTS/lib.sh"

WORK="$ROOT/.cluster"
CONFIG="$WORK/cluster.properties"
PIDS="$WORK/pids"
LOGS="$WORK/logs"
DATA="$WORK/data"
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
# The replica that pause, resume, kill and restart act on; they take nothing else, since the running
# cluster's config says how many replicas it has and where.
REPLICA=""
case "$COMMAND" in
    pause | resume | kill | restart)
        case "${1:-}" in
            -h | --help) usage 0 ;;
            "") die "$COMMAND needs a replica id: scripts/cluster.sh $COMMAND N" ;;
        esac
        REPLICA="$1"
        shift
        [ $# -eq 0 ] || die "$COMMAND takes a replica id and nothing else (the running cluster's config"\
            "says how many replicas it has and where), but was also given: $*"
        ;;
esac
F=1
BASE_PORT="${PBFT_BASE_PORT:-7000}"
KEEP_DATA=0
METRICS_PORT=""
BYZANTINE=()
FAULT_CONTROL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --byzantine)
            [ "$COMMAND" = start ] || die "--byzantine is an option of start only"
            [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+=.+$ ]] || die "--byzantine needs ID=SPEC, as in --byzantine 0=equivocate"
            BYZANTINE+=("$2"); shift 2 ;;
        --fault-control) [ "$COMMAND" = start ] || die "--fault-control is an option of start only"; FAULT_CONTROL=1; shift ;;
        --keep-data) [ "$COMMAND" = start ] || die "--keep-data is an option of start only"; KEEP_DATA=1; shift ;;
        --metrics-port)
            [ "$COMMAND" = start ] || die "--metrics-port is an option of start only"
            [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 1024 ] ||
                die "--metrics-port needs a port number from 1024 up, as in --metrics-port 9400"
            METRICS_PORT="$2"; shift 2 ;;
        -f | --f) [ $# -ge 2 ] || die "$1 needs a value"; F="$2"; shift 2 ;;
        --base-port) [ $# -ge 2 ] || die "$1 needs a value"; BASE_PORT="$2"; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[[ "$F" =~ ^[0-9]+$ ]] && [ "$F" -ge 1 ] && [ "$F" -le 33 ] || die "-f must be a whole number from 1 to 33, was '$F'"
[[ "$BASE_PORT" =~ ^[0-9]+$ ]] && [ "$BASE_PORT" -ge 1024 ] || die "the base port must be a number from 1024 up, was '$BASE_PORT'"
N=$((3 * F + 1))
[ "${#BYZANTINE[@]}" -le "$F" ] || die "at most f = $F replicas may misbehave, not ${#BYZANTINE[@]}"
[ $((BASE_PORT + 100 + N)) -le 65535 ] || die "base port $BASE_PORT leaves no room for $N replicas below 65536"
[ -z "$METRICS_PORT" ] || [ $((METRICS_PORT + N)) -le 65536 ] ||
    die "metrics port $METRICS_PORT leaves no room for $N replicas below 65536"

# --- processes ---------------------------------------------------------------------------------

# The file descriptors a replica may need: one per connection, up to transport.maxConnectionsPerPort
# (4096 unless the config says otherwise) on each of its two ports, and 1024 for its peers, its
# files and the JVM; the same sum as ReplicaNode.descriptorsNeeded.
descriptors_needed() {
    local per_port
    per_port="$(config_value transport.maxConnectionsPerPort)"
    [[ "$per_port" =~ ^[0-9]+$ ]] || per_port=4096
    echo $((2 * per_port + 1024))
}

# Raises this script's soft limit on open files, which the replicas inherit, to what a replica
# needs, as far as the hard limit allows, and says so when it does not allow enough. Out of
# descriptors, a replica can accept neither clients nor peers (issue 10).
raise_descriptor_limit() {
    local needed soft hard
    needed="$(descriptors_needed)"
    soft="$(ulimit -Sn)"
    hard="$(ulimit -Hn)"
    if [ "$hard" != unlimited ] && [ "$hard" -lt "$needed" ]; then
        echo "warning: open files are limited to $hard here (ulimit -Hn), and a replica may need $needed;" \
            "raise the hard limit (as root, or LimitNOFILE= in a systemd unit) or lower" \
            "transport.maxConnectionsPerPort in $CONFIG" >&2
        needed="$hard"
    fi
    if [ "$soft" != unlimited ] && [ "$soft" -lt "$needed" ]; then
        ulimit -Sn "$needed"
    fi
}

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

# What the replica process with pid $1 (maybe empty) is: running; paused (stopped by a signal,
# state T in /proc/<pid>/stat); or gone (exited, killed, or the pid is no longer one of ours).
replica_state() {
    local pid="$1" state=""
    if [ -z "$pid" ] || ! is_our_replica "$pid"; then
        echo gone
        return 0
    fi
    if [ -r "/proc/$pid/stat" ]; then
        # The state follows the command name, in parentheses that may themselves hold ") ".
        state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)" || true
    else
        state="$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" || true # no /proc (macOS)
    fi
    case "$state" in
        T) echo paused ;;
        "" | Z | X) echo gone ;;
        *) echo running ;;
    esac
}

# The value of property $1 in the cluster's config, as keygen writes it ("key = value"); empty
# if it is not there.
config_value() {
    [ -f "$CONFIG" ] || return 0
    sed -n "s/^[[:space:]]*${1//./\\.}[[:space:]]*[=:][[:space:]]*\([^[:space:]]*\)[[:space:]]*\$/\1/p" "$CONFIG" |
        head -n 1
}

# For the commands that act on a running cluster: dies unless .cluster/ holds one, and sets
# CLUSTER_N to its number of replicas, read from its config (-f says only what start creates).
require_cluster() {
    if [ ! -f "$PIDS" ] || [ ! -f "$CONFIG" ]; then
        die "no cluster running (no .cluster/pids); start one with scripts/cluster.sh start"
    fi
    CLUSTER_N="$(config_value replicas)"
    [[ "$CLUSTER_N" =~ ^[1-9][0-9]*$ ]] || die "no 'replicas = <n>' line in $CONFIG"
    local lines
    lines="$(wc -l <"$PIDS" | tr -d ' ')"
    [ "$lines" -eq "$CLUSTER_N" ] || die ".cluster/pids has $lines lines for the $CLUSTER_N replicas of" \
        ".cluster/cluster.properties; stop the cluster (scripts/cluster.sh stop) and start it again"
}

# One line per replica process, after a line that counts them by state.
show_processes() {
    local id pid state hint lines=() running=0 paused=0 gone=0
    for ((id = 0; id < CLUSTER_N; id++)); do
        pid="$(pid_of "$id")"
        state="$(replica_state "$pid")"
        case "$state" in
            running) running=$((running + 1)); hint="" ;;
            paused) paused=$((paused + 1)); hint="; scripts/cluster.sh resume $id continues it" ;;
            gone) gone=$((gone + 1)); hint="; scripts/cluster.sh restart $id starts it again" ;;
        esac
        lines+=("  replica $id: $state (pid $pid)$hint")
    done
    echo "replica processes: $running running, $paused paused, $gone gone"
    printf '%s\n' "${lines[@]}"
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
        [ -n "$METRICS_PORT" ] && port_in_use $((METRICS_PORT + i)) &&
            die "port $((METRICS_PORT + i)) (metrics of replica $i) is in use; pick others with --metrics-port M"
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
    if [ "$KEEP_DATA" -eq 1 ]; then
        [ -f "$CONFIG" ] && [ -d "$DATA" ] || die "there is no stopped cluster to start again in $WORK;"\
            "scripts/cluster.sh start starts a new one"
        # The stopped cluster's size and ports, whatever -f and --base-port say.
        N="$(grep -c '^replica\.[0-9]*\.port' "$CONFIG")"
        F=$(((N - 1) / 3))
        BASE_PORT="$(config_value replica.0.port)"
    fi
    # --metrics-port holds for this start and the restarts after it; start --keep-data keeps what was.
    if [ -z "$METRICS_PORT" ] && [ "$KEEP_DATA" -eq 1 ] && [ -f "$WORK/metrics-port" ]; then
        METRICS_PORT="$(cat "$WORK/metrics-port")"
    fi
    check_ports
    ensure_jar
    if [ "$KEEP_DATA" -eq 0 ]; then
        rm -rf "$WORK/keys" "$CONFIG" "$LOGS" "$DATA"
        "$PBFT" keygen -f "$F" --dir "$WORK" --base-port "$BASE_PORT" >/dev/null
    fi
    mkdir -p "$LOGS"
    # --byzantine holds for this start and the restarts after it; start --keep-data keeps what was.
    if [ "${#BYZANTINE[@]}" -gt 0 ] || [ "$KEEP_DATA" -eq 0 ]; then
        rm -f "$WORK/byzantine"
        local entry
        for entry in "${BYZANTINE[@]}"; do
            [ "${entry%%=*}" -lt "$N" ] || die "--byzantine $entry: replica ${entry%%=*} is not in this cluster of $N"
            echo "$entry" >>"$WORK/byzantine"
        done
    fi
    rm -f "$WORK/metrics-port"
    [ -z "$METRICS_PORT" ] || echo "$METRICS_PORT" >"$WORK/metrics-port"
    # Like --byzantine, --fault-control holds for this start and the restarts after it.
    if [ "$FAULT_CONTROL" -eq 1 ]; then
        touch "$WORK/fault-control"
    elif [ "${#BYZANTINE[@]}" -gt 0 ] || [ "$KEEP_DATA" -eq 0 ]; then
        rm -f "$WORK/fault-control"
    fi
    raise_descriptor_limit
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
    if [ -n "$METRICS_PORT" ]; then
        echo "  metrics http://127.0.0.1:$METRICS_PORT/metrics to http://127.0.0.1:$((METRICS_PORT + N - 1))/metrics"
    fi
    if [ -f "$WORK/byzantine" ]; then
        echo "  misbehaving on purpose: $(tr '\n' ' ' <"$WORK/byzantine")(scripts/pbft evidence shows what the others proved)"
    fi
    if [ -f "$WORK/fault-control" ]; then
        echo "  network faults on command: scripts/pbft fault --replica N [--cut IDS | --heal | --drop P | --delay-ms M | --clear]"
    fi
}

# Starts replica $1 in the background, its output appended to its log; $! is its pid. A replica
# that start --byzantine named misbehaves as .cluster/byzantine says, on every start and restart;
# with .cluster/metrics-port (start --metrics-port M) it serves metrics on M + its id; and
# after start --fault-control (.cluster/fault-control) it opens its fault-control port.
launch_replica() {
    local id="$1" spec=() line
    if [ -f "$WORK/byzantine" ]; then
        while IFS= read -r line; do
            [ "${line%%=*}" = "$id" ] && spec=(--misbehave "${line#*=}")
        done <"$WORK/byzantine"
    fi
    if [ -f "$WORK/metrics-port" ]; then
        spec+=(--metrics-port $(($(cat "$WORK/metrics-port") + id)))
    fi
    if [ -f "$WORK/fault-control" ]; then spec+=(--fault-control); fi
    # shellcheck disable=SC2086 # PBFT_JAVA_OPTS is a list of options
    nohup java "${REPLICA_JVM[@]}" ${PBFT_JAVA_OPTS:-} -Dpbft.log.level="${PBFT_LOG_LEVEL:-INFO}" \
        -jar "$JAR" replica --config "$CONFIG" --id "$id" --data-dir "$DATA/replica-$id" "${spec[@]}" \
        >>"$LOGS/replica-$id.log" 2>&1 </dev/null &
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
        answers="$("$PBFT" status --config "$CONFIG" --timeout-ms 1000 --interval-ms 0 2>&1 || true)"
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

# --- faults ------------------------------------------------------------------------------------

# Dies unless REPLICA is the id of a replica of the running cluster: 0 to CLUSTER_N - 1.
check_replica_id() {
    [[ "$REPLICA" =~ ^(0|[1-9][0-9]{0,5})$ ]] ||
        die "the replica id must be a whole number from 0 to $((CLUSTER_N - 1)), was '$REPLICA'"
    [ "$REPLICA" -lt "$CLUSTER_N" ] ||
        die "there is no replica $REPLICA: the running cluster has $CLUSTER_N, 0 to $((CLUSTER_N - 1))"
}

# pause, resume or kill ($1) replica REPLICA: one signal, sent only in the state it is meant for.
signal_replica() {
    local command="$1" id="$REPLICA" pid state
    pid="$(pid_of "$id")"
    state="$(replica_state "$pid")"
    case "$command:$state" in
        pause:running)
            kill -STOP "$pid" || die "could not send SIGSTOP to replica $id (pid $pid)"
            echo "paused replica $id (pid $pid) with SIGSTOP; scripts/cluster.sh resume $id continues it"
            ;;
        resume:paused)
            kill -CONT "$pid" || die "could not send SIGCONT to replica $id (pid $pid)"
            echo "resumed replica $id (pid $pid) with SIGCONT"
            ;;
        kill:running | kill:paused)
            kill -KILL "$pid" || die "could not send SIGKILL to replica $id (pid $pid)"
            wait_until_gone "$pid" || die "replica $id (pid $pid) was sent SIGKILL but is still there"
            echo "killed replica $id (pid $pid) with SIGKILL; scripts/cluster.sh restart $id starts it again"
            ;;
        pause:paused) die "replica $id (pid $pid) is already paused; scripts/cluster.sh resume $id continues it" ;;
        resume:running) die "replica $id (pid $pid) is running, not paused; there is nothing to resume" ;;
        *:gone) die "replica $id (pid $pid) is not running; scripts/cluster.sh restart $id starts it again" ;;
    esac
}

# Waits (bounded: 5 s) until pid $1 is no longer a replica of ours; returns 1 if it still is.
wait_until_gone() {
    local tenths=0
    while is_our_replica "$1"; do
        [ "$tenths" -lt 50 ] || return 1
        sleep 0.1
        tenths=$((tenths + 1))
    done
    return 0
}

# Starts replica REPLICA again after it was killed, as start did: same config, key, ports and data
# directory, its log appended to. It recovers from its data and catches up from the others.
restart_replica() {
    local id="$REPLICA" old_pid pid port
    old_pid="$(pid_of "$id")"
    case "$(replica_state "$old_pid")" in
        running) die "replica $id (pid $old_pid) is running; scripts/cluster.sh kill $id first" ;;
        paused) die "replica $id (pid $old_pid) is paused; scripts/cluster.sh kill $id first" ;;
    esac
    local ports=("$(config_value "replica.$id.port")" "$(config_value "replica.$id.clientPort")")
    [ ! -f "$WORK/metrics-port" ] || ports+=($(($(cat "$WORK/metrics-port") + id)))
    for port in "${ports[@]}"; do
        [ -n "$port" ] || die "no port for replica $id in $CONFIG"
        ! port_in_use "$port" || die "port $port of replica $id is in use by another process"
    done
    # The jar as it is, not rebuilt: a rebuilt one could run other code than the other replicas.
    [ -f "$JAR" ] || die "$JAR is missing; the cluster's replicas ran from it"
    raise_descriptor_limit
    launch_replica "$id"
    pid=$!
    set_pid "$id" "$pid"
    if ! wait_until_ready "$id"; then
        kill -KILL "$pid" 2>/dev/null || true
        die "replica $id did not start, and is not running; see .cluster/logs/replica-$id.log"
    fi
    echo "restarted replica $id (pid $pid; was $old_pid) on .cluster/data/replica-$id, appending to"\
        ".cluster/logs/replica-$id.log"
}

# Replaces line $1 + 1 of .cluster/pids (replica $1's pid) with $2.
set_pid() {
    awk -v line=$(($1 + 1)) -v pid="$2" 'NR == line { $0 = pid } { print }' "$PIDS" >"$PIDS.new"
    mv "$PIDS.new" "$PIDS"
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
        require_cluster
        show_processes
        if [ -z "$(live_pids)" ]; then
            echo "no replica process is left: scripts/cluster.sh restart N starts one again, stop forgets them all"
            exit 1
        fi
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
    pause | resume | kill)
        require_cluster
        check_replica_id
        signal_replica "$COMMAND"
        ;;
    restart)
        require_cluster
        check_replica_id
        restart_replica
        ;;
    -h | --help | help) usage 0 ;;
    *) echo "unknown command: $COMMAND" >&2; usage ;;
esac
