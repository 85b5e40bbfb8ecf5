#!/bin/sh
# Static triage on the public real-world corpus of issue 16 (tests/data/realworld): malicious
# files that nobody here wrote (public maldoc and malware test sets, offensive-script
# collections, public generators run with harmless payloads; malicious/SOURCES.md), per
# family: detected and with an expected ATT&CK id, against the floors that
# analyze-public-corpus.py records from measurement, with every miss listed; and benign files
# (benign.tsv, when present): 0 false alarms. The zips are encrypted with the password
# "infected"; python's zipfile unpacks them into $TEST_TMPDIR only. One batch of about 500
# files in the root phase: about 7 s of CPU to unzip (python's ZipCrypto) and 3 s to analyze.
# The user and ASan phases run 3 files of each family (each must be detected as it is in the
# whole set; no crash).
. "$AIRLOCK_SRC/tests/lib.sh"

data=$AIRLOCK_SRC/tests/data/realworld
py=$AIRLOCK_SRC/tests/integration/analyze-public-corpus.py
set_dir=$TEST_TMPDIR/set
mkdir -p "$set_dir"
per=0
if [ "${AIRLOCK_TEST_PHASE:-root}" != root ]; then
        per=3
        : >"$set_dir/subset"
fi
if python3 "$py" extract "$data" "$set_dir" "$per" >"$TEST_TMPDIR/extract.out" 2>&1; then
        pass "corpus-unzipped: $(tail -1 "$TEST_TMPDIR/extract.out")"
else
        fail "corpus-unzipped" "$(tail -5 "$TEST_TMPDIR/extract.out")"
        exit 0
fi
n=$(grep -c '	malicious	' "$set_dir/labels.tsv")
if [ "$per" = 0 ]; then
        [ "$n" -ge 300 ] && pass "corpus-size ($n malicious)" || fail "corpus-size" "only $n malicious files"
fi

dirs=$set_dir/malicious
[ -d "$set_dir/benign" ] && dirs="$dirs $set_dir/benign"
# shellcheck disable=SC2086 # two folders
"$AIRLOCK" analyze --json $dirs >"$TEST_TMPDIR/report.json" 2>"$TEST_TMPDIR/err"
rc=$?
[ "$rc" = 1 ] && pass "exit-status-1" || fail "exit-status-1" "exit $rc: $(head -c 300 "$TEST_TMPDIR/err")"
python3 "$py" score "$TEST_TMPDIR/report.json" "$set_dir"
