#!/usr/bin/env bash
# A fresh clone passes (issue 10): `git clone` of the project into an empty
# directory, with no ../shared beside it, builds, and every test that touches
# ../shared passes there, skipping (and naming) only the replays of data that
# is not the project's own. With CI=true the same tests fail instead of
# skipping, and .ci/run refuses to start, saying what is missing.
#
# The clone is of the committed HEAD of the source tree. Only adr and the
# tests that mention ../shared are built and run in it (the whole suite runs
# in the source tree anyway).
source "$(dirname "$0")/lib.sh"

if ! git -C "$ADR_SOURCE_DIR" rev-parse --verify -q HEAD >/dev/null; then
	echo "SKIP: fresh clone ($ADR_SOURCE_DIR is not a git checkout)"
	SKIPPED=$((SKIPPED + 1))
	finish
	exit $?
fi

FC=$TMP/fc
C=$FC/adr
mkdir -p "$FC"
git clone -q "$ADR_SOURCE_DIR" "$C"
check "nothing beside the clone" test "$(ls -A "$FC")" = adr
check "no ../shared beside the clone" test ! -e "$FC/shared"

# The tests that read ../shared: found, not listed, so a new one is covered.
cd "$C"
mapfile -t UNITS < <(grep -l 'ADR_TEST_SHARED' tests/lib/test_*.c | xargs -n1 basename | sed 's/\.c$//')
mapfile -t CLIS < <(grep -l 'ADR_SHARED' tests/cli/t_*.sh | grep -v t_fresh_clone | xargs -n1 basename | sed 's/\.sh$//')
check "unit tests that read ../shared found" test "${#UNITS[@]}" -ge 4
check "cli tests that read ../shared found" test "${#CLIS[@]}" -ge 2

cmake -S "$C" -B "$C/build" -DADR_WERROR=ON >"$TMP/configure.log" 2>&1 || { cat "$TMP/configure.log" >&2; fail "configure"; finish; exit 1; }
expect_contains "configure says the replays will be skipped" \
	"adr: $FC/shared/data is absent: the corpus and Mustache spec replays will be skipped" "$(cat "$TMP/configure.log")"
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2
if ! cmake --build "$C/build" -j"$JOBS" --target adr-cli "${UNITS[@]}" >"$TMP/build.log" 2>&1; then
	tail -30 "$TMP/build.log" >&2
	fail "build in the fresh clone"
	finish
	exit 1
fi

regex="^($(printf 'unit/%s|' "${UNITS[@]}")$(printf 'cli/%s|' "${CLIS[@]}"))\$"
regex=${regex/|)\$/)\$}
# without CI: every one passes, each skip named
set +e
env -u CI ctest --test-dir "$C/build" -R "$regex" -V >"$TMP/ctest.log" 2>&1
rc=$?
set -e
expect_eq "fresh clone: the tests pass (see $TMP/ctest.log)" 0 "$rc"
[ "$rc" = 0 ] || grep -E 'FAIL|Assertion|expected' "$TMP/ctest.log" | head -20 >&2
LOG=$(cat "$TMP/ctest.log")
ran=$(grep -cE '^[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed' "$TMP/ctest.log" || true)
expect_eq "fresh clone: all of them ran and passed" "$((${#UNITS[@]} + ${#CLIS[@]}))" "$ran"
expect_contains "corpus replay skipped, named" "SKIP: corpus::every_file_reads: $FC/shared/data/corpora absent (../shared absent)" "$LOG"
expect_contains "spec replay skipped, named" "SKIP: mustache_spec::sections: $FC/shared/data/mustache-spec absent (../shared absent)" "$LOG"
expect_contains "cli replay skipped, named" "SKIP: import of the external corpora ($FC/shared/data/corpora absent: ../shared absent)" "$LOG"
expect_contains "skips counted" "t_import: " "$(grep -E '^[0-9]+: t_import: [0-9]+ passed, 0 failed, 1 skipped$' "$TMP/ctest.log" || true)"
# the project's own fixtures did run there: none of their tests is skipped
for u in test_legacy test_record; do
	stats=$("$C/build/tests/$u" --filter 'fixtures/*' -j1 2>&1 | grep 'Synthesis' || true)
	expect_contains "$u: own fixtures ran and passed" "Failing: 0 | Crashing: 0" "$stats"
	n=$(echo "$stats" | sed -n 's/.*Tested: \([0-9]*\) | Passing: \([0-9]*\) .*/\1 \2/p')
	check "$u: every fixtures test ran and passed ($stats)" test -n "$n" -a "${n% *}" -ge 4 -a "${n% *}" = "${n#* }"
done

# with CI=true: a missing ../shared fails the replays instead
set +e
CI=true ctest --test-dir "$C/build" -R '^(unit/test_legacy|cli/t_toc_graph)$' --output-on-failure >"$TMP/ci.log" 2>&1
rc=$?
set -e
expect_eq "CI=true: the replays fail" 8 "$rc"
LOG=$(cat "$TMP/ci.log")
expect_contains "CI=true: the unit test says why" "$FC/shared/data/corpora is missing and CI=true" "$LOG"
expect_contains "CI=true: the cli test says why" "FAIL: toc and graph of adr-tools' own records: $FC/shared/data/corpora is missing and CI=true" "$LOG"

# .ci/run refuses to start, naming what is missing, before building anything
set +e
OUT=$(timeout 60 "$C/.ci/run" 2>&1)
rc=$?
set -e
expect_eq ".ci/run without ../shared: exit 1" 1 "$rc"
expect_eq ".ci/run says what is missing" "ci: '$C/../shared/data/corpora' is missing: CI replays the external corpora and the Mustache spec from ../shared beside the checkout" "$OUT"
check ".ci/run built nothing" test ! -e "$C/build-ci-plain"

finish
