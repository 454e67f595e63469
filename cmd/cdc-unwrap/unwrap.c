/*
 * unwrap.c: the events of one line and the rows they become.
 *
 * Each line is scanned once (jscan) and the output row is spliced from the
 * raw text of the event's "after" or "before" object plus the requested
 * metadata fields: values are never re-encoded, so numbers keep their exact
 * digits and the per-line cost is a scan and a few memcpys. Only
 * --complete-before keeps state (the last row per key, store.c); otherwise
 * memory is constant in the length of the stream.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"
#include "jout.h"
#include "jscan.h"
#include "tstamp.h"
#include "unwrap.h"

/*
 * Member lookups are done in one pass per object: the envelope's members
 * the tool needs, then the plain --add-fields names; likewise for "source".
 */
enum { E_OP, E_BEFORE, E_AFTER, E_SOURCE, E_PAYLOAD, E_SCHEMA, E_FIXED };
#define S_TABLE(u)	((u)->c->nadd)	/* after the --add-fields names */
#define S_SCHEMA(u)	((u)->c->nadd + 1)

struct unwrap {
	const struct unwrap_conf *c;
	struct jout	*out;
	struct jdoc	 doc;
	struct jname	*env_names, *src_names;
	size_t		 n_env_names, n_src_names;
	/* the line being unwrapped */
	const char	*line;
	size_t		 len;
	int		 env;		/* envelope (the payload if wrapped) */
	const char	*prefix;	/* "" or "payload." for messages */
	struct buf	 extra;		/* ",\"__op\":\"c\"..." for every row */
	int		*em;		/* envelope members, by E_* then add */
	int		*sm;		/* source members: add, then S_* */
	int		 src_done;	/* sm[] filled for this line */
	int		 bad;		/* the line was found bad */
	char		 msg[1024];	/* why */
	struct buf	 tmp, sbuf, tbuf;
	uint64_t	 nrows, npassed;
};

static char	*json_key(const char *, size_t);

/* ---------------------------------------------------------------------
 * Options
 */

/* ",\"name\":" with the name escaped, ready to splice into a row. */
static char *
json_key(const char *name, size_t n)
{
	struct buf q = BUF_INIT;

	buf_putc(&q, ',');
	jout_quote_buf(&q, name, n);
	buf_putc(&q, ':');
	return q.data;
}

int
unwrap_add_fields(struct unwrap_conf *c, const char *spec, struct buf *err)
{
	struct field_list l = { NULL, 0 };
	struct addfield *a;
	const char *bad;
	struct buf key = BUF_INIT;
	size_t i;

	if (field_list_parse(&l, spec, &bad) != 0) {
		buf_printf(err, "empty field name at \"%s\"", bad);
		free(l.f);
		return -1;
	}
	c->add = xrealloc(c->add, (c->nadd + l.n) * sizeof(*c->add));
	for (i = 0; i < l.n; i++) {
		a = &c->add[c->nadd++];
		memset(a, 0, sizeof(*a));
		a->path = l.f[i];
		a->plain = a->path.nseg == 1;
		if (a->plain) {
			buf_reset(&key);
			buf_printf(&key, "source.%s", a->path.text);
			field_parse(&a->in_source, key.data);
		}
		/* Debezium's naming: "__" + the path with '_' for '.'. */
		buf_reset(&key);
		buf_puts(&key, "__");
		field_out_name(&a->path, &key);
		a->name = xstrndup(key.data, key.len);
		a->key = json_key(key.data, key.len);
	}
	free(l.f);
	buf_free(&key);
	return 0;
}

int
unwrap_tables(struct unwrap_conf *c, const char *spec, struct buf *err)
{
	const char *p = spec, *comma, *dot;
	struct tablefilter *t;
	size_t n, n0 = c->ntables;

	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		dot = memchr(p, '.', n);
		/* PostgreSQL has no empty names: "a." or ".a" would select
		 * nothing, silently */
		if (n == 0 || (dot != NULL && (dot == p || dot == p + n - 1))) {
			while (c->ntables > n0) {
				t = &c->tables[--c->ntables];
				free(t->schema);
				free(t->name);
			}
			buf_puts(err, dot == p && n > 1 ? "empty schema name" :
			    "empty table name");
			return -1;
		}
		c->tables = xrealloc(c->tables, (c->ntables + 1) *
		    sizeof(*c->tables));
		t = &c->tables[c->ntables++];
		if (dot != NULL) {
			t->schema = xstrndup(p, (size_t)(dot - p));
			t->name = xstrndup(dot + 1, n - (size_t)(dot - p) - 1);
		} else {
			t->schema = NULL;
			t->name = xstrndup(p, n);
		}
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/*
 * The names cdc-unwrap adds to rows are unique and mean nothing else: two
 * --add-fields paths with one name ("a.b" and "a_b"), "__deleted" of
 * --deletes=rewrite, and the names of changelog rows and control lines
 * (field_reserved) are usage errors. Data columns cannot clash with them:
 * a column named "__..." is refused per line (check_columns).
 */
int
unwrap_check(const struct unwrap_conf *c, struct buf *err)
{
	const struct addfield *a;
	size_t i, k;

	if (c->rewrite && c->changelog) {
		buf_puts(err, "--deletes=rewrite and --changelog do not go "
		    "together: a changelog retracts deleted rows with -D");
		return -1;
	}
	if (c->complete_before && !c->changelog) {
		buf_puts(err, "--complete-before needs --changelog");
		return -1;
	}
	for (i = 0; i < c->nadd; i++) {
		a = &c->add[i];
		if (field_reserved(a->name, strlen(a->name))) {
			buf_printf(err, "output field \"%s\" of --add-fields "
			    "\"%s\": a reserved name (changelog rows and "
			    "control lines)", a->name, a->path.text);
			return -1;
		}
		if (c->rewrite && strcmp(a->name, "__deleted") == 0) {
			buf_printf(err, "output field \"__deleted\" of "
			    "--add-fields \"%s\" collides with that of "
			    "--deletes=rewrite", a->path.text);
			return -1;
		}
		for (k = 0; k < i; k++) {
			if (strcmp(a->name, c->add[k].name) != 0)
				continue;
			if (strcmp(a->path.text, c->add[k].path.text) == 0)
				buf_printf(err, "output field \"%s\" of "
				    "--add-fields: \"%s\" is given twice",
				    a->name, a->path.text);
			else
				buf_printf(err, "output field \"%s\" of "
				    "--add-fields \"%s\" collides with that of "
				    "\"%s\"", a->name, a->path.text,
				    c->add[k].path.text);
			return -1;
		}
	}
	return 0;
}

void
unwrap_conf_free(struct unwrap_conf *c)
{
	size_t k;

	for (k = 0; k < c->nadd; k++) {
		field_free(&c->add[k].path);
		field_free(&c->add[k].in_source);
		free(c->add[k].name);
		free(c->add[k].key);
	}
	free(c->add);
	for (k = 0; k < c->ntables; k++) {
		free(c->tables[k].schema);
		free(c->tables[k].name);
	}
	free(c->tables);
	memset(c, 0, sizeof(*c));
}

/* ---------------------------------------------------------------------
 * Setting up
 */

struct unwrap *
unwrap_new(const struct unwrap_conf *c, struct jout *out)
{
	static const struct jname env_fixed[E_FIXED] = {
		{ "op", 2 }, { "before", 6 }, { "after", 5 }, { "source", 6 },
		{ "payload", 7 }, { "schema", 6 }
	};
	struct unwrap *u = xcalloc(1, sizeof(*u));
	size_t i;

	u->c = c;
	u->out = out;
	u->doc = (struct jdoc)JDOC_INIT;
	/* "table" and "schema" of the source are looked up only when the
	 * table name is needed: they come last and are left out otherwise. */
	u->n_env_names = E_FIXED + c->nadd;
	u->n_src_names = c->nadd + (c->ntables > 0 || c->changelog ? 2 : 0);
	u->env_names = xcalloc(u->n_env_names, sizeof(*u->env_names));
	u->src_names = xcalloc(c->nadd + 2, sizeof(*u->src_names));
	memcpy(u->env_names, env_fixed, sizeof(env_fixed));
	u->src_names[S_TABLE(u)].name = "table";
	u->src_names[S_TABLE(u)].len = 5;
	u->src_names[S_SCHEMA(u)].name = "schema";
	u->src_names[S_SCHEMA(u)].len = 6;
	/* Plain --add-fields names ride along in both passes; a dotted path
	 * is walked on its own (build_extra) and its slot goes unused. */
	for (i = 0; i < c->nadd; i++) {
		const struct field_seg *sg = &c->add[i].path.seg[0];

		u->env_names[E_FIXED + i].name = sg->name;
		u->env_names[E_FIXED + i].len = sg->len;
		u->src_names[i] = u->env_names[E_FIXED + i];
	}
	u->em = xcalloc(u->n_env_names, sizeof(*u->em));
	u->sm = xcalloc(c->nadd + 2, sizeof(*u->sm));
	return u;
}

void
unwrap_counts(const struct unwrap *u, uint64_t *rows, uint64_t *passed)
{
	*rows = u->nrows;
	*passed = u->npassed;
}

void
unwrap_free(struct unwrap *u)
{
	if (u == NULL)
		return;
	jscan_free(&u->doc);
	free(u->env_names);
	free(u->src_names);
	free(u->em);
	free(u->sm);
	buf_free(&u->extra);
	buf_free(&u->tmp);
	buf_free(&u->sbuf);
	buf_free(&u->tbuf);
	free(u);
}

/* ---------------------------------------------------------------------
 * Per-line work
 */

/* The current line is bad: say why (unwrap_line returns it). */
static void
bad(struct unwrap *u, const char *fmt, ...) DIAG_PRINTF(2, 3);

static void
bad(struct unwrap *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->bad = 1;
}

static int
blank(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++, n--;
	return n == 0;
}

/*
 * Write one row: the members of the object text raw[0..n) (its braces
 * dropped), with "__kind" first when kind is set, then the --add-fields
 * values, then "__deleted" under --deletes rewrite.
 */
static void
emit(struct unwrap *u, const char *raw, size_t n, const char *kind,
    int deleted)
{
	struct jout *o = u->out;
	const char *inner = raw + 1;
	size_t in = n - 2;
	int any = 0;

	jout_char(o, '{');
	if (kind != NULL) {
		jout_lit(o, "\"__kind\":\"");
		jout_lit(o, kind);
		jout_char(o, '"');
		any = 1;
	}
	if (!blank(inner, in)) {
		if (any)
			jout_char(o, ',');
		jout_raw(o, inner, in);
		any = 1;
	}
	if (u->extra.len > 0) {
		/* extra starts with a comma */
		jout_raw(o, u->extra.data + !any, u->extra.len - !any);
		any = 1;
	}
	if (u->c->rewrite) {
		if (any)
			jout_char(o, ',');
		jout_lit(o, deleted ? "\"__deleted\":true" :
		    "\"__deleted\":false");
	}
	jout_raw(o, "}\n", 2);
	u->nrows++;
}

static void
emit_tok(struct unwrap *u, int t, const char *kind, int deleted)
{
	const char *raw;
	size_t n;

	raw = jscan_raw(&u->doc, t, &n);
	emit(u, raw, n, kind, deleted);
}

static void
emit_drained(const struct row *r, void *arg)
{
	emit(arg, r->text, r->len, "-D", 0);
}

/* Member `name` of object t and the object it sits in. */
static int
lookup(const struct jdoc *d, int obj, const struct field *f, int *parent)
{
	size_t i;
	int t = obj;

	for (i = 0; i < f->nseg && t >= 0; i++) {
		*parent = t;
		t = jscan_member(d, t, f->seg[i].name, f->seg[i].len);
	}
	return t;
}

/*
 * A missing "ts_ms" filled from Debezium 2's "ts_us" or "ts_ns" beside it.
 * Appends the value and returns 1, or returns 0.
 */
static int
ts_ms_fallback(struct unwrap *u, int parent, const struct field *f)
{
	static const struct { const char *name; int64_t div; } alt[] = {
		{ "ts_us", 1000 }, { "ts_ns", 1000000 }
	};
	const struct field_seg *last = &f->seg[f->nseg - 1];
	int64_t v, q;
	size_t i;
	int t;

	if (parent < 0 || last->len != 5 || memcmp(last->name, "ts_ms", 5) != 0)
		return 0;
	for (i = 0; i < 2; i++) {
		t = jscan_member(&u->doc, parent, alt[i].name, 5);
		if (t >= 0 && jscan_i64(&u->doc, t, &v) == 0) {
			q = v / alt[i].div;
			if (v % alt[i].div < 0)
				q--;	/* floor, for times before 1970 */
			buf_printf(&u->extra, "%lld", (long long)q);
			return 1;
		}
	}
	return 0;
}

/* Fill u->sm[] from the envelope's "source" object, once per line. */
static void
source_members(struct unwrap *u)
{
	if (u->src_done)
		return;
	jscan_members(&u->doc, u->em[E_SOURCE], u->src_names, u->n_src_names,
	    u->sm);
	u->src_done = 1;
}

/* Build u->extra: ",\"__op\":\"c\",\"__table\":\"sales\"" and so on. */
static void
build_extra(struct unwrap *u)
{
	const struct jdoc *d = &u->doc;
	const struct addfield *a;
	const char *raw;
	size_t i, n;
	int t, parent;

	buf_reset(&u->extra);
	for (i = 0; i < u->c->nadd; i++) {
		a = &u->c->add[i];
		buf_puts(&u->extra, a->key);
		if (a->plain) {
			/* envelope first, then source */
			t = u->em[E_FIXED + i];
			if (t < 0 && ts_ms_fallback(u, u->env, &a->path))
				continue;
			if (t < 0) {
				source_members(u);
				t = u->sm[i];
				if (t < 0 && ts_ms_fallback(u,
				    u->em[E_SOURCE], &a->path))
					continue;
			}
		} else {
			parent = -1;
			t = lookup(d, u->env, &a->path, &parent);
			if (t < 0 && ts_ms_fallback(u, parent, &a->path))
				continue;
		}
		if (t < 0) {
			buf_puts(&u->extra, "null");
			continue;
		}
		/* source.snapshot: Debezium 1.x wrote a boolean, the contract
		 * says "true", "last" or "false". */
		if ((jscan_type(d, t) == J_TRUE || jscan_type(d, t) == J_FALSE)
		    && strcmp(a->path.seg[a->path.nseg - 1].name,
		    "snapshot") == 0) {
			buf_puts(&u->extra, jscan_type(d, t) == J_TRUE ?
			    "\"true\"" : "\"false\"");
			continue;
		}
		raw = jscan_raw(d, t, &n);
		buf_append(&u->extra, raw, n);
	}
}

/*
 * The before or after image: its token, -1 when null or absent, -2 after
 * reporting a bad value (or a missing required one).
 */
static int
image(struct unwrap *u, int which, int required, char op)
{
	const char *name = u->env_names[which].name;
	int t = u->em[which];

	if (t < 0 || jscan_type(&u->doc, t) == J_NULL) {
		if (!required)
			return -1;
		bad(u, "field \"%s%s\": missing for op \"%c\"", u->prefix,
		    name, op);
		return -2;
	}
	if (jscan_type(&u->doc, t) != J_OBJECT) {
		bad(u, "field \"%s%s\": not an object: %s", u->prefix, name,
		    field_shown(&u->doc, t));
		return -2;
	}
	return t;
}

/*
 * DESIGN.md section 3 keeps names starting with "__" for metadata, and
 * "__kind" or "__watermark" in a row would make the next stage take it for
 * a retraction or a watermark: an image with such a column is a bad line.
 * 0, or -1 after reporting it.
 */
static int
check_columns(struct unwrap *u, int t, const char *which)
{
	const struct jdoc *d = &u->doc;
	const struct jtok *k;
	const char *s;
	size_t n;
	int c;

	for (c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c + 1)) {
		k = &d->tok[c];
		s = d->text + k->start + 1;
		n = k->len - 2;
		if ((k->flags & JT_ESCAPED) != 0 &&
		    jscan_str(d, c, &u->tmp, &s, &n) != 0)
			continue;
		if (n < 2 || s[0] != '_' || s[1] != '_')
			continue;
		s = d->text + k->start + 1;	/* shown as written */
		n = k->len - 2;
		bad(u, "field \"%s%s.%.*s\": column name starts with \"__\", "
		    "which marks metadata and control lines", u->prefix, which,
		    (int)n, s);
		return -1;
	}
	return 0;
}

static int
table_selected(const struct unwrap_conf *c, const char *schema, size_t slen,
    const char *name, size_t nlen)
{
	const struct tablefilter *f;
	size_t i;

	for (i = 0; i < c->ntables; i++) {
		f = &c->tables[i];
		if (strlen(f->name) != nlen || memcmp(f->name, name, nlen) != 0)
			continue;
		if (f->schema == NULL || (schema != NULL &&
		    strlen(f->schema) == slen &&
		    memcmp(f->schema, schema, slen) == 0))
			return 1;
	}
	return 0;
}

/* Each warning is given once per table. */
enum { W_PARTIAL = 1, W_MISSING = 2, W_NOKEY = 4, W_TRUNCATE = 8 };

static void
warn_once(struct table *t, int what, const char *detail)
{
	if ((t->warned & what) != 0)
		return;
	t->warned |= what;
	switch (what) {
	case W_PARTIAL:
		diag_warnx("table \"%s\": %s (REPLICA IDENTITY DEFAULT): "
		    "retractions will be partial; use --complete-before, or "
		    "REPLICA IDENTITY FULL on the table", t->name, detail);
		break;
	case W_MISSING:
		diag_warnx("table \"%s\": no earlier row for a key (it "
		    "predates the stream, or --key is wrong): its retraction "
		    "is partial", t->name);
		break;
	case W_NOKEY:
		diag_warnx("table \"%s\": key columns not known yet: an "
		    "update could not be completed; give them with --key",
		    t->name);
		break;
	case W_TRUNCATE:
		diag_warnx("table \"%s\": truncated; its rows cannot be "
		    "retracted without --complete-before", t->name);
		break;
	}
}

/* The changelog of one event: +I, -U/+U, -D, and -D for every known row on
 * a truncate. */
static void
changelog(struct unwrap *u, char op, struct table *t, int before, int after)
{
	const struct jdoc *d = &u->doc;
	size_t nb = before >= 0 ? jscan_count(d, before) : 0;
	size_t na = after >= 0 ? jscan_count(d, after) : 0;
	int complete = u->c->complete_before;
	struct row *old = NULL;
	int partial;

	if (after >= 0 && na > t->ncols)
		t->ncols = na;
	/* A before image with fewer columns than the table's rows is only
	 * the key; none at all on an update means the key did not change. */
	partial = before < 0 || nb < t->ncols;
	switch (op) {
	case 'c':
	case 'r':
		emit_tok(u, after, "+I", 0);
		if (complete)
			store_put(t, d, after);
		return;
	case 'u':
		if (complete) {
			if (before >= 0 && partial)
				table_learn_key(t, d, before);
			old = store_take(t, d, before >= 0 ? before : after);
			if (!partial || old == NULL) {
				if (before >= 0)
					emit_tok(u, before, "-U", 0);
				if (partial)
					warn_once(t, t->key_known ? W_MISSING :
					    W_NOKEY, NULL);
			} else
				emit(u, old->text, old->len, "-U", 0);
			free(old);
			emit_tok(u, after, "+U", 0);
			store_put(t, d, after);
			return;
		}
		if (before >= 0)
			emit_tok(u, before, "-U", 0);
		if (partial)
			warn_once(t, W_PARTIAL, before < 0 ?
			    "updates carry no before image" :
			    "before images hold only the key");
		emit_tok(u, after, "+U", 0);
		return;
	case 'd':
		if (before < 0) {
			warn_once(t, W_PARTIAL,
			    "deletes carry no before image");
			return;
		}
		if (complete) {
			if (partial)
				table_learn_key(t, d, before);
			old = store_take(t, d, before);
			if (partial && old != NULL)
				emit(u, old->text, old->len, "-D", 0);
			else {
				emit_tok(u, before, "-D", 0);
				if (partial)
					warn_once(t, W_MISSING, NULL);
			}
			free(old);
			return;
		}
		emit_tok(u, before, "-D", 0);
		if (partial)
			warn_once(t, W_PARTIAL,
			    "before images hold only the key");
		return;
	case 't':
		if (complete) {
			store_drain(t, emit_drained, u);
			return;
		}
		warn_once(t, W_TRUNCATE, NULL);
		return;
	}
}

/* A line that is not an event: as it is. */
static void
passthrough(struct unwrap *u)
{
	jout_raw(u->out, u->line, u->len);
	jout_char(u->out, '\n');
	u->npassed++;
}

void
unwrap_watermark(struct unwrap *u, const char *line, size_t len, int64_t us)
{
	if (u->c->wm_delay != 0) {
		/* A producer's watermark (pgcdc-tail's are commit times)
		 * made looser for rows whose event time runs behind it; an
		 * infinity stays itself (the end of a drained pipeline). */
		jout_lit(u->out, "{\"__watermark\":");
		jout_time(u->out, ts_add_sat(us, -u->c->wm_delay));
		jout_lit(u->out, "}\n");
	} else {
		jout_raw(u->out, line, len);
		jout_char(u->out, '\n');
	}
	u->npassed++;
}

/* The work of unwrap_line; a bad line sets u->bad. */
static void
unwrap_event(struct unwrap *u)
{
	const struct unwrap_conf *c = u->c;
	const struct jdoc *d = &u->doc;
	const char *opstr, *schema = NULL, *table = NULL;
	size_t oplen, slen = 0, tlen = 0;
	struct table *t = NULL;
	int op, v, before, after;
	char opc;

	if (jscan_parse(&u->doc, u->line, u->len) != 0) {
		bad(u, "invalid JSON: %s at column %zu", d->err,
		    d->err_off + 1);
		return;
	}
	if (jscan_type(d, 0) != J_OBJECT) {
		bad(u, "not a JSON object: %s", field_shown(d, 0));
		return;
	}
	/* Debezium's JSON converter: {"schema":...,"payload":...}. A null
	 * payload is a Kafka tombstone: nothing to unwrap. */
	u->env = 0;
	u->prefix = "";
	u->src_done = 0;
	jscan_members(d, 0, u->env_names, u->n_env_names, u->em);
	if ((v = u->em[E_PAYLOAD]) >= 0 && u->em[E_SCHEMA] >= 0) {
		if (jscan_type(d, v) == J_NULL)
			return;
		if (jscan_type(d, v) == J_OBJECT) {
			u->env = v;
			u->prefix = "payload.";
			jscan_members(d, v, u->env_names, u->n_env_names,
			    u->em);
		}
	}
	/* An envelope has a string "op" and a before, after or source; any
	 * other line passes through as it is. */
	op = u->em[E_OP];
	if (jscan_type(d, op) != J_STRING || (u->em[E_AFTER] < 0 &&
	    u->em[E_BEFORE] < 0 && u->em[E_SOURCE] < 0)) {
		passthrough(u);
		return;
	}
	jscan_str(d, op, &u->tmp, &opstr, &oplen);
	opc = oplen == 1 ? opstr[0] : '?';
	if (strchr("crudtm", opc) == NULL || opc == '\0') {
		bad(u, "field \"%sop\": unknown operation: %s", u->prefix,
		    field_shown(d, op));
		return;
	}
	if (opc == 'm')		/* a logical decoding message: no row */
		return;

	/* Names are unescaped: a table may be called Odd "Name" tbl. */
	if (c->ntables > 0 || c->changelog) {
		source_members(u);
		if (jscan_str(d, u->sm[S_TABLE(u)], &u->tbuf, &table, &tlen) !=
		    0)
			table = NULL;
		if (jscan_str(d, u->sm[S_SCHEMA(u)], &u->sbuf, &schema,
		    &slen) != 0)
			schema = NULL;
	}
	if (c->ntables > 0 && (table == NULL ||
	    !table_selected(c, schema, slen, table, tlen)))
		return;

	before = image(u, E_BEFORE, 0, opc);
	after = image(u, E_AFTER, opc == 'c' || opc == 'r' || opc == 'u',
	    opc);
	if (before == -2 || after == -2)
		return;
	if ((before >= 0 && check_columns(u, before, "before") != 0) ||
	    (after >= 0 && check_columns(u, after, "after") != 0))
		return;
	build_extra(u);

	if (c->changelog) {
		buf_reset(&u->tmp);
		if (schema != NULL) {
			buf_append(&u->tmp, schema, slen);
			buf_putc(&u->tmp, '.');
		}
		if (table != NULL)
			buf_append(&u->tmp, table, tlen);
		t = table_get(u->tmp.data != NULL ? u->tmp.data : "",
		    u->tmp.len);
		changelog(u, opc, t, before, after);
		return;
	}
	switch (opc) {
	case 'c':
	case 'r':
	case 'u':
		emit_tok(u, after, NULL, 0);
		break;
	case 'd':
		if (!c->rewrite)
			break;
		if (before >= 0)
			emit_tok(u, before, NULL, 1);
		else
			emit(u, "{}", 2, NULL, 1);
		break;
	}
}

int
unwrap_line(struct unwrap *u, const char *line, size_t len,
    const char **why)
{
	u->line = line;
	u->len = len;
	u->bad = 0;
	unwrap_event(u);
	if (!u->bad)
		return 0;
	*why = u->msg;
	return -1;
}
