#!/bin/sh
# airlock watch --once: the files already in a folder are judged, the bad ones moved into the
# quarantine store, the clean ones marked (user.airlock.* xattrs) so that a restart judges only
# what is new or changed; unfinished downloads wait; a gate releases only clean files.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/watch-once
DL=$W/Downloads Q=$W/quarantine
mkdir -p "$DL"
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
xattr() { python3 -c 'import os,sys
try: print(os.getxattr(sys.argv[1], sys.argv[2]).decode())
except OSError: print("none")' "$1" "$2"; }
count_log() { grep -c "$1" "$W/log" 2>/dev/null || true; }

cp "$AIRLOCK_SRC/samples/invoice.html" "$DL/invoice.html"
cp "$AIRLOCK_SRC/samples/logo.svg" "$DL/logo.svg"
cp "$AIRLOCK_SRC/samples/meeting-notes.txt" "$DL/notes.txt"
eicar >"$DL/eicar.com"
eicar >"$DL/setup.exe.crdownload"
eicar >"$DL/other.part"

"$AIRLOCK" watch --once --quarantine "$Q" "$DL" >"$W/log" 2>"$W/err"
rc=$?
[ "$rc" = 1 ] && pass "once: exit status 1 when something was not clean" ||
        fail "once: exit status" "got $rc: $(cat "$W/err")"
for f in invoice.html logo.svg eicar.com; do
        if [ ! -e "$DL/$f" ] && grep -q "^quarantined $DL/$f: " "$W/log"; then
                pass "once: $f moved into the quarantine"
        else
                fail "once: $f quarantined" "$(cat "$W/log")"
        fi
done
expect_grep "once: the log line names verdict, rules and ATT&CK ids" \
        "^quarantined $DL/invoice.html: (suspicious|malicious) \(score [0-9]+\); rules: [a-z_.]*smuggling[a-z_.]*.*; ATT&CK: T1027.006" \
        cat "$W/log"
expect_grep "once: EICAR is malicious by the eicar rule" \
        "^quarantined $DL/eicar.com: malicious \(score 10\); rules: eicar_test_file; quarantine id [0-9]+" cat "$W/log"
[ -f "$DL/notes.txt" ] && grep -q "^clean $DL/notes.txt: clean" "$W/log" &&
        pass "once: the benign file stays" || fail "once: benign file stays" "$(cat "$W/log")"
expect_output "once: the benign file carries the verdict mark" clean xattr "$DL/notes.txt" user.airlock.verdict
expect_output "once: the mark holds the content's sha256" \
        "$(sha256sum <"$DL/notes.txt" | cut -d' ' -f1)" xattr "$DL/notes.txt" user.airlock.sha256
[ -f "$DL/setup.exe.crdownload" ] && [ -f "$DL/other.part" ] && ! grep -q 'crdownload\|\.part' "$W/log" &&
        pass "once: partial downloads (*.crdownload, *.part) are not judged" ||
        fail "once: partial downloads untouched" "$(cat "$W/log")"
expect_output "once: the store lists the three files" 3 sh -c \
        "'$AIRLOCK' quarantine --store '$Q' list | wc -l"
expect_grep "once: the store keeps the original path and verdict" "malicious +10 .*$DL/eicar.com" \
        "$AIRLOCK" quarantine --store "$Q" list

# A restart: the marked file is not judged again; a new file, a changed file and a renamed
# download are.
mv "$DL/setup.exe.crdownload" "$DL/setup.exe"
echo "new" >"$DL/new.txt"
"$AIRLOCK" watch --once --json --quarantine "$Q" "$DL" >"$W/log2" 2>"$W/err"
python3 - "$W/log2" "$DL" <<'PY' && pass "restart: only unmarked files judged; JSON log lines" || fail "restart: judged set" "$(cat "$W/log2")"
import json, sys
ev = {json.loads(l)["path"].rsplit("/", 1)[1]: json.loads(l) for l in open(sys.argv[1])}
assert set(ev) == {"setup.exe", "new.txt"}, ev
assert ev["setup.exe"]["event"] == "quarantined" and ev["setup.exe"]["verdict"] == "malicious", ev
assert ev["setup.exe"]["rules"] == ["eicar_test_file"] and ev["setup.exe"]["quarantine_id"] > 0, ev
assert ev["new.txt"]["event"] == "clean" and len(ev["new.txt"]["sha256"]) == 64, ev
PY
echo "appended" >>"$DL/notes.txt"
expect_grep "restart: a changed file is judged again" "^clean $DL/notes.txt: clean" \
        "$AIRLOCK" watch --once --quarantine "$Q" "$DL"
expect_output "restart: nothing left to judge" "" "$AIRLOCK" watch --once --quarantine "$Q" "$DL"

# A gate: clean files move on to the release folder, the others never do.
G=$W/gate R=$W/release
mkdir -p "$G" "$R"
cp "$AIRLOCK_SRC/samples/report.html" "$G/report.html"
cp "$AIRLOCK_SRC/samples/invoice.html" "$G/invoice.html"
eicar >"$G/eicar.txt"
echo "already here" >"$R/report.html"
"$AIRLOCK" watch --once --quarantine "$Q" --gate "$G" --release-to "$R" >"$W/glog" 2>"$W/err"
cmp -s "$AIRLOCK_SRC/samples/report.html" "$R/report (1).html" && [ ! -e "$G/report.html" ] &&
        [ "$(cat "$R/report.html")" = "already here" ] &&
        pass "gate: the clean file is released (an existing name is kept, the new one numbered)" ||
        fail "gate: clean file released" "$(ls -a "$R" "$G"; cat "$W/glog" "$W/err")"
[ ! -e "$R/invoice.html" ] && [ ! -e "$R/eicar.txt" ] && [ ! -e "$G/invoice.html" ] &&
        [ ! -e "$G/eicar.txt" ] && [ "$(grep -c '^quarantined' "$W/glog")" = 2 ] &&
        pass "gate: the smuggling page and EICAR go to the quarantine, never to the release" ||
        fail "gate: bad files held" "$(ls -a "$R" "$G"; cat "$W/glog")"
[ -z "$(ls -A "$R" | grep -v '^report')" ] && pass "gate: no temporary file left in the release folder" ||
        fail "gate: temporary files" "$(ls -A "$R")"
expect_status "usage: --gate without --release-to is an error" 2 "$AIRLOCK" watch --once --gate "$G"
expect_status "usage: no folder is an error" 2 "$AIRLOCK" watch --once
expect_status "usage: a missing folder is an error" 2 "$AIRLOCK" watch --once --quarantine "$Q" "$W/missing"
expect_grep "usage: --help names the gate" "--release-to" "$AIRLOCK" watch --help
exit 0
