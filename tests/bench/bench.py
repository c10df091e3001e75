#!/usr/bin/env python3
"""Benchmark of adr against git's own plumbing and against its peers.

    bench.py [--adr PATH] [--sizes 100,1000,10000] [--runs 5] [--work DIR]
             [--peers DIR | --no-peers] [--timeout 120] [--smoke]

For each size N, a repository made by gen_repo.py (deterministic: the same N
gives the same commits) is measured, in one run:

  git     `git log --raw --no-renames` over the decision branch plus
          `git cat-file --batch` of every record blob: the plumbing cost of
          the facts `adr index` gathers
  adr     index (full, --rebuild), new, index after that one new record,
          search, list, stats, html (the static site, every thread)
  peers   adr-tools (npm package `adr-tools`: new, list, generate toc) and
          log4brains (npm package `log4brains`: adr list, build), installed
          with npm into a scratch directory (--peers), each run with a time
          bound on a copy of the same repository

Each figure is the median wall time of --runs runs and the peak resident
memory of the slowest process (from wait4), then ratios. With N = 10,000 it
checks the targets of the issue: full index <= 1.5 x git, index after one
record < 100 ms, search < 50 ms, list < 200 ms, peak memory < 200 MB; and
html < 10 s and < 300 MB. For N = 100 and 1,000 it compares log4brains build
with adr html.
--smoke runs N = 100 once without peers and fails when adr fails (CI).

It is run by hand, not in CI (except --smoke): it takes minutes.
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


def run(cmd, cwd, timeout=None, env=None, shell=False):
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
    if code != 0:
        sys.stderr.write("  ! %s exited %s: %s\n" % (cmd if isinstance(cmd, str) else " ".join(cmd), code,
                                                      err.strip()[:300]))
    return dt, rss, code


TIMED_OUT = {}  # label -> N where it timed out: not tried again at a larger N


def measure(label, cmd, cwd, runs, timeout=None, env=None, shell=False, before=None, n=None):
    times, peak, failed = [], 0, None
    if label in TIMED_OUT:
        return {"label": label, "median": None, "peak_kb": 0, "runs": 0,
                "failed": "skipped (timed out at N = %d)" % TIMED_OUT[label]}
    for _ in range(runs):
        if before:
            before()
        dt, rss, code = run(cmd, cwd, timeout, env, shell)
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
        return "%-34s %s" % (r["label"], r["failed"])
    return "%-34s %9.3f s  %7.1f MB  (median of %d)" % (r["label"], r["median"], r["peak_kb"] / 1024.0, r["runs"])


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adr", default=os.environ.get("ADR", os.path.join(HERE, "..", "..", "build", "adr")))
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.environ.get("ADR_BENCH_DIR", "/tmp/adr-bench"))
    ap.add_argument("--peers", default=None)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    adr = os.path.abspath(a.adr)
    if a.smoke:
        a.sizes, a.runs, a.no_peers = "100", 1, True
    os.makedirs(a.work, exist_ok=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")
    env.pop("ADR_DEBUG_STATS", None)
    peers = {} if a.no_peers else install_peers(a.peers or os.path.join(a.work, "peers"))
    ok = True
    print("machine: %d cores; adr: %s" % (os.cpu_count(), adr))
    for n in [int(x) for x in a.sizes.split(",")]:
        print("\n== N = %d" % n)
        base = ensure_repo(a.work, n)
        repo = os.path.join(a.work, "run-%d" % n)
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", "--no-local", base, repo], check=True)
        commits = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True,
                                 text=True).stdout.strip()
        print("  %d records, %s commits" % (n, commits))
        res = {}
        res["git"] = measure("git log --raw + cat-file --batch",
                             "git log --raw --no-renames main >/dev/null && git ls-tree main docs/decisions/ "
                             "| awk '{print $3}' | git cat-file --batch >/dev/null",
                             repo, a.runs, shell=True, env=env)
        res["index"] = measure("adr index --rebuild (full)", [adr, "index", "--rebuild"], repo, a.runs, env=env)
        counter = [0]

        def new_cmd():
            counter[0] += 1
            return [adr, "new", "--no-edit", "Benchmark record %d about kafka" % counter[0]]
        # new, then index after that one record, alternately
        news, incs = [], []
        for _ in range(a.runs):
            news.append(run(new_cmd(), repo, env=env))
            incs.append(run([adr, "index"], repo, env=env))
        res["new"] = summarize("adr new", news)
        res["index1"] = summarize("adr index (after one new record)", incs)
        res["search"] = measure("adr search kafka postgres", [adr, "search", "kafka", "postgres"], repo, a.runs,
                                env=env)
        res["list"] = measure("adr list", [adr, "list"], repo, a.runs, env=env)
        res["stats"] = measure("adr stats", [adr, "stats"], repo, a.runs, env=env)
        res["html"] = measure("adr html -o DIR", [adr, "html", "-o", os.path.join(a.work, "html-%d" % n)], repo,
                              a.runs, env=env)
        for r in res.values():
            print("  " + fmt(r))
            if r["failed"]:
                ok = False
        g, ix = res["git"], res["index"]
        if g["median"] and ix["median"]:
            print("  ratio full index / git plumbing: %.2f" % (ix["median"] / g["median"]))
        if n >= 10000 and not a.smoke:
            peak = max(r["peak_kb"] for k, r in res.items() if k not in ("git", "html")) / 1024.0
            hm = res["html"]
            checks = [("full index <= 1.5 x git", ix["median"] and g["median"] and ix["median"] <= 1.5 * g["median"]),
                      ("index after one record < 100 ms", res["index1"]["median"] and res["index1"]["median"] < 0.1),
                      ("search < 50 ms", res["search"]["median"] and res["search"]["median"] < 0.05),
                      ("list < 200 ms", res["list"]["median"] and res["list"]["median"] < 0.2),
                      ("peak memory < 200 MB (%.0f MB)" % peak, peak < 200),
                      ("html < 10 s and < 300 MB (%.0f MB)" % (hm["peak_kb"] / 1024.0),
                       hm["median"] and hm["median"] < 10 and hm["peak_kb"] < 300 * 1024)]
            for what, good in checks:
                print("  target %-40s %s" % (what, "ok" if good else "MISSED"))
        if peers:
            peer_repo = repo + "-peers"
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
            ratio("adr-tools generate toc / adr list", "at-toc", "list")
            ratio("log4brains adr list / adr list", "lb-list", "list")
            ratio("log4brains build / adr index (full)", "lb-build", "index")
            if n in (100, 1000):
                ratio("log4brains build / adr html", "lb-build", "html")
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
