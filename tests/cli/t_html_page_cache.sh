#!/usr/bin/env bash
# adr html's page cache (lib/site/pagecache.h): a rebuild of the same
# directory renders no record page whose inputs are the same, and reads no
# unchanged file back. Every kind of input a record page has is changed
# here, one at a time, and the rebuild must be byte for byte a full build:
# the record itself, a neighbour (prev/next), a record it links to, an
# image it shows, the templates, the options, the date (a revisit that
# comes due), the audience. The cache itself is not trusted: garbage, a
# cut file, a flipped byte, another directory's cache, a read-only git dir.
# What it cannot see (a page edited in place with its size and time put
# back) it keeps, and ADR_SITE_VERIFY=1, which renders kept pages anyway,
# catches.
source "$(dirname "$0")/lib.sh"
export ADR_NOW=@1780000000 # 2026-05-28: the same build date in every build
unset ADR_SITE_VERIFY

R=$TMP/repo
S=$TMP/site
site_repo "$R"
rec() { # rec N SLUG TITLE [FRONT MATTER LINES] [BODY]
	printf -- '---\nstatus: accepted\ndate: 2026-05-0%s\nvisibility: public\n%s---\n# %s\n\n%s\n' \
		"$1" "${4:-}" "$3" "${5:-Text of $1.}" >"$D/000$1-$2.md"
}
rec 1 postgres "Use PostgreSQL" 'tags: [storage]\n' 'See [Kafka](0002-kafka.md), [Redis](0004-redis.md) and ![the diagram](../img/arch.png).'
rec 2 kafka "Use Kafka"
rec 3 sqlite "Use SQLite" 'revisit: 2026-06-15\n'
rec 4 redis "Use Redis" 'tags: [storage]\n'
rec 5 otel "Use OpenTelemetry"
sed -i 's/\\n/\n/g' $D/*.md # the front matter lines above
printf '\211PNG\r\n\032\nfirst' >docs/img/arch.png
git add -A && git commit -q -m records

files() { find "$1" -type f | wc -l; }

# kept_count: how many files the last rebuild kept as they were.
kept_count() { printf '%s' "$INC_OUT" | sed -nE 's/.*\(([0-9]+) as they were\).*/\1/p'; }

run_adr html -o "$S"
expect_eq "first build" 0 "$RC"
expect_not_contains "first build: nothing to keep" "as they were" "$OUT"
CACHE=$(ls "$(git rev-parse --git-common-dir)"/adr/site-*.cache)
check "the page cache is written" test -s "$CACHE"
check "the page cache is the user's alone (it holds a key)" test "$(stat -c %a "$CACHE")" = 600

build_cmp "nothing changed"
expect_eq "nothing changed: every file but the manifest kept" "$(($(files "$S") - 1))" "$(kept_count)"

# tamper FILE: one byte changed in place, the size and the time put back.
tamper() {
	local t
	t=$(stat -c %.9Y "$1")
	printf 'Q' | dd of="$1" bs=1 seek=200 conv=notrunc status=none
	touch -m -d "@$t" "$1"
}

# A page kept is not rendered: an edit in place that puts the size and
# the time back is not seen (as git does not see it in its index)...
P3=$S/0003-sqlite.html
I3=$(ino "$P3")
tamper "$P3"
SUM3=$(sha1sum <"$P3")
run_adr html -o "$S"
expect_eq "edited in place, size and time put back: rebuild" 0 "$RC"
expect_eq "edited in place, size and time put back: kept, not rendered" "$SUM3" "$(sha1sum <"$P3")"
expect_eq "edited in place: the same file" "$I3" "$(ino "$P3")"
# ...which ADR_SITE_VERIFY=1 (render anyway, and compare) catches, leaving
# the site as it was.
BEFORE=$(cd "$S" && find . -type f -exec sha1sum {} + | sort)
ADR_SITE_VERIFY=1 run_adr html -o "$S"
expect_eq "verify: a page the cache would keep stale stops the build" 1 "$RC"
expect_contains "verify: says which page" "internal error: the page cache would have kept '0003-sqlite.html'" "$ERR"
expect_eq "verify: the site is left as it was" "$BEFORE" "$(cd "$S" && find . -type f -exec sha1sum {} + | sort)"
expect_eq "verify: no temporary directory left" "" "$(ls -A "$TMP" | grep '^\.adr-html-' || true)"
# An edit that changes the time is seen.
touch "$P3"
build_cmp "edited, time changed"
expect_not_contains "edited, time changed: rendered again" "$SUM3" "$(sha1sum <"$P3")"

# With verification on, a rebuild of an untouched site passes and keeps.
I2=$(ino "$S/0002-kafka.html")
ADR_SITE_VERIFY=1 run_adr html -o "$S"
expect_eq "verify, nothing changed: rebuild" 0 "$RC"
expect_eq "verify, nothing changed: the page kept" "$I2" "$(ino "$S/0002-kafka.html")"

# A new record: its page, its neighbour's, and the lists; no other.
I1=$(ino "$S/0001-postgres.html")
must_adr new --no-edit "Use Grafana"
build_cmp "a new record"
expect_eq "a new record: an unrelated page is the same file" "$I1" "$(ino "$S/0001-postgres.html")"
check "a new record: at most 8 files made (its page and short link, 0005's page, index, search, feed, manifest)" \
	test "$(kept_count)" -ge "$(($(files "$S") - 8))"
expect_contains "a new record: its neighbour links to it" "0006-use-grafana.html" "$(cat "$S/0005-otel.html")"

# A neighbour renamed: the pages before and after it say its new title.
sed -i 's/^# Use Kafka$/# Use Apache Kafka/' $D/0002-kafka.md
git commit -q -am "rename kafka"
build_cmp "a neighbour renamed"
expect_contains "a neighbour renamed: the next page's link" "Use Apache Kafka" "$(cat "$S/0003-sqlite.html")"
expect_contains "a neighbour renamed: the linking page's text is its own" "Kafka" "$(cat "$S/0001-postgres.html")"

# A record a page links to, hidden from the audience: the link goes.
run_adr html -o "$TMP/pub" --audience public
expect_eq "public site" 0 "$RC"
expect_contains "public site: the link to Redis" 'href="0004-redis.html"' "$(cat "$TMP/pub/0001-postgres.html")"
sed -i 's/^visibility: public$/visibility: internal/' $D/0004-redis.md
git commit -q -am "redis is internal"
run_adr html -o "$TMP/pub" --audience public
expect_eq "a linked record hidden: rebuild" 0 "$RC"
run_adr html -o "$TMP/pub-fresh" --audience public
expect_eq "pub-fresh: full build" 0 "$RC"
check "a linked record hidden: rebuild == full build" diff -r "$TMP/pub" "$TMP/pub-fresh"
expect_not_contains "a linked record hidden: no link to it" '0004-redis.html' "$(cat "$TMP/pub/0001-postgres.html")"

# The image a page shows, changed at the same path.
OLDIMG=$(ls "$S"/media/)
printf '\211PNG\r\n\032\nsecond' >docs/img/arch.png
git commit -q -am "new diagram"
build_cmp "an image changed"
check "an image changed: the old one is gone" test ! -e "$S/media/$OLDIMG"
expect_contains "an image changed: the page shows the new one" "media/$(ls "$S"/media/)" "$(cat "$S/0001-postgres.html")"

# Time passes: the revisit of 0003 comes due (its page flags it).
ADR_NOW=@1783000000 build_cmp "a revisit comes due"
expect_contains "a revisit comes due: flagged" "flag-past" "$(cat "$S/0003-sqlite.html")"

# The options: the title every page shows.
build_cmp "another title" --title "Partner log"
expect_contains "another title: on a record page" "Partner log" "$(cat "$S/0002-kafka.html")"

# The templates: the record template, then a partial it uses.
TD=$TMP/tpl
mkdir "$TD"
cp "$ADR_SOURCE_DIR/templates/html/record.mustache" "$ADR_SOURCE_DIR/templates/html/layout.mustache" "$TD/"
sed -i 's#</h1>#</h1><p class="marker">record template</p>#' "$TD/record.mustache"
build_cmp "the record template changed" --templates "$TD"
expect_contains "the record template changed: shown" "record template" "$(cat "$S/0002-kafka.html")"
sed -i 's#</body>#<p class="marker">layout partial</p></body>#' "$TD/layout.mustache"
build_cmp "a partial changed" --templates "$TD"
expect_contains "a partial changed: shown" "layout partial" "$(cat "$S/0002-kafka.html")"
build_cmp "back to the templates of adr"

# The cache is not trusted. Garbage, a cut file, one byte flipped: each
# time a page edited in place (which a good cache would keep) is rendered
# again, and the cache is good again after.
P2=$S/0002-kafka.html
tamper "$P2"
printf 'garbage' >"$CACHE"
build_cmp "a cache of garbage"
build_cmp "after garbage, the cache works again"
expect_eq "after garbage: every file but the manifest kept" "$(($(files "$S") - 1))" "$(kept_count)"
tamper "$P2"
head -c 1000 "$CACHE" >"$CACHE.cut" && mv "$CACHE.cut" "$CACHE"
build_cmp "a cut cache"
tamper "$P2"
SIZE=$(stat -c %s "$CACHE")
printf '\377' | dd of="$CACHE" bs=1 seek=$((SIZE / 2)) conv=notrunc status=none
build_cmp "a flipped byte in the cache"
# Another directory's cache: a copy of the site is not the site.
cp -a "$S" "$TMP/copy"
tamper "$TMP/copy/0002-kafka.html"
run_adr html -o "$TMP/copy"
expect_eq "a copy of the site: build" 0 "$RC"
run_adr html -o "$TMP/copy-fresh"
expect_eq "a copy of the site: full build" 0 "$RC"
check "a copy of the site: == full build" diff -r "$TMP/copy" "$TMP/copy-fresh"
# The site removed and built again in its place: another directory.
rm -rf "$S"
run_adr html -o "$S"
expect_eq "the site built anew: exit" 0 "$RC"
tamper "$P2"
mv "$S" "$TMP/moved"
cp -a "$TMP/moved" "$S"
build_cmp "the site replaced by a copy of itself"

# A cache that can be neither read nor written (a directory in its place;
# root can write into a read-only one): the site is built all the same.
rm -f "$CACHE" && mkdir "$CACHE"
sed -i 's/Text of 5./Text of five./' $D/0005-otel.md
git commit -q -am "edit 5"
build_cmp "a cache that cannot be written"
check "a cache that cannot be written: left as it was" test -d "$CACHE"
rmdir "$CACHE"

ADRDIR=$(cd "$(git rev-parse --git-common-dir)" && pwd)/adr
# A kept file that can be neither linked (immutable) nor copied (the file
# size limit stands in for a full disk; nothing else is written, as nothing
# changed): the build stops, says which file, and leaves the site as it was.
must_adr html -o "$S" # (a cache again, after the one that could not be written)
# (and no second name for the file in the trash, where it could not go either)
rm -rf "$(git rev-parse --git-common-dir)/adr/html-trash"
P5=$S/0005-otel.html
if chattr +i "$P5" 2>/dev/null; then
	BEFORE=$(cd "$S" && find . -type f -exec sha1sum {} + | sort)
	# (what adr says goes through a pipe, which the limit does not bound;
	# a coverage build's own files may not be written: more on stderr)
	LIMITED=$( (trap '' XFSZ && ulimit -f 1 && "$ADR" html -o "$S" 2>&1 >/dev/null; echo "rc=$?") || true)
	# The same when the linker thread cannot start (the fault shim fails the
	# build's first pthread_create, the linker's: there is no trash to
	# empty and too few records for reader threads): the link is made, and
	# fails, in the build's own thread.
	FAULT_SHIM=${ADR_FAULT_SHIM:-$(dirname "$ADR")/tests/adr-fault.so}
	NOLINKER=
	if [ -f "$FAULT_SHIM" ]; then
		NOLINKER=$( (trap '' XFSZ && ulimit -f 1 &&
			LD_PRELOAD=$FAULT_SHIM ADR_FAULT=thread:1 \
				ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
				"$ADR" html -o "$S" 2>&1 >/dev/null
			echo "rc=$?") || true)
	fi
	chattr -i "$P5"
	expect_contains "a kept file that cannot be put in the new site: the build fails" "rc=1" "$LIMITED"
	expect_contains "a kept file that cannot be put in the new site: says which" \
		"cannot write '$S/0005-otel.html' (kept from the previous site): File too large" "$LIMITED"
	expect_eq "a kept file that cannot be put in the new site: the site as it was" "$BEFORE" \
		"$(cd "$S" && find . -type f -exec sha1sum {} + | sort)"
	expect_eq "a kept file that cannot be put in the new site: nothing left next to it" "" \
		"$(ls -A "$TMP" | grep '^\.adr-html-' || true)"
	if [ -f "$FAULT_SHIM" ]; then
		expect_contains "no linker thread, a kept file that cannot be put: the build fails" "rc=1" "$NOLINKER"
		expect_contains "no linker thread, a kept file that cannot be put: says which" \
			"cannot write '$S/0005-otel.html': File too large" "$NOLINKER"
	elif [ "${CI:-}" = true ]; then
		fail "the fault injector $FAULT_SHIM is missing (tests/CMakeLists.txt builds it)"
	else
		echo "SKIP: $TEST_NAME: no fault injector at $FAULT_SHIM: a kept file's link without the linker thread"
	fi
else
	echo "SKIP: $TEST_NAME: chattr +i is not possible here (an immutable file cannot be linked)"
fi

# The previous site goes to the git dir's trash, which the next build
# empties while it reads the records; nothing stays next to the site. A
# trash that cannot be used (here a file in its place): the previous site
# is removed at once.
TRASH=$ADRDIR/html-trash
must_adr html -o "$S"
T1=$(ls "$TRASH")
expect_eq "the trash: the previous site, one directory" 1 "$(ls "$TRASH" | wc -l)"
check "the trash: holds the previous site's pages" test -f "$TRASH/$T1/index.html"
expect_eq "the trash: nothing left next to the site" "" "$(ls -A "$TMP" | grep '^\.adr-html-' || true)"
must_adr html -o "$S"
expect_eq "the trash: emptied by the next build, which put its own there" 1 "$(ls "$TRASH" | wc -l)"
check "the trash: the older one is gone" test ! -e "$TRASH/$T1"
expect_eq "the trash: the kept pages have one name again (then two)" 2 "$(stat -c %h "$S/0002-kafka.html")"
rm -rf "$TRASH" && printf 'not a directory' >"$TRASH"
must_adr html -o "$S"
expect_eq "no trash: the file is left as it was" "not a directory" "$(cat "$TRASH")"
expect_eq "no trash: nothing left next to the site" "" "$(ls -A "$TMP" | grep '^\.adr-html-' || true)"
expect_eq "no trash: the site's pages have one name" 1 "$(stat -c %h "$S/0002-kafka.html")"
rm -f "$TRASH"

# One cache per directory built into: those of directories that are gone
# (or are other directories now) are removed by the next build, and the
# temporary files of writers that were killed; the others stay.
ls_caches() { (cd "$ADRDIR" && ls site-* 2>/dev/null | LC_ALL=C sort | tr '\n' ' '); }
newest_cache() { basename "$(ls -t "$ADRDIR"/site-*.cache | head -n 1)"; }
must_adr html -o "$TMP/gone"
C_GONE=$(newest_cache)
must_adr html -o "$TMP/kept"
C_KEPT=$(newest_cache)
must_adr html -o "$TMP/replaced"
C_REPLACED=$(newest_cache)
# (the new one made before the old one goes, so it cannot get its inode)
mv "$TMP/replaced" "$TMP/replaced.old"
mkdir "$TMP/replaced"
rm -rf "$TMP/gone" "$TMP/replaced.old"
check "a cache per directory" test "$C_GONE" != "$C_KEPT" -a "$C_KEPT" != "$C_REPLACED"
printf 'garbage' >"$ADRDIR/site-0000000000000000.cache"
printf 'x' >"$ADRDIR/site-0000000000000001.cache.adr-tmp-999999999"
printf 'x' >"$ADRDIR/site-0000000000000001.cache.adr-tmp-$$"
must_adr html -o "$S"
AFTER=" $(ls_caches)"
expect_not_contains "pruned: the cache of a directory that is gone" " $C_GONE " "$AFTER"
expect_not_contains "pruned: the cache of a directory that is another now" " $C_REPLACED " "$AFTER"
expect_not_contains "pruned: garbage" " site-0000000000000000.cache " "$AFTER"
expect_not_contains "pruned: a killed writer's file" "adr-tmp-999999999" "$AFTER"
expect_contains "not pruned: a live writer's file" " site-0000000000000001.cache.adr-tmp-$$ " "$AFTER"
expect_contains "not pruned: the cache of a directory still there" " $C_KEPT " "$AFTER"
expect_contains "not pruned: the built site's own" " $(newest_cache) " "$AFTER"
# (its cache is still used: a page edited in place, size and time put
# back, is kept as it is, which only the cache would do)
tamper "$TMP/kept/0002-kafka.html"
SUMK=$(sha1sum <"$TMP/kept/0002-kafka.html")
run_adr html -o "$TMP/kept"
expect_eq "not pruned: a directory that is still there: rebuild" 0 "$RC"
expect_eq "not pruned: its cache is still used" "$SUMK" "$(sha1sum <"$TMP/kept/0002-kafka.html")"
rm -f "$ADRDIR/site-0000000000000001.cache.adr-tmp-$$"

status_clean "$R" || fail "git status is not clean"
finish
