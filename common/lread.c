/*
 * lread.c: buffered line reader with a size cap and line numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lread.h"

#define LREAD_CHUNK	(256 * 1024)
/* A buffer grown beyond this for a long line is given back once the line
 * is done, so one long line does not hold its size for the whole run. */
#define LREAD_KEEP	(4 * LREAD_CHUNK)

static int	fill(struct lread *);
static int	discard_line(struct lread *);

int
lread_open(struct lread *r, const char *path, size_t max_line)
{
	int fd;

	if (strcmp(path, "-") == 0) {
		lread_fdopen(r, STDIN_FILENO, "stdin", max_line);
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	lread_fdopen(r, fd, path, max_line);
	return 0;
}

void
lread_fdopen(struct lread *r, int fd, const char *name, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->max_line = max_line != 0 ? max_line : LREAD_DEFAULT_MAX;
	r->cap = LREAD_CHUNK;
	r->buf = xmalloc(r->cap);
}

void
lread_close(struct lread *r)
{
	free(r->buf);
	r->buf = NULL;
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	r->fd = -1;
}

#define STOPPED(r)	((r)->stop != NULL && *(r)->stop)

/* Wait for input the way the idle hook asks, then read once into the free
 * space after end. Returns 1 after reading, 0 at end of input, -1 on error,
 * -2 when asked to stop, -3 in poll mode when the input is not ready. */
static int
fill(struct lread *r)
{
	struct pollfd pfd;
	ssize_t n;
	int rc;

	if (r->poll_mode) {
		if (!r->ready)
			return -3;
		r->ready = 0;
	} else if (r->idle != NULL) {
		pfd.fd = r->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) == 0) {
			r->idle(r->idle_arg, 0);
			while (r->idle_ms > 0 && !STOPPED(r)) {
				rc = poll(&pfd, 1, r->idle_ms);
				if (rc > 0 || (rc < 0 && errno != EINTR))
					break;
				if (rc == 0)
					r->idle(r->idle_arg, 1);
			}
		}
	}
	for (;;) {
		if (STOPPED(r))
			return -2;
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n >= 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return (int)(n > 0);
}

/* Skip the rest of a line that is too long, without keeping it. */
static int
discard_line(struct lread *r)
{
	char *nl;
	int rc;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			r->start = (size_t)(nl + 1 - r->buf);
			return 0;
		}
		r->start = r->end = 0;
		if (r->eof)
			return 0;
		if ((rc = fill(r)) < 0)
			return rc;
	}
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Go on skipping a line that is too long; LREAD_TOOLONG once it is over. */
static int
finish_discard(struct lread *r)
{
	int rc;

	if ((rc = discard_line(r)) != 0)
		return rc == -2 ? LREAD_STOP : rc == -3 ? LREAD_AGAIN :
		    LREAD_ERROR;
	r->discarding = 0;
	return LREAD_TOOLONG;
}

/* Back to a buffer of LREAD_CHUNK bytes, keeping what is not consumed. */
static void
shrink(struct lread *r)
{
	char *b = xmalloc(LREAD_CHUNK);

	memcpy(b, r->buf + r->start, r->end - r->start);
	free(r->buf);
	r->buf = b;
	r->end -= r->start;
	r->start = 0;
	r->cap = LREAD_CHUNK;
}

int
lread_next(struct lread *r, const char **line, size_t *len)
{
	char *p, *nl;
	size_t n, avail;
	int rc;

	/* the line returned last is done with: a long one's buffer goes */
	if (r->cap > LREAD_KEEP && r->end - r->start <= LREAD_CHUNK / 2)
		shrink(r);
	if (r->discarding)
		return finish_discard(r);
	for (;;) {
		p = r->buf + r->start;
		avail = r->end - r->start;
		nl = memchr(p + r->scanned, '\n', avail - r->scanned);
		if (nl != NULL || (r->eof && avail > 0)) {
			n = nl != NULL ? (size_t)(nl - p) : avail;
			r->start += nl != NULL ? n + 1 : n;
			r->scanned = 0;
			r->lineno++;
			if (n > 0 && p[n - 1] == '\r')
				n--;	/* CRLF: the \r is not part of the line */
			if (n > r->max_line)
				return LREAD_TOOLONG;
			if (is_blank(p, n))
				continue;
			*line = p;
			*len = n;
			return LREAD_LINE;
		}
		if (r->eof)
			return LREAD_EOF;
		r->scanned = avail;
		if (avail > r->max_line + 1) {	/* + 1: a \r may end it */
			r->lineno++;
			r->scanned = 0;
			r->discarding = 1;
			return finish_discard(r);
		}
		/* Make room: slide the partial line to the front, or grow. */
		if (r->start > 0 && (r->end == r->cap || r->start >= r->cap / 2)) {
			memmove(r->buf, p, avail);
			r->start = 0;
			r->end = avail;
		}
		if (r->end == r->cap) {
			r->cap *= 2;
			r->buf = xrealloc(r->buf, r->cap);
		}
		if ((rc = fill(r)) < 0)
			return rc == -2 ? LREAD_STOP : rc == -3 ? LREAD_AGAIN :
			    LREAD_ERROR;
	}
}
