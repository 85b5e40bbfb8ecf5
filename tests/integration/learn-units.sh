#!/bin/sh
# airlock's own milter learned under a mail workload (tests/helpers/milter-mail.py: plain,
# text attachment, zip with a download-and-run script, HTML with a link, spoken in the milter
# protocol as Postfix does), then enforced by airlock (the same verdicts), and exported as a
# systemd drop-in for the unit this build generates (airlock-milter.service): the drop-in
# passes systemd-analyze verify, and replaces the unit's @system-service allow-list rather than
# adding to it (systemd merges allow-lists: the drop-in resets first), which
# `systemd-analyze security --offline=true` shows (the unit's @resources calls are gone).
# The two exposure scores are printed (docs/learn.md has them).
. "$AIRLOCK_SRC/tests/lib.sh"

T=$TEST_TMPDIR
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
TOOLS=$(dirname "$AIRLOCK")/airlock-tools
MAIL=$AIRLOCK_SRC/tests/helpers/milter-mail.py
mkdir -p "$T/rep"
chmod -R a+rwX "$T"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
M=$(free_port)
# milter AIRLOCK-ARGS...: the milter in airlock on port M, in the background, until it listens
milter() {
        "$AIRLOCK" "$@" --net host --ro-bind "$TOOLS" "$TOOLS" \
                --ro-bind "$AIRLOCK_SRC/rules" "$AIRLOCK_SRC/rules" --env "AIRLOCK_DATA_DIR=$AIRLOCK_SRC" \
                --bind "$T/rep" "$T/rep" -- "$TOOLS" milter --socket "inet:$M@127.0.0.1" \
                --report-dir "$T/rep" >/dev/null 2>"$T/milter.err" &
        MPID=$!
        wait_for 20 "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $M), 1)" 2>/dev/null ||
                fail "learn-units: the milter listens ($1)" "$(tail -3 "$T/milter.err")"
}

milter learn -o "$T/milter.profile"
expect_eq "learn-units: the workload's verdicts while learning (the zip is rejected)" \
        "aayaaaya" "$("$PY" "$MAIL" "$M" 8 2>&1)"
kill -TERM "$MPID"
wait "$MPID"
expect_grep "learn-units: the milter's port is learned" "^tcp-bind $M " cat "$T/milter.profile"
expect_grep "learn-units: the report folder is learned read-write" "^bind $T/rep " \
        cat "$T/milter.profile"

milter run -p "$T/milter.profile"
expect_eq "learn-units: the same verdicts under the learned profile" \
        "aayaaaya" "$("$PY" "$MAIL" "$M" 8 2>&1)"
kill -TERM "$MPID"
wait "$MPID"

if ! command -v systemd-analyze >/dev/null; then
        fail "learn-units: systemd-analyze is installed" "Debian package systemd"
        exit 0
fi
UNIT=$AIRLOCK_BUILD/airlock-milter.service
if [ ! -r "$UNIT" ]; then
        fail "learn-units: the build generates airlock-milter.service" "$UNIT"
        exit 0
fi
U=$T/units/airlock-milter.service
mkdir -p "$U.d"
cp "$UNIT" "$U"
security() { systemd-analyze security --offline=true "$U" 2>&1; }
security >"$T/before.txt"
if "$AIRLOCK" profile export "$T/milter.profile" --format systemd >"$U.d/airlock.conf" 2>"$T/sd.err"; then
        sdout=$(systemd-analyze verify "$U" 2>&1)
        # the unit's ExecStart= is the installed path, absent from a build tree
        expect_eq "learn-units: the milter's drop-in passes systemd-analyze verify" "" \
                "$(printf '%s\n' "$sdout" | grep -v -e machine-id -e 'is not executable' -e "Command 'man ")"
else
        fail "learn-units: export --format systemd" "$(cat "$T/sd.err")"
fi
security >"$T/after.txt"
score() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$1"; }
echo "# systemd-analyze security --offline=true airlock-milter.service: shipped unit $(score "$T/before.txt"), with the learned drop-in $(score "$T/after.txt")"
expect_grep "learn-units: the shipped unit's allow-list has @resources calls" \
        "✗ SystemCallFilter=~@resources" cat "$T/before.txt"
expect_grep "learn-units: the drop-in's allow-list replaces it: no @resources call" \
        "✓ SystemCallFilter=~@resources" cat "$T/after.txt"
expect_grep "learn-units: the drop-in keeps the one family the milter used" \
        "^RestrictAddressFamilies=AF_INET$" cat "$U.d/airlock.conf"

# watch, live (inotify) on a folder: a smuggling page is quarantined, a text file is clean
W=$T/w
mkdir -p "$W/DL" "$W/Q"
chmod -R a+rwX "$W"
# watch AIRLOCK-ARGS...: airlock watch in airlock on W/DL; two files dropped in; its log
watch() {
        rm -rf "$W/DL" "$W/Q"
        mkdir -p "$W/DL" "$W/Q"
        chmod a+rwx "$W/DL" "$W/Q"
        "$AIRLOCK" "$@" --ro-bind "$TOOLS" "$TOOLS" --ro-bind "$AIRLOCK_SRC/rules" "$AIRLOCK_SRC/rules" \
                --env "AIRLOCK_DATA_DIR=$AIRLOCK_SRC" --bind "$W" "$W" -- \
                "$TOOLS" watch --quarantine "$W/Q" "$W/DL" >"$W/log" 2>"$W/err" &
        WPID=$!
        wait_for 20 grep -q "watching 1 folder" "$W/err" ||
                fail "learn-units: watch starts ($1)" "$(tail -3 "$W/err")"
        cp "$AIRLOCK_SRC/samples/invoice.html" "$AIRLOCK_SRC/samples/meeting-notes.txt" "$T/"
        chmod a+rw "$T/invoice.html" "$T/meeting-notes.txt"
        mv "$T/invoice.html" "$T/meeting-notes.txt" "$W/DL/"
        wait_for 20 sh -c "[ \$(wc -l <'$W/log') -ge 2 ]"
        kill -TERM "$WPID"
        wait "$WPID"
        sed 's/; quarantine id .*//' "$W/log" | sort
}
want="clean $W/DL/meeting-notes.txt: clean (score 0)
quarantined $W/DL/invoice.html: suspicious (score 5); rules: html_smuggling_small_payload; ATT&CK: T1027.006"
expect_eq "learn-units: watch judges the two files while learning" "$want" "$(watch learn -o "$T/watch.profile")"
expect_eq "learn-units: the same judgements under the learned profile" "$want" \
        "$(watch run -p "$T/watch.profile")"
UNIT=$AIRLOCK_BUILD/airlock-watch.service
U=$T/units/airlock-watch.service
mkdir -p "$U.d"
cp "$UNIT" "$U"
security >"$T/before.txt"
"$AIRLOCK" profile export "$T/watch.profile" --format systemd >"$U.d/airlock.conf" 2>"$T/sd.err" ||
        fail "learn-units: export watch --format systemd" "$(cat "$T/sd.err")"
sdout=$(systemd-analyze verify "$U" 2>&1)
expect_eq "learn-units: the watch drop-in passes systemd-analyze verify" "" \
        "$(printf '%s\n' "$sdout" | grep -v -e machine-id -e 'is not executable' -e "Command 'man ")"
security >"$T/after.txt"
echo "# systemd-analyze security --offline=true airlock-watch.service: shipped unit $(score "$T/before.txt"), with the learned drop-in $(score "$T/after.txt")"
# the groups systemd rates that the filter lets through: watch's analysis workers mount, so
# @mount and @privileged stay; under ASan its runtime's calls add @debug
open_groups() { grep -c "✗ SystemCallFilter=~@" "$1"; }
expect_eq "learn-units: the shipped watch unit lets all 11 groups through" 11 "$(open_groups "$T/before.txt")"
expect_eq "learn-units: the learned drop-in at most @mount and @privileged" "" \
        "$(grep -o "✗ SystemCallFilter=~@[a-z-]*" "$T/after.txt" | grep -v -e '~@mount$' -e '~@privileged$' |
                { [ "$AIRLOCK_TEST_PHASE" = asan ] && grep -v '~@debug$' || cat; })"
expect_grep "learn-units: the rating still names @privileged (the workers mount)" \
        "✗ SystemCallFilter=~@privileged" cat "$T/after.txt"
expect_grep "learn-units: watch made no internet socket: no network" "^PrivateNetwork=yes$" \
        cat "$U.d/airlock.conf"
exit 0
