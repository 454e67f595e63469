/*
 * cdc-unwrap: flatten Debezium-shaped change events into rows, or into a
 * Flink-style retraction changelog for the stateful stages.
 *
 * This file reads the options and runs the stage driver (common/stage.c:
 * the input, control lines, bad lines); what a line becomes is unwrap.c's,
 * and the per-table state of --changelog and --complete-before store.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
#include "opts.h"
#include "stage.h"
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

static struct unwrap_conf conf;

static void	usage(FILE *);
static int	on_row(void *, struct stage *, const struct stage_line *);
static void	on_watermark(void *, struct stage *, const struct stage_line *,
		    int64_t);

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

int
main(int argc, char **argv)
{
	static const char *const deletes[] = { "drop", "rewrite", NULL };
	static const struct stage_ops ops = { .row = on_row,
	    .watermark = on_watermark };
	struct stage_conf sc;
	struct stage *st;
	struct unwrap *u;
	struct buf err = BUF_INIT;
	uint64_t nrows, npassed;
	int c, status;

	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			buf_reset(&err);
			if (unwrap_add_fields(&conf, optarg, &err) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--add-fields: %s", optarg, err.data);
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
			buf_reset(&err);
			if (unwrap_tables(&conf, optarg, &err) != 0)
				diag_usage("invalid value \"%s\" for option "
				    "--tables: %s", optarg, err.data);
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
	buf_reset(&err);
	if (unwrap_check(&conf, &err) != 0)
		diag_usage("%s", err.data);
	opts_end();

	u = unwrap_new(&conf, &jout_stdout);
	stage_conf_init(&sc, (const char *const *)argv, (size_t)argc, &opts,
	    &jout_stdout, NULL);
	sc.stateful = conf.complete_before;
	st = stage_new(&sc, &ops, u);
	/* A signal ends the input: the lines read are written, then the
	 * output is flushed, so a stage after this one sees its end. */
	if ((status = stage_run(st)) < 0)
		diag_exit(EXIT_DATA);
	unwrap_counts(u, &nrows, &npassed);
	diag_info(1, "%llu lines read, %llu rows written, %llu lines passed "
	    "through", (unsigned long long)stage_lines(st),
	    (unsigned long long)nrows, (unsigned long long)npassed);
	jout_flush(&jout_stdout);
	onerr_summary(&opts.onerr);

	stage_free(st);
	unwrap_free(u);
	tables_free();
	unwrap_conf_free(&conf);
	buf_free(&err);
	jout_close(&jout_stdout);
	diag_exit(status);
}

static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	const char *why;

	if (unwrap_line(arg, l->text, l->len, &why) != 0)
		return stage_bad(st, "%s", why);
	return 0;
}

static void
on_watermark(void *arg, struct stage *st, const struct stage_line *l,
    int64_t wm)
{
	(void)st;
	unwrap_watermark(arg, l->text, l->len, wm);
}
