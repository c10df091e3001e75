# Shared helpers for the end-to-end tests. Each test sources this file,
# works in its own temporary directory, and checks results with git itself.
set -euo pipefail

: "${ADR:?ADR must point at the adr binary}"
ADR_SOURCE_DIR=${ADR_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ADR_SHARED=${ADR_SHARED:-$ADR_SOURCE_DIR/../shared}
# The project's own fixtures; FORMATS holds records in each format adr reads.
ADR_FIXTURES=${ADR_FIXTURES:-$ADR_SOURCE_DIR/tests/fixtures}
FORMATS=$ADR_FIXTURES/formats

TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/adr-$TEST_NAME.XXXXXX")
cleanup_tmp() { if [ "${KEEP_TMP:-}" = "" ]; then rm -rf "$TMP"; else echo "kept $TMP" >&2; fi; }
trap cleanup_tmp EXIT

# A clean, reproducible git environment for every test.
export HOME="$TMP/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Ana Lima" GIT_AUTHOR_EMAIL="ana@example.com"
export GIT_COMMITTER_NAME="Ana Lima" GIT_COMMITTER_EMAIL="ana@example.com"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE VISUAL EDITOR ADR_NOW 2>/dev/null || true
git config --global init.defaultBranch main
git config --global user.name "Ana Lima"
git config --global user.email "ana@example.com"

PASSED=0
FAILED=0
SKIPPED=0

fail() {
	echo "FAIL: $*" >&2
	FAILED=$((FAILED + 1))
}

pass() {
	PASSED=$((PASSED + 1))
}

# check DESCRIPTION COMMAND...: runs the command, counts a pass or a failure.
check() {
	local what=$1
	shift
	if "$@"; then pass; else fail "$what"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_contains DESCRIPTION NEEDLE HAYSTACK
expect_contains() {
	case "$3" in
	*"$2"*) pass ;;
	*) fail "$1: [$2] not found in [$3]" ;;
	esac
}

expect_not_contains() {
	case "$3" in
	*"$2"*) fail "$1: [$2] unexpectedly found in [$3]" ;;
	*) pass ;;
	esac
}

# run_adr: runs adr, saving stdout, stderr and the exit code in OUT, ERR, RC.
run_adr() {
	set +e
	OUT=$("$ADR" "$@" 2>"$TMP/stderr")
	RC=$?
	set -e
	ERR=$(cat "$TMP/stderr")
}

# have_shared SUBDIR WHAT: true when $ADR_SHARED/SUBDIR (data that is not
# the project's own: the external corpora, the Mustache spec) is there.
# Otherwise prints "SKIP: WHAT (... absent)", counts a skip and returns 1;
# with CI=true a missing directory is a failure instead (CI must replay it).
have_shared() {
	if [ -d "$ADR_SHARED/$1" ]; then return 0; fi
	if [ "${CI:-}" = true ]; then
		fail "$2: $ADR_SHARED/$1 is missing and CI=true"
	else
		echo "SKIP: $2 ($ADR_SHARED/$1 absent: ../shared absent)"
		SKIPPED=$((SKIPPED + 1))
	fi
	return 1
}

new_repo() {
	local dir=$1
	git init -q "$dir"
}

commit_count() {
	git -C "$1" rev-list --count "${2:-HEAD}"
}

fsck_clean() {
	git -C "$1" fsck --strict --no-dangling >/dev/null 2>&1
}

status_clean() {
	[ -z "$(git -C "$1" status --porcelain)" ]
}

finish() {
	if [ "$SKIPPED" -gt 0 ]; then
		echo "$TEST_NAME: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	else
		echo "$TEST_NAME: $PASSED passed, $FAILED failed"
	fi
	[ "$FAILED" -eq 0 ]
}

# json_val EXPR: reads JSON on stdin and prints EXPR (Python, over `d`, the
# parsed document) as compact JSON, so numbers compare exactly (never as
# substrings: "records":5 must not match 50).
json_val() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
print(json.dumps(eval(sys.argv[1], {"d": d}), sort_keys=True, separators=(",", ":")))' "$1"
}

# expect_json DESCRIPTION EXPR EXPECTED: EXPR over the JSON in $OUT.
expect_json() {
	local got
	got=$(json_val "$2" <<<"$OUT" 2>&1) || got="(not JSON: $got)"
	expect_eq "$1" "$3" "$got"
}
