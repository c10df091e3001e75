#!/usr/bin/env bash
# Front matter that other tools accept and YAML does not (issue 17): an
# unquoted value starting with '@' or a backtick, a colon inside a value,
# tabs in indentation (tests/fixtures/broken-frontmatter). Reading stays
# strict, but an unreadable record is never dropped: list (text, from the
# index and from git; JSON), show and the site give it a row with its
# error; check reports it. import mends the common cases, says each change
# (text and the JSON plan's "repaired"), leaves the rest unchanged with
# its error, and a second import changes nothing.
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-11-21T10:00:00Z
FIX=$ADR_FIXTURES/broken-frontmatter
D=docs/decisions
BROKEN="0001 0002 0003 0004 0005 0006 0008"

R=$TMP/repo
new_repo "$R"
cd "$R"
mkdir -p $D
cp "$FIX"/0*.md $D/
git add -A && git commit -qm "a log with broken front matter"

# --- list: every record is a row ----------------------------------------------
run_adr list --at HEAD # read-only (from git)
expect_eq "list from git: fails, a record cannot be read" 1 "$RC"
expect_eq "list from git: one row per record file" 8 "$(grep -c . <<<"$OUT")"
expect_contains "list from git: the good record" "0007  accepted    2024-01-16  A good record" "$OUT"
expect_contains "list from git: 0001 is a row with its error" \
	"0001  unreadable  -           $D/0001-at-sign.md:4:18: found character that cannot start any token" "$OUT"
expect_contains "list from git: 0004 (tabs) is a row" "0004  unreadable  -           $D/0004-tabs.md:5:1:" "$OUT"
expect_contains "list from git: 0003 (colon) is a row" \
	"0003  unreadable  -           $D/0003-colon.md:4:16: mapping values are not allowed in this context" "$OUT"
expect_contains "list from git: the error on stderr too" "adr: $D/0002-backtick.md:4:10: found character that cannot start any token" "$ERR"
for n in $BROKEN; do
	expect_eq "list from git: $n is one row" 1 "$(grep -c "^$n  unreadable" <<<"$OUT")"
done

run_adr list --status accepted --at HEAD # read-only
expect_eq "list --status: fails" 1 "$RC"
expect_contains "list --status: an unreadable record is still a row (its status is unknown)" "0006  unreadable" "$OUT"
expect_not_contains "list --status: no other status" "proposed" "$OUT"

must_adr index
run_adr list # read-only (from the index)
expect_eq "list from the index: fails" 1 "$RC"
expect_eq "list from the index: one row per record file" 8 "$(grep -c . <<<"$OUT")"
expect_contains "list from the index: 0005 is a row with its error" \
	"0005  unreadable  -           $D/0005-flow-list.md:4:19: found character that cannot start any token" "$OUT"
expect_contains "list from the index: the error on stderr" "adr: $D/0006-unclosed.md:5:1: did not find expected ',' or ']'" "$ERR"

run_adr list --json # read-only
expect_eq "list --json: fails" 1 "$RC"
expect_json "list --json: every record" 'len(d)' 8
expect_json "list --json: the unreadable ones" '[r["number"] for r in d if r.get("error")]' '[1,2,3,4,5,6,8]'
expect_json "list --json: status unreadable" '[r["status"] for r in d if r["number"] == 4]' '["unreadable"]'
expect_json "list --json: path, slug and error" '[[r["path"], r["slug"], r["error"]] for r in d if r["number"] == 3]' \
	"[[\"$D/0003-colon.md\",\"colon\",\"$D/0003-colon.md:4:16: mapping values are not allowed in this context\"]]"
expect_json "list --json: the good one has no error" '[r.get("error") for r in d if r["number"] == 7]' '[null]'

# --- show -----------------------------------------------------------------------
run_adr show 1 # read-only
expect_eq "show unreadable: fails" 1 "$RC"
expect_contains "show unreadable: says why" "adr: $D/0001-at-sign.md:4:18: found character that cannot start any token" "$ERR"
expect_contains "show unreadable: says it could not be read" "0001  $D/0001-at-sign.md: could not be read" "$OUT"
expect_contains "show unreadable: prints the file as committed" "$(cat "$FIX/0001-at-sign.md")" "$OUT"
run_adr show 2 --json # read-only
expect_eq "show --json unreadable: fails" 1 "$RC"
expect_contains "show --json unreadable: says why" "0002-backtick.md:4:10" "$ERR"
expect_json "show --json: the error" 'd["error"].startswith("'"$D"'/0002-backtick.md:4:10: found character")' 'true'
expect_json "show --json: the raw file" 'd["raw"] == open("'"$FIX"'/0002-backtick.md").read()' 'true'
run_adr show 7 # read-only
expect_eq "show of a good record: fine" 0 "$RC"
expect_contains "show of a good record: its title" "A good record" "$OUT"

# --- check keeps reporting it ---------------------------------------------------
run_adr check # read-only
expect_eq "check: fails" 1 "$RC"
expect_contains "check: the at-sign" "$D/0001-at-sign.md:4:18: found character that cannot start any token" "$OUT"
expect_contains "check: the tabs" "$D/0004-tabs.md:5:1:" "$OUT"

# --- html: a row and a page for the internal audience; others still refuse ------
run_adr html -o "$TMP/site"
expect_eq "html: the internal site is built" 0 "$RC"
expect_contains "html: warns of each unreadable record" "adr: warning: $D/0003-colon.md:4:16: mapping values are not allowed" "$ERR"
check "html: a page for the unreadable record" test -f "$TMP/site/0001-at-sign.html"
expect_contains "html: the page says it could not be read" "0001-at-sign.md: could not be read" "$(cat "$TMP/site/0001-at-sign.html")"
expect_contains "html: the page shows the error" "$D/0001-at-sign.md:4:18: found character that cannot start any token" "$(cat "$TMP/site/0001-at-sign.html")"
expect_contains "html: the log has its row" 'href="0004-tabs.html">0004-tabs.md: could not be read' "$(cat "$TMP/site/index.html")"
expect_eq "html: a row for every record" 8 "$(grep -c '<tr data-n=' "$TMP/site/index.html")"
run_adr html -o "$TMP/site-partner" --audience partner
expect_eq "html --audience partner: refuses (visibility unknown)" 1 "$RC"
expect_contains "html --audience partner: says why" "nothing published" "$ERR"
check "html --audience partner: nothing written" test ! -e "$TMP/site-partner"

# --- import --dry-run --json: the plan says what it would mend ----------------
snapshot_state
run_adr import --dry-run --json
expect_eq "import --dry-run: fine" 0 "$RC"
expect_unchanged "import --dry-run: nothing written"
expect_json "plan: one item per file" 'len(d["records"])' 8
expect_json "plan: 0001 repaired" '[r["repaired"] for r in d["records"] if r["number"] == 1]' \
	"[[\"$D/0001-at-sign.md:4: decision-makers: @ana -> decision-makers: '@ana'\"]]"
expect_json "plan: 0002 repaired twice (backtick in a value and a list item)" \
	'[r["repaired"] for r in d["records"] if r["number"] == 2]' \
	"[[\"$D/0002-backtick.md:4: summary: \`adr\` is the tool -> summary: '\`adr\` is the tool'\",\"$D/0002-backtick.md:6:   - \`ana\` ->   - '\`ana\`'\"]]"
expect_json "plan: 0003 colon inside and at the end" '[len(r["repaired"]) for r in d["records"] if r["number"] == 3]' '[2]'
expect_json "plan: 0004 tabs" '[r["repaired"][0] for r in d["records"] if r["number"] == 4]' \
	"[\"$D/0004-tabs.md:5: \\t- Ana Lima ->   - Ana Lima\"]"
expect_json "plan: 0005 a flow list" '[r["repaired"] for r in d["records"] if r["number"] == 5]' \
	"[[\"$D/0005-flow-list.md:4: decision-makers: [@ana, Bo Chen, @cy] -> decision-makers: ['@ana', Bo Chen, '@cy']\"]]"
expect_json "plan: 0006 cannot be mended: copied unchanged" '[[r["converted"], r["repaired"]] for r in d["records"] if r["number"] == 6]' '[[false,[]]]'
expect_json "plan: 0006 says why" '[r["notes"] for r in d["records"] if r["number"] == 6]' \
	"[[\"$D/0006-unclosed.md:5:1: did not find expected ',' or ']' (while parsing a flow sequence on line 4); copied unchanged\"]]"
expect_json "plan: 0007 needs nothing" '[r["repaired"] for r in d["records"] if r["number"] == 7]' '[[]]'
expect_json "plan: 0008 only the value outside the block scalar" '[r["repaired"] for r in d["records"] if r["number"] == 8]' \
	"[[\"$D/0008-block.md:7: consulted: @legal -> consulted: '@legal'\"]]"
expect_json "plan: the status and date of each, once mended" '[[r["number"], r["status"], r["date"]] for r in d["records"]]' \
	'[[1,"accepted","2024-01-10"],[2,"proposed","2024-01-11"],[3,"rejected","2024-01-12"],[4,"accepted","2024-01-13"],[5,"deprecated","2024-01-14"],[6,"",""],[7,"accepted","2024-01-16"],[8,"accepted","2024-01-17"]]'
expect_json "plan: where each came from" '[r["from"] for r in d["records"] if r["number"] == 1]' \
	'[{"date":"front matter","number":"file name","status":"front matter","title":"H1"}]'

# --- import -----------------------------------------------------------------------
BEFORE=$(commit_count .)
run_adr import
expect_eq "import: fine" 0 "$RC"
expect_eq "import: one commit" $((BEFORE + 1)) "$(commit_count .)"
check "import: fsck clean" fsck_clean .
check "import: status clean" status_clean .
expect_contains "import: says each change" "  repaired $D/0003-colon.md:4: owner: Ana Lima: tech lead -> owner: 'Ana Lima: tech lead'" "$OUT"
expect_contains "import: says what it could not mend" "$D/0006-unclosed.md -> $D/0006-unclosed.md (copied unchanged)" "$OUT"
expect_eq "import: the unmendable file is unchanged" "$(cat "$FIX/0006-unclosed.md")" "$(git show HEAD:$D/0006-unclosed.md)"
expect_contains "import: the tabs are spaces" $'decision-makers:\n  - Ana Lima\n  - Bo Chen' "$(git show HEAD:$D/0004-tabs.md)"
expect_contains "import: CRLF kept where it was" $'decision-makers: [\'@ana\', Bo Chen, \'@cy\']\r' "$(git show HEAD:$D/0005-flow-list.md)"
expect_contains "import: a block scalar's text is kept as written" $'notes: |\n  keep: @this as it is\n  and `this` too\nconsulted: \'@legal\'' "$(git show HEAD:$D/0008-block.md)"
run_adr list --json # read-only
expect_eq "list after import: 0006 still cannot be read" 1 "$RC"
expect_contains "list after import: says so" "0006-unclosed.md:5:1" "$ERR"
expect_json "list after import: every record, mended ones read" '[[r["number"], r["status"]] for r in d]' \
	'[[1,"accepted"],[2,"proposed"],[3,"rejected"],[4,"accepted"],[5,"deprecated"],[6,"unreadable"],[7,"accepted"],[8,"accepted"]]'
expect_json "list after import: the handle" '[r["decision-makers"] for r in d if r["number"] == 5]' '[["@ana","Bo Chen","@cy"]]'

# --- a second import changes nothing --------------------------------------------
TIP=$(git rev-parse HEAD)
run_adr import
expect_eq "import again: fine" 0 "$RC"
expect_eq "import again: no new commit" "$TIP" "$(git rev-parse HEAD)"
check "import again: status clean" status_clean .
expect_not_contains "import again: nothing to mend" "repaired" "$OUT"
expect_contains "import again: says nothing changed" "adr: nothing to change: the 8 records in $D are in adr's format already (1 notes, 1 unreadable)" "$ERR"

# --- from a directory outside the repository --------------------------------------
R2=$TMP/outside
new_repo "$R2"
cd "$R2"
run_adr import --from "$FIX"
expect_eq "import --from: fine" 0 "$RC"
expect_eq "import --from: one commit" 1 "$(commit_count .)"
expect_contains "import --from: names the source file" "  repaired $FIX/0001-at-sign.md:4: decision-makers: @ana -> decision-makers: '@ana'" "$OUT"
expect_eq "import --from: the README is not a record" "" "$(git ls-files | grep -i readme || true)"
check "import --from: fsck clean" fsck_clean .

finish
