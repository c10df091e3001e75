/*
 * cmd/progress.c: progress of long work (index, html, import, check
 * --all-refs, renumber, sync) on stderr, as the library reports it through
 * the `progress` callback of an operation's opts. Shown only when stderr is
 * a terminal and --quiet was not given: never in a pipe, a file or a CI
 * log. One line, "adr: <what> <done>/<total> (<rate>/s)", rewritten in
 * place with \r at most ten times a second, and erased at the end, so
 * what the command prints after it starts on a clean line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_quiet;

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

/*
 * The line goes to the terminal itself, past the filter stderr goes through
 * (output.h), which would show \r and ESC as text: it is made here of adr's
 * own words and numbers only (`what` is the library's constant string).
 */
static void raw_write(const char *p, size_t n)
{
	fflush(stderr);
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void draw(const char *what, size_t done, size_t total, void *payload)
{
	cli_progress_state *p = payload;
	double t = now_seconds(), rate;
	char line[256];
	int n;

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
		n = snprintf(line, sizeof(line), "\radr: %s %zu/%zu", what, done, total);
	else
		n = snprintf(line, sizeof(line), "\radr: %s %zu", what, done);
	if (rate > 0 && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " (%.0f/s)", rate);
	/* ESC[K erases what a longer line before left to the right. */
	if (n > 0 && (size_t)n < sizeof(line) - 4) {
		memcpy(line + n, "\033[K", 4);
		raw_write(line, (size_t)n + 4);
		p->shown = true;
	}
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
	if (cli_progress.shown)
		raw_write("\r\033[K", 4);
	cli_progress.shown = false;
	cli_progress.what = NULL;
}
