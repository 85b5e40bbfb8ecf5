#!/bin/sh
# Seams, launcher side: what a sandboxed program plants where it can write (the download
# folder of the browser profiles, an application's persistent HOME, a read-write bind) must
# not make the next start bind, chown or chmod anything else of the host. Each attack is
# planted by a real sandboxed run, then the next run is checked: refused with status 125 and
# a message naming the link, and every host file outside the allowed places untouched.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/seams
mkdir -p "$W"
chmod 755 "$W" "$TEST_TMPDIR"

fresh_home() { # fresh_home NAME: a victim home with secrets, and its download folder
        H=$W/$1
        mkdir -p "$H/Downloads" "$H/.ssh" "$H/.local/share" "$H/victim"
        echo original-rc >"$H/.bashrc"
        echo secret-key >"$H/.ssh/id_rsa"
        chmod 600 "$H/.ssh/id_rsa"
        echo victim >"$H/victim/file"
        chmod 700 "$H/victim"
        is_root && chmod 777 "$H/Downloads"
}
run_as() { # run_as HOME PROFILE-ARGS... -- CMD: airlock run with that home
        _h=$1
        shift
        HOME=$_h XDG_DATA_HOME=$_h/.local/share "$AIRLOCK" run "$@"
}
untouched() { # untouched NAME HOME: the victim files have their content, owner and mode
        _h=$2
        if [ "$(cat "$_h/.bashrc")" = original-rc ] && [ "$(cat "$_h/.ssh/id_rsa")" = secret-key ] &&
                [ "$(stat -c '%u %a' "$_h/victim")" = "$(id -u) 700" ] &&
                [ "$(stat -c '%u %a' "$_h/.ssh/id_rsa")" = "$(id -u) 600" ]; then
                pass "$1: no host file outside the allowed places was touched"
        else
                fail "$1: host files untouched" "$(cat "$_h/.bashrc" "$_h/.ssh/id_rsa"; stat -c '%n %u %a' "$_h/victim" "$_h/.ssh/id_rsa")"
        fi
}
refused() { # refused NAME REGEX HOME ARGS...: the run fails with 125 and names the link
        _n=$1 _re=$2 _h=$3
        shift 3
        run_as "$_h" "$@" >"$W/o.txt" 2>"$W/e.txt"
        _rc=$?
        if [ "$_rc" = 125 ] && grep -Eq -- "$_re" "$W/e.txt" && ! grep -q VISIBLE "$W/o.txt"; then
                pass "$_n: refused, naming the link"
        else
                fail "$_n" "status $_rc; out: $(head -c 200 "$W/o.txt"); err: $(head -c 300 "$W/e.txt")"
        fi
}
probe='ls "$HOME/Downloads/.bashrc" >/dev/null 2>&1 && echo VISIBLE; echo pwned >>"$HOME/Downloads/.bashrc"'

# 1. A browser plants its download gate as a link to the home (leaf link, absolute target).
fresh_home gate-abs
run_as "$H" -p chromium -- /bin/sh -c "ln -s '$H' \"\$HOME/Downloads/.airlock-gate\"" >/dev/null 2>&1
[ -L "$H/Downloads/.airlock-gate" ] && pass "gate link: planted by the sandboxed browser" ||
        fail "gate link: planted" "the sandbox could not write its Downloads"
refused "gate link" "$H/Downloads/.airlock-gate is a symbolic link in a folder that sandboxes can write" \
        "$H" -p chromium -- /bin/sh -c "$probe"
untouched "gate link" "$H"

# 2. The same with a relative target.
fresh_home gate-rel
run_as "$H" -p chromium -- /bin/sh -c 'ln -s .. "$HOME/Downloads/.airlock-gate"' >/dev/null 2>&1
refused "relative gate link" "\.airlock-gate is a symbolic link" "$H" -p chromium -- /bin/sh -c "$probe"
untouched "relative gate link" "$H"

# 3. A link in a parent component: the gate is a real folder inside a planted link.
fresh_home gate-parent
run_as "$H" -p firefox -- /bin/sh -c "mkdir -p '$W/gate-parent-target/.airlock-gate' 2>/dev/null; ln -s '$H' \"\$HOME/Downloads/sub\"" >/dev/null 2>&1
mkdir -p "$W/prof"
cat >"$W/prof/sub.profile" <<P
airlock-profile 1
include default
bind-try \${DOWNLOADS}/sub/victim /victim
P
refused "link in a parent of a profile's bind source" "Downloads/sub is a symbolic link" \
        "$H" -p "$W/prof/sub.profile" -- /bin/sh -c 'ls /victim && echo VISIBLE'
untouched "link in a parent" "$H"

# 4. --app: the persist source lives below the application's own HOME (APPS/persist/home is
# HOME, the source APPS/persist/home/sandbox/victim); the application swaps a folder of it.
fresh_home persist
cat >"$W/prof/persist.profile" <<P
airlock-profile 1
include default
persist \${SANDBOX_HOME}/victim
P
run_as "$H" -p "$W/prof/persist.profile" --app persist -- /bin/true >/dev/null 2>&1
run_as "$H" -p "$W/prof/persist.profile" --app persist -- /bin/sh -c \
        "mv \"\$HOME/sandbox\" \"\$HOME/moved\" && ln -s '$H' \"\$HOME/sandbox\"" >/dev/null 2>&1
if [ -L "$H/.local/share/airlock/apps/persist/home/sandbox" ]; then
        pass "persist link: planted by the application itself"
else
        fail "persist link: planted" "$(ls -la "$H/.local/share/airlock/apps/persist/home" 2>&1 | head -c 300)"
fi
run_as "$H" -p "$W/prof/persist.profile" --app persist -- \
        /bin/sh -c 'ls "$HOME/victim/file" >/dev/null 2>&1 && echo VISIBLE; echo pwned >>"$HOME/victim/file"' \
        >"$W/o.txt" 2>"$W/e.txt"
rc=$?
if [ "$rc" = 125 ] && grep -q "symbolic link" "$W/e.txt" && ! grep -q VISIBLE "$W/o.txt"; then
        pass "persist link: refused, naming the link"
else
        fail "persist link: refused" "status $rc; $(head -c 300 "$W/e.txt")"
fi
untouched "persist link" "$H"
[ "$(cat "$H/victim/file")" = victim ] && pass "persist link: the victim folder was not written" ||
        fail "persist link: the victim folder was not written" "$(cat "$H/victim/file")"

# 5. --app with an overlay: the sandbox owns its overlay folder and swaps upper/ for a link
# (as root: airlock would chown the target; as a user: the changes would land there).
fresh_home overlay
mkdir -p "$W/overlay-src"
echo lower >"$W/overlay-src/f"
run_as "$H" --app ovl --overlay "$W/overlay-src" /work -- /bin/sh -c 'echo changed >/work/f' >/dev/null 2>&1
store=$H/.local/share/airlock/apps/ovl/overlay
upper=$(ls -d "$store"/*/upper 2>/dev/null | head -n 1)
if [ -n "$upper" ]; then
        rm -rf "$upper" && ln -s "$H/victim" "$upper" # what the sandbox uid could do to its folder
        run_as "$H" --app ovl --overlay "$W/overlay-src" /work -- /bin/sh -c 'echo again >/work/g' \
                >"$W/o.txt" 2>"$W/e.txt"
        rc=$?
        if [ "$rc" = 125 ] && [ ! -e "$H/victim/g" ]; then
                pass "overlay upper link: refused ($(head -c 160 "$W/e.txt"))"
        else
                fail "overlay upper link: refused" "status $rc; $(head -c 300 "$W/e.txt"); $(ls "$H/victim")"
        fi
        untouched "overlay upper link" "$H"
else
        fail "overlay upper link" "no persistent overlay folder was made: $(ls -R "$store" 2>&1 | head -c 300)"
fi

# 6. A read-write bind: its sandbox swaps a subfolder for a link; a later run binds the subfolder.
fresh_home rwbind
mkdir -p "$W/out/sub"
is_root && chmod 777 "$W/out" "$W/out/sub"
run_as "$H" --bind "$W/out" /out -- /bin/sh -c "rm -rf /out/sub && ln -s '$H' /out/sub" >/dev/null 2>&1
refused "link in a read-write bind" "$W/out/sub is a symbolic link" \
        "$H" --bind "$W/out" /out --ro-bind "$W/out/sub" /sub -- /bin/sh -c 'ls /sub/.bashrc && echo VISIBLE'
untouched "link in a read-write bind" "$H"

# 7. A FIFO planted where a file is bound would block the program: refused, not opened.
fresh_home fifo
run_as "$H" -p chromium -- /bin/sh -c 'mkfifo "$HOME/Downloads/notes.txt"' >/dev/null 2>&1
run_as "$H" --ro-bind "$H/Downloads/notes.txt" /notes.txt -- /bin/true >"$W/o.txt" 2>"$W/e.txt" &
pid=$!
wait_for 20 sh -c "! kill -0 $pid 2>/dev/null"
if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        fail "FIFO as a bind source" "airlock hung on it"
else
        wait "$pid"
        rc=$?
        [ "$rc" = 125 ] && grep -q "not a file, a folder or a socket" "$W/e.txt" &&
                pass "FIFO as a bind source: refused, not opened" ||
                fail "FIFO as a bind source" "status $rc; $(head -c 300 "$W/e.txt")"
fi

# 8. Root: a planted link must never make airlock chown or chmod its target (the persist
# folder is handed to the sandbox's uid at every start).
if is_root; then
        fresh_home chown
        run_as "$H" -p "$W/prof/persist.profile" --app chown -- /bin/true >/dev/null 2>&1
        run_as "$H" -p "$W/prof/persist.profile" --app chown -- /bin/sh -c \
                "mv \"\$HOME/sandbox\" \"\$HOME/moved\" && ln -s '$H' \"\$HOME/sandbox\"" >/dev/null 2>&1
        run_as "$H" -p "$W/prof/persist.profile" --app chown -- /bin/true >/dev/null 2>&1
        expect_output "root: a planted link's target is neither chowned nor chmodded" "0 700" \
                stat -c '%u %a' "$H/victim"
fi

# 9. --report in a read-write bind: a link planted there by an earlier run of the same
# command must not send the report (written by airlock with the user's rights) elsewhere.
mkdir -p "$W/rep" "$W/rep-victim"
is_root && chmod 777 "$W/rep"
"$AIRLOCK" run --bind "$W/rep" /out -- /bin/sh -c "ln -s '$W/rep-victim' /out/sub" >/dev/null 2>&1
"$AIRLOCK" run --bind "$W/rep" /out --report "$W/rep/sub/run.json" -- /bin/true >/dev/null 2>"$W/e.txt"
rc=$?
[ "$rc" = 125 ] && [ ! -e "$W/rep-victim/run.json" ] && grep -q "rep/sub is a symbolic link" "$W/e.txt" &&
        pass "report through a planted link: refused before the program runs" ||
        fail "report through a planted link" "status $rc; $(head -c 300 "$W/e.txt"); $(ls "$W/rep-victim")"
