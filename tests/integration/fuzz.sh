#!/bin/sh
# Every fuzz target built in the build tree (tests/fuzz/meson.build lists them) replays its
# corpus (tests/fuzz/corpus/NAME/) and then runs random mutations for a bounded time
# (FUZZ_SECONDS, default 5). A crash, an abort (a failed round trip) or a sanitizer report
# fails the check. Built with -Dfuzzing=true the targets are libFuzzer programs instead.
# airlock-test: root-only
# (The parsers under fuzz do the same work whoever runs them, so the root and ASan phases
# cover them; the unprivileged phase cannot reach a build tree inside a private clone.)
. "$AIRLOCK_SRC/tests/lib.sh"

# The same mutations on every run (a fixed seed and count): a check that CI can trust, where
# each run of random ones would be a different test. Exploring is libFuzzer's job
# (tests/fuzz/libfuzzer.sh); FUZZ_SEED=random gives a new sequence here.
seconds=${FUZZ_SECONDS:-30}
mutations=${FUZZ_MUTATIONS:-20000}
seed=${FUZZ_SEED:-20261127}
[ "$seed" = random ] && seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
build=${AIRLOCK_BUILD:-}
if [ -z "$build" ] || [ ! -d "$build/tests/fuzz" ]; then
        fail "fuzz targets" "no build tree with tests/fuzz (AIRLOCK_BUILD=$build)"
        exit 0
fi
found=0
for target in "$build"/tests/fuzz/fuzz-*; do
        [ -f "$target" ] && [ -x "$target" ] || continue
        name=$(basename "$target")
        corpus=$AIRLOCK_SRC/tests/fuzz/corpus/$name
        found=$((found + 1))
        if [ ! -d "$corpus" ]; then
                fail "$name" "no corpus in tests/fuzz/corpus/$name"
                continue
        fi
        # A hang inside a library (the target checks its time between inputs) is a finding
        # too: it fails here, with the seed to replay it, instead of stalling the suite.
        timeout $((seconds + 120)) "$target" -t "$seconds" -n "$mutations" -s "$seed" "$corpus" \
                >"$TEST_TMPDIR/$name.log" 2>&1
        rc=$?
        if [ $rc = 0 ]; then
                pass "$name: $(tail -n 1 "$TEST_TMPDIR/$name.log")"
        elif [ $rc = 124 ]; then
                fail "$name" "hung (seed $seed): $(head -c 600 "$TEST_TMPDIR/$name.log")"
        else
                fail "$name" "$(head -c 1500 "$TEST_TMPDIR/$name.log")"
        fi
done
[ "$found" -gt 0 ] || fail "fuzz targets" "none built in $build/tests/fuzz"
