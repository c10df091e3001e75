#!/usr/bin/env bash
# Review safety (issue 10): what a proposal branch may bring to the decision
# branch (F10), comments on decided proposals (F11), proposals titled with a
# number (F13) and the reason in a branch-deletion warning (F25). Every
# refusal is checked for its message and for the state git sees afterwards.
# Each item has its own repository; SECTIONS="F11 F13" runs only those
# (to show each one failing on an older adr).
source "$(dirname "$0")/lib.sh"

D=docs/decisions
TODAY=$(date +%F)
trailers() { git log -1 --format='%(trailers:only,unfold)' "$1" | sed '/^$/d'; }
# A fresh repository with adr initialised and some code beside the records.
setup() {
	R=$TMP/$1
	new_repo "$R"
	cd "$R"
	run_adr init
	mkdir src
	echo v1 >src/app.c
	echo "read me" >README
	git add src README
	git commit -q -m code
}

# --- F10: a proposal branch that changes code is refused by accept and reject ---------------
F10() {
setup f10
must_adr propose --no-edit Harmless wording
P=$D/harmless-wording.md
git checkout -q adr/harmless-wording
echo "v2 backdoor" >src/app.c
git commit -q -am typo
git checkout -q main
MAIN=$(git rev-parse main)
BR=$(git rev-parse adr/harmless-wording)
run_adr thread harmless-wording
expect_eq "F10 thread exit" 0 "$RC"
expect_contains "F10 thread marks the commit" "revised  [changes files outside the proposal]" "$OUT"
expect_contains "F10 thread names the path" "outside the proposal: 'src/app.c'" "$OUT"
expect_contains "F10 thread shows the plain git subject" "    typo" "$OUT"
run_adr thread harmless-wording --json
expect_eq "F10 thread --json: outside per event" '[[], ["src/app.c"]]' "$(printf '%s' "$OUT" |
	python3 -c 'import json,sys; print(json.dumps([e["outside"] for e in json.load(sys.stdin)["events"]]))')"
for how in accept reject; do
	run_adr "$how" harmless-wording
	expect_eq "F10 $how refused" 1 "$RC"
	expect_eq "F10 $how message" "adr: adr/harmless-wording changes files outside its record: 'src/app.c'; a proposal may change only '$P' (and add images it shows under '$D/'); revert those changes on the branch (adr thread harmless-wording marks the commits that made them) and try again; nothing was written" "$ERR"
	expect_eq "F10 $how prints nothing" "" "$OUT"
	expect_eq "F10 $how leaves main" "$MAIN" "$(git rev-parse main)"
	expect_eq "F10 $how leaves the branch" "$BR" "$(git rev-parse adr/harmless-wording)"
done
expect_eq "F10 the code on main is untouched" "v1" "$(git show main:src/app.c)"
expect_eq "F10 the work tree is untouched" "v1" "$(cat src/app.c)"
check "F10 no record numbered" test -z "$(git ls-tree --name-only main $D/ | grep harmless)"
check "F10 status clean" status_clean "$R"

# A "comment" (Adr-Comment trailer) that deletes a file and changes another record is no comment.
git checkout -q adr/harmless-wording
git rm -q README
echo "tampered" >>$D/0001-record-decisions-in-git.md
git commit -q -a -m "adr: comment on harmless-wording" -m "Looks fine." -m "Adr-Action: comment
Adr-Comment: harmless-wording"
git checkout -q main
run_adr thread harmless-wording --json
expect_eq "F10 the disguised comment is marked" \
	"comment ['README', '$D/0001-record-decisions-in-git.md']" "$(printf '%s' "$OUT" |
	python3 -c 'import json,sys; e=json.load(sys.stdin)["events"][-1]; print(e["kind"], sorted(e["outside"]))')"
run_adr accept harmless-wording
expect_eq "F10 accept refused again" 1 "$RC"
expect_contains "F10 every path is listed" "outside its record: 'README', '$D/0001-record-decisions-in-git.md', 'src/app.c';" "$ERR"
expect_eq "F10 still nothing written" "$MAIN" "$(git rev-parse main)"

# Reverted on the branch, the proposal goes through and brings only its record.
git checkout -q adr/harmless-wording
git revert --no-edit HEAD HEAD~1 >/dev/null
git checkout -q main
run_adr thread harmless-wording
expect_contains "F10 the revert is marked too" "Revert \"typo\"" "$OUT"
run_adr accept harmless-wording
expect_eq "F10 accept after the revert" 0 "$RC"
expect_eq "F10 the merge brings only the record" "$D/0002-harmless-wording.md" "$(git diff --name-only main^1 main)"
expect_eq "F10 code unchanged" "v1" "$(git show main:src/app.c)"
check "F10 README kept" test -f README
check "F10 fsck" fsck_clean "$R"
check "F10 status clean after the accept" status_clean "$R"

# Images the record shows, new, under the records directory: allowed. Any other image: refused.
must_adr propose --no-edit Draw the flow
git checkout -q adr/draw-the-flow
printf '\n![flow](img/flow.png)\n' >>$D/draw-the-flow.md
mkdir -p $D/img
printf 'PNG1' >$D/img/flow.png
git add -A
git commit -q -m "diagram"
git checkout -q main
run_adr thread draw-the-flow
expect_not_contains "F10 a shown image is not marked" "outside the proposal" "$OUT"
git checkout -q adr/draw-the-flow
printf 'PNG2' >$D/img/unused.png
git add -A
git commit -q -m "another picture"
git checkout -q main
MAIN=$(git rev-parse main)
run_adr accept draw-the-flow
expect_eq "F10 an image the record does not show is refused" 1 "$RC"
expect_contains "F10 it names the image" "outside its record: '$D/img/unused.png';" "$ERR"
expect_eq "F10 nothing written for the image" "$MAIN" "$(git rev-parse main)"
git checkout -q adr/draw-the-flow
git rm -q $D/img/unused.png
git commit -q -m "drop it"
git checkout -q main
run_adr accept draw-the-flow
expect_eq "F10 accept with the shown image" 0 "$RC"
expect_eq "F10 the image is merged" "$D/0003-draw-the-flow.md
$D/img/flow.png" "$(git diff --name-only main^1 main)"
# Changing an image the decision branch already has is refused, even if the record shows it.
must_adr propose --no-edit Redraw the flow
git checkout -q adr/redraw-the-flow
printf '\n![flow](img/flow.png)\n' >>$D/redraw-the-flow.md
printf 'PNG3' >$D/img/flow.png
git commit -q -am "redraw"
git checkout -q main
snapshot_state
run_adr reject redraw-the-flow
expect_eq "F10 changing an existing image is refused" 1 "$RC"
expect_unchanged "F10 changing an existing image is refused: nothing changed"
expect_contains "F10 it names the existing image" "outside its record: '$D/img/flow.png';" "$ERR"
git branch -q -D adr/redraw-the-flow

# Bringing the decision branch into a proposal (to resolve a conflict) is not a foreign change.
must_adr propose --no-edit Keep going
echo v3 >src/app.c
git commit -q -am "v3 on main"
git checkout -q adr/keep-going
git merge -q --no-edit main >/dev/null
git checkout -q main
run_adr thread keep-going
expect_not_contains "F10 a merge of main is not marked" "outside the proposal" "$OUT"
run_adr accept keep-going
expect_eq "F10 accept after merging main in" 0 "$RC"
expect_eq "F10 code stays as main had it" "v3" "$(git show main:src/app.c)"
check "F10 fsck at the end" fsck_clean "$R"
check "F10 status clean at the end" status_clean "$R"
}

# --- F11: a comment on a decided proposal is a late comment; nothing reopens ------------------
F11() {
setup f11
must_adr propose --no-edit Late
git update-ref refs/remotes/origin/adr/late adr/late    # as after a fetch
REMOTE=$(git rev-parse origin/adr/late)
run_adr accept late
expect_eq "F11 accept" 0 "$RC"
N=$(basename "$OUT" | cut -c1-4)
MAIN=$(git rev-parse main)
run_adr comment late --object -m "I object"
expect_eq "F11 late comment exit" 0 "$RC"
expect_eq "F11 late comment says so" "adr: late was already decided as $N (accepted on $TODAY); your comment is kept on the decision branch as a late comment: it does not reopen the proposal" "$ERR"
expect_eq "F11 prints the commit" "$(git rev-parse --short=12 main)" "$OUT"
expect_eq "F11 the comment is on main, after the decision" "$MAIN" "$(git rev-parse main^)"
expect_eq "F11 the late comment changes no file" "$(git rev-parse main^{tree})" "$(git rev-parse main^^{tree})"
expect_eq "F11 late comment message" "adr: late object on late ($N)

I object" "$(git log -1 --format=%B main | sed -n 1,3p)"
expect_eq "F11 late comment trailers" "Adr-Action: comment
Adr-Proposal: adr/late
Adr-Comment: late
Adr-Late: true
Adr-Record: $N
Adr-Vote: object" "$(trailers main)"
expect_eq "F11 no local branch came back" "" "$(git branch --list adr/late)"
expect_eq "F11 the remote-tracking branch is untouched" "$REMOTE" "$(git rev-parse origin/adr/late)"
run_adr queue
expect_eq "F11 queue exit" 0 "$RC"
expect_eq "F11 queue has nothing open" "nothing waiting" "$OUT"
run_adr queue --json
expect_eq "F11 queue --json has no item" "0" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
MAIN=$(git rev-parse main)
for how in accept reject; do
	run_adr "$how" late
	expect_eq "F11 $how of a decided proposal exit" 0 "$RC"
	expect_eq "F11 $how of a decided proposal says so" "adr: late was already decided as $N (accepted on $TODAY); nothing was written" "$ERR"
	expect_eq "F11 $how writes nothing" "$MAIN" "$(git rev-parse main)"
done
snapshot_state
run_adr revise late --file "$D/$(git ls-tree --name-only main $D/ | grep -- "-late.md" | xargs basename)"
expect_eq "F11 revise of a decided proposal" 1 "$RC"
expect_unchanged "F11 revise of a decided proposal: nothing changed"
expect_contains "F11 revise says so" "adr: origin/adr/late was already decided as $N (accepted on $TODAY): a decision is not revised" "$ERR"
run_adr comment late --section Nowhere -m "x"
expect_eq "F11 late comment on a missing section" 2 "$RC"
expect_contains "F11 missing section message" "has no heading 'Nowhere'" "$ERR"
expect_eq "F11 failed late comment writes nothing" "$MAIN" "$(git rev-parse main)"
# The branch gone everywhere: still a late comment, on a dirty checked-out main.
git update-ref -d refs/remotes/origin/adr/late
echo "mine" >notes.txt
git add notes.txt
echo "unstaged" >>notes.txt
BEFORE=$(git status --porcelain; git diff; git diff --cached)
run_adr comment late --section Decision -m "Still against it."
expect_eq "F11 late comment without a branch" 0 "$RC"
expect_contains "F11 without a branch says so" "already decided as $N (accepted on $TODAY)" "$ERR"
expect_eq "F11 the user's work is untouched" "$BEFORE" "$(git status --porcelain; git diff; git diff --cached)"
git rm -q -f notes.txt
run_adr thread late
expect_eq "F11 thread exit" 0 "$RC"
expect_eq "F11 thread order" "proposed
decided
late comment (object)
late comment on section 'Decision'" "$(printf '%s\n' "$OUT" | grep -E '^[0-9]{4}-' | sed -E 's/^.{22}  [0-9a-f]{12}  [^<]*<[^>]*>  //')"
expect_contains "F11 thread shows the late text" "    Still against it." "$OUT"
run_adr show "$N" --thread --json
expect_eq "F11 show --thread --json: late flags" "proposed:False decided:False comment:True comment:True" "$(printf '%s' "$OUT" |
	python3 -c 'import json,sys; print(" ".join(e["kind"]+":"+str(e["late"]) for e in json.load(sys.stdin)["events"]))')"
run_adr queue
expect_eq "F11 queue still empty" "nothing waiting" "$OUT"

# A rejected proposal, and a branch that went on after the decision (a clone that did not know).
must_adr propose --no-edit Gone wrong
git update-ref refs/remotes/origin/adr/gone-wrong adr/gone-wrong
run_adr reject gone-wrong --reason "No."
NR=$(basename "$OUT" | cut -c1-4)
git branch -q adr/gone-wrong origin/adr/gone-wrong
git commit-tree -p adr/gone-wrong -m "adr: comment on gone-wrong" -m "Wait!" -m "Adr-Action: comment
Adr-Comment: gone-wrong" "adr/gone-wrong^{tree}" | xargs git update-ref refs/heads/adr/gone-wrong
LATE=$(git rev-parse adr/gone-wrong)
MAIN=$(git rev-parse main)
run_adr queue
expect_eq "F11 a branch with late commits is not open" "nothing waiting" "$OUT"
expect_eq "F11 queue warns about the late commit" "adr: warning: adr/gone-wrong was decided as $NR, but has 1 commit made after the decision; they do not reopen it (adr thread gone-wrong shows them as late)" "$ERR"
run_adr accept gone-wrong
expect_eq "F11 accept of a rejected proposal exit" 0 "$RC"
expect_contains "F11 accept of a rejected proposal says so" "adr: gone-wrong was already decided as $NR (rejected on $TODAY); nothing was written" "$ERR"
expect_contains "F11 the branch with late commits is kept" "adr: warning: adr/gone-wrong was kept: it has 1 commit made after the decision" "$ERR"
expect_eq "F11 kept branch unchanged" "$LATE" "$(git rev-parse adr/gone-wrong)"
expect_eq "F11 nothing merged again" "$MAIN" "$(git rev-parse main)"
run_adr comment gone-wrong -m "Agreed, no."
expect_eq "F11 comment goes to main, not to the branch" "$LATE" "$(git rev-parse adr/gone-wrong)"
expect_contains "F11 rejected decision named" "already decided as $NR (rejected on $TODAY)" "$ERR"
run_adr thread gone-wrong
expect_eq "F11 thread of the rejected one" "proposed
decided
late comment
late comment" "$(printf '%s\n' "$OUT" | grep -E '^[0-9]{4}-' | sed -E 's/^.{22}  [0-9a-f]{12}  [^<]*<[^>]*>  //')"
expect_contains "F11 the branch's late comment" "    Wait!" "$OUT"
expect_contains "F11 the decision branch's late comment" "    Agreed, no." "$OUT"
git branch -q -D adr/gone-wrong
git update-ref -d refs/remotes/origin/adr/gone-wrong
# The same title proposed again after the decision is a new, open proposal.
run_adr propose --no-edit Late
expect_eq "F11 the name can be proposed again" 0 "$RC"
run_adr queue
expect_contains "F11 the new proposal is open" "adr/late  Late" "$OUT"
run_adr comment late -m "On the new one."
expect_eq "F11 comment on the new proposal" 0 "$RC"
expect_eq "F11 it lands on the new branch" "$(git rev-parse --short=12 adr/late)" "$OUT"
expect_eq "F11 and says nothing of the old decision" "" "$ERR"
git branch -q -D adr/late
# The record gone from the decision branch: a late comment still lands, but
# a --section cannot be checked against it.
REC=$(git ls-tree --name-only main $D/ | grep -- "-late.md")
git rm -q "$REC"
git commit -q -m "drop it"
MAIN=$(git rev-parse main)
run_adr comment late --section Decision -m "Where did it go?"
expect_eq "F11 --section without the record" 2 "$RC"
expect_eq "F11 --section without the record says so" "adr: record $N is not on main, so it has no section to comment on" "$ERR"
expect_eq "F11 nothing written without the record" "$MAIN" "$(git rev-parse main)"
run_adr comment late -m "Where did it go?"
expect_eq "F11 late comment without the record" 0 "$RC"
expect_eq "F11 it still names the record" "Adr-Record: $N" "$(trailers main | grep Adr-Record)"
# A proposal merged with plain git (no adr accept): no number yet, nothing to comment or
# revise until adr accept (t_review_remote.sh) decides it in place.
must_adr propose --no-edit Merged by hand
git merge -q --no-ff --no-edit adr/merged-by-hand
MAIN=$(git rev-parse main)
TIP=$(git rev-parse adr/merged-by-hand)
for cmd in "comment merged-by-hand -m hi" "revise merged-by-hand --file $D/merged-by-hand.md"; do
	run_adr $cmd
	expect_eq "F11 ${cmd%% *} after a plain merge" 1 "$RC"
	expect_contains "F11 ${cmd%% *} after a plain merge says so" "adr: adr/merged-by-hand was merged into main by a plain git merge, not by adr accept or adr reject, so it has no number yet;" "$ERR"
	expect_contains "F11 ${cmd%% *} after a plain merge writes nothing" "nothing was written" "$ERR"
	expect_eq "F11 ${cmd%% *}: main unchanged" "$MAIN" "$(git rev-parse main)"
	expect_eq "F11 ${cmd%% *}: branch unchanged" "$TIP" "$(git rev-parse adr/merged-by-hand)"
done
run_adr thread merged-by-hand
expect_eq "F11 thread after a plain merge" 0 "$RC"
expect_contains "F11 thread after a plain merge: still proposed" "adr/merged-by-hand  proposed" "$OUT"
expect_contains "F11 thread after a plain merge: its history" "proposed" "$(echo "$OUT" | sed -n 3p)"
check "F11 fsck" fsck_clean "$R"
check "F11 status clean" status_clean "$R"
}

# --- F13: a title of digits never gives a file that reads as a numbered record ---------------
F13() {
setup f13
must_adr new --no-edit Second
# A branch made before this fix: adr/2 holding the unnumbered 2.md.
BLOB=$(printf -- '---\nstatus: proposed\nreview-by: 2099-01-01\n---\n# 2\n\n## Decision\n\nTwo.\n' | git hash-object -w --stdin)
git read-tree --index-output="$TMP/idx" main
GIT_INDEX_FILE=$TMP/idx git update-index --add --cacheinfo "100644,$BLOB,$D/2.md"
TREE=$(GIT_INDEX_FILE=$TMP/idx git write-tree)
git update-ref refs/heads/adr/2 "$(git commit-tree -p main -m "adr: propose 2" "$TREE")"
git update-ref refs/remotes/origin/adr/2 adr/2
for at in adr/2 origin/adr/2 refs/heads/adr/2; do
	run_adr list --at "$at"
	expect_eq "F13 list --at $at exit" 0 "$RC"
	expect_eq "F13 list --at $at: one 0002" "1" "$(printf '%s\n' "$OUT" | grep -c '^0002 ')"
	expect_not_contains "F13 list --at $at: the proposal is no record" "proposed" "$OUT"
done
run_adr check --all-refs
expect_not_contains "F13 no false duplicate number" "duplicate-number" "$OUT$ERR"
expect_eq "F13 check --all-refs exit" 0 "$RC"
git branch -q -D adr/2
git update-ref -d refs/remotes/origin/adr/2
# New proposals never get such a name.
run_adr propose --no-edit 2
expect_eq "F13 propose 2" "adr/proposal-2" "$OUT"
expect_eq "F13 the file is not numbered" "$D/proposal-2.md" "$(git diff --name-only main adr/proposal-2)"
run_adr propose --no-edit 12 factor app
expect_eq "F13 digits then words" "adr/proposal-12-factor-app" "$OUT"
run_adr propose --no-edit ADR 5 rules
expect_eq "F13 adr and a number" "adr/proposal-adr-5-rules" "$OUT"
run_adr propose --no-edit 2fa rollout
expect_eq "F13 digits inside a word stay" "adr/2fa-rollout" "$OUT"
run_adr list --at adr/proposal-2
expect_eq "F13 list --at the proposal" "0001
0002" "$(printf '%s\n' "$OUT" | cut -c1-4)"
run_adr check --all-refs
expect_eq "F13 check --all-refs with the new proposals" 0 "$RC"
run_adr accept proposal-2
expect_eq "F13 accept" 0 "$RC"
expect_eq "F13 the record keeps the slug" "$D/0003-proposal-2.md" "$OUT"
check "F13 fsck" fsck_clean "$R"
check "F13 status clean" status_clean "$R"
}

# --- F25: the branch-deletion warning always says why -------------------------------------------
F25() {
setup f25
must_adr propose --no-edit Lock me
touch .git/refs/heads/adr/lock-me.lock
LOCKED=$(git rev-parse adr/lock-me)
run_adr accept lock-me
expect_eq "F25 accept still records the decision" 0 "$RC"
check "F25 the record is on main" test -n "$(git ls-tree --name-only main $D/ | grep -- -lock-me.md)"
expect_contains "F25 the warning names the branch" "adr: warning: the decision is recorded, but adr/lock-me was kept: cannot delete it: failed to lock file" "$ERR"
expect_contains "F25 the warning says what to do" "remove that lock file); delete it later with git branch -D adr/lock-me" "$ERR"
check "F25 no empty reason" test -z "$(printf '%s\n' "$ERR" | grep -E ': *(;|$)')"
expect_eq "F25 the branch is kept" "$LOCKED" "$(git rev-parse adr/lock-me)"
rm .git/refs/heads/adr/lock-me.lock
git branch -q -D adr/lock-me
check "F25 fsck" fsck_clean "$R"
check "F25 status clean" status_clean "$R"
}

for section in ${SECTIONS:-F10 F11 F13 F25}; do
	"$section"
done
finish
