/*
 * progress.c: terminal progress line.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

#define PROGRESS_EVERY	65536

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
progress_init(struct progress *p, const char *unit)
{
	p->tty = isatty(STDERR_FILENO);
	p->on = diag_verbosity >= 0 && p->tty;
	p->unit = unit;
	p->label = NULL;
	p->total = 0;
	p->count = 0;
	p->next_check = PROGRESS_EVERY;
	p->start_ms = p->last_ms = p->on ? now_ms() : 0;
	p->drawn = 0;
}

void
progress_force(struct progress *p)
{
	p->on = 1;
	p->start_ms = p->last_ms = now_ms();
}

void
progress_draw(struct progress *p)
{
	int64_t t = now_ms(), el;

	p->next_check = p->count + PROGRESS_EVERY;
	if (t - p->last_ms < (p->tty ? 500 : 5000))
		return;
	p->last_ms = t;
	el = t - p->start_ms;
	fprintf(stderr, "%s%s: %s%s%llu", p->tty ? "\r" : "", diag_progname,
	    p->label != NULL ? p->label : "", p->label != NULL ? ": " : "",
	    (unsigned long long)p->count);
	if (p->total > 0)
		fprintf(stderr, " of ~%llu", (unsigned long long)p->total);
	fprintf(stderr, " %s, %.1f s, %.0f %s/s%s", p->unit, (double)el / 1000,
	    el > 0 ? (double)p->count * 1000 / (double)el : 0.0, p->unit,
	    p->tty ? " " : "\n");
	fflush(stderr);
	p->drawn = 1;
}

void
progress_done(struct progress *p)
{
	if (p->on && !p->tty) {
		p->last_ms = 0;		/* draw now, whatever the throttle */
		progress_draw(p);
		return;
	}
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
}
