#!/usr/bin/env python3
"""Deterministic generator of decision repositories for the benchmark.

    gen_repo.py N DIR
    gen_repo.py --mixed N COMMITS DIR

Creates a git repository in DIR (which must not exist) with N decision
records and about 1.5 commits per record, written with `git fast-import`
at fixed dates (2020-01-01 plus one hour per commit), so the same N always
gives the same commit ids. The mix, decided by a seeded PRNG:

  - most records are recorded directly (one commit, `Adr-Action: new`);
  - one in ten is proposed on a branch `adr/<slug>` (file `<slug>.md`,
    `status: proposed`, a review-by date), gets comments (empty commits
    with `Adr-Comment:` and `Adr-Vote:` trailers) and sometimes a revision,
    and is accepted by a merge commit that renames it to `NNNN-<slug>.md`
    (`Adr-Action: accept`, `Adr-Record`, `Adr-Proposal`);
  - later commits edit records, change a status, link records and
    supersede older records.

The first commit also carries the peers' configuration (`.adr-dir` for
the adr-tools shell scripts, `.adr.json` for the adr-tools npm package,
`.log4brains.yml` for log4brains), all pointing at `docs/decisions`, so the
benchmark runs every tool on the same repository.

With --mixed, the decisions live in a code repository: between the
decision commits on main come commits that change only code files under
src/ (one file each, a few lines), so that the repository has about
COMMITS commits in all (100,000 for N = 1,000 in the benchmark), most of
which never touch docs/decisions. Also deterministic.
"""
import os
import random
import subprocess
import sys

WORDS = ("storage event queue latency partner contract billing schema cache retry "
         "kafka postgres redis search index api gateway auth token audit log "
         "deploy cluster region backup restore budget vendor license privacy "
         "consent export import mobile web release cadence review deadline "
         "meeting async sync owner team budget risk cost migration rollout "
         "feature flag monitoring alert incident oncall security encryption "
         "key rotation compliance retention archive format json yaml markdown").split()

START = 1577836800  # 2020-01-01T00:00:00Z
PEOPLE = ["Ana Lima", "Bo Chen", "Carla Diaz", "Dev Patel", "Eve Moreau", "Femi Ade"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def title(rng, i):
    return "Use %s for %s %d" % (rng.choice(WORDS), words(rng, 2), i)


def slug_of(t):
    out = []
    for ch in t.lower():
        out.append(ch if ch.isalnum() else "-")
    s = "-".join(p for p in "".join(out).split("-") if p)
    return s[:60].rstrip("-")


def date_of(t):
    import time
    return time.strftime("%Y-%m-%d", time.gmtime(t))


class Repo:
    def __init__(self, out, layout):
        self.out = out
        self.layout = layout
        self.dir = "docs/decisions"
        self.mark = 0
        self.commits = 0
        self.clock = START
        self.code_per_commit = 0.0  # --mixed: code commits due before each decision commit on main
        self.code_due = 0.0
        self.code_made = 0

    def code(self, tip, n=None):
        """Code-only commits on main after `tip` (--mixed); returns the new tip."""
        if n is None:
            self.code_due += self.code_per_commit
            n = int(self.code_due)
            self.code_due -= n
        for _ in range(n):
            k = self.code_made
            self.code_made += 1
            path = "src/m%02d/f%02d.c" % (k % 23, (k // 23) % 17)
            text = "/* %s, revision %d */\nint f%d(void) { return %d; }\n" % (path, k, k % 97, k)
            tip = self.commit("refs/heads/main", PEOPLE[k % len(PEOPLE)], "code: change %s (%d)\n" % (path, k),
                              [(path, text)], parent=tip)
        return tip

    def tick(self):
        self.clock += 3600
        return self.clock

    def data(self, b):
        if isinstance(b, str):
            b = b.encode()
        self.out.write(b"data %d\n" % len(b))
        self.out.write(b)
        self.out.write(b"\n")

    def commit(self, ref, author, msg, files=(), deletes=(), parent=None, merge=None):
        self.mark += 1
        self.commits += 1
        t = self.tick()
        w = self.out.write
        w(("commit %s\nmark :%d\n" % (ref, self.mark)).encode())
        email = author.split()[0].lower() + "@example.com"
        w(("author %s <%s> %d +0000\n" % (author, email, t)).encode())
        w(("committer %s <%s> %d +0000\n" % (author, email, t)).encode())
        self.data(msg)
        if parent:
            w(("from %s\n" % parent).encode())
        if merge:
            w(("merge %s\n" % merge).encode())
        for p in deletes:
            w(("D %s\n" % p).encode())
        for p, content in files:
            w(("M 100644 inline %s\n" % p).encode())
            self.data(content)
        w(b"\n")
        return ":%d" % self.mark


def record_text(layout, rng, num, t, status, day, makers, tags, body, review_by=None, supersedes=None):
    fm = ["---", "status: %s" % status, "date: %s" % day,
          "decision-makers: [%s]" % ", ".join(makers),
          "mode: %s" % rng.choice(["sync", "async"]),
          "urgency: %s" % rng.choice(["low", "high"]),
          "complexity: %s" % rng.choice(["low", "high"])]
    if review_by:
        fm.append("review-by: %s" % review_by)
    if supersedes:
        fm.append("supersedes: [%d]" % supersedes)
    fm.append("tags: [%s]" % ", ".join(tags))
    fm.append("---")
    return ("\n".join(fm) + "\n# %s\n\n## Context\n\n%s\n\n## Decision\n\n%s\n\n## Consequences\n\n%s\n"
            % ((t,) + body))


def main():
    args = sys.argv[1:]
    layout = "adr"
    commits = 0
    if len(args) == 4 and args[0] == "--mixed":
        commits = int(args[2])
        args = [args[1], args[3]]
    if len(args) != 2:
        sys.exit("usage: gen_repo.py N DIR\n       gen_repo.py --mixed N COMMITS DIR")
    n, path = int(args[0]), args[1]
    rng = random.Random(4242 + n)
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True)
    env = dict(os.environ, GIT_DIR=os.path.join(path, ".git"))
    fi = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE, env=env)
    r = Repo(fi.stdin, layout)
    ref = "refs/heads/main"
    files = {}  # number -> (path, title, status)
    first = [(".adr.yaml", "dir: docs/decisions\n"),
             (".adr-dir", "docs/decisions\n"),
             (".adr.json", '{"language":"en","path":"docs/decisions/","prefix":"","digits":4}\n'),
             (".log4brains.yml", "---\nproject:\n  name: bench\n  tz: Etc/UTC\n  adrFolder: ./docs/decisions\n")]
    tip = r.commit(ref, PEOPLE[0], "adr: init\n\nAdr-Action: init\n", first)
    if commits:
        # about 1.7 decision commits on main per record, 2.7 in all
        r.code_per_commit = max(0.0, (commits - 2.7 * n) / (1.7 * n))
    number = 0
    edits_due = 0.0
    while number < n:
        number += 1
        t = title(rng, number)
        s = slug_of(t)
        author = rng.choice(PEOPLE)
        makers = rng.sample(PEOPLE, 2)
        tags = sorted(set(rng.sample(WORDS, 2)))
        body = (words(rng, 60), words(rng, 40), words(rng, 30))
        day = date_of(r.clock + 3600)
        name = "%04d-%s.md" % (number, s)
        p = "%s/%s" % (r.dir, name)
        if rng.random() < 0.10 and layout == "adr":
            # a proposal on a branch, comments, maybe a revision, accepted by a merge
            bref = "refs/heads/adr/%s" % s
            review = date_of(r.clock + 86400 * rng.choice([3, 7, 14]))
            pp = "%s/%s.md" % (r.dir, s)
            text = record_text(layout, rng, None, t, "proposed", day, makers, tags, body, review)
            b = r.commit(bref, author, "adr: propose %s\n\nAdr-Action: propose\nAdr-Proposal: adr/%s\n" % (t, s),
                         [(pp, text)], parent=tip)
            for _ in range(rng.choice([1, 1, 2, 3])):
                who = rng.choice(PEOPLE)
                vote = rng.choice(["approve", "object", None])
                msg = "%s\n\nAdr-Comment: adr/%s\n" % (words(rng, 12).capitalize(), s)
                if vote:
                    msg += "Adr-Vote: %s\n" % vote
                b = r.commit(bref, who, msg, parent=b)
            if rng.random() < 0.5:
                body = (body[0] + " " + words(rng, 10), body[1], body[2])
                text = record_text(layout, rng, None, t, "proposed", day, makers, tags, body, review)
                b = r.commit(bref, author, "adr: revise %s\n\nAdr-Action: revise\n" % t, [(pp, text)], parent=b)
            final = record_text(layout, rng, number, t, "accepted", date_of(r.clock + 3600), makers, tags, body,
                                review)
            tip = r.code(tip)
            tip = r.commit(ref, author,
                           "adr: accept %04d %s\n\nAdr-Action: accept\nAdr-Record: %04d\nAdr-Proposal: adr/%s\n"
                           % (number, t, number, s), [(p, final)], parent=tip, merge=b)
            text = final
        else:
            sup = None
            if number > 10 and rng.random() < 0.05:
                sup = rng.randrange(1, number)
                if sup not in files or files[sup][2] == "superseded":
                    sup = None
            text = record_text(layout, rng, number, t, "accepted", day, makers, tags, body, None, sup)
            changes = [(p, text)]
            msg = "adr: new %04d %s\n\nAdr-Action: new\nAdr-Record: %04d\n" % (number, t, number)
            if sup:
                op, ot, _ = files[sup]
                files[sup] = (op, ot, "superseded")
                changes.append((op, files_text[sup].replace("status: accepted", "status: superseded")))
                files_text[sup] = changes[-1][1]
                msg += "Adr-Supersedes: %04d\n" % sup
            tip = r.code(tip)
            tip = r.commit(ref, author, msg, changes, parent=tip)
            text = changes[0][1]
        files[number] = (p, t, "accepted")
        files_text[number] = text
        # edits keep the total near 1.5 commits per record
        edits_due += 0.2
        while edits_due >= 1 and number > 1:
            edits_due -= 1
            k = rng.randrange(1, number + 1)
            op, ot, st = files[k]
            if st == "accepted" and rng.random() < 0.3:
                files[k] = (op, ot, "deprecated")
                new = files_text[k].replace("status: accepted", "status: deprecated")
                msg = "adr: status %04d deprecated\n\nAdr-Action: status\nAdr-Record: %04d\nAdr-Status: deprecated\n" % (k, k)
            else:
                new = files_text[k] + "\n%s\n" % words(rng, 20)
                msg = "adr: edit %04d\n\nAdr-Action: edit\nAdr-Record: %04d\n" % (k, k)
            files_text[k] = new
            tip = r.code(tip)
            tip = r.commit(ref, rng.choice(PEOPLE), msg, [(op, new)], parent=tip)
    if commits and r.commits < commits:
        tip = r.code(tip, commits - r.commits)
    fi.stdin.write(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    # accepted proposals' branches are deleted, as `adr accept` does
    refs = subprocess.run(["git", "-C", path, "for-each-ref", "--format=delete %(refname)", "refs/heads/adr/"],
                          check=True, capture_output=True).stdout
    subprocess.run(["git", "-C", path, "update-ref", "--stdin"], input=refs, check=True)
    subprocess.run(["git", "-C", path, "checkout", "-q", "-f", "main"], check=True)
    print("%s: %d records, %d commits" % (path, n, r.commits))


files_text = {}

if __name__ == "__main__":
    main()
