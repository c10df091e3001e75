#!/usr/bin/env bash
# adr check: a clean log passes; each kind of problem is found with
# path:line:col and exit 1; --json; --all-refs across local and
# remote-tracking branches; merged proposals that still say proposed.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
export ADR_NOW=2026-11-21

must_adr init
must_adr new --no-edit Use PostgreSQL
must_adr new --no-edit Use Kafka
run_adr check
expect_eq "clean log passes" 0 "$RC"
expect_eq "clean log prints nothing" "" "$OUT"
run_adr check --all-refs --json
expect_eq "clean log --all-refs passes" 0 "$RC"
expect_eq "clean json is an empty list" "[]" "$OUT"

commit_file() { # PATH CONTENT
	mkdir -p "$(dirname "$1")"
	printf '%s' "$2" >"$1"
	git add "$1" && git commit -qm "hand edit $1"
}

# one of each problem, written by hand
commit_file $D/0004-dangling.md "---
status: accepted
date: 2026-01-02
supersedes: [42]
links: [amends 77]
---
# Dangling

See [the missing one](0099-missing.md) and [an existing one](0002-use-postgresql.md).
"
commit_file $D/0005-one-sided.md "---
status: accepted
date: 2026-01-03
supersedes: [2]
---
# One sided
"
commit_file $D/0006-no-date.md "---
status: accepted
---
# No date
"
commit_file $D/0007-future.md "---
status: proposed
date: 2027-05-01
---
# Future
"
commit_file $D/0008-superseded-alone.md "---
status: superseded
date: 2026-01-04
---
# Superseded alone
"
commit_file $D/0009-bad-yaml.md "---
status: accepted
title: ADR009: colon
---
# Bad YAML
"
commit_file $D/0010-placeholder.md "# 10. Placeholder date

Date: {YYYY-MM-DD}

## Status

Accepted
"
commit_file $D/0003-duplicate.md "---
status: accepted
date: 2026-01-05
---
# Duplicate three
"
commit_file $D/0011-no-status.md "# No status at all
"

run_adr check # read-only
expect_eq "problems: exit 1" 1 "$RC"
expect_contains "dangling supersedes, line of the key" "$D/0004-dangling.md:4:1: supersedes 0042, which does not exist [dangling-link]" "$OUT"
expect_contains "dangling link" "$D/0004-dangling.md:5:1: amends 0077, which does not exist [dangling-link]" "$OUT"
expect_contains "dangling markdown link, body line" "$D/0004-dangling.md:9:1: link to '0099-missing.md', which does not exist [dangling-link]" "$OUT"
expect_not_contains "existing markdown link is fine" "0002-use-postgresql.md', which" "$OUT"
expect_contains "one-sided supersede" "$D/0005-one-sided.md:4:1: supersedes 0002, but $D/0002-use-postgresql.md does not say superseded-by 0005 [one-sided-supersede]" "$OUT"
expect_contains "accepted without date" "$D/0006-no-date.md:2:1: accepted without a date [status-date]" "$OUT"
expect_contains "future date" "$D/0007-future.md:3:1: date 2027-05-01 is in the future [status-date]" "$OUT"
expect_contains "superseded without superseded-by" "$D/0008-superseded-alone.md:2:1: superseded, but superseded-by names no record [status-date]" "$OUT"
expect_contains "invalid yaml with line and column" "$D/0009-bad-yaml.md:3:" "$OUT"
expect_contains "invalid yaml is a parse finding" "[parse]" "$OUT"
expect_contains "placeholder date in a legacy record" "$D/0010-placeholder.md:3:7: placeholder date '{YYYY-MM-DD}'" "$OUT"
expect_contains "duplicate number on the branch" "number 0003 is also used by" "$OUT"
expect_contains "missing status" "$D/0011-no-status.md:1:1: no status [schema]" "$OUT"
expect_contains "summary on stderr" "findings" "$ERR"

run_adr check --json # read-only
expect_eq "json: exit 1" 1 "$RC"
expect_json "json: the one-sided supersede, its path and line" \
	'[[f["path"], f["line"]] for f in d if f["code"] == "one-sided-supersede"]' "[[\"$D/0005-one-sided.md\",4]]"
run_adr check extra # read-only
expect_eq "extra argument is usage" 2 "$RC"
expect_contains "extra argument is usage: says why" "adr: unexpected argument 'extra'" "$ERR"
run_adr check --nope # read-only
expect_eq "unknown option is usage" 2 "$RC"
expect_contains "unknown option is usage: says why" "adr: unknown option '--nope'" "$ERR"

# Same number on two branches: invisible on each branch, found with --all-refs.
R=$TMP/branches
new_repo "$R"
cd "$R"
must_adr init
for t in Two Three Four Five Six; do must_adr new --no-edit "Decision $t"; done
# adr writes to the decision branch; on feature branches people write by hand
rec() { # FILE TITLE: a record committed on the current branch
	printf -- '---\nstatus: accepted\ndate: 2026-11-20\n---\n# %s\n' "$2" >"$D/$1"
	git add "$D/$1" && git commit -qm "add $1"
}
git checkout -q -b feature-a
rec 0007-use-redis.md "Use Redis"
git checkout -q main
git checkout -q -b feature-b
rec 0007-use-memcached.md "Use Memcached"
git checkout -q main
run_adr check
expect_eq "main alone is clean" 0 "$RC"
run_adr check --all-refs
expect_eq "--all-refs finds the collision" 1 "$RC"
expect_contains "--all-refs names both files and branches" "number 0007 is used by different records across branches: 0007-use-memcached.md on refs/heads/feature-b; 0007-use-redis.md on refs/heads/feature-a" "$OUT"
expect_contains "--all-refs finding has path and line" "$D/0007-use-memcached.md:1:1:" "$OUT"
# a remote-tracking branch counts too
git branch -q -D feature-b
run_adr check --all-refs
expect_eq "one branch left: clean" 0 "$RC"
C=$(git -C "$R" rev-parse feature-a)
git update-ref refs/remotes/origin/other "$C"
git checkout -q -b feature-c main
rec 0007-use-valkey.md "Use Valkey"
git checkout -q main
git update-ref refs/remotes/origin/c "$(git rev-parse feature-c)"
git branch -q -D feature-c
run_adr check --all-refs
expect_eq "remote-tracking collision found" 1 "$RC"
expect_contains "remote-tracking branch named" "on refs/remotes/origin/c" "$OUT"

# log4brains records named by date: said, since they have no number until imported
R=$TMP/log4brains
new_repo "$R"
cd "$R"
mkdir -p $D
cp "$FORMATS"/log4brains/docs/adr/*.md $D/
git add -A && git commit -qm "log4brains records"
run_adr check # read-only
expect_eq "date-named records: exit 1" 1 "$RC"
expect_eq "date-named records named, each" "$D/20210104-keep-records-next-to-the-code.md:1:1: named by date, so its number is provisional; run 'adr import' to number it [legacy]
$D/20210210-number-records-by-date.md:1:1: named by date, so its number is provisional; run 'adr import' to number it [legacy]
$D/20210322-name-records-by-slug.md:1:1: named by date, so its number is provisional; run 'adr import' to number it [legacy]" "$OUT"
must_adr import
run_adr check
expect_eq "after import: clean" 0 "$RC"

# A proposal branch merged by hand while its record still says proposed.
R=$TMP/proposal
new_repo "$R"
cd "$R"
must_adr init
git checkout -q -b adr/use-grpc
mkdir -p $D
printf -- '---\nstatus: proposed\ndate: 2026-11-20\n---\n# Use gRPC\n' >$D/0002-use-grpc.md
git add -A && git commit -qm "propose"
git checkout -q main
git merge -q --no-ff -m "merge proposal" adr/use-grpc
run_adr check
expect_eq "merged proposal: exit 1" 1 "$RC"
expect_contains "merged proposal found" "$D/0002-use-grpc.md:2:1: branch refs/heads/adr/use-grpc was merged, but the record still says proposed [merged-proposal]" "$OUT"

finish
