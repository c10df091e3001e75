#!/usr/bin/env bash
# adr html keeps decided proposals' threads in <commondir>/adr/threads
# (lib/log/thread_cache.c). The site must be byte for byte the same with no
# cache, a cold one, a warm one, and one that is corrupt, truncated,
# garbage, of another format version, of another records directory, or
# cannot be written; a bad file is ignored and rewritten, never trusted.
# `adr thread` and `adr show` answer the same whatever the file holds.
source "$(dirname "$0")/lib.sh"
export ADR_NOW=@1780000000 # the same build date in every build, to compare bytes

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
mkdir -p $D
printf 'dir: docs/decisions\n' >.adr.yaml
cat >$D/0001-use-postgres.md <<'MD'
---
status: accepted
date: 2026-11-01
---
# Use PostgreSQL

Plain.
MD
git add -A && git commit -q -m records

# Three decided proposals: comments with votes and a section, a revision
# of the record on the branch, a rejection, and a late comment.
must_adr propose --no-edit Cache sessions in Redis
GIT_AUTHOR_NAME="Bo Chen" must_adr comment adr/cache-sessions-in-redis --object -m "Memory limits? <b>now</b>"
git checkout -q adr/cache-sessions-in-redis
P=$(git ls-files $D | grep cache-sessions)
printf '\n## Consequences\n\nAn LRU limit.\n' >>"$P"
git commit -q -am "Add the consequences"
git checkout -q -
must_adr comment adr/cache-sessions-in-redis --approve --section Consequences -m "Fine with LRU"
must_adr accept adr/cache-sessions-in-redis --reason "Agreed with an LRU limit"
N1=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
must_adr comment "$N1" -m "A late word"
must_adr propose --no-edit Shard the event store
GIT_AUTHOR_NAME="Carla Diaz" must_adr comment adr/shard-the-event-store --approve -m "Comment on shards"
must_adr reject adr/shard-the-event-store --reason "Not yet"
N2=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
must_adr propose --no-edit Queue jobs in Postgres
must_adr accept adr/queue-jobs-in-postgres --reason "Simple"
N3=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')

CACHE=$(git rev-parse --git-common-dir)/adr/threads
views() { # the CLI's views of the decided proposals, into $1
	local n
	for n in "$N1" "$N2" "$N3"; do
		"$ADR" thread "$n" >"$1.thread$n" 2>&1 || echo "exit $?" >>"$1.thread$n"
		"$ADR" show "$n" >"$1.show$n" 2>&1 || echo "exit $?" >>"$1.show$n"
	done
}

# The reference: no cache file, and none can be written (a directory
# stands in its place), so every thread is read from history.
mkdir -p "$CACHE"
run_adr html -o "$TMP/ref"
expect_eq "no cache: exit" 0 "$RC"
REF_ERR=$ERR
check "no cache: the thread is on the page" grep -q "Memory limits? &lt;b&gt;now&lt;/b&gt;" "$TMP/ref/$N1-"*.html
check "no cache: the section comment is on the page" grep -q "Fine with LRU" "$TMP/ref/$N1-"*.html
check "unwritable cache: left as it was" test -d "$CACHE"
views "$TMP/ref"
rmdir "$CACHE"

# same_site WHAT: a build into a new directory equals the reference, and
# says the same on stderr.
K=0
same_site() {
	K=$((K + 1))
	run_adr html -o "$TMP/site$K"
	expect_eq "$1: exit" 0 "$RC"
	expect_eq "$1: stderr" "$REF_ERR" "$ERR"
	check "$1: same site as with no cache" diff -r "$TMP/ref" "$TMP/site$K"
	views "$TMP/v$K"
	for f in "$TMP/ref".thread* "$TMP/ref".show*; do
		check "$1: same ${f##*.}" cmp -s "$f" "$TMP/v$K.${f##*.}"
	done
}

same_site "cold cache"
check "cold cache: written" test -s "$CACHE"
expect_eq "cold cache: the format's header" "adr-thread-cache 1" "$(head -n 1 "$CACHE")"
cp "$CACHE" "$TMP/good"
check "cold cache: holds the three merges" grep -q "$(git rev-parse ":/Adr-Record: $N3")" "$TMP/good"

same_site "warm cache"
check "warm cache: not rewritten when nothing is new" cmp -s "$CACHE" "$TMP/good"

# Damaged files: ignored, the site the same, the file made whole again.
SIZE=$(stat -c %s "$TMP/good")
damage() { # WHAT COMMAND...: damages a copy of the good file, builds, checks
	local what=$1
	shift
	cp "$TMP/good" "$CACHE"
	"$@"
	same_site "$what"
	check "$what: rewritten whole" cmp -s "$CACHE" "$TMP/good"
}
flip() { printf 'X' | dd of="$CACHE" bs=1 seek=$((SIZE / 2)) conv=notrunc status=none; }
damage "one byte changed" flip
damage "truncated" truncate -s $((SIZE / 2)) "$CACHE"
damage "empty" truncate -s 0 "$CACHE"
damage "garbage" sh -c 'head -c 4096 /dev/urandom >"$1"' sh "$CACHE"
damage "checksum line cut" truncate -s $((SIZE - 1)) "$CACHE"

# A file whose checksum holds but that another format version, or another
# records directory, wrote (with a thread that, if trusted, would show): not
# trusted. The same edit at this version and directory is used: it is read.
forge() { # DEST FROM TO [FROM TO]...: the good file with text replaced (first
	# occurrence each) and its checksum made right again
	python3 - "$TMP/good" "$@" <<'PY'
import sys
src, dst, *pairs = sys.argv[1:]
body = open(src, "rb").read()[:-17]
for a, b in zip(pairs[::2], pairs[1::2]):
    assert a.encode() in body, a
    body = body.replace(a.encode(), b.encode(), 1)
h = 1469598103934665603
for c in body:
    h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
open(dst, "wb").write(body + b"%016x\n" % h)
PY
}
FORGE=("Memory limits? <b>now</b>" "Forged limits? <b>now</b>")
forge "$CACHE" "${FORGE[@]}"
run_adr html -o "$TMP/forged"
expect_eq "forged at this version: exit" 0 "$RC"
check "forged at this version: the cache is read" grep -q "Forged limits?" "$TMP/forged/$N1-"*.html
damage "another format version" forge "$CACHE" "${FORGE[@]}" "adr-thread-cache 1" "adr-thread-cache 99"
damage "another records directory" forge "$CACHE" "${FORGE[@]}" "docs/decisions" "docs/decisionz"
# One entry that does not read back (its thread's `other` neither NULL nor
# a string), the rest good: that thread is read from history, and kept.
M=$(grep -ao '^[0-9a-f]\{40\}-$' "$TMP/good" | head -n 1)
M=${M%-}
check "one entry unreadable: found an entry" test -n "$M"
damage "one entry unreadable" forge "$CACHE" "$M-" "${M}X"

# A cache that is a symlink is not followed, and its target not written.
forge "$TMP/forgedfile" "${FORGE[@]}"
cp "$TMP/forgedfile" "$TMP/forgedcopy"
rm -f "$CACHE"
ln -s "$TMP/forgedfile" "$CACHE"
same_site "symlinked cache"
check "symlinked cache: its target untouched" cmp -s "$TMP/forgedfile" "$TMP/forgedcopy"
check "symlinked cache: replaced by a good file" cmp -s "$CACHE" "$TMP/good"

# A new decision: the cache learns it, and the site still matches a build
# from history alone.
cp "$TMP/good" "$CACHE"
must_adr propose --no-edit Use gRPC
must_adr accept adr/use-grpc --reason "Typed"
N4=$(git log -1 --format=%B | sed -n 's/^Adr-Record: //p')
run_adr html -o "$TMP/new-cached"
expect_eq "new decision, warm cache: exit" 0 "$RC"
check "new decision: the cache learned it" grep -q "$(git rev-parse HEAD)" "$CACHE"
mv "$CACHE" "$TMP/learned"
mkdir "$CACHE"
run_adr html -o "$TMP/new-ref"
expect_eq "new decision, no cache: exit" 0 "$RC"
check "new decision: same site" diff -r "$TMP/new-ref" "$TMP/new-cached"
check "new decision: its thread shown" grep -q "Typed" "$TMP/new-ref/$N4-"*.html
rmdir "$CACHE"

# A shallow clone's history may grow parents later: its threads are not kept.
# (Made shallow at its root commit: the same history, with the file a
# fetch --unshallow would change.)
git clone -q "$R" "$TMP/shallow"
cd "$TMP/shallow"
git rev-list --max-parents=0 HEAD >.git/shallow
check "shallow: the clone is shallow" test -f .git/shallow
run_adr html -o "$TMP/shallow-site"
expect_eq "shallow: exit" 0 "$RC"
check "shallow: the site is built" test -s "$TMP/shallow-site/index.html"
check "shallow: no thread cache written" test ! -e .git/adr/threads

finish
