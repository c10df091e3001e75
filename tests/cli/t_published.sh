#!/usr/bin/env bash
# Numbers that never change once published (issue 13): two clones of one
# bare file:// remote. A number the other clone pushed is taken as soon as
# this clone has fetched it (plain `git fetch`), even when the local
# decision branch is behind: `new`, `accept` and `meeting` allocate past it,
# through the branch's upstream or, without one, any remote that has the
# branch. A remote-tracking ref that cannot be read stops allocation
# (nothing is written) rather than reuse a published number.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

export ADR_NOW=2026-11-21
D=docs/decisions
BARE=$TMP/remote.git
git init -q --bare "$BARE"
A=$TMP/a
B=$TMP/b
git clone -q "file://$BARE" "$A" 2>/dev/null
cd "$A"
git commit -q --allow-empty -m start
must_adr init
must_adr new --no-edit "Use PostgreSQL"
must_adr new --no-edit "Use Redis"
git push -q -u origin main
git clone -q "file://$BARE" "$B"

# --- new: past the number A pushed, though B's branch is behind --------------------
cd "$A"
must_adr new --no-edit "Use Kafka"
git push -q origin main
cd "$B"
git fetch -q
expect_eq "B is behind" "1" "$(git rev-list --count main..origin/main)"
run_adr new --no-edit "Use webhooks"
expect_eq "new: exit" 0 "$RC"
expect_contains "new: 0005, not 0004" "0005" "$OUT"
check "new: file 0005" test -f "$D/0005-use-webhooks.md"
check "new: no local 0004" test ! -e "$D/0004-use-kafka.md" -a ! -e "$D/0004-use-webhooks.md"
expect_eq "new: B's branch is still behind" "1" "$(git rev-list --count main..origin/main)"
check "new: fsck" fsck_clean "$B"

# --- before a fetch, B does not know: the number it takes is what git knows ----------
cd "$A"
must_adr new --no-edit "Use gRPC"    # 0005 on A
must_adr new --no-edit "Use protobuf" # 0006 on A
git push -q origin main
cd "$B"
git fetch -q

# --- accept: the proposal is numbered past the published 0006 -----------------------
must_adr propose --no-edit "Use pnpm"
git checkout -q main
run_adr accept use-pnpm
expect_eq "accept: exit" 0 "$RC"
check "accept: numbered 0007" test -f "$D/0007-use-pnpm.md"

# --- meeting: each decision past the published numbers ------------------------------
cd "$A"
for t in Six Seven Eight; do must_adr new --no-edit "A $t"; done # 0007..0009 on A
git push -q origin main
cd "$B"
git fetch -q
cat >"$TMP/minutes.md" <<'MIN'
# Steering meeting, 2026-11-21
Attendees: Ana Lima, Bo Chen

## Decision: Ship every Tuesday
Decision: Releases go out on Tuesdays.

## Decision: Keep a changelog
Decision: Every release has a changelog entry.
MIN
run_adr meeting --from "$TMP/minutes.md"
expect_eq "meeting: exit" 0 "$RC"
check "meeting: first decision 0010" test -f "$D/0010-ship-every-tuesday.md"
check "meeting: second decision 0011" test -f "$D/0011-keep-a-changelog.md"
check "meeting: fsck" fsck_clean "$B"
check "meeting: status clean" status_clean "$B"

# --- check: B's unpublished 0005 and 0007 are taken on origin/main ---------------------
run_adr check --json
expect_eq "check: exit 1" 1 "$RC" # read-only
expect_json "check: the numbers taken on the remote" \
	'[(f["path"], f["code"], f["message"]) for f in d if "taken" in f["message"]]' \
	"[[\"$D/0005-use-webhooks.md\",\"duplicate-number\",\"number 0005 is taken on refs/remotes/origin/main by $D/0005-use-grpc.md, which is published; this record is not and is the one to renumber\"],[\"$D/0007-use-pnpm.md\",\"duplicate-number\",\"number 0007 is taken on refs/remotes/origin/main by $D/0007-a-six.md, which is published; this record is not and is the one to renumber\"]]"
expect_json "check: only those" 'len(d)' '2'

# --- pre-push: an unpublished record whose number the remote gave another ---------------
must_adr hooks install
cp -a "$BARE" "$TMP/copy1.git"
git push -q --force "file://$TMP/copy1.git" main 2>"$TMP/push-taken.err"
expect_contains "pre-push: the taken number" \
	"adr: pre-push: warning: number 0005 is taken on refs/remotes/origin/main by $D/0005-use-grpc.md, which is published; this record is not" \
	"$(cat "$TMP/push-taken.err")"
expect_eq "pre-push: the forced push went on" "$(git rev-parse main)" "$(git --git-dir="$TMP/copy1.git" rev-parse main)"
must_adr hooks uninstall

# --- without an upstream: every remote that has the branch counts --------------------
C=$TMP/c
new_repo "$C"
cd "$C"
git remote add other "file://$BARE"
git fetch -q other
git checkout -q --no-track -b main other/main~3
expect_eq "C: no upstream" "" "$(git config branch.main.remote || true)"
run_adr new --no-edit "Use Zig"
expect_eq "no upstream: exit" 0 "$RC"
check "no upstream: past other/main's 0009" test -f "$D/0010-use-zig.md"
# a remote-tracking branch of another name does not count
git update-ref refs/remotes/other/feature "$(git rev-parse other/main)"
git update-ref refs/remotes/other/sub/main "$(git rev-parse other/main)"
git update-ref -d refs/remotes/other/main
run_adr new --no-edit "Use Rust"
expect_eq "no upstream, other refs: exit" 0 "$RC"
check "no upstream: only <remote>/main counts" test -f "$D/0011-use-rust.md"

# --- a remote-tracking ref that cannot be read stops allocation ----------------------
cp -a "$B" "$TMP/b2"
cd "$TMP/b2"
git pack-refs --all
mkdir -p .git/refs/remotes/origin
echo "not a ref" >.git/refs/remotes/origin/main
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "garbage ref: exit 1" 1 "$RC"
expect_contains "garbage ref: names the ref" "cannot read 'refs/remotes/origin/main'" "$ERR"
expect_unchanged "garbage ref: nothing written"

echo 1111111111111111111111111111111111111111 >.git/refs/remotes/origin/main
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "missing tip: exit 1" 1 "$RC"
expect_contains "missing tip: says so" "the tip of 'refs/remotes/origin/main' is missing or corrupt" "$ERR"
expect_unchanged "missing tip: nothing written"

# a tip whose records directory is a tree the repository does not have
MISSING=$(printf 'no such tree\n' | git hash-object --stdin)
DOCS=$(printf '040000 tree %s\tdecisions\n' "$MISSING" | git mktree --missing)
ROOT=$(printf '040000 tree %s\tdocs\n' "$DOCS" | git mktree --missing)
git update-ref refs/remotes/origin/main "$(git commit-tree -m broken "$ROOT")"
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "missing records tree: exit 1" 1 "$RC"
expect_contains "missing records tree: says so" "records directory '$D' is missing or corrupt" "$ERR"
expect_unchanged "missing records tree: nothing written"

# --- renumber: the published record keeps its number, whatever the clocks say ------
# B numbers two records offline with a clock years behind; A publishes
# another 0002. After a plain `git pull` (merge), B's 0002 has the OLDER
# commit date (the old rule kept it), yet A's published 0002 keeps 2.
BARE2=$TMP/remote2.git
git init -q --bare "$BARE2"
A2=$TMP/a2
B2=$TMP/b2r
git clone -q "file://$BARE2" "$A2" 2>/dev/null
cd "$A2"
git commit -q --allow-empty -m start
must_adr init
git push -q -u origin main
git clone -q "file://$BARE2" "$B2"
cd "$B2"
must_adr hooks install
export GIT_COMMITTER_DATE="2020-01-01T10:00:00Z" GIT_AUTHOR_DATE="2020-01-01T10:00:00Z"
must_adr new --no-edit "Use webhooks"                   # 0002, offline
must_adr new --no-edit "Retry webhooks"                 # 0003
must_adr link 3 relates-to 2
must_adr new --no-edit "Use polling"                    # 0004
must_adr supersede 2 4
printf '\nSee [webhooks](0002-use-webhooks.md).\n' >>"$D/0003-retry-webhooks.md"
git commit -qam "mention webhooks"
unset GIT_COMMITTER_DATE GIT_AUTHOR_DATE
cd "$A2"
must_adr new --no-edit "Use pnpm"                       # 0002, published
git push -q origin main
PNPM=$(git rev-parse HEAD:"$D/0002-use-pnpm.md")
cd "$B2"
git pull -q --no-rebase --no-edit origin main 2>"$TMP/pull.err"
expect_contains "post-merge: the pull brought a duplicate, which is published" \
	"adr: post-merge: warning: number 0002 is used by $D/0002-use-pnpm.md (published) and $D/0002-use-webhooks.md on refs/heads/main" \
	"$(cat "$TMP/pull.err")"
expect_contains "post-merge: says how to fix it" "adr: post-merge: the merge brought duplicate numbers; run 'adr renumber'" \
	"$(cat "$TMP/pull.err")"
check "pull: both 0002 on B" test -f "$D/0002-use-pnpm.md" -a -f "$D/0002-use-webhooks.md"
expect_eq "B's 0002 has the older commit date" "2020-01-01" \
	"$(git log --diff-filter=A --format=%cs -- "$D/0002-use-webhooks.md" | tail -1)"

# without the remote-tracking branch, the old rule would keep B's (older) record
cp -a "$B2" "$TMP/b2-unpublished"
git -C "$TMP/b2-unpublished" update-ref -d refs/remotes/origin/main
(cd "$TMP/b2-unpublished" && run_adr renumber --dry-run --json && printf '%s' "$OUT" >"$TMP/unpub.json")
OUT=$(cat "$TMP/unpub.json")
expect_json "unpublished: the older one keeps 2" '[(i["old_path"].split("/")[-1], i["reason"]) for i in d["renumbered"]]' \
	'[["0002-use-pnpm.md","older"]]'

# both published: the older one keeps it (today's rule), and says both are
cp -a "$B2" "$TMP/b2-both"
git -C "$TMP/b2-both" update-ref refs/remotes/origin/main "$(git -C "$B2" rev-parse main)"
(cd "$TMP/b2-both" && run_adr renumber --dry-run && printf '%s' "$OUT" >"$TMP/both.out")
expect_contains "both published: the older keeps it, said why" \
	"$D/0002-use-pnpm.md -> $D/0005-use-pnpm.md (0002 stays with 0002-use-webhooks.md: both are published; it was added first)" \
	"$(cat "$TMP/both.out")"

# --- list and show name the duplicate, which is published, and the fix ---------------
cd "$B2"
run_adr list
expect_eq "list: exit" 0 "$RC"
expect_contains "list: pnpm marked" "0002* accepted" "$OUT"
expect_eq "list: two marked lines" 2 "$(grep -c '^0002\*' <<<"$OUT")"
expect_contains "list: others unmarked" "0003  accepted" "$OUT"
expect_contains "list: hint names both, the published one, and the fix" \
	"adr: warning: number 0002 is used by 2 records: $D/0002-use-pnpm.md \"Use pnpm\" (published), $D/0002-use-webhooks.md \"Use webhooks\"; run 'adr renumber': the published one keeps the number, the others get new ones" "$ERR"
run_adr list --json
expect_json "list --json: duplicate and published" \
	'[(r["number"], r["path"].split("/")[-1], r["duplicate"], r.get("published")) for r in d if r["number"] <= 3]' \
	'[[1,"0001-record-decisions-in-git.md",false,null],[2,"0002-use-pnpm.md",true,true],[2,"0002-use-webhooks.md",true,false],[3,"0003-retry-webhooks.md",false,null]]'
# from the search index too
cp -a "$B2" "$TMP/b2-index"
(cd "$TMP/b2-index" && "$ADR" index >/dev/null && run_adr list && printf '%s\n%s' "$OUT" "$ERR" >"$TMP/ix.out")
check "list from the index uses it" test -d "$TMP/b2-index/.git/adr"
expect_eq "list from the index: two marked lines" 2 "$(grep -c '^0002\*' "$TMP/ix.out")"
expect_contains "list from the index: hint" "number 0002 is used by 2 records: $D/0002-use-pnpm.md \"Use pnpm\" (published)" "$(cat "$TMP/ix.out")"
# a remote-tracking branch that cannot be read: still listed, said once
cp -a "$B2" "$TMP/b2-badref"
(cd "$TMP/b2-badref" && git pack-refs --all && echo "not a ref" >.git/refs/remotes/origin/main &&
	run_adr list --json && printf '%s' "$OUT" >"$TMP/bad.json" && printf '%s' "$ERR" >"$TMP/bad.err")
OUT=$(cat "$TMP/bad.json")
expect_json "bad ref: duplicates still marked, published unknown" \
	'[(r["duplicate"], "published" in r) for r in d if r["number"] == 2]' '[[true,false],[true,false]]'
expect_contains "bad ref: says why" "cannot tell which records are published" "$(cat "$TMP/bad.err")"
cd "$TMP/b2-badref"
snapshot_state
run_adr check
expect_eq "bad ref: check fails" 1 "$RC"
expect_contains "bad ref: check names the ref" "adr: cannot read 'refs/remotes/origin/main': corrupted" "$ERR"
expect_unchanged "bad ref: check writes nothing"
cd "$B2"

run_adr check
expect_eq "check: duplicate: exit 1" 1 "$RC" # read-only
expect_contains "check: says which is published and keeps it" \
	"$D/0002-use-webhooks.md:1:1: number 0002 is also used by $D/0002-use-pnpm.md, which is published: it keeps the number, this one is not published and is the one to renumber [duplicate-number]" "$OUT"
(cd "$TMP/b2-both" && run_adr check && printf '%s' "$OUT" >"$TMP/both.check")
expect_contains "check: both published" "number 0002 is also used by $D/0002-use-pnpm.md; both are published [duplicate-number]" "$(cat "$TMP/both.check")"
snapshot_state
run_adr show 2
expect_eq "show 2: refused" 1 "$RC" # read-only
expect_eq "show 2: nothing on stdout" "" "$OUT"
expect_contains "show 2: names both and the fix" \
	"adr: number 0002 is used by 2 records: $D/0002-use-pnpm.md \"Use pnpm\" (published), $D/0002-use-webhooks.md \"Use webhooks\"; run 'adr renumber'" "$ERR"
run_adr show 2 --json
expect_eq "show 2 --json: refused" 1 "$RC" # read-only
expect_eq "show 2 --json: nothing on stdout" "" "$OUT"
expect_contains "show 2 --json: says why" "number 0002 is used by 2 records" "$ERR"
expect_unchanged "show 2: nothing written"
run_adr show 3
expect_eq "show 3: not a duplicate, shown" 0 "$RC"

# --- pre-push: pushing the duplicate warns, and the push goes on -------------------------
cd "$B2"
cp -a "$BARE2" "$TMP/copy2.git"
git push -q "file://$TMP/copy2.git" main 2>"$TMP/push.err"
expect_eq "pre-push: the push went on" "$(git rev-parse main)" "$(git --git-dir="$TMP/copy2.git" rev-parse main)"
expect_contains "pre-push: names the duplicate and the published record" \
	"adr: pre-push: warning: number 0002 is used by $D/0002-use-pnpm.md (published) and $D/0002-use-webhooks.md in what is being pushed to file://$TMP/copy2.git refs/heads/main" \
	"$(cat "$TMP/push.err")"
expect_contains "pre-push: says how to fix it" "adr: pre-push: the push goes on; to fix it, run 'adr renumber'" "$(cat "$TMP/push.err")"
# another branch, and a deletion, are not the decision branch's numbers
git push -q "file://$TMP/copy2.git" main:refs/heads/other 2>"$TMP/push-other.err"
expect_eq "pre-push: another branch: silent" "" "$(cat "$TMP/push-other.err")"
git --git-dir="$TMP/copy2.git" symbolic-ref HEAD refs/heads/other
git push -q "file://$TMP/copy2.git" :refs/heads/main 2>"$TMP/push-del.err"
expect_eq "pre-push: a deletion: silent" "" "$(cat "$TMP/push-del.err")"
check "pre-push: deleted" test -z "$(git --git-dir="$TMP/copy2.git" for-each-ref refs/heads/main)"
# what git cannot have written: reported in one line, exit 0
echo garbage >"$TMP/garbage.in"
run_adr hook pre-push -- origin "file://$BARE2" <"$TMP/garbage.in"
expect_eq "pre-push: a line that is not an update: exit 0" 0 "$RC"
expect_contains "pre-push: a line that is not an update: said" "adr: pre-push: 'garbage' is not '<local ref> <local id> <remote ref> <remote id>'" "$ERR"
run_adr hook pre-push -- origin "file://$BARE2" <<<"refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main 0000000000000000000000000000000000000000"
expect_eq "pre-push: a commit this repository lacks: exit 0" 0 "$RC"
expect_contains "pre-push: a commit this repository lacks: said" "adr: pre-push: cannot read commit 1111111111111111111111111111111111111111, which is being pushed" "$ERR"

cd "$B2"
BEFORE=$(commit_count "$B2")
run_adr renumber --json
expect_eq "renumber: exit" 0 "$RC"
expect_json "renumber --json: the unpublished one moved" \
	'[(i["old_path"], i["new_path"], i["published"], i["kept_path"], i["kept_published"], i["reason"]) for i in d["renumbered"]]' \
	"[[\"$D/0002-use-webhooks.md\",\"$D/0005-use-webhooks.md\",false,\"$D/0002-use-pnpm.md\",true,\"published\"]]"
expect_json "renumber --json: commit and counts" '[d["dry_run"], len(d["commit"]), d["records_rewritten"]]' '[false,40,2]'
expect_eq "renumber: one commit" "$((BEFORE + 1))" "$(commit_count "$B2")"
expect_eq "published record untouched" "$PNPM" "$(git rev-parse HEAD:"$D/0002-use-pnpm.md")"
check "renamed" test -f "$D/0005-use-webhooks.md" -a ! -e "$D/0002-use-webhooks.md"
F3=$(cat "$D/0003-retry-webhooks.md")
expect_contains "link follows the renumbered record" "links: [relates-to 5]" "$F3"
expect_contains "Markdown link follows" "[webhooks](0005-use-webhooks.md)" "$F3"
F4=$(cat "$D/0004-use-polling.md")
expect_contains "supersession follows" "supersedes: [5]" "$F4"
expect_contains "renamed record keeps its supersession" "superseded-by: [4]" "$(cat "$D/0005-use-webhooks.md")"
expect_not_contains "the pnpm record is not linked" "relates-to" "$(cat "$D/0002-use-pnpm.md")"
check "renumber: fsck" fsck_clean "$B2"
check "renumber: status clean" status_clean "$B2"
run_adr check
expect_eq "check passes after renumber" 0 "$RC"
run_adr list
expect_not_contains "list: no marker after renumber" "*" "$OUT"
expect_eq "list: no hint after renumber" "" "$ERR"
git push -q origin main 2>"$TMP/push-fixed.err"
expect_eq "pre-push after renumber: silent" "" "$(cat "$TMP/push-fixed.err")"
expect_eq "pushed as a fast-forward" "$(git -C "$B2" rev-parse main)" "$(git --git-dir="$BARE2" rev-parse main)"

# --- over git://: a git daemon on 127.0.0.1, started and stopped by this test ----------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$TMP/daemon"
git clone -q --bare "$BARE2" "$TMP/daemon/log.git"
git daemon --enable=receive-pack --base-path="$TMP/daemon" --export-all --reuseaddr \
	--listen=127.0.0.1 --port="$PORT" "$TMP/daemon" 2>"$TMP/daemon.log" &
DAEMON_PID=$!
trap 'kill "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; cleanup_tmp' EXIT
URL="git://127.0.0.1:$PORT/log.git"
for _ in $(seq 1 100); do # at most 10 s
	git ls-remote "$URL" >/dev/null 2>&1 && break
	sleep 0.1
done
check "git daemon answers" git ls-remote "$URL"
G1=$TMP/g1
G2=$TMP/g2
git clone -q "$URL" "$G1"
git clone -q "$URL" "$G2"
cd "$G2"
must_adr hooks install
must_adr new --no-edit "Use tabs"                 # offline: 0006
cd "$G1"
must_adr new --no-edit "Use spaces"               # 0006, published first
must_adr new --no-edit "Use editorconfig"         # 0007
git push -q origin main
cd "$G2"
git pull -q --no-rebase --no-edit 2>"$TMP/g-pull.err"
expect_contains "git://: post-merge warns" "number 0006 is used by $D/0006-use-spaces.md (published) and $D/0006-use-tabs.md on refs/heads/main" "$(cat "$TMP/g-pull.err")"
run_adr renumber
expect_eq "git://: renumber: exit" 0 "$RC"
expect_eq "git://: the unpublished one yields, past the published numbers" \
	"$D/0006-use-tabs.md -> $D/0008-use-tabs.md (0006 stays with 0006-use-spaces.md: it is published, this one is not)" "$OUT"
git push -q 2>"$TMP/g-push.err"
expect_eq "git://: pre-push after renumber: silent" "" "$(cat "$TMP/g-push.err")"
expect_eq "git://: pushed" "$(git rev-parse main)" "$(git --git-dir="$TMP/daemon/log.git" rev-parse main)"
cd "$G1"
git fetch -q
run_adr new --no-edit "Use clang-format"
expect_eq "git://: new after fetch: exit" 0 "$RC"
check "git://: new after fetch: 0009, past G2's published 0008" test -f "$D/0009-use-clang-format.md"
check "git://: fsck G1" fsck_clean "$G1"
check "git://: fsck G2" fsck_clean "$G2"
check "git://: fsck the remote" fsck_clean "$TMP/daemon/log.git"
kill "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true

check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
finish
