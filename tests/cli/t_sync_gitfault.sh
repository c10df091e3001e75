#!/usr/bin/env bash
# adr sync when libgit2 fails in the middle of its work (the shim of
# tests/gitfault/, one chosen function failing): while it fast-forwards the
# checked-out decision branch, replays local decisions on the remote's,
# replays a proposal's comments, or writes the combined proposal. Each
# time: "adr: <what it was doing>: <libgit2's error>", exit 1, nothing local
# lost, and the next sync without the fault brings both sides together.
source "$(dirname "$0")/lib.sh"

need_gitfault_shim

# The scenario, in $TMP/tpl: a remote; A published a proposal, a record and
# a comment; B (main checked out, behind) commented on the proposal and
# recorded a decision offline.
S=$TMP/tpl
git init -q --bare "$S/origin.git"
new_repo "$S/a"
cd "$S/a"
git remote add origin "../origin.git"
must_adr init
must_adr propose --no-edit "Use Quic"
must_adr sync
git clone -q "$S/origin.git" "$S/b"
cd "$S/b"
git remote set-url origin "../origin.git"
must_adr comment use-quic -m "from B"
must_adr new --no-edit "Log in JSON"
cd "$S/a"
must_adr comment use-quic -m "from A"
must_adr new --no-edit "Keep logs 30 days"
must_adr sync

# fault FN WANT: B's sync with the n-th call of FN failing, for the first n
# whose error is WANT; then the checks above.
fault() {
	local fn=$1 want=$2 seen= n btip
	for n in 1 2 3 4 5 6; do
		rm -rf "$TMP/run" && cp -a "$S" "$TMP/run"
		cd "$TMP/run/b"
		btip=$(git rev-parse adr/use-quic)
		set +e
		ADR_GITFAULT=$n ADR_GITFAULT_ONLY=$fn LD_PRELOAD="$SHIM" timeout 60 "$ADR" sync >"$TMP/out" 2>"$TMP/err"
		RC=$?
		set -e
		case $(cat "$TMP/err") in
		*"adr: $want"*"injected fault in ${fn%\$}"*) seen=$n; break ;;
		esac
	done
	check "$fn fault reaches '$want'" test -n "$seen"
	[ -n "$seen" ] || { echo "last stderr: $(cat "$TMP/err")" >&2; return; }
	expect_eq "$fn fault: exit 1" 1 "$RC"
	ERR=$(cat "$TMP/err")
	expect_contains "$fn fault: says what sync was doing" "adr: $want" "$ERR"
	check "$fn fault: B's comment is kept" git merge-base --is-ancestor "$btip" adr/use-quic
	check "$fn fault: B's decision is kept" test -n "$(git log --format=%s main | grep -x 'adr: new .* Log in JSON')"
	check "$fn fault: git status clean" test -z "$(git status --porcelain)"
	run_adr sync
	expect_eq "$fn fault: the next sync succeeds" 0 "$RC"
	expect_eq "$fn fault: both comments reach the remote, once each" "1 1" \
		"$(git -C ../origin.git log --format=%B adr/use-quic | grep -cx 'from A') $(git -C ../origin.git log --format=%B adr/use-quic | grep -cx 'from B')"
	expect_eq "$fn fault: B is at the remote's tip" "$(git -C ../origin.git rev-parse main)" "$(git rev-parse main)"
	check "$fn fault: fsck" fsck_clean .
}

fault git_tree_create_updated "cannot write a tree"
fault git_cherrypick_commit "cannot replay commit"
fault 'git_commit_create$' "cannot write the combined"
fault git_blob_lookup "cannot read '"
finish
