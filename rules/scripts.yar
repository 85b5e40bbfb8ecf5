// Script droppers and download-and-execute (T1105 ingress tool transfer, T1059.* interpreters).
// Every rule here reads scripts, not documentation: file_type is "document" for prose with
// Markdown or reStructuredText structure (a README that shows an install one-liner), and such
// a file is clean unless it is itself script text (rules/README.md).

rule shell_download_execute
{
    meta:
        severity = "high"
        attack = "T1105,T1059.004"
        description = "a shell script that downloads code and runs it (curl/wget piped into a shell, or fetched, made executable and started)"
    strings:
        $pipe = /\b(curl|wget)\s[^\n;]{0,300}\|\s*(sudo\s+)?(env\s+)?(ba|da|z|k)?sh\b/
        $pipe_py = /\b(curl|wget)\s[^\n;]{0,300}\|\s*(sudo\s+)?(python[0-9.]*|perl|ruby|node)\b/
        // the interpreter given its code on the command line (perl -ne '...', python -c '...'):
        // what was downloaded is its input, data (a page scraped for a version number), unless
        // that code runs what it reads
        $pipe_data = /\b(curl|wget)\s[^\n;]{0,300}\|\s*(sudo\s+)?(python[0-9.]*\s+(-[A-Za-z]+\s+)*-[A-Za-z]*c|perl\s+(-[A-Za-z]+\s+)*-[A-Za-z]*[eE]|ruby\s+(-[A-Za-z]+\s+)*-[A-Za-z]*e|node\s+(-[A-Za-z-]+\s+)*(-e|-p|--eval|--print))\b/
        $pipe_data_run = /\b(curl|wget)\s[^\n;]{0,300}\|\s*(sudo\s+)?(python[0-9.]*|perl|ruby|node)\s+-[^\n]{0,200}\b(eval|exec|system|popen|spawn|sys\.stdin\.read)\b/
        $subst = /\b(ba)?sh\s+-c\s+["']?\$\(\s*(curl|wget)\s/
        // the same in a comment line: an installer's usage note ("#   sh -c \"$(curl -fsSL
        // .../install.sh)\""), which does not run
        $pipe_comment = /\n[ \t]*#[^\n]{0,200}\b(curl|wget)\s[^\n;]{0,300}\|\s*(sudo\s+)?(env\s+)?(ba|da|z|k)?sh\b/
        $subst_comment = /\n[ \t]*#[^\n]{0,200}\b(ba)?sh\s+-c\s+["']?\$\(\s*(curl|wget)\s/
        $procsub = /\b(ba)?sh\s+<\(\s*(curl|wget)\s/
        $b64 = /base64\s+(-d|--decode|-D)[^\n]{0,60}\|\s*(ba|da|z)?sh\b/
        // fetched to a file, made executable and started, within a few lines of each other
        // (a build file that downloads in one place and runs ./configure in another is not it)
        $drop = /\b(curl|wget)\s[^\n]{0,200}(-o|-O|--output)\s.{0,400}\bchmod\s+([augo]*\+x|[0-7]?[0-7][1357][0-7])\s.{0,400}[\n;&|]\s*(\.\/|\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)[A-Za-z0-9._-]+/s
        // JavaScript starts a shell only through Node.js's child_process: a .js file without
        // it that quotes an install line is data (a documentation search index), not a shell
        $node_proc = /\bchild_process\b/
    condition:
        file_type != "document" and filesize < 16MB and
        (not filename matches /\.(js|mjs|cjs)$/i or $node_proc) and
        (#pipe > #pipe_comment or (#pipe_py > #pipe_data) or $pipe_data_run or
         #subst > #subst_comment or $procsub or $b64 or $drop)
}

rule shell_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.004"
        description = "a reverse shell (/dev/tcp redirection or nc -e)"
    strings:
        $devtcp = /(ba)?sh\s+-i\s+[>&0-9 ]{0,10}\/dev\/tcp\//
        $devtcp2 = /\/dev\/tcp\/[0-9a-zA-Z.-]+\/[0-9]+\s+0>&1/
        $nc = /\b(nc|ncat|netcat)\s[^\n]{0,80}\s-e\s+\/bin\/(ba)?sh/
    condition:
        file_type != "document" and any of them
}

rule python_download_execute
{
    meta:
        severity = "high"
        attack = "T1105,T1059.006"
        description = "a Python script that downloads code and executes it or makes it executable"
    // The download and the execution within a few lines of each other: a changelog or a
    // library that mentions urlopen( in one place and exec( in another is not a dropper.
    strings:
        $dl_ex = /(urlopen|requests\.get|urlretrieve)\(.{0,600}(\bexec\s*\(|os\.chmod\([^)]{0,200}(0o?7[0-7][0-7]|S_IEXEC|S_IXUSR)|subprocess\.(Popen|call|run|check_call)\(\s*\[?\s*["']?(\/tmp\/|\.\/)|os\.system\(\s*["'](\/tmp\/|\.\/|chmod))/s
        $ex_dl = /\bexec\s*\(.{0,200}(urlopen|requests\.get)\(/s
    condition:
        file_type != "document" and filesize < 16MB and any of them
}

rule python_encoded_exec
{
    meta:
        severity = "high"
        attack = "T1027,T1059.006"
        description = "Python that executes code it decodes (exec of base64, zlib or marshal)"
    strings:
        $a = /exec\s*\(\s*(base64\.b64decode|zlib\.decompress|codecs\.decode|marshal\.loads|__import__\(\s*['"](base64|zlib|marshal))/
    condition:
        file_type != "document" and $a
}

rule powershell_download_cradle
{
    meta:
        severity = "high"
        attack = "T1105,T1059.001"
        description = "PowerShell that downloads and runs code (IEX with DownloadString/Invoke-WebRequest) or runs an encoded command"
    // Statements, not words: IEX applied to a download, a download piped into IEX, a file
    // downloaded then started. A list of cmdlet names (a syntax highlighter's) is not one.
    strings:
        $iex_dl = /\b(iex|invoke-expression)\s*\(?\s*(\(\s*new-object\s+(system\.)?net\.webclient\s*\)\s*\.download(string|data)|\$[a-z0-9_:]+\.download(string|data)|(iwr|invoke-webrequest|irm|invoke-restmethod)\s)/ nocase
        $dl_iex = /(\.downloadstring\s*\(|\b(iwr|invoke-webrequest|irm|invoke-restmethod)\s)[^\n]{0,300}\|\s*(iex|invoke-expression)\b/ nocase
        $file_start = /\.downloadfile\s*\([^\n]{0,300}(\n[^\n]{0,300}){0,3}start-process\s/ nocase
        $enc = /powershell(\.exe)?\s[^\n]{0,60}-(e|ec|enc|encodedcommand)\s+[A-Za-z0-9+\/=]{40,}/ nocase
    condition:
        file_type != "document" and any of them
}

rule windows_certutil_download
{
    meta:
        severity = "high"
        attack = "T1105,T1140"
        description = "certutil abused to download a file (-urlcache -f, -verifyctl -f) or decode one"
    strings:
        $urlcache = /certutil(\.exe)?\s[^\n]{0,60}-urlcache/ nocase
        $verifyctl = /certutil(\.exe)?\s[^\n]{0,60}-verifyctl\s[^\n]{0,40}https?:/ nocase
        $decode = /certutil(\.exe)?\s[^\n]{0,40}-decode(hex)?\s[^\n]{0,200}[\n&;|][^\n]{0,40}(start|\.exe|rundll32|regsvr32)/ nocase
    condition:
        file_type != "document" and any of them
}

rule windows_bits_download
{
    meta:
        severity = "high"
        attack = "T1197,T1105"
        description = "BITS abused to download a file (bitsadmin /transfer or /addfile; Start-BitsTransfer into a temporary, roaming or public folder, or from an address given as digits)"
    strings:
        $bits = /bitsadmin(\.exe)?\s[^\n]{0,40}\/(transfer|addfile|create)/ nocase
        // Administrators' scripts fetch installers with Start-BitsTransfer into their
        // Downloads or a folder of their own (microsoft/MSLab: 19 scripts); a dropper stages
        // its payload where any user may write and nobody looks, or fetches from a bare IP.
        $ps_stage = /start-bitstransfer\s[^\n]{0,200}(\$env:(temp|tmp|appdata|localappdata|public|programdata)\b|%(temp|tmp|appdata|localappdata|public|programdata)%|\\users\\public\\|\\appdata\\|\\windows\\temp\\|\\programdata\\|\\start menu\\programs\\startup)/ nocase
        $ps_ip = /start-bitstransfer\s[^\n]{0,60}https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}[:\/]/ nocase
        $ps_url = /start-bitstransfer\s[^\n]{0,40}(-source\s+)?["']?https?:/ nocase
        $tmp_var = /\$\w+\s*=\s*["']?(\$env:(temp|tmp|appdata|public|programdata)\b|\[(system\.)?io\.path\]::gettemppath)/ nocase
    condition:
        file_type != "document" and ($bits or $ps_stage or $ps_ip or ($ps_url and $tmp_var))
}

rule windows_mshta_remote
{
    meta:
        severity = "high"
        attack = "T1218.005,T1105"
        description = "mshta running a remote HTA or inline script (mshta http://..., vbscript:, javascript:)"
    strings:
        $mshta = /mshta(\.exe)?["']?\s+["']?(https?:|\\\\)/ nocase
        // inline script that reaches for COM, the network or a program; not the VBScript
        // idiom that borrows mshta's clipboard (javascript:...clipboardData.setData(...))
        $inline = /mshta(\.exe)?["']?\s+["']?(vbscript|javascript):[^\n]{0,400}(GetObject|ActiveXObject|CreateObject|Execute|WScript|script:|https?:|\\\\|\.Run\b|\.Exec\b|powershell|cmd)/ nocase
    condition:
        file_type != "document" and ($mshta or $inline)
}

rule windows_regsvr32_remote
{
    meta:
        severity = "high"
        attack = "T1218.010,T1105"
        description = "regsvr32 loading a remote scriptlet (/i:http..., Squiblydoo)"
    strings:
        $regsvr = /regsvr32[^\n]{0,40}\/i:\s*["']?https?:/ nocase
    condition:
        file_type != "document" and $regsvr
}

rule wsh_dropper
{
    meta:
        severity = "high"
        attack = "T1105,T1059.005,T1059.007"
        description = "a JScript or VBScript dropper: fetches with XMLHTTP, writes with ADODB.Stream, runs with WScript.Shell"
    strings:
        $http1 = "XMLHTTP" nocase
        $http2 = "WinHttpRequest" nocase
        $stream = "ADODB.Stream" nocase
        $shell1 = "WScript.Shell" nocase
        $shell2 = "Shell.Application" nocase
        // a Node.js module (an emulator of these objects, a registry library) names them too
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        // an ASP server page runs on the web server, not in Windows Script Host: CMS pages
        // fetch remote pictures with XMLHTTP and save them with ADODB.Stream, and server
        // probes list WScript.Shell among the components they test; webshells.yar judges them
        $server_page = /<%|\brunat\s*=\s*["']?server|\bserver\s*\.\s*(createobject|mappath)\b/ nocase
        // without a stream to save it, what was fetched is run: admin scripts that check a
        // link over XMLHTTP beside WScript.Shell for their shortcuts run nothing
        $run = /\.(Run|Exec|ShellExecute)\b/ nocase
    condition:
        file_type != "document" and filesize < 16MB and any of ($http*) and
        ($stream or (any of ($shell*) and $run)) and none of ($module*) and not $server_page
}

// wsh_dropper's objects made through an ActiveX control that a page created by its class id
// (document.createElement("object") given classid "clsid:...", then obj.CreateObject(...)):
// the control does what a page may not, as RDS.DataSpace (BD96C556-..., MS06-014) did for the
// exploit kits of its day. Exploit code of a page (T1203), not a script run by Windows Script
// Host, which makes its objects itself and names no classid. A note of the id beside the
// finding: info severity, so the verdict stays wsh_dropper's.
rule wsh_dropper_activex_control
{
    meta:
        severity = "info"
        attack = "T1203"
        description = "the dropper's objects are made through an ActiveX control that the page created by its class id: a browser exploit of an unsafe-for-scripting control (RDS.DataSpace class)"
    strings:
        $classid = /classid["']?\s*[,=:]?\s*["']?clsid:[0-9A-F]{8}-/ nocase
        $create = /\.\s*CreateObject\s*\(/ nocase
        $wscript = /WScript\s*\.\s*CreateObject/ nocase
    condition:
        wsh_dropper and $classid and #create > #wscript
}

rule wsh_scriptlet
{
    meta:
        severity = "high"
        attack = "T1218.010,T1059.007,T1059.005"
        description = "a Windows Script Component (scriptlet) whose script creates objects or runs commands: regsvr32 /i:URL scrobj.dll and mshta run it"
    strings:
        $comp = /<(scriptlet|component)\b/ nocase
        $reg = /<registration\b/ nocase
        $script = /<script\s+language\s*=\s*["']?(jscript|javascript|vbscript)/ nocase
        $act1 = /new\s+ActiveXObject\s*\(/ nocase
        $act2 = /CreateObject\s*\(/ nocase
        $act3 = /\.(Run|Exec|ShellExecute)\s*\(/ nocase
    condition:
        filesize < 2MB and $comp and ($reg or $script) and $script and any of ($act*)
}

rule xsl_script_exec
{
    meta:
        severity = "high"
        attack = "T1220,T1059.007"
        description = "an XSL stylesheet with embedded script that creates objects or runs commands (msxsl, wmic /format)"
    strings:
        $xsl = /(http:\/\/www\.w3\.org\/1999\/XSL\/Transform|urn:schemas-microsoft-com:xslt)/ nocase
        // the script element of Microsoft's XSLT extension, whatever its prefix
        $script = /<[a-z][a-z0-9]*:script\s[^>]{0,200}(implements-prefix|language)\s*=/ nocase
        $act1 = /new\s+ActiveXObject\s*\(/ nocase
        $act2 = /CreateObject\s*\(/ nocase
        $act3 = /\.(Run|Exec|ShellExecute)\s*\(/ nocase
    condition:
        filesize < 2MB and $xsl and $script and any of ($act*)
}

rule vbscript_download_execute
{
    meta:
        severity = "high"
        attack = "T1105,T1059.005"
        description = "a VBScript that fetches with XMLHTTP or WinHttp and runs code with Execute, ExecuteGlobal or Eval"
    strings:
        $http = /CreateObject\s*\(\s*["'](Microsoft\.XMLHTTP|MSXML2\.(Server)?XMLHTTP(\.[0-9.]+)?|WinHttp\.WinHttpRequest(\.5\.1)?)["']\s*\)/ nocase
        // Execute "" + code + "": empty strings around the code change nothing
        $exec = /(^|[\s:(=])(Execute|ExecuteGlobal|Eval)\s*\(?\s*(""\s*[+&]\s*)?[a-z_][a-z0-9_.]*/ nocase
    condition:
        file_type != "document" and filesize < 2MB and $http and $exec
}

rule vbscript_execute_chain
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.005"
        description = "a VBScript that builds its code at run time and runs it through many Execute and Eval calls"
    strings:
        $exec = /(^|[\s:(=])(Execute|ExecuteGlobal)\s*\(/ nocase
        $eval = /\bEval\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 2MB and #exec >= 5 and #eval >= 5
}

// What Windows Script Host runs on a double click: a .js, .jse or .wsf file. A file whose name
// says nothing of its type is read as one too when nothing in it says it is something else:
// no extension, or a name that a sample store, a quarantine or a mail gateway gives (.bin,
// .txt, .dat, .tmp, .vir, .virus, .malware, .sample, .infected, or .js_), no #! line, and no
// markup, PHP or ASP page tag in its text but a Windows Script File's <job> or <package>. The rules
// that use it each need JScript of their own (eval, ActiveXObject, WScript, @cc_on), so a shell
// or Python file without a name is not one.
private rule wsh_standalone_script
{
    strings:
        $markup1 = "<script" nocase
        $markup2 = "<html" nocase
        $markup3 = "<body" nocase
        $markup4 = "<svg" nocase
        $markup5 = "<?php" nocase
        $markup6 = "<%@"
        // a Windows Script File: <job> or <package> around <script language="JScript">
        $wsf = /<(job|package)[\s>]/ nocase
    condition:
        filename matches /\.(js|jse|wsf)$/i or
        ((not filename matches /\.[A-Za-z0-9_]{1,10}$/ or
          filename matches /\.(bin|txt|dat|tmp|vir|virus|mal|malware|sample|infected|jse?_)$/i) and
         uint16(0) != 0x2123 and (none of ($markup*) or $wsf in (0..1024)))
}

rule jscript_table_assembled_strings
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a JScript file that assembles its strings from table picks (word[3]+other.prop+...) hundreds of times, as WSH droppers do"
    strings:
        // indexes in decimal, or in hex as javascript-obfuscator writes every number
        $pick = /[a-z]{6,}\[([0-9]{1,2}|0x[0-9a-f]{1,2})\]\+[a-z]{6,}(\[([0-9]{1,2}|0x[0-9a-f]{1,2})\]|\.[a-z]{3,})\+/ nocase
    condition:
        file_type != "document" and filesize < 4MB and wsh_standalone_script and #pick >= 40
}

// A script that starts a program hidden (window style 0) from a folder that droppers write to,
// or a script file that it has just written itself.
rule wsh_hidden_run_dropped
{
    meta:
        severity = "high"
        attack = "T1059.005,T1059.007,T1059.003,T1204.002"
        description = "a JScript or VBScript that runs, in a hidden window, a program from %TEMP% or %APPDATA% or a script file it writes itself"
    strings:
        $shell = /wscript\.shell/ nocase
        $run_temp = /\.run\s*\(?\s*["'][^"'\n]{0,80}%(temp|tmp|appdata|localappdata|public|programdata)%\\[^"'\n]{1,80}["'][^\n]{0,20},\s*0\b/ nocase
        $write = /\.createtextfile\s*\(\s*["'][^"'\n]{0,120}\.(bat|cmd|vbs|vbe|js|jse|ps1|hta|wsf)["']/ nocase
        $run_script = /\.run\s*\(?\s*["'][^"'\n]{0,120}\.(bat|cmd|vbs|vbe|js|jse|ps1|hta|wsf)\b[^"'\n]{0,80}["']\s*,\s*0\b/ nocase
    condition:
        file_type != "document" and filesize < 2MB and $shell and
        ($run_temp or ($write and $run_script))
}

// The ProgID and the command computed by a function of the script (a decoder of hex or
// shuffled strings): CreateObject(Decode("...")).Run Decode("...").
rule wsh_decoded_object_run
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.005"
        description = "a VBScript that creates an object whose name a decoding function returns and runs a command that function returns"
    strings:
        $create = /CreateObject\s*\(\s*[a-z_][a-z0-9_]*\s*\(\s*[a-z_"][^()\n]{0,80}\)\s*\)\s*\.\s*(Run|Exec|ShellExecute)\s*\(?\s*[a-z_][a-z0-9_]*\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 2MB and $create
}

// JScript that turns a long hex string into text (fromCharCode(parseInt(s.substr(i, 2), 16)))
// and hands what it gets to an ActiveX object.
rule jscript_hex_decoded_payload
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.007"
        description = "a JScript file that decodes a long hex string into text and uses ActiveX objects (file system, shell) with it"
    strings:
        $decode = /fromcharcode\s*\(\s*parseint\s*\(\s*[a-z0-9_$]+\s*\.\s*(substr|substring|slice)\s*\([^)]{1,40}\)\s*,\s*16\s*\)\s*\)/ nocase
        $ax = /new\s+activexobject\s*\(/ nocase
    condition:
        // the long hex string: encoded_b64 counts hex runs of 160 or more (measured in C; a
        // regular expression opening at a quote cost a pass over the file per quote)
        file_type != "document" and filesize < 4MB and $decode and encoded_b64 >= 256 and $ax
}

// A script for Windows Script Host (it names WScript, the host's own object, which no browser
// or Node.js has) that runs code it builds at run time, hides code behind JScript's
// conditional compilation, or carries javascript-obfuscator's renamed identifiers: a WSH file
// has no reason for either, and droppers mailed as .js do all three.
rule jscript_wsh_obfuscated
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a JScript file for Windows Script Host that evaluates code it builds, hides code in conditional compilation (@cc_on) or is machine-obfuscated"
    strings:
        $host = /\bWScript\s*(\.\s*(CreateObject|Shell|Sleep|Quit|ScriptFullName|ScriptName|Arguments|Echo|StdOut)|\[)/ nocase
        // eval, or the Function constructor (capital F: the normalised text, all lower
        // case, has only eval; a function expression, function(x), is not code built)
        $eval = /\b(eval|Function)\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]*\s*[(\[)+.]/
        $cc = /\/\*@cc_on\b/ nocase
        $ox = /\b_0x[0-9a-f]{4,6}\b/
        // code that defines the host's members (WScript.Sleep = function...) emulates the
        // host, as a sandbox for such scripts does; a script run by the host only uses them
        $emulate = /\bWScript\s*\.\s*[A-Za-z]+\s*=[^=]/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        $host and ($eval or $cc or #ox >= 30) and not $emulate and none of ($module*)
}

// A JScript file mailed or downloaded on its own (.js, .jse, .wsf) that hides its code from
// every engine but Windows Script Host's: the whole file, or code that it evaluates, inside
// JScript's conditional compilation (/*@cc_on ... @*/). Browsers and Node.js read that as a
// comment, so a library has no code there; old IE sniffing (/*@cc_on!@*/false) is an
// expression in the middle of a file, not at its head, and does not evaluate code.
// Node.js and AMD modules (require, module.exports, define) are left alone.
rule jscript_conditional_compilation_code
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file whose code sits in conditional compilation (/*@cc_on), which only Windows Script Host runs"
    strings:
        $cc = /\/\*@cc_on\b/ nocase
        $eval = /\b(eval|Function)\s*\(/
        $index = /\bthis\s*\[/
        $ax = /\bActiveXObject\b/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
        // Internet Explorer sniffing: a flag (/*@cc_on!@*/false) or a block that writes to
        // the page (/*@cc_on @*/ /*@if (@_win32) document.write(...)); WSH has no page
        $ie1 = /\/\*@cc_on\s*!\s*@\*\//
        $ie2 = /\/\*@cc_on\s*@\*\/\s*\/\*@if\s*\([^)]{1,40}\)\s*(document|window)\./
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        ($cc in (0..1024) or ($cc and any of ($eval, $index, $ax))) and #cc > #ie1 + #ie2 and
        none of ($module*)
}

// A standalone JScript file that, on a line of its own, evaluates a string it has computed in
// a variable (eval(x);): the last step of WSH droppers whose code is assembled from tables,
// split literals or a decoder of their own, whatever the obfuscation before it. Browser code
// and Node.js modules have no top-level statement of that form outside a sandbox library,
// and those are modules (require, module.exports, define), left alone.
rule jscript_eval_computed_code
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file that runs, as a statement of its own, code it has computed into a variable (eval(x);)"
    strings:
        $eval = /(^|\n)[ \t]*eval\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]*\s*\)\s*;?[ \t]*\r?(\n|$)/
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        $eval and none of ($module*)
}

// A standalone JScript file that evaluates what its own decoding function makes of a long
// literal (eval(decode("f?u?n?c?t?i?o?n..."))): the code is data until it runs. The call may
// itself sit in a string that is evaluated (eval("... eval(decode(\"...\")) ...")).
rule jscript_eval_decoded_literal
{
    meta:
        severity = "medium"
        attack = "T1027,T1140,T1059.007"
        description = "a standalone JScript file that evaluates the result of its own function over a long string literal (eval(decode(\"...\")))"
    strings:
        $eval = /\beval\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]*\s*\(\s*\\?["'][^"'\n]{500}/
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        $eval and none of ($module*)
}

// A standalone JScript file (.js, .jse, .wsf: what Windows Script Host runs on a double click)
// whose text names Windows automation objects only once its obfuscation is undone (the
// normaliser made many changes: joined fragments, picked array items, decoded escapes), and
// names at least two of them: the shell, the file system, a stream, an HTTP client, WMI. No
// browser page or Node.js module has a use for any of them; a plain administration script
// names them without hiding them, and the normaliser then has little to do.
rule jscript_obfuscated_wsh_objects
{
    meta:
        severity = "high"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file that hides the names of the Windows automation objects it creates (shell, file system, stream, HTTP, WMI)"
    strings:
        $shell = /wscript\.shell|shell\.application/ nocase
        $fso = "scripting.filesystemobject" nocase
        $stream = "adodb.stream" nocase
        $http = /(msxml2\.(server)?xmlhttp|microsoft\.xmlhttp|winhttp\.winhttprequest)/ nocase
        $wmi = /winmgmts:/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        normalised_changes >= 20 and 2 of ($shell, $fso, $stream, $http, $wmi) and
        none of ($module*)
}

// The same kind of file that, once read, saves a program with ADODB.Stream (SaveToFile of an
// .exe, .dll or .scr), or starts a command interpreter or a file from %TEMP% with the shell
// object: the last steps of a dropper whose fetch the normaliser could not reach.
rule jscript_obfuscated_drop_run
{
    meta:
        severity = "high"
        attack = "T1027,T1059.007,T1105"
        description = "a standalone JScript file that, behind obfuscation, saves a program with ADODB.Stream or runs an interpreter or a %TEMP% file with the shell object"
    strings:
        $stream = "adodb.stream" nocase
        $save = /\.savetofile\s*\(/ nocase
        $exe = /\.(exe|dll|scr)["' ]/ nocase
        $shell = /wscript\.shell|shell\.application/ nocase
        $run = /\.(run|exec|shellexecute)\s*\(\s*["'][^"'\n]{0,40}(cmd(\.exe)?\s+\/c|powershell|mshta|rundll32|regsvr32|%temp%|%appdata%)/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        normalised_changes >= 20 and (($stream and $save and $exe) or ($shell and $run)) and
        none of ($module*)
}

// Where the code cannot be read statically: a standalone JScript file with no page or module
// around it (it names no document, window or navigator, requires nothing, exports nothing)
// that hands strings to eval through a function of its own (function f(s) { eval(s) }), or
// unpacks itself with a packer's eval(function(p,a,c,k,e,...)). Browser code that packs itself
// names the page it works on.
rule jscript_standalone_eval_wrapper
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file with no page or module context that evaluates strings through a wrapper of its own or a packer"
    strings:
        $wrapper = /function\s+[A-Za-z_$][A-Za-z0-9_$]*\s*\([A-Za-z0-9_$,\s]*\)\s*\{\s*(return\s+)?eval\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]*\s*\)\s*;?\s*\}/
        $packer = /eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[rd]\s*\)/
        $page1 = /\b(document|window|navigator|location|self|globalThis|jQuery)\b/
        $page2 = /\$\s*\(/
        $module1 = /\brequire\s*\(/
        $module2 = /\b(module\.exports|exports\.[A-Za-z_$])/
        $module3 = /\bdefine\s*\(/
        $module4 = /(^|\n)\s*(import|export)\s/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        any of ($wrapper, $packer) and none of ($page*) and none of ($module*)
}

// A standalone JScript file that fetches with an XMLHTTP or WinHttp ActiveX object and hands
// what the server answers to eval: the whole program arrives over HTTP. Browser code that
// loads scripts this way (old Ajax libraries on Internet Explorer) works on a page and names
// it; Node.js modules have XMLHttpRequest of their own and no ActiveX.
rule jscript_http_response_eval
{
    meta:
        severity = "high"
        attack = "T1105,T1059.007"
        description = "a standalone JScript file that downloads code with an XMLHTTP ActiveX object and runs the response with eval"
    strings:
        $http = /new\s+ActiveXObject\s*\(\s*["'](msxml2\.(server)?xmlhttp(\.[0-9.]+)?|microsoft\.xmlhttp|winhttp\.winhttprequest(\.5\.1)?)["']\s*\)/ nocase
        $response = /\.responsetext\b/ nocase
        $eval = /\beval\s*\(/
        $page1 = /\b(document|window|navigator|location|jQuery)\b/
        $module1 = /\brequire\s*\(/
        $module2 = /\b(module\.exports|exports\.[A-Za-z_$])/
        $module3 = /\bdefine\s*\(/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        $http and $response and $eval and none of ($page*) and none of ($module*)
}

// A standalone JScript file that has the shell object start PowerShell (directly or through
// cmd /c) with a command line that downloads, runs code from a string or bypasses the
// execution policy: a WSH dropper's hand-over to its second stage, whose command line the
// normaliser has joined.
rule jscript_shell_runs_powershell
{
    meta:
        severity = "high"
        attack = "T1059.007,T1059.001"
        description = "a standalone JScript file that runs PowerShell through WScript.Shell with a download, invoke-expression or policy bypass"
    strings:
        $shell = /wscript\.shell|shell\.application/ nocase
        $run = /\.(run|exec|shellexecute)\s*\(/ nocase
        $ps = /["'](cmd(\.exe)?\s+\/[ck]\s+["\\]*)?powershell(\.exe)?\s[^\n]{0,600}(downloadfile|downloadstring|invoke-expression|\biex\b|-enc(odedcommand)?\s|bypass|start-process)/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
        $module3 = /\bdefine\s*\(\s*(\[|function)/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and
        $shell and $run and $ps and none of ($module*)
}

// A standalone JScript file that calls a member of the global object by a name written only in
// escapes (this["\x65\166\x61\154"](...): eval, with octal, hex and unicode escapes mixed): no
// library spells a global's name that way, whatever the name turns out to be.
rule jscript_escaped_global_call
{
    meta:
        severity = "high"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file that calls a global function by a name written in escape sequences (this[\"\\x65\\166...\"](...))"
    strings:
        $call = /\bthis\s*\[\s*["'](\\([0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})|[A-Za-z]){3,24}["']\s*\]\s*\(/
        $esc = /\bthis\s*\[\s*["'][A-Za-z]{0,20}\\([0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and $call and $esc
}

// A standalone JScript file built from dozens of tiny functions that each hand one fragment of
// a string to a collector and return what it holds (function a() { push('ment'); return get();
// }), called in order to spell out the code it evaluates: a WSH dropper's string table spread
// over function names.
rule jscript_fragment_functions
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file that spells out its strings through dozens of functions each handing a fragment of a few characters to a collector"
    strings:
        $hand = /function\s+[A-Za-z_$][A-Za-z0-9_$]*\s*\(\s*\)\s*\{\s*[A-Za-z_$][A-Za-z0-9_$]*\s*\(\s*["'][^"'\n]{1,6}["']\s*\)\s*;\s*return\s+[A-Za-z_$][A-Za-z0-9_$]*\s*\(\s*\)\s*;?\s*\}/
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and #hand >= 20
}

// A JScript file for Windows Script Host encoded with the Windows Script Encoder (a .jse, or a
// .js or .wsf whose code is a #@~^...^#~@ block): the encoder hides code from readers and
// nothing else; Windows decodes it on the fly. Its decoded text is scanned too (src/analysis/
// scriptenc.c), where the other rules judge what it does; this one says it was hidden, also
// when the decoded code names nothing they know. VBScript.Encode (.vbe) is left to the
// VBScript rules.
rule jscript_encoded_standalone
{
    meta:
        severity = "medium"
        attack = "T1027,T1059.007"
        description = "a standalone JScript file for Windows Script Host hidden with the Windows Script Encoder (JScript.Encode, .jse)"
    strings:
        $block = /#@~\^[A-Za-z0-9+\/]{6}==/
        $jscript = /language\s*=\s*["']?jscript\.encode/ nocase
        $vbscript = /language\s*=\s*["']?vbscript\.encode/ nocase
    condition:
        file_type != "document" and filesize < 8MB and $block and
        (filename matches /\.(jse|js)$/i or
         (filename matches /\.wsf$/i and $jscript and not $vbscript))
}

// A standalone JScript file that installs itself to start with the session: it copies its own
// file (WScript.ScriptFullName) into the Startup folder, or writes a Run key or a scheduled
// task beside naming its own file: what WSH RATs and worms (WSHRAT/Houdini, Vjw0rm) do first.
// Read in the normalised text too, so that joined fragments count.
rule jscript_self_persistence
{
    meta:
        severity = "high"
        attack = "T1547.001,T1053.005,T1059.007"
        description = "a standalone JScript file that copies itself to the Startup folder or registers itself in a Run key or a scheduled task"
    strings:
        $self = /wscript\s*\.\s*scriptfullname/ nocase
        $copy = /\.copyfile\s*\(\s*wscript\s*\.\s*scriptfullname/ nocase
        $startup1 = /specialfolders\s*\(\s*["']startup["']\s*\)/ nocase
        $startup2 = /\\start menu\\+programs\\+startup/ nocase
        $regwrite = /\.regwrite\s*\(/ nocase
        $runkey = /\\currentversion\\+run(once)?\\/ nocase
        $schtasks = /schtasks(\.exe)?\s+\/create\b/ nocase
    condition:
        file_type != "document" and filesize < 8MB and wsh_standalone_script and $self and
        (($copy and any of ($startup*)) or ($regwrite and $runkey) or $schtasks)
}

// A JScript file named as a document with .js, .jse or .wsf after it (invoice.pdf.js,
// scan.docx .js): what a mail attachment does so that a double click starts Windows Script
// Host while the reader sees a document. The masquerade itself is judged in C
// (heuristic.double_extension, T1036.007); this says what opening it runs, whatever its code.
rule jscript_document_disguise
{
    meta:
        severity = "high"
        attack = "T1036.007,T1059.007"
        description = "a JScript file for Windows Script Host named as a document (a document extension before .js, .jse or .wsf)"
    strings:
        $pe = { 4D 5A }
        $elf = { 7F 45 4C 46 }
    condition:
        file_type != "document" and filesize < 8MB and
        filename matches /\.(pdf|docx?|xlsx?|pptx?|rtf|txt|odt|ods|csv|jpe?g|png|gif|bmp|mp3|mp4|avi|mov|wav|html?|zip|rar|7z) *\.(js|jse|wsf)$/i and
        not $pe at 0 and not $elf at 0
}

// A standalone JScript file that carries its payload inside itself: it decodes base64 with
// MSXML's bin.base64 data type (or .NET's FromBase64Transform), writes the bytes with
// ADODB.Stream and starts a program with the shell object: the second stage (an .exe, a
// .jar for javaw, another script) never crosses the network, so the download rules do not see
// it. Read in the normalised text too.
rule jscript_embedded_payload_drop
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.007"
        description = "a standalone JScript file that decodes an embedded base64 payload, writes it with ADODB.Stream and runs a program with the shell object"
    strings:
        $b64a = /datatype\s*=\s*["']bin\.base64["']/ nocase
        $b64b = "frombase64transform" nocase
        $stream = "adodb.stream" nocase
        $save = /\.savetofile\s*\(/ nocase
        $shell = /wscript\.shell|shell\.application/ nocase
        $run = /\.(run|exec|shellexecute)\s*\(/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
    condition:
        file_type != "document" and filesize < 16MB and wsh_standalone_script and
        any of ($b64*) and $stream and $save and $shell and $run and none of ($module*)
}

// A standalone JScript file that carries a Windows program or a Java archive as a base64
// literal (the MZ header of a PE as TVqQAAMAAAAEAAAA or TVpQAAIAAAAEAA, a zip or .jar as UEsDB)
// and the means to write it out: MSXML's bin.base64 data type, .NET's FromBase64Transform or
// ADODB.Stream. The program itself is decoded and judged as a member of the file; this says
// that the script is its dropper, whether or not the calls that run it can be read.
rule jscript_embedded_program
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.007"
        description = "a standalone JScript file that carries a Windows program or a Java archive in base64 and the objects that write it to disk"
    strings:
        $mz = /["'+]\s*TV(qQAAMAAAAEAAAA|pQAAIAAAAEAA)/
        $zip = /["'+]\s*UEsDB(BQA|AoA)/
        $b64a = /bin\.base64/ nocase
        $b64b = "frombase64transform" nocase
        $stream = "adodb.stream" nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
    condition:
        file_type != "document" and filesize < 16MB and wsh_standalone_script and
        ($mz or $zip) and any of ($b64a, $b64b, $stream) and none of ($module*)
}

// A standalone JScript file that, whatever names it gives its objects, takes an HTTP
// response's body (.responseBody, XMLHTTP's or WinHttp's), saves it to a file (.saveToFile,
// ADODB.Stream's) and starts a program (.Run, .ShellExecute: the shell's): the downloader
// whose ProgIDs sit in a table of split or encoded strings still calls these methods by name.
rule jscript_download_save_run_methods
{
    meta:
        severity = "high"
        attack = "T1105,T1059.007"
        description = "a standalone JScript file that saves an HTTP response body to a file and runs a program (responseBody, saveToFile, Run)"
    strings:
        $body = /\.responsebody\b/ nocase
        $save = /\.savetofile\s*\(/ nocase
        $run = /\.(run|shellexecute)\s*\(/ nocase
        $module1 = /\brequire\s*\(\s*["']/
        $module2 = /\bmodule\.exports\b/
    condition:
        file_type != "document" and filesize < 16MB and wsh_standalone_script and
        $body and $save and $run and none of ($module*)
}

// A .js, .jse or .wsf file whose first statement is a string of a hundred or more control
// characters: padding that makes type detection call the script binary data, so that nothing
// reads it as text. A script has no use for such a literal.
rule jscript_control_character_padding
{
    meta:
        severity = "medium"
        attack = "T1027.001,T1059.007"
        description = "a JScript file for Windows Script Host that opens with string literals of control characters (padding against type detection)"
    strings:
        $code = /\b(function|var|new\s+ActiveXObject|WScript)\b/
    condition:
        filesize < 16MB and filename matches /\.(js|jse|wsf)$/i and
        (uint8(0) == 0x22 or uint8(0) == 0x27) and
        for all i in (1..128) : (uint8(i) >= 0x01 and uint8(i) <= 0x20) and
        // control characters mixed with blanks, not blanks alone
        for 4 i in (1..16) : (uint8(i) < 0x09 or (uint8(i) > 0x0d and uint8(i) < 0x20)) and
        $code
}

// A script that carries its code encrypted with RC4 (the key schedule's "(j + s(i) + k) Mod
// 256" written out in VBScript or JScript) and runs what it decrypts (Execute, ExecuteGlobal,
// eval): SharpShooter, PowerHub and their kind hide the stage from a scanner this way. Admin
// scripts have no use for a cipher of their own.
rule wsh_rc4_decrypted_code
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1059.005,T1059.007"
        description = "a VBScript or JScript that decrypts its code with an RC4 written in the script and runs it (Execute, eval)"
    strings:
        $ksa_vbs = /\(\s*\w{1,30}\s*\+\s*\w{1,30}\s*\(\s*\w{1,30}\s*\)\s*\+\s*[^\n]{1,80}\)\s*Mod\s*256\b/ nocase
        $ksa_js = /\(\s*\w{1,30}\s*\+\s*\w{1,30}\s*\[\s*\w{1,30}\s*\]\s*\+\s*[^\n;]{1,80}\)\s*%\s*256\b/
        // Execute as a statement of its own line, eval only in a script for Windows Script
        // Host (a web bundle may carry an RC4 library beside its module loader's eval)
        $exec_vbs = /(^|\n|:)[ \t]*(Execute|ExecuteGlobal)\b[ \t]*\(?[ \t]*\w/ nocase
        $exec_js = /\beval\s*\(\s*\w/
        $wsh = /\bWScript\b|new\s+ActiveXObject\s*\(|<hta:application\b|language\s*=\s*["']?(vbscript|jscript)/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ($ksa_vbs or $ksa_js) and
        ($exec_vbs or ($exec_js and $wsh))
}

// Windows Script Host handing cmd.exe or PowerShell to netcat (nc -e cmd.exe, here mostly in a
// string the script builds): a reverse or bind shell started by a VBScript or JScript.
rule wsh_netcat_shell
{
    meta:
        severity = "high"
        attack = "T1059.005,T1059.007,T1095"
        description = "a VBScript or JScript that runs netcat with -e cmd.exe or powershell (a reverse shell)"
    strings:
        $wsh = /WScript\.Shell|WScript\.CreateObject|\bCreateObject\s*\(|new\s+ActiveXObject\s*\(/ nocase
        $e = /\s-e\s+(cmd|powershell)(\.exe)?["'\s]/ nocase
        $nc = /\b(nc|ncat|netcat)(64)?(\.exe)?\b/ nocase
    condition:
        file_type != "document" and filesize < 1MB and $wsh and $e and $nc
}
