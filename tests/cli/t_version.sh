#!/usr/bin/env bash
# adr --version (issue 18): the version, the git commit adr was built from
# (asked of git when CMake configured; "unknown" when the source is not a
# git checkout), and the versions of libgit2, cmark, libyaml and SQLite it
# runs with, as each library reports it at run time.
source "$(dirname "$0")/lib.sh"

run_adr --version # read-only
expect_eq "--version: exit" 0 "$RC"
expect_eq "--version: nothing on stderr" "" "$ERR"
field() { sed -n "s/^$1 //p" <<<"$OUT"; }
expect_contains "--version: the version" "adr version " "$OUT"

# The libraries: the ones on this machine, as pkg-config names them (the
# binary runs with the libraries it was built against here).
if command -v pkg-config >/dev/null; then
	expect_eq "libgit2" "$(pkg-config --modversion libgit2)" "$(field libgit2)"
	expect_eq "cmark" "$(pkg-config --modversion libcmark-gfm)" "$(field cmark)"
	expect_eq "libyaml" "$(pkg-config --modversion yaml-0.1)" "$(field libyaml)"
	expect_eq "sqlite" "$(pkg-config --modversion sqlite3)" "$(field sqlite)"
else
	for lib in libgit2 cmark libyaml sqlite; do
		check "$lib: a version" test -n "$(field "$lib")"
	done
fi

# The commit: what git says of the source tree, when it is a checkout.
commit=$(field commit)
check "--version: a commit line" test -n "$commit"
top=$(git -C "$ADR_SOURCE_DIR" rev-parse --show-toplevel 2>/dev/null || true)
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$ADR_SOURCE_DIR" && pwd -P)" ]; then
	# The build may be older than the last commit (CMake asks again when
	# HEAD moves, on the next build): the commit must be one of this
	# checkout's, named as `git describe` names it.
	id=${commit##*-g}
	check "--version: a commit of this checkout ($commit)" git -C "$ADR_SOURCE_DIR" cat-file -e "$id^{commit}"
else
	expect_eq "--version: not a git checkout" unknown "$commit"
fi

# Not a git checkout: a copy of the source without .git configures with
# "unknown" (configure only: nothing is built).
mkdir -p "$TMP/src"
tar -C "$ADR_SOURCE_DIR" --exclude='./build*' --exclude=./.git --exclude=node_modules -cf - . | tar -x -C "$TMP/src"
set +e
cmake -S "$TMP/src" -B "$TMP/build" -DADR_TESTS=OFF >"$TMP/cmake.out" 2>&1
crc=$?
set -e
expect_eq "configure a copy without .git: exit" 0 "$crc"
[ "$crc" -eq 0 ] || tail -n 20 "$TMP/cmake.out" >&2
check "a copy without .git: the commit is unknown" grep -qF '"unknown"' "$TMP/build/cmd/build_info.c"

finish
