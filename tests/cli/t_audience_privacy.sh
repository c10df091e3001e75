#!/usr/bin/env bash
# Audience privacy: a partner or public site carries no trace of a record the
# audience may not see, through any relation (supersedes, superseded-by,
# links, tags, the feed, the search index, counts, threads, implementing
# commits). Every hidden record's text carries the marker ZQSECRET; no byte
# of the partner and public sites may contain it, while the internal site
# (the control) does. Hidden records show as at most one anonymous line per
# list, so not even their number leaks (mutant M2b showed one line each).
. "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
D=docs/decisions
rec() { printf -- '---\n%b\n---\n# %s\n\nBody of %s.\n' "$2" "$3" "$3" >"$D/$1"; }
rec 0002-anchor.md 'status: accepted\ndate: 2026-01-02\nvisibility: partner\ntags: [shared]\nsupersedes: [3, 4]\nlinks: [relates-to 5, relates-to 6, relates-to 7]' "Partner anchor"
rec 0003-old-one.md 'status: superseded\ndate: 2026-01-01\nvisibility: internal\nsuperseded-by: [2]\ntags: [shared, zqsecret-tag]' "ZQSECRET three"
rec 0004-old-two.md 'status: superseded\ndate: 2026-01-01\nvisibility: internal\nsuperseded-by: [2]\ntags: [zqsecret-tag]' "ZQSECRET four"
for n in 5 6 7; do
	rec "000$n-linked-$n.md" "status: accepted\ndate: 2026-01-0$n\nvisibility: internal\ntags: [shared]\nlinks: [relates-to 2]" "ZQSECRET linked $n"
done
rec 0008-later.md 'status: accepted\ndate: 2026-02-01\nvisibility: public\nsupersedes: []\nlinks: [relates-to 2]' "Public later"
git add -A
git commit -q -m "records"
# An internal decision with a discussion thread.
run_adr propose --no-edit "ZQSECRET proposal"
expect_eq "propose" 0 "$RC"
SLUG=$(git for-each-ref --format='%(refname:lstrip=3)' refs/heads/adr/)
run_adr comment "$SLUG" --object -m "ZQSECRET objection in the thread"
expect_eq "comment" 0 "$RC"
run_adr accept "$SLUG"
expect_eq "accept" 0 "$RC"
P=$OUT
sed -i 's/^status: accepted$/status: accepted\nvisibility: internal/' "$P"
git commit -q -am "make the proposal internal"
# Commits implementing records: the subjects are the team's business.
git commit -q --allow-empty -m "ZQSECRET subject of a commit implementing 0002" -m "Refs: ADR-0002"
git commit -q --allow-empty -m "ZQSECRET subject of a commit implementing 0005" -m "Refs: ADR-0005"
run_adr check
expect_eq "the log is valid" 0 "$RC"

run_adr html -o "$TMP/internal" --audience internal
expect_eq "internal build" 0 "$RC"
check "control: the internal site shows the hidden records" grep -rqF ZQSECRET "$TMP/internal"
check "control: the internal site has the secret tag page" test -e "$TMP/internal/tag-zqsecret-tag.html"

for aud in partner public; do
	S=$TMP/site-$aud
	run_adr html -o "$S" --audience "$aud"
	expect_eq "$aud build" 0 "$RC"
	expect_eq "$aud: no byte of any file names a hidden record" "" "$(grep -rlaF ZQSECRET "$S" || true)"
	expect_eq "$aud: no byte of any file names a hidden tag" "" "$(grep -rlaiF zqsecret "$S" || true)"
	check "$aud: no page for a hidden record" test -z "$(ls "$S" | grep -E '^000[34567]-' || true)"
	for f in "$S"/*.html; do
		# At most one anonymous line per list of related records.
		n=$(grep -o '<dd>.*</dd>\|<li>.*</li>' "$f" | grep -c 'a record not published for this audience' || true)
		lists=$(grep -c '<dt>' "$f" || true)
		check "$aud: $(basename "$f"): hidden records collapse to one line per list ($n lines, $lists lists)" \
			test "$n" -le "$lists"
	done
done

S=$TMP/site-partner
A=$S/0002-anchor.html
check "partner: the anchor page is there" test -f "$A"
expect_eq "partner: one anonymous line for the two hidden superseded records" 1 \
	"$(sed -n '/<dt>Supersedes<\/dt>/,/<\/dd>/p' "$A" | grep -c 'a record not published for this audience')"
expect_eq "partner: one anonymous line for the three hidden related records" 1 \
	"$(sed -n '/<dt>Related<\/dt>/,/<\/dd>/p' "$A" | grep -c 'a record not published for this audience')"
expect_eq "partner: a hidden record never links to the page itself" 0 \
	"$(grep -c 'href="0002-anchor.html">0002' "$A" || true)"
check "partner: the implementing commit is listed by id" grep -qF "$(git rev-parse --short=12 HEAD~1)" "$A"
S=$TMP/site-public
check "public: the partner record is not published" test ! -e "$S/0002-anchor.html"
check "public: the public record is" test -e "$S/0008-later.html"
expect_eq "public: one anonymous line for the hidden related record" 1 \
	"$(grep -c 'a record not published for this audience' "$S/0008-later.html")"
check "fsck is clean" fsck_clean "$R"
finish
