#!/bin/sh
# Every command example of README.md (its indented lines that start with airlock, cd or
# mkdir), run exactly as written by sh, in a scratch HOME and working folder that hold the
# files the examples name, with "airlock" on PATH. Many need what this machine may lack
# (a browser, a clamd, the network, a terminal) and fail for that: what is checked is that
# airlock accepts each command line as the README writes it (no usage error, no unknown
# option, no bad value), so that the README cannot drift from the options. The make targets
# at the top (make demo, make check) are the build's own and are not run here.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
h=$t/home
w=$t/work
mkdir -p "$t/bin" "$h/Downloads" "$h/src/proj" "$h/notes" "$h/extract" "$h/Maildir/new" \
        "$h/Maildir/cur" "$w/out" "$w/my-rules" "$w/mail-attachments"
chmod 755 "$t" "$h" "$w"
ln -s "$AIRLOCK" "$t/bin/airlock"
printf 'print("hello")\n' >"$w/script.py"
printf '#!/bin/sh\necho untrusted "$@"\n' >"$w/untrusted"
printf '#!/bin/sh\necho sample\n' >"$w/sample"
printf '#!/bin/sh\necho tool\n' >"$w/downloaded-tool"
printf 'echo installing\n' >"$w/installer.sh"
chmod 755 "$w/untrusted" "$w/sample" "$w/downloaded-tool"
printf 'all:\n\ttrue\n' >"$h/src/proj/Makefile"
printf 'airlock-profile 1\ninclude default\n' >"$w/my.profile"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}\n' >"$w/docker-default.json"
printf 'From: a@example.org\nTo: b@example.org\nSubject: invoice\n\nhello\n' >"$w/invoice.eml"
cp "$w/invoice.eml" "$h/Maildir/new/1.eml"
echo "a note" >"$w/notes.txt"
echo "<p>invoice</p>" >"$w/invoice.html"
echo "a note" >"$w/mail-attachments/a.txt"
printf '%%PDF-1.4\n%%%%EOF\n' >"$h/Downloads/report.pdf"
printf '#!/bin/sh\necho setup\n' >"$h/Downloads/setup.sh"
python3 -c 'import sys, zipfile
for p in sys.argv[1:]:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("a.txt", "hello")' "$w/invoice.zip" "$h/x.zip"
# a desktop session's Wayland socket, for --display wayland
mkdir -p "$t/run"
chmod 700 "$t/run"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$t/run/wayland-0"
if is_root; then chown -R 65534:65534 "$h/Downloads" "$h/extract" "$w/out"; fi

sed -n 's/^    \(\(airlock\|cd\|mkdir\) .*\)$/\1/p' "$AIRLOCK_SRC/README.md" >"$t/examples"
n=$(wc -l <"$t/examples")
[ "$n" -ge 40 ] && pass "examples-found ($n)" || fail "examples-found" "only $n lines"
i=0
while IFS= read -r line; do
        i=$((i + 1))
        # An example that starts a daemon in the background (`airlock watch ... &`) would
        # outlive sh and timeout both: give it 2 s to refuse its command line, then end it.
        case "$line" in
        *"&") cmd="$line sleep 2; kill \$! 2>/dev/null; wait" ;;
        *) cmd=$line ;;
        esac
        (cd "$w" && HOME=$h PATH=$t/bin:$PATH XDG_RUNTIME_DIR=$t/run WAYLAND_DISPLAY=wayland-0 timeout -k 2 10 sh -c "$cmd" \
                </dev/null >"$t/out.$i" 2>"$t/err.$i")
        rc=$?
        if grep -Eq "unrecognized option|invalid value|unknown command|wrong arguments|needs (a value|[A-Z])|takes no value|usage:|no file given|no command given" "$t/err.$i"; then
                fail "example $i: $line" "status $rc: $(head -c 300 "$t/err.$i")"
        else
                pass "example $i: $line"
        fi
done <"$t/examples"
exit 0
