#!/bin/sh
# Tests build-deb.sh and verify-deb.sh against a fake distribution (a launcher script that only
# runs "java -version" and waits for SIGTERM, and one jar), so that the packaging can be checked
# before, and independently of, the real distribution.
#
#   selftest.sh            exit 0 when the fake package builds and verifies
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/deb-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
dist=$work/sensor-reader-9.8.7-SNAPSHOT
mkdir -p "$dist/bin" "$dist/lib" "$dist/plugins" "$dist/conf" "$dist/libexec" "$work/jar"
cp "$here/../dist/libexec/release-guard.sh" "$dist/libexec/"

cat >"$dist/bin/sensor-reader" <<'LAUNCHER'
#!/bin/sh
# Fake launcher: finds its home through symbolic links, as the real one must.
set -eu
home=$(dirname "$(dirname "$(readlink -f "$0")")")
if [ ! -d "$home/lib" ]; then
    # The stable launcher's role: the real guard picks the version (and drops root).
    GUARD_STABLE=$home
    . "$home/libexec/release-guard.sh"
    guard_main "$@"
fi
[ -f "$home/lib/fake.jar" ] || { echo "fake launcher: no $home/lib/fake.jar" >&2; exit 70; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ "$1" = status ] && { echo "fake launcher: status"; exit 0; }
if [ "$1" = spool ]; then
    # As the agent would: the service's settings file names the data folder.
    [ -n "${SENSOR_READER_ENV_FILE:-}" ] && . "$SENSOR_READER_ENV_FILE"
    mkdir -p "$SENSOR_READER_DATA_DIR/data.lmdb" && : > "$SENSOR_READER_DATA_DIR/data.lmdb/data.mdb"
    echo "spool:        $SENSOR_READER_DATA_DIR/data.lmdb"
    exit 0
fi
[ "$1" = run ] || { echo "fake launcher: usage: sensor-reader run [--once] [--dry-run]" >&2; exit 64; }
[ -w "$SENSOR_READER_DATA_DIR" ] || { echo "fake launcher: cannot write $SENSOR_READER_DATA_DIR" >&2; exit 78; }
[ -r "$SENSOR_READER_SENSOR_CONFIG" ] || { echo "fake launcher: cannot read $SENSOR_READER_SENSOR_CONFIG" >&2; exit 78; }
"$java" -Xshare:auto -version 2>&1 | head -n 1
case " $* " in
    *" --once "*) echo "fake launcher: one cycle"; exit 0 ;;
esac
trap 'echo "fake launcher: stopping"; exit 0' TERM INT
while :; do sleep 1; done
LAUNCHER
chmod 0755 "$dist/bin/sensor-reader"
echo 'fake' >"$work/jar/fake.txt"
(cd "$work/jar" && "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jar" cf "$dist/lib/fake.jar" fake.txt)
printf '%s\n' '# sensor-reader settings' 'SENSOR_READER_COLLECTOR_HOST=http://localhost:8000' \
    'SENSOR_READER_DEVICE_ID=selftest' >"$dist/conf/.env.example"
printf '%s\n' 'sensors:' '  io:' '    float_sensors: []' >"$dist/conf/sensor_config.yaml"
# Must never reach the package.
echo 'SENSOR_READER_TOKEN=do-not-ship' >"$dist/conf/.env"

sh "$here/build-deb.sh" "$dist" 9.8.7-SNAPSHOT "$work/out/"
sh "$here/verify-deb.sh" "$work/out/sensor-reader_9.8.7~SNAPSHOT_all.deb"
