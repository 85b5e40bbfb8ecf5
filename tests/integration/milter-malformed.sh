#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. 127.0.0.1 only, no relaying.
#
# The malformed corpus through Postfix and the milter: every message gets a verdict and an
# action (one log line each), the SMTP reply matches the action, nothing crashes the milter
# or makes it time out (no 4xx), and ambiguous structure is never delivered as clean.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
C=$TEST_TMPDIR/corpus
mkdir -p "$T" "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" --only malformed || exit 1
pf_up "$T"
pid=$(cat "$T/milter.pid")

# Send each message with a sender that names it, and record the SMTP reply.
python3 - "$C" "$P" >"$T/replies" <<'PY'
import os, smtplib, sys
corpus, port = sys.argv[1], int(sys.argv[2])
for i, line in enumerate(open(os.path.join(corpus, "expect.tsv"))):
    name, want = line.rstrip("\n").split("\t")
    data = open(os.path.join(corpus, name), "rb").read()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    code = "none"
    try:
        s = smtplib.SMTP("127.0.0.1", port, timeout=120)
        try:
            s.sendmail("m%d@example.org" % i, ["user@test.local"], data)
            code = "250"
        except smtplib.SMTPResponseException as e:
            code = str(e.smtp_code)
        except smtplib.SMTPDataError as e:
            code = str(e.smtp_code)
        s.quit()
    except Exception as e:
        code = "error:" + type(e).__name__
    print(i, name, want, code)
PY
pf_wait_idle "$T" 60

n=0
bad=0
while read -r i name want code; do
        n=$((n + 1))
        line=$(grep "from=<m$i@example.org> " "$T/milter.log")
        verdict=$(printf '%s\n' "$line" | sed -n 's/.* verdict=\([a-z]*\) .*/\1/p')
        action=$(printf '%s\n' "$line" | sed -n 's/.* action=\([a-z]*\) .*/\1/p')
        why=""
        if [ "$(printf '%s\n' "$line" | grep -c .)" != 1 ] || [ -z "$verdict" ] || [ -z "$action" ]; then
                why="no single log line with a verdict and an action"
        elif [ "$verdict" = error ]; then
                why="scan error: $line"
        elif [ "$want" = notclean ] && [ "$verdict" = clean ] && [ "$name" != malformed/empty.eml ]; then
                # (Postfix gives an empty message the headers it lacks: then it is a message.)
                why="ambiguous structure delivered as clean"
        else
                case "$action:$code" in
                tag:250 | quarantine:250 | strip:250 | accept:250 | reject:550) ;;
                *) why="action $action but SMTP reply $code" ;;
                esac
        fi
        if [ -n "$why" ]; then
                fail "$name" "$why"
                bad=$((bad + 1))
        fi
        echo "$name: $verdict $action ($code)"
done <"$T/replies"
if kill -0 "$pid" 2>/dev/null && [ $n -ge 30 ] && [ $bad = 0 ]; then
        pass "$n malformed messages through Postfix: each a verdict and an action, milter alive"
elif ! kill -0 "$pid" 2>/dev/null; then
        fail "milter alive after the malformed corpus" "it died: $(tail -n 3 "$T/milter.log")"
fi
