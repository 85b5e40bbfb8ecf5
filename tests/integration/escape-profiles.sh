#!/bin/sh
# The core escape battery (tests/integration/escape.sh) again under the shipped profiles
# strict and untrusted, and under default named explicitly: every attempt must be contained
# whichever of them the user picks. escape.sh is run unchanged with an airlock that adds
# "-p PROFILE" to each "airlock run"; its lines are prefixed with the profile.
. "$AIRLOCK_SRC/tests/lib.sh"

battery=$AIRLOCK_SRC/tests/integration/escape.sh
bindir=$(dirname "$AIRLOCK")
# The three batteries run side by side (each waits on its sandboxes much of the time); each
# has its own folder and wrapper, and their lines are printed profile by profile at the end.
pids=""
for profile in default strict untrusted; do
        dir=$TEST_TMPDIR/bin-$profile
        mkdir -p "$dir"
        cat >"$dir/airlock" <<WRAP
#!/bin/sh
if [ "\$1" = run ]; then
        shift
        exec "$AIRLOCK" run -p $profile "\$@"
fi
exec "$AIRLOCK" "\$@"
WRAP
        chmod +x "$dir/airlock"
        # run-lib.sh looks for the probe beside airlock, then in the build tree.
        [ -x "$bindir/probe" ] && ln -sf "$bindir/probe" "$dir/probe"
        # The wrapper must really select the profile: each leaves a mark.
        case $profile in
        strict) expect_output "[strict] wrapper applies the profile" /tmp \
                "$dir/airlock" run -- /bin/sh -c 'echo $HOME' ;;
        untrusted) expect_output "[untrusted] wrapper applies the profile" workstation \
                "$dir/airlock" run -- /bin/hostname ;;
        esac
        mkdir -p "$TEST_TMPDIR/tmp-$profile"
        (AIRLOCK=$dir/airlock TEST_TMPDIR=$TEST_TMPDIR/tmp-$profile sh "$battery" 2>&1 |
                sed -e "s/^PASS: /PASS: [$profile] /" -e "s/^FAIL: /FAIL: [$profile] /" \
                        -e "s/^SKIP: /SKIP: [$profile] /" >"$TEST_TMPDIR/$profile.log") &
        pids="$pids $!"
done
for pid in $pids; do
        wait "$pid"
done
for profile in default strict untrusted; do
        grep -E '^(PASS|FAIL|SKIP):' "$TEST_TMPDIR/$profile.log"
        n=$(grep -c '^PASS:' "$TEST_TMPDIR/$profile.log")
        nfail=$(grep -c '^FAIL:' "$TEST_TMPDIR/$profile.log")
        if [ "$n" -ge 40 ] && [ "$nfail" = 0 ]; then
                pass "[$profile] battery ran $n contained attempts"
        else
                fail "[$profile] battery" "$n attempts contained, $nfail not: $(grep -v '^PASS' "$TEST_TMPDIR/$profile.log" | head -c 600)"
        fi
done
