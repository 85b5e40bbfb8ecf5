#!/bin/sh
# make demo: a short tour. Runs each demo/NN-*.sh in order with AIRLOCK set.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
export AIRLOCK="$build/airlock" AIRLOCK_SRC="$src" AIRLOCK_DATA_DIR="$src"
status=0
for d in "$src"/demo/[0-9]*.sh; do
        [ -f "$d" ] || continue
        sh "$d" || status=1
done
exit $status
