# Shared helpers for end-to-end tests that answer adr's prompts on a real
# terminal: a tmux server on its own socket in $TMP, one session $SESSION
# (set it before sourcing). Sourced after lib.sh; replaces the EXIT trap
# with one that also stops the tmux server.
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
SOCK=$TMP/tmux.sock
: "${SESSION:=adr-test}"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
cleanup_tmux() { tm kill-server 2>/dev/null || true; cleanup_tmp; }
trap cleanup_tmux EXIT

# wait_for TEXT: polls the pane, wrapped lines joined (10 s at most), until
# TEXT shows; prints the pane when it does not.
wait_for() {
	local i
	for i in $(seq 1 100); do
		if tm capture-pane -p -J -t "$SESSION" 2>/dev/null | grep -cF -- "$1" >/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "--- pane ---" >&2
	tm capture-pane -p -J -t "$SESSION" >&2 || true
	return 1
}

# wait_file FILE: polls (10 s at most) until FILE exists.
wait_file() {
	local i
	for i in $(seq 1 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# answer TEXT: types TEXT and Enter.
answer() {
	tm send-keys -t "$SESSION" -l -- "$1"
	tm send-keys -t "$SESSION" Enter
}

# start_commit DIR MARKER ARGS...: runs `git commit ARGS` in DIR on the
# terminal (a new session); its exit code goes to the file MARKER, renamed
# into place whole (wait_file may look between a redirection's creating
# the file and the write).
start_commit() {
	local dir=$1 marker=$2 cmd
	shift 2
	tm kill-session -t "$SESSION" 2>/dev/null || true
	printf -v cmd '%q ' git commit "$@"
	tm new-session -d -x 200 -y 50 -s "$SESSION" \
		"cd $(printf %q "$dir") && $cmd; echo \$? > $(printf %q "$marker.tmp") && mv $(printf %q "$marker.tmp") $(printf %q "$marker"); sleep 30"
}
