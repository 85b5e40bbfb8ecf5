#!/bin/sh
# A real hang inside libarchive ends at the worker's deadline (issue 18). The input is a 146-byte
# xar whose one file says <type link="original"> twice: libarchive up to 3.7.4 (Debian 12 has
# 3.6.2) links that file to itself on the list of hard-link originals and walks the list for
# ever while it reads the table of contents, before the first entry (upstream fix: libarchive
# PR #2150). tests/helpers/gen-hang.py writes it (and a control with one such element). The
# test first shows with Debian's own bsdtar that the input really loops and that the control
# does not, then that analyze kills the worker at the deadline: the file is unscannable with
# limit.time and the next file is still scanned.
. "$AIRLOCK_SRC/tests/lib.sh"

w=$TEST_TMPDIR
gen=$AIRLOCK_SRC/tests/helpers/gen-hang.py
[ -f "$gen" ] || gen=$(dirname "$0")/gen-hang.py
if ! python3 "$gen" "$w/hang.xar" || ! python3 "$gen" "$w/control.xar" --variant control; then
        fail "generate-input" "python3 $gen failed"
        exit 0
fi
pass "generate-input"

# verdict and rules of each file of a report, one line each: "name verdict rule,rule"
summary() {
        python3 -c '
import json, sys
for f in json.load(sys.stdin)["files"]:
    print(f["name"], f["verdict"], ",".join(x["rule"] for x in f["findings"]))'
}

# The input is a real libarchive hang, not a file our code gives up on: the system's bsdtar
# (same libarchive) lists the control at once and is still listing the other one after 10 s.
# A libarchive that got the fix fails here: the input no longer proves anything about the
# deadline and needs replacing.
if ! command -v bsdtar >/dev/null 2>&1; then
        fail "bsdtar-hangs" "bsdtar is not installed (Debian: apt-get install libarchive-tools); it proves the input loops inside libarchive"
else
        expect_output "bsdtar-lists-control" "a" timeout 10 bsdtar -tf "$w/control.xar"
        start=$(date +%s)
        timeout 10 bsdtar -tf "$w/hang.xar" >"$w/bsdtar.out" 2>&1
        rc=$?
        took=$(($(date +%s) - start))
        if [ $rc = 124 ]; then
                pass "bsdtar-hangs"
        else
                fail "bsdtar-hangs" "bsdtar -tf ended with status $rc after $took s (libarchive $(bsdtar --version 2>&1 | head -n 1)): $(head -c 300 "$w/bsdtar.out")"
        fi
fi

# What the same command costs without the hang, on this machine now (ASan, a loaded machine and
# the suite's other phase make start-up take seconds): the deadline is judged above that.
start=$(date +%s)
timeout 60 "$AIRLOCK" analyze --timeout 2 --json "$w/control.xar" >/dev/null 2>&1
base=$(($(date +%s) - start))
# timeout(1) only so that a scan that is not stopped (parsing in process again) fails this
# check in a minute instead of stalling the suite
start=$(date +%s)
out=$(timeout 60 "$AIRLOCK" analyze --timeout 2 --json "$w/hang.xar" "$w/control.xar" 2>"$w/err")
rc=$?
took=$(($(date +%s) - start))
lines=$(printf '%s\n' "$out" | summary 2>>"$w/err")
expect_eq "hang-unscannable-limit-time" "hang.xar unscannable limit.time" \
        "$(printf '%s\n' "$lines" | sed -n 1p)"
expect_eq "next-file-scanned" "control.xar clean" \
        "$(printf '%s\n' "$lines" | sed -n 2p | cut -d' ' -f1-2)"
# killed at the deadline: not before it (the input loops), and not much later
if [ "$(printf '%s\n' "$lines" | sed -n 1p)" != "hang.xar unscannable limit.time" ]; then
        fail "killed-at-deadline" "no limit.time after $took s (exit status $rc)"
elif [ "$took" -ge 2 ] && [ "$took" -le $((base + 7)) ]; then
        pass "killed-at-deadline ($took s; $base s without the hang)"
else
        fail "killed-at-deadline" "took $took s with --timeout 2 ($base s without the hang)"
fi
expect_eq "exit-status-unscannable" 1 "$rc"
[ -s "$w/err" ] && echo "stderr of analyze: $(head -c 400 "$w/err")"
exit 0
