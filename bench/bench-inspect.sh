#!/bin/sh
# Containment side by side: the same program (sleep) started bare, by airlock run, by
# bubblewrap (all namespaces, the host's / read-only, --cap-drop ALL) and by firejail (its
# default profile, and --noprofile), each rated by airlock inspect from the host. Not a
# speed measurement: what each launcher's defaults leave open. Prints a Markdown section.
set -u
: "${AIRLOCK:?set AIRLOCK to the airlock binary}"
PY=${PY:-python3}
work=$(mktemp -d /tmp/airlock-bench-inspect.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# rate NAME CMD...: start CMD (which runs sleep), find the sleep below it, inspect it.
rate() {
        _name=$1
        shift
        "$@" /bin/sleep 30 >/dev/null 2>&1 &
        _pid=$!
        _s=""
        for _ in $(seq 50); do
                _s=$(ps -eo pid=,ppid=,comm= | awk -v root="$_pid" '
                        { parent[$1] = $2; comm[$1] = $3 }
                        END { for (p in parent) if (comm[p] == "sleep")
                                for (q = p; q > 1; q = parent[q]) if (q == root) { print p; exit } }')
                [ -n "$_s" ] && break
                sleep 0.1
        done
        if [ -z "$_s" ]; then
                echo "| $_name | did not start | | |"
        else
                "$AIRLOCK" inspect --json "$_s" >"$work/r.json" 2>/dev/null
                "$PY" - "$work/r.json" "$_name" <<'PY'
import json, sys
try:
    p = json.load(open(sys.argv[1]))["processes"][0]
except Exception:
    print("| %s | could not be inspected | | |" % sys.argv[2]); sys.exit()
gaps = [c["name"] + ("" if c["status"] == "missing" else " (weak)")
        for c in p["checks"] if c["status"] in ("missing", "weak")]
print("| %s | %.1f | %s | %s |" % (sys.argv[2], p["exposure"], p["rating"], ", ".join(gaps) or "none"))
PY
        fi
        kill "$_pid" 2>/dev/null
        wait "$_pid" 2>/dev/null
}

echo "## Containment of each launcher's defaults (airlock inspect)"
echo
echo "\`sleep\` started by each launcher with its defaults, run as uid $(id -u), rated from the host"
echo "by \`airlock inspect\` (exposure 0.0 contained .. 10.0 not isolated; docs/man/airlock-inspect.1)."
echo "Landlock cannot be seen from /proc and is not counted, so airlock's own Landlock layer is"
echo "not in its score."
echo
echo "| launcher | exposure | rating | what is missing or weak |"
echo "|---|---|---|---|"
rate "bare" env
rate "airlock run" "$AIRLOCK" run --
if command -v bwrap >/dev/null; then
        rate "bwrap --unshare-all --ro-bind / / --cap-drop ALL" \
                bwrap --unshare-all --die-with-parent --new-session --ro-bind / / --cap-drop ALL
fi
if command -v firejail >/dev/null; then
        rate "firejail (default profile)" firejail --quiet
        rate "firejail --noprofile" firejail --quiet --noprofile
fi
