/*
 * jout.h: buffered, checked NDJSON output.
 *
 * Output is built in a buffer and written with write(2) when it fills, at the
 * points DESIGN.md section 1 names (watermarks, transaction ends, idle input:
 * the tools call jout_flush there) and at exit. Every write is checked: a
 * failure is fatal with the output's name, and a broken pipe (the reader went
 * away) ends the program quietly with status 0 through diag_exit, unless the
 * tool installed its own broken-pipe handler.
 *
 *	jout_init(&jout_stdout, STDOUT_FILENO, "standard output");
 *	jout_raw(&jout_stdout, "{\"a\":", 5);
 *	jout_str(&jout_stdout, s, len);		// quoted and escaped
 *	jout_raw(&jout_stdout, "}\n", 2);
 *	jout_flush(&jout_stdout);
 */
#ifndef CDC_JOUT_H
#define CDC_JOUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JOUT_BUFSIZE	(256 * 1024)

struct jout {
	int		 fd;
	const char	*name;		/* for messages: "standard output" */
	char		*buf;
	size_t		 len;
	size_t		 cap;
	int		 broken;	/* the reader went away */
	/* Called on EPIPE instead of the quiet exit; NULL = diag_exit(0). */
	void		(*on_broken_pipe)(struct jout *);
};

/* The tools' standard output. jout_init_stdout() also ignores SIGPIPE (so a
 * vanished reader shows as EPIPE) and registers the flush with diag. */
extern struct jout jout_stdout;
void	jout_init_stdout(void);

void	jout_init(struct jout *o, int fd, const char *name);
/* An output that stays in memory (fd -1): the buffer grows instead of being
 * written; read o->buf[0..o->len), empty it with o->len = 0. */
void	jout_init_mem(struct jout *o);
/* Write everything buffered. Fatal on error (see above). */
void	jout_flush(struct jout *o);
/* Flush and release the buffer; closes fd when it is not 0-2. Fatal on a
 * close error (NFS and full disks report there). */
void	jout_close(struct jout *o);

void	jout_write_slow(struct jout *o, const void *p, size_t n);

/* Write p[0..n) as it is; p may be NULL when n is 0. */
static inline void
jout_raw(struct jout *o, const void *p, size_t n)
{
	if (o->cap - o->len >= n) {
		if (n > 0)
			memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else
		jout_write_slow(o, p, n);
}

static inline void
jout_char(struct jout *o, char c)
{
	if (o->len == o->cap)
		jout_flush(o);
	o->buf[o->len++] = c;
}

static inline void
jout_lit(struct jout *o, const char *s)
{
	jout_raw(o, s, strlen(s));
}

/* s (n bytes of UTF-8, may contain NUL) as a quoted JSON string, escaping
 * '"', '\\' and control characters. */
void	jout_str(struct jout *o, const char *s, size_t n);
/* The same quoting into memory: append s (n bytes) to b as a JSON string,
 * for keys and names prepared once (setup, not the hot path). Text from
 * outside that is not well-formed UTF-8 (a name from a SQL_ASCII database,
 * an option's bytes) gets U+FFFD for each byte that starts no character,
 * so the JSON stays valid. */
struct buf;
void	jout_quote_buf(struct buf *b, const char *s, size_t n);
void	jout_i64(struct jout *o, int64_t v);
void	jout_u64(struct jout *o, uint64_t v);
/* A time (microseconds since the epoch) as a quoted RFC 3339 UTC string. */
void	jout_time(struct jout *o, int64_t us);

#endif
