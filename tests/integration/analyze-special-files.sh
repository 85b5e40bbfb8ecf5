#!/bin/sh
# analyze of what is not a regular file (issue 17, point 14): a device or a FIFO given by name
# is not read; that is a warning naming the file and exit status 2, as clamscan's, never
# "clean" with status 0.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
mkfifo "$t/fifo"
for f in /dev/zero "$t/fifo"; do
        n=$(basename "$f")
        timeout 30 "$AIRLOCK" analyze "$f" >"$t/out" 2>"$t/err"
        expect_eq "analyze-$n-exit-2" 2 $?
        expect_grep "analyze-$n-warning-names-file" "^airlock analyze: $f: not a regular file" cat "$t/err"
        if grep -q '^clean' "$t/out"; then
                fail "analyze-$n-not-clean" "$(cat "$t/out")"
        else
                pass "analyze-$n-not-clean"
        fi
done
# a regular file beside it still gets its verdict; the status is still 2
echo "a note" >"$t/note.txt"
timeout 30 "$AIRLOCK" analyze "$t/note.txt" /dev/zero >"$t/out" 2>"$t/err"
expect_eq "analyze-mixed-exit-2" 2 $?
expect_grep "analyze-mixed-file-judged" "^clean .*note.txt" cat "$t/out"
exit 0
