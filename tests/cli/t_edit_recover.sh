#!/usr/bin/env bash
# F03: every editor session has a file of its own in .git/adr-edit/, kept
# until its text is committed or discarded. A failed editor, a text that
# does not parse or a refused commit keeps the text and names the file; the
# next edit neither overwrites nor deletes it; two concurrent edits of one
# record never mix their texts and the second never overwrites the first.
# `adr edit --recover` lists kept texts and applies one, `--discard` removes
# one, and neither touches a text another adr is editing.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
P=$D/0002-edit-me.md
must_adr init
run_adr new --no-edit "Edit me"
expect_eq "setup" 0 "$RC"
GITDIR=$(realpath .git)
KEEP=$GITDIR/adr-edit

kept_files() { { find "$KEEP" -name '*.md' 2>/dev/null || true; } | sort; }
kept_count() { kept_files | grep -c . || true; }
# the number --recover shows for PATH
kept_id() { { "$ADR" edit --recover 2>/dev/null || true; } | awk -v p="$1" '$0 ~ p { print $1 }'; }

cat >"$TMP/ed-fail.sh" <<'SH'
#!/bin/sh
echo "HALF AN HOUR OF WORK" >>"$1"
exit 1
SH
cat >"$TMP/ed-slow.sh" <<'SH'
#!/bin/sh
echo "EDITOR-$MARK-part1" >>"$1"
sleep 2
echo "EDITOR-$MARK-part2" >>"$1"
SH
cat >"$TMP/ed-break.sh" <<'SH'
#!/bin/sh
sed -i 's/^status: accepted/status: maybe-later/' "$1"
SH
cat >"$TMP/ed-fix.sh" <<'SH'
#!/bin/sh
sed -i 's/^status: maybe-later/status: deprecated/' "$1"
SH
chmod +x "$TMP"/ed-*.sh
COMMITS=$(commit_count "$R")

# 1. the editor fails: the text is kept in a file of its own, which the message names
EDITOR="$TMP/ed-fail.sh" run_adr edit 2
expect_eq "editor fails: exit 1" 1 "$RC"
KEPT1=$(kept_files)
expect_eq "editor fails: one kept file" 1 "$(kept_count)"
case "$(basename "$KEPT1")" in
0002-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]*-??????.md) pass ;;
*) fail "editor fails: kept file name [$KEPT1]" ;;
esac
expect_contains "editor fails: the error" "adr: the editor '$TMP/ed-fail.sh' failed (exit status 1)" "$ERR"
expect_contains "editor fails: names the file" "adr: your text is kept in $KEPT1 ('adr edit --recover' lists kept texts)" "$ERR"
expect_contains "editor fails: the text is in it" "HALF AN HOUR OF WORK" "$(cat "$KEPT1")"
expect_eq "editor fails: no commit" "$COMMITS" "$(commit_count "$R")"
check "editor fails: work tree clean" status_clean "$R"

# 2. the next edit neither overwrites nor deletes it, and says it is there
EDITOR=true run_adr edit 2
expect_eq "next edit: exit 0" 0 "$RC"
expect_contains "next edit: no changes" "$P: no changes" "$OUT"
expect_eq "next edit: note" "adr: note: 1 kept text of 0002 from an earlier edit (see 'adr edit --recover')" "$ERR"
expect_eq "next edit: kept file still there" "$KEPT1" "$(kept_files)"
expect_contains "next edit: kept text intact" "HALF AN HOUR OF WORK" "$(cat "$KEPT1")"

# 3. the list
run_adr edit --recover
expect_eq "list: exit 0" 0 "$RC"
SIZE=$(stat -c %s "$KEPT1")
expect_contains "list: number, record, size, path" "1  0002      " "$OUT"
expect_contains "list: size and path" " $SIZE bytes  $KEPT1" "$OUT"
expect_eq "list: one entry" 1 "$(printf '%s\n' "$OUT" | grep -c '^[0-9]  ')"
expect_eq "list: nothing on stderr" "" "$ERR"

# 4. --recover N applies it to the record as it is now, then removes the file
EDITOR=true run_adr edit --recover 1
expect_eq "recover: exit 0" 0 "$RC"
expect_eq "recover: prints the path" "$P" "$OUT"
expect_contains "recover: the text is committed" "HALF AN HOUR OF WORK" "$(git show HEAD:$P)"
expect_eq "recover: one commit" $((COMMITS + 1)) "$(commit_count "$R")"
expect_eq "recover: subject" "adr: edit 0002 Edit me" "$(git log -1 --format=%s)"
check "recover: the file is removed" test ! -e "$KEPT1"
run_adr edit --recover
expect_eq "empty list: exit 0" 0 "$RC"
expect_eq "empty list: no output" "" "$OUT"
expect_eq "empty list: says so" "adr: no kept texts in $KEEP" "$ERR"
COMMITS=$(commit_count "$R")

# a successful edit leaves no file of its own behind
printf '#!/bin/sh\necho "A good line." >>"$1"\n' >"$TMP/ed-good.sh"
chmod +x "$TMP/ed-good.sh"
EDITOR="$TMP/ed-good.sh" run_adr edit 2
expect_eq "good edit: exit 0" 0 "$RC"
expect_eq "good edit: committed" $((COMMITS + 1)) "$(commit_count "$R")"
expect_contains "good edit: on top of the recovered text" "HALF AN HOUR OF WORK" "$(git show HEAD:$P)"
expect_eq "good edit: its file is removed" 0 "$(kept_count)"
COMMITS=$(commit_count "$R")

# 5. a text that does not parse is kept; --recover reopens it in the editor until it does
EDITOR="$TMP/ed-break.sh" run_adr edit 2
expect_eq "bad text: exit 1" 1 "$RC"
BAD=$(kept_files)
expect_contains "bad text: file:line:col in the kept file" "adr: $BAD:2:9: " "$ERR"
expect_contains "bad text: kept" "adr: your text is kept in $BAD" "$ERR"
expect_contains "bad text: content" "status: maybe-later" "$(cat "$BAD")"
EDITOR=true run_adr edit --recover "$BAD"
expect_eq "recover unparsable as is: exit 1" 1 "$RC"
expect_contains "recover unparsable: error" "$BAD:2:9: " "$ERR"
check "recover unparsable: still kept" test -f "$BAD"
expect_eq "recover unparsable: no commit" "$COMMITS" "$(commit_count "$R")"
EDITOR="$TMP/ed-fix.sh" run_adr edit --recover "$BAD"
expect_eq "recover fixed: exit 0" 0 "$RC"
expect_contains "recover fixed: committed" "status: deprecated" "$(git show HEAD:$P)"
check "recover fixed: file removed" test ! -e "$BAD"
COMMITS=$(commit_count "$R")

# 6. two concurrent edits of one record: each has its own file; the second to
#    commit is refused and keeps its text; nothing is mixed or lost
(set +e; MARK=A EDITOR="$TMP/ed-slow.sh" "$ADR" edit 2 >"$TMP/a.out" 2>"$TMP/a.err"; echo $? >"$TMP/a.rc") &
A_PID=$!
sleep 0.5
(set +e; MARK=B EDITOR="$TMP/ed-slow.sh" "$ADR" edit 2 >"$TMP/b.out" 2>"$TMP/b.err"; echo $? >"$TMP/b.rc") &
B_PID=$!
wait $A_PID $B_PID
expect_eq "concurrent: A commits" 0 "$(cat "$TMP/a.rc")"
expect_eq "concurrent: B is refused" 1 "$(cat "$TMP/b.rc")"
BODY=$(git show HEAD:$P)
expect_contains "concurrent: A part 1" "EDITOR-A-part1" "$BODY"
expect_contains "concurrent: A part 2" "EDITOR-A-part2" "$BODY"
expect_not_contains "concurrent: no B in the record" "EDITOR-B" "$BODY"
expect_eq "concurrent: one commit" $((COMMITS + 1)) "$(commit_count "$R")"
B_FILE=$(kept_files)
expect_eq "concurrent: B's text is the one kept file" 1 "$(kept_count)"
expect_contains "concurrent: B refused: why" "adr: $P changed on refs/heads/main while you were editing it" "$(cat "$TMP/b.err")"
expect_contains "concurrent: B refused: where" "adr: your text is kept in $B_FILE" "$(cat "$TMP/b.err")"
expect_contains "concurrent: B refused: nothing overwritten" "nothing was overwritten" "$(cat "$TMP/b.err")"
expect_contains "concurrent: B's file has B part 1" "EDITOR-B-part1" "$(cat "$B_FILE")"
expect_contains "concurrent: B's file has B part 2" "EDITOR-B-part2" "$(cat "$B_FILE")"
expect_not_contains "concurrent: B's file has nothing of A" "EDITOR-A" "$(cat "$B_FILE")"
check "concurrent: work tree clean" status_clean "$R"
COMMITS=$(commit_count "$R")
# B's text started from the record before A's edit: applied now, it would
# undo A's edit, so --recover refuses (without a terminal to confirm on)
EDITOR=true run_adr edit --recover "$B_FILE"
expect_eq "recover over a change: exit 1" 1 "$RC"
expect_eq "recover over a change: message" "adr: $P changed on refs/heads/main since this text was written, and applying it would undo that change: open the record with 'adr edit 2' and bring your text over from '$B_FILE'" "$ERR"
expect_eq "recover over a change: no commit" "$COMMITS" "$(commit_count "$R")"
expect_contains "recover over a change: A's edit stays" "EDITOR-A-part2" "$(git show HEAD:$P)"
check "recover over a change: B's text stays" test -f "$B_FILE"

# 7. --discard: by number or path, only kept texts
snapshot_state . "$KEEP"
run_adr edit --discard 7
expect_eq "discard unknown number: exit 1" 1 "$RC"
expect_unchanged "discard unknown number: exit 1: nothing changed"
expect_eq "discard unknown number: message" "adr: there is no kept text 7 (there are 1; see 'adr edit --recover')" "$ERR"
echo "mine" >"$TMP/not-kept.md"
run_adr edit --discard "$TMP/not-kept.md"
expect_eq "discard other file: exit 1" 1 "$RC"
expect_eq "discard other file: message" "adr: '$TMP/not-kept.md' is not a kept text (see 'adr edit --recover')" "$ERR"
check "discard other file: still there" test -f "$TMP/not-kept.md"
snapshot_state . "$KEEP"
run_adr edit --discard $P
expect_eq "discard a record: exit 1" 1 "$RC"
expect_contains "discard a record: exit 1: says why" "is not a kept text (see 'adr edit --recover')" "$ERR"
expect_unchanged "discard a record: exit 1: nothing changed"
check "discard a record: still there" test -f $P
check "discard: B's text still there" test -f "$B_FILE"
run_adr edit --discard "$(kept_id "$B_FILE")"
expect_eq "discard: exit 0" 0 "$RC"
expect_eq "discard: says what" "discarded $B_FILE" "$OUT"
check "discard: removed" test ! -e "$B_FILE"
expect_eq "discard: no commit" "$COMMITS" "$(commit_count "$R")"

# 8. a text another adr is editing now is listed as such, never applied or removed
printf '#!/bin/sh\necho LIVE >>"$1"\nwhile [ ! -e "%s" ]; do sleep 0.1; done\n' "$TMP/release" >"$TMP/ed-wait.sh"
chmod +x "$TMP/ed-wait.sh"
(set +e; EDITOR="$TMP/ed-wait.sh" timeout 60 "$ADR" edit 2 >"$TMP/live.out" 2>"$TMP/live.err"; echo $? >"$TMP/live.rc") &
LIVE_PID=$!
for _ in $(seq 100); do [ "$(kept_count)" = 1 ] && grep -q LIVE "$(kept_files)" && break; sleep 0.1; done
LIVE=$(kept_files)
run_adr edit --recover
expect_contains "live: listed as being edited" "$LIVE  (being edited now)" "$OUT"
run_adr edit --discard "$LIVE"
expect_eq "live: discard refused" 1 "$RC"
expect_contains "live: discard message" "adr: '$LIVE' is being edited by another adr (pid " "$ERR"
expect_contains "live: discard message end" "); nothing was removed" "$ERR"
check "live: still there" test -f "$LIVE"
EDITOR=true run_adr edit --recover 1
expect_eq "live: recover refused" 1 "$RC"
expect_contains "live: recover message" "is being edited by another adr" "$ERR"
touch "$TMP/release"
wait $LIVE_PID
expect_eq "live: that edit commits" 0 "$(cat "$TMP/live.rc")"
expect_contains "live: its text" "LIVE" "$(git show HEAD:$P)"
expect_eq "live: its file removed after the commit" 0 "$(kept_count)"
COMMITS=$(commit_count "$R")

# 9. a kept `adr new` text becomes a new record; a kept `propose` text is named, not applied
EDITOR="$TMP/ed-fail.sh" run_adr new --edit "Kept new record"
expect_eq "new, editor fails: exit 1" 1 "$RC"
NEWK=$(kept_files)
expect_contains "new, editor fails: kept as new-" "$KEEP/new-" "$NEWK"
expect_contains "new, editor fails: named" "adr: your text is kept in $NEWK" "$ERR"
expect_eq "new, editor fails: no commit" "$COMMITS" "$(commit_count "$R")"
EDITOR=true run_adr edit --recover "$(kept_id "$NEWK")"
expect_eq "recover new: exit 0" 0 "$RC"
expect_eq "recover new: the new record" "$D/0003-kept-new-record.md" "$OUT"
expect_contains "recover new: its text" "HALF AN HOUR OF WORK" "$(git show HEAD:$D/0003-kept-new-record.md)"
check "recover new: file removed" test ! -e "$NEWK"
COMMITS=$(commit_count "$R")
snapshot_state
EDITOR="$TMP/ed-fail.sh" run_adr propose --edit "Kept proposal"
expect_eq "propose, editor fails: exit 1" 1 "$RC"
expect_unchanged "propose, editor fails: exit 1: nothing changed"
PROPK=$(kept_files)
expect_contains "propose, editor fails: kept" "adr: your text is kept in $PROPK" "$ERR"
run_adr edit --recover "$PROPK"
expect_eq "recover propose: exit 1" 1 "$RC"
expect_eq "recover propose: message" "adr: '$PROPK' was written for 'adr propose', which --recover cannot apply: copy the text from there, then run 'adr edit --discard $PROPK'" "$ERR"
check "recover propose: still kept" test -f "$PROPK"
run_adr edit --discard "$PROPK"
expect_eq "discard propose text" 0 "$RC"

# 10. texts earlier versions of adr kept are listed too
printf 'old edit\n' >.git/ADR_EDIT_0002.md
mkdir -p .git/adr-recovery
printf 'old kept\n' >.git/adr-recovery/20260101-101010-0002-4242.md
run_adr edit --recover
expect_eq "legacy: two entries" 2 "$(printf '%s\n' "$OUT" | grep -c '^[0-9]  0002 ')"
expect_contains "legacy: ADR_EDIT file" "$GITDIR/ADR_EDIT_0002.md" "$OUT"
expect_contains "legacy: adr-recovery file" "$GITDIR/adr-recovery/20260101-101010-0002-4242.md" "$OUT"
run_adr edit --discard .git/ADR_EDIT_0002.md
expect_eq "legacy: discard" 0 "$RC"
check "legacy: removed" test ! -e .git/ADR_EDIT_0002.md

# usage
snapshot_state . "$KEEP"
run_adr edit --recover --discard 1
expect_eq "usage: both options" 2 "$RC"
expect_unchanged "usage: both options: nothing changed"
expect_contains "usage: both options message" "adr: --recover and --discard exclude each other" "$ERR"
snapshot_state . "$KEEP"
run_adr edit --discard
expect_eq "usage: discard without ID" 2 "$RC"
expect_contains "usage: discard without ID: says why" "adr: --discard takes one kept text (a number or a path)" "$ERR"
expect_unchanged "usage: discard without ID: nothing changed"
snapshot_state . "$KEEP"
run_adr edit --recover 1 2
expect_eq "usage: recover with two IDs" 2 "$RC"
expect_contains "usage: recover with two IDs: says why" "adr: --recover takes at most one kept text" "$ERR"
expect_unchanged "usage: recover with two IDs: nothing changed"

check "fsck clean" fsck_clean "$R"
check "status clean" status_clean "$R"

finish
