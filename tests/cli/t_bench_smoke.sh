#!/usr/bin/env bash
# The benchmark's smallest case (N = 100, one run, no peers) as a smoke
# test: the generator makes a repository git accepts (fsck), the same N
# gives the same commits, and every adr command of the benchmark succeeds
# on it. The full benchmark (tests/bench/bench.py) is run by hand.
source "$(dirname "$0")/lib.sh"

# python3 is installed by tests/install-deps.sh: without it this test has
# nothing to run, which is a failure, never a pass.
if ! command -v python3 >/dev/null; then
	fail "python3 is missing (tests/install-deps.sh installs it)"
	finish
fi
B=$ADR_SOURCE_DIR/tests/bench
run_bench() {
	set +e
	OUT=$(python3 "$B/bench.py" --adr "$ADR" --smoke --work "$TMP/bench" 2>&1)
	RC=$?
	set -e
}
run_bench
expect_eq "bench smoke exit" 0 "$RC"
expect_contains "bench smoke verdict" "bench smoke: 1 passed, 0 failed" "$OUT"
expect_contains "bench measures the full index" "adr index --rebuild (full)" "$OUT"
expect_contains "bench measures git" "git log --raw + cat-file --batch" "$OUT"
expect_contains "bench measures libgit2's floor for new (built next to adr)" "libgit2 floor: commit one file" "$OUT"
expect_not_contains "no command failed" "exited" "$OUT"
check "generated repository passes fsck" fsck_clean "$TMP/bench/repo-100"
expect_eq "generated: 100 records" 100 "$(git -C "$TMP/bench/repo-100" ls-tree --name-only main docs/decisions/ | grep -c '^docs/decisions/[0-9]')"
python3 "$B/gen_repo.py" 100 "$TMP/again" >/dev/null
expect_eq "generator is deterministic" "$(git -C "$TMP/bench/repo-100" rev-parse main)" "$(git -C "$TMP/again" rev-parse main)"
# a broken adr makes the smoke fail
printf '#!/bin/sh\nexit 3\n' >"$TMP/broken-adr"
chmod +x "$TMP/broken-adr"
set +e
OUT=$(python3 "$B/bench.py" --adr "$TMP/broken-adr" --smoke --work "$TMP/bench" 2>&1)
RC=$?
set -e
expect_eq "broken adr: bench fails" 1 "$RC"
expect_contains "broken adr: verdict" "bench smoke: 0 passed, 1 failed" "$OUT"
finish
