#!/usr/bin/env bash
# adr stats: the metrics of the practice (rework, reversals, cycle time in
# hours by mode, time to first response, --since/--until), checked against
# a log whose numbers are worked out by hand; and the urgency x complexity
# quadrant, which adr propose (its default deadline) and adr stats (its
# counts) read with one rule when only one axis is given.
#
# Two people: Ana Lima proposes, Bo Chen answers. Every command runs at a
# known time (ADR_NOW; the hand-made commit: GIT_*_DATE), all in UTC.
#
#   proposal              opened      first answer (by Bo)  revised  decided            mode   number
#   use-postgresql        01-05 09:00 01-05 15:00 (6h)      1        accept 01-07 09:00 async  0002
#   adopt-pnpm            01-06 10:00 01-07 12:00 (26h; Ana 2        accept 01-08 10:00 async  0003
#                                     commented at 11:00)
#   drop-ci-caching       01-08 09:00 01-08 10:00 (1h)      0        reject 01-09 09:00 async  0004
#   split-the-monolith    01-07 09:00 none                  2        accept 01-12 09:00 sync   0007
#   adopt-renovate        02-02 09:00 02-02 21:00 (12h)     0        accept 02-03 09:00 async  0008
#
#   cycle hours: 48 48 24 120 24 -> median 48, p90 (rank 5 of 5) 120;
#                async 24 24 48 48 -> median 36, p90 48; sync 120
#   rework: 2 of 5 decided proposals revised more than once -> 0.4
#   first response: 1 6 12 26 -> median 9, 4 of 5 answered
#
#   decisions (accepted, later superseded or deprecated):
#   0001 adr init's record 01-02: still accepted
#   0002 decided 01-07, deprecated 05-01 (114 days): not a reversal
#   0003 decided 01-08, superseded by 0010 on 02-20 (43 days): reversal
#   0005 meeting 01-09, deprecated 04-09 (90 days): reversal
#   0006 adr new 01-10, deprecated by a plain git commit 03-01 (50 days): reversal
#   0007 01-12, 0008 02-03, 0009 02-10, 0010 02-20: still accepted
#   -> 3 of 9 -> 0.33
#
#   January:  decided proposals 0002 0003 0004 0007; decisions 1 2 3 5 6 7
#   February to June: decided proposal 0008; decisions 8 9 10
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
new_repo "$R"
cd "$R"
ADR_NOW=2026-01-02T09:00:00Z must_adr init

at() { ADR_NOW=$1 "${@:2}"; }
as_bo() { GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL=bo@example.com GIT_COMMITTER_NAME="Bo Chen" \
	GIT_COMMITTER_EMAIL=bo@example.com "$@"; }
# revise SLUG SED-EXPR: a new version of the proposal, changed by SED-EXPR
revise() {
	git show "adr/$1:$D/$1.md" | sed "$2" >"$TMP/revision.md"
	must_adr revise "$1" --file "$TMP/revision.md"
}

at 2026-01-05T09:00:00Z must_adr propose --no-edit Use PostgreSQL
at 2026-01-05T15:00:00Z as_bo must_adr comment use-postgresql -m "Which version?"
at 2026-01-06T09:00:00Z revise use-postgresql 's/^## Context$/## Context\n\nPostgreSQL 16./'
at 2026-01-06T10:00:00Z must_adr propose --no-edit Adopt pnpm
at 2026-01-06T11:00:00Z must_adr comment adopt-pnpm -m "Note to self: check the lockfile"
at 2026-01-06T12:00:00Z revise adopt-pnpm 's/^## Context$/## Context\n\nnpm is slow./'
at 2026-01-07T08:00:00Z revise adopt-pnpm 's/^## Decision$/## Decision\n\nWe use pnpm./'
at 2026-01-07T09:00:00Z must_adr propose --no-edit --urgency high --complexity high Split the monolith
at 2026-01-07T09:00:00Z must_adr accept use-postgresql
at 2026-01-07T10:00:00Z revise split-the-monolith 's/^mode: async$/mode: sync/'
at 2026-01-07T12:00:00Z as_bo must_adr comment adopt-pnpm --approve
at 2026-01-08T09:00:00Z must_adr propose --no-edit Drop CI caching
at 2026-01-08T09:00:00Z revise split-the-monolith 's/^## Decision$/## Decision\n\nTwo services first./'
at 2026-01-08T10:00:00Z as_bo must_adr comment drop-ci-caching --object -m "Builds get slow"
at 2026-01-08T10:00:00Z must_adr accept adopt-pnpm
at 2026-01-09T09:00:00Z must_adr reject drop-ci-caching
cat >"$TMP/minutes.md" <<'MIN'
Attendees: Ana Lima, Bo Chen

## Decision: Ship on Tuesdays
Decision: Releases go out on Tuesdays.
MIN
at 2026-01-09T16:00:00Z must_adr meeting --from "$TMP/minutes.md"
at 2026-01-10T10:00:00Z must_adr new --no-edit Use trunk-based development
at 2026-01-12T09:00:00Z must_adr accept split-the-monolith
at 2026-02-02T09:00:00Z must_adr propose --no-edit Adopt Renovate
at 2026-02-02T21:00:00Z as_bo must_adr comment adopt-renovate -m "Yes, weekly"
at 2026-02-03T09:00:00Z must_adr accept adopt-renovate
at 2026-02-10T09:00:00Z must_adr new --no-edit Use Conventional Commits
at 2026-02-20T09:00:00Z must_adr new --no-edit --supersedes 3 Use Bun workspaces
# the status changed by hand: no adr commit says when, so its last change does
sed -i 's/^status: accepted$/status: deprecated/' $D/0006-use-trunk-based-development.md
GIT_AUTHOR_DATE=2026-03-01T10:00:00Z GIT_COMMITTER_DATE=2026-03-01T10:00:00Z \
	git commit -q -am "Trunk-based development is over"
at 2026-04-09T12:00:00Z must_adr status 5 deprecated
at 2026-05-01T12:00:00Z must_adr status 2 deprecated

expect_eq "the log is as planned" "0001 accepted
0002 deprecated
0003 superseded
0004 rejected
0005 deprecated
0006 deprecated
0007 accepted
0008 accepted
0009 accepted
0010 accepted" "$(for f in $D/0*.md; do
	printf '%s %s\n' "$(basename "$f" | cut -c1-4)" "$(sed -n 's/^status: //p' "$f")"
done)"
expect_eq "0007 was decided in sync mode" "mode: sync" "$(grep '^mode:' $D/0007-split-the-monolith.md)"

export ADR_NOW=2026-06-01T12:00:00Z

# --- all time ------------------------------------------------------------------------
run_adr stats --json
expect_eq "stats: exit" 0 "$RC"
expect_json "proposals decided" 'd["proposals_decided"]' 5
expect_json "reworked" 'd["reworked"]' 2
expect_json "rework rate" 'd["rework_rate"]' 0.4
expect_json "decisions" 'd["decisions"]' 9
expect_json "reversed" 'd["reversed"]' 3
expect_json "reversal rate" 'd["reversal_rate"]' 0.33
expect_json "cycle hours" 'd["cycle_hours"]' '{"count":5,"median":48,"p90":120}'
expect_json "cycle hours by mode" 'd["cycle_hours_by_mode"]' \
	'{"async":{"count":4,"median":36,"p90":48},"sync":{"count":1,"median":120,"p90":120}}'
expect_json "proposals opened" 'd["proposals_opened"]' 5
expect_json "proposals answered" 'd["proposals_answered"]' 4
expect_json "first response median" 'd["first_response_hours_median"]' 9
expect_json "no period" '[d["since"], d["until"]]' '[null,null]'
# the older fields are all still there
expect_json "older fields kept" '[d["records"], d["proposals"], d["decided"], d["cycle_days_median"]]' '[10,5,5,2]'
expect_json "by quadrant" 'd["by_quadrant"]' '{"unset":9,"urgent+complex":1}'

run_adr stats
expect_eq "text: exit" 0 "$RC"
expect_contains "text: rework" "rework rate: 40% (2 of 5 decided proposals revised more than once)" "$OUT"
expect_contains "text: reversal" "reversal rate: 33% (3 of 9 decisions superseded or deprecated within 90 days)" "$OUT"
expect_contains "text: cycle" "cycle time (hours): median 48.00, p90 120.00 (5 decided)" "$OUT"
expect_contains "text: cycle sync" "cycle time (hours), sync: median 120.00, p90 120.00 (1 decided)" "$OUT"
expect_contains "text: cycle async" "cycle time (hours), async: median 36.00, p90 48.00 (4 decided)" "$OUT"
expect_contains "text: first response" "time to first response (hours): median 9.00 (4 of 5 proposals answered)" "$OUT"
expect_contains "text: older lines kept" "cycle time (days): median 2.00" "$OUT"
expect_not_contains "text: no period line without one" "period:" "$OUT"

# --- two periods: before and after ---------------------------------------------------------
run_adr stats --since 2026-01-01 --until 2026-01-31 --json
expect_eq "january: exit" 0 "$RC"
expect_json "january: period" '[d["since"], d["until"]]' '["2026-01-01","2026-01-31"]'
expect_json "january: rework" '[d["proposals_decided"], d["reworked"], d["rework_rate"]]' '[4,2,0.5]'
expect_json "january: reversals" '[d["decisions"], d["reversed"], d["reversal_rate"]]' '[6,3,0.5]'
expect_json "january: cycle" 'd["cycle_hours"]' '{"count":4,"median":48,"p90":120}'
expect_json "january: cycle async" 'd["cycle_hours_by_mode"]["async"]' '{"count":3,"median":48,"p90":48}'
expect_json "january: first response" '[d["proposals_opened"], d["proposals_answered"], d["first_response_hours_median"]]' \
	'[4,3,6]'
expect_json "january: records dated in it" 'd["records"]' 7

run_adr stats --since 2026-02-01 --until 2026-06-30 --json
expect_json "february on: rework" '[d["proposals_decided"], d["reworked"], d["rework_rate"]]' '[1,0,0]'
expect_json "february on: reversals" '[d["decisions"], d["reversed"], d["reversal_rate"]]' '[3,0,0]'
expect_json "february on: cycle" 'd["cycle_hours"]' '{"count":1,"median":24,"p90":24}'
expect_json "february on: no sync decision" 'd["cycle_hours_by_mode"]["sync"]' '{"count":0,"median":null,"p90":null}'
expect_json "february on: first response" '[d["proposals_opened"], d["proposals_answered"], d["first_response_hours_median"]]' \
	'[1,1,12]'
expect_json "february on: records dated in it" 'd["records"]' 3

# the days at both ends are in the period: 0003 was decided on 01-08
run_adr stats --since 2026-01-08 --until 2026-01-08 --json
expect_json "one day: decided proposals" 'd["proposals_decided"]' 1
expect_json "one day: the proposal opened that day" 'd["proposals_opened"]' 1

# an empty period: nothing to count, said as such
run_adr stats --since 2027-01-01
expect_eq "empty period: exit" 0 "$RC"
expect_contains "empty period: period line" "period: 2027-01-01 .. now" "$OUT"
expect_contains "empty period: no rework" "rework rate: - (no decided proposals revised more than once)" "$OUT"
expect_contains "empty period: no cycle" "cycle time (hours): -" "$OUT"
expect_contains "empty period: no response" "time to first response (hours): - (0 of 0 proposals answered)" "$OUT"
# --until alone: no proposal decided yet, one decision (adr init's record,
# not reversed); the two proposals opened by then were answered after 6 and
# 26 hours (an answer after the period still counts)
run_adr stats --until 2026-01-06 --json
expect_json "until alone: only the init record decided" '[d["rework_rate"], d["reversal_rate"], d["first_response_hours_median"]]' \
	'[null,0,16]'

# --- bad periods ---------------------------------------------------------------------
snapshot_state
run_adr stats --until 2026-02-30
expect_eq "bad --until: usage" 2 "$RC"
expect_contains "bad --until: says why" "adr: --until: '2026-02-30' is not a date (YYYY-MM-DD)" "$ERR"
expect_unchanged "bad --until: nothing changed"
run_adr stats --since 01/02/2026 --json
expect_eq "bad --since: usage" 2 "$RC"
expect_contains "bad --since: says why" "adr: --since: '01/02/2026' is not a date (YYYY-MM-DD)" "$ERR"
expect_eq "bad --since: no output" "" "$OUT"
expect_unchanged "bad --since: nothing changed"
run_adr stats --since 2026-03-01 --until 2026-02-01
expect_eq "reversed period: usage" 2 "$RC"
expect_contains "reversed period: says why" \
	"adr: --since 2026-03-01 is after --until 2026-02-01: the period is empty" "$ERR"
expect_unchanged "reversed period: nothing changed"

# --- the index keeps what the metrics need, incrementally too ------------------------------
# A record changed after it ended keeps the day it ended (the commit that
# said so), not the day of its last change (0003: 02-20, 0005: 04-09).
at 2026-06-02T09:00:00Z must_adr link 3 relates-to 1
at 2026-06-02T09:00:00Z must_adr link 5 relates-to 1
run_adr stats --json
expect_json "incremental: changed after they ended, still reversals" '[d["decisions"], d["reversed"]]' '[9,3]'
rm -f "$(git rev-parse --git-common-dir)/adr/index.db"
run_adr stats --json
expect_json "rebuilt index: same numbers" \
	'[d["reworked"], d["reversed"], d["proposals_answered"], d["first_response_hours_median"]]' '[2,3,4,9]'
at 2026-06-02T09:00:00Z must_adr status 8 deprecated
run_adr stats --json
expect_json "incremental: 0008 deprecated after 119 days is no reversal" '[d["decisions"], d["reversed"]]' '[9,3]'
at 2026-06-03T09:00:00Z must_adr new --no-edit --supersedes 10 Use npm workspaces again
run_adr stats --json
expect_json "incremental: 0010 superseded after 103 days is no reversal" '[d["decisions"], d["reversed"]]' '[10,3]'

check "git status clean" status_clean "$R"
check "fsck clean" fsck_clean "$R"

# --- the quadrant: one rule for propose and stats ------------------------------------------
Q=$TMP/quadrant
new_repo "$Q"
cd "$Q"
export ADR_NOW=2026-03-02T10:00:00Z
must_adr init
printf 'deadlines:\n  urgent-complex: 1d\n  urgent-simple: 2d\n  calm-complex: 5d\n  calm-simple: 4d\n' >>.adr.yaml
git commit -q -am "a deadline per quadrant"
deadline_of() { git show "adr/$1:$D/$1.md" | sed -n 's/^review-by: //p'; }
must_adr propose --no-edit --urgency high Only urgent
expect_eq "propose: urgency alone is urgent+simple" "2026-03-04" "$(deadline_of only-urgent)"
must_adr propose --no-edit --complexity high Only complex
expect_eq "propose: complexity alone is calm+complex" "2026-03-07" "$(deadline_of only-complex)"
must_adr propose --no-edit --urgency low Only calm
expect_eq "propose: low urgency alone is calm+simple" "2026-03-06" "$(deadline_of only-calm)"
must_adr propose --no-edit Neither
expect_eq "propose: neither axis takes calm+simple's deadline" "2026-03-06" "$(deadline_of neither)"
for p in only-urgent only-complex only-calm neither; do must_adr accept "$p"; done
# (unset: "Neither" and adr init's record)
run_adr stats --json
expect_json "stats: the same quadrants" 'd["by_quadrant"]' \
	'{"calm+complex":1,"calm+simple":1,"unset":2,"urgent+simple":1}'
# a record made decided is classified the same way
must_adr new --no-edit --urgency high Urgent record
must_adr new --no-edit --complexity high Complex record
run_adr stats --json
expect_json "stats: records with one axis" 'd["by_quadrant"]' \
	'{"calm+complex":2,"calm+simple":1,"unset":2,"urgent+simple":2}'
check "quadrant repo: git status clean" status_clean "$Q"
finish
