#!/bin/sh
# Tour, part 3: airlock mail scan walks every MIME part and judges it before delivery.
set -u
s=$AIRLOCK_SRC/samples

echo
echo "=== airlock mail scan: attachments judged before they reach a user ==="
echo "\$ airlock mail scan samples/message-clean.eml samples/message-smuggling.eml"
"$AIRLOCK" mail scan "$s/message-clean.eml" "$s/message-smuggling.eml"
echo "(exit status $?)"
echo
echo "In front of Postfix the same judgement runs in the milter:"
echo "  airlock milter --socket inet:8899@127.0.0.1"
echo "  postconf -e smtpd_milters=inet:127.0.0.1:8899 milter_default_action=tempfail"
echo "See docs/man/airlock-milter.8."
exit 0
