/*
 * progress.h: a progress line on stderr for long work, only when stderr is a
 * terminal (and not with -q). Cheap to call per line: it looks at the clock
 * once every 65536 calls and redraws at most every 500 ms.
 *
 *	struct progress pg;
 *	progress_init(&pg, "lines");
 *	for (...) progress_tick(&pg, 1);
 *	progress_done(&pg);
 */
#ifndef CDC_PROGRESS_H
#define CDC_PROGRESS_H

#include <stdint.h>

struct progress {
	int		 on;
	int		 tty;		/* redraw one line; else whole lines */
	const char	*unit;
	const char	*label;		/* what is being done, or NULL */
	uint64_t	 total;		/* expected count (estimate), or 0 */
	uint64_t	 count;
	uint64_t	 next_check;
	int64_t		 start_ms;
	int64_t		 last_ms;
	int		 drawn;
};

void	progress_init(struct progress *p, const char *unit);
/* Show progress even when stderr is not a terminal (--progress). */
void	progress_force(struct progress *p);
void	progress_draw(struct progress *p);
/* On a terminal, erase the line (the final counts are the tool's
 * business); forced progress elsewhere ends with a final line. */
void	progress_done(struct progress *p);

static inline void
progress_tick(struct progress *p, uint64_t n)
{
	p->count += n;
	if (p->on && p->count >= p->next_check)
		progress_draw(p);
}

#endif
