#!/usr/bin/env python3
"""Counts the error sites in lib/*/*.c that a gcov-instrumented run reached.

An error site is a call that sets the library's error (adr__error,
adr__error_os, adr__error_git, adr__error_walk, adr__error_prefix) outside
error.c. Sites whose message is "out of memory" are counted apart, as the
issue that set the target did. A site is reached when gcov saw its line run
and no block on that line was left unexecuted (so `if (x) return
adr__error(...)` on one line counts only when the error was taken).

"""
import gzip, json, os, re, subprocess, sys, tempfile

CALL = re.compile(r'\badr__error(_os|_git|_walk|_prefix)?\s*\(')


def sites_in(path):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    out = []
    for i, line in enumerate(lines):
        m = CALL.search(line)
        if not m or line.lstrip().startswith(('int adr__error', '*', '/*', '//')):
            continue
        # The call's text up to its closing parenthesis (at most 6 lines).
        text, depth, j, k = '', 0, i, m.end() - 1
        while j < len(lines) and j < i + 6:
            seg = lines[j][k:] if j == i else lines[j]
            for ch in seg:
                text += ch
                depth += ch == '('
                depth -= ch == ')'
                if depth == 0:
                    break
            if depth == 0:
                break
            j += 1
        out.append((i + 1, 'out of memory' in text, line.strip()))
    return out


def gcov_lines(src, objdir, rel):
    # CMake keeps lib/<layer>/<file>.c's counts in <objdir>/<layer>/<file>.c.gcda.
    objdir = os.path.join(objdir, os.path.dirname(rel))
    name = os.path.basename(rel)
    gcda = os.path.join(objdir, name + '.gcda')
    if not os.path.exists(gcda):
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['gcov', '-j', '-o', objdir, gcda], cwd=tmp,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        res = {}
        for fn in os.listdir(tmp):
            with gzip.open(os.path.join(tmp, fn)) as f:
                d = json.load(f)
            for fi in d['files']:
                if os.path.basename(fi['file']) != name:
                    continue
                for ln in fi['lines']:
                    n = ln['line_number']
                    ok = ln['count'] > 0 and not ln['unexecuted_block']
                    # A line can appear once per inlined copy: reached if any copy took it.
                    res[n] = res.get(n, False) or ok
        return res


def main():
    import argparse
    ap = argparse.ArgumentParser(description='error sites reached by a gcov run')
    ap.add_argument('srcdir')
    ap.add_argument('objdir')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--json')
    a = ap.parse_args()
    srcdir, objdir, jout = a.srcdir, a.objdir, a.json
    libdir = os.path.join(srcdir, 'lib')
    total = {'sites': 0, 'reached': 0, 'oom': 0, 'oom_reached': 0}
    unreached, rows = [], []
    names = sorted(os.path.join(layer, f)
                   for layer in os.listdir(libdir) if os.path.isdir(os.path.join(libdir, layer))
                   for f in os.listdir(os.path.join(libdir, layer)))
    for name in names:
        if not name.endswith('.c') or os.path.basename(name) == 'error.c':
            continue
        s = sites_in(os.path.join(libdir, name))
        if not s:
            continue
        cov = gcov_lines(srcdir, objdir, name)
        r = {'file': name, 'sites': 0, 'reached': 0, 'oom': 0, 'oom_reached': 0}
        for line, oom, text in s:
            hit = cov.get(line, False)
            key = 'oom' if oom else 'sites'
            r[key] += 1
            r[key.replace('sites', 'reached') if not oom else 'oom_reached'] += hit
            if not hit:
                unreached.append(('oom ' if oom else '') + 'lib/%s:%d: %s' % (name, line, text))
        rows.append(r)
        for k in total:
            total[k] += r[k]
    print('%-20s %14s %16s' % ('file', 'error sites', 'out-of-memory'))
    for r in rows:
        print('%-20s %6d/%-4d %3d%% %6d/%-4d %3d%%' % (
            r['file'], r['reached'], r['sites'], 100 * r['reached'] // max(r['sites'], 1),
            r['oom_reached'], r['oom'], 100 * r['oom_reached'] // max(r['oom'], 1)))
    print('%-20s %6d/%-4d %3d%% %6d/%-4d %3d%%' % (
        'total', total['reached'], total['sites'], 100 * total['reached'] // max(total['sites'], 1),
        total['oom_reached'], total['oom'], 100 * total['oom_reached'] // max(total['oom'], 1)))
    allr = total['reached'] + total['oom_reached']
    alls = total['sites'] + total['oom']
    print('all error sites: %d/%d reached (%.1f%%)' % (allr, alls, 100.0 * allr / max(alls, 1)))
    if a.list:
        print('\nnot reached:')
        for u in unreached:
            print('  ' + u)
    if jout:
        json.dump({'total': total, 'files': rows, 'unreached': unreached}, open(jout, 'w'), indent=1)


if __name__ == '__main__':
    main()
