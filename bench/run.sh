#!/bin/sh
# make bench: runs each bench/bench-*.sh (each prints a Markdown section on stdout) and
# collects them, side by side with the peers, into docs/BENCHMARKS.md.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
export AIRLOCK="$build/airlock" AIRLOCK_SRC="$src" AIRLOCK_DATA_DIR="$src"
out=$src/docs/BENCHMARKS.md
tmp=$(mktemp)
{
        echo "# Benchmarks"
        echo
        echo "Made by \`make bench\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, kernel $(uname -r)."
        echo "Ratios are airlock's time (or memory) divided by the peer's: below 1 is better."
        echo
} >"$tmp"
status=0
for b in "$src"/bench/bench-*.sh; do
        [ -f "$b" ] || continue
        echo "bench: $(basename "$b")" >&2
        sh "$b" >>"$tmp" || status=1
        echo >>"$tmp"
done
mv "$tmp" "$out"
cat "$out"
exit $status
