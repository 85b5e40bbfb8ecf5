airlock-profile 1
# curl: fetches from the network into the downloads folder and nowhere else. The host
# network is shared (curl needs it); the only writable host folder is ${DOWNLOADS}, seen
# inside as ~/Downloads, which is also the working directory.
#   airlock run -p curl -- curl -fsSLO https://example.org/file

include default
net host
memory 1G
pids 64
ro-bind-try /etc/resolv.conf /etc/resolv.conf
ro-bind-try /etc/ssl/certs /etc/ssl/certs
ro-bind-try /etc/ca-certificates /etc/ca-certificates
bind ${DOWNLOADS} ${SANDBOX_HOME}/Downloads
chdir ${SANDBOX_HOME}/Downloads
