#!/usr/bin/env bash
# adr html and asynchronous review: open proposals on the site ("Open for
# comment" on the index, one page per proposal, for the audiences that may
# see them), a build from a proposal's branch, --thread discretion (and the
# record's `thread` field), --repo-url provenance links and the link
# preview tags. Real repository, real proposals, comments and votes.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
D=docs/decisions

# Proposals are made on the 10th; the sites are built on the 21st, so the
# one due on the 15th is overdue and the one due in December is not.
export ADR_NOW=2026-11-10T10:00:00Z
cat >"$TMP/store.md" <<'MD'
## Context

We need an event store.

## Decision

We will use **PostgreSQL** for the [event store](https://example.org/es). Nothing else is needed.
MD
must_adr new --no-edit --visibility partner --decision-maker "Ana Lima" --body-file "$TMP/store.md" Use PostgreSQL
REC=$(ls $D/0001-*.md)
cat >"$TMP/cache.md" <<'MD'
## Context

Sessions are slow to load.

## Decision

Cache sessions in Redis with an LRU limit. It is cheap.
MD
must_adr propose --no-edit --visibility partner --deadline 2026-11-15 --reviewer "Bo Chen" --reviewer "Cy Dee" \
	--body-file "$TMP/cache.md" Cache sessions in Redis
GIT_AUTHOR_NAME="Bo Chen" must_adr comment adr/cache-sessions-in-redis --object -m "Memory limits? <b>now</b>"
GIT_AUTHOR_NAME="Zed Outsider" must_adr comment adr/cache-sessions-in-redis -m "A thought from outside the team"
GIT_AUTHOR_NAME="Cy Dee" must_adr comment adr/cache-sessions-in-redis --approve -m "Fine with an LRU limit"
must_adr propose --no-edit --deadline 2026-12-15 --body-file "$TMP/cache.md" Rotate the secret plan
must_adr propose --no-edit --visibility public --deadline 2026-12-20 --body-file "$TMP/cache.md" Publish the API
export ADR_NOW=2026-11-21T10:00:00Z
HEAD_BEFORE=$(git rev-parse HEAD)
LOG_BEFORE=$(git for-each-ref --format='%(refname) %(objectname)')

# --- internal: every proposal, with the queue's facts ------------------------
run_adr html -o "$TMP/int" --base-url https://decisions.example.com/log --repo-url https://github.com/acme/log.git
expect_eq "internal: exit" 0 "$RC"
expect_eq "internal: a read-only build writes no commit or ref" "$LOG_BEFORE" \
	"$(git for-each-ref --format='%(refname) %(objectname)')"
IDX=$(cat "$TMP/int/index.html")
expect_contains "index: the section" '<h2 id="sec-open">Open for comment</h2>' "$IDX"
for slug in cache-sessions-in-redis rotate-the-secret-plan publish-the-api; do
	check "internal: page of $slug" test -f "$TMP/int/proposal-$slug.html"
	expect_contains "index links $slug" "href=\"proposal-$slug.html\"" "$IDX"
done
# The queue says the same: overdue, votes, whose move.
run_adr queue # read-only
expect_contains "queue: overdue" "OVERDUE" "$OUT"
LINE=$(grep -o '<li class="proposal proposal-overdue"><a href="proposal-cache-sessions-in-redis.html">[^<]*</a> <span class="overdue">overdue</span>' <<<"$IDX" || true)
check "index: the overdue proposal has its flag" test -n "$LINE"
expect_eq "index: only one overdue" 1 "$(grep -c 'class="overdue"' <<<"$IDX")"
FACTS=$(grep -A1 'proposal-cache-sessions-in-redis.html' <<<"$IDX" | tail -n 1)
expect_contains "index: the deadline" '<time datetime="2026-11-15">2026-11-15</time>' "$FACTS"
expect_contains "index: the votes" "1 approve, 1 object" "$FACTS"
expect_contains "index: the owner" "owner Ana Lima" "$FACTS"
# Bo Chen and Cy Dee both answered: the move is the owner's, as the queue says.
expect_contains "index: whose move" "waiting for Ana Lima" "$FACTS"
P=$(cat "$TMP/int/proposal-cache-sessions-in-redis.html")
expect_contains "page: the text rendered" "<p>Cache sessions in Redis with an LRU limit. It is cheap.</p>" "$P"
expect_not_contains "page: the title is not repeated in the body" "<h1>Cache sessions" "$P"
expect_contains "page: the comment, escaped" "Memory limits? &lt;b&gt;now&lt;/b&gt;" "$P"
expect_contains "page: the objection" '<span class="vote vote-object">object</span>' "$P"
expect_contains "page: the approval" '<span class="vote vote-approve">approve</span>' "$P"
expect_contains "page: the outsider's comment" "A thought from outside the team" "$P"
expect_contains "page: the overdue flag" '<span class="overdue">overdue</span>' "$P"
expect_contains "page: a proposal, not a decision" "this is a proposal, not yet a decision" "$P"
TIP=$(git rev-parse adr/cache-sessions-in-redis)
expect_contains "page: View source at the branch tip" \
	"href=\"https://github.com/acme/log/blob/$TIP/$D/cache-sessions-in-redis.md\">View source</a>" "$P"
expect_contains "page: Discuss on the branch" \
	'href="https://github.com/acme/log/tree/adr/cache-sessions-in-redis">Discuss</a>' "$P"
expect_contains "page: og:url" \
	'<meta property="og:url" content="https://decisions.example.com/log/proposal-cache-sessions-in-redis.html">' "$P"
expect_contains "page: description from the Decision section" \
	'<meta name="description" content="Cache sessions in Redis with an LRU limit.">' "$P"

# A record page: View source at the commit that last changed the file,
# and the preview from the decision sentence (Markdown marks dropped).
RP=$(cat "$TMP/int/$(basename "$REC" .md).html")
LAST=$(git log -1 --format=%H -- "$REC")
expect_contains "record: View source" "href=\"https://github.com/acme/log/blob/$LAST/$REC\">View source</a>" "$RP"
expect_contains "record: description" \
	'<meta name="description" content="We will use PostgreSQL for the event store.">' "$RP"
expect_contains "record: og:title" '<meta property="og:title" content="0001 Use PostgreSQL">' "$RP"
expect_contains "record: og:description" \
	'<meta property="og:description" content="We will use PostgreSQL for the event store.">' "$RP"
expect_contains "record: og:type" '<meta property="og:type" content="article">' "$RP"
expect_contains "record: og:url" \
	'<meta property="og:url" content="https://decisions.example.com/log/0001-use-postgresql.html">' "$RP"
expect_contains "index: og:type" '<meta property="og:type" content="website">' "$IDX"
expect_contains "index: description" \
	'<meta name="description" content="Decision log: 1 decision, 3 open for comment.">' "$IDX"
expect_contains "index: og:url" '<meta property="og:url" content="https://decisions.example.com/log">' "$IDX"

# Without --repo-url or --base-url: no provenance link, no og:url.
run_adr html -o "$TMP/plain"
expect_eq "plain: exit" 0 "$RC"
expect_eq "plain: no View source" "" "$(grep -l 'View source' "$TMP"/plain/*.html || true)"
expect_eq "plain: no og:url" "" "$(grep -l 'og:url' "$TMP"/plain/*.html || true)"

# Code hosts: GitLab and Gitea forms, from the host name.
run_adr html -o "$TMP/gl" --repo-url https://gitlab.example.com/acme/log/
expect_eq "gitlab: exit" 0 "$RC"
expect_contains "gitlab: blob" "https://gitlab.example.com/acme/log/-/blob/$TIP/$D/cache-sessions-in-redis.md" \
	"$(cat "$TMP/gl/proposal-cache-sessions-in-redis.html")"
run_adr html -o "$TMP/cb" --repo-url https://codeberg.org/acme/log
expect_eq "codeberg: exit" 0 "$RC"
expect_contains "codeberg: branch" 'https://codeberg.org/acme/log/src/branch/adr/cache-sessions-in-redis' \
	"$(cat "$TMP/cb/proposal-cache-sessions-in-redis.html")"

# A repository URL that is not http(s) is refused before anything is written.
run_adr html -o "$TMP/bad" --repo-url 'javascript:alert(1)'
expect_eq "bad repo url: exit" 2 "$RC"
expect_contains "bad repo url: message" "repository URL 'javascript:alert(1)' is not an http or https URL" "$ERR"
check "bad repo url: nothing written" test ! -e "$TMP/bad"
run_adr html -o "$TMP/bad" --thread some # read-only
expect_eq "bad --thread: usage" 2 "$RC"
expect_contains "bad --thread: message" "some" "$ERR"

# --- partner: only what partners may see ------------------------------------
run_adr html -o "$TMP/partner" --audience partner
expect_eq "partner: exit" 0 "$RC"
check "partner: the partner proposal" test -f "$TMP/partner/proposal-cache-sessions-in-redis.html"
check "partner: the public proposal" test -f "$TMP/partner/proposal-publish-the-api.html"
check "partner: no internal proposal page" test ! -e "$TMP/partner/proposal-rotate-the-secret-plan.html"
expect_eq "partner: the internal proposal nowhere" "" "$(grep -rl -i 'rotate' "$TMP/partner" || true)"
PP=$(cat "$TMP/partner/proposal-cache-sessions-in-redis.html")
expect_contains "partner: full thread by default" "A thought from outside the team" "$PP"
expect_not_contains "partner: no visibility line" "<dt>Visibility</dt>" "$PP"

run_adr html -o "$TMP/public" --audience public
expect_eq "public: exit" 0 "$RC"
check "public: the public proposal" test -f "$TMP/public/proposal-publish-the-api.html"
check "public: no partner proposal" test ! -e "$TMP/public/proposal-cache-sessions-in-redis.html"
expect_not_contains "public: no discussion by default" 'id="sec-thread"' \
	"$(cat "$TMP/public/proposal-publish-the-api.html")"

# --- --thread ---------------------------------------------------------------
run_adr html -o "$TMP/none" --audience partner --thread none
expect_eq "thread none: exit" 0 "$RC"
PN=$(cat "$TMP/none/proposal-cache-sessions-in-redis.html")
expect_not_contains "thread none: no discussion" 'id="sec-thread"' "$PN"
expect_not_contains "thread none: no comment text" "Memory limits?" "$PN"
expect_not_contains "thread none: no third party's name" "Zed Outsider" "$PN"
expect_contains "thread none: a reviewer the record names stays" "Bo Chen" "$PN"
expect_contains "thread none: vote counts stay" "1 approve, 1 object" "$PN"

run_adr html -o "$TMP/votes" --audience partner --thread votes
expect_eq "thread votes: exit" 0 "$RC"
PV=$(cat "$TMP/votes/proposal-cache-sessions-in-redis.html")
expect_contains "thread votes: the discussion" 'id="sec-thread"' "$PV"
expect_contains "thread votes: the objection" '<span class="vote vote-object">object</span>' "$PV"
expect_contains "thread votes: the approval" '<span class="vote vote-approve">approve</span>' "$PV"
expect_not_contains "thread votes: no comment text" "Memory limits?" "$PV"
expect_not_contains "thread votes: no comment without a vote" "A thought from outside" "$PV"

# A decided record: commit ids go with votes and none; `thread:` overrides.
GIT_AUTHOR_NAME="Ana Lima" must_adr accept adr/cache-sessions-in-redis --reason "Agreed with an LRU limit"
N=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
echo "int cache;" >cache.c && git add cache.c && git commit -q -m "Add the session cache" -m "Refs: ADR-$N"
SHORT=$(git rev-parse --short=12 HEAD)
run_adr html -o "$TMP/dfull" --audience partner
expect_eq "decided, partner: exit" 0 "$RC"
DF=$(cat "$TMP/dfull/$N-"*.html)
expect_contains "decided, full: the comment" "Memory limits? &lt;b&gt;now&lt;/b&gt;" "$DF"
expect_contains "decided, full: the commit id" "$SHORT" "$DF"
run_adr html -o "$TMP/dvotes" --audience partner --thread votes
expect_eq "decided, votes: exit" 0 "$RC"
DV=$(cat "$TMP/dvotes/$N-"*.html)
expect_not_contains "decided, votes: no comment text" "Memory limits?" "$DV"
expect_contains "decided, votes: the vote" '<span class="vote vote-object">object</span>' "$DV"
expect_not_contains "decided, votes: no commit id" "$SHORT" "$DV"
expect_contains "decided, votes: the commit is still listed" "Implemented by" "$DV"
run_adr html -o "$TMP/dnone" --audience partner --thread none
expect_eq "decided, none: exit" 0 "$RC"
DN=$(cat "$TMP/dnone/$N-"*.html)
expect_not_contains "decided, none: no discussion" 'id="sec-thread"' "$DN"
expect_not_contains "decided, none: no third party in the history" "Zed Outsider" "$DN"
expect_not_contains "decided, none: no commit id" "$SHORT" "$DN"

# The record's own field wins over --thread, both ways; a bad one is said.
RECN=$(ls $D/"$N"-*.md)
sed -i 's/^status: accepted$/status: accepted\nthread: none/' "$RECN"
sed -i 's/^visibility: partner$/visibility: partner\nthread: full/' "$REC"
git commit -qam "Discretion per record"
run_adr html -o "$TMP/field" --audience public --thread full
expect_eq "field: exit" 0 "$RC"
run_adr html -o "$TMP/field" --audience partner --thread full
expect_eq "field, partner: exit" 0 "$RC"
expect_not_contains "field none beats --thread full" 'id="sec-thread"' "$(cat "$TMP/field/$N-"*.html)"
run_adr html -o "$TMP/field2" --audience partner --thread none
expect_eq "field2: exit" 0 "$RC"
expect_contains "field full beats --thread none" 'id="sec-thread"' "$(cat "$TMP/field2/0001-"*.html)"
sed -i 's/^thread: full$/thread: loud/' "$REC"
git commit -qam "A thread value adr does not know"
run_adr html -o "$TMP/field3" --audience partner
expect_eq "field bad: still builds" 0 "$RC"
expect_contains "field bad: warned" "$REC: thread 'loud' is not none, votes or full; ignored" "$ERR"
expect_eq "field bad: the record's file is kept as written" "thread: loud" "$(grep '^thread:' "$REC")"
check "decided: no proposal page any more" test ! -e "$TMP/field3/proposal-cache-sessions-in-redis.html"
sed -i '/^thread: loud$/d' "$REC"
git commit -qam "No thread field"

# The description never names a record the audience may not see: it is
# read from the rendered page, where such a link already reads as hidden.
must_adr new --no-edit --visibility internal Quokka migration plan
Q=$(ls $D/*-quokka-migration-plan.md)
printf '## Decision\n\nWe follow [%s](%s) closely.\n' "$(basename "$Q" .md)" "$(basename "$Q")" >"$TMP/follow.md"
must_adr new --no-edit --visibility partner --body-file "$TMP/follow.md" Follow the plan
F=$(ls $D/*-follow-the-plan.md)
run_adr html -o "$TMP/leak" --audience partner
expect_eq "leak: exit" 0 "$RC"
FP=$(cat "$TMP/leak/$(basename "$F" .md).html")
expect_contains "leak: the description says hidden" \
	'<meta name="description" content="We follow a record not published for this audience closely.">' "$FP"
expect_eq "leak: the hidden record nowhere" "" "$(grep -rl -i 'quokka' "$TMP/leak" || true)"

# --- building from a proposal's branch ----------------------------------------
export ADR_NOW=2026-11-22T10:00:00Z
must_adr propose --no-edit --visibility partner --deadline 2026-11-30 --body-file "$TMP/cache.md" Shard the queue
run_adr html -o "$TMP/branch" --rev adr/shard-the-queue --audience partner
expect_eq "from branch: exit" 0 "$RC"
expect_eq "from branch: no warning" "" "$ERR"
BP=$(cat "$TMP/branch/proposal-shard-the-queue.html")
expect_contains "from branch: shown as a proposal" '<span class="num">Proposal</span> Shard the queue' "$BP"
expect_contains "from branch: says so" "This site was built from its branch, <code>adr/shard-the-queue</code>." "$BP"
expect_contains "from branch: the site's commit is the branch tip" "$(git rev-parse --short=12 adr/shard-the-queue)" \
	"$(cat "$TMP/branch/index.html")"
expect_eq "from branch: not a numbered record" "" "$(ls "$TMP/branch" | grep -i shard | grep -v '^proposal-' || true)"
run_adr html -o "$TMP/branch-hidden" --rev adr/rotate-the-secret-plan --audience partner
expect_eq "from a hidden proposal's branch: builds" 0 "$RC"
expect_contains "from a hidden proposal's branch: says why" \
	"built from 'adr/rotate-the-secret-plan', whose proposal is not shown: it is for the internal audience, the site for the partner one" "$ERR"
expect_eq "from a hidden proposal's branch: nowhere" "" "$(grep -rl -i 'rotate' "$TMP/branch-hidden" || true)"
# A decided proposal's branch that was kept (on a remote, say): not open.
git branch adr/cache-sessions-in-redis "$TIP"
run_adr html -o "$TMP/branch-decided" --rev adr/cache-sessions-in-redis
expect_eq "from a decided proposal's branch: builds" 0 "$RC"
expect_contains "from a decided proposal's branch: says why" \
	"built from 'adr/cache-sessions-in-redis', whose proposal is not shown" "$ERR"

check "git fsck" fsck_clean "$R"
finish
