#!/bin/sh
# airlock inspect rates real processes: a program in airlock's sandbox, the same program on
# the host, one in bwrap, one under unshare, one holding a leaked host directory fd, and
# programs on a terminal. Each namespace verdict is checked against the test's own reading
# of /proc/PID/ns (not airlock's), the rest against what was set up.
. "$AIRLOCK_SRC/tests/lib.sh"
PY=${PY:-python3}

J=$TEST_TMPDIR/inspect.json
started=""
cleanup() { for p in $started; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

# runs PID NAME: PID has exec'd NAME (before that it is a copy of its parent, still setting up).
runs() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
# The program below an "airlock run" supervisor (supervisor -> pid 1 -> program), once it runs
# NAME: until it has exec'd, the child is airlock still setting the sandbox up. Up to 20 s:
# starting a sandbox under ASan on a loaded machine can take seconds.
child_of() { cut -d' ' -f1 "/proc/$1/task/$1/children" 2>/dev/null; }
program_of() { # program_of PID NAME
        for _ in $(seq 200); do
                _i=$(child_of "$1")
                _p=${_i:+$(child_of "$_i")}
                [ -n "$_p" ] && runs "$_p" "$2" && { echo "$_p"; return; }
                sleep 0.1
        done
}
# The newest process of a name that is a descendant of pid $1 (up to 20 s).
descendant() {
        for _ in $(seq 200); do
                _d=$(ps -eo pid=,ppid=,comm= | awk -v root="$1" -v name="$2" '
                        { parent[$1] = $2; comm[$1] = $3 }
                        END { for (p in parent) if (comm[p] == name)
                                for (q = parent[p]; q > 1; q = parent[q]) if (q == root) { print p; exit } }')
                [ -n "$_d" ] && { echo "$_d"; return; }
                sleep 0.1
        done
}
status_of() { # status_of CHECK -> ok|weak|missing|unknown from $J's first process
        "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
print([c["status"] for c in p["checks"] if c["name"] == sys.argv[2]][0])' "$J" "$1"
}
field_of() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0][sys.argv[2]])' "$J" "$1"; }
inspect_json() { "$AIRLOCK" inspect --json "$1" >"$J" 2>"$TEST_TMPDIR/inspect.err"; }

# expect_check LABEL CHECK WANT
expect_check() {
        _got=$(status_of "$2" 2>&1)
        if [ "$_got" = "$3" ]; then pass "$1: $2 $3"
        else fail "$1: $2 $3" "got '$_got': $("$PY" -c 'import json,sys; print([c for c in json.load(open(sys.argv[1]))["processes"][0]["checks"] if c["name"] == sys.argv[2]])' "$J" "$2" 2>&1 | head -c 300)"; fi
}
# expect_namespaces LABEL PID: every namespace verdict agrees with our own reading of /proc.
expect_namespaces() {
        _bad=""
        for _ns in user:user-namespace mnt:mount-namespace pid:pid-namespace ipc:ipc-namespace \
                uts:uts-namespace cgroup:cgroup-namespace net:network; do
                _n=${_ns%%:*}
                _c=${_ns#*:}
                if [ "$(readlink "/proc/$2/ns/$_n")" = "$(readlink "/proc/self/ns/$_n")" ]; then
                        _want=missing
                else
                        _want="ok weak"
                fi
                _got=$(status_of "$_c")
                case " $_want " in *" $_got "*) ;; *) _bad="$_bad $_c=$_got(want $_want)" ;; esac
        done
        if [ -z "$_bad" ]; then pass "$1: namespace verdicts match /proc/$2/ns"
        else fail "$1: namespace verdicts match /proc/$2/ns" "$_bad"; fi
}
# expect_rating LABEL MIN MAX: exposure within [MIN, MAX].
expect_exposure() {
        _e=$(field_of exposure)
        if awk -v e="$_e" -v lo="$2" -v hi="$3" 'BEGIN { exit !(e >= lo && e <= hi) }'; then
                pass "$1: exposure $_e in [$2, $3] ($(field_of rating))"
        else
                fail "$1: exposure in [$2, $3]" "exposure $_e ($(field_of rating))"
        fi
}

# 1. A program in airlock's default sandbox.
"$AIRLOCK" run -- /bin/sleep 60 &
sup=$!
started="$started $sup"
prog=$(program_of "$sup" sleep)
if [ -z "$prog" ]; then
        fail "sandbox: program found below the supervisor" "no process below $sup"
        exit 0
fi
expect_status "sandbox: exit status 0 when contained" 0 "$AIRLOCK" inspect "$prog"
inspect_json "$prog"
expect_namespaces sandbox "$prog"
for c in user-namespace mount-namespace pid-namespace network ipc-namespace uts-namespace \
        cgroup-namespace host-identity capabilities bounding-set no-new-privs private-root \
        leaked-directories terminal; do
        expect_check sandbox "$c" ok
done
# What the filter refuses is read back and run (PTRACE_SECCOMP_GET_FILTER) by root only.
if is_root; then
        expect_check sandbox seccomp ok
else
        expect_check sandbox seccomp unknown
fi
expect_check sandbox landlock unknown
expect_exposure sandbox 0 1.0
expect_output "sandbox: the command line" "/bin/sleep 60" field_of command
# Without a PID: the running sandboxes of this airlock, this one among them.
"$AIRLOCK" inspect --json >"$J" 2>"$TEST_TMPDIR/inspect.err"
got=$("$PY" -c 'import json,sys; print(" ".join(str(p["pid"]) for p in json.load(open(sys.argv[1]))["processes"]))' "$J" 2>&1)
case " $got " in *" $prog "*) pass "no PID: lists the running sandbox's program" ;;
*) fail "no PID: lists the running sandbox's program" "got '$got', want $prog among them" ;; esac
expect_grep "no PID: table names the program" "PID $prog: /bin/sleep 60" "$AIRLOCK" inspect
inspect_json "$prog"
"$PY" - "$AIRLOCK_SRC/docs/inspect-report.schema.json" "$J" >"$TEST_TMPDIR/schema.err" 2>&1 <<'PY'
import json, sys
import jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
[ $? = 0 ] && pass "report valid against docs/inspect-report.schema.json" ||
        fail "report valid against docs/inspect-report.schema.json" "$(tail -n 3 "$TEST_TMPDIR/schema.err")"

# 2. The same program on the host.
/bin/sleep 60 &
host=$!
started="$started $host"
expect_status "host: exit status 1 when not contained" 1 "$AIRLOCK" inspect "$host"
inspect_json "$host"
expect_namespaces host "$host"
expect_check host seccomp missing
expect_check host private-root missing
expect_check host no-new-privs missing
if is_root; then
        expect_check host host-identity missing
        expect_check host capabilities missing
        expect_exposure host 8.01 10
else
        expect_check host host-identity ok
        expect_check host capabilities ok
        expect_exposure host 5.01 10
fi

# 3. A directory fd of the host passed in: a handle outside the sandbox's root.
"$AIRLOCK" run --pass-fd 3 -- /bin/sleep 60 3<"$TEST_TMPDIR" &
sup=$!
started="$started $sup"
prog=$(program_of "$sup" sleep)
inspect_json "$prog"
expect_check "passed host directory" leaked-directories missing
got=$("$PY" -c 'import json,sys; print([c["detail"] for c in json.load(open(sys.argv[1]))["processes"][0]["checks"] if c["name"] == "leaked-directories"][0])' "$J")
case "$got" in *"fd 3 -> $TEST_TMPDIR"*) pass "passed host directory: named with its path" ;;
*) fail "passed host directory: named with its path" "$got" ;; esac

# 4. bubblewrap with every namespace but no seccomp filter, and the host's / bound.
if command -v bwrap >/dev/null; then
        bwrap --unshare-all --die-with-parent --ro-bind / / /bin/sleep 60 &
        bw=$!
        started="$started $bw"
        prog=$(descendant "$bw" sleep)
        [ -z "$prog" ] && prog=$bw
        inspect_json "$prog"
        expect_namespaces bwrap "$prog"
        expect_check bwrap seccomp missing
        expect_check bwrap private-root missing
fi

# 5. unshare: a user and a network namespace only; uid 0 inside.
if unshare --user --map-root-user --net /bin/true 2>/dev/null; then
        unshare --user --map-root-user --net /bin/sleep 60 &
        us=$!
        started="$started $us"
        # until unshare has made its namespaces and exec'd the program
        wait_for 20 runs "$us" sleep
        inspect_json "$us"
        expect_namespaces unshare "$us"
        expect_check unshare network ok
        if is_root; then
                expect_check "unshare (root maps uid 0 to host root)" user-namespace weak
        else
                expect_check "unshare (uid 0 inside is this user)" user-namespace ok
        fi
        expect_check unshare capabilities weak
fi

# 6. Terminals: a program run by airlock on a terminal gets its own pty; one run on the host
# shares the terminal (TIOCSTI can type into it unless the system disabled that).
"$PY" - "$AIRLOCK" "$TEST_TMPDIR/tty" <<'PY' &
import os, pty, sys, time
airlock, out = sys.argv[1], sys.argv[2]
pids = []
for cmd in ([airlock, "run", "--", "/bin/sleep", "30"], ["/bin/sleep", "30"]):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(cmd[0], cmd)
    pids.append((pid, fd))
open(out, "w").write(" ".join(str(p) for p, _ in pids))
for p, _ in pids:
    os.waitpid(p, 0)
PY
ptys=$!
started="$started $ptys"
wait_for 20 test -s "$TEST_TMPDIR/tty"
set -- $(cat "$TEST_TMPDIR/tty")
prog=$(program_of "$1" sleep)
inspect_json "$prog"
expect_check "sandbox on a terminal" terminal ok
inspect_json "$2"
if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null)" = 0 ]; then
        expect_check "host program on a terminal (TIOCSTI disabled)" terminal ok
else
        expect_check "host program on a terminal" terminal missing
fi

# 7. Errors: one line naming the object, status 125.
expect_status "no such process: status 125" 125 "$AIRLOCK" inspect 999999999
expect_grep "no such process: named" "no process 999999999" "$AIRLOCK" inspect 999999999
expect_status "not a pid: a usage error, status 2" 2 "$AIRLOCK" inspect abc
expect_grep "not a pid: named" "'abc' is not a process id" "$AIRLOCK" inspect abc
if ! is_root; then
        # pid 1 belongs to root: its namespaces are not ours to read
        expect_status "another user's process: status 125" 125 "$AIRLOCK" inspect 1
        expect_grep "another user's process: says why" "not allowed to read" "$AIRLOCK" inspect 1
fi
exit 0
