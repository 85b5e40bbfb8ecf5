#!/bin/sh
# airlock run --trace: ordinary work (gcc compiling and linking a C file, a python3 script that
# reads and writes in /tmp, tar of a folder) gives no finding above low severity, while the
# trace still sees it (events and file changes are there).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/monitor/trace-lib.sh"

mkdir -p "$SAMPLES"
cat >"$SAMPLES/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
C
cat >"$SAMPLES/work.py" <<'PY'
import os, tempfile
d = tempfile.mkdtemp(dir="/tmp")
for i in range(20):
    with open(os.path.join(d, "f%d.txt" % i), "w") as f:
        f.write("line %d\n" % i * 10)
total = sum(len(open(os.path.join(d, n)).read()) for n in os.listdir(d))
print(total)
PY
chmod -R a+rX "$SAMPLES"

trace gcc -- /bin/sh -c 'cd /tmp && gcc -O1 -o hello /opt/samples/hello.c && ./hello'
if [ "$(cat "$TEST_TMPDIR/gcc.rc")" = 0 ] && grep -q hello "$TEST_TMPDIR/gcc.out"; then
        pass "gcc: compiled and ran"
else
        fail "gcc: compiled and ran" "$(head -c 300 "$TEST_TMPDIR/gcc.out")"
fi
expect_max_severity_at_most gcc low
got=$(jq_py gcc "any(c['path'] == '/tmp/hello' and c['change'] == 'created' and c['type'] == 'regular/elf' for c in r['file_changes'])")
[ "$got" = True ] && pass "gcc: /tmp/hello listed as a created ELF file" ||
        fail "gcc: /tmp/hello listed as a created ELF file" "$(jq_py gcc "r['file_changes']")"

trace python -- /usr/bin/python3 /opt/samples/work.py
[ "$(cat "$TEST_TMPDIR/python.rc")" = 0 ] && pass "python: ran" ||
        fail "python: ran" "$(head -c 300 "$TEST_TMPDIR/python.out")"
expect_max_severity_at_most python low
got=$(jq_py python "len([c for c in r['file_changes'] if c['change'] == 'created' and c['path'].endswith('.txt')])")
[ "$got" = 20 ] && pass "python: 20 created files" || fail "python: 20 created files" "got $got"

trace tar -- /bin/sh -c 'mkdir -p /tmp/d/sub && echo a > /tmp/d/a && echo b > /tmp/d/sub/b && tar czf /tmp/d.tgz -C /tmp d && tar tzf /tmp/d.tgz'
expect_max_severity_at_most tar low
got=$(jq_py tar "[c['type'] for c in r['file_changes'] if c['path'] == '/tmp/d.tgz']")
[ "$got" = "['regular/gzip']" ] && pass "tar: the archive is a created gzip file" ||
        fail "tar: the archive is a created gzip file" "got $got"

# without --trace the filter has no notify rule (no notification cost); with it, it has
"$AIRLOCK" run --report "$TEST_TMPDIR/plain.json" -- /bin/true >/dev/null 2>&1
got=$(jq_py plain "(r['enforced']['seccomp']['notify'], 'events' in r and len(r['events']) > 0)")
[ "$got" = "(0, False)" ] && pass "no notify rule and no events without --trace" ||
        fail "no notify rule and no events without --trace" "got $got"
got=$(jq_py gcc "r['enforced']['seccomp']['notify'] > 40")
[ "$got" = True ] && pass "the trace set is in the filter with --trace" ||
        fail "the trace set is in the filter with --trace" "got $got"

# A shell forking while signals arrive: a plain fork is not traced, so a signal cannot turn it
# into EINTR (dash: "Cannot fork") while it waits for the supervisor. 300 command
# substitutions under a stream of USR1s, which dash handles without SA_RESTART.
cat >"$SAMPLES/storm.sh" <<'SH'
trap : USR1
parent=$$
( while kill -USR1 $parent 2>/dev/null; do :; done ) &
i=0
while [ $i -lt 300 ]; do
        x=$(echo $i) || exit 3
        i=$((i + 1))
done
kill $! 2>/dev/null
echo "forked $i"
SH
chmod a+r "$SAMPLES/storm.sh"
trace storm -- /bin/sh /opt/samples/storm.sh
if [ "$(cat "$TEST_TMPDIR/storm.rc")" = 0 ] && grep -q 'forked 300' "$TEST_TMPDIR/storm.out"; then
        pass "storm: 300 forks under a stream of signals"
else
        fail "storm: 300 forks under a stream of signals" "status $(cat "$TEST_TMPDIR/storm.rc"): $(head -c 300 "$TEST_TMPDIR/storm.out")"
fi
