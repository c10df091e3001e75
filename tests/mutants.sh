#!/usr/bin/env bash
# Applies each planted one-line bug (../shared/repro/mutants-2026-12/*.patch,
# or a hand-made equivalent in tests/mutants/ where the code has moved) to a
# scratch copy of this checkout, rebuilds, runs the tests that protect that
# behaviour, and reports whether they caught it. Run by hand:
#   tests/mutants.sh [PATCH-PREFIX...]      e.g. tests/mutants.sh M2b M6
# Exit status: 0 when every mutant was caught, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
MUTANTS=${ADR_MUTANTS:-$SRC/../shared/repro/mutants-2026-12}
if [ ! -d "$MUTANTS" ]; then
	echo "mutants.sh: $MUTANTS is missing (it lives in ../shared)" >&2
	exit 2
fi

# Which tests protect which behaviour (ctest -R regular expressions).
declare -A TESTS=(
	[M1a]='cli/t_cas_retry$'
	[M1b]='cli/t_cas_retry$'
	[M2a]='cli/t_audience_privacy$'
	[M2b]='cli/t_audience_privacy$'
	[M2c]='cli/t_audience_privacy$'
	[M3]='unit/test_yaml$'
	[M4a]='cli/t_search$'
	[M4b]='cli/t_search$|unit/test_index$'
	[M5b]='cli/t_hooks_capture$'
	[M5c]='cli/t_hooks_hostile$|unit/test_hooks$'
	[M6]='cli/t_hooks_noprompt$'
)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/adr-mutants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/src"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
cmake -S "$WORK/src" -B "$WORK/build" -DADR_SHARED_DIR="$SRC/../shared" >/dev/null || exit 2
echo "building the unmutated copy..."
cmake --build "$WORK/build" -j"$(nproc)" >/dev/null || exit 2

# The patches name lib/<file>.c as it was when they were made; a file that
# has since moved into a layer folder (lib/<layer>/<file>.c) is renamed in a
# copy of the patch, so the mutant lands where the code now lives.
remap() {
	local out=$WORK/$(basename "$1") f dir
	cp "$1" "$out"
	for f in $(sed -n 's|^+++ b/\(lib/[^/]*\.[ch]\)$|\1|p' "$1" | sort -u); do
		[ -e "$WORK/src/$f" ] && continue
		for dir in "$WORK"/src/lib/*/; do
			if [ -e "$dir$(basename "$f")" ]; then
				sed -i "s|\([ab]/\)$f\b|\1lib/$(basename "$dir")/$(basename "$f")|g" "$out"
				break
			fi
		done
	done
	echo "$out"
}

caught=0 missed=0
for patch in "$MUTANTS"/*.patch; do
	name=$(basename "$patch" .patch)
	id=${name%%_*}
	if [ $# -gt 0 ]; then
		want=0
		for a in "$@"; do [ "$a" = "$id" ] && want=1; done
		[ $want = 1 ] || continue
	fi
	regex=${TESTS[$id]:-}
	if [ -z "$regex" ]; then
		echo "$id: no test is mapped to it in tests/mutants.sh"
		missed=$((missed + 1))
		continue
	fi
	use=$(remap "$patch")
	if ! git -C "$WORK/src" apply --check "$use" 2>/dev/null; then
		use=$SRC/tests/mutants/$name.patch
		[ -f "$use" ] && use=$(remap "$use")
		if [ ! -f "$use" ] || ! git -C "$WORK/src" apply --check "$use" 2>/dev/null; then
			echo "$id: MISSED (the patch no longer applies; add a hand-made equivalent as tests/mutants/$name.patch)"
			missed=$((missed + 1))
			continue
		fi
	fi
	git -C "$WORK/src" apply "$use"
	if ! cmake --build "$WORK/build" -j"$(nproc)" >"$WORK/build.log" 2>&1; then
		echo "$id: MISSED (the mutant does not build)"
		missed=$((missed + 1))
	elif ctest --test-dir "$WORK/build" -R "$regex" --output-on-failure >"$WORK/ctest.log" 2>&1; then
		echo "$id: MISSED by $regex"
		missed=$((missed + 1))
	else
		echo "$id: caught by $(grep -oE 'cli/t_[a-z_]+|unit/test_[a-z_]+' "$WORK/ctest.log" | sort -u | tr '\n' ' ')"
		# VERBOSE=1 shows why: the failed checks of the tests that caught it.
		[ -n "${VERBOSE:-}" ] && grep -E 'FAIL|Assertion|Failed|Sanitizer|Segmentation' "$WORK/ctest.log" | head -n 8 | sed 's/^/    /'
		caught=$((caught + 1))
	fi
	git -C "$WORK/src" apply -R "$use"
done
cmake --build "$WORK/build" -j"$(nproc)" >/dev/null 2>&1 || true
echo "mutants: $caught caught, $missed missed"
[ "$missed" -eq 0 ]
