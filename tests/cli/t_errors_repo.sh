#!/usr/bin/env bash
# Error sites of lib/git/repo.c that real inputs reach (issue 11, error-path
# coverage): no repository, a git config git cannot parse either, a
# visibility that is not a word, templates that cannot be read, a revision
# that is no commit, and repositories with missing or corrupt objects (made
# with git hash-object, mktree, commit-tree and update-ref, then a loose
# object removed or overwritten). Each case checks the message and that
# nothing changed.
source "$(dirname "$0")/lib.sh"

# libgit2 1.5 leaks a reference in git_revparse_single() when the ref names
# a missing object (repo.c opens the decision branch that way): those runs
# only are made without LeakSanitizer in a sanitizer build.
run_adr_git_leak() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" run_adr "$@"; }

D=docs/decisions
snap() { printf '%s\n%s\n' "$(git for-each-ref --format='%(refname) %(objectname)')" "$(git status --porcelain)"; }
obj() { echo ".git/objects/${1:0:2}/${1:2}"; }

# --- no repository ---------------------------------------------------------
mkdir -p "$TMP/nowhere"
cd "$TMP/nowhere"
GIT_CEILING_DIRECTORIES=$TMP run_adr list
expect_eq "no repository: exit" 1 "$RC"
expect_eq "no repository: message" "adr: not a git repository (or any parent up to /): ." "$ERR"
check "no repository: nothing created" test -z "$(ls -A "$TMP/nowhere")"

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"

# --- a git config that cannot be parsed --------------------------------------
cp .git/config "$TMP/config"
printf '[core\n' >>.git/config
cp .git/config "$TMP/config.bad"
run_adr list
expect_eq "bad git config: exit" 1 "$RC"
expect_contains "bad git config: message" \
	"adr: cannot open the repository at '.': failed to parse config file: missing ']' in section header" "$ERR"
check "bad git config: left as it was" cmp -s .git/config "$TMP/config.bad"
GIT_DIR=$R/.git run_adr list
expect_eq "bad git config via GIT_DIR: exit" 1 "$RC"
expect_contains "bad git config via GIT_DIR: message" \
	"adr: cannot open the repository at '$R/.git': failed to parse config file: missing ']' in section header" "$ERR"
cp "$TMP/config" .git/config

# --- a default visibility that is a list ----------------------------------
printf 'visibility: [public, internal]\n' >>.adr.yaml
git commit -qam "visibility as a list"
BEFORE=$(snap)
run_adr list # read-only
expect_eq "visibility list: exit" 1 "$RC"
expect_eq "visibility list: message" \
	"adr: .adr.yaml:4:13: key 'visibility': expected one of public, partner, internal, not a list" "$ERR"
run_adr new --no-edit Use Foo
expect_eq "visibility list: new refused" 1 "$RC"
expect_contains "visibility list: new says why" "key 'visibility': expected one of public, partner, internal, not a list" "$ERR"
expect_eq "visibility list: nothing written" "$BEFORE" "$(snap)"
git reset -q --hard HEAD~1
printf 'visibility: {who: public}\n' >>.adr.yaml
git commit -qam "visibility as a mapping"
BEFORE=$(snap)
run_adr list
expect_eq "visibility mapping: exit" 1 "$RC"
expect_eq "visibility mapping: message" \
	"adr: .adr.yaml:4:13: key 'visibility': expected one of public, partner, internal, not a mapping" "$ERR"
expect_eq "visibility mapping: nothing written" "$BEFORE" "$(snap)"
git reset -q --hard HEAD~1

# --- templates that cannot be read ----------------------------------------
T=$TMP/templates
mkdir -p "$T/dir.md"
ln -s loop.md "$T/loop.md"
head -c 300000 /dev/zero | tr '\0' a >"$T/big.md"
BEFORE=$(snap)
ADR_TEMPLATES_DIR=$T run_adr new --no-edit --template loop Use Foo
expect_eq "template symlink loop: exit" 1 "$RC"
expect_eq "template symlink loop: message" "adr: cannot read '$T/loop.md': Too many levels of symbolic links" "$ERR"
expect_eq "template symlink loop: nothing written" "$BEFORE" "$(snap)"
ADR_TEMPLATES_DIR=$T run_adr new --no-edit --template dir Use Foo
expect_eq "template directory: exit" 1 "$RC"
expect_eq "template directory: message" "adr: cannot read '$T/dir.md': Is a directory" "$ERR"
expect_eq "template directory: nothing written" "$BEFORE" "$(snap)"
ADR_TEMPLATES_DIR=$T run_adr new --no-edit --template big Use Foo
expect_eq "template too large: exit" 1 "$RC"
expect_eq "template too large: message" "adr: $T/big.md: template is larger than 262144 bytes" "$ERR"
expect_eq "templates: nothing written" "$BEFORE" "$(snap)"

# --- a revision that is not a commit -----------------------------------------
TREE=$(git rev-parse 'HEAD^{tree}')
run_adr list --at 'HEAD^{tree}' # read-only
expect_eq "--at a tree: exit" 1 "$RC"
expect_contains "--at a tree: message" "adr: 'HEAD^{tree}' is not a commit: the git_object of id '$TREE'" "$ERR"
expect_eq "--at a tree: no output" "" "$OUT"

# --- an unborn branch ---------------------------------------------------------
U=$TMP/unborn
new_repo "$U"
(
	cd "$U"
	EDITOR=true run_adr edit 1
	expect_eq "edit on an unborn branch: exit" 1 "$RC"
	expect_eq "edit on an unborn branch: message" "adr: record 0001 does not exist on refs/heads/main" "$ERR"
	check "edit on an unborn branch: still unborn" test -z "$(git for-each-ref)"
	finish >/dev/null
) || fail "unborn branch checks (see above)"

# --- missing and corrupt objects on the decision branch ----------------------
run_adr new --no-edit Use Foo
expect_eq "new Use Foo" 0 "$RC"
DT=$(git rev-parse HEAD:$D)
BL=$(git rev-parse HEAD:$D/0002-use-foo.md)
RT=$(git rev-parse 'HEAD^{tree}')
BEFORE=$(snap)
# The record's blob is garbage.
cp "$(obj "$BL")" "$TMP/blob"
chmod u+w "$(obj "$BL")"
printf garbage >"$(obj "$BL")"
EDITOR=true run_adr edit 2
expect_eq "corrupt record blob: exit" 1 "$RC"
expect_eq "corrupt record blob: message" \
	"adr: object $BL for '$D/0002-use-foo.md' is missing or corrupt: failed to inflate loose object" "$ERR"
expect_eq "corrupt record blob: nothing written" "$BEFORE" "$(snap)"
cp "$TMP/blob" "$(obj "$BL")"
# The records directory's tree is garbage, then missing.
cp "$(obj "$DT")" "$TMP/dirtree"
chmod u+w "$(obj "$DT")"
printf garbage >"$(obj "$DT")"
EDITOR=true run_adr edit 2
expect_eq "corrupt records tree, edit: exit" 1 "$RC"
expect_eq "corrupt records tree, edit: message" \
	"adr: records directory '$D' is missing or corrupt: failed to inflate loose object" "$ERR"
expect_eq "corrupt records tree, edit: nothing written" "$BEFORE" "$(snap)"
rm -f "$(obj "$DT")"
run_adr list # read-only
expect_eq "missing records tree, list: exit" 1 "$RC"
expect_eq "missing records tree, list: message" \
	"adr: records directory '$D' is missing or corrupt: object not found - no match for id ($DT)" "$ERR"
cp "$TMP/dirtree" "$(obj "$DT")"
# The root tree is missing.
mv "$(obj "$RT")" "$TMP/roottree"
run_adr list
expect_eq "missing root tree, list: exit" 1 "$RC"
expect_eq "missing root tree, list: message" \
	"adr: cannot read the tree of $(git rev-parse HEAD): object not found - no match for id ($RT)" "$ERR"
EDITOR=true run_adr edit 2
expect_eq "missing root tree, edit: exit" 1 "$RC"
expect_eq "missing root tree, edit: message" \
	"adr: cannot read the tree of 'refs/heads/main': object not found - no match for id ($RT)" "$ERR"
mv "$TMP/roottree" "$(obj "$RT")"
expect_eq "corrupt objects: nothing written" "$BEFORE" "$(snap)"
check "objects restored: fsck" fsck_clean "$R"

# --- proposals with missing or corrupt trees (built with plumbing) -----------
# mkprop SLUG: a branch adr/SLUG whose tip holds only $D/SLUG.md, with trees
# of its own (so that damaging them touches nothing else).
mkprop() {
	local b dt docs root c
	b=$(printf -- '---\nstatus: proposed\nreview-by: 2027-01-01\n---\n# %s\n' "$1" | git hash-object -w --stdin)
	dt=$(printf '100644 blob %s\t%s.md\n' "$b" "$1" | git mktree)
	docs=$(printf '040000 tree %s\tdecisions\n' "$dt" | git mktree)
	root=$(printf '040000 tree %s\tdocs\n' "$docs" | git mktree)
	c=$(git commit-tree "$root" -p HEAD -m "adr: propose $1")
	git update-ref "refs/heads/adr/$1" "$c"
	echo "$docs $root"
}
read -r _ ROOT1 <<<"$(mkprop t-one)"
read -r DOCS2 _ <<<"$(mkprop t-two)"
printf -- '---\nstatus: proposed\nreview-by: 2027-01-01\n---\n# New text\n' >"$TMP/new.md"
BEFORE=$(snap)
rm -f "$(obj "$ROOT1")"
run_adr revise t-one --file "$TMP/new.md"
expect_eq "proposal without its root tree: exit" 1 "$RC"
expect_eq "proposal without its root tree: message" \
	"adr: cannot read the tree of '$(git rev-parse adr/t-one)': object not found - no match for id ($ROOT1)" "$ERR"
chmod u+w "$(obj "$DOCS2")"
printf garbage >"$(obj "$DOCS2")"
run_adr revise t-two --file "$TMP/new.md"
expect_eq "proposal with a corrupt tree: exit" 1 "$RC"
expect_eq "proposal with a corrupt tree: message" \
	"adr: cannot look up '$D/t-two.md': failed to inflate loose object" "$ERR"
expect_eq "damaged proposals: nothing written" "$BEFORE" "$(snap)"
# --- the tree above the records directory is garbage ----------------------------
DOCS=$(git rev-parse HEAD:docs)
cp "$(obj "$DOCS")" "$TMP/docs-tree"
chmod u+w "$(obj "$DOCS")"
printf garbage >"$(obj "$DOCS")"
BEFORE=$(snap)
run_adr list
expect_eq "corrupt docs tree, list: exit" 1 "$RC"
expect_eq "corrupt docs tree, list: message" "adr: cannot look up '$D': failed to inflate loose object" "$ERR"
expect_eq "corrupt docs tree: nothing written" "$BEFORE" "$(snap)"
cp "$TMP/docs-tree" "$(obj "$DOCS")"

# --- the decision branch names a commit that is not there ---------------------
# Read commands used to take it for an unborn branch: an empty log, exit 0.
TIP=$(git rev-parse main)
echo 0123456789012345678901234567890123456789 >.git/refs/heads/main
run_adr_git_leak list
expect_eq "branch tip missing, list: exit" 1 "$RC"
expect_eq "branch tip missing, list: message" \
	"adr: the tip of 'refs/heads/main' is missing or corrupt: object not found - no match for id (0123456789012345678901234567890123456789)" "$ERR"
expect_eq "branch tip missing, list: no output" "" "$OUT"
run_adr_git_leak thread 5
expect_eq "branch tip missing, thread: exit" 1 "$RC"
expect_eq "branch tip missing, thread: message" \
	"adr: the decision branch tip is missing: object not found - no match for id (0123456789012345678901234567890123456789)" "$ERR"
expect_eq "branch tip missing: the ref is left alone" "0123456789012345678901234567890123456789" "$(cat .git/refs/heads/main)"
echo "$TIP" >.git/refs/heads/main
check "status clean" status_clean "$R"
finish
