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
# An explicit remote-tracking branch is read as it is.
run_adr thread origin/adr/use-kafka
expect_eq "explicit remote branch: its own comments" "4" "$(echo "$OUT" | grep -c ' comment')"
expect_eq "explicit remote branch: no note" "" "$ERR"

check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
check "status A" status_clean "$A"
check "status B" status_clean "$B"
finish
