#!/bin/sh
# The Debian package: `make deb` builds it from the sources and lintian finds no error or
# warning; installed with dpkg, airlock works from the installed paths (launcher, tools, data,
# units, AppArmor profile); purged, nothing of it is left.
# airlock-test: root-only (dpkg installs system-wide)
# airlock-test: sources (the package is built from the sources, not from the phase's binaries)
. "$AIRLOCK_SRC/tests/lib.sh"

src=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["directories"]["source"])' "$AIRLOCK_BUILD/meson-info/meson-info.json")
if dpkg-query -W -f='${Status}' airlock 2>/dev/null | grep -q "ok installed"; then
        fail "deb" "a package named airlock is installed already: this test would replace it"
        exit 0
fi
out=$TEST_TMPDIR/deb
# a TMPDIR of its own, to see what the build and lintian leave there (lintian's mldbm-elf-*)
mkdir "$TEST_TMPDIR/tmpdir"
if ! TMPDIR=$TEST_TMPDIR/tmpdir sh "$src/scripts/make-deb.sh" "$out" >"$TEST_TMPDIR/make-deb.log" 2>&1; then
        fail "deb: make deb builds a lintian-clean package" "$(tail -c 600 "$TEST_TMPDIR/make-deb.log")"
        exit 0
fi
deb=$(tail -n 1 "$TEST_TMPDIR/make-deb.log")
pass "deb: make deb builds a lintian-clean package"
expect_eq "deb: make deb leaves nothing in TMPDIR" "" "$(ls -A "$TEST_TMPDIR/tmpdir")"

if ! DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$TEST_TMPDIR/dpkg.log" 2>&1; then
        fail "deb: dpkg -i installs it" "$(tail -c 400 "$TEST_TMPDIR/dpkg.log")"
        dpkg --purge airlock >/dev/null 2>&1
        exit 0
fi
pass "deb: dpkg -i installs it"
trap 'dpkg --purge airlock >/dev/null 2>&1' EXIT

# Smoke test from the installed paths alone: no variable points at the source tree.
smoke() { (cd / && env -i PATH=/usr/bin:/bin HOME="$TEST_TMPDIR" "$@"); }
expect_output "deb: airlock --version" "airlock $(sed -n '1s/^airlock (\([^)]*\)).*/\1/p' "$src/debian/changelog")" \
        smoke /usr/bin/airlock --version
expect_output "deb: airlock run" "airlock 65534" smoke /usr/bin/airlock run -- /bin/sh -c 'echo "$(hostname) $(id -u)"'
expect_grep "deb: the shipped profiles come from /usr/share/airlock" \
        " /usr/share/airlock/profiles/default.profile" smoke /usr/bin/airlock profile list
printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$TEST_TMPDIR/eicar.com"
expect_grep "deb: airlock analyze runs the installed tools and rules" "eicar_test_file \\(critical\\)" \
        smoke /usr/bin/airlock analyze "$TEST_TMPDIR/eicar.com"
expect_grep "deb: the milter unit runs the installed tools" \
        "^ExecStart=/usr/libexec/airlock/airlock-tools milter " \
        cat /lib/systemd/system/airlock-milter.service
expect_grep "deb: the watch user unit runs the installed tools" \
        "^ExecStart=/usr/libexec/airlock/airlock-tools watch " \
        cat /usr/lib/systemd/user/airlock-watch.service
for f in /lib/systemd/system/airlock-milter.service.d/airlock-learned.conf \
        /usr/lib/systemd/user/airlock-watch.service.d/airlock-learned.conf; do
        expect_grep "deb: the learned drop-in $f" "^SystemCallFilter=$" cat "$f"
done
for f in /usr/share/bash-completion/completions/airlock /usr/share/zsh/vendor-completions/_airlock; do
        if [ -s "$f" ]; then pass "deb: completion $f"; else fail "deb: completion $f" "not installed"; fi
done
for m in airlock-run.1 airlock-milter.8; do
        if [ -e "/usr/share/man/man${m##*.}/$m.gz" ]; then pass "deb: man page $m"
        else fail "deb: man page $m" "not installed"; fi
done

# The AppArmor profile grants /usr/bin/airlock user namespaces. Its "userns" rule needs the
# AppArmor 4 parser (Ubuntu 23.10+); an older one (Debian 12 has 3.0) checks the rest of it.
aa=/etc/apparmor.d/airlock
if ! command -v apparmor_parser >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apparmor >/dev/null 2>&1
fi
if grep -q '^profile airlock /usr/bin/airlock flags=(unconfined) {' "$aa" && grep -q '^  userns,' "$aa"; then
        pass "deb: the AppArmor profile grants /usr/bin/airlock userns"
else
        fail "deb: the AppArmor profile grants /usr/bin/airlock userns" "$(cat "$aa" 2>&1 | head -c 300)"
fi
if [ -e /etc/apparmor.d/abi/4.0 ]; then
        expect_status "deb: apparmor_parser -Q accepts the profile" 0 apparmor_parser -Q -K "$aa"
else
        sed -e 's|^abi <abi/4.0>,|abi <abi/3.0>,|' -e '/^  userns,$/d' "$aa" >"$TEST_TMPDIR/aa-3.0"
        expect_status "deb: apparmor_parser -Q accepts the profile (without the AppArmor 4 userns rule: this parser is $(apparmor_parser --version | head -n 1 | sed 's/.*version //'))" \
                0 apparmor_parser -Q -K "$TEST_TMPDIR/aa-3.0"
fi

dpkg --purge airlock >/dev/null 2>&1
trap - EXIT
left=$(ls -d /usr/bin/airlock /usr/libexec/airlock /usr/share/airlock /etc/apparmor.d/airlock \
        /lib/systemd/system/airlock-milter.service /lib/systemd/system/airlock-milter.service.d \
        /usr/lib/systemd/user/airlock-watch.service.d 2>/dev/null)
if [ -z "$left" ]; then pass "deb: dpkg --purge leaves nothing behind"
else fail "deb: dpkg --purge leaves nothing behind" "$left"; fi
