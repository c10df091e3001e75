#!/usr/bin/env bash
# Work-tree safety (issue 10): no kill leaves a record that a plain
# `git commit` deletes (F01), the branch checked out in another work tree
# follows (F02), an ignored file is never overwritten (F04), a sparse
# checkout is not "uncommitted changes" (F09), and no adr temporary file is
# left in, or stays in, the work tree (F19).
source "$(dirname "$0")/lib.sh"

D=docs/decisions
export EDITOR=true

HAVE_STRACE=0
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null -e trace=none true 2>/dev/null; then
	HAVE_STRACE=1
elif [ "${CI:-}" = true ]; then
	fail "strace is missing or cannot trace (tests/install-deps.sh installs it)"
else
	echo "$TEST_NAME: the kill tests are skipped: strace is missing or cannot trace"
fi

# killed_at SYSCALL N DIR ARGS...: runs adr ARGS in DIR under strace, killed
# with SIGKILL at the Nth call of SYSCALL; returns 0 when it was killed. A
# throwaway bash does the waiting, so no "Killed" line reaches the log.
killed_at() {
	local sc=$1 n=$2 dir=$3 rc
	shift 3
	set +e
	# LeakSanitizer cannot run under ptrace: leaks are the other tests' business.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" bash -c 'cd "$1" && strace -f -o /dev/null -e trace="$2" -e inject="$2":signal=SIGKILL:when="$3" "${@:4}" \
		>/dev/null 2>&1; exit $?' killed "$dir" "$sc" "$n" "$ADR" "$@" 2>/dev/null
	rc=$?
	set -e
	[ "$rc" -eq 137 ]
}

make_repo() {
	rm -rf "$1"
	new_repo "$1"
	(cd "$1" && "$ADR" init >/dev/null && printf 'notes\n' >notes.txt && git add notes.txt &&
		git commit -q -m notes)
}

# --- F01: a kill at any rename, then the user's own commit --------------------------
if [ "$HAVE_STRACE" = 1 ]; then
	T=$TMP/f01-template
	make_repo "$T"
	OLD_RECORDS=$(git -C "$T" ls-tree --name-only main $D/)
	KILLS=0
	REPAIRS=""
	for n in $(seq 1 30); do
		R=$TMP/f01
		rm -rf "$R"
		cp -a "$T" "$R"
		killed_at rename "$n" "$R" new --no-edit "Crash here" || break
		KILLS=$((KILLS + 1))
		cd "$R"
		# The user follows git's own advice about leftover lock files,
		# then commits unrelated work with a plain `git commit`.
		rm -f .git/index.lock .git/refs/heads/main.lock
		STATUS=$(git status --porcelain --untracked-files=all)
		expect_not_contains "F01 rename #$n: no staged deletion" "D  " "$STATUS"
		expect_not_contains "F01 rename #$n: no unstaged deletion" " D " "$STATUS"
		expect_not_contains "F01 rename #$n: no temp file (F19)" "adr-tmp" "$STATUS"
		echo more >>notes.txt
		git add notes.txt
		git commit -q -m "unrelated change"
		expect_eq "F01 rename #$n: the plain commit deletes nothing" "" \
			"$(git diff --name-only --diff-filter=D HEAD~1 HEAD)"
		for f in $OLD_RECORDS; do
			git cat-file -e "main:$f" 2>/dev/null || fail "F01 rename #$n: $f lost from main"
		done
		run_adr new --no-edit "Next"
		expect_eq "F01 rename #$n: next adr new works" 0 "$RC"
		REPAIRS="$REPAIRS$ERR"$'\n'
		# Whatever the kill left is repaired or committed: nothing shows.
		expect_eq "F01 rename #$n: status clean after the next adr" "" "$(git status --porcelain --untracked-files=all)"
		check "F01 rename #$n: fsck" fsck_clean "$R"
		cd "$TMP"
	done
	check "F01: adr was killed at several renames ($KILLS)" test "$KILLS" -ge 3
	# A kill before the branch moved is taken back, and adr says so in one line.
	expect_contains "F01: the repair is reported" \
		"adr: warning: repaired what an interrupted adr (pid " "$REPAIRS"
	expect_contains "F01: the repair names the record" \
		"its commit never landed; took back '$D/0002-crash-here.md'" "$REPAIRS"
fi

# --- F01: index.lock left by an older adr: advice that loses nothing ------------------
R=$TMP/f01-advice
make_repo "$R"
cd "$R"
"$ADR" new --no-edit "Crash here" >/dev/null
# What adr before issue 10 left when killed after moving the branch: the record
# is on main, the index and the work tree lack it, index.lock stays.
git rm -q --cached $D/0002-crash-here.md
rm $D/0002-crash-here.md
: >.git/index.lock
run_adr new --no-edit "Next"
expect_eq "F01 advice: refused" 1 "$RC"
expect_eq "F01 advice: the exact, safe command" "adr: '$R/.git/index.lock' exists: another git process is using the index, or one crashed. If no git process is running (check with ps), release it without losing anything with: rm '$R/.git/index.lock' && git reset -q -- '$D/0002-crash-here.md' && git checkout -- '$D/0002-crash-here.md'" "$ERR"
expect_eq "F01 advice: nothing written" 2 "$(git ls-tree --name-only main $D/ | wc -l)"
set +e
eval "${ERR#*with: }"
RC=$?
set -e
expect_eq "F01 advice: the command works" 0 "$RC"
expect_eq "F01 advice: status clean after the fix" "" "$(git status --porcelain --untracked-files=all)"
expect_eq "F01 advice: the record is back" "Crash here" "$(sed -n 's/^# //p' $D/0002-crash-here.md)"
run_adr new --no-edit "Next"
expect_eq "F01 advice: adr works again" 0 "$RC"
expect_eq "F01 advice: status clean" "" "$(git status --porcelain --untracked-files=all)"
cd "$TMP"

# --- F02: the branch is checked out in a linked work tree -----------------------------
R=$TMP/f02
make_repo "$R"
cd "$R"
git checkout -q -b side
git worktree add -q "$TMP/f02-linked" main
run_adr new --no-edit "Made from the side worktree"
expect_eq "F02: new works" 0 "$RC"
P=$D/0002-made-from-the-side-worktree.md
expect_eq "F02: the linked work tree is clean" "" "$(git -C "$TMP/f02-linked" status --porcelain --untracked-files=all)"
check "F02: the record is in the linked work tree" test -f "$TMP/f02-linked/$P"
expect_eq "F02: this work tree (side) is left alone" "" "$(git status --porcelain --untracked-files=all)"
(cd "$TMP/f02-linked" && echo x >>notes.txt && git add notes.txt && git commit -q -m "add notes")
expect_eq "F02: a plain commit there deletes nothing" "" \
	"$(git -C "$TMP/f02-linked" diff --name-only --diff-filter=D HEAD~1 HEAD)"
check "F02: the record stays on main" git cat-file -e "main:$P"
# Uncommitted work there, on the record adr rewrites: refused, named, nothing written.
echo "my edit" >>"$TMP/f02-linked/$P"
MAIN=$(git rev-parse main)
run_adr status 2 deprecated
expect_eq "F02 dirty: refused" 1 "$RC"
expect_eq "F02 dirty: message" "adr: '$P' in the work tree '$TMP/f02-linked/' (where the branch is checked out too) has uncommitted changes; commit or stash them first (adr never overwrites uncommitted work)" "$ERR"
expect_eq "F02 dirty: main did not move" "$MAIN" "$(git rev-parse main)"
expect_eq "F02 dirty: the edit is kept" "my edit" "$(tail -n 1 "$TMP/f02-linked/$P")"
cd "$TMP"

# --- F04: an ignored file at the new record's path --------------------------------------
R=$TMP/f04
make_repo "$R"
cd "$R"
echo "$D/0002-*.md" >>.git/info/exclude
echo "my private draft" >$D/0002-my-draft.md
MAIN=$(git rev-parse main)
run_adr new --no-edit "My draft"
expect_eq "F04: refused" 1 "$RC"
expect_eq "F04: message" "adr: '$D/0002-my-draft.md' exists in the work tree (ignored by git) but is not committed; move it away first (adr never overwrites uncommitted work)" "$ERR"
expect_eq "F04: the draft is kept" "my private draft" "$(cat $D/0002-my-draft.md)"
expect_eq "F04: main did not move" "$MAIN" "$(git rev-parse main)"
expect_eq "F04: nothing staged" "" "$(git diff --cached --name-only)"
cd "$TMP"

# --- F09: sparse checkout without the records ---------------------------------------------
R=$TMP/f09
make_repo "$R"
cd "$R"
mkdir src
echo c >src/a.c
git add -A
git commit -q -m code
git sparse-checkout set src
run_adr status 1 deprecated
expect_eq "F09 status: works" 0 "$RC"
expect_eq "F09 status: no error" "" "$ERR"
expect_contains "F09 status: committed" "status: deprecated" "$(git show main:$D/0001-record-decisions-in-git.md)"
run_adr new --no-edit "Sparse record"
expect_eq "F09 new: works" 0 "$RC"
expect_eq "F09: git status is clean" "" "$(git status --porcelain --untracked-files=all)"
expect_eq "F09: the records stay out of the work tree" "S $D/0001-record-decisions-in-git.md
S $D/0002-sparse-record.md" "$(git ls-files -v $D)"
check "F09: no records directory" test ! -e docs
git sparse-checkout disable
expect_eq "F09: leaving sparse checkout brings the new contents" "" "$(git status --porcelain --untracked-files=all)"
expect_contains "F09: the status change is there" "status: deprecated" "$(cat $D/0001-record-decisions-in-git.md)"
check "F09: the new record is there" test -f $D/0002-sparse-record.md
cd "$TMP"

# --- F19: stale temp files are cleaned ----------------------------------------------------
R=$TMP/f19
make_repo "$R"
cd "$R"
# Left by adr processes that were killed (no process has pid 999999).
: >$D/0001-record-decisions-in-git.md.adr-tmp-999999
: >$D/0002-gone.md.adr-tmp-999999
# Not adr's, or not dead: a live process's (this shell's), a name that is
# only the suffix, a pid that is not a number. These stay.
: >$D/0003-live.md.adr-tmp-$$
: >$D/.adr-tmp-999999
: >$D/0004-odd.md.adr-tmp-99x
run_adr new --no-edit "After the kill"
expect_eq "F19: new works" 0 "$RC"
expect_eq "F19: the stale temp files are gone, the others stay" \
	"$(printf '%s\n' ./$D/.adr-tmp-999999 ./$D/0003-live.md.adr-tmp-$$ ./$D/0004-odd.md.adr-tmp-99x)" \
	"$(find . -path ./.git -prune -o -name '*adr-tmp*' -print | sort)"
rm -f $D/0003-live.md.adr-tmp-$$ $D/.adr-tmp-999999 $D/0004-odd.md.adr-tmp-99x
expect_eq "F19: status clean" "" "$(git status --porcelain --untracked-files=all)"
cd "$TMP"

finish
