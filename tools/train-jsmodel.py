#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Trains the JavaScript vocabulary model (src/analysis/jsmodel.h) and writes its table.

    tools/train-jsmodel.py --files FILES.tsv [--build build] [--out FILE]
    tools/train-jsmodel.py --files FILES.tsv --check      # retrain; fail unless the table is the same
    tools/train-jsmodel.py --files FILES.tsv --curve      # also print the validation side's curve
    tools/train-jsmodel.py --files FILES.tsv --validate   # the validation side left out; a third of
                                                          # the trained groups held out instead

FILES.tsv lists the corpus, one file a line: LABEL SIDE GROUP GENRE PATH SHA256 (tab-separated;
LABEL mal or ben; SIDE train or val, fixed by the list; GROUP the source the file counts as: a
repository, a Debian package, a cluster of near-identical files of a collection of many origins;
GENRE wsh, obf or page for mal, what kind of benign file for ben). tools/jsmodel-sources.txt
names the repositories and packages at their commits and how the list was built (the malware
collections are not redistributable: the list points into copies of them). A group gives at most
TRAIN_CAP of its files (the first by SHA-256) and weighs at most GROUP_CAP files; both labels
weigh the same in total. Only files that the scanner scores are used (a script, or a page with an
inline <script> body). The features are those of the C tokenizer (build/tools/vocab-dump -m js);
the training is tools/vocabtrain.py's.
"""
import argparse
import hashlib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocabtrain  # noqa: E402

FLAGS = 1  # JSMODEL_PAIRS
L2 = 3e-4
STEPS = 300
RATE = 0.02
GROUP_CAP = 40
TRAIN_CAP = 200
MIN_REPOS = 3  # a bucket is weighed only when this many trained groups have it
HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.dirname(HERE)


def by_hash(name, k=0):
        return int(hashlib.sha1(name.encode()).hexdigest(), 16) // 3**k % 3 == 0


def read_files(path):
        files = []
        for line in open(path):
                label, side, group, genre, fpath, sha = line.rstrip('\n').split('\t')
                files.append({'label': label, 'repo': group, 'genre': genre, 'path': fpath,
                              'sha': sha, 'test': side == 'val'})
        return files


def main():
        ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
        ap.add_argument('--files', required=True)
        ap.add_argument('--build', default=os.path.join(TREE, 'build'))
        ap.add_argument('--out', default=os.path.join(TREE, 'src/analysis/jsmodel-table.c'))
        ap.add_argument('--check', action='store_true', help='compare with --out, write nothing')
        ap.add_argument('--curve', action='store_true')
        ap.add_argument('--validate', action='store_true')
        ap.add_argument('--set', action='append', default=[], metavar='NAME=VALUE',
                        help='override L2, STEPS, RATE, GROUP_CAP, TRAIN_CAP, MIN_REPOS or FLAGS')
        ap.add_argument('--scores', help="write each file's score here (TSV)")
        args = ap.parse_args()
        for kv in args.set:
                name, value = kv.split('=')
                globals()[name] = type(globals()[name])(value)

        files = read_files(args.files)
        digest = hashlib.sha256(''.join('%s %s %s %s\n' % (f['label'], f['repo'], f['sha'],
                                                            'val' if f['test'] else 'train')
                                        for f in files).encode()).hexdigest()[:16]
        rows = vocabtrain.dump(os.path.join(args.build, 'tools', 'vocab-dump'), 'js', FLAGS,
                               [f['path'] for f in files])
        for f in files:
                f['tokens'], f['language'], f['row'] = rows[f['path']]
        unread = sum(1 for f in files if f['language'] == 0)
        files = [f for f in files if f['language'] != 0]
        if args.validate:
                files = [f for f in files if not f['test']]
                for f in files:
                        f['test'] = by_hash(f['repo'], 1)
        per_repo = {}
        train = []
        for f in sorted((f for f in files if not f['test']), key=lambda f: (f['repo'], f['sha'])):
                per_repo[f['repo']] = per_repo.get(f['repo'], 0) + 1
                if per_repo[f['repo']] <= TRAIN_CAP:
                        train.append(f)
        count = {}
        for f in train:
                count[f['repo']] = count.get(f['repo'], 0) + 1
        side = {lab: sum(min(1.0, GROUP_CAP / count[f['repo']]) for f in train
                         if f['label'] == lab) for lab in ('mal', 'ben')}
        y = [1 if f['label'] == 'mal' else 0 for f in train]
        sw = [min(1.0, GROUP_CAP / count[f['repo']]) / side[f['label']] for f in train]
        w, b = vocabtrain.train([f['row'] for f in train], y, sw, [f['repo'] for f in train],
                                L2, STEPS, RATE, MIN_REPOS)
        qw, qb = vocabtrain.quantise(w, b)
        for f in files:
                f['score'] = vocabtrain.score(f['row'], qw, qb)
        if args.scores:
                with open(args.scores, 'w') as out:
                        for f in files:
                                out.write('%d\t%s\t%s\t%s\t%s\t%s\n' % (
                                        f['score'], f['label'], 'val' if f['test'] else 'train',
                                        f['genre'], f['repo'], f['path']))
        if args.curve:
                print('files not scored (a page without an inline script): %d' % unread)
                groups = {}
                for f in files:
                        key = '%s-%s' % ('val' if f['test'] else 'train', f['label'])
                        groups.setdefault(key, []).append(f['score'])
                        if f['test']:
                                groups.setdefault('val-%s-%s' % (f['label'], f['genre']),
                                                  []).append(f['score'])
                groups = {k: groups.get(k, []) for k in sorted(groups)}
                vocabtrain.curve(groups, (0, 2000, 4000, 6000, 8000, 10000, 12000, 15000),
                                 'val-ben', [k for k in groups if k.startswith('val-mal')])
        if args.validate:
                return
        header = ['Generated by tools/train-jsmodel.py (the command: tools/train-jsmodel.py',
                  '--files FILES.tsv --build build --out src/analysis/jsmodel-table.c); do not',
                  'edit. Check with --check. Trained on %s.' % time.strftime('%Y-%m-%d', time.gmtime()),
                  'The weights of analysis/jsmodel.h, in thousandths of a logit: logistic',
                  'regression (L2 %g, %d steps, flags %d, buckets of at least %d groups)'
                  % (L2, STEPS, FLAGS, MIN_REPOS),
                  'over %d files (%d malicious) of the sources of tools/jsmodel-sources.txt;'
                  % (len(train), sum(y)),
                  'the file list\'s digest (label, group, SHA-256, side): %s.' % digest]
        text = vocabtrain.table_text('jsmodel', header, FLAGS, qw, qb)
        if args.check:
                def undated(t):
                        return re.sub(r'Trained on [0-9-]+\.', '', t)
                if undated(open(args.out).read()) != undated(text):
                        sys.exit('train-jsmodel: %s differs from what the files train' % args.out)
                print('train-jsmodel: %s matches the files' % args.out)
                return
        with open(args.out, 'w') as out:
                out.write(text)


if __name__ == '__main__':
        main()
