#!/usr/bin/env bash
# Numbers that never change once published (issue 13): two clones of one
# bare file:// remote. A number the other clone pushed is taken as soon as
# this clone has fetched it (plain `git fetch`), even when the local
# decision branch is behind: `new`, `accept` and `meeting` allocate past it,
# through the branch's upstream or, without one, any remote that has the
# branch. A remote-tracking ref that cannot be read stops allocation
# (nothing is written) rather than reuse a published number.
source "$(dirname "$0")/lib.sh"
# in the sanitizer build, any ASan/UBSan report from adr fails the test
eval "lib_$(declare -f run_adr)"
run_adr() {
	lib_run_adr "$@"
	case "$ERR" in *Sanitizer* | *"runtime error"*) fail "sanitizer report from adr $*: $ERR" ;; esac
}

export ADR_NOW=2026-11-21
D=docs/decisions
BARE=$TMP/remote.git
git init -q --bare "$BARE"
A=$TMP/a
B=$TMP/b
git clone -q "file://$BARE" "$A" 2>/dev/null
cd "$A"
git commit -q --allow-empty -m start
must_adr init
must_adr new --no-edit "Use PostgreSQL"
must_adr new --no-edit "Use Redis"
git push -q -u origin main
git clone -q "file://$BARE" "$B"

# --- new: past the number A pushed, though B's branch is behind --------------------
cd "$A"
must_adr new --no-edit "Use Kafka"
git push -q origin main
cd "$B"
git fetch -q
expect_eq "B is behind" "1" "$(git rev-list --count main..origin/main)"
run_adr new --no-edit "Use webhooks"
expect_eq "new: exit" 0 "$RC"
expect_contains "new: 0005, not 0004" "0005" "$OUT"
check "new: file 0005" test -f "$D/0005-use-webhooks.md"
check "new: no local 0004" test ! -e "$D/0004-use-kafka.md" -a ! -e "$D/0004-use-webhooks.md"
expect_eq "new: B's branch is still behind" "1" "$(git rev-list --count main..origin/main)"
check "new: fsck" fsck_clean "$B"

# --- before a fetch, B does not know: the number it takes is what git knows ----------
cd "$A"
must_adr new --no-edit "Use gRPC"    # 0005 on A
must_adr new --no-edit "Use protobuf" # 0006 on A
git push -q origin main
cd "$B"
git fetch -q

# --- accept: the proposal is numbered past the published 0006 -----------------------
must_adr propose --no-edit "Use pnpm"
git checkout -q main
run_adr accept use-pnpm
expect_eq "accept: exit" 0 "$RC"
check "accept: numbered 0007" test -f "$D/0007-use-pnpm.md"

# --- meeting: each decision past the published numbers ------------------------------
cd "$A"
for t in Six Seven Eight; do must_adr new --no-edit "A $t"; done # 0007..0009 on A
git push -q origin main
cd "$B"
git fetch -q
cat >"$TMP/minutes.md" <<'MIN'
# Steering meeting, 2026-11-21
Attendees: Ana Lima, Bo Chen

## Decision: Ship every Tuesday
Decision: Releases go out on Tuesdays.

## Decision: Keep a changelog
Decision: Every release has a changelog entry.
MIN
run_adr meeting --from "$TMP/minutes.md"
expect_eq "meeting: exit" 0 "$RC"
check "meeting: first decision 0010" test -f "$D/0010-ship-every-tuesday.md"
check "meeting: second decision 0011" test -f "$D/0011-keep-a-changelog.md"
check "meeting: fsck" fsck_clean "$B"
check "meeting: status clean" status_clean "$B"

# --- without an upstream: every remote that has the branch counts --------------------
C=$TMP/c
new_repo "$C"
cd "$C"
git remote add other "file://$BARE"
git fetch -q other
git checkout -q --no-track -b main other/main~3
expect_eq "C: no upstream" "" "$(git config branch.main.remote || true)"
run_adr new --no-edit "Use Zig"
expect_eq "no upstream: exit" 0 "$RC"
check "no upstream: past other/main's 0009" test -f "$D/0010-use-zig.md"
# a remote-tracking branch of another name does not count
git update-ref refs/remotes/other/feature "$(git rev-parse other/main)"
git update-ref refs/remotes/other/sub/main "$(git rev-parse other/main)"
git update-ref -d refs/remotes/other/main
run_adr new --no-edit "Use Rust"
check "no upstream: only <remote>/main counts" test -f "$D/0011-use-rust.md"

# --- a remote-tracking ref that cannot be read stops allocation ----------------------
cp -a "$B" "$TMP/b2"
cd "$TMP/b2"
git pack-refs --all
mkdir -p .git/refs/remotes/origin
echo "not a ref" >.git/refs/remotes/origin/main
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "garbage ref: exit 1" 1 "$RC"
expect_contains "garbage ref: names the ref" "cannot read 'refs/remotes/origin/main'" "$ERR"
expect_unchanged "garbage ref: nothing written"

echo 1111111111111111111111111111111111111111 >.git/refs/remotes/origin/main
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "missing tip: exit 1" 1 "$RC"
expect_contains "missing tip: says so" "the tip of 'refs/remotes/origin/main' is missing or corrupt" "$ERR"
expect_unchanged "missing tip: nothing written"

# a tip whose records directory is a tree the repository does not have
MISSING=$(printf 'no such tree\n' | git hash-object --stdin)
DOCS=$(printf '040000 tree %s\tdecisions\n' "$MISSING" | git mktree --missing)
ROOT=$(printf '040000 tree %s\tdocs\n' "$DOCS" | git mktree --missing)
git update-ref refs/remotes/origin/main "$(git commit-tree -m broken "$ROOT")"
snapshot_state
run_adr new --no-edit "Use Go"
expect_eq "missing records tree: exit 1" 1 "$RC"
expect_contains "missing records tree: says so" "records directory '$D' is missing or corrupt" "$ERR"
expect_unchanged "missing records tree: nothing written"

check "fsck A" fsck_clean "$A"
check "fsck B" fsck_clean "$B"
finish
