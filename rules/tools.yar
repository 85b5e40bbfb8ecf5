// What offensive PowerShell toolkits do once they run, whatever their names: read keystrokes,
// dump credentials, steal tokens, inject code into another process, start an encoded
// PowerShell. Scripts only (file_type): documentation that names these functions is left
// alone.

rule powershell_keylogger
{
    meta:
        severity = "high"
        attack = "T1056.001"
        description = "a script that polls or hooks the keyboard through Windows functions it imports (GetAsyncKeyState, SetWindowsHookEx)"
    strings:
        $key = /\b(GetAsyncKeyState|GetKeyboardState|SetWindowsHookEx[AW]?|GetKeyState)\b/ nocase
        $imp = /(DllImport|Add-Type|GetDelegateForFunctionPointer|DefineDynamicAssembly|DefinePInvokeMethod|GetProcAddress)/ nocase
        $loop = /\b(while|for)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $key and $imp and $loop
}

rule credential_dumping
{
    meta:
        severity = "high"
        attack = "T1003,T1555,T1552.006"
        description = "a script that dumps credentials: LSASS memory, the SAM or LSA secrets, Group Policy passwords, the Windows vault or Wi-Fi keys"
    strings:
        // mimikatz commands (not C++ namespaces: crypto::, vault:: alone say nothing)
        $mimi1 = /\b(sekurlsa::(logonpasswords|pth|tickets|wdigest|msv|ekeys|minidump)|lsadump::(sam|secrets|dcsync|lsa|cache)|kerberos::(golden|ptt|list))\b/ nocase
        $mimi2 = /invoke-mimikatz/ nocase
        $dump = "MiniDumpWriteDump" nocase
        $sam = /SAM\\+SAM\\+Domains\\+Account/ nocase
        $lsa = /SECURITY\\+Policy\\+Secrets/ nocase
        $lsa2 = "LsaRetrievePrivateData" nocase
        $gpp1 = "cpassword" nocase
        $gpp2 = /(Groups|Services|ScheduledTasks|DataSources|Printers|Drives)\.xml/ nocase
        // Group Policy's autologon values: Registry.xml in SYSVOL holding DefaultPassword
        $gpp3 = "DefaultPassword" nocase
        $gpp4 = "Registry.xml" nocase
        $gpp5 = "SYSVOL" nocase
        $vault = "Windows.Security.Credentials.PasswordVault" nocase
        $vault2 = /VaultEnumerate(Vaults|Items)/ nocase
        $wlan = /netsh[^\n]{0,40}\bwlan\s+show\s+profile[^\n]{0,80}key\s*=\s*clear/ nocase
        // every profile exported with its key in clear text (to files read or sent afterwards)
        $wlan_export = /netsh[^\n]{0,40}\bwlan\s+export\s+profile[^\n]{0,80}key\s*=\s*clear/ nocase
        // the WLAN service's profile files copied whole, their keyMaterial read
        $wlan_dir = /Wlansvc[\\\/]+Profiles[\\\/]+Interfaces/ nocase
        $wlan_key = "keyMaterial" nocase
        // LaZagne (every password store of the host) run with its modules, or fetched from its
        // releases
        $lazagne_run = /lazagne(\.exe)?\b[^\n]{0,60}["'\s](all|browsers|windows|wifi|sysadmin|mails)\b/ nocase
        $lazagne_get = /AlessandroZ\/LaZagne\/releases/ nocase
        $cred = /\bCredEnumerate[AW]?\b/ nocase
        $lsass = /["']lsass["']/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        (any of ($mimi*) or ($dump and $lsass) or $sam or $lsa or $lsa2 or ($gpp1 and $gpp2) or
         ($gpp3 and $gpp4 and $gpp5) or
         any of ($vault*) or $wlan or $wlan_export or ($wlan_dir and $wlan_key) or any of ($lazagne*) or $cred)
}

rule token_manipulation
{
    meta:
        severity = "high"
        attack = "T1134"
        description = "a script that opens another process's token and impersonates it or starts a program with it"
    strings:
        $open = /\b(OpenProcessToken|OpenThreadToken|NtOpenProcessToken)\b/ nocase
        $use = /\b(DuplicateTokenEx|DuplicateToken|ImpersonateLoggedOnUser|SetThreadToken|CreateProcessWithTokenW|CreateProcessAsUserW?)\b/ nocase
        // a token from LogonUser and a password the script was given: run-as, which
        // configuration tools (DSC's process and package resources) do; not a stolen token
        $logon = /\bLogonUser[AW]?\b/ nocase
        // a keyword list names them between other names and calls none (process_injection)
        $open_listed = /["']\s*,\s*["'](OpenProcessToken|OpenThreadToken|NtOpenProcessToken)["']\s*,/ nocase
        $use_listed = /["']\s*,\s*["'](DuplicateTokenEx|DuplicateToken|ImpersonateLoggedOnUser|SetThreadToken|CreateProcessWithTokenW|CreateProcessAsUserW?)["']\s*,/ nocase
        $called = /\b(OpenProcessToken|OpenThreadToken|NtOpenProcessToken|DuplicateTokenEx|DuplicateToken|ImpersonateLoggedOnUser|SetThreadToken|CreateProcessWithTokenW|CreateProcessAsUserW?)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $open and $use and not $logon and
        not ($open_listed and $use_listed and not $called)
}

rule process_injection
{
    meta:
        severity = "critical"
        attack = "T1055"
        description = "a script that writes code into another process and starts a thread there (VirtualAllocEx, WriteProcessMemory, CreateRemoteThread)"
    strings:
        $alloc = /\b(VirtualAllocEx|NtAllocateVirtualMemory|NtMapViewOfSection)\b/ nocase
        $write = /\b(WriteProcessMemory|NtWriteVirtualMemory)\b/ nocase
        $thread = /\b(CreateRemoteThread|NtCreateThreadEx|RtlCreateUserThread|QueueUserAPC|NtQueueApcThread|SetThreadContext)\b/ nocase
        // a keyword list (a syntax highlighter's table of Windows API names: 'A', 'B', ...)
        // names every call between other names and calls none
        $alloc_listed = /["']\s*,\s*["'](VirtualAllocEx|NtAllocateVirtualMemory|NtMapViewOfSection)["']\s*,/ nocase
        $write_listed = /["']\s*,\s*["'](WriteProcessMemory|NtWriteVirtualMemory)["']\s*,/ nocase
        $thread_listed = /["']\s*,\s*["'](CreateRemoteThread|NtCreateThreadEx|RtlCreateUserThread|QueueUserAPC|NtQueueApcThread|SetThreadContext)["']\s*,/ nocase
        $called = /\b(VirtualAllocEx|NtAllocateVirtualMemory|NtMapViewOfSection|WriteProcessMemory|NtWriteVirtualMemory|CreateRemoteThread|NtCreateThreadEx|RtlCreateUserThread|QueueUserAPC|NtQueueApcThread|SetThreadContext)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $alloc and $write and $thread and
        not ($alloc_listed and $write_listed and $thread_listed and not $called)
}

rule powershell_encoded_script
{
    meta:
        severity = "high"
        attack = "T1027,T1059.001"
        description = "a command that starts PowerShell with a long base64 UTF-16 script (an encoded command, however its switch is spelled or hidden)"
    strings:
        $ps = /powershell|pwsh/ nocase
        // base64 of UTF-16LE ASCII text: every other byte zero gives this 8-character rhythm
        $b64w = /([A-Za-z0-9+\/]{2}[AB][A-Za-z0-9+\/]A[A-Za-z0-9+\/]{2}A){25}/
    condition:
        file_type != "document" and filesize < 8MB and $ps and $b64w
}

rule powershell_network_command_loop
{
    meta:
        severity = "high"
        attack = "T1095,T1059.001"
        description = "a PowerShell remote shell: commands received over a socket, UDP, ICMP or an HTTP listener run with Invoke-Expression and their output sent back"
    strings:
        $net = /(UDPClient|TcpClient|TcpListener|NetworkInformation\.Ping|HttpListener|Sockets\.Socket)\b/ nocase
        $iex = /\b(iex|invoke-expression)\s+(-command\s+)?\$[a-z_][a-z0-9_]*/ nocase
        $out = /out-string/ nocase
        $send = /\.(send|sendasync|write|uploadstring|uploaddata)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 2MB and $net and $iex and $out and $send
}

rule shadow_copy_credential_theft
{
    meta:
        severity = "high"
        attack = "T1003.002,T1003.003"
        description = "a script that makes or opens a volume shadow copy to copy the SAM, SYSTEM hive or ntds.dit out of it"
    strings:
        $vss = /(win32_shadowcopy|HarddiskVolumeShadowCopy|vssadmin[^\n]{0,20}create\s+shadow)/ nocase
        $hive = /(\\config\\SAM\b|\\config\\SYSTEM\b|ntds\.dit)/ nocase
        // or a shadow copy mounted as a link to browse it (mklink /d to \\?\GLOBALROOT\...)
        $root = /GLOBALROOT\\+Device\\+HarddiskVolumeShadowCopy/ nocase
        $link = /(CreateSymbolicLink[AW]?\b|mklink\s)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $vss and ($hive or ($root and $link))
}

rule accessibility_debugger_backdoor
{
    meta:
        severity = "high"
        attack = "T1546.008,T1546.012"
        description = "a script that sets a debugger for an accessibility program (sethc, utilman, osk...) under Image File Execution Options, or replaces the program with a shell: a shell at the logon screen"
    strings:
        $ifeo = /Image File Execution Options/ nocase
        $prog = /\b(sethc|utilman|osk|magnify|narrator|displayswitch|atbroker)(\.exe)?\b/ nocase
        $dbg = /\bDebugger\b/ nocase
        // or the program itself replaced by a shell: its ownership taken, then cmd.exe or
        // powershell.exe copied over it
        $take = /\b(takeown(\.exe)?\s[^\n]{0,80}|icacls(\.exe)?\s[^\n]{0,80})\b(sethc|utilman|osk|magnify|narrator|displayswitch|atbroker)\.exe\b/ nocase
        $over = /\b(Copy-Item|copy|cp|Move-Item|move)\b[^\n]{0,120}\b(cmd|powershell)\.exe\b[^\n]{0,120}\b(sethc|utilman|osk|magnify|narrator|displayswitch|atbroker)\.exe\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and
        (($ifeo and $prog and $dbg) or ($take and $over))
}

rule powershell_download_start_program
{
    meta:
        severity = "high"
        attack = "T1105,T1204.002"
        description = "a small PowerShell script that downloads with WebClient and starts an .exe it wrote"
    strings:
        $dl = /\.download(string|data|file)\s*\(/ nocase
        $start = /\b(start-process|saps|start)\s+(-[a-z]+\s+)*["']?[^\n"']{0,120}\.exe\b/ nocase
    condition:
        file_type != "document" and filesize < 64KB and $dl and $start
}

rule process_memory_dump
{
    meta:
        severity = "high"
        attack = "T1003.001"
        description = "a script that writes a full memory dump of a process with MiniDumpWriteDump, from dbghelp or through PowerShell's own error reporting methods (how LSASS is dumped)"
    strings:
        $dump = /\bMiniDumpWriteDump\b/ nocase
        $dbghelp = /dbghelp/ nocase
        $wer = /WindowsErrorReporting|NativeMethods/ nocase
        $full = /MiniDumpWithFullMemory|\b0x0*2\b|\[uint32\]\s*2\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $dump and ($dbghelp or $wer) and $full
}

// LSASS written to a dump file by a dumping tool that is not mimikatz: procdump -ma,
// comsvcs.dll's MiniDump, userdump, SQL Server's sqldumper, rdrleakdiag or createdump given
// lsass, or their lsass .dmp file.
rule lsass_dump_with_tool
{
    meta:
        severity = "high"
        attack = "T1003.001"
        description = "a script that dumps LSASS memory with a dumping tool (procdump -ma, comsvcs MiniDump, userdump, sqldumper, rdrleakdiag, createdump) or walks an LSASS dump with a debugger"
    strings:
        $tool_line = /\b(procdump(64)?|comsvcs|userdump|sqldumper|rdrleakdiag|createdump)\b[^\n]{0,160}\blsass\b|\blsass\b[^\n]{0,160}\b(procdump(64)?|comsvcs(\.dll)?["']?\s*,?\s*#?(minidump|24))\b/ nocase
        $tool = /\b(procdump(64)?(\.exe)?\s[^\n]{0,60}-ma\b|comsvcs(\.dll)?["']?\s*,?\s*#?(minidump|24)\b|userdump(\.exe)?\b|sqldumper(\.exe)?\b|rdrleakdiag(\.exe)?\b)/ nocase
        $dmp = /\blsass[^\s"'\\\/]{0,16}\.dmp\b/ nocase
        // or an LSASS dump walked with a Windows debugger to read the credentials out of it
        $debugger = /\b(cdb|ntsd|kd|windbg)\.exe\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        ($tool_line or ($tool and $dmp) or ($debugger and $dmp))
}

rule parent_process_spoofing
{
    meta:
        severity = "high"
        attack = "T1134.004,T1134,T1059.001"
        description = "a script that starts a program under another parent process (UpdateProcThreadAttribute with PROC_THREAD_ATTRIBUTE_PARENT_PROCESS)"
    strings:
        $update = /\bUpdateProcThreadAttribute\b/ nocase
        $init = /\bInitializeProcThreadAttributeList\b/ nocase
        $create = /\bCreateProcess[AW]?\b/ nocase
        $parent = /PROC_THREAD_ATTRIBUTE_PARENT_PROCESS|0x0*20000\b|\bOpenProcess\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $update and $init and $create and $parent
}

rule credential_prompt_phishing
{
    meta:
        severity = "high"
        attack = "T1056.002,T1059.001"
        description = "a script that asks the user for credentials in a loop until they check out against the machine or the domain (credential phishing)"
    strings:
        $prompt = /(Get-Credential\b|PromptForCredential\s*\()/ nocase
        $check1 = /\.ValidateCredentials\s*\(/ nocase
        $check2 = /DirectoryServices\.DirectoryEntry\s*\(\s*\$[a-z_]+\s*,\s*\$[a-z_]+\s*,\s*\$[a-z_]+/ nocase
        $loop = /\b(while|do)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $prompt and any of ($check*) and $loop
}

rule microphone_or_screen_capture
{
    meta:
        severity = "medium"
        attack = "T1123,T1113,T1059.001"
        description = "a script that records the microphone (winmm mciSendString record) or captures the screen in a loop or to a socket (CopyFromScreen)"
    strings:
        $mci = /mciSendString[^\n]{0,200}record/ nocase
        $mci2 = /["']record\s+\$?[a-z_]/ nocase
        $mci3 = /\bmciSendString\b/ nocase
        $screen = /\.CopyFromScreen\s*\(/ nocase
        $loop = /\b(while|do|for)\s*[\({]/ nocase
        $sleep = /Start-Sleep|Thread\]::Sleep/ nocase
        $net = /(TcpListener|TcpClient|Sockets\.Socket|UploadData|UploadFile)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and
        ($mci or ($mci2 and $mci3) or ($screen and (($loop and $sleep) or $net)))
}

rule security_update_removal
{
    meta:
        severity = "high"
        attack = "T1562.001"
        description = "a script that silently uninstalls Windows updates (wusa /uninstall /kb: /quiet)"
    strings:
        $wusa = /wusa(\.exe)?\s+\/uninstall\s+\/kb:[^\n]{0,40}\/quiet/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $wusa
}

rule forced_authentication_file
{
    meta:
        severity = "high"
        attack = "T1187"
        description = "a script that writes a shell command file or shortcut whose icon is on a remote share (IconFile=\\\\host\\...), so that opening the folder sends the user's hash"
    strings:
        $scf = /\[Shell\][^\n]{0,4}(\r?\n|`r?`n)[^\n]{0,40}Command\s*=\s*2/ nocase
        $icon = /IconFile\s*=\s*\\\\\$?[a-z0-9_.{}-]+\\/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $icon and $scf
}

rule remote_access_acl_backdoor
{
    meta:
        severity = "high"
        attack = "T1222.001,T1098,T1059.001"
        description = "a script that grants a user remote WMI or PowerShell remoting or directory replication rights by rewriting a security descriptor (__SystemSecurity SetSD, SecurityDescriptorSddl, DS-Replication rights)"
    strings:
        $wmi1 = "__SystemSecurity" nocase
        $wmi2 = /\bSetSD\b/ nocase
        $psr = /Set-PSSessionConfiguration[^\n]{0,200}-SecurityDescriptorSddl/ nocase
        $ds1 = /ActiveDirectoryAccessRule\s*\(/ nocase
        $ds2 = /DS-Replication|1131f6a[ad]-9c07-11d1-f79f-00c04fc2dcd2|9923a32a-3607-11d2-b9be-0000f87a36b2/ nocase
    condition:
        file_type != "document" and filesize < 4MB and (($wmi1 and $wmi2) or $psr or ($ds1 and $ds2))
}

rule saved_session_credential_theft
{
    meta:
        severity = "high"
        attack = "T1552.001,T1555,T1059.001"
        description = "a script that collects saved remote-access credentials: PuTTY and WinSCP sessions, .ppk keys, RDP and RSA token files"
    strings:
        $putty = /Software\\+SimonTatham\\+PuTTY\\+Sessions/ nocase
        $winscp = /Software\\+Martin Prikryl\\+WinSCP/ nocase
        $ppk = /\*?\.ppk\b/ nocase
        $rdp = /\*?\.rdp\b/ nocase
        $sdtid = /\*?\.sdtid\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($putty or $winscp) and 2 of ($ppk, $rdp, $sdtid, $winscp, $putty)
}

rule process_memory_credential_search
{
    meta:
        severity = "high"
        attack = "T1003,T1059.001"
        description = "a script that reads other processes' memory (ReadProcessMemory) and searches it with regular expressions for passwords"
    strings:
        $read = /\bReadProcessMemory\b/ nocase
        $open = /\bOpenProcess\b/ nocase
        $regex = /\bRegex\b/ nocase
        $pw = /passw(or)?d|pwd=|&pass=/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $read and $open and $regex and $pw
}

rule port_proxy_relay
{
    meta:
        severity = "medium"
        attack = "T1090,T1059.001"
        description = "a script that sets up a network relay with netsh interface portproxy"
    strings:
        $pp = /netsh[^\n]{0,40}interface\s+portproxy\s+add/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $pp
}

rule office_vbom_macro_injection
{
    meta:
        severity = "high"
        attack = "T1137,T1204.002,T1059.005"
        description = "a script that turns on programmatic access to the Office VBA project (AccessVBOM) and adds macro code to a document"
    strings:
        $vbom = "AccessVBOM" nocase
        $add = /VBProject\.VBComponents\.Add\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $vbom and $add
}

rule powershell_conpty_reverse_shell
{
    meta:
        severity = "critical"
        attack = "T1095,T1059.001"
        description = "a script that connects a socket and gives it a pseudo console running a shell (ConPTY reverse shell)"
    strings:
        $pty = /\bCreatePseudoConsole\b/ nocase
        $connect = /\.Connect\s*\(/ nocase
        $socket = /\bSocket\s+[a-z_]|Sockets\.Socket\b|TcpClient\b/ nocase
        $proc = /\bCreateProcess[AW]?\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $pty and $connect and $socket and $proc
}

rule powershell_http_c2_server
{
    meta:
        severity = "high"
        attack = "T1071.001,T1059.001"
        description = "a PowerShell HTTP listener that serves script to a regsvr32, rundll32 or mshta client and reads back what its commands print (an HTTP reverse shell)"
    strings:
        $listener = /Net\.HttpListener\b/ nocase
        $client = /(scrobj\.dll|mshtml[,\s]+RunHTMLApplication|\bmshta(\.exe)?\s+(vbscript|javascript|https?):)/ nocase
        $read = /\.ResponseText\b|\.InputStream\b/ nocase
        $write = /\.OutputStream\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $listener and $client and $read and $write
}

rule powershell_mail_c2
{
    meta:
        severity = "high"
        attack = "T1071.003,T1059.001"
        description = "a script that passes commands and their output through a mailbox, IMAP one way and SMTP the other (mail as the channel of a remote shell)"
    strings:
        $imap = /\.Connect\s*\(\s*["']imap\.[a-z0-9.-]+["']\s*,\s*993\s*\)|imap\.[a-z0-9.-]+["']?\s*,\s*993/ nocase
        $smtp = /Net\.Mail\.SmtpClient\b/ nocase
        $send = /\.Send\s*\(/ nocase
        $run = /\b(iex|invoke-expression)\b|\[scriptblock\]::create|\bstart-process\b|Invoke-Command\b/ nocase
        // the controller's side: commands packed (compressed, base64) into the mails it sends
        $pack = /ToBase64String\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $imap and $smtp and $send and ($run or $pack)
}

rule certutil_decode_run
{
    meta:
        severity = "high"
        attack = "T1140,T1059.001,T1059.003"
        description = "a script that decodes a file with certutil -decode and runs what it decoded (PowerShell -File, cscript, start or the file itself)"
    strings:
        $decode = /certutil(\.exe)?\s+-decode(hex)?\s+\S+\s+["']?([^\s"']+\.(ps1|bat|cmd|vbs|js|exe|dll|hta))\b/ nocase
        $run = /(powershell(\.exe)?\s[^\n]{0,120}-f(ile)?\s+["']?[^\s"']+\.ps1|\b(cscript|wscript|mshta|rundll32|regsvr32)(\.exe)?\s+[^\n]{0,60}\.(vbs|js|hta|dll)|\bstart\s+[^\n]{0,40}\.(exe|bat|cmd))\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $decode and $run
}

// Browser credential theft: the file where a browser keeps saved logins (Chromium's
// "Login Data", Firefox's logins.json or key3/key4.db) and a way to decrypt it (DPAPI, NSS,
// AES-GCM), in one script.
rule browser_credential_theft
{
    meta:
        severity = "high"
        attack = "T1555.003"
        description = "a script that reads a browser's saved-login store (Login Data, logins.json, key4.db) and decrypts it (DPAPI, NSS PK11SDR_Decrypt, AES-GCM)"
    strings:
        $store = /(\\|\/|["'])(Login Data|logins\.json|key[34]\.db|signons\.sqlite)["'\\\/]/ nocase
        $dec = /(ProtectedData\]?\s*::\s*Unprotect|CryptUnprotectData|PK11SDR_Decrypt|NSS_Init|AesGcm|BCryptDecrypt)/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $store and $dec
}

// The four behaviours below (Kerberoasting, DCOM, EventLog threads, hand-made NTLM) are
// matched by .NET and Win32 calls that, among scripts, only PowerShell can make (JScript,
// VBScript, Python and shell have no KerberosRequestorSecurityToken, [Type]::GetTypeFromProgID
// with a $variable, P/Invoke OpenThread or a Net.Sockets.TCPClient); but a C# tool makes the
// same calls. So each is two rules: the technique alone for any text, and the technique with
// T1059.001 when the text is PowerShell by its content (airlock_powershell_text), not by its
// name. (The browser rule has no PowerShell twin here: Python stealers read the same stores.)

// PowerShell by its content: its constants ($true, $false, $null), a function named Verb-Noun,
// a param( block, or a cmdlet that C# never writes outside a string. A C# source has none of
// these (its interpolated strings start $" and its names have no $); a script that carries C#
// for Add-Type is still PowerShell.
private rule airlock_powershell_text
{
    strings:
        $constant = /\$(true|false|null)\b/ nocase
        $function = /\bfunction\s+[a-z]+-[a-z]+/ nocase
        $param = /\bparam\s*\(/ nocase
        $cmdlet = /\b(New-Object|Add-Type|Write-(Host|Output|Verbose)|Out-String|Invoke-Expression)\b/ nocase
    condition:
        any of them
}

// Kerberoasting: service tickets requested for accounts' SPNs through .NET, to crack offline.
rule kerberoasting
{
    meta:
        severity = "high"
        attack = "T1558.003"
        description = "a script that requests Kerberos service tickets for SPNs through KerberosRequestorSecurityToken (Kerberoasting)"
    strings:
        $token = /KerberosRequestorSecurityToken/ nocase
        $req = /\.GetRequest\s*\(\s*\)/ nocase
    condition:
        not airlock_powershell_text and file_type != "document" and filesize < 8MB and $token and $req
}

rule powershell_kerberoasting
{
    meta:
        severity = "high"
        attack = "T1558.003,T1059.001"
        description = "a script that requests Kerberos service tickets for SPNs through KerberosRequestorSecurityToken (Kerberoasting)"
    strings:
        $token = /KerberosRequestorSecurityToken/ nocase
        $req = /\.GetRequest\s*\(\s*\)/ nocase
    condition:
        airlock_powershell_text and file_type != "document" and filesize < 8MB and $token and $req
}

// Lateral movement through DCOM: a COM object of another host (GetTypeFromProgID/CLSID with a
// computer name) whose methods run commands (MMC20 ExecuteShellCommand, ShellWindows'
// ShellExecute, Excel's DDEInitiate).
rule dcom_lateral_movement
{
    meta:
        severity = "high"
        attack = "T1021.003"
        description = "a script that creates a COM object on a remote host ([Type]::GetTypeFromProgID/CLSID with a computer name) and runs a command through it"
    strings:
        // the host a variable: $name in PowerShell, a bare name in C# (not the bool overload's
        // true or false)
        $remote = /GetTypeFrom(ProgID|CLSID)\s*\(\s*["'$a-z_][^,)\n]{0,80},\s*(["']?\$)?[a-z_][a-z0-9_.]*\s*[,)]/ nocase
        $local = /GetTypeFrom(ProgID|CLSID)\s*\(\s*["'$a-z_][^,)\n]{0,80},\s*(true|false)\s*\)/ nocase
        $run = /(ExecuteShellCommand|\.ShellExecute\s*\(|DDEInitiate|ActivateMicrosoftApp|RegisterXLL)/ nocase
    condition:
        not airlock_powershell_text and file_type != "document" and filesize < 8MB and #remote > #local and $run
}

rule powershell_dcom_lateral_movement
{
    meta:
        severity = "high"
        attack = "T1021.003,T1059.001"
        description = "a script that creates a COM object on a remote host ([Type]::GetTypeFromProgID/CLSID with a computer name) and runs a command through it"
    strings:
        $remote = /GetTypeFrom(ProgID|CLSID)\s*\(\s*["'$][^,)\n]{1,80},\s*["']?\$[a-z_]/ nocase
        $run = /(ExecuteShellCommand|\.ShellExecute\s*\(|DDEInitiate|ActivateMicrosoftApp|RegisterXLL)/ nocase
    condition:
        airlock_powershell_text and file_type != "document" and filesize < 8MB and $remote and $run
}

// Blinding the event log: the threads of the EventLog service (wevtsvc.dll) found and killed
// (Invoke-Phant0m and its ports).
rule eventlog_service_thread_kill
{
    meta:
        severity = "high"
        attack = "T1562.002"
        description = "a script that finds the threads of the EventLog service (wevtsvc.dll) and terminates them"
    strings:
        // the service's DLL, or the service found by name ('eventlog') to walk its threads
        $wevt = /wevtsvc|name\s*=\s*'eventlog'|["']eventlog["']/ nocase
        $kill = /TerminateThread/ nocase
        $open = /OpenThread/ nocase
    condition:
        not airlock_powershell_text and file_type != "document" and filesize < 8MB and $wevt and $kill and $open
}

rule powershell_eventlog_service_thread_kill
{
    meta:
        severity = "high"
        attack = "T1562.002,T1059.001"
        description = "a script that finds the threads of the EventLog service (wevtsvc.dll) and terminates them"
    strings:
        // the service's DLL, or the service found by name ('eventlog') to walk its threads
        $wevt = /wevtsvc|name\s*=\s*'eventlog'|["']eventlog["']/ nocase
        $kill = /TerminateThread/ nocase
        $open = /OpenThread/ nocase
    condition:
        airlock_powershell_text and file_type != "document" and filesize < 8MB and $wevt and $kill and $open
}

// NTLM written by hand: a script that builds NTLMSSP messages and signs them with HMAC-MD5
// over its own socket: pass-the-hash over SMB or HTTP (Invoke-SMBExec, relays).
rule scripted_ntlm_authentication
{
    meta:
        severity = "high"
        attack = "T1550.002"
        description = "a script that builds NTLMSSP messages itself (the signature bytes) and talks to a host over its own TCP socket: pass-the-hash or NTLM relay"
    strings:
        $sig = /0x4e\s*,\s*0x54\s*,\s*0x4c\s*,\s*0x4d\s*,\s*0x53\s*,\s*0x53\s*,\s*0x50/ nocase
        $tcp = /Net\.Sockets\.(TCPClient|TcpListener|Socket)\b/ nocase
    condition:
        not airlock_powershell_text and file_type != "document" and filesize < 8MB and $sig and $tcp
}

rule powershell_scripted_ntlm_authentication
{
    meta:
        severity = "high"
        attack = "T1550.002,T1059.001"
        description = "a script that builds NTLMSSP messages itself (the signature bytes) and talks to a host over its own TCP socket: pass-the-hash or NTLM relay"
    strings:
        $sig = /0x4e\s*,\s*0x54\s*,\s*0x4c\s*,\s*0x4d\s*,\s*0x53\s*,\s*0x53\s*,\s*0x50/ nocase
        $tcp = /Net\.Sockets\.(TCPClient|TcpListener|Socket)\b/ nocase
    condition:
        airlock_powershell_text and file_type != "document" and filesize < 8MB and $sig and $tcp
}
