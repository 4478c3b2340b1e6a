#!/bin/sh
# Makes sure Debian's Slurm and munge are installed, as the Slurm tests need them.
exec sh "$(dirname "$0")/ensure-packages.sh" slurm slurmctld slurmd slurm-client munge
