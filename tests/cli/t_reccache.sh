#!/usr/bin/env bash
# The caches of derived data in <git common dir>/adr (git/reccache.h: parsed
# records by blob id; log/links_cache.h: the last links walk) must never
# change an answer: list --json, show (text and JSON), why, queue, toc and
# graph print the same bytes, errors and exit codes with no cache, with a
# cache just written, and with a warm one; after a record is edited,
# renamed or deleted, after a links commit, after the decision branch
# moves back; and with a cache file that is truncated, garbage, of another
# build or repository, or that cannot be written (then it is replaced, or
# left alone). The records include warnings, unreadable front matter, the
# adr-tools format, a symlink and a proposal.
source "$(dirname "$0")/lib.sh"
export ADR_NOW=2026-11-21T10:00:00Z EDITOR=true

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
must_adr init
D=docs/decisions
CACHE=.git/adr/records.cache
LINKS=.git/adr/links.cache
rec() { # rec FILE TEXT
	printf '%b' "$2" >"$D/$1"
	git add "$D/$1"
	git commit -q -m "adr: $1"
}
rec 0002-use-postgres.md '---\nstatus: accepted\ndate: 2026-11-21\ndecision-makers: [Ana, Bo]\ntags: [db]\naffects: ["db/**"]\nlinks: [relates-to 3]\n---\n# Use PostgreSQL\n\nBody.\n'
rec 0003-http-api.md '---\nstatus: accepted\nrevisit: 2026-01-01\naffects: [src/api/]\nsupersedes: [2]\n---\n# An HTTP API\n\nText.\n'
rec 0004-odd-status.md '---\nstatus: pondering\ndate: 2026-13-45\n---\n# Odd status\n'
rec 0005-broken.md '---\nstatus: [unclosed\n---\n# Broken front matter\n'
rec 0006-meeting.md '---\nstatus: accepted\ncleanup-by: 2026-12-01\n---\n# Weekly meeting\r\n\r\nCRLF body.\r\n'
cp "$FORMATS/adr-tools/0002-keep-the-cache-in-sqlite.md" "$D/0007-keep-the-cache-in-sqlite.md"
git add "$D" && git commit -q -m "adr-tools record"
ln -s 0002-use-postgres.md "$D/0008-link.md"
git add "$D" && git commit -q -m "a symlink"
mkdir -p src/api db
echo "x" >src/api/a.c
git add src && git commit -q -m "Add the API" -m "Refs: ADR-0003"
must_adr propose --no-edit "Use Redis"
git checkout -q main

CMDS=("list --json" "list" "show 2" "show --json 2" "show 3" "show 5" "show 7" "why src/api/a.c"
	"why --json db/x" "queue" "queue --json" "toc" "graph")
# outputs MODE: every command's exit code, stdout and stderr; MODE "none"
# removes both caches before each command.
outputs() {
	local c
	for c in "${CMDS[@]}"; do
		[ "$1" = none ] && rm -f "$CACHE" "$LINKS"
		set +e
		# shellcheck disable=SC2086
		"$ADR" $c >"$TMP/o.out" 2>"$TMP/o.err"
		echo "== $c: $?"
		set -e
		cat "$TMP/o.out" "$TMP/o.err"
	done
}
# same WHAT: with the caches the state before this one left (the links
# walk's answer may be carried over to a history that grew: log/links.c),
# no cache, then cold, then warm, all equal
same() {
	local before none cold warm
	before=$(outputs cache)
	none=$(outputs none)
	expect_eq "$1: the caches of the state before = no cache" "$none" "$before"
	rm -f "$CACHE" "$LINKS"
	cold=$(outputs cache)
	check "$1: a cache was written" test -s "$CACHE"
	check "$1: with records" test "$(od -An -tu4 -j12 -N4 "$CACHE" | tr -d ' ')" -gt 0
	warm=$(outputs cache)
	expect_eq "$1: cold cache = no cache" "$none" "$cold"
	expect_eq "$1: warm cache = no cache" "$none" "$warm"
	BASE=$none
}

same "start"
expect_contains "start: the warning is there" "pondering" "$BASE"
expect_contains "start: the unreadable record is reported" "0005-broken.md" "$BASE"
expect_contains "start: the symlink is skipped" "0008-link.md: not a regular file" "$BASE"
expect_contains "start: the adr-tools record" "Keep the cache in SQLite" "$BASE"
expect_contains "start: the linked commit" "Add the API" "$BASE"
expect_contains "start: the proposal" "adr/use-redis" "$BASE"

# edited, renamed, deleted: each answered as without a cache
sed -i 's/Use PostgreSQL/Use PostgreSQL 16/' "$D/0002-use-postgres.md"
git commit -qam "edit 2"
same "edited"
expect_contains "edited: the new title" "Use PostgreSQL 16" "$BASE"
git mv "$D/0003-http-api.md" "$D/0003-web-api.md"
git commit -qm "rename 3"
same "renamed"
expect_contains "renamed: the new path" "0003-web-api.md" "$BASE"
git rm -q "$D/0004-odd-status.md"
git commit -qm "delete 4"
same "deleted"
expect_not_contains "deleted: gone" "Odd status" "$BASE"
echo "y" >db/y.sql
git add db && git commit -q -m "A migration" -m "Refs: ADR-0002"
same "a new links commit"
expect_contains "new links commit: shown" "A migration" "$BASE"
# The links walk's answer carried over (log/links.c: extend_kept) only
# where it still holds: a record added by adr, a commit that touches no
# record, another record given a number a link names, another that takes
# a linked record's slug, and a record deleted without a trailer.
must_adr new --no-edit "Cache the answers"
same "a record added"
expect_contains "record added: the link is still shown" "A migration" "$BASE"
echo "z" >db/z.sql
git add db && git commit -q -m "A plain commit"
same "a plain commit"
printf -- '---\nstatus: accepted\n---\n# Another two\n' >"$D/0002-another-two.md"
git add "$D" && git commit -q -m "another record numbered 2"
same "a number a link names given to another record"
expect_contains "number given again: the number is said to be used twice" "number 0002 is used by 2 records" "$BASE"
git rm -q "$D/0002-another-two.md" && git commit -q -m "take it back"
same "the other record removed"
printf -- '---\nstatus: accepted\n---\n# Web API\n' >"$D/0012-web-api.md"
git add "$D" && git commit -q -m "a record with a linked record's slug"
same "a linked record's slug taken"
git rm -q "$D/0003-web-api.md" && git commit -q -m "drop the API record"
same "a linked record deleted"
expect_contains "linked record deleted: the link moves to the record with its slug" "0012-web-api.md" "$BASE"
git reset -q --hard HEAD~6
same "back before the new record"

# the decision branch moves back to an older commit (its blobs were cached)
git reset -q --hard HEAD~4
same "branch moved back"
expect_contains "moved back: the old title" "4. Odd status" "$BASE"

# a record written back by adr keeps its bytes with a warm cache (its
# front matter entries come from the cache)
must_adr toc
git tag before-link
must_adr toc
must_adr link 2 amends 6
WARM_BLOB=$(git rev-parse "HEAD:$D/0002-use-postgres.md")
git reset -q --hard before-link
rm -f "$CACHE" "$LINKS"
must_adr link 2 amends 6
expect_eq "link: the same record written with a warm cache and with none" \
	"$(git rev-parse "HEAD:$D/0002-use-postgres.md")" "$WARM_BLOB"
check "link from a warm cache: the other entries kept byte for byte" \
	grep -qx 'decision-makers: \[Ana, Bo\]' "$D/0002-use-postgres.md"
check "link: the record has the new link" grep -q '^links: .*amends 6' "$D/0002-use-postgres.md"
same "after link"

# broken cache files: ignored and replaced
# (replaced: first by the listing of the records directory, then, when it
# is read again, with the records too)
broken() { # broken WHAT: the cache file was made bad by the caller
	local out
	out=$(outputs cache)
	expect_eq "$1: same answers" "$BASE" "$out"
	check "$1: replaced" test -s "$CACHE"
	out=$(outputs cache)
	expect_eq "$1: same answers, again" "$BASE" "$out"
	check "$1: replaced by a good one" cmp -s "$CACHE" "$TMP/good.cache"
}
must_adr toc
must_adr toc
cp "$CACHE" "$TMP/good.cache"
cp "$LINKS" "$TMP/good.links"
truncate -s $(($(stat -c %s "$CACHE") / 2)) "$CACHE"
broken "truncated"
head -c "$(stat -c %s "$CACHE")" /dev/urandom >"$CACHE"
broken "garbage"
# one byte of a record's data changed: the checksum tells
python3 - "$CACHE" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) - 10] ^= 0x20
open(p, 'wb').write(bytes(b))
PY
broken "a flipped byte"
# another build: the version field of the header
python3 - "$CACHE" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[48] ^= 0x01
open(p, 'wb').write(bytes(b))
PY
broken "another version"
# links cache: garbage, and one with a flipped byte
head -c 300 /dev/urandom >"$LINKS"
out=$(outputs cache)
expect_eq "links cache garbage: same answers" "$BASE" "$out"
check "links cache garbage: replaced" cmp -s "$LINKS" "$TMP/good.links"

# another repository's cache (a copy of this one at another path): not used
R2=$TMP/repo2
git clone -q "$R" "$R2"
cd "$R2"
git checkout -q -b adr/use-redis origin/adr/use-redis
git checkout -q main
cd "$R"
other_base=$(cd "$R2" && outputs none)
mkdir -p "$R2/.git/adr"
cp "$TMP/good.cache" "$R2/$CACHE"
other=$(cd "$R2" && outputs cache)
expect_eq "another repository's cache: same answers" "$other_base" "$other"
check "another repository's cache: replaced" test -n "$(cmp "$R2/$CACHE" "$TMP/good.cache" || echo differs)"

# a cache that cannot be written: a directory in its place; no error, same answers
rm -f "$CACHE"
mkdir "$CACHE"
out=$(outputs cache)
expect_eq "unwritable cache: same answers" "$BASE" "$out"
expect_eq "unwritable cache: left alone" "" "$(ls -A "$CACHE")"
rmdir "$CACHE"
# a read-only adr directory (meaningless as root, who may write anyway)
if [ "$(id -u)" != 0 ]; then
	rm -f "$CACHE" "$LINKS"
	chmod a-w .git/adr
	out=$(outputs cache)
	chmod u+w .git/adr
	expect_eq "read-only directory: same answers" "$BASE" "$out"
	check "read-only directory: no cache" test ! -e "$CACHE"
fi
# no temporary file is left; one of a writer that was killed is removed
touch "$CACHE.adr-tmp-999999999"
rm -f "$CACHE"
must_adr toc
check "a dead writer's temporary file is removed" test ! -e "$CACHE.adr-tmp-999999999"
expect_eq "no temporary file left" "" "$(ls .git/adr | grep adr-tmp || true)"

check "fsck clean" fsck_clean "$R"

# A warm records cache does not hide a damaged repository: with the tip's
# records directory gone from the object database, the links walk (which
# reads it to attribute references) says so, and nothing is written.
X=$TMP/damaged
new_repo "$X"
cd "$X"
must_adr init
printf '## Decision\n\nWe use X.\n' >"$TMP/x.md"
must_adr new --no-edit --body-file "$TMP/x.md" "Use X"
echo y >a.c && git add a.c && git commit -q -m "Add a.c" -m "Refs: ADR-0002"
must_adr show 2
rm -f .git/adr/links.cache
T=$(git rev-parse "HEAD:$D")
rm -f ".git/objects/${T:0:2}/${T:2}"
snapshot_state
run_adr show 2 # read-only
expect_eq "records tree missing: show fails" 1 "$RC"
expect_contains "records tree missing: the message" "cannot read the records of refs/heads/main: object not found" "$ERR"
expect_unchanged "records tree missing: nothing changed"
finish
