#!/usr/bin/env bash
# Two processes accepting two different proposals at the same moment: two
# records with distinct numbers, two merge commits, no update lost.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
new_repo "$R"
cd "$R"
must_adr init
for round in 1 2 3; do
	must_adr propose --no-edit "Left choice $round"
	must_adr propose --no-edit "Right choice $round"
	BEFORE=$(git rev-parse main)
	"$ADR" accept "left-choice-$round" >"$TMP/l.out" 2>"$TMP/l.err" &
	PL=$!
	"$ADR" accept "right-choice-$round" >"$TMP/r.out" 2>"$TMP/r.err" &
	PR=$!
	set +e
	wait $PL; RL=$?
	wait $PR; RR=$?
	set -e
	expect_eq "round $round: left accepted" 0 "$RL"
	expect_eq "round $round: right accepted" 0 "$RR"
	L=$(basename "$(cat "$TMP/l.out")" | cut -c1-4)
	RN=$(basename "$(cat "$TMP/r.out")" | cut -c1-4)
	check "round $round: distinct numbers ($L, $RN)" test "$L" != "$RN"
	expect_eq "round $round: two merges on main" 2 "$(git rev-list --first-parent --count "$BEFORE..main")"
	expect_eq "round $round: both merges are real merges" 2 "$(git rev-list --first-parent --merges --count "$BEFORE..main")"
	check "round $round: left record" test -f "$D/$L-left-choice-$round.md"
	check "round $round: right record" test -f "$D/$RN-right-choice-$round.md"
	check "round $round: proposals gone" test -z "$(git branch --list "adr/*-$round")"
	check "round $round: status clean" status_clean "$R"
done
expect_eq "numbers 1..7, none shared" "$(seq -f %04g 1 7)" "$(ls $D | cut -c1-4 | sort)"
check "fsck --strict" fsck_clean "$R"
finish
