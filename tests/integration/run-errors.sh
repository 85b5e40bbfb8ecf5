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
one_line_125 "--memory 0 is refused, not read as no limit" "invalid value '0' for --memory: .*or max" \
        --memory 0 -- true
one_line_125 "--tmpfs-size 0 is refused, not read as no limit" "invalid value '0' for --tmpfs-size" \
        --tmpfs-size 0 -- true
one_line_125 "an unwritable report is refused before the program runs" \
        "cannot write the report $TEST_TMPDIR/no-such-dir/r.json: No such file or directory" \
        --report "$TEST_TMPDIR/no-such-dir/r.json" -- /bin/echo the-program-ran
if [ -s "$TEST_TMPDIR/out" ]; then
        fail "an unwritable report: the program did not run" "stdout: $(head -c 200 "$TEST_TMPDIR/out")"
else
        pass "an unwritable report: the program did not run"
fi
"$AIRLOCK" run --report "$TEST_TMPDIR/r.json" -- /bin/sh -c 'exit 3' >/dev/null 2>&1
rc=$?
if [ "$rc" = 3 ] && python3 -c 'import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["exit"]["status"] == 3 else 1)' "$TEST_TMPDIR/r.json"; then
        pass "with --report the program's own status is kept and reported"
else
        fail "with --report the program's own status is kept" "status $rc; report: $(head -c 300 "$TEST_TMPDIR/r.json" 2>/dev/null)"
fi

# Options after the command's name are the command's (as in bwrap, env, sudo).
expect_output "an option after the command belongs to the command" "-h" \
        "$AIRLOCK" run /bin/echo -h
expect_output "--help after the command belongs to the command" "x --help" \
        "$AIRLOCK" run /bin/sh -c 'echo "$0 $1"' x --help
expect_output "-- then --help runs the command" "--help" "$AIRLOCK" run -- /usr/bin/printf '%s\n' --help

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

# A relative source on the command line is taken from the working folder, as bwrap does (the
# README's own example); in a profile it is an error that says what to write instead.
echo relative-source-ok >"$TEST_TMPDIR/s.txt"
expect_output "a relative bind source on the command line is the working folder's" relative-source-ok \
        sh -c "cd '$TEST_TMPDIR' && '$AIRLOCK' run --ro-bind ./s.txt /work/s.txt -- /bin/cat /work/s.txt"
printf 'airlock-profile 1\ninclude default\nro-bind s.txt /s.txt\n' >"$TEST_TMPDIR/rel.profile"
expect_grep "a relative bind source in a profile names the fix" \
        "rel.profile:3:.*expected an absolute source \(or \\$\{CWD\}/\.\.\.\) in a profile" \
        "$AIRLOCK" run -p "$TEST_TMPDIR/rel.profile" -- /bin/true

# Started as root, a writable bind the program's uid cannot write is said before it runs.
if is_root; then
        mkdir -p "$TEST_TMPDIR/rootonly"
        chmod 700 "$TEST_TMPDIR/rootonly"
        expect_grep "root: a writable bind the program cannot write is said before it runs" \
                "bind .*rootonly: the program runs as uid 65534, which cannot write this folder \(owner uid 0, mode 0700\)" \
                "$AIRLOCK" run --bind "$TEST_TMPDIR/rootonly" /out -- /bin/true
fi
