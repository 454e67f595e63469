/*
 * to-parquet-csv: write a row stream as Parquet or CSV files.
 *
 * Rows (NDJSON objects) go to one file, to CSV on standard output, or to a
 * directory of Hive partitions (--partition-by) and part files rolled by
 * rows, bytes or age. Every file is written under a temporary name and made
 * visible, complete, by a rename (DESIGN.md section 8). The file formats are
 * fw.h's (schema.c, parquet.c, csv.c); the files, partitions and commits
 * are lake.c's and hive.c's; this file reads the input and the options.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "field.h"
#include "fw.h"
#include "jscan.h"
#include "lake.h"
#include "opts.h"
#include "stage.h"

#define SHORTOPTS	"?Vf:o:p:qv"

enum {
	OPT_COMPRESSION = OPT_TOOL,
	OPT_MAX_OPEN,
	OPT_RG_BYTES,
	OPT_RG_ROWS,
	OPT_ROLL_BYTES,
	OPT_ROLL_INTERVAL,
	OPT_ROLL_ROWS,
	OPT_SCHEMA
};

static const struct option longopts[] = {
	{ "compression",	required_argument, NULL, OPT_COMPRESSION },
	{ "format",		required_argument, NULL, 'f' },
	{ "max-open-files",	required_argument, NULL, OPT_MAX_OPEN },
	{ "output",		required_argument, NULL, 'o' },
	{ "partition-by",	required_argument, NULL, 'p' },
	{ "roll-bytes",		required_argument, NULL, OPT_ROLL_BYTES },
	{ "roll-interval",	required_argument, NULL, OPT_ROLL_INTERVAL },
	{ "roll-rows",		required_argument, NULL, OPT_ROLL_ROWS },
	{ "row-group-bytes",	required_argument, NULL, OPT_RG_BYTES },
	{ "row-group-rows",	required_argument, NULL, OPT_RG_ROWS },
	{ "schema",		required_argument, NULL, OPT_SCHEMA },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

static struct progress *pg;		/* rows, on a terminal */
static char pg_label[96];		/* files and bytes committed */
static struct jdoc doc = JDOC_INIT;
static struct hive hive;
static struct lake *lake;
static struct buf key = BUF_INIT, tmp = BUF_INIT;
static int *found;			/* token of each hive.names[] */
static size_t s_lsn;			/* its slot */
static uint64_t watermarks;		/* watermark lines skipped */
static int64_t roll_us;			/* --roll-interval */

static void	usage(FILE *);
static struct stage *stage_of(int, char **);
static int	on_row(void *, struct stage *, const struct stage_line *);
static void	on_watermark(void *, struct stage *, const struct stage_line *,
		    int64_t);
static void	on_failing(void *);
static int	on_idle(void *, struct stage *, enum stage_idle);
static void	on_commit(void *, const char *, uint64_t, uint64_t);

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s writes a row stream as Parquet or CSV: one file, or a lake of\n"
"Hive partitions and part files, each made visible only once complete.\n"
"\n"
"usage: %s -o PATH [-f parquet|csv] [-p LIST] [OPTION]... [FILE ...]\n"
"\n"
"Output:\n"
"  -o, --output=PATH          the file to write (- for CSV on standard\n"
"                             output); with -p or --roll-*, a directory\n"
"  -f, --format=parquet|csv   file format (default parquet)\n"
"  -p, --partition-by=LIST    one directory level per item: a field, or\n"
"                             date(F) or hour(F) of a time field (UTC);\n"
"                             NAME=... names the level (table=__table)\n"
"      --schema=SPEC          column types, \"col:type,...\": bool, int64,\n"
"                             decimal(P,S), double, timestamp, date,\n"
"                             string, json; other columns are inferred\n"
"      --compression=CODEC    zstd (default), snappy, gzip or none\n"
"      --row-group-rows=N     rows per row group (default 1048576)\n"
"      --row-group-bytes=SIZE buffered bytes per row group (default 128M)\n"
"\n"
"Files of a directory:\n"
"      --roll-rows=N          a new file after N rows\n"
"      --roll-bytes=SIZE      a new file once one reaches SIZE bytes\n"
"      --roll-interval=D      a new file D after one was opened, even if\n"
"                             no row comes (e.g. 30s, 5m, 1h)\n"
"      --max-open-files=N     files open at once (default 100); the least\n"
"                             recently written is committed to make room\n"
"\n"
OPTS_COMMON_HELP
"\n"
"Files are named part-FIRST-LAST after the __lsn of their rows, else\n"
"part-TIME-SEQ; a file is written as .NAME.tmp, then synced and renamed.\n"
"SIGINT and SIGTERM commit the open files. Control lines are skipped.\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n",
	    diag_progname, diag_progname);
}

/* CSV on standard output and its reader went away (DESIGN.md section 1):
 * end quietly. Nothing is left to clean up: no temporary file, and dead
 * letters are written as they come. */
static void
on_sigpipe(int sig)
{
	(void)sig;
	_exit(EXIT_OK);
}

/* Room for --max-open-files descriptors, inputs and the dead letters. */
static void
raise_nofile(size_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ?
	    want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int
main(int argc, char **argv)
{
	static const char *const formats[] = { "parquet", "csv", NULL };
	static const char *const codecs[] = { "zstd", "snappy", "gzip", "none",
	    NULL };
	struct lake_conf lc;
	struct lake_stats ls;
	struct schema declared;
	struct sigaction sa;
	struct stage *st;
	struct stat sb;
	const char *partition = NULL, *schema_spec = NULL, *err;
	char *serr = NULL;
	size_t i, plen;
	int c, status, have_codec = 0;

	memset(&lc, 0, sizeof(lc));
	memset(&declared, 0, sizeof(declared));
	lc.fw.format = FW_PARQUET;
	lc.fw.codec = FW_ZSTD;
	lc.fw.rg_rows = 1048576;
	lc.fw.rg_bytes = (uint64_t)128 << 20;
	lc.max_open = 100;

	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			lc.fw.format = opts_choice("format", optarg, formats) ==
			    0 ? FW_PARQUET : FW_CSV;
			break;
		case 'o':
			if (optarg[0] == '\0')
				diag_usage("invalid value \"\" for option "
				    "--output: must not be empty");
			lc.path = optarg;
			break;
		case 'p':
			partition = optarg;
			break;
		case OPT_COMPRESSION:
			lc.fw.codec = (enum fw_codec)opts_choice("compression",
			    optarg, codecs);
			have_codec = 1;
			break;
		case OPT_MAX_OPEN:
			lc.max_open = (size_t)opts_int("max-open-files", optarg,
			    1, 100000);
			break;
		case OPT_RG_BYTES:
			lc.fw.rg_bytes = opts_size("row-group-bytes", optarg,
			    1024, (size_t)1 << 34);
			break;
		case OPT_RG_ROWS:
			lc.fw.rg_rows = (uint64_t)opts_int("row-group-rows",
			    optarg, 1, INT64_C(1) << 31);
			break;
		case OPT_ROLL_BYTES:
			lc.roll_bytes = opts_size("roll-bytes", optarg, 1,
			    (size_t)1 << 50);
			break;
		case OPT_ROLL_INTERVAL:
			lc.roll_us = opts_duration("roll-interval", optarg, 0);
			if (lc.roll_us < 1000)
				diag_usage("invalid value \"%s\" for option "
				    "--roll-interval: must be at least 1ms",
				    optarg);
			break;
		case OPT_ROLL_ROWS:
			lc.roll_rows = (uint64_t)opts_int("roll-rows", optarg,
			    1, INT64_MAX);
			break;
		case OPT_SCHEMA:
			schema_spec = optarg;
			break;
		default:
			opts_common(c, argc, argv);
		}
	}
	argc -= optind;
	argv += optind;

	if (lc.path == NULL)
		diag_usage("no output given: use -o PATH");
	plen = strlen(lc.path);
	if (strcmp(lc.path, "-") == 0) {
		if (lc.fw.format != FW_CSV)
			diag_usage("Parquet cannot be written to standard "
			    "output: use -o FILE, or --format csv");
		if (partition != NULL || lc.roll_rows > 0 ||
		    lc.roll_bytes > 0 || lc.roll_us > 0)
			diag_usage("-o - writes one CSV stream: --partition-by "
			    "and --roll-* need a directory");
		lc.mode = LAKE_STDOUT;
	} else if (partition != NULL || lc.roll_rows > 0 ||
	    lc.roll_bytes > 0 || lc.roll_us > 0 || lc.path[plen - 1] == '/' ||
	    (stat(lc.path, &sb) == 0 && S_ISDIR(sb.st_mode)))
		lc.mode = LAKE_DIR;
	else
		lc.mode = LAKE_FILE;
	if (have_codec && lc.fw.format == FW_CSV)
		diag_usage("--compression is for Parquet: CSV is written "
		    "uncompressed");
	if (schema_spec != NULL) {
		if (schema_parse(&declared, schema_spec, &serr) != 0)
			diag_usage("invalid value \"%s\" for option --schema: "
			    "%s", schema_spec, serr);
		lc.fw.declared = &declared;
	}
	if (hive_parse(&hive, partition, &err) != 0)
		diag_usage("invalid value \"%s\" for option --partition-by: %s",
		    partition, err);
	for (i = 0; i < declared.n; i++)
		if (hive_level_named(&hive, declared.col[i].name,
		    declared.col[i].nlen) != NULL)
			diag_usage("column \"%s\" of --schema collides with "
			    "the partition level \"%s=\" of --partition-by, "
			    "which readers add as a column",
			    declared.col[i].name, declared.col[i].name);
	s_lsn = hive_lookup_add(&hive, "__lsn", 5);
	found = xcalloc(hive.nnames, sizeof(*found));
	lc.fw.omit = hive.omit;
	lc.fw.nomit = hive.nomit;
	opts_end();

	/* A path "dir/" keeps its slash out of file names. */
	while (lc.mode == LAKE_DIR && plen > 1 && lc.path[plen - 1] == '/')
		plen--;
	lc.path = xstrndup(lc.path, plen);
	lc.on_commit = on_commit;
	if (lc.mode == LAKE_DIR)
		raise_nofile(lc.max_open + 32);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (lc.mode == LAKE_STDOUT) {
		sa.sa_handler = on_sigpipe;
		sigaction(SIGPIPE, &sa, NULL);
	}

	roll_us = lc.roll_us;
	st = stage_of(argc, argv);
	pg = stage_progress(st);
	lake = lake_open(&lc);
	if ((status = stage_run(st)) < 0)
		diag_exit(EXIT_DATA);

	/* End of input, or SIGINT/SIGTERM: commit every open file. */
	lake_close(lake, &ls);
	lake = NULL;
	if (lc.mode == LAKE_STDOUT)
		diag_info(1, "%llu rows written to standard output",
		    (unsigned long long)ls.rows);
	else
		diag_info(1, "%llu rows written to %llu file%s (%llu bytes), "
		    "at most %zu open at once", (unsigned long long)ls.rows,
		    (unsigned long long)ls.files, ls.files == 1 ? "" : "s",
		    (unsigned long long)ls.bytes, ls.max_open);
	if (watermarks > 0)
		diag_info(1, "%llu watermark lines skipped",
		    (unsigned long long)watermarks);
	onerr_summary(&opts.onerr);

	stage_free(st);
	hive_free(&hive);
	schema_free(&declared);
	free(serr);
	free(found);
	free((char *)lc.path);
	buf_free(&key);
	buf_free(&tmp);
	jscan_free(&doc);
	diag_exit(status);
}

/* ---------------------------------------------------------------------
 * Input
 */

/* The stage driver over the inputs. A sink: control lines go nowhere,
 * and never into a file. */
static struct stage *
stage_of(int argc, char **argv)
{
	struct stage_ops ops = { .row = on_row, .watermark = on_watermark,
	    .failing = on_failing };
	struct stage_conf sc;

	if (roll_us > 0)
		ops.idle = on_idle;
	stage_conf_init(&sc, (const char *const *)argv, (size_t)argc, &opts,
	    NULL, &doc);
	sc.progress_unit = "rows";
	return stage_new(&sc, &ops, NULL);
}

/* __lsn as an integer from 0 to 2^64 - 1, or not valid. */
static void
read_lsn(int t, struct lake_lsn *lsn)
{
	const char *p;
	size_t n, i;
	uint64_t v = 0;

	lsn->valid = 0;
	if (jscan_type(&doc, t) != J_NUMBER || !(doc.tok[t].flags & JT_INT) ||
	    (doc.tok[t].flags & JT_NEG))
		return;
	p = jscan_raw(&doc, t, &n);
	for (i = 0; i < n; i++) {
		if (v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	lsn->v = v;
	lsn->valid = 1;
}

/* What the row has to write, as the files leave out the partition columns:
 * 1 a member, 0 none (an empty object), -1 none but partition columns. A
 * row without one could make a file without columns, which readers
 * refuse. */
static int
fields_to_write(void)
{
	size_t i, members = 0, omitted = 0;
	int k;

	if ((k = jscan_child(&doc, 0)) < 0)
		return 0;
	if (hive.nomit == 0)
		return 1;
	for (; k >= 0; k = jscan_after(&doc, 0, k + 1))
		members++;
	for (i = 0; i < hive.n; i++)
		if (hive.k[i].kind == HIVE_FIELD && found[hive.slot[i]] >= 0)
			omitted++;
	return members > omitted ? 1 : -1;
}

/* A data row, or the reason it cannot be written (stage_bad). */
static int
write_row(struct stage *st, const struct stage_line *l)
{
	struct lake_lsn lsn;
	const char *why;
	char hwhy[512];

	if (!l->parsed && jscan_parse(&doc, l->text, l->len) != 0)
		return stage_bad(st, "invalid JSON: %s at column %zu", doc.err,
		    doc.err_off + 1);
	if (jscan_type(&doc, 0) != J_OBJECT)
		return stage_bad(st, "not a JSON object: %s",
		    field_shown(&doc, 0));
	jscan_members(&doc, 0, hive.names, hive.nnames, found);
	if (hive_path(&hive, &doc, found, &key, &tmp, hwhy,
	    sizeof(hwhy)) != 0)
		return stage_bad(st, "%s", hwhy);
	switch (fields_to_write()) {
	case 0:
		return stage_bad(st, "no field to write: an empty object");
	case -1:
		return stage_bad(st, "no field left to write: every member is "
		    "a partition column, which the files leave to the paths");
	}
	read_lsn(found[s_lsn], &lsn);
	if (lake_row(lake, key.data != NULL ? key.data : "", key.len, &doc,
	    &lsn, l->source, l->lineno, &why) != LAKE_OK)
		return stage_bad(st, "%s", why);
	progress_tick(stage_progress(st), 1);
	return 0;
}

static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	int rc = write_row(st, l);

	(void)arg;
	if (roll_us > 0)
		lake_tick(lake);
	return rc;
}

/* Watermark lines are counted and skipped; other control lines are not
 * rows and never reach a file either. */
static void
on_watermark(void *arg, struct stage *st, const struct stage_line *l,
    int64_t wm)
{
	(void)arg;
	(void)st;
	(void)l;
	(void)wm;
	watermarks++;
	if (roll_us > 0)
		lake_tick(lake);
}

/* A bad line ends the program (--on-error fail): the open files are
 * discarded first, so only complete files stay, and a rerun of the fixed
 * input writes them again under the same names. */
static void
on_failing(void *arg)
{
	(void)arg;
	lake_abort(lake);
}

/* Input has no data ready (--roll-interval): commit the files whose
 * interval is over, and wait no longer than until the next is due (at
 * most a second, so a signal that came just before the wait is seen
 * soon). */
static int
on_idle(void *arg, struct stage *st, enum stage_idle why)
{
	int64_t ms;

	(void)arg;
	(void)st;
	(void)why;
	ms = lake_tick(lake);
	return ms < 0 || ms > 1000 ? 1000 : ms < 1 ? 1 : (int)ms;
}

static void
on_commit(void *arg, const char *path, uint64_t rows, uint64_t bytes)
{
	const struct lake_stats *s;

	(void)arg;
	if (diag_verbosity >= 1 && pg->drawn)
		progress_done(pg);	/* erase the progress line first */
	diag_info(1, "committed %s (%llu row%s, %llu bytes)", path,
	    (unsigned long long)rows, rows == 1 ? "" : "s",
	    (unsigned long long)bytes);
	if (!pg->on || lake == NULL)
		return;
	s = lake_stats(lake);
	snprintf(pg_label, sizeof(pg_label), "%llu file%s committed, %.1f MiB",
	    (unsigned long long)s->files, s->files == 1 ? "" : "s",
	    (double)s->bytes / (1 << 20));
	pg->label = pg_label;
}
