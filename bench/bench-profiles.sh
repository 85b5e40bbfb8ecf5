#!/bin/sh
# Profiles: starting a sandbox from a named profile (airlock run -p NAME) beside firejail
# starting the same program class from its own profile (firejail --profile=NAME), and the
# cost of loading the profile alone (airlock profile show, a whole process).
set -u
: "${AIRLOCK:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_DATA_HOME=$tmp/data
mkdir -p "$HOME/Downloads"
runs=${BENCH_RUNS:-30}

mean_ms() { # mean_ms CMD...: mean wall time in ms over $runs runs (hyperfine)
        hyperfine -N --warmup 3 -r "$runs" --export-json "$tmp/h.json" "$*" >/dev/null 2>&1 || {
                echo "n/a"
                return
        }
        python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"] * 1000))' "$tmp/h.json"
}

echo "## Profiles: start-up from a named profile"
echo
if ! command -v hyperfine >/dev/null 2>&1; then
        echo "hyperfine is not installed (scripts/deps.sh installs it)."
        exit 0
fi
echo "\`/bin/true\` started in a sandbox made from the named profile, mean of $runs runs."
echo
echo "| profile | airlock run -p (ms) | firejail --profile (ms) | ratio |"
echo "|---|---|---|---|"
for pair in default:default chromium:chromium firefox:firefox-esr; do
        a=${pair%%:*}
        f=${pair#*:}
        am=$(mean_ms "$AIRLOCK" run -p "$a" -- /bin/true)
        if command -v firejail >/dev/null 2>&1 && [ -f "/etc/firejail/$f.profile" ]; then
                fm=$(mean_ms firejail --quiet "--profile=/etc/firejail/$f.profile" /bin/true)
        else
                fm=n/a
        fi
        ratio=$(python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print("n/a")' "$am" "$fm")
        echo "| $a | $am | $fm | $ratio |"
done
echo
echo "n/a: the peer's run failed (firejail's firefox-esr profile does not start without a D-Bus"
echo "session, as here)."
echo
echo "| loading alone | airlock profile show (ms, whole process) |"
echo "|---|---|"
for p in default strict chromium; do
        echo "| $p | $(mean_ms "$AIRLOCK" profile show "$p") |"
done
