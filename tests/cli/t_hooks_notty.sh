#!/usr/bin/env bash
# Hooks without a terminal (CI, GUI clients, scripts): `setsid` leaves no
# controlling terminal, so /dev/tty does not open, and stdin is /dev/null.
# The commit must finish without waiting for an answer (bounded at 60 s, far
# beyond any real run, so a loaded machine cannot fail it; a hook that waited
# would be killed there), exit 0, print at most one line from adr and create
# nothing. The same in a linked worktree, and when adr
# itself fails (a broken .adr.yaml, GIT_COMMON_DIR set).
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen (the hooks
# ignore adr's status): send them to files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
printf 'hooks:\n  watch: [package.json, "db/migrations/**"]\n' >>.adr.yaml
git commit -q -am "watch"
"$ADR" hooks install >/dev/null

now_ms() { date +%s%3N; }

# notty_commit NAME ARGS...: git commit without a terminal; sets RC, MS, ERRLINES, ERR.
notty_commit() {
	local name=$1 t0 t1
	shift
	t0=$(now_ms)
	set +e
	timeout -k 5 60 setsid -w git commit "$@" </dev/null >"$TMP/out.$name" 2>"$TMP/err.$name"
	RC=$?
	set -e
	t1=$(now_ms)
	MS=$((t1 - t0))
	ERR=$(grep '^adr' "$TMP/err.$name" || true)
	ERRLINES=$(grep -c '^adr' "$TMP/err.$name" || true)
}

refs_snapshot() { git for-each-ref --format='%(refname) %(objectname)' | grep -v '^refs/heads/main ' || true; }

# --- a watched path --------------------------------------------------------------
echo '{}' >package.json
git add package.json
N=$(commit_count "$R")
REFS=$(refs_snapshot)
notty_commit watched -m "Add package.json"
expect_eq "watched: exit status" 0 "$RC"
check "watched: did not wait for an answer (took $MS ms; the bound is 60 s)" test "$RC" != 124
expect_eq "watched: one line from adr" 1 "$ERRLINES"
expect_contains "watched: the line says why" "no terminal" "$ERR"
expect_eq "watched: only the code commit" $((N + 1)) "$(commit_count "$R")"
expect_eq "watched: HEAD is the code commit" "Add package.json" "$(git log -1 --format=%s)"
expect_eq "watched: no other ref" "$REFS" "$(refs_snapshot)"
check "watched: no recovery file" test ! -e .git/adr-recovery
check "watched: status clean" status_clean "$R"

# --- a Decision: trailer ------------------------------------------------------------
echo x >notes.txt
git add notes.txt
N=$(commit_count "$R")
notty_commit trailer -m "Add notes" -m "Decision: Keep notes in the repository"
expect_eq "trailer: exit status" 0 "$RC"
check "trailer: did not wait for an answer (took $MS ms; the bound is 60 s)" test "$RC" != 124
expect_eq "trailer: one line" 1 "$ERRLINES"
expect_contains "trailer: the line names the trailer" "Decision:" "$ERR"
expect_eq "trailer: only the code commit" $((N + 1)) "$(commit_count "$R")"

# --- nothing watched: silent --------------------------------------------------------
echo y >>notes.txt
git add notes.txt
notty_commit plain -m "More notes"
expect_eq "plain: exit status" 0 "$RC"
expect_eq "plain: adr says nothing" 0 "$ERRLINES"

# --- Decision: none opts out silently -----------------------------------------------
echo '{"a":1}' >package.json
git add package.json
notty_commit optout -m "Bump" -m "Decision: none"
expect_eq "opt-out: exit status" 0 "$RC"
expect_eq "opt-out: adr says nothing" 0 "$ERRLINES"

# --- linked worktree: same hooks, same behaviour --------------------------------------
git worktree add -q "$TMP/wt" -b feature
(
	cd "$TMP/wt"
	echo '{"b":2}' >package.json
	git add package.json
	notty_commit wt -m "Bump in a worktree"
	expect_eq "worktree: exit status" 0 "$RC"
	check "worktree: did not wait for an answer (took $MS ms; the bound is 60 s)" test "$RC" != 124
	expect_eq "worktree: one line" 1 "$ERRLINES"
	expect_contains "worktree: the line" "no terminal" "$ERR"
	expect_eq "worktree: only the code commit" "Bump in a worktree" "$(git log -1 --format=%s)"
	echo "$PASSED $FAILED" >"$TMP/counts"
)
read -r PASSED FAILED <"$TMP/counts"

# --- prepare-commit-msg: the hint in the editor -------------------------------------------
printf '#!/bin/sh\ncp "$1" "$EDITOR_SEEN"\nprintf "Edited subject\\n" >"$1"\n' >"$TMP/editor.sh"
chmod +x "$TMP/editor.sh"
export GIT_EDITOR=$TMP/editor.sh EDITOR_SEEN=$TMP/seen
mkdir -p db/migrations
echo 'create table t;' >db/migrations/001.sql
git add db
setsid -w git commit -q </dev/null 2>/dev/null
SEEN=$(cat "$TMP/seen")
expect_contains "hint: names the watched path" "# adr: this change touches paths watched for decisions (hooks.watch):
#   db/migrations/001.sql
# Add \"Decision: TITLE\"" "$SEEN"
expect_contains "hint: git's own text is still there" "# Please enter the commit message" "$SEEN"
expect_eq "hint: stripped from the commit" "Edited subject" "$(git log -1 --format=%B | sed '/^$/d')"

echo more >>notes.txt
git add notes.txt
setsid -w git commit -q </dev/null 2>/dev/null
expect_not_contains "hint: none when nothing watched is staged" "adr:" "$(cat "$TMP/seen")"

echo 'create table u;' >db/migrations/002.sql
git add db
setsid -w git commit -q -v </dev/null 2>/dev/null
SEEN=$(cat "$TMP/seen")
HINT_LINE=$(grep -n 'adr: this change' <<<"$SEEN" | cut -d: -f1)
CUT_LINE=$(grep -n '>8' <<<"$SEEN" | cut -d: -f1)
check "hint: before the scissors line with -v ($HINT_LINE < $CUT_LINE)" test "${HINT_LINE:-999}" -lt "${CUT_LINE:-0}"

echo 'create table v;' >db/migrations/003.sql
git add db
git config core.commentChar ';'
setsid -w git commit -q </dev/null 2>/dev/null
git config --unset core.commentChar
expect_contains "hint: uses core.commentChar" "; adr: this change touches" "$(cat "$TMP/seen")"
expect_eq "hint: stripped with core.commentChar" "Edited subject" "$(git log -1 --format=%B | sed '/^$/d')"

echo 'create table w;' >db/migrations/004.sql
git add db
setsid -w git commit -q -m "Given with -m" </dev/null 2>/dev/null
expect_eq "hint: never in a -m message" "Given with -m" "$(git log -1 --format=%B | sed '/^$/d')"
unset GIT_EDITOR

# --- adr fails: the commit does not -------------------------------------------------------
N=$(commit_count "$R")
echo '{"d":4}' >package.json
git add package.json
set +e
GIT_DIR=$R/.git GIT_COMMON_DIR=$R/.git setsid -w git commit -q -m "With GIT_COMMON_DIR" </dev/null 2>"$TMP/err.common"
RC=$?
set -e
expect_eq "GIT_COMMON_DIR: exit status" 0 "$RC"
expect_eq "GIT_COMMON_DIR: the commit is made" $((N + 1)) "$(commit_count "$R")"
expect_eq "GIT_COMMON_DIR: one line" 1 "$(grep -c '^adr' "$TMP/err.common" || true)"
expect_contains "GIT_COMMON_DIR: says why" "GIT_COMMON_DIR" "$(cat "$TMP/err.common")"

printf 'dir: [unclosed\n' >.adr.yaml
git commit -q -m "break .adr.yaml" .adr.yaml 2>/dev/null
echo '{"c":3}' >package.json
git add package.json
N=$(commit_count "$R")
notty_commit broken -m "Bump with a broken config"
expect_eq "broken config: exit status" 0 "$RC"
expect_eq "broken config: the commit is made" $((N + 1)) "$(commit_count "$R")"
expect_eq "broken config: one line" 1 "$ERRLINES"
expect_contains "broken config: says what failed" ".adr.yaml" "$ERR"
check "fsck --strict" fsck_clean "$R"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
