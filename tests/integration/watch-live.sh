#!/bin/sh
# airlock watch as a daemon on real inotify events: files dropped into a watched folder are
# judged as they are finished, a partial download waits for its final name, a flood of 500
# files is judged in full, SIGHUP reloads the rules, SIGTERM stops it cleanly; a gate releases
# only clean files.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/watch-live
DL=$W/Downloads Q=$W/quarantine RULES=$W/rules G=$W/gate R=$W/release
mkdir -p "$DL" "$RULES"
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
logged() { grep -q -- "$1" "$W/log"; }
nlogged() { [ "$(grep -c -- "$1" "$W/log")" -ge "$2" ]; }

echo "before start" >"$DL/early.txt"
"$AIRLOCK" watch --quarantine "$Q" --rules "$RULES" --pid-file "$W/pid" \
        --gate "$G" --release-to "$R" "$DL" >"$W/log" 2>"$W/err" &
job=$!
if ! wait_for 20 test -s "$W/pid"; then
        fail "daemon: ready" "no pid file: $(cat "$W/err")"
        kill "$job" 2>/dev/null
        exit 0
fi
pid=$(cat "$W/pid")
[ "$pid" = "$job" ] && pass "daemon: the pid file names the watcher once it is ready" ||
        fail "daemon: pid file" "pid file says $pid, started $job"
wait_for 10 logged "^clean $DL/early.txt" && pass "daemon: a file present at start is judged" ||
        fail "daemon: file present at start" "$(cat "$W/log")"

cp "$AIRLOCK_SRC/samples/invoice.html" "$DL/invoice.html"
eicar >"$DL/eicar.com"
cp "$AIRLOCK_SRC/samples/meeting-notes.txt" "$DL/notes.txt"
wait_for 20 logged "^quarantined $DL/invoice.html: .*T1027.006" && [ ! -e "$DL/invoice.html" ] &&
        pass "daemon: a dropped smuggling page goes to the quarantine" ||
        fail "daemon: smuggling page" "$(cat "$W/log")"
wait_for 20 logged "^quarantined $DL/eicar.com: malicious" && [ ! -e "$DL/eicar.com" ] &&
        pass "daemon: a dropped EICAR file goes to the quarantine" ||
        fail "daemon: EICAR" "$(cat "$W/log")"
wait_for 20 logged "^clean $DL/notes.txt" && [ -f "$DL/notes.txt" ] &&
        pass "daemon: a dropped benign file stays" || fail "daemon: benign" "$(cat "$W/log")"

# A download as Chromium makes it: written under *.crdownload, renamed when complete.
eicar >"$DL/Unconfirmed 4711.crdownload"
sleep 1
[ -f "$DL/Unconfirmed 4711.crdownload" ] && ! logged crdownload &&
        pass "partial: a *.crdownload is not judged while it is written" ||
        fail "partial: *.crdownload judged" "$(cat "$W/log")"
mv "$DL/Unconfirmed 4711.crdownload" "$DL/setup.exe"
wait_for 20 logged "^quarantined $DL/setup.exe: malicious" && [ ! -e "$DL/setup.exe" ] &&
        pass "partial: judged once renamed to its final name" ||
        fail "partial: judged after rename" "$(cat "$W/log")"

# 500 files at once, 10 of them EICAR: each judged once, none lost.
python3 - "$DL" <<'PY'
import os, sys
e = ("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
for i in range(500):
    with open(os.path.join(sys.argv[1], "flood-%03d.txt" % i), "wb") as f:
        f.write(e if i % 50 == 7 else b"ordinary file %d\n" % i)
PY
if wait_for 120 nlogged " $DL/flood-" 500; then
        c=$(grep -c "^clean $DL/flood-" "$W/log")
        q=$(grep -c "^quarantined $DL/flood-" "$W/log")
        left=$(ls "$DL" | grep -c '^flood-')
        [ "$c" = 490 ] && [ "$q" = 10 ] && [ "$left" = 490 ] &&
                pass "flood: 500 files judged: 490 clean stay, 10 EICAR quarantined" ||
                fail "flood: verdicts" "clean $c, quarantined $q, left $left"
else
        fail "flood: 500 files judged" "only $(grep -c " $DL/flood-" "$W/log") log lines"
fi
[ "$(grep " $DL/flood-" "$W/log" | sort | uniq -d | wc -l)" = 0 ] &&
        pass "flood: no file judged twice" || fail "flood: duplicates" "$(grep " $DL/flood-" "$W/log" | sort | uniq -d | head -3)"

# A real kernel queue overflow: the watcher is stopped while more files arrive than the
# kernel queues events for (fs.inotify.max_queued_events); it must list the folder again.
maxq=$(cat /proc/sys/fs/inotify/max_queued_events)
n=$((maxq + 500))
kill -STOP "$pid"
python3 - "$DL" "$n" <<'PY'
import os, sys
e = ("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], "overflow-%06d.txt" % i), "wb") as f:
        f.write(e if i % 1000 == 999 else b"x %d\n" % i)
PY
kill -CONT "$pid"
bad=$((n / 1000))
if wait_for 300 nlogged " $DL/overflow-" "$n"; then
        q=$(grep -c "^quarantined $DL/overflow-" "$W/log")
        [ "$q" = "$bad" ] && [ "$(ls "$DL" | grep -c '^overflow-')" = $((n - bad)) ] &&
                pass "overflow: all $n files judged after the kernel's queue overflowed" ||
                fail "overflow: verdicts" "quarantined $q of $bad"
else
        fail "overflow: all $n files judged" "only $(grep -c " $DL/overflow-" "$W/log")"
fi
grep -q "queue overflowed" "$W/err" && pass "overflow: IN_Q_OVERFLOW seen and logged" ||
        fail "overflow: IN_Q_OVERFLOW logged" "$(tail -3 "$W/err")"
rm -f "$DL"/overflow-*

# SIGHUP: a rule added to the rules folder applies to the next file.
printf 'marker AIRLOCK-RELOAD-4242\n' >"$DL/before-reload.txt"
wait_for 20 logged "^clean $DL/before-reload.txt" || fail "reload: file before" "$(tail -3 "$W/log")"
cat >"$RULES/local.yar" <<'YARA'
rule local_reload_marker {
    meta:
        severity = "high"
        attack = "T1105"
        description = "the test's marker"
    strings:
        $m = "AIRLOCK-RELOAD-4242"
    condition:
        $m
}
YARA
kill -HUP "$pid"
wait_for 20 grep -q "rules reloaded" "$W/err" || fail "reload: logged" "$(cat "$W/err")"
printf 'marker AIRLOCK-RELOAD-4242\n' >"$DL/after-reload.txt"
wait_for 20 logged "^quarantined $DL/after-reload.txt: malicious .*rules: local_reload_marker; ATT&CK: T1105" &&
        pass "reload: SIGHUP loads a new rule, which then quarantines" ||
        fail "reload: new rule applies" "$(tail -3 "$W/log"; cat "$W/err")"

# The gate, live: a clean file is released, a bad one is not.
cp "$AIRLOCK_SRC/samples/report.html" "$G/.report.html.crdownload"
mv "$G/.report.html.crdownload" "$G/report.html"
eicar >"$G/invoice.pdf.exe"
# The release is linked into $R before the gate's copy is removed (a file is never lost in
# between): wait for the event, logged after both, not for the released file to appear.
wait_for 20 logged "^released $G/report.html: clean .* -> $R/report.html" &&
        cmp -s "$R/report.html" "$AIRLOCK_SRC/samples/report.html" &&
        [ ! -e "$G/report.html" ] && pass "gate: a clean download is released" ||
        fail "gate: released" "$(ls -a "$G" "$R"; tail -3 "$W/log")"
wait_for 20 logged "^quarantined $G/invoice.pdf.exe: malicious" && [ ! -e "$R/invoice.pdf.exe" ] &&
        pass "gate: a malicious download is held (quarantined, not released)" ||
        fail "gate: held" "$(ls -a "$G" "$R"; tail -3 "$W/log")"

kill -TERM "$pid"
wait "$job"
rc=$?
[ "$rc" = 0 ] && [ ! -e "$W/pid" ] && pass "daemon: SIGTERM stops it cleanly (status 0, pid file removed)" ||
        fail "daemon: SIGTERM" "status $rc: $(cat "$W/err")"
# Stopped: a file dropped now waits for the next start, which judges it (nothing missed).
eicar >"$DL/while-stopped.com"
"$AIRLOCK" watch --once --quarantine "$Q" "$DL" >"$W/log" 2>"$W/err"
[ "$(wc -l <"$W/log")" = 1 ] && logged "^quarantined $DL/while-stopped.com" &&
        pass "restart: the file dropped while stopped is judged, the marked ones are not" ||
        fail "restart: judged set" "$(head -5 "$W/log")"
exit 0
