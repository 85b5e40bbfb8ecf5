#!/bin/sh
# mail scan on what a new user gives it (issue 17, points 13 and 14): a file that is not a
# message is called so (not "a truncated multipart"); every finding is printed once; a folder
# without messages says so; a header block with a line that is not a header ends there, as
# Postfix (and so the milter) reads it, and a message with no body is an ordinary message.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
"$AIRLOCK" mail scan /etc/passwd >"$t/out" 2>"$t/err"
expect_eq "passwd-exit-1" 1 $?
expect_grep "passwd-not-a-message" "not a mail message" cat "$t/out"
if grep -q "multipart" "$t/out"; then fail "passwd-no-multipart-blame" "$(cat "$t/out")"; else pass "passwd-no-multipart-blame"; fi

# each line of findings once
printf 'From: a@example.org\nTo: b@example.org\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n' >"$t/open-multipart.eml"
"$AIRLOCK" mail scan /etc/passwd "$t/open-multipart.eml" >"$t/out" 2>&1
dups=$(sed 's/^ *[a-z0-9_.-]*: //; s/ \[[a-z]*\].*$//' "$t/out" | sort | uniq -d)
if [ -z "$dups" ]; then pass "findings-printed-once"; else fail "findings-printed-once" "$dups"; fi

mkdir "$t/empty"
"$AIRLOCK" mail scan "$t/empty" >"$t/out" 2>"$t/err"
expect_eq "empty-folder-exit-0" 0 $?
expect_grep "empty-folder-says-so" "^airlock mail scan: $t/empty: no messages found" cat "$t/err"

# headers without a body: an ordinary message
printf 'From: a@example.org\nTo: b@example.org\nSubject: no body\n' >"$t/nobody.eml"
expect_output "headers-only-clean" "$t/nobody.eml: clean (score 0, 1 parts, milter action tag)" "$AIRLOCK" mail scan "$t/nobody.eml"

# a line that is not a header ends the headers, as in Postfix: what follows is the body
printf 'From: a@example.org\nTo: b@example.org\nthis line is not a header\nSubject: x\n\nbody\n' >"$t/junk.eml"
expect_status "junk-line-clean" 0 "$AIRLOCK" mail scan "$t/junk.eml"
expect_grep "junk-line-noted" '"rule": *"mime.header_block_ends_early"' "$AIRLOCK" mail scan --json "$t/junk.eml"
# and a malicious attachment after that line is part of the body, as Postfix delivers it:
# the same bytes with a blank line where Postfix ends the headers get the same verdict
grep -q 'eicar\|EICAR' /dev/null
printf 'From: a@example.org\nTo: b@example.org\nnot a header\nMIME-Version: 1.0\nContent-Type: text/plain\n\nX5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n' >"$t/junk-eicar.eml"
printf 'From: a@example.org\nTo: b@example.org\n\nnot a header\nMIME-Version: 1.0\nContent-Type: text/plain\n\nX5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n' >"$t/split-eicar.eml"
a=$("$AIRLOCK" mail scan "$t/junk-eicar.eml" | head -n 1 | sed 's/^[^:]*: //')
b=$("$AIRLOCK" mail scan "$t/split-eicar.eml" | head -n 1 | sed 's/^[^:]*: //')
expect_eq "junk-line-same-verdict-as-postfix-split" "$b" "$a"
case "$a" in malicious*) pass "junk-line-body-scanned" ;; *) fail "junk-line-body-scanned" "$a" ;; esac
grep -q 'header_block_ends_early' "$AIRLOCK_SRC/docs/man/airlock-mail.1" && pass "documented" ||
        fail "documented" "airlock-mail(1) does not say where the headers end"
exit 0
