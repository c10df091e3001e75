#!/usr/bin/env bash
# Error sites of lib/git/worktree.c that a real work tree reaches (issue 11,
# error-path coverage), with no root tricks: an index that is a symbolic
# link or garbage, a file where the records directory goes, a directory
# where the record goes, another adr holding the journal lock (taken here
# with flock(1)), and a file size limit (ulimit -f). Each case checks the
# message and that the branch, the index and the work tree did not change.
source "$(dirname "$0")/lib.sh"

# libgit2 1.5 leaks a reference in git_revparse_single() when the ref names
# a missing object (repo.c opens the decision branch that way): those runs
# only are made without LeakSanitizer in a sanitizer build.
run_adr_git_leak() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" run_adr "$@"; }

D=docs/decisions
snap() { printf '%s\n%s\n%s\n' "$(git for-each-ref --format='%(refname) %(objectname)')" \
	"$(git ls-files -s)" "$(git status --porcelain --ignored)"; }

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
GITDIR=$R/.git

# --- the index is a symbolic link: refused before any file is written -------
# (Before, the new record was left in the work tree until the next adr.)
mv .git/index "$TMP/index"
ln -s "$TMP/index" .git/index
BEFORE=$(snap)
run_adr new --no-edit Use Foo
expect_eq "symlinked index: exit" 1 "$RC"
expect_eq "symlinked index: message" \
	"adr: cannot read '$GITDIR/index': Too many levels of symbolic links" "$ERR"
expect_eq "symlinked index: nothing written" "$BEFORE" "$(snap)"
check "symlinked index: no record file" test ! -e $D/0002-use-foo.md
rm .git/index
cp "$TMP/index" .git/index
run_adr new --no-edit Use Foo
expect_eq "with the index back, new works" 0 "$RC"
expect_eq "with the index back, the number is 2" "$D/0002-use-foo.md" "$(git ls-tree --name-only HEAD $D/ | grep use-foo)"
check "status clean after the retry" status_clean "$R"

# --- the index is garbage --------------------------------------------------------
cp .git/index "$TMP/index.good"
printf 'garbage\n' >.git/index
BEFORE_HEAD=$(git rev-parse HEAD)
run_adr new --no-edit Use Bar
expect_eq "garbage index: exit" 1 "$RC"
expect_contains "garbage index: message" "adr: cannot read the index '$GITDIR/index': " "$ERR"
expect_eq "garbage index: branch unchanged" "$BEFORE_HEAD" "$(git rev-parse HEAD)"
expect_eq "garbage index: index untouched" "garbage" "$(cat .git/index)"
check "garbage index: no record file" test ! -e $D/0003-use-bar.md
cp "$TMP/index.good" .git/index
check "index restored: status clean" status_clean "$R"

# --- a file where the records directory goes ---------------------------------
mv docs "$TMP/docs"
echo "not a directory" >docs
BEFORE=$(snap)
run_adr new --no-edit Use Baz
expect_eq "file for the records directory: exit" 1 "$RC"
expect_eq "file for the records directory: message" \
	"adr: cannot create directory '$R/$D': Not a directory" "$ERR"
expect_eq "file for the records directory: nothing written" "$BEFORE" "$(snap)"
expect_eq "file for the records directory: the file is intact" "not a directory" "$(cat docs)"
rm docs
mv "$TMP/docs" docs
check "docs restored: status clean" status_clean "$R"

# --- a directory with a file in it where the new record goes ----------------
mkdir -p $D/0003-use-baz.md
echo "mine" >$D/0003-use-baz.md/notes
BEFORE=$(snap)
run_adr new --no-edit Use Baz
expect_eq "directory at the record path: exit" 1 "$RC"
expect_contains "directory at the record path: message" \
	"adr: cannot check the status of '$D/0003-use-baz.md': " "$ERR"
expect_eq "directory at the record path: nothing written" "$BEFORE" "$(snap)"
expect_eq "directory at the record path: its file is intact" "mine" "$(cat $D/0003-use-baz.md/notes)"
rm -rf $D/0003-use-baz.md

# --- a file size limit: the record cannot be written to the work tree -------
# The body compresses well, so the object fits and the file does not. The
# limit stays above the size of gcov's data files, which a coverage build
# writes at exit (a smaller one would truncate them).
python3 -c "print('word ' * 40000)" >"$TMP/big.md"
BEFORE=$(snap)
set +e
(
	ulimit -f 64
	trap '' XFSZ
	"$ADR" new --no-edit --body-file "$TMP/big.md" Use Big
) >/dev/null 2>"$TMP/stderr"
RC=$?
set -e
ERR=$(cat "$TMP/stderr")
expect_eq "file size limit: exit" 1 "$RC"
check "file size limit: message" grep -Eq "^adr: cannot write '$GITDIR/adr-wt-[0-9]+-[0-9]+': File too large\$" "$TMP/stderr"
expect_eq "file size limit: nothing written" "$BEFORE" "$(snap)"
check "file size limit: no temporary file left" test -z "$(find .git -maxdepth 1 -name 'adr-wt-*')"

# --- another adr holds the journal lock (an empty journal: no pid to name) ---
BEFORE=$(snap)
set +e
(
	flock -x 9
	"$ADR" new --no-edit Use Qux
) 9>>.git/adr-journal >/dev/null 2>"$TMP/stderr"
RC=$?
set -e
ERR=$(cat "$TMP/stderr")
expect_eq "journal locked: exit" 1 "$RC"
expect_eq "journal locked: message" \
	"adr: another adr process is writing to the work tree '$R/'; try again when it has finished" "$ERR"
expect_eq "journal locked: nothing written" "$BEFORE" "$(snap)"

# --- a journal too large to be one adr's plan -----------------------------------
truncate -s 65M .git/adr-journal
BEFORE=$(snap)
run_adr new --no-edit Use Huge
expect_eq "huge journal: exit" 1 "$RC"
expect_eq "huge journal: message" "adr: '$GITDIR/adr-journal' is larger than 67108864 bytes" "$ERR"
expect_eq "huge journal: nothing written" "$BEFORE" "$(snap)"
expect_eq "huge journal: left for a person to look at" 68157440 "$(stat -c %s .git/adr-journal)"
: >.git/adr-journal

# --- a file where the records directory itself goes (its parent is there) ---
mv $D "$TMP/decisions"
echo "not a directory" >$D
BEFORE=$(snap)
run_adr new --no-edit Use Quux
expect_eq "file for the records directory itself: exit" 1 "$RC"
check "file for the records directory itself: message" grep -Eq \
	"^adr: cannot rename '$GITDIR/adr-wt-[0-9]+-[0-9]+' to '$R/$D/0003-use-quux.md': Not a directory\$" "$TMP/stderr"
expect_eq "file for the records directory itself: nothing written" "$BEFORE" "$(snap)"
check "file for the records directory itself: no temporary file left" test -z "$(find .git -maxdepth 1 -name 'adr-wt-*')"
rm $D
mv "$TMP/decisions" $D
check "records directory restored: status clean" status_clean "$R"

# --- the journal of a killed adr that cannot be repaired ----------------------
# Written as an adr killed between its file and its commit leaves it: the
# new file is in the work tree, the plan names it. Each repair fails, says
# why, and keeps the journal and the file for the next adr.
TIP=$(git rev-parse main)
echo "half-written" >$D/0004-x.md
NEWB=$(git hash-object $D/0004-x.md)
journal() { # BRANCH OLD-BLOB-OR-DASH MODE
	printf 'adr-journal 1\npid 999999\ntoken 999999-1-2-0\nbranch %s\nold %s\nnew 0123456789012345678901234567890123456789\nw %s %s %s f %s\nend\n' \
		"$1" "$TIP" "$NEWB" "$2" "$3" "$D/0004-x.md" >.git/adr-journal
}
journal refs/heads/main - 0
cp .git/adr-journal "$TMP/journal"
echo 0123456789012345678901234567890123456789 >.git/refs/heads/main
run_adr_git_leak new --no-edit Use Repair
expect_eq "repair, branch tip missing: exit" 1 "$RC"
expect_eq "repair, branch tip missing: message" \
	"adr: the tip of 'refs/heads/main' is missing or corrupt: object not found - no match for id (0123456789012345678901234567890123456789)" "$ERR"
check "repair, branch tip missing: journal kept" cmp -s .git/adr-journal "$TMP/journal"
expect_eq "repair, branch tip missing: file kept" "half-written" "$(cat $D/0004-x.md)"
check "repair, branch tip missing: no index.lock left" test ! -e .git/index.lock
echo "$TIP" >.git/refs/heads/main

journal refs/heads/a..b - 0
cp .git/adr-journal "$TMP/journal"
run_adr new --no-edit Use Repair
expect_eq "repair, bad branch name: exit" 1 "$RC"
expect_eq "repair, bad branch name: message" \
	"adr: cannot read branch 'refs/heads/a..b': the given reference name 'refs/heads/a..b' is not valid" "$ERR"
check "repair, bad branch name: journal kept" cmp -s .git/adr-journal "$TMP/journal"
expect_eq "repair, bad branch name: file kept" "half-written" "$(cat $D/0004-x.md)"

journal refs/heads/main 0123456789abcdef0123456789abcdef01234567 100644
cp .git/adr-journal "$TMP/journal"
BEFORE=$(snap)
run_adr new --no-edit Use Repair
expect_eq "repair, old blob missing: exit" 1 "$RC"
expect_eq "repair, old blob missing: message" \
	"adr: blob 0123456789abcdef0123456789abcdef01234567 of '$D/0004-x.md' is missing: object not found - no match for id (0123456789abcdef0123456789abcdef01234567)" "$ERR"
check "repair, old blob missing: journal kept" cmp -s .git/adr-journal "$TMP/journal"
expect_eq "repair, old blob missing: nothing else changed" "$BEFORE" "$(snap)"
expect_eq "repair, old blob missing: file kept" "half-written" "$(cat $D/0004-x.md)"
check "repair, old blob missing: no index.lock left" test ! -e .git/index.lock
# A plan that can be repaired: the file goes, the journal empties.
journal refs/heads/main - 0
run_adr new --no-edit Use Repair
expect_eq "repair that works: exit" 0 "$RC"
expect_contains "repair that works: says so" "took back '$D/0004-x.md'" "$ERR"
check "repair that works: the half-written file is gone" test ! -e $D/0004-x.md
expect_eq "repair that works: journal emptied" 0 "$(stat -c %s .git/adr-journal)"
git reset -q --hard HEAD~1

run_adr new --no-edit Use Qux
expect_eq "afterwards new works" 0 "$RC"
check "fsck" fsck_clean "$R"
check "status clean" status_clean "$R"
finish
