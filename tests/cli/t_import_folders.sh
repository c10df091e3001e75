#!/usr/bin/env bash
# Records kept one per folder (issue 17): `<slug>/index.md` and
# `<slug>/README.md` are found by import (tests/fixtures/record-folders),
# named after their folder (numbered by it when it has a number, else after
# the highest), and the files beside them (images) move with them, their
# links rewritten; a folder whose README describes a collection is not a
# record. One commit, a second import changes nothing, and the result
# reads, checks and publishes.
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-11-21T10:00:00Z
FIX=$ADR_FIXTURES/record-folders
D=docs/adr

# --- the plan, from a directory outside the repository -------------------------
R=$TMP/outside
new_repo "$R"
cd "$R"
snapshot_state
run_adr import --from "$FIX" --dry-run --json
expect_eq "dry run: fine" 0 "$RC"
expect_unchanged "dry run: nothing written"
expect_json "plan: the five records, by number" '[[r["number"], r["target"]] for r in sorted(d["records"], key=lambda r: r["number"])]' \
	'[[7,"docs/decisions/0007-use-redis.md"],[9,"docs/decisions/0009-a-draft.md"],[10,"docs/decisions/0010-date-named.md"],[11,"docs/decisions/0011-choose-ci.md"],[12,"docs/decisions/0012-use-postgres.md"]]'
expect_json "plan: the number from the folder's name" '[r["from"]["number"] for r in d["records"] if r["number"] == 7]' '["folder name"]'
expect_json "plan: no number in the name: after the highest, in name order" \
	'[r["from"]["number"] for r in d["records"] if r["number"] in (11, 12)]' '["folder order","folder order"]'
expect_json "plan: a date-named folder" '[r["from"]["number"] for r in d["records"] if r["number"] == 10]' '["date order"]'
expect_json "plan: the statuses and dates the authors wrote" \
	'[[r["number"], r["status"], r["date"], r["from"]["status"], r["from"]["date"]] for r in sorted(d["records"], key=lambda r: r["number"])]' \
	'[[7,"rejected","2023-03-05","body","body"],[9,"proposed","2023-03-10","body","body"],[10,"superseded","2021-01-01","body","body"],[11,"proposed","2023-03-09","body","body"],[12,"accepted","2023-03-01","front matter","front matter"]]'
expect_json "plan: the image moves with its record" '[r["files"] for r in d["records"] if r["number"] == 12]' \
	"[[\"$FIX/use-postgres/diagram.png -> docs/decisions/0012-use-postgres/diagram.png\"]]"
expect_json "plan: a file in a subfolder keeps its place under the record" '[r["files"] for r in d["records"] if r["number"] == 7]' \
	"[[\"$FIX/0007-use-redis/images/flow.svg -> docs/decisions/0007-use-redis/images/flow.svg\"]]"
expect_json "plan: the collection's README is no record" '[r["source"] for r in d["records"] if "drafts" in r["source"]]' \
	"[\"$FIX/drafts/0009-a-draft.md\"]"

run_adr import --from "$FIX"
expect_eq "import --from: fine" 0 "$RC"
expect_eq "import --from: one commit" 1 "$(commit_count .)"
expect_contains "import --from: says what moved" "  moved $FIX/use-postgres/diagram.png -> docs/decisions/0012-use-postgres/diagram.png" "$OUT"
check "import --from: the image's bytes" cmp "$FIX/use-postgres/diagram.png" docs/decisions/0012-use-postgres/diagram.png
check "import --from: fsck clean" fsck_clean .

# --- committed in the repository ---------------------------------------------------
R=$TMP/repo
new_repo "$R"
cd "$R"
mkdir -p $D
cp -R "$FIX"/. $D/
git add -A && git commit -qm "a log kept as folders"
BEFORE=$(commit_count .)
run_adr import
expect_eq "import: fine" 0 "$RC"
expect_eq "import: one commit" $((BEFORE + 1)) "$(commit_count .)"
check "import: fsck clean" fsck_clean .
check "import: status clean" status_clean .
expect_eq "import: the tree" "$D/0007-use-redis.md
$D/0007-use-redis/images/flow.svg
$D/0009-a-draft.md
$D/0010-date-named.md
$D/0011-choose-ci.md
$D/0012-use-postgres.md
$D/0012-use-postgres/diagram.png
$D/README.md
$D/drafts/README.md" "$(git ls-tree -r --name-only HEAD -- $D)"
expect_eq "import: the image is the same blob" "$(git rev-parse HEAD~1:$D/use-postgres/diagram.png)" "$(git rev-parse HEAD:$D/0012-use-postgres/diagram.png)"
P=$(git show HEAD:$D/0012-use-postgres.md)
expect_contains "import: image links follow the image" "![the diagram](0012-use-postgres/diagram.png) and again ![small](0012-use-postgres/diagram.png \"small\")" "$P"
expect_contains "import: a link to a folder record is rewritten" "[Redis](0007-use-redis.md)" "$P"
expect_contains "import: a link from a folder record to another" "[the event store](0012-use-postgres.md)" "$(git show HEAD:$D/0011-choose-ci.md)"
expect_contains "import: the subfolder image link" "![flow](0007-use-redis/images/flow.svg)" "$(git show HEAD:$D/0007-use-redis.md)"
expect_contains "import: README metadata to front matter" $'---\nstatus: proposed\ndate: 2023-03-09\n---\n# Choose a CI service' "$(git show HEAD:$D/0011-choose-ci.md)"

run_adr list --json # read-only
expect_eq "list after import: fine" 0 "$RC"
expect_json "list after import: every record, with the status its author wrote" '[[r["number"], r["status"], r["date"], r["title"]] for r in d]' \
	'[[7,"rejected","2023-03-05","Use Redis for the cache"],[9,"proposed","2023-03-10","A draft kept in a collection"],[10,"superseded","2021-01-01","Name folders by date"],[11,"proposed","2023-03-09","Choose a CI service"],[12,"accepted","2023-03-01","Use PostgreSQL for the event store"]]'

run_adr html -o "$TMP/site"
expect_eq "html: fine" 0 "$RC"
expect_contains "html: the moved image is published" '<img src="media/' "$(cat "$TMP/site/0012-use-postgres.html")"
expect_eq "html: one image file" 1 "$(find "$TMP/site/media" -name '*.png' | wc -l)"

# --- a second import changes nothing -------------------------------------------------
TIP=$(git rev-parse HEAD)
run_adr import
expect_eq "import again: fine" 0 "$RC"
expect_eq "import again: no new commit" "$TIP" "$(git rev-parse HEAD)"
check "import again: status clean" status_clean .
expect_not_contains "import again: the collection README stays no record" "drafts/README.md" "$OUT"

# --- a file beside a record whose object is gone ---------------------------------------
R=$TMP/corrupt
new_repo "$R"
cd "$R"
mkdir -p $D
cp -R "$FIX"/use-postgres $D/
git add -A && git commit -qm "one folder record"
BLOB=$(git rev-parse HEAD:$D/use-postgres/diagram.png)
rm -f ".git/objects/${BLOB:0:2}/${BLOB:2}"
snapshot_state
run_adr import
expect_eq "missing image object: fails" 1 "$RC"
expect_contains "missing image object: names it" "adr: $D/use-postgres/diagram.png: object $BLOB is missing or corrupt" "$ERR"
expect_unchanged "missing image object: nothing written"

finish
