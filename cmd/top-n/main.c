/*
 * top-n: the top N rows per window or partition of a row stream.
 *
 * Rows (NDJSON objects, optionally a __kind changelog) are ranked by one or
 * more --by fields within partitions (--partition-by), with ROW_NUMBER
 * semantics: ranks 1..N are unique and ties go to the row that came first.
 * A partition is written, each row with its rank added, when it closes: a
 * watermark reaches its window_end, the next partition of --sorted input
 * begins, or input ends. With --emit update the ranking is written instead
 * as a changelog keyed by rank, after every row (Flink's plain Top-N).
 * Each line is scanned once (jscan); rows are written from their own text.
 * The input loop and the control lines are the stage driver's
 * (common/stage.c); the sort keys are in rank.c, the partitions and
 * rankings in part.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
#include "jscan.h"
#include "opts.h"
#include "stage.h"
#include "topn.h"
#include "tstamp.h"

#define SHORTOPTS	"?Vb:n:p:qv"

enum {
	OPT_ASC = OPT_TOOL,
	OPT_EMIT,
	OPT_RANK_FIELD,
	OPT_SORTED,
	OPT_WATERMARKS
};

static const struct option longopts[] = {
	{ "asc",		no_argument,	   NULL, OPT_ASC },
	{ "by",			required_argument, NULL, 'b' },
	{ "emit",		required_argument, NULL, OPT_EMIT },
	{ "limit",		required_argument, NULL, 'n' },
	{ "partition-by",	required_argument, NULL, 'p' },
	{ "rank-field",		required_argument, NULL, OPT_RANK_FIELD },
	{ "sorted",		no_argument,	   NULL, OPT_SORTED },
	{ "watermarks",		no_argument,	   NULL, OPT_WATERMARKS },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

struct conf conf;
struct counters cnt;

static struct jdoc doc = JDOC_INIT;
static int64_t wm = T_MIN;		/* the watermark */
static uint64_t seq;			/* rows numbered so far */
static struct skey *cand;		/* the current row's keys */
static struct buf *kscratch;		/* their unescaped strings */
static struct buf keybuf = BUF_INIT, body = BUF_INIT, tmp = BUF_INIT;
#define BODY_KEEP	(1 << 20)	/* body's room kept from row to row */
/* The last window_end text and its time: rows of one window repeat it. */
static struct buf wend_text = BUF_INIT;
static int64_t wend_us;

/*
 * Every field a row is read for, looked up in one pass over its members:
 * the fixed names below, then the distinct top-level names of the --by and
 * --partition-by fields. A dotted path is walked on its own (slot -1).
 */
enum { S_KIND, S_WINDOW_END, S_RANK, S_FIXED };
static struct jname *names;
static size_t nnames;
static int *found;			/* token per name, per line */
static int *by_slot, *part_slot;

static void	usage(FILE *);
static void	setup_lookup(void);
static int	on_row(void *, struct stage *, const struct stage_line *);
static void	on_watermark(void *, struct stage *, const struct stage_line *,
		    int64_t);

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s writes the top N rows of each partition of a row stream, ranked by\n"
"one or more fields (ROW_NUMBER: ties go to the earlier row, nulls last),\n"
"each with its rank added: per window when rows carry window_end and\n"
"watermarks close it, or at end of input; or as a changelog by rank.\n"
"\n"
"usage: %s -n N -b FIELD[:asc|:desc]... [-p LIST] [OPTION]... [FILE ...]\n"
"\n"
"Ranking:\n"
"  -n, --limit=N              rows per partition: ranks 1 to N\n"
"  -b, --by=FIELD[:asc|:desc] rank by this field (dotted path), largest\n"
"                             first; repeat for tie-breakers\n"
"      --asc                  smallest first for --by fields without a\n"
"                             suffix\n"
"  -p, --partition-by=LIST    rank within each value of these fields\n"
"                             (comma-separated dotted paths)\n"
"      --rank-field=NAME      name of the rank member (default \"rank\")\n"
"\n"
"Partitions and output:\n"
"      --sorted               input comes grouped by partition: write each\n"
"                             when the next one begins\n"
"      --watermarks           after what a watermark line closes, forward it\n"
"      --emit=final|update    each partition's ranking when it closes\n"
"                             (default), or a changelog by rank as rows\n"
"                             arrive (+I, -U/+U, -D)\n"
"\n"
OPTS_COMMON_HELP
"\n"
"A partition closes when a {\"__watermark\":...} line reaches the largest\n"
"window_end of its rows, when --sorted input moves on, or at end of input.\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n",
	    diag_progname, diag_progname);
}

int
main(int argc, char **argv)
{
	static const char *const emits[] = { "final", "update", NULL };
	static const struct stage_ops ops = { .row = on_row,
	    .watermark = on_watermark };
	struct stage_conf sc;
	struct buf q = BUF_INIT;
	const char *bad;
	size_t i;
	int c, status, asc = 0, have_n = 0;

	opts_begin(argc, argv, SHORTOPTS, usage);
	conf.rank = xstrdup("rank");
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			conf.by = xrealloc(conf.by, (conf.nby + 1) *
			    sizeof(*conf.by));
			buf_reset(&q);
			if (byopt_parse(&conf.by[conf.nby], optarg, &q) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--by: %s", optarg, q.data);
			conf.nby++;
			break;
		case 'n':
			conf.n = (size_t)opts_int("limit", optarg, 1,
			    1000000000);
			have_n = 1;
			break;
		case 'p':
			if (field_list_parse(&conf.part, optarg, &bad) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--partition-by: empty field name at "
				    "\"%s\"", optarg, bad);
			break;
		case OPT_ASC:
			asc = 1;
			break;
		case OPT_EMIT:
			conf.emit = opts_choice("emit", optarg, emits) == 1 ?
			    EMIT_UPDATE : EMIT_FINAL;
			break;
		case OPT_RANK_FIELD:
			if (optarg[0] == '\0')
				diag_usage("invalid value \"\" for option "
				    "--rank-field: must not be empty");
			if (field_reserved(optarg, strlen(optarg)))
				diag_usage("invalid value \"%s\" for option "
				    "--rank-field: a reserved name (changelog "
				    "rows and control lines)", optarg);
			free(conf.rank);
			conf.rank = xstrdup(optarg);
			break;
		case OPT_SORTED:
			conf.sorted = 1;
			break;
		case OPT_WATERMARKS:
			conf.watermarks = 1;
			break;
		default:
			opts_common(c, argc, argv);
		}
	}
	argc -= optind;
	argv += optind;

	if (!have_n)
		diag_usage("no limit given: use -n N");
	if (conf.nby == 0)
		diag_usage("no ranking given: use --by FIELD");
	/* --asc may come after the --by it applies to. */
	for (i = 0; i < conf.nby; i++)
		if (conf.by[i].desc < 0)
			conf.by[i].desc = !asc;
	opts_end();

	buf_reset(&q);
	jout_quote_buf(&q, conf.rank, strlen(conf.rank));
	conf.rankkeylen = q.len + 2;
	conf.rankkey = xmalloc(conf.rankkeylen + 1);
	snprintf(conf.rankkey, conf.rankkeylen + 1, ",%s:", q.data);
	buf_free(&q);
	conf.bounded = 1;
	cand = xcalloc(conf.nby, sizeof(*cand));
	kscratch = xcalloc(conf.nby, sizeof(*kscratch));
	setup_lookup();
	parts_setup();

	stage_conf_init(&sc, (const char *const *)argv, (size_t)argc, &opts,
	    &jout_stdout, &doc);
	sc.stateful = 1;
	if ((status = stage_drive(&sc, &ops, NULL)) < 0)
		diag_exit(EXIT_DATA);

	/* End of input, or SIGINT/SIGTERM: a watermark of +infinity. */
	parts_advance(T_MAX);
	jout_flush(&jout_stdout);

	if (cnt.late > 0)
		diag_warnx("%llu late rows dropped (window_end at or before "
		    "the watermark)", (unsigned long long)cnt.late);
	if (cnt.unmatched > 0)
		diag_warnx("%llu retractions found no row to retract",
		    (unsigned long long)cnt.unmatched);
	diag_info(1, "%llu rows read, %llu rows written; at most %zu "
	    "partitions open and %zu rows held", (unsigned long long)cnt.rows,
	    (unsigned long long)cnt.written, cnt.max_parts, cnt.max_held);
	onerr_summary(&opts.onerr);

	parts_free();
	for (i = 0; i < conf.nby; i++) {
		field_free(&conf.by[i].f);
		buf_free(&kscratch[i]);
	}
	free(conf.by);
	free(kscratch);
	free(cand);
	field_list_free(&conf.part);
	free(conf.rank);
	free(conf.rankkey);
	free(names);
	free(found);
	free(by_slot);
	free(part_slot);
	buf_free(&keybuf);
	buf_free(&body);
	buf_free(&tmp);
	buf_free(&wend_text);
	jscan_free(&doc);
	jout_close(&jout_stdout);
	diag_exit(status);
}

/* The slot of field f in names[], added when new; -1 for a dotted path. */
static int
name_slot(const struct field *f)
{
	size_t i;

	if (f->nseg != 1)
		return -1;
	for (i = 0; i < nnames; i++)
		if (names[i].len == f->seg[0].len &&
		    memcmp(names[i].name, f->seg[0].name, names[i].len) == 0)
			return (int)i;
	names[nnames].name = f->seg[0].name;
	names[nnames].len = f->seg[0].len;
	return (int)nnames++;
}

static void
setup_lookup(void)
{
	size_t i;

	names = xcalloc(S_FIXED + conf.nby + conf.part.n, sizeof(*names));
	names[S_KIND].name = "__kind";
	names[S_KIND].len = 6;
	names[S_WINDOW_END].name = "window_end";
	names[S_WINDOW_END].len = 10;
	names[S_RANK].name = conf.rank;
	names[S_RANK].len = strlen(conf.rank);
	nnames = S_FIXED;
	by_slot = xcalloc(conf.nby, sizeof(*by_slot));
	for (i = 0; i < conf.nby; i++)
		by_slot[i] = name_slot(&conf.by[i].f);
	part_slot = xcalloc(conf.part.n + 1, sizeof(*part_slot));
	for (i = 0; i < conf.part.n; i++)
		part_slot[i] = name_slot(&conf.part.f[i]);
	found = xcalloc(nnames, sizeof(*found));
}

/* The token of a field of the current row: from the one-pass lookup, or by
 * walking its path. */
static int
field_tok(int slot, const struct field *f)
{
	return slot >= 0 ? found[slot] : field_scan(&doc, 0, f);
}

/* ---------------------------------------------------------------------
 * Input
 */

/* window_end of the current row, parsed once per distinct text: 0, or
 * field_time's error. */
static int
window_end_of(int t, int64_t *us)
{
	const char *raw;
	size_t n;
	int rc;

	raw = jscan_raw(&doc, t, &n);
	if (wend_text.len == n && n > 0 &&
	    memcmp(wend_text.data, raw, n) == 0) {
		*us = wend_us;
		return 0;
	}
	if ((rc = field_time(&doc, t, TS_MS, &tmp, us)) != 0)
		return rc;
	buf_reset(&wend_text);
	buf_append(&wend_text, raw, n);
	wend_us = *us;
	return 0;
}

/* A watermark line: close what it reaches, and forward it when asked (the
 * driver flushes then, DESIGN.md section 1). */
static void
on_watermark(void *arg, struct stage *st, const struct stage_line *l,
    int64_t w)
{
	(void)arg;
	(void)st;
	(void)l;
	if (w <= wm)
		return;
	wm = w;
	parts_advance(w);
	if (conf.watermarks) {
		jout_lit(&jout_stdout, "{\"__watermark\":");
		jout_time(&jout_stdout, w);
		jout_raw(&jout_stdout, "}\n", 2);
	}
}

/* The current row's members as one text, without __kind and the rank
 * field: what is written back, and what a retraction is compared by. A row
 * without either and without spaces between its members is that already,
 * between its braces: no copy is made (a long row costs its length once,
 * where it is kept). */
static const char *
build_body(size_t *len)
{
	int k, v, skip = found[S_KIND] >= 0 || found[S_RANK] >= 0;
	size_t s, e, n = 0, ranklen = names[S_RANK].len;

	if (!skip) {
		for (k = jscan_child(&doc, 0); k >= 0;
		    k = jscan_after(&doc, 0, v)) {
			v = k + 1;
			n += (n > 0) + doc.tok[v].start + doc.tok[v].len -
			    doc.tok[k].start;
		}
		if (n == doc.tok[0].len - 2) {
			*len = n;
			return doc.text + doc.tok[0].start + 1;
		}
	}
	if (body.cap > BODY_KEEP)
		buf_free(&body);	/* a long row's copy is not kept */
	buf_reset(&body);
	for (k = jscan_child(&doc, 0); k >= 0; k = jscan_after(&doc, 0, v)) {
		v = k + 1;
		if (skip && (jscan_str_eq(&doc, k, "__kind", 6) ||
		    jscan_str_eq(&doc, k, conf.rank, ranklen)))
			continue;
		s = doc.tok[k].start;
		e = doc.tok[v].start + doc.tok[v].len;
		if (body.len > 0)
			buf_putc(&body, ',');
		buf_append(&body, doc.text + s, e - s);
	}
	*len = body.len;
	return body.data != NULL ? body.data : "";
}

/* A data row. */
static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	const int *m = found;
	struct part *p;
	const char *s, *b;
	size_t n, i, blen;
	int64_t wend = T_MIN;
	int sign = 1, has_wend = 0, rc;

	(void)arg;
	if (!l->parsed && jscan_parse(&doc, l->text, l->len) != 0)
		return stage_bad(st, "invalid JSON: %s at column %zu", doc.err,
		    doc.err_off + 1);
	if (jscan_type(&doc, 0) != J_OBJECT)
		return stage_bad(st, "not a JSON object: %s",
		    field_shown(&doc, 0));
	jscan_members(&doc, 0, names, nnames, found);
	if (m[S_KIND] >= 0) {
		if (jscan_str(&doc, m[S_KIND], &tmp, &s, &n) != 0 || n != 2 ||
		    (memcmp(s, "+I", 2) != 0 && memcmp(s, "+U", 2) != 0 &&
		    memcmp(s, "-U", 2) != 0 && memcmp(s, "-D", 2) != 0))
			return stage_bad(st, "field \"__kind\": not a change "
			    "kind (+I, -U, +U, -D): %s",
			    field_shown(&doc, m[S_KIND]));
		sign = s[0] == '+' ? 1 : -1;
	}
	/* A window ending at infinity closes at a watermark of infinity or
	 * at the end of input; one ending at -infinity had closed before any
	 * watermark: late. */
	if (m[S_WINDOW_END] >= 0 && jscan_type(&doc, m[S_WINDOW_END]) !=
	    J_NULL) {
		if ((rc = window_end_of(m[S_WINDOW_END], &wend)) != 0)
			return stage_bad(st, "field \"window_end\": %s: %s",
			    ts_strerror(rc), field_shown(&doc,
			    m[S_WINDOW_END]));
		has_wend = 1;
	}

	for (i = 0; i < conf.nby; i++) {
		int bt = field_tok(by_slot[i], &conf.by[i].f);

		if (skey_read(&doc, bt, &cand[i], &kscratch[i]) != 0)
			return stage_bad(st, "field \"%s\": number out of "
			    "range: %s", conf.by[i].f.text,
			    field_shown(&doc, bt));
	}

	/* A good row from here on. */
	cnt.rows++;
	seq++;
	if (m[S_KIND] >= 0 && conf.bounded) {
		/* From here on a changelog: keep every live row. Rows that
		 * fell out of a top N before cannot come back up. */
		conf.bounded = 0;
		if (cnt.dropped > 0)
			diag_warnx("%s:%llu: first __kind row after %llu rows "
			    "fell out of the top %zu: a retraction may leave a "
			    "ranking short", l->source,
			    (unsigned long long)l->lineno,
			    (unsigned long long)cnt.dropped, conf.n);
	}
	if (has_wend && wend <= wm) {
		cnt.late++;
		return 0;
	}
	buf_reset(&keybuf);
	for (i = 0; i < conf.part.n; i++) {
		if (i > 0)
			buf_putc(&keybuf, '\x1f');
		json_canon_append(&doc, field_tok(part_slot[i],
		    &conf.part.f[i]), &keybuf, &tmp);
	}
	p = part_get(keybuf.len > 0 ? keybuf.data : "", keybuf.len, sign > 0,
	    seq);
	if (sign > 0) {
		if (has_wend)
			part_window_end(p, wend);
		if (part_admits(p, cand)) {
			b = build_body(&blen);
			part_add(p, trow_new(cand, b, blen));
		} else
			cnt.dropped++;
	} else {
		if (p != NULL) {
			b = build_body(&blen);
			if (part_retract(p, cand, b, blen) == 0)
				return 0;
		}
		cnt.unmatched++;
	}
	return 0;
}
