#!/bin/sh
# Makes sure Debian's Jupyter (and Chromium, for the browser test) is installed,
# as `npm test` and `npm start` need it. Installs what is missing when run as
# root with apt-get; otherwise exits 1 and prints the exact command to run.
# PyPI is not needed: everything comes from Debian's packages.
set -eu

PACKAGES="jupyter-server jupyter-client jupyter-core jupyter-nbconvert python3-nbclient jupyter-notebook chromium"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-jupyter: installing$missing" >&2
  if DEBIAN_FRONTEND=noninteractive sh -c "$cmd" >/tmp/ensure-jupyter.log 2>&1; then
    exit 0
  fi
  echo "ensure-jupyter: apt-get failed (log: /tmp/ensure-jupyter.log). Run it yourself:" >&2
  echo "  $cmd" >&2
  exit 1
fi
echo "ensure-jupyter: these Debian packages are missing:$missing" >&2
echo "Install them with:" >&2
echo "  sudo sh -c '$cmd'" >&2
exit 1
