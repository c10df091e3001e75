#!/usr/bin/env bash
# Promise 2: 4 processes x 25 `adr new` at once give 100 records with 100
# distinct numbers in 100 commits, and git fsck stays clean.
source "$(dirname "$0")/lib.sh"

for mode in checked-out bare; do
	R=$TMP/$mode
	if [ "$mode" = bare ]; then
		git init -q --bare "$R"
		"$ADR" -C "$R" init >/dev/null
	else
		new_repo "$R"
		"$ADR" -C "$R" init >/dev/null
	fi
	for w in 1 2 3 4; do
		(
			for i in $(seq 1 25); do
				"$ADR" -C "$R" new --no-edit "Writer $w decision $i" >>"$TMP/$mode.out.$w" 2>>"$TMP/$mode.err.$w" ||
					echo "failed: $w $i" >>"$TMP/$mode.fail"
			done
		) &
	done
	wait
	expect_eq "$mode: no failures" "" "$(cat "$TMP/$mode.fail" 2>/dev/null || true)"
	if [ -s "$TMP/$mode.fail" ]; then
		echo "what the writers said:" >&2
		cat "$TMP"/$mode.err.* >&2
	fi
	expect_eq "$mode: 100 paths printed" 100 "$(cat "$TMP"/$mode.out.* | sort -u | wc -l)"
	expect_eq "$mode: 101 commits" 101 "$(git -C "$R" rev-list --count main)"
	FILES=$(git -C "$R" ls-tree --name-only main docs/decisions/ | sed 's|docs/decisions/||')
	expect_eq "$mode: 101 records" 101 "$(printf '%s\n' "$FILES" | wc -l)"
	expect_eq "$mode: 101 distinct numbers" 101 "$(printf '%s\n' "$FILES" | cut -c1-4 | sort -u | wc -l)"
	expect_eq "$mode: numbers 1..101 without gaps" "$(seq -f '%04g' 1 101)" "$(printf '%s\n' "$FILES" | cut -c1-4 | sort)"
	# Every path a writer printed is in the final tree.
	MISSING=0
	for p in $(cat "$TMP"/$mode.out.*); do
		git -C "$R" cat-file -e "main:$p" 2>/dev/null || MISSING=$((MISSING + 1))
	done
	expect_eq "$mode: every printed record exists" 0 "$MISSING"
	check "$mode: fsck --strict" fsck_clean "$R"
	if [ "$mode" = checked-out ]; then
		check "$mode: git status clean" status_clean "$R"
	fi
done
finish
