# Debian's clamd for the tests (sourced after tests/lib.sh): started in the test's folder with a
# one-line signature database the test writes (Debian ships no signatures), stopped by its pid.

# clamd_start DIR NAME MARKER [PORT]: a database in DIR/db whose one signature NAME matches the
# text MARKER, clamd listening on DIR/clamd.sock (and on 127.0.0.1:PORT when given), started in
# the background; sets clamd_pid and an EXIT trap that stops it. Returns 1 (with a failed check)
# when clamd is missing.
clamd_start() {
        _clamd=$(command -v clamd || echo /usr/sbin/clamd)
        if [ ! -x "$_clamd" ]; then
                fail "clamd" "clamd is missing: install clamav-daemon (scripts/deps.sh)"
                return 1
        fi
        mkdir -p "$1/db"
        echo "$2:0:*:$(printf '%s' "$3" | od -An -tx1 | tr -d ' \n')" >"$1/db/airlock.ndb"
        {
                echo "LocalSocket $1/clamd.sock"
                [ -z "${4:-}" ] || printf 'TCPSocket %s\nTCPAddr 127.0.0.1\n' "$4"
                echo "DatabaseDirectory $1/db"
                echo "Foreground yes"
                echo "LogFile $1/clamd.log"
                echo "Bytecode no"
                echo "MaxThreads 2"
                ! is_root || echo "User root"
        } >"$1/clamd.conf"
        "$_clamd" -c "$1/clamd.conf" >"$1/clamd.out" 2>&1 &
        clamd_pid=$!
        # shellcheck disable=SC2064 # the pid is known now
        trap "kill $clamd_pid 2>/dev/null; wait $clamd_pid 2>/dev/null" EXIT
}

# clamd_wait DIR: until its socket exists (60 s at most); a check either way.
clamd_wait() {
        _i=0
        while [ ! -S "$1/clamd.sock" ] && [ $_i -lt 300 ] && kill -0 "$clamd_pid" 2>/dev/null; do
                sleep 0.2
                _i=$((_i + 1))
        done
        if [ ! -S "$1/clamd.sock" ]; then
                fail "clamd-started" "no socket after 60 s: $(tail -5 "$1/clamd.log" "$1/clamd.out" 2>/dev/null)"
                return 1
        fi
        pass "clamd-started"
}
