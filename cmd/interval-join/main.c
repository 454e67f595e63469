/*
 * interval-join: stream-stream interval joins and temporal joins.
 *
 * The stage driver (common/stage.c) reads the two inputs concurrently with
 * poll(2): whichever has data is read, so a silent input never blocks the
 * other and two pipes fed by one `tee` cannot deadlock; it aligns their
 * barriers. Each input has its own watermark (largest time minus its
 * delay, or in-band lines); the join releases state as the combined
 * watermark, the smaller of the two, passes it (join.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ij.h"
#include "ijopt.h"
#include "jout.h"
#include "jscan.h"
#include "opts.h"
#include "stage.h"
#include "statefile.h"

#define SHORTOPTS	"?Vqv"

enum {
	OPT_LEFT = OPT_TOOL,
	OPT_RIGHT,
	OPT_ON,
	OPT_LEFT_TIME,
	OPT_RIGHT_TIME,
	OPT_TIME_UNIT,
	OPT_WITHIN,
	OPT_TYPE,
	OPT_PICK,
	OPT_TEMPORAL,
	OPT_DELAY,
	OPT_LEFT_DELAY,
	OPT_RIGHT_DELAY,
	OPT_RIGHT_PREFIX,
	OPT_LATE,
	OPT_STATE,
	OPT_DRAIN,
	OPT_WATERMARKS,
	OPT_IDLE
};

static const struct option longopts[] = {
	{ "drain",		   no_argument,	      NULL, OPT_DRAIN },
	{ "idle-timeout",	   required_argument, NULL, OPT_IDLE },
	{ "late",		   required_argument, NULL, OPT_LATE },
	{ "left",		   required_argument, NULL, OPT_LEFT },
	{ "left-time",		   required_argument, NULL, OPT_LEFT_TIME },
	{ "left-watermark-delay",  required_argument, NULL, OPT_LEFT_DELAY },
	{ "on",			   required_argument, NULL, OPT_ON },
	{ "pick",		   required_argument, NULL, OPT_PICK },
	{ "right",		   required_argument, NULL, OPT_RIGHT },
	{ "right-prefix",	   required_argument, NULL, OPT_RIGHT_PREFIX },
	{ "right-time",		   required_argument, NULL, OPT_RIGHT_TIME },
	{ "right-watermark-delay", required_argument, NULL, OPT_RIGHT_DELAY },
	{ "state",		   required_argument, NULL, OPT_STATE },
	{ "temporal",		   no_argument,	      NULL, OPT_TEMPORAL },
	{ "time-unit",		   required_argument, NULL, OPT_TIME_UNIT },
	{ "type",		   required_argument, NULL, OPT_TYPE },
	{ "watermark-delay",	   required_argument, NULL, OPT_DELAY },
	{ "watermarks",		   no_argument,	      NULL, OPT_WATERMARKS },
	{ "within",		   required_argument, NULL, OPT_WITHIN },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

struct conf conf;
struct clocks clk;
struct counters cnt;

static const char *const side_name[2] = { "left", "right" };
static struct jdoc doc = JDOC_INIT;
static struct buf keybuf = BUF_INIT, tmp = BUF_INIT;
static struct jout late_out;
static int late_open;
/* "__kind", then the top-level names of a side's time and key fields,
 * looked up in one pass (dotted paths: slot -1) */
static struct jname *names[2];
static size_t nnames[2];
static int *found[2], time_slot[2], *key_slot[2];

static void	usage(FILE *);
static void	setup_lookup(int);
static int64_t	side_wm(int, int);
static void	build_signature(void);
static int	run(void);
static int	on_row(void *, struct stage *, const struct stage_line *);
static void	on_watermark(void *, struct stage *, const struct stage_line *,
		    int64_t);
static int	on_idle(void *, struct stage *, enum stage_idle);
static void	on_eof(void *, struct stage *, int);

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s joins two row streams: rows whose keys are equal and whose times\n"
"are close (an interval join), or each left row with the version of a\n"
"changing table valid at its time (a temporal join).\n"
"\n"
"usage: %s --left=FILE --right=FILE --on=KEY --left-time=FIELD\n"
"       --right-time=FIELD (--within=LOWER,UPPER | --temporal) [OPTION]...\n"
"\n"
"Inputs:\n"
"      --left=FILE            left input (- for standard input, a FIFO...)\n"
"      --right=FILE           right input\n"
"      --on=KEY[,KEY]         join keys; LKEY=RKEY when the names differ\n"
"      --left-time=FIELD      event time of left rows (dotted path)\n"
"      --right-time=FIELD     event time of right rows\n"
"      --time-unit=UNIT       unit of numeric times: s, ms (default), us, ns\n"
"\n"
"Join:\n"
"      --within=LOWER,UPPER   match when right time - left time is in\n"
"                             [LOWER, UPPER], both ends included\n"
"      --type=inner|left      left: also unmatched left rows, right null\n"
"      --pick=all|first|last  every match (default), or the earliest or\n"
"                             latest right row only\n"
"      --temporal             the right input is a table's changelog keyed\n"
"                             by --on: join the version valid at left time\n"
"      --right-prefix=P       prefix of right fields whose name the left\n"
"                             row has (default right_)\n"
"\n"
"Time and state:\n"
"      --watermark-delay=D    tolerate rows up to D out of order (both)\n"
"      --left-watermark-delay=D, --right-watermark-delay=D  per input\n"
"      --idle-timeout=D       an input quiet for D no longer holds back the\n"
"                             watermark: its clock moves with the wall clock\n"
"      --watermarks           write this stage's watermark as it advances\n"
"      --late=FILE            append late rows there instead of dropping them\n"
"      --state=FILE           keep waiting rows in FILE between runs\n"
"      --drain                with --state: decide every row at the end\n"
"\n"
OPTS_COMMON_HELP
"\n"
"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n",
	    diag_progname, diag_progname);
}

static struct field *
time_field(int s, const char *arg)
{
	field_free(&conf.time[s]);
	if (field_parse(&conf.time[s], arg) != 0)
		diag_usage("invalid value \"%s\" for option --%s-time: not a "
		    "field name", arg, side_name[s]);
	return &conf.time[s];
}

int
main(int argc, char **argv)
{
	static const char *const types[] = { "inner", "left", NULL };
	static const char *const picks[] = { "all", "first", "last", NULL };
	int c, have_within = 0, have_pick = 0, s;
	int64_t d;
	size_t held, max_held;

	opts_begin(argc, argv, SHORTOPTS, usage);
	conf.unit = TS_MS;
	conf.delay[LEFT] = conf.delay[RIGHT] = -1;
	d = 0;
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LEFT:
			conf.path[LEFT] = optarg;
			break;
		case OPT_RIGHT:
			conf.path[RIGHT] = optarg;
			break;
		case OPT_ON:
			buf_reset(&tmp);
			if (ijopt_on(conf.key, optarg, &tmp) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--on: %s", optarg, tmp.data);
			break;
		case OPT_LEFT_TIME:
			time_field(LEFT, optarg);
			break;
		case OPT_RIGHT_TIME:
			time_field(RIGHT, optarg);
			break;
		case OPT_TIME_UNIT:
			if (ts_parse_unit(optarg, &conf.unit) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--time-unit: expected s, ms, us or ns",
				    optarg);
			break;
		case OPT_WITHIN:
			buf_reset(&tmp);
			if (ijopt_within(&conf.lo, &conf.hi, optarg, &tmp) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--within: %s", optarg, tmp.data);
			have_within = 1;
			break;
		case OPT_TYPE:
			conf.type = opts_choice("type", optarg, types) == 1 ?
			    JOIN_LEFT : JOIN_INNER;
			break;
		case OPT_PICK:
			conf.pick = (enum pick)opts_choice("pick", optarg,
			    picks);
			have_pick = 1;
			break;
		case OPT_TEMPORAL:
			conf.temporal = 1;
			break;
		case OPT_DELAY:
			d = opts_duration("watermark-delay", optarg, 0);
			break;
		case OPT_LEFT_DELAY:
			conf.delay[LEFT] = opts_duration(
			    "left-watermark-delay", optarg, 0);
			break;
		case OPT_RIGHT_DELAY:
			conf.delay[RIGHT] = opts_duration(
			    "right-watermark-delay", optarg, 0);
			break;
		case OPT_RIGHT_PREFIX:
			/* empty, a taken name would stay taken; "__", the
			 * right fields would pass for metadata */
			if (optarg[0] == '\0')
				diag_usage("invalid value \"\" for option "
				    "--right-prefix: must not be empty");
			if (strncmp(optarg, "__", 2) == 0)
				diag_usage("invalid value \"%s\" for option "
				    "--right-prefix: names starting with "
				    "\"__\" are metadata", optarg);
			free(conf.prefix);
			conf.prefix = xstrdup(optarg);
			break;
		case OPT_LATE:
			conf.late_path = optarg;
			break;
		case OPT_STATE:
			conf.state_path = optarg;
			break;
		case OPT_DRAIN:
			conf.drain = 1;
			break;
		case OPT_WATERMARKS:
			conf.watermarks = 1;
			break;
		case OPT_IDLE:
			conf.idle = opts_duration("idle-timeout", optarg, 0);
			if (conf.idle < 1000)
				diag_usage("invalid value \"%s\" for option "
				    "--idle-timeout: at least 1ms", optarg);
			break;
		default:
			opts_common(c, argc, argv);
		}
	}
	if (optind < argc)
		diag_usage("unexpected argument \"%s\": the inputs are given "
		    "with --left and --right", argv[optind]);
	for (s = LEFT; s <= RIGHT; s++) {
		if (conf.path[s] == NULL)
			diag_usage("no %s input: use --%s=FILE", side_name[s],
			    side_name[s]);
		if (conf.time[s].text == NULL)
			diag_usage("no %s time: use --%s-time=FIELD",
			    side_name[s], side_name[s]);
		if (conf.delay[s] < 0)
			conf.delay[s] = d;
	}
	if (conf.key[LEFT].n == 0)
		diag_usage("no join key: use --on=KEY or --on=LKEY=RKEY");
	if (strcmp(conf.path[LEFT], "-") == 0 &&
	    strcmp(conf.path[RIGHT], "-") == 0)
		diag_usage("--left and --right cannot both be standard input");
	if (conf.temporal && (have_within || have_pick))
		diag_usage("--temporal joins the version valid at the left "
		    "row's time: --within and --pick do not apply");
	if (!conf.temporal && !have_within)
		diag_usage("no interval: use --within=LOWER,UPPER (or "
		    "--temporal)");
	if (conf.drain && conf.state_path == NULL)
		diag_usage("--drain goes with --state");
	if (conf.prefix == NULL)
		conf.prefix = xstrdup("right_");
	/* With --state the end of the inputs is not the end of the streams:
	 * the next run goes on from there. */
	conf.eof_ends = conf.state_path == NULL || conf.drain;
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
	for (s = LEFT; s <= RIGHT; s++) {
		clk.s[s].max_ts = clk.s[s].inband = clk.s[s].idle_wm = T_MIN;
		setup_lookup(s);
	}
	clk.wm = clk.wm_out = T_MIN;
	join_setup();
	emit_setup(&doc);
	build_signature();
	if (conf.state_path != NULL) {
		buf_reset(&tmp);
		if ((c = state_load(conf.state_path, &tmp)) < 0)
			diag_errx(c == STATEFILE_EUSAGE ? EXIT_USAGE :
			    EXIT_DATA, "%s", tmp.data);
	}

	if (run() < 0)
		diag_exit(EXIT_DATA);

	/* Both inputs ended (or a signal came): everything is decided,
	 * unless it waits in --state for the next run. */
	if (conf.state_path == NULL || conf.drain) {
		clk.wm = T_MAX;
		join_advance();
	}
	if (conf.state_path != NULL)
		/* what the inputs promised (an in-band infinity included),
		 * not the end of this run */
		state_save(conf.state_path, side_wm(LEFT, 0) < side_wm(RIGHT,
		    0) ? side_wm(LEFT, 0) : side_wm(RIGHT, 0));
	jout_flush(&jout_stdout);

	for (s = LEFT; s <= RIGHT; s++)
		if (cnt.late[s] > 0)
			diag_warnx("%llu late %s rows %s",
			    (unsigned long long)cnt.late[s], side_name[s],
			    late_open ? "written to --late" :
			    conf.temporal && s == RIGHT ? "(applied, but "
			    "earlier rows may have missed them)" :
			    "dropped (their partners may be gone)");
	join_stats(&held, &max_held);
	diag_info(1, "%llu left and %llu right rows read, %llu rows written "
	    "(%llu without a match); at most %zu rows held",
	    (unsigned long long)cnt.rows[LEFT],
	    (unsigned long long)cnt.rows[RIGHT],
	    (unsigned long long)cnt.results,
	    (unsigned long long)cnt.unmatched, max_held);
	onerr_summary(&opts.onerr);

	if (late_open)
		jout_close(&late_out);
	join_free();
	emit_free();
	for (s = LEFT; s <= RIGHT; s++) {
		field_list_free(&conf.key[s]);
		field_free(&conf.time[s]);
		free(names[s]);
		free(found[s]);
		free(key_slot[s]);
	}
	free(conf.prefix);
	free(conf.signature);
	buf_free(&keybuf);
	buf_free(&tmp);
	jscan_free(&doc);
	jout_close(&jout_stdout);
	diag_exit(EXIT_OK);
}

static int
name_slot(int s, const struct field *f)
{
	size_t i;

	if (f->nseg != 1)
		return -1;
	for (i = 0; i < nnames[s]; i++)
		if (names[s][i].len == f->seg[0].len && memcmp(names[s][i].name,
		    f->seg[0].name, f->seg[0].len) == 0)
			return (int)i;
	names[s][nnames[s]].name = f->seg[0].name;
	names[s][nnames[s]].len = f->seg[0].len;
	return (int)nnames[s]++;
}

static void
setup_lookup(int s)
{
	size_t i;

	names[s] = xcalloc(2 + conf.key[s].n, sizeof(*names[s]));
	names[s][0].name = "__kind";
	names[s][0].len = 6;
	nnames[s] = 1;
	time_slot[s] = name_slot(s, &conf.time[s]);
	key_slot[s] = xcalloc(conf.key[s].n + 1, sizeof(*key_slot[s]));
	for (i = 0; i < conf.key[s].n; i++)
		key_slot[s][i] = name_slot(s, &conf.key[s].f[i]);
	found[s] = xcalloc(nnames[s], sizeof(*found[s]));
}

static int
field_tok(int s, int slot, const struct field *f)
{
	return slot >= 0 ? found[s][slot] : field_scan(&doc, 0, f);
}

static void
build_signature(void)
{
	struct buf b = BUF_INIT;
	size_t i;
	int s;

	buf_printf(&b, "%s within=%lld,%lld type=%s pick=%d",
	    conf.temporal ? "temporal" : "interval", (long long)conf.lo,
	    (long long)conf.hi, conf.type == JOIN_LEFT ? "left" : "inner",
	    (int)conf.pick);
	for (s = LEFT; s <= RIGHT; s++) {
		buf_printf(&b, " %s-time=%s %s-on=", side_name[s],
		    conf.time[s].text, side_name[s]);
		for (i = 0; i < conf.key[s].n; i++)
			buf_printf(&b, "%s%s", i ? "," : "",
			    conf.key[s].f[i].text);
	}
	conf.signature = b.data;
}

/* ---------------------------------------------------------------------
 * Input
 */

/* The stage driver over --left and --right: 0, or -1 when the run ended
 * on an error (reported). */
static int
run(void)
{
	static const struct stage_ops ops = { .row = on_row,
	    .watermark = on_watermark, .idle = on_idle, .eof = on_eof };
	struct stage_conf sc;

	stage_conf_init(&sc, conf.path, 2, &opts, &jout_stdout, &doc);
	sc.ninputs = 2;
	sc.unit = conf.unit;
	sc.stateful = 1;
	sc.state_path = conf.state_path;
	sc.idle_clock = conf.idle > 0;
	/* Reading order: the input whose clock is behind first, so the two
	 * advance together in event time and neither runs far ahead of the
	 * other (rows of the one ahead would all wait in the join's state). */
	sc.clock[LEFT] = &clk.s[LEFT].max_ts;
	sc.clock[RIGHT] = &clk.s[RIGHT].max_ts;
	return stage_drive(&sc, &ops, NULL);
}

/* Input s's watermark; its end counts as +infinity when with_eof (and
 * end of input ends things: conf.eof_ends). */
static int64_t
side_wm(int s, int with_eof)
{
	const struct side *sd = &clk.s[s];
	int64_t w = sd->inband;

	if (with_eof && sd->eof && conf.eof_ends)
		return T_MAX;
	if (sd->max_ts != T_MIN && ts_add_sat(sd->max_ts, -conf.delay[s]) > w)
		w = ts_add_sat(sd->max_ts, -conf.delay[s]);
	if (sd->idle_wm > w)
		w = sd->idle_wm;
	return w;
}

/* The output watermark, when it moved. +infinity goes on when an input
 * sent it (the other may have ended), not at the end of input alone. */
static void
forward_watermark(void)
{
	int64_t w = clk.wm, a, b;

	if (!conf.watermarks || w == T_MIN || (w == T_MAX &&
	    clk.s[LEFT].inband != T_MAX && clk.s[RIGHT].inband != T_MAX))
		return;
	/* rows still to be written have left times down to W - hold, hold
	 * being the larger of hi and -lo when positive: the smaller of
	 * W - hi and W + lo (no -lo, which overflows for INT64_MIN) */
	if (!conf.temporal && (conf.hi > 0 || conf.lo < 0)) {
		a = ts_sub_sat(w, conf.hi);
		b = ts_add_sat(w, conf.lo);
		w = a < b ? a : b;
	}
	if (w <= clk.wm_out)
		return;
	clk.wm_out = w;
	jout_lit(&jout_stdout, "{\"__watermark\":");
	jout_time(&jout_stdout, w);
	jout_raw(&jout_stdout, "}\n", 2);
	jout_flush(&jout_stdout);
}

/* Recompute the combined watermark; act when it moved. */
static void
advance(void)
{
	int64_t l = side_wm(LEFT, 1), r = side_wm(RIGHT, 1);
	int64_t w = l < r ? l : r;

	if (conf.temporal) {
		/* waiting left rows depend on the right input's watermark */
		join_advance();
	}
	if (w <= clk.wm)
		return;
	clk.wm = w;
	join_advance();
	forward_watermark();
}

static void
late_row(const char *line, size_t len)
{
	if (late_open) {
		jout_raw(&late_out, line, len);
		jout_char(&late_out, '\n');
	}
}

/* A watermark line of input l->input. */
static void
on_watermark(void *arg, struct stage *st, const struct stage_line *l,
    int64_t w)
{
	(void)arg;
	(void)st;
	if (w > clk.s[l->input].inband)
		clk.s[l->input].inband = w;
	advance();
}

/* A row of input l->input. */
static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	struct jin ji;
	const char *k, *p;
	size_t i, n;
	int s = l->input, t, *m = found[s], rc;

	(void)arg;
	if (!l->parsed && jscan_parse(&doc, l->text, l->len) != 0)
		return stage_bad(st, "invalid JSON: %s at column %zu", doc.err,
		    doc.err_off + 1);
	if (jscan_type(&doc, 0) != J_OBJECT)
		return stage_bad(st, "not a JSON object: %s",
		    field_shown(&doc, 0));
	jscan_members(&doc, 0, names[s], nnames[s], m);
	memset(&ji, 0, sizeof(ji));
	ji.side = s;
	if (m[0] >= 0) {
		if (jscan_str(&doc, m[0], &tmp, &k, &n) != 0 || n != 2 ||
		    strchr("+-", k[0]) == NULL || strchr("IUD", k[1]) == NULL ||
		    (k[0] == '+' && k[1] == 'D') ||
		    (k[0] == '-' && k[1] == 'I'))
			return stage_bad(st, "field \"__kind\": not a change "
			    "kind (+I, -U, +U, -D): %s", field_shown(&doc,
			    m[0]));
		ji.retract = k[0] == '-' && k[1] == 'D';
		/* a left -U is the retraction half of an update: carried */
		ji.skip = s == RIGHT && k[0] == '-' && k[1] == 'U';
	}
	t = field_tok(s, time_slot[s], &conf.time[s]);
	if (t < 0)
		return stage_bad(st, "field \"%s\": missing",
		    conf.time[s].text);
	if ((rc = field_time(&doc, t, conf.unit, &tmp, &ji.t)) != 0)
		return stage_bad(st, "field \"%s\": %s: %s", conf.time[s].text,
		    ts_strerror(rc), field_shown(&doc, t));
	buf_reset(&keybuf);
	for (i = 0; i < conf.key[s].n; i++) {
		if (i > 0)
			buf_putc(&keybuf, '\x1f');
		t = field_tok(s, key_slot[s][i], &conf.key[s].f[i]);
		if (t < 0 || jscan_type(&doc, t) == J_NULL) {
			ji.null_key = 1;	/* null never equals */
			continue;
		}
		if (jscan_type(&doc, t) == J_STRING &&
		    (doc.tok[t].flags & JT_ESCAPED))
			jscan_str_canon(&doc, t, &keybuf);
		else {
			p = jscan_raw(&doc, t, &n);
			buf_append(&keybuf, p, n);
		}
	}
	ji.key = keybuf.data != NULL ? keybuf.data : "";
	ji.klen = keybuf.len;
	ji.text = jscan_raw(&doc, 0, &ji.len);
	ji.seq = ++clk.seq;
	if (join_row(&ji))
		late_row(l->text, l->len);
	/* An infinite time is not progress of time: it does not move the
	 * watermark (it would end event time for every row to come). */
	if (TS_FINITE(ji.t) && ji.t > clk.s[s].max_ts)
		clk.s[s].max_ts = ji.t;
	advance();
	return 0;
}

/* Input s has ended: as a watermark of +infinity, unless --state keeps
 * the streams going (conf.eof_ends). */
static void
on_eof(void *arg, struct stage *st, int s)
{
	(void)arg;
	(void)st;
	clk.s[s].eof = 1;
	advance();
}

/*
 * Idle inputs: let the wall clock move their watermark (--idle-timeout),
 * from the other input's clock when an input has had no rows at all. When
 * no input has a line, the --late file is flushed too; the driver calls
 * again after the returned milliseconds.
 */
static int
on_idle(void *arg, struct stage *st, enum stage_idle why)
{
	int64_t idle, w;
	int s, changed = 0;

	(void)arg;
	if (why == STAGE_IDLE && late_open)
		jout_flush(&late_out);
	if (conf.idle == 0)
		return 0;
	for (s = LEFT; s <= RIGHT; s++) {
		struct side *sd = &clk.s[s], *o = &clk.s[!s];

		idle = stage_idle_us(st, s);
		if (sd->eof || idle < conf.idle)
			continue;
		if (sd->max_ts != T_MIN)
			w = ts_add_sat(ts_add_sat(sd->max_ts, idle),
			    -conf.delay[s]);
		else if (o->max_ts != T_MIN)
			w = side_wm(!s, 1);
		else
			continue;
		if (w > sd->idle_wm) {
			sd->idle_wm = w;
			changed = 1;
		}
	}
	if (changed)
		advance();
	return (int)(conf.idle / 2000 + 1);
}
