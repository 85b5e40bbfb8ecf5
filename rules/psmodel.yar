// PowerShell offensive tooling by its vocabulary. Tools written in plain, readable PowerShell
// (AD and Azure reconnaissance, password spraying, vulnerability scanners, credential and hash
// grabbing, logging and Defender tampering, UAC bypasses, tunnels and shells) have no structure
// anomaly for psshape.yar and share no string across authors, but they use together cmdlets,
// .NET types, Win32 functions, LDAP attributes and protocol words that admin scripts do not.
// ps_model is a linear model's logit (in thousandths) over the script's tokens, comments and
// URLs left out (src/analysis/psmodel.c), trained by tools/train-psmodel.py on offensive tool
// repositories against admin modules, installers and PowerShell's own code; measured only for
// text that psshape reads as PowerShell (two tokens only PowerShell writes).
// The threshold keeps at most 1 in 1,000 benign scripts of the held-out repositories over it
// (tools/train-psmodel.py --curve prints the curve): at 10000, 3 of 5,261 held-out benign
// scripts (all of ansible.windows) and 22.7% of 649 held-out offensive ones; at 5000, 0.34% and
// 42%; at 3000, 0.99% and 59%. (The 21 files that the lead's hold-out sets also hold, 14 of
// them trained on before session 20, are no longer read.)

rule psmodel_offensive_vocabulary
{
    meta:
        severity = "high"
        attack = "T1059.001"
        description = "PowerShell whose offensive-tool vocabulary (the cmdlets, .NET types, Win32 functions, LDAP attributes and protocol words that reconnaissance, credential theft, spraying, tampering and shell tools use together) scores as an attack tool, not an admin script"
    condition:
        ps_bytes >= 100 and ps_variables + ps_known_words >= 3 and ps_syntax >= 2 and
        ps_model >= 10000
}
