#!/usr/bin/env bash
# adr index on a history that mixes code commits with decisions (merges, an
# octopus, a second root, renames, deletes, accepted proposals, commits in
# the same second: tests/fixtures/history/make-mixed.sh). A full build walks
# the history on two threads; an incremental update walks the new commits
# on one. Both must hold the same facts: the index's rows, `stats --json`,
# `list` and `search` agree between a full build and a build of an older
# tip brought up to date. A shallow clone (one-thread walk, stopped at its
# boundary) lists the same records.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
"$ADR_FIXTURES/history/make-mixed.sh" "$R" >/dev/null 2>&1
cd "$R"
IDX=.git/adr/index.db
TIP=$(git rev-parse main)
TOTAL=$(commit_count "$R")

# Every row of the index's tables but the record rows' ids, sorted.
rows() {
	python3 - "$IDX" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT * FROM hist ORDER BY path"):
    print("hist", repr(row))
for row in db.execute("SELECT * FROM rec ORDER BY path"):
    print("rec", repr(row[1:]))
EOF
}

# An older tip, indexed in full, then brought up to date.
git update-ref refs/heads/main "$TIP~25"
must_adr index --rebuild
git update-ref refs/heads/main "$TIP"
run_adr index --json
expect_eq "incremental update" 0 "$RC"
# the regular files named NNNN-*.md (not the symlink)
NREC=$(git ls-tree main docs/decisions/ | awk '$1 == "100644" && $4 ~ /\/[0-9]+-.*\.md$/' | wc -l)
expect_json "incremental: records" 'd["records"]' "$NREC"
EXAMINED=$(echo "$OUT" | json_val 'd["commits_examined"]')
check "incremental: only the new commits examined ($EXAMINED of $TOTAL)" test "$EXAMINED" -lt "$TOTAL"
A_ROWS=$(rows)
A_STATS=$("$ADR" stats --json)
A_LIST=$("$ADR" list)
A_SEARCH=$("$ADR" search record)

run_adr index --rebuild --json
expect_eq "full build" 0 "$RC"
expect_json "full: every commit examined" 'd["commits_examined"]' "$TOTAL"
check "full build holds rows" test -n "$(rows)"
expect_eq "same rows: full build and incremental" "$A_ROWS" "$(rows)"
expect_eq "same stats --json" "$A_STATS" "$("$ADR" stats --json)"
expect_eq "same list" "$A_LIST" "$("$ADR" list)"
expect_eq "same search" "$A_SEARCH" "$("$ADR" search record)"
expect_contains "accepted proposal listed" "delta" "$A_LIST"
expect_not_contains "a symlink is not listed" "0950" "$A_LIST"

# A shallow clone: its own walk, the same records.
S=$TMP/shallow
git clone -q --depth 40 "file://$R" "$S"
cd "$S"
run_adr index --rebuild
expect_eq "shallow: index" 0 "$RC"
expect_contains "shallow: says so" "shallow" "$OUT$ERR"
check "shallow: index written" test -s .git/adr/index.db
expect_eq "shallow: same list" "$A_LIST" "$("$ADR" list)"

finish
