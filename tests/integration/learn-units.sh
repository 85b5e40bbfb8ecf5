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
        wait_for 20 "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $M), 1)" ||
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
exit 0
