// Office macros and DDE (T1204.002 user execution, T1059.005 VBA, T1559.001/.002 COM and DDE).

rule office_ole_vba_project
{
    meta:
        severity = "high"
        attack = "T1204.002,T1059.005"
        description = "an OLE compound file that carries VBA macro code"
    strings:
        $vba_project = "_VBA_PROJECT" wide
        $attr = "Attribute VB_"
    condition:
        uint32be(0) == 0xD0CF11E0 and ($vba_project or $attr)
}

rule office_macro_autoexec
{
    meta:
        severity = "critical"
        attack = "T1204.002,T1059.005,T1559.001"
        description = "a macro that runs on open and starts programs or COM objects"
    strings:
        $auto = /(Auto_?Open|Document_Open|Workbook_Open|AutoExec|Document_Close|Auto_Close)\b/ nocase
        // outside an OLE file (macro source as text): the procedure itself, not a mention
        $sub = /\bSub\s+(Auto_?Open|Document_Open|Workbook_Open|AutoExec|Document_Close|Auto_Close)\s*\(/ nocase
        $shell = /\bShell\s*\(/ nocase
        $wsh = "WScript.Shell" nocase
        $co = "CreateObject" nocase
        $ps = "powershell" nocase
        $xhr = "XMLHTTP" nocase
    condition:
        ((uint32be(0) == 0xD0CF11E0 and $auto) or (filesize < 2MB and $sub)) and
        any of ($shell, $wsh, $co, $ps, $xhr)
}

rule office_ooxml_macro_enabled
{
    meta:
        severity = "high"
        attack = "T1204.002,T1059.005"
        description = "an Office Open XML document declares a VBA project (macro-enabled)"
    strings:
        $ct1 = "application/vnd.ms-office.vbaProject"
        $rel = "relationships/vbaProject"
    // in the package's XML parts ([Content_Types].xml, .rels), not in a program that writes them.
    // The part that holds the macros, not the main part's macroEnabled content type: a .docm or
    // .xlsm saved without any macro keeps that type and is no threat.
    condition:
        (uint8(0) == 0x3C or uint32(0) & 0xFFFFFF == 0xBFBBEF) and any of them
}

rule office_dde_field
{
    meta:
        severity = "high"
        attack = "T1559.002,T1204.002"
        description = "a DDE or DDEAUTO field that runs a command when the document is opened"
    strings:
        // a field instruction (" DDEAUTO c:\\..."), not a name in a type library
        $ddeauto = /[\s">{]DDEAUTO\s/ nocase
        $instr = /<w:instrText[^>]{0,80}>\s*"?DDE\b/
        $fld = /w:instr=["']\s*DDE/
        $rtf = /\\field[^}]{0,80}\\fldinst[^}]{0,40}DDE/ nocase
        $xl = /<ddeLink\b[^>]{0,300}\bddeService\s*=/ nocase
    condition:
        any of them
}

rule csv_dde_injection
{
    meta:
        severity = "high"
        attack = "T1559.002"
        description = "a spreadsheet formula that calls a program through DDE (cmd|, powershell|, mshta|)"
    strings:
        // the DDE form: =cmd|' /C calc'!A0 (a manual's "-cmd ir|cr|kur" is not one)
        $f = /(^|[\n,;"])[=+@-]\s*(cmd|powershell|pwsh|mshta|msexcel|rundll32)[^|\n]{0,20}\|\s*'[^'\n]{0,200}'\s*!/ nocase
    condition:
        $f
}

rule rtf_embedded_object
{
    meta:
        severity = "medium"
        attack = "T1204.002,T1559"
        description = "an RTF document with a linked or Package OLE object set to update itself"
    strings:
        $obj = "\\objdata" nocase
        $upd = "\\objupdate" nocase
        // an ordinary embedded object (Word.Document, Excel.Sheet, Paint) is not suspicious
        // by itself: only links and Package objects, which run or fetch what they hold
        $aut = "\\objautlink" nocase
        $link = /\\objclass\s+(OLE2Link|Package)\b/ nocase
        $link_hex = "4f4c45324c696e6b" nocase
        $pkg_hex = "5061636b61676500" nocase
    condition:
        uint32be(0) == 0x7B5C7274 and $obj and $upd and any of ($aut, $link, $link_hex, $pkg_hex)
}

rule rtf_ole2link_object
{
    meta:
        severity = "high"
        attack = "T1203,T1204.002"
        description = "an RTF document with an OLE2Link object: it fetches and runs a remote document (CVE-2017-0199)"
    strings:
        $class = /\\objclass\s+OLE2Link\b/ nocase
        $hex = "4f4c45324c696e6b" nocase
        $clsid = "0003000000000000c000000000000046" nocase
    condition:
        uint32be(0) == 0x7B5C7274 and any of them
}

rule windows_shortcut_launcher
{
    meta:
        severity = "high"
        attack = "T1204.002,T1059"
        description = "a Windows shortcut (LNK) that starts a script host or a shell"
    strings:
        $ps = "powershell" nocase wide ascii
        $cmd = "cmd.exe" nocase wide ascii
        $mshta = "mshta" nocase wide ascii
        $wscript = "wscript" nocase wide ascii
        $rundll = "rundll32" nocase wide ascii
    condition:
        uint32(0) == 0x0000004C and any of them
}

// An HTA is a program, as an .exe is: being one is worth a look (suspicious), not a verdict.
// Malicious needs behaviour: hta_shell_command below, the script rules (wsh_dropper) or what
// detonation sees it do (docs/wsh.md).
rule html_application
{
    meta:
        severity = "medium"
        attack = "T1218.005"
        description = "an HTML application (HTA): mshta runs it with the user's full rights"
    strings:
        $hta = "<hta:application" nocase
    condition:
        $hta
}

rule hta_shell_command
{
    meta:
        severity = "high"
        attack = "T1218.005,T1059"
        description = "an HTML application whose script starts a shell, PowerShell or a downloader through WScript.Shell"
    strings:
        $hta = "<hta:application" nocase
        $shell1 = "WScript.Shell" nocase
        $shell2 = "Shell.Application" nocase
        $run = /\.(Run|Exec|ShellExecute)\b/ nocase
        $c1 = /powershell|pwsh/ nocase
        $c2 = /cmd(\.exe)?["']?\s+\/[ck]/ nocase
        $c3 = /(certutil|bitsadmin|mshta|regsvr32|rundll32|wscript|cscript)(\.exe)?\s/ nocase
        $c4 = /["'(]\s*https?:\/\// nocase
    condition:
        $hta and any of ($shell*) and $run and any of ($c*)
}

rule sylk_xlm_exec
{
    meta:
        severity = "high"
        attack = "T1059,T1204.002"
        description = "a SYLK spreadsheet whose Excel 4.0 formulas run programs or call Windows functions"
    strings:
        // a cell's expression field: C;X1;Y1;EEXEC("...") or ;ECALL("Kernel32",...)
        $e = /;E[^;\r\n]{0,300}\b(EXEC|CALL|REGISTER|URLDownloadToFile)[AW]?\s*\(/ nocase
        $e2 = /;E(EXEC|CALL|REGISTER)\s*\(/ nocase
    condition:
        uint32be(0) == 0x49443B50 and any of them
}

rule ooxml_external_template
{
    meta:
        severity = "high"
        attack = "T1221"
        description = "an Office Open XML relationship that loads a template, OLE object or frame from a remote server when the document opens"
    strings:
        // a target on another machine (http, mhtml:http as in CVE-2021-40444, a share, file://
        // with a host); file:///C:/... is the local template a document was made from
        $t1 = /Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument)["'][^>]{0,300}Target=["'](https?:|mhtml:|\\\\|\/\/|file:\/\/[^\/"']|file:\/\/\/\\\\|file:\\\\)/ nocase
        $t2 = /Target=["'](https?:|mhtml:|\\\\|\/\/|file:\/\/[^\/"']|file:\/\/\/\\\\|file:\\\\)[^"']{1,600}["'][^>]{0,300}Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument)["']/ nocase
        // file://localhost/... is this machine (a picture linked from the author's disk), not a
        // server: such relationships are counted out
        $tl1 = /Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument)["'][^>]{0,300}Target=["']file:\/\/localhost\// nocase
        $tl2 = /Target=["']file:\/\/localhost\/[^"']{1,600}["'][^>]{0,300}Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument)["']/ nocase
    condition:
        (uint8(0) == 0x3C or uint32(0) & 0xFFFFFF == 0xBFBBEF) and filesize < 4MB and #t1 + #t2 > #tl1 + #tl2
}

rule ooxml_external_unc
{
    meta:
        severity = "high"
        attack = "T1221,T1187"
        description = "an Office Open XML relationship to a file share that loads when the document opens: it hands the user's credentials to that server"
    strings:
        // parts that load on opening (a template, an OLE object, a frame, a picture, an external
        // workbook...); a hyperlink to a share only opens on a click, as in many office memos
        $u1 = /Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument|image|externalLinkPath|package|mailMergeSource|dataSource|audio|video)["'][^>]{0,300}Target=["'](\\\\|file:\/\/[^\/"']|file:\/\/\/\\\\|file:\\\\)/ nocase
        $u2 = /Target=["'](\\\\|file:\/\/[^\/"']|file:\/\/\/\\\\|file:\\\\)[^"']{1,600}["'][^>]{0,300}Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument|image|externalLinkPath|package|mailMergeSource|dataSource|audio|video)["']/ nocase
        // file://localhost/... is this machine (a picture linked from the author's disk), not a
        // server: such relationships are counted out
        $ul1 = /Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument|image|externalLinkPath|package|mailMergeSource|dataSource|audio|video)["'][^>]{0,300}Target=["']file:\/\/localhost\// nocase
        $ul2 = /Target=["']file:\/\/localhost\/[^"']{1,600}["'][^>]{0,300}Type=["'][^"']{0,120}\/(attachedTemplate|oleObject|frame|subDocument|image|externalLinkPath|package|mailMergeSource|dataSource|audio|video)["']/ nocase
    condition:
        (uint8(0) == 0x3C or uint32(0) & 0xFFFFFF == 0xBFBBEF) and filesize < 4MB and #u1 + #u2 > #ul1 + #ul2
}

rule office_equation_editor_object
{
    meta:
        severity = "high"
        attack = "T1203"
        description = "an Equation Editor 3.0 object: the component that CVE-2017-11882 and CVE-2018-0802 exploit, removed from Office in 2018"
    strings:
        $ole1 = { 0B 00 00 00 45 71 75 61 74 69 6F 6E 2E 33 00 }
        $rtf_class = /\\objclass\s+Equation\.3/ nocase
        $rtf_hex = "4571756174696f6e2e33" nocase
        $rtf_clsid = "02ce020000000000c000000000000046" nocase
    // In a compound file the object is read in C (src/analysis/ole.c): an ordinary equation,
    // common in documents from before 2018, is no finding there; one with an overlong font
    // name or no equation header is, under this rule's name. An RTF or OLE 1.0 object that
    // names the class is still one: the RTF carries it only to start the editor.
    condition:
        (uint32be(0) == 0x7B5C7274 and any of ($rtf_*)) or
        (uint32(0) == 0x00000501 and $ole1 at 8)
}

rule internet_shortcut_remote_payload
{
    meta:
        severity = "high"
        attack = "T1204.002,T1187"
        description = "an Internet Shortcut that opens a program, script or archive from a file share or WebDAV"
    strings:
        $hdr = "[InternetShortcut]" nocase
        $url = /(^|\n)\s*URL\s*=\s*(file:|\\\\)[^\r\n]{1,400}\.(cpl|zip|exe|lnk|js|jse|vbs|vbe|hta|scr|bat|cmd|ps1|msi|dll|iso|img|vhd|vhdx|wsf|jar|library-ms|search-ms|url|pif|com|appref-ms)\b/ nocase
        $search = /(^|\n)\s*URL\s*=\s*(search-ms|ms-msdt|ms-appinstaller):/ nocase
    condition:
        $hdr and ($url or $search)
}

rule internet_shortcut_unc_icon
{
    meta:
        severity = "high"
        attack = "T1187"
        description = "an Internet Shortcut whose icon is on a file share: showing it hands the user's credentials to that server"
    strings:
        $hdr = "[InternetShortcut]" nocase
        $icon = /(^|\n)\s*IconFile\s*=\s*(\\\\|file:\/\/[^\/\r\n])/ nocase
    condition:
        $hdr and $icon
}

rule internet_shortcut_remote_workdir
{
    meta:
        severity = "high"
        attack = "T1187,T1574.002,T1204.002"
        description = "an Internet Shortcut that starts a local program with its working directory on a file share: the program loads DLLs from that server, and the user's credentials go to it"
    strings:
        $hdr = "[InternetShortcut]" nocase
        $url = /(^|\n)\s*URL\s*=\s*(file:\/\/\/)?[a-z]:[\\\/][^\r\n]{1,400}\.(exe|com|scr|cpl)\b/ nocase
        $wd = /(^|\n)\s*WorkingDirectory\s*=\s*(\\\\|file:\/\/[^\/\r\n]|file:\/\/\/\\\\)/ nocase
    condition:
        $hdr and $url and $wd
}

rule internet_shortcut_file_share
{
    meta:
        severity = "high"
        attack = "T1187"
        description = "an Internet Shortcut to a file share or WebDAV folder: opening it hands the user's credentials to that server"
    strings:
        $hdr = "[InternetShortcut]" nocase
        // file://host/..., file:///\\host, \\host; not file:///C:/ (a local file)
        $url = /(^|\n)\s*URL\s*=\s*(file:\/\/[^\/\r\n]|file:\/\/\/\\\\|file:\\\\|\\\\)/ nocase
    condition:
        $hdr and $url
}

rule onenote_embedded_program
{
    meta:
        severity = "high"
        attack = "T1204.002,T1566.001"
        description = "a OneNote section with an attached program, script, shortcut or disk image: the lure of the 2023 OneNote campaigns (a button over an attached .hta, .bat, .wsf, .lnk or .exe)"
    strings:
        // a FileDataStoreObject (an attached file), and a file name in UTF-16LE with one of
        // the extensions Windows runs on a double-click, at the name's end: not a host name
        // in a link (http://o15.officeredir.microsoft.com/r/..., in every OneNote 2013 file)
        $file = { E7 16 E3 BD 65 26 11 45 A4 C4 8D 4D 0B 7A 9E AC }
        // the ".\0" in each branch: before the group it was the atom, tried at every UTF-16 dot
        $name = /(\.\x00h\x00t\x00a|\.\x00b\x00a\x00t|\.\x00c\x00m\x00d|\.\x00v\x00b\x00[se]|\.\x00j\x00s(\x00e)?|\.\x00w\x00s\x00[fh]|\.\x00p\x00s\x001|\.\x00e\x00x\x00e|\.\x00s\x00c\x00r|\.\x00l\x00n\x00k|\.\x00c\x00h\x00m|\.\x00m\x00s\x00[ip]|\.\x00c\x00p\x00l|\.\x00p\x00i\x00f|\.\x00i\x00s\x00o|\.\x00i\x00m\x00g|\.\x00v\x00h\x00d(\x00x)?|\.\x00c\x00o\x00m|\.\x00j\x00a\x00r|\.\x00u\x00r\x00l)\x00([^a-zA-Z0-9\/\.\-_?#:]|$)/ nocase
    condition:
        uint32(0) == 0x7B5C52E4 and uint32(4) == 0x4DA7D88C and $file and $name
}

// Excel 4.0 (XLM) macros in Office Open XML and SYLK (the BIFF8/BIFF5 ones are read in
// src/analysis/ole.c with the same ids and severities: a macro sheet is suspicious, one that
// runs on open or calls programs is an attack).
rule ooxml_excel4_macro_sheet
{
    meta:
        severity = "medium"
        attack = "T1059,T1204.002"
        description = "an Office Open XML workbook (xlsx, xlsm, xlsb) with an Excel 4.0 (XLM) macro sheet"
    strings:
        $ct = /ContentType=["']application\/vnd\.ms-excel\.(intl)?macrosheet(\+xml)?["']/ nocase
    condition:
        (uint8(0) == 0x3C or uint32(0) & 0xFFFFFF == 0xBFBBEF) and filesize < 1MB and $ct
}

rule ooxml_excel4_auto_open
{
    meta:
        severity = "high"
        attack = "T1059,T1204.002"
        description = "an Office Open XML workbook whose Excel 4.0 macro runs when it opens (an Auto_Open name)"
    strings:
        $name = /<definedName\s[^>]{0,200}name=["']_xlnm\.auto_(open|activate)/ nocase
    condition:
        (uint8(0) == 0x3C or uint32(0) & 0xFFFFFF == 0xBFBBEF) and filesize < 4MB and $name
}

rule ooxml_excel4_macro_exec
{
    meta:
        severity = "high"
        attack = "T1059,T1204.002"
        description = "an Excel 4.0 macro sheet whose formulas run programs, call Windows functions or write formulas at run time"
    strings:
        $sheet = "<xm:macrosheet" nocase
        $f = /<f>[^<]{0,400}\b(EXEC|CALL|REGISTER|FORMULA(\.FILL|\.ARRAY)?|URLDownloadToFile[AW]?)\(/ nocase
    condition:
        $sheet and $f
}

rule sylk_xlm_macro
{
    meta:
        severity = "medium"
        attack = "T1059,T1204.002"
        description = "a SYLK spreadsheet with Excel 4.0 macro formulas (HALT, RETURN, GOTO, FORMULA...)"
    strings:
        $e = /;E(HALT|RETURN|GOTO|FORMULA|RUN|ALERT|WHILE|SET\.NAME|SET\.VALUE)\s*\(/ nocase
    condition:
        uint32be(0) == 0x49443B50 and $e
}

rule hta_hidden_shell_object
{
    meta:
        severity = "high"
        attack = "T1218.005,T1059"
        description = "an HTML application that builds the name of the object it creates (WScript.Shell split in pieces) and runs a command with it"
    strings:
        $hta = /<hta:application|<script\b/ nocase
        $obj = /new\s+ActiveXObject\s*\(\s*[a-z_$][a-z0-9_$]*\s*\)/ nocase
        $piece = /=\s*["'](WS|WScr|crip|t\.Sh|ell|pow|ersh|Shel)["']/ nocase
        $run = /\.(run|exec)\s*\(/ nocase
    condition:
        filesize < 1MB and $hta and $obj and #piece >= 2 and $run
}

rule rtf_forced_activex_object
{
    meta:
        severity = "high"
        attack = "T1203"
        description = "an RTF document whose ActiveX or auto-linked object is forced to load when the document opens (\\objupdate with \\objocx or \\objautlink), as exploit documents do"
    strings:
        $upd = /\\objupdate/ nocase
        $ocx = /\\obj(ocx|autlink)/ nocase
    condition:
        uint32be(0) == 0x7B5C7274 and $upd and $ocx
}

// airlock does not unpack CHM (LZX): a compiled help file stays unscannable, and this says why
// it matters (the verdict is the same: never clean).
rule compiled_html_help
{
    meta:
        severity = "medium"
        attack = "T1218.001"
        description = "a compiled HTML Help file (CHM): hh.exe runs the scripts and ActiveX shortcuts inside with the user's rights"
    condition:
        uint32be(0) == 0x49545346 and uint32(4) == 3
}

rule office_flash_object
{
    meta:
        severity = "medium"
        attack = "T1203"
        description = "an Office document with an embedded Adobe Flash object (ShockwaveFlash): the carrier of Flash exploits such as CVE-2018-4878"
    strings:
        $clsid_bin = { 6E DB 7C D2 6D AE CF 11 96 B8 44 45 53 54 00 00 }
        $clsid_txt = "D27CDB6E-AE6D-11CF-96B8-444553540000" nocase ascii wide
        // a web page's <object classid="clsid:..."> that plays a movie in the browser
        // (also quoted inside a script's string: classid=""clsid:..."" in VBScript, \"clsid: in JS, &quot; in markup shown as text)
        // or a page's script that sets the attribute ($ie['classid'] = 'clsid:...': a quoted
        // clsid: URL, which no Office document writes)
        $clsid_html = /(classid\s*=\s*([\\"']|&quot;){0,3}|["']\s*)clsid:D27CDB6E-AE6D-11CF-96B8-444553540000/ nocase ascii wide
    condition:
        // a JavaScript file that names the class (a Flash embedding helper in a bundle) is
        // not an Office document, nor is a web page (HTML, ASP, PHP) that embeds a movie:
        // OOXML names the class as {...}, OLE and RTF in binary
        filesize < 20MB and
        ($clsid_bin or
         (#clsid_txt > #clsid_html and not filename matches /\.(js|mjs|cjs)$/i))
}
