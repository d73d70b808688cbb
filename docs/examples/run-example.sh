#!/usr/bin/env bash
# Builds the example plugin offline against the sensor-api in the local Maven repository (put there by
# `./mvnw install`), drops it into a plugins folder and runs the distribution once in a dry run on the
# example's sensor file. Fails unless the example's reading is printed. Run from the repository root.
set -euo pipefail
example=docs/examples/acme-tide
./mvnw -B -q -o -f "$example/pom.xml" package
dist=$(ls -d cli/target/sensor-reader-*/ | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/plugins"
cp "$example"/target/acme-tide-*.jar "$work/plugins/"
out=$(cd "$work" && SENSOR_READER_PLUGINS_DIR="$work/plugins" \
    SENSOR_READER_SENSOR_CONFIG="$OLDPWD/$example/sensor_config.yaml" \
    SENSOR_READER_DEVICE_ID=ci-example "$OLDPWD/${dist}bin/sensor-reader" run --once --dry-run 2>&1)
echo "$out"
grep -q '"id": "harbour_tide"' <<<"$out" || { echo "the example plugin's reading is missing" >&2; exit 1; }
echo "example plugin: OK"
