#!/bin/sh
# airlock-test: root-only
# airlock-test: sources
# (It reads src/, which the unprivileged phase's copy does not have, and runs no binary.)
# The source folders are layers, and a folder includes only from the layers below it (issue
# 14): basic; policy; resources; sandbox; inspect and monitor; analysis; mail and endpoint;
# the commands in src/ on top. Data flows one way: the policy is made, the launcher applies
# it, the supervisor watches, the report tells. A check on the sources, not on a build.
. "$AIRLOCK_SRC/tests/lib.sh"

# The source tree this script is in (the root phase runs it from there; $AIRLOCK_SRC may be a
# copy of the data only).
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$top/src/policy/profile.c" ] || [ ! -d "$top/src/sandbox" ]; then
        fail "layers-include-only-below" "no source tree at $top (src/policy, src/sandbox)"
        exit 0
fi
out=$(python3 - "$top/src" 2>&1 <<'PY' || echo "the check itself failed"
import os, re, sys
src = sys.argv[1]
rank = {"basic": 0, "policy": 1, "resources": 2, "sandbox": 3, "inspect": 4, "monitor": 4,
        "analysis": 5, "mail": 6, "endpoint": 6, "runtime": 4}
bad = []
folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
for d in folders:
    if d not in rank:
        bad.append("%s: a folder with no place in the layers (tests/integration/layout.sh)" % d)
        continue
    for f in sorted(os.listdir(os.path.join(src, d))):
        if not f.endswith((".c", ".h")):
            continue
        text = open(os.path.join(src, d, f), encoding="utf-8", errors="replace").read()
        for m in re.finditer(r'^#include "([a-z]+)/', text, re.M):
            other = m.group(1)
            if other == d or other not in rank:
                continue
            if rank[other] >= rank[d]:
                bad.append("src/%s/%s includes %s/: %s is not below %s" % (d, f, other, other, d))
print("\n".join(bad))
PY
)
if [ -z "$out" ]; then
        pass "layers-include-only-below"
else
        fail "layers-include-only-below" "$out"
fi
# the policy is parsed without any mechanism: no file of it includes sandbox/ or resources/
expect_eq "policy-stands-alone" "" "$(grep -lE '#include "(sandbox|resources|inspect|monitor)/' \
        "$top"/src/policy/*.[ch])"
