#!/usr/bin/env bash
# Footprint of `sensor-reader run` (issues 7 and 15): start-up, resident memory, CPU, threads and
# the classes loaded, by library.
#
#   cli/src/bench/footprint.sh [-d SECONDS] [-s STARTS] [-o OUT] [PROFILE ...]
#
# For each JVM profile (names below; default: launcher), against the test collector over loopback,
# 20 simulated sensors (10 float, 10 energy) at the 5 s interval:
#   1. STARTS starts (default 3) per profile, the profiles interleaved, one collector per profile;
#      the first in a fresh data folder (a new device: it registers first; with the launcher's
#      class-data sharing it also writes the archive 60 s after the start, so that first run is
#      kept until the archive is there), the others in the same folder (token and archive kept).
#      For each: spawn -> the "sampling" log line (ready), spawn -> the collector's first 201 on
#      POST /metrics (first reading stored). One more start follows without the token (the device
#      registers again, with the archive and the sensor-file cache of the earlier starts). The
#      collector is warmed up first by another device (30 requests): a real one has long been
#      running, and the test collector's own first requests take about 0.1 s. -d 0 stops after this part.
#   2. One long run per profile, all profiles side by side, for SECONDS (default 600), in a copy of
#      the start-up data folder (token and archive): VmRSS at 60 s and at the end, VmHWM, threads
#      at 60 s and at the end (names in OUT/PROFILE-threads.txt), CPU (utime+stime) per minute
#      from 60 s to the end, readings stored vs. expected; then the loaded classes by library
#      (jcmd VM.class_hierarchy, after the other figures: the attach adds a thread).
#
# Needs the distribution (./mvnw -B -q -o package -DskipTests) and exporter-http's test classes.
# JAVA_HOME defaults to Temurin 25. Results: tables on stdout; logs in OUT (default a temp folder).
set -u

cd "$(dirname "$0")/../../.." || exit 1
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DIST=${DIST:-$ROOT/cli/target/sensor-reader-0.1.0-SNAPSHOT}
COLLECTOR_CP=${COLLECTOR_CP:-"$ROOT/exporter-http/target/test-classes:$DIST/lib/*"}

DURATION=600
STARTS=3
OUT=
while getopts "d:s:o:" opt; do
    case $opt in
        d) DURATION=$OPTARG ;;
        s) STARTS=$OPTARG ;;
        o) OUT=$OPTARG ;;
        *) echo "usage: $0 [-d SECONDS] [-s STARTS] [-o OUT] [PROFILE ...]" >&2; exit 64 ;;
    esac
done
shift $((OPTIND - 1))
OUT=${OUT:-$(mktemp -d /tmp/footprint.XXXXXX)}
mkdir -p "$OUT"

# The launcher's profile before issue 15, and its pieces.
OLD="-XX:+UseSerialGC -Xmx32m -Xms8m -Xss256k -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=64m"
NEW="$OLD -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:-UsePerfData -XX:TrimNativeHeapInterval=5000"
# Profile name -> SENSOR_READER_JAVA_OPTS ("unset" keeps the launcher's own default).
profile_opts() {
    case $1 in
        launcher | nocds | arena2) echo "unset" ;;
        old-flags) echo "$OLD" ;;
        no-trim) echo "$OLD -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:-UsePerfData" ;;
        heap16) echo "${NEW/-Xmx32m/-Xmx16m}" ;;
        heap-free) echo "$NEW -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20" ;;
        jvm-defaults) echo "-Dbench.plain=true" ;;
        nmt) echo "$NEW -XX:NativeMemoryTracking=summary" ;;
        *) return 1 ;;
    esac
}
# Profile name -> extra environment of the agent.
profile_env() {
    case $1 in
        nocds) echo "SENSOR_READER_CDS=off" ;;
        arena2) echo "MALLOC_ARENA_MAX=2" ;;
        *) echo "" ;;
    esac
}
KNOWN="launcher nocds arena2 old-flags no-trim heap16 heap-free jvm-defaults nmt"
[ $# -gt 0 ] || set -- launcher
for p in "$@"; do
    profile_opts "$p" >/dev/null || { echo "unknown profile '$p'; known: $KNOWN" >&2; exit 64; }
done

now_ms() { date +%s%3N; }

# start_collector NAME [--log-arrivals]: starts a test collector, sets COLLECTOR_PID and COLLECTOR_URL.
start_collector() {
    local log=$OUT/$1.collector.log arrivals=${2:-}
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$COLLECTOR_CP" \
        io.sensorreader.http.TestCollectorMain $arrivals 0 >"$log" 2>&1 &
    COLLECTOR_PID=$!
    COLLECTOR_URL=
    for _ in $(seq 1 200); do
        COLLECTOR_URL=$(sed -n 's/^test collector on //p' "$log")
        [ -n "$COLLECTOR_URL" ] && return 0
        sleep 0.05
    done
    echo "the test collector did not start; see $log" >&2
    exit 1
}

# warm_collector URL: the test collector is a JVM too, and its first requests are slow (about 0.1 s
# for the first POST /metrics): a real collector has long been running. 30 warm-up requests from
# another device, so that the timed starts measure the agent, not the collector's warm-up.
warm_collector() {
    local url=$1 token i
    token=$(curl -s -m 5 -H 'Content-Type: application/json' -d '{"id": "warm-up", "description": "warm-up"}' \
        "$url/devices" | sed -n 's/.*"token": *"\([0-9a-f]*\)".*/\1/p')
    [ -n "$token" ] || { echo "the test collector did not register the warm-up device" >&2; return 1; }
    for i in $(seq 1 15); do
        curl -s -m 5 -o /dev/null -H 'Content-Type: application/json' -H "X-API-KEY: $token" -d \
            "[{\"id\": \"warm-up_float_$i\", \"description\": \"FloatSensor: warm-up\", \"value\": 1.0, \"timestamp\": $(date +%s)}]" \
            "$url/metrics"
        curl -s -m 5 -o /dev/null -H 'Content-Type: application/json' -H "X-API-KEY: $token" -d \
            "{\"timestamp\": $(date +%s), \"metrics\": {\"cpu_usage_percent\": 1.0}}" "$url/devices/status"
    done
}

write_sensors() {
    local file=$1 pin=2
    echo "sensors:" >"$file"
    for i in $(seq 1 10); do
        printf '  - id: bench-pi_float_%d\n    type: float\n    description: Bench float %d\n    pin: %d\n' \
            "$i" "$i" "$pin" >>"$file"
        pin=$((pin + 1))
    done
    for i in $(seq 1 10); do
        printf '  - id: bench-pi_energy_%d\n    type: energy\n    description: Bench energy %d\n    pin: %d\n' \
            "$i" "$i" "$pin" >>"$file"
        pin=$((pin + 1))
    done
}

# launch PROFILE DATA LOG: starts bin/sensor-reader run; sets AGENT_PID (the launcher) and LAUNCHED (ms).
launch() {
    local profile=$1 data=$2 log=$3 opts
    opts=$(profile_opts "$profile")
    mkdir -p "$data"
    write_sensors "$data/../sensor_config.yaml"
    LAUNCHED=$(now_ms)
    (
        cd "$data/.." || exit 1
        export SENSOR_READER_DEVICE_ID=bench-pi SENSOR_READER_COLLECTOR_HOST=$COLLECTOR_URL \
            SENSOR_READER_DATA_DIR=$data SENSOR_READER_SENSOR_CONFIG=$data/../sensor_config.yaml
        if [ "$opts" != unset ]; then
            export SENSOR_READER_JAVA_OPTS=$opts
        fi
        for kv in $(profile_env "$profile"); do
            export "${kv?}"
        done
        exec "$DIST/bin/sensor-reader" run
    ) >"$log" 2>&1 &
    AGENT_PID=$!
}

java_pid_of() {
    local pid
    for _ in $(seq 1 100); do
        pid=$(pgrep -P "$1" java | head -n 1)
        [ -n "$pid" ] && { echo "$pid"; return 0; }
        sleep 0.02
    done
    return 1
}

stop_pid() {
    kill -TERM "$1" 2>/dev/null
    for _ in $(seq 1 100); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -KILL "$1" 2>/dev/null
}

log_ms() { # the epoch ms of the first log line matching $2 in $1
    local stamp
    stamp=$(grep -m 1 "$2" "$1" | cut -c1-23 | tr ',' '.')
    [ -n "$stamp" ] && date -d "$stamp" +%s%3N
}

cpu_ticks() { # utime + stime of a pid, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null
}

HZ=$(getconf CLK_TCK)
echo "# footprint $(date -u +%FT%TZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); logs in $OUT; profiles: $*"

# classes PID: the loaded classes by library, one table row after the profile's name.
LIBS="Jackson snakeyaml TLS+crypto JDK-HTTP-client jnr-ffi/jffi/ASM lmdbjava Pi4J picocli logback slf4j java-jwt XML agent JDK-rest"
classes() {
    "$JAVA_HOME/bin/jcmd" "$1" VM.class_hierarchy 2>/dev/null | sed -n 's/^[| -]*\([^/ ]*\)\/.*/\1/p' | awk -v libs="$LIBS" '
        function lib(c) {
            if (c ~ /^com\.fasterxml\.jackson\./) return "Jackson"
            if (c ~ /^org\.yaml\.snakeyaml\./) return "snakeyaml"
            if (c ~ /^(sun\.security\.|javax\.net\.|javax\.crypto\.|com\.sun\.crypto\.|javax\.security\.|java\.security\.|sun\.net\.www\.protocol\.https)/) return "TLS+crypto"
            if (c ~ /^(jdk\.internal\.net\.http\.|java\.net\.http\.)/) return "JDK-HTTP-client"
            if (c ~ /^(jnr\.|com\.kenai\.jffi\.|org\.objectweb\.asm\.)/) return "jnr-ffi/jffi/ASM"
            if (c ~ /^org\.lmdbjava\./) return "lmdbjava"
            if (c ~ /^com\.pi4j\./) return "Pi4J"
            if (c ~ /^picocli\./) return "picocli"
            if (c ~ /^ch\.qos\.logback\./) return "logback"
            if (c ~ /^org\.slf4j\./) return "slf4j"
            if (c ~ /^com\.auth0\./) return "java-jwt"
            if (c ~ /^(javax\.xml\.|org\.xml\.|org\.w3c\.|com\.sun\.org\.apache\.|jdk\.xml\.)/) return "XML"
            if (c ~ /^io\.sensorreader\./) return "agent"
            return "JDK-rest"
        }
        { n[lib($0)]++; total++ }
        END { printf "%d", total; k = split(libs, l, " "); for (i = 1; i <= k; i++) printf " | %d", n[l[i]] + 0; printf "\n" }'
}

archive_of() { # the launcher's class-data-sharing archive in a data folder, if any
    ls "$1"/sensor-reader-*.jsa 2>/dev/null | head -n 1
}

# ---- 1. start-up (profiles interleaved, so changing load hits all alike) ------------------------
declare -A SCPID SCURL
for profile in "$@"; do
    rm -rf "$OUT/$profile-start"
    start_collector "$profile-start" --log-arrivals
    warm_collector "$COLLECTOR_URL" || exit 1
    SCPID[$profile]=$COLLECTOR_PID
    SCURL[$profile]=$COLLECTOR_URL
done
echo
echo "ready: spawn -> the sampling loop runs; first reading stored: spawn -> the collector answered the"
echo "first POST /metrics 201 (ms). Start 1 is a new device (it registers first), the others restarts."
echo
echo "| profile | start | ready | first reading stored | CDS archive | load |"
echo "|---|---|---|---|---|---|"
for n in $(seq 1 $((STARTS + 1))); do
    for profile in "$@"; do
        run=$OUT/$profile-start
        if [ "$n" -gt "$STARTS" ]; then
            rm -f "$run/data/token" # the last start registers again, on an installation already used
        fi
        COLLECTOR_URL=${SCURL[$profile]}
        clog=$OUT/$profile-start.collector.log
        log=$OUT/$profile-start-$n.agent.log
        before=$(grep -c '^/metrics 201' "$clog")
        launch "$profile" "$run/data" "$log"
        first=
        for _ in $(seq 1 1000); do
            first=$(grep '^/metrics 201' "$clog" | sed -n "$((before + 1))s/.* at //p")
            [ -n "$first" ] && break
            kill -0 "$AGENT_PID" 2>/dev/null || break
            sleep 0.02
        done
        load=$(cut -d' ' -f1 /proc/loadavg)
        had=$(archive_of "$run/data")
        if [ "$n" -eq 1 ] && [ -z "$had" ] && [ "$(profile_env "$profile")" != SENSOR_READER_CDS=off ]; then
            # The launcher writes the archive 60 s after a start without one: wait for it.
            for _ in $(seq 1 180); do
                [ -n "$(archive_of "$run/data")" ] && break
                sleep 1
            done
        fi
        stop_pid "$AGENT_PID"
        ready=$(log_ms "$log" "sampling .* sensors every")
        archive=no
        [ -n "$had" ] && archive="used, $(($(stat -c %s "$had") / 1048576)) MB"
        [ -z "$had" ] && [ -n "$(archive_of "$run/data")" ] && archive="written after 60 s, $(($(stat -c %s "$(archive_of "$run/data")") / 1048576)) MB"
        kind=restart
        [ "$n" -eq 1 ] && kind="new device"
        [ "$n" -gt "$STARTS" ] && kind="registers again: token removed, archive and sensor-file cache kept"
        echo "| $profile | $n ($kind) | ${ready:+$((ready - LAUNCHED))} | ${first:+$((first - LAUNCHED))} | $archive | $load |"
    done
done
for profile in "$@"; do
    stop_pid "${SCPID[$profile]}"
done
[ "$DURATION" -gt 0 ] || exit 0

# ---- 2. steady state, all profiles side by side -------------------------------------------------
declare -A JPID CPU60 RSS60 THR60 LAUNCH CPID APID
for profile in "$@"; do
    run=$OUT/$profile-long
    rm -rf "$run"
    mkdir -p "$run"
    cp -r "$OUT/$profile-start/data" "$run/data"
    rm -rf "$run/data/data.lmdb"
    start_collector "$profile-long"
    CPID[$profile]=$COLLECTOR_PID
    launch "$profile" "$run/data" "$OUT/$profile-long.agent.log"
    APID[$profile]=$AGENT_PID
    LAUNCH[$profile]=$LAUNCHED
    JPID[$profile]=$(java_pid_of "$AGENT_PID")
done
sleep 60
for profile in "$@"; do
    pid=${JPID[$profile]}
    CPU60[$profile]=$(cpu_ticks "$pid")
    RSS60[$profile]=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    THR60[$profile]=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
    if [ "$profile" = nmt ]; then
        "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary >"$OUT/nmt-60s.txt" 2>&1
    fi
done
[ "$DURATION" -gt 60 ] && sleep $((DURATION - 60))

echo
echo "# steady state over $DURATION s (CPU window: 60 s to the end); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| profile | VmRSS 60 s (MB) | VmRSS end (MB) | VmHWM (MB) | CPU s/min | threads 60 s / end | readings stored/expected |"
echo "|---|---|---|---|---|---|---|"
declare -A CLASSES
for profile in "$@"; do
    pid=${JPID[$profile]}
    end=$(cpu_ticks "$pid")
    ended=$(now_ms)
    rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    threads=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
    cat /proc/"$pid"/task/*/comm | sort | uniq -c >"$OUT/$profile-threads.txt"
    window=$(( (ended - LAUNCH[$profile]) / 1000 - 60 ))
    per_min=$(awk -v t="$((end - CPU60[$profile]))" -v hz="$HZ" -v w="$window" 'BEGIN { printf "%.3f", t / hz * 60 / w }')
    CLASSES[$profile]=$(classes "$pid")
    "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info >"$OUT/$profile-heap.txt" 2>&1
    if [ "$profile" = nmt ]; then
        "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary >"$OUT/nmt-end.txt" 2>&1
    fi
    stop_pid "${APID[$profile]}"
    sleep 2.5 # the collector prints its counts every 2 s
    stored=$(grep '^requests' "$OUT/$profile-long.collector.log" | tail -n 1 | sed 's/.*metrics \([0-9]*\),.*/\1/')
    cycles=$(( (ended - LAUNCH[$profile]) / 5000 ))
    stop_pid "${CPID[$profile]}"
    echo "| $profile | ${RSS60[$profile]} | $rss | $hwm | $per_min | ${THR60[$profile]} / $threads | $stored / about $((cycles * 20)) |"
done

echo
echo "# loaded classes at the end, by library (package prefixes; JDK-rest is the rest of the JDK)"
echo "| profile | total | ${LIBS// / | } |"
echo "|---|---|$(for _ in $LIBS; do printf -- '---|'; done)"
for profile in "$@"; do
    echo "| $profile | ${CLASSES[$profile]} |"
done
