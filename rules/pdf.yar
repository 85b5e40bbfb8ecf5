// PDF documents that run script or programs, or carry files (T1204.002, T1059.007).

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
        severity = "medium"
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
        $oa = "/OpenAction"
        $gotoe = "/GoToE"
        $js = "/JavaScript"
    condition:
        airlock_is_pdf and $ef and any of ($oa, $gotoe, $js)
}

rule pdf_obfuscated_names
{
    meta:
        severity = "high"
        attack = "T1027,T1059.007"
        description = "a PDF that hides action names with #xx escapes (such as /J#61vaScript)"
    strings:
        $n = /\/(J|Ja|Jav|Java|JavaS|JavaSc|JavaScr|JavaScri|JavaScrip|O|Op|Ope|Open|OpenA|OpenAc|OpenAct|OpenActi|OpenActio|L|La|Lau|Laun|Launc|E|Em|Emb|Embe|Embed|Embedd|Embedde|EmbeddedF|EmbeddedFi|EmbeddedFil)?#[0-9A-Fa-f]{2}/
    condition:
        airlock_is_pdf and $n
}
