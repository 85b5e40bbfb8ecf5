#!/bin/sh
# Issue 11, class 3: the decoy credentials that --trace plants in the sandbox home are
# recognised by identity (the kernel reports opens of their inodes), not by the name the
# program used. Each variant reaches a decoy by another name and must give the
# credential-canary finding with its ATT&CK id. Before the fix each gave no finding.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/monitor/trace-lib.sh"

mkdir -p "$SAMPLES"

# the control: by its own name
trace decoy-name -- /bin/sh -c 'cat ~/.ssh/id_rsa >/dev/null'
expect_finding decoy-name T1552.004 high

trace decoy-symlink -- /bin/sh -c 'ln -s ~/.ssh/id_rsa /tmp/k && cat /tmp/k >/dev/null'
expect_finding decoy-symlink T1552.004 high

trace decoy-hardlink -- /bin/sh -c 'ln ~/.ssh/id_ed25519 ~/notes && cat ~/notes >/dev/null'
expect_finding decoy-hardlink T1552.004 high

trace decoy-proc-root -- /bin/sh -c 'cat /proc/self/root$HOME/.aws/credentials >/dev/null'
expect_finding decoy-proc-root T1552.001 high

# relative to a directory fd, after the folder above the decoy was renamed: by the working
# directory (AT_FDCWD), then by an fd opened on the folder (openat with a dirfd)
trace decoy-dirfd -- /bin/sh -c 'mv ~/.ssh ~/keys && cd ~/keys && cat ./id_rsa >/dev/null'
expect_finding decoy-dirfd T1552.004 high
if [ -x /usr/bin/python3 ]; then
        trace decoy-openat -- /usr/bin/python3 -c 'import os
os.rename(os.path.expanduser("~/.aws"), os.path.expanduser("~/cfg"))
d = os.open(os.path.expanduser("~/cfg"), os.O_RDONLY | os.O_DIRECTORY)
os.read(os.open("credentials", os.O_RDONLY, dir_fd=d), 10)'
        expect_finding decoy-openat T1552.001 high
fi

trace decoy-rename -- /bin/sh -c 'mv ~/.netrc ~/readme.txt && cat ~/readme.txt >/dev/null'
expect_finding decoy-rename T1552.001 high

# copied through a link by cp (copy_file_range or sendfile, whichever it uses)
trace decoy-copy -- /bin/sh -c 'ln -s ~/.mozilla/firefox/airlock.default/logins.json /tmp/l &&
        cp /tmp/l /tmp/copy'
expect_finding decoy-copy T1555.003 high

# a program that opens nothing planted: no decoy finding
trace decoy-none -- /bin/sh -c 'ls ~ >/dev/null; cat /etc/hostname >/dev/null'
got=$(jq_py decoy-none "[f for f in r['findings'] if f['rule'] == 'credential-canary']")
[ "$got" = "[]" ] && pass "decoy-none: no decoy finding" ||
        fail "decoy-none: no decoy finding" "$got"

# analyze --detonate runs the same monitor: a script that reads the decoy key through a
# symlink it makes, under a name that is no decoy's.
D=$TEST_TMPDIR/detonate
mkdir -p "$D"
printf '#!/bin/sh\nln -s "$HOME/.ssh/id_rsa" /tmp/cfg\ncat /tmp/cfg >/dev/null\necho done\n' \
        >"$D/setup.sh"
chmod 755 "$D/setup.sh"
"$AIRLOCK" analyze --detonate --json "$D/setup.sh" >"$TEST_TMPDIR/det.json" 2>"$TEST_TMPDIR/det.err"
got=$($PY -c '
import json, sys
def walk(n):
    for f in n.get("findings", []):
        yield f["rule"], f.get("attack", [])
    for c in n.get("children", []):
        yield from walk(c)
r = json.load(open(sys.argv[1]))
print(any(rule == "detonation.credential-canary" and "T1552.004" in att
          for f in r["files"] for rule, att in walk(f)))' "$TEST_TMPDIR/det.json" 2>&1)
[ "$got" = True ] && pass "decoy-detonate: detonation.credential-canary T1552.004" ||
        fail "decoy-detonate: detonation.credential-canary T1552.004" \
                "$got $(head -c 300 "$TEST_TMPDIR/det.err")"
