#!/usr/bin/env bash
# adr stats, adr diff and adr list --at end to end, on the repository of
# tests/fixtures/history/make-repo.sh (fixed dates: commit k is dated
# 2026-01-01T10:00Z + k days), with numbers worked out by hand:
#
#   0003 proposed at c4 (01-05), accepted by the merge c8 (01-09): 4 days,
#        1 revision, 1 comment, review-by 01-06: missed
#   0004 created proposed at c15 (01-16), accepted by c16 (01-17): 1 day,
#        review-by 01-17: kept
#   0005 proposed at c17, review-by 01-18, still open on 2026-02-01: missed
#   cycle time: median (1 + 4) / 2 = 2.5, p90 (nearest rank of 2) = 4
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
"$ADR_SOURCE_DIR/tests/fixtures/history/make-repo.sh" "$R" >/dev/null 2>&1
cd "$R"
export ADR_NOW=2026-02-01

run_adr stats --json
expect_eq "stats exit" 0 "$RC"
expect_json "records" 'd["records"]' 5
expect_json "proposals" 'd["proposals"]' 3
expect_json "decided" 'd["decided"]' 2
expect_json "cycle median" 'd["cycle_days_median"]' 2.5
expect_json "cycle p90" 'd["cycle_days_p90"]' 4
expect_json "revisions per proposal" 'd["revisions_per_proposal"]' 0.33
expect_json "comments per proposal" 'd["comments_per_proposal"]' 0.33
expect_json "deadlines missed" 'd["deadlines_missed"]' 2
expect_json "by status" 'd["by_status"]' '{"accepted":4,"proposed":1}'
expect_json "by month" 'd["by_month"]' '{"2026-01":5}'
expect_json "not shallow" 'd["shallow_boundary"]' null

# before the deadline of 0005 passes, one fewer is missed
OUT=$(ADR_NOW=2026-01-18 "$ADR" stats --json)
expect_json "open proposal not yet late" 'd["deadlines_missed"]' 1

# --since: only records dated on or after (0003 is 01-05, 0004 01-07, 0005 01-09)
run_adr stats --since 2026-01-06 --json
expect_json "since: records" 'd["records"]' 2
expect_json "since: decided" 'd["decided"]' 1
expect_json "since: median" 'd["cycle_days_median"]' 1
expect_json "since: missed" 'd["deadlines_missed"]' 1

run_adr stats
expect_contains "text: cycle" "cycle time (days): median 2.50, p90 4.00" "$OUT"
expect_contains "text: rework" "revisions per proposal: 0.33" "$OUT"
expect_contains "text: missed" "deadlines missed: 2" "$OUT"
expect_contains "text: status" "by status: accepted 4, proposed 1" "$OUT"
run_adr stats --since yesterday # read-only
expect_eq "stats bad date: usage" 2 "$RC"
expect_contains "stats bad date: usage: says why" "adr: --since: 'yesterday' is not a date (YYYY-MM-DD)" "$ERR"
run_adr stats extra # read-only
expect_eq "stats extra argument: usage" 2 "$RC"
expect_contains "stats extra argument: usage: says why" "adr: unexpected argument 'extra'" "$ERR"

# quadrants and modes come from the records
"$ADR" new --no-edit --mode sync --urgency high --complexity high --date 2026-01-20 Urgent and complex >/dev/null
"$ADR" new --no-edit --mode async --urgency low --complexity high --date 2026-01-21 Calm and complex >/dev/null
run_adr stats --json
expect_json "by mode" 'd["by_mode"]' '{"async":1,"sync":1,"unset":5}'
expect_json "by quadrant" 'd["by_quadrant"]' '{"calm+complex":1,"unset":5,"urgent+complex":1}'

# list --at: the log as it was
C7=$(git rev-parse ':/^adr: edit 0002')
run_adr list --at "$C7"
expect_eq "list --at" "0001  accepted    2026-01-02  Alpha
0002  accepted    2026-01-03  Beta" "$OUT"
run_adr list --at "$C7" --json
expect_json "list --at --json: two records" '[r["number"] for r in d]' '[1,2]'
run_adr list --at no-such-rev # read-only
expect_eq "list --at unknown rev" 1 "$RC"
expect_contains "list --at unknown rev says so" "no-such-rev" "$ERR"

# diff: what changed between c7 and the fixture's last commit
C17=$(git rev-parse ':/^adr: new 0005')
run_adr diff "$C7..$C17"
expect_eq "diff" "changed     0001  Alpha again (title, date, body)
changed     0002  Beta (body, path)
added       0003  Gamma
added       0004  Delta
added       0005  Epsilon" "$OUT"

# deprecate one, supersede another, add one: release notes for partners
"$ADR" status 2 deprecated >/dev/null
"$ADR" new --no-edit --supersedes 1 --date 2026-01-22 Alpha replaced >/dev/null
run_adr diff HEAD~2..HEAD --json
expect_json "diff json items" '[[i["change"], i["number"], i["title"], i["status"]] for i in d["changes"]]' \
	'[["superseded",1,"Alpha again","superseded"],["deprecated",2,"Beta","deprecated"],["added",8,"Alpha replaced","accepted"]]'
expect_json "diff json superseded fields" 'd["changes"][0]["fields"]' '["status","superseded-by"]'
run_adr diff HEAD..HEAD
expect_eq "empty diff: exit" 0 "$RC"
expect_eq "empty diff" "" "$OUT"
run_adr diff HEAD~1..
expect_contains "open range: up to the branch" "Alpha replaced" "$OUT"
run_adr diff HEAD # read-only
expect_eq "not a range: usage" 2 "$RC"
expect_contains "not a range: usage: says why" "adr: 'HEAD' is not a range REV1..REV2" "$ERR"
run_adr diff HEAD...HEAD~1 # read-only
expect_eq "three dots: usage" 2 "$RC"
expect_contains "three dots: usage: says why" "adr: 'HEAD...HEAD~1' is not a range REV1..REV2" "$ERR"
run_adr diff nope..HEAD
expect_eq "unknown rev: failure" 1 "$RC"
expect_contains "unknown rev named" "nope" "$ERR"

check "git status clean" status_clean "$R"
check "fsck clean" fsck_clean "$R"
finish
