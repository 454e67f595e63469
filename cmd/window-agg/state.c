/*
 * state.c: --state FILE, the open windows carried from one run to the next.
 *
 * The file is NDJSON, readable with jq: a header line with the settings it
 * was written with, the clocks and the counters, then one line per open
 * window (or session) with its groups and their aggregate states, written
 * atomically at a clean exit, after common/statefile.c's header line with
 * the count and checksum that make a damaged file refused when read.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "statefile.h"
#include "wagg.h"

#define STATE_VERSION	1

/* The counters of earlier runs: reports at exit are this run's, the file
 * keeps the totals. */
static struct counters before;

static int
get_count(json_t *h, const char *name, uint64_t *v)
{
	json_t *j = json_object_get(h, name);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -1;
	*v = (uint64_t)json_integer_value(j);
	return 0;
}

/* The header line: 0, -1 when malformed, STATEFILE_EUSAGE when written
 * with other settings (they are copied to *other). */
static int
load_header(json_t *h, char **other)
{
	const char *sig;

	if (!json_is_object(h) || json_integer_value(json_object_get(h,
	    "window_agg_state")) != STATE_VERSION)
		return -1;
	sig = json_string_value(json_object_get(h, "settings"));
	if (sig == NULL)
		return -1;
	if (strcmp(sig, conf.signature) != 0) {
		*other = xstrdup(sig);
		return STATEFILE_EUSAGE;
	}
	if (statefile_get_time(h, "watermark", &clk.wm) != 0 ||
	    statefile_get_time(h, "max_time", &clk.max_ts) != 0 ||
	    statefile_get_time(h, "watermark_out", &clk.wm_out) != 0 ||
	    get_count(h, "seq", &clk.seq) != 0 ||
	    get_count(h, "rows", &before.rows) != 0 ||
	    get_count(h, "late", &before.late) != 0 ||
	    get_count(h, "unmatched", &before.unmatched) != 0 ||
	    get_count(h, "results", &before.results) != 0)
		return -1;
	return 0;
}

/* One line of the file: the header first, then windows and sessions. */
static int
load_line(json_t *j, uint64_t lineno, void *arg)
{
	char **other = arg;

	return lineno == 1 ? load_header(j, other) : win_load(j);
}

int
state_load(const char *path, struct buf *err)
{
	char *other = NULL;
	int rc;

	rc = statefile_load(path, "window-agg", load_line, &other, err);
	if (other != NULL) {
		buf_printf(err, "state file \"%s\" was written with other "
		    "settings (%s), not these (%s): use the same options, or "
		    "remove the file to start afresh", path, other,
		    conf.signature);
		free(other);
	}
	return rc;
}

void
state_save(const char *path)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"window_agg_state\":%d,\"settings\":",
	    STATE_VERSION);
	jout_quote_buf(&b, conf.signature, strlen(conf.signature));
	buf_putc(&b, ',');
	statefile_put_time(&b, "watermark", clk.wm);
	buf_putc(&b, ',');
	statefile_put_time(&b, "max_time", clk.max_ts);
	buf_putc(&b, ',');
	statefile_put_time(&b, "watermark_out", clk.wm_out);
	buf_printf(&b, ",\"seq\":%llu,\"rows\":%llu,\"late\":%llu,"
	    "\"unmatched\":%llu,\"results\":%llu}\n",
	    (unsigned long long)clk.seq,
	    (unsigned long long)(before.rows + cnt.rows),
	    (unsigned long long)(before.late + cnt.late),
	    (unsigned long long)(before.unmatched + cnt.unmatched),
	    (unsigned long long)(before.results + cnt.results));
	win_save(&b);
	statefile_write(path, "window-agg", b.data, b.len);
	buf_free(&b);
}
