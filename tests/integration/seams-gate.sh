#!/bin/sh
# Seams, download side: what a sandboxed browser plants in its download folder (links,
# hard links, FIFOs, folders swapped for links) must not make airlock watch release, move or
# quarantine any other file of the host, nor hang it.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/gate
mkdir -p "$W"
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
fresh_home() {
        H=$W/$1
        mkdir -p "$H/Downloads" "$H/.ssh" "$H/.local/share"
        echo original-rc >"$H/.bashrc"
        echo secret-key >"$H/.ssh/id_rsa"
        is_root && chmod 777 "$H/Downloads"
        chmod 755 "$W" "$H"
}
watch_once() { # watch_once HOME ARGS...: airlock watch --once with that home, 30 s at most
        _h=$1
        shift
        HOME=$_h XDG_DATA_HOME=$_h/.local/share timeout 30 "$AIRLOCK" watch --once \
                --quarantine "$_h/q" "$@" >"$W/log" 2>"$W/err"
}
home_intact() { # NAME: the home's own files are where they were, with their content
        if [ "$(cat "$H/.bashrc" 2>/dev/null)" = original-rc ] &&
                [ "$(cat "$H/.ssh/id_rsa" 2>/dev/null)" = secret-key ] &&
                [ ! -e "$H/Downloads/.bashrc" ] && [ ! -e "$H/Downloads/id_rsa" ]; then
                pass "$1: nothing of the home was moved or released"
        else
                fail "$1: home intact" "$(ls -la "$H" "$H/Downloads" 2>&1 | head -c 400)"
        fi
}

# 1. The browser plants its gate as a link to the home; the user starts the watcher as the
# README says (mkdir -p succeeds on the link, silently).
fresh_home leaf
HOME=$H XDG_DATA_HOME=$H/.local/share "$AIRLOCK" run -p chromium -- \
        /bin/sh -c "ln -s '$H' \"\$HOME/Downloads/.airlock-gate\"" >/dev/null 2>&1
mkdir -p "$H/Downloads/.airlock-gate"
watch_once "$H" --gate "$H/Downloads/.airlock-gate" --release-to "$H/Downloads"
rc=$?
if [ "$rc" = 2 ] && grep -q "$H/Downloads/.airlock-gate is a symbolic link in a folder that sandboxes can write" "$W/err"; then
        pass "gate link: watch refuses it with status 2, naming the link"
else
        fail "gate link: refused" "status $rc: $(head -c 300 "$W/err")"
fi
home_intact "gate link"

# 2. A link in a parent of the gate.
fresh_home parent
mkdir -p "$W/elsewhere/.airlock-gate"
HOME=$H XDG_DATA_HOME=$H/.local/share "$AIRLOCK" run -p chromium -- \
        /bin/sh -c "ln -s '$H' \"\$HOME/Downloads/sub\"" >/dev/null 2>&1
mkdir -p "$H/.airlock-gate" && echo x >"$H/.airlock-gate/from-home.txt"
watch_once "$H" --gate "$H/Downloads/sub/.airlock-gate" --release-to "$H/Downloads"
rc=$?
[ "$rc" = 2 ] && grep -q "Downloads/sub is a symbolic link" "$W/err" && [ -f "$H/.airlock-gate/from-home.txt" ] &&
        pass "link in a parent of the gate: refused" ||
        fail "link in a parent of the gate" "status $rc: $(head -c 300 "$W/err")"

# 3. The release folder swapped for a link.
# (planted by a sandbox given the download folder: with a gate in place the browser profiles
# bind the gate over Downloads)
fresh_home release
"$AIRLOCK" run --bind "$H/Downloads" /dl -- /bin/sh -c "ln -s '$H/.ssh' /dl/released" >/dev/null 2>&1
mkdir -p "$H/Downloads/.airlock-gate"
echo 'plain notes' >"$H/Downloads/.airlock-gate/notes.txt"
watch_once "$H" --gate "$H/Downloads/.airlock-gate" --release-to "$H/Downloads/released"
rc=$?
[ "$rc" = 2 ] && [ ! -e "$H/.ssh/notes.txt" ] && grep -q "Downloads/released is a symbolic link" "$W/err" &&
        pass "release folder link: refused, nothing released through it" ||
        fail "release folder link" "status $rc: $(head -c 300 "$W/err"); $(ls "$H/.ssh")"

# 4. A FIFO in the gate (a download that never ends) does not hang the watcher.
fresh_home fifo
mkdir -p "$H/Downloads/.airlock-gate"
mkfifo "$H/Downloads/.airlock-gate/setup.pdf"
echo 'plain notes' >"$H/Downloads/.airlock-gate/notes.txt"
watch_once "$H" --gate "$H/Downloads/.airlock-gate" --release-to "$H/Downloads"
rc=$?
[ "$rc" != 124 ] && [ -f "$H/Downloads/notes.txt" ] && [ -p "$H/Downloads/.airlock-gate/setup.pdf" ] &&
        pass "FIFO in the gate: skipped, the watcher goes on (status $rc)" ||
        fail "FIFO in the gate" "status $rc: $(head -c 300 "$W/err")"

# 5. A hard link in the gate to a file the browser can also reach elsewhere: the released
# file is a copy of what was judged, never the same inode as the other name.
fresh_home hardlink
mkdir -p "$H/Downloads/.airlock-gate"
echo 'plain notes' >"$H/Downloads/keep.txt"
is_root && chmod 777 "$H/Downloads/.airlock-gate" && chown 65534 "$H/Downloads/keep.txt"
"$AIRLOCK" run --bind "$H/Downloads" /dl -- /bin/sh -c 'ln /dl/keep.txt /dl/.airlock-gate/notes.txt' >/dev/null 2>&1
[ "$(stat -c %h "$H/Downloads/keep.txt")" = 2 ] && pass "hard link in the gate: planted by a sandbox" ||
        fail "hard link in the gate: planted" "$(ls -li "$H/Downloads" "$H/Downloads/.airlock-gate" | head -c 300)"
watch_once "$H" --gate "$H/Downloads/.airlock-gate" --release-to "$H/Downloads"
if [ -f "$H/Downloads/notes.txt" ] &&
        [ "$(stat -c %i "$H/Downloads/notes.txt")" != "$(stat -c %i "$H/Downloads/keep.txt")" ]; then
        pass "hard link in the gate: released as a copy, not as the same file"
else
        fail "hard link in the gate" "$(ls -li "$H/Downloads" 2>&1 | head -c 300)"
fi

# 6. A watched folder's subfolder swapped for a link to a folder of the home holding a file
# of the same name as a bad download: the home's file is never moved into the quarantine.
fresh_home swap
mkdir -p "$H/docs"
eicar >"$H/docs/tool.com"
HOME=$H XDG_DATA_HOME=$H/.local/share "$AIRLOCK" run -p chromium -- \
        /bin/sh -c "ln -s '$H/docs' \"\$HOME/Downloads/new\"" >/dev/null 2>&1
watch_once "$H" "$H/Downloads"
[ -f "$H/docs/tool.com" ] && pass "subfolder link: the home's file stays where it is" ||
        fail "subfolder link" "the home's file was moved: $(cat "$W/log")"
HOME=$H XDG_DATA_HOME=$H/.local/share "$AIRLOCK" analyze --quarantine "$H/q" "$H/Downloads/new/tool.com" \
        >"$W/log" 2>"$W/err"
rc=$?
[ -f "$H/docs/tool.com" ] && grep -q "cannot quarantine .*Too many levels of symbolic links" "$W/err" &&
        pass "analyze --quarantine through a planted link: refused, the file stays (status $rc)" ||
        fail "analyze --quarantine through a planted link" "status $rc: $(cat "$W/log" "$W/err" | head -c 300)"
