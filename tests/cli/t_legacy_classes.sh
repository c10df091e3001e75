#!/usr/bin/env bash
# Issue 17, the classes of real decision logs the readers missed, each on
# fixtures of its own (tests/fixtures/<class>/): decorated status lines
# (`✅ Accepted`, `❌ Rejected (see ...)`, `⌛️ Superseded by [..](..)`, relations
# as ADR-12, #12 or Markdown links), sections that only cmark's parse finds
# (a fence closed by an indented fence, setext headings, code in the status
# section), and dates (`05/02/2018` is ambiguous: --date-order, or the date of
# the commit that added the file). For each: list (text, JSON, with and
# without the index), show, check, html, import --dry-run --json and import
# (one commit, idempotent); and list prints each warning once.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail
export ADR_NOW=2026-11-21T10:00:00Z
D=docs/adr

# fixture_repo NAME CLASS: a repository whose records directory holds the
# fixtures of CLASS, added in one commit dated 2021-06-07.
fixture_repo() {
	R=$TMP/$1
	new_repo "$R"
	cd "$R"
	mkdir -p "$D"
	cp "$ADR_FIXTURES/$2"/[0-9]*.md "$D"/ # (not the README that describes them)
	printf 'dir: %s\n' "$D" >.adr.yaml
	git add -A
	GIT_AUTHOR_DATE=2021-06-07T10:00:00Z GIT_COMMITTER_DATE=2021-06-07T10:00:00Z git commit -q -m "add the log"
	ADDED=$(git rev-parse HEAD)
}

# statuses: "N:status" for every record of `list --json` in $OUT.
statuses() {
	json_val '" ".join("%d:%s" % (r["number"], r["status"]) for r in d)' <<<"$OUT"
}

# --- decorated status lines ---------------------------------------------------
fixture_repo decorated decorated-status
run_adr list --json # read-only
expect_eq "decorated: list --json exit ($ERR)" 0 "$RC"
expect_eq "decorated: every status read" \
	'"1:accepted 2:proposed 3:rejected 4:accepted 5:superseded 6:accepted 7:accepted 8:superseded 9:accepted 10:accepted"' \
	"$(statuses)"
expect_json "decorated: ⌛️ Superseded by [0006. New approach](0006-...)" 'd[4]["superseded-by"]' '[6]'
expect_json "decorated: superseded by [ADR-9](a file without a number)" 'd[7]["superseded-by"]' '[9]'
expect_json "decorated: Amends ADR-1" 'd[3]["links"]' '[{"target":1,"type":"amends"}]'
expect_json "decorated: **accepted** — amended by #7" 'd[5]["links"]' '[{"target":7,"type":"amended-by"}]'
expect_json "decorated: the backstage table's ✅ Accepted" 'd[9]["date"]' '"2018-10-19"'
expect_eq "decorated: the front matter's decoration is warned once" 1 \
	"$(grep -c "0007-tweak.md:2:9: key 'status': '✅ Accepted' is decorated; read as accepted" <<<"$ERR")"

run_adr list --status accepted # read-only
expect_eq "decorated: list --status accepted" "0001 0004 0006 0007 0009 0010" "$(awk '{print $1}' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "decorated: text list warns once (git)" 1 "$(grep -c "is decorated" <<<"$ERR")"
must_adr index
run_adr list --status accepted # read-only
expect_eq "decorated: list from the index reads them too" "0001 0004 0006 0007 0009 0010" "$(awk '{print $1}' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "decorated: text list warns once (index)" 1 "$(grep -c "is decorated" <<<"$ERR")"
run_adr list # read-only
expect_contains "decorated: list shows the superseded one" "0005  superseded  2018-05-14  Old approach" "$OUT"

run_adr show 5 # read-only
expect_eq "decorated: show exit ($ERR)" 0 "$RC"
expect_contains "decorated: show's status" "superseded" "$(grep '^status:' <<<"$OUT")"
run_adr show 3 --json # read-only
expect_json "decorated: show --json ❌ Rejected (see ...)" 'd["status"]' '"rejected"'

run_adr check # read-only
expect_contains "decorated: check warns of the decorated front matter status" \
	"$D/0007-tweak.md:2:9: key 'status': '✅ Accepted' is decorated; read as accepted [schema]" "$OUT"
expect_not_contains "decorated: check finds no unread status" "status" "$(grep -v 'is decorated\|one-sided' <<<"$OUT")"

must_adr html -o "$TMP/decorated-site"
expect_eq "decorated: html shows 6 accepted" 6 "$(grep -o 'class="status status-accepted"' "$TMP/decorated-site/index.html" | wc -l)"
expect_eq "decorated: html shows 2 superseded" 2 "$(grep -o 'class="status status-superseded"' "$TMP/decorated-site/index.html" | wc -l)"
expect_contains "decorated: html record page keeps the remark" "Rejected (see" "$(cat "$TMP/decorated-site/0003-host-it-ourselves.html")"

snapshot_state
run_adr import --dry-run --json # read-only
expect_eq "decorated: import --dry-run exit ($ERR)" 0 "$RC"
expect_unchanged "decorated: a dry run writes nothing"
expect_json "decorated: plan statuses" '" ".join(r["status"] for r in d["records"])' \
	'"accepted proposed rejected accepted superseded accepted accepted superseded accepted accepted"'
expect_json "decorated: plan keeps the remark in the body" \
	'[n for n in d["records"][2]["notes"] if "remark" in n]' \
	"[\"$D/0003-host-it-ourselves.md:7:1: the status line has a remark; it stays in the body\"]"
expect_json "decorated: plan dates from the records" 'd["records"][0]["date_commit"]' 'null'

must_adr import
expect_eq "decorated: one import commit" 2 "$(commit_count "$R")"
check "decorated: fsck --strict" fsck_clean "$R"
check "decorated: status clean" status_clean "$R"
expect_eq "decorated: 0005 front matter" "$(printf -- '---\nstatus: superseded\ndate: 2018-05-14\nsuperseded-by: [6]\n---')" "$(head -5 "$D/0005-old-approach.md")"
expect_not_contains "decorated: 0005's status section is gone" "## Status" "$(cat "$D/0005-old-approach.md")"
expect_contains "decorated: 0003 keeps its remark" "❌ Rejected (see [0004](0004-use-a-service.md))" "$(cat "$D/0003-host-it-ourselves.md")"
expect_contains "decorated: 0006 links" "links: [amended-by 7]" "$(cat "$D/0006-new-approach.md")"
expect_contains "decorated: 0008 superseded-by" "superseded-by: [9]" "$(cat "$D/0008-build-widgets.md")"
expect_contains "decorated: 0010 table became front matter" "status: accepted" "$(head -3 "$D/0010-pick-a-cloud.md")"
must_adr import
expect_eq "decorated: a second import changes nothing" 2 "$(commit_count "$R")"
run_adr list --json # read-only
expect_eq "decorated: same statuses after import" \
	'"1:accepted 2:proposed 3:rejected 4:accepted 5:superseded 6:accepted 7:accepted 8:superseded 9:accepted 10:accepted"' \
	"$(statuses)"

# --- sections as cmark sees them ------------------------------------------------
fixture_repo sections cmark-sections
run_adr list --json # read-only
expect_eq "sections: list --json exit ($ERR)" 0 "$RC"
expect_eq "sections: every status found" '"1:accepted 2:proposed 3:deprecated 4:proposed 5:proposed"' "$(statuses)"
expect_json "sections: a Date: in a fence is not the date" 'd[4]["date"]' '"2020-05-06"'
expect_json "sections: a setext title" 'd[2]["title"]' '"Setext title"'
must_adr index
run_adr list # read-only
expect_contains "sections: indented closing fence (index)" "0001  accepted    2020-01-02  Indented closing fence" "$OUT"
run_adr show 1 # read-only
expect_contains "sections: show" "accepted" "$(grep '^status:' <<<"$OUT")"
run_adr check # read-only
expect_not_contains "sections: check finds every status" "no status" "$OUT"
must_adr html -o "$TMP/sections-site"
expect_eq "sections: html statuses" 3 "$(grep -o 'class="status status-proposed"' "$TMP/sections-site/index.html" | wc -l)"
run_adr import --dry-run --json # read-only
expect_json "sections: plan statuses" '" ".join(r["status"] for r in d["records"])' '"accepted proposed deprecated proposed proposed"'
must_adr import
expect_eq "sections: one import commit" 2 "$(commit_count "$R")"
check "sections: fsck --strict" fsck_clean "$R"
expect_eq "sections: 0001 front matter" "$(printf -- '---\nstatus: accepted\ndate: 2020-01-02\n---')" "$(head -4 "$D/0001-indented-closing-fence.md")"
expect_contains "sections: the code block is kept whole" "$(printf 'echo "## Status"\n   ```')" "$(cat "$D/0001-indented-closing-fence.md")"
expect_contains "sections: the section after the status is kept" "## Consequences" "$(cat "$D/0001-indented-closing-fence.md")"
expect_contains "sections: the example in 0002 is kept" "$(printf '## Status\n\nRejected\n  ~~~')" "$(cat "$D/0002-status-in-a-code-block.md")"
must_adr import
expect_eq "sections: a second import changes nothing" 2 "$(commit_count "$R")"

# --- dates ------------------------------------------------------------------------
fixture_repo dates ambiguous-dates
run_adr list --json # read-only
expect_json "dates: 05/02/2018 is dropped" 'd[0]["date"]' 'null'
expect_json "dates: 25/12/2019 is read" 'd[1]["date"]' '"2019-12-25"'
expect_eq "dates: the ambiguity is warned once" 1 "$(grep -c "0001-day-or-month.md:3:7: ambiguous date '05/02/2018'" <<<"$ERR")"
run_adr show 1 # read-only
expect_eq "dates: show warns once" 1 "$(grep -c "ambiguous date '05/02/2018'" <<<"$ERR")"
run_adr check # read-only
expect_contains "dates: check reports the ambiguity" "$D/0001-day-or-month.md:3:7: ambiguous date '05/02/2018'" "$OUT"

run_adr import --dry-run --json # read-only
expect_json "dates: without an order, the commit's date" 'd["records"][0]["date"]' '"2021-06-07"'
expect_json "dates: ... and which commit" 'd["records"][0]["date_commit"]' "\"$ADDED\""
expect_json "dates: ... and the ambiguity noted" '[n for n in d["records"][0]["notes"] if "ambiguous" in n]' \
	"[\"$D/0001-day-or-month.md:3:7: ambiguous date '05/02/2018' (day/month or month/day?); write it as YYYY-MM-DD\"]"
expect_json "dates: no date at all: the commit's" '[d["records"][2]["date"], d["records"][2]["date_commit"]]' "[\"2021-06-07\",\"$ADDED\"]"
run_adr import --dry-run --json --date-order dmy # read-only
expect_json "dates: dmy" '[r["date"] for r in d["records"]]' '["2018-02-05","2019-12-25","2021-06-07","2020-04-03","2021-06-07"]'
run_adr import --dry-run --json --date-order mdy # read-only
expect_json "dates: mdy" '[r["date"] for r in d["records"]]' '["2018-05-02","2019-12-25","2021-06-07","2020-03-04","2021-06-07"]'
expect_json "dates: mdy takes no commit date for 0001" 'd["records"][0]["date_commit"]' 'null'

snapshot_state
run_adr import --date-order ymd
expect_eq "dates: a bad order is a usage error" 2 "$RC"
expect_contains "dates: ... that says so" "--date-order is dmy or mdy, not 'ymd'" "$ERR"
expect_unchanged "dates: nothing written"

run_adr import --date-order dmy
expect_eq "dates: import exit ($ERR)" 0 "$RC"
expect_contains "dates: the text report names the commit" \
	"$D/0003-no-date-at-all.md: no usable date; 2021-06-07 is the date of commit ${ADDED:0:12}, which added the file" "$OUT"
expect_eq "dates: one import commit" 2 "$(commit_count "$R")"
check "dates: fsck --strict" fsck_clean "$R"
expect_contains "dates: 0001 dated day first" "date: 2018-02-05" "$(head -4 "$D/0001-day-or-month.md")"
expect_contains "dates: 0003 dated by its commit" "date: 2021-06-07" "$(head -4 "$D/0003-no-date-at-all.md")"
run_adr list --json # read-only
expect_json "dates: every record has a date now" '[r["date"] for r in d]' '["2018-02-05","2019-12-25","2021-06-07","2020-04-03","2021-06-07"]'
expect_eq "dates: no warning left" "" "$ERR"
must_adr html -o "$TMP/dates-site"
expect_contains "dates: html shows the date" "2018-02-05" "$(cat "$TMP/dates-site/0001-day-or-month.html")"
must_adr import --date-order mdy
expect_eq "dates: a second import (even in another order) changes nothing" 2 "$(commit_count "$R")"

# --- log4brains' date-named records, numbered by the readers as by import ---------
fixture_repo dated dated-names
PLAN='"1:accepted 2:accepted 3:superseded 4:proposed"'
run_adr list --json # read-only
expect_eq "dated: list --json exit ($ERR)" 0 "$RC"
expect_eq "dated: listed, numbered after the highest number in date order" "$PLAN" "$(statuses)"
expect_json "dated: paths" '[r["path"].split("/")[-1] for r in d]' \
	'["0001-record-decisions.md","20200924-use-log4brains.md","20201016-use-the-adr-slug.md","20210101_number-the-records.md"]'
expect_json "dated: a link to a date-named record is numbered" 'd[2]["superseded-by"]' '[4]'
run_adr list # read-only
expect_contains "dated: text list (git)" "0003  superseded  2020-10-16  Use the ADR slug as its id" "$OUT"
must_adr index
run_adr list # read-only
expect_contains "dated: text list (index)" "0004  proposed    2021-01-01  Number the records" "$OUT"
expect_eq "dated: four rows from the index" 4 "$(grep -c . <<<"$OUT")"
run_adr show 3 # read-only
expect_contains "dated: show by its provisional number" "20201016-use-the-adr-slug.md" "$(grep '^path:' <<<"$OUT")"
run_adr check # read-only
expect_eq "dated: check names each date-named record" 3 "$(grep -c "named by date, so its number is provisional; run 'adr import' to number it \[legacy\]" <<<"$OUT")"
expect_not_contains "dated: and finds the relation" "superseded-by names no record" "$OUT"
must_adr html -o "$TMP/dated-site"
expect_eq "dated: html has a page for each" 4 "$(grep -o 'class="status status-[a-z]*"' "$TMP/dated-site/index.html" | wc -l)"
run_adr import --dry-run --json # read-only
expect_json "dated: import plans the numbers list showed" '" ".join("%d:%s" % (r["number"], r["status"]) for r in d["records"])' "$PLAN"
must_adr import
check "dated: fsck --strict" fsck_clean "$R"
expect_eq "dated: renamed to their numbers" "0001-record-decisions.md 0002-use-log4brains.md 0003-use-the-adr-slug.md 0004-number-the-records.md" \
	"$(git ls-files "$D" | xargs -n1 basename | tr '\n' ' ' | sed 's/ $//')"
run_adr list --json # read-only
expect_eq "dated: the same numbers after import" "$PLAN" "$(statuses)"
expect_json "dated: the relation after import" 'd[2]["superseded-by"]' '[4]'

# adr new before import: the date-named records hold the numbers after the
# highest until import, so a new record takes the number after them (never
# one a dated record shows); theirs stay provisional (after the highest, now
# the new one's) until import gives them for good, no number shown twice.
fixture_repo dated-new dated-names
must_adr new --no-edit Use the new numbers
expect_contains "dated new: numbered after the three date-named records" "$D/0005-use-the-new-numbers.md" "$OUT"
run_adr list --json # read-only
expect_json "dated new: five numbers, none twice" '" ".join(str(r["number"]) for r in d)' '"1 5 6 7 8"'
must_adr import
expect_eq "dated new: import gives the date-named records the numbers list showed" "0001-record-decisions.md 0005-use-the-new-numbers.md 0006-use-log4brains.md 0007-use-the-adr-slug.md 0008-number-the-records.md" \
	"$(git ls-files "$D" | xargs -n1 basename | tr '\n' ' ' | sed 's/ $//')"
check "dated new: status clean" status_clean "$TMP/dated-new"

finish
