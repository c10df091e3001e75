#!/usr/bin/env bash
# adr index: a full build, incremental updates that examine only the new
# commits and parse only the changed records (debug counters), rebuilds on
# request, and an index that is deleted, truncated, garbage, of another
# schema or built on a rewritten history: detected and rebuilt, no command
# failing because of it.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
IDX=.git/adr/index.db

run_adr list
expect_eq "list on an unborn branch" 0 "$RC"
check "list creates no index directory" test ! -e .git/adr
run_adr index
expect_eq "index on an unborn branch" 0 "$RC"
expect_contains "empty index" "0 records" "$OUT"

"$ADR" init >/dev/null
for t in "Use PostgreSQL" "Use Kafka" "Adopt trunk-based development"; do
	"$ADR" new --no-edit "$t" >/dev/null
done
N=$(commit_count "$R")

set +e
ADR_DEBUG_STATS=1 "$ADR" index --rebuild >"$TMP/out" 2>"$TMP/err"
RC=$?
set -e
expect_eq "full index" 0 "$RC"
expect_eq "full: every commit examined" "commits examined: $N, trees diffed: $N, blobs parsed: 4" "$(cat "$TMP/err")"
expect_contains "full: records" "4 records indexed at $(git rev-parse --short=12 HEAD)" "$(cat "$TMP/out")"

# one new commit: only that commit, only that blob
"$ADR" new --no-edit "Record the fifth decision" >/dev/null
run_adr index --json
expect_json "json: commits examined" 'd["commits_examined"]' 1
expect_json "json: blobs parsed" 'd["blobs_parsed"]' 1
expect_json "json: records" 'd["records"]' 5
expect_json "json: not rebuilt" 'd["rebuilt"]' false
expect_json "json: commit" 'd["commit"]' "\"$(git rev-parse HEAD)\""

# an edit of one record re-parses that record only
"$ADR" status 2 deprecated >/dev/null
set +e
ADR_DEBUG_STATS=1 "$ADR" index >/dev/null 2>"$TMP/err"
set -e
expect_eq "status change: one commit, one blob" "commits examined: 1, trees diffed: 1, blobs parsed: 1" "$(cat "$TMP/err")"
run_adr search --status deprecated postgresql
expect_contains "the change is in the index" "0002" "$OUT"

# up to date: nothing examined
set +e
ADR_DEBUG_STATS=1 "$ADR" index >/dev/null 2>"$TMP/err"
set -e
expect_eq "up to date: nothing" "commits examined: 0, trees diffed: 0, blobs parsed: 0" "$(cat "$TMP/err")"

run_adr index --check --json
expect_json "a sound index passes the full check" 'd["rebuilt"]' 'false'

# list reads the index when there is one: the same lines as from git
"$ADR" new --no-edit --tag Infra --status proposed "Move to Kubernetes" >/dev/null
printf -- '---\nstatus: Maybe\n---\n# Odd status\n' >odd.md
git add odd.md && git mv odd.md docs/decisions/0007-odd-status.md && git commit -qm "odd status by hand"
for args in "" "--status proposed" "--tag infra" "--status deprecated"; do
	"$ADR" index >/dev/null
	set +e
	# shellcheck disable=SC2086
	WITH=$("$ADR" list $args 2>&1)
	mv "$IDX" "$TMP/saved.db"
	# shellcheck disable=SC2086
	WITHOUT=$("$ADR" list $args 2>&1)
	set -e
	check "list [$args] does not build an index" test ! -e "$IDX"
	mv "$TMP/saved.db" "$IDX"
	expect_eq "list [$args]: index and git agree" "$WITHOUT" "$WITH"
done
expect_contains "odd status listed" "Maybe" "$("$ADR" list 2>/dev/null)"
git rm -q docs/decisions/0007-odd-status.md docs/decisions/0006-move-to-kubernetes.md
git commit -qm "drop the odd ones"

# plain git changes are seen too: a record deleted, one added by hand
git rm -q docs/decisions/0003-use-kafka.md
git commit -qm "drop kafka"
run_adr list
expect_not_contains "deleted record gone from list" "Use Kafka" "$OUT"
run_adr search kafka
expect_eq "deleted record gone from search: exit" 0 "$RC"
expect_eq "deleted record gone from search" "" "$OUT"

# deleted index: rebuilt by whatever needs it
rm -f "$IDX"
run_adr search postgresql
expect_contains "search after delete" "0002" "$OUT"
check "index recreated" test -s "$IDX"

# truncated
SIZE=$(stat -c %s "$IDX")
truncate -s $((SIZE / 2)) "$IDX"
run_adr search postgresql
expect_eq "search after truncate: exit" 0 "$RC"
expect_contains "search after truncate" "0002" "$OUT"
truncate -s $((SIZE / 3)) "$IDX"
run_adr index --json
expect_json "truncate detected" 'd["reason"]' '"index is corrupt"'
expect_json "truncate rebuilt" 'd["rebuilt"]' 'true'
expect_json "rebuilt count" 'd["records"]' '4'

# garbage
head -c 100000 /dev/urandom >"$IDX"
run_adr list
expect_eq "list after garbage: exit" 0 "$RC"
expect_contains "list after garbage" "0002" "$OUT"
printf 'not a database at all' >"$IDX"
run_adr stats --json
expect_eq "stats after garbage: exit" 0 "$RC"
expect_json "stats after garbage" 'd["records"]' '4'
printf 'SQLite format 3\0garbage garbage garbage' >"$IDX"
run_adr index --json
expect_json "fake header detected" 'd["rebuilt"]' 'true'
# garbage in the middle of a sound file: the full check finds it
SIZE=$(stat -c %s "$IDX")
dd if=/dev/urandom of="$IDX" bs=1 seek=$((SIZE / 2)) count=4096 conv=notrunc 2>/dev/null
run_adr index --check --json
expect_eq "check after scribble: exit" 0 "$RC"
expect_json "scribble detected" 'd["rebuilt"]' 'true'
run_adr search postgresql
expect_contains "search after scribble" "0002" "$OUT"

# another schema version
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()" "$IDX"
run_adr index --json
expect_json "old schema detected" 'd["reason"]' '"index schema 99, want 9"'
# schema 5 had no decision_merge in its history: rebuilt, never read as 6
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('ALTER TABLE hist DROP COLUMN decision_merge'); c.execute('PRAGMA user_version=5'); c.commit()" "$IDX"
run_adr index --json
expect_json "schema 5 detected" 'd["reason"]' '"index schema 5, want 9"'
expect_json "schema 5 rebuilt" 'd["rebuilt"]' 'true'
run_adr search postgresql
expect_contains "search after the schema 5 rebuild" "0002" "$OUT"
# schema 6 had no first response or end of a decision in its history: rebuilt
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('ALTER TABLE hist DROP COLUMN ended_time'); c.execute('ALTER TABLE hist DROP COLUMN first_response_time'); c.execute('PRAGMA user_version=6'); c.commit()" "$IDX"
run_adr index --json
expect_json "schema 6 detected" 'd["reason"]' '"index schema 6, want 9"'
expect_json "schema 6 rebuilt" 'd["rebuilt"]' 'true'
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE rec'); c.commit()" "$IDX"
run_adr search postgresql
expect_contains "missing table: rebuilt" "0002" "$OUT"
# damage found only while reading: the search and the metrics rebuild and ask again
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM fts_data WHERE id > 1'); c.commit()" "$IDX"
run_adr search postgresql
expect_eq "damaged fts: exit" 0 "$RC"
expect_contains "damaged fts: rebuilt and found" "0002" "$OUT"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE hist'); c.commit()" "$IDX"
run_adr stats --json
expect_eq "missing history table: exit" 0 "$RC"
expect_json "missing history table: rebuilt" 'd["records"]' '4'
run_adr index --check --json
expect_json "sound again" 'd["rebuilt"]' 'false'

# the stored record count is the oracle: rows missing behind its back
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM rec WHERE id = (SELECT min(id) FROM rec)'); c.commit()" "$IDX"
run_adr index --json
expect_json "missing row detected" 'd["reason"]' '"index is corrupt"'
expect_json "missing row: rebuilt" 'd["records"]' '4'

# a build killed midway leaves its temporary file: the next build removes it
sh -c 'exit 0' &
DEAD=$!
wait $DEAD
: >".git/adr/index.db.tmp.$DEAD"
: >".git/adr/index.db.tmp.$DEAD-wal"
: >".git/adr/index.db.tmp.$$"
run_adr index --rebuild
expect_eq "rebuild beside stale files: exit" 0 "$RC"
expect_eq "stale build removed" "" "$(ls .git/adr | grep "tmp.$DEAD" || true)"
check "a live builder's file is left alone" test -e ".git/adr/index.db.tmp.$$"
rm -f ".git/adr/index.db.tmp.$$"

# rewritten history: the indexed commit is no longer on the branch
"$ADR" index >/dev/null
git reset -q --hard HEAD~2
"$ADR" new --no-edit "Rewritten history" >/dev/null
run_adr index --json
expect_json "rewrite detected" 'd["reason"]' '"indexed commit is gone"'
run_adr search rewritten
expect_contains "rewritten record found" "Rewritten history" "$OUT"
run_adr search deprecated
expect_eq "a dropped commit's change is gone: exit" 0 "$RC"
expect_eq "a dropped commit's change is gone" "" "$(echo "$OUT" | grep deprecated || true)"

# an index directory that cannot be made: `adr index` fails, said clearly
# (a file in its way works even for root, whom permissions do not stop);
# search reads git instead and says so once (F15, see t_reader_safety)
mv .git/adr "$TMP/adr-saved"
: >.git/adr
snapshot_state . .git/adr
run_adr index
expect_eq "no index directory: exit 1" 1 "$RC"
expect_unchanged "no index directory: exit 1: nothing changed"
expect_eq "no index directory: names the file" "adr: index: cannot write '$R/.git/adr/index.db': Not a directory" "$ERR"
run_adr search rewritten
expect_eq "no index directory: search reads git" 0 "$RC"
expect_contains "no index directory: search finds it" "Rewritten history" "$OUT"
expect_eq "no index directory: search says so" "adr: warning: index: cannot write '$R/.git/adr/index.db': Not a directory; reading git directly (slower)" "$ERR"
run_adr list
expect_eq "list still works without the index" 0 "$RC"
expect_contains "list from git" "Rewritten history" "$OUT"
rm .git/adr
mv "$TMP/adr-saved" .git/adr

# a linked worktree shares the index of the common git directory
git worktree add -q "$TMP/wt"
run_adr -C "$TMP/wt" search rewritten
expect_contains "worktree: search" "Rewritten history" "$OUT"
check "worktree: no index of its own" test ! -e "$R/.git/worktrees/wt/adr"

# several processes finding no index at once: all answer, one index remains
rm -f "$IDX"
for i in 1 2 3 4; do
	("$ADR" search rewritten >"$TMP/par$i.out" 2>"$TMP/par$i.err"; echo $? >"$TMP/par$i.rc") &
done
wait
for i in 1 2 3 4; do
	expect_eq "parallel $i: exit" 0 "$(cat "$TMP/par$i.rc")"
	expect_contains "parallel $i: found" "Rewritten history" "$(cat "$TMP/par$i.out")"
done
expect_eq "parallel: no temporary files left" "index.db" "$(ls .git/adr | grep -v -- '-wal$\|-shm$\|^records\.cache$\|^max-numbers$' | tr '\n' ' ' | sed 's/ $//')"
run_adr index --check --json
expect_json "parallel: index sound" 'd["rebuilt"]' 'false'
git worktree remove "$TMP/wt"

# nothing in the work tree, nothing in git
check "git status clean" status_clean "$R"
check "fsck clean" fsck_clean "$R"
finish
