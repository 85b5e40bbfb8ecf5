#!/bin/sh
# Issue 18: with clamd configured or --detonate, the whole message is still parsed (GMime, the
# MIME walk) in the confined worker, not in airlock mail scan. A fault in the worker while it
# reads the message (the test builds' switch, the marker in a header: before GMime has read a
# part, so no part carries it) leaves the message unscannable with worker.crashed or
# limit.time, and the next message is scanned. clamd (Debian's, started here with a
# one-line signature database this test writes; stopped by its pid) is given the raw message
# and decodes the MIME itself: a base64 attachment carrying the signature is found.
# Detonation takes each part's decoded content from the worker's reply: a base64 script runs.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/helpers/clamd-lib.sh"

t=$TEST_TMPDIR
marker="airlock-mail-clamd-marker-$$"
clamd_start "$t" Airlock.Test.MailMarker "$marker" || exit 0

printf '#!/bin/sh\nuname -s\nid -u\n' >"$t/run.sh"
# NAME X-NOTE-HEADER ATTACHMENT-TEXT FILE-NAME SUBTYPE: messages with one base64 attachment.
python3 - "$t" "$marker" <<'PYS'
import sys
from email.message import EmailMessage
t, marker = sys.argv[1], sys.argv[2]
script = open(t + "/run.sh").read()
for name, note, text, fname, sub in [
        ("marked", "", "notes: " + marker, "notes.txt", "plain"),
        ("plain", "", "an ordinary note", "notes.txt", "plain"),
        ("crash", "MAIL-FAULT-CRASH", "an ordinary note", "notes.txt", "plain"),
        ("hang", "MAIL-FAULT-HANG", "an ordinary note", "notes.txt", "plain"),
        ("script", "", script, "run.sh", "x-shellscript"),
        ("script-crash", "MAIL-FAULT-CRASH", script, "run.sh", "x-shellscript")]:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "a@example.org", "user@test.local", "notes"
    if note:
        m["X-Note"] = note
    m.set_content("see attached")
    m.add_attachment(text.encode(), maintype="text", subtype=sub, filename=fname, cte="base64")
    open("%s/%s.eml" % (t, name), "wb").write(bytes(m))
PYS
# The marker is only in the base64 body: a plain grep of the message does not find it.
if grep -q "$marker" "$t/marked.eml"; then
        fail "marker-encoded" "the marker is readable in the raw message"
fi

clamd_wait "$t" || exit 0
printf 'clamd = unix:%s\n' "$t/clamd.sock" >"$t/policy.conf"

# "NAME VERDICT PARTS RULE..." of each message of a mail scan --json report.
summary() {
        python3 -c '
import json, sys
def rules(n):
    out = [f["rule"] for f in n.get("findings", [])]
    for c in n.get("children", []):
        out += rules(c)
    return out
for f in json.load(sys.stdin)["files"]:
    print(f["name"], f["verdict"], f.get("message", {}).get("parts", 0), *sorted(set(rules(f))))
'
}
export AIRLOCK_TEST_WORKER_FAULT=crash:MAIL-FAULT-CRASH,hang:MAIL-FAULT-HANG

out=$("$AIRLOCK" mail scan --json --config "$t/policy.conf" "$t/marked.eml" "$t/plain.eml" \
        2>"$t/err" | summary)
expect_eq "clamd-decodes-the-raw-message" \
        "marked.eml malicious 3 clamav.Airlock.Test.MailMarker.UNOFFICIAL | plain.eml clean 3" \
        "$(printf '%s\n' "$out" | tr '\n' '|' | sed 's/|$//; s/|/ | /g')"
out=$("$AIRLOCK" mail scan --json --config "$t/policy.conf" "$t/crash.eml" "$t/plain.eml" \
        2>>"$t/err" | summary)
expect_eq "clamd-crash-contained" "crash.eml unscannable 0 worker.crashed | plain.eml clean 3" \
        "$(printf '%s\n' "$out" | tr '\n' '|' | sed 's/|$//; s/|/ | /g')"
out=$("$AIRLOCK" mail scan --json --timeout 1 --config "$t/policy.conf" "$t/hang.eml" \
        "$t/plain.eml" 2>>"$t/err" | summary)
expect_eq "clamd-hang-ends-at-deadline" "hang.eml unscannable 0 limit.time | plain.eml clean 3" \
        "$(printf '%s\n' "$out" | tr '\n' '|' | sed 's/|$//; s/|/ | /g')"
# clamd gone: the message is unscannable (limit clamd), never clean
out=$(printf 'clamd = unix:%s\n' "$t/no-such.sock" >"$t/gone.conf"
        "$AIRLOCK" mail scan --json --config "$t/gone.conf" "$t/plain.eml" 2>>"$t/err" | summary)
expect_eq "clamd-gone-unscannable" "plain.eml unscannable 3 limit.clamd" "$out"
kill $clamd_pid
wait $clamd_pid 2>/dev/null
trap - EXIT

# --detonate: the fault in the worker is contained, the script of the next message is run
# from the content the worker decoded (uname and id started in the sandbox).
out=$("$AIRLOCK" mail scan --json --detonate --timeout 5 "$t/script-crash.eml" \
        "$t/hang.eml" "$t/script.eml" 2>>"$t/err" | summary)
expect_eq "detonate-crash-and-hang-contained" \
        "script-crash.eml unscannable 0 worker.crashed | hang.eml unscannable 0 limit.time | script.eml clean 3 detonation.ran" \
        "$(printf '%s\n' "$out" | tr '\n' '|' | sed 's/|$//; s/|/ | /g')"
"$AIRLOCK" mail scan --json --detonate "$t/script.eml" 2>>"$t/err" >"$t/script.json"
ran=$(python3 -c '
import json, sys
def find(n):
    if n.get("detonation"):
        return n
    for c in n.get("children", []):
        r = find(c)
        if r:
            return r
def exes(t):
    out = []
    for p in t:
        out.append(p["exe"].rsplit("/", 1)[-1])
        out += exes(p.get("children", []))
    return out
n = find(json.load(open(sys.argv[1]))["files"][0])
print(n["name"] if n else "none", *sorted(set(exes(n["detonation"]["process_tree"]))) if n else "")
' "$t/script.json")
expect_eq "detonate-runs-the-decoded-part" "run.sh dash id uname" "$ran"
