#!/usr/bin/env bash
# Proposals shared through a remote (issue 13): two clones of a file:// bare
# remote exchange branches with plain git fetch / git push only. Remote work
# is never hidden (a local branch behind its remote-tracking branch reads as
# the remote one; diverged ones show both sides and say to sync), a comment
# pushed after the partner accepted stays a late comment, a proposal merged
# by a pull request (plain git) is "merged, not yet decided" until adr
# accept decides it in place, and adr show reads a proposal.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
O=$TMP/origin.git
A=$TMP/a
B=$TMP/b
git init -q --bare "$O"
new_repo "$A"
cd "$A"
must_adr init
git remote add origin "file://$O"
git push -q origin main
git clone -q "file://$O" "$B"

as_b() { GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" GIT_COMMITTER_NAME="Bo Chen" \
	GIT_COMMITTER_EMAIL="bo@example.com" "$@"; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# --- behind: after git fetch, the remote's comments, revision and votes show -------------
must_adr propose --no-edit --deadline 2099-01-01 Use Kafka
BR=adr/use-kafka
git push -q origin $BR
cd "$B"
git fetch -q origin
git branch -q $BR origin/$BR            # B's own local branch, as after a checkout
cd "$A"
must_adr comment use-kafka -m "one"
must_adr comment use-kafka --approve -m "two"
git show $BR:$D/use-kafka.md | sed 's/^# Use Kafka/# Use Kafka for events/' >"$TMP/k.md"
must_adr revise use-kafka --file "$TMP/k.md"
must_adr comment use-kafka -m "three"
git push -q origin $BR
cd "$B"
git fetch -q origin
check "B's local branch is behind" git merge-base --is-ancestor $BR origin/$BR
run_adr queue --json
expect_eq "behind: queue counts the remote's comments" "3" "$(echo "$OUT" | json_field 'd["items"][0]["comments"]')"
expect_eq "behind: queue counts the revision" "1" "$(echo "$OUT" | json_field 'd["items"][0]["revisions"]')"
expect_eq "behind: queue counts the vote" "['Ana Lima']" "$(echo "$OUT" | json_field 'd["items"][0]["approvals"]')"
expect_eq "behind: queue reads the remote-tracking branch" "refs/remotes/origin/$BR" "$(echo "$OUT" | json_field 'd["items"][0]["ref"]')"
expect_eq "behind: queue shows the revised title" "Use Kafka for events" "$(echo "$OUT" | json_field 'd["items"][0]["title"]')"
run_adr thread use-kafka
expect_eq "behind: thread exit" 0 "$RC"
expect_eq "behind: thread shows the three comments" "3" "$(echo "$OUT" | grep -c ' comment')"
expect_contains "behind: thread shows the revision" "revised" "$OUT"
expect_eq "behind: no divergence note" "" "$ERR"
run_adr show use-kafka
expect_eq "show SLUG: exit" 0 "$RC"
expect_contains "show SLUG: the revised title" "adr/use-kafka  Use Kafka for events" "$OUT"
expect_contains "show SLUG: the branch read" "branch:          origin/adr/use-kafka" "$OUT"
expect_contains "show SLUG: the deadline" "review-by:       2099-01-01" "$OUT"
expect_contains "show SLUG: the comment count" "comments:        3" "$OUT"
expect_contains "show SLUG: the votes" "approve:         Ana Lima" "$OUT"
expect_contains "show SLUG: the text" "# Use Kafka for events" "$OUT"
run_adr show adr/use-kafka --json
expect_eq "show adr/SLUG --json" "Use Kafka for events proposed 2099-01-01 3 1 ['Ana Lima'] adr/use-kafka True" \
	"$(echo "$OUT" | json_field '" ".join(map(str,[d["title"],d["status"],d["review-by"],d["proposal"]["comments"],d["proposal"]["revisions"],d["proposal"]["approvals"],"adr/"+d["proposal"]["slug"],d["proposal"]["behind"]]))')"
run_adr show no-such-thing
expect_eq "show of nothing is a usage error" 2 "$RC"
expect_contains "show of nothing says why" "no proposal matches it" "$ERR"
# Reading changed nothing.
expect_eq "behind: reading leaves the local branch" "$(git rev-parse $BR)" "$(git rev-parse "$BR@{0}")"

# --- diverged: both sides' comments, each once, and a note to sync ---------------------
cd "$A"
must_adr comment use-kafka -m "four from A"
git push -q origin $BR
cd "$B"
ORIGIN_TIP=$(git rev-parse origin/$BR)
as_b must_adr comment use-kafka --object -m "five from B"
expect_eq "behind: a comment goes on what was read (the remote tip)" "$ORIGIN_TIP" "$(git rev-parse $BR^)"
git fetch -q origin
check "diverged: B has a commit origin has not" test -n "$(git rev-list origin/$BR..$BR)"
check "diverged: origin has a commit B has not" test -n "$(git rev-list $BR..origin/$BR)"
run_adr thread use-kafka
expect_eq "diverged: thread exit" 0 "$RC"
expect_eq "diverged: all five comments, each once" "5" "$(echo "$OUT" | grep -c ' comment')"
expect_contains "diverged: A's comment" "four from A" "$OUT"
expect_contains "diverged: B's comment" "five from B" "$OUT"
expect_contains "diverged: says to sync" "run adr sync" "$ERR"
expect_contains "diverged: names both branches" "adr/use-kafka and origin/adr/use-kafka have diverged" "$ERR"
run_adr thread use-kafka --json
expect_eq "diverged: JSON names the other side" "refs/remotes/origin/$BR" "$(echo "$OUT" | json_field 'd["diverged_from"]')"
run_adr queue --json
expect_eq "diverged: queue counts both sides" "5" "$(echo "$OUT" | json_field 'd["items"][0]["comments"]')"
expect_eq "diverged: queue flags it" "True" "$(echo "$OUT" | json_field 'd["items"][0]["diverged"]')"
expect_eq "diverged: votes of both sides" "['Ana Lima'] ['Bo Chen']" \
	"$(echo "$OUT" | json_field 'str(d["items"][0]["approvals"])+" "+str(d["items"][0]["objections"])')"
expect_contains "diverged: queue says to sync" "run adr sync" "$ERR"
run_adr queue
expect_contains "diverged: queue text marks it" "adr/use-kafka (diverged)" "$OUT"
run_adr show use-kafka
expect_contains "diverged: show counts both sides" "comments:        5" "$OUT"
expect_contains "diverged: show names the other side" "and:             origin/adr/use-kafka" "$OUT"
expect_contains "diverged: show says to sync" "run adr sync" "$ERR"
# An explicit remote-tracking branch is read as it is.
run_adr thread origin/adr/use-kafka
expect_eq "explicit remote branch: its own comments" "4" "$(echo "$OUT" | grep -c ' comment')"
expect_eq "explicit remote branch: no note" "" "$ERR"

# --- a comment pushed after the partner accepted stays in the decision's thread ------------
cd "$A"
must_adr propose --no-edit --deadline 2099-01-01 Use Redis
RB=adr/use-redis
git push -q origin $RB
cd "$B"
git fetch -q origin
git branch -q $RB origin/$RB
cd "$A"
must_adr accept use-redis
RN=$(basename "$OUT" | cut -c1-4)
git push -q origin main
cd "$B"
# B has not fetched the decision: its comment goes on the branch, and is pushed.
as_b must_adr comment use-redis -m "Sorry, I was away: fine by me"
git push -q origin $RB
git fetch -q origin
git merge -q --ff-only origin/main
for side in "$B" "$A"; do
	cd "$side"
	git fetch -q origin
	run_adr thread use-redis
	expect_eq "late ($side): thread exit" 0 "$RC"
	expect_contains "late ($side): the decision's thread" "$RN  adr/use-redis  accepted" "$OUT"
	expect_contains "late ($side): the comment is kept, late" "late comment" "$OUT"
	expect_contains "late ($side): its text" "Sorry, I was away" "$OUT"
	run_adr thread "$((10#$RN))"
	expect_contains "late ($side): by number too" "Sorry, I was away" "$OUT"
	run_adr queue --json
	expect_eq "late ($side): queue exit" 0 "$RC"
	expect_eq "late ($side): the queue does not show it open" "" "$(echo "$OUT" | json_field '" ".join(i["slug"] for i in d["items"] if i["slug"]=="use-redis")')"
	run_adr accept use-redis
	expect_eq "late ($side): accept exit" 0 "$RC"
	expect_contains "late ($side): accept says it was decided" "was already decided as $RN (accepted on" "$ERR"
	expect_not_contains "late ($side): not 'not a proposal'" "not a proposal" "$ERR"
done

# The same when both commented: B's comment beside what A accepted is late, not a reopening.
cd "$A"
must_adr propose --no-edit --deadline 2099-01-01 Use Memcached
git push -q origin adr/use-memcached
cd "$B"
git fetch -q origin
as_b must_adr comment use-memcached -m "B, beside the decision"
cd "$A"
must_adr comment use-memcached --approve -m "A approves"
must_adr accept use-memcached
MN=$(basename "$OUT" | cut -c1-4)
git push -q origin main
cd "$B"
git fetch -q origin
git merge -q --ff-only origin/main
run_adr queue --json
expect_eq "beside: queue exit" 0 "$RC"
expect_eq "beside: not open again" "" "$(echo "$OUT" | json_field '" ".join(i["slug"] for i in d["items"] if i["slug"]=="use-memcached")')"
run_adr thread use-memcached
expect_contains "beside: the decision's thread" "$MN  adr/use-memcached  accepted" "$OUT"
expect_contains "beside: B's comment, late" "late comment" "$OUT"
expect_contains "beside: its text" "B, beside the decision" "$OUT"
MAIN_BEFORE=$(git rev-parse main)
run_adr accept use-memcached
expect_eq "beside: accept exit" 0 "$RC"
expect_contains "beside: accept says it was decided" "was already decided as $MN (accepted on" "$ERR"
expect_eq "beside: accept writes nothing" "$MAIN_BEFORE" "$(git rev-parse main)"

# --- code hosts: a pull request's merge commit, then adr accept SLUG decides it in place ----
cd "$A"
git pull -q --ff-only origin main
must_adr propose --no-edit --deadline 2099-01-01 Use Go
must_adr comment use-go --approve -m "go for it"
git push -q origin adr/use-go
# The code host merges the pull request and deletes the branch.
H=$TMP/host
git clone -q "file://$O" "$H"
git -C "$H" merge -q --no-ff -m "Merge pull request #7 from adr/use-go" origin/adr/use-go
git -C "$H" push -q origin main
git -C "$H" push -q origin --delete adr/use-go
GO_TIP=$(git rev-parse adr/use-go)
cd "$B"
git fetch -q --prune origin
git merge -q --ff-only origin/main
check "pr: B has no branch of it" test -z "$(git for-each-ref 'refs/*/adr/use-go' 'refs/remotes/*/adr/use-go')"
run_adr queue --json
expect_eq "pr: queue lists it merged" "use-go True 1" \
	"$(echo "$OUT" | json_field '" ".join(i["slug"]+" "+str(i["merged"])+" "+str(i["comments"]) for i in d["items"] if i["slug"]=="use-go")')"
run_adr queue
expect_contains "pr: queue says merged, not yet decided" "adr/use-go (merged, not yet decided)" "$OUT"
run_adr check
expect_eq "pr: check fails" 1 "$RC"
expect_contains "pr: check reports it" "$D/use-go.md" "$OUT$ERR"
expect_contains "pr: check says merged, not decided" "merged by plain git but not decided" "$OUT$ERR"
run_adr show use-go
expect_contains "pr: show says merged" "merged by plain git, not yet decided" "$OUT"
expect_contains "pr: show counts its comment" "comments:        1" "$OUT"
run_adr thread use-go
expect_eq "pr: thread exit" 0 "$RC"
expect_contains "pr: thread shows the comment" "go for it" "$OUT"
MAIN_BEFORE=$(git rev-parse main)
run_adr comment use-go -m "still open?"
expect_eq "pr: a comment before the decision is refused" 1 "$RC"
expect_contains "pr: says to decide it first" "decide it first (accepting or rejecting it decides it in place)" "$ERR"
expect_eq "pr: nothing written" "$MAIN_BEFORE" "$(git rev-parse main)"
as_b run_adr accept use-go
expect_eq "pr: accept decides in place" 0 "$RC"
GN=$(basename "$OUT" | cut -c1-4)
expect_eq "pr: the numbered record" "$D/$GN-use-go.md" "$OUT"
expect_eq "pr: one commit" "$MAIN_BEFORE" "$(git rev-parse main^)"
expect_eq "pr: a plain commit (no merge)" "1" "$(git rev-list --parents -1 main | wc -w | awk '{print $1 - 1}')"
expect_eq "pr: renamed, nothing else" "R100 $D/use-go.md $D/$GN-use-go.md" "$(git diff --name-status -M50% main^ main | sed 's/^R[0-9]*/R100/' | tr '\t' ' ')"
REC=$(git show main:$D/$GN-use-go.md)
expect_contains "pr: status accepted" "status: accepted" "$REC"
expect_contains "pr: decision-makers: the approver and the decider" "decision-makers: [Ana Lima, Bo Chen]" "$REC"
expect_contains "pr: the decision names what was merged" "Adr-Merged: $GO_TIP" "$(git log -1 --format=%B main)"
expect_contains "pr: and the proposal" "Adr-Proposal: adr/use-go" "$(git log -1 --format=%B main)"
run_adr thread use-go
expect_contains "pr: thread of the decided record" "$GN  adr/use-go  accepted" "$OUT"
expect_contains "pr: thread keeps the comment" "go for it" "$OUT"
expect_contains "pr: thread ends with the decision" "decided" "$(echo "$OUT" | grep -E '^[0-9]{4}-' | tail -1)"
run_adr thread "$((10#$GN))"
expect_contains "pr: thread by number" "go for it" "$OUT"
run_adr show use-go
expect_eq "pr: show SLUG of a decided proposal: exit" 0 "$RC"
expect_contains "pr: show SLUG shows its record" "$GN  Use Go" "$OUT"
expect_contains "pr: show SLUG: accepted" "status:          accepted" "$OUT"
run_adr queue --json
expect_eq "pr: queue exit" 0 "$RC"
expect_eq "pr: no longer in the queue" "" "$(echo "$OUT" | json_field '" ".join(i["slug"] for i in d["items"] if i["slug"]=="use-go")')"
run_adr check
expect_not_contains "pr: check is quiet about it" "use-go" "$OUT$(grep -v ': warning: ' <<<"$ERR" || true)"
run_adr html -o "$TMP/site"
expect_eq "pr: html exit" 0 "$RC"
expect_contains "pr: the site shows the discussion of a decision in place" "go for it" "$(cat "$TMP/site/$GN-use-go.html")"
run_adr accept use-go
expect_eq "pr: accept again" 0 "$RC"
expect_contains "pr: already decided" "was already decided as $GN (accepted on" "$ERR"
git push -q origin main

# --- a fast-forward merge by plain git, the branch kept: adr reject decides it in place -----
cd "$A"
git pull -q --ff-only origin main
must_adr propose --no-edit --deadline 2099-01-01 Use Rust
git merge -q --ff-only adr/use-rust
run_adr queue
expect_contains "ff: merged, not yet decided" "adr/use-rust (merged, not yet decided)" "$OUT"
MAIN_BEFORE=$(git rev-parse main)
run_adr reject use-rust --reason "too early"
expect_eq "ff: reject decides in place" 0 "$RC"
RUN=$(basename "$OUT" | cut -c1-4)
expect_eq "ff: one commit" "$MAIN_BEFORE" "$(git rev-parse main^)"
expect_contains "ff: status rejected" "status: rejected" "$(git show main:$D/$RUN-use-rust.md)"
check "ff: the merged branch is deleted" test -z "$(git branch --list adr/use-rust)"
run_adr thread use-rust
expect_contains "ff: thread of the decision" "$RUN  adr/use-rust  rejected" "$OUT"
expect_eq "ff: proposed, then decided" "proposed decided" "$(echo "$OUT" | grep -E '^[0-9]{4}-' | awk '{print $NF}' | tr '\n' ' ' | sed 's/ $//')"

# A merged proposal whose record does not parse is not decided blindly.
must_adr propose --no-edit --deadline 2099-01-01 Broken one
git checkout -q adr/broken-one
printf -- '---\nstatus: proposed\ntags: [unclosed\n---\n# Broken one\n' >$D/broken-one.md
git commit -q -am "break it"
git checkout -q main
git merge -q --no-ff --no-edit adr/broken-one
MAIN_BEFORE=$(git rev-parse main)
run_adr accept broken-one
expect_eq "broken merged: refused" 1 "$RC"
expect_contains "broken merged: says where to fix it" "(fix it on main first)" "$ERR"
expect_eq "broken merged: nothing written" "$MAIN_BEFORE" "$(git rev-parse main)"

check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
check "status A" status_clean "$A"
check "status B" status_clean "$B"
finish
