#!/bin/sh
# Builds the Debian package of sensor-reader from an unpacked distribution.
#
#   build-deb.sh <unpacked-dist-dir> <version> <output.deb | output-folder/>
#
# Given a folder (ending in /), the package is named as Debian names it:
# <folder>/sensor-reader_<debian version>_all.deb (e.g. sensor-reader_0.1.0_all.deb).
# <unpacked-dist-dir> is a sensor-reader-<version>/ folder (bin/sensor-reader, lib/*.jar,
# plugins/, conf/.env.example, conf/sensor_config.yaml). <version> is the project version, e.g.
# 0.1.0 or 0.1.0-SNAPSHOT; the Debian version turns '-' into '~' (0.1.0~SNAPSHOT sorts before
# 0.1.0). Layout of the package (everything root's; nothing the service user can write):
#   /opt/sensor-reader/bin/sensor-reader     the stable launcher (what systemd and root run)
#   /opt/sensor-reader/libexec/release-guard.sh   its version choice and rollback
#   /opt/sensor-reader/versions/<version>/   the packaged distribution
#   /opt/sensor-reader/current               -> versions/<version> (the packaged version)
#   /usr/bin/sensor-reader                   -> /opt/sensor-reader/bin/sensor-reader
#   /usr/share/doc/sensor-reader/copyright   machine-readable (DEP-5)
#   /usr/share/doc/sensor-reader/changelog.gz
#   /usr/share/lintian/overrides/sensor-reader   why /opt (lintian-overrides)
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

[ $# -eq 3 ] || fail 64 "usage: build-deb.sh <unpacked-dist-dir> <version> <output.deb | output-folder/>"
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

case $out in
    */) out=${out}sensor-reader_${deb_version}_all.deb ;;
esac
[ -f "$dist/libexec/release-guard.sh" ] || fail 66 "$dist/libexec/release-guard.sh is missing (the stable launcher needs it)"

unit=$dist/systemd/sensor-reader.service
[ -f "$unit" ] || unit=$here/../dist/systemd/sensor-reader.service
[ -f "$unit" ] || fail 66 "no sensor-reader.service in $dist/systemd or $here/../dist/systemd"

work=$(mktemp -d "${TMPDIR:-/tmp}/build-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
root=$work/root
home=$root/opt/sensor-reader
app=$home/versions/$version

umask 022
mkdir -p "$root/DEBIAN" "$app" "$home/bin" "$home/libexec" "$root/lib/systemd/system" "$root/usr/bin" \
    "$root/usr/share/sensor-reader" "$root/usr/share/doc/sensor-reader" "$root/etc/sensor-reader"
cp -R "$dist/." "$app/"
# The stable launcher: the distribution's own launcher and guard, in the root-owned install root.
cp "$dist/bin/sensor-reader" "$home/bin/sensor-reader"
cp "$dist/libexec/release-guard.sh" "$home/libexec/release-guard.sh"
ln -s "versions/$version" "$home/current"
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
ln -s /opt/sensor-reader/bin/sensor-reader "$root/usr/bin/sensor-reader"
mkdir -p "$root/usr/share/lintian/overrides"
cp "$here/lintian-overrides" "$root/usr/share/lintian/overrides/sensor-reader"
sed -e "s/@YEAR@/$(date -u ${SOURCE_DATE_EPOCH:+-d @$SOURCE_DATE_EPOCH} +%Y)/g" "$here/copyright" \
    > "$root/usr/share/doc/sensor-reader/copyright"
changelog_date=$(LC_ALL=C date -u -R ${SOURCE_DATE_EPOCH:+-d @$SOURCE_DATE_EPOCH})
printf '%s\n' "sensor-reader ($deb_version) stable; urgency=medium" "" \
    "  * Built from the sensor-reader sources; see the project's history for changes." "" \
    " -- sensor-reader maintainers <sensor-reader@example.invalid>  $changelog_date" \
    | gzip -9n > "$root/usr/share/doc/sensor-reader/changelog.gz"

find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
find "$app/bin" "$home/bin" -type f -exec chmod 0755 {} +

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
