/*
 * lread.h: a buffered line reader for NDJSON input (DESIGN.md section 1).
 *
 * Lines come back as spans inside the reader's buffer (no copy), without the
 * "\n" and without a "\r" before it; a last line without "\n" is returned
 * too; blank lines (empty or only spaces, tabs, "\r") are skipped but
 * counted. Each reader knows its source name ("stdin" for "-") and the
 * 1-based number of the line last returned, for messages. A line longer than
 * max_line is reported as LREAD_TOOLONG and skipped without being buffered,
 * so reading can go on with the next line. The buffer grows to hold a long
 * line and shrinks again at the next call, so memory follows the line being
 * read, not the longest line so far.
 *
 *	struct lread r;
 *	if (lread_open(&r, "-", 64 << 20) != 0) ...
 *	while ((rc = lread_next(&r, &line, &len)) != LREAD_EOF) {
 *		if (rc == LREAD_TOOLONG) ... r.lineno ...
 *	}
 *	lread_close(&r);
 */
#ifndef CDC_LREAD_H
#define CDC_LREAD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define LREAD_DEFAULT_MAX	((size_t)64 << 20)	/* --max-line default */

enum {
	LREAD_EOF = 0,
	LREAD_LINE = 1,
	LREAD_TOOLONG = 2,	/* r->lineno is the line that was too long */
	LREAD_STOP = 3,		/* *r->stop was set while waiting for input */
	LREAD_AGAIN = 4,	/* poll mode: no whole line buffered */
	LREAD_ERROR = -1	/* read(2) failed; errno set */
};

struct lread {
	int		 fd;
	const char	*name;		/* "stdin" or the path */
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* first unconsumed byte */
	size_t		 end;		/* end of data read */
	size_t		 scanned;	/* bytes after start known to have no \n */
	size_t		 max_line;
	uint64_t	 lineno;
	int		 eof;
	/*
	 * Called when the input has no data ready and the reader is about to
	 * wait: timed_out is 0 on the first call, then 1 each time idle_ms
	 * passes without data (idle_ms <= 0: called once, then waits). The
	 * tools flush their output here so a live pipeline shows results.
	 */
	void		(*idle)(void *arg, int timed_out);
	void		*idle_arg;
	int		 idle_ms;
	/*
	 * When not NULL: a flag a signal handler sets (installed without
	 * SA_RESTART, so waiting is interrupted). Once it is set, lread_next
	 * returns LREAD_STOP instead of waiting for more input; a partial line
	 * not yet ended by "\n" is not returned.
	 */
	volatile sig_atomic_t *stop;
	/*
	 * Poll mode, for a program reading several inputs with poll(2): the
	 * reader never waits. When no whole line is buffered, lread_next
	 * reads once if `ready` is set (the caller saw POLLIN or POLLHUP) and
	 * clears it, else returns LREAD_AGAIN. The idle hook is not used.
	 */
	int		 poll_mode;
	int		 ready;
	int		 discarding;	/* inside a line over max_line */
};

/* Open path ("-" is standard input). 0, or -1 with errno set. */
int	lread_open(struct lread *r, const char *path, size_t max_line);
/* Read from an open descriptor; name is used in messages. */
void	lread_fdopen(struct lread *r, int fd, const char *name,
	    size_t max_line);
/* Next non-blank line: LREAD_LINE, LREAD_EOF, LREAD_TOOLONG, LREAD_STOP,
 * LREAD_AGAIN (poll mode), LREAD_ERROR. */
int	lread_next(struct lread *r, const char **line, size_t *len);
/* Release the buffer; closes the descriptor unless it is standard input. */
void	lread_close(struct lread *r);

#endif
