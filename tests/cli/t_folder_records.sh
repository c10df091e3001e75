#!/usr/bin/env bash
# Records kept one per folder (issue 17), before 'adr import' converts
# them: `<slug>/index.md` and `<slug>/README.md` are never left out
# silently. list (text, --json, from the index and from git), show and html
# warn once on stderr, naming the first and how many; list shows each as a
# row (numbered by its folder's name, else "----", with the title, status
# and date its author wrote); check reports each [folder-record] and fails.
# A folder that is not a record (images, a collection whose README
# describes it) is not named. After 'adr import' the warnings are gone.
# Fixtures: tests/fixtures/record-folders (its README says what each is).
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-11-21T10:00:00Z
FIX=$ADR_FIXTURES/record-folders
D=docs/decisions
WARN="a record kept as a folder; 'adr import' converts it"
FINDING="a record kept as a folder, which only 'adr list' and 'adr show' read; 'adr import' converts it"

R=$TMP/repo
new_repo "$R"
cd "$R"
mkdir -p $D
cp -R "$FIX"/. $D/
printf -- '---\nstatus: accepted\ndate: 2023-01-01\ndecision-makers: [Ann]\n---\n# Keep records as files\n' >$D/0001-keep-records-as-files.md
git add -A && git commit -qm "a log kept partly as folders"
# the folder records of the fixtures, in name order (drafts/ is a collection)
FOLDERS="$D/0007-use-redis/README.md
$D/20210101-date-named/index.md
$D/choose-ci/README.md
$D/use-postgres/index.md"
ONCE="adr: warning: $D/0007-use-redis/README.md: $WARN (4 such)"

# --- list, with no index: from git ------------------------------------------------
snapshot_state
ROWS="0001  accepted    2023-01-01  Keep records as files
0007  rejected    2023-03-05  Use Redis for the cache
----  superseded  2021-01-01  Name folders by date
----  proposed    2023-03-09  Choose a CI service
----  accepted    2023-03-01  Use PostgreSQL for the event store"
run_adr list # read-only
expect_eq "list: fine" 0 "$RC"
expect_eq "list: the record that is a file, then the folders as rows" "$ROWS" "$OUT"
expect_eq "list: the folders said once, with their count" "$ONCE" "$ERR"
expect_unchanged "list: nothing written"

run_adr list --json # read-only
expect_eq "list --json: fine" 0 "$RC"
expect_json "list --json: every row, the folders marked" '[[r["number"], r["status"], r["date"], r["title"], r["path"], r.get("folder", False)] for r in d]' \
	"[[1,\"accepted\",\"2023-01-01\",\"Keep records as files\",\"$D/0001-keep-records-as-files.md\",false],[7,\"rejected\",\"2023-03-05\",\"Use Redis for the cache\",\"$D/0007-use-redis/README.md\",true],[null,\"superseded\",\"2021-01-01\",\"Name folders by date\",\"$D/20210101-date-named/index.md\",true],[null,\"proposed\",\"2023-03-09\",\"Choose a CI service\",\"$D/choose-ci/README.md\",true],[null,\"accepted\",\"2023-03-01\",\"Use PostgreSQL for the event store\",\"$D/use-postgres/index.md\",true]]"
expect_eq "list --json: the folders said once" "$ONCE" "$ERR"

run_adr list --status accepted # read-only
expect_eq "list --status: fine" 0 "$RC"
expect_eq "list --status: folder rows are filtered alike" "0001  accepted    2023-01-01  Keep records as files
----  accepted    2023-03-01  Use PostgreSQL for the event store" "$OUT"

run_adr show 1 # read-only
expect_eq "show: fine" 0 "$RC"
expect_contains "show: the record" "Keep records as files" "$OUT"
expect_eq "show: the folders said once" "$ONCE" "$ERR"

run_adr show use-postgres # read-only
expect_eq "show by folder name: fine" 0 "$RC"
expect_contains "show by folder name: unnumbered" "----  Use PostgreSQL for the event store" "$OUT"
expect_contains "show by folder name: its path" "$D/use-postgres/index.md" "$OUT"
expect_eq "show by folder name: the folders said once" "$ONCE" "$ERR"
run_adr show 7 --json # read-only
expect_eq "show by the folder's number: fine" 0 "$RC"
expect_json "show by the folder's number: the record" '[d["number"], d["title"], d["status"], d["path"]]' \
	"[7,\"Use Redis for the cache\",\"rejected\",\"$D/0007-use-redis/README.md\"]"
run_adr show drafts # read-only
expect_eq "show a collection folder: a usage error" 2 "$RC"
expect_contains "show a collection folder: no record of that name" "'drafts' is not a record number" "$ERR"

# --- check: one finding each, and the check fails ------------------------------
run_adr check # read-only
expect_eq "check: fails" 1 "$RC"
expect_eq "check: one finding per folder record" "$(sed "s|\$|:1:1: $FINDING [folder-record]|" <<<"$FOLDERS")" "$OUT"
expect_contains "check: counts them" "adr: 4 findings" "$ERR"
expect_not_contains "check: the collection is not one" "drafts" "$OUT"
run_adr check --json # read-only
expect_eq "check --json: fails" 1 "$RC"
expect_json "check --json: the findings' paths and codes" '[[f["path"], f["code"]] for f in d]' \
	"[[\"$D/0007-use-redis/README.md\",\"folder-record\"],[\"$D/20210101-date-named/index.md\",\"folder-record\"],[\"$D/choose-ci/README.md\",\"folder-record\"],[\"$D/use-postgres/index.md\",\"folder-record\"]]"

# --- html ---------------------------------------------------------------------------
run_adr html -o "$TMP/site"
expect_eq "html: fine" 0 "$RC"
expect_eq "html: the folders said once" "$ONCE" "$(grep -v '^wrote ' <<<"$ERR")"
check "html: the record that is a file is published" test -f "$TMP/site/0001-keep-records-as-files.html"

# --- list from the index ---------------------------------------------------------
must_adr index
run_adr list # read-only
expect_eq "list from the index: fine" 0 "$RC"
expect_eq "list from the index: the same rows (read from git)" "$ROWS" "$OUT"
expect_eq "list from the index: the folders said once" "$ONCE" "$ERR"

# --- a folder that is not a record is not named ----------------------------------
R2=$TMP/plain
new_repo "$R2"
cd "$R2"
mkdir -p $D/images $D/drafts
cp "$FIX"/use-postgres/diagram.png $D/images/
cp "$FIX"/drafts/README.md "$FIX"/drafts/0009-a-draft.md $D/drafts/
printf '# Notes\n\nNothing decided here.\n' >$D/images/README.md
printf -- '---\nstatus: accepted\ndate: 2023-01-01\ndecision-makers: [Ann]\n---\n# Keep records as files\n' >$D/0001-keep-records-as-files.md
git add -A && git commit -qm "images and a collection, no folder record"
run_adr list # read-only
expect_eq "no folder record: list fine" 0 "$RC"
expect_eq "no folder record: list says nothing" "" "$ERR"
run_adr check # read-only
expect_eq "no folder record: check passes" 0 "$RC"
expect_not_contains "no folder record: no finding" "folder-record" "$OUT"
must_adr index
run_adr list # read-only
expect_eq "no folder record: list from the index fine" 0 "$RC"
expect_eq "no folder record: list from the index says nothing" "" "$ERR"

# --- one folder record: no count ----------------------------------------------------
mkdir -p $D/use-postgres
cp "$FIX"/use-postgres/index.md $D/use-postgres/
git add -A && git commit -qm "one folder record"
run_adr list # read-only
expect_eq "one folder record: list fine" 0 "$RC"
expect_eq "one folder record: named, no count" "adr: warning: $D/use-postgres/index.md: $WARN" "$ERR"
expect_contains "one folder record: its row" "----  accepted    2023-03-01  Use PostgreSQL for the event store" "$OUT"

# --- after import the warnings are gone -----------------------------------------
cd "$R"
BEFORE=$(commit_count .)
run_adr import
expect_eq "import: fine" 0 "$RC"
expect_eq "import: one commit" $((BEFORE + 1)) "$(commit_count .)"
run_adr list # read-only
expect_eq "after import: list fine" 0 "$RC"
expect_eq "after import: list from the index says nothing" "" "$ERR"
expect_eq "after import: every record listed" "0001 0007 0009 0010 0011 0012" "$(cut -c1-4 <<<"$OUT" | paste -sd' ')"
run_adr list --json # read-only
expect_eq "after import: list --json fine" 0 "$RC"
expect_eq "after import: list --json says nothing" "" "$ERR"
run_adr check # read-only
expect_not_contains "after import: no folder-record finding" "folder-record" "$OUT"
expect_not_contains "after import: check names no folder" "folder" "$ERR"
run_adr html -o "$TMP/site2"
expect_eq "after import: html fine" 0 "$RC"
expect_not_contains "after import: html says nothing of folders" "folder" "$ERR"

finish
