#!/usr/bin/env bash
# References survive renumbering (adr/links.h): two clones of one remote
# each record a decision 0004 offline and commit code that names it
# (`Refs: ADR-0004`, and a link made by adr's post-commit hook on a
# terminal, which writes `Adr-Record:` + `Adr-Commit:`);
# after a plain `git pull` merges both and `adr renumber` moves one of
# them, every commit is still attributed to the record it meant where it
# was made: adr why, adr show (text and JSON), adr list/search after
# adr index, and the pages of adr html. References that no record can
# claim (ambiguous, gone) are never attached to another record: they are
# warned about.
source "$(dirname "$0")/lib.sh"

# The post-commit hook asks on the terminal: `script` gives it one (a pty
# whose input is what we pipe in).
command -v script >/dev/null || { echo "script (util-linux) is required" >&2; exit 1; }

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"
export ADR_NOW=2026-11-21
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
D=docs/decisions
T0=1795000000
at() { # at HOURS: every later commit is dated T0 + HOURS hours
	GIT_AUTHOR_DATE="@$((T0 + $1 * 3600)) +0000"
	GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
}
code() { # code FILE SUBJECT [TRAILER]: a code commit that writes FILE
	mkdir -p "$(dirname "$1")"
	echo "$2" >>"$1"
	git add "$1"
	if [ -n "${3:-}" ]; then git commit -q -m "$2" -m "$3"; else git commit -q -m "$2"; fi
	git rev-parse HEAD
}

# The shared log: 0001 (made by init) to 0003, on a bare remote.
at 0
git init -q --bare "$TMP/origin.git"
new_repo "$TMP/seed"
cd "$TMP/seed"
must_adr init
for t in Two Three; do must_adr new --no-edit "Decision $t"; done
printf 'hooks:\n  watch: [package.json]\n' >>.adr.yaml
git commit -q -am "watch package.json"
git remote add origin "$TMP/origin.git"
git push -q origin HEAD:main
git clone -q "$TMP/origin.git" "$TMP/a"
git clone -q "$TMP/origin.git" "$TMP/b"

# Clone A records "Use webhooks" as 0004 and implements it; pushed first.
cd "$TMP/a"
at 1
must_adr new --no-edit "Use webhooks"
check "A: 0004 is webhooks" test -f "$D/0004-use-webhooks.md"
C_HOOK=$(code src/hook.c "Add the webhook handler" "Refs: ADR-0004")
git push -q origin main

# Clone B, offline, records "Use pnpm" as 0004 too: a Refs: trailer, and
# a commit to a watched path that the post-commit hook links to 0004 (the
# answers "l" and "4" typed on its terminal).
cd "$TMP/b"
at 2
must_adr hooks install
must_adr new --no-edit "Use pnpm"
check "B: 0004 is pnpm" test -f "$D/0004-use-pnpm.md"
C_BUILD=$(code src/build.sh "Build with pnpm" "Refs: ADR-0004")
echo '{}' >package.json
git add package.json
printf 'l\n4\n' | timeout 60 script -qec "git commit -q -m 'Add the lock file'" /dev/null >"$TMP/hook.out" 2>&1 || true
C_PKG=$(git rev-parse HEAD^)
expect_eq "hook: linked on the decision branch" "Adr-Action: link-commit
Adr-Record: 0004
Adr-Commit: $C_PKG" "$(git log -1 --format='%(trailers:only)' | sed '/^$/d')"
expect_eq "hook: the code commit is the one linked" "Add the lock file" "$(git log -1 --format=%s "$C_PKG")"
# A branch that dropped the records directory: its commits are read at
# their nearest ancestor that has one (here: 0004 is pnpm).
git checkout -q -b no-docs
git rm -q -r docs
git commit -q -m "drop the docs here"
C_NODOCS=$(code src/nodocs.c "Work without the docs" "Refs: ADR-0004")
git checkout -q main

# A plain pull merges both: two records numbered 0004 (the situation of issue 13).
at 3
git pull -q --no-rebase --no-edit origin main 2>/dev/null
check "merged: both 0004 files" test -f "$D/0004-use-webhooks.md" -a -f "$D/0004-use-pnpm.md"
# A commit made while both exist, naming 0004: it cannot say which.
C_AMB=$(code src/amb.c "Touch both" "Refs: ADR-0004")

at 4
run_adr renumber
expect_eq "renumber: exit" 0 "$RC"
check "renumber: fsck" fsck_clean "$TMP/b"
num_of() { # num_of SLUG: the current number of the record with that slug
	local f
	f=$(cd "$D" && ls -- *-"$1".md)
	echo "${f%%-*}"
}
WEB=$(num_of use-webhooks)
PNPM=$(num_of use-pnpm)
expect_eq "one of them moved to 0005" "0004 0005" "$(printf '%s\n' "$WEB" "$PNPM" | sort | tr '\n' ' ' | sed 's/ $//')"
OLDSLUG=$([ "$PNPM" = 0005 ] && echo use-pnpm || echo use-webhooks)
expect_contains "renumber: the move names the slug" "Adr-Renumber: 0004 -> 0005 $OLDSLUG" "$(git log -1 --format=%B)"

# After the renumber, new commits use the new numbers.
at 5
C_NEWP=$(code src/after.c "After the renumber" "Refs: ADR-$PNPM")
C_NEWW=$(code src/after2.c "After the renumber, webhooks" "Refs: ADR-$WEB")

# --- adr why -------------------------------------------------------------------
run_adr why src/hook.c
expect_eq "why hook.c: exit" 0 "$RC"
expect_eq "why hook.c: the webhooks record, its commit" "$WEB  accepted    Use webhooks
      commit  ${C_HOOK:0:12} Add the webhook handler" "$OUT"
run_adr why src/build.sh
expect_eq "why build.sh: the pnpm record" "$PNPM  accepted    Use pnpm
      commit  ${C_BUILD:0:12} Build with pnpm" "$OUT"
run_adr why package.json
expect_eq "why package.json: the hook link goes to pnpm" "$PNPM  accepted    Use pnpm
      commit  ${C_PKG:0:12} Add the lock file" "$OUT"
run_adr why src/after.c
expect_eq "why after.c: the new number" "$PNPM  accepted    Use pnpm
      commit  ${C_NEWP:0:12} After the renumber" "$OUT"
run_adr why src/after2.c
expect_contains "why after2.c: the new number" "$WEB  accepted    Use webhooks" "$OUT"
run_adr why src/amb.c
expect_eq "why amb.c: exit" 0 "$RC"
expect_eq "why amb.c: attributed to nothing" "" "$OUT"
expect_contains "why amb.c: warned, both files named" \
	"adr: warning: commit ${C_AMB:0:12} refers to ADR-0004, not attributed: ADR-0004 is ambiguous: commit ${C_AMB:0:12} has 2 records numbered 0004 (0004-use-pnpm.md, 0004-use-webhooks.md)" "$ERR"
expect_eq "why amb.c: exit 0" 0 "$RC"
run_adr why src/hook.c --json
expect_json "why --json: webhooks" '[[r["number"], [c["id"] for c in r["commits"]]] for r in d]' "[[$((10#$WEB)),[\"$C_HOOK\"]]]"
git checkout -q no-docs
run_adr why src/nodocs.c
expect_eq "why nodocs.c (no records directory): its ancestor's 0004" "$PNPM  accepted    Use pnpm
      commit  ${C_NODOCS:0:12} Work without the docs" "$OUT"
git checkout -q main

# --- adr show ----------------------------------------------------------------------
run_adr show "$PNPM"
expect_contains "show pnpm: the Refs commit" "${C_BUILD:0:12} Build with pnpm" "$OUT"
expect_contains "show pnpm: the hook link" "${C_PKG:0:12} Add the lock file" "$OUT"
expect_contains "show pnpm: after the renumber" "${C_NEWP:0:12} After the renumber" "$OUT"
expect_not_contains "show pnpm: not the webhook commit" "${C_HOOK:0:12}" "$OUT"
run_adr show "$WEB"
expect_contains "show webhooks: its commit" "${C_HOOK:0:12} Add the webhook handler" "$OUT"
expect_not_contains "show webhooks: not pnpm's" "${C_BUILD:0:12}" "$OUT"
expect_not_contains "show webhooks: not the hook link" "${C_PKG:0:12}" "$OUT"
expect_not_contains "show webhooks: not the ambiguous one" "${C_AMB:0:12}" "$OUT"
run_adr show 4
expect_contains "show 4: warns about the ambiguous reference" "commit ${C_AMB:0:12} refers to ADR-0004, not attributed" "$ERR"
expect_eq "show 4: exit 0" 0 "$RC"
run_adr show "$PNPM" --json
expect_json "show --json pnpm: its commits" 'sorted(c["id"] for c in d["commits"])' \
	"$(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:]),separators=(",",":")))' "$C_BUILD" "$C_PKG" "$C_NEWP")"
if [ "$PNPM" = 0005 ]; then
	expect_json "show --json: the number as written" '[c.get("written") for c in d["commits"] if c["id"] == "'"$C_BUILD"'"]' '[4]'
	expect_json "show --json: via the hook link" '[c["via"] for c in d["commits"] if c["id"] == "'"$C_PKG"'"]' '["adr"]'
fi
run_adr show "$WEB" --json
expect_json "show --json webhooks: its commits" 'sorted(c["id"] for c in d["commits"])' \
	"$(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:]),separators=(",",":")))' "$C_HOOK" "$C_NEWW")"

# --- the index, list and search -------------------------------------------------------
run_adr index
expect_eq "index: exit" 0 "$RC"
run_adr list --json
expect_json "list: numbers and titles" '[[r["number"], r["title"]] for r in d if r["number"] >= 4]' \
	"$(python3 -c 'import json,sys; print(json.dumps(sorted([[int(sys.argv[1],10),"Use webhooks"],[int(sys.argv[2],10),"Use pnpm"]]),separators=(",",":")))' "$WEB" "$PNPM")"
run_adr search pnpm --json
expect_json "search pnpm: the renumbered record" '[r["number"] for r in d]' "[$((10#$PNPM))]"

# --- adr html ---------------------------------------------------------------------------
run_adr html -o "$TMP/site"
expect_eq "html: exit" 0 "$RC"
PP="$TMP/site/$PNPM-use-pnpm.html"
WP="$TMP/site/$WEB-use-webhooks.html"
check "html: both pages" test -f "$PP" -a -f "$WP"
expect_contains "html pnpm page: the Refs commit" "title=\"$C_BUILD\"" "$(cat "$PP")"
expect_contains "html pnpm page: the hook link" "title=\"$C_PKG\"" "$(cat "$PP")"
expect_not_contains "html pnpm page: not the webhook commit" "$C_HOOK" "$(cat "$PP")"
expect_contains "html webhooks page: its commit" "title=\"$C_HOOK\"" "$(cat "$WP")"
expect_not_contains "html webhooks page: not pnpm's" "$C_BUILD" "$(cat "$WP")"
expect_not_contains "html: the ambiguous commit on no page" "$C_AMB" "$(cat "$PP" "$WP")"
expect_contains "html: the ambiguous reference warned" "commit ${C_AMB:0:12} refers to ADR-0004, not attributed" "$ERR"

# --- dangling references ------------------------------------------------------------------
at 6
C_GONE=$(code src/gone.c "Implements a decision that never was" "Refs: ADR-0099")
run_adr why src/gone.c
expect_eq "dangling: exit" 0 "$RC"
expect_eq "dangling: attributed to nothing" "" "$OUT"
expect_contains "dangling: warned" "commit ${C_GONE:0:12} refers to ADR-0099, not attributed: ADR-0099 does not exist" "$ERR"
# A new record takes pnpm's slug, then pnpm is deleted: pnpm's references
# are warned about, never handed to whichever record has its old number,
# nor to the newer record with its slug.
must_adr new --no-edit "Use pnpm"
NEWP=$(cd "$D" && ls -- *-use-pnpm.md | grep -v "^$PNPM-")
NEWP=${NEWP%%-*}
git rm -q "$D/$PNPM-use-pnpm.md"
git commit -q -m "drop pnpm"
run_adr why src/build.sh
expect_eq "deleted record: exit" 0 "$RC"
expect_eq "deleted record: attributed to nothing" "" "$OUT"
if [ "$PNPM" = 0005 ]; then
	expect_contains "deleted record: warned with its slug" \
		"commit ${C_BUILD:0:12} refers to ADR-0004, not attributed: ADR-0004 (use-pnpm) no longer exists (it was renumbered to 0005)" "$ERR"
	run_adr show "$NEWP"
	expect_not_contains "deleted record: not to the new record with its slug" "${C_BUILD:0:12}" "$OUT"
	expect_not_contains "deleted record: the hook link neither" "${C_PKG:0:12}" "$OUT"
fi
run_adr show "$WEB"
expect_not_contains "deleted record: not moved to webhooks" "${C_BUILD:0:12}" "$OUT"

check "b: git status clean" status_clean "$TMP/b"
if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
