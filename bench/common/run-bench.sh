#!/usr/bin/env bash
# Sourced by bench/<name>/run: builds the project if needed, compiles bench/common and bench/<name> against the local
# module's class path (plus BENCH_EXTRA_CP, if set), and runs MAIN with the arguments. The common request tally is an SDK global interceptor, so
# its registration file (common/resources) goes on the class path too.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
. "$ROOT/.mvn/find-jdk.sh"
cd "$ROOT"
if [ ! -f modules/local/target/local.jar ] || [ ! -d modules/local/target/lib ]; then
  echo "building the project first ..." >&2
  ./mvnw -B -q -Dmaven.test.skip=true package >&2
fi
CP="modules/local/target/local.jar:modules/local/target/lib/*${BENCH_EXTRA_CP:+:$BENCH_EXTRA_CP}"
OUT="target/bench/$BENCH_NAME"
rm -rf "$OUT" && mkdir -p "$OUT"
"$JAVA_HOME/bin/javac" -nowarn --release 21 -cp "$CP" -d "$OUT" bench/common/bench/*.java "bench/$BENCH_NAME"/*.java 2>&1 \
  | grep -v '^Note: ' >&2 || true
EXTRA=()
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then read -r -a EXTRA <<<"$BENCH_JAVA_OPTS"; fi
# Handlers log at warn only (their info lines per job would be most of the work), the figures go to stdout.
export PIPELINE_LOG_LEVEL=${PIPELINE_LOG_LEVEL:-warn}
exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED ${EXTRA[@]+"${EXTRA[@]}"} \
  -cp "$OUT:bench/common/resources:$CP" "$MAIN" "$@"
