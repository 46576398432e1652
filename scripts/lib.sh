# Shared by scripts/pbft and scripts/cluster.sh (sourced, not run): where things are, and
# building bench/target/pbft.jar when it is missing or older than a source file.
# Expects SCRIPTS to be set to this directory by the sourcing script.

ROOT="$(cd "$SCRIPTS/.." && pwd)"
JAR="$ROOT/bench/target/pbft.jar"

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# Prints the first source file newer than the jar (nothing if the jar is up to date).
newer_source() {
    find "$ROOT" \( -path "$ROOT/.git" -o -path "$ROOT/.cluster" -o -name target \) -prune -o \
        -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.proto' -o -path '*/src/main/resources/*' \) \
        -newer "$JAR" -print -quit
}

jar_is_stale() {
    [ ! -f "$JAR" ] || [ -n "$(newer_source)" ]
}

# Builds the jar if needed. Concurrent callers wait for one build instead of running two.
ensure_jar() {
    jar_is_stale || return 0
    command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build $JAR"
    local lock="${TMPDIR:-/tmp}/pbft-build-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
    (
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$lock"
            flock 9
        fi
        if jar_is_stale; then
            echo "building $JAR (mvn -B -q package -DskipTests) ..." >&2
            cd "$ROOT" && mvn -B -q package -DskipTests >&2
        fi
    ) || die "the build failed (mvn -B -q package -DskipTests in $ROOT)"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
}
