#!/usr/bin/env bash
# lint-failure-checks.sh [FILE...]: finds, in the end-to-end tests
# (tests/cli/t_*.sh by default), the checks that let a failure or a setup
# step pass unseen. It reports, as file:line:
#
#   failure   a command expected to FAIL (expect_eq ... N "$RC" with N != 0,
#             test "$RC" -ne 0, if "$ADR" ...; then fail) whose step does not
#             check BOTH the message (expect_contains / expect_eq on $ERR,
#             $OUT or a saved .err/.out file) AND the state (expect_unchanged,
#             commit_count, git ..., test -e ..., or a test's own state helper).
#             A step whose command cannot change anything (list, show, search,
#             a usage error of a read command) says so with a `# read-only`
#             comment on the invocation or the exit-code line: then the
#             message check suffices. The marker is explicit, never guessed.
#   setup     a run_adr whose exit code, output and error are never looked at
#             before the next command: a setup step that may have failed
#             silently (use must_adr, which aborts the test loudly).
#   no results  expect_eq ... "" "$OUT" (or "[]") with no look at $RC: a
#             command that failed prints nothing too.
#   JSON      a key and value matched as a substring ('"records": 4' also
#             matches 40) or counted with grep: use expect_json / json_val.
#
# A "step" is the exit-code check plus the lines around it up to the
# previous and the next command (run_adr, "$ADR", must_adr, snapshot_state),
# at most 12 lines each way. Heuristic, on purpose simple: it reads lines,
# not bash. It prints the sites, then the counts; it exits 1 when any site
# is found (ctest: lint/failure_checks). The count line also says how many
# failure checks look at neither the message nor the state (issue 11's count).
set -euo pipefail
command -v python3 >/dev/null || { echo "lint-failure-checks: python3 is required" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -eq 0 ]; then set -- "$here"/cli/t_*.sh; fi
exec python3 - "$@" <<'PY'
import re, sys, os

files = sys.argv[1:]
WINDOW = 12
# A line that starts a new command (ends a step).
INVOKE = re.compile(r'(^|[\s;(&|`$])(run_adr|must_adr|run_shallow|ok)\s|"\$ADR"|\$\{?ADR\}?\s|snapshot_state\b')
DEF = re.compile(r'^\s*[A-Za-z_][A-Za-z0-9_]*\(\)\s*\{')
# Failure expectations.
RC_VAR = r'(?:"?\$\{?[A-Za-z_]*(?:rc|RC)\}?"?|"\$\(cat [^)]*\.rc"?\)")'
FAIL_EQ = re.compile(r'\bexpect_eq\s+("(?:[^"\\]|\\.)*"|\'[^\']*\'|\S+)\s+"?([0-9]+)"?\s+' + RC_VAR)
FAIL_TEST = re.compile(r'\bcheck\b.*\$\{?(?:RC|rc)\}?"?\s+(?:-ne|!=|-gt)\s+"?0\b')
FAIL_IF = re.compile(r'\bif\s+(?:[A-Z_]+=\S+\s+)*"\$ADR"[^;]*;\s*then\s+fail|"\$ADR"[^|&]*&&\s*fail')
READ_ONLY = re.compile(r'#.*\bread-only\b')
# A check of the message: an expect_contains / expect_eq (not of "") / grep on
# what the command printed.
MSG_SRC = r'(\berr\.\w+|\$\{?ERR\b|\$\{?OUT\b|\$\{?[A-Za-z_]*(?:ERR|OUT|err|out)\}?"|\.err\b|\.out\b|stderr|\$\{?MSG\b|\$\{?[A-Z_]*ERR[A-Z_]*\b)'
MSG_CHECK = re.compile(r'\b(expect_contains|expect_eq|expect_matches)\b.*' + MSG_SRC + r'|\bcheck\b.*\bgrep\b.*' + MSG_SRC
                       + r'|\bexpect_json\b')  # expect_json reads $OUT
MSG_EMPTY = re.compile(r'\bexpect_eq\s+("(?:[^"\\]|\\.)*"|\S+)\s+""\s')
# A check of the state.
STATE_CHECK = re.compile(
    r'\bexpect_unchanged\b|\bcommit_count\b|\bstatus_clean\b|\bfsck_clean\b'
    r'|\bgit\s|\bsgit\s|\btest\s+(?:!\s+)?-[edfsLh]\s|\[\s+(?:!\s+)?-[edfsLh]\s|\bls\s|\bfind\s|\bcmp\s|\bdiff\s'
    r'|\$\(cat\s+(?!"?\$TMP/[^)]*\.(?:err|out|rc)\b)[^)]*\)|\bstat\s'
    # helpers of single tests that record state
    r'|\b(same_as_before|site_state|site_bytes|leftovers|refs|refs_snapshot|snap|has_ref|kept_files|kept_count|deadline_of|trailers)\b')
USE = re.compile(r'\$\{?(RC|OUT|ERR)\b|\bexpect_json\b')

def is_invoke(line):
    s = line.strip()
    if s.startswith('#') or DEF.match(line):
        return False
    return bool(INVOKE.search(line))

failure_sites, setup_sites, empty_sites, json_sites = [], [], [], []
neither = total = 0
for path in files:
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    # Here-documents are data (scripts and records a test writes): blank them.
    end_word = None
    for i, line in enumerate(lines):
        if end_word is not None:
            if line.strip() == end_word:
                end_word = None
            lines[i] = ''
            continue
        h = re.search(r'<<-?\s*([\'"]?)([A-Za-z_][A-Za-z0-9_]*)\1', line)
        if h and not line.lstrip().startswith('#'):
            end_word = h.group(2)
    rel = os.path.relpath(path)
    n = len(lines)
    # The file's own functions that look at RC, OUT or ERR (after_write, ...):
    # calling one checks the step.
    checkers = set()
    for i, line in enumerate(lines):
        d = DEF.match(line)
        if not d:
            continue
        name = line.strip().split('(', 1)[0]
        if name in ('run_adr', 'lib_run_adr'):
            continue
        body = [line]
        if not line.rstrip().endswith('}'):
            for j in range(i + 1, min(n, i + 200)):
                body.append(lines[j])
                if lines[j].startswith('}'):
                    break
        if any(USE.search(l) for l in body[1:] if not re.search(r'\b(RC|OUT|ERR)=', l)) or \
           (len(body) == 1 and USE.search(line.split('{', 1)[1])):
            checkers.add(name)
    uses = lambda l: USE.search(l) or any(re.search(r'(^|[\s;])' + re.escape(c) + r'\b', l) for c in checkers)
    for i, line in enumerate(lines):
        code = line.split(' #', 1)[0] if not line.lstrip().startswith('#') else ''
        if not code:
            continue
        m = FAIL_EQ.search(code)
        expects_failure = (m and int(m.group(2)) != 0) or FAIL_TEST.search(code) or FAIL_IF.search(code)
        if not expects_failure:
            continue
        total += 1
        # The step: back to the command that set RC, forward to the next one.
        start = i
        if not is_invoke(line):
            for j in range(i - 1, max(-1, i - WINDOW - 1), -1):
                start = j
                if is_invoke(lines[j]):
                    break
        end = i + 1
        while end < n and end <= i + WINDOW and not is_invoke(lines[end]):
            end += 1
        step = lines[start:end]
        read_only = any(READ_ONLY.search(l) for l in (lines[start], line))
        # statements: a quoted string may span lines
        body, cur = [], ''
        for l in step:
            if not cur and l.lstrip().startswith('#'):
                continue
            cur = cur + ' ' + l if cur else l
            if len(re.findall(r'(?<!\\)"', cur)) % 2 == 0 and not cur.endswith('\\'):
                body.append(cur)
                cur = ''
        if cur:
            body.append(cur)
        msg = any(MSG_CHECK.search(l) and not MSG_EMPTY.search(l) for l in body)
        # the command line itself (run_adr / "$ADR" ...) is no state check
        # and a git command that only sets up the next step (git add, git
        # commit) is none either: a state check is an expect_* or check line
        state = any(STATE_CHECK.search(l) for l in body if re.search(r'\b(expect_\w+|check)\s', l))
        if not msg and not state:
            neither += 1
        missing = []
        if not msg:
            missing.append('message')
        if not state and not read_only:
            missing.append('state')
        if missing:
            failure_sites.append(f'{rel}:{i + 1}: failure check without {" or ".join(missing)}: {line.strip()}')
    # Setup steps: run_adr whose RC/OUT/ERR is never used before the next command.
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith('#') or DEF.match(line):
            continue
        if not re.search(r'(^|[\s;(])run_adr\s', line) or re.search(r'\b(must_adr|ok)\s', line):
            continue
        if uses(line.split('run_adr', 1)[1]):
            continue
        used = False
        for j in range(i + 1, min(n, i + 1 + WINDOW)):
            if is_invoke(lines[j]) and not uses(lines[j]):
                break
            if uses(lines[j]) and not lines[j].lstrip().startswith('#'):
                used = True
                break
            if is_invoke(lines[j]):
                break
        if not used:
            setup_sites.append(f'{rel}:{i + 1}: run_adr whose result is never checked: {s}')

    # "No results" checks (expect_eq ... "" or "[]" "$OUT") must check the
    # exit code too: a command that failed also prints nothing.
    for i, line in enumerate(lines):
        if line.lstrip().startswith('#') or 'expect_eq' not in line:
            continue
        if not re.search(r'\s(""|\'\'|"\[\]"|\'\[\]\')\s+"\$(OUT"|\(.*\$OUT\b)', line):
            continue
        start = i
        for j in range(i - 1, max(-1, i - WINDOW - 1), -1):
            start = j
            if is_invoke(lines[j]):
                break
        if not any(re.search(r'\$\{?RC\b', l) for l in lines[start:i + 3]):
            empty_sites.append(f'{rel}:{i + 1}: "no results" check without the exit code: {line.strip()}')
    # JSON compared as text: a key and value as a substring, or counted with grep.
    for i, line in enumerate(lines):
        if line.lstrip().startswith('#'):
            continue
        if re.search(r'\bexpect_(not_)?contains\s+("(?:[^"\\]|\\.)*"|\S+)\s+(\'\{?"[A-Za-z_-]+":|"\\"[A-Za-z_-]+\\":)', line) \
           or re.search(r'grep\s+(-c|-q)\s+\'"[A-Za-z_-]+"', line):
            json_sites.append(f'{rel}:{i + 1}: JSON compared as text (use expect_json): {line.strip()}')

for s in failure_sites + setup_sites + empty_sites + json_sites:
    print(s)
print(f'{total} failure checks; {len(failure_sites)} without the message or the state '
      f'({neither} with neither); {len(setup_sites)} unchecked run_adr steps; '
      f'{len(empty_sites)} "no results" checks without the exit code; {len(json_sites)} JSON checks as text')
sys.exit(1 if failure_sites or setup_sites or empty_sites or json_sites else 0)
PY
