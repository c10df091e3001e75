#!/usr/bin/env bash
# adr index's error paths that real inputs reach: a committed record whose
# blob is missing from the object database, and a directory in the way of
# the index file. Each failure names the cause; the repository is left as
# it was and no half-built index file stays behind.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
run_adr new "Use PostgreSQL"
expect_eq "new" 0 "$RC"
HEAD0=$(git rev-parse HEAD)

# A directory (with a file in it) where the index file goes: the new index
# is built beside it and cannot be renamed over it.
mkdir -p .git/adr/index.db
echo keep >.git/adr/index.db/keep
run_adr index
expect_eq "index.db a directory: exit" 1 "$RC"
expect_eq "index.db a directory: message" \
	"adr: index: cannot rename '$R/.git/adr/index.db.tmp.PID' to '$R/.git/adr/index.db': Is a directory" \
	"$(sed -E 's/index\.db\.tmp\.[0-9]+/index.db.tmp.PID/' <<<"$ERR")"
expect_eq "index.db a directory: its file kept" keep "$(cat .git/adr/index.db/keep)"
# (max-numbers: the highest record number `adr new` kept, git/maxnum.h)
expect_eq "index.db a directory: nothing else left" "index.db" "$(ls -A .git/adr | grep -vx max-numbers)"
expect_eq "index.db a directory: branch" "$HEAD0" "$(git rev-parse HEAD)"
check "index.db a directory: status clean" status_clean "$R"
rm -r .git/adr

# A record whose blob is missing (git mktree --missing), committed on top.
MISSING=0123456789012345678901234567890123456789
D=$(git rev-parse HEAD:docs/decisions)
ND=$({
	git ls-tree "$D"
	printf '100644 blob %s\t0002-gone.md\n' $MISSING
} | git mktree --missing)
NDOCS=$(printf '040000 tree %s\tdecisions\n' "$ND" | git mktree)
NT=$({
	git ls-tree HEAD | grep -v "	docs$"
	printf '040000 tree %s\tdocs\n' "$NDOCS"
} | git mktree)
C=$(git commit-tree -p HEAD -m "broken record" "$NT")
git update-ref refs/heads/main "$C"
run_adr index
expect_eq "missing blob: exit" 1 "$RC"
expect_contains "missing blob: message" "adr: cannot read 'docs/decisions/0002-gone.md': " "$ERR"
expect_contains "missing blob: libgit2's reason" "$MISSING" "$ERR"
expect_eq "missing blob: no index file left" "" "$(ls -A .git/adr 2>/dev/null)"
expect_eq "missing blob: branch" "$C" "$(git rev-parse HEAD)"

finish
