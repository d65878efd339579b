#!/usr/bin/env bash
# A single-node Slurm on this machine, for trying and testing the job-array examples (examples/cluster/,
# test/cluster/slurm.test.ts): Debian's slurm-wlm and munge, every file in one directory, nothing in /etc.
#
#   scripts/slurm-local.sh install       apt-get install slurm-wlm and munge when missing (root)
#   scripts/slurm-local.sh start DIR     write DIR/slurm.conf, DIR/cgroup.conf and a munge key, start munged,
#                                        slurmctld and slurmd (all as root), wait until the node is idle, and
#                                        print the line to export: SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh stop DIR      stop the daemons started by `start DIR` (by the pids in DIR)
#
# The node is this machine (NodeName = `hostname -s`, address 127.0.0.1) with all its cores, one partition
# `debug`; no accounting, no cgroups (proctrack/linuxproc, task/none), so it runs in a container too.
# JobRequeue=0: jobs are not requeued unless they ask (`#SBATCH --requeue`), as on most clusters.
# KillWait=5: a job cancelled or requeued gets SIGKILL 5 s after SIGTERM (slurmd's least; 30 s is the usual
# default). A sweep acts on SIGTERM only once its computation returns, so the SIGKILL stops it mid-run; the
# records it had written survive (each is fsync'd), and the rerun resumes from them.
# Ports: SLURM_LOCAL_PORT (default 16817) for slurmctld and the next one for slurmd, away from a real
# Slurm's 6817/6818.
set -euo pipefail

die() { echo "slurm-local: $*" >&2; exit 1; }

install() {
  if command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then
    echo "slurm-local: slurm-wlm and munge are installed ($(slurmctld -V))"
    return
  fi
  [ "$(id -u)" = 0 ] || die "slurm-wlm and munge are missing and installing them needs root (apt-get install slurm-wlm munge)"
  command -v apt-get >/dev/null || die "slurm-wlm and munge are missing and there is no apt-get to install them"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  echo "slurm-local: installed $(slurmctld -V) and munge"
}

start() {
  local dir=$1
  [ "$(id -u)" = 0 ] || die "start runs the daemons as root (slurmd must); run it as root"
  for c in sbatch slurmctld slurmd munged scontrol sinfo; do command -v "$c" >/dev/null || die "$c not found: run '$0 install' first"; done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/slurmctld.pid" ] || die "$dir already holds a running local Slurm (stop it first: $0 stop $dir)"
  local port=${SLURM_LOCAL_PORT:-16817}
  local node cpus mem
  node=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 700 "$dir/munge"

  # munge: its own key, socket and pid file under DIR (a fresh 1024-byte key, readable by root only)
  if [ ! -s "$dir/munge/munge.key" ]; then
    (umask 077 && head -c 1024 /dev/urandom >"$dir/munge/munge.key")
  fi
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

  cat >"$dir/slurm.conf" <<EOF
# written by scripts/slurm-local.sh: a single-node Slurm on $node
ClusterName=robustlaw-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=0
MaxArraySize=100001
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
SchedulerParameters=sched_interval=2,bf_interval=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  cat >"$dir/cgroup.conf" <<EOF
# written by scripts/slurm-local.sh: no cgroup plugin is used (proctrack/linuxproc, task/none)
CgroupPlugin=autodetect
IgnoreSystemd=yes
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  local i state
  for i in $(seq 1 60); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    case "$state" in
      idle | mixed | allocated) echo "export SLURM_CONF=$SLURM_CONF"; return ;;
    esac
    sleep 1
  done
  echo "slurm-local: node $node not idle after 60 s (state '${state:-none}'); logs in $dir/log:" >&2
  tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/log/munged.log" >&2 || true
  stop "$dir"
  exit 1
}

stop() {
  local dir=$1 f pid
  [ -d "$dir" ] || die "no directory $dir"
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -s "$dir/$f" ] || continue
    pid=$(cat "$dir/$f")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$f"
  done
  echo "slurm-local: stopped the local Slurm of $dir"
}

case "${1:-}" in
  install) install ;;
  start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 install | start DIR | stop DIR" ;;
esac
