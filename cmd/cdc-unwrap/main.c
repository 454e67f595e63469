/*
 * cdc-unwrap: flatten Debezium-shaped change events into rows, or into a
 * Flink-style retraction changelog for the stateful stages.
 *
 * This file reads the options and the input and reports bad lines; what a
 * line becomes is unwrap.c's, and the per-table state of --changelog and
 * --complete-before store.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
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

static struct unwrap_conf conf;

static void	usage(FILE *);
static void	idle_flush(void *, int);

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
	struct unwrap *u;
	struct progress pg;
	struct lread in;
	struct buf err = BUF_INIT;
	const char *path, *line, *why;
	size_t len;
	uint64_t nrows, npassed;
	int c, i, rc, status = EXIT_OK;

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
		while ((rc = lread_next(&in, &line, &len)) != LREAD_EOF) {
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
			if (unwrap_line(u, line, len, &why) != 0)
				onerr_line(&opts.onerr, in.name, in.lineno,
				    line, len, "%s", why);
		}
		lread_close(&in);
	}
	progress_done(&pg);
	unwrap_counts(u, &nrows, &npassed);
	diag_info(1, "%llu lines read, %llu rows written, %llu lines passed "
	    "through", (unsigned long long)pg.count,
	    (unsigned long long)nrows, (unsigned long long)npassed);
	jout_flush(&jout_stdout);
	onerr_summary(&opts.onerr);

	unwrap_free(u);
	tables_free();
	unwrap_conf_free(&conf);
	buf_free(&err);
	jout_close(&jout_stdout);
	diag_exit(status);
}

static void
idle_flush(void *arg, int timed_out)
{
	(void)arg;
	(void)timed_out;
	jout_flush(&jout_stdout);
}
