// Web shells: a page that hands what the request carries to a command runner or to eval.
// Each rule needs both halves in one expression (or the request value in a variable that the
// runner gets in the same file), so that a page that runs a fixed command, or one that reads
// a parameter for anything else, is not one.

rule php_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell: a request parameter handed to system, exec, eval, assert or the backtick operator"
    strings:
        $direct = /\b(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function)\s*\(\s*(@?\s*(base64_decode|gzinflate|str_rot13|urldecode|stripslashes|trim)\s*\(\s*)*@?\s*\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s*\[/ nocase
        // the parameter inside a double-quoted command string: shell_exec("($_GET[$p]) 2>&1")
        $interp = /\b(system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*"[^"]{0,40}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $tick = /`\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*`/ nocase
        // a small page that copies a parameter into a variable and runs a variable
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $run_var = /\b(system|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(\s*\$[a-z_][a-z0-9_]*\s*[,)]/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($direct or $interp or $tick or (filesize < 20KB and $assign and $run_var))
}

rule jsp_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP web shell: a request parameter handed to Runtime.exec or ProcessBuilder"
    strings:
        $exec = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/
        $pb = /new\s+ProcessBuilder\s*\(/
        $param = /request\s*\.\s*getParameter\s*\(/
        $jsp = /<%[@!=]?/
    condition:
        filesize < 2MB and $jsp and ($exec or $pb) and $param
}

rule asp_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP or ASP.NET web shell: a request value handed to eval, Execute, WScript.Shell or Process.Start"
    strings:
        $eval = /\b(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
        $shell = /(WScript\.Shell|cmd(\.exe)?\s*\/c)/ nocase
        $req = /\brequest\s*(\.(form|querystring|item)\s*)?[\(\[]\s*["'][^"']{1,40}["']/ nocase
        $start = /Process\s*\.\s*Start\s*\(|ProcessStartInfo\s*\(/ nocase
        $tag = /<%|runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $tag and ($eval or (($shell or $start) and $req))
}

rule ssi_exec
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a server-side include that runs a command on the web server (<!--#exec cmd=...-->)"
    strings:
        $exec = /<!--\s*#\s*exec\s+(cmd|cgi)\s*=/ nocase
    condition:
        filesize < 2MB and $exec
}

rule php_file_manager_webshell
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page that reads, writes or deletes the file a request parameter names, or moves an upload to a path the request gives (a file-manager web shell)"
    strings:
        $file_op = /\b(file_get_contents|readfile|fopen|file|show_source|highlight_file|unlink|file_put_contents|copy|rename)\s*\(\s*@?\s*(urldecode\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $upload = /move_uploaded_file\s*\(\s*\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*["']tmp_name["']\s*\]/ nocase
        $docroot = /\$_SERVER\s*\[\s*["']DOCUMENT_ROOT["']\s*\][^\n]{0,80}\$_FILES\s*\[/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($file_op or ($upload and $docroot))
}

// A one-line PHP web shell, also as a script writes it (echo "<?php ... \$_REQUEST ... system(\$c)"):
// the request value and the runner on one line.
rule php_oneline_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a one-line PHP web shell: a request parameter and a command runner or eval in one line of PHP"
    strings:
        $line = /<\?php[^\n]{0,200}\\?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\n]{0,200}\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(/ nocase
        $line2 = /<\?php[^\n]{0,200}\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\([^\n]{0,40}\\?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
    condition:
        filesize < 4MB and any of them
}
