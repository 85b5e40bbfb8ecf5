airlock-profile 1
# strict: an allow-list of system calls, no network, nothing writable but /tmp.
# For programs that only compute on their input: filters, converters, build steps.
# HOME is /tmp, so the private home is the same scratch tmpfs and nothing else is writable.

include default
net none
home /tmp
memory 2G
pids 256

# Allow-list mode: a call that no rule allows fails with EPERM. What an ordinary program
# uses, without network sockets (local ones only), without changing owners or ids, and with
# personality limited to PER_LINUX and the query. The engine's last checks (namespace flags,
# clone3, TIOCSTI) still apply after these rules.
seccomp-mode allowlist
seccomp-errno EPERM
seccomp-allow @system-service
seccomp-deny @chown
seccomp-deny @setuid
seccomp-deny socket
seccomp-allow socket[a0==AF_UNIX]
seccomp-deny personality
seccomp-allow personality[a0==PER_LINUX]
seccomp-allow personality[a0==0xffffffff]
