#!/bin/sh
# Runs Debian's package checker on the package(s) in a folder: no error may remain.
#
#   lintian.sh <folder>         exit 0 clean (or lintian missing: says so), 1 errors found
#
# Where lintian is not installed the check is skipped with a line saying so; CI installs it
# (.ci/run). Warnings are printed, not fatal; the package's lintian-overrides say why /opt.
set -eu
[ $# -eq 1 ] || { echo "usage: lintian.sh <folder>" >&2; exit 64; }
if ! command -v lintian >/dev/null; then
    echo "lintian: skipped: lintian is not installed (apt-get install lintian)"
    exit 0
fi
status=0
for deb in "$1"/sensor-reader_*_all.deb; do
    [ -f "$deb" ] || { echo "lintian: no sensor-reader_*_all.deb in $1" >&2; exit 66; }
    if lintian --fail-on error "$deb"; then
        echo "lintian: no errors: $deb"
    else
        status=1
    fi
done
exit "$status"
