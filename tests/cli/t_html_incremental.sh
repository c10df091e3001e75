#!/usr/bin/env bash
# adr html into a directory that already holds a site: pages whose bytes
# are unchanged are linked from the previous site instead of written again,
# and the result must be byte for byte what a build into an empty directory
# gives, after every kind of change; nothing of the previous site is
# trusted (a page edited by hand, a symlink, a file linked elsewhere, a
# corrupt manifest). Also: history facts read from the index give the same
# site as a walk of the branch.
source "$(dirname "$0")/lib.sh"
export ADR_NOW=@1780000000 # the same build date in every build, to compare bytes
# The page cache as users run it: what it keeps is checked here against a
# full build, not by rendering it anyway (t_html_page_cache.sh does that).
unset ADR_SITE_VERIFY

R=$TMP/repo
S=$TMP/site
site_repo "$R"
cat >$D/0001-use-postgres.md <<'MD'
---
status: accepted
date: 2026-11-01
tags: [storage]
visibility: public
---
# Use PostgreSQL

See [Kafka](0002-use-kafka.md) and ![the diagram](../img/arch.png).
MD
cat >$D/0002-use-kafka.md <<'MD'
---
status: accepted
date: 2026-11-05
tags: [messaging]
visibility: public
---
# Use Kafka

Flamingo throughput.
MD
cat >$D/0003-use-redis.md <<'MD'
---
status: accepted
date: 2026-11-06
tags: [storage]
visibility: public
---
# Use Redis

Caches. Related to [PostgreSQL](0001-use-postgres.md).
MD
cat >$D/0004-otter.md <<'MD'
---
status: accepted
date: 2026-11-07
visibility: public
---
# Otter rollout

Quetzalcoatl.
MD
printf '\211PNG\r\n\032\nfake' >docs/img/arch.png
git add -A && git commit -q -m records

run_adr html -o "$S"
expect_eq "first build" 0 "$RC"
expect_contains "first build says" "4 decisions" "$OUT"
P1=$(ino "$S/0001-use-postgres.html") P2=$(ino "$S/0002-use-kafka.html") PI=$(ino "$S/index.html")
PM=$(ino "$(ls "$S"/media/*.png)")

build_cmp "nothing changed"
expect_contains "nothing changed: every file but the manifest as it was" "wrote 18 files to $S (17 as they were)" "$INC_OUT"
expect_eq "nothing changed: a record page is kept, not written" "$P1" "$(ino "$S/0001-use-postgres.html")"
expect_eq "nothing changed: the index is kept" "$PI" "$(ino "$S/index.html")"
expect_eq "nothing changed: the image is kept" "$PM" "$(ino "$(ls "$S"/media/*.png)")"

# A new record: its page and the pages that list it change, no other.
must_adr new --no-edit "Use SQLite for tests"
build_cmp "a new record"
check "a new record: its page exists" test -f "$S/0005-use-sqlite-for-tests.html"
expect_eq "a new record: an unrelated page is kept" "$P2" "$(ino "$S/0002-use-kafka.html")"
check "a new record: the index is written anew" test "$PI" != "$(ino "$S/index.html")"
expect_contains "a new record: the index lists it" "Use SQLite for tests" "$(cat "$S/index.html")"
expect_contains "a new record: the search index has it" "Use SQLite for tests" "$(cat "$S/search-index.js")"

# An edited record.
sed -i 's/Flamingo throughput./Flamingo throughput, measured./' $D/0002-use-kafka.md
git commit -q -am "edit kafka"
build_cmp "an edited record"
expect_contains "an edited record: its page shows the edit" "measured" "$(cat "$S/0002-use-kafka.html")"

# A deleted record: its page leaves the site, links to it become text.
git rm -q $D/0004-otter.md && git commit -q -m "drop otter"
build_cmp "a deleted record"
check "a deleted record: its page is gone" test ! -e "$S/0004-otter.html"

# A status change to superseded (and the record superseding it).
cat >$D/0006-use-cockroach.md <<'MD'
---
status: accepted
date: 2026-11-09
supersedes: [1]
visibility: public
---
# Use CockroachDB

Scale.
MD
sed -i 's/^status: accepted/status: superseded/' $D/0001-use-postgres.md
git add -A && git commit -q -m "supersede postgres"
build_cmp "superseded"
expect_contains "superseded: the old page says so" "This decision has been superseded" "$(cat "$S/0001-use-postgres.html")"
expect_contains "superseded: the index shows the new status" 'data-n="0001" data-status="superseded"' "$(cat "$S/index.html")"

# A tag removed: its page leaves the site.
TAGPAGE=$(cd "$S" && grep -l "Tag: messaging" *.html)
sed -i 's/^tags: \[messaging\]$/tags: []/' $D/0002-use-kafka.md
git commit -q -am "untag kafka"
build_cmp "a tag removed"
check "a tag removed: its page is gone" test ! -e "$S/$TAGPAGE"

# A visibility change, for the public audience.
PUB=$TMP/public
run_adr html -o "$PUB" --audience public
expect_eq "public site" 0 "$RC"
check "public site: Redis is there" test -f "$PUB/0003-use-redis.html"
sed -i 's/^visibility: public/visibility: internal/' $D/0003-use-redis.md
git commit -q -am "redis is internal"
run_adr html -o "$PUB" --audience public
expect_eq "visibility change: build" 0 "$RC"
run_adr html -o "$TMP/public-fresh" --audience public
expect_eq "public-fresh: full build" 0 "$RC"
check "visibility change: incremental == full" diff -r "$PUB" "$TMP/public-fresh"
check "visibility change: the page is gone" test ! -e "$PUB/0003-use-redis.html"
expect_not_contains "visibility change: nothing of it in the search index" "Use Redis" "$(cat "$PUB/search-index.js")"

# Nothing of the previous site is trusted.
echo "defaced" >>"$S/0002-use-kafka.html"
build_cmp "a page edited by hand"
expect_not_contains "a page edited by hand: restored" "defaced" "$(cat "$S/0002-use-kafka.html")"

cp "$S/0003-use-redis.html" "$TMP/outside.html"
rm "$S/0003-use-redis.html" && ln -s "$TMP/outside.html" "$S/0003-use-redis.html"
build_cmp "a page replaced by a symlink"
check "a page replaced by a symlink: a regular file again" test ! -L "$S/0003-use-redis.html"

ln "$S/0002-use-kafka.html" "$TMP/elsewhere.html"
build_cmp "a page linked from elsewhere"
check "a page linked from elsewhere: not shared with the outside file" \
	test "$(ino "$S/0002-use-kafka.html")" != "$(ino "$TMP/elsewhere.html")"

printf 'garbage\0\377 not a manifest\n../../etc/passwd\n' >"$S/.adr-site"
build_cmp "a corrupt manifest"
expect_contains "a corrupt manifest: rewritten" "index.html" "$(cat "$S/.adr-site")"

# A directory adr did not write is still refused, and left as it was.
mkdir "$TMP/other" && echo "mine" >"$TMP/other/index.html"
run_adr html -o "$TMP/other"
expect_eq "unrelated directory: refused" 1 "$RC"
expect_contains "unrelated directory: says why" "was not written by adr html" "$ERR"
expect_eq "unrelated directory: left as it was" "mine" "$(cat "$TMP/other/index.html")"

# History from the index == history from a walk, with a proposal's thread,
# a rename and an edit (the index is at the tip; --rev elsewhere walks).
must_adr propose --no-edit "Cache sessions in Redis"
GIT_AUTHOR_NAME="Bo Chen" must_adr comment adr/cache-sessions-in-redis --object -m "Memory limits?"
must_adr accept adr/cache-sessions-in-redis --reason "Agreed with an LRU limit"
git checkout -q main
git mv $D/0002-use-kafka.md $D/0002-use-kafka-streams.md && git commit -q -m "rename kafka"
must_adr index
check "index exists" test -f "$(git rev-parse --git-common-dir)/adr/index.db"
run_adr html -o "$TMP/with-index"
expect_eq "with the index: build" 0 "$RC"
W_OUT=$OUT W_ERR=$ERR
expect_contains "with the index: the thread is shown" "Memory limits?" "$(cat "$TMP"/with-index/*cache-sessions*.html)"
rm -rf "$(git rev-parse --git-common-dir)/adr"
run_adr html -o "$TMP/without-index"
expect_eq "without the index: build" 0 "$RC"
expect_eq "index or walk: same warnings" "$W_ERR" "$ERR"
check "index or walk: same site" diff -r "$TMP/with-index" "$TMP/without-index"
check "the build did not create the index" test ! -e "$(git rev-parse --git-common-dir)/adr/index.db"
must_adr index
run_adr html -o "$TMP/rev-index" --rev HEAD~1
expect_eq "--rev with the index at the tip: build" 0 "$RC"
rm -rf "$(git rev-parse --git-common-dir)/adr"
run_adr html -o "$TMP/rev-walk" --rev HEAD~1
expect_eq "--rev without the index: build" 0 "$RC"
check "--rev: same site with or without the index" diff -r "$TMP/rev-index" "$TMP/rev-walk"
# A corrupt index is not trusted: the site is the walk's.
must_adr index
printf 'garbage' >"$(git rev-parse --git-common-dir)/adr/index.db"
run_adr html -o "$TMP/corrupt-index"
expect_eq "corrupt index: build" 0 "$RC"
check "corrupt index: same site as the walk" diff -r "$TMP/with-index" "$TMP/corrupt-index"

finish
