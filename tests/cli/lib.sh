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

# sanitizer_reports_fail: from here on, an ASan/UBSan report in adr's
# stderr fails the test (for a sanitizer build whose reports are not sent
# to files).
sanitizer_reports_fail() {
	eval "lib_$(declare -f run_adr)"
	run_adr() {
		lib_run_adr "$@"
		case "$ERR" in *Sanitizer* | *"runtime error"*) fail "sanitizer report from adr $*: $ERR" ;; esac
	}
}

# must_adr ARGS...: a setup step. Runs adr like run_adr; when it fails, the
# checks after it would mean nothing, so the test stops here with a FAIL that
# says which step and why.
must_adr() {
	run_adr "$@"
	if [ "$RC" -ne 0 ]; then
		fail "setup step failed (exit $RC) at ${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: adr $*: $ERR"
		finish || true
		exit 1
	fi
}

# A plain command that fails in a test stops it (set -e); say which and
# where, so that the stop is a clear FAIL and not a bare exit status
# (set -E: also inside the test's functions; not in $(...) and subshells,
# which do not stop the test).
adr_test_stopped() {
	if [ "$BASH_SUBSHELL" -eq 0 ] && [ "${FINISHING:-}" = "" ] && [[ $- == *e* ]]; then
		echo "FAIL: $TEST_NAME stopped: \`$2\` exited $1 at ${BASH_SOURCE[1]##*/}:$3" >&2
	fi
}
set -E
trap 'adr_test_stopped $? "$BASH_COMMAND" "$LINENO"' ERR

# state_of DIR [PATH...]: what a failed command must leave as it was: HEAD,
# every ref, the index, git status (untracked and ignored files too), every
# file of the work tree with its hash, lock files in the git directory, and
# each PATH outside the repository (an html target, a file given to adr).
state_of() {
	local dir=$1 p gitdir
	shift
	gitdir=$(git -C "$dir" rev-parse --absolute-git-dir)
	echo "HEAD $(git -C "$dir" symbolic-ref -q HEAD || true) $(git -C "$dir" rev-parse -q --verify HEAD || true)"
	git -C "$dir" for-each-ref --format='%(refname) %(objectname)'
	if [ "$(git -C "$dir" rev-parse --is-bare-repository)" = false ]; then
		git -C "$dir" ls-files --stage
		git -C "$dir" status --porcelain --untracked-files=all --ignored
		(cd "$(git -C "$dir" rev-parse --show-toplevel)" &&
			find . -path ./.git -prune -o -type f -exec sha1sum {} + | LC_ALL=C sort -k2 &&
			find . -path ./.git -prune -o ! -type f -printf '%y %p -> %l\n' | LC_ALL=C sort)
	fi
	(cd "$gitdir" && find . -name '*.lock' | LC_ALL=C sort)
	for p in "$@"; do
		if [ -d "$p" ]; then
			(cd "$p" && find . -printf '%y %p %m\n' | LC_ALL=C sort && find . -type f -exec sha1sum {} + | LC_ALL=C sort -k2)
		elif [ -e "$p" ] || [ -L "$p" ]; then
			echo "$p $(sha1sum <"$p")"
		else
			echo "$p absent"
		fi
	done
}

# snapshot_state [DIR [PATH...]]: records state_of DIR (default: the current
# directory) before a command expected to fail; expect_unchanged compares.
snapshot_state() {
	STATE_ARGS=("${@:-.}")
	state_of "${STATE_ARGS[@]}" >"$TMP/state.before" 2>&1
}

# expect_unchanged DESCRIPTION: the state is what snapshot_state recorded.
expect_unchanged() {
	if [ "${STATE_ARGS+set}" != set ]; then
		fail "$1: expect_unchanged without snapshot_state"
		return
	fi
	state_of "${STATE_ARGS[@]}" >"$TMP/state.after" 2>&1
	if cmp -s "$TMP/state.before" "$TMP/state.after"; then
		pass
	else
		fail "$1: the state changed: $(diff "$TMP/state.before" "$TMP/state.after" | head -20)"
	fi
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

# need_shim PATH WHAT BUILT-BY: sets SHIM to PATH, an LD_PRELOAD library,
# and lets an ASan build accept it; without it the test is skipped (exit 0),
# or fails under CI=true, where it must be built.
need_shim() {
	SHIM=$1
	if [ ! -f "$SHIM" ]; then
		if [ "${CI:-}" = true ]; then
			fail "$2 $SHIM is missing ($3 builds it)"
			finish
			exit 1
		fi
		echo "$TEST_NAME: skipped: $2 $SHIM is not built"
		exit 0
	fi
	# An ASan build of adr accepts a preloaded library that is not the ASan runtime.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
}

# need_gitfault_shim: the libgit2 fault shim (tests/gitfault/) as SHIM.
need_gitfault_shim() {
	need_shim "${ADR_GITFAULT_LIB:-$(dirname "$ADR")/tests/gitfault/adr_gitfault.so}" "the libgit2 fault shim" \
		"tests/gitfault/"
}

new_repo() {
	local dir=$1
	git init -q "$dir"
}

# site_repo DIR: new_repo DIR, made the current directory, with its records
# in docs/decisions ($D, said in .adr.yaml, not committed) and docs/img.
site_repo() {
	new_repo "$1"
	cd "$1"
	D=docs/decisions
	mkdir -p $D docs/img
	printf 'dir: docs/decisions\n' >.adr.yaml
}

# ino FILE: its inode number.
ino() { stat -c %i "$1"; }

# build_cmp WHAT [ARGS...]: adr html into $S (which holds the previous
# site) and into a new directory with the same arguments: the same output
# (but for how many files the rebuild kept as they were), the same warnings
# and the same bytes, manifest included, with nothing left next to them.
# INC_OUT and INC_ERR: what the rebuild said.
BUILD_CMP_N=0
build_cmp() {
	local what=$1 fresh
	shift
	BUILD_CMP_N=$((BUILD_CMP_N + 1))
	fresh=$TMP/fresh$BUILD_CMP_N
	run_adr html -o "$S" "$@"
	expect_eq "$what: incremental build exit" 0 "$RC"
	expect_contains "$what: incremental build says" "wrote " "$OUT"
	INC_OUT=$OUT INC_ERR=$ERR
	run_adr html -o "$fresh" "$@"
	expect_eq "$what: full build exit" 0 "$RC"
	expect_not_contains "$what: a full build keeps nothing" "as they were" "$OUT"
	expect_eq "$what: same output as a full build" "${OUT/$fresh/$S}" \
		"$(printf '%s' "$INC_OUT" | sed -E 's/ \([0-9]+ as they were\)//')"
	expect_eq "$what: same warnings as a full build" "$ERR" "$INC_ERR"
	check "$what: incremental == full, byte for byte" diff -r "$S" "$fresh"
	expect_eq "$what: no temporary directory left" "" "$(ls -A "$(dirname "$S")" | grep '^\.adr-html-' || true)"
	rm -rf "$fresh"
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

# sweep_repo DIR: the repository the crash and fault sweeps start from (no
# sample hooks, so fewer files to copy): a first record, a plain commit,
# "Use PostgreSQL" on main, the open proposal adr/use-redis, main checked
# out. Objects are left loose; a caller repacks after adding its own.
sweep_repo() {
	git init -q --template= "$1"
	(
		cd "$1"
		"$ADR" init >/dev/null
		printf 'line\n' >notes.txt
		git add notes.txt
		git commit -q -m "notes"
		"$ADR" new --no-edit "Use PostgreSQL" >/dev/null
		"$ADR" propose --no-edit "Use Redis" >/dev/null 2>&1
		git checkout -q main
	)
}

# sweep_minutes FILE: meeting minutes with two decisions, for adr meeting --from.
sweep_minutes() {
	cat >"$1" <<'MIN'
# Steering meeting, 2026-11-21
Attendees: Ana Lima, Bo Chen

## Decision: Ship every Tuesday
Decision: Releases go out on Tuesdays.
Options: Tuesday, Friday

## Decision: Keep a changelog
Decision: Every release has a changelog entry.
MIN
}

# start_webhook LOG: starts tests/cli/notify_server.py, a webhook that
# records each request as a JSON line in LOG, on 127.0.0.1 (a free port);
# sets WEBHOOK to its base URL, stops it on exit, and keeps libcurl away
# from any proxy: nothing but the local server is contacted.
start_webhook() {
	python3 "$ADR_SOURCE_DIR/tests/cli/notify_server.py" "$TMP/port" "$1" &
	WEBHOOK_PID=$!
	trap 'kill "$WEBHOOK_PID" 2>/dev/null || true; cleanup_tmp' EXIT
	for _ in $(seq 1 100); do
		[ -s "$TMP/port" ] && break
		sleep 0.1
	done
	check "setup: the webhook server is listening" test -s "$TMP/port"
	WEBHOOK=http://127.0.0.1:$(cat "$TMP/port" 2>/dev/null)
	unset ADR_NOTIFY_URL http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
	export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
}

# webhook_text LOG N: the "text" of the JSON body of the N-th request in LOG.
webhook_text() {
	sed -n "$2p" "$1" | python3 -c 'import json, sys; print(json.loads(json.load(sys.stdin)["body"])["text"])'
}

finish() {
	FINISHING=1
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
