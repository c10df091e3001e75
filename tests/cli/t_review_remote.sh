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
as_b must_adr comment use-kafka --object -m "five from B"
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
	expect_eq "late ($side): the queue does not show it open" "" "$(echo "$OUT" | json_field '" ".join(i["slug"] for i in d["items"] if i["slug"]=="use-redis")')"
	run_adr accept use-redis
	expect_eq "late ($side): accept exit" 0 "$RC"
	expect_contains "late ($side): accept says it was decided" "was already decided as $RN (accepted on" "$ERR"
	expect_not_contains "late ($side): not 'not a proposal'" "not a proposal" "$ERR"
done

check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
check "status A" status_clean "$A"
check "status B" status_clean "$B"
finish
