#!/usr/bin/env bash
# Docs cannot drift: every usage line of every command appears in README.md.
source "$(dirname "$0")/lib.sh"

README=$ADR_SOURCE_DIR/README.md
COMMANDS=$("$ADR" help | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}')
check "the command table is not empty" test -n "$COMMANDS"
for cmd in $COMMANDS; do
	USAGE=$("$ADR" "$cmd" --help | sed -n 's/^usage: //p; s/^   or: //p')
	if [ -z "$USAGE" ]; then
		fail "$cmd --help prints no usage line"
		continue
	fi
	while IFS= read -r line; do
		if grep -qF -- "$line" "$README"; then pass; else fail "README.md lacks the usage line: $line"; fi
	done <<<"$USAGE"
done
finish
