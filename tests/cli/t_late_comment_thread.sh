#!/usr/bin/env bash
# A proposal accepted in two clones at once, one of them with a comment the
# other's decision did not merge: adr sync keeps the remote's decision and
# keeps the local one's thread reachable through a merge "keep the thread"
# (git/integrate.c). The comment is on the remote only through that merge,
# and `adr thread` shows it, once, in a fresh clone of the remote and in the
# clone that made it; when another clone also carried it to the decision
# as a late comment, still once. (The failure t_sync_race.sh saw once:
# "comment ...: 'comment c2 r8' 0 times in its thread".)
source "$(dirname "$0")/lib.sh"
export ADR_NOW=2026-11-21T10:00:00Z

# setup W: a bare remote W/o.git with a first sync, clones x, a and b of it,
# and the proposal "use redis" (adr/use-redis) that x proposed, in all three.
setup() {
	W=$1
	git init -q --bare "$W/o.git"
	new_repo "$W/seed"
	cd "$W/seed"
	must_adr init
	git remote add origin "file://$W/o.git"
	must_adr sync
	for c in x a b; do
		git clone -q "file://$W/o.git" "$W/$c"
		git -C "$W/$c" config user.name "Clone $c"
		git -C "$W/$c" config user.email "$c@example.com"
	done
	cd "$W/x"
	must_adr propose --no-edit "use redis"
	must_adr sync
	for c in a b; do
		cd "$W/$c"
		must_adr sync
	done
}

# times TEXT THREAD: how many times the comment TEXT is in the thread.
times() { grep -cxF "    $1" <<<"$2" || true; }

# a_syncs_second: a syncs after b's decision reached the remote: a is told
# its own decision was not replayed, and a merge keeps a's thread.
a_syncs_second() {
	cd "$W/a"
	run_adr sync
	expect_eq "a's sync succeeds" 0 "$RC"
	expect_contains "a is told its decision was not replayed" "decided on the remote too" "$ERR"
	expect_eq "the keep-the-thread merge is on the remote" 1 \
		"$(git -C "$W/o.git" log --merges --format=%s main | grep -c '^adr sync: keep the thread of adr/use-redis, ')"
}

# fresh_thread: the thread of use-redis in a new clone of the remote, in OUT.
fresh_thread() {
	git clone -q "$W/o.git" "$W/reader"
	run_adr -C "$W/reader" thread use-redis # read-only
	expect_eq "thread in a fresh clone" 0 "$RC"
}

# --- a comments and accepts; b accepts without it and pushes first ------------
setup "$TMP/one"
cd "$W/a"
must_adr comment use-redis -m "comment by a"
must_adr accept use-redis
cd "$W/b"
must_adr accept use-redis
must_adr sync
a_syncs_second
expect_eq "the comment is on the remote's decision branch" 1 \
	"$(git -C "$W/o.git" log --format=%B main | grep -cxF 'comment by a')"
fresh_thread
expect_eq "the comment is in the thread of a fresh clone, once" 1 "$(times "comment by a" "$OUT")"
expect_contains "the thread is the accepted one" "accepted" "$OUT"
run_adr -C "$W/reader" thread 2 # read-only
expect_eq "the thread by number has the comment once" 1 "$(times "comment by a" "$OUT")"
run_adr -C "$W/a" thread use-redis # read-only
expect_eq "the comment is in the thread of the clone that made it, once" 1 "$(times "comment by a" "$OUT")"
run_adr -C "$W/a" thread use-redis --json # read-only
expect_eq "thread --json" 0 "$RC"
# Once, the commit a made, late: the decision that stands did not merge it.
C=$(git -C "$W/o.git" log --format=%H -F --grep='comment by a' main)
expect_json "the comment is in the JSON thread, once, late" \
	'[[e["kind"], e["commit"], e["late"]] for e in d["events"] if e["text"] == "comment by a"]' \
	"[[\"comment\",\"$C\",true]]"
expect_json "the thread is the remote's decision" 'd["ref"]' \
	"\"$(git -C "$W/o.git" log --format=%H --grep='^Adr-Action: accept' main)\""
check "fsck remote" fsck_clean "$W/o.git"

# --- the same, but b's sync also carried the comment as a late comment ---------
setup "$TMP/two"
cd "$W/a"
must_adr comment use-redis -m "comment by a"
must_adr sync
cd "$W/b"
must_adr accept use-redis
must_adr sync
expect_eq "b carried the comment to the decision as a late comment" 1 \
	"$(git -C "$W/o.git" log --format=%B main | grep -c '^Adr-Late-From: ')"
cd "$W/a"
must_adr accept use-redis
a_syncs_second
fresh_thread
expect_eq "carried late and kept by the merge: in the thread once" 1 "$(times "comment by a" "$OUT")"
run_adr -C "$W/a" thread use-redis # read-only
expect_eq "in a's thread once" 1 "$(times "comment by a" "$OUT")"
check "fsck remote" fsck_clean "$W/o.git"

finish
