#!/bin/sh
# The browser download gate with the real Chromium (Debian's chromium, installed by
# scripts/deps.sh when missing): the chromium profile saves into ${DOWNLOADS}/.airlock-gate
# once it exists, and airlock watch --gate moves on to ${DOWNLOADS} only what it judged clean.
# Chromium runs headless in -p chromium with its own sandbox on and opens local pages: an HTML
# smuggling page (samples/invoice.html) whose script builds the download in the browser
# (T1027.006), and a page that saves a harmless note the same way.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/watch-chromium
export HOME=$W/home XDG_DATA_HOME=$W/data
DL=$HOME/Downloads GATE=$HOME/Downloads/.airlock-gate Q=$W/quarantine
mkdir -p "$GATE" "$XDG_DATA_HOME" "$W/pages"
# Started as root, the browser runs as an unprivileged uid: it must reach the pages and the gate.
is_root && chmod 777 "$GATE"
chmod 755 "$W" "$W/pages"

if ! command -v chromium >/dev/null 2>&1; then
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
fi
if ! command -v chromium >/dev/null 2>&1; then
        fail "chromium" "chromium is not installed and scripts/deps.sh could not install it"
        exit 0
fi

cp "$AIRLOCK_SRC/samples/invoice.html" "$W/pages/invoice.html"
cat >"$W/pages/notes.html" <<'HTML'
<!DOCTYPE html>
<html><body><p>Saving your notes&hellip;</p>
<script>
  var blob = new Blob(["Shopping list: bread, milk, apples.\n"], {type: "text/plain"});
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "shopping-list.txt";
  document.body.appendChild(a);
  a.click();
</script></body></html>
HTML
chmod 644 "$W/pages/"*

wait_for() {
        _t=$(($1 * 10))
        shift
        while [ "$_t" -gt 0 ]; do
                "$@" && return 0
                sleep 0.1
                _t=$((_t - 1))
        done
        return 1
}

"$AIRLOCK" watch --quarantine "$Q" --pid-file "$W/pid" --gate "$GATE" --release-to "$DL" \
        >"$W/log" 2>"$W/err" &
watcher=$!
if ! wait_for 20 test -s "$W/pid"; then
        fail "gate: watcher ready" "$(cat "$W/err")"
        kill "$watcher" 2>/dev/null
        exit 0
fi

# browse PAGE: Chromium opens the page and stays until killed; returns once LOGLINE appears.
browse() {
        timeout 90 "$AIRLOCK" run -p chromium --ro-bind "$W/pages" /srv/pages -- chromium \
                --headless --disable-gpu --no-first-run --disable-background-networking \
                --disable-component-update --disable-sync \
                --user-data-dir=/home/sandbox/.config/chromium/gate-$$ "file:///srv/pages/$1" \
                >"$W/chromium-$1.log" 2>&1 &
        _b=$!
        wait_for 60 grep -q "$2" "$W/log"
        _found=$?
        kill "$_b" 2>/dev/null
        wait "$_b" 2>/dev/null
        return $_found
}

if browse invoice.html "^quarantined $GATE/Invoice-2026-1142.pdf.exe"; then
        pass "chromium: the smuggled download lands in the gate and is quarantined"
else
        fail "chromium: smuggled download judged" "log: $(cat "$W/log"); gate: $(ls -a "$GATE"); $(grep -v dbus "$W/chromium-invoice.html.log" | tail -c 400)"
fi
expect_grep "chromium: the log names the malicious verdict and the EICAR rule" \
        "^quarantined $GATE/Invoice-2026-1142.pdf.exe: malicious .*rules: .*eicar_test_file" cat "$W/log"
[ -z "$(ls "$DL" | grep -i invoice)" ] && [ -z "$(ls -A "$GATE")" ] &&
        pass "chromium: the smuggled download is never released into Downloads" ||
        fail "chromium: smuggled download held" "Downloads: $(ls -A "$DL"); gate: $(ls -A "$GATE")"
expect_grep "chromium: the store keeps it with its gate path" "malicious .*$GATE/Invoice-2026-1142.pdf.exe" \
        "$AIRLOCK" quarantine --store "$Q" list

if browse notes.html "^released $GATE/shopping-list.txt"; then
        pass "chromium: a clean script-made download is released"
else
        fail "chromium: clean download released" "log: $(cat "$W/log"); $(grep -v dbus "$W/chromium-notes.html.log" | tail -c 400)"
fi
[ "$(cat "$DL/shopping-list.txt" 2>/dev/null)" = "Shopping list: bread, milk, apples." ] &&
        pass "chromium: the released file is in Downloads with its content" ||
        fail "chromium: released content" "$(ls -A "$DL")"

kill -TERM "$watcher"
wait "$watcher"
[ $? = 0 ] && pass "gate: the watcher stops cleanly" || fail "gate: watcher stop" "$(cat "$W/err")"
exit 0
