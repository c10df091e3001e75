#!/usr/bin/env bash
# Asynchronous review end to end: a bare repository as the shared remote and
# two clones that exchange branches with plain git push / git fetch only.
# A proposes, B objects, A revises, B approves, A accepts; then the thread,
# the merge, the numbers and fsck are checked with git itself.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
O=$TMP/origin.git
A=$TMP/a
B=$TMP/b
git init -q --bare "$O"
new_repo "$A"
cd "$A"
run_adr init
expect_eq "init" 0 "$RC"
git remote add origin "$O"
git push -q origin main
git clone -q "$O" "$B"

as_b() { GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" GIT_COMMITTER_NAME="Bo Chen" \
	GIT_COMMITTER_EMAIL="bo@example.com" "$@"; }
has_ref() { git rev-parse -q --verify "$1" >/dev/null; }
fetch_adr() { git -C "$1" fetch -q origin 'refs/heads/adr/*:refs/heads/adr/*'; }

# --- A proposes ---------------------------------------------------------------
MAIN_BEFORE=$(git rev-parse main)
run_adr propose --no-edit --deadline 2099-12-01 --urgency low --complexity high Use PostgreSQL for events
expect_eq "propose exit" 0 "$RC"
expect_eq "propose prints the branch" "adr/use-postgresql-for-events" "$OUT"
BR=adr/use-postgresql-for-events
P=$D/use-postgresql-for-events.md
expect_eq "propose leaves main alone" "$MAIN_BEFORE" "$(git rev-parse main)"
expect_eq "propose stays on main" "main" "$(git symbolic-ref --short HEAD)"
expect_eq "proposal branch starts from main" "$MAIN_BEFORE" "$(git rev-parse $BR^)"
REC=$(git show $BR:$P)
expect_contains "proposal status" "status: proposed" "$REC"
expect_contains "proposal review-by" "review-by: 2099-12-01" "$REC"
expect_contains "proposal mode" "mode: async" "$REC"
expect_eq "proposal trailers" "Adr-Action: propose
Adr-Proposal: $BR" "$(git log -1 --format='%(trailers:only,unfold)' $BR | sed '/^$/d')"
check "no number before the decision" test -z "$(git ls-tree -r --name-only $BR | grep -E '^docs/decisions/0002')"
check "propose: status clean" status_clean "$A"
git push -q origin $BR

# --- B objects from its own clone (remote-tracking only) ---------------------------
cd "$B"
git fetch -q origin
check "B has only the remote-tracking branch" test -z "$(git branch --list 'adr/*')"
as_b run_adr comment use-postgres --object --section Decision -m "Too heavy for us.
What about SQLite?"
expect_eq "B comments on a remote-only proposal" 0 "$RC"
expect_eq "B's comment sits on top of the remote tip" "$(git rev-parse origin/$BR)" "$(git rev-parse $BR^)"
expect_eq "B's comment changes no file" "" "$(git diff --name-only $BR^ $BR)"
expect_contains "comment trailers" "Adr-Vote: object" "$(git log -1 --format=%B $BR)"
expect_contains "comment section trailer" "Adr-Section: Decision" "$(git log -1 --format=%B $BR)"
git push -q origin $BR

# --- A revises ------------------------------------------------------------------------
cd "$A"
fetch_adr "$A"
git show $BR:$P | sed 's/^review-by: .*/review-by: 2026-12-03/' >"$TMP/rev.md"
printf '\nWe keep SQLite for tests.\n' >>"$TMP/rev.md"
run_adr revise use-postgresql-for-events --file "$TMP/rev.md"
expect_eq "revise exit" 0 "$RC"
expect_eq "revise wrote the text as given" "$(cat "$TMP/rev.md")" "$(git show $BR:$P)"
expect_eq "revise stays on main" "$MAIN_BEFORE" "$(git rev-parse main)"
run_adr revise use-postgresql-for-events --file "$TMP/rev.md"
expect_eq "revise without change" 0 "$RC"
expect_contains "revise without change says so" "no change" "$ERR"
sed 's/^status: proposed/status: accepted/' "$TMP/rev.md" >"$TMP/bad.md"
snapshot_state
run_adr revise use-postgresql-for-events --file "$TMP/bad.md"
expect_eq "revise refuses a status change" 1 "$RC"
expect_unchanged "revise refuses a status change: nothing changed"
expect_contains "revise says why" "status: proposed" "$ERR"
git push -q origin $BR

# --- B approves ------------------------------------------------------------------------
cd "$B"
fetch_adr "$B"
as_b run_adr comment $BR --approve -m "Fine with the SQLite note."
expect_eq "B approves" 0 "$RC"
git push -q origin $BR

# --- A accepts ---------------------------------------------------------------------------
cd "$A"
fetch_adr "$A"
COMMITS_MAIN=$(commit_count "$A" main)
run_adr accept use-postgresql-for-events
expect_eq "accept exit" 0 "$RC"
P2=$D/0002-use-postgresql-for-events.md
expect_eq "accept prints the numbered path" "$P2" "$OUT"
expect_eq "one merge commit on main" "$(git rev-parse origin/$BR)" "$(git rev-parse main^2)"
expect_eq "merge's first parent is the old main" "$MAIN_BEFORE" "$(git rev-parse main^1)"
expect_eq "exactly one first-parent commit added" 1 "$(git rev-list --first-parent --count $MAIN_BEFORE..main)"
REC=$(cat "$P2")
expect_contains "accepted" "status: accepted" "$REC"
expect_contains "both decision-makers" "decision-makers: [Bo Chen, Ana Lima]" "$REC"
expect_contains "dated" "date: $(date +%Y-%m-%d)" "$REC"
expect_contains "revision kept" "We keep SQLite for tests." "$REC"
check "the unnumbered file is gone" test ! -e "$P"
expect_eq "accept trailers" "Adr-Action: accept
Adr-Record: 0002
Adr-Proposal: $BR" "$(git log -1 --format='%(trailers:only,unfold)' main | sed '/^$/d')"
check "local proposal branch deleted" test -z "$(git branch --list "$BR")"
check "accept: status clean" status_clean "$A"

# The thread, through the merge commit.
run_adr thread 2
expect_eq "thread exit" 0 "$RC"
expect_eq "thread order" "proposed
comment (object) on section 'Decision'
revised
comment (approve)
decided" "$(printf '%s\n' "$OUT" | grep -E '^[0-9]{4}-' | sed -E 's/^.{22}  [0-9a-f]{12}  [^<]*<[^>]*>  //')"
expect_contains "thread has B's text" "What about SQLite?" "$OUT"
expect_contains "thread has B as author" "Bo Chen <bo@example.com>" "$OUT"
expect_contains "thread says what the revision changed" "changed field review-by" "$OUT"
run_adr thread 0002 --json
echo "$OUT" >"$TMP/thread.json"
check "thread --json is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/thread.json"
expect_eq "thread --json facts" "accepted 2 object,approve 5" "$(python3 -c '
import json,sys; t=json.load(open(sys.argv[1]))
print(t["status"], t["number"], ",".join(e["vote"] for e in t["events"] if e["kind"]=="comment"), len(t["events"]))' "$TMP/thread.json")"
run_adr show 2 --thread
expect_eq "show --thread" 0 "$RC"
expect_contains "show --thread shows comments" "Fine with the SQLite note." "$OUT"
# Still readable by slug after the branch is gone locally.
git push -q origin main ":$BR"
git fetch -q --prune origin
run_adr thread use-postgresql-for-events
expect_contains "thread by slug after the decision" "0002  adr/use-postgresql-for-events  accepted" "$OUT"

# Re-running is idempotent.
run_adr accept use-postgresql-for-events
expect_eq "accept again exits 0" 0 "$RC"
expect_contains "accept again says so" "already decided as 0002" "$ERR"
expect_eq "accept again writes nothing" "$((COMMITS_MAIN + 5))" "$(commit_count "$A" main)"

for r in "$A" "$B" "$O"; do check "fsck --strict $r" fsck_clean "$r"; done
cd "$B"
git pull -q origin main
check "B sees the decision" test -f "$P2"

# --- errors -------------------------------------------------------------------------------
cd "$A"
snapshot_state
run_adr accept no-such-proposal
expect_eq "accept unknown" 1 "$RC"
expect_unchanged "accept unknown: nothing changed"
expect_contains "accept unknown says so" "no proposal 'no-such-proposal'" "$ERR"
snapshot_state
run_adr comment no-such-proposal -m hi
expect_eq "comment unknown" 1 "$RC"
expect_contains "comment unknown: says why" "adr: no proposal 'no-such-proposal' (no local or remote-tracking adr/* branch matches)" "$ERR"
expect_unchanged "comment unknown: nothing changed"
run_adr thread no-such-proposal # read-only
expect_eq "thread unknown" 1 "$RC"
expect_contains "thread unknown: says why" "adr: no proposal or decided proposal 'no-such-proposal'" "$ERR"
run_adr thread 1 # read-only
expect_eq "thread of a record never proposed" 1 "$RC"
expect_contains "thread of a plain record says so" "no discussion thread" "$ERR"
snapshot_state
run_adr propose --no-edit --deadline soon Something
expect_eq "bad deadline" 2 "$RC"
expect_unchanged "bad deadline: nothing changed"
expect_contains "bad deadline says so" "deadline 'soon'" "$ERR"
snapshot_state
run_adr propose --no-edit --urgency extreme Something
expect_eq "bad urgency" 2 "$RC"
expect_contains "bad urgency: says why" "adr: unknown value 'extreme' for --urgency: expected one of low, high" "$ERR"
expect_unchanged "bad urgency: nothing changed"
run_adr propose --no-edit Use Redis
expect_eq "second proposal" 0 "$RC"
snapshot_state
run_adr propose --no-edit Use REDIS
expect_eq "same slug ignoring case" 1 "$RC"
expect_unchanged "same slug ignoring case: nothing changed"
expect_contains "duplicate proposal says so" "already exists" "$ERR"
git branch -q adr/Use-Kafka main
run_adr propose --no-edit Use Kafka
expect_eq "case-insensitive clash with an existing branch" 1 "$RC"
expect_contains "case-insensitive clash with an existing branch: says why" "adr: a proposal named 'use-kafka' already exists (refs/heads/adr/Use-Kafka)" "$ERR"
git branch -q -D adr/Use-Kafka
must_adr propose --no-edit Use Rust
snapshot_state
run_adr comment use -m hi
expect_eq "ambiguous prefix" 1 "$RC"
expect_unchanged "ambiguous prefix: nothing changed"
expect_contains "ambiguous prefix names both" "more than one proposal" "$ERR"
snapshot_state
run_adr comment use-redis
expect_eq "empty comment without a vote and without an editor" 2 "$RC"
expect_contains "empty comment without a vote and without an editor: says why" "adr: no comment: give -m TEXT, or set VISUAL or EDITOR" "$ERR"
expect_unchanged "empty comment without a vote and without an editor: nothing changed"
snapshot_state
run_adr comment use-redis -m ""
expect_eq "empty comment text" 2 "$RC"
expect_contains "empty comment text: says why" "adr: empty comment: write something (or vote with --approve or --object)" "$ERR"
expect_unchanged "empty comment text: nothing changed"
snapshot_state
run_adr comment use-redis --approve --object
expect_eq "approve and object" 2 "$RC"
expect_contains "approve and object: says why" "adr: --approve and --object exclude each other" "$ERR"
expect_unchanged "approve and object: nothing changed"
snapshot_state
run_adr comment use-redis --section "Nope" -m hi
expect_eq "unknown section" 2 "$RC"
expect_unchanged "unknown section: nothing changed"
expect_contains "unknown section says so" "no heading 'Nope'" "$ERR"
snapshot_state
run_adr comment use-redis --section $'Decision\nAdr-Vote: approve' -m hi
expect_eq "section with a newline" 2 "$RC"
expect_unchanged "section with a newline: nothing changed"
expect_contains "section newline message" "line break" "$ERR"
snapshot_state
run_adr propose --no-edit $'Bad \xff title'
expect_eq "invalid UTF-8 title" 1 "$RC"
expect_contains "invalid UTF-8 title: says why" "adr: the title is not valid UTF-8" "$ERR"
expect_unchanged "invalid UTF-8 title: nothing changed"
snapshot_state
run_adr comment use-redis -m $'bad \xff text'
expect_eq "invalid UTF-8 comment" 1 "$RC"
expect_unchanged "invalid UTF-8 comment: nothing changed"
expect_contains "invalid UTF-8 message" "not valid UTF-8" "$ERR"
snapshot_state
run_adr reject use-redis --reason $'\xfe'
expect_eq "invalid UTF-8 reason" 1 "$RC"
expect_contains "invalid UTF-8 reason: says why" "adr: the reason is not valid UTF-8 text (or contains a NUL byte)" "$ERR"
expect_unchanged "invalid UTF-8 reason: nothing changed"
check "nothing decided by the failures" test -z "$(ls $D | grep redis)"

# --- hostile text: stored faithfully, never executed, never a trailer ------------------------------
HOSTILE=$'He said "no" and \'maybe\'; $(touch '"$TMP"$'/pwned) `touch '"$TMP"$'/pwned2`\n\n---\nAdr-Vote: approve\nAdr-Record: 9999'
LONG=$(head -c 20000 /dev/zero | tr '\0' x)
run_adr comment use-redis --object -m "$HOSTILE"
expect_eq "hostile comment" 0 "$RC"
run_adr comment use-redis -m "$LONG"
expect_eq "very long line" 0 "$RC"
check "nothing executed" test ! -e "$TMP/pwned" -a ! -e "$TMP/pwned2"
run_adr thread use-redis --json
echo "$OUT" >"$TMP/t2.json"
expect_eq "hostile text comes back byte for byte" "ok" "$(python3 -c '
import json,sys; t=json.load(open(sys.argv[1])); c=[e for e in t["events"] if e["kind"]=="comment"]
print("ok" if c[0]["text"]==sys.argv[2] and c[0]["vote"]=="object" and c[1]["text"]==sys.argv[3] and c[1]["vote"] is None else c)' \
	"$TMP/t2.json" "$HOSTILE" "$LONG")"
run_adr reject use-redis --reason "$HOSTILE"
expect_eq "reject with a hostile reason" 0 "$RC"
P3=$OUT
expect_contains "rejected" "status: rejected" "$(cat "$P3")"
expect_contains "reason kept" 'touch' "$(cat "$P3")"
expect_eq "fake approve did not make a decision-maker" "decision-makers: [Ana Lima]" "$(grep decision-makers "$P3")"
expect_eq "reject trailers are adr's own" "Adr-Action: reject
Adr-Record: 0003
Adr-Proposal: adr/use-redis" "$(git log -1 --format='%(trailers:only,unfold)' main | sed '/^$/d')"
check "reject: fsck" fsck_clean "$A"
check "reject: status clean" status_clean "$A"

# --- the user's checkout is sacred ----------------------------------------------------------------------
echo "staged" >staged.txt
git add staged.txt
echo "more" >>"$D/0001-record-decisions-in-git.md"
git checkout -q -b topic
BEFORE=$(git status --porcelain; git diff; git diff --cached)
HEAD_BEFORE=$(git rev-parse HEAD)
run_adr propose --no-edit Use Go
expect_eq "propose on a dirty topic branch" 0 "$RC"
must_adr comment use-go -m "ok"
run_adr revise use-go --file <(git show adr/use-go:$D/use-go.md; echo extra)
expect_eq "revise on a dirty checkout" 0 "$RC"
run_adr accept use-go
expect_eq "accept with a dirty checkout on another branch" 0 "$RC"
run_adr reject use-rust
expect_eq "reject with a dirty checkout" 0 "$RC"
expect_eq "checkout untouched" "$BEFORE" "$(git status --porcelain; git diff; git diff --cached)"
expect_eq "still on topic" "topic" "$(git symbolic-ref --short HEAD)"
expect_eq "HEAD untouched" "$HEAD_BEFORE" "$(git rev-parse HEAD)"
git reset -q --hard
git checkout -q main
check "main checked out clean after the decisions" status_clean "$A"

# Deciding onto the checked-out decision branch keeps unrelated staged and unstaged work.
must_adr propose --no-edit Use Elixir
echo "user work" >notes.txt
git add notes.txt
echo "unstaged" >>notes.txt
printf 'untracked\n' >scratch.txt
BEFORE=$(git status --porcelain; git diff; git diff --cached)
run_adr accept use-elixir
expect_eq "accept onto a dirty main" 0 "$RC"
expect_eq "user's work untouched by accept" "$BEFORE" "$(git status --porcelain; git diff; git diff --cached)"
check "the decided record is in the work tree" test -f "$OUT"
expect_eq "git status shows only the user's work" "AM notes.txt
?? scratch.txt" "$(git status --porcelain)"
git rm -q -f notes.txt
rm scratch.txt

# Plain git commits on a checked-out proposal branch are revisions; comments follow the checkout.
must_adr propose --no-edit Use Erlang
git checkout -q adr/use-erlang
echo "Plain git edit." >>$D/use-erlang.md
git commit -q -am "tweak wording"
run_adr comment use-erlang -m "noted"
expect_eq "comment on the checked-out proposal" 0 "$RC"
check "comment on the checked-out branch: status clean" status_clean "$A"
run_adr thread use-erlang
expect_contains "plain git commit is a revision" "revised" "$OUT"
expect_contains "plain git revision's subject" "tweak wording" "$OUT"
expect_contains "revision summary names the section" "changed section Next steps" "$OUT"
run_adr accept use-erlang
expect_eq "accept the checked-out proposal" 0 "$RC"
expect_contains "checked-out proposal branch is kept" "checked out" "$ERR"
git checkout -q main
git branch -q -D adr/use-erlang
check "status clean after the checked-out proposal" status_clean "$A"

# --- a conflicting proposal is refused, nothing written -------------------------------------------------------
must_adr propose --no-edit Use Java
J=$D/use-java.md
git show adr/use-java:$J | sed 's/^# Use Java/# Use Java 21/' >"$TMP/j.md"
must_adr revise use-java --file "$TMP/j.md"
# The same file changes on main in a different way (plain git).
git show adr/use-java:$J | sed 's/^# Use Java/# Use Java 17/' >"$J"
git add "$J"
git commit -q -m "java on main"
BEFORE_MAIN=$(git rev-parse main)
run_adr accept use-java
expect_eq "conflict refused" 1 "$RC"
expect_contains "conflict names the file" "'$J'" "$ERR"
expect_eq "conflict writes nothing" "$BEFORE_MAIN" "$(git rev-parse main)"
check "conflict keeps the branch" has_ref adr/use-java
check "conflict: status clean" status_clean "$A"
# Resolved the git way (merge the decision branch into the proposal), it goes through.
git checkout -q adr/use-java
git merge -q main >/dev/null 2>&1 || true
git show adr/use-java:$J | sed 's/^# Use Java 21/# Use Java 21 (not 17)/' >"$J"
git add "$J"
git commit -q --no-edit
git checkout -q main
run_adr accept use-java
expect_eq "accept after resolving the conflict" 0 "$RC"
expect_contains "resolution kept" "# Use Java 21 (not 17)" "$(cat "$OUT")"
run_adr thread use-java
expect_contains "the resolution is a revision" "changed section" "$OUT"

# --- a remote-tracking branch ahead of the local one is not silently dropped -------------------------------------------
must_adr propose --no-edit Use Zig
git push -q origin adr/use-zig
# Diverged: a local comment, and one pushed from B. Deciding one side would drop the other's.
must_adr comment use-zig -m "local comment"
cd "$B"
git fetch -q origin
as_b must_adr comment use-zig -m "remote comment"
git push -q origin adr/use-zig
cd "$A"
git fetch -q origin
BEFORE_MAIN=$(git rev-parse main)
run_adr accept use-zig
expect_eq "diverged refused" 1 "$RC"
expect_contains "diverged says so" "origin/adr/use-zig has commits" "$ERR"
expect_eq "diverged writes nothing" "$BEFORE_MAIN" "$(git rev-parse main)"
# Accepting the remote-tracking branch itself merges its tip.
run_adr accept origin/adr/use-zig --by "Ana Lima" --by "Bo Chen" --by "Cy Diaz"
expect_eq "accept from the remote-tracking branch" 0 "$RC"
expect_eq "merged the remote tip" "$(git rev-parse origin/adr/use-zig)" "$(git rev-parse main^2)"
expect_contains "--by sets the decision-makers" "decision-makers: [Ana Lima, Bo Chen, Cy Diaz]" "$(cat "$OUT")"
check "local branch kept (it has a commit the decision did not merge)" has_ref adr/use-zig
expect_contains "warns about the kept branch" "was kept" "$ERR"
# Behind: the local branch is read as the remote-tracking one, decided whole, and goes.
must_adr propose --no-edit Use Nim
git push -q origin adr/use-nim
cd "$B"
git fetch -q origin
as_b must_adr comment use-nim -m "from B"
git push -q origin adr/use-nim
cd "$A"
git fetch -q origin
run_adr accept use-nim
expect_eq "accept a proposal whose local branch is behind" 0 "$RC"
expect_eq "merged the newer remote tip" "$(git rev-parse origin/adr/use-nim)" "$(git rev-parse main^2)"
check "the local branch behind the decision is deleted" test -z "$(git branch --list adr/use-nim)"
expect_not_contains "no warning about it" "was kept" "$ERR"

# --- superseding through a proposal --------------------------------------------------------------------------------------
must_adr propose --no-edit Replace the log
git show adr/replace-the-log:$D/replace-the-log.md | sed 's/^status: proposed/status: proposed\nsupersedes: [1]/' >"$TMP/s.md"
must_adr revise replace-the-log --file "$TMP/s.md"
run_adr accept replace-the-log
expect_eq "accept a superseding proposal" 0 "$RC"
N=$(basename "$OUT" | cut -c1-4)
expect_contains "old record superseded in the same commit" "status: superseded" "$(git show main:$D/0001-record-decisions-in-git.md)"
expect_contains "old record points forward" "superseded-by: [$((10#$N))]" "$(git show main:$D/0001-record-decisions-in-git.md)"
expect_eq "both files in the merge commit" "2" "$(git diff --name-only main^1 main -- $D | grep -c -E '0001-|replace-the-log')"
check "final fsck" fsck_clean "$A"
check "final status clean" status_clean "$A"

finish
