// Web shells and server-side backdoors by their vocabulary. File managers, database consoles,
// uploaders, mailers, IRC bots, scanners and loaders in PHP, ASP/ASPX, JSP and Perl often hand
// nothing of the request to a sink that webshape.c follows and share no string across authors,
// but they name together what applications name rarely together: uname, safe_mode,
// disable_functions, passthru, chmod, wget, gzinflate, "Upload", "Execute", "Server IP",
// backconnect, PRIVMSG... web_model is a linear model's logit (in thousandths) over the script's
// tokens, comments, URLs, numbers and base64 blobs left out (src/analysis/webmodel.c), trained by
// tools/train-webmodel.py on web-shell collections against web applications, split by
// repository; measured only for text that webshape reads as a server-side script.
// The threshold keeps at most 1 in 2,000 benign files of the held-out repositories over it
// (tools/train-webmodel.py --curve): at 2500, 7 of 19,499 held-out benign files (1 in 2,785)
// and, on the held-out web-shell repositories' 3,374 files, +8.3 points over what the other rules
// found (77.9% to 85.2%: PHP 78.2 to 85.6, ASP 78.3 to 83.0, JSP 74.2 to 84.9, Perl 31.2 to
// 37.5); at 2000, 1 in 1,392 and 86.3%; at 4000, 1 in 4,874 and 81.3%. No strings: the rule
// reads one variable, so it costs nothing in YARA's search.

rule webmodel_web_shell_vocabulary
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "web-shell vocabulary: a server-side script that names together what file managers, consoles, uploaders, mailers and bots name (system information, command and code execution, uploads, permissions, sockets, decoders) and applications rarely do"
    condition:
        web_model >= 2500
}
