// PowerShell whose structure is anomalous and that reaches an execution sink, a loader or a
// download: the measurements the literature on obfuscated PowerShell makes (how much of the
// text is literals and numbers, how long and how random its longest literal is, how random
// its variable names and the case of its keywords and type names are, ticks inside words,
// [char] casts, format and string operators), taken in C in one pass over the text
// (src/analysis/psshape.c, the ps_* variables of rules/README.md; the bodies of here-strings
// are measured as code too), and paired with what the script does with it: Invoke-Expression in
// its spellings, a call operator on a built string, a child PowerShell told to run an encoded
// command or hidden, Assembly::Load or Add-Type, a download. Structure alone is not enough
// (admin modules embed base64 resources and build strings), a sink alone is not either
// (installers download and run); the two together are rare in admin code. The normalised scan
// sees the structure of the raw text with the sinks the normaliser revealed (each ps_* the
// larger of the two).
// The thresholds were set on 9,600 benign PowerShell files (admin modules and scripts:
// dbatools, ADEssentials, PSScriptAnalyzer, Pester, the PowerShell repository's own scripts
// and tests, Microsoft365DSC, PSAppDeployToolkit, Scoop, Chocolatey's install scripts), so that
// none passes any rule; every rule needs the text to look like PowerShell (variables and
// known words) and a PowerShell sink.

// PowerShell: variables or known words, and two tokens no other language writes (-eq, -f,
// -join, [Type]::, Get-Item...).
private rule psshape_code
{
    condition:
        ps_bytes >= 100 and ps_variables + ps_known_words >= 3 and ps_syntax >= 2
}

// What runs code: Invoke-Expression and the like, a call operator on a built name, a hidden
// or encoded child PowerShell, a load from memory (not Add-Type: admin modules compile C#).
private rule psshape_runs
{
    condition:
        ps_sink_iex + ps_sink_call + ps_sink_child + ps_sink_load >= 1
}

private rule psshape_sink
{
    condition:
        psshape_runs or ps_downloads >= 1
}

// The anomalies of obfuscated text. Each alone, with a sink, passes none of the benign files.
private rule psshape_obfuscated
{
    condition:
        psshape_code and (
        // variable names no person writes ($ve4lmfqixo5c1ry, $tPPcAU): 40% of at least 10
        (ps_variables >= 10 and ps_random_vars_pm >= 400) or
        // keywords and type names in random case (sYsteM.NeT, RePlAcE): 3 and a tenth of them
        (ps_random_case >= 3 and ps_random_case * 10 >= ps_known_words) or
        // words broken by ticks that escape nothing or by empty literals: Ne`w-Obj`ect, I''RM
        ps_tick_words >= 2 or
        // variables named by punctuation only: ${ #!}, ${(@%}; ten, and a fifth of them (Perl
        // writes a few such blocks)
        (ps_symbol_vars >= 10 and ps_symbol_vars * 5 >= ps_variables) or
        // character codes and arithmetic written out: 30% of the text numbers in lists or sums
        ps_number_pm >= 300 or
        // a command run by a call operator on a name cut out of character codes
        (ps_sink_call >= 1 and ps_char_casts >= 10))
}

// A long literal of base64 or hex (line breaks allowed), or character codes, that the script
// decodes. GUI tools decode their icons so, and check for updates: only beside what runs code.
private rule psshape_encoded_payload
{
    condition:
        psshape_code and ps_decoders >= 1 and ps_encoded_literal >= 2000
}

// Most of the text one long literal, decoded: a script carried in a string, run or loaded.
// Admin modules carry C# for Add-Type so, which is why Add-Type is no sink here.
private rule psshape_text_payload
{
    condition:
        psshape_code and ps_decoders >= 1 and ps_string_pm >= 900 and
        ps_longest_literal >= 1000 and
        (psshape_runs or ps_downloads >= 1)
}

rule psshape_obfuscated_exec
{
    meta:
        severity = "high"
        attack = "T1059.001,T1027"
        description = "obfuscated PowerShell (generated variable names, keywords in random case, words broken by ticks or empty quotes, punctuation-only variables, written-out character codes) that runs what it builds (Invoke-Expression, a call operator on a built name, a hidden or encoded child PowerShell), loads code or downloads"
    condition:
        psshape_obfuscated and psshape_sink
}

rule psshape_encoded_payload_exec
{
    meta:
        severity = "high"
        attack = "T1059.001,T1027"
        description = "PowerShell that carries a long encoded literal (base64, hex, character codes) it decodes, and runs (Invoke-Expression, a call operator, a child PowerShell) or loads from memory (Assembly::Load, a delegate to a function pointer): a stager or a packed payload"
    condition:
        (psshape_encoded_payload and psshape_runs) or psshape_text_payload
}

// A reverse shell: a TCP or UDP client, its stream, and something that runs what comes in.
rule psshape_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059.001,T1095"
        description = "PowerShell that opens a TCP/UDP client, reads its stream and runs what it receives (Invoke-Expression, a call operator, a child process): a reverse shell"
    condition:
        psshape_code and ps_sockets >= 1 and ps_streams >= 1 and
        ps_sink_iex + ps_sink_call + ps_sink_child >= 1
}

// An encoded literal decoded three different ways (base64, XOR, GetString, character codes,
// decompression...) and run: a short stager needs no other anomaly. Admin scripts decode, but
// not three ways into Invoke-Expression.
rule psshape_decoded_exec
{
    meta:
        severity = "high"
        attack = "T1059.001,T1027,T1140"
        description = "PowerShell that decodes an encoded literal three different ways (base64, XOR, GetString, character codes, decompression) and runs the result with Invoke-Expression or a call operator"
    condition:
        psshape_code and ps_decoder_kinds >= 3 and ps_encoded_literal >= 100 and
        ps_sink_iex + ps_sink_call >= 1
}
