#!/usr/bin/env bash
# How a reference finds its record (adr/links.h), case by case, in one
# repository with plain git: two records sharing a number are told apart
# by the tree of the commit that names it; a renumbering by hand is found
# by the slug; `git pull --rebase` puts both in
# one tree and the commit that wrote one of them still names that one; an
# `Adr-Renumber:` trailer written before it carried the slug is read from
# the renumber commit's tree; `adr html --rev` attributes to the records
# of that revision; a commit whose tree lacks a number that was renumbered
# since is warned about.
source "$(dirname "$0")/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"
export ADR_NOW=2026-11-21
D=docs/decisions
rec() { # rec FILE TITLE [MESSAGE]: a record committed by hand
	printf -- '---\nstatus: accepted\ndate: 2026-11-20\n---\n# %s\n' "$2" >"$D/$1"
	git add "$D/$1"
	git commit -q -m "${3:-add $1}"
}
code() { # code FILE SUBJECT [TRAILER]: a code commit that writes FILE
	mkdir -p "$(dirname "$1")"
	echo "$2" >>"$1"
	git add "$1"
	if [ -n "${3:-}" ]; then git commit -q -m "$2" -m "$3"; else git commit -q -m "$2"; fi
	git rev-parse HEAD
}

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
git checkout -q -b later
C_EARLY=$(code src/early.c "Early work" "Refs: ADR-0004")
git checkout -q main

# Two branches each add a 0002; each has a code commit naming it.
git checkout -q -b x
rec 0002-use-a.md "Use A"
C_A=$(code src/a.c "Work for A" "Refs: ADR-0002")
git checkout -q main
git checkout -q -b y
rec 0002-use-b.md "Use B"
C_B=$(code src/b.c "Work for B" "Refs: ADR-0002")
git checkout -q main
git merge -q --no-ff -m "merge x" x
git merge -q --no-ff -m "merge y" y

# Both 0002 are current: each commit goes to the record its tree had.
run_adr why src/a.c
expect_eq "duplicate number: a.c is A's" "0002  accepted    Use A
      commit  ${C_A:0:12} Work for A" "$OUT"
run_adr why src/b.c
expect_eq "duplicate number: b.c is B's" "0002  accepted    Use B
      commit  ${C_B:0:12} Work for B" "$OUT"

# A renumber commit of an older adr: the move without its slug.
git mv "$D/0002-use-b.md" "$D/0003-use-b.md"
git commit -q -m "adr: renumber 1 record" -m "$(printf 'Adr-Action: renumber\nAdr-Renumber: 0002 -> 0003')"
RENUM_TIP=$(git rev-parse HEAD)
run_adr why src/b.c
expect_eq "old trailer: b.c follows B to 0003" "0003  accepted    Use B
      commit  ${C_B:0:12} Work for B" "$OUT"
run_adr why src/a.c
expect_eq "old trailer: a.c stays with A" "0002  accepted    Use A
      commit  ${C_A:0:12} Work for A" "$OUT"
run_adr show 3 --json
expect_json "old trailer: show 3 --json, written 2" '[[c["id"], c.get("written")] for c in d["commits"]]' "[[\"$C_B\",2]]"

# A renumbering by hand (git mv, no trailer): A is found by its slug, as
# number 0002 took part in a move adr recorded.
git mv "$D/0002-use-a.md" "$D/0008-use-a.md"
git commit -q -m "renumber A by hand"
run_adr why src/a.c
expect_eq "by hand: a.c follows A by its slug" "0008  accepted    Use A
      commit  ${C_A:0:12} Work for A" "$OUT"

# An Adr-Renumber in a commit adr did not make (no Adr-Action) moves nothing.
C_FAKE=$(code src/fake.c "Fake" "$(printf 'Refs: ADR-0003\nAdr-Renumber: 0003 -> 0002 use-b')")
run_adr why src/fake.c
expect_eq "a user's Adr-Renumber is no move" "0003  accepted    Use B
      commit  ${C_FAKE:0:12} Fake" "$OUT"

# A commit whose tree lacks 0004 names it; later two 0004 meet and one moves.
git checkout -q -b p
rec 0004-use-p.md "Use P"
git checkout -q main
rec 0004-use-q.md "Use Q"
git merge -q --no-ff -m "merge p" p
run_adr renumber
expect_eq "renumber 0004: exit" 0 "$RC"
git merge -q --no-ff -m "merge later" later
run_adr why src/early.c
expect_eq "tree without the number: exit" 0 "$RC"
expect_eq "tree without the number: attributed to nothing" "" "$OUT"
expect_contains "tree without the number: warned" \
	"commit ${C_EARLY:0:12} refers to ADR-0004, not attributed: ADR-0004 is ambiguous: commit ${C_EARLY:0:12} has no record 0004, and number 0004 was renumbered since" "$ERR"

# adr html --rev: attributed to the records of that revision (B was 0003 there too).
run_adr html -o "$TMP/site" --rev "$RENUM_TIP"
expect_eq "html --rev: exit" 0 "$RC"
expect_contains "html --rev: B's page has its commit" "title=\"$C_B\"" "$(cat "$TMP/site/0003-use-b.html")"
expect_not_contains "html --rev: A's page does not" "$C_B" "$(cat "$TMP/site/0002-use-a.html")"
check "html --rev: A was 0002 there" test -f "$TMP/site/0002-use-a.html"

# git pull --rebase: the rebased commit that wrote 0005-use-s (and links
# a code commit, the hook's way) has both 0005 files in its tree.
git clone -q "$R" "$TMP/other"
rec 0005-use-r.md "Use R"
cd "$TMP/other"
C_S=$(code src/s.c "Work for S")
printf -- '---\nstatus: accepted\ndate: 2026-11-20\n---\n# Use S\n' >"$D/0005-use-s.md"
git add "$D/0005-use-s.md"
git commit -q -m "adr: Use S" -m "$(printf 'Adr-Action: new\nAdr-Record: 0005\nAdr-Commit: %s' "$C_S")"
git pull -q --rebase origin main
check "rebased: both 0005 in one tree" test -f "$D/0005-use-r.md" -a -f "$D/0005-use-s.md"
run_adr renumber
expect_eq "renumber 0005: exit" 0 "$RC"
S=$(cd "$D" && ls -- *-use-s.md)
S=${S%%-*}
run_adr show "$S"
expect_contains "rebased: the link follows S" "${C_S:0:12} Work for S" "$OUT"
R5=$(cd "$D" && ls -- *-use-r.md)
run_adr show "${R5%%-*}"
expect_not_contains "rebased: not R's" "${C_S:0:12}" "$OUT"

check "git status clean" status_clean "$R"
if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
