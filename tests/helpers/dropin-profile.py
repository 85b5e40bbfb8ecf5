#!/usr/bin/env python3
# dropin-profile.py UNIT DROPIN HOME: the restrictions of a systemd unit and its drop-in that
# airlock run can apply, as an airlock profile on standard output: the system call allow-list
# (SystemCallFilter= after its last empty assignment), socket() per RestrictAddressFamilies=,
# clone without namespace flags under RestrictNamespaces=yes, no network under
# PrivateNetwork=yes, and BindPaths= (%h is HOME) as binds. tests/integration/
# learn-units-shipped.sh runs the milter and watch under it: the drop-in's own lists, not a
# copy of them.
import sys

unit, dropin, home = sys.argv[1:4]


def settings(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            k, v = line.split("=", 1)
            out.append((k, v))
    return out


merged = {}
for k, v in settings(unit) + settings(dropin):
    if v == "":
        merged[k] = []  # an empty assignment resets a list
    elif k in ("SystemCallFilter", "RestrictAddressFamilies", "BindPaths"):
        merged.setdefault(k, []).extend(v.split())
    else:
        merged[k] = [v]


def one(key, default=""):
    return merged.get(key, [default])[-1]


calls = merged.get("SystemCallFilter", [])
if not calls or any(c.startswith(("~", "@")) for c in calls):
    sys.exit("dropin-profile.py: SystemCallFilter= is not a list of call names: %s" % calls)
print("airlock-profile 1")
print("# the restrictions of %s with %s" % (unit, dropin))
print("include default")
print("net none" if one("PrivateNetwork") == "yes" else "net host")
for p in merged.get("BindPaths", []):
    p = p.lstrip("-").replace("%h", home)
    print("bind %s %s" % (p, p))
print("reset seccomp")
print("seccomp-mode allowlist")
print("seccomp-errno %s" % one("SystemCallErrorNumber", "EPERM"))
namespaces = one("RestrictNamespaces") != "yes"
for c in calls:
    if c == "clone3":
        continue  # ENOSYS under airlock, as under RestrictNamespaces=: libc falls back to clone
    if c == "clone" and not namespaces:
        print("seccomp-allow clone[a0&0x7e020080==0]")
    elif c == "unshare" and not namespaces:
        print("seccomp-allow unshare[a0&0x7e020080==0]")
    elif c == "socket" and merged.get("RestrictAddressFamilies"):
        for fam in merged["RestrictAddressFamilies"]:
            if fam != "none":
                print("seccomp-allow socket[a0==%s]" % fam)
    else:
        print("seccomp-allow %s" % c)
