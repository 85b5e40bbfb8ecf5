#!/bin/sh
# airlock open: a malicious download is refused (exit 1, verdict and findings named); a benign
# one is opened inside airlock run, read-only and without network, by the program and profile
# for its true type (or the user's --with / --profile).
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/open
mkdir -p "$W"
chmod 755 "$W"
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }

eicar >"$W/eicar.com"
"$AIRLOCK" open --with cat "$W/eicar.com" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 1 ] && [ ! -s "$W/out" ] && pass "refuse: EICAR is refused with exit status 1, nothing run" ||
        fail "refuse: EICAR" "status $rc, out $(cat "$W/out")"
expect_grep "refuse: the message names the verdict" "eicar.com: malicious \(score 10\)" cat "$W/err"
expect_grep "refuse: the message names the top finding" "^  eicar_test_file \(critical\)" cat "$W/err"
expect_grep "refuse: the message says it refused and how to override" "refused.*--allow-malicious" cat "$W/err"
"$AIRLOCK" open -n "$W/eicar.com" >/dev/null 2>"$W/err"
[ $? = 1 ] && pass "refuse: also with --dry-run" || fail "refuse: dry-run" "$(cat "$W/err")"
expect_status "override: --allow-malicious opens it (sandboxed)" 0 \
        "$AIRLOCK" open --allow-malicious --with cat "$W/eicar.com"

cp "$AIRLOCK_SRC/samples/meeting-notes.txt" "$W/notes.txt"
chmod 666 "$W/notes.txt" # only the read-only bind may stop a write
expect_output "with: --with cat shows the benign text" "$(cat "$W/notes.txt")" \
        "$AIRLOCK" open --with cat "$W/notes.txt"
"$AIRLOCK" open --with cat "$W/notes.txt" >/dev/null 2>"$W/err"
expect_grep "with: it says the verdict and true type" "notes.txt: clean \(score 0\), .*\[text/plain\]" cat "$W/err"
expect_grep "with: it says the profile and command" "text file; profile shell, your command" cat "$W/err"
expect_grep "with: it says how the file is given" "read-only at /work/notes.txt, no network" cat "$W/err"

# The program can neither write to the file nor reach the host's loopback.
PY=/usr/bin/python3
$PY -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1]); sys.stdout.flush()
s.settimeout(30)
try:
    c, _ = s.accept(); print("connected"); sys.stdout.flush()
except OSError:
    pass' >"$W/port" &
server=$!
wait_for 20 test -s "$W/port" || fail "sandbox: host listener" "did not start"
port=$(head -1 "$W/port")
"$AIRLOCK" open "$W/notes.txt" -- /bin/sh -c '
        if echo tampered >>"$1" 2>/dev/null; then echo wrote; else echo no-write; fi
        '"$PY"' -c "
import socket
try:
    socket.create_connection((\"127.0.0.1\", '"$port"'), timeout=3); print(\"net\")
except OSError:
    print(\"no-net\")"
        tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " "' sh {} >"$W/probe" 2>"$W/err"
expect_output "sandbox: the file cannot be written, the network is out of reach, only lo" \
        "no-write no-net lo" sh -c "tr '\n' ' ' <'$W/probe' | sed 's/ *$//'"
cmp -s "$W/notes.txt" "$AIRLOCK_SRC/samples/meeting-notes.txt" && pass "sandbox: the file is unchanged on the host" ||
        fail "sandbox: file unchanged" "$(tail -2 "$W/notes.txt")"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
! grep -q connected "$W/port" && pass "sandbox: the host's listener saw no connection" ||
        fail "sandbox: listener" "a connection arrived"

expect_output "with: {} inside an argument is replaced too" "url=file:///work/notes.txt" \
        "$AIRLOCK" open "$W/notes.txt" -- /bin/echo "url=file://{}"
expect_output "exit: the program's exit status is open's" 3 sh -c \
        "'$AIRLOCK' open '$W/notes.txt' -- /bin/sh -c 'exit 3' >/dev/null 2>&1; echo \$?"

# The handler follows the true type, not the name.
$PY - "$W" <<'PY'
import os, sys, zipfile, zlib
d = sys.argv[1]
content = zlib.compress(b"BT /F1 12 Tf 20 100 Td (hello from a PDF) Tj ET\n" * 40)
# Like every PDF writer: a comment of high bytes on line 2 marks the file binary.
pdf = b"".join([
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n",
    b"4 0 obj<</Length " + str(len(content)).encode() + b"/Filter/FlateDecode>>stream\n",
    content, b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"])
open(os.path.join(d, "paper.pdf"), "wb").write(pdf)
open(os.path.join(d, "paper.txt"), "wb").write(pdf)  # a PDF named .txt
with zipfile.ZipFile(os.path.join(d, "photos.zip"), "w") as z:
    z.writestr("a.txt", "hello\n")
for n in ("paper.pdf", "paper.txt", "photos.zip"):
    os.chmod(os.path.join(d, n), 0o644)
PY
cp "$AIRLOCK_SRC/samples/report.html" "$W/report.html"
cp /bin/true "$W/tool"
chmod 644 "$W/report.html"
expect_grep "type: a PDF gets the pdf profile" "PDF document; profile pdf" "$AIRLOCK" open -n "$W/paper.pdf"
expect_grep "type: a PDF named .txt still gets the pdf profile" "PDF document; profile pdf" \
        "$AIRLOCK" open -n "$W/paper.txt"
expect_grep "type: HTML gets a browser profile" "web page or image; profile (chromium|firefox)" \
        "$AIRLOCK" open -n "$W/report.html"
expect_grep "type: a zip gets the archive profile" "archive; profile archive" \
        "$AIRLOCK" open -n "$W/photos.zip"
expect_status "type: a program is not run by open" 2 "$AIRLOCK" open "$W/tool"
expect_grep "profile: --profile overrides the choice" "profile strict \(yours\)" \
        "$AIRLOCK" open -n --profile strict "$W/report.html"
printf 'airlock-profile 1\ninclude shell\nenv OPEN_TEST=from-my-profile\n' >"$W/mine.profile"
expect_output "profile: a profile given by a relative path is used" from-my-profile sh -c \
        "cd '$W' && '$AIRLOCK' open --profile ./mine.profile notes.txt -- /bin/sh -c 'echo \$OPEN_TEST' 2>/dev/null"
if command -v pdftotext >/dev/null; then
        expect_output "pdf: opened by pdftotext inside the pdf profile" "ok" sh -c \
                "'$AIRLOCK' open --with 'pdftotext {} -' '$W/paper.pdf' >/dev/null 2>'$W/err' && echo ok"
fi
# A page opened in the browser profile cannot save into the user's Downloads (nor its gate):
# Chromium runs the smuggling page, whose download lands in a discarded tmpfs (looked for
# during up to 90 s: headless Chromium can take most of a minute to start on a loaded machine).
if command -v chromium >/dev/null 2>&1; then
        export HOME=$W/home XDG_DATA_HOME=$W/data
        mkdir -p "$HOME/Downloads/.airlock-gate" "$XDG_DATA_HOME"
        is_root && chmod 777 "$HOME/Downloads" "$HOME/Downloads/.airlock-gate"
        cp "$AIRLOCK_SRC/samples/invoice.html" "$W/invoice.html"
        chmod 644 "$W/invoice.html"
        timeout 120 "$AIRLOCK" open "$W/invoice.html" -- /bin/sh -c '
                chromium --headless --disable-gpu --no-first-run --disable-background-networking \
                        --disable-component-update --disable-sync \
                        --user-data-dir=/home/sandbox/.config/chromium/open-test "$1" >/dev/null 2>&1 &
                for i in $(seq 90); do
                        sleep 1
                        ls /home/sandbox/Downloads | grep -q "^Invoice" && break
                done
                ls /home/sandbox/Downloads; kill $!' sh {} >"$W/chromium.out" 2>"$W/chromium.err"
        grep -q '^Invoice-2026-1142.pdf.exe$' "$W/chromium.out" &&
                pass "browser: the page ran and its script saved the smuggled file inside" ||
                fail "browser: the page's download inside" "$(cat "$W/chromium.out"; tail -c 300 "$W/chromium.err")"
        [ -z "$(ls -A "$HOME/Downloads" | grep -v '^.airlock-gate$')" ] && [ -z "$(ls -A "$HOME/Downloads/.airlock-gate")" ] &&
                pass "browser: nothing reached the user's Downloads or its gate" ||
                fail "browser: Downloads untouched" "$(ls -AR "$HOME/Downloads")"
        grep -q "downloads discarded" "$W/chromium.err" && pass "browser: open says downloads are discarded" ||
                fail "browser: says downloads discarded" "$(head -5 "$W/chromium.err")"
else
        fail "browser" "chromium is not installed (scripts/deps.sh installs it)"
fi

expect_status "usage: no file is an error" 2 "$AIRLOCK" open
expect_status "usage: a missing file is an error" 2 "$AIRLOCK" open "$W/missing"
expect_grep "usage: --help" "allow-malicious" "$AIRLOCK" open --help
exit 0
