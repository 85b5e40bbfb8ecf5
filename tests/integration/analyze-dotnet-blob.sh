#!/bin/sh
# A .NET assembly carried as base64 in a PowerShell wrapper, plain or deflated (issue 16): the
# C check of base64 runs (src/analysis/dotnetblob.c, encoded_assembly) finds it by its PE and
# CLR headers, so the wrapper is judged however it names the loader or its variables. The
# same blob without a load, a native program's blob with a load, and an admin script that
# loads an assembly from a file are not this finding.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
python3 - "$t" <<'PY'
import base64, sys, zlib
out = sys.argv[1]

def image(clr):
    b = bytearray(4096)
    b[0:2] = b"MZ"
    b[0x3c] = 0x80
    b[0x80:0x84] = b"PE\0\0"
    opt = 0x80 + 24
    b[opt:opt + 2] = b"\x0b\x01"
    b[opt + 92] = 16
    if clr:
        d = opt + 96 + 14 * 8
        b[d:d + 2] = b"\x08\x20"
        b[d + 4] = 0x48
    for i in range(0x400, len(b)):
        b[i] = (i * 2654435761 >> 13) & 255
    return bytes(b)

def deflated(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(data) + c.flush()).decode()

wrapper = """$Blob = "%s"
$s = New-Object IO.MemoryStream(,[Convert]::FromBase64String($Blob))
$d = New-Object IO.Compression.DeflateStream($s, [IO.Compression.CompressionMode]::Decompress)
$o = New-Object IO.MemoryStream
$d.CopyTo($o)
%s
"""
load = "$null = [AppDomain]::CurrentDomain.Load([byte[]]$o.ToArray())\n[Tool.Program]::Main(@())"
def w(name, text):
    open(out + "/" + name, "w").write(text)
w("deflated-load.ps1", wrapper % (deflated(image(True)), load))
w("plain-load.ps1", wrapper % (base64.b64encode(image(True)).decode(), load))
w("deflated-no-load.ps1", wrapper % (deflated(image(True)), "$o.ToArray() | Set-Content -Encoding Byte out.bin"))
w("native-load.ps1", wrapper % (deflated(image(False)), load))
w("admin-load.ps1", "Add-Type -Path (Join-Path $PSScriptRoot 'lib/Smo.dll')\n"
  "[Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'lib/Smo.dll'))\n")
PY

"$AIRLOCK" analyze --json "$t"/*.ps1 >"$t/report.json" 2>"$t/err"
expect_eq "analyze-exit-1" 1 $?
python3 - "$t/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rules = {f["name"]: set(x["rule"] for x in f["findings"]) for f in r["files"]}
ids = {f["name"]: set(a for x in f["findings"] for a in x["attack"]) for f in r["files"]}
def check(name, want):
    got = "powershell_embedded_dotnet_assembly" in rules.get(name, set())
    good = got == want and (not want or "T1620" in ids[name])
    print(("PASS: %s" if good else "FAIL: %s: rules " + ",".join(sorted(rules.get(name, set())))) % ("blob-" + name))
check("deflated-load.ps1", True)
check("plain-load.ps1", True)
check("deflated-no-load.ps1", False)
check("native-load.ps1", False)
check("admin-load.ps1", False)
PY
exit 0
