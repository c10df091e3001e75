#!/usr/bin/env bash
# F18: a record is superseded only by a newer one. `new --status superseded`
# and `status N superseded` without a successor wrote records that `adr check`
# then rejected; both are refused before anything is written, and the way
# that works (`adr supersede OLD NEW`) still does.
. "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
BEFORE=$(git rev-parse main)

run_adr new --no-edit --status superseded "Old thing"
expect_eq "new --status superseded is a usage error" 2 "$RC"
expect_contains "new --status superseded says what to do" "a new record cannot start as superseded" "$ERR"
expect_contains "new --status superseded names the command" "adr supersede" "$ERR"
expect_eq "new --status superseded wrote no commit" "$BEFORE" "$(git rev-parse main)"
expect_eq "new --status superseded left no file" "" "$(git status --porcelain)"

run_adr status 1 superseded
expect_eq "status superseded without successor is a usage error" 2 "$RC"
expect_contains "status superseded names the record" "0001-record-decisions-in-git.md names no newer record" "$ERR"
expect_contains "status superseded says what to do" "(adr supersede NUMBER NEWER)" "$ERR"
expect_eq "status superseded wrote no commit" "$BEFORE" "$(git rev-parse main)"

# The way that works: a newer record, then supersede; after that the status
# may be set back and forth because superseded-by names the successor.
run_adr new --no-edit "New thing"
expect_eq "new" 0 "$RC"
run_adr supersede 1 2
expect_eq "supersede" 0 "$RC"
run_adr status 1 deprecated
expect_eq "status deprecated" 0 "$RC"
run_adr status 1 superseded
expect_eq "status superseded with a successor" 0 "$RC"
expect_contains "status superseded written" "status: superseded" "$(git show main:docs/decisions/0001-record-decisions-in-git.md)"
run_adr check
expect_eq "check is clean" 0 "$RC"
# (warnings about unfinished records, t_honest.sh, are not findings)
expect_eq "check prints no finding" "" "$(grep -v ': warning: ' <<<"$ERR" || true)"
check "fsck is clean" fsck_clean "$R"
expect_eq "status is clean" "" "$(git status --porcelain)"
finish
