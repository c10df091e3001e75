#!/usr/bin/env bash
# Dates adr writes are the user's local date (issue 11: "ADR_NOW switches
# date handling to UTC and no test sets TZ, so the local-time path users get
# is never tested"). ADR_NOW is unset here (lib.sh), so adr reads the clock.
# Two zones 25 hours apart (UTC+14 and UTC-11) never share a date, so a
# date taken from UTC, or from the wrong zone, fails at least one of them,
# whatever the time of day the test runs.
source "$(dirname "$0")/lib.sh"

EAST=Pacific/Kiritimati
WEST=Pacific/Pago_Pago
check "the two zones have different dates" test "$(TZ=$EAST date +%F)" != "$(TZ=$WEST date +%F)"

cd "$TMP"
git init -q repo
cd repo
"$ADR" init >/dev/null || fail "init"

field() { sed -n "s/^$1: //p" "$2"; }
n=1
for tz in $EAST $WEST; do
	# Read the clock before and after: a run across local midnight may see either date.
	before=$(TZ=$tz date +%F)
	n=$((n + 1))
	TZ=$tz run_adr new --no-edit "Decided in $tz"
	after=$(TZ=$tz date +%F)
	expect_eq "$tz: new exits 0" 0 "$RC"
	d=$(field date "$OUT")
	check "$tz: new writes the local date ($before), got [$d]" test "$d" = "$before" -o "$d" = "$after"

	slug=west
	[ $tz = $EAST ] && slug=east
	before=$(TZ=$tz date +%F)
	TZ=$tz run_adr propose --no-edit --deadline 3d "Proposal $slug"
	expect_eq "$tz: propose exits 0" 0 "$RC"
	rb=$(git show "adr/proposal-$slug:docs/decisions/proposal-$slug.md" | field review-by /dev/stdin)
	check "$tz: the deadline is 3 local days ahead, got [$rb]" \
		test "$rb" = "$(TZ=$tz date -d "$before + 3 days" +%F)" -o "$rb" = "$(TZ=$tz date -d "+3 days" +%F)"

	before=$(TZ=$tz date +%F)
	TZ=$tz run_adr accept "proposal-$slug"
	after=$(TZ=$tz date +%F)
	expect_eq "$tz: accept exits 0" 0 "$RC"
	f=$(ls docs/decisions/*-proposal-$slug.md)
	d=$(field date "$f")
	check "$tz: accept writes the local date ($before), got [$d]" test "$d" = "$before" -o "$d" = "$after"

	printf '# Minutes\n\n## Decision: Meet in %s\n\nDecision: We met.\n' "$slug" >"$TMP/minutes-$slug.md"
	before=$(TZ=$tz date +%F)
	TZ=$tz run_adr meeting --attendee "Ana Lima" --from "$TMP/minutes-$slug.md"
	after=$(TZ=$tz date +%F)
	expect_eq "$tz: meeting exits 0" 0 "$RC"
	f=$(ls docs/decisions/*-meet-in-$slug.md)
	d=$(field date "$f")
	check "$tz: meeting writes the local date ($before), got [$d]" test "$d" = "$before" -o "$d" = "$after"
done

check "git fsck" fsck_clean .
check "work tree clean" status_clean .
finish
