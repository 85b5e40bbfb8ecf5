#!/bin/sh
# airlock analyze --detonate: programs and scripts that look harmless to the static engine
# are run in airlock run --trace --net sinkhole, and what they try (a decoy key read, a
# shell start-up file written, a download run) decides their verdict. Text, libraries and
# archive members are not run; a benign script stays clean; the time limit holds.
. "$AIRLOCK_SRC/tests/lib.sh"
PY=${PY:-python3}

S=$TEST_TMPDIR/samples
mkdir -p "$S"
# Reads ~/.ssh/id_rsa with the path built from character codes: no string to match.
# a script that builds the path of an SSH key from character codes and reads it
cp "$AIRLOCK_SRC/tests/data/detonate/keyread.py" "$S/notes.py"
printf '#!/bin/sh\necho hello\nls /tmp >/dev/null\n' >"$S/hello.sh"
printf '#!/bin/sh\nsleep 60\n' >"$S/slow.sh"
# A program that appends to ~/.bashrc, its name built at run time.
cat >"$TEST_TMPDIR/persist.c" <<'EOF_C'
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
        char p[512];
        FILE *f;
        snprintf(p, sizeof(p), "%s/.%s%s", getenv("HOME"), "bash", "rc");
        f = fopen(p, "a");
        if (f) {
                fputs("echo hi\n", f);
                fclose(f);
        }
        return 0;
}
EOF_C
cc -O2 -o "$S/tool" "$TEST_TMPDIR/persist.c" || fail "cc" "cannot build the test program"
echo "just text" >"$S/readme.txt"
"$PY" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.write(sys.argv[2], "inner.py"); z.close()' \
        "$TEST_TMPDIR/bundle.zip" "$S/notes.py"
chmod -R a+rX "$TEST_TMPDIR"

# node_info JSON NAME verdict|rules -> the verdict of the node named NAME, or the rules (and
# ATT&CK ids) of its findings
node_info() {
        "$PY" - "$@" <<'PYS'
import json, sys
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
r = json.load(open(sys.argv[1]))
nodes = [n for f in r["files"] for n in walk(f) if n["name"] == sys.argv[2]]
if sys.argv[3] == "verdict":
    print(" ".join(n["verdict"] for n in nodes))
else:
    print(" ".join(sorted(f["rule"] + ":" + ",".join(f["attack"]) for n in nodes for f in n["findings"])))
PYS
}
verdict_of() { node_info "$1" "$2" verdict; }
rules_of() { node_info "$1" "$2" rules; }

# Statically, the samples look clean.
"$AIRLOCK" analyze --json "$S" >"$TEST_TMPDIR/static.json" 2>"$TEST_TMPDIR/err"
expect_eq "static: the key reader looks clean" clean "$(verdict_of "$TEST_TMPDIR/static.json" notes.py)"
expect_eq "static: the program looks clean" clean "$(verdict_of "$TEST_TMPDIR/static.json" tool)"

# Detonated, the folder (each file on disk that is a program or script runs).
"$AIRLOCK" analyze --detonate --json "$S" >"$TEST_TMPDIR/det.json" 2>"$TEST_TMPDIR/err"
rc=$?
expect_eq "detonate: exit status 1 (something malicious)" 1 "$rc"
expect_eq "detonate: the key reader is malicious" malicious "$(verdict_of "$TEST_TMPDIR/det.json" notes.py)"
case "$(rules_of "$TEST_TMPDIR/det.json" notes.py)" in
*"detonation.credential-canary:"*T1552.004*) pass "detonate: the decoy key read is the finding (T1552.004)" ;;
*) fail "detonate: the decoy key read is the finding (T1552.004)" "$(rules_of "$TEST_TMPDIR/det.json" notes.py) $(cat "$TEST_TMPDIR/err")" ;;
esac
expect_eq "detonate: the program is malicious" malicious "$(verdict_of "$TEST_TMPDIR/det.json" tool)"
case "$(rules_of "$TEST_TMPDIR/det.json" tool)" in
*"detonation.persistence-shell-profile:T1546.004"*) pass "detonate: the program's ~/.bashrc write is the finding (T1546.004)" ;;
*) fail "detonate: the program's ~/.bashrc write is the finding (T1546.004)" "$(rules_of "$TEST_TMPDIR/det.json" tool)" ;;
esac
expect_eq "detonate: a benign script stays clean" clean "$(verdict_of "$TEST_TMPDIR/det.json" hello.sh)"
case "$(rules_of "$TEST_TMPDIR/det.json" hello.sh)" in
*detonation.ran*) pass "detonate: the benign script did run" ;;
*) fail "detonate: the benign script did run" "$(rules_of "$TEST_TMPDIR/det.json" hello.sh)" ;;
esac
case "$(rules_of "$TEST_TMPDIR/det.json" readme.txt)" in
*detonation*) fail "detonate: text is not run" "$(rules_of "$TEST_TMPDIR/det.json" readme.txt)" ;;
*) pass "detonate: text is not run" ;;
esac
[ -e "$HOME/.bashrc" ] && grep -q "echo hi" "$HOME/.bashrc" &&
        fail "detonate: the host's ~/.bashrc is untouched" "the sample wrote it" ||
        pass "detonate: the host's ~/.bashrc is untouched"

# The time limit ends a sample that would run on.
start=$(date +%s)
"$AIRLOCK" analyze --detonate --detonate-timeout 2 --json "$S/slow.sh" >"$TEST_TMPDIR/slow.json" 2>&1
took=$(($(date +%s) - start))
[ "$took" -lt 30 ] && pass "detonate: --detonate-timeout ends a long sample (${took} s)" ||
        fail "detonate: --detonate-timeout ends a long sample" "took $took s"
expect_grep "detonate: the report says it was ended (status 124)" "exit status 124" cat "$TEST_TMPDIR/slow.json"

# Archive members are judged statically only.
"$AIRLOCK" analyze --detonate --json "$TEST_TMPDIR/bundle.zip" >"$TEST_TMPDIR/zip.json" 2>&1
case "$(rules_of "$TEST_TMPDIR/zip.json" inner.py)" in
*detonation*) fail "detonate: archive members are not run" "$(rules_of "$TEST_TMPDIR/zip.json" inner.py)" ;;
*) pass "detonate: archive members are not run" ;;
esac
# The download watcher detonates too: a key reader that looks clean goes to the quarantine,
# a benign script stays.
W=$TEST_TMPDIR/downloads
mkdir -p "$W"
cp "$S/notes.py" "$S/hello.sh" "$W/"
"$AIRLOCK" watch --once --detonate --quarantine "$TEST_TMPDIR/q" "$W" >"$TEST_TMPDIR/watch.log" 2>&1
expect_eq "watch --detonate: exit status 1" 1 "$?"
[ ! -e "$W/notes.py" ] && [ -e "$W/hello.sh" ] &&
        pass "watch --detonate: the key reader is quarantined, the benign script stays" ||
        fail "watch --detonate: the key reader is quarantined, the benign script stays" "$(ls "$W"; cat "$TEST_TMPDIR/watch.log")"
expect_grep "watch --detonate: the log names the behaviour" "quarantined .*notes.py.*detonation.credential-canary" \
        cat "$TEST_TMPDIR/watch.log"
# Mail: an attachment that is a script is run from its decoded content.
"$PY" - "$S/notes.py" "$TEST_TMPDIR/msg.eml" <<'PYS'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"], m["To"], m["Subject"] = "a@example.org", "b@example.org", "notes"
m.set_content("see attached")
m.add_attachment(open(sys.argv[1], "rb").read(), maintype="text", subtype="x-python",
                 filename="notes.py")
open(sys.argv[2], "wb").write(bytes(m))
PYS
expect_status "mail scan: the message looks clean statically" 0 "$AIRLOCK" mail scan "$TEST_TMPDIR/msg.eml"
"$AIRLOCK" mail scan --detonate "$TEST_TMPDIR/msg.eml" >"$TEST_TMPDIR/mail.out" 2>&1
expect_eq "mail scan --detonate: status 1" 1 "$?"
expect_grep "mail scan --detonate: the attachment's key read is found" \
        "notes.py: malicious" cat "$TEST_TMPDIR/mail.out"
expect_grep "mail scan --detonate: named by its rule" "detonation.credential-canary" cat "$TEST_TMPDIR/mail.out"
printf 'detonate = yes\ndetonate-timeout = 20\n' >"$TEST_TMPDIR/policy.conf"
expect_grep "mail scan: the policy file's detonate = yes detonates" "notes.py: malicious" \
        "$AIRLOCK" mail scan --config "$TEST_TMPDIR/policy.conf" "$TEST_TMPDIR/msg.eml"

# A detonation time outside 1..3600 s is refused by every command that takes one (usage, 2),
# never moved silently into the range.
for t in 0 3601 ten; do
        expect_status "analyze: --detonate-timeout $t is refused" 2 \
                "$AIRLOCK" analyze --detonate-timeout "$t" "$S/slow.sh"
        expect_status "mail scan: --detonate-timeout $t is refused" 2 \
                "$AIRLOCK" mail scan --detonate-timeout "$t" "$TEST_TMPDIR/msg.eml"
done
expect_grep "analyze: the refusal names the range" "1 to 3600" \
        "$AIRLOCK" analyze --detonate-timeout 0 "$S/slow.sh"
exit 0
