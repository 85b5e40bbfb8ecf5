#!/bin/sh
# Bad input: one line naming the object and the cause, and status 125.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

one_line_125() { # NAME REGEX ARGS...
        _name=$1
        _re=$2
        shift 2
        "$AIRLOCK" run "$@" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
        _rc=$?
        if [ "$_rc" = 125 ] && [ "$(wc -l <"$TEST_TMPDIR/err")" = 1 ] &&
                grep -Eq -- "$_re" "$TEST_TMPDIR/err"; then
                pass "$_name"
        else
                fail "$_name" "status $_rc, stderr: $(cat "$TEST_TMPDIR/err")"
        fi
}

one_line_125 "unknown flag" "unrecognized option '--frobnicate'" --frobnicate -- true
one_line_125 "missing bind source" "cannot bind /nonexistent-airlock: No such file or directory" \
        --ro-bind /nonexistent-airlock /x -- true
one_line_125 "relative destination" "invalid value 'x' for --bind: expected an absolute path" \
        --bind /usr x -- true
one_line_125 "destination outside the new root" "destination '/../etc' is outside the sandbox root" \
        --bind /usr /../etc -- true
one_line_125 "no command" "no command given" --
one_line_125 "option without its value" "--timeout needs" --timeout
one_line_125 "bad timeout" "invalid value 'soon' for --timeout" --timeout soon -- true
one_line_125 "unknown profile" "profile 'no-such-profile-airlock'" -p no-such-profile-airlock -- true

# User namespaces disabled: a user namespace whose limit of nested user namespaces is 0.
if unshare --user --map-root-user true 2>/dev/null; then
        unshare --user --map-root-user /bin/sh -c \
                "echo 0 > /proc/sys/user/max_user_namespaces && exec '$AIRLOCK' run -- true" \
                >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
        rc=$?
        if [ "$rc" = 125 ] && grep -q "cannot create a user namespace.*sysctl -w user.max_user_namespaces" "$TEST_TMPDIR/err"; then
                pass "user namespaces disabled: says how to enable them"
        else
                fail "user namespaces disabled: says how to enable them" "status $rc: $(cat "$TEST_TMPDIR/err")"
        fi
else
        skip "user namespaces disabled" "unshare --user is not permitted here"
fi
