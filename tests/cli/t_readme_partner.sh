#!/usr/bin/env bash
# README's "Working with a partner" is true: its lines, replayed as written
# by two people with two clones of one real remote (a bare repository on
# file:// in place of the code host's URL), leave one log in which the
# published record kept its number, the offline one yielded, and the
# thread of the decided proposal is whole (issue 13).
source "$(dirname "$0")/lib.sh"

README=$ADR_SOURCE_DIR/README.md
REMOTE=$TMP/decisions.git
URL=git@git.example.com:acme/decisions.git
git init -q --bare "$REMOTE"
mkdir -p "$TMP/ana" "$TMP/bo"

# The block between the markers, without its fence lines.
BLOCK=$(sed -n '/<!-- partner:begin -->/,/<!-- partner:end -->/p' "$README" | sed '1,2d' | sed '$d' | sed '$d')
check "README has the partner block" test -n "$BLOCK"
check "the block uses the URL this test replaces" grep -qF "$URL" <<<"$BLOCK"

# "# Ana: ..." and "# Bo: ..." lines say who types what follows; each
# person keeps their own directory and name.
{
	echo 'set -euo pipefail'
	echo 'adr() { "$ADR" "$@"; }'
	echo 'declare -A WHERE=([ana]="$TMP/ana" [bo]="$TMP/bo")'
	echo 'declare -A NAME=([ana]="Ana Lima" [bo]="Bo Berg")'
	echo 'CUR='
	echo 'as() { [ -z "$CUR" ] || WHERE[$CUR]=$PWD; CUR=$1; cd "${WHERE[$1]}";'
	echo '  export GIT_AUTHOR_NAME="${NAME[$1]}" GIT_COMMITTER_NAME="${NAME[$1]}";'
	echo '  export GIT_AUTHOR_EMAIL="$1@example.com" GIT_COMMITTER_EMAIL="$1@example.com"; echo "== $1"; }'
	while IFS= read -r line; do
		case "$line" in
		"# Ana:"*) echo "as ana" ;;
		"# Bo:"*) echo "as bo" ;;
		*) printf '%s\n' "${line//$URL/file://$REMOTE}" ;;
		esac
	done <<<"$BLOCK"
} >"$TMP/replay.sh"

set +e
REPLAY=$(ADR=$ADR TMP=$TMP bash "$TMP/replay.sh" 2>&1)
RC=$?
set -e
expect_eq "the README's lines all succeed" 0 "$RC"
[ "$RC" -eq 0 ] || echo "$REPLAY" >&2

ANA=$TMP/ana/decisions
BO=$TMP/bo/decisions
D=docs/decisions
# The remote's log: four records, each number once, the published 0003 is
# Bo's decision and Ana's offline record became 0004.
FILES=$(git --git-dir="$REMOTE" ls-tree --name-only main "$D/" | sed "s|^$D/||" | grep '\.md$' | sort)
expect_eq "the remote holds four records, numbers unique" "0001-record-decisions-in-git.md
0002-use-postgresql.md
0003-adopt-pnpm.md
0004-keep-secrets-in-vault.md" "$FILES"
expect_eq "numbers are unique" "" "$(grep -oE '^[0-9]{4}' <<<"$FILES" | uniq -d)"
STATUS=$(git --git-dir="$REMOTE" show "main:$D/0003-adopt-pnpm.md" | sed -n 's/^status: //p')
expect_eq "0003 is the accepted proposal" "accepted" "$STATUS"
expect_eq "the decided proposal's branch is gone from the remote" "" \
	"$(git --git-dir="$REMOTE" for-each-ref --format='%(refname)' refs/heads/adr/)"

# Ana's clone after her last sync is the remote's log, with nothing left over.
cd "$ANA"
expect_eq "Ana's main is the remote's" "$(git --git-dir="$REMOTE" rev-parse main)" "$(git rev-parse main)"
expect_eq "Ana's work tree is clean" "" "$(git status --porcelain)"
run_adr list
expect_eq "list: exit" 0 "$RC"
expect_contains "list shows the renumbered record as 0004" "0004" "$(grep -i vault <<<"$OUT")"
expect_contains "list shows the published decision as 0003" "0003" "$(grep -i pnpm <<<"$OUT")"
run_adr show 3 --thread
expect_eq "the decision's thread: exit" 0 "$RC"
expect_contains "Ana's comment is in the decision's thread" "Fine for the monorepo; pin the version." "$OUT"
check "Ana's clone: fsck" fsck_clean "$ANA"

# Bo syncs once more and has the same log.
cd "$BO"
must_adr sync
expect_eq "Bo's main is the remote's" "$(git --git-dir="$REMOTE" rev-parse main)" "$(git rev-parse main)"
expect_eq "Bo's work tree is clean" "" "$(git status --porcelain)"
check "Bo's clone: fsck" fsck_clean "$BO"
check "the remote: fsck" git --git-dir="$REMOTE" fsck --strict --no-dangling
finish
