#!/bin/sh
# Installs the Debian packages that airlock needs to build, test, demo and benchmark.
# As root it runs apt-get for the missing ones; otherwise it prints the command.
set -eu

build="meson ninja-build pkg-config gcc libc6-dev libseccomp-dev libjson-c-dev libmagic-dev
libarchive-dev libssl-dev zlib1g-dev libyara-dev libgmime-3.0-dev libsqlite3-dev libcmocka-dev"
test="python3 python3-jsonschema iproute2 util-linux passwd procps file zip unzip p7zip-full xz-utils bzip2
gzip cpio genisoimage tar gcc binutils socat curl strace ncat postfix swaks clamav-testfiles libarchive-tools
clamav-daemon clamav-milter yara sqlite3 poppler-utils python3-msoffcrypto-tool
chromium firefox-esr libreoffice-writer-nogui xvfb x11-utils xauth weston wayland-utils
debhelper dpkg-dev fakeroot lintian apparmor zsh nodejs busybox-static podman runc systemd
nginx-light apache2-utils crun containerd uidmap python3-gunicorn"
bench="bubblewrap firejail hyperfine bc clamav"

want="$build $test $bench"
case "${1:-}" in
build) want="$build" ;;
esac

# box-js (npm), the WSH emulator that detonation will run .js/.jse/.wsf/.hta/.vbs droppers in
# (issue 12), pinned, into a fixed folder; docs/wsh.md says where and why.
BOXJS_DIR="${AIRLOCK_BOXJS_DIR:-/usr/local/lib/airlock/box-js}"
BOXJS_VERSION=1.9.27
install_boxjs() {
        [ "$want" = "$build" ] && return 0
        # the preload's last line marks the version of it that wsh.c needs
        grep -qs 'process.send' "$BOXJS_DIR/airlock-preload.js" &&
                [ -f "$BOXJS_DIR/node_modules/box-js/analyze.js" ] && return 0
        if [ "$(id -u)" != 0 ]; then
                echo "airlock: box-js missing; install it with:" >&2
                echo "  sudo npm install --prefix $BOXJS_DIR --no-audit --no-fund --omit=dev box-js@$BOXJS_VERSION" >&2
                return 1
        fi
        command -v npm >/dev/null || { echo "airlock: npm missing (Debian: apt-get install npm)" >&2; return 1; }
        echo "airlock: installing box-js@$BOXJS_VERSION in $BOXJS_DIR"
        mkdir -p "$BOXJS_DIR/path"
        [ -f "$BOXJS_DIR/node_modules/box-js/analyze.js" ] ||
                npm install --prefix "$BOXJS_DIR" --no-audit --no-fund --omit=dev "box-js@$BOXJS_VERSION" >/dev/null ||
                return 1
        # A PATH with node and no nc: sync-rpc (under box-js's sync-request) prefers nc, and
        # with Debian's ncat as nc its calls never return.
        ln -sf /usr/bin/node "$BOXJS_DIR/path/node"
        # box-js runs file(1) on every file a sample writes.
        ln -sf /usr/bin/file "$BOXJS_DIR/path/file"
        # Loaded with node -r: sync-request is only for --download, and starting its sync-rpc
        # worker costs seconds per sample; detonation never downloads.
        cat >"$BOXJS_DIR/airlock-preload.js" <<'EOF'
const Module = require("module");
const p = require.resolve("sync-request", { paths: [__dirname + "/node_modules/box-js"] });
const m = new Module(p);
m.filename = p;
m.loaded = true;
m.exports = function () { throw new Error("airlock: no network in detonation"); };
require.cache[p] = m;
// analyze.js run alone (not forked by run.js) has no IPC channel; with --no-shell-error it
// reports each WScript.Shell.Run through process.send, and the script goes on.
if (typeof process.send !== "function") process.send = () => true;
EOF
}

missing=""
for p in $want; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
                missing="$missing $p"
        fi
done
# Without box-js only Windows scripts go undetonated (a finding says so): not fatal here.
boxjs() {
        install_boxjs || echo "airlock: box-js not installed; Windows scripts will not be detonated" >&2
}
if [ -z "$missing" ]; then
        boxjs
        exit 0
fi

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
boxjs
