#!/usr/bin/env bash
# Footprint of `sensor-reader run` (issue 7): start to first delivery, resident memory and CPU.
#
#   cli/src/bench/footprint.sh [-d SECONDS] [-s STARTS] [-o OUT] [PROFILE ...]
#
# For each JVM profile (names below; default: all), against the test collector over loopback,
# 20 simulated sensors (10 float, 10 energy) at the 5 s interval:
#   1. STARTS starts (default 3) per profile, the profiles interleaved, one collector per profile;
#      the first in a fresh data folder (it registers and, with a CDS profile, writes the archive at
#      exit), the others in the same folder (token kept, archive used). For each: launch -> the
#      "sampling" log line (ready), launch -> first POST /metrics answered 201 (first delivery).
#      The sampling loop's first tick is the next whole second, so first delivery includes 0-1 s of
#      waiting for it; the table also shows the figure without that wait.
#      -d 0 stops after this part.
#   2. One long run per profile, all profiles side by side, for SECONDS (default 600): VmRSS and
#      VmHWM of the java process at the end, utime+stime at 60 s and at the end (CPU per hour is
#      extrapolated from that window, start-up excluded), readings stored vs. expected.
#
# Needs the distribution (./mvnw -B -q -o package -DskipTests) and exporter-http's test classes.
# JAVA_HOME defaults to Temurin 25. Results: a table on stdout; logs in OUT (default a temp folder).
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

LEAN="-XX:+UseSerialGC -Xmx32m -Xms8m -Xss256k -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=64m"
SMALL="-XX:+UseSerialGC -Xmx16m -Xms4m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=32m -XX:-UsePerfData"
# Profile name -> SENSOR_READER_JAVA_OPTS ("@DATA@" becomes the run's data folder; "unset" keeps
# the launcher's own default).
profile_opts() {
    case $1 in
        launcher) echo "unset" ;;
        jvm-defaults) echo "-Dbench.plain=true" ;;
        cds) echo "$LEAN -XX:SharedArchiveFile=@DATA@/sensor-reader.jsa -XX:+AutoCreateSharedArchive" ;;
        cds-small) echo "-XX:+UseSerialGC -Xmx16m -Xms4m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=32m -XX:-UsePerfData -XX:SharedArchiveFile=@DATA@/sensor-reader.jsa -XX:+AutoCreateSharedArchive" ;;
        cds-trim) echo "-XX:+UseSerialGC -Xmx16m -Xms4m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=32m -XX:-UsePerfData -XX:TrimNativeHeapInterval=10000 -XX:SharedArchiveFile=@DATA@/sensor-reader.jsa -XX:+AutoCreateSharedArchive" ;;
        interp) echo "-XX:+UseSerialGC -Xmx16m -Xms4m -Xss256k -Xint -XX:MaxMetaspaceSize=32m -XX:-UsePerfData -XX:SharedArchiveFile=@DATA@/sensor-reader.jsa -XX:+AutoCreateSharedArchive" ;;
        lean-noshare) echo "$LEAN -Xshare:off" ;;
        lean-c2) echo "-XX:+UseSerialGC -Xmx32m -Xms8m -Xss256k -XX:MaxMetaspaceSize=64m" ;;
        small) echo "$SMALL" ;;
        rec) echo "$LEAN -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData" ;;
        rec-25) echo "$LEAN -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=10000" ;;
        rec-cds) echo "$LEAN -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData -XX:SharedArchiveFile=@DATA@/sensor-reader.jsa -XX:+AutoCreateSharedArchive" ;;
        small-coh) echo "$SMALL -XX:+UseCompactObjectHeaders" ;;
        small-trim) echo "$SMALL -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=10000" ;;
        small-noshare) echo "$SMALL -XX:+UseCompactObjectHeaders -Xshare:off" ;;
        nmt) echo "$LEAN -XX:NativeMemoryTracking=summary" ;;
        classlog) echo "$LEAN -Xlog:class+load=info:file=@DATA@/classes.log" ;;
        *) return 1 ;;
    esac
}
ALL_PROFILES="launcher jvm-defaults cds cds-small cds-trim"
[ $# -gt 0 ] || set -- $ALL_PROFILES
for p in "$@"; do
    profile_opts "$p" >/dev/null || { echo "unknown profile '$p'; known: $ALL_PROFILES interp nmt classlog lean-noshare small small-coh small-trim small-noshare rec rec-25 rec-cds lean-c2" >&2; exit 64; }
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
    opts=${opts//@DATA@/$data}
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
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); logs in $OUT"

# ---- 1. start to first delivery (profiles interleaved, so changing load hits all alike) --------
declare -A SCPID SCURL
for profile in "$@"; do
    rm -rf "$OUT/$profile-start"
    start_collector "$profile-start" --log-arrivals
    SCPID[$profile]=$COLLECTOR_PID
    SCURL[$profile]=$COLLECTOR_URL
done
echo
echo "ready: launch -> the sampling loop runs; tick wait: ready -> the next whole second (the loop's"
echo "first tick); to 201: tick -> the collector answered the first POST /metrics 201; first delivery:"
echo "launch -> that 201 (all in ms)."
echo
echo "| profile | start | ready | tick wait | to 201 | first delivery | first delivery without the tick wait | CDS archive | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $(seq 1 "$STARTS"); do
    for profile in "$@"; do
        run=$OUT/$profile-start
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
        stop_pid "$AGENT_PID"
        ready=$(log_ms "$log" "sampling .* sensors every")
        archive=no
        [ -f "$run/data/sensor-reader.jsa" ] && archive="$(($(stat -c %s "$run/data/sensor-reader.jsa") / 1048576)) MB"
        kind=$([ "$n" -eq 1 ] && echo "fresh" || echo "restart")
        if [ -n "$ready" ] && [ -n "$first" ]; then
            tick=$(( (ready / 1000 + 1) * 1000 ))
            echo "| $profile | $n ($kind) | $((ready - LAUNCHED)) | $((tick - ready)) | $((first - tick)) | $((first - LAUNCHED)) | $((first - LAUNCHED - (tick - ready))) | $archive | $(cut -d' ' -f1 /proc/loadavg) |"
        else
            echo "| $profile | $n ($kind) | ${ready:+$((ready - LAUNCHED))} | ? | ? | ${first:+$((first - LAUNCHED))} | none | $archive | $(cut -d' ' -f1 /proc/loadavg) |"
        fi
    done
done
for profile in "$@"; do
    stop_pid "${SCPID[$profile]}"
done
[ "$DURATION" -gt 0 ] || exit 0

# ---- 2. steady state, all profiles side by side -------------------------------------------------
declare -A JPID CPU60 LAUNCH CPID APID
for profile in "$@"; do
    run=$OUT/$profile-long
    rm -rf "$run"
    [ -f "$OUT/$profile-start/data/sensor-reader.jsa" ] && mkdir -p "$run/data" \
        && cp "$OUT/$profile-start/data/sensor-reader.jsa" "$run/data/"
    start_collector "$profile-long"
    CPID[$profile]=$COLLECTOR_PID
    launch "$profile" "$run/data" "$OUT/$profile-long.agent.log"
    APID[$profile]=$AGENT_PID
    LAUNCH[$profile]=$LAUNCHED
    JPID[$profile]=$(java_pid_of "$AGENT_PID")
done
sleep 60
for profile in "$@"; do
    CPU60[$profile]=$(cpu_ticks "${JPID[$profile]}")
    if [ "$profile" = nmt ]; then
        "$JAVA_HOME/bin/jcmd" "${JPID[$profile]}" VM.native_memory summary >"$OUT/nmt-60s.txt" 2>&1
    fi
done
[ "$DURATION" -gt 60 ] && sleep $((DURATION - 60))

echo
echo "# steady state over $DURATION s (CPU window: 60 s to the end); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| profile | VmRSS (MB) | VmHWM (MB) | CPU total (s) | CPU s/hour (extrapolated) | % of one core | readings stored/expected |"
echo "|---|---|---|---|---|---|---|"
for profile in "$@"; do
    pid=${JPID[$profile]}
    end=$(cpu_ticks "$pid")
    ended=$(now_ms)
    rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info >"$OUT/$profile-heap.txt" 2>&1
    if [ "$profile" = nmt ]; then
        "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary >"$OUT/nmt-end.txt" 2>&1
        "$JAVA_HOME/bin/jcmd" "$pid" VM.classloader_stats >"$OUT/classloader-stats.txt" 2>&1
    fi
    window=$(( (ended - LAUNCH[$profile]) / 1000 - 60 ))
    per_hour=$(awk -v t="$((end - CPU60[$profile]))" -v hz="$HZ" -v w="$window" 'BEGIN { printf "%.1f", t / hz * 3600 / w }')
    pct=$(awk -v s="$per_hour" 'BEGIN { printf "%.3f", s / 36 }')
    total=$(awk -v t="$end" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
    stop_pid "${APID[$profile]}"
    sleep 2.5 # the collector prints its counts every 2 s
    stored=$(grep '^requests' "$OUT/$profile-long.collector.log" | tail -n 1 | sed 's/.*metrics \([0-9]*\),.*/\1/')
    cycles=$(( (ended - LAUNCH[$profile]) / 5000 ))
    stop_pid "${CPID[$profile]}"
    echo "| $profile | $rss | $hwm | $total | $per_hour | $pct | $stored / about $((cycles * 20)) |"
done
