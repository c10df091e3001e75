#!/usr/bin/env bash
# adr import's error paths that real inputs reach: too many records (in a
# committed tree and in a directory on disk), a record over the size limit
# (committed and on disk), and committed records, directories and trees
# missing from the object database (made with git mktree --missing and
# hash-object --literally). Each failure names the cause and changes
# nothing: the branch, the work tree and the index stay as they were.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m start
START=$(git rev-parse HEAD)
MISSING=0123456789012345678901234567890123456789

# commit_tree TREE: makes TREE the tip of main (a child of START), checked
# out when it can be; adr/ exists on disk either way (--from names it).
commit_tree() {
	local c
	c=$(git commit-tree -p "$START" -m "records" "$1")
	git update-ref refs/heads/main "$c"
	git reset -q --hard 2>/dev/null || { git read-tree --empty && git clean -qfdx; }
	mkdir -p adr
}

# import_fails WHAT MESSAGE [ARGS...]: adr import fails with exit 1 and
# exactly MESSAGE, and nothing moves.
import_fails() {
	local what=$1 msg=$2 head
	shift 2
	head=$(git rev-parse HEAD)
	run_adr import "$@"
	expect_eq "$what: exit" 1 "$RC"
	expect_eq "$what: message" "$msg" "$ERR"
	expect_eq "$what: branch" "$head" "$(git rev-parse HEAD)"
	expect_eq "$what: work tree and index" "" "$(git status --porcelain)"
	expect_eq "$what: no .adr.yaml" "" "$(git ls-files .adr.yaml)"
}

# A tree of N records named 0001-r.md... (one shared blob), in mktree's input.
records_tree() {
	python3 -c 'import sys
for i in range(1, int(sys.argv[1]) + 1):
    print("100644 blob %s\t%04d-r.md" % (sys.argv[2], i))' "$1" "$2" | git mktree
}

BLOB=$(printf -- '---\nstatus: accepted\n---\n# A record\n' | git hash-object -w --stdin)

# More than 10000 committed records, in two subdirectories of 5001 each.
A=$(records_tree 5001 "$BLOB")
DIR=$(printf '040000 tree %s\ta\n040000 tree %s\tb\n' "$A" "$A" | git mktree)
commit_tree "$(printf '040000 tree %s\tadr\n' "$DIR" | git mktree)"
import_fails "10002 committed records" "adr: more than 10000 records to import" --from adr

# A committed record over 256 KiB.
BIG=$(head -c 262145 /dev/zero | tr '\0' 'a' | git hash-object -w --stdin)
commit_tree "$(printf '040000 tree %s\tadr\n' "$(printf '100644 blob %s\t0001-big.md\n' "$BIG" | git mktree)" | git mktree)"
import_fails "big committed record" "adr: adr/0001-big.md: larger than 262144 bytes" --from adr

# A committed record whose blob is missing.
commit_tree "$(printf '040000 tree %s\tadr\n' "$(printf '100644 blob %s\t0001-gone.md\n' $MISSING | git mktree --missing)" | git mktree)"
run_adr import --from adr
expect_eq "missing blob: exit" 1 "$RC"
expect_contains "missing blob: message" "adr: adr/0001-gone.md: object is missing or corrupt: " "$ERR"
expect_eq "missing blob: branch" "$(git rev-parse main)" "$(git rev-parse HEAD)"
expect_eq "missing blob: no .adr.yaml" "" "$(git ls-files .adr.yaml)"

# The records directory's own tree is missing.
commit_tree "$(printf '040000 tree %s\tadr\n' $MISSING | git mktree --missing)"
HEAD1=$(git rev-parse HEAD)
run_adr import --from adr
expect_eq "missing directory tree: exit" 1 "$RC"
expect_contains "missing directory tree: message" "adr: 'adr' is missing or corrupt: " "$ERR"
expect_eq "missing directory tree: branch" "$HEAD1" "$(git rev-parse HEAD)"

# A subdirectory's tree is missing: the walk stops.
SUB=$(printf '040000 tree %s\tolder\n100644 blob %s\t0001-r.md\n' $MISSING "$BLOB" | git mktree --missing)
commit_tree "$(printf '040000 tree %s\tadr\n' "$SUB" | git mktree)"
HEAD1=$(git rev-parse HEAD)
run_adr import --from adr
expect_eq "missing subdirectory tree: exit" 1 "$RC"
expect_contains "missing subdirectory tree: message" "adr: cannot walk 'adr': " "$ERR"
expect_eq "missing subdirectory tree: branch" "$HEAD1" "$(git rev-parse HEAD)"

# The tip's own tree is missing.
C=$(printf 'tree %s\nparent %s\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nbroken\n' $MISSING "$START" |
	git hash-object -t commit -w --stdin --literally)
git update-ref refs/heads/main "$C"
mkdir -p adr
run_adr import --from adr
expect_eq "missing root tree: exit" 1 "$RC"
expect_contains "missing root tree: message" "adr: cannot read the tree of refs/heads/main: " "$ERR"
expect_eq "missing root tree: branch" "$C" "$(git rev-parse HEAD)"

# Back to a sane tip for the imports from disk.
git update-ref refs/heads/main "$START"
git read-tree --empty
git clean -qfdx

# A directory on disk with more than 10000 entries.
mkdir "$TMP/many"
python3 -c 'import sys
for i in range(10001):
    open("%s/%05d-r.md" % (sys.argv[1], i), "w").close()' "$TMP/many"
import_fails "10001 entries on disk" "adr: '$TMP/many' has more than 10000 entries" --from "$TMP/many"

# A record on disk over 256 KiB.
mkdir "$TMP/big"
head -c 262145 /dev/zero | tr '\0' 'a' >"$TMP/big/0001-big.md"
import_fails "big record on disk" "adr: $TMP/big/0001-big.md: larger than 262144 bytes" --from "$TMP/big"

expect_eq "main is where it started" "$START" "$(git rev-parse main)"
finish
