# Writes to standard output the member, at any depth, of the zip, tar or mail message read
# from standard input whose SHA-256 is argv[1], and exits 0; exits 1 when there is none.
# airlock runs this inside `airlock run --net none` to take a web page out of an archive or a
# message for detonation (src/analysis/browser.c): the host never parses the container.
import email
import email.policy
import hashlib
import io
import re
import sys
import tarfile
import zipfile

WANT = sys.argv[1].lower()
MEMBER_MAX = 64 << 20
DEPTH_MAX = 6
HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")


def zip_members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist()[:10000]:
            if not info.is_dir() and info.file_size <= MEMBER_MAX:
                try:
                    yield z.read(info)
                except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError):
                    pass


def tar_members(data):
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for info in t:
            if info.isfile() and info.size <= MEMBER_MAX:
                f = t.extractfile(info)
                if f:
                    yield f.read()


def message_parts(data):
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            if payload:
                yield payload


def members(data):
    if data[:4] == b"PK\x03\x04":
        return zip_members(data)
    if HEADER.match(data[:256]) or data.startswith(b"From "):
        return message_parts(data)
    return tar_members(data)


def walk(data, depth):
    if hashlib.sha256(data).hexdigest() == WANT:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        sys.exit(0)
    if depth >= DEPTH_MAX:
        return
    try:
        for member in members(data):
            walk(member, depth + 1)
    except (tarfile.TarError, zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        pass


walk(sys.stdin.buffer.read(), 0)
sys.exit(1)
