#!/bin/sh
# `make install` into a staging folder (DESTDIR): the systemd units carry the configured paths,
# the schemas and the example milter configuration are installed, and the staged binaries use
# their own data and each other, never the source tree or the build tree.
# airlock-test: root-only (meson install writes its log into the build tree, which is root's)
. "$AIRLOCK_SRC/tests/lib.sh"

build=$(dirname "$AIRLOCK")
stage=$TEST_TMPDIR/stage
if ! meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >"$TEST_TMPDIR/install.log" 2>&1; then
        fail "install: meson install into a staging folder" "$(tail -c 400 "$TEST_TMPDIR/install.log")"
        exit 0
fi
pass "install: meson install into a staging folder"
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
bin=$stage$prefix/bin/airlock

for unit in system/airlock-milter.service user/airlock-watch.service; do
        f=$stage$prefix/lib/systemd/$unit
        exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$f" 2>/dev/null)
        if [ -n "$exe" ] && [ -x "$stage$exe" ] && ! grep -q '@[A-Z]*@' "$f"; then
                pass "install: $unit runs the installed $exe"
        else
                fail "install: $unit" "ExecStart '$exe' is not the installed airlock-tools (or a placeholder is left): $(grep -n 'ExecStart\|@' "$f" 2>&1 | head -c 300)"
        fi
done
# the learned drop-ins beside them, with the configured paths
for unit in system/airlock-milter.service user/airlock-watch.service; do
        f=$stage$prefix/lib/systemd/$unit.d/airlock-learned.conf
        if grep -q '^SystemCallFilter=$' "$f" 2>/dev/null && ! grep -q '@[A-Z]*@' "$f" &&
                grep -q "^# $prefix/lib/systemd/$unit.d/airlock-learned.conf:" "$f"; then
                pass "install: $unit.d/airlock-learned.conf"
        else
                fail "install: $unit.d/airlock-learned.conf" "missing, or a placeholder is left: $(head -c 300 "$f" 2>&1)"
        fi
done
for f in schemas/run-report.schema.json schemas/analysis-report.schema.json \
        schemas/inspect-report.schema.json schemas/inspect-spec.schema.json examples/milter.conf \
        profiles/default.profile; do
        if [ -s "$stage$prefix/share/airlock/$f" ]; then pass "install: share/airlock/$f"
        else fail "install: share/airlock/$f" "not installed"; fi
done

# The staged launcher finds the staged profiles, not the source tree's.
out=$(cd / && env -u AIRLOCK_DATA_DIR "$bin" profile list 2>&1)
if printf '%s\n' "$out" | grep -q " $stage$prefix/share/airlock/profiles/default.profile\$" &&
        ! printf '%s\n' "$out" | grep -q "$AIRLOCK_SRC"; then
        pass "install: a staged airlock uses the staged profiles"
else
        fail "install: a staged airlock uses the staged profiles" "$(printf '%s' "$out" | head -c 400)"
fi
# ...and the staged airlock-tools, which in turn finds the staged launcher (airlock-tools from
# the build tree would name the build tree's airlock, beside itself).
printf 'plain notes\n' >"$TEST_TMPDIR/notes.txt"
out=$(cd / && env -u AIRLOCK_DATA_DIR "$bin" open --dry-run "$TEST_TMPDIR/notes.txt" 2>&1)
if printf '%s\n' "$out" | grep -q "running: $stage$prefix/bin/airlock run "; then
        pass "install: the staged tools run the staged launcher"
else
        fail "install: the staged tools run the staged launcher" "$(printf '%s' "$out" | head -c 400)"
fi
# ...and the staged rules: a rule added to the staged copy alone fires.
cat >"$stage$prefix/share/airlock/rules/staged-only.yar" <<'YAR'
rule staged_only_marker
{
    meta:
        severity = "high"
        attack = ""
        description = "a rule only the staged installation has"
    strings:
        $m = "staged-only-marker-7c1"
    condition:
        $m
}
YAR
printf 'staged-only-marker-7c1\n' >"$TEST_TMPDIR/marked.txt"
expect_grep "install: the staged tools judge with the staged rules" "staged_only_marker" \
        sh -c "cd / && env -u AIRLOCK_DATA_DIR '$bin' analyze '$TEST_TMPDIR/marked.txt'"
