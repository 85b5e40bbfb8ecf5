# Shared by tests/integration/run-*.sh and escape.sh. Source after tests/lib.sh.

# The escape probe (tests/helpers/probe): beside airlock in the user phase, in the build tree
# otherwise.
PROBE=$(dirname "$AIRLOCK")/probe
[ -x "$PROBE" ] || PROBE=${AIRLOCK_BUILD:-$(dirname "$AIRLOCK")}/tests/helpers/probe/probe
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# sandbox [AIRLOCK RUN OPTIONS --] COMMAND...: airlock run with the probe at /probe.
sandbox() {
        "$AIRLOCK" run --ro-bind "$PROBE" /probe "$@"
}

# The namespaces of the test itself (the host's, or the user's): a refusal that comes from the
# sandbox's pid or user namespace must be seen from another one.
HOST_PIDNS=$(stat -L -c %i /proc/self/ns/pid)
HOST_USERNS=$(stat -L -c %i /proc/self/ns/user)
HOST_NETNS=$(stat -L -c %i /proc/self/ns/net)
HOST_IPCNS=$(stat -L -c %i /proc/self/ns/ipc)

# layer_answers LAYER: whether the probe's answer (_err _sc _pns _uns _nns _ins) is LAYER's.
layer_answers() {
        _want=${1#*:}
        case "$1" in
        seccomp) _want=EPERM ;;
        sigsys) return 1 ;;
        esac
        [ "$_err" = "$_want" ] || return 1
        case "$1" in
        seccomp | seccomp:*) [ "$_sc" = 2 ] ;;
        pidns:*) [ -n "$_pns" ] && [ "$_pns" != "$HOST_PIDNS" ] ;;
        userns:*) [ -n "$_uns" ] && [ "$_uns" != "$HOST_USERNS" ] ;;
        netns:*) [ -n "$_nns" ] && [ "$_nns" != "$HOST_NETNS" ] ;;
        ipcns:*) [ -n "$_ins" ] && [ "$_ins" != "$HOST_IPCNS" ] ;;
        mount:* | fd:*) true ;;
        *) return 1 ;;
        esac
}

# attempt NAME LAYER PROBE-ARGS...: the probe's attempt inside the default sandbox must be
# refused by LAYER, and only that layer's answer counts (an EPERM the uid alone gives, ENOSYS,
# ENOENT... prove nothing). LAYER is one of these, or several separated by commas:
#   seccomp            killed by SIGSYS, or EPERM (the deny-list's errno) under a filter
#   seccomp:ERRNO      as seccomp, the filter answering ERRNO (clone3: ENOSYS)
#   sigsys             killed by SIGSYS only (foreign ABIs)
#   pidns:ERRNO        ERRNO, seen from a pid namespace other than the test's
#   userns:ERRNO       ERRNO, seen from a user namespace other than the test's (capabilities
#                      that no user namespace grants, unmapped ids)
#   netns:ERRNO, ipcns:ERRNO  the same for the network and SysV IPC namespaces
#   mount:ERRNO        ERRNO from the mount view itself (EROFS: the read-only flag)
#   fd:ERRNO           ERRNO because the fd was closed before the program started
attempt() {
        _n=$1
        _layer=$2
        shift 2
        _out=$(sandbox -- /probe "$@" 2>&1)
        _rc=$?
        if [ "$_rc" = 159 ]; then
                case "$_layer" in
                *seccomp* | *sigsys*) pass "$_n (seccomp: killed by SIGSYS)" ;;
                *) fail "$_n" "killed by SIGSYS, expected $_layer" ;;
                esac
                return
        fi
        if [ "$_rc" != 0 ]; then
                fail "$_n" "expected $_layer, status $_rc: $_out"
                return
        fi
        _err=$(printf '%s\n' "$_out" | sed -n 's/.*denied (\([A-Z0-9?]*\)).*/\1/p')
        _sc=$(printf '%s\n' "$_out" | sed -n 's/.* seccomp=\(-\{0,1\}[0-9]*\).*/\1/p')
        _pns=$(printf '%s\n' "$_out" | sed -n 's/.* pidns=\([0-9]*\).*/\1/p')
        _uns=$(printf '%s\n' "$_out" | sed -n 's/.* userns=\([0-9]*\).*/\1/p')
        _nns=$(printf '%s\n' "$_out" | sed -n 's/.* netns=\([0-9]*\).*/\1/p')
        _ins=$(printf '%s\n' "$_out" | sed -n 's/.* ipcns=\([0-9]*\).*/\1/p')
        _ok=false
        _saved_ifs=$IFS
        IFS=,
        for _l in $_layer; do
                IFS=$_saved_ifs
                layer_answers "$_l" && { _ok=true; _layer=$_l; break; }
        done
        IFS=$_saved_ifs
        if $_ok; then
                pass "$_n (${_layer%%:*}: $_err)"
        else
                fail "$_n" "expected $_layer to answer; got: $_out"
        fi
}

# visible PATH [SANDBOX-OPTIONS...]: prints the identity (device:inode) of PATH inside the
# sandbox and its first line, or nothing when it is not there.
visible() {
        _p=$1
        shift
        "$AIRLOCK" run "$@" -- /bin/sh -c 'stat -L -c "%d:%i:%t:%T" "$1" 2>/dev/null &&
                { head -c 64 "$1" 2>/dev/null | head -n 1; }' sh "$_p" 2>/dev/null
}

# absent NAME HOST-PATH: HOST-PATH (planted or existing on the host) must not be the same file
# inside the sandbox (mount view: compared by identity and content, not by an errno).
absent() {
        _n=$1
        _p=$2
        _id=$(stat -L -c "%d:%i:%t:%T" "$_p" 2>/dev/null)
        if [ -z "$_id" ]; then
                skip "$_n" "$_p does not exist on this host"
                return
        fi
        _in=$(visible "$_p")
        case "$_in" in
        "$_id"*) fail "$_n" "the host's $_p is visible inside ($_in)" ;;
        *)
                if [ -f "$_p" ] && [ -r "$_p" ] && [ -s "$_p" ] &&
                        [ "${_in#*
}" = "$(head -c 64 "$_p" | head -n 1)" ]; then
                        fail "$_n" "the content of the host's $_p is readable inside"
                else
                        pass "$_n (mount view: not the host's file)"
                fi
                ;;
        esac
}

# inside NAME WANT SHELL-CODE: sh -c SHELL-CODE in the sandbox prints WANT.
inside() {
        expect_output "$1" "$2" "$AIRLOCK" run -- /bin/sh -c "$3"
}
