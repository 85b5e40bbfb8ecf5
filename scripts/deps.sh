#!/bin/sh
# Installs the Debian packages that airlock needs to build, test, demo and benchmark.
# As root it runs apt-get for the missing ones; otherwise it prints the command.
set -eu

build="meson ninja-build pkg-config gcc libc6-dev libseccomp-dev libjson-c-dev libmagic-dev
libarchive-dev libssl-dev libyara-dev libgmime-3.0-dev libmilter-dev libsqlite3-dev libcmocka-dev"
test="python3 python3-jsonschema iproute2 util-linux passwd procps file zip unzip p7zip-full xz-utils bzip2
gzip cpio genisoimage tar gcc binutils socat curl strace ncat postfix swaks clamav-testfiles libarchive-tools
clamav-daemon clamav-milter yara sqlite3 poppler-utils
chromium firefox-esr libreoffice-writer-nogui xvfb x11-utils xauth weston wayland-utils
debhelper dpkg-dev fakeroot lintian apparmor zsh busybox-static podman"
bench="bubblewrap firejail hyperfine bc clamav"

want="$build $test $bench"
case "${1:-}" in
build) want="$build" ;;
esac

missing=""
for p in $want; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
                missing="$missing $p"
        fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
        echo "airlock: missing Debian packages; install them with:" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
fi
echo "airlock: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# postfix asks questions on install; answer them up front: no mail configuration.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
