#!/usr/bin/env bash
# adr sync against a remote that refuses or cannot be reached: a pre-receive
# hook that declines once, a remote that moves while adr pushes (once: a
# second round succeeds; always: a bounded number of rounds, then a clear
# error), a file:// path that does not exist and a git daemon that is
# stopped. Each time: the error names the remote, the ref and the reason,
# nothing local is lost, and a retry succeeds.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
O=$TMP/origin.git
A=$TMP/a
B=$TMP/b
git init -q --bare "$O"
git -C "$O" config core.logAllRefUpdates always
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
DPID=
start_daemon() {
	git daemon --enable=receive-pack --base-path="$TMP" --export-all --listen=127.0.0.1 --port="$PORT" \
		--reuseaddr "$TMP" >>"$TMP/daemon.log" 2>&1 &
	DPID=$!
	for _ in $(seq 1 50); do
		git ls-remote "git://127.0.0.1:$PORT/origin.git" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
stop_daemon() { if [ -n "$DPID" ]; then kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; DPID=; fi; }
trap 'stop_daemon; cleanup_tmp' EXIT
check "the daemon starts" start_daemon
new_repo "$A"
cd "$A"
must_adr init
# libgit2 runs no hooks on a file:// push (it writes the objects itself):
# the hooks below need the daemon's receive-pack.
git remote add origin "git://127.0.0.1:$PORT/origin.git"
must_adr sync
git clone -q "file://$O" "$B"

refs_snapshot() { git -C "$A" for-each-ref --format='%(refname) %(objectname)' refs/heads; }

# --- a pre-receive hook that declines once ------------------------------------------
cat >"$O/hooks/pre-receive" <<'EOF'
#!/bin/sh
if [ ! -e "$GIT_DIR/declined-once" ]; then
	touch "$GIT_DIR/declined-once"
	echo "policy: not now" >&2
	exit 1
fi
exit 0
EOF
chmod +x "$O/hooks/pre-receive"
must_adr new --no-edit "Use PostgreSQL"
BEFORE=$(refs_snapshot)
REMOTE_BEFORE=$(git -C "$O" rev-parse main)
run_adr sync
expect_eq "a declined push fails" 1 "$RC"
expect_contains "the error names the remote" "'origin'" "$ERR"
expect_contains "the error names the ref" "refs/heads/main" "$ERR"
expect_contains "the error gives the reason" "declined" "$ERR"
expect_not_contains "no success is printed" "accepted every ref" "$ERR"
expect_eq "nothing lost locally" "$BEFORE" "$(refs_snapshot)"
expect_eq "the remote did not move" "$REMOTE_BEFORE" "$(git -C "$O" rev-parse main)"
check "the record is still committed" git cat-file -e main:$D/0002-use-postgresql.md
run_adr sync
expect_eq "the retry succeeds" 0 "$RC"
expect_eq "the remote has the record" "$(git rev-parse main)" "$(git -C "$O" rev-parse main)"
rm -f "$O/hooks/pre-receive"

# --- the remote moves while adr pushes: once (a second round), always (bounded) ----------
cat >"$O/hooks/pre-receive" <<'EOF'
#!/bin/sh
# Someone else pushes while this push waits: main moves under it.
n=$(cat "$GIT_DIR/moves-left" 2>/dev/null || echo 0)
[ "$n" -gt 0 ] || exit 0
echo $((n - 1)) >"$GIT_DIR/moves-left"
# Out of the push's quarantine, as another pusher would be.
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
tip=$(git rev-parse refs/heads/main)
new=$(git commit-tree -p "$tip" -m "someone else $n" "$tip^{tree}" </dev/null)
git update-ref refs/heads/main "$new" "$tip"
EOF
chmod +x "$O/hooks/pre-receive"
echo 1 >"$O/moves-left"
must_adr new --no-edit "Use Redis"
run_adr sync --json
expect_eq "a remote that moved once: the second round succeeds" 0 "$RC"
expect_eq "it took two rounds" 2 "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rounds"])' "$OUT")"
expect_eq "the remote has A's tip" "$(git rev-parse main)" "$(git -C "$O" rev-parse main)"
check "A's record is on the remote" git -C "$O" cat-file -e main:$D/0003-use-redis.md
check "the other push is kept" test "$(git -C "$O" log --format=%s main | grep -c 'someone else')" -eq 1
echo 100 >"$O/moves-left"
must_adr new --no-edit "Use Kafka"
run_adr sync
expect_eq "a remote that keeps moving: sync gives up" 1 "$RC"
expect_contains "it says how many rounds" "gave up after 5 rounds" "$ERR"
expect_contains "it names the remote" "'origin'" "$ERR"
check "the record is still committed locally" git cat-file -e main:$D/0004-use-kafka.md
echo 0 >"$O/moves-left"
run_adr sync
expect_eq "the retry succeeds once it stops" 0 "$RC"
check "A's record reached the remote" git -C "$O" cat-file -e main:$D/0004-use-kafka.md
rm -f "$O/hooks/pre-receive"

# --- unreachable: a file:// path that does not exist --------------------------------------------
git remote add gone "file://$TMP/nowhere.git"
must_adr new --no-edit "Use NATS"
BEFORE=$(refs_snapshot)
run_adr sync gone
expect_eq "an unreachable remote fails" 1 "$RC"
expect_contains "the error names the remote" "'gone'" "$ERR"
expect_contains "the error names the URL" "nowhere.git" "$ERR"
expect_eq "nothing lost (unreachable)" "$BEFORE" "$(refs_snapshot)"
run_adr sync --dry-run gone
expect_eq "a dry run against it fails too" 1 "$RC"
expect_contains "the dry run names the remote" "'gone'" "$ERR"
expect_eq "nothing lost (dry run, unreachable)" "$BEFORE" "$(refs_snapshot)"
git init -q --bare "$TMP/nowhere.git"
run_adr sync gone
expect_eq "the retry succeeds once it exists" 0 "$RC"
run_adr sync
expect_eq "and origin gets it too" 0 "$RC"

# --- unreachable: a git daemon that is stopped -------------------------------------------------------
git remote add daemon "git://127.0.0.1:$PORT/origin.git"
stop_daemon
must_adr new --no-edit "Use Avro"
BEFORE=$(refs_snapshot)
run_adr sync daemon
expect_eq "a stopped daemon fails" 1 "$RC"
expect_contains "the error names the daemon remote" "'daemon'" "$ERR"
expect_contains "the error names its URL" "127.0.0.1:$PORT" "$ERR"
expect_eq "nothing lost (stopped daemon)" "$BEFORE" "$(refs_snapshot)"
check "the daemon starts" start_daemon
run_adr sync daemon
expect_eq "the retry over git:// succeeds" 0 "$RC"
check "the record reached the remote" git -C "$O" cat-file -e main:$D/0006-use-avro.md

# --- a remote that hides its branch from fetches: libgit2 refuses the push itself ----------------------
cd "$B"
git pull -q origin main
printf 'x\n' >b.txt
git add b.txt
git commit -q -m "B: a commit A does not have"
git push -q origin main
git -C "$O" config uploadpack.hideRefs refs/heads/main
cd "$A"
must_adr new --no-edit "Use gRPC"
BEFORE=$(refs_snapshot)
run_adr sync daemon
expect_eq "a push libgit2 sees is not a fast-forward" 1 "$RC"
expect_contains "it gives up after the rounds" "gave up after 5 rounds" "$ERR"
expect_eq "nothing lost (hidden ref)" "$BEFORE" "$(refs_snapshot)"
git -C "$O" config --unset uploadpack.hideRefs
run_adr sync daemon
expect_eq "the retry succeeds when the branch is shown" 0 "$RC"
check "B's commit is in A's main" git merge-base --is-ancestor "$(git -C "$B" rev-parse main)" main
stop_daemon

# --- a daemon that serves fetches only: the push is refused with the remote named ------------------
PORT2=$(free_port)
git daemon --base-path="$TMP" --export-all --listen=127.0.0.1 --port="$PORT2" --reuseaddr "$TMP" \
	>>"$TMP/daemon.log" 2>&1 &
RPID=$!
trap 'stop_daemon; kill $RPID 2>/dev/null || true; cleanup_tmp' EXIT
for _ in $(seq 1 50); do
	git ls-remote "git://127.0.0.1:$PORT2/origin.git" >/dev/null 2>&1 && break
	sleep 0.1
done
git remote add readonly "git://127.0.0.1:$PORT2/origin.git"
must_adr new --no-edit "Use Thrift"
BEFORE=$(refs_snapshot)
run_adr sync readonly
expect_eq "a remote that refuses pushes" 1 "$RC"
expect_contains "the error says it cannot push" "cannot push to 'readonly'" "$ERR"
expect_eq "nothing lost (read-only remote)" "$BEFORE" "$(refs_snapshot)"
kill $RPID 2>/dev/null || true
wait $RPID 2>/dev/null || true
check "the daemon starts again" start_daemon
run_adr sync daemon
expect_eq "the record goes out through a remote that takes pushes" 0 "$RC"
stop_daemon

# --- a proposal branch another git process holds (its .lock file) ---------------------------------------
# Both clones comment on one proposal; B's branch is locked while sync
# combines it, then while sync retires it: each time a clear error naming
# the branch, nothing lost, and a retry once the lock is gone succeeds.
L=$TMP/lk
git init -q --bare "$L.git"
new_repo "$L-a"
cd "$L-a"
git remote add origin "file://$L.git"
must_adr init
must_adr propose --no-edit "Use Quic"
must_adr sync
git clone -q "file://$L.git" "$L-b"
cd "$L-b"
must_adr comment use-quic -m "from B"
cd "$L-a"
must_adr comment use-quic -m "from A"
must_adr sync
cd "$L-b"
BTIP=$(git rev-parse adr/use-quic)
touch .git/refs/heads/adr/use-quic.lock
run_adr sync
expect_eq "combining a locked proposal branch: exit" 1 "$RC"
expect_contains "combining a locked proposal branch: names it" "cannot update adr/use-quic" "$ERR"
expect_eq "combining a locked proposal branch: B's comment is kept" "$BTIP" "$(git rev-parse adr/use-quic)"
rm .git/refs/heads/adr/use-quic.lock
run_adr sync
expect_eq "combining once the lock is gone" 0 "$RC"
cd "$L-a"
must_adr sync
must_adr accept use-quic
must_adr sync
cd "$L-b"
must_adr comment use-quic -m "after the decision, from B"
LATE=$(git rev-parse adr/use-quic)
touch .git/refs/heads/adr/use-quic.lock
run_adr sync
expect_eq "retiring a locked proposal branch: exit" 1 "$RC"
expect_contains "retiring a locked proposal branch: says the comments are kept" "cannot delete adr/use-quic; its comments so far are kept on" "$ERR"
expect_eq "retiring a locked proposal branch: the branch is kept" "$LATE" "$(git rev-parse adr/use-quic)"
rm .git/refs/heads/adr/use-quic.lock
run_adr sync
expect_eq "retiring once the lock is gone" 0 "$RC"
expect_eq "the late comment is on the remote's decision branch, once" 1 \
	"$(git -C "$L.git" log --format=%B main | grep -cx 'after the decision, from B')"
check "B keeps no proposal branch" test -z "$(git for-each-ref refs/heads/adr/use-quic)"
check "fsck B (locks)" fsck_clean "$L-b"

check "fsck A" fsck_clean "$A"
check "fsck remote" fsck_clean "$O"
finish
