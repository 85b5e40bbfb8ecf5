#!/bin/sh
# Builds the Debian package from this tree: make deb [DEB_OUT=DIR]. The tracked files are
# copied into DIR/airlock-VERSION (dpkg-buildpackage writes its results beside the tree it
# builds), the package is built there unsigned, and lintian checks it at its default level.
# Prints the path of the .deb last. As root, missing build tools are installed.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}
version=$(sed -n '1s/^airlock (\([^)]*\)).*/\1/p' "$src/debian/changelog")
tools="debhelper dpkg-dev lintian fakeroot"

missing=""
for p in $tools; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
        if [ "$(id -u)" != 0 ]; then
                echo "make deb: missing Debian packages; install them with:" >&2
                echo "  sudo apt-get install -y$missing" >&2
                exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
sh "$src/scripts/deps.sh" build

tree=$out/airlock-$version
rm -rf "$tree"
mkdir -p "$tree"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
        # the tracked files as they are in the work tree (uncommitted changes included)
        (cd "$src" && git ls-files -z --cached --others --exclude-standard |
                xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
                cpio -0 -pdm --quiet "$tree")
else
        (cd "$src" && find . -path ./build\* -prune -o -path ./.git -prune -o -print0 |
                cpio -0 -pdm --quiet "$tree")
fi
(cd "$tree" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
        tail -n 40 "$out/build.log" >&2
        echo "make deb: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
        exit 1
}
deb=$(ls "$out"/airlock_"$version"_*.deb)
# lintian keeps its index of ELF files in a database it makes in TMPDIR (mldbm-elf-XXXXXXXX) and
# never removes: give it a folder of its own, removed afterwards.
lintian_tmp=$(mktemp -d "$out/lintian-tmp.XXXXXX")
lintian_ok=true
TMPDIR=$lintian_tmp lintian --fail-on error,warning "$deb" "$out"/airlock_"$version"_*.changes \
        >"$out/lintian.log" 2>&1 || lintian_ok=false
rm -rf "$lintian_tmp"
if [ "$lintian_ok" = false ]; then
        cat "$out/lintian.log" >&2
        echo "make deb: lintian found errors or warnings" >&2
        exit 1
fi
echo "$deb"
