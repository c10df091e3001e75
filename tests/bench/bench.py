#!/usr/bin/env python3
"""Benchmark of adr against git's own plumbing and against its peers.

    bench.py [--adr PATH] [--commit-floor PATH] [--sizes 100,1000,10000]
             [--runs 5] [--work DIR]
             [--peers DIR | --no-peers] [--timeout 120] [--smoke]
             [--mixed N:COMMITS | --no-mixed] [--no-browser]

For each size N, a repository made by gen_repo.py (deterministic: the same N
gives the same commits) is measured, in one run:

  floors  `git log --raw --no-renames` over the decision branch plus
          `git cat-file --batch` of every record blob (the plumbing cost of
          the facts `adr index` gathers), and `git cat-file --batch` of the
          record blobs alone (the cost of reading every record)
          `git add` + `git commit` of one new file, and libgit2's shortest
          way to do the same (commit_floor, built from commit_floor.c next
          to adr: --commit-floor, default BUILD/tests/commit_floor), the
          floors of `adr new`
  adr     index (full, --rebuild), new, index after that one new record;
          with a fresh index: search, list, stats, list --json, show,
          show --json, why, queue, toc, graph, check; cold list (no index,
          no cache); html (full build into a new directory, a rebuild
          after one new record, and once a full build into a directory
          removed just before, next to cp -a of the site in the same case);
          the site's search box in Chromium
          (tests/bench/site_search.mjs, 20 queries)
  peers   adr-tools (npm package `adr-tools`: new, list, generate toc) and
          log4brains (npm package `log4brains`: adr list, build), installed
          with npm into a scratch directory (--peers), each run with a time
          bound on a copy of the same repository

Then a mixed repository (gen_repo.py --mixed: decisions in a code
repository, most commits touching only code) is indexed next to the
path-limited `git log --format=%H -- docs/decisions` and `git log --raw`.

Each figure is the median wall time of --runs runs and the peak resident
memory of the slowest process, then ratios against its floor or peer. At
N = 10,000 it prints the targets of issue 14 next to the numbers measured
before that issue's work (its table), marked ok or MISSED.
--smoke runs N = 100 once without peers, browser or mixed repository and
fails when adr fails.

It is run by hand, not as a timed test: it takes minutes.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run(cmd, cwd, timeout=None, env=None, shell=False, ok_codes=(0,)):
    """Runs cmd; returns (seconds, peak RSS in KB, exit code) or (None, None, 'timeout').

    Peak memory comes from /usr/bin/time (GNU time, %M) when it is there: the
    rusage of a child forked from Python would count Python's own pages from
    before the exec. Without it, wait4's ru_maxrss (an upper bound) is used."""
    memfile = None
    if TIME:
        memfile = os.path.join(tempfile.gettempdir(), "adr-bench-mem-%d" % os.getpid())
        if shell:
            cmd = [TIME, "-f", "%M", "-o", memfile, "sh", "-c", cmd]
            shell = False
        else:
            cmd = [TIME, "-f", "%M", "-o", memfile] + list(cmd)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, shell=shell,
                         start_new_session=True)
    deadline = t0 + timeout if timeout else None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            os.killpg(p.pid, 9)
            os.wait4(p.pid, 0)
            return None, None, "timeout"
        time.sleep(0.001)
    dt = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if memfile:
        try:
            with open(memfile) as f:
                lines = [l for l in f.read().split("\n") if l.strip()]
            rss = int(lines[-1])
            if len(lines) > 1 and code == 0:
                code = 1  # "Command exited with non-zero status"
        except (OSError, ValueError, IndexError):
            pass
        try:
            os.unlink(memfile)
        except OSError:
            pass
    if code in ok_codes:
        code = 0
    if code != 0:
        sys.stderr.write("  ! %s exited %s: %s\n" % (cmd if isinstance(cmd, str) else " ".join(cmd), code,
                                                      err.strip()[:300]))
    return dt, rss, code


TIMED_OUT = {}  # label -> N where it timed out: not tried again at a larger N
TRASH = []  # directories to remove once everything is measured


def trash(path):
    """Moves `path` out of the way, to be removed at the end of the run: a
    mass removal while measuring would be measured too (ext4 without a
    journal scans past every inode freed in the last minute to create a
    file)."""
    if os.path.lexists(path):
        dest = "%s.trash.%d.%d" % (path, os.getpid(), len(TRASH))
        os.rename(path, dest)
        TRASH.append(dest)


def empty_trash():
    for t in TRASH:
        shutil.rmtree(t, ignore_errors=True)
    del TRASH[:]


def measure(label, cmd, cwd, runs, timeout=None, env=None, shell=False, before=None, n=None, ok_codes=(0,)):
    times, peak, failed = [], 0, None
    if label in TIMED_OUT:
        return {"label": label, "median": None, "peak_kb": 0, "runs": 0,
                "failed": "skipped (timed out at N = %d)" % TIMED_OUT[label]}
    for _ in range(runs):
        if before:
            before()
        dt, rss, code = run(cmd, cwd, timeout, env, shell, ok_codes)
        if dt is None:
            failed = "timeout (> %ds)" % timeout
            if n is not None:
                TIMED_OUT[label] = n
            break
        if code != 0:
            failed = "failed (exit %s)" % code
            break
        times.append(dt)
        peak = max(peak, rss)
    med = statistics.median(times) if times else None
    return {"label": label, "median": med, "peak_kb": peak, "failed": failed, "runs": len(times)}


def fmt(r):
    if r["failed"]:
        return "%-40s %s" % (r["label"], r["failed"])
    return "%-40s %9.3f s  %7.1f MB  (median of %d)" % (r["label"], r["median"], r["peak_kb"] / 1024.0, r["runs"])


def ensure_repo(work, n):
    path = os.path.join(work, "repo-%d" % n)
    stamp = os.path.join(work, "repo-%d.done" % n)
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        t0 = time.monotonic()
        subprocess.run([sys.executable, os.path.join(HERE, "gen_repo.py"), str(n), path], check=True)
        print("  generated in %.1f s" % (time.monotonic() - t0))
        open(stamp, "w").close()
    return path


def install_peers(peers):
    os.makedirs(peers, exist_ok=True)
    bins = {"adr-tools": os.path.join(peers, "node_modules", ".bin", "adr-tools"),
            "log4brains": os.path.join(peers, "node_modules", ".bin", "log4brains")}
    if not all(os.path.exists(b) for b in bins.values()):
        print("installing adr-tools and log4brains from npm into %s" % peers)
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", peers, "adr-tools",
                            "log4brains"], stdout=subprocess.DEVNULL)
        if r.returncode != 0:
            print("  npm install failed: peers skipped")
            return {}
    return {k: v for k, v in bins.items() if os.path.exists(v)}


# Issue 14: (key, what, limit in seconds or ratio, the number before that work)
TARGETS_10K = [
    ("show", "show 5", 0.1, "1.9 s"),
    ("show-json", "show --json 5", 0.1, "1.9 s"),
    ("why", "why docs", 0.1, "1.85 s"),
    ("queue", "queue", 0.1, "1.74 s"),
    ("toc", "toc", 0.1, "1.73 s"),
    ("graph", "graph", 0.1, "1.81 s"),
    ("list-json", "list --json", 0.1, "1.8 s"),
    ("check", "check", 0.5, "5.4 s"),
    ("new", "new (commit included)", 0.025, "55-61 ms"),
    ("html", "html, full build", 4.0, "6.4-7.0 s, 212 MB"),
    ("html1", "html, rebuild after one new record", 1.0, "a full build"),
    ("list", "list (index)", 0.2, "40 ms"),
    ("search", "search", 0.05, "40 ms"),
    ("index1", "index after one new record", 0.1, "-"),
]


def adr_cmds(adr):
    return [("list-json", "adr list --json", [adr, "list", "--json"]),
            ("show", "adr show 5", [adr, "show", "5"]),
            ("show-json", "adr show --json 5", [adr, "show", "--json", "5"]),
            ("why", "adr why docs", [adr, "why", "docs"]),
            ("queue", "adr queue", [adr, "queue"]),
            ("toc", "adr toc", [adr, "toc"]),
            ("graph", "adr graph", [adr, "graph"]),
            ("check", "adr check", [adr, "check"])]


def site_search(site, runs_dir):
    """The site's search box in Chromium: (median ms, p90 ms) or None."""
    script = os.path.join(HERE, "site_search.mjs")
    if not (os.path.exists(script) and os.access("/usr/bin/chromium", os.X_OK) and shutil.which("node")):
        print("  site search: skipped (needs node, /usr/bin/chromium and %s)" % script)
        return None
    try:
        p = subprocess.run(["node", script, site], capture_output=True, text=True, timeout=600, cwd=runs_dir)
    except subprocess.TimeoutExpired:
        print("  site search: timed out")
        return None
    for line in p.stdout.splitlines():
        if line.startswith("site-search "):
            kv = dict(x.split("=", 1) for x in line.split()[1:] if "=" in x)
            return float(kv["median_ms"]), float(kv["p90_ms"])
    print("  site search: failed: %s" % (p.stderr.strip()[-300:] or p.stdout.strip()[-300:]))
    return None


def measure_size(a, adr, env, n, peers):
    """Measures one size; returns False when adr failed."""
    ok = True
    print("\n== N = %d" % n)
    base = ensure_repo(a.work, n)
    repo = os.path.join(a.work, "run-%d" % n)
    trash(repo)
    subprocess.run(["git", "clone", "-q", "--no-local", base, repo], check=True)
    commits = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
    print("  %d records, %s commits" % (n, commits))
    blobs = "git ls-tree main docs/decisions/ | awk '{print $3}' | git cat-file --batch >/dev/null"
    res = {}
    res["git"] = measure("git log --raw + cat-file --batch", "git log --raw --no-renames main >/dev/null && " + blobs,
                         repo, a.runs, shell=True, env=env)
    res["catfile"] = measure("git cat-file --batch (record blobs)", blobs, repo, a.runs, shell=True, env=env)
    res["index"] = measure("adr index --rebuild (full)", [adr, "index", "--rebuild"], repo, a.runs, env=env)
    counter = [0]

    def new_cmd():
        counter[0] += 1
        return [adr, "new", "--no-edit", "Benchmark record %d about kafka" % counter[0]]
    # new, then index after that one record, alternately; and git's own way
    # of committing one new file (`git add` + `git commit`, the same work on
    # the same index and tree) as the floor `new` is compared with
    def git_new_cmd():
        counter[0] += 1
        name = "docs/decisions/%05d-git-floor-%d.md" % (90000 + counter[0], counter[0])
        return ("printf '# Git floor %d\\n' > %s && git add %s && git commit -q -m 'floor %d'"
                % (counter[0], name, name, counter[0]))
    # (in a clone of its own, so that the other commands see adr's records only)
    git_repo = repo + "-git-new"
    trash(git_repo)
    subprocess.run(["git", "clone", "-q", "--no-local", base, git_repo], check=True)
    news, incs, gits, floors = [], [], [], []
    for _ in range(a.runs):
        news.append(run(new_cmd(), repo, env=env))
        incs.append(run([adr, "index"], repo, env=env))
        gits.append(run(git_new_cmd(), git_repo, env=env, shell=True))
        if a.commit_floor:
            counter[0] += 1
            floors.append(run([a.commit_floor, git_repo, "docs/decisions",
                               "%05d-libgit2-floor-%d.md" % (90000 + counter[0], counter[0])], git_repo, env=env))
    trash(git_repo)
    res["new"] = summarize("adr new", news)
    res["index1"] = summarize("adr index (after one new record)", incs)
    res["git-new"] = summarize("git add + git commit (one file)", gits)
    if floors:
        res["lg2-new"] = summarize("libgit2 floor: commit one file", floors)
    res["search"] = measure("adr search kafka postgres", [adr, "search", "kafka", "postgres"], repo, a.runs, env=env)
    res["list"] = measure("adr list", [adr, "list"], repo, a.runs, env=env)
    res["stats"] = measure("adr stats", [adr, "stats"], repo, a.runs, env=env)
    for key, label, cmd in adr_cmds(adr):
        # check exits 1 when it reports findings (the generated log has one-sided supersessions)
        res[key] = measure(label, cmd, repo, a.runs, env=env, ok_codes=(0, 1) if key == "check" else (0,))
    adrdir = os.path.join(repo, ".git", "adr")
    res["cold"] = measure("adr list, cold (no .git/adr)", [adr, "list"], repo, a.runs, env=env,
                          before=lambda: shutil.rmtree(adrdir, ignore_errors=True))
    run([adr, "index"], repo, env=env)
    site = os.path.join(a.work, "html-%d" % n)
    # Full builds go each into a directory that never existed, all removed
    # at the end. Removing the previous site just before a build measured
    # the file system instead: ext4 without a journal (this machine's) will
    # not reuse an inode freed in the last minute, and scans past every one
    # of them for each file it creates; that case is measured once, below,
    # next to cp -a of the same site in the same case.
    fulls = os.path.join(a.work, "html-%d-full.%d" % (n, os.getpid()))
    os.makedirs(fulls)
    # Each series starts with nothing left to write back: five full builds
    # leave most of a gigabyte of pages that the kernel would otherwise be
    # writing out during the rebuilds measured next.
    os.sync()
    res["html"] = summarize("adr html -o NEWDIR (full build)",
                            [run([adr, "html", "-o", os.path.join(fulls, "site-%d" % k)], repo, env=env)
                             for k in range(a.runs)])
    run([adr, "html", "-o", site], repo, env=env)  # the site a rebuild starts from
    os.sync()
    res["html1"] = measure("adr html -o DIR (after one new record)", [adr, "html", "-o", site], repo, a.runs,
                           env=env, before=lambda: run(new_cmd(), repo, env=env))
    built, again = os.path.join(fulls, "site-0"), os.path.join(fulls, "again")

    def removed_just_now():
        shutil.rmtree(again, ignore_errors=True)
        shutil.copytree(built, again, symlinks=True)
        shutil.rmtree(again)
    if not a.smoke and os.path.isdir(built):
        res["html-rm"] = measure("adr html -o DIR (full, DIR just removed)", [adr, "html", "-o", again], repo, 1,
                                 env=env, before=removed_just_now)
        res["cp-rm"] = measure("cp -a SITE DIR (DIR just removed)", ["cp", "-a", built, again], repo, 1, env=env,
                               before=removed_just_now)
    trash(fulls)
    for r in res.values():
        print("  " + fmt(r))
        if r["failed"]:
            ok = False
    if not a.smoke and not a.no_browser:
        res["site"] = site_search(site, a.work)
        if res["site"]:
            print("  %-34s %9.1f ms median, %.1f ms p90 (20 queries)" % ("site search, keystroke to paint",
                                                                       res["site"][0], res["site"][1]))
    g, ix, cf, cold = res["git"], res["index"], res["catfile"], res["cold"]
    if g["median"] and ix["median"]:
        print("  ratio full index / git plumbing: %.2f" % (ix["median"] / g["median"]))
    if cf["median"] and cold["median"]:
        print("  ratio cold list / cat-file --batch: %.2f" % (cold["median"] / cf["median"]))
    if res["new"]["median"] and res["git-new"]["median"]:
        print("  ratio new / git add + git commit: %.2f" % (res["new"]["median"] / res["git-new"]["median"]))
    if res["new"]["median"] and res.get("lg2-new") and res["lg2-new"]["median"]:
        print("  ratio new / libgit2 floor: %.2f" % (res["new"]["median"] / res["lg2-new"]["median"]))
    if n >= 10000 and not a.smoke:
        print_targets(res)
    if peers:
        measure_peers(a, base, repo, n, peers, res)
    return ok


def print_targets(res):
    print("\n  issue 14 targets at N = 10,000        measured      limit    ratio   before    verdict")
    for key, what, limit, before in TARGETS_10K:
        r = res.get(key)
        med = r and r["median"]
        print("  %-36s %9s %10s %8s   %-10s %s" % (
            what, ("%.3f s" % med) if med else "failed", "< %g s" % limit,
            ("%.2f x" % (med / limit)) if med else "-", before, "ok" if med and med < limit else "MISSED"))
    g, ix, cf, cold = res["git"], res["index"], res["catfile"], res["cold"]
    if cf["median"] and cold["median"]:
        q = cold["median"] / cf["median"]
        print("  %-36s %9s %10s %8s   %-10s %s" % ("cold list / cat-file --batch", "%.3f s" % cold["median"],
                                                "<= 1.5 x", "%.2f x" % q, "1.8 s", "ok" if q <= 1.5 else "MISSED"))
    if g["median"] and ix["median"]:
        q = ix["median"] / g["median"]
        print("  %-36s %9s %10s %8s   %-10s %s" % ("index --rebuild / git plumbing", "%.3f s" % ix["median"],
                                                "<= 1.0 x", "%.2f x" % q, "1.12-1.19 x", "ok" if q <= 1.0 else "MISSED"))
    gn, nw = res.get("git-new"), res["new"]
    if gn and gn["median"] and nw["median"]:
        q = nw["median"] / gn["median"]
        print("  %-36s %9s %10s %8s   %-10s %s" % ("new / git add + git commit", "%.3f s" % nw["median"],
                                                "(floor)", "%.2f x" % q, "-", "faster than git" if q <= 1.0 else "slower than git"))
    lf = res.get("lg2-new")
    if lf and lf["median"] and nw["median"]:
        # the least libgit2 itself takes for the same commit: below it, `new`
        # cannot go while it commits through libgit2
        q = nw["median"] / lf["median"]
        print("  %-36s %9s %10s %8s   %-10s %s" % ("new / libgit2 floor (one commit)", "%.3f s" % nw["median"],
                                                "(floor)", "%.2f x" % q, "-",
                                                "floor %.3f s; %s" % (lf["median"], "the 25 ms target is below it"
                                                                      if lf["median"] >= 0.025 else "below 25 ms")))
    hm = res["html"]
    if hm["median"]:
        mb = hm["peak_kb"] / 1024.0
        print("  %-36s %9s %10s %8s   %-10s %s" % ("html, full build, peak memory", "%.0f MB" % mb, "< 150 MB",
                                                "%.2f x" % (mb / 150), "212 MB", "ok" if mb < 150 else "MISSED"))
    hr, cr = res.get("html-rm"), res.get("cp-rm")
    if hr and cr and hr["median"] and cr["median"]:
        # not a target: what the file system adds when the directory was just removed
        print("  %-36s %9s %10s %8s   %-10s %s" % ("html full, DIR just removed", "%.3f s" % hr["median"],
                                                "(info)", "%.2f x cp" % (hr["median"] / cr["median"]), "-",
                                                "cp -a of the site then: %.3f s" % cr["median"]))
    site = res.get("site")
    if site:
        print("  %-36s %9s %10s %8s   %-10s %s" % ("site search (median of 20)", "%.1f ms" % site[0], "< 100 ms",
                                                "%.2f x" % (site[0] / 100), "1-2 s (5k)",
                                                "ok" if site[0] < 100 else "MISSED"))


def measure_mixed(a, adr, env):
    """The mixed repository: decisions among code commits."""
    nrec, ncommits = (int(x) for x in a.mixed.split(":"))
    path = os.path.join(a.work, "mixed-%d-%d" % (nrec, ncommits))
    stamp = path + ".done"
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        t0 = time.monotonic()
        subprocess.run([sys.executable, os.path.join(HERE, "gen_repo.py"), "--mixed", str(nrec), str(ncommits), path],
                       check=True)
        print("  generated in %.1f s" % (time.monotonic() - t0))
        open(stamp, "w").close()
    repo = path + "-run"
    trash(repo)
    subprocess.run(["git", "clone", "-q", "--no-local", path, repo], check=True)
    commits = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
    print("\n== mixed repository: %d records among %s commits" % (nrec, commits))
    res = {"path": measure("git log --format=%H -- docs/decisions", "git log --format=%H main -- docs/decisions "
                           ">/dev/null", repo, a.runs, shell=True, env=env),
           "raw": measure("git log --raw --no-renames", "git log --raw --no-renames main >/dev/null", repo, a.runs,
                          shell=True, env=env),
           "index": measure("adr index --rebuild (full)", [adr, "index", "--rebuild"], repo, a.runs, env=env)}
    for r in res.values():
        print("  " + fmt(r))
    p, ix = res["path"], res["index"]
    if p["median"] and ix["median"]:
        q = ix["median"] / p["median"]
        mb = ix["peak_kb"] / 1024.0
        print("  %-36s %9s %10s %8s   %-10s %s" % ("index --rebuild / path-limited log", "%.3f s" % ix["median"],
                                                "<= 1.0 x", "%.2f x" % q, "1.14 x", "ok" if q <= 1.0 else "MISSED"))
        print("  %-36s %9s %10s %8s   %-10s %s" % ("index --rebuild, peak memory", "%.0f MB" % mb, "< 64 MB",
                                                "%.2f x" % (mb / 64), "172 MB", "ok" if mb < 64 else "MISSED"))
    return not ix["failed"]


def measure_peers(a, base, repo, n, peers, res):
    peer_repo = repo + "-peers"
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")
    shutil.rmtree(peer_repo, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--no-local", base, peer_repo], check=True)
    pr = {}
    at, lb = peers.get("adr-tools"), peers.get("log4brains")
    if at:
        pr["at-new"] = measure("adr-tools new", [at, "new", "Benchmark", "record", "about", "kafka"],
                               peer_repo, a.runs, a.timeout, env=env, n=n)
        pr["at-list"] = measure("adr-tools list", [at, "list"], peer_repo, a.runs, a.timeout, env=env, n=n)
        pr["at-toc"] = measure("adr-tools generate toc", [at, "generate", "toc"], peer_repo, a.runs,
                               a.timeout, env=env, n=n)
    if lb:
        lenv = dict(env, CI="1", NEXT_TELEMETRY_DISABLED="1")
        pr["lb-list"] = measure("log4brains adr list", [lb, "adr", "list", "--raw"], peer_repo,
                                min(a.runs, 3), a.timeout, env=lenv, n=n)
        pr["lb-build"] = measure("log4brains build", [lb, "build", "--out", os.path.join(a.work, "l4b-out")],
                                 peer_repo, 1, a.timeout, env=lenv, n=n)
    for r in pr.values():
        print("  " + fmt(r))

    def ratio(what, peer, mine):
        p, m = pr.get(peer), res[mine]
        if p and not p["failed"] and m["median"]:
            print("  ratio %-44s %8.1f x" % (what, p["median"] / m["median"]))
        elif p and p["failed"].startswith("timeout") and m["median"]:
            # The peer was stopped at the bound: its time is at least that.
            print("  ratio %-44s > %6.1f x  (peer stopped at the %d s bound; raise --timeout)"
                  % (what, a.timeout / m["median"], a.timeout))
        elif p:
            print("  ratio %-44s %s" % (what, "peer " + p["failed"]))
    ratio("adr-tools new / adr new", "at-new", "new")
    ratio("adr-tools list / adr list", "at-list", "list")
    ratio("adr-tools generate toc / adr toc", "at-toc", "toc")
    ratio("log4brains adr list / adr list", "lb-list", "list")
    ratio("log4brains build / adr html (full)", "lb-build", "html")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adr", default=os.environ.get("ADR", os.path.join(HERE, "..", "..", "build", "adr")))
    ap.add_argument("--commit-floor", default=None)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.environ.get("ADR_BENCH_DIR", "/tmp/adr-bench"))
    ap.add_argument("--peers", default=None)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--mixed", default="1000:100000")
    ap.add_argument("--no-mixed", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    a = ap.parse_args()
    adr = os.path.abspath(a.adr)
    if not a.commit_floor:
        a.commit_floor = os.path.join(os.path.dirname(adr), "tests", "commit_floor")
    a.commit_floor = os.path.abspath(a.commit_floor)
    if not os.access(a.commit_floor, os.X_OK):
        print("bench: %s is not there (make commit_floor builds it): the libgit2 floor of new is skipped"
              % a.commit_floor)
        a.commit_floor = None
    if a.smoke:
        a.sizes, a.runs, a.no_peers, a.no_mixed, a.no_browser = "100", 1, True, True, True
    os.makedirs(a.work, exist_ok=True)
    # what an interrupted run left to remove goes with this run's, at its end
    TRASH.extend(os.path.join(a.work, e) for e in sorted(os.listdir(a.work)) if ".trash." in e)
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")
    env.pop("ADR_DEBUG_STATS", None)
    peers = {} if a.no_peers else install_peers(a.peers or os.path.join(a.work, "peers"))
    ok = True
    print("machine: %d cores; adr: %s" % (os.cpu_count(), adr))
    for n in [int(x) for x in a.sizes.split(",")]:
        ok = measure_size(a, adr, env, n, peers) and ok
    if not a.no_mixed:
        ok = measure_mixed(a, adr, env) and ok
    empty_trash()
    if a.smoke:
        print("bench smoke: %d passed, %d failed" % ((1, 0) if ok else (0, 1)))
    return 0 if ok else 1


def summarize(label, results):
    times = [r[0] for r in results if r[0] is not None and r[2] == 0]
    failed = None if len(times) == len(results) else "failed"
    return {"label": label, "median": statistics.median(times) if times else None,
            "peak_kb": max((r[1] or 0) for r in results), "failed": failed, "runs": len(times)}


if __name__ == "__main__":
    sys.exit(main())
