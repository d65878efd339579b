#!/usr/bin/env bash
# Submits a robustlaw sweep to Slurm: the job array (sweep.sbatch, one task per shard) and its merge
# (merge.sbatch, --dependency=afterok on the whole array). Run it from the checkout, on a file system
# every node sees; RUN_DIR (created) must be on it too. Extra arguments go to both sbatch calls
# (e.g. --partition=short --account=mylab). Prints the two job ids.
#   examples/cluster/submit.sh SPEC RUN_DIR TASKS [sbatch options...]
set -euo pipefail
if [ $# -lt 3 ] || ! [[ $3 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 SPEC RUN_DIR TASKS [sbatch options...]   (TASKS: the array's size, an integer >= 1)" >&2
  exit 2
fi
spec=$1 run=$2 tasks=$3
shift 3
here=$(dirname "$0")
mkdir -p "$run/logs"
array=$(ROBUSTLAW_SPEC="$spec" ROBUSTLAW_RUN="$run" sbatch --parsable --export=ALL --array="1-$tasks" --output="$run/logs/sweep-%A_%a.out" "$@" "$here/sweep.sbatch")
array=${array%%;*}
merge=$(ROBUSTLAW_RUN="$run" sbatch --parsable --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$run/logs/merge-%j.out" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "array $array: tasks 1-$tasks -> $run/shard-<task>; merge $merge after all of them -> $run/merged (logs in $run/logs)"
