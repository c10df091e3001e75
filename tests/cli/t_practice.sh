#!/usr/bin/env bash
# Issue 15's practice, end to end, as a two-person team runs it: Ana Lima
# proposes with an owner and a reviewer, Bo Chen answers one proposal and
# lets the other stall; the stalled one is on the meeting agenda and is
# decided in a meeting; a decision is revisited; a digest is delivered to a
# webhook (tests/cli/notify_server.py on 127.0.0.1, started and stopped
# here); and `adr stats` gives the practice's numbers, worked out by hand:
#
#   proposal      opened       first answer (Bo)   revisions  decided                 mode   number
#   use-postgres  11-02 10:00  11-03 09:00 (23 h)  0          accept 11-05 10:00      async  0002
#   adopt-kafka   11-02 11:00  none                2          meeting 11-06 14:00     sync   0003
#
#   cycle hours: 72 (async) and 99 (sync): median 85.5, p90 99
#   rework: 1 of 2 decided proposals revised more than once: 0.5
#   first response: 1 of 2 answered, median 23 h
#   decisions: 0001 (init), 0002, 0003; none reversed
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
D=docs/decisions
LOG=$TMP/requests.log
at() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" ADR_NOW="$1"; }
as_ana() { GIT_AUTHOR_NAME="Ana Lima" GIT_AUTHOR_EMAIL=ana@example.com GIT_COMMITTER_NAME="Ana Lima" \
	GIT_COMMITTER_EMAIL=ana@example.com "$@"; }
as_bo() { GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL=bo@example.com GIT_COMMITTER_NAME="Bo Chen" \
	GIT_COMMITTER_EMAIL=bo@example.com "$@"; }

start_webhook "$LOG"

new_repo "$R"
cd "$R"
git config user.name "Ana Lima"
git config user.email ana@example.com
at 2026-11-02T09:00:00Z
as_ana must_adr init
printf 'first-response: 24h\nrevisit: 3m\n' >>.adr.yaml
git add .adr.yaml && git commit -q -m "reviewers answer within a day; decisions revisited every 3 months"

# --- proposals with an owner and a reviewer ------------------------------------------------
printf '## Context\n\nThe event store needs a home.\n\n## Decision\n\nWe use PostgreSQL.\n' >"$TMP/pg.md"
at 2026-11-02T10:00:00Z
as_ana must_adr propose --no-edit --body-file "$TMP/pg.md" --deadline 2026-11-06 --reviewer "Bo Chen" Use Postgres
printf '## Context\n\nEvents between services.\n\n## Decision\n\nWe adopt Kafka.\n' >"$TMP/kafka.md"
at 2026-11-02T11:00:00Z
as_ana must_adr propose --no-edit --body-file "$TMP/kafka.md" --deadline 2026-11-04 --reviewer "Bo Chen" \
	--urgency high --complexity high Adopt Kafka
git checkout -q main
expect_eq "both proposals are branches" "adr/adopt-kafka
adr/use-postgres" "$(git for-each-ref --format='%(refname:short)' refs/heads/adr/)"
check "the owner defaults to the proposer" grep -qx "owner: Ana Lima" <(git show adr/use-postgres:$D/use-postgres.md)
check "the reviewer is kept" grep -qx "reviewers: \[Bo Chen\]" <(git show adr/use-postgres:$D/use-postgres.md)

# Ana revises Kafka twice (rework); Bo answers Postgres only.
for t in 2026-11-03T08:00:00Z 2026-11-03T12:00:00Z; do
	at "$t"
	git show "adr/adopt-kafka:$D/adopt-kafka.md" | sed "s/^Events between services.*/Events between services (as of $t)./" >"$TMP/rev.md"
	as_ana must_adr revise adopt-kafka --file "$TMP/rev.md"
done
at 2026-11-03T09:00:00Z
as_bo must_adr comment use-postgres --approve -m "Fine by me."
git checkout -q main

# --- whose move: Bo has not answered Kafka, and the first-response day is over -------------
at 2026-11-03T12:30:00Z
run_adr queue --json # read-only
expect_eq "queue: exit" 0 "$RC"
expect_json "queue: Bo's move on Kafka, the owner's on Postgres" \
	'sorted([i["slug"], i["move"], i["late_response"]] for i in d["items"] if i["kind"] == "proposal")' \
	'[["adopt-kafka",["Bo Chen"],true],["use-postgres",["Ana Lima"],false]]'
as_bo run_adr queue --mine --json # read-only
expect_json "queue --mine as Bo: only Kafka" '[i["slug"] for i in d["items"]]' '["adopt-kafka"]'

# --- the stalled proposal is on the agenda -------------------------------------------------
at 2026-11-05T09:00:00Z
run_adr queue --agenda # read-only
expect_eq "agenda: exit" 0 "$RC"
expect_contains "agenda: Kafka past its deadline" "adr/adopt-kafka" "$OUT"
expect_contains "agenda: the past-deadline section" "Past their deadline" "$OUT"
expect_contains "agenda: waiting for Bo" "Bo Chen" "$OUT"
expect_not_contains "agenda: Postgres is not due yet" "use-postgres" "$OUT"

# --- Postgres decided asynchronously, Kafka in a meeting ------------------------------------
at 2026-11-05T10:00:00Z
as_ana must_adr accept use-postgres
at 2026-11-06T14:00:00Z
TIP=$(git rev-parse main)
as_ana must_adr meeting --attendee "Ana Lima" --attendee "Bo Chen" --decide adopt-kafka
expect_eq "meeting: one merge onto the decision branch" "$TIP 2" \
	"$(git log -1 --format=%P main | awk '{print $1, NF}')"
check "meeting: the proposal's branch is gone" test -z "$(git for-each-ref refs/heads/adr/adopt-kafka)"
K=$(ls $D/0003-*.md)
expect_eq "meeting: Kafka is 0003" "$D/0003-adopt-kafka.md" "$K"
check "meeting: decided in sync mode" grep -qx "mode: sync" "$K"
check "meeting: the attendees decided" grep -qx "decision-makers: \[Ana Lima, Bo Chen\]" "$K"
check "meeting: the revisions are kept in the history" \
	test "$(git log --format=%s main | grep -c '^adr: revise adopt-kafka')" = 2
check "meeting: the revisit cadence applies" grep -qx "revisit: 2027-02-06" "$K"
check "accept: the revisit cadence applies" grep -qx "revisit: 2027-02-05" $D/0002-*.md
check "accept: the owner stays" grep -qx "owner: Ana Lima" $D/0002-*.md

# --- a revisit recorded --------------------------------------------------------------------
at 2026-12-01T09:00:00Z
BEFORE=$(commit_count . main)
as_bo must_adr revisit 2 -m "Still the right store."
expect_eq "revisit: one commit" $((BEFORE + 1)) "$(commit_count . main)"
expect_contains "revisit: its trailers" "Adr-Action: revisit
Adr-Record: 0002" "$(git log -1 --format=%B)"
check "revisit: the next date is 3 months on" grep -qx "revisit: 2027-03-01" $D/0002-*.md
run_adr show 2 # read-only
expect_contains "revisit: show lists the review" "Still the right store." "$OUT"

# --- the digest, delivered to the local webhook ----------------------------------------------
export ADR_NOTIFY_URL=$WEBHOOK/hook
run_adr notify --since 2026-11-01
expect_eq "notify: exit" 0 "$RC"
expect_eq "notify: one request" 1 "$(wc -l <"$LOG" | tr -d ' ')"
SENT=$(webhook_text "$LOG" 1)
expect_contains "notify: Postgres in the digest" "0002 Use Postgres" "$SENT"
expect_contains "notify: Kafka in the digest" "0003 Adopt Kafka" "$SENT"
check "notify: the state is kept" test -s .git/adr/notify-state

# --- the numbers of the practice ---------------------------------------------------------------
run_adr stats --json # read-only
expect_eq "stats: exit" 0 "$RC"
expect_json "stats: rework" '[d["proposals_decided"], d["reworked"], d["rework_rate"]]' '[2,1,0.5]'
expect_json "stats: reversals" '[d["decisions"], d["reversed"], d["reversal_rate"]]' '[3,0,0]'
expect_json "stats: cycle hours" 'd["cycle_hours"]' '{"count":2,"median":85.5,"p90":99}'
expect_json "stats: cycle hours by mode" 'd["cycle_hours_by_mode"]' \
	'{"async":{"count":1,"median":72,"p90":72},"sync":{"count":1,"median":99,"p90":99}}'
expect_json "stats: first response" \
	'[d["proposals_opened"], d["proposals_answered"], d["first_response_hours_median"]]' '[2,1,23]'

# --- the quadrant suggests the mode (DESIGN.md): taken when none is given, said when it differs
at 2026-12-02T09:00:00Z
must_adr new --no-edit --urgency high --complexity high Freeze the schema
check "quadrant: urgent + complex is sync" grep -qx "mode: sync" $D/0004-freeze-the-schema.md
must_adr new --no-edit --complexity high Split the billing service
check "quadrant: calm + complex is async" grep -qx "mode: async" $D/0005-split-the-billing-service.md
run_adr new --no-edit --mode async --urgency high --complexity high Rotate the keys
expect_eq "quadrant: another mode is kept" 0 "$RC"
expect_contains "quadrant: and the suggestion said" \
	"urgent+complex decisions are usually made in a meeting (sync); recorded as async" "$ERR"
check "quadrant: recorded as asked" grep -qx "mode: async" $D/0006-rotate-the-keys.md

check "fsck" fsck_clean "$R"
check "status clean" status_clean "$R"
finish
