#!/bin/sh
# Rules whose technique any .NET language reaches (Kerberoasting, DCOM, EventLog threads, NTLM
# by hand) name T1059.001 only when the text is PowerShell by its content (issue 16): a C#
# source gets the technique alone, whatever its name; the same calls in a PowerShell script,
# even one named .cs, get both.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
cat >"$t/roast.cs" <<'EOF'
using System;
using System.IdentityModel.Tokens;

namespace Roast
{
    class Program
    {
        static void Main(string[] args)
        {
            var token = new KerberosRequestorSecurityToken(args[0]);
            byte[] request = token.GetRequest();
            Console.WriteLine($"{args[0]}: {Convert.ToBase64String(request)}");
        }
    }
}
EOF
cat >"$t/roast.ps1" <<'EOF'
param([string]$SPN)
Add-Type -AssemblyName System.IdentityModel
$Ticket = New-Object System.IdentityModel.Tokens.KerberosRequestorSecurityToken -ArgumentList $SPN
$Request = $Ticket.GetRequest()
if ($Request -ne $null) { [Convert]::ToBase64String($Request) }
EOF
cp "$t/roast.ps1" "$t/script-named-cs.cs"
cat >"$t/dcom.cs" <<'EOF'
using System;

class Dcom
{
    static void Main(string[] args)
    {
        var target = args[0];
        var type = Type.GetTypeFromProgID("MMC20.Application", target);
        dynamic mmc = Activator.CreateInstance(type);
        mmc.Document.ActiveView.ExecuteShellCommand("cmd.exe", null, "/c calc", "7");
    }
}
EOF

"$AIRLOCK" analyze --json "$t/roast.cs" "$t/roast.ps1" "$t/script-named-cs.cs" "$t/dcom.cs" \
        >"$t/report.json" 2>"$t/err"
expect_eq "analyze-exit-1" 1 $?
python3 - "$t/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ids = {f["name"]: set(a for x in f["findings"] for a in x["attack"]) for f in r["files"]}
def check(name, want, absent):
    got = ids.get(name, set())
    good = want <= got and not (absent & got)
    print(("PASS: %s" if good else "FAIL: %s: ids " + ",".join(sorted(got))) % ("ids-" + name))
check("roast.cs", {"T1558.003"}, {"T1059.001"})
check("roast.ps1", {"T1558.003", "T1059.001"}, set())
check("script-named-cs.cs", {"T1558.003", "T1059.001"}, set())
check("dcom.cs", {"T1021.003"}, {"T1059.001"})
PY
exit 0
