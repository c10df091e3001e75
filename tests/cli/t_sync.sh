#!/usr/bin/env bash
# adr sync end to end: two clones of one bare remote, over file:// and over a
# git daemon started here on 127.0.0.1. Offline numbering on both sides (the
# published record keeps its number), fast-forward with the work tree,
# refusal over uncommitted work, code commits merged (and a conflicting one
# refused), proposals pushed, fast-forwarded and deleted on the remote once
# decided, --dry-run and --json. Checked with git itself.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
O=$TMP/origin.git
A=$TMP/a
B=$TMP/b
git init -q --bare "$O"
git -C "$O" config core.logAllRefUpdates always
git -C "$O" config receive.denyNonFastForwards true
as_b() { GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" GIT_COMMITTER_NAME="Bo Chen" \
	GIT_COMMITTER_EMAIL="bo@example.com" "$@"; }

new_repo "$A"
cd "$A"
must_adr init

# --- no remote: the error names it ------------------------------------------------
snapshot_state
run_adr sync
expect_eq "sync without a remote fails" 1 "$RC"
expect_contains "the error names the remote" "no remote 'origin'" "$ERR"
expect_unchanged "sync without a remote writes nothing"
run_adr sync upstream
expect_contains "a named remote that does not exist" "no remote 'upstream'" "$ERR"
run_adr sync a b # read-only
expect_eq "two remotes is a usage error" 2 "$RC"
expect_contains "the usage error names the extra argument" "unexpected argument 'b'" "$ERR"

# --- the first sync pushes the decision branch ---------------------------------------
git remote add origin "file://$O"
run_adr sync
expect_eq "first sync" 0 "$RC"
expect_contains "first sync pushes main" "out" "$OUT"
expect_contains "success only when accepted" "the remote accepted every ref" "$ERR"
expect_eq "the remote has main" "$(git rev-parse main)" "$(git -C "$O" rev-parse main)"
run_adr sync
expect_eq "second sync" 0 "$RC"
expect_contains "nothing to do" "up to date" "$ERR"
git clone -q "file://$O" "$B"

# --- a clone made while the remote was empty: its unborn branch and work tree follow -------------------
E=$TMP/empty.git
git init -q --bare "$E"
git clone -q "file://$E" "$TMP/e" 2>/dev/null
git remote add empty "file://$E"
run_adr sync empty
expect_eq "A fills the empty remote" 0 "$RC"
cd "$TMP/e"
mkdir -p $D
echo "mine" >$D/0001-record-decisions-in-git.md
snapshot_state
run_adr sync
expect_eq "an untracked file in the way is refused" 1 "$RC"
expect_contains "it names the file" "0001-record-decisions-in-git.md" "$ERR"
git update-ref -d refs/remotes/origin/main
expect_unchanged "the refusal wrote nothing but the fetch"
rm -r docs
run_adr sync
expect_eq "the empty clone syncs" 0 "$RC"
expect_eq "its branch is the remote's" "$(git -C "$A" rev-parse main)" "$(git rev-parse main)"
check "its work tree has the records" test -f $D/0001-record-decisions-in-git.md
check "the empty clone: status clean" status_clean "$TMP/e"
cd "$A"
git remote remove empty

# --- offline numbering on both clones ------------------------------------------------------
must_adr new --no-edit "Use PostgreSQL"
must_adr new --no-edit --link 2:relates-to "Use PgBouncer"
cd "$B"
as_b run_adr new --no-edit "Use Redis for caching"
expect_eq "B numbers offline" 0 "$RC"
as_b run_adr sync
expect_eq "B publishes first" 0 "$RC"
PUBLISHED=$(git -C "$O" ls-tree --name-only main $D/ | grep 0002)
expect_eq "B's record is published as 0002" "$D/0002-use-redis-for-caching.md" "$PUBLISHED"
cd "$A"
run_adr sync
expect_eq "A syncs over a collision" 0 "$RC"
expect_contains "A's local commit is integrated" "integrated" "$OUT"
expect_contains "A says what was renumbered" "renumbered  0002 -> 0004  Use PostgreSQL" "$OUT"
expect_eq "the published record kept its number" "$D/0002-use-redis-for-caching.md" \
	"$(git ls-tree --name-only main $D/ | grep 0002)"
check "A's record became 0004" git cat-file -e main:$D/0004-use-postgresql.md
check "A's other record kept 0003" git cat-file -e main:$D/0003-use-pgbouncer.md
expect_contains "its link follows the renumbered record" "4" "$(git show main:$D/0003-use-pgbouncer.md | grep -A3 '^links:')"
expect_not_contains "its link no longer names the published 0002" "target: 2" "$(git show main:$D/0003-use-pgbouncer.md)"
expect_contains "the renumbered record's heading or links are whole" "Use PostgreSQL" "$(git show main:$D/0004-use-postgresql.md)"
check "A's work tree followed" test -f $D/0004-use-postgresql.md
check "A's work tree has B's record" test -f $D/0002-use-redis-for-caching.md
check "the old file left the work tree" test ! -e $D/0002-use-postgresql.md
check "A: status clean after the integration" status_clean "$A"
expect_eq "the remote has A's tip" "$(git rev-parse main)" "$(git -C "$O" rev-parse main)"
expect_eq "numbers are unique on the remote" "" \
	"$(git -C "$O" ls-tree --name-only main $D/ | sed 's|.*/||' | cut -c1-4 | sort | uniq -d)"

# --- B is behind: fast-forward, work tree and index along --------------------------------------
cd "$B"
BEFORE=$(git rev-parse main)
as_b run_adr sync --json
expect_eq "B fast-forwards" 0 "$RC"
check "the JSON parses" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["ok"] and d["items"][0]["kind"]=="in"' "$OUT"
expect_eq "B is at the remote's tip" "$(git -C "$O" rev-parse main)" "$(git rev-parse main)"
check "B's work tree followed" test -f $D/0004-use-postgresql.md
check "B: status clean after the fast-forward" status_clean "$B"
check "B's old tip is an ancestor" git merge-base --is-ancestor "$BEFORE" main

# --- uncommitted work in the way: refused, nothing written ------------------------------------------
cd "$A"
must_adr status 4 deprecated
run_adr sync
expect_eq "A pushes the status change" 0 "$RC"
cd "$B"
echo "my notes" >>$D/0004-use-postgresql.md
snapshot_state
as_b run_adr sync
expect_eq "B refuses to overwrite uncommitted work" 1 "$RC"
expect_contains "the error names the file" "0004-use-postgresql.md" "$ERR"
expect_contains "the error says why" "uncommitted" "$ERR"
git update-ref -d refs/remotes/origin/main 2>/dev/null || true
git fetch -q origin
expect_eq "B's main did not move" "$(grep '^refs/heads/main ' "$TMP/state.before")" \
	"$(git for-each-ref --format='%(refname) %(objectname)' refs/heads/main)"
check "B's edit is still there" grep -q "my notes" $D/0004-use-postgresql.md
git checkout -q -- $D/0004-use-postgresql.md
as_b run_adr sync
expect_eq "B syncs once the edit is gone" 0 "$RC"
check "B got the status" grep -q "status: deprecated" $D/0004-use-postgresql.md
check "B: status clean" status_clean "$B"

# --- code commits are merged, never rewritten ------------------------------------------------------
cd "$A"
printf 'code\n' >app.c
git add app.c
git commit -q -m "add app.c"
CODE=$(git rev-parse HEAD)
cd "$B"
as_b run_adr new --no-edit "Use Rust"
as_b run_adr sync
expect_eq "B pushes Use Rust" 0 "$RC"
cd "$A"
run_adr sync
expect_eq "A merges its code commit" 0 "$RC"
expect_contains "A says it merged" "merged" "$OUT"
check "A's code commit was not rewritten" git merge-base --is-ancestor "$CODE" main
expect_eq "the sync made a merge commit" 2 "$(git rev-list --parents -n1 main | wc -w | tr -d ' ' | awk '{print $1-1}')"
check "A has B's record" test -f $D/0005-use-rust.md
check "A: status clean after the merge" status_clean "$A"

# --- a code conflict: refused with the path, nothing written ---------------------------------------
cd "$B"
git pull -q --no-rebase origin main 2>/dev/null || git pull -q origin main
printf 'bee\n' >app.c
git add app.c
git commit -q -m "B edits app.c"
git push -q origin main
cd "$A"
printf 'ay\n' >app.c
git add app.c
git commit -q -m "A edits app.c"
snapshot_state
run_adr sync
expect_eq "a code conflict is refused" 1 "$RC"
expect_contains "the conflict names the path" "'app.c'" "$ERR"
expect_contains "nothing was written" "nothing was written" "$ERR"
git fetch -q origin 2>/dev/null
expect_eq "A's main did not move" "$(grep '^refs/heads/main ' "$TMP/state.before")" \
	"$(git for-each-ref --format='%(refname) %(objectname)' refs/heads/main)"
git reset -q --hard HEAD^
run_adr sync
expect_eq "A syncs after dropping its edit" 0 "$RC"

# --- both sides change one record: refused, nothing written ------------------------------------------
cd "$B"
as_b must_adr sync
must_adr status 5 deprecated
as_b run_adr sync
expect_eq "B publishes its status first" 0 "$RC"
cd "$A"
must_adr status 5 rejected
snapshot_state
run_adr sync
expect_eq "both changed a record: refused" 1 "$RC"
expect_contains "the record is named" "0005-use-rust.md" "$ERR"
expect_contains "the record conflict wrote nothing" "nothing was written" "$ERR"
expect_eq "A's main did not move (record conflict)" "$(grep '^refs/heads/main ' "$TMP/state.before")" \
	"$(git for-each-ref --format='%(refname) %(objectname)' refs/heads/main)"
git reset -q --hard HEAD^
run_adr sync
expect_eq "A syncs after dropping its status" 0 "$RC"

# --- proposals ------------------------------------------------------------------------------------------
cd "$A"
must_adr propose --no-edit "Use Kafka"
BR=adr/use-kafka
run_adr sync
expect_eq "sync pushes a new proposal" 0 "$RC"
expect_contains "the proposal went out" "out         $BR" "$OUT"
expect_eq "the remote has the proposal" "$(git rev-parse $BR)" "$(git -C "$O" rev-parse $BR)"
cd "$B"
as_b run_adr sync
expect_eq "B syncs" 0 "$RC"
check "B has no local proposal branch" test -z "$(git branch --list 'adr/*')"
check "B has the remote-tracking one" git rev-parse -q --verify origin/$BR >/dev/null
as_b run_adr comment use-kafka --approve -m "Yes."
expect_eq "B comments" 0 "$RC"
as_b run_adr sync
expect_eq "B pushes its comment" 0 "$RC"
expect_contains "the comment went out" "out         $BR" "$OUT"
cd "$A"
run_adr sync
expect_eq "A fast-forwards the proposal" 0 "$RC"
expect_contains "the comment came in" "in          $BR" "$OUT"
expect_eq "A's branch has B's comment" "$(git -C "$O" rev-parse $BR)" "$(git rev-parse $BR)"
must_adr accept use-kafka
run_adr sync
expect_eq "A pushes the decision" 0 "$RC"
expect_contains "the decided branch is deleted on the remote" "deleted     $BR" "$OUT"
check "the remote no longer has the proposal" test -z "$(git -C "$O" for-each-ref refs/heads/adr/)"
cd "$B"
as_b run_adr sync
expect_eq "B syncs the decision" 0 "$RC"
expect_contains "B's branch is retired" "retired     $BR" "$OUT"
check "B has no proposal branch left" test -z "$(git for-each-ref refs/heads/adr/ refs/remotes/origin/adr/)"
check "B has the decided record" test -n "$(git ls-tree --name-only main $D/ | grep use-kafka)"

# --- decided on both clones: the published decision stands, the thread is kept ----------------------------
cd "$A"
must_adr propose --no-edit "Use Zstd"
run_adr sync
cd "$B"
as_b run_adr sync
as_b run_adr accept use-zstd
expect_eq "B accepts" 0 "$RC"
as_b run_adr sync
expect_eq "B publishes its decision" 0 "$RC"
cd "$A"
must_adr comment use-zstd -m "late but mine"
must_adr accept use-zstd
run_adr sync
expect_eq "A syncs a decision made on both sides" 0 "$RC"
expect_contains "A is told the remote's decision stands" "decided on the remote too" "$ERR"
expect_eq "the record is on the remote once" 1 "$(git -C "$O" ls-tree --name-only main $D/ | grep -c 'use-zstd')"
expect_eq "A's work tree has it once" 1 "$(ls $D | grep -c 'use-zstd')"
check "A's comment is in the remote's history" test "$(git -C "$O" log --format=%B main | grep -cx 'late but mine')" = 1
check "A: status clean after the double decision" status_clean "$A"

# --- merged by plain git (a pull request), not decided: the branches stay -----------------------------------
cd "$A"
must_adr propose --no-edit "Use Snappy"
run_adr sync
cd "$B"
as_b must_adr sync
git merge -q --no-ff --no-edit origin/adr/use-snappy
git push -q origin main
cd "$A"
run_adr sync
expect_eq "A syncs a proposal merged by git" 0 "$RC"
check "the merged, undecided branch stays on the remote" test -n "$(git -C "$O" for-each-ref refs/heads/adr/use-snappy)"
check "and in A" git rev-parse -q --verify adr/use-snappy >/dev/null
expect_not_contains "nothing says it was retired" "retired     adr/use-snappy" "$OUT"

# --- a comment made after the remote decided: kept ---------------------------------------------------------
cd "$A"
must_adr propose --no-edit "Use Brotli"
run_adr sync
cd "$B"
as_b run_adr sync
as_b run_adr accept use-brotli
as_b run_adr sync
expect_eq "B decides Brotli" 0 "$RC"
cd "$A"
must_adr comment use-brotli -m "too late?"
LATE=$(git rev-parse adr/use-brotli)
run_adr sync
check "B's sync deleted the decided branch on the remote" test -z "$(git -C "$O" for-each-ref refs/heads/adr/use-brotli)"
expect_eq "A syncs a late comment" 0 "$RC"
expect_contains "the late comment is carried to the decision" "retired     adr/use-brotli" "$OUT"
expect_eq "the late comment is on the remote's decision branch, once" 1 "$(git -C "$O" log --format=%B main | grep -cx 'too late?')"
check "A's proposal branch is retired" test -z "$(git for-each-ref refs/heads/adr/use-brotli)"
run_adr sync
expect_eq "A syncs after the late comment" 0 "$RC"

# --- a comment pushed after a decision that had not come in yet: carried, once --------------------------
cd "$A"
must_adr propose --no-edit "Use Zstd"
run_adr sync
cd "$B"
as_b run_adr sync
as_b must_adr accept use-zstd
cd "$A"
must_adr comment use-zstd -m "pushed before the decision came in"
run_adr sync
expect_eq "A pushes a comment on a proposal B has accepted offline" 0 "$RC"
check "the comment is on the remote's proposal branch" test -n "$(git -C "$O" for-each-ref refs/heads/adr/use-zstd)"
cd "$B"
as_b run_adr sync
expect_eq "B publishes the decision and takes the remote's late comment" 0 "$RC"
expect_contains "B says the branch was retired with its late comment" "retired     adr/use-zstd" "$OUT"
expect_eq "the comment is on the decision branch, once" 1 \
	"$(git -C "$O" log --format=%B main | grep -cx 'pushed before the decision came in')"
check "the remote's proposal branch is gone" test -z "$(git -C "$O" for-each-ref refs/heads/adr/use-zstd)"
check "B keeps no proposal branch" test -z "$(git for-each-ref refs/heads/adr/use-zstd)"
run_adr show use-zstd --thread
expect_contains "the decision's thread shows the comment" "pushed before the decision came in" "$OUT"
cd "$A"
run_adr sync
expect_eq "A syncs after B" 0 "$RC"
check "A keeps no proposal branch" test -z "$(git for-each-ref refs/heads/adr/use-zstd)"
expect_eq "A's main is the remote's" "$(git -C "$O" rev-parse main)" "$(git rev-parse main)"

# --- diverged comments: combined, each once (log/proposal_remote.c) -----------------------------------------
cd "$A"
must_adr propose --no-edit "Use NATS"
run_adr sync
cd "$B"
as_b run_adr sync
as_b must_adr comment use-nats -m "from B"
cd "$A"
must_adr comment use-nats -m "from A"
run_adr sync
cd "$B"
BTIP=$(git rev-parse adr/use-nats)
as_b run_adr sync
expect_eq "B syncs diverged comments" 0 "$RC"
expect_eq "combined: B's comment is on the remote, once" 1 "$(git -C "$O" log --format=%B adr/use-nats | grep -cx 'from B')"
expect_eq "combined: A's comment is on the remote, once" 1 "$(git -C "$O" log --format=%B adr/use-nats | grep -cx 'from A')"
expect_eq "combined: B's branch is the remote's" "$(git -C "$O" rev-parse adr/use-nats)" "$(git rev-parse adr/use-nats)"

# --- two different revisions of one proposal: a conflict, both sides kept -------------------------------
cd "$A"
must_adr propose --no-edit "Use Avro"
run_adr sync
cd "$B"
as_b run_adr sync
git show origin/adr/use-avro:$D/use-avro.md >"$TMP/avro-b.md"
printf '\nB: schemas live in the registry.\n' >>"$TMP/avro-b.md"
as_b must_adr revise use-avro --file "$TMP/avro-b.md"
BREV=$(git rev-parse adr/use-avro)
cd "$A"
git show adr/use-avro:$D/use-avro.md >"$TMP/avro-a.md"
printf '\nA: schemas live in the repository.\n' >>"$TMP/avro-a.md"
must_adr revise use-avro --file "$TMP/avro-a.md"
run_adr sync
expect_eq "A pushes its revision" 0 "$RC"
AREV=$(git -C "$O" rev-parse adr/use-avro)
cd "$B"
as_b run_adr sync
expect_eq "B's different revision: exit" 1 "$RC"
expect_contains "B's different revision: the conflict is listed" "conflict    adr/use-avro" "$OUT"
expect_contains "B's different revision: the error names the branch" "'refs/heads/adr/use-avro': " "$ERR"
expect_eq "B's revision is kept" "$BREV" "$(git rev-parse adr/use-avro)"
expect_eq "A's revision stays on the remote" "$AREV" "$(git -C "$O" rev-parse adr/use-avro)"
check "B's clone: fsck" fsck_clean "$B"
git branch -q -D adr/use-avro
as_b run_adr sync
expect_eq "B syncs once its own revision is dropped" 0 "$RC"

# --- --dry-run writes nothing ----------------------------------------------------------------------------
cd "$A"
must_adr new --no-edit "Use Protobuf"
snapshot_state
run_adr sync --dry-run
expect_eq "dry run" 0 "$RC"
expect_contains "dry run says what would go out" "would push" "$OUT"
expect_contains "dry run says nothing was written" "nothing written" "$ERR"
expect_unchanged "dry run: nothing changed locally"
expect_eq "dry run: the remote did not move" "$(git rev-parse origin/main)" "$(git -C "$O" rev-parse main)"
run_adr sync --dry-run --json
check "dry run JSON" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["dry_run"] and d["items"]' "$OUT"

# --- an executable file cannot follow into the work tree: refused ------------------------------------------
cd "$B"
as_b must_adr sync
printf '#!/bin/sh\n' >run.sh
chmod +x run.sh
git add run.sh
git commit -q -m "add run.sh"
git push -q origin main
cd "$A"
snapshot_state
run_adr sync
expect_eq "an executable file that arrives is refused" 1 "$RC"
expect_contains "the error names it" "run.sh" "$ERR"
expect_eq "A's main did not move (executable file)" "$(grep '^refs/heads/main ' "$TMP/state.before")" \
	"$(git for-each-ref --format='%(refname) %(objectname)' refs/heads/main)"
expect_contains "the error says what it is" "executable" "$ERR"
git pull -q --no-rebase --no-edit origin main
run_adr sync
expect_eq "sync after git pull" 0 "$RC"

# --- a ref in the way of sync's own working ref: refused, nothing lost ------------------------------------
cd "$B"
as_b must_adr new --no-edit "Use Memcached"
as_b must_adr sync
cd "$A"
must_adr new --no-edit "Use Valkey"
git update-ref refs/adr-sync/heads/main/x HEAD
snapshot_state
run_adr sync
expect_eq "a ref in the way is refused" 1 "$RC"
expect_contains "the error names the ref" "cannot create 'refs/adr-sync/heads/main'" "$ERR"
expect_eq "A's main did not move (ref in the way)" "$(grep '^refs/heads/main ' "$TMP/state.before")" \
	"$(git for-each-ref --format='%(refname) %(objectname)' refs/heads/main)"
git update-ref -d refs/adr-sync/heads/main/x
run_adr sync
expect_eq "A syncs once the ref is gone" 0 "$RC"
check "no working ref is left behind" test -z "$(git for-each-ref refs/adr-sync/)"

# --- over a git daemon on 127.0.0.1 ---------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
git daemon --enable=receive-pack --base-path="$TMP" --export-all --listen=127.0.0.1 --port="$PORT" \
	--reuseaddr "$TMP" >"$TMP/daemon.log" 2>&1 &
DPID=$!
trap 'kill $DPID 2>/dev/null || true; cleanup_tmp' EXIT
for _ in $(seq 1 50); do
	git ls-remote "git://127.0.0.1:$PORT/origin.git" >/dev/null 2>&1 && break
	sleep 0.1
done
cd "$A"
git remote add daemon "git://127.0.0.1:$PORT/origin.git"
must_adr new --no-edit "Use gRPC"
run_adr sync daemon
expect_eq "sync over git://" 0 "$RC"
expect_eq "the remote has A's tip (git://)" "$(git rev-parse main)" "$(git -C "$O" rev-parse main)"
cd "$B"
git remote add daemon "git://127.0.0.1:$PORT/origin.git"
git config branch.main.remote daemon
as_b run_adr sync
expect_eq "B syncs over git://" 0 "$RC"
expect_contains "the default remote is the decision branch's upstream" "'daemon' (git://127.0.0.1" "$ERR"
check "B has the record (git://)" test -n "$(ls $D | grep use-grpc)"
kill $DPID 2>/dev/null
wait $DPID 2>/dev/null || true

# --- unrelated histories: refused, nothing written ---------------------------------------------------------------
new_repo "$TMP/c"
cd "$TMP/c"
must_adr init
git remote add origin "file://$O"
snapshot_state
run_adr sync
expect_eq "unrelated histories are refused" 1 "$RC"
expect_contains "it says why" "no commit in common" "$ERR"
git for-each-ref --format="%(refname)" refs/remotes/ | xargs -n1 git update-ref -d
expect_unchanged "unrelated histories: nothing written but the fetch"

# --- every remote update was a fast-forward; fsck everywhere ---------------------------------------------------
bad=0
while read -r old new _; do
	case $old in 0000000*) continue ;; esac
	case $new in 0000000*) continue ;; esac
	git -C "$O" merge-base --is-ancestor "$old" "$new" || bad=$((bad + 1))
done < <(sed 's/\t.*//' "$O/logs/refs/heads/main")
expect_eq "every update of the remote's main was a fast-forward" 0 "$bad"
check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
check "fsck remote" fsck_clean "$O"
finish
