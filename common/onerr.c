/*
 * onerr.c: bad-line policy: fail, skip, dead letters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "base64.h"
#include "buf.h"
#include "jscan.h"
#include "onerr.h"

/* Skipped lines shown as warnings before the rest are only counted. */
#define ONERR_SHOWN	10

void
onerr_open(struct onerr *e)
{
	int fd;

	if (e->dead_path == NULL || e->dead_open)
		return;
	fd = open(e->dead_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0666);
	if (fd < 0)
		diag_err(EXIT_DATA, "could not open dead-letter file \"%s\"",
		    e->dead_path);
	jout_init(&e->dead, fd, e->dead_path);
	e->dead_open = 1;
	e->mode = ONERR_SKIP;
}

static void
dead_letter(struct onerr *e, const char *source, uint64_t lineno,
    const char *msg, const char *line, size_t len)
{
	struct buf b = BUF_INIT;
	struct jout *o = &e->dead;
	size_t off, n;

	jout_lit(o, "{\"source\":");
	jout_str(o, source, strlen(source));
	jout_lit(o, ",\"line\":");
	jout_u64(o, lineno);
	jout_lit(o, ",\"error\":");
	jout_str(o, msg, strlen(msg));
	if (line != NULL && jscan_utf8_valid(line, len)) {
		jout_lit(o, ",\"input\":");
		jout_str(o, line, len);
	} else if (line != NULL) {
		/* in pieces of a multiple of 3 bytes, so the padding comes
		 * only at the end and a long line is never copied whole */
		jout_lit(o, ",\"input_base64\":\"");
		for (off = 0; off < len; off += n) {
			n = len - off < 3 * 16384 ? len - off : 3 * 16384;
			buf_reset(&b);
			base64_append(&b, line + off, n);
			jout_raw(o, b.data, b.len);
		}
		jout_char(o, '"');
		buf_free(&b);
	}
	jout_lit(o, "}\n");
	/* Dead letters are few and precious: write each at once. */
	jout_flush(o);
}

void
onerr_line(struct onerr *e, const char *source, uint64_t lineno,
    const char *line, size_t len, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->mode == ONERR_FAIL)
		diag_errx(EXIT_DATA, "%s:%llu: %s", source,
		    (unsigned long long)lineno, msg);
	e->skipped++;
	if (e->dead_open)
		dead_letter(e, source, lineno, msg, line, len);
	else if (e->warned < ONERR_SHOWN) {
		diag_warnx("%s:%llu: %s (line skipped)", source,
		    (unsigned long long)lineno, msg);
		if (++e->warned == ONERR_SHOWN)
			diag_warnx("further bad lines are counted, not shown");
	}
}

void
onerr_summary(struct onerr *e)
{
	if (e->skipped > 0) {
		if (e->dead_open)
			diag_warnx("skipped %llu bad line%s, written to \"%s\"",
			    (unsigned long long)e->skipped,
			    e->skipped == 1 ? "" : "s", e->dead_path);
		else
			diag_warnx("skipped %llu bad line%s",
			    (unsigned long long)e->skipped,
			    e->skipped == 1 ? "" : "s");
	}
	if (e->dead_open) {
		jout_close(&e->dead);
		e->dead_open = 0;
	}
}
