#!/usr/bin/env bash
# Proposals merged into the decision branch by plain git: where each came in
# is found by walking the branch's first parents back to its merge, on every
# queue, thread and html. The walk's answer is kept in .git/adr/first-parents
# (lib/log/fpcache.c), so that the next command walks only the commits made
# since. Whatever that file holds (nothing, the answer of an older tip,
# garbage, a damaged line, the answer for a history that was rewritten, or
# for a record removed and added again since), queue, thread and html say
# what they say without it.
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-12-01T10:00:00Z
R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
must_adr new --no-edit "First decision"
# A proposal with a discussion, merged by plain git, its branch then deleted:
# it is found as a file on main.
must_adr propose --no-edit "Use Redis"
must_adr comment use-redis -m "Memory is cheap" --approve
must_adr comment use-redis -m "What about persistence?"
git merge -q --no-ff -m "merge the redis proposal by hand" adr/use-redis
git branch -q -D adr/use-redis
# One committed on main by hand, with no branch ever.
printf -- '---\nstatus: proposed\n---\n# Use Kafka\n\nBy hand.\n' >docs/decisions/use-kafka.md
git add docs/decisions/use-kafka.md
git commit -q -m "a proposal committed by hand"
for i in 1 2 3; do
	must_adr new --no-edit "Later decision $i"
done

CACHE=.git/adr/first-parents
# views: what the walks decide, as users see it.
views() {
	local v
	for v in "queue" "thread use-redis" "thread use-kafka" "thread --json use-redis"; do
		# shellcheck disable=SC2086
		run_adr $v
		printf '== %s (exit %s)\n%s\n%s\n' "$v" "$RC" "$OUT" "$ERR"
	done
}
# same_without WHAT: the views with the file as it is now, then with no
# file, which must be the same; then the file as the first views left it.
same_without() {
	local what=$1 with saved=$TMP/cache.saved
	with=$(views)
	cp "$CACHE" "$saved" 2>/dev/null || rm -f "$saved"
	rm -f "$CACHE"
	expect_eq "$what: the same as with no kept walks" "$(views)" "$with"
	if [ -f "$saved" ]; then cp "$saved" "$CACHE"; fi
}

rm -f "$CACHE"
FIRST=$(views)
expect_contains "the merged proposal is listed" "adr/use-redis (merged, not yet decided)" "$FIRST"
expect_contains "with its discussion" "2 comments, 0 revisions, 1 approve" "$FIRST"
expect_contains "the one committed by hand too" "adr/use-kafka (merged, not yet decided)" "$FIRST"
expect_contains "its thread" "What about persistence?" "$FIRST"
check "the walks are kept" test -f "$CACHE"
expect_eq "one line per walk: the merge (redis), the start of redis, kafka" 3 "$(grep -c ' docs/decisions/use-' "$CACHE")"
expect_eq "kept walks: the same views" "$FIRST" "$(views)"
HEAD_THEN=$(git rev-parse HEAD)
check "kept from the tip" grep -q "^$HEAD_THEN " "$CACHE"

# Newer commits: the kept answer is taken where the walk reaches its start.
must_adr new --no-edit "Later decision 4"
must_adr new --no-edit "Later decision 5"
same_without "two commits later"
check "kept again from the new tip" grep -q "^$(git rev-parse HEAD) " "$CACHE"

# Damaged: garbage, a line cut short, a changed answer (its checksum no
# longer holds: trusted, it would hide the redis discussion).
printf 'not the header\n%s\n' "$(head -c 300 /dev/urandom | base64 -w0)" >"$CACHE"
same_without "garbage"
views >/dev/null
head -c 150 "$CACHE" >"$CACHE.cut" && mv "$CACHE.cut" "$CACHE"
same_without "a line cut short"
views >/dev/null
expect_eq "the merge's line is there to change" 1 "$(grep -c ' 1 [0-9a-f]* [0-9a-f]* adr/use-redis ' "$CACHE")"
perl -i -pe 's/^([0-9a-f]{40}) 1 [0-9a-f]{40}( [0-9a-f]{16} adr\/use-redis )/$1 0 0000000000000000000000000000000000000000$2/' "$CACHE"
expect_eq "changed" 1 "$(grep -c ' 0 0* [0-9a-f]* adr/use-redis ' "$CACHE")"
same_without "a changed answer"

# A record removed and added again after the kept walk's start: a new
# walk stops at the removal before it reaches the kept start.
views >/dev/null
git rm -q docs/decisions/use-redis.md
git commit -q -m "redis proposal removed"
git checkout -q HEAD~1 -- docs/decisions/use-redis.md
git commit -q -m "redis proposal back"
same_without "removed and added again"
expect_not_contains "removed and added again: the discussion before is not its thread now" \
	"2 comments, 0 revisions, 1 approve" "$(views)"

# History rewritten: the kept start is no longer on the branch.
views >/dev/null
git reset -q --hard HEAD~4
must_adr new --no-edit "Another line of history"
same_without "history rewritten"

# The site: the same pages with the kept walks as without.
views >/dev/null
must_adr html -o "$TMP/site-kept"
rm -f "$CACHE"
must_adr html -o "$TMP/site-none"
check "html: the same site with kept walks as without" diff -r "$TMP/site-kept" "$TMP/site-none"
check "fsck" fsck_clean "$R"
check "git status clean" status_clean "$R"
finish
