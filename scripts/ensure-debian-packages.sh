#!/bin/sh
# Usage: ensure-debian-packages.sh PACKAGE...
# Makes sure these Debian packages are installed (the tests' real Slurm needs
# slurmctld slurmd slurm-client munge). Installs what is missing when run as
# root with apt-get; otherwise exits 1 and prints the exact command to run.
set -eu

missing=""
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
log="${TMPDIR:-/tmp}/ensure-debian-packages.log"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-debian-packages: installing$missing" >&2
  # Another apt-get may hold the dpkg lock for a while: wait for it rather than fail.
  if DEBIAN_FRONTEND=noninteractive sh -c "apt-get -o DPkg::Lock::Timeout=300 update && apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends$missing" >"$log" 2>&1; then
    exit 0
  fi
  echo "ensure-debian-packages: apt-get failed (log: $log). Run it yourself:" >&2
  echo "  $cmd" >&2
  exit 1
fi
echo "ensure-debian-packages: these Debian packages are missing:$missing" >&2
echo "Install them with:" >&2
echo "  sudo sh -c '$cmd'" >&2
exit 1
