# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the trainers of the vocabulary models share (tools/train-psmodel.py,
tools/train-webmodel.py; src/analysis/vocab.h): the features as the C tokenizer hashes them
(build/tools/vocab-dump), L2-regularised logistic regression by full-batch Adam from zero for a
fixed number of steps (deterministic), the quantisation to thousandths of a logit, the score of
a file, the generated table and the held-out curve.

Pure Python (run with /usr/bin/python3; nothing to install). The arithmetic is the one the
first, numpy version of tools/train-psmodel.py did, in the same order, so that its table is
reproduced bit for bit: a row's sum and a bucket's gradient accumulate from 0.0 in row order
(numpy's bincount), the sums over all rows are numpy's pairwise summation (pairwise_sum), and
the element-wise steps of Adam are written as numpy evaluated them.
"""
import math
import subprocess

BUCKET_BITS = 14  # VOCAB_BUCKET_BITS
BUCKETS = 1 << BUCKET_BITS


def dump(tool, model, flags, paths, chunk=400):
        """Runs the C tokenizer (vocab-dump -m MODEL) over paths: {path: (tokens, language,
        sorted distinct buckets)}."""
        rows = {}
        for i in range(0, len(paths), chunk):
                out = subprocess.run([tool, '-m', model, '-f', str(flags)] + paths[i:i + chunk],
                                     check=True, capture_output=True).stdout
                for line in out.split(b'\n'):
                        if not line:
                                continue
                        path, tokens, language, hashes = line.rsplit(b'\t', 3)
                        rows[path.decode('utf-8', 'surrogateescape')] = (
                                int(tokens), int(language),
                                sorted({int(h, 16) & (BUCKETS - 1) for h in hashes.split()}))
        return rows


def pairwise_sum(a, lo=0, n=None):
        """numpy's pairwise summation of the floats a[lo:lo+n] (its sum() of a float64 array)."""
        if n is None:
                n = len(a) - lo
        if n < 8:
                res = 0.0
                for i in range(lo, lo + n):
                        res += a[i]
                return res
        if n <= 128:
                r = a[lo:lo + 8]
                i = 8
                while i < n - (n % 8):
                        for j in range(8):
                                r[j] += a[lo + i + j]
                        i += 8
                res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
                while i < n:
                        res += a[lo + i]
                        i += 1
                return res
        n2 = n // 2
        n2 -= n2 % 8
        return pairwise_sum(a, lo, n2) + pairwise_sum(a, lo + n2, n - n2)


def train(rows, y, sw, repos, l2, steps, rate, min_repos=1, norm=False, buckets=BUCKETS):
        """Logistic regression over presence rows (lists of distinct buckets): the weights (a
        list of buckets floats) and the bias. y: 1 or 0; sw: each row's weight (normalised
        here to sum 1); a bucket is weighed only when min_repos distinct repos have it; norm:
        each row's presence vector has unit length."""
        n = len(rows)
        total = pairwise_sum([float(x) for x in sw])
        sw = [float(x) / total for x in sw]
        y = [float(x) for x in y]
        val = [1.0 / math.sqrt(max(len(r), 1)) if norm else 1.0 for r in rows]
        seen = {}
        for r, rep in zip(rows, repos):
                for i in r:
                        seen.setdefault(i, set()).add(rep)
        live = sorted(i for i, reps in seen.items() if len(reps) >= min_repos)
        # each live bucket's rows, in row order (the order numpy's bincount accumulated in)
        cols = {i: [] for i in live}
        for k, r in enumerate(rows):
                for i in r:
                        if i in cols:
                                cols[i].append(k)
        w = [0.0] * buckets
        m = [0.0] * buckets
        v = [0.0] * buckets
        b = mb = vb = 0.0
        get = w.__getitem__
        for step in range(1, steps + 1):
                if norm:
                        z = [sum([w[i] * val[k] for i in r]) + b for k, r in enumerate(rows)]
                else:
                        z = [sum(map(get, r)) + b for r in rows]
                g = [0.0] * n
                for k in range(n):
                        zk = min(max(z[k], -30.0), 30.0)
                        p = 1.0 / (1.0 + math.exp(-zk))
                        g[k] = (p - y[k]) * sw[k]
                gv = [g[k] * val[k] for k in range(n)] if norm else g
                c1 = 1 - 0.9**step
                c2 = 1 - 0.999**step
                # the buckets that are not live keep a zero gradient: their weights stay 0.0
                new = []
                for i in live:
                        grad = (sum(map(gv.__getitem__, cols[i])) + l2 * w[i]) * 1.0
                        mi = 0.9 * m[i] + 0.1 * grad
                        vi = 0.999 * v[i] + 0.001 * grad * grad
                        m[i] = mi
                        v[i] = vi
                        new.append(w[i] - rate * (mi / c1) / (math.sqrt(vi / c2) + 1e-8))
                gb = 0.0 + pairwise_sum(g)
                mb = 0.9 * mb + 0.1 * gb
                vb = 0.999 * vb + 0.001 * gb * gb
                b = b - rate * (mb / c1) / (math.sqrt(vb / c2) + 1e-8)
                for i, x in zip(live, new):
                        w[i] = x
        return w, b


def quantise(w, b):
        """The weights as int16 and the bias as an integer, in thousandths."""
        qw = [max(-32767, min(32767, int(round(x * 1000)))) for x in w]
        return qw, int(round(b * 1000))


def score(row, qw, qb, norm=False):
        total = sum(qw[i] for i in row)
        if norm and row:
                return qb + int(total / len(row) ** 0.5)
        return qb + total


def table_text(prefix, header, flags, qw, qb):
        """The generated C table of model prefix (psmodel, webmodel): header is the comment's
        lines (without ' * ')."""
        lines = ['/* SPDX-License-Identifier: LGPL-2.1-or-later */', '/* clang-format off */',
                 '/* ' + header[0]] + [' * ' + x if x else ' *' for x in header[1:]]
        lines += [' */', '#include "analysis/%s.h"' % prefix, '',
                  'const unsigned %s_table_flags = %d;' % (prefix, flags),
                  'const int32_t %s_bias = %d;' % (prefix, qb),
                  'const int16_t %s_weights[%s_BUCKETS] = {' % (prefix, prefix.upper())]
        for i in range(0, len(qw), 12):
                lines.append('        ' + ' '.join('%d,' % x for x in qw[i:i + 12]))
        lines.append('};')
        return '\n'.join(lines) + '\n'


def rate(scores, t):
        return 100.0 * sum(s >= t for s in scores) / max(len(scores), 1), sum(s >= t for s in scores)


def curve(groups, thresholds, benign_key, mal_keys):
        """Prints, for each threshold, the share of each group's scores at or over it. groups:
        {name: [scores]}; benign_key: the held-out benign group whose quantiles are printed
        first, with the share of each of mal_keys over them."""
        sb = sorted(groups[benign_key])
        for q in (0.99, 0.995, 0.999, 0.9995):
                if not sb:
                        break
                t = sb[min(len(sb) - 1, int(q * len(sb)))] + 1
                print('%s quantile %.4f: %d; over it: %s' % (
                        benign_key, q, t,
                        ', '.join('%s %.1f%%' % (k, rate(groups[k], t)[0]) for k in mal_keys)))
        names = list(groups)
        print('threshold  ' + '  '.join('%s(%d)' % (k, len(groups[k])) for k in names))
        for t in thresholds:
                print('%9d  ' % t + '  '.join('%5.1f%% (%d)' % rate(groups[k], t) for k in names))
