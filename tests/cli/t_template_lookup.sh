#!/usr/bin/env bash
# Where adr finds its templates (issue 11: "template lookup prefers an
# installed copy over the source tree, so tests on a machine with adr
# installed test the wrong templates").
#  - a binary in its build tree uses its source tree's templates, even when
#    another adr's templates are installed under the configured prefix;
#  - an installed binary (<prefix>/bin/adr) uses <prefix>/share/adr/templates;
#  - ADR_TEMPLATES_DIR wins over both.
source "$(dirname "$0")/lib.sh"

BUILD=$(cd "$(dirname "$ADR")" && pwd)
cd "$TMP"
git init -q repo
cd repo
"$ADR" init >/dev/null

decoy() { # DIR: a templates directory whose default record says DECOY
	mkdir -p "$1/html"
	printf -- '---\nstatus: accepted\ndate: {{date}}\n---\n# Title\n\nDECOY %s\n' "$1" >"$1/default.md"
}

# 1. The installed layout next to a copy of the binary is used by that copy.
mkdir -p "$TMP/prefix/bin"
cp "$ADR" "$TMP/prefix/bin/adr"
decoy "$TMP/prefix/share/adr/templates"
run_adr_at() { local bin=$1; shift; set +e; OUT=$("$bin" "$@" 2>"$TMP/stderr"); RC=$?; set -e; ERR=$(cat "$TMP/stderr"); }
run_adr_at "$TMP/prefix/bin/adr" new --no-edit "Installed copy"
expect_eq "installed copy: exit" 0 "$RC"
check "installed copy: uses <prefix>/share/adr/templates" grep -q "DECOY $TMP/prefix/share/adr/templates" "$OUT"

# 2. The build-tree binary uses the source tree's templates, not the ones
#    installed under the configured prefix. Planting a decoy there needs root
#    (CI runs as root); it is removed again, and only made when nothing is
#    installed there already.
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
datadir=${prefix:-/usr/local}/share/adr
planted=
if [ ! -e "$datadir" ] && mkdir -p "$datadir" 2>/dev/null; then
	planted=$datadir
	trap 'rm -rf "$planted"; cleanup_tmp' EXIT
	decoy "$datadir/templates"
fi
if [ -e "$datadir/templates" ]; then
	run_adr new --no-edit "Build tree"
	expect_eq "build tree: exit" 0 "$RC"
	body=$(cat "$OUT")
	expect_not_contains "build tree: not the installed templates" DECOY "$body"
	expect_contains "build tree: the source tree's default template" "## Context" "$body"
	[ -n "$planted" ] && rm -rf "$planted" && planted=
else
	echo "SKIP: cannot plant templates in $datadir (not root): the build-tree-first rule is not checked"
	SKIPPED=$((SKIPPED + 1))
	[ "${CI:-}" = true ] && fail "CI runs as root and must check the build-tree-first rule"
fi

# 3. ADR_TEMPLATES_DIR wins over the installed layout.
decoy "$TMP/envtpl"
ADR_TEMPLATES_DIR=$TMP/envtpl run_adr_at "$TMP/prefix/bin/adr" new --no-edit "From env"
expect_eq "env: exit" 0 "$RC"
check "env: ADR_TEMPLATES_DIR wins" grep -q "DECOY $TMP/envtpl" "$OUT"

check "git fsck" fsck_clean .
check "work tree clean" status_clean .
finish
