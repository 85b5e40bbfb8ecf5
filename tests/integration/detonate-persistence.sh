#!/bin/sh
# The decoy system of detonation: persistence scripts of distinct kinds (sh, bash, Python,
# Perl) call crontab, at, systemctl, useradd, sudo, iptables, chattr... (stand-ins first on
# the sandbox's PATH) or write authorized_keys, ~/.bashrc, an autostart entry, a systemd unit,
# /etc/ld.so.preload (/etc is a copy-on-write view); each is run with `airlock analyze
# --detonate` and must carry its ATT&CK id. An exec of a program that does not exist is an
# event with its name and arguments. Debian maintainer scripts that create and delete their
# own temporary files are not "self-deletion"; a script that deletes itself is.
. "$AIRLOCK_SRC/tests/lib.sh"
PY=${PY:-python3}

S=$TEST_TMPDIR/samples
mkdir -p "$S"

cat >"$S/cron.sh" <<'EOF_S'
#!/bin/sh
(crontab -l 2>/dev/null; echo "*/5 * * * * /tmp/.x/run >/dev/null 2>&1") | crontab -
EOF_S
cat >"$S/at.sh" <<'EOF_S'
#!/bin/sh
echo "/tmp/.x/run" | at now + 1 minute
EOF_S
cat >"$S/unit.bash" <<'EOF_S'
#!/bin/bash
mkdir -p "$HOME/.config/systemd/user"
printf '[Service]\nExecStart=/tmp/.x/run\n[Install]\nWantedBy=default.target\n' \
        >"$HOME/.config/systemd/user/updater.service"
systemctl --user enable updater.service
EOF_S
cat >"$S/adduser.sh" <<'EOF_S'
#!/bin/sh
useradd -m -s /bin/bash -G sudo sysupd
EOF_S
cat >"$S/keys.py" <<'EOF_S'
#!/usr/bin/python3
import os
d = os.path.join(os.path.expanduser("~"), ".ssh")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "authorized_keys"), "a") as f:
    f.write("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDecoyDecoyDecoy attacker\n")
EOF_S
cat >"$S/rc.pl" <<'EOF_S'
#!/usr/bin/perl
open(my $f, ">>", "$ENV{HOME}/.bashrc") or exit 0;
print $f "(/tmp/.x/run &) 2>/dev/null\n";
close($f);
EOF_S
cat >"$S/autostart.py" <<'EOF_S'
#!/usr/bin/python3
import os
d = os.path.expanduser("~/.config/autostart")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "update.desktop"), "w") as f:
    f.write("[Desktop Entry]\nType=Application\nExec=/tmp/.x/run\n")
EOF_S
cat >"$S/preload.sh" <<'EOF_S'
#!/bin/sh
echo /usr/local/lib/libhide.so >>/etc/ld.so.preload
EOF_S
cat >"$S/sudo.bash" <<'EOF_S'
#!/bin/bash
sudo -n /bin/true
EOF_S
cat >"$S/firewall.sh" <<'EOF_S'
#!/bin/sh
iptables -F
iptables -P INPUT ACCEPT
EOF_S
cat >"$S/immutable.pl" <<'EOF_S'
#!/usr/bin/perl
system("chattr", "+i", "/tmp/.x");
EOF_S
cat >"$S/passwd.sh" <<'EOF_S'
#!/bin/sh
echo 'root:toor' | chpasswd
usermod -aG sudo nobody
EOF_S
cat >"$S/missing.py" <<'EOF_S'
#!/usr/bin/python3
import subprocess
try:
    subprocess.run(["kworkerd-updater", "--pool", "203.0.113.9"])
except OSError:
    pass
EOF_S
# Deletes a temporary file of its own (not self-deletion), then itself (self-deletion).
cat >"$S/tmpclean.sh" <<'EOF_S'
#!/bin/sh
t=$(mktemp)
echo data >"$t"
rm -f "$t"
EOF_S
cat >"$S/vanish.sh" <<'EOF_S'
#!/bin/sh
cp "$0" /tmp/copy.sh
rm -f /tmp/copy.sh "$0"
EOF_S
# Real Debian maintainer scripts that make and remove temporary files, or remove files with
# rm (python3.preinst's rm -rf of a folder was flagged as self-deletion: rm's own argument).
n_deb=0
for f in base-passwd.postinst apparmor.postinst postgresql-common.postinst \
        libreoffice-common.postinst python3.preinst; do
        [ -f "/var/lib/dpkg/info/$f" ] || continue
        grep -q 'mktemp\|rm -' "/var/lib/dpkg/info/$f" || continue
        cp "/var/lib/dpkg/info/$f" "$S/debian-$f"
        n_deb=$((n_deb + 1))
done
chmod -R a+rX "$TEST_TMPDIR"
[ "$n_deb" -ge 1 ] || fail "debian maintainer scripts" "none with mktemp in /var/lib/dpkg/info"

"$AIRLOCK" analyze --detonate --json "$S" >"$TEST_TMPDIR/det.json" 2>"$TEST_TMPDIR/err"

# rules_of NAME -> "rule:ids|evidence" of each finding of the file named NAME
rules_of() {
        "$PY" - "$TEST_TMPDIR/det.json" "$1" <<'PYS'
import json, sys
r = json.load(open(sys.argv[1]))
for f in r["files"]:
    for n in [f] + f.get("children", []):
        if n["name"] == sys.argv[2]:
            for x in n["findings"]:
                print("%s:%s|%s" % (x["rule"], ",".join(x["attack"]), x.get("evidence", "")))
PYS
}

expect_id() { # NAME RULE ID
        got=$(rules_of "$1")
        case "$got" in
        *"detonation.$2:$3"*) pass "$1: $2 ($3)" ;;
        *) fail "$1: $2 ($3)" "$got $(cat "$TEST_TMPDIR/err")" ;;
        esac
}

expect_id cron.sh persistence-cron T1053.003
expect_id at.sh persistence-at T1053.002
expect_id unit.bash persistence-systemd T1543.002
expect_id adduser.sh create-account T1136.001
expect_id keys.py persistence-ssh-key T1098.004
expect_id rc.pl persistence-shell-profile T1546.004
expect_id autostart.py persistence-autostart T1547.013
expect_id preload.sh persistence-preload T1574.006
expect_id sudo.bash privilege-elevation T1548.003
expect_id firewall.sh firewall-change T1562.004
expect_id immutable.pl file-attributes T1222.002
expect_id passwd.sh account-manipulation T1098

# the unit file and the systemctl call both count, and the argv is the evidence
case "$(rules_of unit.bash)" in
*"persistence-systemctl:T1543.002|systemctl --user enable updater.service"*)
        pass "unit.bash: the systemctl argv is the evidence" ;;
*) fail "unit.bash: the systemctl argv is the evidence" "$(rules_of unit.bash)" ;;
esac
case "$(rules_of missing.py)" in
*"detonation.missing-program:|kworkerd-updater --pool 203.0.113.9"*)
        pass "missing.py: the exec of a missing program, with its arguments" ;;
*) fail "missing.py: the exec of a missing program, with its arguments" "$(rules_of missing.py)" ;;
esac
case "$(rules_of cron.sh)" in
*missing-program*) fail "cron.sh: crontab exists in the sandbox" "$(rules_of cron.sh)" ;;
*) pass "cron.sh: crontab exists in the sandbox" ;;
esac

case "$(rules_of tmpclean.sh)" in
*self-deletion*) fail "tmpclean.sh: deleting its temporary file is not self-deletion" "$(rules_of tmpclean.sh)" ;;
*detonation.ran*) pass "tmpclean.sh: deleting its temporary file is not self-deletion" ;;
*) fail "tmpclean.sh: ran" "$(rules_of tmpclean.sh)" ;;
esac
case "$(rules_of vanish.sh)" in
*"detonation.self-deletion:T1070.004|/sample/vanish.sh"*) pass "vanish.sh: deleting itself is self-deletion" ;;
*) fail "vanish.sh: deleting itself is self-deletion" "$(rules_of vanish.sh)" ;;
esac
case "$(rules_of vanish.sh)" in
*"self-deletion:T1070.004|/tmp/copy.sh"*) fail "vanish.sh: its copy is not itself" "$(rules_of vanish.sh)" ;;
*) pass "vanish.sh: its copy is not itself" ;;
esac
for f in "$S"/debian-*; do
        b=${f##*/}
        got=$(rules_of "$b")
        case "$got" in
        *self-deletion*) fail "$b: not self-deletion" "$got" ;;
        *detonation.ran*) pass "$b: judged without self-deletion" ;;
        *) fail "$b: ran" "$got" ;;
        esac
done
exit 0
