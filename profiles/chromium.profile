airlock-profile 1
# chromium: Debian's Chromium with the host network, its own persistent profile folder
# (kept under ~/.local/share/airlock/apps/chromium), and ${DOWNLOADS} as the only writable
# host folder. ~/.ssh, ~/.gnupg, keyrings and other browsers' data are not in the sandbox at
# all: nothing of the host home is. Chromium's own sandbox keeps working inside: it needs
# nested user namespaces (allow-userns) and chroot within them, which the default refuses.

include default
net host
# Without a delegated cgroup (airlock started by a user) the memory limit falls back to an
# rlimit: RLIMIT_DATA, since browsers reserve far more address space than they use.
memory 4G
memory-rlimit data
pids 2048
# Lets clone/unshare make a user namespace (and other namespaces inside it) and chroot:
# the seccomp engine keeps refusing namespaces made without a new user namespace.
allow-userns

persist ${SANDBOX_HOME}/.config/chromium
persist ${SANDBOX_HOME}/.cache/chromium
bind-try ${DOWNLOADS} ${SANDBOX_HOME}/Downloads
# The download gate (airlock-watch(1)): once ${DOWNLOADS}/.airlock-gate exists, downloads land
# there instead, and "airlock watch --gate ${DOWNLOADS}/.airlock-gate --release-to ${DOWNLOADS}"
# moves on only the files judged clean. Same file system: a release is a rename, never a copy
# across disks. Without the folder the browser saves into ${DOWNLOADS} as before.
bind-try ${DOWNLOADS}/.airlock-gate ${SANDBOX_HOME}/Downloads

ro-bind-try /etc/chromium /etc/chromium
ro-bind-try /etc/chromium.d /etc/chromium.d
ro-bind-try /etc/fonts /etc/fonts
ro-bind-try /etc/resolv.conf /etc/resolv.conf
ro-bind-try /etc/ssl/certs /etc/ssl/certs
env LANG
# A window needs the display server's socket: add --display wayland (or x11) on the command line.
env DISPLAY
env WAYLAND_DISPLAY
