#!/usr/bin/env bash
# A writer that loses the compare-and-swap allocates its number again from
# the new tip: never the number it computed before it lost (mutant M1a kept
# it, and only a random stress test noticed). Deterministic: strace stalls
# the first writer after it has built its commit (at its first object-file
# unlink) while a second writer lands; the first one's CAS then fails and it
# must retry with the next free number.
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "strace is required in CI (tests/install-deps.sh installs it)"
		finish
	fi
	echo "SKIP: strace is not installed"
	finish
	exit 0
fi

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
# The decision branch is not checked out, so the two writers meet only at
# the branch's compare-and-swap (not at the index lock).
git checkout -q -b side

raced=0
for attempt in 1 2 3; do
	base=$(git ls-tree --name-only main docs/decisions/ | wc -l)
	# LeakSanitizer cannot run under ptrace: no leak check in the traced writer.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o /dev/null -e trace=unlink -e inject=unlink:delay_enter=3000000:when=1 \
		"$ADR" new --no-edit "Slow $attempt" >"$TMP/slow.out" 2>"$TMP/slow.err" &
	pid=$!
	sleep 0.7
	run_adr new --no-edit "Fast $attempt"
	expect_eq "fast writer $attempt" 0 "$RC"
	wait "$pid"
	slow_rc=$?
	expect_eq "slow writer $attempt succeeds" 0 "$slow_rc"
	fast_n=$(basename "$OUT" | cut -c1-4)
	slow_n=$(basename "$(cat "$TMP/slow.out")" | cut -c1-4)
	# Only a run where the fast writer landed first tests the retry.
	if [ "$fast_n" = "$(printf %04d $((base + 1)))" ]; then
		raced=1
		expect_eq "the loser took the next number" "$(printf %04d $((base + 2)))" "$slow_n"
		break
	fi
done
expect_eq "the fast writer landed while the slow one was stalled" 1 "$raced"

NUMS=$(git ls-tree --name-only main docs/decisions/ | xargs -n1 basename | cut -c1-4)
expect_eq "numbers on main are unique" "$(sort <<<"$NUMS")" "$(sort -u <<<"$NUMS")"
run_adr check
expect_eq "check finds no duplicate" 0 "$RC"
check "fsck is clean" fsck_clean "$R"
finish
