#!/usr/bin/env bash
# Error sites of lib/log/ops.c and lib/log/meeting.c that real inputs reach (issue
# 11, error-path coverage): an empty attendee, a record number held by two
# files, and adr init over a first record that is already there. Each case
# checks the message and that nothing changed.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
snap() { printf '%s\n%s\n' "$(git for-each-ref --format='%(refname) %(objectname)')" "$(git status --porcelain --ignored)"; }

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"

# --- meeting: an attendee that is empty -------------------------------------
printf 'Attendees: Ana Lima\n\n## Decision: Use X\nDecision: We use X.\n' >"$TMP/minutes.md"
BEFORE=$(snap)
run_adr meeting --from "$TMP/minutes.md" --attendee ""
expect_eq "empty attendee: exit" 2 "$RC"
expect_eq "empty attendee: message" "adr: attendee '' is not one line of UTF-8 text" "$ERR"
expect_eq "empty attendee: nothing written" "$BEFORE" "$(snap)"

# --- a record number held by two files ----------------------------------------
cp $D/0001-record-decisions-in-git.md $D/0001-again.md
git add $D/0001-again.md
git commit -qm "a second record 0001"
BEFORE=$(snap)
run_adr new --no-edit --supersedes 1 Use Y
expect_eq "supersede a number held twice: exit" 1 "$RC"
expect_eq "supersede a number held twice: message" \
	"adr: record 0001 exists twice: '$D/0001-again.md' and '$D/0001-record-decisions-in-git.md' (run adr check)" "$ERR"
expect_eq "supersede a number held twice: nothing written" "$BEFORE" "$(snap)"
check "supersede a number held twice: no new file" test ! -e $D/0002-use-y.md

# --- init over a first record that is already committed --------------------
I=$TMP/init
new_repo "$I"
cd "$I"
mkdir -p $D
echo "my own notes" >$D/0001-record-decisions-in-git.md
git add $D
git commit -qm "notes"
BEFORE=$(snap)
run_adr init
expect_eq "init over the first record: exit" 1 "$RC"
expect_eq "init over the first record: message" "adr: '$D/0001-record-decisions-in-git.md' already exists" "$ERR"
expect_eq "init over the first record: nothing written" "$BEFORE" "$(snap)"
expect_eq "init over the first record: the file is intact" "my own notes" "$(cat $D/0001-record-decisions-in-git.md)"
check "init over the first record: no .adr.yaml" test ! -e .adr.yaml
check "fsck" fsck_clean "$I"

# --- what to do, in the CLI's words (issue 12, item 8) -------------------------
# The library says only the kind of remedy (adr_error_hint); the CLI words it,
# so these messages read as they did when the library named adr's commands.
H=$TMP/hints
new_repo "$H"
cd "$H"
run_adr propose --no-edit Use Z
expect_eq "propose before init: exit" 1 "$RC"
expect_eq "propose before init: message" "adr: the decision branch 'refs/heads/main' has no commits yet (run adr init first)" "$ERR"
must_adr init
printf -- '---\nstatus: [accepted\n---\n# Broken\n' >$D/0002-broken.md
git add $D && git commit -qm "a broken record"
BEFORE=$(snap)
run_adr status 2 accepted
expect_eq "status of an unreadable record: exit" 1 "$RC"
expect_contains "status of an unreadable record: the record's place" "adr: $D/0002-broken.md:" "$ERR"
expect_contains "status of an unreadable record: what to do" " (fix the record first, e.g. with adr edit)" "$ERR"
expect_eq "status of an unreadable record: nothing written" "$BEFORE" "$(snap)"
E=$TMP/noimport
new_repo "$E"
cd "$E"
BEFORE=$(snap)
run_adr import
expect_eq "import with no records directory: exit" 1 "$RC"
expect_contains "import with no records directory: what to do" "docs/architecture/decisions); name one with --from" "$ERR"
expect_eq "import with no records directory: nothing written" "$BEFORE" "$(snap)"
cd "$H"
BEFORE=$(snap)
run_adr new --no-edit --status superseded Start superseded
expect_eq "new as superseded: exit" 2 "$RC"
expect_eq "new as superseded: message and remedy" "adr: a new record cannot start as superseded: record it, then supersede it once the newer record exists (adr supersede NUMBER NEWER)" "$ERR"
expect_eq "new as superseded: nothing written" "$BEFORE" "$(snap)"
run_adr status 1 superseded
expect_eq "superseded with no successor: exit" 2 "$RC"
expect_eq "superseded with no successor: message and remedy" "adr: $D/0001-record-decisions-in-git.md names no newer record in superseded-by: record what replaces it (adr supersede NUMBER NEWER)" "$ERR"
expect_eq "superseded with no successor: nothing written" "$BEFORE" "$(snap)"
printf 'not a directory\n' >"$TMP/a-file"
run_adr new --no-edit --body-file "$TMP/a-file/body.md" Body from nowhere
expect_eq "--body-file under a file: exit" 1 "$RC"
expect_eq "--body-file under a file: message" "adr: cannot open '$TMP/a-file/body.md': Not a directory" "$ERR"
expect_eq "--body-file under a file: nothing written" "$BEFORE" "$(snap)"
check "fsck" fsck_clean "$H"
finish
