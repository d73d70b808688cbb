# release-guard.sh: the stable launcher's logic (docs/updates.md, "Who decides what runs").
#
# Lives in the stable install root (/opt/sensor-reader/libexec/ under the package: root's, never
# inside a versions/<tag> folder) and is sourced by <root>/bin/sensor-reader when that launcher finds
# no lib/ beside it. It
#   1. as root, drops to the service user before it reads or runs anything that user can write;
#   2. picks the version to start: the release root's current link (the self-update's choice), or
#      the packaged version (<root>/current) when there is none, it is broken, or the package is newer;
#   3. for `run`, supervises that version's own launcher. A version on trial (update-state pending=)
#      is rolled back to the last known-good version, and marked bad with the reason, when it exits
#      64 or 78, when it is started more than max_starts times, or when it has not reported healthy
#      health_seconds after its own first start (a watchdog stops it then). A version that cannot
#      deliver for the same reason the known-good one could not is not blamed.
# The running version only reports (the health file); the decisions are made here. POSIX sh.
#
# Release root (SENSOR_READER_RELEASE_ROOT, default /var/lib/sensor-reader/releases), the service
# user's:
#   versions/<tag>/   self-updated distributions       current -> versions/<tag>
#   update-state      pending=, good=, health_seconds=, max_starts=, good_cause= (the updater, and here)
#   trial             tag=, first_start=, starts= (here only)
#   health            tag=, started=, healthy_at=, delivering=, cause= (the running agent)
#   bad-versions      <tag> TAB <epoch> TAB <cause> TAB <reason>, one a line

GUARD_RELEASES=
GUARD_PACKAGED_DIR=
GUARD_PACKAGED_TAG=
GUARD_DIR=
GUARD_TAG=

_guard_now() {
    date +%s
}

# _guard_get <file> <key>: the value of the first key= line
_guard_get() {
    sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1
}

_guard_say() {
    echo "release-guard: $*" >&2
}

# As root: re-run this (root's) launcher as the service user, before anything else happens. Without
# such a user, nothing but the packaged version (root's own files) is ever started.
_guard_drop_privileges() {
    [ "$(id -u)" = 0 ] || return 0
    _guard_user=${SENSOR_READER_SERVICE_USER:-sensor-reader}
    if id "$_guard_user" >/dev/null 2>&1; then
        for _guard_runuser in "$(command -v runuser 2>/dev/null)" /usr/sbin/runuser /sbin/runuser /usr/bin/runuser; do
            if [ -n "$_guard_runuser" ] && [ -x "$_guard_runuser" ]; then
                exec "$_guard_runuser" -u "$_guard_user" -- "$GUARD_STABLE/bin/sensor-reader" "$@"
            fi
        done
        echo "sensor-reader: running as root, but runuser (util-linux) is missing to switch to the user $_guard_user;" \
            "refusing to start anything as root: run the command as $_guard_user (sudo -u $_guard_user sensor-reader ...)" >&2
        exit 77
    fi
    GUARD_AS_ROOT=1
}

_guard_locate() {
    GUARD_PACKAGED_DIR=$(cd "$GUARD_STABLE/current" 2>/dev/null && pwd -P) || GUARD_PACKAGED_DIR=
    if [ -n "$GUARD_PACKAGED_DIR" ] && [ -x "$GUARD_PACKAGED_DIR/bin/sensor-reader" ]; then
        GUARD_PACKAGED_TAG=$(basename "$GUARD_PACKAGED_DIR")
    else
        GUARD_PACKAGED_DIR=
    fi
    GUARD_RELEASES=
    if [ -z "${GUARD_AS_ROOT:-}" ]; then
        GUARD_RELEASES=${SENSOR_READER_RELEASE_ROOT:-/var/lib/sensor-reader/releases}
        SENSOR_READER_RELEASE_ROOT=$GUARD_RELEASES
        export SENSOR_READER_RELEASE_ROOT
    else
        unset SENSOR_READER_RELEASE_ROOT
    fi
}

# _guard_newer <a> <b>: whether version a sorts after version b (a leading v ignored)
_guard_newer() {
    _guard_a=${1#v}
    _guard_b=${2#v}
    [ "$_guard_a" != "$_guard_b" ] || return 1
    [ "$(printf '%s\n%s\n' "$_guard_a" "$_guard_b" | sort -V | tail -n 1)" = "$_guard_a" ]
}

# _guard_dir <tag>: the folder of a version, in the release root or the packaged one
_guard_dir() {
    if [ -n "$GUARD_RELEASES" ] && [ -x "$GUARD_RELEASES/versions/$1/bin/sensor-reader" ]; then
        (cd "$GUARD_RELEASES/versions/$1" && pwd -P)
    elif [ -n "$1" ] && [ "$1" = "$GUARD_PACKAGED_TAG" ]; then
        echo "$GUARD_PACKAGED_DIR"
    fi
}

_guard_choose() {
    GUARD_DIR=
    GUARD_TAG=
    if [ -n "$GUARD_RELEASES" ]; then
        _guard_d=$(cd "$GUARD_RELEASES/current" 2>/dev/null && pwd -P) || _guard_d=
        if [ -n "$_guard_d" ] && [ -x "$_guard_d/bin/sensor-reader" ]; then
            GUARD_DIR=$_guard_d
            GUARD_TAG=$(basename "$_guard_d")
            # A package newer than the self-updated version: the operator installed it on purpose.
            if [ -n "$GUARD_PACKAGED_TAG" ] && _guard_newer "$GUARD_PACKAGED_TAG" "$GUARD_TAG"; then
                GUARD_DIR=
            fi
        fi
    fi
    if [ -z "$GUARD_DIR" ]; then
        GUARD_DIR=$GUARD_PACKAGED_DIR
        GUARD_TAG=$GUARD_PACKAGED_TAG
    fi
    if [ -z "$GUARD_DIR" ]; then
        echo "sensor-reader: no version to start: $GUARD_STABLE/current is not a link to a distribution" \
            "(versions/<version> with bin/sensor-reader)${GUARD_RELEASES:+, nor is $GUARD_RELEASES/current}; reinstall the package" >&2
        exit 69
    fi
}

# _guard_put <file> <text>: replaces a state file atomically
_guard_put() {
    printf '%s' "$2" > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
}

_guard_pending() {
    [ -n "$GUARD_RELEASES" ] && [ -n "$GUARD_TAG" ] \
        && [ "$(_guard_get "$GUARD_RELEASES/update-state" pending)" = "$GUARD_TAG" ]
}

_guard_trial_read() {
    _guard_first=
    _guard_starts=0
    if [ "$(_guard_get "$GUARD_RELEASES/trial" tag)" = "$GUARD_TAG" ]; then
        _guard_first=$(_guard_get "$GUARD_RELEASES/trial" first_start)
        _guard_starts=$(_guard_get "$GUARD_RELEASES/trial" starts)
    fi
    _guard_max=$(_guard_get "$GUARD_RELEASES/update-state" max_starts)
    _guard_seconds=$(_guard_get "$GUARD_RELEASES/update-state" health_seconds)
    _guard_max=${_guard_max:-3}
    _guard_seconds=${_guard_seconds:-300}
    _guard_starts=${_guard_starts:-0}
}

# What the running version reported about itself since its trial began (the health file).
_guard_health() {
    _guard_h=$GUARD_RELEASES/health
    _guard_h_ok=
    [ "$(_guard_get "$_guard_h" tag)" = "$GUARD_TAG" ] || return 0
    _guard_h_started=$(_guard_get "$_guard_h" started)
    [ -n "$_guard_first" ] && [ "${_guard_h_started:-0}" -ge "$_guard_first" ] || return 0
    _guard_h_ok=1
    _guard_h_healthy=$(_guard_get "$_guard_h" healthy_at)
    _guard_h_delivering=$(_guard_get "$_guard_h" delivering)
    _guard_h_cause=$(_guard_get "$_guard_h" cause)
}

_guard_healthy() {
    _guard_health
    [ -n "$_guard_h_ok" ] && [ -n "$_guard_h_healthy" ]
}

# Samples but cannot deliver, for the reason the known-good version could not either: not blamed.
_guard_excused() {
    _guard_health
    [ -n "$_guard_h_ok" ] && [ "$_guard_h_delivering" = no ] && [ -n "$_guard_h_cause" ] \
        && [ "$_guard_h_cause" = "$(_guard_get "$GUARD_RELEASES/update-state" good_cause)" ]
}

_guard_confirm() {
    _guard_put "$GUARD_RELEASES/update-state" "good=$GUARD_TAG
"
    rm -f "$GUARD_RELEASES/trial" "$GUARD_RELEASES/trial-expired"
    _guard_say "$GUARD_TAG reported healthy (its sampling cycles ran and a batch was delivered); it is the known-good version now"
}

# _guard_rollback <cause> <reason>: back to the known-good version (else the packaged one)
_guard_rollback() {
    _guard_good=$(_guard_get "$GUARD_RELEASES/update-state" good)
    _guard_gdir=$(_guard_dir "$_guard_good")
    if [ -z "$_guard_gdir" ] || [ "$_guard_good" = "$GUARD_TAG" ]; then
        _guard_good=$GUARD_PACKAGED_TAG
        _guard_gdir=$GUARD_PACKAGED_DIR
    fi
    if [ -z "$_guard_gdir" ] || [ "$_guard_good" = "$GUARD_TAG" ]; then
        _guard_say "$GUARD_TAG: $2, but there is no known-good version to go back to; starting it anyway"
        return 1
    fi
    case $_guard_gdir in
        "$GUARD_RELEASES"/versions/*) _guard_target=versions/$_guard_good ;;
        *) _guard_target=$_guard_gdir ;;
    esac
    rm -f "$GUARD_RELEASES/current.tmp"
    if ! ln -s "$_guard_target" "$GUARD_RELEASES/current.tmp" \
        || ! { mv -T "$GUARD_RELEASES/current.tmp" "$GUARD_RELEASES/current" 2>/dev/null \
            || ln -sfn "$_guard_target" "$GUARD_RELEASES/current"; }; then
        _guard_say "$GUARD_TAG: $2, but switching $GUARD_RELEASES/current back to $_guard_good failed; starting $GUARD_TAG"
        return 1
    fi
    printf '%s\t%s\t%s\t%s\n' "$GUARD_TAG" "$(_guard_now)" "$1" "$2" >> "$GUARD_RELEASES/bad-versions"
    _guard_put "$GUARD_RELEASES/update-state" "good=$_guard_good
"
    rm -f "$GUARD_RELEASES/trial" "$GUARD_RELEASES/trial-expired"
    _guard_say "$GUARD_TAG: $2; switched back to $_guard_good and marked $GUARD_TAG bad" \
        "(sensor-reader update-check --forget-bad $GUARD_TAG allows it again)"
    GUARD_TAG=$_guard_good
    GUARD_DIR=$_guard_gdir
    return 0
}

# Why a trial that ran out of time failed, as the health file tells it: "<cause> TAB <reason>".
_guard_overdue() {
    _guard_health
    if [ -n "$_guard_h_ok" ] && [ "$_guard_h_delivering" = no ]; then
        printf '%s\t%s' "$_guard_h_cause" "it delivered nothing within $_guard_seconds s of its first start (${_guard_h_cause:-no answer}), while the known-good version could"
    elif [ -n "$_guard_h_ok" ]; then
        printf '\t%s' "it did not report healthy within $_guard_seconds s of its first start"
    else
        printf '\t%s' "it did not report healthy within $_guard_seconds s of its first start (it never got as far as its sampling cycles)"
    fi
}

# Before each start of `run`: counts starts of a version on trial; rolls it back when it is out of
# starts or of time.
_guard_trial_start() {
    _guard_pending || return 0
    _guard_trial_read
    if [ -z "$_guard_first" ]; then
        _guard_first=$(_guard_now)
        _guard_starts=0
    fi
    if _guard_healthy; then
        _guard_confirm
        return 0
    fi
    _guard_starts=$((_guard_starts + 1))
    _guard_put "$GUARD_RELEASES/trial" "tag=$GUARD_TAG
first_start=$_guard_first
starts=$_guard_starts
"
    if [ "$_guard_starts" -gt "$_guard_max" ]; then
        _guard_rollback "" "it was started $((_guard_starts - 1)) times without reporting healthy" || return 0
    elif [ "$(_guard_now)" -ge "$((_guard_first + _guard_seconds))" ]; then
        if _guard_excused; then
            _guard_say "$GUARD_TAG cannot deliver ($_guard_h_cause), as the known-good version could not either:" \
                "not blamed; it stays on trial until it delivers"
            return 0
        fi
        _guard_why=$(_guard_overdue)
        _guard_rollback "$(printf '%s' "$_guard_why" | cut -f 1)" "$(printf '%s' "$_guard_why" | cut -f 2-)" || return 0
    fi
}

# The watchdog of a version on trial, in the background: at the end of its time, unless it reported
# healthy (or cannot deliver for the known-good version's reason), it writes why and stops the child.
# It sleeps in steps of at most 10 s; the launcher ends it with SIGKILL (a trap could wait for a
# whole sleep), so at most one short sleep outlives it.
_guard_watch() {
    while :; do
        _guard_pending || exit 0
        _guard_trial_read
        _guard_left=$((_guard_first + _guard_seconds - $(_guard_now)))
        if [ "$_guard_left" -gt 0 ]; then
            sleep "$((_guard_left < 10 ? _guard_left : 10))"
            continue
        fi
        if _guard_healthy; then
            exit 0
        fi
        if _guard_excused; then
            # Looked at again every 10 s: confirmed at its first delivery, blamed if the cause changes.
            sleep 10
            continue
        fi
        _guard_overdue > "$GUARD_RELEASES/trial-expired"
        kill -TERM "$1" 2>/dev/null
        exit 0
    done
}

# After `run` exited on trial: health, a configuration error, or the watchdog decide.
# Returns 0 when the known-good version should be started now.
_guard_trial_end() {
    _guard_pending || return 1
    _guard_trial_read
    if _guard_healthy; then
        _guard_confirm
        return 1
    fi
    if [ -f "$GUARD_RELEASES/trial-expired" ]; then
        _guard_why=$(cat "$GUARD_RELEASES/trial-expired")
        _guard_rollback "$(printf '%s' "$_guard_why" | cut -f 1)" "$(printf '%s' "$_guard_why" | cut -f 2-)"
        return $?
    fi
    [ "$_guard_stopping" = 0 ] || return 1
    case $1 in
        64) _guard_rollback "" "it exited 64 (a usage error) on start $_guard_starts"; return $? ;;
        78) _guard_rollback "" "it exited 78 (a configuration error) on start $_guard_starts"; return $? ;;
    esac
    return 1
}

_guard_forward() {
    _guard_stopping=1
    if [ -n "$_guard_child" ]; then
        kill -TERM "$_guard_child" 2>/dev/null
    fi
}

# run: start the chosen version's launcher, again on exit 3, the known-good one after a rollback.
_guard_supervise() {
    _guard_stopping=0
    _guard_child=
    # Java in the background ignores SIGINT (POSIX), so both signals are forwarded as SIGTERM.
    trap _guard_forward TERM INT HUP
    _guard_choose
    while :; do
        _guard_trial_start
        _guard_watcher=
        SENSOR_READER_SUPERVISED=1 "$GUARD_DIR/bin/sensor-reader" "$@" &
        _guard_child=$!
        if _guard_pending; then
            _guard_watch "$_guard_child" </dev/null >/dev/null 2>&1 &
            _guard_watcher=$!
        fi
        wait "$_guard_child"
        _guard_code=$?
        # wait returns early (code > 128) when a trapped signal arrives; wait for the real end.
        while kill -0 "$_guard_child" 2>/dev/null; do
            wait "$_guard_child"
            _guard_code=$?
        done
        _guard_child=
        if [ -n "$_guard_watcher" ]; then
            kill -KILL "$_guard_watcher" 2>/dev/null
            wait "$_guard_watcher" 2>/dev/null
        fi
        if _guard_trial_end "$_guard_code"; then
            [ "$_guard_stopping" = 0 ] || exit 0
            continue
        fi
        if [ "$_guard_code" -eq 3 ] && [ "$_guard_stopping" -eq 0 ]; then
            echo "sensor-reader: restart requested; starting again" >&2
            _guard_choose
            continue
        fi
        # A JVM ended by the SIGTERM we forwarded exits 143; that is a clean stop.
        if [ "$_guard_stopping" -eq 1 ] && [ "$_guard_code" -eq 143 ]; then
            _guard_code=0
        fi
        exit "$_guard_code"
    done
}

guard_main() {
    _guard_drop_privileges "$@"
    _guard_locate
    # The package's settings file, for every command (the service's and an operator's).
    if [ -z "${SENSOR_READER_ENV_FILE:-}" ] && [ "$GUARD_STABLE" = /opt/sensor-reader ] \
        && [ -r /etc/sensor-reader/sensor-reader.env ]; then
        SENSOR_READER_ENV_FILE=/etc/sensor-reader/sensor-reader.env
        export SENSOR_READER_ENV_FILE
    fi
    SENSOR_READER_STABLE_ROOT=$GUARD_STABLE
    export SENSOR_READER_STABLE_ROOT
    case " $* " in
        " run "*)
            case " $* " in
                *" --once "* | *" --dry-run "* | *" --help "* | *" -h "* | *" --version "* | *" -V "*) ;;
                *) _guard_supervise "$@" ;;
            esac
            ;;
    esac
    _guard_choose
    exec "$GUARD_DIR/bin/sensor-reader" "$@"
}
