#!/bin/sh
# The malformed mail corpus (missing and duplicate boundaries, broken base64, 1,000-level
# nesting, 50,000 parts, NUL bytes, 1 MB header lines, bad charsets, ...): each message gets a
# verdict and a milter action, never a crash or a hang; ambiguous structure is never clean.
. "$AIRLOCK_SRC/tests/lib.sh"

C=$TEST_TMPDIR/corpus
mkdir -p "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" --only malformed ||
        { fail "corpus" "mail-corpus.py failed"; exit 1; }

n=0
bad=0
while IFS="$(printf '\t')" read -r f want; do
        n=$((n + 1))
        timeout 180 "$AIRLOCK" mail scan --json "$C/$f" >"$TEST_TMPDIR/out.json" 2>"$TEST_TMPDIR/err"
        rc=$?
        got=$(python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["files"]
assert len(f) == 1
print(f[0]["verdict"], f[0]["action"])' "$TEST_TMPDIR/out.json" 2>/dev/null)
        verdict=${got% *}
        if [ $rc != 0 ] && [ $rc != 1 ]; then
                fail "$f" "status $rc (crash or hang?): $(head -c 300 "$TEST_TMPDIR/err")"
                bad=$((bad + 1))
        elif [ -z "$got" ]; then
                fail "$f" "no verdict and action in the JSON report"
                bad=$((bad + 1))
        elif [ "$want" = notclean ] && [ "$verdict" = clean ]; then
                fail "$f" "ambiguous structure passed as clean"
                bad=$((bad + 1))
        elif [ "$verdict" = clean ] && [ $rc != 0 ] || [ "$verdict" != clean ] && [ $rc != 1 ]; then
                fail "$f" "verdict $verdict but status $rc"
                bad=$((bad + 1))
        fi
        echo "$f: $got (status $rc)"
done <"$C/expect.tsv"

if [ $n -ge 30 ] && [ $bad = 0 ]; then
        pass "$n malformed messages: each a verdict and an action, ambiguous ones never clean"
elif [ $n -lt 30 ]; then
        fail "malformed corpus" "only $n messages"
fi
