# bash completion for adr. Installed as
# /usr/share/bash-completion/completions/adr; or source it from ~/.bashrc.
# The candidates come from adr itself (`adr __complete WORD...`): commands,
# options, record numbers, proposal slugs, branches; when it offers none
# (a file, a directory, free text), bash completes file names.
_adr() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local adr=${COMP_WORDS[0]} IFS=$'\n'
	if ((COMP_CWORD > 0)); then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi
	if [[ $prev == -C ]]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
	fi
	# The adr being completed, or the one on PATH when it is not a command.
	type -P -- "$adr" >/dev/null 2>&1 || adr=adr
	COMPREPLY=($(command "$adr" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
	return 0
}
complete -o default -F _adr adr
