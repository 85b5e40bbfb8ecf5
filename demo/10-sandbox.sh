#!/bin/sh
# The sandbox tour: the same commands outside and inside 'airlock run', showing what the
# default sandbox hides and refuses.
set -u
: "${AIRLOCK:?run me through make demo}"

show() { # show TITLE COMMAND: run COMMAND outside, then in the sandbox
        printf '\n\033[1m== %s\033[0m\n   $ %s\n' "$1" "$2"
        printf -- '-- outside:\n'
        sh -c "$2" 2>&1 | head -n 6 | sed 's/^/   /'
        printf -- '-- inside airlock run:\n'
        "$AIRLOCK" run -- /bin/sh -c "$2" 2>&1 | head -n 6 | sed 's/^/   /'
}

echo "airlock run: the default sandbox (seven namespaces, a new read-only root, no"
echo "capabilities, no_new_privs, Landlock, seccomp). Each command runs twice."
show "identity" 'id'
show "host name" 'hostname'
show "the root folder" 'ls / | tr "\n" " "; echo'
show "home folders" 'ls /home /root 2>&1 | head -n 4'
show "processes" 'ps -e -o pid,user,comm | head -n 6'
show "network interfaces" 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " "; echo'
# a web server on the host's loopback: reachable outside, not from the sandbox
port=$((20000 + $$ % 20000))
/usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
web=$!
sleep 0.5
show "the network (HTTP to the host's 127.0.0.1:$port)" "/usr/bin/python3 -c 'import urllib.request as u; print(\"HTTP\", u.urlopen(\"http://127.0.0.1:$port/\", timeout=2).status)' 2>&1 | tail -n 1"
kill "$web" 2>/dev/null
show "/etc/shadow" 'head -c 40 /etc/shadow; echo'
# (outside, a mount would really happen: only the sandbox tries)
printf '\n\033[1m== a mount attempt\033[0m\n   $ mount -t tmpfs none /tmp\n-- inside airlock run:\n'
"$AIRLOCK" run -- /bin/sh -c 'mount -t tmpfs none /tmp 2>&1; echo "mount exit status $?"' 2>&1 |
        sed 's/^/   /'
show "capabilities" 'grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status'
printf '\n\033[1m== exit statuses\033[0m\n'
"$AIRLOCK" run -- /bin/sh -c 'exit 3'
echo "   airlock run -- sh -c 'exit 3'        -> $?"
"$AIRLOCK" run --timeout 1 -- sleep 10
echo "   airlock run --timeout 1 -- sleep 10  -> $? (timeout)"
"$AIRLOCK" run -- no-such-program 2>/dev/null
echo "   airlock run -- no-such-program       -> $? (not found)"
printf '\n\033[1m== the report (airlock run --report -)\033[0m\n'
"$AIRLOCK" run --report - -- /bin/true | grep -E '"(namespaces|no_new_privs|status|abi|mode)"' | head -n 8

printf '\n\033[1m== a copy-on-write view (airlock run --overlay)\033[0m\n'
proj=$(mktemp -d)
echo "original" >"$proj/notes.txt"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$proj"
"$AIRLOCK" run --overlay "$proj" /work -- /bin/sh -c \
        'echo "changed inside" >/work/notes.txt; echo "   inside:  $(cat /work/notes.txt)"'
echo "   outside: $(cat "$proj/notes.txt")"
rm -rf "$proj"

printf '\n\033[1m== rating the isolation of running processes (airlock inspect)\033[0m\n'
"$AIRLOCK" run -- /bin/sleep 5 &
sandboxed=$!
sleep 5 &
bare=$!
sleep 0.5
echo "-- a program in airlock run:"
"$AIRLOCK" inspect | tail -n 1
echo "-- the same program on the host:"
"$AIRLOCK" inspect "$bare" | tail -n 1
kill "$sandboxed" "$bare" 2>/dev/null
wait 2>/dev/null
