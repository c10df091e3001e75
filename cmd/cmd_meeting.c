/* adr meeting: record the decisions of a meeting (asked for, or read from minutes) in one commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

const char *const cmd_meeting_usage[] = {
	"adr meeting [--attendee NAME]... [--from FILE] [--revisit DATE|PERIOD]",
	"adr meeting [--owner NAME] ...",
	"adr meeting --attendee NAME... --decide REF... [--reject] [--from FILE]",
	"adr meeting [--visibility public|partner|internal] [--tag TAG]... [other options]",
	NULL
};

/* Asks on the terminal; the answer (without the newline) goes to `out`.
 * Returns -1 at end of input. */
static int ask(FILE *in, FILE *out, adr_buf *answer, const char *prompt)
{
	char line[4096];
	adr_buf_clear(answer);
	fputs(prompt, out);
	fflush(out);
	for (;;) {
		size_t n;
		if (!fgets(line, sizeof(line), in))
			return answer->size ? 0 : -1;
		n = strlen(line);
		if (n && line[n - 1] == '\n') {
			line[--n] = '\0';
			if (n && line[n - 1] == '\r')
				line[--n] = '\0';
			adr_buf_put(answer, line, n);
			return 0;
		}
		adr_buf_put(answer, line, n);
	}
}

/* The proposals on the agenda (adr queue --agenda) the meeting decides,
 * picked by number into `decide`. A queue that cannot be read offers
 * none: the meeting goes on with its own decisions. */
static int pick_from_agenda(FILE *tty, adr_repo *repo, adr_strlist *decide)
{
	adr_queue q = ADR_QUEUE_INIT;
	adr_strlist offered = ADR_STRLIST_INIT;
	adr_buf a = ADR_BUF_INIT;
	int rc = 0;

	if (adr_queue_build(&q, repo) < 0) {
		fprintf(tty, "(the agenda cannot be read: %s)\n", cli_error_text());
		return 0;
	}
	for (size_t i = 0; i < q.count; i++) {
		const adr_queue_item *it = &q.items[i];
		const char *why = adr_queue_agenda_reason(&q, it);
		if (it->kind != ADR_QUEUE_PROPOSAL || !why || !it->slug)
			continue;
		if (!offered.count)
			fprintf(tty, "Proposals on the agenda:\n");
		adr_strlist_add(&offered, it->slug);
		fprintf(tty, "  %zu. adr/%s  %s  (%s)\n", offered.count, cli_oneline(it->slug), cli_oneline(it->title), why);
	}
	while (offered.count) {
		char *p, *end;
		bool ok = true;
		if (ask(tty, tty, &a, "Decide which of them in this meeting? (numbers, comma-separated; Enter: none) ") < 0) {
			rc = -1;
			break;
		}
		adr_strlist_dispose(decide);
		*decide = (adr_strlist)ADR_STRLIST_INIT;
		for (p = a.ptr; ok && p && *p;) {
			long n;
			while (*p == ' ' || *p == ',')
				p++;
			if (!*p)
				break;
			n = strtol(p, &end, 10);
			ok = end != p && n >= 1 && (size_t)n <= offered.count;
			if (ok)
				adr_strlist_add_unique(decide, offered.items[n - 1]);
			p = end;
		}
		if (ok)
			break;
		fprintf(tty, "  give numbers from 1 to %zu, or nothing\n", offered.count);
	}
	adr_buf_dispose(&a);
	adr_strlist_dispose(&offered);
	adr_queue_dispose(&q);
	return rc;
}

static int interactive(adr_meeting *m, adr_strlist *attendees, adr_repo *repo, adr_strlist *decide)
{
	FILE *tty = isatty(STDIN_FILENO) ? fopen("/dev/tty", "r+") : NULL;
	adr_buf title = ADR_BUF_INIT, decision = ADR_BUF_INIT, rationale = ADR_BUF_INIT, options = ADR_BUF_INIT;
	adr_buf a = ADR_BUF_INIT;
	int rc = CLI_FAIL;

	if (!tty)
		return cli_error("no terminal: use --from FILE to record a meeting from minutes");
	if (!attendees->count) {
		if (ask(tty, tty, &a, "Attendees (comma-separated): ") < 0)
			goto eof;
		for (char *p = a.ptr, *comma; p && *p; p = comma ? comma + 1 : NULL) {
			char *s = p, *e;
			if ((comma = strchr(p, ',')))
				*comma = '\0';
			while (*s == ' ')
				s++;
			e = s + strlen(s);
			while (e > s && e[-1] == ' ')
				*--e = '\0';
			if (*s)
				adr_strlist_add_unique(&m->attendees, s);
		}
	} else {
		adr_strlist_copy(&m->attendees, attendees);
	}
	if (pick_from_agenda(tty, repo, decide) < 0)
		goto eof;
	fprintf(tty, "Record the decisions one after another; an empty title ends.\n");
	for (;;) {
		fprintf(tty, "\nDecision %zu\n", m->count + 1);
		if (ask(tty, tty, &title, "  Title: ") < 0 || !title.size)
			break;
		if (ask(tty, tty, &decision, "  Decision: ") < 0 || ask(tty, tty, &rationale, "  Rationale: ") < 0 ||
		    ask(tty, tty, &options, "  Options considered (comma-separated): ") < 0)
			goto eof;
		if (adr_meeting_add(m, title.ptr, decision.ptr, rationale.ptr, options.ptr) < 0) {
			fprintf(tty, "  not recorded: %s\n", cli_error_text());
			continue;
		}
	}
	if (!m->count && !decide->count) {
		rc = cli_error("no decisions recorded; nothing was written");
		goto cleanup;
	}
	for (size_t i = 0; i < decide->count; i++)
		fprintf(tty, "  adr/%s: to be accepted in this meeting\n", cli_oneline(decide->items[i]));
	fprintf(tty, "\nAttendees: ");
	for (size_t i = 0; i < m->attendees.count; i++)
		fprintf(tty, "%s%s", i ? ", " : "", m->attendees.items[i]);
	fputc('\n', tty);
	for (size_t i = 0; i < m->count; i++)
		fprintf(tty, "  %zu. %s: %s\n", i + 1, m->items[i].title, m->items[i].decision);
	if (ask(tty, tty, &a, m->count ? "Record these decisions in one commit? [Y/n] " : "Decide them now? [Y/n] ") < 0)
		goto eof;
	if (a.size && a.ptr[0] != 'y' && a.ptr[0] != 'Y') {
		rc = cli_error("cancelled; nothing was written");
		goto cleanup;
	}
	rc = CLI_OK;
	goto cleanup;
eof:
	rc = cli_error("end of input; nothing was written");
cleanup:
	fclose(tty);
	adr_buf_dispose(&title);
	adr_buf_dispose(&decision);
	adr_buf_dispose(&rationale);
	adr_buf_dispose(&options);
	adr_buf_dispose(&a);
	return rc;
}

int cmd_meeting(int argc, const char **argv, cli_ctx *ctx)
{
	adr_strlist attendees = ADR_STRLIST_INIT, paths = ADR_STRLIST_INIT;
	adr_strlist decide = ADR_STRLIST_INIT, tags = ADR_STRLIST_INIT, warnings = ADR_STRLIST_INIT;
	const char *from = NULL, *owner = NULL, *revisit = NULL;
	int reject = 0, visibility = 0;
	const cli_option opts[] = {
		CLI_OPT_LIST_(0, "attendee", &attendees, "NAME", "who took part (repeatable); they are the decision-makers"),
		CLI_OPT_STRING_(0, "from", &from, "FILE", "read the decisions from Markdown minutes (- for stdin)"),
		CLI_OPT_CALLBACK_(0, "owner", &owner, cli_opt_name, "NAME", "who drives the decisions' next steps"),
		CLI_OPT_LIST_(0, "decide", &decide, "REF", "accept this proposal in the meeting (repeatable; a slug or adr/<slug>)"),
		CLI_OPT_BOOL_(0, "reject", &reject, "with --decide: reject the proposals instead"),
		CLI_OPT_ENUM_(0, "visibility", &visibility, &cli_enum_visibility, "V", "public, partner or internal, for every record"),
		CLI_OPT_LIST_(0, "tag", &tags, "TAG", "a tag for every record (repeatable)"),
		CLI_OPT_STRING_(0, "revisit", &revisit, "WHEN", "when to review the decisions: YYYY-MM-DD or 30d, 6w, 3m, 1y"),
		CLI_OPT_END_()
	};
	adr_meeting m;
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf text = ADR_BUF_INIT;
	char day[11];
	int rc = CLI_FAIL;

	memset(&m, 0, sizeof(m));
	argc = cli_parse_options(argc, argv, opts, cmd_meeting_usage);
	/* `--decide a b`: the words after it are more proposals. */
	for (; decide.count && argc > 0; argc--, argv++)
		adr_strlist_add(&decide, argv[0]);
	if (argc != 0) {
		rc = cli_usage_error(cmd_meeting_usage, opts, "unexpected argument '%s'", argv[0]);
		goto cleanup;
	}
	if (reject > 0 && !decide.count) {
		rc = cli_usage_error(cmd_meeting_usage, opts, "--reject decides proposals: name them with --decide REF");
		goto cleanup;
	}
	/* A bad --revisit is said before any decision is asked for. */
	if (revisit && adr_revisit_date(day, ctx->repo, revisit, "--revisit") < 0) {
		rc = cli_fail(ADR_EUSAGE);
		goto cleanup;
	}
	if (from) {
		if ((rc = cli_read_file(&text, from, 1024 * 1024)) != 0)
			goto cleanup;
		if ((rc = adr_meeting_parse(&m, strcmp(from, "-") == 0 ? "<stdin>" : from, text.ptr, text.size)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		for (size_t i = 0; i < attendees.count; i++)
			adr_strlist_add_unique(&m.attendees, attendees.items[i]);
	} else if (decide.count) {
		adr_strlist_copy(&m.attendees, &attendees); /* deciding proposals only: nothing to ask */
	} else if ((rc = interactive(&m, &attendees, ctx->repo, &decide)) != 0) {
		goto cleanup;
	}
	if (owner && !(m.owner = strdup(owner))) {
		rc = cli_fail(ADR_ENOMEM);
		goto cleanup;
	}
	m.revisit = revisit;
	m.visibility = (adr_visibility)visibility;
	adr_strlist_copy(&m.tags, &tags);
	if (decide.count) {
		rc = adr_op_meeting_decide(&paths, &warnings, ctx->repo, &m, &decide,
					   reject > 0 ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED);
		for (size_t i = 0; i < paths.count; i++)
			printf("%s\n", paths.items[i]);
		for (size_t i = 0; i < warnings.count; i++)
			cli_warning("%s", warnings.items[i]);
		if (rc < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
	}
	if (m.count) {
		if ((rc = adr_op_meeting(&res, &paths, ctx->repo, &m)) < 0) {
			if (decide.count)
				cli_warning("the proposals above were decided; the minutes' own decisions were not recorded");
			rc = cli_fail(rc);
			goto cleanup;
		}
		cli_commit_warning(&res.commit);
		for (size_t i = 0; i < paths.count; i++)
			printf("%s\n", paths.items[i]);
	}
	rc = CLI_OK;
cleanup:
	adr_meeting_dispose(&m);
	adr_op_result_dispose(&res);
	adr_strlist_dispose(&attendees);
	adr_strlist_dispose(&paths);
	adr_strlist_dispose(&decide);
	adr_strlist_dispose(&tags);
	adr_strlist_dispose(&warnings);
	adr_buf_dispose(&text);
	return rc;
}
