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
        // a request header read with getenv: passthru(getenv("HTTP_ACCEPT_LANGUAGE"))
        $header = /\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(\s*@?\s*getenv\s*\(\s*["']HTTP_/ nocase
        // the request body included as PHP code
        $input = /\b(include|include_once|require|require_once)\s*\(?\s*["']php:\/\/input["']/ nocase
        // a small page that copies a parameter into a variable and runs a variable
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $run_var = /\b(system|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(\s*\$[a-z_][a-z0-9_]*\s*[,)]/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($direct or $interp or $tick or $header or $input or
        (filesize < 20KB and $assign and $run_var))
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

// Request values used as the function to call, or handed to a callback runner
// ($_POST['f']($_POST['a']), array_map($_GET['f'], ...), $f = $_GET['f']; $f(...)).
rule php_request_callable
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell: a request value called as a function or handed to a callback runner (call_user_func, array_map, usort, register_shutdown_function...)"
    strings:
        $call = /\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\s*\(/ nocase
        // no quoted callback before the request value: array_map('escape', $_POST['rows'])
        // maps a fixed function over request data, which is what applications do
        $callback = /\b(call_user_func(_array)?|array_map|array_filter|array_walk|usort|uasort|uksort|register_shutdown_function|register_tick_function|forward_static_call(_array)?|iterator_apply)\s*\([^;\n"']{0,80}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $preg_e = /preg_replace\s*\(\s*["'](.)[^"'\n]{0,80}\/[a-z]*e[a-z]*["']\s*,[^;\n]{0,80}\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and any of ($call, $callback, $preg_e)
}

// PHP that runs code it unpacks from a literal (eval(gzinflate(base64_decode('...')))): the
// packing of web shells and injected backdoors.
rule php_packed_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that evaluates code it decodes or inflates from a long literal (eval of base64_decode, gzinflate, str_rot13...)"
    strings:
        $eval = /\b(eval|assert)\s*\(\s*@?\s*((gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode|rawurldecode|urldecode|hex2bin)\s*\(\s*@?\s*){1,6}\(*\s*["'$]/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and $eval and encoded_b64 >= 256
}

// The toolkit of a PHP file-manager and command shell: server fingerprint, disabled
// functions, free space, owner names, uploads and a command runner, in one page.
rule php_webshell_toolkit
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page with the toolkit of a web shell: server fingerprint, disabled functions, disk space, file owners and permissions, uploads and a command runner"
    strings:
        $t1 = /\bphp_uname\s*\(/ nocase
        $t2 = /\bposix_getpwuid\s*\(/ nocase
        $t3 = /\bdisk_(free|total)_space\s*\(/ nocase
        $t4 = /ini_get\s*\(\s*["'](disable_functions|safe_mode|open_basedir)["']/ nocase
        $t5 = /\bfileperms\s*\(/ nocase
        $t6 = /\bmove_uploaded_file\s*\(/ nocase
        $t7 = /\bgetmyuid\s*\(|\bget_current_user\s*\(/ nocase
        $run = /\b(system|shell_exec|passthru|proc_open|popen|exec)\s*\(\s*\$/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and $run and $req and 4 of ($t*)
}

// ASP.NET and JSP pages that decrypt the request body and load what it holds as code
// (Behinder, Godzilla, AntSword's encrypted shells).
rule webshell_encrypted_loader
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "a JSP or ASP.NET page that decrypts the request body and loads it as a class or an assembly"
    strings:
        $jsp = /<%[@!=]?/
        $define = /\bdefineClass\s*\(|Assembly\s*\.\s*Load\s*\(/
        $cipher = /Cipher\s*\.\s*getInstance\s*\(|RijndaelManaged|AesManaged|CreateDecryptor\s*\(/
        $body = /request\s*\.\s*(getReader|getInputStream|BinaryRead|InputStream|Form|getParameter)\b/ nocase
    condition:
        filesize < 2MB and $jsp and $define and $cipher and $body
}

// A JSP or ASP page that runs a command built from what the request carries, through a
// variable (cmd = request.getParameter("c"); Runtime.getRuntime().exec(cmd)).
rule server_page_command_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP, ASP or ColdFusion page that reads a request value and runs a command (Runtime.exec, ProcessBuilder, WScript.Shell, cfexecute)"
    strings:
        // a server tag (<%, <%@, <%=, <%Response...), not a format string's "<%s" or "<%(name)s"
        $tag = /<%([^a-zA-Z(]|[a-zA-Z][a-zA-Z0-9_])|<cf[a-z]/ nocase
        $jreq = /request\s*\.\s*getParameter\s*\(/
        $jexec = /\.\s*exec\s*\(|new\s+ProcessBuilder\s*\(/
        $runtime = /Runtime\s*\.\s*getRuntime\s*\(\s*\)|getRuntime\b/
        $areq = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $ashell = /(wscript\.shell|shell\.application)["'][^\n]{0,200}|\.\s*(exec|run|shellexecute)\s*\(/ nocase
        $cfexec = /<cfexecute\b[^>]{0,200}(#\s*(url|form)\.|arguments\s*=\s*["']?#)/ nocase
    condition:
        filesize < 2MB and $tag and (($jreq and $runtime and $jexec) or ($areq and $ashell and #ashell >= 2) or $cfexec)
}

// The runner's name kept in a variable ($a = 'assert'; $a($_POST['x'])), so that no call of
// eval or system is written.
rule php_variable_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell that stores a runner's name (assert, eval, system...) in a variable and calls the variable with a request value"
    strings:
        $name = /\$[a-z_][a-z0-9_]*\s*=\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|create_function|pcntl_exec)["']\s*;/ nocase
        $call = /\$[a-z_][a-z0-9_]*\s*\(\s*@?\s*(base64_decode\s*\(\s*|str_rot13\s*\(\s*|gzinflate\s*\(\s*)*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and $name and $call
}

// A JSP page that writes a file whose name or content the request gives (an upload shell).
rule jsp_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a JSP page that writes a file named by a request parameter (FileOutputStream or FileWriter of request.getParameter)"
    strings:
        $jsp = /<%[@!=]?/
        $write = /new\s+(FileOutputStream|FileWriter|RandomAccessFile)\s*\(\s*(new\s+File\s*\(\s*)?request\s*\.\s*getParameter\s*\(/
        $write2 = /new\s+(FileOutputStream|FileWriter)\s*\(\s*(application\s*\.\s*getRealPath\s*\(\s*)?[^;\n]{0,80}request\s*\.\s*getParameter\s*\(/
    condition:
        filesize < 2MB and $jsp and ($write or $write2)
}

// A PHP page that is a command console: an HTML form to type into and a command runner fed
// from a variable (system($cmd), `$cmd`), wherever the variable comes from ($_POST, the old
// $HTTP_POST_VARS, or register_globals, where a form field is a variable by itself). Mailers
// that pipe to sendmail with popen have no form; pages with forms run no command.
rule php_form_command_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page with an HTML form and a command runner fed from a variable (system, shell_exec, passthru, exec, proc_open or backticks)"
    strings:
        // system($cmd), system('cd ' . $dir), system("$cmd 2>&1")
        $run = /\b(system|shell_exec|passthru|exec|proc_open)\s*\(\s*(["'][^"'\n]{0,40}["']\s*\.\s*|"[^"$\n]{0,40})?\$[a-z_]/ nocase
        $tick = /=\s*`[^`\n]{0,40}\$[a-z_][^`\n]{0,80}`\s*;/ nocase
        $form = /<form\b/ nocase
        $input = /<(input|textarea)\b/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and ($run or $tick) and $form and $input
}

// An ASP, ASP.NET or JSP file manager: a request value handed straight to a file operation
// (delete, copy, move, send the file, open it for writing), the other half of web shells.
rule server_page_file_manager
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "an ASP, ASP.NET or JSP page that deletes, copies, moves, writes or sends the file that a request value names (a file-manager web shell)"
    strings:
        $tag = /<%([^a-zA-Z(]|[a-zA-Z][a-zA-Z0-9_])/
        $asp = /\b(File\s*\.\s*(Delete|Copy|Move|WriteAllText|WriteAllBytes|OpenWrite)|Directory\s*\.\s*Delete|Response\s*\.\s*(WriteFile|TransmitFile)|\.(DeleteFile|DeleteFolder|CopyFile|CopyFolder|MoveFile|MoveFolder|CreateTextFile|OpenTextFile))\s*\(?\s*Request\s*(\.\s*(QueryString|Form|Item)\s*)?[\(\[]/ nocase
        $jsp = /new\s+(File|FileInputStream|FileOutputStream|FileWriter|FileReader|RandomAccessFile)\s*\(\s*request\s*\.\s*getParameter\s*\(/
    condition:
        filesize < 2MB and $tag and ($asp or $jsp)
}

// PHP that hides the code it evaluates in escape sequences or behind a function name kept in
// escapes: eval("\x65\x76\x61\x6c..."), preg_replace("/.*/e", "\x65..."), or
// $f = "\x62\x61\163..."; eval($f(...)). An application has no reason to write the code it
// runs in character escapes; packers of web shells and injected backdoors do.
rule php_escaped_code_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that evaluates code written in character escapes, or code a function returns whose name is kept in escapes"
    strings:
        $eval_lit = /\b(eval|assert)\s*\(\s*"(\\x[0-9a-f]{2}|\\[0-7]{2,3}){16}/ nocase
        $preg_e = /preg_replace\s*\(\s*["'][^"'\n]{1,40}\/[a-z]*e[a-z]*["']\s*,\s*["'](\\x[0-9a-f]{2}|\\[0-7]{2,3}|[^"'\n]{0,20}\b(eval|base64_decode|gzinflate|str_rot13)\b)/ nocase
        $name = /\$[a-z_][a-z0-9_]*\s*=\s*["']([a-z0-9_]{0,4}(\\x[0-9a-f]{2}|\\[0-7]{2,3})){4}/ nocase
        $eval_call = /\b(eval|assert)\s*\(\s*\$[a-z_][a-z0-9_]*\s*\(/ nocase
        $php = /(<\?(php|=|\s)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and ($eval_lit or $preg_e or ($name and $eval_call))
}

// The Perl CGI form of a command console: a CGI script (CGI.pm's param, or QUERY_STRING read by
// hand) with an HTML form, that runs a command held in a variable (backticks, qx, system,
// exec, or a pipe opened on it).
rule perl_cgi_command_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a Perl CGI page with an HTML form that runs a command held in a variable (backticks, qx, system, or open of a pipe)"
    strings:
        $cgi1 = /\buse\s+CGI\b/
        $cgi2 = /\$ENV\s*\{\s*["']?(QUERY_STRING|REQUEST_METHOD|CONTENT_LENGTH)/
        $run1 = /`[^`\n]{0,40}\$[a-z_][^`\n]{0,80}`/ nocase
        $run2 = /\b(system|exec)\s*\(?\s*\$[a-z_]/ nocase
        $run3 = /\bqx\s*[({\/|][^\n]{0,40}\$[a-z_]/ nocase
        $run4 = /\bopen\s*\(\s*[A-Z_]+\s*,\s*["'][^"'\n]{0,40}\$[a-z_][^"'\n]{0,80}\|\s*["']/ nocase
        $form = /<form\b/ nocase
        $input = /<(input|textarea)\b/ nocase
    condition:
        file_type != "document" and filesize < 2MB and any of ($cgi*) and any of ($run*) and
        $form and $input
}
