airlock-profile 1
# archive: unzip, 7z, tar, unrar and friends extract into one folder only: the folder airlock
# was started in (${CWD}), seen inside as /out. Nothing else of the host is writable, there
# is no network, and limits stop decompression bombs from filling the machine.
#   cd ~/extract && airlock run -p archive --ro-bind ~/x.zip /in/x.zip -- unzip /in/x.zip

include default
net none
memory 1G
pids 64
timeout 600
bind ${CWD} /out
chdir /out
