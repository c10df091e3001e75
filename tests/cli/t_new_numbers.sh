#!/usr/bin/env bash
# adr new at speed, still numbering right: the highest number of a
# published tip is kept by its records directory's tree id in
# .git/adr/max-numbers (git/maxnum.h), and a new record's commit carries
# its branch's number over to the new tree, so the next new reads no
# directory at all. A stale entry (the remote moved on),
# a corrupt file, a line whose checksum does not match, or one for a tree
# that is not in the repository is never trusted: the number is counted
# again. And the work tree checks that new takes a shortcut for (a path no
# one has) still refuse a file that is there, with core.ignorecase too.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

export ADR_NOW=2026-11-21
D=docs/decisions
BARE=$TMP/remote.git
CACHE=.git/adr/max-numbers
git init -q --bare "$BARE"
A=$TMP/a
B=$TMP/b
git clone -q "file://$BARE" "$A" 2>/dev/null
cd "$A"
git commit -q --allow-empty -m start
must_adr init
for t in One Two Three; do must_adr new --no-edit "Use $t"; done # 0002..0004
git push -q -u origin main
git clone -q "file://$BARE" "$B"

# The number kept for records directory (tree id) $1, "" when none.
kept_of() { grep "^$1 " $CACHE | cut -d' ' -f2; }

# --- --version and new need nothing from the network or the user's git setup -------
cd "$B"
run_adr --version
expect_eq "--version: exit" 0 "$RC"
expect_contains "--version: says the version" "adr version" "$OUT"
check "--version: writes nothing" test ! -e "$CACHE"

# --- the first new counts the published numbers and keeps them ------------------------
run_adr new --no-edit "Use webhooks"
expect_eq "first new: exit" 0 "$RC"
expect_eq "first new: 0005" "$D/0005-use-webhooks.md" "$OUT"
PUBDIR=$(git rev-parse origin/main:$D)
expect_eq "the published tip's highest number is kept" 4 "$(kept_of $PUBDIR)"
expect_eq "the kept file starts with its header" "adr-max-numbers 1" "$(head -1 $CACHE)"
expect_eq "the new tree's number is carried over, first" "$(git rev-parse main:$D) 5" "$(sed -n 2p $CACHE | cut -d' ' -f1,2)"

# --- carried over: the next new reads neither directory, and numbers right -----------
MAINDIR=$(git rev-parse main:$D)
run_adr new --no-edit "Use carried numbers"
expect_eq "carried: exit" 0 "$RC"
expect_eq "carried: 0006" "$D/0006-use-carried-numbers.md" "$OUT"
expect_eq "carried: the new tree's line" 6 "$(kept_of "$(git rev-parse main:$D)")"
expect_eq "carried: it took its parent's line" "" "$(kept_of $MAINDIR)"
expect_eq "carried: the published tip's line stays" 4 "$(kept_of $PUBDIR)"
# A commit that removes a record carries nothing: the next new counts again
# (git rm the highest, 0006: the next is 0006 again, no published tip has it).
git rm -q $D/0006-use-carried-numbers.md && git commit -q -m "drop 0006"
run_adr new --no-edit "Use recount"
expect_eq "after a removal: exit" 0 "$RC"
expect_eq "after a removal: counted again, 0006" "$D/0006-use-recount.md" "$OUT"
expect_eq "after a removal: the counted tree is kept" 6 "$(kept_of "$(git rev-parse main:$D)")"
git reset -q --hard HEAD~2

# --- stale: A publishes more; B's fetch moves the tip, the old line does not apply -----
cd "$A"
for t in Four Five Six; do must_adr new --no-edit "Use $t"; done # 0005..0007 on A
git push -q origin main
cd "$B"
git fetch -q
run_adr new --no-edit "Use queues"
expect_eq "stale: exit" 0 "$RC"
expect_eq "stale: past the new published 0007" "$D/0008-use-queues.md" "$OUT"
expect_eq "stale: the new tip's number kept" 7 "$(kept_of "$(git rev-parse origin/main:$D)")"
expect_eq "stale: the old line stays, for its own tree" 4 "$(kept_of $PUBDIR)"

# What git says the next number is: past every record name on the branch and
# on the published tip.
next_expected() {
	{
		git ls-tree --name-only main $D/
		git ls-tree --name-only origin/main $D/
	} | sed -n 's|^.*/0*\([0-9][0-9]*\)-.*|\1|p' | sort -n | tail -1 | awk '{printf "%04d", $1 + 1}'
}
publish_more() { # N: A records N more and pushes; B fetches
	cd "$A"
	for i in $(seq "$1"); do must_adr new --no-edit "From A $RANDOM"; done
	git push -q origin main
	cd "$B"
	git fetch -q
}

# --- a line that lies: the checksum does not match, so it is not believed -------------
publish_more 3 # 0008..0010 on A; B's own highest is 0008
NOW=$(git rev-parse origin/main:$D)
printf 'adr-max-numbers 1\n%s 1 0000000000000000\n' "$NOW" >$CACHE
run_adr new --no-edit "Use retries"
expect_eq "bad checksum: exit" 0 "$RC"
expect_eq "bad checksum: counted again, 0011" "$D/0011-use-retries.md" "$OUT"
expect_eq "bad checksum: the line is replaced" 10 "$(kept_of $NOW)"
expect_eq "bad checksum: one line for it" 1 "$(grep -c "^$NOW " $CACHE)"

# --- a line edited by hand: the number no longer matches its checksum -----------------
git reset -q --hard origin/main~2 # behind the published 0010: its own highest is 0008
sed -i "s/^\\($NOW\\) 10 /\\1 2 /" $CACHE
expect_contains "edited: the file now says 2" "$NOW 2 " "$(cat $CACHE)"
run_adr new --no-edit "Use backoff"
expect_eq "edited: exit" 0 "$RC"
expect_eq "edited: 0011, past the published 0010" "$D/0011-use-backoff.md" "$OUT"

# --- corrupt, empty, a directory, a symbolic link: not used, no error -------------------
for bad in garbage empty header-only dir symlink; do
	rm -rf $CACHE
	case $bad in
	garbage) head -c 300 /dev/urandom >$CACHE ;;
	empty) : >$CACHE ;;
	header-only) printf 'adr-max-numbers 1\n' >$CACHE ;;
	dir) mkdir -p $CACHE/x ;;
	symlink) printf 'adr-max-numbers 1\n' >"$TMP/elsewhere" && ln -s "$TMP/elsewhere" $CACHE ;;
	esac
	git reset -q --hard origin/main~1 # behind the published tip again
	want=$(next_expected)
	before=$(git rev-list --count main)
	run_adr new --no-edit "Use $bad"
	expect_eq "$bad: exit" 0 "$RC"
	expect_eq "$bad: numbered past the published tip" "$D/$want-use-$bad.md" "$OUT"
	expect_eq "$bad: one commit more" $((before + 1)) "$(git rev-list --count main)"
	# (the draft note of a record without a body, t_honest.sh, is no warning)
	expect_eq "$bad: no warning" "" "$(grep -v ' is a draft: ' <<<"$ERR" || true)"
done
expect_eq "symlink: its target untouched" "adr-max-numbers 1" "$(cat "$TMP/elsewhere")"

# --- a published tip no clone can read stops allocation, cache or not ---------------------
OLD=$(git rev-parse origin/main)
HEADNOW=$(git rev-parse main)
printf '0000000000000000000000000000000000000001\n' >.git/refs/remotes/origin/main
run_adr new --no-edit "Use broken tips"
expect_eq "unreadable tip: exit" 1 "$RC"
expect_contains "unreadable tip: says why" "origin/main" "$ERR"
check "unreadable tip: nothing committed" test "$(git rev-parse main)" = "$HEADNOW"
printf '%s\n' "$OLD" >.git/refs/remotes/origin/main

# --- the shortcut for a path no one has: a file there is still refused -----------------
mkdir -p $D
N=$(next_expected)
echo mine >$D/$N-use-mine.md
run_adr new --no-edit "Use mine"
expect_eq "untracked file there: exit" 1 "$RC"
expect_contains "untracked file there: says so" "exists in the work tree but is not committed" "$ERR"
expect_eq "untracked file there: kept" mine "$(cat $D/$N-use-mine.md)"
rm $D/$N-use-mine.md
git config core.ignorecase true
run_adr new --no-edit "Use case folding"
expect_eq "ignorecase: exit" 0 "$RC"
expect_eq "ignorecase: the next number" "$D/$N-use-case-folding.md" "$OUT"
check "ignorecase: status clean" status_clean "$B"
check "fsck" fsck_clean "$B"

finish
