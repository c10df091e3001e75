#!/usr/bin/env bash
# adr queue --agenda (issue 15, "Escalation that acts"): a Markdown meeting
# agenda from what needs a meeting, for a known log: proposals past their
# deadline, proposals with objections open at their deadline, urgent and
# complex ones, meeting records past their cleanup and overdue next steps,
# each with its ref, title, owner and why; what needs no meeting is left
# out. Time is fixed with ADR_NOW and the GIT_*_DATE variables.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
at() { export GIT_AUTHOR_DATE="$1T09:00:00Z" GIT_COMMITTER_DATE="$1T09:00:00Z" ADR_NOW="$1T09:00:00Z"; }
new_repo "$R"
cd "$R"
at 2026-11-10
must_adr init

run_adr queue --agenda # read-only
expect_eq "empty: exit" 0 "$RC"
expect_eq "empty: nothing needs a meeting" "# Meeting agenda, 2026-11-10

Nothing needs a meeting." "$OUT"

must_adr propose --no-edit --deadline 2026-11-15 Use Kafka
must_adr propose --no-edit --deadline 2026-11-18 --owner "Bo Chen" Cache *everything*
GIT_AUTHOR_NAME="Cy Diaz" must_adr comment cache-everything --object -m "Memory is not free."
must_adr propose --no-edit --deadline 2026-11-21 --reviewer "Dee Park" Use gRPC
GIT_AUTHOR_NAME="Cy Diaz" must_adr comment use-grpc --object -m "Not over this network."
GIT_AUTHOR_NAME="Bo Chen" must_adr comment use-grpc --approve
must_adr propose --no-edit --deadline 2026-11-25 --urgency high --complexity high --reviewer "Bo Chen" Split the monolith
must_adr propose --no-edit --deadline 2026-11-30 Rename the repo
# An objection withdrawn before the deadline passed: past the deadline, no objection.
GIT_AUTHOR_NAME="Cy Diaz" must_adr comment use-kafka --object -m "Wait."
GIT_AUTHOR_NAME="Cy Diaz" must_adr comment use-kafka --approve -m "Fine now."

at 2026-11-18
printf 'Attendees: Ana Lima, Bo Chen\n\n## Decision: Ship on Tuesdays\nDecision: Tuesdays.\n' >"$TMP/m1.md"
must_adr meeting --owner "Bo Chen" --from "$TMP/m1.md"
SHIP=$(basename "$OUT" | cut -c1-4)
cat >"$TMP/body.md" <<'EOF'
## Next steps

- [ ] Ana Lima: migrate the schema (by 2026-11-20)
- [x] Bo Chen: export the old events (by 2026-11-01)
- [ ] write the runbook (by 2026-12-20)
EOF
must_adr new --no-edit --owner "Cy Diaz" --body-file "$TMP/body.md" Move the events
EV=$(basename "$OUT" | cut -c1-4)
at 2026-11-21
printf 'Attendees: Ana Lima\n\n## Decision: Meet on Mondays\nDecision: Mondays.\n' >"$TMP/m2.md"
must_adr meeting --from "$TMP/m2.md"

run_adr queue --agenda # read-only
expect_eq "agenda: exit" 0 "$RC"
expect_eq "agenda: the sections and items" "# Meeting agenda, 2026-11-21

## Objections open at the deadline

- **adr/cache-everything** Cache \\*everything\\* (owner: Bo Chen): objections by Cy Diaz still open at the deadline 2026-11-18
- **adr/use-grpc** Use gRPC (owner: Ana Lima): objections by Cy Diaz still open at the deadline 2026-11-21; waiting for Dee Park

## Past their deadline

- **adr/use-kafka** Use Kafka (owner: Ana Lima): the comment deadline 2026-11-15 passed undecided

## Urgent and complex

- **adr/split-the-monolith** Split the monolith (owner: Ana Lima): urgent and complex: better decided in a meeting (deadline 2026-11-25); waiting for Bo Chen

## Meeting records not cleaned up

- **$SHIP** Ship on Tuesdays (owner: Bo Chen): meeting record not cleaned up by 2026-11-19

## Overdue next steps

- **$EV** Move the events (owner: Ana Lima): \"migrate the schema\" was due 2026-11-20" "$OUT"
expect_not_contains "agenda: a calm proposal not yet due is left out" "Rename the repo" "$OUT"
expect_not_contains "agenda: a cleanup not yet due is left out" "Meet on Mondays" "$OUT"

run_adr queue --json # read-only
expect_eq "json: exit" 0 "$RC"
expect_json "json: each item's reason" '[(i["title"], i["agenda"]) for i in d["items"]]' \
	'[["Use Kafka","Past their deadline"],["Cache *everything*","Objections open at the deadline"],["Use gRPC","Objections open at the deadline"],["Split the monolith","Urgent and complex"],["Rename the repo",null],["Ship on Tuesdays","Meeting records not cleaned up"],["Move the events","Overdue next steps"],["Meet on Mondays",null]]'

# The agenda is Markdown only: no --json, --mine or --check with it.
run_adr queue --agenda --json # read-only
expect_eq "agenda --json: usage error" 2 "$RC"
expect_contains "agenda --json: message" "adr: --agenda prints the whole agenda in Markdown: it takes no --json, --mine or --check" "$ERR"
expect_eq "agenda --json: nothing printed" "" "$OUT"

check "fsck clean" fsck_clean .
check "status clean" status_clean .
finish
