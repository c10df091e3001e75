#!/usr/bin/env bash
# Crash sweep (RELIABILITY.md S1, issue 10): adr is killed with SIGKILL at
# every write, rename, link, unlink, ftruncate and fsync of `new`, `status`,
# `accept`, `meeting` and `index` in turn (strace fault injection counts the
# calls: when=N kills at the Nth one; N goes up until the command finishes
# without being killed). After each kill:
#   - git fsck --strict is clean (checked after the next adr command, as
#     adr never removes an object; one fsck per point keeps the sweep short);
#   - the branch is at the old commit or at one new commit on top of it;
#   - git status shows no deletion, staged or not, of anything (nothing a
#     plain `git commit` would turn into a deletion: F01), and no adr
#     temporary file is left in the work tree (F19);
#   - `adr list` works, and a further `adr new` works, repairs what the kill
#     left, and leaves git status clean (a kill while libgit2 holds the
#     branch's lock file leaves that file: then `adr new` must name it with
#     the fix, and work once the fix is applied);
#   - for `index`: `adr search` and `adr index --check` work afterwards.
# One template repository is copied (cp -a) for every injection point.
source "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		fail "strace is missing (tests/install-deps.sh installs it); the crash sweep cannot run"
		finish
		exit 1
	fi
	echo "$TEST_NAME: skipped: strace is not installed (tests/install-deps.sh installs it)"
	exit 0
fi
if ! strace -f -o /dev/null -e trace=none true 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "strace cannot trace here (ptrace is not allowed); the crash sweep cannot run"
		finish
		exit 1
	fi
	echo "$TEST_NAME: skipped: strace cannot trace here (ptrace is not allowed)"
	exit 0
fi

START=$(date +%s)
MAXN=${ADR_SWEEP_MAX:-400}
export ADR_NOW=2026-11-21T10:00:00Z EDITOR=true

# --- the template: two records, an open proposal, minutes ---------------------------
T=$TMP/template
sweep_repo "$T"
git -C "$T" repack -adq
sweep_minutes "$TMP/minutes.md"
OLD=$(git -C "$T" rev-parse main)

# Syscalls this build makes (strace -c would show them); fsync and fdatasync
# appear with durable mode (swept at the end).
SYSCALLS="write rename renameat renameat2 link linkat unlink unlinkat ftruncate fsync fdatasync"

POINTS=0
BAD=0
LOCKS=0

# check_after_kill WHAT REPO KIND
check_after_kill() {
	local what=$1 R=$2 kind=$3 now st tmpf
	now=$(git -C "$R" rev-parse main)
	if [ "$now" != "$OLD" ] && [ "$(git -C "$R" rev-parse "$now^1" 2>/dev/null)" != "$OLD" ]; then
		fail "$what: main is at neither the old commit nor one new commit on it"
		return 1
	fi
	st=$(git -C "$R" status --porcelain --untracked-files=all)
	if printf '%s\n' "$st" | grep -c '^\(D.\|.D\) ' >/dev/null; then
		fail "$what: a deletion shows in git status: $st"
		return 1
	fi
	tmpf=$(find "$R" -path "$R/.git" -prune -o -name '*adr-tmp*' -print)
	if [ -n "$tmpf" ]; then
		fail "$what: temporary file left in the work tree: $tmpf"
		return 1
	fi
	if [ "$kind" = index ]; then
		if ! "$ADR" -C "$R" search postgresql >"$TMP/search.out" 2>"$TMP/search.err" ||
			! grep -q 0002 "$TMP/search.out"; then
			fail "$what: adr search after the kill: $(cat "$TMP/search.err")"
			return 1
		fi
		if ! "$ADR" -C "$R" index --check >/dev/null 2>"$TMP/index.err"; then
			fail "$what: adr index --check after the kill: $(cat "$TMP/index.err")"
			return 1
		fi
	fi
	if ! "$ADR" -C "$R" list >/dev/null 2>"$TMP/list.err"; then
		fail "$what: adr list after the kill: $(cat "$TMP/list.err")"
		return 1
	fi
	if ! "$ADR" -C "$R" new --no-edit "After the crash" >/dev/null 2>"$TMP/new.err"; then
		# A kill between libgit2's creating the branch's lock file and
		# renaming it leaves the lock: adr must name it and the fix, and
		# the fix must work.
		lock="$R/.git/refs/heads/main.lock"
		if [ -e "$lock" ] && [ "$(cat "$TMP/new.err")" = "adr: '$lock' exists: another git process is updating the branch, or one crashed. If no git process is running, remove that file" ]; then
			rm "$lock"
			LOCKS=$((LOCKS + 1))
			if ! "$ADR" -C "$R" new --no-edit "After the crash" >/dev/null 2>"$TMP/new.err"; then
				fail "$what: adr new after removing the branch lock: $(cat "$TMP/new.err")"
				return 1
			fi
		else
			fail "$what: adr new after the kill: $(cat "$TMP/new.err")"
			return 1
		fi
	fi
	st=$(git -C "$R" status --porcelain --untracked-files=all)
	if [ -n "$st" ]; then
		fail "$what: git status after the next adr new: $st ($(cat "$TMP/new.err"))"
		return 1
	fi
	if ! git -C "$R" fsck --strict --no-dangling >/dev/null 2>"$TMP/fsck.err"; then
		fail "$what: git fsck --strict after the next adr new: $(cat "$TMP/fsck.err")"
		return 1
	fi
	return 0
}

# sweep KIND ARGS...: kills `adr ARGS` at every call of every syscall in turn.
sweep() {
	local kind=$1 sc n rc R
	shift
	for sc in $SYSCALLS; do
		for ((n = 1; n <= MAXN; n++)); do
			R=$TMP/r
			rm -rf "$R"
			cp -a "$T" "$R"
			set +e
			# The shell that waits for a killed process says "Killed": a
			# throwaway bash, whose stderr goes nowhere, does the waiting.
			# LeakSanitizer cannot run under ptrace: leaks are the other
			# tests' business.
			TMP=$TMP ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" bash -c 'cd "$1" && shift && strace -f -o /dev/null -e trace="$1" -e inject="$1":signal=SIGKILL:when="$2" \
				"${@:3}" >/dev/null 2>"$TMP/cmd.err"; exit $?' sweep "$R" "$sc" "$n" "$ADR" "$@" 2>/dev/null
			rc=$?
			set -e
			if [ "$rc" -ne 137 ]; then
				# Not killed: every call of this kind was swept. The command works.
				if [ "$rc" -ne 0 ]; then
					fail "$kind: $sc: finished with exit $rc: $(cat "$TMP/cmd.err")"
				else
					pass
				fi
				break
			fi
			POINTS=$((POINTS + 1))
			if check_after_kill "$kind: killed at $sc #$n" "$R" "$kind"; then
				pass
			else
				BAD=$((BAD + 1))
				[ -n "${KEEP_TMP:-}" ] && cp -a "$R" "$TMP/bad-$kind-$sc-$n"
			fi
		done
		if [ "$n" -gt "$MAXN" ]; then
			fail "$kind: $sc: still killed after $MAXN calls"
		fi
	done
}

sweep new new --no-edit "Crash test"
sweep status status 2 deprecated
sweep accept accept use-redis
sweep meeting meeting --from "$TMP/minutes.md"
sweep index index
PLAIN_POINTS=$POINTS

# Durable mode (durable: true) adds fsync calls, each a point where a kill
# must leave the same good states: `new` at every call of every kind again,
# the other writers at every fsync and fdatasync.
(
	cd "$T"
	printf 'durable: true\n' >>.adr.yaml
	git commit -q -am "durable mode"
)
OLD=$(git -C "$T" rev-parse main)
sweep new new --no-edit "Crash test"
SYSCALLS="fsync fdatasync"
sweep status status 2 deprecated
sweep accept accept use-redis
sweep meeting meeting --from "$TMP/minutes.md"
DURABLE_POINTS=$((POINTS - PLAIN_POINTS))
if [ "$DURABLE_POINTS" -lt 20 ]; then
	fail "durable mode added only $DURABLE_POINTS injection points: are fsyncs made?"
fi

# Each command was killed at least once per kind of call it makes.
if [ "$POINTS" -lt 50 ]; then
	fail "only $POINTS injection points: strace injection does not seem to work"
fi
expect_eq "no injection point left a bad state" 0 "$BAD"
echo "$TEST_NAME: swept $POINTS injection points ($PLAIN_POINTS default, $DURABLE_POINTS durable) in $(($(date +%s) - START)) s ($LOCKS left the branch's lock file, named with its fix)"
finish
