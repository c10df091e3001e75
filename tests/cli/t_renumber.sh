#!/usr/bin/env bash
# Two branches each add a record 0007 (the collision code hosts cannot see):
# adr check --all-refs finds it before the merge; after both are merged,
# adr renumber gives the later one the next free number in one commit,
# rewriting every link that meant it, and adr check passes.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
export ADR_NOW=2026-11-21

must_adr init
for t in Two Three Four Five Six; do must_adr new --no-edit "Decision $t"; done

rec() { # FILE CONTENT: committed on the current branch, by hand
	printf '%s' "$2" >"$D/$1"
	git add "$D/$1" && git commit -qm "add $1"
}
# distinct commit times, so "added first" is well defined
export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
git checkout -q -b feature-a
GIT_COMMITTER_DATE=$(date -d '+1 hour' -R) GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE
rec 0007-use-redis.md "---
status: accepted
date: 2026-11-20
---
# Use Redis
"
git checkout -q main
git checkout -q -b feature-b
GIT_COMMITTER_DATE=$(date -d '+2 hours' -R) GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE
rec 0007-use-memcached.md "---
status: superseded
date: 2026-11-20
superseded-by: [8]
---
# Use Memcached
"
rec 0008-tune-memcached.md "---
status: accepted
date: 2026-11-20
supersedes: [7]
---
# Tune Memcached

Replaces [Use Memcached](0007-use-memcached.md) and [its anchor](./0007-use-memcached.md#context).
Unrelated: [Use Redis](0007-use-redis.md) is not renamed.
"
git checkout -q main

run_adr check
expect_eq "main alone: clean" 0 "$RC"
run_adr check --all-refs
expect_eq "--all-refs: collision found" 1 "$RC"
expect_contains "--all-refs: both records named" "number 0007 is used by different records across branches: 0007-use-memcached.md on refs/heads/feature-b; 0007-use-redis.md on refs/heads/feature-a" "$OUT"

GIT_COMMITTER_DATE=$(date -d '+3 hours' -R) GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE
git merge -q --no-ff -m "merge a" feature-a
git merge -q --no-ff -m "merge b" feature-b
unset GIT_COMMITTER_DATE GIT_AUTHOR_DATE
run_adr check # read-only
expect_eq "after merging both: duplicate found" 1 "$RC"
expect_contains "duplicate on the branch" "number 0007 is also used by" "$OUT"
run_adr list
expect_contains "list: neither published, marked" "0007* accepted" "$OUT"
expect_contains "list: the fix for unpublished duplicates" "number 0007 is used by 2 records: $D/0007-use-memcached.md \"Use Memcached\", $D/0007-use-redis.md \"Use Redis\"; run 'adr renumber': the first-added one keeps the number, the others get new ones" "$ERR"

BEFORE=$(commit_count "$R")
run_adr renumber --dry-run
expect_eq "dry run exit" 0 "$RC"
expect_eq "dry run plan" "$D/0007-use-memcached.md -> $D/0009-use-memcached.md (0007 stays with 0007-use-redis.md: it was added first)" "$OUT"
run_adr renumber --dry-run --json
expect_json "dry run --json: neither published, the older keeps it" '[(i["new_number"], i["published"], i["kept_path"], i["kept_published"], i["reason"]) for i in d["renumbered"]] + [d["dry_run"], d["commit"]]' "[[9,false,\"$D/0007-use-redis.md\",false,\"older\"],true,null]"
expect_eq "dry run writes nothing" "$BEFORE" "$(commit_count "$R")"

run_adr renumber
expect_eq "renumber exit" 0 "$RC"
expect_eq "renumber prints the rename and why" "$D/0007-use-memcached.md -> $D/0009-use-memcached.md (0007 stays with 0007-use-redis.md: it was added first)" "$OUT"
expect_eq "renumber: one commit" "$((BEFORE + 1))" "$(commit_count "$R")"
check "renumber: fsck --strict" fsck_clean "$R"
check "renumber: git status clean" status_clean "$R"
expect_eq "renumber: files changed" "A	$D/0009-use-memcached.md
D	$D/0007-use-memcached.md
M	$D/0008-tune-memcached.md" "$(git show --no-renames --format= --name-status HEAD | sort)"
expect_contains "renumber: trailer" "Adr-Renumber: 0007 -> 0009" "$(git log -1 --format=%B)"
expect_contains "kept record stays" "# Use Redis" "$(cat $D/0007-use-redis.md)"
F=$(cat $D/0008-tune-memcached.md)
expect_contains "supersedes rewritten" "supersedes: [9]" "$F"
expect_contains "markdown link rewritten" "Replaces [Use Memcached](0009-use-memcached.md)" "$F"
expect_contains "anchored link rewritten" "[its anchor](./0009-use-memcached.md#context)" "$F"
expect_contains "link to the kept record untouched" "[Use Redis](0007-use-redis.md)" "$F"
expect_contains "renamed record keeps its links" "superseded-by: [8]" "$(cat $D/0009-use-memcached.md)"
run_adr check
expect_eq "check passes after renumber" 0 "$RC"
expect_eq "check prints nothing" "" "$OUT"

run_adr renumber
expect_eq "nothing to renumber: exit 0" 0 "$RC"
expect_contains "nothing to renumber: said" "no duplicate numbers" "$ERR"
expect_eq "nothing to renumber: no commit" "$((BEFORE + 1))" "$(commit_count "$R")"
snapshot_state
run_adr renumber extra
expect_eq "extra argument is usage" 2 "$RC"
expect_contains "extra argument is usage: says why" "adr: unexpected argument 'extra'" "$ERR"
expect_unchanged "extra argument is usage: nothing changed"

# Two records added by one commit: the history does not tell, the file name does.
printf -- '---\nstatus: accepted\ndate: 2026-11-20\n---\n# A one\n' >$D/0010-a-one.md
printf -- '---\nstatus: accepted\ndate: 2026-11-20\n---\n# B two\n' >$D/0010-b-two.md
git add $D && git commit -qm "two at once"
run_adr renumber --dry-run
expect_eq "one commit: by file name" "$D/0010-b-two.md -> $D/0011-b-two.md (0010 stays with 0010-a-one.md: the history does not tell which came first; its name sorts first)" "$OUT"
run_adr renumber --dry-run --json
expect_json "one commit: --json reason" '[i["reason"] for i in d["renumbered"]]' '["name"]'
git rm -q $D/0010-a-one.md $D/0010-b-two.md && git commit -qm "drop them"

# A record that cannot be read stops renumbering (it would hide a number).
printf -- '---\nstatus: [\n---\n# Broken\n' >$D/0003-broken.md
git add -A && git commit -qm broken
snapshot_state
run_adr renumber
expect_eq "broken record: exit 1" 1 "$RC"
expect_unchanged "broken record: exit 1: nothing changed"
expect_contains "broken record named" "0003-broken.md" "$ERR"

finish
