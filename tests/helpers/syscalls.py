#!/usr/bin/python3
# Makes raw system calls inside the sandbox and prints "NAME: ok" or "NAME: ERRNONAME" per call,
# for tests/integration/seccomp-*.sh. Usage: syscalls.py NAME[=ARG0] ...
# x86_64 numbers; the tests skip on other machines.
import ctypes
import errno
import sys

NR = {"personality": 135, "clone3": 435, "io_uring_setup": 425, "userfaultfd": 323,
      "unshare": 272, "mount": 165, "keyctl": 250, "bpf": 321, "ptrace": 101,
      "getppid": 110, "unknown": 1000, "socket": 41, "mseal": 462}

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for spec in sys.argv[1:]:
    name, _, arg = spec.partition("=")
    args = [ctypes.c_ulong(int(a, 0)) for a in arg.split(",")] if arg else []
    args += [ctypes.c_ulong(0)] * (6 - len(args))
    r = libc.syscall(ctypes.c_long(NR[name]), *args)
    e = ctypes.get_errno()
    print("%s: %s" % (spec, "ok" if r >= 0 else errno.errorcode.get(e, str(e))))
