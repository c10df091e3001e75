#!/usr/bin/env bash
# adr html end to end: the real binary builds the site from a committed
# revision, for each audience, and refuses what it must refuse.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
mkdir -p $D docs/img

cat >.adr.yaml <<'YAML'
dir: docs/decisions
visibility: partner
YAML
cat >$D/0001-use-postgres.md <<'MD'
---
status: accepted
date: 2026-11-01
decision-makers: [Ana Lima, Bo Chen]
mode: sync
tags: [storage]
visibility: public
---
# Use PostgreSQL for the event store

## Context

Durable pelican storage. See [Kafka](0002-use-kafka.md), [the plan](0047-otter-rollout.md),
[passwd](../../../etc/passwd) and ![the diagram](../img/arch.png).
MD
cat >$D/0002-use-kafka.md <<'MD'
---
status: accepted
date: 2026-11-05
mode: async
tags: [messaging]
supersedes: [47]
---
# Use Kafka for messaging

Flamingo throughput.
MD
cat >$D/0047-otter-rollout.md <<'MD'
---
status: superseded
date: 2026-10-01
visibility: internal
tags: [confidentialtag]
---
# Otter rollout strategy

The quetzalcoatl plan.
MD
printf '\211PNG\r\n\032\nfake' >docs/img/arch.png
git add -A && git commit -q -m records
HEAD0=$(git rev-parse HEAD)

# The team's own site: everything.
run_adr html -o "$TMP/all"
expect_eq "html exit status" 0 "$RC"
expect_contains "html says what it wrote" "3 decisions" "$OUT"
expect_contains "html names the commit" "${HEAD0:0:12}" "$OUT"
expect_contains "a link out of the repository is reported" "../../../etc/passwd" "$ERR"
for f in index.html 0001-use-postgres.html 0002-use-kafka.html 0047-otter-rollout.html feed.xml \
	search-index.js site.js style.css tag-storage.html; do
	check "wrote $f" test -f "$TMP/all/$f"
done
check "copied the image" test -n "$(ls "$TMP/all/media/"*.png)"
expect_contains "record page links the next record" 'href="0002-use-kafka.html"' "$(cat "$TMP/all/0001-use-postgres.html")"
expect_contains "footer stamps the commit" "$HEAD0" "$(cat "$TMP/all/index.html")"
check "html writes no commit" test "$(git rev-parse HEAD)" = "$HEAD0"
check "html leaves git status clean" status_clean "$R"
check "fsck --strict" fsck_clean "$R"

# Partners: no trace of the internal record anywhere.
run_adr html -o "$TMP/partner" --audience partner --title "Partner log"
expect_eq "partner build" 0 "$RC"
expect_contains "partner build counts what it left out" "1 not for the partner audience" "$OUT"
for needle in Otter otter 0047 quetzalcoatl confidentialtag; do
	expect_eq "no '$needle' in the partner site" "" "$(grep -rl -- "$needle" "$TMP/partner" || true)"
done
expect_contains "a hidden link reads as such" "a record not published for this audience" \
	"$(cat "$TMP/partner/0001-use-postgres.html")"
expect_contains "the title option" "<title>Partner log</title>" "$(cat "$TMP/partner/index.html")"

# Public: only the public record.
run_adr html -o "$TMP/public" --audience public
expect_eq "public build" 0 "$RC"
check "no partner record for the public" test ! -e "$TMP/public/0002-use-kafka.html"
check "the public record is there" test -f "$TMP/public/0001-use-postgres.html"

# Only committed files: an uncommitted edit does not show.
echo "Uncommitted words." >>$D/0001-use-postgres.md
# The page an earlier build wrote is removed, so what is read below is this build's.
rm -f "$TMP/all/0001-use-postgres.html"
run_adr html -o "$TMP/all"
expect_eq "rebuild into the same directory" 0 "$RC"
check "the rebuild wrote the page again" test -s "$TMP/all/0001-use-postgres.html"
expect_not_contains "uncommitted edits are not published" "Uncommitted" "$(cat "$TMP/all/0001-use-postgres.html")"
git checkout -q -- $D/0001-use-postgres.md

# An older revision.
echo "# Fourth" >$D/0004-fourth.md
git add -A && git commit -q -m fourth
run_adr html -o "$TMP/old" --rev "$HEAD0"
expect_eq "--rev builds" 0 "$RC"
check "--rev leaves out later records" test ! -e "$TMP/old/0004-fourth.html"
snapshot_state . "$TMP/bad"
run_adr html -o "$TMP/bad" --rev no-such-rev
expect_eq "unknown --rev fails" 1 "$RC"
expect_unchanged "unknown --rev fails: nothing changed"
expect_contains "unknown --rev says so" "no-such-rev" "$ERR"

# Usage errors.
snapshot_state
run_adr html --audience everyone
expect_eq "bad audience is a usage error" 2 "$RC"
expect_unchanged "bad audience is a usage error: nothing changed"
expect_contains "bad audience names the choices" "public, partner, internal" "$ERR"
snapshot_state
run_adr html extra
expect_eq "an extra argument is a usage error" 2 "$RC"
expect_contains "an extra argument is a usage error: says why" "adr: unexpected argument 'extra'" "$ERR"
expect_unchanged "an extra argument is a usage error: nothing changed"
snapshot_state
run_adr html -o ""
expect_eq "an empty -o is a usage error" 2 "$RC"
expect_contains "an empty -o is a usage error: says why" "adr: -o: empty directory name" "$ERR"
expect_unchanged "an empty -o is a usage error: nothing changed"
snapshot_state . "$TMP/x"
run_adr html -o "$TMP/x" --base-url "javascript:alert(1)"
expect_eq "a bad base URL is a usage error" 2 "$RC"
expect_contains "a bad base URL is a usage error: says why" "adr: base URL 'javascript:alert(1)' is not an http or https URL" "$ERR"
expect_unchanged "a bad base URL is a usage error: nothing changed"

# A foreign non-empty directory is not overwritten.
mkdir "$TMP/foreign" && echo mine >"$TMP/foreign/notes.txt"
run_adr html -o "$TMP/foreign"
expect_eq "foreign directory refused" 1 "$RC"
expect_contains "foreign directory message" "not written by adr html" "$ERR"
expect_eq "foreign directory untouched" "notes.txt" "$(ls "$TMP/foreign")"

# A decision made through a proposal: the page shows its thread, timeline
# and the commit that implements it; partners do not see commit subjects.
run_adr propose --no-edit Cache sessions in Redis
expect_eq "propose" 0 "$RC"
GIT_AUTHOR_NAME="Bo Chen" run_adr comment adr/cache-sessions-in-redis --object -m "Memory limits? <b>now</b>"
expect_eq "comment" 0 "$RC"
run_adr accept adr/cache-sessions-in-redis --reason "Agreed with an LRU limit"
expect_eq "accept" 0 "$RC"
N=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
echo "int cache;" >cache.c && git add cache.c && git commit -q -m "Add the session cache" -m "Refs: ADR-$N"
run_adr html -o "$TMP/all"
expect_eq "thread and history build: exit" 0 "$RC"
PAGE=$(cat "$TMP/all/$N-"*.html)
expect_contains "thread: the comment, escaped" "Memory limits? &lt;b&gt;now&lt;/b&gt;" "$PAGE"
expect_contains "thread: the vote" '<span class="vote vote-object">object</span>' "$PAGE"
expect_contains "thread: the decision note" "Agreed with an LRU limit" "$PAGE"
expect_contains "history: proposed by" '<span class="what">proposed</span>' "$PAGE"
expect_contains "history: commented by Bo Chen" '<span class="who">Bo Chen</span> · objects' "$PAGE"
expect_contains "implemented by" "Add the session cache" "$PAGE"
run_adr html -o "$TMP/partner" --audience partner
expect_not_contains "partners see no commit subjects" "Add the session cache" "$(cat "$TMP/partner/$N-"*.html)"
expect_contains "partners see the implementing commit" "$(git rev-parse --short=12 HEAD)" "$(cat "$TMP/partner/$N-"*.html)"

# Every decided proposal gets its own whole thread (read from the merge the
# history walk found, however many there are), a rejected one too.
decide_one() { # title slug accept|reject; sets DECIDED to the record number
	run_adr propose --no-edit "$1"
	expect_eq "propose $1" 0 "$RC"
	GIT_AUTHOR_NAME="Carla Diaz" run_adr comment "adr/$2" --approve -m "Comment on $2"
	expect_eq "comment $2" 0 "$RC"
	run_adr "$3" "adr/$2" --reason "Decided $2"
	expect_eq "$3 $2" 0 "$RC"
	DECIDED=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
}
decide_one "Queue jobs in Postgres" queue-jobs-in-postgres accept
N2=$DECIDED
decide_one "Shard the event store" shard-the-event-store reject
N3=$DECIDED
run_adr html -o "$TMP/all"
expect_eq "three threads: built" 0 "$RC"
expect_not_contains "three threads: no counts-only warning" "counts only" "$ERR"
expect_contains "three threads: first keeps its comment" "Memory limits? &lt;b&gt;now&lt;/b&gt;" \
	"$(cat "$TMP/all/$N-"*.html)"
for pair in "$N2 queue-jobs-in-postgres" "$N3 shard-the-event-store"; do
	set -- $pair
	PAGE=$(cat "$TMP/all/$1-"*.html)
	expect_contains "thread $2: its comment" "Comment on $2" "$PAGE"
	expect_contains "thread $2: its decision note" "Decided $2" "$PAGE"
	expect_contains "thread $2: the vote" '<span class="vote vote-approve">approve</span>' "$PAGE"
	expect_not_contains "thread $2: no other thread" "Memory limits?" "$PAGE"
done
expect_contains "thread rejected: the status" '<span class="what">decided</span>' "$(cat "$TMP/all/$N3-"*.html)"

# A record that is a symlink is skipped with a warning, never followed (F12).
ln -s /etc/passwd $D/0005-passwd.md
git add -A && git commit -q -m symlink
run_adr html -o "$TMP/sym"
expect_eq "symlinked record: built" 0 "$RC"
expect_contains "symlinked record: warned" "adr: warning: $D/0005-passwd.md: not a regular file (mode 120000); skipped" "$ERR"
expect_not_contains "the symlink target is not read" "root:" "$ERR$OUT"
check "the others are built" test -e "$TMP/sym/index.html"
check "no page for the symlink" test ! -e "$TMP/sym/0005-passwd.html"
expect_eq "no page holds the target" "" "$(grep -rl 'root:' "$TMP/sym" || true)"

finish
