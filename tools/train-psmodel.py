#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Trains the PowerShell vocabulary model (src/analysis/psmodel.h) and writes its table.

    tools/train-psmodel.py [--build build] [--mirror /work/.mirror] [--out FILE]
    tools/train-psmodel.py --check          # retrain, and fail unless the table is the same
    tools/train-psmodel.py --curve          # also print the held-out curve

The sources are tools/psmodel-sources.txt: "mal owner/name@commit" (offensive PowerShell
tools) and "ben owner/name@commit" (admin modules, installers, PowerShell's own code), read as
git snapshots from MIRROR/owner+name/repo (the layout of the fetch tool), *.ps1 and *.psm1 only.
Files are deduplicated by SHA-256 (one found on both sides is dropped); a file of the lead's
hold-out sets (its SHA-256 in bench/holdout/manifest*.tsv) or naming a "drop-naming WORD" of the
sources file (copies of a hold-out author's payloads in collections) is never read. The split is by
repository: a repository whose SHA-1 of "owner/name" is 0 modulo 3 is held out (never
trained on); of the held-out malicious files, those whose base name a trained malicious
repository also has are dropped (copies of one tool in many collections). The features are those of
the C tokenizer itself (build/tools/vocab-dump -m ps), so that training and scanning cannot
disagree. The model is L2-regularised logistic regression, full-batch Adam with a
fixed number of steps from zero (deterministic); both sides weigh the same in total and a
repository weighs at most REPO_CAP files. Weights and bias are written in thousandths of a
logit as int16 and int32. The training, the table and the curve are tools/vocabtrain.py's,
shared with tools/train-webmodel.py: pure Python, run with /usr/bin/python3 (nothing to
install; a few minutes).
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocabtrain  # noqa: E402

FLAGS = 1  # PSMODEL_STRING_WORDS
L2 = 3e-4
STEPS = 600
RATE = 0.02
REPO_CAP = 150
NORM = 0  # 1: each file's presence vector has unit length (long files do not add up)
MIN_REPOS = 1  # a bucket is weighed only when this many trained repositories have it
BUCKET_BITS = 14  # PSMODEL_BUCKET_BITS
HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.dirname(HERE)


def read_sources(path):
        out = []
        for line in open(path):
                line = line.split('#', 1)[0].strip()
                if not line:
                        continue
                label, spec = line.split()
                if label == 'drop-naming':  # files that name this word are copies of a hold-out author's
                        DROP_NAMING.append(spec.lower().encode())
                        continue
                repo, commit = spec.split('@')
                out.append((label, repo, commit))
                if label.endswith('-train'):
                        ALWAYS_TRAINED.add(repo)
        return out


ALWAYS_TRAINED = set()  # "ben-train": hard negatives of the suite's benign corpus, never held out
DROP_NAMING = []  # "drop-naming WORD": files naming WORD are left out (copies of a hold-out author's payloads)


def holdout_hashes():
        """The SHA-256 of every file of the lead's hold-out sets (bench/holdout/manifest*.tsv): never read."""
        out = set()
        folder = os.path.join(TREE, 'bench', 'holdout')
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                if name.startswith('manifest') and name.endswith('.tsv'):
                        for line in open(os.path.join(folder, name)):
                                cols = line.rstrip('\n').split('\t')
                                if len(cols) >= 7 and len(cols[6]) == 64:
                                        out.add(cols[6])
        return out


def held_out(repo):
        if repo in ALWAYS_TRAINED:
                return False
        return int(hashlib.sha1(repo.encode()).hexdigest(), 16) % 3 == 0


def extract(sources, mirror, cache):
        """Writes every *.ps1/*.psm1 blob of each source to cache; returns the file list."""
        files, seen, both = [], {}, set()
        hold = holdout_hashes()
        for label, repo, commit in sources:
                label = label.split('-')[0]
                git = os.path.join(mirror, repo.replace('/', '+'), 'repo')
                if os.path.isdir(os.path.join(git, '.git')):
                        git = os.path.join(git, '.git')
                names = subprocess.run(['git', '--git-dir', git, 'ls-tree', '-r', '-z', commit],
                                       check=True, capture_output=True).stdout.split(b'\0')
                blobs = []
                for entry in names:
                        if not entry:
                                continue
                        meta, path = entry.split(b'\t', 1)
                        mode, kind, oid = meta.split()
                        low = path.lower()
                        if kind == b'blob' and mode != b'120000' and \
                           (low.endswith(b'.ps1') or low.endswith(b'.psm1')):
                                blobs.append((oid.decode(), path.decode('utf-8', 'replace')))
                data = subprocess.run(['git', '--git-dir', git, 'cat-file', '--batch'],
                                      input=''.join(o + '\n' for o, _ in blobs).encode(),
                                      check=True, capture_output=True).stdout
                pos = 0
                for oid, path in blobs:
                        header_end = data.index(b'\n', pos)
                        header = data[pos:header_end].split()
                        if header[-1] == b'missing':  # absent from the snapshot
                                pos = header_end + 1
                                continue
                        size = int(header[2])
                        body = data[header_end + 1:header_end + 1 + size]
                        pos = header_end + 1 + size + 1
                        digest = hashlib.sha256(body).hexdigest()
                        if digest in hold or any(w in body.lower() for w in DROP_NAMING):
                                continue
                        if digest in seen:
                                if seen[digest] != label:
                                        both.add(digest)
                                continue
                        seen[digest] = label
                        out = os.path.join(cache, digest)
                        if not os.path.exists(out):
                                with open(out, 'wb') as f:
                                        f.write(body)
                        files.append({'label': label.split('-')[0], 'repo': repo, 'path': path,
                                      'sha': digest, 'file': out,
                                      'test': held_out(repo)})
        files = [f for f in files if f['sha'] not in both]
        trained = {'mal': set(), 'ben': set()}
        for f in files:
                if not f['test']:
                        trained[f['label']].add(os.path.basename(f['path']).lower())
        return [f for f in files
                if not (f['test'] and f['label'] == 'mal' and
                        os.path.basename(f['path']).lower() in trained['mal'])]


def features(files, dump, flags):
        """Runs the C tokenizer over the files: their bucket lists, in order."""
        rows = vocabtrain.dump(dump, 'ps', flags, [f['file'] for f in files])
        return [rows[f['file']][2] for f in files]


def score(row, qw, qb):
        return vocabtrain.score(row, qw, qb, NORM)


def table_text(qw, qb, sources, n_train, date):
        header = ['Generated by tools/train-psmodel.py (the command: tools/train-psmodel.py',
                  '--build build --out src/analysis/psmodel-table.c); do not edit. Check with',
                  'tools/train-psmodel.py --check. Trained on %s.' % date,
                  'The weights of analysis/psmodel.h, in thousandths of a logit: logistic',
                  'regression (L2 %g, %d steps) over %d files of these repositories (the held-out'
                  % (L2, STEPS, n_train),
                  'third, by repository, not trained on):']
        for label, repo, commit in sources:
                header.append('  %s %s@%s%s' % (label, repo, commit,
                                                ' (held out)' if held_out(repo) else ''))
        return vocabtrain.table_text('psmodel', header, FLAGS, qw, qb)


def curve(files, rows, qw, qb):
        test_mal = [score(r, qw, qb) for f, r in zip(files, rows) if f['test'] and f['label'] == 'mal']
        test_ben = [score(r, qw, qb) for f, r in zip(files, rows) if f['test'] and f['label'] == 'ben']
        train_ben = [score(r, qw, qb) for f, r in zip(files, rows) if not f['test'] and f['label'] == 'ben']
        train_mal = [score(r, qw, qb) for f, r in zip(files, rows) if not f['test'] and f['label'] == 'mal']
        print('held out: %d malicious files, %d benign; trained: %d malicious, %d benign'
              % (len(test_mal), len(test_ben), len(train_mal), len(train_ben)))
        sb = sorted(test_ben)
        for q in (0.99, 0.995, 0.999):
                t = sb[min(len(sb) - 1, int(q * len(sb)))] + 1
                print('benign held-out quantile %.3f: %d; malicious held-out over it: %.1f%%'
                      % (q, t, 100 * sum(s >= t for s in test_mal) / len(test_mal)))
        print('threshold  held-out-mal  held-out-ben-FP  trained-mal  trained-ben-FP')
        for t in (0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000):
                print('%9d  %5.1f%% (%d)  %.2f%% (%d)  %5.1f%%  %.2f%% (%d)' % (
                        t, 100 * sum(s >= t for s in test_mal) / len(test_mal), sum(s >= t for s in test_mal),
                        100 * sum(s >= t for s in test_ben) / len(test_ben), sum(s >= t for s in test_ben),
                        100 * sum(s >= t for s in train_mal) / len(train_mal),
                        100 * sum(s >= t for s in train_ben) / len(train_ben), sum(s >= t for s in train_ben)))


def main():
        ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
        ap.add_argument('--build', default=os.path.join(TREE, 'build'))
        ap.add_argument('--mirror', default='/work/.mirror')
        ap.add_argument('--sources', default=os.path.join(HERE, 'psmodel-sources.txt'))
        ap.add_argument('--out', default=os.path.join(TREE, 'src/analysis/psmodel-table.c'))
        ap.add_argument('--cache', default=os.path.join(tempfile.gettempdir(), 'psmodel-cache'))
        ap.add_argument('--check', action='store_true', help='compare with --out, write nothing')
        ap.add_argument('--curve', action='store_true')
        ap.add_argument('--validate', action='store_true',
                        help='leave the held-out third out; hold out a third of the rest instead')
        ap.add_argument('--set', action='append', default=[], metavar='NAME=VALUE',
                        help='override L2, STEPS, RATE, REPO_CAP, MIN_REPOS or FLAGS (experiments)')
        ap.add_argument('--list', help='write the files and their split here (TSV)')
        ap.add_argument('--scores', help='write each file\'s score here (TSV)')
        args = ap.parse_args()

        for kv in args.set:
                name, value = kv.split('=')
                globals()[name] = type(globals()[name])(value)
        global BUCKETS
        BUCKETS = 1 << BUCKET_BITS
        sources = read_sources(args.sources)
        os.makedirs(args.cache, exist_ok=True)
        files = extract(sources, args.mirror, args.cache)
        if args.validate:
                files = [f for f in files if not f['test']]
                for f in files:
                        f['test'] = int(hashlib.sha1(f['repo'].encode()).hexdigest(), 16) // 3 % 3 == 0
        rows = features(files, os.path.join(args.build, 'tools', 'vocab-dump'), FLAGS)
        per_repo = {}
        for f in files:
                if not f['test']:
                        per_repo[f['repo']] = per_repo.get(f['repo'], 0) + 1
        train_idx = [i for i, f in enumerate(files) if not f['test']]
        side = {lab: sum(min(1.0, REPO_CAP / per_repo[files[i]['repo']])
                         for i in train_idx if files[i]['label'] == lab) for lab in ('mal', 'ben')}
        y = [1 if files[i]['label'] == 'mal' else 0 for i in train_idx]
        sw = [min(1.0, REPO_CAP / per_repo[files[i]['repo']]) / side[files[i]['label']]
              for i in train_idx]
        w, b = vocabtrain.train([rows[i] for i in train_idx], y, sw,
                                [files[i]['repo'] for i in train_idx], L2, STEPS, RATE,
                                MIN_REPOS, NORM, BUCKETS)
        qw, qb = vocabtrain.quantise(w, b)
        text = table_text(qw, qb, sources, len(train_idx), time.strftime('%Y-%m-%d', time.gmtime()))
        if args.list:
                with open(args.list, 'w') as f:
                        for x in files:
                                f.write('%s\t%s\t%s\t%s\t%s\n' % (x['label'], 'test' if x['test'] else 'train',
                                                                  x['repo'], x['path'], x['file']))
        if args.scores:
                with open(args.scores, 'w') as f:
                        for x, r in zip(files, rows):
                                f.write('%d\t%s\t%s\t%s\t%s\n' % (score(r, qw, qb), x['label'],
                                                                  'test' if x['test'] else 'train',
                                                                  x['repo'], x['path']))
        if args.curve:
                curve(files, rows, qw, qb)
        if args.validate:
                return
        if args.check:
                def undated(t):
                        return re.sub(r'Trained on [0-9-]+\.', '', t)
                if undated(open(args.out).read()) != undated(text):
                        sys.exit('train-psmodel: %s differs from what the sources train' % args.out)
                print('train-psmodel: %s matches the sources' % args.out)
                return
        with open(args.out, 'w') as f:
                f.write(text)


if __name__ == '__main__':
        main()
