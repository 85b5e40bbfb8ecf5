#!/bin/sh
# Postfix's smtpd learned and enforced where it runs: under its master. A private Postfix
# instance (milter-postfix.lib, with the airlock milter) whose master.cf starts smtpd from a
# private daemon_directory (every other daemon a link to Debian's) through a wrapper that runs
# it with `airlock learn`, then `airlock run -p postfix-smtpd` (the shipped profile). smtpd
# keeps what the master hands it: the listening socket and the status and flow pipes (fds
# 3 to 6, --pass-fd); it needs the host's network for the milter on loopback TCP, as Debian's
# chrooted smtpd reaches airlock-milter.service (inet:8895@127.0.0.1); it runs as the
# mail_owner (--uid; "unpriv n" in master.cf, or smtpd would try to change user itself), reads
# main.cf and the user database, and reaches cleanup, the milter and the other daemons through
# the queue's sockets (bound read-only). The workload (tests/helpers/smtp-workload.py) gives
# the same replies in both runs, and the mail is delivered; with connect() refused (the
# control) it is not.
# airlock-test: root-only (the Postfix master runs as root and spawns smtpd as root)
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

if ! command -v postfix >/dev/null || [ ! -x /usr/lib/postfix/sbin/smtpd ]; then
        fail "learn-smtpd: Postfix is installed" "Debian package postfix"
        exit 0
fi
D=$TEST_TMPDIR/pf
chmod 755 "$TEST_TMPDIR"
mkdir -p "$D/libexec"
P=$(free_port)
M=$(free_port)
pf_setup "$D" "$P" "inet:127.0.0.1:$M"
for f in /usr/lib/postfix/sbin/*; do ln -s "$f" "$D/libexec/"; done
echo "daemon_directory = $D/libexec" >>"$D/etc/main.cf"
# one client per smtpd, so that a learning run ends (and writes its profile) after a session
sed -i "s|^127.0.0.1:$P inet n - n - - smtpd\$|127.0.0.1:$P inet n n n - 1 smtpd-airlock -o max_use=1|" \
        "$D/etc/master.cf"
expect_grep "learn-smtpd: master.cf runs smtpd through the wrapper" "smtpd-airlock" cat "$D/etc/master.cf"
# the wrapper's airlock command (learn -o FILE, or run -p PROFILE ...) is read from D/mode
cat >"$D/libexec/smtpd-airlock" <<EOT
#!/bin/sh
exec "$AIRLOCK" \$(cat "$D/mode") --uid $(id -u postfix) --pass-fd 3 --pass-fd 4 --pass-fd 5 \\
        --pass-fd 6 --ro-bind "$D/queue" "$D/queue" --ro-bind "$D/etc" "$D/etc" \\
        --ro-bind /etc/passwd /etc/passwd --ro-bind /etc/group /etc/group \\
        --env "MAIL_CONFIG=$D/etc" -- /usr/lib/postfix/sbin/smtpd "\$@" 2>>"$D/smtpd.err"
EOT
chmod 755 "$D/libexec/smtpd-airlock"
echo "learn --net host -o $D/smtpd.profile" >"$D/mode"
trap "ml_stop '$D'; pf_stop '$D'" EXIT INT TERM
ml_start "$D" "$M" || { fail "learn-smtpd: milter start" "$(tail -n 5 "$D/milter.log")"; exit 0; }
pf_start "$D" || { fail "learn-smtpd: postfix start" "$(tail -n 5 "$D/setup.log")"; exit 0; }
wait_for_port "$P" 20 || { fail "learn-smtpd: postfix start" "port $P not listening"; exit 0; }

want="250 250 501 550 250"
workload() { python3 "$AIRLOCK_SRC/tests/helpers/smtp-workload.py" "$P" 2>&1 | tail -n 1; }
delivered() { find "$D/mail" -type f -path '*/new/*' | wc -l; }
expect_eq "learn-smtpd: the replies while learning (bad syntax 501, the milter's reject 550)" \
        "$want" "$(workload)"
# written when learn ends, after the session: wait for learn's notice, not for the first
# bytes of the file (a grep between them saw half a profile under ASan)
wait_for 20 grep -q "learn: wrote $D/smtpd.profile" "$D/smtpd.err"
wait_for 20 sh -c "[ \$(find '$D/mail' -type f -path '*/new/*' | wc -l) -ge 3 ]"
expect_eq "learn-smtpd: the three accepted messages delivered" 3 "$(delivered)"
expect_grep "learn-smtpd: the learned smtpd connects to the milter's port" "^tcp-connect $M " \
        cat "$D/smtpd.profile"
expect_grep "learn-smtpd: it accepts on the master's socket" "^seccomp-allow accept " \
        cat "$D/smtpd.profile"

echo "run -p postfix-smtpd" >"$D/mode"
expect_eq "learn-smtpd: the same replies under the shipped profile" "$want" "$(workload)"
wait_for 20 sh -c "[ \$(find '$D/mail' -type f -path '*/new/*' | wc -l) -ge 6 ]"
expect_eq "learn-smtpd: and the messages delivered" 6 "$(delivered)"
# the learned calls are in the shipped profile
missing=$(grep '^seccomp-allow' "$D/smtpd.profile" | awk '{print $2}' | while read -r c; do
        grep -qF "seccomp-allow $c " "$AIRLOCK_SRC/profiles/postfix-smtpd.profile" || echo "$c"
done)
expect_eq "learn-smtpd: every learned call is in the shipped profile" "" "$missing"

echo "run -p postfix-smtpd --seccomp-deny connect" >"$D/mode"
got=$(workload)
if [ "$got" != "$want" ]; then
        pass "learn-smtpd: without connect smtpd cannot hand mail on (the control: $got)"
else
        fail "learn-smtpd: without connect smtpd cannot hand mail on" "the profile seems not applied"
fi
exit 0
