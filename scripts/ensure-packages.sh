#!/bin/sh
# Usage: ensure-packages.sh WHAT PACKAGE...
# Makes sure these Debian packages are installed, as the tests and `npm start`
# need them. Installs what is missing when run as root with apt-get; otherwise
# exits 1 and prints the exact command to run. WHAT names the caller in messages.
set -eu

what=$1
shift
missing=""
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

log="/tmp/ensure-$what.log"
cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-$what: installing$missing" >&2
  if DEBIAN_FRONTEND=noninteractive sh -c "$cmd" >"$log" 2>&1; then
    exit 0
  fi
  echo "ensure-$what: apt-get failed (log: $log). Run it yourself:" >&2
  echo "  $cmd" >&2
  exit 1
fi
echo "ensure-$what: these Debian packages are missing:$missing" >&2
echo "Install them with:" >&2
echo "  sudo sh -c '$cmd'" >&2
exit 1
