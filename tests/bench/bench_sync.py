#!/usr/bin/env python3
"""Benchmark of `adr sync` against git's own fetch + push (issue 13).

    bench_sync.py [--adr PATH] [--sizes 10000] [--runs 5] [--work DIR]

For each size N, the repository gen_repo.py makes (the one bench.py uses)
becomes a bare remote on file:// with two clones, A and B. Each run starts
from the same state: B has recorded one decision and pushed it; A has
recorded one of its own, offline, with the same number. Then, on two copies
of that state:

  adr     `adr sync` in A: fetches B's record, replays A's on top of it,
          renumbers A's (its number was taken), pushes
  git     `git fetch` of the same refs (the decision branch and adr/*),
          then (not timed) `git rebase`, then `git push` of the decision
          branch: git's own transport for the same objects

Each figure is the median wall time of --runs runs, printed side by side.
The issue's target: at N = 10,000 the sync takes under 1 s.
It is run by hand, not in CI: generating N = 10,000 takes a while.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sh(cmd, cwd, env, check=True):
    return subprocess.run(cmd, cwd=cwd, env=env, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


def timed(cmd, cwd, env):
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("%s failed (exit %d): %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return dt


def ensure_repo(work, n):
    path = os.path.join(work, "repo-%d" % n)
    stamp = os.path.join(work, "repo-%d.done" % n)
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_repo.py"), str(n), path], check=True)
        open(stamp, "w").close()
    return path


def make_state(base, state, adr, env):
    """state/{origin.git,a,b}: B's record pushed, A's recorded offline."""
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    origin = os.path.join(state, "origin.git")
    sh(["git", "clone", "-q", "--bare", "--no-local", base, origin], state, env)
    sh(["git", "-C", origin, "repack", "-adq"], state, env)
    url = "file://" + origin
    for who in ("a", "b"):
        sh(["git", "clone", "-q", url, who], state, env)
    b, a = os.path.join(state, "b"), os.path.join(state, "a")
    sh([adr, "new", "--no-edit", "Partner's decision about billing"], b, env)
    sh(["git", "push", "-q", "origin", "main"], b, env)
    sh([adr, "new", "--no-edit", "My decision about queues"], a, env)
    return a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adr", default=os.environ.get("ADR", os.path.join(HERE, "..", "..", "build", "adr")))
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.environ.get("ADR_BENCH_DIR", "/tmp/adr-bench"))
    a = ap.parse_args()
    adr = os.path.abspath(a.adr)
    os.makedirs(a.work, exist_ok=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")
    for n in [int(x) for x in a.sizes.split(",")]:
        base = ensure_repo(a.work, n)
        print("N = %d" % n)
        syncs, fetches, pushes = [], [], []
        for r in range(a.runs):
            state = os.path.join(a.work, "sync-%d" % n)
            repo = make_state(base, state, adr, env)
            copy = os.path.join(a.work, "sync-%d-git" % n)
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(state, copy, symlinks=True)
            syncs.append(timed([adr, "sync"], repo, env))
            g = os.path.join(copy, "a")
            sh(["git", "remote", "set-url", "origin", "file://" + os.path.join(copy, "origin.git")], g, env)
            fetches.append(timed(["git", "fetch", "-q", "origin", "+refs/heads/main:refs/remotes/origin/main",
                                  "+refs/heads/adr/*:refs/remotes/origin/adr/*"], g, env))
            sh(["git", "rebase", "-q", "origin/main"], g, env)
            pushes.append(timed(["git", "push", "-q", "origin", "main:main"], g, env))
            out = sh(["git", "-C", os.path.join(state, "origin.git"), "ls-tree", "--name-only", "main",
                      "docs/decisions/"], state, env).stdout
            if "my-decision-about-queues" not in out or "decision-about-billing" not in out:
                sys.exit("adr sync did not put both records on the remote")
        s, f, p = statistics.median(syncs), statistics.median(fetches), statistics.median(pushes)
        print("  %-44s %8.3f s  (median of %d)" % ("adr sync (fetch, replay, renumber, push)", s, len(syncs)))
        print("  %-44s %8.3f s" % ("git fetch + git push (same refs)", f + p))
        print("  %-44s %8.3f s" % ("  git fetch", f))
        print("  %-44s %8.3f s" % ("  git push", p))
        print("  %-44s %8.2f x" % ("adr sync / git fetch + push", s / (f + p) if f + p > 0 else 0))
        if n >= 10000:
            print("  target: adr sync < 1 s: %s" % ("met" if s < 1.0 else "NOT met"))


if __name__ == "__main__":
    main()
