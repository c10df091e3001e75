#!/usr/bin/env bash
# The error paths of the review commands: each one says what is wrong and
# writes nothing.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
new_repo "$R"
cd "$R"
snapshot_state
run_adr propose --no-edit Too early
expect_eq "propose before init" 1 "$RC"
expect_unchanged "propose before init: nothing changed"
expect_contains "propose before init says so" "adr init" "$ERR"
must_adr init
refs() { git for-each-ref --format='%(refname) %(objectname)'; }

BEFORE=$(refs)
snapshot_state
run_adr propose --no-edit 日本語
expect_eq "title without ASCII" 1 "$RC"
expect_unchanged "title without ASCII: nothing changed"
expect_contains "title without ASCII says so" "cannot make a branch name" "$ERR"
snapshot_state
run_adr propose --no-edit
expect_eq "propose without a title" 2 "$RC"
expect_contains "propose without a title: says why" "adr: a title is required" "$ERR"
expect_unchanged "propose without a title: nothing changed"
snapshot_state
run_adr propose --no-edit --body-file "$TMP/missing.md" Missing body
expect_eq "missing body file" 1 "$RC"
expect_contains "missing body file: says why" "adr: cannot open '$TMP/missing.md': No such file or directory" "$ERR"
expect_unchanged "missing body file: nothing changed"
expect_eq "failed proposals write nothing" "$BEFORE" "$(refs)"

# A branch under adr/ that is not a proposal.
git branch -q adr/not-a-proposal main
snapshot_state
run_adr comment not-a-proposal -m hi
expect_eq "comment on a non-proposal" 1 "$RC"
expect_unchanged "comment on a non-proposal: nothing changed"
expect_contains "comment on a non-proposal says so" "it is not a proposal" "$ERR"
snapshot_state
run_adr revise not-a-proposal --file /dev/null
expect_eq "revise a non-proposal" 1 "$RC"
expect_contains "revise a non-proposal: says why" "adr: 'docs/decisions/not-a-proposal.md' does not exist" "$ERR"
expect_unchanged "revise a non-proposal: nothing changed"
snapshot_state
run_adr accept not-a-proposal
expect_eq "accept a non-proposal" 1 "$RC"
expect_unchanged "accept a non-proposal: nothing changed"
expect_contains "accept a non-proposal says so" "adr revise" "$ERR"
git branch -q -D adr/not-a-proposal

must_adr propose --no-edit Use Redis
printf -- '---\nstatus: [unclosed\n---\n# Use Redis\n' >"$TMP/broken.md"
BEFORE=$(refs)
snapshot_state
run_adr revise use-redis --file "$TMP/broken.md"
expect_eq "revise with a broken record" 1 "$RC"
expect_unchanged "revise with a broken record: nothing changed"
expect_contains "revise error names the file and line" "use-redis.md:3:1:" "$ERR"
snapshot_state
run_adr revise use-redis --file "$TMP/missing.md"
expect_eq "revise with a missing file" 1 "$RC"
expect_contains "revise with a missing file: says why" "adr: cannot open '$TMP/missing.md': No such file or directory" "$ERR"
expect_unchanged "revise with a missing file: nothing changed"
snapshot_state
run_adr revise use-redis
expect_eq "revise without file or editor" 2 "$RC"
expect_contains "revise without file or editor: says why" "adr: no editor: give --file F, or set VISUAL or EDITOR" "$ERR"
expect_unchanged "revise without file or editor: nothing changed"
snapshot_state
run_adr revise
expect_eq "revise without REF" 2 "$RC"
expect_contains "revise without REF: says why" "adr: expected one proposal (a slug or a branch)" "$ERR"
expect_unchanged "revise without REF: nothing changed"
expect_eq "failed revisions write nothing" "$BEFORE" "$(refs)"

# Editors: the comment and the revision come from $EDITOR.
printf '#!/bin/sh\nprintf "From the editor.\\n" >"$1"\n' >"$TMP/ed.sh"
chmod +x "$TMP/ed.sh"
EDITOR=$TMP/ed.sh run_adr comment use-redis
expect_eq "comment from the editor" 0 "$RC"
expect_contains "editor text stored" "From the editor." "$(git log -1 --format=%B adr/use-redis)"
printf '#!/bin/sh\nsed -i "s/^# Use Redis/# Use Redis 7/" "$1"\n' >"$TMP/ed2.sh"
chmod +x "$TMP/ed2.sh"
EDITOR=$TMP/ed2.sh run_adr revise use-redis
expect_eq "revise in the editor" 0 "$RC"
expect_contains "revision from the editor" "# Use Redis 7" "$(git show adr/use-redis:$D/use-redis.md)"
snapshot_state
EDITOR=false run_adr comment use-redis
expect_eq "editor fails" 1 "$RC"
expect_contains "editor fails: says why" "adr: the editor 'false' failed (exit status 1)" "$ERR"
expect_unchanged "editor fails: nothing changed"

# A proposal whose record cannot be read.
git show adr/use-redis:$D/use-redis.md >"$TMP/ok.md"
git checkout -q adr/use-redis
printf -- '---\nstatus: [unclosed\n---\n# Use Redis\n' >$D/use-redis.md
git commit -q -am "break it"
git checkout -q main
BEFORE=$(refs)
snapshot_state
run_adr accept use-redis
expect_eq "accept a broken proposal" 1 "$RC"
expect_unchanged "accept a broken proposal: nothing changed"
expect_contains "accept a broken proposal says why" "use-redis.md:" "$ERR"
run_adr queue
expect_contains "queue reports the broken proposal" "warning" "$ERR"
expect_eq "broken proposal: nothing written" "$BEFORE" "$(refs)"

# A proposal that supersedes a record that does not exist.
must_adr propose --no-edit Replace nothing
git show adr/replace-nothing:$D/replace-nothing.md | sed 's/^status: proposed/status: proposed\nsupersedes: [77]/' >"$TMP/s.md"
must_adr revise replace-nothing --file "$TMP/s.md"
BEFORE=$(refs)
run_adr accept replace-nothing
expect_eq "superseding a missing record" 1 "$RC"
expect_contains "superseding a missing record says so" "record 0077, which does not exist" "$ERR"
expect_eq "superseding a missing record writes nothing" "$BEFORE" "$(refs)"

snapshot_state
run_adr accept
expect_eq "accept without REF" 2 "$RC"
expect_contains "accept without REF: says why" "adr: expected one proposal (a slug or a branch)" "$ERR"
expect_unchanged "accept without REF: nothing changed"
snapshot_state
run_adr reject a b
expect_eq "reject with two REFs" 2 "$RC"
expect_contains "reject with two REFs: says why" "adr: expected one proposal (a slug or a branch)" "$ERR"
expect_unchanged "reject with two REFs: nothing changed"
run_adr thread # read-only
expect_eq "thread without REF" 2 "$RC"
expect_contains "thread without REF: says why" "adr: expected one proposal or record number" "$ERR"
snapshot_state
run_adr comment
expect_eq "comment without REF" 2 "$RC"
expect_contains "comment without REF: says why" "adr: expected one proposal (a slug or a branch)" "$ERR"
expect_unchanged "comment without REF: nothing changed"
snapshot_state
run_adr meeting extra
expect_eq "meeting with an argument" 2 "$RC"
expect_contains "meeting with an argument: says why" "adr: unexpected argument 'extra'" "$ERR"
expect_unchanged "meeting with an argument: nothing changed"
snapshot_state
run_adr accept --by $'Two\nlines' replace-nothing
expect_eq "--by with a newline" 2 "$RC"
expect_contains "--by with a newline: says why" "adr: a decision-maker's name is one line of UTF-8 text" "$ERR"
expect_unchanged "--by with a newline: nothing changed"
# A hostile title is stored as text, never run.
T='Use "quotes" and $(touch '"$TMP"'/pwned) `id` '"'"'single'"'"' \\ back'
run_adr propose --no-edit "$T"
expect_eq "hostile title" 0 "$RC"
B=$OUT
check "hostile title not executed" test ! -e "$TMP/pwned"
S=${B#adr/}
expect_eq "hostile title stored faithfully" "# $T" "$(git show "$B:$D/$S.md" | grep '^# ')"
expect_eq "hostile title in the subject" "adr: propose $T" "$(git log -1 --format=%s "$B")"
run_adr propose --no-edit "$(head -c 3000 /dev/zero | tr '\0' a)"
expect_eq "very long title" 0 "$RC"
expect_eq "long title: branch name capped" 64 "${#OUT}"
# Remote-only proposals are found by their adr/ name too.
git init -q --bare "$TMP/o.git"
git remote add origin "$TMP/o.git"
git push -q origin "$B"
git branch -q -D "$B"
git fetch -q origin
run_adr thread "$S"
expect_eq "thread of a remote-only proposal" 0 "$RC"
expect_contains "thread reads the remote-tracking branch" "(refs/remotes/origin/$B)" "$OUT"
run_adr queue --json
expect_json "queue lists the remote-only proposal" '[i["slug"] for i in d["items"] if i.get("remote")]' "[\"$S\"]"
run_adr comment "$B" -m "via the remote-tracking branch"
expect_eq "adr/<slug> finds a remote-only proposal" 0 "$RC"
expect_eq "comment landed on a new local branch" "$(git rev-parse "origin/$B")" "$(git rev-parse "$B^")"
check "fsck" fsck_clean "$R"
check "status clean" status_clean "$R"
finish
