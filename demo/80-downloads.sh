#!/bin/sh
# Tour, part 4: download protection. airlock watch judges every finished download, the
# browser's download gate holds script-made downloads until judged, airlock open shows a file
# inside a sandbox made for its type.
set -u
s=$AIRLOCK_SRC/samples
tmp=$(mktemp -d)
trap 'kill "$watcher" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/Downloads"

echo
echo "=== airlock watch: download protection ==="
echo "\$ airlock watch --quarantine \$tmp/quarantine --gate \$tmp/Downloads/.airlock-gate --release-to \$tmp/Downloads \$tmp/Downloads &"
"$AIRLOCK" watch --quarantine "$tmp/quarantine" --pid-file "$tmp/pid" \
        --gate "$tmp/Downloads/.airlock-gate" --release-to "$tmp/Downloads" "$tmp/Downloads" &
watcher=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        [ -s "$tmp/pid" ] && break
        sleep 0.1
done
echo "A browser saving three downloads into the folder (written as *.crdownload, then renamed):"
for f in invoice.html meeting-notes.txt logo.svg; do
        cp "$s/$f" "$tmp/Downloads/$f.crdownload"
        mv "$tmp/Downloads/$f.crdownload" "$tmp/Downloads/$f"
done
echo "A sandboxed browser saving two downloads into the gate:"
cp "$s/report.html" "$tmp/Downloads/.airlock-gate/report.html"
printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' \
        >"$tmp/Downloads/.airlock-gate/Invoice.pdf.exe"
sleep 1
echo
echo "In Downloads now (the quarantined files are gone, the clean gate download was released):"
ls "$tmp/Downloads"
"$AIRLOCK" quarantine --store "$tmp/quarantine" list

echo
echo "=== airlock open: judge, then open sandboxed ==="
printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$tmp/eicar.com"
echo "\$ airlock open eicar.com"
"$AIRLOCK" open "$tmp/eicar.com"
echo "(exit status $?: refused)"
chmod 644 "$tmp/Downloads/meeting-notes.txt"
chmod 755 "$tmp" "$tmp/Downloads"
echo "\$ airlock open --with cat Downloads/meeting-notes.txt"
"$AIRLOCK" open --with cat "$tmp/Downloads/meeting-notes.txt"
exit 0
