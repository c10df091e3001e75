#!/usr/bin/env bash
# A shallow clone whose history holds an accepted proposal (found while
# reaching the error sites of lib/git/history.c for issue 11): libgit2 1.5's
# revwalk fails on the parents a shallow clone lacks, and counting the
# proposal's comments used it, so `adr index` and `adr stats` failed with
# "cannot walk a proposal branch: object not found". The count now stops at
# the shallow boundary like the rest of the walk: the clone gives the same
# facts as the full repository.
source "$(dirname "$0")/lib.sh"

R=$TMP/full
new_repo "$R"
cd "$R"
git checkout -q -b main
run_adr init
expect_eq "init" 0 "$RC"
for i in 1 2 3 4; do
	run_adr new "Old $i"
	expect_eq "new $i" 0 "$RC"
done
run_adr propose --no-edit Use PostgreSQL
expect_eq "propose" 0 "$RC"
run_adr comment use-postgresql -m "looks good"
expect_eq "comment" 0 "$RC"
run_adr comment use-postgresql -m "agreed" --approve
expect_eq "approve" 0 "$RC"
run_adr accept use-postgresql
expect_eq "accept" 0 "$RC"
run_adr stats --json
expect_eq "full: stats" 0 "$RC"
expect_json "full: proposals" 'd["proposals"]' 1
expect_json "full: comments per proposal" 'd["comments_per_proposal"]' 2

# Five commits deep: the accept merge, the proposal branch (propose and two
# comments) and main down to "Old 2", whose parent is not in the clone.
C=$TMP/shallow
git clone -q --depth 5 "file://$R" "$C"
cd "$C"
check "the clone is shallow" test -s .git/shallow
missing_parent() {
	local b p
	for b in $(cat .git/shallow); do
		p=$(git cat-file -p "$b" | sed -n 's/^parent //p' | head -n1)
		if [ -n "$p" ] && ! git cat-file -e "$p" 2>/dev/null; then return 0; fi
	done
	return 1
}
check "a boundary commit's parent is not in the clone" missing_parent
run_adr index
expect_eq "shallow: index exit ($ERR)" 0 "$RC"
expect_contains "shallow: index says it is shallow" "shallow clone" "$ERR"
expect_contains "shallow: index" "6 records indexed" "$OUT"
run_adr stats --json
expect_eq "shallow: stats exit ($ERR)" 0 "$RC"
expect_json "shallow: proposals" 'd["proposals"]' 1
expect_json "shallow: comments per proposal" 'd["comments_per_proposal"]' 2
expect_eq "shallow: nothing changed" "" "$(git status --porcelain)"

finish
