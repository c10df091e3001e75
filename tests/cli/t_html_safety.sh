#!/usr/bin/env bash
# adr html and what it must never publish or leave behind (audit 2026-12):
# F05 an unreadable visibility, F06/F19 pages of a failed or killed build,
# F07 tag pages that grow with the square of the tag count, F08 control
# characters in the feed and the pages, F21 -o through a symlink.
source "$(dirname "$0")/lib.sh"

D=docs/decisions

# site_state DIR: every file with its checksum, to compare a site before and after.
site_state() {
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# leftovers PARENT: what builds left next to their site.
leftovers() {
	ls -A "$1" | grep -c '^\.adr-html-' || true
}

# site_bytes DIR: the bytes of every file of a site.
site_bytes() {
	find "$1" -type f -print0 | xargs -0 cat | wc -c
}

record() { # record FILE VISIBILITY TITLE
	printf -- '---\nstatus: accepted\ndate: 2024-01-01\nvisibility: %s\n---\n# %s\n\nConfidential text.\n' "$2" "$3" >"$1"
}

# --- F05: an invalid visibility is an error, never the default -------------

R=$TMP/r05
new_repo "$R"
cd "$R"
mkdir -p $D
printf 'dir: docs/decisions\nvisibility: public\n' >.adr.yaml
record $D/0001-open.md public "Open plan"
git add -A && git commit -qm good
S=$TMP/s05
run_adr html -o "$S" --audience public
expect_eq "F05: the good log publishes" 0 "$RC"
BEFORE=$(site_state "$S")

record $D/0002-layoffs.md internl "Layoffs plan"
record $D/0003-acq.md private "Acquisition target"
git add -A && git commit -qm bad
# (the internal audience sees every record: there, an unreadable one is a
# row and a page that say why, t_unreadable.sh)
for aud in public partner; do
	run_adr html -o "$S" --audience $aud
	expect_eq "F05: $aud build fails" 1 "$RC"
	expect_contains "F05: $aud build names the value" \
		"adr: docs/decisions/0002-layoffs.md:4:13: key 'visibility': 'internl' is not one of public, partner, internal; nothing published" "$ERR"
	expect_contains "F05: $aud build names the second record" \
		"docs/decisions/0003-acq.md:4:13: key 'visibility': 'private' is not one of" "$ERR"
	expect_eq "F05: $aud build leaves the previous site as it was" "$BEFORE" "$(site_state "$S")"
	check "F05: $aud build publishes nothing of them" test -z "$(grep -rl 'Layoffs\|Acquisition' "$S" || true)"
	expect_eq "F05: $aud build leaves no directory behind" 0 "$(leftovers "$TMP")"
	run_adr html -o "$TMP/fresh-$aud" --audience $aud
	expect_eq "F05: $aud build into a new directory fails" 1 "$RC"
	expect_contains "F05: $aud build into a new directory fails: says why" "adr: docs/decisions/0002-layoffs.md:4:13: key 'visibility': 'internl' is not one of public, partner, internal; nothing published" "$ERR"
	check "F05: $aud build creates no new directory" test ! -e "$TMP/fresh-$aud"
done
run_adr check # read-only
expect_eq "F05: check fails" 1 "$RC"
expect_contains "F05: check reports the first" \
	"docs/decisions/0002-layoffs.md:4:13: key 'visibility': 'internl' is not one of public, partner, internal" "$OUT"
expect_contains "F05: check reports the second" \
	"docs/decisions/0003-acq.md:4:13: key 'visibility': 'private' is not one of public, partner, internal" "$OUT"

# Every other shape of a bad value: empty string, a list, a number, a mapping.
git rm -q $D/0003-acq.md
for v in '""' '[internal]' '3' '{a: b}'; do
	record $D/0002-layoffs.md "$v" "Layoffs plan"
	git add -A && git commit -qm "visibility $v"
	snapshot_state . "$S"
	run_adr html -o "$S" --audience partner
	expect_eq "F05: visibility $v fails the build" 1 "$RC"
	expect_unchanged "F05: visibility $v fails the build: nothing changed"
	expect_contains "F05: visibility $v is named with file:line:col" \
		"adr: docs/decisions/0002-layoffs.md:4:13: key 'visibility':" "$ERR"
	check "F05: visibility $v publishes nothing" test -z "$(grep -rl 'Layoffs' "$S" || true)"
	run_adr check # read-only
	expect_eq "F05: check fails on visibility $v" 1 "$RC"
	expect_contains "F05: check reports visibility $v" "docs/decisions/0002-layoffs.md:4:13: key 'visibility':" "$OUT"
done
# An unset visibility still means the repository default.
printf -- '---\nstatus: accepted\ndate: 2024-01-01\nvisibility:\n---\n# Layoffs plan\n' >$D/0002-layoffs.md
git add -A && git commit -qm unset
run_adr html -o "$S" --audience public
expect_eq "F05: an unset visibility builds" 0 "$RC"
check "F05: an unset visibility takes the default (public)" test -f "$S/0002-layoffs.html"

# The default in .adr.yaml is checked the same way.
printf 'dir: docs/decisions\nvisibility: [public]\n' >.adr.yaml
git add -A && git commit -qm "list default"
BEFORE=$(site_state "$S")
run_adr html -o "$S" --audience public
expect_eq "F05: a list as default visibility fails" 1 "$RC"
expect_contains "F05: the list default is named" \
	".adr.yaml:2:13: key 'visibility': expected one of public, partner, internal, not a list" "$ERR"
expect_eq "F05: the list default leaves the site alone" "$BEFORE" "$(site_state "$S")"
printf 'dir: docs/decisions\nvisibility: ""\n' >.adr.yaml
git add -A && git commit -qm "empty default"
snapshot_state . "$S"
run_adr html -o "$S" --audience public
expect_eq "F05: an empty default visibility fails" 1 "$RC"
expect_unchanged "F05: an empty default visibility fails: nothing changed"
expect_contains "F05: the empty default is named" ".adr.yaml:2:13: visibility '' is not one of public, partner, internal" "$ERR"

# --- F06: a failed build leaves the previous site exactly as it was --------

R=$TMP/r06
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
record $D/0002-p.md partner "Partner record"
record $D/0003-s.md internal "Zanzibar secret"
git add -A && git commit -qm r
S=$TMP/s06
mkdir "$TMP/tpl06"
ln -s /etc/passwd "$TMP/tpl06/favicon.svg"
run_adr html -o "$S" --audience partner
expect_eq "F06: partner build" 0 "$RC"
BEFORE=$(site_state "$S")
run_adr html -o "$S" --templates "$TMP/tpl06"
expect_eq "F06: the internal build fails half way" 1 "$RC"
expect_contains "F06: and says why" "favicon.svg" "$ERR"
expect_eq "F06: the failed build left the previous site as it was" "$BEFORE" "$(site_state "$S")"
check "F06: no internal page after the failed build" test -z "$(grep -rl Zanzibar "$S" || true)"
expect_eq "F06: the failed build left no directory" 0 "$(leftovers "$TMP")"
run_adr html -o "$S" --audience partner
expect_eq "F06: partner build again" 0 "$RC"
check "F06: no internal page after the next partner build" test -z "$(grep -rl Zanzibar "$S" || true)"

# A successful internal build, then a partner one: nothing of the first is left.
run_adr html -o "$S"
expect_eq "F06: internal build: exit" 0 "$RC"
check "F06: the internal build publishes the secret" test -f "$S/0003-s.html"
run_adr html -o "$S" --audience partner
expect_eq "F06: partner build over an internal site" 0 "$RC"
check "F06: stale internal pages are gone" test -z "$(grep -rl Zanzibar "$S" || true)"
expect_eq "F06: only the partner site's files" \
	".adr-site 0002-p.html 0002.html favicon.svg feed.xml index.html search-index.js site.js style.css" \
	"$(ls -A "$S" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"

# F06/F19: an internal build killed half way. Its site.js template is a FIFO, so
# the build blocks after writing every page; kill -9 it there.
BEFORE=$(site_state "$S")
mkdir "$TMP/tpl-fifo"
mkfifo "$TMP/tpl-fifo/site.js"
"$ADR" html -o "$S" --templates "$TMP/tpl-fifo" >/dev/null 2>&1 &
PID=$!
for _ in $(seq 1 200); do
	if grep -rqs Zanzibar "$S" "$TMP"/.adr-html-* 2>/dev/null; then break; fi
	sleep 0.05
done
kill -9 $PID 2>/dev/null || true
wait $PID 2>/dev/null || true
check "F06: the killed build had written its pages" test -n "$(grep -rls Zanzibar "$S" "$TMP"/.adr-html-* 2>/dev/null || true)"
expect_eq "F06: the killed build did not touch the site" "$BEFORE" "$(site_state "$S")"
check "F19: no temporary file in the site after the kill" test -z "$(ls -A "$S" | grep -v '^\.adr-site$' | grep '^\.' || true)"
run_adr html -o "$S" --audience partner
expect_eq "F06: partner build after the kill" 0 "$RC"
check "F06: nothing of the killed build is published" test -z "$(grep -rl Zanzibar "$S" || true)"
expect_eq "F19: the dead build's directory was removed" 0 "$(leftovers "$TMP")"

# Never replace a directory that is not an adr site.
mkdir "$TMP/home06"
echo "my notes" >"$TMP/home06/notes.txt"
run_adr html -o "$TMP/home06"
expect_eq "F06: a foreign directory is refused" 1 "$RC"
expect_contains "F06: and says why" "'$TMP/home06' is not empty and was not written by adr html; give an empty or new directory" "$ERR"
expect_eq "F06: the foreign directory is untouched" "notes.txt" "$(ls -A "$TMP/home06")"
expect_eq "F06: its file is untouched" "my notes" "$(cat "$TMP/home06/notes.txt")"
expect_eq "F06: the refusal leaves no directory" 0 "$(leftovers "$TMP")"
echo data >"$TMP/file06"
run_adr html -o "$TMP/file06"
expect_eq "F06: a file as -o is refused" 1 "$RC"
expect_contains "F06: a file as -o is named" "'$TMP/file06' is not a directory" "$ERR"
expect_eq "F06: the file is untouched" "data" "$(cat "$TMP/file06")"
mkdir "$TMP/empty06"
run_adr html -o "$TMP/empty06"
expect_eq "F06: an empty directory is used" 0 "$RC"
check "F06: the empty directory holds the site" test -f "$TMP/empty06/index.html"

# A site replaced by a foreign directory while a build runs is not removed:
# strace holds the build for 2 s at the swap (renameat2) while the test puts
# another directory in its place.
rm -rf "$TMP/s06b"
must_adr html -o "$TMP/s06b"
if command -v strace >/dev/null; then
	# LeakSanitizer cannot run under ptrace: no leak check in the traced build.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o /dev/null -e trace=renameat2 -e inject=renameat2:delay_enter=2000000:when=1 \
		"$ADR" html -o "$TMP/s06b" >"$TMP/race.out" 2>"$TMP/race.err" &
	PID=$!
	for _ in $(seq 1 500); do
		if [ -n "$(ls "$TMP"/.adr-html-*/.adr-site 2>/dev/null)" ] &&
			[ -n "$(ls "$TMP"/.adr-html-*/favicon.svg 2>/dev/null)" ]; then break; fi
		sleep 0.02
	done
	sleep 0.3
	mv "$TMP/s06b" "$TMP/s06b.orig"
	mkdir "$TMP/s06b"
	echo "my notes" >"$TMP/s06b/notes.txt"
	set +e
	wait $PID
	RC=$?
	set -e
	expect_eq "F06: a build whose target changed fails" 1 "$RC"
	expect_contains "F06: and says why" \
		"'$TMP/s06b' changed during the build and is no longer an adr site; left as it is" "$(cat "$TMP/race.err")"
	expect_eq "F06: the directory put there is untouched" "notes.txt" "$(ls -A "$TMP/s06b")"
	expect_eq "F06: its file too" "my notes" "$(cat "$TMP/s06b/notes.txt")"
	expect_eq "F06: the raced build left no directory" 0 "$(leftovers "$TMP")"
else
	echo "skipped: the swap race test needs strace" >&2
fi

snapshot_state
run_adr html -o /
expect_eq "F06: -o / is refused" 1 "$RC"
expect_unchanged "F06: -o / is refused: nothing changed"
expect_contains "F06: -o / is named" "refusing to replace '/' with a site; give a directory for it" "$ERR"

# --- F07: tags stay linear ------------------------------------------------

R=$TMP/r07
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
python3 -c "print('---\nstatus: accepted\ndate: 2024-01-01\ntags: [' + ','.join('t%d' % i for i in range(2000)) + ']\n---\n# Tags\n')" >$D/0002-tags.md
git add -A && git commit -qm tags
run_adr check # read-only
expect_eq "F07: check fails on 2000 tags" 1 "$RC"
expect_contains "F07: check names the first tag too many" \
	"docs/decisions/0002-tags.md:4:254: key 'tags': 2000 tags, the limit is 64" "$OUT"
set +e
ERR=$(timeout 120 "$ADR" html -o "$TMP/s07" 2>&1 >/dev/null)
RC=$?
set -e
# the record cannot be read: for the (default) internal audience it is a
# row and a page saying why, with none of its 2000 tags (t_unreadable.sh)
expect_eq "F07: html publishes the log, 2000 tags and all" 0 "$RC"
expect_contains "F07: html names the record" "docs/decisions/0002-tags.md:4:254: key 'tags': 2000 tags, the limit is 64" "$ERR"
check "F07: the record's page says it could not be read" grep -q "0002-tags.md: could not be read" "$TMP/s07/0002-tags.html"
expect_eq "F07: no tag page written" 0 "$(find "$TMP/s07" -name '*t1999*' | wc -l)"
run_adr html -o "$TMP/s07p" --audience partner
expect_eq "F07: a partner build refuses 2000 tags" 1 "$RC"
expect_contains "F07: a partner build names the record" "docs/decisions/0002-tags.md:4:254: key 'tags': 2000 tags, the limit is 64" "$ERR"
check "F07: nothing written for the partner" test ! -e "$TMP/s07p"

# Output size is linear in (record, tag) pairs: 20 records with no tags (Z),
# with 16 distinct tags each (A, 320 pairs) and 64 each (B, 1280 pairs).
tagged_log() { # tagged_log DIR TAGS_PER_RECORD
	new_repo "$1"
	(
		cd "$1"
		mkdir -p $D
		for n in $(seq 1 20); do
			python3 -c "import sys; n, k = int(sys.argv[1]), int(sys.argv[2]); print('---\nstatus: accepted\ndate: 2024-01-01\ntags: [' + ','.join('r%dt%d' % (n, i) for i in range(k)) + ']\n---\n# Record %d\n\nText.\n' % n)" "$n" "$2" >"$(printf '%s/%04d-r.md' $D "$n")"
		done
		git add -A && git commit -qm log
		"$ADR" html -o "$1-site" >/dev/null
	)
}
tagged_log "$TMP/z07" 0
tagged_log "$TMP/a07" 16
tagged_log "$TMP/b07" 64
Z=$(site_bytes "$TMP/z07-site")
A=$(site_bytes "$TMP/a07-site")
B=$(site_bytes "$TMP/b07-site")
# 4x the pairs may cost 4x the bytes (plus a little for longer names), not 16x.
echo "F07: site bytes: Z=$Z A=$A B=$B"
check "F07: bytes grow linearly with the pairs (Z=$Z A=$A B=$B)" test $((10 * (B - Z))) -le $((45 * (A - Z)))
expect_eq "F07: one tag page per distinct tag" 1280 "$(ls "$TMP/b07-site" | grep -c '^tag-')"
check "F07: a tag page lists its record" grep -q '0005-r.html' "$TMP/b07-site/tag-r5t63.html"
# (its own name: title, heading, crumbs' neighbour, and its description and og:description)
check "F07: a tag page does not list every tag of the record" test "$(grep -c 'r5t' "$TMP/b07-site/tag-r5t63.html")" -le 5

# --- F08: control characters never reach the feed or the pages -------------

R=$TMP/r08
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
# (YAML itself refuses control characters in the front matter.)
printf -- '---\nstatus: accepted\ndate: 2024-01-01\n---\n# Body only\n\nBody \033[2J cleared \a bell \x7f del \xc2\x9b csi \xef\xbf\xbe nonchar.\n\n```\ncode \033[31m red\n```\n' >$D/0002-body.md
printf -- '---\nstatus: accepted\ndate: 2024-01-02\n---\n# Evil \033]0;PWNED\007\033[31mRED\033[0m\n\nText.\n' >$D/0003-title.md
git add -A && git commit -qm records
git commit -q --allow-empty -m "$(printf 'Fix \033[31mred\033[0m \xff\xfe bytes\n\nRefs: ADR-0002')" 2>/dev/null
S=$TMP/s08
run_adr html -o "$S" --title "$(printf 'Log \033[1mbold\033[0m')"
if [ "$RC" -eq 0 ]; then
	check "F08: feed.xml is well-formed XML" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$S/feed.xml"
	check "F08: the title's text survives" grep -q 'PWNED' "$S/feed.xml"
else
	# A reader that refuses control characters in titles (F22) must name the record.
	expect_contains "F08: a refused title names its record" "docs/decisions/0003-title.md" "$ERR"
	git rm -q $D/0003-title.md && git commit -qm "drop the title record"
	run_adr html -o "$S" --title "$(printf 'Log \033[1mbold\033[0m')"
	expect_eq "F08: build without the title record" 0 "$RC"
	check "F08: feed.xml is well-formed XML" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$S/feed.xml"
fi
check "F08: the body page was built" grep -q 'cleared' "$S/0002-body.html"
check "F08: the commit subject is shown" grep -q 'bytes' "$S/0002-body.html"
for f in "$S"/*.html "$S"/*.xml "$S"/*.svg; do
	check "F08: no C0 control but tab/LF/CR in $(basename "$f")" \
		test "$(LC_ALL=C tr -d '\t\n\r\040-\176\200-\377' <"$f" | wc -c)" -eq 0
	check "F08: no DEL in $(basename "$f")" test "$(LC_ALL=C tr -dc '\177' <"$f" | wc -c)" -eq 0
	check "F08: no C1 control, noncharacter or bad UTF-8 in $(basename "$f")" \
		python3 -c "import sys, re; t = open(sys.argv[1], 'rb').read().decode('utf-8'); sys.exit(1 if re.search('[\x80-\x9f\ufffe\uffff]', t) else 0)" "$f"
done
check "F08: no raw ESC anywhere in the site" test -z "$(grep -rl $'\033' "$S" || true)"
expect_contains "F08: the feed carries the site title's text" "bold" "$(cat "$S/feed.xml")"

# --- F21: -o through a symlink ----------------------------------------------

R=$TMP/r21
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
mkdir "$TMP/www"
ln -s "$TMP/www" "$TMP/link21"
run_adr html -o "$TMP/link21"
expect_eq "F21: -o through a symlink works" 0 "$RC"
check "F21: the site is where the link points" test -f "$TMP/www/index.html"
check "F21: the link is still a link" test -L "$TMP/link21"
run_adr html -o "$TMP/link21/"
expect_eq "F21: and again, with a trailing slash" 0 "$RC"
check "F21: the link is still a link after a rebuild" test -L "$TMP/link21"
check "F21: the site is still where the link points" test -f "$TMP/www/index.html"
mkdir "$TMP/mine21"
echo keep >"$TMP/mine21/keep.txt"
ln -s "$TMP/mine21" "$TMP/link21b"
run_adr html -o "$TMP/link21b"
expect_eq "F21: a link to a foreign directory is refused" 1 "$RC"
expect_contains "F21: and says why" "not written by adr html" "$ERR"
expect_eq "F21: the foreign directory is untouched" "keep.txt" "$(ls -A "$TMP/mine21")"
ln -s "$TMP/nowhere" "$TMP/link21c"
run_adr html -o "$TMP/link21c"
expect_eq "F21: a dangling link is refused" 1 "$RC"
expect_contains "F21: and says so" "-o '$TMP/link21c' is a symbolic link that leads to no directory" "$ERR"
check "F21: nothing created at the dangling target" test ! -e "$TMP/nowhere"

finish
