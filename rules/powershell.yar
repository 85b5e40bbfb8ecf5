// PowerShell and Windows Script Host attack code. Written for the normalised text as well as
// the raw one (src/analysis/normalise.c: lower case, no backticks, literals joined, -f and
// -join evaluated), so every string is nocase and allows a quoted type name. Scripts only.

rule powershell_download_start
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001,T1204.002"
        description = "PowerShell that downloads a file and starts it (DownloadFile or Invoke-WebRequest -OutFile, then Start-Process, Invoke-Item or &)"
    strings:
        $dl_start = /(\.downloadfile\s*\(|\b(iwr|invoke-webrequest|wget|curl|start-bitstransfer)\s[^\n]{0,200}-(outfile|destination)\s)[^\n]{0,300}(\n[^\n]{0,300}){0,4}\b(start-process|saps|start|invoke-item|ii)\s+(-filepath\s+)?["'$]/ nocase
        // a quoted member name ($wc."downloadfile"(...)) and the starter named by a literal,
        // &('invoke-item')($path), or a command name in pieces, &('in'+'vo'+'ke-item'), as it
        // stays inside a literal that a placeholder replacement made
        $dl_start3 = /\.["']downloadfile["']\s*\([^\n]{0,300}(\n[^\n]{0,300}){0,4}[&.]\s*\(\s*(["'](start-process|saps|start|invoke-item|ii)["']|["'][a-z-]{1,16}["'](\s*\+\s*["'][a-z-]{1,16}["']){1,8})\s*\)/ nocase
        $dl_start2 = /(\.downloadfile\s*\(|\b(iwr|invoke-webrequest)\s[^\n]{0,200}-outfile\s)[^\n]{0,300}(\n[^\n]{0,300}){0,4}(\[diagnostics\.process\]|\[system\.diagnostics\.process\])::start\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule powershell_download_iex
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001"
        description = "PowerShell that runs what it downloads (iwr|iex, IEX of a download, a script block made from one)"
    strings:
        $pipe = /\b(iwr|irm|invoke-webrequest|invoke-restmethod|wget|curl)\s[^\n|]{0,300}(\.content\s*)?\)?\s*\|\s*(iex|invoke-expression)\b/ nocase
        $iex_of = /\b(iex|invoke-expression)\s*\(?\s*\(?\s*(iwr|irm|invoke-webrequest|invoke-restmethod)\s/ nocase
        $sb = /\[scriptblock\]::create\s*\(\s*\(?\s*(\(\s*new-object\s+["']?(system\.)?net\.webclient["']?\s*\)\s*\.downloadstring|(iwr|irm|invoke-webrequest|invoke-restmethod)\s)/ nocase
        $wc_iex = /\b(iex|invoke-expression)[\s(]{0,8}\(\s*new-object\s+["']?(system\.)?net\.webclient["']?\s*\)\s*\.download(string|data)\s*\(/ nocase
        // $x = 'iex'; & $x ((New-Object Net.WebClient).DownloadString(...))
        $alias_iex = /=\s*["'](iex|invoke-expression)["'][^\n]{0,200}[&.]\s*\$[a-z0-9_]+[\s(]{0,8}\(\s*new-object\s+["']?(system\.)?net\.webclient["']?\s*\)\s*\.download(string|data)\s*\(/ nocase
        // a COM request object's answer run: IEX $o.responseText
        $com_iex = /\b(iex|invoke-expression)\s*\(?\s*\$[a-z0-9_]+\.responsetext\b/ nocase
        $var_iex = /\.downloadstring\s*\([^\n]{0,200}(\n[^\n]{0,200}){0,3}\b(iex|invoke-expression)\s*\(?\s*\$/ nocase
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule amsi_bypass
{
    meta:
        severity = "critical"
        attack = "T1562.001"
        description = "code that disables AMSI, the scan interface of Windows antivirus (amsiInitFailed, amsiContext, a patched AmsiScanBuffer)"
    strings:
        $utils = "amsiutils" nocase
        $failed = "amsiinitfailed" nocase
        $context = "amsicontext" nocase
        $session = "amsisession" nocase
        $scan = "amsiscanbuffer" nocase
        $vprot = "virtualprotect" nocase
        $patch_hex = /0x0*b8\s*,\s*0x0*57\s*,\s*0x0*0+\s*,\s*0x0*07\s*,\s*0x0*80\s*,\s*0x0*c3/ nocase
        $patch_bin = { B8 57 00 07 80 C3 }
        $setvalue = /\.setvalue\s*\(\s*\$null\s*,\s*\$true\s*\)/ nocase
        $nonpublic = /nonpublic\s*,\s*static/ nocase
        // the names hidden (hex split, format over variables, -like wildcards): PowerShell's own
        // assembly searched for a private static field that is then set or overwritten
        $ref = /\[ref\]\.["']?assembly["']?\.["']?gettypes?["']?\s*\(/ nocase
        $like = /\.name\s+-(i|c)?like\s+["']\*[a-z]{0,6}(iutils|context|failed|session)["']/ nocase
        $getfield = /\.\s*getfields?\s*\(/ nocase
        $overwrite = /(\.\s*setvalue\s*\(\s*\$null\s*,|\]::(copy|writeint32|writeint64|writeintptr)\s*\()/ nocase
        // AMSI's own code patched in memory: a function of amsi.dll or of Defender's provider
        // (MpOav.dll) found by name, its page made writable and bytes copied over it; or
        // AmsiUtils' private methods swapped for the script's own (their method handles)
        $amsi_code = /amsi\.dll|["']amsi["']|\bamsi(opensession|initialize|scanstring)\b|\bmpoav\.dll/ nocase
        $getmethods = /\.getmethods?\s*\(/ nocase
        $handle = /\.methodhandle\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and (
            ($utils and ($failed or $context or $session)) or
            ($failed and ($setvalue or $nonpublic)) or
            ($scan and ($vprot or $patch_hex or $patch_bin)) or
            ($ref and $getfield and $nonpublic and $overwrite) or
            ($ref and $like and $overwrite) or
            ($amsi_code and $vprot and $overwrite) or
            ($utils and $getmethods and $handle and $overwrite))
}

rule shellcode_runner
{
    meta:
        severity = "critical"
        attack = "T1055,T1620,T1059.001"
        description = "a script that loads Win32 calls and runs shellcode in its own memory (VirtualAlloc, then CreateThread or a delegate to the buffer)"
    strings:
        $addtype = /\badd-type\b/ nocase
        $dllimport = /dllimport\s*\(\s*["']?kernel32/ nocase
        $delegate = "getdelegateforfunctionpointer" nocase
        $getproc = "getprocaddress" nocase
        $dynasm = "definedynamicassembly" nocase
        $valloc = /\bvirtualalloc(ex)?\b/ nocase
        $thread = /\b(createthread|createremotethread|queueuserapc)\b/ nocase
        $copy = /(marshal\]::copy|\bmemset\b|rtlmovememory|writeprocessmemory)/ nocase
        // a keyword list (a syntax highlighter's table of Windows API names) names them
        // between other names and calls none
        $valloc_listed = /["']\s*,\s*["']virtualalloc(ex)?["']\s*,/ nocase
        $thread_listed = /["']\s*,\s*["'](createthread|createremotethread|queueuserapc)["']\s*,/ nocase
        $called = /\b(virtualalloc(ex)?|createthread|createremotethread|queueuserapc)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        ($addtype or $dllimport or $delegate or $getproc or $dynasm) and $valloc and
        ($thread or ($delegate and $copy)) and
        not ($valloc_listed and $thread_listed and not $delegate and not $called)
}

rule dotnettojscript
{
    meta:
        severity = "critical"
        attack = "T1620,T1059.007,T1059.005"
        description = "DotNetToJScript-style script: a serialized .NET assembly decoded and deserialized with BinaryFormatter to run in memory"
    strings:
        $bf = "binaryformatter" nocase
        $deser2 = "deserialize_2" nocase
        $dynamic = "dynamicinvoke" nocase
        $ms = "system.io.memorystream" nocase
        $b64 = /(frombase64|base64tostream|frombase64transform|\.decode\s*\(|bin\.base64)/ nocase
        $entry = /\.(createinstance|dynamicinvoke)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 16MB and $bf and ($deser2 or $dynamic) and
        ($ms or $b64 or $entry)
}

rule powershell_compressed_payload
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell that inflates a base64 blob (Deflate or GZip) and runs the text it gets"
    strings:
        $b64 = /frombase64string\s*\(/ nocase
        $inflate = /(io\.compression\.)?(deflatestream|gzipstream)["']?\s*\)?\s*\(/ nocase
        $decompress = /compressionmode\]\s*::\s*["']?decompress/ nocase
        $iex = /\b(iex|invoke-expression)\b/ nocase
        $sb = /\[scriptblock\]::create\s*\(/ nocase
        $readtoend = /\.readtoend\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $b64 and $inflate and $decompress and
        $readtoend and ($iex or $sb)
}

rule powershell_char_code_launcher
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell that rebuilds its code from character codes (decimal, hex, octal, binary or XORed, one [char] at a time), joins them and runs the result: Invoke-Obfuscation's encoding launchers"
    strings:
        // %{[char]$_}, %{([char][int]$_)}, %{[char]([convert]::toint16($_,16))}, %{[char]($_ -bxor 0x3b)}
        $loop = /(%|foreach-object|foreach)\s*\{\s*\(?\s*\[char\]\s*(\[int\]\s*)?\(?\s*(\$_|\[convert\]::toint(16|32|64)\s*\(\s*\$_\s*,\s*(2|8|16)\s*\))/ nocase
        // %{ ([convert]::toint16(($_.tostring()),2) -as [char]) }
        $loop_as = /(%|foreach-object|foreach)\s*\{\s*\(?\s*\[convert\]::toint(16|32|64)\s*\(\s*\(?\s*\$_(\.tostring\(\))?\s*\)?\s*,\s*(2|8|16)\s*\)\s*-as\s*\[char\]/ nocase
        $join = /(-join\b|\[string\]::join\s*\()/ nocase
        $iex = /\b(iex|invoke-expression)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($loop or $loop_as) and $join and $iex
}

// A download and an Invoke-Expression in one small script, wherever the decoding left them
// (IEX(IEX("[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('...'))")) decodes to
// a DownloadString inside two IEX calls that no single expression joins).
rule powershell_download_and_iex
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001"
        description = "a small PowerShell script that downloads a string and runs code with Invoke-Expression"
    strings:
        $ds = /new-object\s+["']?(system\.)?net\.webclient["']?\s*\)\s*\.download(string|data)\s*\(/ nocase
        $iex = /(^|[^a-z0-9_-])(iex|invoke-expression)\s*[\s(]/ nocase
    condition:
        file_type != "document" and filesize < 64KB and $ds and $iex
}

// Invoke-Obfuscation's member and command tokens: a .NET member or a command named by a
// quoted string in random case (::"lOADWiThPartiAlNAmE"(, &("sAl")) or with backticks inside
// the quotes (."Lo`AdWi`ThPartIalName"(). Written for the raw text: the normalised one is in
// lower case and has no backticks.
rule powershell_obfuscated_tokens
{
    meta:
        severity = "high"
        attack = "T1027,T1059.001"
        description = "PowerShell whose member or command names are quoted strings in random case or with backticks inside (Invoke-Obfuscation's token obfuscation)"
    strings:
        $case = /(::|\.)\s*["']([a-z]+[A-Z]+){3,}[A-Za-z]*["']\s*\(/
        $tick = /(::|\.)\s*["'][A-Za-z`]{0,40}`[A-Za-z`]{0,40}["']\s*\(/
        $cmd = /&\s*\(\s*["']([a-z]+[A-Z]+){2,}[A-Za-z-]*["']\s*\)/
    condition:
        file_type != "document" and filesize < 8MB and (#case + #tick + #cmd) >= 3
}

// Invoke-Obfuscation's ways of naming Invoke-Expression without writing it: letters picked out
// of a variable's name or value ((gv '*mdr*').name[3,11,2] is "iex" from MaximumDriveCount,
// $VerbosePreference.ToString()[1,3]+'x', $ShellId[1]+$ShellId[13]+'x', $env:ComSpec[4,15,25],
// $PSHome[4]+$PSHome[30]+'x'), left where a layer of placeholder replacement hides the $; or
// Invoke-Expression given a reordered format string of many pieces ("{12}{3}{0}..." -f ...).
rule powershell_hidden_iex
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell that names Invoke-Expression by picking letters out of a variable (MaximumDriveCount, VerbosePreference, ShellId, ComSpec, PSHome) or runs a reordered format string of many pieces"
    strings:
        $mdr = /\(\s*(gv|get-variable|variable)\s+["']\*?m[a-z*]{0,6}dr\*?["']\s*\)\s*\.name\s*\[\s*3\s*,\s*11\s*,\s*2\s*\]/ nocase
        $verbose = /verbosepreference(\.tostring\(\s*\))?\s*\)?\s*\[\s*1\s*,\s*3\s*\]\s*\+\s*[^\n]{0,12}x/ nocase
        $shellid = /shellid\s*\[\s*1\s*\]\s*\+\s*\$?[^\n]{0,12}shellid\s*\[\s*13\s*\]/ nocase
        $comspec = /env:comspec\s*\[\s*4\s*,\s*(15|24|26)\s*,\s*25\s*\]/ nocase
        $pshome = /pshome\s*\[\s*(4|21)\s*\]\s*\+\s*\$?[^\n]{0,12}pshome\s*\[\s*(30|34)\s*\]/ nocase
        $fmt_iex = /\b(iex|invoke-expression)\s*\(?\s*\(*\s*["'](\{\d{1,4}\}){12}/ nocase
    condition:
        file_type != "document" and filesize < 8MB and any of them
}

// Base64 handed straight to Invoke-Expression, or a SecureString blob (exported with a key:
// the fixed header 76492d1116743f0423413b16050a5345) turned back into text and run.
rule powershell_decoded_iex
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell that runs code it decodes from base64 or from a key-encrypted SecureString"
    strings:
        $b64_iex = /\b(iex|invoke-expression)\s*\(?\s*\(?\s*\[(system\.)?text\.encoding\]\s*::\s*(utf8|unicode|ascii|default|utf32)\s*\.getstring\s*\(\s*\[(system\.)?convert\]\s*::\s*frombase64string\s*\(/ nocase
        $ss_header = "76492d1116743f0423413b16050a5345" nocase
        $ss_bstr = /securestringtobstr|ptrtostringauto|ptrtostringbstr|ptrtostringuni/ nocase
        $ss_convert = /convertto-securestring|securestringtobstr/ nocase
        $run = /(\b(iex|invoke-expression)\b|\.invoke\s*\(|\[scriptblock\]::create)/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        ($b64_iex or ($ss_header and $ss_bstr and $ss_convert and $run))
}

// An assembly loaded from base64 in memory ([Reflection.Assembly]::Load of FromBase64String,
// member names quoted or invoked as Invoke-Obfuscation writes them).
rule powershell_reflective_assembly
{
    meta:
        severity = "high"
        attack = "T1620,T1140,T1059.001"
        description = "PowerShell that loads a .NET assembly from base64 in memory ([Reflection.Assembly]::Load of FromBase64String)"
    strings:
        // the decoded bytes may be cast again ([byte[]][Convert]::FromBase64String(...))
        $load = /\[(system\.)?reflection\.assembly\]\s*::\s*["']?load["']?\s*\(\s*\(?\s*(\[byte\[\]\]\s*)?\[(system\.)?convert\]\s*::\s*(["']?frombase64string["']?|\(\s*["']frombase64string["']\s*\)\s*\.invoke)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 16MB and $load
}

// HTTP through COM objects created by CLSID ([type]::GetTypeFromCLSID), so that no ProgID such
// as Msxml2.XMLHTTP or ADODB.Stream is written: the answer saved to a file or run.
rule powershell_com_clsid_download
{
    meta:
        severity = "high"
        attack = "T1105,T1027,T1059.001"
        description = "PowerShell that makes HTTP requests through COM objects created by CLSID and saves or runs the answer"
    strings:
        $clsid = /\[type\]\s*::\s*gettypefromclsid\s*\(/ nocase
        $create = /\[activator\]\s*::\s*createinstance\s*\(/ nocase
        $open = /\.open\s*\(\s*["'](get|post)["']/ nocase
        $answer = /\.(responsebody|responsetext)\b/ nocase
        $use = /\.savetofile\s*\(|\b(iex|invoke-expression)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $clsid and $create and $open and $answer and $use
}

// The other way to carry an assembly: the bytes in a long base64 literal, decoded (and often
// inflated) into a variable that [Reflection.Assembly]::Load gets: SharpSploit-style wrappers
// of C# tools (Seatbelt, SharpChromium, SharpSSH...). Modules that load an assembly from a
// file on disk have no long base64 run.
rule powershell_embedded_assembly_load
{
    meta:
        severity = "high"
        attack = "T1620,T1027,T1140"
        description = "PowerShell that carries a .NET assembly as a long base64 literal and loads it in memory ([Reflection.Assembly]::Load of the decoded bytes)"
    strings:
        $load = /\[(system\.)?reflection\.assembly\]\s*::\s*load\s*\(\s*\$[a-z_]/ nocase
        $b64 = /frombase64string/ nocase
    condition:
        file_type != "document" and filesize < 16MB and $load and $b64 and encoded_b64 >= 4096
}

// Post-exploitation classes: each rule asks for the combination of .NET or COM uses that
// together are the behaviour (ATT&CK id first, then T1059.001: the code is PowerShell), not for
// a tool's name. Written for the raw text (cmdlet and type names as PowerShell spells them).

// Password guessing: a logon tried inside a loop over users, passwords or hosts, with the
// user and the password as variables (spraying one password over many users, brute force of
// one account, a credential checked across hosts): PrincipalContext.ValidateCredentials, an
// LDAP bind through DirectoryEntry, or a share mapped with WScript.Network.
rule powershell_password_guessing
{
    meta:
        severity = "high"
        attack = "T1110.001,T1110.003,T1059.001"
        description = "PowerShell that tries logons in a loop over user names or passwords (ValidateCredentials, a DirectoryEntry bind or a mapped share with each pair): password guessing or spraying"
    strings:
        $loop = /\bforeach\s*\(\s*\$[a-z0-9_]+\s+in\s+\$[a-z0-9_]+/ nocase
        $validate = /\.ValidateCredentials\s*\(\s*\$[a-z0-9_]*(user|name|account|acct)[a-z0-9_]*\s*,\s*\$[a-z0-9_]*(pass|pw)[a-z0-9_]*\s*\)/ nocase
        $bind = /DirectoryServices\.DirectoryEntry\s*\(\s*\$[a-z0-9_]+\s*,\s*\$[a-z0-9_]*(user|name|account)[a-z0-9_]*\s*,\s*\$[a-z0-9_]*(pass|pw)[a-z0-9_]*\s*\)/ nocase
        $map = /\.MapNetworkDrive\s*\([^\n]{0,120},\s*\$[a-z0-9_]*(user|name|account)[a-z0-9_]*\s*,\s*\$[a-z0-9_]*(pass|pw)[a-z0-9_]*\s*\)/ nocase
        // the candidates: a list of passwords or users, or the user names as passwords
        $list = /\$[a-z0-9_]*(pass|pw|user|name)[a-z0-9_]*(list|s)\b|\bGet-Content\b|UserNameAsPassword/ nocase
    // the logon inside the loop: a check within 3000 bytes after a foreach (a web framework
    // that checks one user's logon somewhere and loops elsewhere is no guessing)
    condition:
        file_type != "document" and filesize < 4MB and $list and
        for any i in (1..#loop) : (
            for any of ($validate, $bind, $map) : ($ in (@loop[i]..@loop[i] + 3000)))
}

// Clipboard collection: the clipboard read again and again (a TextBox's Paste, the Forms
// clipboard or Get-Clipboard inside a loop that sleeps), not once as a helper does.
rule powershell_clipboard_capture
{
    meta:
        severity = "medium"
        attack = "T1115,T1059.001"
        description = "PowerShell that reads the clipboard over and over in a loop that sleeps (clipboard monitoring)"
    strings:
        $read1 = /\$[a-z0-9_]+\.Paste\s*\(\s*\)/ nocase
        $textbox = /Windows\.Forms\.TextBox\b/ nocase
        $read2 = /Windows\.Forms\.Clipboard\]\s*::\s*GetText\s*\(/ nocase
        $read3 = /\bGet-Clipboard\b/ nocase
        $loop = /\b(for\s*\(\s*;\s*;\s*\)|while\s*\(\s*\$true\s*\)|do\s*\{)/ nocase
        $sleep = /\bStart-Sleep\b|Threading\.Thread\]\s*::\s*Sleep\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and
        (($read1 and $textbox) or $read2 or $read3) and $loop and $sleep
}

// Screen capture carried away as text: the screen copied into a bitmap that is encoded to
// base64 (what an agent sends back); tools.yar has the capture in a loop or to a socket.
rule powershell_screen_capture_encoded
{
    meta:
        severity = "medium"
        attack = "T1113,T1059.001"
        description = "PowerShell that copies the screen into a bitmap and encodes the image as base64 text"
    strings:
        $screen = /\.CopyFromScreen\s*\(/ nocase
        $bitmap = /Drawing\.Bitmap\b/ nocase
        $save = /\.Save\s*\(\s*\$[a-z0-9_]+\s*,/ nocase
        $b64 = /\bToBase64String\s*\(\s*\$[a-z0-9_]+\.ToArray\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $screen and $bitmap and $save and $b64
}

// LAPS passwords read in bulk: every computer object of the directory searched and the
// ms-Mcs-AdmPwd attribute (the managed local administrator's password) read from each.
rule powershell_laps_password_dump
{
    meta:
        severity = "high"
        attack = "T1552,T1059.001"
        description = "PowerShell that searches the directory for computer objects and reads each one's LAPS password (ms-Mcs-AdmPwd)"
    strings:
        $attr = /["']ms-mcs-admpwd["']/ nocase
        $searcher = /DirectoryServices\.DirectorySearcher\b|\[adsisearcher\]/ nocase
        $computers = /objectCategory=computer|objectClass=computer|ms-mcs-admpwdexpirationtime=\*/ nocase
        $each = /\.FindAll\s*\(\s*\)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $attr and $searcher and $computers and $each
}

// Saved passwords decrypted with a key written into the script: a base64 password from a
// file decoded and decrypted with a literal key (bytes or a hashed literal), the way Group
// Policy Preferences (cpassword), McAfee SiteList.xml and other products' stored passwords
// fall to their published keys.
rule powershell_fixed_key_password_decrypt
{
    meta:
        severity = "high"
        attack = "T1552.001,T1059.001"
        description = "PowerShell that decodes a stored password from base64 and decrypts it with a key written into the script (a product's published key)"
    strings:
        $b64 = /FromBase64String\s*\(\s*\$[a-z0-9_]*(pass|pw|cpass)[a-z0-9_]*\s*\)/ nocase
        $dec = /\.CreateDecryptor\s*\(/ nocase
        $cipher = /Cryptography\.(TripleDESCryptoServiceProvider|AesCryptoServiceProvider|AesManaged|RijndaelManaged|DESCryptoServiceProvider)\b/ nocase
        $keybytes = /=\s*(\[byte\[\]\]\s*)?@?\(?\s*(0x[0-9a-f]{1,2}\s*,\s*){15}0x[0-9a-f]{1,2}/ nocase
        $keyhash = /\.ComputeHash\s*\(\s*\$[a-z0-9_]+\.GetBytes\s*\(\s*["'][^"'\n]{4,64}["']\s*\)\s*\)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $b64 and $dec and $cipher and ($keybytes or $keyhash)
}

// An encrypted HTTP stager: data posted and fetched with WebClient's UploadData/DownloadData,
// the answer decrypted (AES) and the text it gives run with Invoke-Expression: the agent
// delivered by its server over HTTP (Empire's and similar frameworks' launch stages).
rule powershell_encrypted_http_stager
{
    meta:
        severity = "high"
        attack = "T1071.001,T1573.001,T1105,T1059.001"
        description = "PowerShell that exchanges data with a server through WebClient UploadData/DownloadData, decrypts what it gets and runs it with Invoke-Expression"
    strings:
        $wc = /Net\.WebClient\b/ nocase
        $xfer = /\.(UploadData|DownloadData)\s*\(/ nocase
        $dec = /\.CreateDecryptor\s*\(/ nocase
        $run = /\b(iex|invoke-expression)\s*\(?\s*\(?\s*\$[a-z0-9_]+\.GetString\s*\(\s*\$[a-z0-9_]+/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $wc and $xfer and $dec and $run
}

// Shellcode run through the JIT: a dynamic assembly whose method body is emitted with MSIL
// opcodes that copy bytes over a compiled method (cpblk) or call a raw pointer (calli), so no
// VirtualAlloc or CreateThread is needed.
rule powershell_msil_shellcode_runner
{
    meta:
        severity = "critical"
        attack = "T1620,T1055,T1059.001"
        description = "PowerShell that emits MSIL (Reflection.Emit) to copy bytes over a JIT-compiled method or call a raw pointer: shellcode run without VirtualAlloc"
    strings:
        $dyn = /DefineDynamicAssembly\s*\(|Reflection\.Emit\.DynamicMethod\b/ nocase
        $il = /\.GetILGenerator\s*\(/ nocase
        $copy = /OpCodes\]\s*::\s*(Cpblk|Calli)\b/ nocase
        // the address of a compiled method, to write over it
        $ptr = /MethodHandle\.GetFunctionPointer\s*\(|PrepareMethod\s*\(|OpCodes\]\s*::\s*Ldftn\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $dyn and $il and $copy and $ptr
}

// Exfiltration to a code repository: local files read, encoded to base64 and written into a
// repository through GitHub's contents API (PUT .../contents/...).
rule powershell_exfiltration_to_code_repository
{
    meta:
        severity = "high"
        attack = "T1567.001,T1059.001"
        description = "PowerShell that walks local files and uploads them base64-encoded into a GitHub repository through its contents API"
    strings:
        $api = /api\.github\.com\/repos\/[^\n]{0,120}\/contents\// nocase
        $put = /-Method\s+["']?Put\b/ nocase
        $b64 = /ToBase64String\s*\(/ nocase
        $files = /\bGet-ChildItem\b|\bGet-Content\b|ReadAllBytes\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $api and $put and $b64 and $files
}

// The Netlogon calls of CVE-2020-1472 (Zerologon) made from a script: a challenge, an
// authentication and a password set through netapi32's I_NetServer* functions, which no
// administration script calls.
rule powershell_netlogon_zerologon
{
    meta:
        severity = "critical"
        attack = "T1210,T1068,T1059.001"
        description = "PowerShell that calls netapi32's I_NetServerReqChallenge, I_NetServerAuthenticate and I_NetServerPasswordSet itself (Zerologon, CVE-2020-1472)"
    strings:
        $dll = /DllImport\s*\(\s*["']netapi32/ nocase
        $chal = /\bI_NetServerReqChallenge\b/ nocase
        $auth = /\bI_NetServerAuthenticate[23]?\b/ nocase
        $set = /\bI_NetServerPasswordSet2?\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $dll and $chal and $auth and $set
}

// A process started with credentials for the network only (runas /netonly):
// CreateProcessWithLogonW with LOGON_NETCREDENTIALS_ONLY, through P/Invoke or PowerShell's own
// private NativeMethods found by reflection.
rule powershell_netonly_logon_process
{
    meta:
        severity = "medium"
        attack = "T1134.002,T1059.001"
        description = "PowerShell that starts a process with other credentials for network use only (CreateProcessWithLogonW with LOGON_NETCREDENTIALS_ONLY)"
    strings:
        $create = /\bCreateProcessWithLogonW\b/ nocase
        $netonly = /LOGON_NETCREDENTIALS_ONLY/ nocase
        $private = /GetMethod\s*\(\s*["']CreateProcessWithLogonW["']\s*,\s*\[Reflection\.BindingFlags\]\s*["']NonPublic/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $create and ($netonly or $private)
}

// SMB1 spoken by hand: a script that builds SMB1 packets (the 0xff 'SMB' header, again and
// again) and sends them over its own TCP socket: MS17-010 exploits and checkers.
rule powershell_handmade_smb1_packets
{
    meta:
        severity = "high"
        attack = "T1210,T1059.001"
        description = "PowerShell that builds SMB1 packets byte by byte and sends them over its own TCP socket (an SMB exploit or probe such as MS17-010, or a relay that answers in SMB1)"
    strings:
        $smb1 = /0xff\s*,\s*0x53\s*,\s*0x4d\s*,\s*0x42\b|\(0xff\)\s*\+\s*\$[a-z0-9_]+\.GetBytes\s*\(\s*["']SMB["']\)/ nocase
        $tcp = /Net\.Sockets\.(TcpClient|Socket)\b/ nocase
        $send = /\.(Send|Write)\s*\(\s*\$[a-z0-9_]+/ nocase
    condition:
        file_type != "document" and filesize < 4MB and #smb1 >= 3 and $tcp and $send
}

// ARP sweep: iphlpapi's SendARP called from a script over a range of addresses, to find the
// live hosts of a subnet without ping.
rule powershell_arp_sweep
{
    meta:
        severity = "medium"
        attack = "T1018,T1046,T1059.001"
        description = "PowerShell that imports iphlpapi's SendARP and sends ARP requests to a range of addresses (host discovery)"
    strings:
        $dll = /DllImport\s*\(\s*["']iphlpapi/ nocase
        $arp = /\bSendARP\s*\(/ nocase
        $range = /\bfor\s*\(\s*\$[a-z0-9_]+\s*=[^;\n]{1,40};\s*\$[a-z0-9_]+\s+-l[te]\s/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $dll and $arp and $range
}

// A script downloaded into a variable and that variable run, however many lines apart (the
// text maybe re-encoded to base64 and decoded on the way): a loader of remote scripts.
rule powershell_download_to_variable_iex
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001"
        description = "a small PowerShell script that downloads a string into a variable and runs a variable with Invoke-Expression"
    strings:
        $ds = /\$[a-z0-9_]+\s*=\s*\$[a-z0-9_]+\.DownloadString\s*\(/ nocase
        $iex = /(^|[;{(\s])(iex|invoke-expression)\s+(-command\s+)?\$[a-z0-9_]+\s*($|[;})\r\n])/ nocase
    condition:
        file_type != "document" and filesize < 64KB and $ds and $iex
}

// A machine account added with a password of the script's choosing (an LDAP AddRequest with
// unicodePwd) where the machine account quota lets any user do it: the first step of
// resource-based constrained delegation and ADIDNS attacks.
rule powershell_machine_account_quota_abuse
{
    meta:
        severity = "high"
        attack = "T1136.002,T1098,T1059.001"
        description = "PowerShell that adds a computer account with its own password through an LDAP AddRequest (unicodePwd), relying on ms-DS-MachineAccountQuota"
    strings:
        $quota = /ms-DS-MachineAccountQuota/ nocase
        $add = /DirectoryServices\.Protocols\.AddRequest\b/ nocase
        $pwd = /["']unicodePwd["']/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $quota and $add and $pwd
}

// Outlook's guard against programs that read or send mail turned off in the registry
// (ObjectModelGuard, PromptOOMSend, AdminSecurityMode) by a script that drives Outlook
// through MAPI: mailbox searching and mail sent without the user's prompt.
rule powershell_outlook_guard_disabled
{
    meta:
        severity = "high"
        attack = "T1114.001,T1112,T1059.001"
        description = "PowerShell that drives Outlook through MAPI and sets the Outlook security keys (ObjectModelGuard, PromptOOMSend) so that programmatic access is not prompted"
    strings:
        $outlook = /Outlook\.Application\b/ nocase
        $mapi = /\.GetNamespace\s*\(\s*["']MAPI["']\s*\)/ nocase
        $guard = /\b(ObjectModelGuard|PromptOOMSend|PromptOOMAddressBookAccess|PromptOOMAddressInformationAccess)\b/ nocase
        $set = /\b(New-ItemProperty|Set-ItemProperty)\b[^\n]{0,120}\b(ObjectModelGuard|PromptOOM[a-z]+|AdminSecurityMode)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $outlook and $mapi and $guard and $set
}

// Browser history and bookmarks of several browsers read and searched for addresses.
rule powershell_browser_history_collection
{
    meta:
        severity = "medium"
        attack = "T1217,T1059.001"
        description = "PowerShell that reads the history or bookmarks of more than one browser (Chrome's History, Firefox's places.sqlite, IE's TypedURLs) and extracts the addresses"
    strings:
        $chrome = /Google\\+Chrome\\+User Data\\+Default\\+(History|Bookmarks)\b/ nocase
        $firefox = /places\.sqlite/ nocase
        $ie = /Internet Explorer\\+TypedURLs|Favorites\\/ nocase
        $url = /htt\(?p\|?s\)?\??\)?:\/\/|https?:\/\/\[|\(htt\(p\|s\)\)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and 2 of ($chrome, $firefox, $ie) and $url
}

// Looking for unpatched local privilege escalation: many bulletins or CVEs, each with the
// version of a system file compared against the fixed one (Sherlock-style checks).
rule powershell_missing_patch_privesc_check
{
    meta:
        severity = "medium"
        attack = "T1082,T1068,T1059.001"
        description = "PowerShell that checks the versions of system files against a list of local privilege escalation bulletins or CVEs (a search for exploitable missing patches)"
    strings:
        $bulletin = /\b(MS1[0-9]-0[0-9]{2}|CVE-20[0-9]{2}-[0-9]{4,5})\b/ nocase
        $version = /\.VersionInfo\b/ nocase
        $sysfile = /\\(win32k|ntoskrnl|win32kfull|tcpip|afd|mrxdav|atmfd|seclogon|schedsvc|ci|clfs|ntfs)\.(sys|dll)\b/ nocase
        $vulnerable = /["']?(Appears )?Vulnerable["']?/ nocase
    condition:
        file_type != "document" and filesize < 4MB and #bulletin >= 8 and $version and #sysfile >= 3 and $vulnerable
}

// Browser logins decrypted from PowerShell: the store (tools.yar's browser_credential_theft
// reads it in any language) and the decryption reached through PowerShell's own ways to call
// native code or .NET (Add-Type, a dynamic assembly's P/Invoke, [Security.Cryptography.ProtectedData]).
rule powershell_browser_credential_theft
{
    meta:
        severity = "high"
        attack = "T1555.003,T1059.001"
        description = "PowerShell that reads a browser's saved-login store (Login Data, logins.json, key4.db) and decrypts it through Add-Type, a dynamic P/Invoke or ProtectedData"
    strings:
        $store = /(\\|\/|["'])(Login Data|logins\.json|key[34]\.db|signons\.sqlite)["'\\\/]/ nocase
        $dec = /(ProtectedData\]?\s*::\s*Unprotect|CryptUnprotectData|PK11SDR_Decrypt|NSS_Init|AesGcm|BCryptDecrypt)/ nocase
        $ps = /\bAdd-Type\b|DefineDynamicAssembly\s*\(|DllImportAttribute\]|\[(System\.)?Security\.Cryptography\.ProtectedData\]/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $store and $dec and $ps
}

// PowerShell written with special characters only (Invoke-Obfuscation's special-character
// encoding): variables named by punctuation inside ${...}, the first set to +$() (zero) and the
// next ones counted up with ++, from which the character codes of the real command are built.
rule powershell_special_character_encoding
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell made of special characters only: ${...} variables counted up from +$() with ++ to build the codes of a hidden command"
    strings:
        $zero = /\$\{[^}\n]{1,12}\}\s*=\s*\+\s*\$\(\s*\)\s*;/
        $count = /\$\{[^}\n]{1,12}\}\s*=\s*\+\+\s*\$\{[^}\n]{1,12}\}/
    condition:
        file_type != "document" and filesize < 8MB and $zero and #count >= 6
}

// The desktop wallpaper replaced by a picture the script carries or fetches (what ransomware
// does with its note, and defacement: ATT&CK names the wallpaper under T1491.001):
// SystemParametersInfo with SPI_SETDESKWALLPAPER (20) over an image decoded from base64 or
// downloaded, not a picture already on the machine.
rule powershell_wallpaper_defacement
{
    meta:
        severity = "medium"
        attack = "T1491.001,T1059.001"
        description = "PowerShell that writes an image it carries in base64 or downloads and makes it the desktop wallpaper (SystemParametersInfo SPI_SETDESKWALLPAPER)"
    strings:
        $spi = /\bSystemParametersInfo[AW]?\b/ nocase
        $wall = /SPI_SETDESKWALLPAPER|SetDesktopWallpaper\s*=\s*(20|0x14)\b|SystemParametersInfo[AW]?\s*\(\s*(20|0x14)\s*,/ nocase
        $image = /FromBase64String\s*\(\s*\$[a-z0-9_]*(wall|image|img|pic|data)[a-z0-9_]*\s*\)|\.DownloadFile\s*\(|\b(iwr|Invoke-WebRequest)\b[^\n]{0,200}-OutFile\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $spi and $wall and $image
}

// WDigest made to keep logon passwords in clear text again (UseLogonCredential set under
// SecurityProviders\WDigest), so that the next logon's password can be read from LSASS memory.
rule powershell_wdigest_cleartext_enable
{
    meta:
        severity = "high"
        attack = "T1112,T1003.001,T1059.001"
        description = "PowerShell that sets WDigest's UseLogonCredential so that Windows keeps logon passwords in clear text in LSASS memory"
    strings:
        $key = /SecurityProviders\\+WDigest/ nocase
        $value = /UseLogonCredential/ nocase
        $set = /(Set-ItemProperty|New-ItemProperty|\breg(\.exe)?\s+add\s|\.SetValue\s*\(|\.SetDWORDValue\s*\()/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $key and $value and $set
}

// A payload started on another host through WMI (Win32_Process's Create with a computer name
// or a session to it): lateral movement and remote execution. Administrators start commands
// that way too, so the command must be a payload.
rule powershell_remote_wmi_process_create
{
    meta:
        severity = "medium"
        attack = "T1047,T1059.001"
        description = "PowerShell that starts an encoded PowerShell, a download cradle or a program it copied there on another host through WMI (Win32_Process Create with -ComputerName, a CIM session or a \\\\host\\root\\cimv2 path)"
    strings:
        $wmi_a = /(Invoke-WmiMethod|Invoke-CimMethod)[^\n]{0,300}Win32_Process[^\n]{0,300}-(ComputerName|CimSession)\s/ nocase
        $wmi_b = /(Invoke-WmiMethod|Invoke-CimMethod)[^\n]{0,300}-(ComputerName|CimSession)\s[^\n]{0,300}Win32_Process/ nocase
        $wmiclass = /\[wmiclass\][^\n]{0,40}["']\\\\\$?[^\\"'\n]{1,80}\\+root\\+cimv2:win32_process["']/ nocase
        $create = /(-Name|-MethodName)\s+["']?Create\b|\.Create\s*\(/ nocase
        // what is started: an encoded PowerShell command, a download run in memory, or a
        // program the script copied to the host's administrative share (an administrator's
        // remote netstat or cleanup is none of these)
        $encoded = /powershell(\.exe)?["']?\s[^\n]{0,80}-(e|ec|enc|encodedcommand)\s+["']?\$?[a-z0-9+\/=_]/ nocase
        $cradle = /\b(iex|invoke-expression)\b[^\n]{0,120}\.downloadstring\s*\(/ nocase
        $copied = /Copy-Item\b[^\n]{0,200}\\\\\$?[^\\\n"']{1,80}\\(c|admin)\$\\/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($wmi_a or $wmi_b or $wmiclass) and $create and
        ($encoded or $cradle or $copied)
}

// A service made and started on another host through the service control manager (PsExec
// done from a script): OpenSCManager given a host, CreateService, StartService; or sc.exe
// pointed at \\host to create a service.
rule powershell_remote_service_creation
{
    meta:
        severity = "high"
        attack = "T1569.002,T1021.002,T1059.001"
        description = "PowerShell that creates and starts a service on another host through its service control manager (OpenSCManager of a host, CreateService, StartService): PsExec-style remote execution"
    strings:
        $scm = /OpenSCManager[AW]?\s*\(\s*["']?\$[a-z_]*(computer|host|target|server|machine|name)/ nocase
        $create = /\bCreateService[AW]?\b/ nocase
        $start = /\bStartService[AW]?\b/ nocase
        $sc = /\bsc(\.exe)?["']?\s+["']?\\\\\$?[^\s"'\\]{1,80}["']?\s+create\s/ nocase
        $sc_start = /\bsc(\.exe)?["']?\s+["']?\\\\\$?[^\s"'\\]{1,80}["']?\s+start\s/ nocase
    condition:
        file_type != "document" and filesize < 4MB and
        (($scm and $create and $start) or ($sc and $sc_start))
}

// The local kernel debugger (kd -kl, with the boot's debug switch on) driven by a script that
// finds a process's EPROCESS (!process 0 0 name) and writes kernel memory (eq, ed, eb): a
// token copied from SYSTEM, a process unlinked from the list or given protection.
rule powershell_kernel_debugger_memory_write
{
    meta:
        severity = "high"
        attack = "T1134,T1014,T1059.001"
        description = "PowerShell that drives the local kernel debugger to find processes and write kernel memory (a token stolen, a process hidden or protected)"
    strings:
        $kd = /\\(kd|livekd)\.exe\b|["'](kd|livekd)(\.exe)?["']|\bkd(\.exe)?\s+-kl\b/ nocase
        $process = /!process\s+0\s+0\b/ nocase
        // eq/ed/eb ADDRESS VALUE, or f ADDRESS [L4] BYTES (fill), the address in a variable (not
        // PowerShell's own -eq $x)
        $write = /[^-a-z0-9_](eq|ed|eb|ew) \$[a-z_]/ nocase
        $fill = /[^-a-z0-9_]f \$[a-z_][a-z0-9_+]* (L[0-9a-f]+ |\$|0x)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $kd and $process and ($write or $fill)
}

// Active Directory searched for what an attacker looks for: accounts without Kerberos
// pre-authentication or with delegation (userAccountControl bits, msDS-AllowedToDelegateTo),
// accounts with SPNs, protected (adminCount=1) accounts, domain trusts; three or more of these
// queries in one script that searches the directory.
rule powershell_ad_attack_path_queries
{
    meta:
        severity = "medium"
        attack = "T1087.002,T1482,T1059.001"
        description = "PowerShell that searches Active Directory for attack paths: three or more of accounts with delegation or no pre-authentication, accounts with SPNs, adminCount=1 accounts and domain trusts"
    strings:
        $searcher = /DirectoryServices\.DirectorySearcher\b|\[adsisearcher\]|-LDAPFilter\b/ nocase
        $f_deleg = /1\.2\.840\.113556\.1\.4\.803:=(524288|16777216|4194304)\b|msds-allowedtodelegateto=\*|msds-allowedtoactonbehalfofotheridentity=\*/ nocase
        $f_flags = /(DONT_REQ(UIRE)?_PREAUTH|TRUSTED_FOR_DELEGATION)["']?\s*[,=]\s*(4194304|524288)\b/ nocase
        $f_spn = /serviceprincipalname=\*/ nocase
        $f_admin = /admincount=1/ nocase
        $f_trust = /objectclass=trusteddomain/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $searcher and 3 of ($f_*)
}

// Local privilege escalation looked for: two or more of the classic checks in one script
// (AlwaysInstallElevated, service paths without quotes, service or task binaries that
// ordinary users may write, unattended-install files that keep passwords).
rule powershell_local_privesc_checks
{
    meta:
        severity = "medium"
        attack = "T1082,T1574.009,T1574.010,T1059.001"
        description = "PowerShell that checks a machine for local privilege escalation paths (AlwaysInstallElevated, unquoted service paths, service binaries users may modify, unattended-install passwords)"
    strings:
        $elevated = /AlwaysInstallElevated/ nocase
        $unquoted = /unquoted/ nocase
        $service = /Win32_Service\b|\\Services\\|Get-Service\b|ServiceController\b/ nocase
        $acl = /(Get-Acl\b|GetAccessControl\s*\(|icacls\b)/ nocase
        $who = /["'](Everyone|BUILTIN\\+Users|NT AUTHORITY\\+Authenticated Users|Authenticated Users)["']|\bModifiablePath\b/ nocase
        $right = /\b(FullControl|WriteData|AppendData|ChangePermissions|TakeOwnership)\b/
        $unattend = /\b(Unattend(ed)?\.xml|sysprep\.(xml|inf))\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        // two of: AlwaysInstallElevated; unquoted service paths; writable service binaries;
        // unattended-install files
        (($elevated and (($unquoted and $service) or ($acl and $who and $right and $service) or
                         $unattend)) or
         ($unquoted and $service and (($acl and $who and $right) or $unattend)) or
         ($acl and $who and $right and $service and $unattend))
}

// PowerShell's own logging turned off from inside: the cached Group Policy settings changed so
// that script block or module logging reads as disabled, or the ETW provider that writes the
// PowerShell event log switched off (PSEtwLogProvider's etwProvider, m_enabled).
rule powershell_logging_tampering
{
    meta:
        severity = "high"
        attack = "T1562.002,T1562.006,T1059.001"
        description = "PowerShell that disables its own script block or module logging (cachedGroupPolicySettings) or its ETW event provider (PSEtwLogProvider)"
    strings:
        $gpo = /cachedGroupPolicySettings/ nocase
        $logging = /ScriptBlockLogging|EnableScriptBlockLogging|ModuleLogging|EnableModuleLogging/ nocase
        $etw = /PSEtwLogProvider/ nocase
        $etw_field = /etwProvider|m_enabled/ nocase
        $private = /NonPublic/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $private and
        (($gpo and $logging) or ($etw and $etw_field))
}

// A program loaded in memory from a byte array written into the script (the bytes start with
// 77, 90: MZ), not read from a file.
rule powershell_inline_pe_assembly_load
{
    meta:
        severity = "high"
        attack = "T1620,T1059.001"
        description = "PowerShell that loads a .NET assembly in memory from a byte array written into the script (MZ header)"
    strings:
        $load = /\[(system\.)?reflection\.assembly\]\s*::\s*["']?load["']?\s*\(\s*\(?\s*\[byte\[\]\]\s*@?\(\s*(77|0x4d)\s*,\s*(90|0x5a)\s*,/ nocase
    condition:
        file_type != "document" and filesize < 16MB and $load
}

// SQL Server made to run operating-system commands: xp_cmdshell turned on with sp_configure
// and called, from a script that connects to the server itself.
rule powershell_sql_xp_cmdshell
{
    meta:
        severity = "high"
        attack = "T1505.001,T1059.003,T1059.001"
        description = "PowerShell that connects to SQL Server, turns on xp_cmdshell with sp_configure and runs operating-system commands through it"
    strings:
        $client = /Data\.SqlClient\.SqlConnection\b|\bInvoke-Sqlcmd\b|\bsqlcmd(\.exe)?\s/ nocase
        $enable = /sp_configure\s+["']?xp_cmdshell["']?\s*,\s*["']?1\b/ nocase
        $exec = /\b(exec(ute)?\s+)?(master\.\.|master\.dbo\.)?xp_cmdshell\s+["'N]/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $client and $enable and $exec
}

// A payload carried to another host through WMI alone: written base64-encoded into a registry
// value with StdRegProv, and a process started through Win32_Process Create that reads the
// value back, decodes and runs it (no SMB, no WinRM).
rule powershell_wmi_registry_payload
{
    meta:
        severity = "high"
        attack = "T1047,T1112,T1059.001"
        description = "PowerShell that stores a payload in a remote registry value through WMI's StdRegProv and starts a process there that reads and runs it"
    strings:
        $reg = /StdRegProv/ nocase
        $set = /Set(String|Binary)Value/ nocase
        $get = /Get(String|Binary)Value/ nocase
        $proc = /Win32_Process/ nocase
        $create = /(-Name|-MethodName)\s+["']?Create\b|\.Create\s*\(/ nocase
        $b64 = /FromBase64String\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $reg and $set and $get and $proc and $create and $b64
}

// A Windows debugger used to start a program: a command file (ntsd.ini, which ntsd reads at
// start, or a script given with -cf) written with the .shell command that runs a command line,
// so the program starts as the debugger's child (a signed binary as a proxy).
rule powershell_debugger_proxy_execution
{
    meta:
        severity = "high"
        attack = "T1127,T1059.001"
        description = "PowerShell that writes a debugger command file with .shell (ntsd.ini or cdb/ntsd -cf) to have the debugger start a command"
    strings:
        $shell = /["']\.shell\b/ nocase
        $ini = /ntsd\.ini\b/ nocase
        $cf = /\b(ntsd|cdb)(\.exe)?["']?\s[^\n]{0,80}-cf\s/ nocase
        $write = /\b(Out-File|Set-Content|Add-Content)\b|WriteAllText\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $shell and ($ini or $cf) and $write
}

// A security support provider installed: a DLL copied into System32 and its name added to the
// LSA's "Security Packages" value, so that lsass loads it at the next start (and sees every
// logon's password). Reading the value alone is no install.
rule powershell_security_package_install
{
    meta:
        severity = "high"
        attack = "T1547.005,T1059.001"
        description = "PowerShell that adds a DLL to the LSA's Security Packages and copies it into System32 (a security support provider that lsass loads)"
    strings:
        $lsa = /Control\\+Lsa\b/ nocase
        $packages = /["']Security Packages["']/ nocase
        $set = /\b(Set-ItemProperty|New-ItemProperty)\b|\.SetValue\s*\(|\breg(\.exe)?\s+add\b/ nocase
        $copy = /\bCopy-Item\b|\[(System\.)?IO\.File\]\s*::\s*Copy\s*\(/ nocase
        $system32 = /System32/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $lsa and $packages and $set and $copy and
        $system32
}

// The clipboard's history read, every item copied before (Windows 10's clipboard history
// through WinRT), not the current text alone.
rule powershell_clipboard_history
{
    meta:
        severity = "medium"
        attack = "T1115,T1059.001"
        description = "PowerShell that reads the clipboard's history (every item copied before) through WinRT's Clipboard.GetHistoryItemsAsync"
    strings:
        $history = /DataTransfer\.Clipboard\]\s*::\s*GetHistoryItemsAsync\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $history
}

// AMSI sidestepped by a DLL search-order hijack: a fake amsi.dll written beside a copy of
// powershell.exe taken out of System32, which is then started from there.
rule powershell_amsi_dll_hijack
{
    meta:
        severity = "high"
        attack = "T1562.001,T1574.001,T1059.001"
        description = "PowerShell that writes a fake amsi.dll beside a copy of powershell.exe so that the copy loads it instead of Windows' AMSI"
    strings:
        $write_amsi = /(WriteAllBytes|Out-File|Set-Content|Copy-Item)\b[^\n]{0,120}\bamsi\.dll\b/ nocase
        $copy_ps = /\bCopy-Item\b[^\n]{0,160}\\WindowsPowerShell\\+v1\.0\\+powershell\.exe\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $write_amsi and $copy_ps
}

// UAC bypass by a per-user class hijack: the open command of a class that an auto-elevating
// Windows program looks up first in HKCU (ms-settings for fodhelper and computerdefaults,
// mscfile for eventvwr and compmgmtlauncher, exefile or Folder for sdclt) set to the
// script's command, and that program started, which then runs the command elevated.
rule powershell_uac_bypass_class_hijack
{
    meta:
        severity = "high"
        attack = "T1548.002,T1112,T1059.001"
        description = "PowerShell that sets a per-user shell\\open\\command of ms-settings, mscfile, exefile or Folder and starts an auto-elevating program that runs it (UAC bypass)"
    strings:
        $hijack = /(HKCU:|HKEY_CURRENT_USER|CurrentUser)[^\n]{0,40}\\+Classes\\+(ms-settings|mscfile|exefile|Folder|Launcher\.SystemSettings)\\+shell\\+open\\+command/ nocase
        $autoelevate = /\b(fodhelper|eventvwr|sdclt|computerdefaults|compmgmtlauncher|wsreset|slui|changepk)(\.exe)?\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $hijack and $autoelevate
}

// Persistence through a permanent WMI event subscription: an __EventFilter (the trigger), a
// consumer that runs a command or a script, and the __FilterToConsumerBinding that ties them.
rule powershell_wmi_event_subscription
{
    meta:
        severity = "high"
        attack = "T1546.003,T1059.001"
        description = "PowerShell that creates a permanent WMI event subscription (an __EventFilter bound to a CommandLine or ActiveScript consumer)"
    strings:
        $filter = /__EventFilter\b/ nocase
        $consumer = /\b(CommandLineEventConsumer|ActiveScriptEventConsumer)\b/ nocase
        $binding = /__FilterToConsumerBinding\b/ nocase
        $create = /\b(Set-WmiInstance|New-CimInstance|Set-CimInstance)\b|\.CreateInstance\s*\(|\.Put\s*\(|\[wmiclass\]/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $filter and $consumer and $binding and
        $create
}

// Files encrypted for ransom: a folder walked recursively with the system's own files kept
// out (*.exe, *.dll, *.sys: the machine must still boot to pay), each file encrypted and the
// original removed.
rule powershell_ransomware_file_encryption
{
    meta:
        severity = "critical"
        attack = "T1486,T1059.001"
        description = "PowerShell that walks folders recursively skipping system files (*.exe, *.dll, *.sys), encrypts each file and deletes the original (ransomware)"
    strings:
        $encrypt = /\.CreateEncryptor\s*\(/ nocase
        $walk = /\bGet-ChildItem\b[^\n]{0,160}-Recurse\b|\bgci\b[^\n]{0,160}-Recurse\b|EnumerateFiles\s*\([^\n]{0,160}AllDirectories/ nocase
        $skip = /["']\*\.(exe|dll|sys|msi)["']\s*,\s*["']\*\.(exe|dll|sys|msi|ini)["']/ nocase
        $delete = /\bRemove-Item\b|\[(System\.)?IO\.File\]\s*::\s*Delete\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $encrypt and $walk and $skip and $delete
}

// Invoke-Expression reached without its name in the text: through a wildcard that Get-Command
// or Get-Alias resolves (&(gcm i*x), &(get-command i*e-e*n), gal i?x), through a variable
// holding its name or its command ($v = 'Invoke-'+'Expression'; & $v ...), an alias made for it
// (Set-Alias x iex), or the engine's InvokeScript on a variable. Administrators call it by name.
rule powershell_iex_named_indirectly
{
    meta:
        severity = "high"
        attack = "T1027,T1059.001"
        description = "PowerShell that runs code through Invoke-Expression reached by a wildcard command lookup, a variable holding its name, an alias made for it, or the engine's InvokeScript"
    strings:
        $wild = /(get-command|gcm|gal|get-alias)\s+["']?(i|\*)[a-z-]{0,10}[*?][a-z*?-]{0,14}(x|n)["']?\s*\)/ nocase
        $wild_set = /\$\w{1,40}\s*=\s*\(?\s*(get-command|gcm|gal|get-alias)\s+["']?(i|\*)[a-z-]{0,10}[*?][a-z*?-]{0,14}(x|n)["']?\s*\)?\s*[\r\n;]/ nocase
        $name_set = /\$\w{1,40}\s*=\s*\(?\s*((get-command|gcm)\s+)?["'](iex|invoke-expression)["']\s*\)?\s*[\r\n;]/ nocase
        $alias = /\b(set-alias|new-alias|sal|nal)\s+(-name\s+)?["']?[a-z0-9_-]{1,40}["']?\s+(-value\s+)?["']?(iex|invoke-expression)["']?\s*[\r\n;]/ nocase
        $engine_set = /\$\w{1,40}\s*=\s*\$executioncontext\.invokecommand\s*[\r\n;]/ nocase
        $engine_run = /\$\w{1,40}\.invokescript\s*\(\s*\$/ nocase
        // InvokeScript(useLocalScope, scriptBlock, ...) with $true/$false first is how frameworks
        // (PSFramework, dbatools) run the script blocks they were given, and so is a lone
        // $ScriptBlock parameter: not a name hidden
        $engine_direct = /\$executioncontext\.invokecommand\.invokescript\s*\(\s*\$/ nocase
        $engine_framework = /\$executioncontext\.invokecommand\.invokescript\s*\(\s*\$(true|false|scriptblock)\s*[,)]/ nocase
        // (&|\.), not [&.]: YARA took the class for a one-byte atom, tried at every dot
        $call_var = /(^|[\s;(|])(&|\.)\s*\$\w{1,40}\s*[\s(]/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        ($wild or $alias or (($wild_set or $name_set) and $call_var) or
         ($engine_set and $engine_run) or ($engine_direct and not $engine_framework))
}

// Code decoded into a variable and then run from it: the decoding is the obfuscation, the
// variable handed to Invoke-Expression or to a script block the signal that it is code. The
// decoders: base64 of a literal turned into text, XOR of bytes, [char] codes written as
// arithmetic (not one code a letter as text would be), or junk taken out of a literal by
// replacing it with nothing ($s = $s.replace('~','')): junk, not a separator ('.', '-', '\\')
// that a build script takes out of a version before it runs a command. In the normalised
// scan a [char[]] of codes has become a literal under -join ($s = -join 'code').
rule powershell_decoded_variable_run
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.001"
        description = "PowerShell that decodes code into a variable (base64 text, XORed bytes, character-code arithmetic, junk replaced out of a literal) and runs the variable with Invoke-Expression or a script block"
    strings:
        $b64 = /\$\w{1,40}\s*=\s*\[(system\.)?text\.encoding\]\s*::\s*\w{1,10}\s*\.getstring\s*\(\s*\[(system\.)?convert\]\s*::\s*frombase64string\s*\(\s*["']/ nocase
        $xor_byte = /\$\w{1,40}\s*\[\s*\$\w{1,10}\s*\]\s*-bxor\s*(0x[0-9a-f]{1,2}|\d{1,3}|\[byte\]\s*\[char\]\s*\$\w{1,40}\s*\[)/ nocase
        $xor_loop = /(%|foreach-object|foreach)\s*\{\s*\[char\]\s*\(\s*\$_\s*-bxor\s*(0x[0-9a-f]{1,2}|\d{1,3}|\$\w{1,40})\s*\)\s*\}/ nocase
        $char_math = /(\[char\]\s*\(\s*(0x[0-9a-f]{1,4}|\d{1,5})\s*[-+*\/]\s*(0x[0-9a-f]{1,4}|\d{1,5})\s*\)\s*\+\s*){8}/ nocase
        $junk_out = /\$\w{1,40}\s*=\s*\(?\s*\$\w{1,40}\s*(\.replace\s*\(\s*["'][~#%@^*|!]{1,3}["']\s*,\s*["']["']\s*\)|-c?replace\s*["'][~#%@^*|!]{1,3}["']\s*,\s*["']["'])/ nocase
        $junk_pair = /\$\w{1,40}\s*=\s*\(?\s*\$\w{1,40}\s*(\.replace\s*\(\s*["'][a-z]{2}["']\s*,\s*["']["']\s*\)|-c?replace\s*["'][a-z]{2}["']\s*,\s*["']["'])/ nocase
        $joined = /\$\w{1,40}\s*=\s*-join\s*["']/ nocase
        $char_list = /(0x[0-9a-f]{1,2}|\d{1,3})(\s*,\s*(0x[0-9a-f]{1,2}|\d{1,3})){15}\s*\|\s*(%|foreach-object|foreach)\s*\{\s*\[char\]\s*\$_\s*\}/ nocase
        $run_iex = /\b(iex|invoke-expression)\s*\(?\s*\$\w{1,40}\s*\)?\s*[\r\n;]/ nocase
        $run_pipe = /\(?\s*\$\w{1,40}\s*\)?\s*\|\s*(iex|invoke-expression)\b/ nocase
        $run_sb = /\[scriptblock\]\s*::\s*create\s*\(\s*\$\w{1,40}\s*\)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and
        ($b64 or $xor_byte or $xor_loop or $char_math or $char_list or $junk_out or $junk_pair or
         ($joined and normalised_changes > 0)) and
        any of ($run*)
}

// Offensive PowerShell by what it does (issue #16): the tool classes red teams carry that no
// rule above names. Tuned on PowerSploit, nishang, Empire's module sources, PowerUpSQL,
// FuzzySecurity's and Arno0x's scripts; checked clean on PowerShell's own scripts, dbatools,
// Pester, PSScriptAnalyzer and lazywinadmin's admin scripts.

// PsExec written in PowerShell calls the service control manager's API itself (P/Invoke,
// Add-Type or delegates from GetProcAddress); admin scripts use Get-Service, sc.exe or
// Win32_Service and never need CreateService.
rule powershell_service_control_api_execution
{
    meta:
        severity = "high"
        attack = "T1569.002,T1021.002,T1059.001"
        description = "PowerShell that calls the service control manager's API itself (OpenSCManager, CreateService, StartService through P/Invoke or function pointers): PsExec-style execution through a service"
    strings:
        $scm = /\bOpenSCManager[AW]?\b/ nocase
        $create = /\bCreateService[AW]?\b/ nocase
        $start = /\bStartService[AW]?\b/ nocase
        $native = /\bDllImport\b|\bGetProcAddress\b|GetDelegateForFunctionPointer|DefinePInvokeMethod|\bAdd-Type\b/ nocase
        // a keyword list (a syntax highlighter's table of Windows API names) names them
        // between other names and calls none
        $scm_listed = /["']\s*,\s*["']OpenSCManager[AW]?["']\s*,/ nocase
        $create_listed = /["']\s*,\s*["']CreateService[AW]?["']\s*,/ nocase
        $called = /\b(OpenSCManager|CreateService|StartService)[AW]?\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $scm and $create and $start and $native and
        not ($scm_listed and $create_listed and not $called)
}

// A port scanner: TCP connections tried over a list of ports and a range of hosts. Checking one
// port of one server (Test-NetConnection, a SQL endpoint test) has no port list and no range.
rule powershell_tcp_port_scan
{
    meta:
        severity = "medium"
        attack = "T1046,T1059.001"
        description = "PowerShell that tries TCP connections over lists of ports and ranges of addresses (a port scanner)"
    strings:
        $tcp = /Net\.Sockets\.TcpClient\b/ nocase
        $connect = /\.(BeginConnect|ConnectAsync)\s*\(/ nocase
        $ports = /\$(top_?ports|ports|portlist|port_?range)\b/ nocase
        $loop = /\bforeach\s*\(\s*\$\w{1,20}\s+in\s+\$\w{0,10}ports?\w{0,10}\s*\)|\bfor\s*\(\s*\$\w{1,20}\s*=\s*\$\w{0,12}(start|begin|min)\w{0,12}port/ nocase
        $range = /\/\s*(8|16|24)\b|\.GetAddressBytes\s*\(|\b(ip|address|host)(range|s)\b|\.\.\s*254\b|-shl\s+\d|NetworkInformation\.Ping\b/ nocase
        $scan = /\bport\s?scan/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $tcp and $connect and $ports and
        ($loop or $scan) and $range
}

// Relays: a listening socket whose connections are joined to a second connection that the
// script makes, bytes pumped both ways (port forwarders, SOCKS proxies, netcat-like relays).
rule powershell_tcp_relay_proxy
{
    meta:
        severity = "high"
        attack = "T1090,T1572,T1059.001"
        description = "PowerShell that accepts TCP connections and relays them to another host (a port forwarder or SOCKS proxy)"
    strings:
        $listen = /Net\.Sockets\.TcpListener\b|\.Listen\s*\(\s*\d|\.Bind\s*\(\s*new\s+IPEndPoint|\bTcpListener\s*\(/ nocase
        $accept = /\.(AcceptTcpClient|AcceptSocket|Accept|BeginAccept|AcceptTcpClientAsync)\s*\(/ nocase
        $connect = /\.(Connect|BeginConnect|ConnectAsync)\s*\(|Net\.Sockets\.TcpClient\s*\(?\s*\$/ nocase
        $pump = /\.CopyToAsync\s*\(|\.BeginReceive\s*\(|\.BeginRead\s*\(|\bInvoke-Relay|\bforward(er|ing)\b|\bsocks\s*[45]?\b/ nocase
        $remote = /\$(remote|target|dest|r)_?(host|addr|ip|port)\b|\bremotehost\b|\bsocks/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $listen and $accept and $connect and
        #pump >= 2 and $remote
}

// A fake HTTP server that asks the visitor for credentials (WWW-Authenticate: NTLM or Basic)
// and writes down what comes back: a credential or hash capture server.
rule powershell_http_credential_capture
{
    meta:
        severity = "high"
        attack = "T1557,T1056.003,T1059.001"
        description = "PowerShell that runs an HTTP listener asking for NTLM or Basic authentication and decodes the credentials sent back (a credential or hash capture server)"
    strings:
        $listener = /Net\.HttpListener\b|Net\.Sockets\.TcpListener\b/ nocase
        $challenge = /WWW-Authenticate["']?\s*,\s*["']?(NTLM|Basic|Negotiate)/ nocase
        $challenge2 = /WWW-Authenticate:\s*(NTLM|Basic|Negotiate)/ nocase
        $auth = /Authorization/ nocase
        $decode = /FromBase64String/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $listener and ($challenge or $challenge2) and
        $auth and $decode
}

// Timestomping: a file's three times set from another file's or from given dates.
rule powershell_timestomp
{
    meta:
        severity = "medium"
        attack = "T1070.006,T1059.001"
        description = "PowerShell that sets a file's modified, accessed and created times (timestomping)"
    strings:
        $write = /\.LastWriteTime\s*=\s*\$/ nocase
        $access = /\.LastAccessTime\s*=\s*\$/ nocase
        $create = /\.CreationTime\s*=\s*\$/ nocase
        $old = /\b(OldFile|OldFilePath|SourceFile|Template|AllMacAttributes|MacAttribute)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $write and $access and $create and $old
}

// A reverse shell: a command interpreter whose standard streams are redirected and pumped to
// a network connection (TCP, HTTP request stream, named pipe).
rule powershell_interpreter_over_network
{
    meta:
        severity = "high"
        attack = "T1059.003,T1095,T1059.001"
        description = "PowerShell that starts cmd.exe or powershell.exe with redirected input and output and relays them over a network connection (a reverse or bind shell)"
    strings:
        $redirect_in = /\.RedirectStandardInput\s*=\s*\$true/ nocase
        $redirect_out = /\.RedirectStandardOutput\s*=\s*\$true/ nocase
        $shell = /["'](cmd|cmd\.exe|powershell|powershell\.exe)["']/ nocase
        $net = /Net\.Sockets\.TcpClient\b|Net\.Sockets\.Socket\b|\.GetRequestStream\s*\(|Pipes\.NamedPipe(Server|Client)Stream\b|ClientWebSocket\b/ nocase
        $stream = /\.GetStream\s*\(|\.GetResponseStream\s*\(|\.ReadAsync\s*\(|\.BeginRead\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $redirect_in and $redirect_out and $shell and
        $net and $stream
}

// RC4 written out in PowerShell beside a web client: how Empire-style stagers and agents
// encrypt what they exchange with their server. Admin scripts have TLS and never need RC4.
rule powershell_rc4_web_channel
{
    meta:
        severity = "high"
        attack = "T1573.001,T1071.001,T1059.001"
        description = "PowerShell that implements RC4 itself and talks to a web server (an encrypted C2 stager or agent)"
    strings:
        $rc4_out = /-bxor\s*\$\w{1,20}\s*\[\s*\(\s*\$\w{1,20}\s*\[\s*\$\w{1,20}\s*\]\s*\+\s*\$\w{1,20}\s*\[\s*\$\w{1,20}\s*\]\s*\)\s*%\s*256\s*\]/ nocase
        $rc4_ksa = /\$\w{1,20}\s*=\s*\(\s*\$\w{1,20}\s*\+\s*\$\w{1,20}\s*\[\s*\$\w{1,20}\s*\]\s*\+\s*\$\w{1,20}\s*\[\s*\$\w{1,20}\s*%\s*\$\w{1,20}\.(length|count)\s*\]\s*\)\s*%\s*256/ nocase
        // the web client may be Internet Explorer or Outlook (mail items as the channel) driven
        // through COM
        $web = /Net\.WebClient\b|Net\.HttpWebRequest\b|Net\.WebRequest\b|\bInvoke-WebRequest\b|\bInvoke-RestMethod\b|\.(UploadData|DownloadData)\s*\(|InternetExplorer\.Application\b|Outlook\.Application\b|\$outlook\.CreateItem\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($rc4_out or $rc4_ksa) and $web
}

// Security-product discovery: scripts that look for several named endpoint-security products
// (their processes, services or folders) before acting.
rule powershell_security_product_discovery
{
    meta:
        severity = "medium"
        attack = "T1518.001,T1059.001"
        description = "PowerShell that looks for many named endpoint-security products, logging agents or analysis tools on the host"
    strings:
        $p1 = /\bcarbon\s?black\b|\bcb(defense|comms)\b/ nocase
        $p2 = /\bcylance/ nocase
        $p3 = /\bcrowdstrike|\bcsfalcon/ nocase
        $p4 = /\bsysmon(64)?\b/ nocase
        $p5 = /\btanium/ nocase
        $p6 = /\bsentinel\s?one|\bsentinelagent/ nocase
        $p7 = /\bsplunk(d|forwarder)?\b/ nocase
        $p8 = /\bmsmpeng\b|\bMsSense\b/ nocase
        $p9 = /\bwireshark\b/ nocase
        $p10 = /\bprocmon(64)?\b|\bprocexp(64)?\b/ nocase
        $p11 = /\bmcshield\b|\bmcafee\b/ nocase
        $p12 = /\bsymantec\b|\bccsvchst\b/ nocase
        $p13 = /\bosquery/ nocase
        $p14 = /\bollydbg\b|\bx64dbg\b|\bidaq(64)?\b|\bimmunity/ nocase
        $p15 = /\bfiddler\b/ nocase
        $p16 = /\bkaspersky\b|\bavp\.exe\b/ nocase
        $p17 = /\bwinlogbeat\b|\bnxlog\b/ nocase
        $look = /\bGet-Process\b|Win32_Process\b|\bGet-Service\b|Win32_Service\b|\btasklist\b|\bGet-ChildItem\b|\bTest-Path\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and 6 of ($p*) and $look
}

// Virtual machine and sandbox detection: the artefacts of several hypervisors checked.
rule powershell_virtualization_check
{
    meta:
        severity = "medium"
        attack = "T1497.001,T1059.001"
        description = "PowerShell that checks registry keys, services or processes of several hypervisors (VMware, VirtualBox, Hyper-V, Xen, QEMU) to tell whether it runs in a virtual machine"
    strings:
        $vmware = /\bvmtools(d)?\b|VMware Tools|\bvmmouse\b|\bvmhgfs\b|\bvmwaretray\b/ nocase
        $vbox = /\bVBoxService\b|\bVBoxTray\b|VirtualBox Guest Additions|\bVBOX__\b|\bvboxguest\b/ nocase
        $hyperv = /\bvmicheartbeat\b|\bvmicvss\b|Virtual Machine\\+Guest\\+Parameters/ nocase
        $xen = /\bxenservice\b|\bxenevtchn\b|\bXenVMM\b/ nocase
        $qemu = /\bqemu-ga\b|QEMU HARDDISK/ nocase
        $reg = /HKLM:|HKEY_LOCAL_MACHINE|\bGet-ItemProperty\b|Win32_ComputerSystem\b|Win32_BIOS\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and 3 of ($vmware, $vbox, $hyperv, $xen, $qemu) and
        $reg
}

// Password-manager configuration: KeePass's config files found and read or rewritten (export
// triggers that write the decrypted database out).
rule powershell_keepass_config_abuse
{
    meta:
        severity = "high"
        attack = "T1555.005,T1059.001"
        description = "PowerShell that searches for KeePass configuration files (KeePass.config.xml, KeePass.ini) and reads or adds triggers"
    strings:
        $config = /KeePass\.config\.xml/ nocase
        $ini = /KeePass\.ini\b/ nocase
        $trigger = /\bTriggers?\b/ nocase
        $search = /\bGet-ChildItem\b[^\n]{0,200}-(Recurse|Filter|Include)\b|\[xml\]/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $config and ($ini or $trigger) and $search
}

// Attacks on CI and application servers' script consoles: code sent to Jenkins' /script
// console or deployed through JBoss's JMX console.
rule powershell_app_console_exploit
{
    meta:
        severity = "high"
        attack = "T1190,T1059.001"
        description = "PowerShell that sends code to a Jenkins script console or deploys through a JBoss JMX console of another host"
    strings:
        $jenkins = /\/script(Text)?\b[^\n]{0,200}/ nocase
        $groovy = /\.execute\(\)|Runtime\.getRuntime\(\)\.exec|["']script=/ nocase
        $jboss = /jmx-console\/HtmlAdaptor/ nocase
        $deploy = /\b(DeploymentScanner|addURL|MainDeployer|deploy)\b/ nocase
        $web = /Net\.WebClient\b|Net\.HttpWebRequest\b|Net\.WebRequest\b|\bInvoke-WebRequest\b|\bInvoke-RestMethod\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $web and
        (($jenkins and $groovy) or ($jboss and $deploy))
}

// A C2 agent's beacon: a delay varied by a jitter both ways ((1-jitter)*delay to
// (1+jitter)*delay) and code it is sent run as a script block or with Invoke-Expression.
rule powershell_c2_agent_jitter
{
    meta:
        severity = "high"
        attack = "T1071.001,T1059.001"
        description = "PowerShell agent that sleeps a delay varied by a jitter between check-ins and runs the code it is sent (a C2 agent's beacon loop)"
    strings:
        $low = /\(\s*1\s*-\s*\$[\w:]{0,20}jitter\w{0,10}\s*\)\s*\*\s*\$[\w:]{1,30}/ nocase
        $high = /\(\s*1\s*\+\s*\$[\w:]{0,20}jitter\w{0,10}\s*\)\s*\*\s*\$[\w:]{1,30}/ nocase
        $random = /\bGet-Random\b|\bSystem\.Random\b/ nocase
        $run = /\[scriptblock\]\s*::\s*create\s*\(|\b(iex|invoke-expression)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $low and $high and $random and $run
}

// Session and logged-on-user enumeration through the NetAPI itself (NetSessionEnum,
// NetWkstaUserEnum, NetLocalGroupGetMembers by P/Invoke or function pointers): how
// PowerView and BloodHound's ingestors find where administrators are logged on.
rule powershell_netapi_session_enum
{
    meta:
        severity = "high"
        attack = "T1049,T1033,T1069.001,T1059.001"
        description = "PowerShell that enumerates the sessions, logged-on users or local group members of hosts through the NetAPI (NetSessionEnum, NetWkstaUserEnum, NetLocalGroupGetMembers)"
    strings:
        $session = /\bNetSessionEnum\b/ nocase
        $wksta = /\bNetWkstaUserEnum\b/ nocase
        $group = /\bNetLocalGroupGetMembers\b/ nocase
        $native = /\bDllImport\b|\bGetProcAddress\b|GetDelegateForFunctionPointer|DefinePInvokeMethod|\bfunc\s+netapi32\b|\bAdd-Type\b|netapi32/ nocase
        $free = /\bNetApiBufferFree\b/ nocase
        // a keyword list of Windows API names names them between other names and calls none
        $free_listed = /["']\s*,\s*["']NetApiBufferFree["']\s*,/ nocase
        $called = /\b(NetSessionEnum|NetWkstaUserEnum|NetLocalGroupGetMembers|NetApiBufferFree)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $native and $free and
        ($session or $wksta or $group) and not ($free_listed and not $called)
}

// A .NET assembly carried as base64 (plain, or gzip/zlib/deflate before the base64: what
// GzipStream and DeflateStream undo), found by its PE and CLR headers in C (encoded_assembly,
// src/analysis/dotnetblob.c), and a script that loads assemblies: Rubeus, SharpHound or
// Seatbelt in a PowerShell wrapper, whatever names the wrapper gives its variables.
rule powershell_embedded_dotnet_assembly
{
    meta:
        severity = "high"
        attack = "T1620,T1027,T1140,T1059.001"
        description = "Script that carries a .NET assembly as base64 (plain or compressed) and loads assemblies in memory (Assembly.Load, AppDomain.Load)"
    strings:
        $load = /\b(reflection\.assembly|appdomain|currentdomain)\b[^\n]{0,80}\bload\b/ nocase
        $load2 = /::\s*["']?load["']?\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 32MB and encoded_assembly == 1 and
        ($load or $load2)
}

// Commands received over a named pipe and run: an SMB named-pipe C2 channel between hosts
// (the pipe may be opened on another server).
rule powershell_named_pipe_command_channel
{
    meta:
        severity = "high"
        attack = "T1021.002,T1071,T1059.001"
        description = "PowerShell that reads commands from a named pipe (possibly on another host) and runs them as script blocks or with Invoke-Expression (an SMB named-pipe C2 channel)"
    strings:
        $pipe = /Pipes\.NamedPipe(Server|Client)Stream\b/ nocase
        $read = /\.ReadLine\s*\(\s*\)|\.ReadToEnd\s*\(\s*\)|\.Read\s*\(\s*\$/ nocase
        $run = /\[scriptblock\]\s*::\s*create\s*\(\s*\$|\b(iex|invoke-expression)\s*\(?\s*\$/ nocase
        $write = /\.WriteLine\s*\(|\.Write\s*\(|\.Flush\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $pipe and $read and $run and $write
}

// Raw writes to a physical disk (the master boot record): disk wiping or a boot-sector
// payload.
rule powershell_physical_disk_write
{
    meta:
        severity = "high"
        attack = "T1561.002,T1059.001"
        description = "PowerShell that opens a physical disk (\\\\.\\PhysicalDrive) and writes to it (overwriting the master boot record or wiping the disk)"
    strings:
        $drive = /\\\\+\.\\+PhysicalDrive/ nocase
        $open = /\bCreateFile[AW]?\b|IO\.FileStream\b/ nocase
        $write = /\bWriteFile\b|\.Write\s*\(\s*\$/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $drive and $open and $write
}

// Password guessing that keeps below the lockout threshold: each account's bad-password count
// read and the domain's lockout threshold, and logons tried.
rule powershell_lockout_aware_password_spray
{
    meta:
        severity = "high"
        attack = "T1110.003,T1059.001"
        description = "PowerShell that reads accounts' badPwdCount and the domain's lockout threshold and tries logons below it (password spraying)"
    strings:
        $bad = /\bbadPwdCount\b/ nocase
        $threshold = /\blockout_?Threshold\b/ nocase
        $logon = /\.ValidateCredentials\s*\(\s*\$|DirectoryServices\.DirectoryEntry\s*\(?\s*[^\n]{0,120},\s*\$\w{1,30}\s*,\s*\$\w{1,30}\s*\)|\bLogonUser[AW]?\b/ nocase
        $list = /\bpassword_?list\b|\buser_?list\b|\bGet-Content\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $bad and $threshold and $logon and $list
}

// ADIDNS spoofing: DNS records written straight into Active Directory's zone objects
// (CN=MicrosoftDNS) as raw dnsRecord blobs, so that names nobody registered (a wildcard, WPAD)
// point at the attacker.
rule powershell_adidns_record_write
{
    meta:
        severity = "high"
        attack = "T1557.001,T1059.001"
        description = "PowerShell that writes DNS records directly into Active Directory-integrated zones (dnsRecord attributes of CN=MicrosoftDNS nodes): ADIDNS spoofing"
    strings:
        $zone = /CN=MicrosoftDNS/ nocase
        $write = /\.(InvokeSet|Put)\s*\(\s*["']dnsRecord["']|\.Properties\s*\[\s*["']dnsRecord["']\s*\]\s*\.(Value\s*=|Add\s*\()|["']dnsRecord["']\s*=\s*\$/ nocase
        $commit = /\.CommitChanges\s*\(|\.SetInfo\s*\(|\bNew-ADObject\b|\bSet-ADObject\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $zone and $write and $commit
}

// Event Tracing for Windows blinded in the process: the user-mode ETW writer (EtwEventWrite,
// NtTraceEvent) found by name, its page made writable and a return written over it.
rule powershell_etw_patch
{
    meta:
        severity = "high"
        attack = "T1562.006,T1059.001"
        description = "PowerShell that overwrites the ETW event writer in memory (EtwEventWrite or NtTraceEvent found by name, VirtualProtect, bytes copied over it) so that its actions are not traced"
    strings:
        $etw = /\b(EtwEventWrite(Full|Transfer)?|NtTraceEvent|EtwNotificationRegister)\b/ nocase
        $resolve = /\bGetProcAddress\b|GetDelegateForFunctionPointer/ nocase
        $vprot = /\b(VirtualProtect(Ex)?|NtProtectVirtualMemory)\b/ nocase
        $write = /\]\s*::\s*(Copy|WriteByte|WriteInt32|WriteInt64)\s*\(|\bWriteProcessMemory\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $etw and $resolve and $vprot and $write
}

// UAC bypasses through what auto-elevating programs read from the user's own hive or run:
// sdclt's App Paths\control.exe and exefile\shell\runas\command (IsolatedCommand), the
// SilentCleanup task's %windir% or its DLL search.
rule powershell_uac_bypass_auto_elevate
{
    meta:
        severity = "high"
        attack = "T1548.002,T1059.001"
        description = "PowerShell that plants a command where an auto-elevating program looks (sdclt's App Paths\\control.exe or exefile runas command, the SilentCleanup task's windir or DLLs) and starts it (UAC bypass)"
    strings:
        $apppath = /(HKCU:|HKEY_CURRENT_USER|CurrentUser)[^\n]{0,60}\\+App Paths\\+control\.exe/ nocase
        $runas = /(HKCU:|HKEY_CURRENT_USER|CurrentUser)[^\n]{0,40}\\+Classes\\+exefile\\+shell\\+runas\\+command/ nocase
        $sdclt = /\bsdclt(\.exe)?\b/ nocase
        $silent = /\\+DiskCleanup\\+SilentCleanup\b/ nocase
        $run = /\/Run\b|\bStart-ScheduledTask\b/ nocase
        $env = /(HKCU:|HKEY_CURRENT_USER|CurrentUser)\\+Environment["']?[^\n]{0,80}\b(windir|systemroot)\b/ nocase
        $dll = /\bdismhost(\.exe)?\b|\bLogProvider\.dll\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and
        ((($apppath or $runas) and $sdclt) or ($silent and $run and ($env or $dll)))
}

// The whole screen copied into a bitmap and saved: screenshots for collection.
rule powershell_screen_capture
{
    meta:
        severity = "medium"
        attack = "T1113,T1059.001"
        description = "PowerShell that copies the whole screen into a bitmap (Graphics.CopyFromScreen over the screens' bounds) and saves it"
    strings:
        $copy = /\.CopyFromScreen\s*\(/ nocase
        $bounds = /Windows\.Forms\.Screen\]\s*::\s*(AllScreens|PrimaryScreen)|\bVirtualScreen\b|SystemInformation\]\s*::\s*VirtualScreen/ nocase
        $save = /\.Save\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $copy and $bounds and $save
}

// Passwords read from directory attributes that hold them in clear or reversibly
// (userPassword, unixUserPassword, msSFU30Password, os400Password) through LDAP searches.
rule powershell_ldap_password_attributes
{
    meta:
        severity = "high"
        attack = "T1552,T1087.002,T1059.001"
        description = "PowerShell that searches the directory for accounts' userPassword, unixUserPassword, msSFU30Password or os400Password attributes"
    strings:
        // an LDAP filter term, or the attribute named alone in a string (a property to load)
        $attr = /\(\s*(userPassword|unixUserPassword|msSFU30Password|os400Password)\s*=|["'](userPassword|unixUserPassword|msSFU30Password|os400Password)["']/ nocase
        $ldap = /DirectoryServices\.DirectorySearcher\b|\[adsisearcher\]|\bGet-AD(User|Object)\b|\bLDAP:\/\/|\$[a-z_][a-z0-9_]*\.Filter\s*=/ nocase
        // PHP's array syntax around the attribute: a key given a value (['userpassword' =>
        // $hash], a directory admin tool setting a password) or a setting's value
        // ($config['password_ldap_pwattr'] = 'userPassword'), not a search
        $attr_set = /["'](userPassword|unixUserPassword|msSFU30Password|os400Password)["']\s*=>|\]\s*=\s*["'](userPassword|unixUserPassword|msSFU30Password|os400Password)["']\s*;/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $attr and $ldap and not $attr_set
}

// A shortcut made to start an interpreter minimised behind another program's icon: how
// phishing and backdoored .lnk files are written (the user sees the icon, not the command).
rule powershell_disguised_shortcut
{
    meta:
        severity = "high"
        attack = "T1547.009,T1036,T1204.002,T1059.001"
        description = "PowerShell that writes a shortcut starting powershell, cmd or a script host minimised, with an icon borrowed from another program"
    strings:
        $create = /\.CreateShortcut\s*\(/ nocase
        $minimised = /\.WindowStyle\s*=\s*7\b/ nocase
        $icon = /\.IconLocation\s*=/ nocase
        $target = /\.TargetPath\s*=\s*["'][^"'\n]{0,80}(powershell(\.exe)?|cmd(\.exe)?|%COMSPEC%|wscript(\.exe)?|cscript(\.exe)?|mshta(\.exe)?|rundll32(\.exe)?)["']/ nocase
        $args = /\.Arguments\s*=\s*["'$][^\n]{0,200}(-enc|-nop\b|hidden|\biex\b|bypass|FromBase64String|DownloadString)/ nocase
        $payload = /-WindowStyle\s+hidden|-ExecutionPolicy\s+Bypass|\s-nop\s|-enc\s/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $create and $minimised and $icon and
        ($target or $args or $payload)
}

// The wscript.exe manifest UAC bypass (Windows 7): wscript.exe and a manifest written into
// %windir% through a cabinet that wusa /extract unpacks with elevation.
rule powershell_uac_bypass_wscript_manifest
{
    meta:
        severity = "high"
        attack = "T1548.002,T1059.001"
        description = "PowerShell that packs wscript.exe and a manifest into a cabinet and extracts it into the Windows folder with wusa (the wscript manifest UAC bypass)"
    strings:
        $wscript = /\bwscript\.exe\b/ nocase
        $manifest = /\.manifest\b/ nocase
        $cab = /\bmakecab(\.exe)?\b/ nocase
        $wusa = /\bwusa(\.exe)?\b/ nocase
        $extract = /\/extract\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $wscript and $manifest and $cab and
        $wusa and $extract
}

// Data cut into DNS-label-sized pieces and sent as names to look up under the attacker's
// domain: exfiltration over DNS.
rule powershell_dns_exfiltration
{
    meta:
        severity = "high"
        attack = "T1048.003,T1071.004,T1059.001"
        description = "PowerShell that cuts encoded data into label-sized pieces and looks each up as a name under a domain (exfiltration over DNS queries)"
    strings:
        $chunk = /\.Substring\s*\([^\n]{0,40}\b(63|62|61|60|50|48|32|31|30)\s*\)|\.Length\s*\/\s*(63|62|61|60|50|48|32|31|30)\b/ nocase
        $lookup = /\b(nslookup|Resolve-DnsName|GetHostEntry|GetHostAddresses|GetHostByName|DnsQuery_[AW])\b[^\n]{0,80}\$\{?\w{1,30}\}?\s*\.\s*\$\{?\w{1,30}/ nocase
        $encode = /ToBase64String|\.ToString\s*\(\s*["']x2["']\s*\)|DeflateStream|GzipStream|-f\s*["']\{0:x2\}/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $chunk and $lookup and $encode
}

// Collected data posted to a paste site through its API.
rule powershell_paste_site_exfiltration
{
    meta:
        severity = "high"
        attack = "T1567,T1059.001"
        description = "PowerShell that posts encoded or compressed data to pastebin's API"
    strings:
        $api = /pastebin\.com\/api\/api_post\.php/ nocase
        $paste = /api_paste_code\s*=/ nocase
        $encode = /ToBase64String|DeflateStream|GzipStream/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $api and $paste and $encode
}

// Where the user's credentials have been and go: explicit-credential and logon events
// (4648, 4624) read beside the RDP client's saved servers, to find the next hosts to reach.
rule powershell_logon_history_harvest
{
    meta:
        severity = "medium"
        attack = "T1018,T1087.002,T1654,T1059.001"
        description = "PowerShell that reads the security log's explicit-credential and logon events (4648, 4624) and the RDP client's saved servers to map where the user logs on"
    strings:
        $rdp = /Terminal Server Client\\+(Servers|Default)/ nocase
        $e4648 = /\b4648\b/
        $e4624 = /\b4624\b/
        $log = /\bGet-EventLog\b|\bGet-WinEvent\b|EventLogReader\b|\bwevtutil\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $rdp and $e4648 and $e4624 and $log
}

// Native functions that read, write or inspect another process's memory, declared from a script
// (Add-Type C# with DllImport, or PSReflect-style dynamic P/Invoke). Admin scripts that import
// Win32 functions ask for tokens, logons or credentials (LogonUser, DuplicateTokenEx,
// LsaGetLogonSessionData); two of these calls together are injectors, PEB and handle walkers,
// memory scanners and dumpers.
rule powershell_pinvoke_process_memory
{
    meta:
        severity = "high"
        attack = "T1106,T1055,T1059.001"
        description = "PowerShell that declares native functions (DllImport, DefinePInvokeMethod, function pointers) to read, write or walk another process's memory or the kernel's process and handle lists"
    strings:
        $imp = /\bDllImport|\bDefinePInvokeMethod\b|\bGetDelegateForFunctionPointer\b|\(\s*func\s+\w+\s+\w+|\bfunc\s+(kernel32|ntdll|advapi32|dbghelp)\b|\bAdd-Type\b/ nocase
        $m1 = /\bReadProcessMemory\b/ nocase
        $m2 = /\bWriteProcessMemory\b/ nocase
        $m3 = /\bVirtualProtectEx\b/ nocase
        $m4 = /\bVirtualQueryEx\b/ nocase
        $m5 = /\bVirtualAllocEx\b/ nocase
        $m6 = /\b(CreateRemoteThread|NtCreateThreadEx|RtlCreateUserThread)\b/ nocase
        $m7 = /\b(QueueUserAPC|NtQueueApcThread)\b/ nocase
        $m8 = /\b(NtMapViewOfSection|NtUnmapViewOfSection|ZwUnmapViewOfSection)\b/ nocase
        $m9 = /\b(SetThreadContext|GetThreadContext)\b/ nocase
        $m10 = /\bNtQueryInformationProcess\b/ nocase
        $m11 = /\bNtQuerySystemInformation\b/ nocase
        $m12 = /\b(NtDuplicateObject|NtQueryObject)\b/ nocase
        $m13 = /\bMiniDumpWriteDump\b/ nocase
        $m14 = /\b(NtReadVirtualMemory|NtWriteVirtualMemory)\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $imp and 2 of ($m*)
}

// A .NET assembly built in memory to call native code without Add-Type (which would leave C#
// on disk and in the logs): PSReflect's P/Invoke definitions, or the delegate types that
// reflective PE loaders and shellcode runners bind to function pointers. Offensive toolkits
// share these few helpers across authors; admin scripts use Add-Type.
rule powershell_in_memory_pinvoke_builder
{
    meta:
        severity = "medium"
        attack = "T1106,T1620,T1059.001"
        description = "PowerShell that builds a dynamic assembly in memory to declare native functions (DefinePInvokeMethod, DllImportAttribute) or function-pointer delegates"
    strings:
        $asm = /\bDefineDynamicAssembly\b/ nocase
        $pinv = /\bDefinePInvokeMethod\b/ nocase
        $dllimp = /DllImportAttribute\b/ nocase
        $deleg = /\bSetImplementationFlags\b[^\n]{0,60}\bRuntime\b/ nocase
        $fptr = /\bGetDelegateForFunctionPointer\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $asm and ($pinv or $dllimp or ($deleg and $fptr))
}

// Kerberoasting's first step: an LDAP query for every account that has a service principal name
// (servicePrincipalName=*), whose tickets can then be requested and cracked offline. Admin
// scripts read or set the SPNs of named accounts; they do not sweep the directory for them.
rule powershell_spn_account_sweep
{
    meta:
        severity = "medium"
        attack = "T1558.003,T1087.002,T1059.001"
        description = "PowerShell that searches the directory for every account with a service principal name (servicePrincipalName=*), the target list for Kerberoasting"
    strings:
        $filter = /\(\s*servicePrincipalName\s*=\s*\*\s*\)/ nocase
        $ldap = /\bDirectorySearcher\b|\[adsisearcher\]|\bGet-AD(User|Object|Computer)\b|LDAP:\/\/|\bSearchRequest\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $filter and $ldap
}

// Timestomping by copying: the times of a system file written onto a dropped one through the
// static File methods ([IO.File]::SetCreationTime(..., [IO.File]::GetCreationTime(...))) or by
// assigning another item's times. Installers and copy tools keep a file's own times; they do
// not take them from a third file.
rule powershell_timestamp_copy
{
    meta:
        severity = "medium"
        attack = "T1070.006,T1059.001"
        description = "PowerShell that gives a file the creation and write times read from another file (timestomping)"
    strings:
        $set_create = /\bSetCreationTime(Utc)?\s*\(/ nocase
        $set_write = /\bSetLastWriteTime(Utc)?\s*\(/ nocase
        $get = /\bGet(CreationTime|LastWriteTime|LastAccessTime)(Utc)?\s*\(/ nocase
        $assign = /\.(CreationTime|LastWriteTime)\s*=\s*\(\s*(Get-Item|gi|Get-ChildItem|gci)\s[^)\n]{1,200}\)\.(CreationTime|LastWriteTime)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and (($set_create and $set_write and $get) or #assign >= 2)
}

// Which antivirus guards the host, asked of WMI's root\SecurityCenter2 (AntiVirusProduct),
// beside other questions a first-stage survey asks (patches, firewall products, installed
// software, local groups, shares). Fleet inventory reads such classes from a management
// system's agent, not from a script that also lists the local administrators.
rule powershell_av_product_survey
{
    meta:
        severity = "medium"
        attack = "T1518.001,T1082,T1059.001"
        description = "PowerShell that asks WMI's SecurityCenter2 which antivirus products are installed, among other host survey questions"
    strings:
        $ns = "SecurityCenter2" nocase
        $av = "AntiVirusProduct" nocase
        $o1 = /Win32_QuickFixEngineering|\bGet-HotFix\b/ nocase
        $o2 = "FirewallProduct" nocase
        $o3 = "AntiSpywareProduct" nocase
        $o4 = /CurrentVersion\\+Uninstall/ nocase
        $o5 = /\bnet\s+localgroup\b|\bGet-LocalGroupMember\b|Win32_GroupUser\b/ nocase
        $o6 = /Win32_Share\b|\bGet-SmbShare\b|\bnet\s+share\b/ nocase
        $o7 = /\bwhoami\b|\bsysteminfo\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $ns and $av and any of ($o*)
}

// A user's documents collected by extension: a recursive search for several office, mail and
// password-store types, then an archive, an upload or a copy elsewhere (what stealers and
// collection steps of intrusions do before exfiltration). Backup scripts copy folders; they
// do not pick documents by type across a profile.
rule powershell_document_collection
{
    meta:
        severity = "medium"
        attack = "T1119,T1005,T1560.001,T1059.001"
        description = "PowerShell that searches folders recursively for several document, mail or password-store types and archives, uploads or copies what it finds"
    strings:
        $e1 = /\*\.docx?\b/ nocase
        $e2 = /\*\.xlsx?\b/ nocase
        $e3 = /\*\.pptx?\b/ nocase
        $e4 = "*.pdf" nocase
        $e5 = /\*\.(pst|ost)\b/ nocase
        $e6 = "*.kdbx" nocase
        $e7 = /\*\.(rtf|odt|ods)\b/ nocase
        $recurse = /-Recurse\b/ nocase
        $take = /\bCompress-Archive\b|ZipFile\]\s*::\s*(CreateFromDirectory|Open)|\.UploadFile\s*\(|\.UploadData\s*\(|\bInvoke-RestMethod\b|\bInvoke-WebRequest\b|FtpWebRequest|\bSend-MailMessage\b|\bCopy-Item\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and 4 of ($e*) and $recurse and $take
}

// Offensive tooling by what it calls (issue #16, round 4). Post-exploitation PowerShell reaches
// the system through a few native functions and .NET classes, whatever its tools and functions
// are named: a native declaration (DllImport in Add-Type source, DefinePInvokeMethod, a
// function-pointer delegate, PSReflect's `func`) of the functions of one technique, or the
// directory and RPC calls that only that technique combines. Admin modules declare native
// functions and search the directory too, so no rule reads a single call: each wants the
// combination of the technique, or its sensitive argument.

// What only PowerShell writes, twice: the rules below name Windows API functions, and a syntax
// highlighter's keyword lists (GeSHi's c_winapi.php) or C headers name them all.
private rule powershell_code_marks
{
    strings:
        $m1 = "Add-Type" nocase
        $m2 = "New-Object" nocase
        $m3 = "]::"
        $m4 = "$null" nocase
        $m5 = "[Parameter(" nocase
        $m6 = "-ErrorAction" nocase
        $m7 = "Write-Host" nocase
        $m8 = "Write-Output" nocase
        $m9 = "Write-Verbose" nocase
        $m10 = "$true" nocase
        $m11 = "[CmdletBinding(" nocase
        $m12 = "$env:" nocase
    condition:
        2 of them
}

// Another process's token stolen: its process opened (lsass, winlogon or any by id), its token
// opened and duplicated, then impersonated or used to start a program. Run-as helpers of
// configuration tools log a user on with a password (LogonUser) and open no other process.
rule powershell_process_token_theft
{
    meta:
        severity = "high"
        attack = "T1134.001,T1134.002,T1059.001"
        description = "PowerShell that declares native token functions to open another process, duplicate its token and impersonate it or start a program with it"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = "GetDelegateForFunctionPointer" nocase
        $d4 = "static extern" nocase
        $d5 = /\bfunc\s+advapi32\b/ nocase
        $open1 = "OpenProcessToken" nocase
        $open2 = "OpenThreadToken" nocase
        $dup = "DuplicateToken" nocase
        $use1 = "ImpersonateLoggedOnUser" nocase
        $use2 = "SetThreadToken" nocase
        $use3 = "CreateProcessWithToken" nocase
        $use4 = "CreateProcessAsUser" nocase
        $proc1 = "OpenProcess" nocase fullword
        $proc2 = "lsass" nocase fullword
        $proc3 = "winlogon" nocase fullword
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and any of ($open*) and
        $dup and any of ($use*) and any of ($proc*)
}

// A privilege that only attacks need switched on in the script's own token: SeDebugPrivilege
// (open any process, lsass included), SeTcbPrivilege, SeAssignPrimaryTokenPrivilege,
// SeLoadDriverPrivilege, SeCreateTokenPrivilege, SeImpersonatePrivilege. Installers and
// registry tools enable backup, restore and take-ownership privileges; those are not read.
rule powershell_sensitive_privilege_enable
{
    meta:
        severity = "medium"
        attack = "T1134,T1059.001"
        description = "PowerShell that declares AdjustTokenPrivileges and enables a privilege attacks use (SeDebugPrivilege, SeTcbPrivilege, SeLoadDriverPrivilege, SeAssignPrimaryTokenPrivilege)"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = "GetDelegateForFunctionPointer" nocase
        $d4 = "static extern" nocase
        $d5 = /\bfunc\s+advapi32\b/ nocase
        $adjust = "AdjustTokenPrivileges" nocase
        $lookup = "LookupPrivilegeValue" nocase
        $p1 = /SeDebugPrivilege["']/ nocase
        $p2 = /SeTcbPrivilege["']/ nocase
        $p3 = /SeAssignPrimaryTokenPrivilege["']/ nocase
        $p4 = /SeLoadDriverPrivilege["']/ nocase
        $p5 = /SeCreateTokenPrivilege["']/ nocase
        $p6 = /SeImpersonatePrivilege["']/ nocase
        // a table of every privilege's name lists them without enabling one
        $listed = /SeDebugPrivilege["']\s*,\s*["']Se/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and $adjust and $lookup and
        any of ($p*) and not $listed
}

// SeBackupPrivilege (Backup Operators) used to read what its ACLs protect: the directory
// database or the registry hives that hold the password hashes.
rule powershell_backup_privilege_credential_copy
{
    meta:
        severity = "high"
        attack = "T1003.002,T1003.003,T1059.001"
        description = "PowerShell that uses SeBackupPrivilege to copy ntds.dit or save the SAM, SYSTEM or SECURITY hive"
    strings:
        $priv = "SeBackupPrivilege" nocase
        $ntds = "ntds.dit" nocase
        $hive = /\breg(\.exe)?\s+save\s+["']?(HKLM|HKEY_LOCAL_MACHINE)\\+(SAM|SYSTEM|SECURITY)\b/ nocase
        $robo = /\brobocopy(\.exe)?\s[^\n]{0,200}\s\/b\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $priv and ($ntds or $hive or $robo)
}

// Kerberos tickets handed to or taken from the logon session through LSA's authentication
// package: pass-the-ticket (KerbSubmitTicketMessage) or ticket export (encoded tickets
// retrieved), as Rubeus's ptt and dump do.
rule powershell_lsa_kerberos_ticket_calls
{
    meta:
        severity = "high"
        attack = "T1550.003,T1558,T1059.001"
        description = "PowerShell that calls LsaCallAuthenticationPackage with Kerberos ticket messages to submit (pass-the-ticket) or export tickets"
    strings:
        $call = "LsaCallAuthenticationPackage" nocase
        $conn = /\bLsa(ConnectUntrusted|RegisterLogonProcess|LookupAuthenticationPackage)\b/ nocase
        $m1 = "KerbSubmitTicketMessage" nocase
        $m2 = "KerbRetrieveEncodedTicketMessage" nocase
        $m3 = "KERB_SUBMIT_TKT_REQUEST" nocase
        $m4 = "KERB_RETRIEVE_TKT_REQUEST" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $call and $conn and any of ($m*)
}

// A hardware breakpoint set on a function through the thread's debug registers and a vectored
// exception handler that skips it: AMSI or ETW turned off without patching a byte.
rule powershell_hardware_breakpoint_hook
{
    meta:
        severity = "high"
        attack = "T1562.001,T1106,T1059.001"
        description = "PowerShell that sets debug-register breakpoints (SetThreadContext, Dr0-Dr7) with a vectored exception handler to skip a function, as patchless AMSI and ETW bypasses do"
    strings:
        $veh = "AddVectoredExceptionHandler" nocase
        $set = /\b(SetThreadContext|NtSetContextThread)\b/ nocase
        $dr = /\bDr[0-37]\b/
        $gpa = "GetProcAddress" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $veh and $set and $dr and $gpa
}

// A function of a loaded DLL found by address and overwritten: its page made writable and bytes
// copied over its start. What AMSI, ETW and hook patches do, whatever names the script hides.
rule powershell_loaded_function_patch
{
    meta:
        severity = "high"
        attack = "T1562.001,T1106,T1059.001"
        description = "PowerShell that finds a function of a loaded DLL (LoadLibrary or GetModuleHandle, GetProcAddress), makes it writable with VirtualProtect and copies bytes over it"
    strings:
        $mod = /\b(LoadLibrary|GetModuleHandle)(A|W|Ex)?\b/ nocase
        $gpa = "GetProcAddress" nocase
        $vp = "VirtualProtect" nocase fullword
        $w1 = /\]\s*::\s*Copy\s*\(/ nocase
        $w2 = /\]\s*::\s*WriteByte\s*\(/ nocase
        $w3 = "WriteProcessMemory" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $mod and $gpa and $vp and any of ($w*)
}

// A program run inside PowerShell: a .NET executable's bytes (decoded, decompressed, downloaded
// or read) loaded as an assembly, its Main invoked with the console redirected to capture its
// output. How offensive C# tools (Rubeus, Seatbelt, the potatoes) are wrapped for PowerShell.
rule powershell_assembly_main_in_process
{
    meta:
        severity = "high"
        attack = "T1620,T1059.001"
        description = "PowerShell that loads an executable's bytes as an assembly and invokes its Main with the console redirected"
    strings:
        $load = /Assembly\]\s*::\s*Load\s*\(/ nocase
        $setout = /Console\]\s*::\s*SetOut\s*\(/ nocase
        $main1 = /GetMethod\s*\(\s*["']Main["']/ nocase
        $main2 = /\.EntryPoint\b/ nocase
        // the entry point named by a parameter: GetMethod($name) and Invoke
        $main4 = /\.GetMethod\s*\(\s*\$\w+[^\n]{0,200}(\n[^\n]{0,200}){0,8}\.Invoke\s*\(/ nocase
        $src1 = "FromBase64String" nocase
        $src2 = /\b(GzipStream|DeflateStream)\b/ nocase
        $src3 = /\.DownloadData\s*\(/ nocase
        $src4 = "ReadAllBytes" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 16MB and $load and $setout and any of ($main*) and
        any of ($src*)
}

// One password tried against many users: the enabled users searched for in the directory
// (person or user objects, disabled ones left out), or a list handed in, each bound or
// validated in turn.
rule powershell_directory_password_spray
{
    meta:
        severity = "high"
        attack = "T1110.003,T1087.002,T1059.001"
        description = "PowerShell that validates one password against each of many domain users (the enabled users it searched for, or a list it was given) with ValidateCredentials or a DirectoryEntry bound with it"
    strings:
        $users = /\(\s*(objectCategory\s*=\s*person|samAccountType\s*=\s*805306368|objectClass\s*=\s*user)\s*\)/ nocase
        $enabled = /!\s*\(?\s*userAccountControl:1\.2\.840\.113556\.1\.4\.803:=2\s*\)/ nocase
        $v1 = /\.ValidateCredentials\s*\(/ nocase
        $v2 = /DirectoryServices\.DirectoryEntry\s*\(?\s*\$\w+\s*,\s*\$\w+\s*,\s*\$\w+/ nocase
        // or the users handed in: each of a list validated against one password in a loop
        $loop = /foreach\s*\(\s*\$\w+\s+in\s+\$\w+\s*\)\s*\{[^}]{0,400}\.ValidateCredentials\s*\(\s*\$\w+\s*,\s*\$\w+\s*\)/ nocase
        $loop2 = /foreach\s*\(\s*\$\w+\s+in\s+\$\w+\s*\)\s*\{[^}]{0,400}DirectoryServices\.DirectoryEntry\s*\(?\s*\$\w+\s*,\s*\$\w+\s*,\s*\$\w+/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and
        (($users and $enabled and any of ($v*)) or $loop or $loop2)
}

// Kerberos delegation mapped from the directory: unconstrained (TRUSTED_FOR_DELEGATION),
// constrained (msDS-AllowedToDelegateTo, protocol transition) and resource-based
// (msDS-AllowedToActOnBehalfOfOtherIdentity) searched for together: the targets of delegation
// abuse. An audit of one kind reads one filter.
rule powershell_delegation_target_search
{
    meta:
        severity = "medium"
        attack = "T1087.002,T1558,T1059.001"
        description = "PowerShell that searches the directory for accounts with two or more kinds of Kerberos delegation (unconstrained, constrained, resource-based)"
    strings:
        $ldap = /\bDirectorySearcher\b|\[adsisearcher\]|\bSearchRequest\b|LDAP:\/\// nocase
        $f1 = /userAccountControl:1\.2\.840\.113556\.1\.4\.803:=524288\b/ nocase
        $f2 = /msDS-AllowedToDelegateTo\s*=\s*\*/ nocase
        $f3 = /userAccountControl:1\.2\.840\.113556\.1\.4\.803:=16777216\b/ nocase
        $f4 = /msDS-AllowedToActOnBehalfOfOtherIdentity\s*=\s*\*/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $ldap and 2 of ($f*)
}

// A lateral movement tool offers several ways to run a command on another host. A process
// created through WMI or CIM (Win32_Process Create) or a DCOM object that runs commands
// (MMC20.Application, ShellWindows, ShellBrowserWindow), and another way besides: a service
// created (Win32_Service Create, CreateService) or a scheduled task registered
// (Schedule.Service, RegisterTaskDefinition, MSFT_ScheduledTask). Admin modules that manage
// services and tasks (Carbon) create those and no remote process.
rule powershell_remote_execution_methods
{
    meta:
        severity = "high"
        attack = "T1047,T1021.003,T1569.002,T1053.005,T1059.001"
        description = "PowerShell that offers two or more ways to run a command on another host (WMI Win32_Process Create, a created service, a registered scheduled task, DCOM)"
    strings:
        $remote = /-(ComputerName|CimSession)\b|\bNew-CimSession\b|\\\\\\\\\$\w+\\+root\\+cimv2/ nocase
        $proc = "Win32_Process" nocase fullword
        $create = /(-MethodName|-Name)\s+["']?Create\b|\(\s*["']Create["']/ nocase
        $svc1 = "Win32_Service" nocase fullword
        $svc2 = /\bCreateService[AW]?\b/ nocase
        $task1 = "Schedule.Service" nocase
        $task2 = "RegisterTaskDefinition" nocase
        $task3 = "MSFT_ScheduledTask" nocase
        $dcom1 = "MMC20.Application" nocase
        $dcom2 = "9BA05972-F6A8-11CF-A442-00A0C90A8F39" nocase
        $dcom3 = "C08AFD90-F2A1-11D1-8455-00A0C91F3880" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $remote and
        ((($proc and $create) and ((($svc1 and $create) or $svc2) or any of ($task*) or
                                   any of ($dcom*))) or
         (any of ($dcom*) and ((($svc1 and $create) or $svc2) or any of ($task*))))
}

// The hives that hold the local password hashes saved to files together: SAM with SYSTEM (its
// boot key) or SECURITY (LSA secrets, cached logons), by reg save or RegSaveKey.
rule powershell_credential_hive_save
{
    meta:
        severity = "high"
        attack = "T1003.002,T1003.004,T1059.001"
        description = "PowerShell that saves the SAM hive with the SYSTEM or SECURITY hive (reg save, RegSaveKey): the local password hashes and their key"
    strings:
        $sam1 = /\breg(\.exe)?["']?\s+save\s+["']?(HKLM|HKEY_LOCAL_MACHINE)\\+SAM\b/ nocase
        $sys1 = /\breg(\.exe)?["']?\s+save\s+["']?(HKLM|HKEY_LOCAL_MACHINE)\\+(SYSTEM|SECURITY)\b/ nocase
        $api = /\bRegSaveKey(Ex)?[AW]?\b/ nocase
        $sam2 = /["']SAM["']/
        $sys2 = /["'](SYSTEM|SECURITY)["']/
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and
        (($sam1 and $sys1) or ($api and $sam2 and $sys2))
}

// The directory database copied through the tools made for backups: ntdsutil's install-from-
// media snapshot.
rule powershell_ntds_ifm_snapshot
{
    meta:
        severity = "high"
        attack = "T1003.003,T1059.001"
        description = "PowerShell that runs ntdsutil to create an install-from-media copy of the directory database (ntds.dit)"
    strings:
        $ntdsutil = "ntdsutil" nocase
        $ifm = /["'\s]ifm["'\s]/ nocase
        $create = /create\s+full\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $ntdsutil and $ifm and $create
}

// Rights written into the directory that hand over an account or the domain: replication rights
// (DS-Replication-Get-Changes and -All: DCSync for whoever gets them), key credentials (shadow
// credentials) or resource-based delegation set on an object.
rule powershell_directory_rights_backdoor
{
    meta:
        severity = "high"
        attack = "T1098,T1222.001,T1059.001"
        description = "PowerShell that writes replication rights, key credentials (msDS-KeyCredentialLink) or resource-based delegation into a directory object"
    strings:
        $repl1 = "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2" nocase
        $repl2 = "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2" nocase
        $ace = /\b(ActiveDirectoryAccessRule|AddAccessRule)\b/ nocase
        $kcl = "msDS-KeyCredentialLink" nocase
        $rbcd = "msDS-AllowedToActOnBehalfOfOtherIdentity" nocase
        $write = /\.CommitChanges\s*\(|\bModifyRequest\b|\.Put\s*\(|\bSet-AD(Object|Computer|User)\b[^\n]{0,200}-(Replace|Add)\b/ nocase
        $sd = /\bRawSecurityDescriptor\b|O:BAD:\(A;;/ nocase
        $keycred = /\bDeviceId\b|\bKeyCredential\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and
        ((($repl1 or $repl2) and $ace and $write) or ($kcl and $write and $ace) or
         ($kcl and $write and $keycred) or ($rbcd and $write and $sd))
}

// Native functions by what they reach, whatever the script names its wrappers: three or more
// functions of one technique declared (DllImport in Add-Type source, PSReflect's `func`,
// DefinePInvokeMethod) in one script. Admin modules that declare native functions call file,
// window, service and installer APIs; of these tables they declare one at most (a run-as helper
// opens its own token and logs a user on).
rule powershell_native_token_calls
{
    meta:
        severity = "high"
        attack = "T1134,T1106,T1059.001"
        description = "PowerShell that declares three or more native functions that duplicate, impersonate or hand over access tokens"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = /\bfunc\s+(advapi32|ntdll|kernel32)\b/ nocase
        $t1 = "OpenThreadToken" nocase fullword
        $t2 = /\bDuplicateToken(Ex)?\b/ nocase
        $t3 = "ImpersonateLoggedOnUser" nocase fullword
        $t4 = "SetThreadToken" nocase fullword
        $t5 = /\bCreateProcessWith(Token|Logon)W?\b/ nocase
        $t6 = "NtSetInformationToken" nocase fullword
        $t7 = "NtFilterToken" nocase fullword
        $t8 = "NtImpersonateThread" nocase fullword
        $t9 = "RtlAdjustPrivilege" nocase fullword
        $t10 = "ImpersonateNamedPipeClient" nocase fullword
        $t11 = /\bNt(OpenProcessToken|DuplicateToken|CreateToken)(Ex)?\b/ nocase
        $t12 = "OpenProcessToken" nocase fullword
        $t13 = "OpenProcess" nocase fullword
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and 4 of ($t*)
}

rule powershell_native_process_access
{
    meta:
        severity = "high"
        attack = "T1055,T1106,T1059.001"
        description = "PowerShell that declares three or more native functions that open, read, write, suspend or start threads in other processes or walk their handles"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = /\bfunc\s+(advapi32|ntdll|kernel32|dbghelp)\b/ nocase
        $p1 = "OpenProcess" nocase fullword
        $p2 = /\b(Nt)?ReadProcessMemory\b|\bNtReadVirtualMemory\b/ nocase
        $p3 = /\bWriteProcessMemory\b|\bNtWriteVirtualMemory\b/ nocase
        $p4 = /\bVirtual(AllocEx|ProtectEx|QueryEx)\b/ nocase
        $p5 = /\b(CreateRemoteThread(Ex)?|NtCreateThreadEx|RtlCreateUserThread)\b/ nocase
        $p6 = /\b(QueueUserAPC|NtQueueApcThread)\b/ nocase
        $p7 = /\b(Wow64)?(Set|Get)ThreadContext\b/ nocase
        $p8 = /\b(SuspendThread|NtSuspendProcess|Wow64SuspendThread)\b/ nocase
        $p9 = "OpenThread" nocase fullword
        $p10 = /\bNtQuery(InformationProcess|SystemInformation|Object)\b/ nocase
        $p11 = /\b(NtDuplicateObject|DuplicateHandle)\b/ nocase
        $p12 = "MiniDumpWriteDump" nocase fullword
        $p13 = /\bNt(Un)?MapViewOfSection\b|\bZwUnmapViewOfSection\b/ nocase
        $p14 = "UpdateProcThreadAttribute" nocase fullword
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and 3 of ($p*)
}

rule powershell_native_credential_calls
{
    meta:
        severity = "high"
        attack = "T1003,T1555,T1106,T1059.001"
        description = "PowerShell that declares two or more native functions that read stored credentials, LSA secrets, logon sessions or browser and Wi-Fi keys"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = /\bfunc\s+(advapi32|secur32|vaultcli|samlib|nss3|wlanapi|crypt32)\b/ nocase
        $c1 = /\bCred(Enumerate|Read)[AW]?\b/ nocase
        $c2 = /\bVault(EnumerateVaults|EnumerateItems|GetItem|OpenVault)\b/ nocase
        $c3 = /\bLsa(RetrievePrivateData|OpenSecret|QuerySecret)\b/ nocase
        $c4 = /\bLsa(EnumerateLogonSessions|GetLogonSessionData)\b/ nocase
        $c5 = /\bLsa(CallAuthenticationPackage|ConnectUntrusted|RegisterLogonProcess)\b/ nocase
        $c6 = /\bSam(Connect|OpenDomain|OpenUser|QueryInformationUser|rConnect)\b/ nocase
        $c7 = /\bPK11SDR_Decrypt\b|\bNSS_Init\b/ nocase
        $c8 = /\bWlanGetProfile\b/ nocase
        $c9 = /\b(AddSecurityPackage|EnumerateSecurityPackages)[AW]?\b/ nocase
        $c10 = "MiniDumpWriteDump" nocase fullword
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and 2 of ($c*)
}

rule powershell_native_session_discovery
{
    meta:
        severity = "medium"
        attack = "T1049,T1033,T1135,T1087,T1059.001"
        description = "PowerShell that declares two or more native functions that list another host's sessions, logged-on users, shares, group members or domain trusts"
    strings:
        $d1 = "DllImport" nocase
        $d2 = "DefinePInvokeMethod" nocase
        $d3 = /\bfunc\s+(netapi32|wtsapi32|advapi32)\b/ nocase
        $s1 = "NetSessionEnum" nocase fullword
        $s2 = "NetWkstaUserEnum" nocase fullword
        $s3 = "NetShareEnum" nocase fullword
        $s4 = /\bNetLocalGroup(GetMembers|Enum)\b/ nocase
        $s5 = /\bNet(GroupGetUsers|UserEnum|ServerEnum)\b/ nocase
        $s6 = /\bWTSEnumerateSessions(Ex)?[AW]?\b/ nocase
        $s7 = /\bWTSQuerySessionInformation[AW]?\b/ nocase
        $s8 = /\bDsEnumerateDomainTrusts[AW]?\b/ nocase
        $s9 = /\bLsaEnumerateLogonSessions\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and any of ($d*) and 2 of ($s*)
}

// Native functions found by name at run time and called through delegates: LoadLibrary or
// GetModuleHandle, GetProcAddress, then a delegate made from the pointer. How PowerShell tools
// reach native code without declaring it (PowerSploit's Get-ProcAddress, shellcode runners).
rule powershell_runtime_native_resolution
{
    meta:
        severity = "medium"
        attack = "T1106,T1620,T1059.001"
        description = "PowerShell that resolves native functions by name at run time (GetModuleHandle or LoadLibrary, GetProcAddress) and calls them through delegates (GetDelegateForFunctionPointer)"
    strings:
        $mod = /\b(LoadLibrary|GetModuleHandle)(A|W|Ex)?\b/ nocase
        $gpa = "GetProcAddress" nocase fullword
        $fptr = "GetDelegateForFunctionPointer" nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $mod and $gpa and $fptr
}

// SQL Server made to authenticate to a host the script names: an extended procedure that opens
// a path (xp_dirtree, xp_fileexist, xp_subdirs) handed a UNC path built from a variable, so the
// service account's NetNTLM hash reaches a capture server. Restore tools list local or share
// folders they were given whole ('$Path'), never \\$host\ built from an address.
rule powershell_sql_unc_authentication_coercion
{
    meta:
        severity = "high"
        attack = "T1187,T1557.001,T1059.001"
        description = "PowerShell that makes SQL Server open a UNC path on a host it names (xp_dirtree, xp_fileexist) to capture the service account's hash"
    strings:
        $xp = /\bxp_(dirtree|fileexist|subdirs)\s*\(?\s*N?'\\\\+\$/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $xp
}

// A SQL login raised to sysadmin by the script itself: sp_addsrvrolemember 'sysadmin' run after
// impersonating another login (EXECUTE AS LOGIN) or from a TRUSTWORTHY database's owner.
rule powershell_sql_sysadmin_escalation
{
    meta:
        severity = "high"
        attack = "T1068,T1098,T1059.001"
        description = "PowerShell that impersonates a SQL login or abuses a TRUSTWORTHY database to add a login to the sysadmin role"
    strings:
        $add = /\bsp_addsrvrolemember\b[^\n]{0,80}sysadmin/ nocase
        $as = /\bEXECUTE\s+AS\s+LOGIN\s*=/ nocase
        $trust = /\bis_trustworthy_on\b|\bTRUSTWORTHY\s+ON\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and $add and ($as or $trust)
}

// A DLL handed to the DNS service as a server-level plugin (dnscmd /config
// /serverlevelplugindll, or the ServerLevelPluginDll value): DnsAdmins members get code run as
// SYSTEM on a domain controller.
rule powershell_dns_server_plugin_dll
{
    meta:
        severity = "high"
        attack = "T1574,T1068,T1059.001"
        description = "PowerShell that configures a DLL for the DNS server to load (dnscmd /config /serverlevelplugindll, ServerLevelPluginDll): code run as SYSTEM through DnsAdmins"
    strings:
        $cmd = /\bdnscmd(\.exe)?\s[^\n]{0,120}\/config\s[^\n]{0,40}\/serverlevelplugindll\s/ nocase
        $reg = /Services\\+DNS\\+Parameters[^\n]{0,80}ServerLevelPluginDll/ nocase
        $set = /\b(Set-ItemProperty|New-ItemProperty|reg(\.exe)?\s+add)\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and ($cmd or ($reg and $set))
}

// Azure AD Connect's stored credentials decrypted: the ADSync database's keyset and encrypted
// agent configuration read and handed to its own KeyManager (the sync account's password).
rule powershell_adsync_credential_decrypt
{
    meta:
        severity = "high"
        attack = "T1555,T1552.001,T1059.001"
        description = "PowerShell that reads Azure AD Connect's keyset and encrypted agent configuration from the ADSync database and decrypts them with its KeyManager"
    strings:
        $t1 = "mms_server_configuration" nocase
        $t2 = "mms_management_agent" nocase
        $k1 = "keyset_id" nocase
        $k2 = "encrypted_configuration" nocase
        $km = /\bKeyManager\b|\bLoadKeySet\b/ nocase
    condition:
        file_type != "document" and powershell_code_marks and filesize < 8MB and ($t1 or $t2) and any of ($k*) and $km
}

// The Run dialog's history (Explorer\RunMRU) or PowerShell's own (PSReadLine's
// ConsoleHost_history.txt, Clear-History) wiped by the script: a keystroke injector (BadUSB,
// Bash Bunny, Rubber Ducky) types its launcher into Win+R and erases the trace afterwards.
// Admin scripts read these keys at most; none found among the benign modules deletes them. A
// batch file or WSH script is not PowerShell: the id would not be its language's.
rule powershell_command_history_wipe
{
    meta:
        severity = "medium"
        attack = "T1070.003,T1059.001"
        description = "PowerShell that deletes the Run dialog's history (RunMRU) or PowerShell's command history: the trace of a command typed by a keystroke injector"
    strings:
        $mru_del = /\b(Remove-ItemProperty|Remove-Item|Clear-ItemProperty|rp|ri|reg(\.exe)?\s+delete)\s[^\n|;]{0,160}Explorer\\+RunMRU\b/ nocase
        // $p = "HKCU:\...\RunMRU"; ... rp $p $name
        $mru_var = /\$\w{1,30}\s*=\s*["'][^"'\n]{0,120}Explorer\\+RunMRU["'][^\n]{0,300}\b(Remove-ItemProperty|Clear-ItemProperty|rp|Remove-Item)\s+(-Path\s+)?\$\w/ nocase
        $hist_del = /\b(Remove-Item|ri|rm|del|Clear-Content)\s[^\n|;]{0,120}(\(Get-PSReadLineOption\)\.HistorySavePath|ConsoleHost_history\.txt)/ nocase
        $hist_clear = /\bClear-History\b/ nocase
        $hist_path = /HistorySavePath|ConsoleHost_history/ nocase
    condition:
        file_type != "document" and filesize < 1MB and
        not filename matches /\.(vbs|vbe|js|jse|wsf|hta|bat|cmd)$/i and
        ($mru_del or $mru_var or $hist_del or ($hist_clear and $hist_path))
}

// A command loop over HTTP: forever (while ($true)), a web request fetches the next
// command, the script runs it (Invoke-Expression, a script block, powershell on a file it
// wrote) and posts the output back: an HTTP reverse shell (hoaxshell and its kind), the loop
// of a C2 agent. Admin scripts that poll a service do not run what it answers.
rule powershell_http_command_loop
{
    meta:
        severity = "high"
        attack = "T1071.001,T1105,T1059.001"
        description = "PowerShell that loops forever fetching commands over HTTP, runs them and posts the output back (an HTTP reverse shell)"
    strings:
        $loop = /\bwhile\s*\(\s*(\$true|1)\s*\)/ nocase
        $get = /\b(Invoke-WebRequest|iwr|Invoke-RestMethod|irm)\b|\.(DownloadString|DownloadData|GetResponse|GetAsync|GetStringAsync)\s*\(/ nocase
        $run1 = /(^|[;{(\s=|])(iex|Invoke-Expression)\b/ nocase
        $run2 = /\[scriptblock\]::Create\s*\(/ nocase
        $run3 = /\bpowershell(\.exe)?\s+(-ep|-exec|-executionpolicy)\s+bypass\s/ nocase
        $post = /-Method\s+["']?POST\b|\.(UploadString|UploadData|UploadValues|PostAsync)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 64KB and $loop and $get and any of ($run*) and
        $post
}

// Files sent to a web service that keeps them for the sender: the Dropbox upload API, a
// Discord webhook or a Telegram bot given a file. Exfiltration of what a keystroke-injector
// or stealer script collected; a notification posts a message, not a file.
rule powershell_web_service_file_upload
{
    meta:
        severity = "high"
        attack = "T1567.002,T1059.001"
        description = "PowerShell that uploads files to Dropbox's API, a Discord webhook or a Telegram bot (exfiltration over a web service)"
    strings:
        $dropbox = /content\.dropboxapi\.com\/2\/files\/upload\b/ nocase
        $discord = /discord(app)?\.com\/api\/webhooks\// nocase
        $telegram = /api\.telegram\.org\/bot[^\n"']{0,80}\/send(Document|Photo)\b/ nocase
        $file1 = /-InFile\b|\.UploadFile\s*\(|MultipartFormDataContent|StreamContent\s*\(|ReadAllBytes\s*\(/ nocase
        $file2 = /-Form\s+@?\{?[^\n]{0,120}(Get-Item|\bfile\s*=)/ nocase
        // the same with the address in a variable: curl's form upload to a webhook, a
        // Telegram bot's document in a multipart body
        $hook_curl = /\bcurl(\.exe)?\s[^\n]{0,80}-F\s+["']?\w+=@[^\n]{0,120}\$\w*hook\w*/ nocase
        $tg_doc = /name=\W{0,3}document\W{0,3};\s*filename=/ nocase
        $tg_chat = "chat_id" nocase
    condition:
        file_type != "document" and filesize < 1MB and
        ($dropbox or (($discord or $telegram) and any of ($file*)) or $hook_curl or
         ($tg_doc and $tg_chat))
}

// The files where a browser keeps logins, cookies and history copied or read by a script that
// names several of them (Chrome/Edge User Data, Firefox profiles): a stealer's collection step.
rule powershell_browser_store_collection
{
    meta:
        severity = "medium"
        attack = "T1555.003,T1539,T1059.001"
        description = "PowerShell that copies or reads several of a browser's stores of logins, cookies and history (Login Data, Cookies, Web Data, key4.db, logins.json, cookies.sqlite)"
    strings:
        $s1 = /User Data\\+Default\\+(Network\\+)?Cookies\b/ nocase
        $s2 = /User Data\\+Default\\+Login Data\b/ nocase
        $s3 = /User Data\\+Default\\+Web Data\b/ nocase
        $s4 = /\bcookies\.sqlite\b/ nocase
        $s5 = /\blogins\.json\b/ nocase
        $s6 = /\bkey4\.db\b/ nocase
        $s7 = /User Data\\+Local State\b/ nocase
        $s8 = /\/Default\/(Login Data|Cookies)\b/ nocase
        $take = /\b(Copy-Item|Compress-Archive|Get-Content|ReadAllBytes|ReadAllText|FileStream|OpenRead)\b|File\]::Copy\b/ nocase
    condition:
        file_type != "document" and filesize < 1MB and 2 of ($s*) and $take
}

// A .NET program decoded from base64 (or inflated) and started in the PowerShell process
// through its entry point: Assembly::Load of the bytes and EntryPoint.Invoke, a program run
// without a file (PowerSharpPack, PowerHub and Empire's loaders). Modules that ship a library
// as base64 load it and call its types; they do not run a program's Main.
rule powershell_assembly_entrypoint_invoke
{
    meta:
        severity = "high"
        attack = "T1620,T1140,T1059.001"
        description = "PowerShell that loads a .NET program from base64 or compressed bytes and runs its Main in-process (Assembly::Load, EntryPoint.Invoke)"
    strings:
        $load = /Assembly\]\s*::\s*Load\s*\(/ nocase
        $entry = /\.EntryPoint\s*\.\s*Invoke\s*\(/ nocase
        $b64 = "FromBase64String" nocase
        $inflate = /\b(GzipStream|DeflateStream)\b/ nocase
    condition:
        file_type != "document" and filesize < 16MB and $load and $entry and ($b64 or $inflate)
}

// A removable drive found by its volume label or type and a "loot" folder on it filled: how
// keystroke-injector payloads (Bash Bunny, Rubber Ducky, O.MG and their imitators) carry off
// what the script collected. Backup scripts name their own folders.
rule powershell_removable_drive_loot
{
    meta:
        severity = "medium"
        attack = "T1052.001,T1119,T1059.001"
        description = "PowerShell that finds a removable drive by its label and writes what it collects into a loot folder on it (exfiltration over a USB device)"
    strings:
        $drive = /\b(Win32_Volume|Win32_LogicalDisk|Get-Volume)\b|DriveType\s*-eq\s*2\b|-FileSystemLabel\b/ nocase
        $loot = /[\\\/]loot([\\\/"'$]|\s)/ nocase
    condition:
        file_type != "document" and filesize < 1MB and
        not filename matches /\.(vbs|vbe|js|jse|wsf|hta|bat|cmd)$/i and $drive and $loot
}

// Microsoft Defender switched off or blinded through its own cmdlets: real-time, behaviour,
// download (IOAV) or script scanning disabled, or an exclusion that covers everything a payload
// drops (a drive's root, System32, the user profile, temporary and roaming folders, the
// Startup folder, all executables or scripts by extension, PowerShell itself). Keystroke
// injectors and droppers open with it. Admin scripts turn protection on (attack surface
// reduction rules, -Disable...$false) or exclude their own application's folder; none of the
// benign modules checked disables a scanner or excludes a whole drive.
rule powershell_defender_tampering
{
    meta:
        severity = "medium"
        attack = "T1562.001,T1059.001"
        description = "PowerShell that disables Microsoft Defender's scanning (Set-MpPreference -Disable...$true) or excludes a drive, a system or user folder, executables or PowerShell from it (impair defenses)"
    strings:
        $disable = /\b(Set|Add)-MpPreference\b[^\n;|]{0,200}-Disable(RealtimeMonitoring|IOAVProtection|BehaviorMonitoring|BlockAtFirstSeen|ScriptScanning|IntrusionPreventionSystem|OnAccessProtection|ScanOnRealtimeEnable)\s*:?\s*(\$true|1)\b/ nocase
        $excl_path = /\b(Set|Add)-MpPreference\b[^\n;|]{0,120}-ExclusionPath\s+(["']|\xe2\x80[\x9c\x9d])?\s*([A-Za-z]:\\?(["'\s;]|\xe2\x80[\x9c\x9d]|$)|[A-Za-z]:\\(Windows\\System32|Windows\\Temp|Users|ProgramData)\b|\$env:(TEMP|TMP|APPDATA|LOCALAPPDATA|USERPROFILE|PUBLIC|ProgramData|SystemRoot|WinDir)\b|%(TEMP|APPDATA|USERPROFILE)%)/ nocase
        $excl_ext = /\b(Set|Add)-MpPreference\b[^\n;|]{0,120}-ExclusionExtension\s+["']?\.?(exe|ps1|bat|cmd|vbs|dll|scr|hta|js)\b/ nocase
        $excl_proc = /\b(Set|Add)-MpPreference\b[^\n;|]{0,120}-ExclusionProcess\s+["']?(powershell|pwsh|cmd|rundll32|regsvr32|mshta|wscript|cscript)(\.exe)?\b/ nocase
        $reporting = /\bSet-MpPreference\b[^\n;|]{0,120}-(MAPSReporting\s+(0|Disabled?)|SubmitSamplesConsent\s+(2|NeverSend))\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

// The download cradle in two statements: a web request's answer kept in a variable, then that
// variable run as code (Invoke-Expression, a script block): $p = iwr URL; iex $p. The one-line
// forms are powershell_download_cradle's. Admin scripts keep what a request returns and
// read its fields; they do not run it.
rule powershell_download_cradle_variable
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001"
        description = "PowerShell that keeps a download in a variable and runs it as code ($x = Invoke-WebRequest/DownloadString ...; iex $x)"
    strings:
        $dl_var = /\$\w{1,40}\s*=\s*\(?\s*((iwr|Invoke-WebRequest|irm|Invoke-RestMethod)\s|\(\s*New-Object\s+(System\.)?Net\.WebClient\s*\)\s*\.Download(String|Data)\s*\(|\[(System\.)?Net\.WebClient\]::new\(\)\.DownloadString\()[^\n]{0,300}(;|\n)[^\n]{0,200}(\b(iex|Invoke-Expression)\s*\(?\s*\$\w{1,40}(\.Content)?\s*\)?\s*($|[;|}\n])|\[ScriptBlock\]::Create\(\s*\$\w{1,40}(\.Content)?\s*\))/ nocase
        // a download written to a file named by a variable, then that name handed to iex
        $dl_file = /\b(iwr|Invoke-WebRequest|wget|curl)\s[^\n]{0,300}\s-O(utFile)?\s+\$\w{1,40}\s*;\s*(iex|Invoke-Expression)\s+\$\w{1,40}\s*($|[;|}\n"'])/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($dl_var or $dl_file)
}

// A PowerShell command line that hides its window (-w h, -WindowStyle Hidden) and downloads in
// the same line: the launcher that a keystroke injector types into the Run dialog, a macro or a
// shortcut starts. Installers and admin scripts download in a window, or in a script file whose
// own launcher is not in the text; none of the benign modules checked has such a line.
rule powershell_hidden_download_launcher
{
    meta:
        severity = "high"
        attack = "T1105,T1564.003,T1059.001"
        description = "a PowerShell command line that hides its window and downloads (powershell -w hidden ... Invoke-WebRequest/DownloadFile/DownloadString): a dropper's launcher"
    strings:
        $launch = /\bpowershell(\.exe)?["']?\s[^\n]{0,80}[-\/]w(in(dow(style)?)?)?\s+["']?(h(idden)?|1)\b[^\n]{0,300}\b(iwr|Invoke-WebRequest|irm|Invoke-RestMethod|wget|curl|Start-BitsTransfer|Net\.WebClient|DownloadFile|DownloadString|DownloadData)\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and $launch
}

// Code run from the keystroke injector's own storage, found by its volume label: the typed
// launcher asks WMI (Win32_Volume) or Get-Volume for the drive named like the device and runs
// the script or program on it (iex, Start-Process, the call operator). Backup scripts find a
// drive by label to write to it, not to run what is on it.
rule powershell_run_from_labelled_drive
{
    meta:
        severity = "medium"
        attack = "T1200,T1059.001"
        description = "PowerShell that runs a script or program from a removable drive found by its volume label (a keystroke injector's own storage)"
    strings:
        $run = /(\b(iex|Invoke-Expression|Start-Process|saps|start)\s*\(?|[&.]\s*)\s*\(\s*\(\s*(gwmi|Get-WmiObject|Get-CimInstance)\s+(-Class(Name)?\s+)?win32_volume\s[^\n]{0,60}label\s*=/ nocase
        $run_vol = /(\b(iex|Invoke-Expression|Start-Process|saps|start)\s*\(?|[&.]\s*)\s*\(\s*\(\s*Get-Volume\s+-FileSystemLabel\s/ nocase
    condition:
        file_type != "document" and filesize < 1MB and ($run or $run_vol)
}
