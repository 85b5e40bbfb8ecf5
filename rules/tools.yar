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
        $vault = "Windows.Security.Credentials.PasswordVault" nocase
        $vault2 = /VaultEnumerate(Vaults|Items)/ nocase
        $wlan = /netsh[^\n]{0,40}\bwlan\s+show\s+profile[^\n]{0,80}key\s*=\s*clear/ nocase
        $cred = /\bCredEnumerate[AW]?\b/ nocase
        $lsass = /["']lsass["']/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        (any of ($mimi*) or ($dump and $lsass) or $sam or $lsa or $lsa2 or ($gpp1 and $gpp2) or
         any of ($vault*) or $wlan or $cred)
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
    condition:
        file_type != "document" and filesize < 8MB and $open and $use
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
    condition:
        file_type != "document" and filesize < 8MB and $alloc and $write and $thread
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
    condition:
        file_type != "document" and filesize < 4MB and $vss and $hive
}

rule accessibility_debugger_backdoor
{
    meta:
        severity = "high"
        attack = "T1546.008,T1546.012"
        description = "a script that sets a debugger for an accessibility program (sethc, utilman, osk...) under Image File Execution Options: a shell at the logon screen"
    strings:
        $ifeo = /Image File Execution Options/ nocase
        $prog = /\b(sethc|utilman|osk|magnify|narrator|displayswitch|atbroker)(\.exe)?\b/ nocase
        $dbg = /\bDebugger\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $ifeo and $prog and $dbg
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
