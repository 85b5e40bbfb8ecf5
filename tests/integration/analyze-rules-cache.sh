#!/bin/sh
# The compiled-rules cache (src/analysis/rules.c): it stays small (at most 48 files, the ones
# used longest ago removed, leftover temporaries an hour old removed), leaves other files alone,
# and never loads a file another user could have written.
. "$AIRLOCK_SRC/tests/lib.sh"

cache=$TEST_TMPDIR/rules-cache
mkdir -p "$cache" && chmod 700 "$cache"
hex() { printf '%064x' "$1"; }
i=1
while [ $i -le 60 ]; do
        : >"$cache/rules-$(hex $i).yarc"
        touch -d "$((i + 2)) days ago" "$cache/rules-$(hex $i).yarc"
        i=$((i + 1))
done
: >"$cache/rules-$(hex 999).yarc.4242.tmp"
touch -d "2 days ago" "$cache/rules-$(hex 999).yarc.4242.tmp"
: >"$cache/rules-$(hex 998).yarc.4243.tmp"
echo keep >"$cache/notes.txt"
touch -d "400 days ago" "$cache/notes.txt"
echo 'print("hello")' >"$TEST_TMPDIR/a.py"

expect_status "rules cache: analyze with a crowded cache" 0 \
        env AIRLOCK_CACHE_DIR="$cache" "$AIRLOCK" analyze -q "$TEST_TMPDIR/a.py"
n=$(ls "$cache" | grep -c '^rules-[0-9a-f]*\.yarc$')
if [ "$n" -le 48 ] && [ "$n" -gt 0 ]; then
        pass "rules cache: pruned to at most 48 compiled files ($n)"
else
        fail "rules cache: pruned to at most 48 compiled files" "$n files"
fi
expect_eq "rules cache: the files used longest ago go first" "gone kept" \
        "$(test -e "$cache/rules-$(hex 60).yarc" && echo kept || echo gone) $(test -e "$cache/rules-$(hex 1).yarc" && echo kept || echo gone)"
expect_eq "rules cache: an hour-old temporary is removed, a fresh one kept" "gone kept" \
        "$(test -e "$cache/rules-$(hex 999).yarc.4242.tmp" && echo kept || echo gone) $(test -e "$cache/rules-$(hex 998).yarc.4243.tmp" && echo kept || echo gone)"
expect_eq "rules cache: other files are left alone" "keep" "$(cat "$cache/notes.txt")"

# A compiled file others may write is not loaded (YARA trusts what it loads): every compiled
# file of the shipped rules replaced by a valid compiled set without the EICAR rule, made
# group-writable; analyze must compile anew and still find EICAR.
mkdir -p "$TEST_TMPDIR/other-rules" "$TEST_TMPDIR/other-cache"
printf 'rule other_rule { strings: $a = "not-in-eicar-1234" condition: $a }\n' \
        >"$TEST_TMPDIR/other-rules/other.yar"
env AIRLOCK_CACHE_DIR="$TEST_TMPDIR/other-cache" "$AIRLOCK" analyze -q --no-builtin-rules \
        --rules "$TEST_TMPDIR/other-rules" "$TEST_TMPDIR/a.py" >/dev/null 2>&1
planted=$(ls "$TEST_TMPDIR"/other-cache/rules-*.yarc 2>/dev/null | head -1)
if [ -z "$planted" ]; then
        fail "rules cache: a group-writable compiled file is not loaded" "no compiled file to plant"
else
        for f in "$cache"/rules-*.yarc; do
                [ "$(stat -c %Y "$f")" -gt "$(($(date +%s) - 3600))" ] || continue
                cp "$planted" "$f"
                chmod 664 "$f"
        done
        printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' \
                >"$TEST_TMPDIR/e.com"
        expect_grep "rules cache: a group-writable compiled file is not loaded" "eicar_test_file" \
                env AIRLOCK_CACHE_DIR="$cache" "$AIRLOCK" analyze "$TEST_TMPDIR/e.com"
        for f in "$cache"/rules-*.yarc; do
                [ "$(stat -c %Y "$f")" -gt "$(($(date +%s) - 3600))" ] || continue
                cp "$planted" "$f"
                chmod 600 "$f"
        done
        expect_grep "rules cache: (the check above can fail: the same planted files, ours, are loaded)" \
                "1 clean, 0 suspicious, 0 malicious" env AIRLOCK_CACHE_DIR="$cache" "$AIRLOCK" analyze "$TEST_TMPDIR/e.com"
fi
