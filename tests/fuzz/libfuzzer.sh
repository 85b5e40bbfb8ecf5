#!/bin/sh
# Runs one fuzz target under libFuzzer for a while: its seeds (tests/fuzz/corpus/NAME/) are
# copied into a scratch corpus that grows across runs, its dictionary (tests/fuzz/dict/) is
# used when there is one, and crashes, leaks, timeouts and OOMs land in the scratch folder.
# The build must be configured with -Dfuzzing=true (see HACKING.md, "Fuzzing").
#
#   sh tests/fuzz/libfuzzer.sh BUILD NAME [SECONDS] [MAX_LEN] [libFuzzer options...]
#
# FUZZ_WORKDIR (default /tmp/airlock-fuzz) holds NAME/corpus and NAME/artifacts.
set -eu
if [ $# -lt 2 ]; then
        echo "usage: $0 BUILD NAME [SECONDS] [MAX_LEN] [libFuzzer options...]" >&2
        exit 2
fi
build=$1
name=$2
seconds=${3:-600}
max_len=${4:-65536}
shift $(($# < 4 ? $# : 4))
src=$(cd "$(dirname "$0")/../.." && pwd)
target=$build/tests/fuzz/$name
work=${FUZZ_WORKDIR:-/tmp/airlock-fuzz}/$name
if [ ! -x "$target" ]; then
        echo "$0: no fuzz target $target" >&2
        exit 2
fi
mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$src/tests/fuzz/corpus/$name"/* "$work/corpus/" 2>/dev/null || true
dict=
[ -f "$src/tests/fuzz/dict/$name.dict" ] && dict=-dict=$src/tests/fuzz/dict/$name.dict
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# -fork=1 keeps going after a finding (one child at a time); the machine is shared: nice.
exec nice -n 19 "$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds" \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict "$@" "$work/corpus"
