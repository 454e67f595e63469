/*
 * cdc-unwrap: flatten Debezium-shaped change events into rows, or into a
 * Flink-style retraction changelog for the stateful stages.
 *
 * Each input line is scanned once (jscan) and the output row is spliced from
 * the raw text of the event's "after" or "before" object plus the requested
 * metadata fields: values are never re-encoded, so numbers keep their exact
 * digits and the per-line cost is a scan and a few memcpys. Only
 * --complete-before keeps state (the last row per key); otherwise memory is
 * constant in the length of the stream.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"
#include "jout.h"
#include "jscan.h"
#include "lread.h"
#include "opts.h"
#include "progress.h"
#include "sigstop.h"
#include "unwrap.h"

#define SHORTOPTS	"?Va:ck:qt:v"

enum {
	OPT_DELETES = OPT_TOOL,
	OPT_COMPLETE_BEFORE,
	OPT_WATERMARK_DELAY
};

static const struct option longopts[] = {
	{ "add-fields",	     required_argument, NULL, 'a' },
	{ "changelog",	     no_argument,	NULL, 'c' },
	{ "complete-before", no_argument,	NULL, OPT_COMPLETE_BEFORE },
	{ "deletes",	     required_argument, NULL, OPT_DELETES },
	{ "key",	     required_argument, NULL, 'k' },
	{ "tables",	     required_argument, NULL, 't' },
	{ "watermark-delay", required_argument, NULL, OPT_WATERMARK_DELAY },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

/* One --add-fields entry: where to look, and the output key. */
struct addfield {
	struct field	 path;		/* from the envelope root */
	struct field	 in_source;	/* "source.<name>" for a plain name */
	int		 plain;		/* no dot: envelope first, then source */
	char		*name;		/* "__name", unescaped */
	char		*key;		/* ",\"__name\":" ready to splice */
};

/* One --tables entry. */
struct tablefilter {
	char	*schema;		/* NULL: any schema */
	char	*name;
};

static struct {
	int		 rewrite;	/* --deletes rewrite */
	int		 changelog;
	int		 complete_before;
	struct addfield	*add;
	size_t		 nadd;
	struct tablefilter *tables;
	size_t		 ntables;
	int64_t		 wm_delay;	/* --watermark-delay, microseconds */
} conf;

/* Per-line context for messages and for the rows being written. */
struct event {
	struct lread	*in;
	const char	*line;
	size_t		 len;
	const struct jdoc *d;
	int		 env;		/* envelope token (payload if wrapped) */
	const char	*prefix;	/* "" or "payload." for messages */
	struct buf	 extra;		/* ",\"__op\":\"c\"..." for every row */
	int		*em;		/* envelope members, by E_* then add */
	int		*sm;		/* source members: add, then S_* */
	int		 src_done;	/* sm[] filled for this line */
};

/*
 * Member lookups are done in one pass per object: the envelope's members
 * the tool needs, then the plain --add-fields names; likewise for "source".
 */
enum { E_OP, E_BEFORE, E_AFTER, E_SOURCE, E_PAYLOAD, E_SCHEMA, E_FIXED };
#define S_TABLE		(conf.nadd)	/* after the --add-fields names */
#define S_SCHEMA	(conf.nadd + 1)
static struct jname *env_names, *src_names;
static size_t n_env_names, n_src_names;

static struct jdoc doc = JDOC_INIT;
static uint64_t nrows, npassed;		/* for the -v summary */
static struct buf tmp = BUF_INIT, sbuf = BUF_INIT, tbuf = BUF_INIT;
static struct field f_watermark;

static void	usage(FILE *);
static void	parse_add_fields(const char *);
static void	check_names(void);
static void	parse_tables(const char *);
static void	unwrap_line(struct event *);
static void	idle_flush(void *, int);
static void	setup_names(struct event *);
static void	source_members(struct event *);
static char	*json_key(const char *, size_t);

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s flattens change events (Debezium's envelope, as pgcdc-tail writes\n"
"them) into rows, or into a retraction changelog for window-agg,\n"
"interval-join and top-n.\n"
"\n"
"usage: %s [-cqv] [-a LIST] [-k KEY] [-t LIST] [--deletes=drop|rewrite]\n"
"       [--complete-before] [--watermark-delay=D] [--on-error=fail|skip]\n"
"       [--dead-letter=FILE] [--max-line=SIZE] [FILE ...]\n"
"\n"
"Rows:\n"
"  -a, --add-fields=LIST      envelope fields to add with a \"__\" prefix:\n"
"                             op, table, schema, db, lsn, txId, ts_ms,\n"
"                             source.ts_ms or any dotted path\n"
"      --deletes=drop|rewrite drop deletes (default), or write the old row\n"
"                             with \"__deleted\":true (others get false)\n"
"  -t, --tables=LIST          only events of these tables (name or\n"
"                             schema.name, comma-separated)\n"
"\n"
"Changelog:\n"
"  -c, --changelog            rows with \"__kind\": +I, -U/+U, -D\n"
"      --complete-before      keep the last row per key to complete partial\n"
"                             before images (REPLICA IDENTITY DEFAULT)\n"
"  -k, --key=[TABLE:]COL[+COL] key columns for --complete-before\n"
"                             (repeatable; learned from deletes if omitted)\n"
"\n"
"Watermarks:\n"
"      --watermark-delay=D    write in-band {\"__watermark\":...} lines D\n"
"                             earlier: rows may be up to D older than the\n"
"                             watermark before them (default 0)\n"
"\n"
OPTS_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n",
	    diag_progname, diag_progname);
}

static volatile sig_atomic_t stop;

int
main(int argc, char **argv)
{
	static const char *const deletes[] = { "drop", "rewrite", NULL };
	struct event ev;
	struct progress pg;
	struct lread in;
	const char *path;
	int c, i, rc, status = EXIT_OK;

	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			parse_add_fields(optarg);
			break;
		case 'c':
			conf.changelog = 1;
			break;
		case 'k':
			if (table_key_option(optarg) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--key: expected [TABLE:]COL[+COL...]",
				    optarg);
			break;
		case 't':
			parse_tables(optarg);
			break;
		case OPT_COMPLETE_BEFORE:
			conf.complete_before = 1;
			break;
		case OPT_DELETES:
			conf.rewrite = opts_choice("deletes", optarg,
			    deletes) == 1;
			break;
		case OPT_WATERMARK_DELAY:
			conf.wm_delay = opts_duration("watermark-delay",
			    optarg, 0);
			break;
		default:
			opts_common(c, argc, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (conf.rewrite && conf.changelog)
		diag_usage("--deletes=rewrite and --changelog do not go "
		    "together: a changelog retracts deleted rows with -D");
	if (conf.complete_before && !conf.changelog)
		diag_usage("--complete-before needs --changelog");
	check_names();
	opts_end();

	field_parse(&f_watermark, "__watermark");
	memset(&ev, 0, sizeof(ev));
	ev.d = &doc;
	setup_names(&ev);
	/* A signal ends the input: the lines read are written, then the
	 * output is flushed, so a stage after this one sees its end. */
	sigstop_install(&stop);
	progress_init(&pg, "lines");
	for (i = 0; i < (argc > 0 ? argc : 1) && !stop; i++) {
		path = argc > 0 ? argv[i] : "-";
		if (lread_open(&in, path, opts.max_line) != 0) {
			diag_msg("could not open \"%s\": %s", path,
			    strerror(errno));
			status = EXIT_DATA;
			continue;
		}
		in.idle = idle_flush;
		in.stop = &stop;
		ev.in = &in;
		while ((rc = lread_next(&in, &ev.line, &ev.len)) !=
		    LREAD_EOF) {
			if (rc == LREAD_STOP)
				break;
			if (rc == LREAD_ERROR) {
				diag_msg("could not read \"%s\": %s", in.name,
				    strerror(errno));
				status = EXIT_DATA;
				break;
			}
			progress_tick(&pg, 1);
			if (rc == LREAD_TOOLONG) {
				onerr_line(&opts.onerr, in.name, in.lineno,
				    NULL, 0, "line longer than --max-line "
				    "(%zu bytes)", opts.max_line);
				continue;
			}
			unwrap_line(&ev);
		}
		lread_close(&in);
	}
	progress_done(&pg);
	diag_info(1, "%llu lines read, %llu rows written, %llu lines passed "
	    "through", (unsigned long long)pg.count,
	    (unsigned long long)nrows, (unsigned long long)npassed);
	jout_flush(&jout_stdout);
	onerr_summary(&opts.onerr);

	buf_free(&ev.extra);
	buf_free(&tmp);
	buf_free(&sbuf);
	buf_free(&tbuf);
	jscan_free(&doc);
	tables_free();
	for (size_t k = 0; k < conf.nadd; k++) {
		field_free(&conf.add[k].path);
		field_free(&conf.add[k].in_source);
		free(conf.add[k].name);
		free(conf.add[k].key);
	}
	free(conf.add);
	for (size_t k = 0; k < conf.ntables; k++) {
		free(conf.tables[k].schema);
		free(conf.tables[k].name);
	}
	free(conf.tables);
	field_free(&f_watermark);
	free(env_names);
	free(src_names);
	free(ev.em);
	free(ev.sm);
	jout_close(&jout_stdout);
	diag_exit(status);
}

/* The member names looked up per line, and room for their tokens. */
static void
setup_names(struct event *ev)
{
	static const struct jname env_fixed[E_FIXED] = {
		{ "op", 2 }, { "before", 6 }, { "after", 5 }, { "source", 6 },
		{ "payload", 7 }, { "schema", 6 }
	};
	size_t i;

	/* "table" and "schema" of the source are looked up only when the
	 * table name is needed: they come last and are left out otherwise. */
	n_env_names = E_FIXED + conf.nadd;
	n_src_names = conf.nadd + (conf.ntables > 0 || conf.changelog ? 2 : 0);
	env_names = xcalloc(n_env_names, sizeof(*env_names));
	src_names = xcalloc(conf.nadd + 2, sizeof(*src_names));
	memcpy(env_names, env_fixed, sizeof(env_fixed));
	src_names[S_TABLE].name = "table";
	src_names[S_TABLE].len = 5;
	src_names[S_SCHEMA].name = "schema";
	src_names[S_SCHEMA].len = 6;
	/* Plain --add-fields names ride along in both passes; a dotted path
	 * is walked on its own (build_extra) and its slot goes unused. */
	for (i = 0; i < conf.nadd; i++) {
		const struct field_seg *sg = &conf.add[i].path.seg[0];

		env_names[E_FIXED + i].name = sg->name;
		env_names[E_FIXED + i].len = sg->len;
		src_names[i] = env_names[E_FIXED + i];
	}
	ev->em = xcalloc(n_env_names, sizeof(*ev->em));
	ev->sm = xcalloc(conf.nadd + 2, sizeof(*ev->sm));
}

static void
idle_flush(void *arg, int timed_out)
{
	(void)arg;
	(void)timed_out;
	jout_flush(&jout_stdout);
}

static void
parse_add_fields(const char *spec)
{
	struct field_list l = { NULL, 0 };
	struct addfield *a;
	const char *bad;
	struct buf key = BUF_INIT;
	size_t i;

	if (field_list_parse(&l, spec, &bad) != 0)
		diag_usage("invalid value \"%s\" for option --add-fields: "
		    "empty field name at \"%s\"", spec, bad);
	for (i = 0; i < l.n; i++) {
		conf.add = xrealloc(conf.add, (conf.nadd + 1) *
		    sizeof(*conf.add));
		a = &conf.add[conf.nadd++];
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
}

/*
 * The names cdc-unwrap adds to rows are unique and mean nothing else: two
 * --add-fields paths with one name ("a.b" and "a_b"), "__deleted" of
 * --deletes=rewrite, and the names of changelog rows and control lines
 * (field_reserved) are usage errors. Data columns cannot clash with them:
 * a column named "__..." is refused per line (check_columns).
 */
static void
check_names(void)
{
	const struct addfield *a;
	size_t i, k;

	for (i = 0; i < conf.nadd; i++) {
		a = &conf.add[i];
		if (field_reserved(a->name, strlen(a->name)))
			diag_usage("output field \"%s\" of --add-fields "
			    "\"%s\": a reserved name (changelog rows and "
			    "control lines)", a->name, a->path.text);
		if (conf.rewrite && strcmp(a->name, "__deleted") == 0)
			diag_usage("output field \"__deleted\" of --add-fields "
			    "\"%s\" collides with that of --deletes=rewrite",
			    a->path.text);
		for (k = 0; k < i; k++) {
			if (strcmp(a->name, conf.add[k].name) != 0)
				continue;
			if (strcmp(a->path.text, conf.add[k].path.text) == 0)
				diag_usage("output field \"%s\" of "
				    "--add-fields: \"%s\" is given twice",
				    a->name, a->path.text);
			diag_usage("output field \"%s\" of --add-fields \"%s\" "
			    "collides with that of \"%s\"", a->name,
			    a->path.text, conf.add[k].path.text);
		}
	}
}

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

static void
parse_tables(const char *spec)
{
	const char *p = spec, *comma, *dot;
	struct tablefilter *t;
	size_t n;

	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0)
			diag_usage("invalid value \"%s\" for option --tables: "
			    "empty table name", spec);
		conf.tables = xrealloc(conf.tables, (conf.ntables + 1) *
		    sizeof(*conf.tables));
		t = &conf.tables[conf.ntables++];
		dot = memchr(p, '.', n);
		if (dot != NULL) {
			t->schema = xstrndup(p, (size_t)(dot - p));
			t->name = xstrndup(dot + 1, n - (size_t)(dot - p) - 1);
		} else {
			t->schema = NULL;
			t->name = xstrndup(p, n);
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

/* ---------------------------------------------------------------------
 * Per-line work
 */

/* Report the current line as bad (fatal unless --on-error skip). */
static void
bad(struct event *ev, const char *fmt, ...) DIAG_PRINTF(2, 3);

static void
bad(struct event *ev, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	onerr_line(&opts.onerr, ev->in->name, ev->in->lineno, ev->line,
	    ev->len, "%s", msg);
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
emit(const struct event *ev, const char *raw, size_t n, const char *kind,
    int deleted)
{
	struct jout *o = &jout_stdout;
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
	if (ev->extra.len > 0) {
		/* extra starts with a comma */
		jout_raw(o, ev->extra.data + !any, ev->extra.len - !any);
		any = 1;
	}
	if (conf.rewrite) {
		if (any)
			jout_char(o, ',');
		jout_lit(o, deleted ? "\"__deleted\":true" :
		    "\"__deleted\":false");
	}
	jout_raw(o, "}\n", 2);
	nrows++;
}

static void
emit_tok(const struct event *ev, int t, const char *kind, int deleted)
{
	const char *raw;
	size_t n;

	raw = jscan_raw(ev->d, t, &n);
	emit(ev, raw, n, kind, deleted);
}

static struct event *drain_ev;

static void
emit_drained(const struct row *r)
{
	emit(drain_ev, r->text, r->len, "-D", 0);
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
ts_ms_fallback(struct event *ev, int parent, const struct field *f)
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
		t = jscan_member(ev->d, parent, alt[i].name, 5);
		if (t >= 0 && jscan_i64(ev->d, t, &v) == 0) {
			q = v / alt[i].div;
			if (v % alt[i].div < 0)
				q--;	/* floor, for times before 1970 */
			buf_printf(&ev->extra, "%lld", (long long)q);
			return 1;
		}
	}
	return 0;
}

/* Fill ev->sm[] from the envelope's "source" object, once per line. */
static void
source_members(struct event *ev)
{
	if (ev->src_done)
		return;
	jscan_members(ev->d, ev->em[E_SOURCE], src_names, n_src_names, ev->sm);
	ev->src_done = 1;
}

/* Build ev->extra: ",\"__op\":\"c\",\"__table\":\"sales\"" and so on. */
static void
build_extra(struct event *ev)
{
	const struct jdoc *d = ev->d;
	const struct addfield *a;
	const char *raw;
	size_t i, n;
	int t, parent;

	buf_reset(&ev->extra);
	for (i = 0; i < conf.nadd; i++) {
		a = &conf.add[i];
		buf_puts(&ev->extra, a->key);
		if (a->plain) {
			/* envelope first, then source */
			t = ev->em[E_FIXED + i];
			if (t < 0 && ts_ms_fallback(ev, ev->env, &a->path))
				continue;
			if (t < 0) {
				source_members(ev);
				t = ev->sm[i];
				if (t < 0 && ts_ms_fallback(ev,
				    ev->em[E_SOURCE], &a->path))
					continue;
			}
		} else {
			parent = -1;
			t = lookup(d, ev->env, &a->path, &parent);
			if (t < 0 && ts_ms_fallback(ev, parent, &a->path))
				continue;
		}
		if (t < 0) {
			buf_puts(&ev->extra, "null");
			continue;
		}
		/* source.snapshot: Debezium 1.x wrote a boolean, the contract
		 * says "true", "last" or "false". */
		if ((jscan_type(d, t) == J_TRUE || jscan_type(d, t) == J_FALSE)
		    && strcmp(a->path.seg[a->path.nseg - 1].name,
		    "snapshot") == 0) {
			buf_puts(&ev->extra, jscan_type(d, t) == J_TRUE ?
			    "\"true\"" : "\"false\"");
			continue;
		}
		raw = jscan_raw(d, t, &n);
		buf_append(&ev->extra, raw, n);
	}
}

/*
 * The before or after image: its token, -1 when null or absent, -2 after
 * reporting a bad value (or a missing required one).
 */
static int
image(struct event *ev, int which, int required, char op)
{
	const char *name = env_names[which].name;
	int t = ev->em[which];

	if (t < 0 || jscan_type(ev->d, t) == J_NULL) {
		if (!required)
			return -1;
		bad(ev, "field \"%s%s\": missing for op \"%c\"", ev->prefix,
		    name, op);
		return -2;
	}
	if (jscan_type(ev->d, t) != J_OBJECT) {
		bad(ev, "field \"%s%s\": not an object: %s", ev->prefix, name,
		    field_shown(ev->d, t));
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
check_columns(struct event *ev, int t, const char *which)
{
	const struct jdoc *d = ev->d;
	const struct jtok *k;
	const char *s;
	size_t n;
	int c;

	for (c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c + 1)) {
		k = &d->tok[c];
		s = d->text + k->start + 1;
		n = k->len - 2;
		if ((k->flags & JT_ESCAPED) != 0 &&
		    jscan_str(d, c, &tmp, &s, &n) != 0)
			continue;
		if (n < 2 || s[0] != '_' || s[1] != '_')
			continue;
		s = d->text + k->start + 1;	/* shown as written */
		n = k->len - 2;
		bad(ev, "field \"%s%s.%.*s\": column name starts with \"__\", "
		    "which marks metadata and control lines", ev->prefix, which,
		    (int)n, s);
		return -1;
	}
	return 0;
}

static int
table_selected(const char *schema, size_t slen, const char *name,
    size_t nlen)
{
	const struct tablefilter *f;
	size_t i;

	for (i = 0; i < conf.ntables; i++) {
		f = &conf.tables[i];
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
changelog(struct event *ev, char op, struct table *t, int before, int after)
{
	const struct jdoc *d = ev->d;
	size_t nb = before >= 0 ? jscan_count(d, before) : 0;
	size_t na = after >= 0 ? jscan_count(d, after) : 0;
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
		emit_tok(ev, after, "+I", 0);
		if (conf.complete_before)
			store_put(t, d, after);
		return;
	case 'u':
		if (conf.complete_before) {
			if (before >= 0 && partial)
				table_learn_key(t, d, before);
			old = store_take(t, d, before >= 0 ? before : after);
			if (!partial || old == NULL) {
				if (before >= 0)
					emit_tok(ev, before, "-U", 0);
				if (partial)
					warn_once(t, t->key_known ? W_MISSING :
					    W_NOKEY, NULL);
			} else
				emit(ev, old->text, old->len, "-U", 0);
			free(old);
			emit_tok(ev, after, "+U", 0);
			store_put(t, d, after);
			return;
		}
		if (before >= 0)
			emit_tok(ev, before, "-U", 0);
		if (partial)
			warn_once(t, W_PARTIAL, before < 0 ?
			    "updates carry no before image" :
			    "before images hold only the key");
		emit_tok(ev, after, "+U", 0);
		return;
	case 'd':
		if (before < 0) {
			warn_once(t, W_PARTIAL, "deletes carry no before image");
			return;
		}
		if (conf.complete_before) {
			if (partial)
				table_learn_key(t, d, before);
			old = store_take(t, d, before);
			if (partial && old != NULL)
				emit(ev, old->text, old->len, "-D", 0);
			else {
				emit_tok(ev, before, "-D", 0);
				if (partial)
					warn_once(t, W_MISSING, NULL);
			}
			free(old);
			return;
		}
		emit_tok(ev, before, "-D", 0);
		if (partial)
			warn_once(t, W_PARTIAL, "before images hold only the key");
		return;
	case 't':
		if (conf.complete_before) {
			drain_ev = ev;
			store_drain(t, emit_drained);
			return;
		}
		warn_once(t, W_TRUNCATE, NULL);
		return;
	}
}

static void
passthrough(struct event *ev)
{
	int64_t us;
	int w = field_scan(ev->d, 0, &f_watermark), rc;

	if (w >= 0 && conf.wm_delay != 0) {
		/* A producer's watermark (pgcdc-tail's are commit times)
		 * made looser for rows whose event time runs behind it; an
		 * infinity stays itself (the end of a drained pipeline). */
		if ((rc = field_time(ev->d, w, TS_MS, &tmp, &us)) != 0) {
			bad(ev, "field \"__watermark\": %s: %s",
			    ts_strerror(rc), field_shown(ev->d, w));
			return;
		}
		us = ts_add_sat(us, -conf.wm_delay);
		jout_lit(&jout_stdout, "{\"__watermark\":");
		jout_time(&jout_stdout, us);
		jout_lit(&jout_stdout, "}\n");
	} else {
		jout_raw(&jout_stdout, ev->line, ev->len);
		jout_char(&jout_stdout, '\n');
	}
	npassed++;
	/* Watermarks are where downstream stages close state: don't make
	 * them wait for a full buffer. */
	if (w >= 0)
		jout_flush(&jout_stdout);
}

static void
unwrap_line(struct event *ev)
{
	const struct jdoc *d = &doc;
	const char *opstr, *schema = NULL, *table = NULL;
	size_t oplen, slen = 0, tlen = 0;
	struct table *t = NULL;
	int op, v, before, after;
	char opc;

	if (jscan_parse(&doc, ev->line, ev->len) != 0) {
		bad(ev, "invalid JSON: %s at column %zu", doc.err,
		    doc.err_off + 1);
		return;
	}
	if (jscan_type(d, 0) != J_OBJECT) {
		bad(ev, "not a JSON object: %s", field_shown(d, 0));
		return;
	}
	/* Debezium's JSON converter: {"schema":...,"payload":...}. A null
	 * payload is a Kafka tombstone: nothing to unwrap. */
	ev->env = 0;
	ev->prefix = "";
	ev->src_done = 0;
	jscan_members(d, 0, env_names, n_env_names, ev->em);
	if ((v = ev->em[E_PAYLOAD]) >= 0 && ev->em[E_SCHEMA] >= 0) {
		if (jscan_type(d, v) == J_NULL)
			return;
		if (jscan_type(d, v) == J_OBJECT) {
			ev->env = v;
			ev->prefix = "payload.";
			jscan_members(d, v, env_names, n_env_names, ev->em);
		}
	}
	/* An envelope has a string "op" and a before, after or source; any
	 * other line (watermarks included) passes through as it is. */
	op = ev->em[E_OP];
	if (jscan_type(d, op) != J_STRING || (ev->em[E_AFTER] < 0 &&
	    ev->em[E_BEFORE] < 0 && ev->em[E_SOURCE] < 0)) {
		passthrough(ev);
		return;
	}
	jscan_str(d, op, &tmp, &opstr, &oplen);
	opc = oplen == 1 ? opstr[0] : '?';
	if (strchr("crudtm", opc) == NULL || opc == '\0') {
		bad(ev, "field \"%sop\": unknown operation: %s", ev->prefix,
		    field_shown(d, op));
		return;
	}
	if (opc == 'm')		/* a logical decoding message: no row */
		return;

	/* Names are unescaped: a table may be called Odd "Name" tbl. */
	if (conf.ntables > 0 || conf.changelog) {
		source_members(ev);
		if (jscan_str(d, ev->sm[S_TABLE], &tbuf, &table, &tlen) != 0)
			table = NULL;
		if (jscan_str(d, ev->sm[S_SCHEMA], &sbuf, &schema, &slen) != 0)
			schema = NULL;
	}
	if (conf.ntables > 0 && (table == NULL ||
	    !table_selected(schema, slen, table, tlen)))
		return;

	before = image(ev, E_BEFORE, 0, opc);
	after = image(ev, E_AFTER, opc == 'c' || opc == 'r' || opc == 'u',
	    opc);
	if (before == -2 || after == -2)
		return;
	if ((before >= 0 && check_columns(ev, before, "before") != 0) ||
	    (after >= 0 && check_columns(ev, after, "after") != 0))
		return;
	build_extra(ev);

	if (conf.changelog) {
		buf_reset(&tmp);
		if (schema != NULL) {
			buf_append(&tmp, schema, slen);
			buf_putc(&tmp, '.');
		}
		if (table != NULL)
			buf_append(&tmp, table, tlen);
		t = table_get(tmp.data != NULL ? tmp.data : "", tmp.len);
		changelog(ev, opc, t, before, after);
		return;
	}
	switch (opc) {
	case 'c':
	case 'r':
	case 'u':
		emit_tok(ev, after, NULL, 0);
		break;
	case 'd':
		if (!conf.rewrite)
			break;
		if (before >= 0)
			emit_tok(ev, before, NULL, 1);
		else
			emit(ev, "{}", 2, NULL, 1);
		break;
	}
}
