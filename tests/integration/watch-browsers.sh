#!/bin/sh
# The browser download gate with the real Chromium and Firefox ESR (Debian's packages,
# installed by scripts/deps.sh when missing): the chromium and firefox profiles save into
# ${DOWNLOADS}/.airlock-gate once it exists, and airlock watch --gate moves on to ${DOWNLOADS}
# only what it judged clean. The browsers run headless in their profiles with their own
# sandboxes on and open local pages: an HTML smuggling page (samples/invoice.html) whose script
# builds the download in the browser (T1027.006), and a page that saves a harmless note the
# same way. Chromium writes *.crdownload then renames; Firefox reserves the final name with an
# empty file and writes *.part: both must be judged once, when complete.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/watch-chromium
export HOME=$W/home XDG_DATA_HOME=$W/data
DL=$HOME/Downloads GATE=$HOME/Downloads/.airlock-gate Q=$W/quarantine
mkdir -p "$GATE" "$XDG_DATA_HOME" "$W/pages"
# Started as root, the browser runs as an unprivileged uid: it must reach the pages and the gate.
is_root && chmod 777 "$GATE"
chmod 755 "$W" "$W/pages"

if ! command -v chromium >/dev/null 2>&1 || ! command -v firefox-esr >/dev/null 2>&1; then
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
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
sed 's/shopping-list.txt/list-from-firefox.txt/' "$W/pages/notes.html" >"$W/pages/notes-ff.html"
chmod 644 "$W/pages/"*


"$AIRLOCK" watch --quarantine "$Q" --pid-file "$W/pid" --gate "$GATE" --release-to "$DL" \
        >"$W/log" 2>"$W/err" &
watcher=$!
if ! wait_for 20 test -s "$W/pid"; then
        fail "gate: watcher ready" "$(cat "$W/err")"
        kill "$watcher" 2>/dev/null
        exit 0
fi

# browse PAGE LOGLINE: the browser opens the page and stays until killed; returns once
# LOGLINE appears in the watcher's log.
browse() {
        if [ "$browser" = chromium ]; then
                timeout 90 "$AIRLOCK" run -p chromium --ro-bind "$W/pages" /srv/pages -- chromium \
                        --headless --disable-gpu --no-first-run --disable-background-networking \
                        --disable-component-update --disable-sync \
                        --user-data-dir=/home/sandbox/.config/chromium/gate-$$ "file:///srv/pages/$1" \
                        >"$W/$browser-$1.log" 2>&1 &
        else
                timeout 90 "$AIRLOCK" run -p firefox --ro-bind "$W/pages" /srv/pages -- /bin/sh -c \
                        "mkdir -p \$HOME/.mozilla/gate-$$ && exec firefox-esr --headless --no-remote \
                        --profile \$HOME/.mozilla/gate-$$ file:///srv/pages/$1" \
                        >"$W/$browser-$1.log" 2>&1 &
        fi
        _b=$!
        wait_for 60 grep -q "$2" "$W/log"
        _found=$?
        kill "$_b" 2>/dev/null
        wait "$_b" 2>/dev/null
        return $_found
}

for browser in chromium firefox; do
        command -v "$( [ $browser = chromium ] && echo chromium || echo firefox-esr)" >/dev/null 2>&1 || {
                fail "$browser" "not installed and scripts/deps.sh could not install it"
                continue
        }
        if [ $browser = chromium ]; then notes=notes.html saved=shopping-list.txt; else
                notes=notes-ff.html saved=list-from-firefox.txt; fi
        n_before=$(grep -c "^quarantined $GATE/Invoice-2026-1142.pdf.exe" "$W/log")
        if browse invoice.html "^quarantined $GATE/Invoice-2026-1142.pdf.exe.*quarantine id $((n_before + 1))$"; then
                pass "$browser: the smuggled download lands in the gate and is quarantined"
        else
                fail "$browser: smuggled download judged" "log: $(cat "$W/log"); gate: $(ls -a "$GATE"); $(grep -v dbus "$W/$browser-invoice.html.log" | tail -c 400)"
        fi
        expect_grep "$browser: the log names the malicious verdict and the EICAR rule" \
                "^quarantined $GATE/Invoice-2026-1142.pdf.exe: malicious .*rules: .*eicar_test_file" cat "$W/log"
        [ -z "$(ls "$DL" | grep -i invoice)" ] && [ -z "$(ls -A "$GATE")" ] &&
                pass "$browser: the smuggled download is never released into Downloads" ||
                fail "$browser: smuggled download held" "Downloads: $(ls -A "$DL"); gate: $(ls -A "$GATE")"
        expect_grep "$browser: the store keeps it with its gate path" "malicious .*$GATE/Invoice-2026-1142.pdf.exe" \
                "$AIRLOCK" quarantine --store "$Q" list

        if browse "$notes" "^released $GATE/$saved"; then
                pass "$browser: a clean script-made download is released"
        else
                fail "$browser: clean download released" "log: $(cat "$W/log"); $(grep -v dbus "$W/$browser-$notes.log" | tail -c 400)"
        fi
        [ "$(cat "$DL/$saved" 2>/dev/null)" = "Shopping list: bread, milk, apples." ] &&
                pass "$browser: the released file is in Downloads with its content" ||
                fail "$browser: released content" "$(ls -A "$DL")"
done

kill -TERM "$watcher"
wait "$watcher"
[ $? = 0 ] && pass "gate: the watcher stops cleanly" || fail "gate: watcher stop" "$(cat "$W/err")"
exit 0
