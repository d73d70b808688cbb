#!/usr/bin/env bash
# Drain benchmark (issue 4): cli/src/bench/drain.sh [RUNS [BATCHES [MODE]]]
#   MODE: shipping | breakdown | agent | all (default) | day (BATCHES = cycles of a batch and a status); see DrainBench's javadoc.
#   DRAIN_JAVA_OPTS: JVM flags (default: the launcher's lean profile with a 1 GB heap, since the
#   in-process TestCollector keeps every request and reading in memory).
# Needs: ./mvnw -B -q -o package -DskipTests (the distribution, and the test classes).
set -eu
cd "$(dirname "$0")/../../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DIST=cli/target/sensor-reader-0.1.0-SNAPSHOT
OPTS=${DRAIN_JAVA_OPTS:--XX:+UseSerialGC -Xmx1g -Xss256k -XX:TieredStopAtLevel=1}
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg); JVM: $OPTS"
# shellcheck disable=SC2086 # the options are words on purpose
exec "$JAVA_HOME/bin/java" --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $OPTS \
    -cp "cli/target/test-classes:exporter-http/target/test-classes:$DIST/lib/*" \
    io.sensorreader.cli.bench.DrainBench "$@"
