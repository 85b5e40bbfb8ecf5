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
        description = "an RTF document with an embedded OLE object set to update itself"
    strings:
        $obj = "\\objdata" nocase
        $upd = "\\objupdate" nocase
    condition:
        uint32be(0) == 0x7B5C7274 and $obj and $upd
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

rule html_application
{
    meta:
        severity = "high"
        attack = "T1218.005"
        description = "an HTML application (HTA) that mshta runs with full rights"
    strings:
        $hta = "<hta:application" nocase
    condition:
        $hta
}
