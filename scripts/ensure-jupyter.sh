#!/bin/sh
# Makes sure Debian's Jupyter (and Chromium, for the browser test) is installed,
# as `npm test` and `npm start` need it. PyPI is not needed: everything comes
# from Debian's packages.
exec sh "$(dirname "$0")/ensure-packages.sh" jupyter \
  jupyter-server jupyter-client jupyter-core jupyter-nbconvert python3-nbclient jupyter-notebook chromium
