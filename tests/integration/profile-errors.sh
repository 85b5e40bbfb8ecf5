#!/bin/sh
# Malformed profiles (tests/data/profiles/bad): each must fail with status 125 and an error
# that names FILE:LINE:COLUMN (tests/data/profiles/bad/EXPECTED says where), shows the line
# with a caret under the column and says what was expected. Through "profile show" and "run".
. "$AIRLOCK_SRC/tests/lib.sh"

bad=$AIRLOCK_SRC/tests/data/profiles/bad
n=0
while read -r file line col named; do
        case "$file" in '#'*|'') continue ;; esac
        n=$((n + 1))
        where=$bad/${named:-$file}
        "$AIRLOCK" profile show "$bad/$file" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
        rc=$?
        first=$(head -n 1 "$TEST_TMPDIR/err")
        if [ "$rc" != 125 ]; then
                fail "bad/$file" "status $rc, expected 125: $(head -c 300 "$TEST_TMPDIR/err")"
        elif [ -s "$TEST_TMPDIR/out" ]; then
                fail "bad/$file" "printed a policy for a malformed profile"
        elif ! printf '%s\n' "$first" | grep -qF "airlock profile: $where:$line:$col: "; then
                fail "bad/$file" "error does not point at $where:$line:$col: $first"
        elif ! printf '%s\n' "$first" | grep -Eq 'expected|cycle'; then
                fail "bad/$file" "error does not say what was expected: $first"
        elif [ "$(wc -l <"$TEST_TMPDIR/err")" -gt 1 ] &&
                ! grep -Eq "^ +$line \| " "$TEST_TMPDIR/err"; then
                fail "bad/$file" "error does not show line $line: $(cat "$TEST_TMPDIR/err")"
        elif [ "$(wc -l <"$TEST_TMPDIR/err")" -gt 1 ] && ! grep -Eq '^ +\| +\^$' "$TEST_TMPDIR/err"; then
                fail "bad/$file" "error has no caret under the column: $(cat "$TEST_TMPDIR/err")"
        else
                pass "bad/$file"
        fi
done <"$bad/EXPECTED"
if [ "$n" -ge 30 ]; then pass "corpus has $n malformed profiles"; else fail "corpus size" "$n < 30"; fi
[ "$(ls "$bad"/*.profile | wc -l)" = "$n" ] && pass "EXPECTED lists every file" ||
        fail "EXPECTED lists every file" "$(ls "$bad"/*.profile | wc -l) files, $n listed"

# The launcher refuses them the same way, before running anything.
for f in 07-unknown-directive 42-include-cycle 48-binary-junk 50-huge-line; do
        expect_status "run -p bad/$f is 125" 125 "$AIRLOCK" run -p "$bad/$f.profile" -- /bin/true
done
expect_grep "run names the location" "07-unknown-directive.profile:3:1: unknown directive" \
        "$AIRLOCK" run -p "$bad/07-unknown-directive.profile" -- /bin/true
expect_status "missing profile is 125" 125 "$AIRLOCK" run -p no-such-profile -- /bin/true
expect_grep "missing profile is named" "profile 'no-such-profile' not found" \
        "$AIRLOCK" run -p no-such-profile -- /bin/true
# A flag that is also a directive fails like one.
expect_status "bad --seccomp-deny flag is 125" 125 "$AIRLOCK" run --seccomp-deny nosuchcall -- /bin/true
