#!/usr/bin/env bash
# Roles (issue 15): the owner set by new, propose and meeting (a proposal's
# is its proposer unless named, and stays when it is accepted); reviewers and
# whose move each queue item is; --mine for two users; the first-response
# flag from .adr.yaml; next steps read from the record, overdue ones queued
# and every one shown on the site; bad names and a bad first-response
# refused with their message and nothing written. Time is fixed with ADR_NOW
# and the GIT_*_DATE variables.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
at() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" ADR_NOW="$1"; }
new_repo "$R"
cd "$R"
at 2026-11-20T09:00:00Z
must_adr init

# --- the owner, set by each command ----------------------------------------------

must_adr new --no-edit --owner "Bo Chen" Use PostgreSQL
PG=$OUT
expect_eq "new: the owner is committed" "owner: Bo Chen" "$(git show "HEAD:$PG" | grep '^owner:')"
run_adr show 2 # read-only
expect_eq "show: exit" 0 "$RC"
expect_contains "show: the owner" "owner:           Bo Chen" "$OUT"

must_adr propose --no-edit --reviewer "Bo Chen" --reviewer "Cy Diaz" Use Kafka
expect_eq "propose: the owner is the proposer" "owner: Ana Lima" \
	"$(git show adr/use-kafka:$D/use-kafka.md | grep '^owner:')"
expect_eq "propose: the reviewers, in order" "reviewers: [Bo Chen, Cy Diaz]" \
	"$(git show adr/use-kafka:$D/use-kafka.md | grep '^reviewers:')"
must_adr propose --no-edit --owner "Dee Park" --deadline 2026-11-22 Use Redis
expect_eq "propose --owner: someone else owns it" "owner: Dee Park" \
	"$(git show adr/use-redis:$D/use-redis.md | grep '^owner:')"

printf 'Attendees: Ana Lima, Bo Chen\n\n## Decision: Ship on Tuesdays\nDecision: Tuesdays.\n' >"$TMP/m.md"
must_adr meeting --owner "Cy Diaz" --from "$TMP/m.md"
MEET=$OUT
expect_eq "meeting --owner: the owner is committed" "owner: Cy Diaz" "$(git show "HEAD:$MEET" | grep '^owner:')"

must_adr accept use-redis
expect_eq "accept: the owner stays" "owner: Dee Park" "$(git show HEAD:$D/0004-use-redis.md | grep '^owner:')"

run_adr list --json # read-only
expect_eq "list --json: exit" 0 "$RC"
expect_json "list --json: each record's owner" '[[r["number"], r.get("owner")] for r in d]' \
	'[[1,null],[2,"Bo Chen"],[3,"Cy Diaz"],[4,"Dee Park"]]'

# --- reviewers and whose move it is ------------------------------------------------

run_adr queue --json # read-only
expect_eq "queue: exit" 0 "$RC"
expect_json "queue: nobody answered, both reviewers move" \
	'[(i["kind"], i["owner"], i["move"]) for i in d["items"] if i["kind"] == "proposal"]' \
	'[["proposal","Ana Lima",["Bo Chen","Cy Diaz"]]]'
GIT_AUTHOR_NAME="Bo Chen" must_adr comment use-kafka -m "Fine by me, one question below."
run_adr queue --json # read-only
expect_json "queue: one reviewer answered, the other moves" \
	'[i["move"] for i in d["items"] if i["kind"] == "proposal"]' '[["Cy Diaz"]]'
run_adr queue # read-only
expect_eq "queue text: exit" 0 "$RC"
expect_contains "queue text: whose move" "adr/use-kafka  Use Kafka  (0 days, 1 comments, 0 revisions, 0 approve, 0 object)  move: Cy Diaz" "$OUT"
expect_contains "queue text: the cleanup's owner moves" "2026-11-21  0003  Ship on Tuesdays  move: Cy Diaz" "$OUT"

# --mine: Cy (by GIT_AUTHOR_NAME) has the proposal and the cleanup, the
# cleanup first (due sooner); Ana has nothing yet.
GIT_AUTHOR_NAME="Cy Diaz" run_adr queue --mine --json # read-only
expect_eq "mine (Cy): exit" 0 "$RC"
expect_json "mine (Cy): by due date" '[d["user"]] + [i["title"] for i in d["items"]]' \
	'["Cy Diaz","Ship on Tuesdays","Use Kafka"]'
run_adr queue --mine # read-only
expect_eq "mine (Ana): exit" 0 "$RC"
expect_eq "mine (Ana): nothing" "nothing waiting for Ana Lima" "$OUT"

GIT_AUTHOR_NAME="Cy Diaz" must_adr comment use-kafka --approve
run_adr queue --json # read-only
expect_json "queue: both answered, the owner moves" \
	'[i["move"] for i in d["items"] if i["kind"] == "proposal"]' '[["Ana Lima"]]'
# --mine by git config user.name, with no GIT_AUTHOR_NAME
git config user.name "Ana Lima"
set +e
env -u GIT_AUTHOR_NAME "$ADR" queue --mine >"$TMP/mine.out" 2>"$TMP/mine.err" # read-only
MINE_RC=$?
set -e
expect_eq "mine (user.name): exit" 0 "$MINE_RC"
expect_eq "mine (user.name): Ana's move" "Your move (Ana Lima), by due date:
  proposal   2026-11-23  adr/use-kafka  Use Kafka  (0 days, 2 comments, 0 revisions, 1 approve, 0 object)  move: Ana Lima" \
	"$(cat "$TMP/mine.out")"

# --- first response ---------------------------------------------------------------

printf 'first-response: 24h\n' >>.adr.yaml
git commit -q -am "reviewers answer within a day"
must_adr propose --no-edit --reviewer "Bo Chen" --deadline 2026-12-01 Use gRPC
at 2026-11-21T08:00:00Z
run_adr queue --json --check
expect_eq "first response: not yet due, exit" 0 "$RC"
expect_json "first response: not yet late" '[i["late_response"] for i in d["items"] if i["kind"] == "proposal"]' \
	'[false,false]'
at 2026-11-21T09:00:00Z
run_adr queue --json --check # read-only
expect_eq "first response: due, --check fails" 1 "$RC"
expect_eq "first response: --check says why" "adr: 1 item overdue" "$ERR"
expect_json "first response: only the unanswered one is late" \
	'[(i["slug"], i["late_response"], i["overdue"]) for i in d["items"] if i["kind"] == "proposal"]' \
	'[["use-kafka",false,false],["use-grpc",true,false]]'
run_adr queue # read-only
expect_contains "first response: flagged in the text" "Use gRPC  (1 days, 0 comments, 0 revisions, 0 approve, 0 object)  NO FIRST RESPONSE  move: Bo Chen" "$OUT"
GIT_AUTHOR_NAME="Bo Chen" must_adr comment use-grpc --object -m "Not over this network."
run_adr queue --json --check
expect_eq "first response: answered late, no longer flagged" 0 "$RC"
expect_json "first response: answered" '[i["late_response"] for i in d["items"] if i["kind"] == "proposal"]' \
	'[false,false]'

# --- next steps --------------------------------------------------------------------

cat >"$TMP/body.md" <<'EOF'
## Decision

We move the events.

## Next steps

- [ ] Ana Lima: migrate the schema (by 2026-11-20)
- [x] Bo Chen: export the old events (by 2026-11-01)
- [ ] write the runbook (by 2026-12-20)
- [ ] Cy Diaz: tidy up (by 2026-13-45)
- Who does what, by when.
- [ ] notify partners (by 2026-11-02)

```
- [ ] not a step (by 2026-01-01)
```
EOF
must_adr new --no-edit --owner "Cy Diaz" --body-file "$TMP/body.md" Move the events
EV=$OUT
BAD_LINE=$(grep -n 'tidy up' "$EV" | cut -d: -f1)
run_adr queue --json # read-only
expect_eq "next steps: exit" 0 "$RC"
expect_json "next steps: the overdue open ones, owner from the step or the record" \
	'[(i["number"], i["step"], i["due"], i["owner"], i["move"]) for i in d["items"] if i["kind"] == "next-step"]' \
	'[[5,"migrate the schema","2026-11-20","Ana Lima",["Ana Lima"]],[5,"notify partners","2026-11-02","Cy Diaz",["Cy Diaz"]]]'
expect_eq "next steps: the bad date is warned with file:line:col" \
	"adr: warning: $EV:$BAD_LINE:1: next step: '2026-13-45' is not a date (YYYY-MM-DD)" "$ERR"
run_adr queue # read-only
expect_contains "next steps: text" "Overdue next steps:
  2026-11-20  0005  migrate the schema  (Move the events)  OVERDUE  move: Ana Lima" "$OUT"
expect_not_contains "next steps: done one not listed" "export the old events" "$OUT"
expect_not_contains "next steps: code block is no list" "not a step" "$OUT"

run_adr html -o "$TMP/site"
expect_eq "site: exit" 0 "$RC"
PAGE=$(cat "$TMP/site/0005-move-the-events.html")
expect_contains "site: the owner" "<dt>Owner</dt><dd>Cy Diaz</dd>" "$PAGE"
expect_contains "site: an open step with owner and date" '<li class="step"><span class="step-state">open</span> <span class="who">Ana Lima</span>: migrate the schema · by <time datetime="2026-11-20">2026-11-20</time></li>' "$PAGE"
expect_contains "site: a done step" '<li class="step step-done"><span class="step-state">done</span> <span class="who">Bo Chen</span>: export the old events' "$PAGE"
expect_contains "site: a step with neither owner nor a bad date" '<span class="step-state">open</span> write the runbook · by' "$PAGE"
expect_not_contains "site: the malformed step is left out" "tidy up</li>" "$PAGE"

# --- bad input: nothing written ------------------------------------------------------

snapshot_state
N=$(commit_count .)
run_adr new --no-edit --owner "" Empty owner
expect_eq "empty --owner: usage error" 2 "$RC"
expect_contains "empty --owner: message" "adr: --owner: the name is empty" "$ERR"
expect_unchanged "empty --owner: nothing written"
run_adr propose --no-edit --reviewer "$(printf 'Bo\nChen')" Two lines
expect_eq "two-line --reviewer: usage error" 2 "$RC"
expect_contains "two-line --reviewer: message" "adr: --reviewer: the name has more than one line" "$ERR"
expect_unchanged "two-line --reviewer: nothing written"
check "two-line --reviewer: no branch" test -z "$(git branch --list 'adr/two-lines')"
run_adr meeting --owner "   " --from "$TMP/m.md"
expect_eq "blank meeting --owner: usage error" 2 "$RC"
expect_contains "blank meeting --owner: message" "adr: --owner: the name is blank" "$ERR"
expect_unchanged "blank meeting --owner: nothing written"
expect_eq "bad names: no commit" "$N" "$(commit_count .)"

# A record whose owner is a list is read leniently with a warning.
printf -- '---\nstatus: accepted\nowner: [Ana, Bo]\n---\n# Two owners\n' >"$D/0009-two-owners.md"
git add "$D" && git commit -q -m "two owners"
run_adr list --json # read-only
expect_eq "owner list: exit" 0 "$RC"
expect_json "owner list: warned, left unset" '[(r.get("owner"), r["warnings"]) for r in d if r["number"] == 9]' \
	"[[null,[\"$D/0009-two-owners.md:3:8: key 'owner': expected a name, not a list\"]]]"

# A first-response that is not a duration: every command refuses the repository.
printf 'first-response: soon\n' >.adr.yaml
git commit -q -am "bad first response"
LINE=$(grep -n '^first-response' .adr.yaml | cut -d: -f1)
snapshot_state
run_adr queue # read-only
expect_eq "bad first-response: queue fails" 1 "$RC"
expect_eq "bad first-response: file:line:col" \
	"adr: .adr.yaml:$LINE:17: first-response must be a duration like 24h, 2d or 1w (at most a year)" "$ERR"
run_adr propose --no-edit Blocked proposal
expect_eq "bad first-response: propose fails" 1 "$RC"
expect_contains "bad first-response: propose says why" ".adr.yaml:$LINE:17: first-response" "$ERR"
expect_unchanged "bad first-response: nothing written"
printf 'first-response: 2y\n' >.adr.yaml
git commit -q -am "a unit we do not read"
run_adr queue # read-only
expect_eq "first-response 2y: refused" 1 "$RC"
expect_contains "first-response 2y: message" "first-response must be a duration" "$ERR"

check "fsck clean" fsck_clean .
check "status clean" status_clean .
finish
