/*
 * window-agg: event-time window aggregates over a row stream.
 *
 * Rows (NDJSON objects, optionally a __kind changelog) are assigned to
 * tumbling, hopping, cumulating or session windows by an event-time field;
 * a watermark (the largest time seen minus --watermark-delay, or in-band
 * __watermark lines) decides when a window is complete, and then one result
 * row per window and group is written. Each line is scanned once (jscan);
 * the aggregates are exact and accept retractions (agg.c); only open windows
 * are kept (window.c), and --state carries them from one run to the next
 * (state.c). The input loop and the control lines are the stage driver's
 * (common/stage.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "jscan.h"
#include "opts.h"
#include "stage.h"
#include "statefile.h"
#include "wagg.h"

#define SHORTOPTS	"?Va:g:qt:v"

enum {
	OPT_TUMBLE = OPT_TOOL,
	OPT_HOP,
	OPT_CUMULATE,
	OPT_SESSION,
	OPT_SIZE,
	OPT_OFFSET,
	OPT_TIME_UNIT,
	OPT_PROCTIME,
	OPT_HAVING,
	OPT_ASSIGN,
	OPT_WATERMARK_DELAY,
	OPT_WATERMARKS,
	OPT_IDLE_TIMEOUT,
	OPT_ALLOWED_LATENESS,
	OPT_LATE,
	OPT_EMIT,
	OPT_STATE,
	OPT_DRAIN
};

static const struct option longopts[] = {
	{ "agg",		required_argument, NULL, 'a' },
	{ "allowed-lateness",	required_argument, NULL, OPT_ALLOWED_LATENESS },
	{ "assign",		no_argument,	   NULL, OPT_ASSIGN },
	{ "cumulate",		required_argument, NULL, OPT_CUMULATE },
	{ "drain",		no_argument,	   NULL, OPT_DRAIN },
	{ "emit",		required_argument, NULL, OPT_EMIT },
	{ "group-by",		required_argument, NULL, 'g' },
	{ "having",		required_argument, NULL, OPT_HAVING },
	{ "hop",		required_argument, NULL, OPT_HOP },
	{ "idle-timeout",	required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "late",		required_argument, NULL, OPT_LATE },
	{ "offset",		required_argument, NULL, OPT_OFFSET },
	{ "proctime",		no_argument,	   NULL, OPT_PROCTIME },
	{ "session",		required_argument, NULL, OPT_SESSION },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "state",		required_argument, NULL, OPT_STATE },
	{ "time",		required_argument, NULL, 't' },
	{ "time-unit",		required_argument, NULL, OPT_TIME_UNIT },
	{ "tumble",		required_argument, NULL, OPT_TUMBLE },
	{ "watermark-delay",	required_argument, NULL, OPT_WATERMARK_DELAY },
	{ "watermarks",		no_argument,	   NULL, OPT_WATERMARKS },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

struct conf conf;
struct counters cnt;
struct clock clk = { T_MIN, T_MIN, T_MIN, 0 };

static struct jdoc doc = JDOC_INIT;
static struct aval *vals;
static struct buf keybuf = BUF_INIT, canon = BUF_INIT, tmp = BUF_INIT;
static struct buf assigned = BUF_INIT;	/* --assign: a row without bounds */
static struct jout late_out;
static int late_open;

/*
 * Every field a row is read for, looked up in one pass over its members:
 * "__kind", then the distinct top-level names of the time, group and
 * aggregate fields. A dotted path is walked on its own (slot -1).
 */
static struct jname *names;
static size_t nnames;
static int *found;			/* token per name, per line */
static int time_slot, *group_slot, *agg_slot, *agg_tok;
static int bound_slot[2] = { -1, -1 };	/* --assign: window_start, _end */

static void	usage(FILE *);
static void	setup_lookup(void);
static void	setup_groups(void);
static void	build_signature(void);
static int	run(int, char **);
static int	on_row(void *, struct stage *, const struct stage_line *);
static void	on_watermark(void *, struct stage *, const struct stage_line *,
		    int64_t);
static int	on_idle(void *, struct stage *, enum stage_idle);

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s aggregates rows into event-time windows: tumbling, hopping,\n"
"cumulating or session windows, closed by a watermark, exact on decimals and\n"
"correct under retractions (__kind -U/-D rows).\n"
"\n"
"usage: %s (-t FIELD | --proctime) (--tumble=SIZE\n"
"       | --hop=SLIDE --size=SIZE | --cumulate=STEP --size=SIZE\n"
"       | --session=GAP) [-g LIST] (-a AGG... | --assign) [OPTION]...\n"
"       [FILE ...]\n"
"\n"
"Windows:\n"
"  -t, --time=FIELD           event-time field (dotted path)\n"
"      --time-unit=UNIT       unit of numeric times: s, ms (default), us, ns\n"
"      --proctime             use the arrival time instead\n"
"      --tumble=SIZE          tumbling windows of SIZE (e.g. 1m)\n"
"      --hop=SLIDE            hopping windows, SLIDE apart, of --size\n"
"      --cumulate=STEP        windows growing by STEP up to --size\n"
"      --size=SIZE            window size for --hop and --cumulate\n"
"      --session=GAP          per-group sessions closed by a GAP of silence\n"
"      --offset=D             shift window alignment from the epoch by D\n"
"\n"
"Aggregates:\n"
"  -g, --group-by=LIST        group fields (comma-separated dotted paths)\n"
"  -a, --agg=AGG[,AGG]        count, count(f), sum(f), avg(f), min(f),\n"
"                             max(f), count_distinct(f), first(f), last(f),\n"
"                             each with an optional \"as NAME\" (repeatable)\n"
"      --having='NAME OP VALUE'  keep results where it holds; OP is one of\n"
"                             > >= < <= = != (repeatable: all must hold)\n"
"      --assign               no aggregates: write every row with its\n"
"                             window_start and window_end added\n"
"\n"
"Time and output:\n"
"      --watermark-delay=D    tolerate rows up to D out of order (default 0)\n"
"      --allowed-lateness=D   keep fired windows D longer and correct them\n"
"      --late=FILE            append late rows there instead of dropping them\n"
"      --idle-timeout=D       advance the watermark with the wall clock when\n"
"                             input has been idle for D\n"
"      --watermarks           write this stage's watermark after results\n"
"      --emit=final|update    each result once when its window closes\n"
"                             (default), or a changelog as rows arrive\n"
"      --state=FILE           keep open windows in FILE between runs\n"
"      --drain                with --state: close every window at the end\n"
"\n"
OPTS_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n",
	    diag_progname, diag_progname);
}

static int64_t
clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
set_kind(enum wkind k, int64_t v, const char *opt)
{
	static int given;

	if (given++)
		diag_usage("--%s: only one of --tumble, --hop, --cumulate and "
		    "--session may be given", opt);
	conf.kind = k;
	if (k == W_TUMBLE)
		conf.size = v;
	else if (k == W_SESSION)
		conf.gap = v;
	else
		conf.slide = v;
}

int
main(int argc, char **argv)
{
	static const char *const emits[] = { "final", "update", NULL };
	struct buf err = BUF_INIT;
	const char **having_specs = NULL;
	size_t ow, og, mw, mg, nhaving_specs = 0;
	int c, status, have_kind = 0, have_offset = 0;
	int64_t wm_before_drain;

	opts_begin(argc, argv, SHORTOPTS, usage);
	conf.unit = TS_MS;
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			buf_reset(&err);
			if (aggs_parse(&conf.aggs, optarg, &err) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--agg: %s", optarg, err.data);
			break;
		case 'g': {
			const char *bad;

			if (field_list_parse(&conf.group, optarg, &bad) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--group-by: empty field name at \"%s\"",
				    optarg, bad);
			break;
		}
		case 't':
			field_free(&conf.time);
			if (field_parse(&conf.time, optarg) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--time: not a field name", optarg);
			break;
		case OPT_TUMBLE:
		case OPT_HOP:
		case OPT_CUMULATE:
		case OPT_SESSION: {
			static const char *kinds[] = { "tumble", "hop",
			    "cumulate", "session" };
			const char *name = kinds[c - OPT_TUMBLE];
			int64_t v = opts_duration(name, optarg, 0);

			if (v <= 0)
				diag_usage("invalid value \"%s\" for option "
				    "--%s: must be positive", optarg, name);
			set_kind(c == OPT_TUMBLE ? W_TUMBLE : c == OPT_HOP ?
			    W_HOP : c == OPT_CUMULATE ? W_CUMULATE : W_SESSION,
			    v, name);
			have_kind = 1;
			break;
		}
		case OPT_SIZE:
			conf.size = opts_duration("size", optarg, 0);
			if (conf.size <= 0)
				diag_usage("invalid value \"%s\" for option "
				    "--size: must be positive", optarg);
			break;
		case OPT_OFFSET:
			conf.offset = opts_duration("offset", optarg, 1);
			have_offset = 1;
			break;
		case OPT_TIME_UNIT:
			if (ts_parse_unit(optarg, &conf.unit) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--time-unit: expected s, ms, us or ns",
				    optarg);
			break;
		case OPT_PROCTIME:
			conf.proctime = 1;
			break;
		case OPT_HAVING:
			/* parsed once the aggregates are known */
			having_specs = xrealloc(having_specs, (nhaving_specs +
			    1) * sizeof(*having_specs));
			having_specs[nhaving_specs++] = optarg;
			break;
		case OPT_ASSIGN:
			conf.assign = 1;
			break;
		case OPT_WATERMARK_DELAY:
			conf.delay = opts_duration("watermark-delay", optarg,
			    0);
			break;
		case OPT_WATERMARKS:
			conf.watermarks = 1;
			break;
		case OPT_IDLE_TIMEOUT:
			conf.idle = opts_duration("idle-timeout", optarg, 0);
			if (conf.idle < 1000)
				diag_usage("invalid value \"%s\" for option "
				    "--idle-timeout: at least 1ms", optarg);
			break;
		case OPT_ALLOWED_LATENESS:
			conf.lateness = opts_duration("allowed-lateness",
			    optarg, 0);
			break;
		case OPT_LATE:
			conf.late_path = optarg;
			break;
		case OPT_EMIT:
			conf.emit = opts_choice("emit", optarg, emits) == 1 ?
			    EMIT_UPDATE : EMIT_FINAL;
			break;
		case OPT_STATE:
			conf.state_path = optarg;
			break;
		case OPT_DRAIN:
			conf.drain = 1;
			break;
		default:
			opts_common(c, argc, argv);
		}
	}
	argc -= optind;
	argv += optind;

	/* Which combinations make sense. */
	if (!have_kind)
		diag_usage("no window given: use --tumble, --hop, --cumulate "
		    "or --session");
	if (conf.time.text == NULL && !conf.proctime)
		diag_usage("no time given: use --time=FIELD or --proctime");
	if (conf.time.text != NULL && conf.proctime)
		diag_usage("--time and --proctime do not go together");
	if ((conf.kind == W_HOP || conf.kind == W_CUMULATE) && conf.size == 0)
		diag_usage("--%s needs --size", conf.kind == W_HOP ? "hop" :
		    "cumulate");
	if ((conf.kind == W_TUMBLE || conf.kind == W_SESSION) &&
	    conf.slide == 0 && conf.size != 0 && conf.kind == W_SESSION)
		diag_usage("--size goes with --hop and --cumulate");
	if (conf.kind == W_HOP && conf.slide > conf.size)
		diag_usage("--hop=SLIDE must not exceed --size (rows would "
		    "fall between windows)");
	if (conf.kind == W_CUMULATE && conf.size % conf.slide != 0)
		diag_usage("--cumulate=STEP must divide --size");
	if (conf.kind == W_SESSION && have_offset)
		diag_usage("--offset does not apply to --session");
	if (conf.assign && conf.aggs.n > 0)
		diag_usage("--assign and --agg do not go together");
	if (!conf.assign && conf.aggs.n == 0)
		diag_usage("no aggregate given: use --agg (or --assign)");
	if (conf.assign && (nhaving_specs > 0 || conf.emit == EMIT_UPDATE))
		diag_usage("--assign does not go with --having or "
		    "--emit=update");
	if (conf.drain && conf.state_path == NULL)
		diag_usage("--drain goes with --state");
	if (conf.kind != W_SESSION) {
		/* offset mod the alignment period, without forming
		 * offset % m + m (which overflows for periods past half of
		 * int64: --tumble 106751991d) */
		int64_t m = conf.kind == W_HOP ? conf.slide : conf.size;

		conf.offset %= m;
		if (conf.offset < 0)
			conf.offset += m;
	}
	setup_groups();
	conf.having = xcalloc(nhaving_specs + 1, sizeof(*conf.having));
	for (size_t k = 0; k < nhaving_specs; k++) {
		buf_reset(&err);
		if (having_parse(&conf.having[k], having_specs[k], &conf.aggs,
		    &conf.group, &err) != 0)
			diag_usage("invalid value \"%s\" for option --having: "
			    "%s", having_specs[k], err.data);
		conf.nhaving++;
	}
	free(having_specs);
	opts_end();

	if (conf.late_path != NULL) {
		int fd = open(conf.late_path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0666);

		if (fd < 0)
			diag_err(EXIT_DATA, "could not open \"%s\"",
			    conf.late_path);
		jout_init(&late_out, fd, conf.late_path);
		late_open = 1;
	}
	vals = xcalloc(conf.aggs.nin + 1, sizeof(*vals));
	setup_lookup();
	win_setup();
	build_signature();
	if (conf.state_path != NULL) {
		buf_reset(&err);
		if ((c = state_load(conf.state_path, &err)) < 0)
			diag_errx(c == STATEFILE_EUSAGE ? EXIT_USAGE :
			    EXIT_DATA, "%s", err.data);
	}

	if ((status = run(argc, argv)) < 0)
		diag_exit(EXIT_DATA);

	/* End of input is a watermark of +infinity, unless the windows
	 * still open are kept in --state for the next run. */
	wm_before_drain = clk.wm;
	if (conf.state_path == NULL || conf.drain)
		win_advance(T_MAX, 0);
	if (conf.state_path != NULL) {
		clk.wm = wm_before_drain;
		state_save(conf.state_path);
	}
	jout_flush(&jout_stdout);

	if (cnt.late > 0) {
		if (late_open)
			diag_warnx("%llu late rows (all their windows had "
			    "closed) written to \"%s\"",
			    (unsigned long long)cnt.late, conf.late_path);
		else
			diag_warnx("%llu late rows dropped (all their windows "
			    "had closed)", (unsigned long long)cnt.late);
	}
	if (cnt.unmatched > 0)
		diag_warnx("%llu retractions found no row to retract",
		    (unsigned long long)cnt.unmatched);
	win_stats(&ow, &og, &mw, &mg);
	diag_info(1, "%llu rows read, %llu results written; at most %zu "
	    "windows and %zu groups open", (unsigned long long)cnt.rows,
	    (unsigned long long)cnt.results, mw, mg);
	onerr_summary(&opts.onerr);

	if (late_open)
		jout_close(&late_out);
	win_free();
	avals_free(vals, conf.aggs.nin);
	free(vals);
	aggs_free(&conf.aggs);
	for (size_t k = 0; k < conf.group.n; k++)
		free(conf.gkey[k]);
	free(conf.gkey);
	free(conf.gkeylen);
	field_list_free(&conf.group);
	field_free(&conf.time);
	for (size_t k = 0; k < conf.nhaving; k++)
		having_free(&conf.having[k]);
	free(conf.having);
	free(conf.signature);
	free(names);
	free(found);
	free(group_slot);
	free(agg_slot);
	free(agg_tok);
	buf_free(&err);
	buf_free(&keybuf);
	buf_free(&canon);
	buf_free(&tmp);
	buf_free(&assigned);
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

	names = xcalloc(5 + conf.group.n + conf.aggs.nin, sizeof(*names));
	names[0].name = "__kind";
	names[0].len = 6;
	nnames = 1;
	time_slot = conf.proctime ? -1 : name_slot(&conf.time);
	group_slot = xcalloc(conf.group.n + 1, sizeof(*group_slot));
	for (i = 0; i < conf.group.n; i++)
		group_slot[i] = name_slot(&conf.group.f[i]);
	agg_slot = xcalloc(conf.aggs.nin + 1, sizeof(*agg_slot));
	agg_tok = xcalloc(conf.aggs.nin + 1, sizeof(*agg_tok));
	for (i = 0; i < conf.aggs.nin; i++)
		agg_slot[i] = name_slot(&conf.aggs.in[i].f);
	if (conf.assign) {
		/* the bounds a row may have already (see assign_text) */
		for (i = 0; i < 2; i++) {
			struct field f;

			field_parse(&f, i == 0 ? "window_start" : "window_end");
			bound_slot[i] = name_slot(&f);
			names[bound_slot[i]].name = i == 0 ? "window_start" :
			    "window_end";
			field_free(&f);
		}
	}
	found = xcalloc(nnames, sizeof(*found));
}

/*
 * --assign: the text of the current row as it is written with its window's
 * bounds. A row that has a window_start or window_end of its own (the
 * output of an earlier window-agg, windowed again) loses them: the bounds
 * of the window it is now assigned to replace them, so no name is written
 * twice.
 */
static const char *
assign_text(size_t *len)
{
	const char *raw;
	size_t n;
	int k, v;

	if (found[bound_slot[0]] < 0 && found[bound_slot[1]] < 0)
		return jscan_raw(&doc, 0, len);
	buf_reset(&assigned);
	buf_putc(&assigned, '{');
	for (k = jscan_child(&doc, 0); k >= 0; k = jscan_after(&doc, 0, v)) {
		v = k + 1;
		if (jscan_str_eq(&doc, k, "window_start", 12) ||
		    jscan_str_eq(&doc, k, "window_end", 10))
			continue;
		if (assigned.len > 1)
			buf_putc(&assigned, ',');
		raw = jscan_raw(&doc, k, &n);
		buf_append(&assigned, raw, (size_t)(doc.tok[v].start +
		    doc.tok[v].len - doc.tok[k].start));
	}
	buf_putc(&assigned, '}');
	*len = assigned.len;
	return assigned.data;
}

/* The token of a field of the current row: from the one-pass lookup, or by
 * walking its path. */
static int
field_tok(int slot, const struct field *f)
{
	return slot >= 0 ? found[slot] : field_scan(&doc, 0, f);
}

/* " \"a.b\"" after --group-by when the output name is not the path. */
static const char *
group_path(size_t i, struct buf *b)
{
	buf_reset(b);
	if (conf.group.f[i].nseg > 1)
		buf_printf(b, " \"%s\"", conf.group.f[i].text);
	return b->data != NULL ? b->data : "";
}

/*
 * Every result row has unique member names: the window bounds, the group
 * fields, the aggregates, and under --emit update "__kind". An option that
 * would repeat one, or write a reserved name (field_reserved), is a usage
 * error naming both.
 */
static void
check_names(char **gname)
{
	struct buf p = BUF_INIT, q = BUF_INIT;
	const char *n;
	size_t i, k;

	for (i = 0; i < conf.group.n + conf.aggs.n; i++) {
		int grp = i < conf.group.n;
		const char *what = grp ? "--group-by" : "--agg";

		n = grp ? gname[i] : conf.aggs.a[i - conf.group.n].name;
		if (grp)
			group_path(i, &p);
		else
			buf_reset(&p);
		if (field_reserved(n, strlen(n)))
			diag_usage("output field \"%s\" of %s%s: a reserved "
			    "name (changelog rows and control lines)", n,
			    what, p.data != NULL ? p.data : "");
		if (strcmp(n, "window_start") == 0 ||
		    strcmp(n, "window_end") == 0)
			diag_usage("output field \"%s\" of %s%s collides with "
			    "the window bounds", n, what,
			    p.data != NULL ? p.data : "");
		for (k = 0; k < i && k < conf.group.n; k++) {
			if (strcmp(n, gname[k]) != 0)
				continue;
			if (grp && strcmp(conf.group.f[i].text,
			    conf.group.f[k].text) == 0)
				diag_usage("output field \"%s\" of --group-by: "
				    "\"%s\" is given twice", n,
				    conf.group.f[i].text);
			diag_usage("output field \"%s\" of %s%s collides with "
			    "that of --group-by%s", n, what,
			    p.data != NULL ? p.data : "", group_path(k, &q));
		}
	}
	buf_free(&p);
	buf_free(&q);
}

/* Output names of the group fields: the path with "_" for "." (checked
 * against each other and the other output names). */
static void
setup_groups(void)
{
	struct buf name = BUF_INIT, key = BUF_INIT;
	char **gname;
	size_t i;

	conf.gkey = xcalloc(conf.group.n + 1, sizeof(*conf.gkey));
	conf.gkeylen = xcalloc(conf.group.n + 1, sizeof(*conf.gkeylen));
	gname = xcalloc(conf.group.n + 1, sizeof(*gname));
	for (i = 0; i < conf.group.n; i++) {
		buf_reset(&name);
		field_out_name(&conf.group.f[i], &name);
		gname[i] = xstrndup(name.data != NULL ? name.data : "",
		    name.len);
		buf_reset(&key);
		buf_putc(&key, ',');
		jout_quote_buf(&key, name.data, name.len);
		buf_putc(&key, ':');
		conf.gkey[i] = xstrdup(key.data);
		conf.gkeylen[i] = key.len;
	}
	if (!conf.assign)
		check_names(gname);
	for (i = 0; i < conf.group.n; i++)
		free(gname[i]);
	free(gname);
	buf_free(&name);
	buf_free(&key);
}

/* What a state file must agree on to be read back. */
static void
build_signature(void)
{
	static const char *kinds[] = { "tumble", "hop", "cumulate",
	    "session" };
	struct buf b = BUF_INIT;
	size_t i;

	buf_printf(&b, "%s size=%lld slide=%lld gap=%lld offset=%lld",
	    kinds[conf.kind], (long long)conf.size, (long long)conf.slide,
	    (long long)conf.gap, (long long)conf.offset);
	buf_printf(&b, " time=%s", conf.proctime ? "(proctime)" :
	    conf.time.text);
	buf_puts(&b, " group-by=");
	for (i = 0; i < conf.group.n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", conf.group.f[i].text);
	buf_puts(&b, " agg=");
	for (i = 0; i < conf.aggs.n; i++) {
		const struct aggspec *a = &conf.aggs.a[i];

		buf_printf(&b, "%s%d(%s)=%s", i ? "," : "", (int)a->fn,
		    a->in >= 0 ? conf.aggs.in[a->in].f.text : "",
		    a->name);
	}
	buf_printf(&b, " emit=%s assign=%d", conf.emit == EMIT_UPDATE ?
	    "update" : "final", conf.assign);
	conf.signature = b.data;
}

/* ---------------------------------------------------------------------
 * Input
 */

/* The stage driver over the inputs: 0, 1 when an input could not be
 * read, -1 when the run ended on an error (reported). */
static int
run(int argc, char **argv)
{
	static const struct stage_ops ops = { .row = on_row,
	    .watermark = on_watermark, .idle = on_idle };
	struct stage_conf sc;

	stage_conf_init(&sc, (const char *const *)argv, (size_t)argc, &opts,
	    &jout_stdout, &doc);
	sc.unit = conf.unit;
	sc.stateful = 1;
	sc.state_path = conf.state_path;
	sc.idle_clock = conf.idle > 0;
	return stage_drive(&sc, &ops, NULL);
}

static void
advance_from_rows(void)
{
	int64_t w;

	if (clk.max_ts == T_MIN)
		return;
	w = ts_add_sat(clk.max_ts, -conf.delay);
	win_advance(w, 0);
}

static void
late_row(const struct stage_line *l)
{
	cnt.late++;
	if (late_open) {
		jout_raw(&late_out, l->text, l->len);
		jout_char(&late_out, '\n');
	}
}

static void
on_watermark(void *arg, struct stage *st, const struct stage_line *l,
    int64_t wm)
{
	(void)arg;
	(void)st;
	(void)l;
	win_advance(wm, 1);
}

static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	int *m = found, t, bi;
	struct row r;
	const char *s, *p;
	size_t n, i;
	int rc;

	(void)arg;
	if (!l->parsed && jscan_parse(&doc, l->text, l->len) != 0)
		return stage_bad(st, "invalid JSON: %s at column %zu", doc.err,
		    doc.err_off + 1);
	if (jscan_type(&doc, 0) != J_OBJECT)
		return stage_bad(st, "not a JSON object: %s",
		    field_shown(&doc, 0));
	jscan_members(&doc, 0, names, nnames, found);

	memset(&r, 0, sizeof(r));
	r.sign = 1;
	if (m[0] >= 0) {
		if (jscan_str(&doc, m[0], &tmp, &s, &n) != 0 || n != 2 ||
		    strchr("+-", s[0]) == NULL || strchr("IUD", s[1]) == NULL ||
		    (s[0] == '+' && s[1] == 'D') ||
		    (s[0] == '-' && s[1] == 'I'))
			return stage_bad(st, "field \"__kind\": not a change "
			    "kind (+I, -U, +U, -D): %s", field_shown(&doc,
			    m[0]));
		r.sign = s[0] == '+' ? 1 : -1;
	}
	if (conf.proctime)
		r.t = clock_us(CLOCK_REALTIME);
	else {
		t = field_tok(time_slot, &conf.time);
		if (t < 0)
			return stage_bad(st, "field \"%s\": missing",
			    conf.time.text);
		if ((rc = field_time(&doc, t, conf.unit, &tmp, &r.t)) != 0)
			return stage_bad(st, "field \"%s\": %s: %s",
			    conf.time.text, ts_strerror(rc),
			    field_shown(&doc, t));
		/* Windows are [start, end) of finite times: as PostgreSQL's
		 * date_bin, a bin of "infinity" would be [infinity,
		 * infinity), which holds nothing. */
		if (!TS_FINITE(r.t))
			return stage_bad(st, "field \"%s\": no window holds %s",
			    conf.time.text, field_shown(&doc, t));
		if (!win_fits(r.t))
			return stage_bad(st, "field \"%s\": window out of "
			    "range: %s", conf.time.text, field_shown(&doc, t));
	}
	for (i = 0; i < conf.aggs.nin; i++)
		agg_tok[i] = field_tok(agg_slot[i], &conf.aggs.in[i].f);
	switch (aggs_read(&conf.aggs, &doc, agg_tok, vals, &bi)) {
	case 0:
		break;
	case AGG_RANGE:
		return stage_bad(st, "field \"%s\": number out of range: %s",
		    conf.aggs.in[bi].f.text, field_shown(&doc, agg_tok[bi]));
	default:
		return stage_bad(st, "field \"%s\": not a number: %s",
		    conf.aggs.in[bi].f.text, field_shown(&doc, agg_tok[bi]));
	}
	buf_reset(&keybuf);
	for (i = 0; i < conf.group.n; i++) {
		if (i > 0)
			buf_putc(&keybuf, '\x1f');
		t = field_tok(group_slot[i], &conf.group.f[i]);
		if (t < 0) {
			buf_append(&keybuf, "null", 4);
			continue;
		}
		json_canon(&doc, t, &canon, &p, &n);
		buf_append(&keybuf, p, n);
	}
	r.key = keybuf.data != NULL ? keybuf.data : "";
	r.klen = keybuf.len;
	r.v = vals;
	if (conf.assign)
		r.text = assign_text(&r.len);
	r.seq = ++clk.seq;
	cnt.rows++;

	if (win_row(&r))
		late_row(l);
	if (r.t > clk.max_ts)
		clk.max_ts = r.t;
	advance_from_rows();
	return 0;
}

/*
 * Input has no data ready: flush the --late file (the driver flushes the
 * output, DESIGN.md section 1). When it stays idle, let the wall clock move
 * the watermark: by the idle time past the largest event time seen
 * (--idle-timeout), or to the arrival clock itself (--proctime).
 */
static int
on_idle(void *arg, struct stage *st, enum stage_idle why)
{
	int64_t idle;

	(void)arg;
	if (why == STAGE_TICK) {
		if (conf.proctime)
			win_advance(ts_add_sat(clock_us(CLOCK_REALTIME),
			    -conf.delay), 0);
		else if (conf.idle > 0 && clk.max_ts != T_MIN &&
		    (idle = stage_idle_us(st, 0)) >= conf.idle)
			win_advance(ts_add_sat(ts_add_sat(clk.max_ts, idle),
			    -conf.delay), 0);
	}
	if (late_open)
		jout_flush(&late_out);
	if (conf.proctime)
		return 100;
	if (conf.idle > 0)
		return conf.idle / 1000 > 0 ? (int)(conf.idle / 1000) : 1;
	return 0;
}
