#!/usr/bin/env bash
# Shell completion (issue 18): the bash and zsh scripts (cmd/completion/)
# ask `adr __complete` for candidates: commands, options, option values,
# record numbers, proposal slugs, branches and remotes from the repository.
# bash: the script is sourced and its function called with COMP_WORDS and
# COMP_CWORD set, as bash's programmable completion does. zsh: the script is
# autoloaded by a real zsh (zsh -f) and run with `words` and CURRENT set,
# compadd and _files recording what they are given; then, on a real zsh
# line editor in a pseudo-terminal (zpty), Tab completes a command.
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-11-21T10:00:00Z
COMPDIR=$ADR_SOURCE_DIR/cmd/completion
BASH_SCRIPT=$COMPDIR/adr.bash
ZSH_SCRIPT=$COMPDIR/_adr
check "the bash script exists" test -f "$BASH_SCRIPT"
check "the zsh script exists" test -f "$ZSH_SCRIPT"

cd "$TMP"
git init -q --bare remote.git
new_repo repo
cd repo
must_adr init
must_adr new --no-edit "Use PostgreSQL"
must_adr new --no-edit "Use Kafka"
must_adr propose --no-edit --deadline 2099-12-01 "Adopt Rust"
git branch feature-x
git remote add origin "$TMP/remote.git"
git push -q origin main
commits=$(commit_count .)

# bash_complete WORD...: what _adr puts in COMPREPLY for the command line
# "adr WORD..." (the last word is being typed), sorted, one a line.
bash_complete() {
	bash --norc --noprofile -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_adr
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$BASH_SCRIPT" "$ADR" "$@"
}
lines() { printf '%s\n' "$@"; }

# 1. The script registers _adr for adr.
expect_contains "bash: complete -p adr" "-F _adr" "$(bash --norc -c 'source "$1"; complete -p adr' _ "$BASH_SCRIPT")"

# 2. Commands, and adr's own options.
expect_eq "bash: 'sh' -> show" "show" "$(bash_complete sh)"
expect_eq "bash: 'su' -> supersede" "supersede" "$(bash_complete su)"
all=$(bash_complete "")
ncmd=$("$ADR" --help | sed -n '/^commands:/,/^$/p' | grep -cE '^  [a-z]+ ')
expect_eq "bash: '' -> every command" "$ncmd" "$(wc -l <<<"$all")"
expect_contains "bash: '' -> propose" "propose" "$all"
expect_eq "bash: '--q' -> --quiet" "--quiet" "$(bash_complete --q)"
expect_eq "bash: after -C DIR the command" "show" "$(bash_complete -C "$TMP/repo" sh)"

# 3. A command's options, and the values of enum and revision options.
expect_eq "bash: list --st" "--status" "$(bash_complete list --st)"
expect_eq "bash: index --re" "--rebuild" "$(bash_complete index --re)"
expect_eq "bash: list --status ac" "accepted" "$(bash_complete list --status ac)"
expect_eq "bash: html --audience ''" "$(lines internal partner public)" "$(bash_complete html --audience "")"
revs=$(bash_complete html --rev "")
expect_contains "bash: html --rev: main" "main" "$revs"
expect_contains "bash: html --rev: feature-x" "feature-x" "$revs"
expect_contains "bash: html --rev: the proposal's branch" "adr/adopt-rust" "$revs"
expect_contains "bash: html --rev: remote-tracking" "origin/main" "$revs"
expect_not_contains "bash: html --rev: not origin/HEAD" "origin/HEAD" "$revs"

# 4. Positional arguments from the repository.
expect_eq "bash: show ''" "$(lines 0001 0002 0003 adopt-rust)" "$(bash_complete show "")"
expect_eq "bash: edit 000" "$(lines 0001 0002 0003)" "$(bash_complete edit 000)"
expect_eq "bash: accept ''" "adopt-rust" "$(bash_complete accept "")"
expect_eq "bash: comment --approve ad" "adopt-rust" "$(bash_complete comment --approve ad)"
expect_eq "bash: status 0001 dep" "deprecated" "$(bash_complete status 0001 dep)"
expect_eq "bash: status --reason TEXT 0001 sup" "superseded" "$(bash_complete status --reason why 0001 sup)"
expect_eq "bash: supersede 0001 ''" "$(lines 0001 0002 0003)" "$(bash_complete supersede 0001 "")"
expect_eq "bash: diff fe" "feature-x" "$(bash_complete diff fe)"
expect_eq "bash: diff main..fe" "main..feature-x" "$(bash_complete diff main..fe)"
expect_eq "bash: sync ''" "origin" "$(bash_complete sync "")"
expect_eq "bash: hooks ''" "$(lines install status uninstall)" "$(bash_complete hooks "")"
expect_eq "bash: help pro" "propose" "$(bash_complete help pro)"
expect_eq "bash: why '' (a path: the shell's files)" "" "$(bash_complete why "")"
expect_eq "bash: show 0001 '' (no second record)" "" "$(bash_complete show 0001 "")"

# 5. -C DIR: the directory is the shell's; the records are DIR's.
mkdir -p "$TMP/dirs/alpha" "$TMP/dirs/beta"
cd "$TMP/dirs"
expect_eq "bash: -C '' -> directories" "$(lines alpha beta)" "$(bash_complete -C "")"
cd "$TMP"
expect_eq "bash: -C repo show ''" "$(lines 0001 0002 0003 adopt-rust)" "$(bash_complete -C repo show "")"

# 6. Outside a repository: commands still, no records, nothing on stderr.
mkdir -p "$TMP/norepo"
cd "$TMP/norepo"
run_adr __complete -- show "" # read-only
expect_eq "outside a repository: exit" 0 "$RC"
expect_eq "outside a repository: no records" "" "$OUT"
expect_eq "outside a repository: nothing on stderr" "" "$ERR"
expect_eq "outside a repository: commands" "show" "$(bash_complete sh)"
cd "$TMP/repo"

# 7. Completing changed nothing.
expect_eq "nothing committed" "$commits" "$(commit_count "$TMP/repo")"
check "status clean" status_clean "$TMP/repo"
check "fsck clean" fsck_clean "$TMP/repo"

# --- zsh -----------------------------------------------------------------
if ! command -v zsh >/dev/null; then
	fail "zsh is required (tests/install-deps.sh installs it)"
	finish
	exit 1
fi

# zsh_complete WORD...: what _adr gives compadd (or "<files>" when it falls
# back to _files), for the command line "adr WORD...".
zsh_complete() {
	zsh -f -c '
		fpath=("$1" $fpath); shift
		autoload -Uz _adr
		compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
		_files() { print -r -- "<files $*>"; }
		words=("$@"); CURRENT=$#
		_adr | sort' _ "$COMPDIR" "$ADR" "$@"
}
expect_eq "zsh: 'sh' -> show" "show" "$(zsh_complete sh)"
expect_eq "zsh: list --st" "--status" "$(zsh_complete list --st)"
expect_eq "zsh: list --status ac" "accepted" "$(zsh_complete list --status ac)"
expect_eq "zsh: show ''" "$(lines 0001 0002 0003 adopt-rust)" "$(zsh_complete show "")"
expect_eq "zsh: accept ''" "adopt-rust" "$(zsh_complete accept "")"
expect_eq "zsh: diff main..fe" "main..feature-x" "$(zsh_complete diff main..fe)"
expect_eq "zsh: why '' -> files" "<files >" "$(zsh_complete why "")"
expect_eq "zsh: -C '' -> directories" "<files -/>" "$(zsh_complete -C "")"

# A real zsh line editor: compinit, then "adr sh<Tab>" and "--js<Tab>"
# become "adr show --json" (the line is then printed, not run).
mkdir -p "$TMP/bin"
ln -s "$ADR" "$TMP/bin/adr"
cat >"$TMP/zpty.zsh" <<'ZSH'
zmodload zsh/zpty || exit 3
zpty -b z zsh -f -i
zpty -w z 'PS1="> "; fpath=("'"$COMPDIR"'" $fpath); path=("'"$TMP/bin"'" $path); autoload -Uz compinit; compinit -u -D'
zpty -w -n z $'adr sh\t--js\t\x01print -r -- LINE: \n'
out=
for i in {1..100}; do
	chunk=
	zpty -r -t z chunk 2>/dev/null && out+=$chunk
	[[ $out == *"LINE: adr show --json"* ]] && break
	sleep 0.1
done
zpty -d z
print -r -- "$out"
ZSH
out=$(COMPDIR=$COMPDIR TMP=$TMP zsh -f "$TMP/zpty.zsh" 2>&1 | tr -d '\r' || true)
expect_contains "zsh line editor: Tab completes from adr" "LINE: adr show --json" "$out"

finish
