#!/usr/bin/env python3
"""Rebuilds an independent hold-out corpus (issue 16) from its public sources and checks
every file against the sha256 in its manifest: C from manifest.tsv (the default), D with
--manifest manifest-D.tsv. The files are not in the tree (README.md).

usage: build.py SOURCES OUTDIR [--manifest FILE] [--debs DIR] [--tree-corpus DATADIR]

SOURCES holds one folder per source repository, named owner+name (or owner/name): either a
plain tree of the pinned commit (`git archive COMMIT | tar -x -C SOURCES/owner+name`) or a git
directory that has the commit (a clone, or a bare mirror as SOURCES/owner+name/repo); the
Debian packages are fetched into SOURCES/debs/ with `apt-get download NAME=VERSION` unless
the .deb is there already (--debs DIR: there instead), and unpacked with dpkg-deb -x (never installed).

A source in the manifest is one of
    owner/name@COMMIT:PATH              a file of the repository
    owner/name@COMMIT:PATH!MEMBER[!...]  a member of a zip in it (password "infected"),
                                        nested zips by further !MEMBER
    deb:NAME=VERSION:PATH               a file of the Debian binary package
OUTDIR gets mal/ and benign/ (the manifest's paths), labels.tsv (path, label, family,
accepted ids, source, licence, sha256) and nothing else; a file whose sha256 differs, or
that cannot be read, is named on stderr and the exit status is 1. With --tree-corpus (the
tree's tests/data/realworld) it also fails if any hold-out file is in the tree's corpus."""
import glob
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

PASSWORD = b"infected"
HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["path", "label", "family", "ids", "source", "licence", "sha256"]


class SourceError(Exception):
    pass


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def split_source(src):
    """Returns (kind, where, path, members): kind "git" (where = (repo, commit)) or "deb"
    (where = "name=version"); members are the zip members after the first "!"."""
    if src.startswith("deb:"):
        pkg, path = src[4:].split(":/", 1)  # a version may hold ":" (epoch), a path starts "/"
        return "deb", pkg, "/" + path, []
    repo, rest = src.split("@", 1)
    commit, path = rest.split(":", 1)
    parts = path.split("!")
    return "git", (repo, commit), parts[0], parts[1:]


class Repos:
    """Reads files of pinned commits from SOURCES: a plain tree or a git directory."""

    def __init__(self, root):
        self.root = root
        self.cache = {}
        self.batch = {}

    def locate(self, repo):
        if repo in self.cache:
            return self.cache[repo]
        owner, name = repo.split("/")
        for cand in (os.path.join(self.root, owner + "+" + name, "repo"),
                     os.path.join(self.root, owner + "+" + name),
                     os.path.join(self.root, owner, name), os.path.join(self.root, name)):
            if not os.path.isdir(cand):
                continue
            if os.path.exists(os.path.join(cand, "HEAD")) and os.path.isdir(os.path.join(cand, "objects")):
                found = ("git", cand)
            elif os.path.isdir(os.path.join(cand, ".git")):
                found = ("git", os.path.join(cand, ".git"))
            else:
                found = ("tree", cand)
            self.cache[repo] = found
            return found
        raise SourceError("%s: no folder %s+%s (or %s/%s) under %s" % (repo, owner, name, owner, name, self.root))

    def read(self, repo, commit, path):
        kind, where = self.locate(repo)
        if kind == "tree":
            full = os.path.join(where, path)
            try:
                with open(full, "rb") as f:
                    return f.read()
            except OSError as e:
                raise SourceError("%s: %s" % (full, e.strerror))
        return self.cat_file(where, repo, commit, path)

    def cat_file(self, gitdir, repo, commit, path):
        """One long-lived `git cat-file --batch` per repository (thousands of small reads)."""
        proc = self.batch.get(gitdir)
        if proc is None:
            proc = self.batch[gitdir] = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if "\n" in path:
            raise SourceError("%s@%s:%s: a newline in the path" % (repo, commit, path))
        proc.stdin.write(("%s:%s\n" % (commit, path)).encode())
        proc.stdin.flush()
        header = proc.stdout.readline().decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise SourceError("%s@%s:%s: not a file of that commit here (%s)" % (repo, commit, path, " ".join(header)))
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
        return data

    def tree(self, repo, commit):
        """Every file path of the commit (for the selection step)."""
        kind, where = self.locate(repo)
        if kind == "tree":
            out = []
            for d, _, files in os.walk(where):
                out += [os.path.relpath(os.path.join(d, f), where) for f in files]
            return sorted(out)
        r = subprocess.run(["git", "--git-dir", where, "ls-tree", "-r", "-z", commit],
                           stdout=subprocess.PIPE, check=True)
        # blobs only: a submodule (gitlink) has no content here
        entries = (e.decode().split("\t", 1) for e in r.stdout.split(b"\0") if e)
        return sorted(path for meta, path in entries if meta.split()[1] == "blob")


def zip_member(data, name):
    """A member of a zip given as bytes; ZipCrypto with python's zipfile, AES with 7z."""
    z = zipfile.ZipFile(io.BytesIO(data))
    try:
        return z.read(name, pwd=PASSWORD)
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        zpath = os.path.join(tmp, "a.zip")
        with open(zpath, "wb") as f:
            f.write(data)
        # -spd: the name is literal, not a wildcard (members like "l[1].txt")
        r = subprocess.run(["7z", "x", "-so", "-spd", "-p" + PASSWORD.decode(), zpath, name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise SourceError("7z cannot read %s: %s" % (name, r.stderr.decode(errors="replace").strip()))
        return r.stdout


def zip_members(data):
    """(name, bytes) of every file member of a zip given as bytes, in order; unreadable ones
    (damaged, unknown method) give (name, None)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    for info in z.infolist():
        if info.is_dir():
            continue
        try:
            yield info.filename, zip_member(data, info.filename)
        except (SourceError, zipfile.BadZipFile, RuntimeError, ValueError, OSError):
            yield info.filename, None


class Debs:
    """Debian binary packages by name=version, downloaded into SOURCES/debs and unpacked."""

    def __init__(self, folder, tmp):
        self.dir = folder
        self.tmp = tmp
        self.unpacked = {}

    def deb_file(self, pkgver):
        name, version = pkgver.split("=", 1)
        pattern = os.path.join(self.dir, "%s_%s_*.deb" % (name, version.replace(":", "%3a")))
        found = glob.glob(pattern)
        if not found:
            os.makedirs(self.dir, exist_ok=True)
            r = subprocess.run(["apt-get", "download", pkgver], cwd=self.dir,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            found = glob.glob(pattern)
            if not found:
                raise SourceError("apt-get download %s: %s" % (pkgver, r.stdout.decode(errors="replace").strip()))
        return found[0]

    def root_of(self, pkgver):
        if pkgver not in self.unpacked:
            dest = os.path.join(self.tmp, "deb", pkgver.replace(":", "_"))
            os.makedirs(dest, exist_ok=True)
            subprocess.run(["dpkg-deb", "-x", self.deb_file(pkgver), dest], check=True)
            self.unpacked[pkgver] = dest
        return self.unpacked[pkgver]

    def read(self, pkgver, path):
        full = os.path.join(self.root_of(pkgver), path.lstrip("/"))
        if os.path.islink(full) or not os.path.isfile(full):
            raise SourceError("deb:%s:%s: not a regular file in the package" % (pkgver, path))
        with open(full, "rb") as f:
            return f.read()


def read_source(src, repos, debs):
    kind, where, path, members = split_source(src)
    if kind == "deb":
        return debs.read(where, path)
    data = repos.read(where[0], where[1], path)
    for m in members:
        data = zip_member(data, m)
    return data


def tree_corpus_hashes(datadir):
    """sha256 -> zip:member of every member of the tree's corpus zips (password "infected")."""
    out = {}
    for side in ("malicious", "benign"):
        for zpath in sorted(glob.glob(os.path.join(datadir, side, "*.zip"))):
            with open(zpath, "rb") as f:
                data = f.read()
            for name, body in zip_members(data):
                if body is not None:
                    out[sha256(body)] = "%s/%s:%s" % (side, os.path.basename(zpath), name)
    return out


def read_manifest(path):
    rows = []
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def write_labels(out, rows):
    with open(os.path.join(out, "labels.tsv"), "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")


def main(argv):
    args, opts = [], {}
    it = iter(argv)
    for a in it:
        if a in ("--manifest", "--tree-corpus", "--debs"):
            opts[a] = next(it, None)
        elif a.startswith("-"):
            sys.exit(__doc__)
        else:
            args.append(a)
    if len(args) != 2 or None in opts.values():
        sys.exit(__doc__)
    sources, out = args
    rows = read_manifest(opts.get("--manifest", os.path.join(HERE, "manifest.tsv")))
    tree = tree_corpus_hashes(opts["--tree-corpus"]) if "--tree-corpus" in opts else {}
    repos = Repos(sources)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        debs = Debs(opts.get("--debs", os.path.join(sources, "debs")), tmp)
        for r in rows:
            try:
                data = read_source(r["source"], repos, debs)
            except (SourceError, zipfile.BadZipFile, KeyError, subprocess.CalledProcessError) as e:
                print("build.py: %s: cannot read: %s" % (r["path"], e), file=sys.stderr)
                bad += 1
                continue
            got = sha256(data)
            if got != r["sha256"]:
                print("build.py: %s: sha256 %s, manifest says %s (%s)" % (r["path"], got, r["sha256"], r["source"]),
                      file=sys.stderr)
                bad += 1
                continue
            if got in tree:
                print("build.py: %s: also in the tree's corpus as %s" % (r["path"], tree[got]), file=sys.stderr)
                bad += 1
            dest = os.path.join(out, r["path"])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
    write_labels(out, rows)
    mal = sum(1 for r in rows if r["label"] == "mal")
    print("build.py: %d files (%d malicious, %d benign) in %s, %d bad" % (len(rows), mal, len(rows) - mal, out, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
