// Web shells: a page that hands what the request carries to a command runner or to eval.
// Each rule needs both halves in one expression (or the request value in a variable that the
// runner gets in the same file), so that a page that runs a fixed command, or one that reads
// a parameter for anything else, is not one.

rule jsp_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP web shell: a request parameter handed to Runtime.exec or ProcessBuilder"
    strings:
        // nocase: Runtime.getruntime() runs, and the normalised text is in lower case
        $exec = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/ nocase
        $pb = /new\s+ProcessBuilder\s*\(/ nocase
        $param = /request\s*\.\s*(getParameter|getHeader)\s*\(/ nocase
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
        // the request value through string functions (StrReverse, Trim...) or inside the code
        // string executed: ExecuteGlobal(StrReverse(Request("b"))), Execute("eval request(""x"")"),
        // as the normaliser writes StrReverse/unescape/Replace of literals
        $eval_wrapped = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*([a-z]{3,20}\s*\(\s*){1,3}request\s*[\(.\[]/ nocase
        $eval_string = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*["']\s*(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
        $shell = /(WScript\.Shell|cmd(\.exe)?\s*\/c)/ nocase
        $req = /\brequest\s*(\.(form|querystring|item)\s*)?[\(\[]\s*["'][^"']{1,40}["']/ nocase
        $start = /Process\s*\.\s*Start\s*\(|ProcessStartInfo\s*\(/ nocase
        $tag = /<%|runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $tag and ($eval or $eval_wrapped or $eval_string or (($shell or $start) and $req))
}

rule asp_server_page_dropper
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1105"
        description = "an ASP page that downloads a file with XMLHTTP and saves it with ADODB.Stream as a server page (.asp, .aspx, .asa, .cer, .cdx, .php, .jsp): it plants a web shell"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $http = /(XMLHTTP|WinHttpRequest)/ nocase
        $stream = "ADODB.Stream" nocase
        // the saved name is a literal server-script name: a CMS saving remote pictures names
        // them from the picture's URL, never with a literal script extension
        $save = /\.SaveToFile\s*\(?\s*(server\s*\.\s*mappath\s*\(\s*)?["'][^"'\r\n]{0,200}\.(asp|aspx|asa|cer|cdx|php|jsp)["']/ nocase
    condition:
        filesize < 2MB and $tag and $http and $stream and $save
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
        $tag = /<%([^a-zA-Z(]|[a-zA-Z][a-zA-Z0-9_])|<cf[a-z]|<jsp:(root|scriptlet|declaration|expression)\b/ nocase
        $jreq = /request\s*\.\s*getParameter\s*\(/
        $jexec = /\.\s*exec\s*\(|new\s+ProcessBuilder\s*\(/
        $runtime = /Runtime\s*\.\s*getRuntime\s*\(\s*\)|getRuntime\b/
        $areq = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        // the shell object and a call of it: a page's own JavaScript calls RegExp .exec() too
        $ashell = /(wscript\.shell|shell\.application)["'][^\n]{0,200}/ nocase
        $arun = /\.\s*(exec|run|shellexecute)\s*\(/ nocase
        $cfexec = /<cfexecute\b[^>]{0,200}(#\s*(url|form)\.|arguments\s*=\s*["']?#)/ nocase
    condition:
        filesize < 2MB and $tag and (($jreq and $runtime and $jexec) or ($areq and $ashell and $arun) or $cfexec)
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
        $write = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\(\s*(new\s+File\s*\(\s*)?request\s*\.\s*getParameter\s*\(/
        $write2 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\(\s*(application\s*\.\s*getRealPath\s*\(\s*)?[^;\n]{0,80}request\s*\.\s*getParameter\s*\(/
    condition:
        filesize < 2MB and $jsp and ($write or $write2)
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
        // an uploaded file saved to the path a request value gives: Request.Files(0).SaveAs(Server.MapPath(Request("f")))
        $saveas = /\.\s*SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?Request\s*(\.\s*(QueryString|Form|Item|Params)\s*)?[\(\[]/ nocase
    condition:
        filesize < 2MB and $tag and ($asp or $jsp or $saveas)
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
        // the handle also quoted or lexical: open("COMH", "$command |"), open(my $fh, ...)
        $run4 = /\bopen\s*\(?\s*(["']?[A-Z_]+["']?|my\s+\$[a-z_][a-z0-9_]*)\s*,\s*["'][^"'\n]{0,40}\$[a-z_][^"'\n]{0,80}\|\s*["']/ nocase
        // also CGI.pm's start_form
        $form = /<form\b|\bstart_form\b/ nocase
        $input = /<(input|textarea)\b/ nocase
    condition:
        file_type != "document" and filesize < 2MB and any of ($cgi*) and any of ($run*) and
        $form and $input
}

// A JSP page that writes a file whose path a request parameter gives through a variable
// (String path = request.getParameter("path"); new PrintWriter(new File(path))), or that parses
// a multipart body by hand and writes what it carries: the upload half of JSP web shells.
rule jsp_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small JSP page that writes to a file whose path a request parameter gives, or that parses an upload itself and writes it to disk"
    strings:
        $jsp = /<%[@!=]?/
        $param = /String\s+[a-z_][a-z0-9_]*\s*=\s*request\s*\.\s*getParameter\s*\(/ nocase
        $file_var = /new\s+(java\.io\.)?File\s*\(\s*[a-z_][a-z0-9_]*\s*\)/ nocase
        $raw = /request\s*\.\s*getInputStream\s*\(\s*\)/
        $form = /<input[^>\n]{0,40}type\s*=\s*["']?file/ nocase
        $writer = /new\s+(java\.io\.)?(PrintWriter|FileOutputStream|FileWriter|RandomAccessFile)\s*\(/
    condition:
        filesize < 32KB and $jsp and $writer and (($param and $file_var) or ($raw and $form))
}

// An ASP.NET page that starts the program and arguments typed into its own text boxes
// (new ProcessStartInfo(xpath.Text); .Arguments = xcmd.Text): a command console.
rule aspnet_control_process
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process whose program or arguments come from its form controls (.Text)"
    strings:
        $psi = /ProcessStartInfo\s*\(\s*[a-z_][a-z0-9_]*\s*\.\s*text\b/ nocase
        $args = /\.\s*(Arguments|FileName)\s*=\s*[a-z_][a-z0-9_]*\s*\.\s*text\b/ nocase
        $start = /\.\s*Start\s*\(/ nocase
        $server = /runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $server and $start and ($psi or $args)
}

// A JScript.NET page (Language=JScript) whose code is assembled from one-letter string
// fragments and evaluated: eval("e"+"v"+"a"+"l"+"("+"R"+"e"+"q"...), the "unsafe" eval of the
// request that China Chopper's ASP.NET server uses, hidden letter by letter.
rule aspnet_jscript_fragment_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "a JScript.NET page that evaluates code it assembles from one-letter string fragments"
    strings:
        $page = /<%@\s*Page\s+Language\s*=\s*["']?jscript/ nocase
        $eval = /\beval\s*\(/ nocase
        $frag = "\"+\""
    condition:
        filesize < 2MB and $page and $eval and #frag >= 12
}

// A JSP page that reads the request and reaches a process or code by a route no page needs:
// reflection on the process classes (Class.forName("java.lang.ProcessImpl"), getMethod("exec"),
// java.beans.Expression(Runtime, "exec")), a script engine's eval, BCEL or TemplatesImpl
// bytecode, or a class defined at run time: how JSP web shells avoid writing Runtime.exec.
rule jsp_indirect_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP page that reads the request and runs a command or code through reflection on the process classes, a script engine, BCEL or TemplatesImpl bytecode, or defineClass"
    strings:
        $tag = /<%|<jsp:(root|scriptlet|declaration|expression|setProperty)\b/
        $req = /request\s*\.\s*(getParameter|getInputStream|getReader|getHeader)\s*\(/
        // nocase: the normaliser joins "e"+"x"+"e"+"c" in lower-case text
        $forname = /forName\s*\(\s*"java\.lang\.(Runtime|ProcessImpl|UNIXProcess|ProcessBuilder)"/ nocase
        $method = /get(Declared)?Method\s*\(\s*"(exec|start|forkAndExec|installClass|defineClass)"/ nocase
        $expression = /new\s+(java\.beans\.)?(Expression|Statement)\s*\([^;]{0,80}"(exec|start)"/ nocase
        // the class or method name kept as bytes: forName(new String(new byte[]{106, 97, ...}))
        $hidden = /(forName|get(Declared)?Method)\s*\(\s*new\s+String\s*\(\s*new\s+byte\s*\[\s*\]\s*\{\s*\d/
        // a class loaded from a URL and made with a request value
        $urlloader = /new\s+(java\.net\.)?URLClassLoader\s*\([^;]{0,200}\.\s*loadClass\s*\(/
        $engine = /getEngineBy(Name|Extension|MimeType)\s*\(/
        $eval = /\.\s*eval\s*\(/
        $bcel = "$$BCEL$$"
        $templates = /\bTemplatesImpl\b/
        $define = /\bdefineClass\s*\(/
    condition:
        filesize < 2MB and $tag and $req and ($forname or $method or $expression or ($engine and $eval) or
        $bcel or $templates or $define or $hidden or $urlloader)
}

// The ASP one-liner through variables: x1 = request("pass"): x2 = x1: eval x2. A small page that
// copies a request value into a variable and evaluates or executes a variable (not a method of
// an object: conn.Execute(sql) runs SQL).
rule asp_request_variable_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a small ASP page that copies a request value into a variable and evaluates or executes a variable (eval, Execute, ExecuteGlobal)"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        // also the raw body: content = Request.BinaryRead(size), decrypted and executed
        $assign = /(^|[\s:;%])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item|binaryread)\s*)?[\(\[]/ nocase
        // the runner's name whole: a call of a procedure ExecuteSql is not Execute Sql
        $run = /(^|[\s:;%>])(eval|execute|executeglobal)(\s*\(\s*|\s+)[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|;|%>|')/ nocase
    condition:
        filesize < 20KB and $tag and $assign and $run
}

// ASP's other routes from the request to eval: the value parked in the session and executed
// from there (Session("k") = Request("p") ... Execute(Session("k"))), eval asked for by name
// (eval("request")("p")), or JScript's eval kept in an object or returned by a function and
// called on a request value ({'E': eval}; o.E(Request.Form('z'))). No page needs eval as a value.
rule asp_request_eval_indirect
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP page that evaluates a request value through the session, through eval(\"request\") or through eval kept as a value"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $session_set = /\bsession\s*\(\s*["'][^"'\n]{1,40}["']\s*\)\s*=\s*request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $session_run = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*session\s*\(/ nocase
        $by_name = /\beval\s*\(\s*["']request["']\s*\)\s*\(/ nocase
        $value = /([{,]\s*["']?[a-z_][a-z0-9_]{0,20}["']?\s*:|\breturn)\s*eval\s*[},;\n]/ nocase
    condition:
        filesize < 64KB and $tag and (($session_set and $session_run) or $by_name or ($req and $value))
}

// The ASP upload half: a small page that writes what the request carries into a file whose
// path the request gives, or into a server script (.asp, .asa, .cer...): the "small horse" that
// plants the big one. FileSystemObject's CreateTextFile/OpenTextFile or ADODB.Stream's
// SaveToFile, with Write/WriteText of a request value.
rule asp_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small ASP page that writes a request value into a file named by the request or into a server script (CreateTextFile, OpenTextFile, ADODB.Stream SaveToFile)"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $assign = /(^|[\s:;])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_req = /\.\s*(write|writeline|writetext)\s*[\( ]\s*(""\s*&\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_var = /\.\s*(write|writeline|writetext)\s*[\( ]\s*(""\s*&\s*)?[a-z_][a-z0-9_]*\s*(&\s*""\s*)?\)?\s*(\r?\n|:|%>)/ nocase
        $to_script = /\b(CreateTextFile|OpenTextFile|SaveToFile)\s*[\( ]\s*(server\s*\.\s*mappath\s*\(\s*)?["'][^"'\n]{0,60}\.(asp|aspx|asa|cer|cdx|ashx|php|jsp)["']/ nocase
        $to_req = /\b(CreateTextFile|OpenTextFile|SaveToFile)\s*[\( ]\s*(server\s*\.\s*mappath\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
    condition:
        // a path in a variable is not enough: static-page generators write request data to
        // a file they name themselves
        // and a configuration editor writes request values into its own config.asp, built up
        // in a variable: a variable written to a fixed script is not enough either
        filesize < 8KB and $tag and
        (($write_req and ($to_script or $to_req)) or ($assign and $write_var and $to_req))
}

// The Python CGI form of a command console: the request read through cgi.FieldStorage or
// QUERY_STRING, and a command runner (os.popen, os.system, subprocess) handed a variable.
rule python_cgi_command_runner
{
    meta:
        severity = "high"
        attack = "T1505.003,T1059.006"
        description = "a Python CGI script that reads the request (cgi.FieldStorage, QUERY_STRING) and runs a command held in a variable (os.popen, os.system, subprocess)"
    strings:
        $cgi = /\bcgi\s*\.\s*FieldStorage\s*\(|\bos\s*\.\s*(environ\s*\[|getenv\s*\(|environ\s*\.\s*get\s*\()\s*["']QUERY_STRING["']/
        $run = /\b(os\s*\.\s*(popen|system)|subprocess\s*\.\s*(Popen|call|check_output|run|getoutput|getstatusoutput)|commands\s*\.\s*getoutput)\s*\(\s*[a-z_][a-z0-9_.]*\s*[,)]/
    condition:
        file_type != "document" and filesize < 1MB and $cgi and $run
}

// JScript.NET's eval with the "unsafe" option, which lets the code do anything the server
// may: China Chopper's ASP.NET server (eval(Request.Item["p"], "unsafe")), also with the
// option assembled from pieces or escapes, which the normaliser joins. No page needs it.
rule aspnet_jscript_unsafe_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET JScript page or handler that evaluates code with eval(..., \"unsafe\")"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $eval = /\beval\s*\(\s*[^,;\n]{1,120},\s*["']unsafe["']\s*\)/ nocase
        // "unsafe" in pieces over lines: eval\n(pay,"unsa"+\n"fe")
        $eval_split = /\beval\s*\(\s*[^,;]{1,120},\s*["'][unsafe]{1,5}["'](\s*\+\s*["'][unsafe]{1,5}["']){1,5}\s*\)/ nocase
    condition:
        filesize < 2MB and $tag and ($eval or $eval_split)
}

// An ASP.NET page that starts a process on what the request carries: the arguments or the
// program taken from Request (si.StartInfo.Arguments = "/c " + Request.Headers["x"]), or a
// shell (cmd.exe, powershell) started with "/c " and a variable in a page that reads the request.
rule aspnet_request_process
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process (cmd.exe, ProcessStartInfo) with arguments taken from the request"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $args_req = /\.\s*(Arguments|FileName)\s*=\s*[^;\n]{0,80}\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
        $psi_req = /\b(ProcessStartInfo|Process\s*\.\s*Start)\s*\([^;\n]{0,80}\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
        $shell = /\.\s*FileName\s*=\s*@?["'][^"'\n]{0,40}(cmd|powershell)(\.exe)?["']/ nocase
        $slash_c = /\.\s*Arguments\s*=\s*@?["']\s*\/[ck]\s*["']\s*\+\s*[a-z_]/ nocase
        $req = /\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
    condition:
        filesize < 2MB and $tag and ($args_req or $psi_req or ($shell and $slash_c and $req))
}

// Session 13 (issue #16): classes of web shells the rules above missed on real collections.

// ASP.NET pages that load an assembly from the request (Assembly.Load of Request.BinaryRead or of
// a base64 request value): the unencrypted Behinder/Godzilla style.
rule aspnet_request_assembly_load
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "an ASP.NET page that loads an assembly from bytes the request carries"
    strings:
        $load = /Assembly\s*\.\s*Load\s*\(\s*(Convert\s*\.\s*FromBase64String\s*\(\s*)?Request\s*(\.\s*(BinaryRead|Form|QueryString|Item|Params|Cookies)\s*)?[\(\[]/ nocase
        $load2 = /Assembly\s*\.\s*Load\s*\(\s*(Convert\s*\.\s*FromBase64String\s*\(\s*)?Request\s*\.\s*(BinaryRead|InputStream|Form|QueryString|Params|Cookies)/ nocase
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*WebHandler/ nocase
    condition:
        filesize < 2MB and $tag and ($load or $load2)
}

// ASP whose code is hidden: UTF-7 pages (codepage 65000, whose +AC- sequences hide the quotes
// of eval request("x")), VBScript's ScriptControl fed request code, or Execute of what a
// decoding function of the page makes of a literal (Chr(... - k), StrReverse, Replace).
rule asp_hidden_code_execute
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "an ASP page that hides the code it runs: a UTF-7 code page, ScriptControl given request code, or Execute of a page-defined decoder over a literal"
    strings:
        $tag = /<%/
        $utf7 = /<%\s*@\s*codepage\s*=\s*65000/ nocase
        $sc = /CreateObject\s*\(\s*["']?(MSScriptControl\.)?ScriptControl/ nocase
        $addcode = /\.addcode\s*\(?\s*(request|session)\b/ nocase
        // ...or code handed over in a variable, in a small page that reads the request
        $addcode_var = /\.addcode\s*\(?\s*[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|%>)/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        // also VBScript's call without parentheses: Execute (decode "li#uhtxhvw...")
        $exec_fn = /(^|[\s:;%>])(execute|executeglobal|eval)\s*(\(\s*|\s+)[a-z_][a-z0-9_]{1,30}\s*(\(\s*|\s+)"[^"\r\n]{8,}/ nocase
        $function = /\bfunction\s+[a-z_][a-z0-9_]*\s*\(/ nocase
        $decode = /\bchr[bw]?\s*\(|strreverse\s*\(|\bmid\s*\(/ nocase
    condition:
        filesize < 256KB and $tag and ($utf7 or ($sc and $addcode) or
        (filesize < 16KB and $sc and $addcode_var and $req) or ($exec_fn and $function and $decode))
}

// A small JSP page that writes a file whose path or content the request gives, through
// variables (String path = new String(request.getParameter("path")...); new FileOutputStream(path)).
rule jsp_small_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small JSP page that writes a file whose path or content the request gives (an upload web shell)"
    strings:
        $jsp = /<%[@!=]?|<jsp:(scriptlet|root)/
        $assign = /\b[a-z_][a-z0-9_]*\s*=\s*(new\s+String\s*\(\s*)?request\s*\.\s*getParameter\s*\(/ nocase
        $inline = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\([^;\n]{0,80}request\s*\.\s*getParameter\s*\(/
        $writer = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile|PrintWriter)\s*\(\s*(new\s+(java\.io\.)?File\s*\(\s*)?[a-z_][a-z0-9_]*\s*[,)]/
        $write = /\.\s*(write|print|println)\s*\(/
    condition:
        filesize < 8KB and $jsp and ($inline or ($assign and $writer and $write))
}

// A JSP page that loads a class (defineClass, URLClassLoader, loadClass) and instantiates it
// with a request value, or defines a class from bytes the request carries.
rule jsp_request_class_loader
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "a JSP page that loads a class at run time and hands it a request value or defines it from the request"
    strings:
        $jsp = /<%[@!=]?|<jsp:(scriptlet|root)/
        $load = /\bdefineClass\s*\(|new\s+(java\.net\.)?URLClassLoader\s*\(|\.\s*loadClass\s*\(/
        $inst = /\.\s*newInstance\s*\([^;\n]{0,60}request\s*\.\s*getParameter|getConstructor\s*\([^;\n]{0,60}\)\s*\.\s*newInstance\s*\(\s*request/
        $bytes = /(decodeBuffer|decode|getDecoder\s*\(\s*\)\s*\.\s*decode)\s*\(\s*request\s*\.\s*(getParameter|getReader|getInputStream)/
    condition:
        filesize < 64KB and $jsp and $load and ($inst or $bytes)
}

// An ASP.NET page that starts cmd.exe or PowerShell with arguments it glues to a value
// (psi.Arguments = "/c " + arg), a control's text or the request's: a command console.
rule aspnet_shell_process_arguments
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts cmd.exe or PowerShell with arguments glued to a value the page receives"
    strings:
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*(WebHandler|WebService)/ nocase
        $psi = /ProcessStartInfo\s*\(|Process\s*\.\s*Start\s*\(/ nocase
        $shell = /["'](cmd(\.exe)?|powershell(\.exe)?|\/bin\/(ba)?sh)["']/ nocase
        $args = /\.\s*Arguments\s*=\s*["'][^"'\r\n]{0,60}["']\s*(\+\s*["'][^"'\r\n]{0,60}["']\s*)*\+\s*[a-z_][a-z0-9_.]*/ nocase
        $start_args = /Process\s*\.\s*Start\s*\(\s*["'](cmd(\.exe)?|powershell(\.exe)?)["']\s*,\s*["'][^"'\r\n]{0,20}["']\s*\+\s*[a-z_]/ nocase
        $psi_vars = /new\s+ProcessStartInfo\s*\(\s*[a-z_][a-z0-9_.]*\s*,\s*[a-z_][a-z0-9_.]*\s*\)/ nocase
        $req = /\bRequest\s*(\.\s*(Form|QueryString|Item|Params)\s*)?[\[(]|\.Text\b/ nocase
    condition:
        filesize < 512KB and $tag and $psi and (($shell and ($args or $start_args)) or ($psi_vars and $req))
}

// The classic ASP "small horse": a page that writes what the request carries into a file
// (FileSystemObject's CreateTextFile/OpenTextFile or ADODB.Stream), through a variable.
rule asp_request_text_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small ASP page that writes a request value into a file with FileSystemObject or ADODB.Stream"
    strings:
        $tag = /<%/
        $fso = /Scripting\.FileSystemObject|ADODB\.Stream/ nocase
        $create = /\.\s*(CreateTextFile|OpenTextFile|SaveToFile)\b/ nocase
        $write_req = /\.\s*(Write|WriteLine|WriteText)\s*\(?\s*(""\s*&\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $assign = /(^|[\s:;%])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_var = /\.\s*(Write|WriteLine|WriteText)\s*\(?\s*[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|%>)/ nocase
    condition:
        // a value the page reads and a variable it writes, not tied together: only in a page of
        // a few lines (a CMS's export or page generator reads an id and writes what it built)
        filesize < 16KB and $tag and $fso and $create and
        ($write_req or (filesize < 4KB and $assign and $write_var))
}

// The request evaluated in a fragment of ASP with no <% tag (what an uploader appends to a
// picture or a page saved as .asp, .asa or .cer): eval request("x"), ExecuteGlobal request(...).
rule asp_request_eval_fragment
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a fragment of an ASP page (named .asp, .asa, .cer or .aspx) that evaluates or executes a request value"
    strings:
        $eval = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
    condition:
        filesize < 256KB and filename matches /\.(asp|asa|cer|cdx|aspx|ashx)$/i and $eval
}

// JScript .NET pages, handlers and services (<%@ WebHandler Language="JScript" %>) that call
// eval and read the request: the "Spy" shells. JScript .NET's eval runs code; no current
// application is written in it.
rule aspnet_jscript_request_eval
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a JScript .NET page, handler or web service that evaluates code and reads the request"
    strings:
        $directive = /<%@\s*(page|webhandler|webservice|servicehost)\b[^>\n]{0,200}language\s*=\s*["']?jscript/ nocase
        $script = /<script\b[^>\n]{0,80}(runat\s*=\s*["']?server[^>\n]{0,80}language\s*=\s*["']?jscript|language\s*=\s*["']?jscript[^>\n]{0,80}runat\s*=\s*["']?server)/ nocase
        $eval = /(^|[^.a-z0-9_])eval\s*\(/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item|params|inputstream|binaryread)\b|\[|\()|\.\s*Request\b/ nocase
    condition:
        filesize < 512KB and ($directive or $script) and $eval and $req
}

// Session 14 (issue #16, round 3): classes the rules above missed on real collections.

// A database client by request (ASP, ASP.NET): the server and the credentials of the connection
// are what the page is given, and a text area takes the statements it runs. An application
// keeps its connection string in its configuration; an installer does not run what it is typed.
rule server_page_request_database_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "an ASP or ASP.NET page that connects to the database server and credentials the request names and runs the statements typed into it"
    strings:
        $cs_vb = /(server|data source|host)\s*=\s*["']?\s*&\s*[a-z_][a-z0-9_.]{0,40}\s*&\s*["'][^"'\n]{0,40}(uid|user id|username)\s*=\s*["']?\s*&\s*[a-z_][a-z0-9_.(")]{0,40}\s*&\s*["'][^"'\n]{0,40}(pwd|password)\s*=\s*["']?\s*&/ nocase
        $cs_cs = /(server|data source|host)\s*=\s*["']?\s*\+\s*[a-z_][a-z0-9_.]{0,40}\s*\+\s*["'][^"'\n]{0,40}(uid|user id|username)\s*=\s*["']?\s*\+\s*[a-z_][a-z0-9_.]{0,40}\s*\+\s*["'][^"'\n]{0,40}(pwd|password)\s*=\s*["']?\s*\+/ nocase
        $cs_fmt = /(server|data source|host)\s*=\s*\{0\}\s*;\s*(uid|user id|username)\s*=\s*\{1\}\s*;\s*(pwd|password)\s*=\s*\{2\}/ nocase
        $cs_req = /\b(conn(ection)?_?str(ing)?|connstr|strconn|dbconnstring)\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|params)\s*)?[\[(]/ nocase
        $cs_new = /new\s+(System\.Data\.SqlClient\.)?(Sql|OleDb|Odbc|MySql)Connection\s*\(\s*Request\s*[.\[]/ nocase
        // the statements' text area (an installer shows its licence in one)
        $area = /<textarea[^>]{0,80}\b(name|id)\s*=\s*["']?[a-z_]{0,12}(sql|query|cmd|command|exec)/ nocase
        $run = /\.\s*(Execute(Reader|NonQuery|Scalar)?|Open)\b/ nocase
        $page = /<%|runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 256KB and $page and $run and (any of ($cs_*)) and ($area or $cs_req or $cs_new)
}

// An ASP.NET command console whose program or arguments reach the process through a variable
// the page fills from its controls or the request (string cmd = txtCmd.Text; ...
// p.StartInfo.FileName = cmd), or that types a request value into cmd.exe's standard input.
rule aspnet_process_from_page_values
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process with its output read back, the program, its arguments or its input taken from the request or the page's controls"
    strings:
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*(WebHandler|WebService)/ nocase
        $assign = /\bstring\s+[a-z_][a-z0-9_]*\s*=\s*([a-z_][a-z0-9_]*\s*\.\s*text\s*;|(context\s*\.\s*)?Request\s*(\.\s*(Form|QueryString|Params|Item|Headers)\s*)?[\[(])/ nocase
        $psi_var = /\.\s*StartInfo\s*\.\s*(FileName|Arguments)\s*=\s*[a-z_][a-z0-9_]*\s*;/ nocase
        $stdin = /\.\s*StandardInput\s*\.\s*Write(Line)?\s*\(\s*[a-z_][a-z0-9_.]*\s*\)/ nocase
        $cmd = /\.\s*FileName\s*=\s*@?["'][^"'\n]{0,40}\b(cmd|powershell)(\.exe)?["']/ nocase
        $redirect = /RedirectStandardOutput\s*=\s*true/ nocase
    condition:
        filesize < 512KB and $tag and $assign and $redirect and ($psi_var or ($stdin and $cmd))
}

// Classic ASP that executes what a decoder function of its own returns: Execute(Dec(x)),
// or a variable it decoded, with a function in the file that rebuilds a string character by
// character (For i = 1 To Len(s) ... Chr(Asc(Mid(s, i, 1)) ...)).
rule asp_custom_decoder_execute
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027"
        description = "classic ASP that runs Execute or Eval over text a decoding function of the page rebuilds character by character"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $exec_fn = /(^|[\s:(=])(execute|executeglobal|eval)\s*\(?\s*[a-z_][a-z0-9_]{1,20}\s*\(\s*[a-z_][a-z0-9_]{0,20}\s*\)/ nocase
        $loop = /\bfor\s+[a-z_][a-z0-9_]*\s*=\s*1\s+to\s+len\s*\(/ nocase
        $chr = /\bchrw?\s*\(\s*(ascw?\s*\(|[a-z_][a-z0-9_]*\s*[-+xor^]{1,3}|\(\s*ascw?\s*\()/ nocase
        $mid = /\bmid\s*\(\s*[a-z_][a-z0-9_]*\s*,\s*[a-z_][a-z0-9_]*\s*,\s*\d\s*\)/ nocase
        $fn = /\bfunction\s+[a-z_][a-z0-9_]{0,20}\s*\(/ nocase
    condition:
        filesize < 512KB and $tag and $exec_fn and $fn and $loop and $chr and $mid
}

// Classic ASP that compiles the request as a procedure of its own: the ScriptControl object
// (MSScriptControl) given the request's text by AddCode, ExecuteStatement or Eval and run.
rule asp_scriptcontrol_request_code
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1059.005"
        description = "an ASP page that hands the request's text to the ScriptControl object (AddCode, ExecuteStatement, Eval) and runs it"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $sc = "ScriptControl" nocase
        $code = /\.\s*(addcode|executestatement|eval)\s*[\( ]\s*\(?\s*request\b/ nocase
    condition:
        filesize < 1MB and $tag and $sc and $code
}

// Classic ASP that spells the ProgID of the object it creates in pieces
// (CreateObject("scr"&"ipt"&"ing"&"."&"fil"&"esy"...)): pages name their components whole; a
// name glued from fragments is hidden from the scanners that look for it.
rule asp_fragmented_progid
{
    meta:
        severity = "high"
        attack = "T1505.003,T1027"
        description = "an ASP page that creates an object whose ProgID it glues from short fragments (\"scr\"&\"ipt\"&\"ing\"...): Scripting.FileSystemObject, WScript.Shell or ADODB.Stream hidden from scanners"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $glued = /createobject\s*\(\s*"[^"\r\n]{1,8}"\s*&\s*"[^"\r\n]{1,8}"\s*&\s*"[^"\r\n]{1,8}"/ nocase
    condition:
        filesize < 2MB and $tag and $glued
}

// An ASP.NET page that turns off the framework's protections of its own requests
// (validateRequest="false", EnableViewStateMac="false") and reads what only an intruder
// surveying the server needs: the drives, the registry, the IIS metabase (IIS://). Applications
// that accept markup turn off request validation; none has a reason to read the metabase or
// the server's drives from a page.
rule aspnet_unprotected_server_survey
{
    meta:
        severity = "high"
        attack = "T1505.003,T1082,T1083"
        description = "an ASP.NET page with request validation turned off (and view-state MAC off, or the IIS metabase read) that lists the server's drives, registry or IIS sites"
    strings:
        $page = /<%@\s*Page\b/ nocase
        $vr = /validateRequest\s*=\s*["']?false/ nocase
        $mac = /EnableViewStateMac\s*=\s*["']?false/ nocase
        $iis = /["']IIS:\/\/[^"'\r\n]{0,60}["']/ nocase
        $drives = /DriveInfo\s*\.\s*GetDrives\s*\(|(Directory|Environment)\s*\.\s*GetLogicalDrives\s*\(/
        $reg = /Registry\s*\.\s*(LocalMachine|CurrentUser|Users|ClassesRoot)\b/
    condition:
        filesize < 2MB and $page and $vr and ($mac or $iis) and ($iis or $drives or $reg)
}

// An XSL stylesheet for PHP's XSLTProcessor (registerPHPFunctions) that calls a code or command
// sink through php:function: the transform of the posted document is the shell. Here, not in
// webshells-php.yar: a stylesheet has no PHP opening, and that file is scanned only over text
// with one (its airlock-scope).
rule php_xsl_function_sink
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1059"
        description = "an XSL stylesheet that calls PHP's eval/assert/system family through php:function (XSLTProcessor with registerPHPFunctions)"
    strings:
        $ns = /xmlns:[a-z0-9_]+\s*=\s*["']http:\/\/php\.net\/xsl["']/ nocase
        $call = /[a-z0-9_]+:function\s*\(\s*['"](assert|eval|system|exec|passthru|shell_exec|popen|proc_open|create_function|call_user_func|preg_replace|file_put_contents)['"]/ nocase
    condition:
        filesize < 1MB and $ns and $call
}
