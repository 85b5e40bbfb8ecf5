#!/bin/sh
# Resource containment: runaway programs stop at the default limits, without a flag, and the
# report says what enforced each limit and what the program used.
set -u
: "${AIRLOCK:?run me through make demo}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

summary() { # summary REPORT: the interesting part of the resources object
        python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["resources"]
l = r["limits"]
print("   back end %s; memory %s by %s, pids %s by %s" % (r["backend"], l["memory"]["max"],
      l["memory"]["enforced_by"], l["pids"]["max"], l["pids"]["enforced_by"]))
print("   ended: %s%s; peak tasks %s, peak memory %s, cpu %.2f s in %.2f s" % (r["end"],
      " (" + r["end_limit"] + ")" if r.get("end_limit") else "", r.get("pids_peak"),
      r.get("memory_peak"), r["cpu_usec"] / 1e6, r["wall_usec"] / 1e6))
PY
}

printf '\n\033[1m== a fork bomb, no flag (default: 1024 tasks), 3 s timeout\033[0m\n'
echo '   $ airlock run --timeout 3 -- sh -c "f() { f & f & wait; }; f"'
"$AIRLOCK" run --timeout 3 --report "$tmp/r.json" -- sh -c 'f() { f & f & wait; }; f' \
        >/dev/null 2>&1 &
bomb=$!
sleep 1.5
t0=$(date +%s%N)
ls / >/dev/null
echo "   meanwhile outside, 'ls /' took $((($(date +%s%N) - t0) / 1000000)) ms"
wait "$bomb"
echo "   -> status $?"
summary "$tmp/r.json"

printf '\n\033[1m== an allocation loop with --memory 64M\033[0m\n'
"$AIRLOCK" run --memory 64M --report "$tmp/r.json" -- python3 -c '
a = []
while True: a.append(bytearray(1 << 20))' >/dev/null 2>&1
echo "   -> status $?"
summary "$tmp/r.json"

printf '\n\033[1m== filling /tmp with --tmpfs-size 8M\033[0m\n'
"$AIRLOCK" run --tmpfs-size 8M -- sh -c 'dd if=/dev/zero of=/tmp/f bs=1M count=100 2>&1 | head -n 1' | sed 's/^/   /'
"$AIRLOCK" run --tmpfs-size 8M -- sh -c 'dd if=/dev/zero of=/tmp/f bs=1M count=100 2>/dev/null; ls -l /tmp/f' |
        sed 's/^/   /'

printf '\n\033[1m== a busy loop with --cpus 0.5 for 2 s\033[0m\n'
"$AIRLOCK" run --cpus 0.5 --timeout 2 --report "$tmp/r.json" -- sh -c 'while :; do :; done'
echo "   -> status $?"
summary "$tmp/r.json"
