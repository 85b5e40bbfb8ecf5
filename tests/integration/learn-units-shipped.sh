#!/bin/sh
# The learned drop-ins shipped beside airlock's units (packaging/*-learned.conf.in, generated
# by this build with its paths): each unit with its drop-in passes systemd-analyze verify, and
# `systemd-analyze security --offline=true` rates it no worse than the unit alone (both scores
# printed; docs/learn.md has them). Then the milter and watch run in airlock under exactly the
# restrictions airlock can apply of unit + drop-in (tests/helpers/dropin-profile.py: the
# filter, the socket families, the namespaces, the network, the binds) with the units' own
# command lines, and give the verdicts they give while learned: the milter with its
# configuration file, before and after a reload on SIGHUP that changes it; watch with the
# download gate; and the ExecReload= command (/bin/kill) is allowed. With one of the drop-in's
# calls taken out (socketpair: the scan workers'), the milter's verdicts change: the filter is
# applied.
. "$AIRLOCK_SRC/tests/lib.sh"

T=$TEST_TMPDIR
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
TOOLS=$(dirname "$AIRLOCK")/airlock-tools
B=$AIRLOCK_BUILD
TO_PROFILE=$AIRLOCK_SRC/tests/helpers/dropin-profile.py
mkdir -p "$T/units"
chmod -R a+rwX "$T"

if ! command -v systemd-analyze >/dev/null; then
        fail "learn-units-shipped: systemd-analyze is installed" "Debian package systemd"
        exit 0
fi
score() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$1"; }
# check NAME: B/NAME.service with B/NAME-learned.conf as NAME.service.d/airlock-learned.conf
check() {
        u=$T/units/$1.service
        cp "$B/$1.service" "$u"
        systemd-analyze security --offline=true "$u" >"$T/$1.before" 2>&1
        mkdir -p "$u.d"
        if ! cp "$B/$1-learned.conf" "$u.d/airlock-learned.conf"; then
                fail "learn-units-shipped: the build generates $1-learned.conf"
                return
        fi
        expect_eq "learn-units-shipped: no placeholder left in $1's drop-in" "" \
                "$(grep -n '@[A-Z]*@' "$u.d/airlock-learned.conf")"
        # the unit's ExecStart= is the installed path, absent from a build tree
        expect_eq "learn-units-shipped: $1 with its drop-in passes systemd-analyze verify" "" \
                "$(systemd-analyze verify "$u" 2>&1 |
                        grep -v -e machine-id -e 'is not executable' -e "Command 'man ")"
        systemd-analyze security --offline=true "$u" >"$T/$1.after" 2>&1
        before=$(score "$T/$1.before")
        after=$(score "$T/$1.after")
        echo "# systemd-analyze security --offline=true $1.service: unit alone $before, with airlock-learned.conf $after"
        if [ -n "$after" ] && awk "BEGIN { exit !($after <= $before) }"; then
                pass "learn-units-shipped: $1 with its drop-in rates no worse ($after <= $before)"
        else
                fail "learn-units-shipped: $1 with its drop-in rates no worse" "'$after' > '$before'"
        fi
        "$PY" "$TO_PROFILE" "$u" "$u.d/airlock-learned.conf" "$T/home" >"$T/$1.profile" ||
                fail "learn-units-shipped: $1's restrictions as an airlock profile"
        # the ASan and UBSan runtime's own calls (learned from this phase's airlock-tools under
        # the same workloads), which a release build does not make
        [ "$AIRLOCK_TEST_PHASE" != asan ] ||
                for c in clock_gettime exit getdents gettid lseek madvise open ptrace \
                        sched_getaffinity sched_yield sigaltstack wait4; do
                        echo "seccomp-allow $c"
                done >>"$T/$1.profile"
}
check airlock-milter
check airlock-watch
expect_grep "learn-units-shipped: the milter drop-in replaces @system-service: no @resources call" \
        "✓ SystemCallFilter=~@resources" cat "$T/airlock-milter.after"
expect_grep "learn-units-shipped: the milter drop-in leaves out @mount" \
        "✓ SystemCallFilter=~@mount" cat "$T/airlock-milter.after"
expect_grep "learn-units-shipped: the milter drop-in leaves out @privileged" \
        "✓ SystemCallFilter=~@privileged" cat "$T/airlock-milter.after"
expect_grep "learn-units-shipped: watch gets no network" "✓ PrivateNetwork=" cat "$T/airlock-watch.after"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# milter PROFILE: the unit's command line (a copy of the shipped milter.conf, HTML reports on)
# under PROFILE; the workload's verdicts, a reload on SIGHUP with a changed policy, the verdicts
milter() {
        rm -rf "$T/m"
        mkdir -p "$T/m/etc" "$T/m/rep"
        cp "$AIRLOCK_SRC/packaging/milter.conf" "$T/m/etc/milter.conf"
        echo "html-reports = yes" >>"$T/m/etc/milter.conf"
        chmod -R a+rwX "$T/m"
        M=$(free_port)
        "$AIRLOCK" run -p "$1" --tcp-bind "$M" --ro-bind "$TOOLS" "$TOOLS" \
                --ro-bind "$AIRLOCK_SRC/rules" "$AIRLOCK_SRC/rules" --env "AIRLOCK_DATA_DIR=$AIRLOCK_SRC" \
                --ro-bind "$T/m/etc" "$T/m/etc" --bind "$T/m/rep" "$T/m/rep" -- \
                "$TOOLS" milter --socket "inet:$M@127.0.0.1" --config "$T/m/etc/milter.conf" \
                --report-dir "$T/m/rep" >/dev/null 2>"$T/m/err" &
        MPID=$!
        wait_for 20 "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $M), 1)" 2>/dev/null
        printf '%s ' "$("$PY" "$AIRLOCK_SRC/tests/helpers/milter-mail.py" "$M" 8 2>&1 | tail -n 1)"
        printf 'malicious = discard\n' >>"$T/m/etc/milter.conf"
        kill -HUP "$MPID"
        wait_for 20 grep -q "reloaded\|re-read" "$T/m/err"
        "$PY" "$AIRLOCK_SRC/tests/helpers/milter-mail.py" "$M" 8 2>&1 | tail -n 1
        kill -TERM "$MPID"
        wait "$MPID"
}
expect_eq "learn-units-shipped: the milter's verdicts under its unit's restrictions (reject, then discard after SIGHUP)" \
        "aayaaaya aadaaada" "$(milter "$T/airlock-milter.profile")"
expect_grep "learn-units-shipped: the milter wrote its reports" "\.json$" ls "$T/m/rep"
grep -v '^seccomp-allow socketpair$' "$T/airlock-milter.profile" >"$T/no-socketpair.profile"
out=$(milter "$T/no-socketpair.profile")
if [ "$out" != "aayaaaya aadaaada" ]; then
        pass "learn-units-shipped: without socketpair the verdicts change (the control: $out)"
else
        fail "learn-units-shipped: without socketpair the verdicts change" "the filter seems not applied"
fi

# watch: the user unit's command line, HOME a folder of the test's with the folders that
# ExecStartPre= makes
H=$T/home
mkdir -p "$H/Downloads/.airlock-gate" "$H/.cache/airlock" "$H/.local/share/airlock" "$T/in"
chmod -R a+rwX "$T/home" "$T/in"
# ExecReload= runs /bin/kill -HUP under the same filter: here it signals itself (pid 2, after
# the sandbox's init), and dies of the SIGHUP (129) when kill() is allowed
for u in airlock-milter airlock-watch; do
        expect_status "learn-units-shipped: $u's ExecReload= (/bin/kill -HUP) is allowed" 129 \
                "$AIRLOCK" run -p "$T/$u.profile" -- /bin/kill -HUP 2
done
"$AIRLOCK" run -p "$T/airlock-watch.profile" --ro-bind "$TOOLS" "$TOOLS" \
        --ro-bind "$AIRLOCK_SRC/rules" "$AIRLOCK_SRC/rules" --env "AIRLOCK_DATA_DIR=$AIRLOCK_SRC" \
        --env "HOME=$H" -- "$TOOLS" watch --gate "$H/Downloads/.airlock-gate" \
        --release-to "$H/Downloads" "$H/Downloads" >"$T/w.log" 2>"$T/w.err" &
WPID=$!
wait_for 20 grep -q "watching" "$T/w.err" || fail "learn-units-shipped: watch starts" "$(tail -3 "$T/w.err")"
put() {
        cp "$AIRLOCK_SRC/samples/$1" "$T/in/$3"
        chmod a+rw "$T/in/$3"
        mv "$T/in/$3" "$2/"
}
put invoice.html "$H/Downloads/.airlock-gate" gate-invoice.html
put meeting-notes.txt "$H/Downloads/.airlock-gate" gate-notes.txt
put invoice.html "$H/Downloads" dl-invoice.html
put meeting-notes.txt "$H/Downloads" dl-notes.txt
wait_for 20 sh -c "[ \$(wc -l <'$T/w.log') -ge 4 ]"
kill -HUP "$WPID"
wait_for 20 grep -q "rules reloaded" "$T/w.err"
put invoice.html "$H/Downloads" after-hup.html
wait_for 20 sh -c "[ \$(wc -l <'$T/w.log') -ge 5 ]"
kill -TERM "$WPID"
wait "$WPID"
D=$H/Downloads
sus="suspicious (score 5); rules: html_smuggling_small_payload; ATT&CK: T1027.006"
expect_eq "learn-units-shipped: watch's judgements under its unit's restrictions (gate, folder, SIGHUP)" \
        "clean $D/dl-notes.txt: clean (score 0)
quarantined $D/.airlock-gate/gate-invoice.html: $sus
quarantined $D/after-hup.html: $sus
quarantined $D/dl-invoice.html: $sus
released $D/.airlock-gate/gate-notes.txt: clean (score 0) -> $D/gate-notes.txt" \
        "$(sed 's/; quarantine id .*//' "$T/w.log" | sort)"
expect_grep "learn-units-shipped: the quarantine store is in the bound folder" "index.sqlite" \
        ls "$H/.local/share/airlock/quarantine"
exit 0
