#!/bin/sh
# Tour, part 2: airlock analyze judges files by what they are, not by their names.
set -u
s=$AIRLOCK_SRC/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo
echo "=== airlock analyze: judging files ==="
echo "The bundled samples (samples/README.md says what each imitates):"
echo "\$ airlock analyze samples/"
"$AIRLOCK" analyze "$s"
echo "(exit status $?: 0 all clean, 1 something found, as clamscan)"

# Archives and disguises, made here so that no binary sits in the repository.
printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$tmp/eicar.com"
mkdir "$tmp/inner"
cp /usr/bin/true "$tmp/inner/scan.pdf.exe"
cp "$s/meeting-notes.txt" "$tmp/inner/"
(cd "$tmp/inner" && zip -q ../delivery.zip scan.pdf.exe meeting-notes.txt)
(cd "$tmp/inner" && zip -q -P secret ../locked.zip meeting-notes.txt)
rm -rf "$tmp/inner"
echo
echo "Made in a temporary folder: the EICAR test file, a zip holding a program named"
echo "scan.pdf.exe, and a password-protected zip:"
echo "\$ airlock analyze --quarantine \$tmp/quarantine \$tmp/*"
"$AIRLOCK" analyze --quarantine "$tmp/quarantine" "$tmp"/eicar.com "$tmp"/delivery.zip "$tmp"/locked.zip
echo
echo "What was judged unsafe was moved into the quarantine store:"
"$AIRLOCK" quarantine --store "$tmp/quarantine" list
exit 0
