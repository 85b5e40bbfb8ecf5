#!/bin/sh
# The desktop application profiles with the real programs: LibreOffice headless (office),
# Chromium and Firefox ESR headless (chromium, firefox). Debian's packages are installed by
# scripts/deps.sh when missing (as root). The browsers render a page whose script reports to
# a server on the host's loopback (the profiles share the host network); Chromium's own
# sandbox must be working inside (nested pid namespaces and its own seccomp filter).
. "$AIRLOCK_SRC/tests/lib.sh"

PY=/usr/bin/python3
export HOME=$TEST_TMPDIR/home XDG_DATA_HOME=$TEST_TMPDIR/data
mkdir -p "$HOME/Downloads" "$HOME/.ssh" "$HOME/.gnupg" "$HOME/.mozilla" "$XDG_DATA_HOME"
echo secret >"$HOME/.ssh/id_test"
is_root && chmod 777 "$HOME/Downloads"

need() { # need PROGRAM: install the Debian packages when missing
        command -v "$1" >/dev/null 2>&1 && return 0
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
        command -v "$1" >/dev/null 2>&1
}

# ---- office: LibreOffice converts a document in the current folder ----
if need soffice; then
        mkdir -p "$TEST_TMPDIR/office"
        is_root && chmod 777 "$TEST_TMPDIR/office"
        printf 'Quarterly report\nairlock office works\n' >"$TEST_TMPDIR/office/letter.txt"
        (cd "$TEST_TMPDIR/office" && timeout 180 "$AIRLOCK" run -p office -- soffice --headless \
                --convert-to pdf --outdir /work /work/letter.txt >"$TEST_TMPDIR/office.log" 2>&1)
        if pdftotext "$TEST_TMPDIR/office/letter.pdf" - 2>/dev/null | grep -q 'airlock office works'; then
                pass "office: LibreOffice converts to PDF inside the sandbox"
        else
                fail "office: LibreOffice converts to PDF" "$(tail -c 400 "$TEST_TMPDIR/office.log")"
        fi
        expect_output "office: no network" lo sh -c "cd '$TEST_TMPDIR/office' && '$AIRLOCK' run -p office -- \
                /bin/sh -c \"tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '\""
else
        fail "office" "soffice is not installed and scripts/deps.sh could not install it"
fi

# A server on the host's loopback: the page's script fetches /beacon-42 from it.
mkdir -p "$TEST_TMPDIR/www"
cat >"$TEST_TMPDIR/www/page.html" <<'HTML'
<html><body><p id="x">static</p>
<script>var v = 6 * 7; document.getElementById('x').textContent = 'rendered-by-js-' + v;
fetch('/beacon-' + v).catch(function () {});</script></body></html>
HTML
(cd "$TEST_TMPDIR/www" && exec $PY -c '
import http.server, socketserver, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *a):
        sys.stderr.write(self.path + "\n"); sys.stderr.flush()
s = socketserver.TCPServer(("127.0.0.1", 0), H)
print(s.server_address[1]); sys.stdout.flush(); s.serve_forever()' \
        >"$TEST_TMPDIR/www.port" 2>"$TEST_TMPDIR/www.log") &
server=$!
wait_for 20 test -s "$TEST_TMPDIR/www.port" || fail "host web server" "did not start"
url=http://127.0.0.1:$(cat "$TEST_TMPDIR/www.port")/page.html
flags="--headless --disable-gpu --no-first-run --disable-background-networking \
--disable-component-update --disable-sync"

# ---- chromium ----
if need chromium; then
        : >"$TEST_TMPDIR/www.log"
        # shellcheck disable=SC2086
        timeout 120 "$AIRLOCK" run -p chromium -- chromium $flags \
                --user-data-dir=/home/sandbox/.config/chromium/test-$$ --dump-dom "$url" \
                >"$TEST_TMPDIR/dom" 2>"$TEST_TMPDIR/chromium.log"
        if grep -q 'rendered-by-js-42' "$TEST_TMPDIR/dom"; then
                pass "chromium: renders a page and runs its script (own sandbox on, no --no-sandbox)"
        else
                fail "chromium: renders a page" "$(grep -v dbus "$TEST_TMPDIR/chromium.log" | tail -c 600)"
        fi
        # (the server logs the request as it handles it, which can be just after the browser quit)
        wait_for 10 grep -q '^/beacon-42' "$TEST_TMPDIR/www.log" && pass "chromium: reaches the host network" ||
                fail "chromium: reaches the host network" "no beacon: $(cat "$TEST_TMPDIR/www.log")"
        dir=$XDG_DATA_HOME/airlock/apps/chromium/home/sandbox/.config/chromium/test-$$
        [ -d "$dir/Default" ] && pass "chromium: its profile folder persists on the host" ||
                fail "chromium: its profile folder persists" "no $dir/Default"
        # Chromium's sandbox inside ours: renderers in nested pid namespaces, with a second
        # seccomp filter stacked on airlock's. Looked for during up to 60 s: a browser can take
        # that long to start on a loaded machine.
        # shellcheck disable=SC2086
        timeout 120 "$AIRLOCK" run -p chromium -- /bin/sh -c "
                chromium $flags --user-data-dir=/home/sandbox/.config/chromium/test-$$ '$url' \
                        >/dev/null 2>&1 &
                for i in \$(seq 120); do
                        sleep 0.5
                        for p in /proc/[0-9]*; do
                                tr '\0' ' ' <\$p/cmdline 2>/dev/null | grep -q -- '--type=renderer' || continue
                                ns=\$(grep '^NSpid:' \$p/status | wc -w)
                                f=\$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' \$p/status)
                                if [ \$ns -ge 4 ] && [ \$f -ge 2 ]; then echo sandboxed; kill \$!; exit 0; fi
                        done
                done
                echo unsandboxed; kill \$!" >"$TEST_TMPDIR/inner" 2>&1
        grep -q '^sandboxed' "$TEST_TMPDIR/inner" &&
                pass "chromium: its own sandbox works inside (nested pid namespace, seccomp-bpf)" ||
                fail "chromium: its own sandbox works inside" "$(tail -c 300 "$TEST_TMPDIR/inner")"
        expect_output "chromium: no ~/.ssh, ~/.gnupg or other browsers' data" "absent" \
                "$AIRLOCK" run -p chromium -- /bin/sh -c \
                "ls '$HOME/.ssh' '$HOME/.gnupg' '$HOME/.mozilla' /home/sandbox/.ssh /home/sandbox/.mozilla >/dev/null 2>&1 && echo present || echo absent"
        expect_output "chromium: only Downloads and its own folders are writable" \
                "$(printf '/home/sandbox/.cache/chromium\n/home/sandbox/.config/chromium\n/home/sandbox/Downloads')" \
                "$AIRLOCK" run -p chromium -- /bin/sh -c \
                'for d in /home/sandbox/.cache/chromium /home/sandbox/.config/chromium /home/sandbox/Downloads /etc /usr /; do touch $d/.w 2>/dev/null && rm -f $d/.w && echo $d; done; exit 0'
else
        fail "chromium" "chromium is not installed and scripts/deps.sh could not install it"
fi

# ---- firefox ----
if need firefox-esr; then
        : >"$TEST_TMPDIR/www.log"
        rm -f "$HOME/Downloads/shot.png"
        timeout 120 "$AIRLOCK" run -p firefox -- /bin/sh -c \
                "mkdir -p \$HOME/.mozilla/test-$$ && firefox-esr --headless --no-remote \
                --profile \$HOME/.mozilla/test-$$ --screenshot \$HOME/Downloads/shot.png '$url'" \
                >"$TEST_TMPDIR/firefox.log" 2>&1
        if wait_for 10 grep -q '^/beacon-42' "$TEST_TMPDIR/www.log"; then
                pass "firefox: renders a page and runs its script"
        else
                fail "firefox: renders a page" "$(tail -c 600 "$TEST_TMPDIR/firefox.log")"
        fi
        [ -s "$HOME/Downloads/shot.png" ] && pass "firefox: its screenshot lands in \${DOWNLOADS}" ||
                fail "firefox: screenshot in \${DOWNLOADS}" "$(tail -c 300 "$TEST_TMPDIR/firefox.log")"
        [ -d "$XDG_DATA_HOME/airlock/apps/firefox/home/sandbox/.mozilla/test-$$" ] &&
                pass "firefox: its profile folder persists on the host" ||
                fail "firefox: its profile folder persists" "missing"
        # Firefox's content sandbox inside ours: its seccomp filter stacked on airlock's
        # (looked for during up to 60 s, as Chromium's).
        timeout 120 "$AIRLOCK" run -p firefox -- /bin/sh -c "
                mkdir -p \$HOME/.mozilla/test-$$
                firefox-esr --headless --no-remote --profile \$HOME/.mozilla/test-$$ '$url' \
                        >/dev/null 2>&1 &
                for i in \$(seq 120); do
                        sleep 0.5
                        for p in /proc/[0-9]*; do
                                tr '\0' ' ' <\$p/cmdline 2>/dev/null | grep -q -- '-contentproc' || continue
                                f=\$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' \$p/status 2>/dev/null)
                                if [ \"\${f:-0}\" -ge 2 ]; then echo sandboxed; kill \$!; exit 0; fi
                        done
                done
                echo unsandboxed; kill \$!" >"$TEST_TMPDIR/ffinner" 2>&1
        grep -q '^sandboxed' "$TEST_TMPDIR/ffinner" &&
                pass "firefox: its content sandbox works inside (seccomp-bpf on its content processes)" ||
                fail "firefox: its content sandbox works inside" "$(tail -c 300 "$TEST_TMPDIR/ffinner")"
        expect_output "firefox: no ~/.ssh, ~/.gnupg or the host's .mozilla" "absent" \
                "$AIRLOCK" run -p firefox -- /bin/sh -c \
                "ls '$HOME/.ssh' '$HOME/.gnupg' '$HOME/.mozilla/test-none' >/dev/null 2>&1 && echo present || echo absent"
else
        fail "firefox" "firefox-esr is not installed and scripts/deps.sh could not install it"
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
exit 0
