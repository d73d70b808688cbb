#!/bin/sh
# Builds the Debian package of sensor-reader from an unpacked distribution.
#
#   build-deb.sh <unpacked-dist-dir> <version> <output.deb>
#
# <unpacked-dist-dir> is a sensor-reader-<version>/ folder (bin/sensor-reader, lib/*.jar,
# plugins/, conf/.env.example, conf/sensor_config.yaml). <version> is the project version, e.g.
# 0.1.0 or 0.1.0-SNAPSHOT; the Debian version turns '-' into '~' (0.1.0~SNAPSHOT sorts before
# 0.1.0). Layout of the package:
#   /opt/sensor-reader/versions/<version>/   the distribution (root's, read-only to the agent)
#   /opt/sensor-reader/current               -> versions/<version>, made by postinst
#   /usr/bin/sensor-reader                   -> /opt/sensor-reader/current/bin/sensor-reader
#   /lib/systemd/system/sensor-reader.service
#   /etc/sensor-reader/sensor_config.yaml    conffile, from conf/sensor_config.yaml
#   /usr/share/sensor-reader/sensor-reader.env.example   copied to /etc by postinst if absent
#   /usr/share/doc/sensor-reader/deployment.md
# Needs dpkg-deb (Debian's dpkg). SOURCE_DATE_EPOCH, when set, fixes every file's time.
# Exit codes: 0 built, 64 usage, 66 the distribution is incomplete, 69 dpkg-deb is missing.
set -eu

fail() {
    code=$1
    shift
    echo "build-deb: $*" >&2
    exit "$code"
}

[ $# -eq 3 ] || fail 64 "usage: build-deb.sh <unpacked-dist-dir> <version> <output.deb>"
dist=$1
version=$2
out=$3
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH='' cd -- "$here/../../.." && pwd)

command -v dpkg-deb >/dev/null || fail 69 "dpkg-deb not found; install Debian's dpkg (apt-get install dpkg)"
[ -d "$dist" ] || fail 66 "$dist is not a folder; expected an unpacked sensor-reader-<version>/ distribution"
[ -x "$dist/bin/sensor-reader" ] || fail 66 "$dist/bin/sensor-reader is missing or not executable"
set -- "$dist"/lib/*.jar
[ -f "$1" ] || fail 66 "$dist/lib holds no jar; expected the agent's jars"
for f in conf/.env.example conf/sensor_config.yaml; do
    [ -f "$dist/$f" ] || fail 66 "$dist/$f is missing"
done
case $version in
    '' | */* | .* ) fail 64 "version '$version' cannot name a folder; expected e.g. 0.1.0 or 0.1.0-SNAPSHOT" ;;
esac
deb_version=$(printf '%s' "$version" | sed -e 's/^v//' -e 's/-/~/g')
if command -v dpkg >/dev/null && ! dpkg --validate-version "$deb_version" 2>/dev/null; then
    fail 64 "version '$version' gives the Debian version '$deb_version', which dpkg refuses; expected digits first, e.g. 0.1.0"
fi

unit=$dist/systemd/sensor-reader.service
[ -f "$unit" ] || unit=$here/../dist/systemd/sensor-reader.service
[ -f "$unit" ] || fail 66 "no sensor-reader.service in $dist/systemd or $here/../dist/systemd"

work=$(mktemp -d "${TMPDIR:-/tmp}/build-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
root=$work/root
app=$root/opt/sensor-reader/versions/$version

umask 022
mkdir -p "$root/DEBIAN" "$app" "$root/lib/systemd/system" "$root/usr/bin" \
    "$root/usr/share/sensor-reader" "$root/usr/share/doc/sensor-reader" "$root/etc/sensor-reader"
cp -R "$dist/." "$app/"
# A .env with real settings (a token) must never ship, nor a state or spool from a trial run.
rm -f "$app/conf/.env" "$app/.env" "$app/state.json"
rm -rf "$app/data.lmdb"
cp "$unit" "$root/lib/systemd/system/sensor-reader.service"
{
    cat "$dist/conf/.env.example"
    cat <<'PACKAGED'

# Installed by the package: the service's folders. Every sensor-reader command reads this file
# (bin/sensor-reader sets SENSOR_READER_ENV_FILE), so `sudo sensor-reader register` stores the
# token where the service looks for it.
SENSOR_READER_DATA_DIR=/var/lib/sensor-reader
SENSOR_READER_SENSOR_CONFIG=/etc/sensor-reader/sensor_config.yaml
SENSOR_READER_PLUGINS_DIR=/var/lib/sensor-reader/plugins
PACKAGED
} >"$root/usr/share/sensor-reader/sensor-reader.env.example"
cp "$dist/conf/sensor_config.yaml" "$root/etc/sensor-reader/sensor_config.yaml"
if [ -f "$repo/docs/deployment.md" ]; then
    cp "$repo/docs/deployment.md" "$root/usr/share/doc/sensor-reader/deployment.md"
fi
ln -s /opt/sensor-reader/current/bin/sensor-reader "$root/usr/bin/sensor-reader"

find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
find "$app/bin" -type f -exec chmod 0755 {} +

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@DEB_VERSION@/$deb_version/g" -e "s/@INSTALLED_SIZE@/$installed_size/g" \
    "$here/control" > "$root/DEBIAN/control"
cp "$here/conffiles" "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    sed -e "s/@VERSION@/$version/g" -e "s/@DEB_VERSION@/$deb_version/g" "$here/$script" > "$root/DEBIAN/$script"
    chmod 0755 "$root/DEBIAN/$script"
done
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
fi

mkdir -p "$(dirname -- "$out")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "build-deb: $out (sensor-reader $deb_version, $installed_size KiB installed)"
