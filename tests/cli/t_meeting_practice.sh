#!/usr/bin/env bash
# The meeting in the practice (issue 15): minutes with every field of a
# record under its natural names, an unknown field refused with
# file:line:col, a meeting that decides open proposals (--decide: real
# accept/reject merges, mode sync, the attendees as decision-makers, the
# thread kept), and --visibility / --tag on propose, accept and meeting.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
D=docs/decisions
new_repo "$R"
cd "$R"
export ADR_NOW=2026-11-21T10:00:00Z
must_adr init

# front FILE: the front matter of a record (between the two --- lines).
front() { sed -n '2,/^---$/p' "$1" | sed '$d'; }
# section FILE HEADING: the text under `## HEADING`, up to the next `## `.
section() { awk -v h="## $2" '$0 == h { on = 1; next } /^## / { on = 0 } on' "$1" | sed '/^$/d'; }

# --- --from: every field, under each of its names ------------------------------------
cat >"$TMP/minutes.md" <<'MIN'
# Partner sync, 2026-11-21
Attendees: Ana Lima, Bo Chen

## Decision: Use PostgreSQL
### Context
The event store needs a home.
Options considered:
- PostgreSQL
- MySQL
DECISION: We use PostgreSQL for the event store.
rationale
The team knows it.
Consequences: Ops learn logical replication.
Next steps:
- [ ] Ana Lima: migrate the schema (by 2026-12-20)
Owner: Bo Chen
Tags: storage, db
Visibility: partner
#### Consulted:
- Legal
- Ops
informed: Partner X

## Decision: Keep a changelog
Decision: Every release has a changelog entry.
  Note: hotfixes too (indented, so text).
### Options
Keep a changelog, commit log only
### Next steps:
- [ ] Bo Chen: add the file
OWNER: Ana Lima
TAGS
release
CONSULTED: Partner X
### Informed
Support
MIN
BEFORE=$(commit_count "$R")
run_adr meeting --from "$TMP/minutes.md"
expect_eq "fields: exit" 0 "$RC"
expect_eq "fields: one commit" $((BEFORE + 1)) "$(commit_count "$R")"
P=$D/0002-use-postgresql.md
C=$D/0003-keep-a-changelog.md
expect_eq "fields: both records" "$P
$C" "$(git show --format= --name-only HEAD)"
FM=$(git show "HEAD:$P" >"$TMP/p.md" && front "$TMP/p.md")
git show "HEAD:$C" >"$TMP/c.md"
expect_eq "fields: front matter of the first" "status: accepted
date: 2026-11-21
owner: Bo Chen
decision-makers: [Ana Lima, Bo Chen]
consulted: [Legal, Ops]
informed: [Partner X]
mode: sync
cleanup-by: 2026-11-22
tags: [storage, db]
visibility: partner" "$FM"
expect_eq "fields: context section" "The event store needs a home." "$(section "$TMP/p.md" Context)"
expect_eq "fields: 'Options considered:' is Options" "- PostgreSQL
- MySQL" "$(section "$TMP/p.md" 'Options considered')"
expect_eq "fields: 'DECISION:' is the decision" "We use PostgreSQL for the event store." "$(section "$TMP/p.md" Decision)"
expect_eq "fields: a bare 'rationale' line" "The team knows it." "$(section "$TMP/p.md" Rationale)"
expect_eq "fields: consequences" "Ops learn logical replication." "$(section "$TMP/p.md" Consequences)"
expect_eq "fields: next steps, not in Options" "- [ ] Ana Lima: migrate the schema (by 2026-12-20)" \
	"$(section "$TMP/p.md" 'Next steps')"
expect_not_contains "fields: owner is not body text" "Bo Chen" "$(sed '1,/^---$/d' "$TMP/p.md" | sed '1,/^---$/d')"
expect_eq "fields: headings and capitals" "status: accepted
date: 2026-11-21
owner: Ana Lima
decision-makers: [Ana Lima, Bo Chen]
consulted: [Partner X]
informed: [Support]
mode: sync
cleanup-by: 2026-11-22
tags: [release]" "$(front "$TMP/c.md")"
expect_eq "fields: '### Options' as a list" "- Keep a changelog
- commit log only" "$(section "$TMP/c.md" 'Options considered')"
expect_eq "fields: '### Next steps:'" "- [ ] Bo Chen: add the file" "$(section "$TMP/c.md" 'Next steps')"
expect_eq "fields: an indented 'Note:' is text" "Every release has a changelog entry.
  Note: hotfixes too (indented, so text)." "$(section "$TMP/c.md" Decision)"
run_adr check # read-only
expect_eq "fields: the records check clean" "0" "$RC"
check "fields: fsck" fsck_clean "$R"
check "fields: status clean" status_clean "$R"

# --- unknown and malformed fields: file:line:col, nothing committed ----------------------
bad() {
	printf '%b' "$2" >"$TMP/bad.md"
	BEFORE=$(commit_count "$R")
	snapshot_state
	run_adr meeting --attendee X --from "$TMP/bad.md"
	expect_eq "bad field ($1): exit" 1 "$RC"
	expect_contains "bad field ($1): message" "$TMP/bad.md:$3" "$ERR"
	expect_eq "bad field ($1): no commit" "$BEFORE" "$(commit_count "$R")"
	expect_unchanged "bad field ($1): nothing changed"
}
bad "unknown label" '## Decision: A\nDecision: y\nRisks: none\n' "3:1: unknown field 'Risks' (known: Context, Options, Options considered, Decision, Rationale, Consequences, Next steps, Owner, Tags, Visibility, Consulted, Informed); text that only looks like a field: indent the line"
bad "unknown label of two words" '## Decision: A\nDecision: y\n\nOpen questions:\n- who\n' "4:1: unknown field 'Open questions'"
bad "unknown heading" '## Decision: A\nDecision: y\n### Risks:\n' "3:5: unknown field 'Risks'"
bad "unknown field in the second decision" '## Decision: A\nDecision: y\n## Decision: B\nDecision: z\nNotes: swallowed before\n' "5:1: unknown field 'Notes'"
bad "owner of two lines" '## Decision: A\nDecision: y\nOwner: Ana\nBo\n' "3:1: 'Owner' is one name on one line"
bad "bad visibility" '## Decision: A\nDecision: y\nVisibility: secret\n' "3:1: visibility 'secret' is not public, partner or internal"
bad "the same field twice under two names" '## Decision: A\nDecision: y\nOptions: a\nOptions considered: b\n' "4:1: a second 'Options' in the same decision (the first is on line 3)"

# A decision the record schema refuses (more tags than a record may hold):
# the error names the decision, nothing is committed.
printf '## Decision: Many tags\nDecision: y\nTags: %s\n' "$(seq -s, -f 't%g' 1 70)" >"$TMP/tags.md"
BEFORE=$(commit_count "$R")
snapshot_state
run_adr meeting --attendee X --from "$TMP/tags.md"
expect_eq "too many tags: exit" 1 "$RC"
expect_contains "too many tags: the decision and the limit" "adr: 'Many tags': " "$ERR"
expect_contains "too many tags: the limit" "key 'tags': 70 tags, the limit is 64" "$ERR"
expect_eq "too many tags: no commit" "$BEFORE" "$(commit_count "$R")"
expect_unchanged "too many tags: nothing changed"

# --- --decide: a meeting decides open proposals ------------------------------------------
must_adr propose --no-edit Use Redis
must_adr comment use-redis -m "Redis is already in our stack."
REDIS_COMMENT=$(git rev-parse adr/use-redis)
must_adr propose --no-edit Use Kafka
must_adr comment adr/use-kafka --object -m "Kafka is heavy for us."
KAFKA_COMMENT=$(git rev-parse adr/use-kafka)
must_adr propose --no-edit Drop MongoDB

# One unknown proposal: nothing is decided, the error names it.
BEFORE=$(commit_count "$R")
snapshot_state
run_adr meeting --attendee "Ana Lima" --decide use-redis no-such-thing
expect_eq "one unknown ref: exit" 1 "$RC"
expect_contains "one unknown ref: named" "no proposal 'no-such-thing'" "$ERR"
expect_eq "one unknown ref: nothing decided" "$BEFORE" "$(commit_count "$R")"
expect_unchanged "one unknown ref: nothing changed"

# Without attendees nobody would be the decision-maker.
snapshot_state
run_adr meeting --decide use-redis
expect_eq "decide without attendees: exit" 2 "$RC"
expect_contains "decide without attendees: says so" "a meeting needs attendees" "$ERR"
expect_unchanged "decide without attendees: nothing changed"

# --reject needs proposals to reject.
snapshot_state
run_adr meeting --attendee X --reject --from "$TMP/minutes.md"
expect_eq "--reject without --decide: exit" 2 "$RC"
expect_contains "--reject without --decide: says so" "--reject decides proposals" "$ERR"
expect_unchanged "--reject without --decide: nothing changed"

# Two proposals in one meeting: two merges.
BEFORE=$(commit_count "$R")
run_adr meeting --attendee "Ana Lima" --attendee "Bo Chen" --decide use-redis adr/use-kafka use-redis \
	--visibility partner --tag platform
expect_eq "decide two: exit" 0 "$RC"
expect_eq "decide two: the records" "$D/0004-use-redis.md
$D/0005-use-kafka.md" "$OUT"
expect_eq "decide two: two merges on main" "2" "$(git rev-list --merges --count "$(git rev-parse HEAD~2)..HEAD")"
expect_eq "decide two: the merges are accepts" "adr: accept 0005 Use Kafka
adr: accept 0004 Use Redis" "$(git log -2 --format=%s)"
expect_eq "decide two: first parents only on main" "$BEFORE" "$(git rev-list --first-parent --count HEAD~2)"
for f in $D/0004-use-redis.md $D/0005-use-kafka.md; do
	F=$(git show "HEAD:$f")
	expect_contains "decide two: $f accepted" "status: accepted" "$F"
	expect_contains "decide two: $f sync" "mode: sync" "$F"
	expect_not_contains "decide two: $f not async" "mode: async" "$F"
	expect_contains "decide two: $f attendees decide" "decision-makers: [Ana Lima, Bo Chen]" "$F"
	expect_contains "decide two: $f visibility" "visibility: partner" "$F"
	expect_contains "decide two: $f tag" "tags: [platform]" "$F"
done
check "decide two: redis comment reachable from main" git merge-base --is-ancestor "$REDIS_COMMENT" main
check "decide two: kafka comment reachable from main" git merge-base --is-ancestor "$KAFKA_COMMENT" main
expect_contains "decide two: comments in main's history" "Redis is already in our stack." "$(git log main --format=%B)"
expect_contains "decide two: objection in main's history" "Kafka is heavy for us." "$(git log main --format=%B)"
run_adr thread 4 # read-only
expect_contains "decide two: the thread of 0004 kept" "Redis is already in our stack." "$OUT"
expect_eq "decide two: branches gone" "" "$(git branch --list 'adr/use-redis' 'adr/use-kafka')"
check "decide two: fsck" fsck_clean "$R"
check "decide two: status clean" status_clean "$R"

# An already decided one among open ones: nothing is decided.
BEFORE=$(commit_count "$R")
snapshot_state
run_adr meeting --attendee "Ana Lima" --decide drop-mongodb use-redis
expect_eq "already decided ref: exit" 1 "$RC"
expect_contains "already decided ref: named" "'use-redis' was already decided as 0004 (accepted on 2026-11-21); nothing was decided" "$ERR"
expect_eq "already decided ref: nothing decided" "$BEFORE" "$(commit_count "$R")"
expect_unchanged "already decided ref: nothing changed"

# A proposal that changes a file outside its record: nothing is decided.
must_adr propose --no-edit Use SQLite
git checkout -q adr/use-sqlite
echo x >outside.txt
git add outside.txt
git commit -q -m "not a record"
git checkout -q main
BEFORE=$(commit_count "$R")
snapshot_state
run_adr meeting --attendee "Ana Lima" --decide drop-mongodb use-sqlite
expect_eq "outside file: exit" 1 "$RC"
expect_contains "outside file: named" "outside.txt" "$ERR"
expect_eq "outside file: nothing decided" "$BEFORE" "$(commit_count "$R")"
expect_unchanged "outside file: nothing changed"

# --reject, together with minutes of its own.
printf 'Attendees: Cy Diaz, Bo Chen\n\n## Decision: Meet on Mondays\nDecision: Mondays.\n' >"$TMP/m2.md"
BEFORE=$(commit_count "$R")
run_adr meeting --decide drop-mongodb --reject --from "$TMP/m2.md" --tag weekly
expect_eq "reject: exit" 0 "$RC"
expect_eq "reject: the records" "$D/0006-drop-mongodb.md
$D/0007-meet-on-mondays.md" "$OUT"
expect_eq "reject: a merge and the meeting commit" $((BEFORE + 3)) "$(commit_count "$R")"
expect_eq "reject: the merge" "adr: reject 0006 Drop MongoDB" "$(git log -1 --format=%s HEAD~1)"
F=$(git show "HEAD:$D/0006-drop-mongodb.md")
expect_contains "reject: rejected" "status: rejected" "$F"
expect_contains "reject: sync" "mode: sync" "$F"
expect_contains "reject: the minutes' attendees decide" "decision-makers: [Cy Diaz, Bo Chen]" "$F"
expect_contains "reject: the meeting's tag" "tags: [weekly]" "$F"
expect_contains "reject: minutes' record tagged too" "tags: [weekly]" "$(git show "HEAD:$D/0007-meet-on-mondays.md")"
check "reject: fsck" fsck_clean "$R"
check "reject: status clean" status_clean "$R"

# --- --visibility and --tag on propose and accept ------------------------------------------
must_adr propose --no-edit --visibility internal --tag cache --tag perf Cache the API
F=$(git show adr/cache-the-api:$D/cache-the-api.md)
expect_contains "propose: visibility" "visibility: internal" "$F"
expect_contains "propose: tags" "tags: [cache, perf]" "$F"
must_adr accept cache-the-api --visibility public --tag api
F=$(git show "HEAD:$D/0008-cache-the-api.md")
expect_contains "accept: visibility replaced" "visibility: public" "$F"
expect_not_contains "accept: no internal left" "visibility: internal" "$F"
expect_contains "accept: tags added" "tags: [cache, perf, api]" "$F"
expect_contains "accept: still async" "mode: async" "$F"
snapshot_state
run_adr accept cache-the-api --visibility secret
expect_eq "accept: bad visibility: exit" 2 "$RC"
expect_contains "accept: bad visibility: says so" "secret" "$ERR"
expect_unchanged "accept: bad visibility: nothing changed"
check "propose/accept: fsck" fsck_clean "$R"
check "propose/accept: status clean" status_clean "$R"

finish
