#!/bin/sh
# Verifies a sensor-reader Debian package, for real:
#
#   verify-deb.sh <file.deb>
#
# 1. Static: control fields, conffiles, contents, owners and modes, maintainer script syntax, the
#    file name, the machine-readable copyright file, lintian (where installed: no error).
# 2. Live, in a throwaway root: a copy-on-write overlay of this machine's own root file system
#    (so dpkg, useradd and java are the real ones), in a private mount namespace that vanishes
#    when the script ends; nothing on the machine changes. Inside it: dpkg -i (users, folders,
#    settings file, current link, enabled unit, everything under /opt root's), a script planted in
#    the service user's release root run by a root command (it must run as the user), the agent
#    started as the sensor-reader user
#    ("run --once --dry-run", then "run --dry-run" stopped with SIGTERM), a reinstall that keeps
#    the settings, dpkg -r (settings and data kept), dpkg -P (everything gone).
# Needs root, unshare(1) and overlayfs (as on this project's machines and CI), and a Java 21+
# for the agent: JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH.
# Exit codes: 0 all checks passed, 1 a check failed, 64 usage, 69 cannot set up the root.
set -eu

fail_count=0
check_count=0

ok() {
    check_count=$((check_count + 1))
}

bad() {
    check_count=$((check_count + 1))
    fail_count=$((fail_count + 1))
    echo "verify-deb: FAIL: $*" >&2
}

# expect <description> <expected> <actual>
expect() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi
}

# holds <description> <command...>: the command succeeds; its output is shown when it fails
holds() {
    what=$1
    shift
    if output=$("$@" 2>&1); then ok; else bad "$what: $output"; fi
}

if [ "${1:-}" = --inside ]; then
    inside=1
    shift
else
    inside=0
fi
[ $# -eq 1 ] || { echo "usage: verify-deb.sh <file.deb>" >&2; exit 64; }
deb=$(CDPATH='' cd -- "$(dirname -- "$1")" && pwd)/$(basename -- "$1")
[ -f "$deb" ] || { echo "verify-deb: $1 does not exist" >&2; exit 64; }

static_checks() {
    expect "Package" sensor-reader "$(dpkg-deb --field "$deb" Package)"
    expect "Architecture" all "$(dpkg-deb --field "$deb" Architecture)"
    version=$(dpkg-deb --field "$deb" Version)
    holds "Version '$version' is a valid Debian version" dpkg --validate-version "$version"
    case $(dpkg-deb --field "$deb" Depends) in
        *openjdk-21-jre-headless*temurin-21-jre*) ok ;;
        *) bad "Depends names no Java 21 runtime" ;;
    esac

    ctrl=$(dpkg-deb --ctrl-tarfile "$deb" | tar -tvf -)
    expect "conffiles" /etc/sensor-reader/sensor_config.yaml \
        "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)"
    for script in postinst prerm postrm; do
        case $ctrl in
            *"-rwxr-xr-x root/root"*" ./$script"*) ok ;;
            *) bad "DEBIAN/$script missing or not 0755 root/root" ;;
        esac
        if dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - "./$script" | sh -n; then ok; else bad "$script: sh -n fails"; fi
        if dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - "./$script" | grep -q '@[A-Z_]*@'; then
            bad "$script has an unreplaced @PLACEHOLDER@"
        else
            ok
        fi
    done

    contents=$(dpkg-deb --contents "$deb")
    others=$(printf '%s\n' "$contents" | awk '$2 != "root/root"' | head -n 3)
    expect "entries not owned by root/root" "" "$others"
    writable=$(printf '%s\n' "$contents" | awk '(substr($1, 9, 1) == "w" || substr($1, 6, 1) == "w") && substr($1, 1, 1) != "l"' | head -n 3)
    expect "group- or world-writable entries" "" "$writable"
    # One version folder; the launcher executable; jars; the unit; the links; the settings files.
    app=$(printf '%s\n' "$contents" | sed -n 's,.* \./opt/sensor-reader/versions/\([^/]*\)/bin/sensor-reader$,\1,p')
    if [ -n "$app" ]; then ok; else bad "no ./opt/sensor-reader/versions/<version>/bin/sensor-reader"; fi
    for entry in \
        "-rwxr-xr-x ./opt/sensor-reader/bin/sensor-reader" \
        "-rw-r--r-- ./opt/sensor-reader/libexec/release-guard.sh" \
        "lrwxrwxrwx ./opt/sensor-reader/current -> versions/$app" \
        "-rw-r--r-- ./usr/share/doc/sensor-reader/copyright" \
        "-rw-r--r-- ./usr/share/doc/sensor-reader/changelog.gz" \
        "-rw-r--r-- ./usr/share/lintian/overrides/sensor-reader" \
        "-rwxr-xr-x ./opt/sensor-reader/versions/$app/bin/sensor-reader" \
        "drwxr-xr-x ./opt/sensor-reader/versions/$app/plugins/" \
        "-rw-r--r-- ./lib/systemd/system/sensor-reader.service" \
        "-rw-r--r-- ./etc/sensor-reader/sensor_config.yaml" \
        "-rw-r--r-- ./usr/share/sensor-reader/sensor-reader.env.example" \
        "lrwxrwxrwx ./usr/bin/sensor-reader -> /opt/sensor-reader/bin/sensor-reader"; do
        mode=${entry%% *}
        path=${entry#* }
        if printf '%s\n' "$contents" | awk -v m="$mode" -v p="$path" \
            '{ line = $6; for (i = 7; i <= NF; i++) line = line " " $i } $1 == m && line == p { found = 1 } END { exit !found }'; then
            ok
        else
            bad "package lacks '$path' with mode $mode"
        fi
    done
    if printf '%s\n' "$contents" | grep -q "\./opt/sensor-reader/versions/$app/lib/.*\.jar$"; then ok; else bad "no jar in lib/"; fi
    if dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/doc/sensor-reader/copyright \
        | head -n 1 | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'; then
        ok
    else
        bad "usr/share/doc/sensor-reader/copyright is not machine-readable (no DEP-5 Format: line)"
    fi
    expect "package file name" "sensor-reader_${version}_all.deb" "$(basename "$deb")"
    # Debian's package checker, where installed (CI installs it): no error.
    if command -v lintian >/dev/null; then
        if lintian --fail-on error "$deb" >"${TMPDIR:-/tmp}/verify-deb-lintian.$$" 2>&1; then
            ok
        else
            bad "lintian reports errors: $(grep '^E:' "${TMPDIR:-/tmp}/verify-deb-lintian.$$" | head -n 5)"
        fi
        rm -f "${TMPDIR:-/tmp}/verify-deb-lintian.$$"
    else
        echo "verify-deb: lintian not installed; its check was skipped (apt-get install lintian)"
    fi
    if printf '%s\n' "$contents" | grep -Eq '/\.env$|/state\.json$|/data\.lmdb'; then
        bad "package holds a .env, state.json or data.lmdb"
    else
        ok
    fi
}

java_home() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        echo "$JAVA_HOME"
    elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
        echo /usr/lib/jvm/temurin-25-jdk-amd64
    else
        dirname "$(dirname "$(readlink -f "$(command -v java)")")"
    fi
}

# agent_shell <command>: a shell command line that runs <command> with the settings the unit
# gives (its Environment= lines, then the env file), in the data folder.
agent_shell() {
    echo "export PATH=/usr/bin:/bin HOME=/var/lib/sensor-reader JAVA_HOME='$jh'
        export SENSOR_READER_DATA_DIR=/var/lib/sensor-reader
        export SENSOR_READER_SENSOR_CONFIG=/etc/sensor-reader/sensor_config.yaml
        set -a; . /etc/sensor-reader/sensor-reader.env; set +a
        cd /var/lib/sensor-reader && $1"
}

# dpkg-query's format fields look like shell expansions; they are not.
# shellcheck disable=SC2016
live_checks() {
    work=$1
    mount -t tmpfs -o mode=0700 verify-deb "$work"
    mkdir "$work/upper" "$work/work" "$work/root"
    r=$work/root
    mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$r"
    mount --rbind /dev "$r/dev"
    mount --rbind /sys "$r/sys"
    mount -t proc proc "$r/proc"
    # An empty /run: no systemd runs in here, so the scripts take their offline paths.
    mount -t tmpfs tmpfs "$r/run"
    mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
    cp "$deb" "$r/tmp/pkg.deb"
    jh=$(java_home)
    version=$(dpkg-deb --field "$deb" Version)

    # Install.
    if chroot "$r" dpkg -i --force-depends /tmp/pkg.deb >"$work/install.log" 2>&1; then
        ok
    else
        bad "dpkg -i failed:"
        cat "$work/install.log" >&2
        return
    fi
    expect "package state after install" "install ok installed $version" \
        "$(chroot "$r" dpkg-query -W -f='${Status} ${Version}' sensor-reader)"
    expect "user" "sensor-reader:/var/lib/sensor-reader:/usr/sbin/nologin" \
        "$(chroot "$r" getent passwd sensor-reader | cut -d: -f1,6,7)"
    holds "group sensor-reader exists" chroot "$r" getent group sensor-reader
    expect "data folder" "755 sensor-reader sensor-reader" "$(chroot "$r" stat -c '%a %U %G' /var/lib/sensor-reader)"
    expect "cache folder (class-data-sharing archive)" "755 sensor-reader sensor-reader" \
        "$(chroot "$r" stat -c '%a %U %G' /var/cache/sensor-reader)"
    expect "settings file" "640 root sensor-reader" \
        "$(chroot "$r" stat -c '%a %U %G' /etc/sensor-reader/sensor-reader.env)"
    expect "current link" "versions/$app" "$(chroot "$r" readlink /opt/sensor-reader/current)"
    # Root never runs what the service user can write: all of /opt/sensor-reader is root's, and
    # nothing in it is writable by the service user.
    expect "entries of /opt/sensor-reader not root's" "" "$(chroot "$r" find /opt/sensor-reader ! -user root | head -n 3)"
    expect "entries of /opt/sensor-reader writable by group or others" "" \
        "$(chroot "$r" find /opt/sensor-reader ! -type l -perm /022 | head -n 3)"
    if chroot --userspec=sensor-reader:sensor-reader "$r" sh -c 'test -w /opt/sensor-reader || test -w /opt/sensor-reader/versions \
        || test -w /opt/sensor-reader/bin || test -w /opt/sensor-reader/bin/sensor-reader'; then
        bad "the service user can write /opt/sensor-reader"
    else
        ok
    fi
    expect "command on PATH" "/opt/sensor-reader/bin/sensor-reader" "$(chroot "$r" readlink -f /usr/bin/sensor-reader)"
    expect "unit starts the stable launcher" "ExecStart=/opt/sensor-reader/bin/sensor-reader run" \
        "$(grep '^ExecStart=' "$r/lib/systemd/system/sensor-reader.service")"
    holds "unit enabled" test -L "$r/etc/systemd/system/multi-user.target.wants/sensor-reader.service"
    if command -v systemd-analyze >/dev/null; then
        if systemd-analyze verify --root="$r" /lib/systemd/system/sensor-reader.service >"$work/verify.log" 2>&1 \
            && ! grep -q . "$work/verify.log"; then
            ok
        else
            bad "systemd-analyze verify: $(cat "$work/verify.log")"
        fi
        exposure=$(systemd-analyze security --offline=true --root="$r" sensor-reader.service 2>/dev/null \
            | sed -n 's/.*Overall exposure level for sensor-reader.service: *//p')
        echo "verify-deb: systemd-analyze security exposure: ${exposure:-n/a}"
    fi

    # Starts: one cycle as the agent's user, with the installed settings.
    if chroot --userspec=sensor-reader:sensor-reader "$r" /bin/sh -c \
        "$(agent_shell 'exec timeout 120 /usr/bin/sensor-reader run --once --dry-run')" >"$work/once.log" 2>&1; then
        ok
    else
        bad "sensor-reader run --once --dry-run as sensor-reader failed: $(tail -n 20 "$work/once.log")"
    fi
    # An operator's `sudo sensor-reader ...` runs as the service's user on the service's files.
    if chroot "$r" /bin/sh -c "cd / && JAVA_HOME='$jh' PATH=/usr/bin:/bin timeout 120 /usr/bin/sensor-reader spool stats" \
        >"$work/root-cmd.log" 2>&1; then
        expect "a root command uses the service's spool" "spool:        /var/lib/sensor-reader/data.lmdb" \
            "$(grep '^spool:' "$work/root-cmd.log")"
        expect "and leaves it owned by the service" "sensor-reader" \
            "$(chroot "$r" stat -c %U /var/lib/sensor-reader/data.lmdb/data.mdb)"
    else
        bad "sensor-reader spool stats as root failed: $(tail -n 20 "$work/root-cmd.log")"
    fi
    # A script the service user plants in its release root, as a self-update would install a
    # version, runs as that user when root runs a command: never as root.
    chroot --userspec=sensor-reader:sensor-reader "$r" sh -c 'set -e
        mkdir -p /var/lib/sensor-reader/releases/versions/v99.0.0/bin /var/lib/sensor-reader/releases/versions/v99.0.0/lib
        printf "#!/bin/sh\nid -u > /var/lib/sensor-reader/planted-ran-as\n" > /var/lib/sensor-reader/releases/versions/v99.0.0/bin/sensor-reader
        chmod 0755 /var/lib/sensor-reader/releases/versions/v99.0.0/bin/sensor-reader
        ln -sfn versions/v99.0.0 /var/lib/sensor-reader/releases/current'
    chroot "$r" /bin/sh -c "cd / && PATH=/usr/bin:/bin:/usr/sbin:/sbin /usr/bin/sensor-reader status" >/dev/null 2>&1 || true
    expect "a planted script runs as the service user, never as root" "$(chroot "$r" id -u sensor-reader)" \
        "$(cat "$r/var/lib/sensor-reader/planted-ran-as" 2>/dev/null || echo 'it did not run')"
    rm -rf "$r/var/lib/sensor-reader/releases" "$r/var/lib/sensor-reader/planted-ran-as"

    # Stops: a running agent ends on SIGTERM (sent to its process group, as systemd does) in 10 s.
    setsid chroot --userspec=sensor-reader:sensor-reader "$r" /bin/sh -c \
        "$(agent_shell 'exec /usr/bin/sensor-reader run --dry-run')" >"$work/run.log" 2>&1 &
    agent=$!
    sleep 3
    if kill -0 "$agent" 2>/dev/null; then
        ok
        kill -TERM "-$agent"
        waited=0
        while kill -0 "$agent" 2>/dev/null && [ "$waited" -lt 100 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if kill -0 "$agent" 2>/dev/null; then
            bad "sensor-reader run still running 10 s after SIGTERM"
            kill -KILL "-$agent" 2>/dev/null || true
            wait "$agent" 2>/dev/null || true
        else
            code=0
            wait "$agent" || code=$?
            case $code in
                0 | 143) ok; echo "verify-deb: stopped on SIGTERM in $((waited / 10)).$((waited % 10)) s, exit $code" ;;
                *) bad "sensor-reader run exited $code after SIGTERM (expected 0 or 143): $(tail -n 20 "$work/run.log")" ;;
            esac
        fi
    else
        code=0
        wait "$agent" || code=$?
        bad "sensor-reader run --dry-run ended by itself within 3 s (exit $code): $(tail -n 20 "$work/run.log")"
    fi
    # The start without an archive recorded its class list in the cache folder, none in the data
    # folder (the working directory).
    holds "class list in /var/cache/sensor-reader" sh -c "ls '$r'/var/cache/sensor-reader/sensor-reader-*.classes"
    if ls "$r"/var/lib/sensor-reader/*.jsa "$r"/var/lib/sensor-reader/*.classes >/dev/null 2>&1; then
        bad "class-data-sharing files in the data folder"
    else
        ok
    fi

    # Reinstall: the settings file an operator edited stays as it is.
    echo 'SENSOR_READER_DEVICE_ID=kept-by-reinstall' >>"$r/etc/sensor-reader/sensor-reader.env"
    holds "dpkg -i again (reinstall)" chroot "$r" dpkg -i --force-depends /tmp/pkg.deb
    holds "settings kept on reinstall" grep -q kept-by-reinstall "$r/etc/sensor-reader/sensor-reader.env"
    expect "current link after reinstall" "versions/$app" "$(chroot "$r" readlink /opt/sensor-reader/current)"

    # Remove: program gone; settings, data and user kept.
    holds "dpkg -r" chroot "$r" dpkg -r sensor-reader
    expect "package state after remove" "deinstall ok config-files" \
        "$(chroot "$r" dpkg-query -W -f='${Status}' sensor-reader)"
    for gone in /usr/bin/sensor-reader /lib/systemd/system/sensor-reader.service \
        "/opt/sensor-reader/versions/$app" /opt/sensor-reader/current; do
        if [ -e "$r$gone" ] || [ -L "$r$gone" ]; then bad "$gone still there after remove"; else ok; fi
    done
    for kept in /etc/sensor-reader/sensor-reader.env /etc/sensor-reader/sensor_config.yaml /var/lib/sensor-reader; do
        holds "$kept kept after remove" test -e "$r$kept"
    done
    holds "user kept after remove" chroot "$r" getent passwd sensor-reader
    expect "dangling links after remove" "" "$( (chroot "$r" find /etc /usr/bin /lib/systemd -name '*sensor-reader*' -xtype l
        chroot "$r" find /opt/sensor-reader /var/lib/sensor-reader -xtype l) 2>/dev/null | head -n 3)"
    holds "dpkg -i after remove" chroot "$r" dpkg -i --force-depends /tmp/pkg.deb
    holds "unit enabled again after remove and install" \
        test -L "$r/etc/systemd/system/multi-user.target.wants/sensor-reader.service"
    holds "dpkg -r again" chroot "$r" dpkg -r sensor-reader

    # Purge: nothing left.
    holds "dpkg -P" chroot "$r" dpkg -P sensor-reader
    case $output in
        *userdel:* | *groupdel:*) bad "purge: $output" ;;
    esac
    expect "package state after purge" "" "$(chroot "$r" dpkg-query -W -f='${Status}' sensor-reader 2>/dev/null || true)"
    for gone in /etc/sensor-reader /var/lib/sensor-reader /var/cache/sensor-reader /opt/sensor-reader \
        /etc/systemd/system/multi-user.target.wants/sensor-reader.service; do
        if [ -e "$r$gone" ] || [ -L "$r$gone" ]; then bad "$gone still there after purge"; else ok; fi
    done
    if chroot "$r" getent passwd sensor-reader >/dev/null; then bad "user still there after purge"; else ok; fi
    if chroot "$r" getent group sensor-reader >/dev/null; then bad "group still there after purge"; else ok; fi
}

if [ "$inside" = 1 ]; then
    # In the private mount namespace: every mount below disappears with it.
    work=$(mktemp -d "${TMPDIR:-/tmp}/verify-deb.XXXXXX")
    app=$(dpkg-deb --contents "$deb" | sed -n 's,.* \./opt/sensor-reader/versions/\([^/]*\)/bin/sensor-reader$,\1,p')
    live_checks "$work"
    umount -R "$work" 2>/dev/null || umount -l "$work" 2>/dev/null || true
    rmdir "$work" 2>/dev/null || true
    echo "$check_count $fail_count" >&3
    exit 0
fi

started=$(date +%s)
static_checks
if [ "$(id -u)" != 0 ]; then
    echo "verify-deb: the live checks need root (a private mount namespace and overlayfs)" >&2
    exit 69
fi
command -v unshare >/dev/null || { echo "verify-deb: unshare not found (util-linux)" >&2; exit 69; }
counts=$(mktemp)
unshare --mount --propagation private sh "$0" --inside "$deb" 3>"$counts" || true
if ! read -r inner_checks inner_fails <"$counts"; then
    rm -f "$counts"
    echo "verify-deb: the live checks did not run to the end: could the throwaway root (a mount" \
        "namespace, tmpfs, overlayfs) not be set up? Messages above say more." >&2
    exit 69
fi
rm -f "$counts"
check_count=$((check_count + inner_checks))
fail_count=$((fail_count + inner_fails))
elapsed=$(($(date +%s) - started))
if [ "$fail_count" -gt 0 ]; then
    echo "verify-deb: $fail_count of $check_count checks failed ($elapsed s)" >&2
    exit 1
fi
echo "verify-deb: all $check_count checks passed in $elapsed s: $deb"
