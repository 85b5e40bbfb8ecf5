#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Trains the server-side script vocabulary model (src/analysis/webmodel.h) and writes its table.

    tools/train-webmodel.py --files FILES.tsv [--build build] [--out FILE]
    tools/train-webmodel.py --files FILES.tsv --check      # retrain; fail unless the table is the same
    tools/train-webmodel.py --files FILES.tsv --curve      # also print the held-out curve
    tools/train-webmodel.py --files FILES.tsv --validate   # the held-out side left out; a third of
                                                           # the trained repositories held out instead

FILES.tsv lists the corpus, one file a line: LABEL SIDE REPO PATH SHA256 (tab-separated; LABEL mal
or ben; SIDE train or test for mal, empty for ben; REPO owner/name, or "installed" for files
installed on the machine). tools/webmodel-sources.txt names the repositories and commits and how
the list was built (the web-shell collections are not redistributable: the list points into
them). The malicious side is split by repository by the list itself; the benign side here: a
repository whose SHA-1 of its name is 0 modulo 3 is held out; those of TRAINED never are (the
sources of the suite's benign corpus, tests/data/realworld, which must stay clean). Installed
files (many packages) and those of BY_FILE are split by their own SHA-256: BY_FILE is the
benign half of HzieeC's dataset, many applications of unknown origin and the only classic ASP
applications among the benign sources (without them the model learns that VBScript is
malicious: 83% of its held-out files scored over 0); its trained files count as BY_FILE_REPOS
repositories. A trained repository gives
at most TRAIN_CAP of its files (the first by SHA-256) and weighs at most REPO_CAP files; both
sides weigh the same in total. Only files that webshape.c reads as server-side script
(webshape_language() not 0) are used: the scanner scores no other. The features are those of
the C tokenizer (build/tools/vocab-dump -m web); the training is tools/vocabtrain.py's.
"""
import argparse
import hashlib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocabtrain  # noqa: E402

FLAGS = 1  # WEBMODEL_PAIRS (measured on the validation side: +4.6 points at 0 of 1,696 benign)
L2 = 3e-4
STEPS = 300
RATE = 0.02
REPO_CAP = 150
TRAIN_CAP = 400
MIN_REPOS = 2  # a bucket is weighed only when this many trained repositories have it
HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.dirname(HERE)
BY_FILE = {'HzieeC/WebshellDetectDataset'}
BY_FILE_REPOS = 8
TRAINED = {'vrana/adminer', 'prasathmani/tinyfilemanager'}
LANGUAGES = {1: 'php', 2: 'asp', 3: 'jsp', 4: 'perl'}


def by_hash(name, k=0):
        return int(hashlib.sha1(name.encode()).hexdigest(), 16) // 3**k % 3 == 0


def read_files(path):
        files = []
        for line in open(path):
                label, side, repo, fpath, sha = line.rstrip('\n').split('\t')
                if label == 'ben':
                        if repo == 'installed' or repo in BY_FILE:
                                test = int(sha[:8], 16) % 3 == 0
                                if repo in BY_FILE and not test:
                                        repo += ':%d' % (int(sha[8:16], 16) % BY_FILE_REPOS)
                        else:
                                test = repo not in TRAINED and by_hash(repo)
                else:
                        test = side == 'test'
                files.append({'label': label, 'repo': repo, 'path': fpath, 'sha': sha,
                              'test': test})
        return files


def main():
        ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
        ap.add_argument('--files', required=True)
        ap.add_argument('--build', default=os.path.join(TREE, 'build'))
        ap.add_argument('--out', default=os.path.join(TREE, 'src/analysis/webmodel-table.c'))
        ap.add_argument('--check', action='store_true', help='compare with --out, write nothing')
        ap.add_argument('--curve', action='store_true')
        ap.add_argument('--validate', action='store_true')
        ap.add_argument('--set', action='append', default=[], metavar='NAME=VALUE',
                        help='override L2, STEPS, RATE, REPO_CAP, TRAIN_CAP, MIN_REPOS or FLAGS')
        ap.add_argument('--scores', help="write each file's score here (TSV)")
        args = ap.parse_args()
        for kv in args.set:
                name, value = kv.split('=')
                globals()[name] = type(globals()[name])(value)

        files = read_files(args.files)
        digest = hashlib.sha256(''.join('%s %s %s %s\n' % (f['label'], f['repo'], f['sha'],
                                                            'test' if f['test'] else 'train')
                                        for f in files).encode()).hexdigest()[:16]
        rows = vocabtrain.dump(os.path.join(args.build, 'tools', 'vocab-dump'), 'web', FLAGS,
                               [f['path'] for f in files])
        for f in files:
                f['tokens'], f['language'], f['row'] = rows[f['path']]
        unread = sum(1 for f in files if f['language'] == 0)
        files = [f for f in files if f['language'] != 0]
        if args.validate:
                files = [f for f in files if not f['test']]
                for f in files:
                        f['test'] = by_hash(f['repo'], 1) if f['repo'] != 'installed' else \
                                int(f['sha'][8:16], 16) % 3 == 0
        # the trained files: at most TRAIN_CAP of a repository, the first by SHA-256
        per_repo = {}
        train = []
        for f in sorted((f for f in files if not f['test']), key=lambda f: (f['repo'], f['sha'])):
                per_repo[f['repo']] = per_repo.get(f['repo'], 0) + 1
                if per_repo[f['repo']] <= TRAIN_CAP or f['repo'] == 'installed':
                        train.append(f)
        count = {}
        for f in train:
                count[f['repo']] = count.get(f['repo'], 0) + 1
        side = {lab: sum(min(1.0, REPO_CAP / count[f['repo']]) for f in train
                         if f['label'] == lab) for lab in ('mal', 'ben')}
        y = [1 if f['label'] == 'mal' else 0 for f in train]
        sw = [min(1.0, REPO_CAP / count[f['repo']]) / side[f['label']] for f in train]
        w, b = vocabtrain.train([f['row'] for f in train], y, sw, [f['repo'] for f in train],
                                L2, STEPS, RATE, MIN_REPOS)
        qw, qb = vocabtrain.quantise(w, b)
        for f in files:
                f['score'] = vocabtrain.score(f['row'], qw, qb)
        if args.scores:
                with open(args.scores, 'w') as out:
                        for f in files:
                                out.write('%d\t%s\t%s\t%s\t%s\t%s\n' % (
                                        f['score'], f['label'], 'test' if f['test'] else 'train',
                                        LANGUAGES[f['language']], f['repo'], f['path']))
        if args.curve:
                print('files not read as server-side script (never scored): %d' % unread)
                groups = {}
                for f in files:
                        key = '%s-%s' % ('test' if f['test'] else 'train', f['label'])
                        groups.setdefault(key, []).append(f['score'])
                        if f['test'] and f['label'] == 'mal':
                                groups.setdefault('test-mal-' + LANGUAGES[f['language']],
                                                  []).append(f['score'])
                groups = {k: groups.get(k, []) for k in sorted(groups)}
                vocabtrain.curve(groups, (0, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000),
                                 'test-ben', [k for k in groups if k.startswith('test-mal')])
        if args.validate:
                return
        header = ['Generated by tools/train-webmodel.py (the command: tools/train-webmodel.py',
                  '--files FILES.tsv --build build --out src/analysis/webmodel-table.c); do not',
                  'edit. Check with --check. Trained on %s.' % time.strftime('%Y-%m-%d', time.gmtime()),
                  'The weights of analysis/webmodel.h, in thousandths of a logit: logistic',
                  'regression (L2 %g, %d steps, flags %d, buckets of at least %d repositories)'
                  % (L2, STEPS, FLAGS, MIN_REPOS),
                  'over %d files (%d malicious) of the repositories of tools/webmodel-sources.txt;'
                  % (len(train), sum(y)),
                  'the file list\'s digest (label, repository, SHA-256, side): %s.' % digest]
        text = vocabtrain.table_text('webmodel', header, FLAGS, qw, qb)
        if args.check:
                def undated(t):
                        return re.sub(r'Trained on [0-9-]+\.', '', t)
                if undated(open(args.out).read()) != undated(text):
                        sys.exit('train-webmodel: %s differs from what the files train' % args.out)
                print('train-webmodel: %s matches the files' % args.out)
                return
        with open(args.out, 'w') as out:
                out.write(text)


if __name__ == '__main__':
        main()
