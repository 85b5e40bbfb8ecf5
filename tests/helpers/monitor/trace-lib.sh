# Helpers for the trace-*.sh integration tests (sourced after tests/lib.sh).

SAMPLES=$TEST_TMPDIR/samples
PY=/usr/bin/python3

# build_samples: compiles the static raw-syscall sample the way an attacker ships it.
build_samples() {
        mkdir -p "$SAMPLES"
        gcc -static -O2 -o "$SAMPLES/sample-raw" \
                "$AIRLOCK_SRC/tests/helpers/monitor/sample-raw.c" 2>"$TEST_TMPDIR/gcc.err" || {
                fail "build sample-raw" "$(head -c 300 "$TEST_TMPDIR/gcc.err")"
                exit 1
        }
        chmod -R a+rX "$SAMPLES"
}

# trace NAME [AIRLOCK RUN OPTIONS] -- COMMAND...: runs under --trace, report in $TEST_TMPDIR/NAME.json
trace() {
        _n=$1
        shift
        "$AIRLOCK" run --trace --report "$TEST_TMPDIR/$_n.json" --ro-bind "$SAMPLES" /opt/samples \
                "$@" >"$TEST_TMPDIR/$_n.out" 2>&1
        echo $? >"$TEST_TMPDIR/$_n.rc"
}

# jq_py NAME EXPR: evaluates a Python expression over the report r; prints the result.
jq_py() {
        $PY -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$TEST_TMPDIR/$1.json" \
                2>/dev/null
}

# expect_finding NAME ATTACK_ID [MIN_SEVERITY]
expect_finding() {
        _sev=${3:-info}
        _got=$(jq_py "$1" "any('$2' in f['attack'] and ['info','low','medium','high'].index(f['severity']) >= ['info','low','medium','high'].index('$_sev') for f in r['findings'])")
        if [ "$_got" = True ]; then
                pass "$1: finding $2"
        else
                fail "$1: finding $2" "not in the report; findings: $(jq_py "$1" "[(f['rule'], f['attack'], f['severity']) for f in r['findings']]") output: $(head -c 300 "$TEST_TMPDIR/$1.out")"
        fi
}

# expect_max_severity_at_most NAME SEVERITY
expect_max_severity_at_most() {
        _got=$(jq_py "$1" "max([['info','low','medium','high'].index(f['severity']) for f in r['findings']] + [-1]) <= ['info','low','medium','high'].index('$2')")
        if [ "$_got" = True ]; then
                pass "$1: nothing above $2"
        else
                fail "$1: nothing above $2" "findings: $(jq_py "$1" "[(f['rule'], f['attack'], f['severity'], f.get('evidence')) for f in r['findings']]")"
        fi
}

# host_listener_start: a TCP listener on the host's loopback that counts the connections it
# gets (a sandbox must not reach it). Sets port; fails when the listener did not come up.
# host_listener_stop stops it and sets hits to how many connections it got (0 when contained).
host_listener_start() {
        _hl=$TEST_TMPDIR/host-listener
        : >"$_hl.hits"
        rm -f "$_hl.port" "$_hl.port.stop"
        $PY - "$_hl.port" "$_hl.hits" <<'PY' &
import socket, sys, select, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
end = time.time() + 900  # until host_listener_stop (traces under ASan take minutes)
while time.time() < end:
    r, _, _ = select.select([s], [], [], 0.3)
    if r:
        c, a = s.accept(); open(sys.argv[2], "a").write("hit\n"); c.close()
    try:
        open(sys.argv[1] + ".stop").close(); break
    except OSError:
        pass
PY
        _hl_pid=$!
        wait_for 20 test -s "$_hl.port"
        port=$(cat "$_hl.port" 2>/dev/null)
        [ -n "$port" ]
}
host_listener_stop() {
        touch "$_hl.port.stop"
        wait "$_hl_pid" 2>/dev/null
        hits=$(wc -l <"$_hl.hits" | tr -d ' ')
}
