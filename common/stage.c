/*
 * stage.c: the stage driver: input loop, control lines, alignment of two
 * inputs, idle calls, signals, bad lines.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field.h"
#include "lread.h"
#include "sigstop.h"
#include "stage.h"

#define STAGE_BATCH	256	/* lines read from one of two in a turn */
#define STAGE_TURNS	8	/* turns between looks at the other input */
#define NO_RESTORE	UINT64_MAX

struct input {
	struct lread	 r;
	int		 open;
	int		 ended;		/* its end, or it could not be read */
	int		 blocked;	/* two inputs: no whole line, to poll */
	int		 first;		/* no line handed over yet */
	int		 aligned;	/* began with __restore */
	int		 warned;	/* of a barrier it cannot align */
	uint64_t	 held;		/* barrier delivered, waiting; or 0 */
	int64_t		 arrival;	/* monotonic clock of its last line */
};

struct stage {
	struct stage_conf conf;
	struct stage_ops ops;
	void		*arg;
	struct input	 in[2];
	struct jdoc	 own_doc;
	struct jdoc	*doc;
	struct buf	 why;		/* a bad or failed line's reason */
	int		 bad;		/* the current line is bad */
	int		 failed;	/* stage_error: the run ends */
	struct stage_line cur;		/* the line being handed over */
	struct progress	 pg;
	uint64_t	 lines;
	int		 checkpointed;
	int		 rows_seen;	/* a data row was handed over */
	uint64_t	 restored;	/* N of the __restore, or NO_RESTORE */
	uint64_t	 barrier;	/* the last barrier forwarded */
	uint64_t	 committed;	/* the last __committed forwarded */
	struct buf	 held;		/* two inputs: the barrier line held */
	struct stage_ctl held_ctl;
	struct buf	 held_src;	/* its locus, for messages */
	uint64_t	 held_lineno;
	int		 status;
};

/* SIGINT and SIGTERM; a static, as the handler outlives any stage. */
static volatile sig_atomic_t stage_stop;

static int	mark(struct stage *, int *, const char *, va_list)
		    DIAG_PRINTF(3, 0);

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A signal asked to stop, and the stream is not checkpointed (where it
 * means: stop at the end of input). */
static int
stopping(const struct stage *st)
{
	return stage_stop && !st->checkpointed;
}

/* ---------------------------------------------------------------------
 * Control lines on their own
 */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 when p[0..n) starts with a name of a control line's members and its
 * closing quote: p is just after the opening quote and "__". */
static int
ctl_member(const char *p, size_t n)
{
	static const struct {
		const char	*name;
		size_t		 len;
	} names[] = {
		{ "watermark\"", 10 }, { "checkpoint\"", 11 },
		{ "restore\"", 8 }, { "committed\"", 10 }, { "lsn\"", 4 },
		{ "offset\"", 7 }
	};
	size_t i;

	if (n == 0 || strchr("wcrlo", p[0]) == NULL)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n >= names[i].len && memcmp(p, names[i].name,
		    names[i].len) == 0)
			return 1;
	return 0;
}

/* Spaces before or after the brace: rare, so not inline. */
static int
ctl_name_spaced(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_space(p[i]))
		i++;
	if (i == n || p[i++] != '{')
		return 0;
	while (i < n && is_space(p[i]))
		i++;
	if (n - i < 3 || memcmp(p + i, "\"__", 3) != 0)
		return 0;
	return ctl_member(p + i + 3, n - i - 3);
}

/* stage_ctl_name, the usual row ({"name":...) in two comparisons. */
static inline int
ctl_name(const char *p, size_t n)
{
	if (n >= 4 && p[0] == '{' && p[1] == '"')
		return p[2] == '_' && p[3] == '_' && ctl_member(p + 4, n - 4);
	return ctl_name_spaced(p, n);
}

int
stage_ctl_name(const char *p, size_t n)
{
	return ctl_name(p, n);
}

/* A checkpoint number: an integer from min up. */
static int
read_n(const struct jdoc *d, int t, int64_t min, uint64_t *n)
{
	int64_t v;

	if (jscan_i64(d, t, &v) != 0 || v < min)
		return -1;
	*n = (uint64_t)v;
	return 0;
}

/* "X/Y", PostgreSQL's text of an LSN: two hexadecimal numbers of 1 to 8
 * digits, the high and the low 32 bits. */
static int
read_lsn(const struct jdoc *d, int t, uint64_t *lsn)
{
	const char *p;
	size_t n, i, digits = 0;
	uint64_t half[2] = { 0, 0 };
	int h = 0, c;

	if (jscan_type(d, t) != J_STRING || (d->tok[t].flags & JT_ESCAPED))
		return -1;
	p = jscan_raw(d, t, &n);
	for (i = 1; i + 1 < n; i++) {		/* inside the quotes */
		c = (unsigned char)p[i];
		if (c == '/' && h == 0 && digits > 0) {
			h = 1;
			digits = 0;
			continue;
		}
		if (++digits > 8)
			return -1;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		half[h] = half[h] << 4 | (uint64_t)c;
	}
	if (h == 0 || digits == 0)
		return -1;
	*lsn = half[0] << 32 | half[1];
	return 0;
}

int
stage_ctl_read(struct jdoc *d, const char *text, size_t len,
    enum ts_unit unit, struct stage_ctl *c, struct buf *why)
{
	enum { M_WM, M_CKPT, M_RESTORE, M_COMMITTED, M_LSN, M_OFFSET, M_N };
	static const struct jname names[M_N] = {
		{ "__watermark", 11 }, { "__checkpoint", 12 },
		{ "__restore", 9 }, { "__committed", 11 }, { "__lsn", 5 },
		{ "__offset", 8 }
	};
	static const int64_t min[M_N] = { 0, 1, 0, 1 };
	struct buf tmp = BUF_INIT;
	int m[M_N], k, kind = -1, rc;
	uint64_t lsn;

	if (jscan_parse(d, text, len) != 0)
		return -2;
	if (jscan_type(d, 0) != J_OBJECT)
		return 0;
	jscan_members(d, 0, names, M_N, m);
	/* a watermark is one whatever else it holds, as it always was */
	if (m[M_WM] >= 0) {
		memset(c, 0, sizeof(*c));
		c->kind = STAGE_WATERMARK;
		rc = field_time(d, m[M_WM], unit, &tmp, &c->wm);
		buf_free(&tmp);
		if (rc != 0) {
			buf_printf(why, "field \"__watermark\": %s: %s",
			    ts_strerror(rc), field_shown(d, m[M_WM]));
			return -1;
		}
		return 1;
	}
	for (k = M_CKPT; k <= M_COMMITTED; k++) {
		if (m[k] < 0)
			continue;
		if (kind >= 0) {
			buf_printf(why, "\"%s\" and \"%s\" in one line",
			    names[kind].name, names[k].name);
			return -1;
		}
		kind = k;
	}
	if (kind < 0)
		return 0;
	memset(c, 0, sizeof(*c));
	c->kind = kind == M_CKPT ? STAGE_CHECKPOINT : kind == M_RESTORE ?
	    STAGE_RESTORE : STAGE_COMMITTED;
	if (read_n(d, m[kind], min[kind], &c->n) != 0) {
		buf_printf(why, "field \"%s\": not a checkpoint number: %s",
		    names[kind].name, field_shown(d, m[kind]));
		return -1;
	}
	if (kind == M_COMMITTED)
		return 1;
	if (m[M_LSN] >= 0 && m[M_OFFSET] >= 0) {
		buf_printf(why, "field \"%s\": both \"__lsn\" and \"__offset\"",
		    names[kind].name);
		return -1;
	}
	if (m[M_LSN] >= 0) {
		if (read_lsn(d, m[M_LSN], &lsn) != 0) {
			buf_printf(why, "field \"__lsn\": not an LSN (X/Y): %s",
			    field_shown(d, m[M_LSN]));
			return -1;
		}
		c->pos = STAGE_POS_LSN;
		c->at = lsn;
	} else if (m[M_OFFSET] >= 0) {
		if (read_n(d, m[M_OFFSET], 0, &c->at) != 0) {
			buf_printf(why, "field \"__offset\": not an offset: %s",
			    field_shown(d, m[M_OFFSET]));
			return -1;
		}
		c->pos = STAGE_POS_OFFSET;
	} else {
		buf_printf(why, "field \"%s\": no position: \"__lsn\" or "
		    "\"__offset\" missing", names[kind].name);
		return -1;
	}
	return 1;
}

/* ---------------------------------------------------------------------
 * The driver
 */

void
stage_conf_init(struct stage_conf *c, const char *const *paths, size_t n,
    struct opts *o, struct jout *out, struct jdoc *doc)
{
	memset(c, 0, sizeof(*c));
	c->paths = paths;
	c->npaths = n;
	c->ninputs = 1;
	c->out = out;
	c->doc = doc;
	c->onerr = &o->onerr;
	c->max_line = o->max_line;
	c->unit = TS_MS;
}

struct stage *
stage_new(const struct stage_conf *conf, const struct stage_ops *ops,
    void *arg)
{
	struct stage *st = xcalloc(1, sizeof(*st));

	st->conf = *conf;
	st->ops = *ops;
	st->arg = arg;
	st->own_doc = (struct jdoc)JDOC_INIT;
	st->doc = conf->doc != NULL ? conf->doc : &st->own_doc;
	st->restored = NO_RESTORE;
	progress_init(&st->pg, conf->progress_unit != NULL ?
	    conf->progress_unit : "lines");
	return st;
}

void
stage_free(struct stage *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < 2; i++)
		if (st->in[i].open)
			lread_close(&st->in[i].r);
	jscan_free(&st->own_doc);
	buf_free(&st->why);
	buf_free(&st->held);
	buf_free(&st->held_src);
	free(st);
}

uint64_t
stage_lines(const struct stage *st)
{
	return st->lines;
}

int
stage_checkpointed(const struct stage *st)
{
	return st->checkpointed;
}

struct progress *
stage_progress(struct stage *st)
{
	return &st->pg;
}

int64_t
stage_idle_us(const struct stage *st, int input)
{
	const struct input *in = &st->in[input];

	if (in->ended || in->held != 0)
		return 0;
	return mono_us() - in->arrival;
}

/* The reason for what *flag marks: -1. */
static int
mark(struct stage *st, int *flag, const char *fmt, va_list ap)
{
	buf_reset(&st->why);
	buf_vprintf(&st->why, fmt, ap);
	*flag = 1;
	return -1;
}

int
stage_bad(struct stage *st, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mark(st, &st->bad, fmt, ap);
	va_end(ap);
	return rc;
}

int
stage_error(struct stage *st, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mark(st, &st->failed, fmt, ap);
	va_end(ap);
	return rc;
}

/* Report the current line as bad (st->why); returns only in skip mode. */
static void
report_bad(struct stage *st)
{
	const struct stage_line *l = &st->cur;

	st->bad = 0;
	if (st->conf.onerr->mode == ONERR_FAIL && st->ops.failing != NULL)
		st->ops.failing(st->arg);
	onerr_line(st->conf.onerr, l->source, l->lineno, l->text, l->len,
	    "%s", st->why.data);
}

/* The run ends at the current line (st->why): -1. */
static int
report_failed(struct stage *st, const char *source, uint64_t lineno)
{
	if (st->ops.failing != NULL)
		st->ops.failing(st->arg);
	diag_msg("%s:%llu: %s", source, (unsigned long long)lineno,
	    st->why.data);
	return -1;
}

/* Write a control line to the output, and flush (DESIGN.md section 8). */
static void
forward(struct stage *st, const char *text, size_t len)
{
	struct jout *o = st->conf.out;

	if (o == NULL)
		return;
	jout_raw(o, text, len);
	jout_char(o, '\n');
	jout_flush(o);
}

/* Call a control line's hook: 0, or -1 when it failed. */
static int
hook(struct stage *st, int (*fn)(void *, struct stage *,
    const struct stage_ctl *), const struct stage_ctl *c)
{
	if (fn == NULL)
		return 0;
	st->failed = 0;
	if (fn(st->arg, st, c) != 0 && !st->failed)
		stage_error(st, "could not take control line");
	return st->failed ? -1 : 0;
}

static int
restore(struct stage *st, int i, const struct stage_ctl *c)
{
	struct input *in = &st->in[i];
	int64_t now = mono_us();
	int k;

	if (!in->first)
		return stage_error(st, "__restore %llu: not the first line of "
		    "the stream", (unsigned long long)c->n);
	in->aligned = 1;
	st->checkpointed = 1;
	for (k = 0; k < st->conf.ninputs; k++) {
		st->in[k].r.stop = NULL;	/* signals: see stopping() */
		st->in[k].arrival = now;	/* idle clocks start again */
	}
	if (st->restored != NO_RESTORE) {	/* the other input's */
		if (c->n != st->restored)
			return stage_error(st, "__restore %llu, where the "
			    "other input restores %llu",
			    (unsigned long long)c->n,
			    (unsigned long long)st->restored);
		return 0;
	}
	st->restored = c->n;
	st->barrier = c->n;
	if (c->n > 0 && st->conf.stateful) {
		if (st->conf.state_path == NULL)
			return stage_error(st, "cannot restore checkpoint %llu "
			    "without --state", (unsigned long long)c->n);
		if (st->ops.restore == NULL)
			return stage_error(st, "cannot restore checkpoint %llu "
			    "from \"%s.%llu\": snapshots per checkpoint are "
			    "not implemented yet", (unsigned long long)c->n,
			    st->conf.state_path, (unsigned long long)c->n);
		if (st->rows_seen)
			return stage_error(st, "cannot restore checkpoint %llu "
			    "after rows of the other input were taken",
			    (unsigned long long)c->n);
	}
	if (hook(st, st->ops.restore, c) != 0)
		return -1;
	forward(st, st->cur.text, st->cur.len);
	return 0;
}

/* Two inputs: barrier N goes out once every input that takes part in
 * alignment and has not ended holds it. One that has not shown its first
 * line yet may begin with __restore: it is waited for. */
static int
release(struct stage *st)
{
	struct input *in = st->in;
	uint64_t n = in[0].held != 0 ? in[0].held : in[1].held;
	int k;

	if (n == 0)
		return 0;
	for (k = 0; k < 2; k++)
		if (!in[k].ended && in[k].held != n &&
		    (in[k].aligned || in[k].first))
			return 0;
	if (hook(st, st->ops.checkpoint, &st->held_ctl) != 0)
		return report_failed(st, st->held_src.data, st->held_lineno);
	forward(st, st->held.data, st->held.len);
	st->barrier = n;
	for (k = 0; k < 2; k++) {
		if (in[k].held != 0)
			in[k].arrival = mono_us();	/* was not idle */
		in[k].held = 0;
	}
	return 0;
}

static int
barrier(struct stage *st, int i, const struct stage_ctl *c)
{
	struct input *in = &st->in[i], *other = &st->in[!i];

	if (st->conf.ninputs == 1) {
		if (hook(st, st->ops.checkpoint, c) != 0)
			return -1;
		forward(st, st->cur.text, st->cur.len);
		st->barrier = c->n;
		return 0;
	}
	if (!in->aligned) {
		if (!in->warned++)
			diag_warnx("%s:%llu: barrier %llu on an input that did "
			    "not begin with __restore: not forwarded",
			    st->cur.source, (unsigned long long)st->cur.lineno,
			    (unsigned long long)c->n);
		return 0;
	}
	if (c->n <= st->barrier)
		return stage_error(st, "barrier %llu after barrier %llu",
		    (unsigned long long)c->n, (unsigned long long)st->barrier);
	if (other->held != 0 && other->held != c->n)
		return stage_error(st, "barrier %llu, where the other input "
		    "delivered %llu", (unsigned long long)c->n,
		    (unsigned long long)other->held);
	in->held = c->n;
	if (other->held == 0) {		/* the first to arrive goes out */
		buf_reset(&st->held);
		buf_append(&st->held, st->cur.text, st->cur.len);
		buf_reset(&st->held_src);
		buf_puts(&st->held_src, st->cur.source);
		st->held_lineno = st->cur.lineno;
		st->held_ctl = *c;
	}
	return release(st) < 0 ? -2 : 0;
}

static int
committed(struct stage *st, const struct stage_ctl *c)
{
	/* two inputs of one source carry it twice: once is enough */
	if (st->conf.ninputs == 2 && c->n <= st->committed)
		return 0;
	if (hook(st, st->ops.committed, c) != 0)
		return -1;
	forward(st, st->cur.text, st->cur.len);
	st->committed = c->n;
	return 0;
}

/* A control line of input i: 0, -1 when the run ends at it, -2 when it
 * ended and was reported already. */
static int
control(struct stage *st, int i, const struct stage_ctl *c)
{
	switch (c->kind) {
	case STAGE_WATERMARK:
		if (st->ops.watermark != NULL)
			st->ops.watermark(st->arg, st, &st->cur, c->wm);
		if (st->conf.out != NULL)
			jout_flush(st->conf.out);
		return 0;
	case STAGE_RESTORE:
		return restore(st, i, c);
	case STAGE_CHECKPOINT:
		return barrier(st, i, c);
	case STAGE_COMMITTED:
		return committed(st, c);
	}
	return 0;
}

/* The current line of input i, when it may be a control line: 1 when
 * it was one or a bad one (taken), 0 for a row, -1 when the run ends
 * (reported). */
static int
take_control(struct stage *st, int i)
{
	struct stage_line *l = &st->cur;
	struct stage_ctl c;
	int k;

	buf_reset(&st->why);
	k = stage_ctl_read(st->doc, l->text, l->len, st->conf.unit, &c,
	    &st->why);
	if (k == -1) {
		report_bad(st);
		return 1;
	}
	if (k == 1) {
		st->failed = 0;
		k = control(st, i, &c);
		if (k == -1)
			return report_failed(st, l->source, l->lineno);
		return k < 0 ? -1 : 1;
	}
	l->parsed = k == 0 && st->doc != &st->own_doc;
	return 0;
}

/* Hand over the current line of input i: 0, or -1 when the run ends
 * (reported). */
static inline __attribute__((always_inline)) int
hand_over(struct stage *st, int i)
{
	struct stage_line *l = &st->cur;
	int k;

	if (l->text == NULL) {
		stage_bad(st, "line longer than --max-line (%zu bytes)",
		    st->in[i].r.max_line);
		report_bad(st);
		return 0;
	}
	if (ctl_name(l->text, l->len) && (k = take_control(st, i)) != 0)
		return k < 0 ? -1 : 0;
	st->rows_seen = 1;
	st->bad = 0;
	st->ops.row(st->arg, st, l);
	if (st->bad)
		report_bad(st);
	return 0;
}

/* Take line text[0..len) of input i (rc: LREAD_LINE, or LREAD_TOOLONG
 * for a line not kept). 0, or -1 when the run ends (reported). Inline in
 * the two loops: it is the per-line path. */
static inline __attribute__((always_inline)) int
take(struct stage *st, int i, int rc, const char *text, size_t len)
{
	struct input *in = &st->in[i];
	struct stage_line *l = &st->cur;
	int first = in->first, k;

	st->lines++;
	if (st->conf.progress_unit == NULL)
		progress_tick(&st->pg, 1);
	if (st->conf.idle_clock)
		in->arrival = mono_us();
	l->input = i;
	l->source = in->r.name;
	l->lineno = in->r.lineno;
	l->text = rc == LREAD_TOOLONG ? NULL : text;
	l->len = rc == LREAD_TOOLONG ? 0 : len;
	l->parsed = 0;
	k = hand_over(st, i);
	in->first = 0;
	if (k < 0)
		return -1;
	/* An input's first line that is not __restore: it takes no part in
	 * alignment, so a barrier the other holds need not wait for it. */
	if (first && st->conf.ninputs == 2 && !in->aligned)
		return release(st);
	return 0;
}

/* ---------------------------------------------------------------------
 * One input: files in turn
 */

/* Ask the tool about idleness; flush the output after it. Returns the
 * milliseconds to the next tick, or 0. */
static int
idle_call(struct stage *st, enum stage_idle why)
{
	int ms = 0;

	if (st->ops.idle != NULL)
		ms = st->ops.idle(st->arg, st, why);
	if (st->conf.out != NULL)
		jout_flush(st->conf.out);
	return ms > 0 ? ms : 0;
}

/* lread's idle hook: input has no data ready. */
static void
on_idle(void *arg, int timed_out)
{
	struct stage *st = arg;

	st->in[0].r.idle_ms = idle_call(st, timed_out ? STAGE_TICK :
	    STAGE_IDLE);
}

/* Read the open file of input 0 to its end: 0, or -1 when the run ends. */
static int
read_file(struct stage *st)
{
	struct input *in = &st->in[0];
	const char *text;
	size_t len;
	int rc;

	/* After a signal, lread_next still returns the lines already read
	 * (they left the pipe: dropping them would lose them), then
	 * LREAD_STOP instead of reading more. */
	while ((rc = lread_next(&in->r, &text, &len)) != LREAD_EOF) {
		if (rc == LREAD_STOP)
			break;
		if (rc == LREAD_ERROR) {
			diag_msg("could not read \"%s\": %s", in->r.name,
			    strerror(errno));
			st->status = EXIT_DATA;
			break;
		}
		if (take(st, 0, rc, text, len) < 0)
			return -1;
	}
	return 0;
}

static int
run_one(struct stage *st)
{
	static const char *const std_in[] = { "-" };
	struct input *in = &st->in[0];
	const char *const *paths = st->conf.npaths > 0 ? st->conf.paths :
	    std_in;
	size_t n = st->conf.npaths > 0 ? st->conf.npaths : 1, i;
	int rc;

	for (i = 0; i < n && !stopping(st); i++) {
		if (lread_open(&in->r, paths[i], st->conf.max_line) != 0) {
			diag_msg("could not open \"%s\": %s", paths[i],
			    strerror(errno));
			st->status = EXIT_DATA;
			continue;
		}
		in->open = 1;
		in->r.stop = st->checkpointed ? NULL : &stage_stop;
		if (st->conf.out != NULL || st->ops.idle != NULL) {
			in->r.idle = on_idle;
			in->r.idle_arg = st;
		}
		rc = read_file(st);
		lread_close(&in->r);
		in->open = 0;
		if (rc < 0)
			return -1;
	}
	if (!stopping(st)) {
		in->ended = 1;
		if (st->ops.eof != NULL)
			st->ops.eof(st->arg, st, 0);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Two inputs side by side
 *
 * Whichever input has data is read, so neither can block the other; when
 * both have, the one whose clock is behind is read, so the two advance
 * together in event time. An input holding a barrier for alignment is not
 * read, nor polled.
 */

static int64_t
clock_of(const struct stage *st, int i)
{
	return st->conf.clock[i] != NULL ? *st->conf.clock[i] : 0;
}

/* Input i may be read now. */
static int
readable(const struct input *in)
{
	return !in->ended && !in->blocked && in->held == 0;
}

/* Input i has ended: a barrier the other holds may go, then the tool
 * hears of it. */
static int
end_input(struct stage *st, int i)
{
	st->in[i].ended = 1;
	if (release(st) < 0)
		return -1;
	if (st->ops.eof != NULL)
		st->ops.eof(st->arg, st, i);
	return 0;
}

/* Read up to STAGE_BATCH lines from input i, stopping once its clock
 * passes the other's while that one has lines too. 0, or -1 when the run
 * ends. */
static int
read_some(struct stage *st, int i)
{
	struct input *in = &st->in[i], *other = &st->in[!i];
	const char *text;
	size_t len;
	int rc, k;

	for (k = 0; k < STAGE_BATCH; k++) {
		rc = lread_next(&in->r, &text, &len);
		switch (rc) {
		case LREAD_LINE:
		case LREAD_TOOLONG:
			if (take(st, i, rc, text, len) < 0)
				return -1;
			if (in->held != 0)
				return 0;
			if (rc == LREAD_LINE && readable(other) &&
			    clock_of(st, i) > clock_of(st, !i))
				return 0;
			break;
		case LREAD_AGAIN:
			in->blocked = 1;
			return 0;
		case LREAD_STOP:
			return 0;
		case LREAD_EOF:
			return end_input(st, i);
		default:
			diag_msg("could not read \"%s\": %s", in->r.name,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Wait up to timeout_ms (-1: for ever, 0: just look) for the inputs that
 * have no whole line. 0, or -1 when poll fails. */
static int
wait_inputs(struct stage *st, int timeout_ms)
{
	struct pollfd pfd[2];
	struct input *in;
	int i, rc;

	for (i = 0; i < 2; i++) {
		in = &st->in[i];
		pfd[i].fd = in->ended || !in->blocked || in->held != 0 ? -1 :
		    in->r.fd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	rc = poll(pfd, 2, timeout_ms);
	if (rc < 0 && errno != EINTR) {
		diag_msg("could not wait for input: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (rc > 0 && (pfd[i].revents & (POLLIN | POLLHUP |
		    POLLERR)) != 0) {
			st->in[i].r.ready = 1;
			st->in[i].blocked = 0;
		}
	return 0;
}

static int
run_two(struct stage *st)
{
	struct input *in = st->in;
	int i, turns = 0, ms;

	for (i = 0; i < 2; i++) {
		if (lread_open(&in[i].r, st->conf.paths[i],
		    st->conf.max_line) != 0) {
			diag_msg("could not open \"%s\": %s",
			    st->conf.paths[i], strerror(errno));
			return -1;
		}
		in[i].open = 1;
		in[i].r.poll_mode = 1;	/* read only what poll says is there */
		in[i].r.stop = &stage_stop;
		in[i].blocked = 1;
	}
	while (!(in[0].ended && in[1].ended)) {
		/* After a signal only the lines already read are handed
		 * over: no input reads again, and once none has a whole
		 * line left, the loop ends. */
		if (stopping(st))
			in[0].r.ready = in[1].r.ready = 0;
		if (readable(&in[0]) && readable(&in[1]))
			i = clock_of(st, 1) < clock_of(st, 0) ? 1 : 0;
		else if (readable(&in[0]) || readable(&in[1]))
			i = readable(&in[0]) ? 0 : 1;
		else {
			if (stopping(st))
				break;
			/* nothing buffered: show what there is, then wait */
			ms = idle_call(st, STAGE_IDLE);
			if (wait_inputs(st, ms > 0 ? ms : -1) < 0)
				return -1;
			idle_call(st, STAGE_TICK);
			continue;
		}
		if (read_some(st, i) < 0)
			return -1;
		/* now and then: has the other input got data, has one gone
		 * quiet? */
		if (!stopping(st) && (++turns % STAGE_TURNS == 0 ||
		    in[i].blocked)) {
			if (wait_inputs(st, 0) < 0)
				return -1;
			if (st->ops.idle != NULL)
				st->ops.idle(st->arg, st, STAGE_TICK);
		}
	}
	return 0;
}

int
stage_drive(const struct stage_conf *conf, const struct stage_ops *ops,
    void *arg)
{
	struct stage *st = stage_new(conf, ops, arg);
	int rc = stage_run(st);

	stage_free(st);
	return rc;
}

int
stage_run(struct stage *st)
{
	int64_t now = mono_us();
	int i, rc;

	for (i = 0; i < 2; i++) {
		st->in[i].first = 1;
		st->in[i].arrival = now;
	}
	sigstop_install(&stage_stop);
	rc = st->conf.ninputs == 2 ? run_two(st) : run_one(st);
	progress_done(&st->pg);
	return rc < 0 ? -1 : st->status;
}
