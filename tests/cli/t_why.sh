#!/usr/bin/env bash
# adr why PATH: the decisions whose affects: globs match the path, and the
# decisions linked to commits that touched it (Refs: trailers, with the
# trailer name from hooks.trailer, and adr's own Adr-Commit links). Paths
# are taken relative to the current directory; absolute paths and paths
# outside the repository are handled. Also adr show's commit list.
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen (the hooks
# ignore adr's status): send them to files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
D=docs/decisions
record() { # record N SLUG TITLE AFFECTS
	printf -- '---\nstatus: accepted\ndate: 2026-11-21\naffects: %s\n---\n# %s\n\nBody.\n' "$4" "$3" >"$D/$1-$2.md"
	git add "$D/$1-$2.md"
	git commit -q -m "adr: $3"
}
record 0002 use-postgres "Use PostgreSQL" '["db/**", "*.sql"]'
record 0003 http-api "An HTTP API" '[src/api/]'
record 0004 c11 "Write C11" '[]'

mkdir -p db/migrations src/api src/core
echo "create table t;" >db/migrations/001.sql
git add db
git commit -q -m "Add the first migration"
echo "int main(void) { return 0; }" >src/core/main.c
git add src
git commit -q -m "Add main" -m "Refs: ADR-0004, #12"
C_MAIN=$(git rev-parse HEAD)
echo "x" >src/core/util.c
git add src
git commit -q -m "Add util" -m "Refs: adr-4 ADR-0003"
C_UTIL=$(git rev-parse HEAD)
echo "notes" >README.md
git add README.md
git commit -q -m "Add a readme" -m "Refs: #99"

run_adr why db/migrations/001.sql
expect_eq "affects: exit status" 0 "$RC"
expect_eq "affects: the record and the glob" "0002  accepted    Use PostgreSQL
      affects db/**
      affects *.sql" "$OUT"

run_adr why src/core/main.c
expect_eq "Refs: the linked record" "0004  accepted    Write C11
      commit  ${C_MAIN:0:12} Add main" "$OUT"

run_adr why src/core/util.c
expect_contains "two records for util.c: 0003" "0003  accepted    An HTTP API" "$OUT"
expect_contains "two records for util.c: 0004" "0004  accepted    Write C11" "$OUT"
expect_contains "two records for util.c: its commit" "commit  ${C_UTIL:0:12} Add util" "$OUT"
expect_not_contains "util.c: not main's commit" "${C_MAIN:0:12}" "$OUT"

run_adr why src/api/server.c
expect_eq "directory glob" "0003  accepted    An HTTP API
      affects src/api/" "$OUT"

run_adr why src
expect_contains "a directory: commits below it" "0004  accepted    Write C11" "$OUT"

run_adr why README.md
expect_eq "nothing governs the readme: exit" 0 "$RC"
expect_eq "nothing governs the readme (Refs: #99 is not a record)" "" "$OUT"
expect_eq "nothing: still exit 0" 0 "$RC"

# From a subdirectory, relative and absolute.
cd src/core
run_adr why main.c
expect_contains "relative to the current directory" "0004  accepted    Write C11" "$OUT"
run_adr why ../../db/migrations/001.sql
expect_contains "dot-dot" "0002  accepted    Use PostgreSQL" "$OUT"
run_adr why "$R/db/migrations/001.sql"
expect_contains "absolute" "0002  accepted    Use PostgreSQL" "$OUT"
run_adr why ../../.. # read-only
expect_eq "outside the repository: exit 1" 1 "$RC"
expect_contains "outside: says so" "outside the repository" "$ERR"
run_adr why /etc/passwd # read-only
expect_eq "absolute outside: exit 1" 1 "$RC"
expect_contains "absolute outside: exit 1: says why" "adr: '/etc/passwd' is outside the repository" "$ERR"
run_adr why ../.. # read-only
expect_eq "the top itself: exit 1" 1 "$RC"
expect_contains "the top itself: exit 1: says why" "adr: '../..' is the top of the repository; name a path inside it" "$ERR"
cd "$R"

run_adr why src/core/main.c --json
expect_eq "json: exit status" 0 "$RC"
expect_json "json: the record" '[r["number"] for r in d]' '[4]'
expect_json "json: the commit that links it" '[[c["id"], c["subject"], c["author"]] for c in d[0]["commits"]]' \
	"[[\"$C_MAIN\",\"Add main\",\"Ana Lima <ana@example.com>\"]]"
run_adr why README.md --json
expect_eq "json: empty list" "[]" "$OUT"
run_adr why # read-only
expect_eq "no path: usage error" 2 "$RC"
expect_contains "no path: usage error: says why" "adr: expected one path" "$ERR"

# adr show lists the commits that implement a record, text and JSON.
run_adr show 4
expect_contains "show: first commit" "implemented-by:  ${C_UTIL:0:12} Add util (Ana Lima <ana@example.com>," "$OUT"
expect_contains "show: second commit" "${C_MAIN:0:12} Add main" "$OUT"
run_adr show 4 --json
expect_json "show --json: the commit of main, by its trailer" '[c["via"] for c in d["commits"] if c["id"] == "'"$C_MAIN"'"]' '["trailer"]'
run_adr show 2 --json
expect_json "show --json: an empty list" 'd["commits"]' '[]'

git clone -q --bare "$R" "$TMP/bare.git"
run_adr -C "$TMP/bare.git" why src/core/main.c # read-only
expect_eq "bare repository: exit 1" 1 "$RC"
expect_contains "bare repository: says so" "bare repository" "$ERR"

# The trailer name comes from .adr.yaml.
printf 'hooks:\n  trailer: Implements\n' >>.adr.yaml
git commit -q -am "link with Implements:"
echo "y" >src/core/other.c
git add src
git commit -q -m "Add other" -m "Implements: ADR-0002"
run_adr why src/core/other.c
expect_contains "hooks.trailer: linked" "0002  accepted    Use PostgreSQL" "$OUT"
run_adr why src/core/main.c
expect_eq "hooks.trailer: Refs no longer links: exit" 0 "$RC"
expect_eq "hooks.trailer: Refs no longer links" "" "$OUT"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
