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
        // One string per spelling: the start of an action name, then its next letter written as
        // #xx (/J#61vaScript, /#4Caunch). Each begins with a literal that YARA can search for
        // quickly (a single regular expression with an optional group leaves YARA only "#" to
        // look for). Only the letter that the name goes on with: escapes are ordinary in other
        // names (fonts such as /#CB#CE#CC#E5, /Font#20Name), and bytes such as "/E#Ea" occur
        // in compressed streams.
        $n0 = /\/#(41|45|47|49|4[Aa]|4[Cc]|4[Ff]|53|55)/
        $n1 = /\/A#(41)/
        $n2 = /\/E#(6[Dd])/
        $n3 = /\/G#(6[Ff])/
        $n4 = /\/I#(6[Dd])/
        $n5 = /\/J#(53|61)/
        $n6 = /\/L#(61)/
        $n7 = /\/O#(70)/
        $n8 = /\/S#(75)/
        $n9 = /\/U#(52)/
        $n10 = /\/Em#(62)/
        $n11 = /\/Go#(54)/
        $n12 = /\/Im#(70)/
        $n13 = /\/Ja#(76)/
        $n14 = /\/La#(75)/
        $n15 = /\/Op#(65)/
        $n16 = /\/Su#(62)/
        $n17 = /\/UR#(49)/
        $n18 = /\/Emb#(65)/
        $n19 = /\/GoT#(6[Ff])/
        $n20 = /\/Imp#(6[Ff])/
        $n21 = /\/Jav#(61)/
        $n22 = /\/Lau#(6[Ee])/
        $n23 = /\/Ope#(6[Ee])/
        $n24 = /\/Sub#(6[Dd])/
        $n25 = /\/Embe#(64)/
        $n26 = /\/GoTo#(45|52)/
        $n27 = /\/Impo#(72)/
        $n28 = /\/Java#(53)/
        $n29 = /\/Laun#(63)/
        $n30 = /\/Open#(41)/
        $n31 = /\/Subm#(69)/
        $n32 = /\/Embed#(64)/
        $n33 = /\/Impor#(74)/
        $n34 = /\/JavaS#(63)/
        $n35 = /\/Launc#(68)/
        $n36 = /\/OpenA#(63)/
        $n37 = /\/Submi#(74)/
        $n38 = /\/Embedd#(65)/
        $n39 = /\/Import#(44)/
        $n40 = /\/JavaSc#(72)/
        $n41 = /\/OpenAc#(74)/
        $n42 = /\/Submit#(46)/
        $n43 = /\/Embedde#(64)/
        $n44 = /\/ImportD#(61)/
        $n45 = /\/JavaScr#(69)/
        $n46 = /\/OpenAct#(69)/
        $n47 = /\/SubmitF#(6[Ff])/
        $n48 = /\/Embedded#(46)/
        $n49 = /\/ImportDa#(74)/
        $n50 = /\/JavaScri#(70)/
        $n51 = /\/OpenActi#(6[Ff])/
        $n52 = /\/SubmitFo#(72)/
        $n53 = /\/EmbeddedF#(69)/
        $n54 = /\/ImportDat#(61)/
        $n55 = /\/JavaScrip#(74)/
        $n56 = /\/OpenActio#(6[Ee])/
        $n57 = /\/SubmitFor#(6[Dd])/
        $n58 = /\/EmbeddedFi#(6[Cc])/
        $n59 = /\/EmbeddedFil#(65)/
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
        // the action is the OpenAction or an additional action (/AA) itself, or an object of its
        // own that an indirect OpenAction may name. Not a form's Submit button: its action is
        // written in the widget (/A << /S /SubmitForm ... >>) and runs on a click, beside an
        // OpenAction that only shows the first page.
        $oa_act = /\/OpenAction\s*<<[^>]{0,200}\/S\s*\/(SubmitForm|ImportData)/
        $aa_act = /\/AA\s*<<[^>]{0,300}\/S\s*\/(SubmitForm|ImportData)/
        $oa_ref = /\/OpenAction\s*\d+\s+\d+\s+R/
        $obj_act = /\d+\s+\d+\s+obj\s*<<\s*(\/Type\s*\/Action\s*)?\/S\s*\/(SubmitForm|ImportData)/
        $remote = /\/F\s*(<<[^>]{0,80}\/F\s*)?\(\s*(\\\\|https?:|file:|\/\/)/ nocase
    condition:
        airlock_is_pdf and ($submit or $import) and $remote and
        ($oa_act or $aa_act or ($oa_ref and $obj_act))
}

// A link to a bare IPv4 address over HTTP: documents link to names; a numeric address is how a
// phishing PDF points at a server set up for the campaign.
rule pdf_uri_numeric_host
{
    meta:
        severity = "medium"
        attack = "T1566.001,T1204.001"
        description = "a PDF with a link action to a bare IP address (http://203.0.113.7/...), as phishing documents link to campaign servers"
    strings:
        $uri = /\/URI\s*\(\s*https?:\/\/(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}(:[0-9]{1,5})?\/[^)\s]{4,}\)/ nocase
        $local = /\/URI\s*\(\s*https?:\/\/(127\.|10\.|192\.168\.|0\.)/ nocase
    condition:
        airlock_is_pdf and $uri and not $local
}
