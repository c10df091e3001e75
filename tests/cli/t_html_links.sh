#!/usr/bin/env bash
# adr html: references to records an audience cannot see, or that do not
# exist, are text and never a link (to the page itself, through Mustache's
# context lookup); the build warns about the dangling ones; a superseded
# record's history says who superseded it and when, in date order; the feed
# has ids of its own per site and changes when a decision is superseded.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
mkdir -p $D
export GIT_AUTHOR_DATE=2026-10-01T10:00:00Z GIT_COMMITTER_DATE=2026-10-01T10:00:00Z
printf 'dir: docs/decisions\nvisibility: partner\n' >.adr.yaml
cat >$D/0001-use-postgresql.md <<'MD'
---
status: accepted
date: 2026-10-01
decision-makers: [Ana Lima]
revisit: 2026-11-01
---
# Use PostgreSQL for events

We use PostgreSQL.
MD
cat >$D/0002-partner-api.md <<'MD'
---
status: accepted
date: 2026-10-02
revisit: 2026-11-05
links: [relates-to 1, amends 99]
---
# Partner API

A REST API.
MD
cat >$D/0003-old-cache.md <<'MD'
---
status: superseded
date: 2026-09-01
supersedes: [88]
superseded-by: [77]
---
# Old cache

Memcached.
MD
cat >$D/0004-pick-a-queue.md <<'MD'
---
status: proposed
date: 2026-10-03
review-by: 2026-11-15
---
# Pick a queue

To be decided.
MD
git add -A && git commit -q -m records

export ADR_NOW=2026-11-21T10:00:00Z
# Before the supersession: the feed as a reader has it.
must_adr html -o "$TMP/before" --audience partner
FEED_BEFORE=$(cat "$TMP/before/feed.xml")

# Bo supersedes 0001 with a record only the team may see.
export GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_DATE=2026-11-10T10:00:00Z GIT_COMMITTER_DATE=2026-11-10T10:00:00Z
printf 'We use CockroachDB.\n' >"$TMP/body.md"
ADR_NOW=2026-11-10T10:00:00Z must_adr new --visibility internal --supersedes 1 --date 2026-11-10 \
	--decision-maker "Bo Chen" --body-file "$TMP/body.md" --no-edit Use CockroachDB for events
N=$(ls $D | sed -n 's/^\([0-9]*\)-use-cockroachdb.*/\1/p')
expect_eq "the superseding record is 0005" 0005 "$N"
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# Dangling references: warned, by file, field and number; the build succeeds.
run_adr html -o "$TMP/int"
expect_eq "internal build" 0 "$RC"
expect_contains "links to a missing record: warned" \
	"adr: warning: $D/0002-partner-api.md: links to 0099 (amends): no such record (shown without a link)" "$ERR"
expect_contains "supersedes a missing record: warned" \
	"adr: warning: $D/0003-old-cache.md: supersedes 0088: no such record" "$ERR"
expect_contains "superseded by a missing record: warned" \
	"adr: warning: $D/0003-old-cache.md: superseded-by 0077: no such record" "$ERR"
expect_eq "one warning per dangling reference" 3 "$(grep -c 'no such record' <<<"$ERR")"
expect_not_contains "an existing link is not warned about" "relates-to" "$ERR"

run_adr html -o "$TMP/par" --audience partner
expect_eq "partner build" 0 "$RC"
expect_eq "the partner build warns too" 3 "$(grep -c 'no such record' <<<"$ERR")"

# No record page links to itself, on either site.
for site in int par; do
	for f in "$TMP/$site"/0*.html; do
		page=$(basename "$f")
		expect_eq "$site/$page: no link to itself" 0 "$(grep -c "<a href=\"$page\"" "$f" || true)"
	done
done
P1=$(cat "$TMP/par/0001-use-postgresql.html")
expect_contains "partner: superseded by a hidden record, as text" \
	'<dt>Superseded by</dt><dd><ul class="plain"><li><span class="hidden-record">a record not published for this audience</span>' "$P1"
expect_not_contains "partner: the hidden record is not named" "CockroachDB" "$P1"
P2=$(cat "$TMP/int/0002-partner-api.html")
expect_contains "a missing record is text with its number and type" \
	'amends: <span class="hidden-record missing-record">0099 (no such record)</span>' "$P2"
P3=$(cat "$TMP/int/0003-old-cache.html")
expect_contains "the banner names a missing successor as text" "superseded → 0077 (no such record)." "$P3"
expect_contains "a missing predecessor is text" '<span class="hidden-record missing-record">0088 (no such record)</span>' "$P3"

# History: the supersession with who and when, in date order, the original
# decision as accepted; the revisit of a superseded decision is moot.
hist() { sed -n '/<ol class="timeline">/,/<\/ol>/p' "$1" | sed -n 's/.*<span class="what">\([^<]*\)<\/span>.*/\1/p' | tr '\n' ','; }
expect_eq "partner: history in date order" "created,decided,superseded," "$(hist "$TMP/par/0001-use-postgresql.html")"
expect_contains "the supersession names who and when" \
	'<span class="what">superseded</span> <time datetime="2026-11-10T10:00:00Z">2026-11-10 10:00 UTC</time> · <span class="who">Bo Chen</span> · by a record not published for this audience' "$P1"
expect_contains "the decision was an acceptance" '<span class="who">Ana Lima</span> · accepted</li>' "$P1"
expect_not_contains "no anonymous edit for the supersession" "event-edited" "$P1"
expect_contains "internal: the supersession names the record" \
	"· <span class=\"who\">Bo Chen</span> · by 0005 Use CockroachDB for events" "$(cat "$TMP/int/0001-use-postgresql.html")"
P4=$(cat "$TMP/int/0004-pick-a-queue.html")
expect_contains "a past comment deadline is flagged" \
	'<li class="event event-comments-due event-past"><span class="what">comments due</span> <time datetime="2026-11-15">2026-11-15</time> <span class="incomplete flag-past">past</span>' "$P4"
expect_contains "the details flag the past deadline" \
	'<dt>Comments due</dt><dd><time datetime="2026-11-15">2026-11-15</time> <span class="incomplete flag-past">past</span>' "$P4"
expect_contains "a past revisit date of a decision in force is flagged" \
	'<li class="event event-revisit event-past"><span class="what">revisit</span> <time datetime="2026-11-05">2026-11-05</time> <span class="incomplete flag-past">past</span>' "$P2"
expect_contains "in the details too" \
	'<dt>Revisit</dt><dd><time datetime="2026-11-05">2026-11-05</time> <span class="incomplete flag-past">past</span>' "$P2"
expect_contains "a superseded decision's revisit is not flagged" \
	'<dt>Revisit</dt><dd><time datetime="2026-11-01">2026-11-01</time></dd>' "$(cat "$TMP/int/0001-use-postgresql.html")"
ADR_NOW=2026-11-01T10:00:00Z must_adr html -o "$TMP/early"
expect_not_contains "a deadline to come is not flagged" "event-past" "$(cat "$TMP/early/0004-pick-a-queue.html")"

# Every <time datetime> is a valid date or date-time; class names are tokens.
bad_time=$(grep -ho '<time[^>]*>' "$TMP/int"/*.html | grep -Evc '<time datetime="[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?">' || true)
expect_eq "every <time> has a valid datetime" 0 "$bad_time"
expect_eq "no event class with a space" 0 "$(grep -c 'class="event event-[a-z-]* [a-z]*[^-a-z"]' "$TMP/int"/*.html | awk -F: '{s+=$2} END {print s}')"

# The feed: ids of its own per site, stable, unique; a supersession moves
# the superseded entry's <updated>.
feed_ids() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print(" ".join(e.firstChild.data for e in d.getElementsByTagName("id")))' "$1"; }
entry_updated() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
for e in d.getElementsByTagName("entry"):
    if e.getElementsByTagName("title")[0].firstChild.data.startswith(sys.argv[2]):
        print(e.getElementsByTagName("updated")[0].firstChild.data)' "$1" "$2"; }
IDS_INT=$(feed_ids "$TMP/int/feed.xml")
IDS_PAR=$(feed_ids "$TMP/par/feed.xml")
expect_contains "internal feed id" "urn:adr:internal:decision-log " "$IDS_INT "
expect_contains "partner entry id" "urn:adr:partner:decision-log:0001" "$IDS_PAR"
expect_eq "no id shared by the two sites" "" "$(comm -12 <(tr ' ' '\n' <<<"$IDS_INT" | sort) <(tr ' ' '\n' <<<"$IDS_PAR" | sort))"
expect_eq "ids unique within a feed" "$(tr ' ' '\n' <<<"$IDS_INT" | wc -l)" "$(tr ' ' '\n' <<<"$IDS_INT" | sort -u | wc -l)"
expect_eq "ids stable from build to build" "$(tr ' ' '\n' <<<"$(feed_ids "$TMP/before/feed.xml")" | sort)" \
	"$(tr ' ' '\n' <<<"$IDS_PAR" | sort)"
expect_eq "before: 0001 updated when decided" 2026-10-01T00:00:00Z "$(entry_updated "$TMP/before/feed.xml" 0001)"
expect_eq "after: 0001 updated when superseded" 2026-11-10T10:00:00Z "$(entry_updated "$TMP/par/feed.xml" 0001)"
check "the partner feed changed" test "$FEED_BEFORE" != "$(cat "$TMP/par/feed.xml")"
expect_contains "the feed's newest entry is the supersession" "<updated>2026-11-10T10:00:00Z</updated>" \
	"$(sed -n 6p "$TMP/par/feed.xml")"
expect_contains "the internal feed says by what" "<summary>superseded by 0005 Use CockroachDB for events</summary>" \
	"$(cat "$TMP/int/feed.xml")"
must_adr html -o "$TMP/url" --audience partner --base-url https://decisions.example.com/partner
expect_contains "with a base URL: ids under it" \
	"https://decisions.example.com/partner/ https://decisions.example.com/partner/#adr-0001" \
	"$(feed_ids "$TMP/url/feed.xml")"
check "the feed is well-formed XML" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$TMP/int/feed.xml"

# A later edit by someone else; the same history whether the build walks
# the branch or reads the facts from the search index.
sed -i 's/We use PostgreSQL./We use PostgreSQL 15./' $D/0001-use-postgresql.md
GIT_AUTHOR_NAME="Cy Diaz" GIT_AUTHOR_DATE=2026-11-12T09:30:00Z GIT_COMMITTER_DATE=2026-11-12T09:30:00Z \
	git commit -q -am "wording"
timeline() { sed -n '/<ol class="timeline">/,/<\/ol>/p' "$1"; }
must_adr html -o "$TMP/walked" --audience partner
W=$(timeline "$TMP/walked/0001-use-postgresql.html")
expect_eq "the later edit after the supersession" "created,decided,superseded,edited," "$(hist "$TMP/walked/0001-use-postgresql.html")"
expect_contains "the supersession keeps its author and time" \
	'<time datetime="2026-11-10T10:00:00Z">2026-11-10 10:00 UTC</time> · <span class="who">Bo Chen</span>' "$W"
expect_contains "the edit names its author" '<time datetime="2026-11-12T09:30:00Z">2026-11-12 09:30 UTC</time> · <span class="who">Cy Diaz</span>' "$W"
must_adr index
must_adr html -o "$TMP/indexed" --audience partner
expect_eq "from the index: the same history" "$W" "$(timeline "$TMP/indexed/0001-use-postgresql.html")"

check "html writes no commit" test "$(git log --format=%s -1)" = "wording"
check "html leaves git status clean" status_clean "$R"
finish
