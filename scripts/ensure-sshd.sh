#!/bin/sh
# Makes sure Debian's OpenSSH server and client are installed: the SSH launcher's
# tests start private sshd processes of their own.
exec sh "$(dirname "$0")/ensure-packages.sh" sshd openssh-server openssh-client
