#!/usr/bin/env python3
# Issue 11 class 4: a process that looks contained and is not. Run inside new user, mount,
# pid, net, ipc and uts namespaces (unshare), it makes ROOT a tmpfs, binds every host top-level
# folder into it, chroots there, drops every capability, sets no_new_privs, attaches an
# allow-everything seccomp filter and then execs sleep SECONDS.
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
root = sys.argv[1]
libc.mount(b"none", b"/", None, 0x4000 | 0x40000, None)  # MS_REC|MS_PRIVATE
libc.mount(b"tmpfs", root.encode(), b"tmpfs", 0, None)
for d in sorted(os.listdir("/")):
    src = "/" + d
    if d in ("proc", "sys", "dev") or os.path.islink(src) or not os.path.isdir(src):
        continue
    os.mkdir(os.path.join(root, d))
    if libc.mount(src.encode(), os.path.join(root, d).encode(), None, 0x1000 | 0x4000, None):
        print("bind", src, ctypes.get_errno(), file=sys.stderr)
for d in os.listdir("/"):
    if os.path.islink("/" + d):
        os.symlink(os.readlink("/" + d), os.path.join(root, d))
os.chroot(root)
os.chdir("/")
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, PR_CAPBSET_DROP = 38, 22, 24
for cap in range(64):
    libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
flt = struct.pack("HBBI", 0x06, 0, 0, 0x7fff0000)  # BPF_RET|BPF_K SECCOMP_RET_ALLOW
buf = ctypes.create_string_buffer(flt)
prog = struct.pack("HxxxxxxQ", 1, ctypes.addressof(buf))
pbuf = ctypes.create_string_buffer(prog)
if libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(2), ctypes.c_ulong(ctypes.addressof(pbuf)), ctypes.c_ulong(0), ctypes.c_ulong(0)):
    print("seccomp", ctypes.get_errno(), file=sys.stderr)
# drop every capability of the (namespaced) user: capset with empty sets
hdr = ctypes.create_string_buffer(struct.pack("Ii", 0x20080522, 0))
data = ctypes.create_string_buffer(24)
libc.capset(hdr, data)
os.execv("/bin/sleep", ["sleep", sys.argv[2] if len(sys.argv) > 2 else "60"])
