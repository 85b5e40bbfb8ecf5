#!/bin/sh
# A long scan on a terminal says how far it is (issue 17: 17): one line on stderr, rewritten
# in place after the first second and erased before the results; nothing when stderr is not a
# terminal. The scan is made long on purpose with the test builds' worker fault switch (a
# parser that hangs until the 2 s deadline), and the terminal is a real pty from script(1).
. "$AIRLOCK_SRC/tests/lib.sh"

w=$TEST_TMPDIR
printf 'slow\n' >"$w/a.txt"
command -v script >/dev/null || { fail "progress" "script(1) (bsdutils) is missing"; exit 0; }

script -qec "AIRLOCK_TEST_WORKER_FAULT=hang '$AIRLOCK' analyze --timeout 2 '$w/a.txt'" \
        "$w/typescript" >/dev/null 2>&1
lines=$(tr '\r' '\n' <"$w/typescript")
case $lines in
*"analyze: 0 files scanned"*) pass "progress-on-a-terminal" ;;
*) fail "progress-on-a-terminal" "$(printf %s "$lines" | head -c 400)" ;;
esac
# the line is erased before the result is printed: the result line stands alone
case $(printf '%s\n' "$lines" | grep -a 'unscannable.*a\.txt' | head -n 1) in
*"files scanned"*) fail "progress-erased-before-results" "$(printf %s "$lines" | head -c 400)" ;;
*"$(printf '\033[K')unscannable"*) pass "progress-erased-before-results" ;;
*) fail "progress-erased-before-results" "no result line: $(printf %s "$lines" | head -c 400)" ;;
esac

AIRLOCK_TEST_WORKER_FAULT=hang "$AIRLOCK" analyze --timeout 2 "$w/a.txt" >"$w/out" 2>"$w/err"
expect_eq "no-progress-off-a-terminal" "" "$(grep -c 'files scanned' "$w/err" | grep -v '^0$')"
