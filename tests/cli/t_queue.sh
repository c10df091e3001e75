#!/usr/bin/env bash
# adr queue: open proposals (local and remote-tracking) by deadline with age,
# comments and votes; overdue ones flagged for a meeting; meeting records
# waiting for cleanup; due revisits. Time is fixed with ADR_NOW and the
# GIT_*_DATE variables.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
O=$TMP/origin.git
C=$TMP/clone
D=docs/decisions
at() { export GIT_AUTHOR_DATE="$1T09:00:00Z" GIT_COMMITTER_DATE="$1T09:00:00Z" ADR_NOW="$1T09:00:00Z"; }
# ok ARGS...: a setup step, which must succeed for the checks below to mean anything.
ok() { run_adr "$@"; expect_eq "setup: adr $*" 0 "$RC"; }
new_repo "$R"
cd "$R"
at 2026-11-01
must_adr init
run_adr queue
expect_eq "empty queue" "nothing waiting" "$OUT"
run_adr queue --check
expect_eq "empty queue --check" 0 "$RC"

at 2026-11-03
ok propose --no-edit --deadline 2026-11-10 Old proposal
at 2026-11-05
ok propose --no-edit --deadline 3d Quick proposal
at 2026-11-15
ok propose --no-edit --deadline 2026-12-01 Fresh proposal
GIT_AUTHOR_NAME="Bo Chen" ok comment fresh --approve -m yes
GIT_AUTHOR_NAME="Cy Diaz" ok comment fresh --approve
GIT_AUTHOR_NAME="Cy Diaz" ok comment fresh --object -m "changed my mind"
ok comment fresh -m "just a note"
# A proposal that exists only on the remote.
git init -q --bare "$O"
git remote add origin "$O"
git push -q origin main
git clone -q "$O" "$C"
(cd "$C" && "$ADR" propose --no-edit --deadline 2026-11-30 Remote idea >/dev/null 2>"$TMP/remote.err" && git push -q origin adr/remote-idea)
check "setup: the remote proposal was pushed" git -C "$O" rev-parse -q --verify refs/heads/adr/remote-idea >/dev/null
git fetch -q origin
# A decided proposal is no longer open.
ok propose --no-edit Done already
ok accept done-already
# Meeting records and revisits.
at 2026-11-21
printf 'Attendees: Ana Lima\n\n## Decision: Meet on Mondays\nDecision: Mondays.\n' >"$TMP/m.md"
ok meeting --from "$TMP/m.md"
MEET=$(basename "$OUT" | cut -c1-4)
cat >"$D/0090-revisit-me.md" <<'REC'
---
status: accepted
date: 2026-01-01
revisit: 2026-11-15
---
# Revisit me
REC
cat >"$D/0091-later.md" <<'REC'
---
status: accepted
date: 2026-01-01
revisit: 2027-06-01
---
# Later
REC
git add $D && git commit -q -m "records with revisit dates"

run_adr queue
expect_eq "queue exit" 0 "$RC"
Q=$OUT
expect_contains "old proposal overdue, escalate" "2026-11-10  adr/old-proposal  Old proposal  (18 days, 0 comments, 0 revisions, 0 approve, 0 object)  OVERDUE: escalate to a meeting" "$Q"
expect_contains "quick proposal overdue" "2026-11-08  adr/quick-proposal" "$Q"
expect_contains "fresh proposal with votes" "2026-12-01  adr/fresh-proposal  Fresh proposal  (6 days, 4 comments, 0 revisions, 1 approve, 1 object)" "$Q"
expect_not_contains "fresh not overdue" "Fresh proposal  (6 days, 4 comments, 0 revisions, 1 approve, 1 object)  OVERDUE" "$Q"
expect_contains "remote-only proposal listed" "adr/remote-idea (remote)  Remote idea" "$Q"
expect_not_contains "decided proposal not listed" "done-already" "$Q"
expect_contains "pending cleanup" "2026-11-22  $MEET  Meet on Mondays" "$Q"
expect_not_contains "cleanup not yet overdue" "Meet on Mondays  OVERDUE" "$Q"
expect_contains "due revisit" "2026-11-15  0090  Revisit me  OVERDUE" "$Q"
expect_not_contains "future revisit not listed" "Later" "$Q"
expect_eq "proposals by deadline" "quick-proposal old-proposal remote-idea fresh-proposal" \
	"$(printf '%s\n' "$Q" | grep -o 'adr/[a-z-]*' | sed 's|adr/||' | tr '\n' ' ' | sed 's/ $//')"

run_adr queue --json
echo "$OUT" >"$TMP/q.json"
check "queue --json is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/q.json"
expect_eq "queue --json facts" "2026-11-21 3
proposal quick-proposal 2026-11-08 True 16 0 [] []
proposal old-proposal 2026-11-10 True 18 0 [] []
proposal remote-idea 2026-11-30 False 6 0 [] []
proposal fresh-proposal 2026-12-01 False 6 4 ['Bo Chen'] ['Cy Diaz']
cleanup $MEET 2026-11-22 False
revisit 90 2026-11-15 True" "$(python3 -c '
import json,sys; q=json.load(open(sys.argv[1])); print(q["today"], q["overdue"])
for i in q["items"]:
    if i["kind"]=="proposal": print(i["kind"], i["slug"], i["due"], i["overdue"], i["age_days"], i["comments"], i["approvals"], i["objections"])
    else: print(i["kind"], "%04d" % i["number"] if i["kind"]=="cleanup" else i["number"], i["due"], i["overdue"])' "$TMP/q.json")"
expect_eq "escalation in JSON" "escalate to a meeting" "$(python3 -c '
import json,sys; print(json.load(open(sys.argv[1]))["items"][1]["action"])' "$TMP/q.json")"

run_adr queue --check # read-only
expect_eq "--check with overdue items" 1 "$RC"
expect_contains "--check says how many" "3 items overdue" "$ERR"

# Before every deadline: nothing overdue, --check passes.
ADR_NOW=2026-11-06T09:00:00Z run_adr queue --check
expect_eq "--check with nothing overdue" 0 "$RC"
ADR_NOW=2026-11-06T09:00:00Z run_adr queue --json
expect_eq "nothing overdue in JSON" 0 "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["overdue"])')"
# Exactly one overdue thing: only the cleanup, two days after the meeting.
git branch -q -D adr/old-proposal adr/quick-proposal adr/fresh-proposal
git update-ref -d refs/remotes/origin/adr/remote-idea
git rm -q "$D/0090-revisit-me.md" && git commit -q -m "drop revisit"
run_adr queue --check
expect_eq "--check: cleanup not yet due" 0 "$RC"
ADR_NOW=2026-11-23T09:00:00Z run_adr queue --check # read-only
expect_eq "--check: cleanup overdue" 1 "$RC"
expect_contains "--check: cleanup overdue: says why" "adr: 1 item overdue" "$ERR"
ADR_NOW=2026-11-23T09:00:00Z run_adr queue
expect_contains "overdue cleanup shown" "Meet on Mondays  OVERDUE" "$OUT"
run_adr queue extra # read-only
expect_eq "queue usage error" 2 "$RC"
expect_contains "queue usage error: says why" "adr: unexpected argument 'extra'" "$ERR"

# Default deadlines per quadrant: .adr.yaml, else built in.
printf 'deadlines:\n  urgent-complex: 2d\n  calm-simple: 10d\n' >>.adr.yaml
git commit -q -am "deadlines"
deadline_of() { git show "adr/$1:$D/$1.md" | sed -n 's/^review-by: //p'; }
run_adr propose --no-edit --urgency high --complexity high Urgent and complex
expect_eq "urgent-complex from .adr.yaml" "2026-11-23" "$(deadline_of urgent-and-complex)"
expect_contains "urgent-complex suggests a meeting" "better decided in a meeting (adr meeting)" "$ERR"
run_adr propose --no-edit Calm and simple
expect_eq "calm-simple from .adr.yaml" "2026-12-01" "$(deadline_of calm-and-simple)"
expect_not_contains "no meeting hint for calm-simple" "adr meeting" "$ERR"
must_adr propose --no-edit --complexity high Calm and complex
expect_eq "calm-complex built in" "2026-11-28" "$(deadline_of calm-and-complex)"
must_adr propose --no-edit --urgency high Urgent and simple
expect_eq "urgent-simple built in" "2026-11-22" "$(deadline_of urgent-and-simple)"
must_adr propose --no-edit --deadline 48h Two days
expect_eq "48h" "2026-11-23" "$(deadline_of two-days)"
must_adr propose --no-edit --deadline 2w Two weeks
expect_eq "2w" "2026-12-05" "$(deadline_of two-weeks)"
printf 'deadlines:\n  calm-simple: soon\n' >.adr.yaml
git commit -q -am "bad deadlines"
snapshot_state
run_adr propose --no-edit Bad config
expect_eq "bad deadline in .adr.yaml" 2 "$RC"
expect_unchanged "bad deadline in .adr.yaml: nothing changed"
expect_contains "bad deadline names .adr.yaml" "from .adr.yaml deadlines" "$ERR"
finish
