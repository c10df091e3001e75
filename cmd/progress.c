/*
 * cmd/progress.c: progress of long work (index, html, import, check
 * --all-refs, renumber, sync) on stderr, as the library reports it through
 * the `progress` callback of an operation's opts. Shown only when stderr is
 * a terminal and --quiet was not given: never in a pipe, a file or a CI
 * log. One line, "adr: <what> <done>/<total> (<rate>/s)", rewritten in
 * place with \r at most ten times a second, and erased at the end, so
 * what the command prints after it starts on a clean line.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

bool cli_quiet;

struct cli_progress_state {
	bool shown;           /* a line is on the terminal */
	double start, last;   /* seconds: the first call, the last redraw */
	const char *what;     /* the phase counted (the library's string) */
};
cli_progress_state cli_progress;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(const char *what, size_t done, size_t total, void *payload)
{
	cli_progress_state *p = payload;
	double t = now_seconds(), rate;

	if (!p->what || p->what != what) {
		/* A new phase restarts the clock (the rate is of this count). */
		p->what = what;
		p->start = t;
		p->last = 0;
	}
	/* The first call of a phase, its last, and then every 0.1 s. */
	if (p->last != 0 && t - p->last < 0.1 && !(total && done >= total))
		return;
	p->last = t;
	rate = t - p->start > 0.05 ? (double)done / (t - p->start) : 0;
	if (total)
		fprintf(stderr, "\radr: %s %zu/%zu", what, done, total);
	else
		fprintf(stderr, "\radr: %s %zu", what, done);
	if (rate > 0)
		fprintf(stderr, " (%.0f/s)", rate);
	/* Erase what a longer line before left to the right. */
	fputs("\033[K", stderr);
	fflush(stderr);
	p->shown = true;
}

adr_progress_fn cli_progress_fn(void)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	return tty && !cli_quiet ? draw : NULL;
}

void cli_progress_end(void)
{
	if (cli_progress.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	cli_progress.shown = false;
	cli_progress.what = NULL;
}
