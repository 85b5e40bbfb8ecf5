// PDF documents that run script or programs, or carry files (T1204.002, T1059.007).
// Every rule here needs airlock_is_pdf: airlock scans these rules over PDF only.
// airlock-scope: pdf

private rule airlock_is_pdf
{
    condition:
        uint32(0) == 0x46445025 or (filesize < 64MB and uint32(1) == 0x46445025)
}

rule pdf_javascript
{
    meta:
        severity = "medium"
        attack = "T1059.007"
        description = "a PDF with JavaScript"
    strings:
        $js1 = "/JavaScript"
        $js2 = /\/JS\s*[(<\[\/0-9]/
    condition:
        airlock_is_pdf and any of them
}

rule pdf_autorun_javascript
{
    meta:
        severity = "high"
        attack = "T1059.007,T1204.002"
        description = "a PDF that runs JavaScript when it is opened (OpenAction or AA)"
    strings:
        $js1 = "/JavaScript"
        $js2 = /\/JS\s*[(<\[\/0-9]/
        $oa = "/OpenAction"
        $aa = /\/AA\s*<</
    condition:
        airlock_is_pdf and any of ($js*) and any of ($oa, $aa)
}

rule pdf_launch_action
{
    meta:
        severity = "high"
        attack = "T1204.002"
        description = "a PDF with a Launch action that starts a program"
    strings:
        $launch = "/Launch"
    condition:
        airlock_is_pdf and $launch
}

rule pdf_embedded_file
{
    meta:
        // an attachment is no alarm by itself: airlock judges the attached file as a child
        severity = "low"
        attack = "T1027.009"
        description = "a PDF that carries an embedded file"
    strings:
        $ef = "/EmbeddedFile"
    condition:
        airlock_is_pdf and $ef
}

rule pdf_embedded_file_autorun
{
    meta:
        severity = "high"
        attack = "T1027.009,T1204.002"
        description = "a PDF that carries an embedded file and acts on open (OpenAction, GoToE, JavaScript)"
    strings:
        $ef = "/EmbeddedFile"
        // an action that runs on open, written in place: GoToE, JavaScript or Launch. Most
        // PDFs have an /OpenAction that only shows a page (/OpenAction [1 0 R /Fit],
        // << /S /GoTo ... >>); an attachment beside one is no threat.
        $oa_act = /\/OpenAction\s*<<[^>]{0,200}(>>[^>]{0,100})?\/S\s*\/(GoToE|JavaScript|Launch)/
        // an action in another object: then the file must hold such an action somewhere
        $oa_ref = /\/OpenAction\s*\d+\s+\d+\s+R/
        $aa_act = /\/AA\s*<<[^>]{0,200}(>>[^>]{0,100})?\/S\s*\/(GoToE|JavaScript|Launch)/
        $gotoe = "/GoToE"
        $launch = "/Launch"
        $js = "/JavaScript"
    condition:
        // a GoToE alone is a link the reader clicks (an attachment's table of contents)
        airlock_is_pdf and $ef and ($oa_act or $aa_act or $js or ($oa_ref and ($gotoe or $launch)))
}

rule pdf_obfuscated_names
{
    meta:
        severity = "high"
        attack = "T1027,T1059.007"
        description = "a PDF that hides action names with #xx escapes (such as /J#61vaScript)"
    strings:
        // One string per spelling (a name that starts with #xx, or with the start of an action
        // name then #xx): each begins with a literal that YARA can search for quickly. A single
        // regular expression with an optional group leaves YARA only "#" to look for, which
        // made this rule cost as much as all the others together on text.
        $n0 = /\/#[0-9A-Fa-f]{2}/
        $n1 = /\/J#[0-9A-Fa-f]{2}/
        $n2 = /\/Ja#[0-9A-Fa-f]{2}/
        $n3 = /\/Jav#[0-9A-Fa-f]{2}/
        $n4 = /\/Java#[0-9A-Fa-f]{2}/
        $n5 = /\/JavaS#[0-9A-Fa-f]{2}/
        $n6 = /\/JavaSc#[0-9A-Fa-f]{2}/
        $n7 = /\/JavaScr#[0-9A-Fa-f]{2}/
        $n8 = /\/JavaScri#[0-9A-Fa-f]{2}/
        $n9 = /\/JavaScrip#[0-9A-Fa-f]{2}/
        $n10 = /\/O#[0-9A-Fa-f]{2}/
        $n11 = /\/Op#[0-9A-Fa-f]{2}/
        $n12 = /\/Ope#[0-9A-Fa-f]{2}/
        $n13 = /\/Open#[0-9A-Fa-f]{2}/
        $n14 = /\/OpenA#[0-9A-Fa-f]{2}/
        $n15 = /\/OpenAc#[0-9A-Fa-f]{2}/
        $n16 = /\/OpenAct#[0-9A-Fa-f]{2}/
        $n17 = /\/OpenActi#[0-9A-Fa-f]{2}/
        $n18 = /\/OpenActio#[0-9A-Fa-f]{2}/
        $n19 = /\/L#[0-9A-Fa-f]{2}/
        $n20 = /\/La#[0-9A-Fa-f]{2}/
        $n21 = /\/Lau#[0-9A-Fa-f]{2}/
        $n22 = /\/Laun#[0-9A-Fa-f]{2}/
        $n23 = /\/Launc#[0-9A-Fa-f]{2}/
        $n24 = /\/E#[0-9A-Fa-f]{2}/
        $n25 = /\/Em#[0-9A-Fa-f]{2}/
        $n26 = /\/Emb#[0-9A-Fa-f]{2}/
        $n27 = /\/Embe#[0-9A-Fa-f]{2}/
        $n28 = /\/Embed#[0-9A-Fa-f]{2}/
        $n29 = /\/Embedd#[0-9A-Fa-f]{2}/
        $n30 = /\/Embedde#[0-9A-Fa-f]{2}/
        $n31 = /\/EmbeddedF#[0-9A-Fa-f]{2}/
        $n32 = /\/EmbeddedFi#[0-9A-Fa-f]{2}/
        $n33 = /\/EmbeddedFil#[0-9A-Fa-f]{2}/
    condition:
        airlock_is_pdf and any of ($n*)
}

rule pdf_uri_file_share
{
    meta:
        severity = "high"
        attack = "T1187"
        description = "a PDF link to a file share (UNC or file://): following it hands the user's credentials to that server"
    strings:
        $unc = /\/URI\s*\(\s*\\\\/
        $file = /\/URI\s*\(\s*file:/ nocase
        // the same as a hex string: <5c5c...> and <66696c653a...>
        $unc_hex = /\/URI\s*<\s*5c\s*5c/ nocase
        $file_hex = /\/URI\s*<\s*66\s*69\s*6c\s*65\s*3a/ nocase
    condition:
        airlock_is_pdf and any of them
}

rule pdf_remote_goto
{
    meta:
        severity = "high"
        attack = "T1204.002,T1187"
        description = "a PDF action that opens a document on a remote server or file share (GoToR, GoToE)"
    strings:
        $go = /\/S\s*\/GoTo[RE]/
        $f = /\/F\s*\(\s*(\\\\|https?:|file:|\/\/)/ nocase
        $url = /\/FS\s*\/URL/
    condition:
        airlock_is_pdf and $go and ($f or $url)
}

rule pdf_autorun_submit_import
{
    meta:
        severity = "high"
        attack = "T1204.002,T1187"
        description = "a PDF that sends its form or loads data from a server as soon as it is opened (SubmitForm, ImportData)"
    strings:
        $submit = "/SubmitForm"
        $import = "/ImportData"
        $oa = "/OpenAction"
        $aa = /\/AA\s*<</
        $remote = /\/F\s*(<<[^>]{0,80}\/F\s*)?\(\s*(\\\\|https?:|file:|\/\/)/ nocase
    condition:
        airlock_is_pdf and ($submit or $import) and $remote and ($oa or $aa)
}
