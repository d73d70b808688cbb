# release-guard.sh: rollback for the release update strategy (docs/updates.md).
#
# Sourced by bin/sensor-reader before each java start, with APP_HOME set to the distribution being
# run. Defines two functions the launcher calls when they exist:
#   before_start "$@"         before java starts; may exec the previous version's launcher instead
#   after_exit <code> "$@"    after java exits; on exit code 3 (restart requested) it execs the
#                             launcher 'current' now points to, if that is another version
# Does nothing unless APP_HOME is <root>/versions/<tag>. The Java side writes <root>/update-state
# (pending=, previous=, deadline= epoch seconds, max_starts=) when it switches to a new version and
# clears pending= once that version reports healthy. Here we only count starts of the pending
# version and switch back when it had too many or its deadline passed. POSIX sh; no bashisms.

_guard_locate() {
    _guard_home=$(cd "$APP_HOME" 2>/dev/null && pwd -P) || return 1
    _guard_versions=$(dirname "$_guard_home")
    [ "$(basename "$_guard_versions")" = versions ] || return 1
    _guard_root=$(dirname "$_guard_versions")
    _guard_tag=$(basename "$_guard_home")
    return 0
}

_guard_get() {
    sed -n "s/^$1=//p" "$_guard_root/update-state" 2>/dev/null | head -n 1
}

# Points current at versions/$1: a new link renamed over the old one (rename(2) is atomic).
_guard_switch() {
    rm -f "$_guard_root/current.tmp"
    ln -s "versions/$1" "$_guard_root/current.tmp" || return 1
    mv -T "$_guard_root/current.tmp" "$_guard_root/current" 2>/dev/null \
        || ln -sfn "versions/$1" "$_guard_root/current"
}

before_start() {
    _guard_locate || return 0
    [ -f "$_guard_root/update-state" ] || return 0
    _guard_pending=$(_guard_get pending)
    [ -n "$_guard_pending" ] && [ "$_guard_pending" = "$_guard_tag" ] || return 0
    _guard_previous=$(_guard_get previous)
    _guard_deadline=$(_guard_get deadline)
    _guard_max=$(_guard_get max_starts)
    _guard_starts=$(cat "$_guard_root/pending-starts" 2>/dev/null || echo 0)
    _guard_starts=$((_guard_starts + 1))
    echo "$_guard_starts" > "$_guard_root/pending-starts"
    _guard_why=
    if [ "$_guard_starts" -gt "${_guard_max:-3}" ]; then
        _guard_why="it was started $((_guard_starts - 1)) times without reporting healthy"
    elif [ -n "$_guard_deadline" ] && [ "$(date +%s)" -gt "$_guard_deadline" ]; then
        _guard_why="it did not report healthy by its deadline"
    fi
    [ -n "$_guard_why" ] || return 0
    if [ -z "$_guard_previous" ] || [ ! -x "$_guard_root/versions/$_guard_previous/bin/sensor-reader" ]; then
        echo "release-guard: $_guard_tag: $_guard_why, but there is no previous version to go back to; starting it anyway" >&2
        return 0
    fi
    _guard_switch "$_guard_previous" || {
        echo "release-guard: $_guard_tag: $_guard_why, but switching $_guard_root/current back to $_guard_previous failed" >&2
        return 0
    }
    echo "$_guard_tag" >> "$_guard_root/bad-versions"
    : > "$_guard_root/update-state"
    rm -f "$_guard_root/pending-starts"
    echo "release-guard: $_guard_tag: $_guard_why; switched back to $_guard_previous and marked $_guard_tag bad" >&2
    exec "$_guard_root/versions/$_guard_previous/bin/sensor-reader" "$@"
}

after_exit() {
    _guard_code=$1
    shift
    [ "$_guard_code" = 3 ] || return 0
    _guard_locate || return 0
    _guard_now=$(cd "$_guard_root/current" 2>/dev/null && pwd -P) || return 0
    [ "$_guard_now" != "$_guard_home" ] || return 0
    exec "$_guard_root/current/bin/sensor-reader" "$@"
}
