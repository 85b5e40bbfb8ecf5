#!/bin/sh
# airlock-test: root-only
# Root because the milter drops from root to its --user, which is what is tested: a milter
# started as root whose policy or rules the dropped user cannot read says so at start-up (a
# SIGHUP reload would fail later), says nothing when it can, and refuses to stay root.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

chmod 755 "$TEST_TMPDIR"
mkdir -p "$TEST_TMPDIR/private" "$TEST_TMPDIR/public"
rule='rule airlock_test_private_rule { strings: $a = "airlock-private-marker" condition: $a }'
echo "$rule" >"$TEST_TMPDIR/private/r.yar"
echo "$rule" >"$TEST_TMPDIR/public/r.yar"
chmod 700 "$TEST_TMPDIR/private"
chmod -R a+rX "$TEST_TMPDIR/public"

# run_milter DIR LOG: start it on a free port, wait until it listens and has checked, stop it.
run_milter() {
        _port=$(free_port)
        "$AIRLOCK_TOOLS" milter --socket "inet:$_port@127.0.0.1" --user nobody --rules "$1" \
                2>"$2" &
        _pid=$!
        wait_for_port "$_port" 20
        _i=0
        # the check runs once the milter listens; "listening" is logged just before it
        while ! grep -q "listening on" "$2" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
        sleep 1
        kill "$_pid" 2>/dev/null
        wait "$_pid" 2>/dev/null
}

run_milter "$TEST_TMPDIR/private" "$TEST_TMPDIR/private.log"
expect_grep "rules the dropped user cannot read: warned at start-up" \
        "as user nobody the policy file or rules cannot be read" cat "$TEST_TMPDIR/private.log"
expect_grep "rules the dropped user cannot read: it still runs" "running as user nobody" \
        cat "$TEST_TMPDIR/private.log"
run_milter "$TEST_TMPDIR/public" "$TEST_TMPDIR/public.log"
if grep -q "cannot be read" "$TEST_TMPDIR/public.log"; then
        fail "readable rules: no warning" "$(cat "$TEST_TMPDIR/public.log")"
else
        pass "readable rules: no warning"
fi
expect_grep "readable rules: it runs as nobody" "running as user nobody" cat "$TEST_TMPDIR/public.log"
port=$(free_port)
expect_status "--user root: refused" 1 timeout 20 "$AIRLOCK_TOOLS" milter \
        --socket "inet:$port@127.0.0.1" --user root
expect_grep "--user root: says why" "refusing to run as root" timeout 20 "$AIRLOCK_TOOLS" milter \
        --socket "inet:$(free_port)@127.0.0.1" --user root
exit 0
