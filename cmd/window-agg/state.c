/*
 * state.c: --state FILE, the open windows carried from one run to the next.
 *
 * The file is NDJSON, readable with jq: a header line with the settings it
 * was written with, the clocks and the counters, then one line per open
 * window (or session) with its groups and their aggregate states. It is
 * written atomically at a clean exit: to "FILE.tmp", fsync, rename over
 * FILE, fsync of the directory. A run that fails leaves the previous state
 * in place, so rerunning it over the same input gives the same results.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lread.h"
#include "wagg.h"

#define STATE_VERSION	1

/* The counters of earlier runs: reports at exit are this run's, the file
 * keeps the totals. */
static struct counters before;

static void
put_time(struct buf *b, const char *name, int64_t v)
{
	if (v == T_MIN)
		buf_printf(b, ",\"%s\":null", name);
	else
		buf_printf(b, ",\"%s\":%lld", name, (long long)v);
}

static int
get_time(json_t *h, const char *name, int64_t *v)
{
	json_t *j = json_object_get(h, name);

	if (json_is_null(j)) {
		*v = T_MIN;
		return 0;
	}
	if (!json_is_integer(j))
		return -1;
	*v = json_integer_value(j);
	return 0;
}

static int
get_count(json_t *h, const char *name, uint64_t *v)
{
	json_t *j = json_object_get(h, name);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -1;
	*v = (uint64_t)json_integer_value(j);
	return 0;
}

/* The header line: 0, -1 when malformed, -2 when written with other
 * settings (they are copied to *other). */
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
		return -2;
	}
	if (get_time(h, "watermark", &clk.wm) != 0 ||
	    get_time(h, "max_time", &clk.max_ts) != 0 ||
	    get_time(h, "watermark_out", &clk.wm_out) != 0 ||
	    get_count(h, "seq", &clk.seq) != 0 ||
	    get_count(h, "rows", &before.rows) != 0 ||
	    get_count(h, "late", &before.late) != 0 ||
	    get_count(h, "unmatched", &before.unmatched) != 0 ||
	    get_count(h, "results", &before.results) != 0)
		return -1;
	return 0;
}

void
state_load(const char *path)
{
	struct lread r;
	json_error_t je;
	json_t *j;
	const char *line;
	char *other = NULL;
	size_t len;
	int rc;

	if (lread_open(&r, path, 0) != 0) {
		if (errno == ENOENT)
			return;		/* the first run */
		diag_err(EXIT_DATA, "could not open \"%s\"", path);
	}
	if (strcmp(path, "-") == 0)
		diag_errx(EXIT_USAGE, "--state needs a file, not \"-\"");
	r.max_line = (size_t)1 << 40;
	while ((rc = lread_next(&r, &line, &len)) == LREAD_LINE) {
		j = json_loadb(line, len, 0, &je);
		rc = j == NULL ? -1 : r.lineno == 1 ? load_header(j, &other) :
		    win_load(j);
		json_decref(j);
		if (rc == -2) {
			lread_close(&r);
			diag_errx(EXIT_USAGE, "state file \"%s\" was written "
			    "with other settings (%s), not these (%s): use the "
			    "same options, or remove the file to start afresh",
			    path, other, conf.signature);
		}
		if (rc != 0) {
			lread_close(&r);
			diag_errx(EXIT_DATA, "%s:%llu: not a window-agg state "
			    "line%s%s", path, (unsigned long long)r.lineno,
			    j == NULL ? ": " : "", j == NULL ? je.text : "");
		}
	}
	if (rc == LREAD_ERROR)
		diag_err(EXIT_DATA, "could not read \"%s\"", path);
	lread_close(&r);
}

static void
write_all(int fd, const char *p, size_t n, const char *path)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			diag_err(EXIT_DATA, "could not write \"%s\"", path);
		p += w;
		n -= (size_t)w;
	}
}

void
state_save(const char *path)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	char *dcopy;
	int fd;

	buf_printf(&b, "{\"window_agg_state\":%d,\"settings\":",
	    STATE_VERSION);
	jout_quote_buf(&b, conf.signature, strlen(conf.signature));
	put_time(&b, "watermark", clk.wm);
	put_time(&b, "max_time", clk.max_ts);
	put_time(&b, "watermark_out", clk.wm_out);
	buf_printf(&b, ",\"seq\":%llu,\"rows\":%llu,\"late\":%llu,"
	    "\"unmatched\":%llu,\"results\":%llu}\n",
	    (unsigned long long)clk.seq,
	    (unsigned long long)(before.rows + cnt.rows),
	    (unsigned long long)(before.late + cnt.late),
	    (unsigned long long)(before.unmatched + cnt.unmatched),
	    (unsigned long long)(before.results + cnt.results));
	win_save(&b);

	buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		diag_err(EXIT_DATA, "could not create \"%s\"", tmp.data);
	write_all(fd, b.data, b.len, tmp.data);
	if (fsync(fd) != 0 || close(fd) != 0)
		diag_err(EXIT_DATA, "could not write \"%s\"", tmp.data);
	if (rename(tmp.data, path) != 0)
		diag_err(EXIT_DATA, "could not rename \"%s\" to \"%s\"",
		    tmp.data, path);
	dcopy = xstrdup(path);
	fd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dcopy);
	buf_free(&b);
	buf_free(&tmp);
}
