/*
 * state.c: --state FILE, the rows and versions interval-join holds, carried
 * from one run to the next.
 *
 * The file is NDJSON, readable with jq: after common/statefile.c's header
 * line (count and checksum), a line with the settings it was written with,
 * the clocks of both inputs and the right fields seen, then one line per
 * held row or version (join.c), written atomically at a clean exit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ij.h"
#include "jout.h"
#include "statefile.h"

#define STATE_VERSION	1

static const char *const side_name[2] = { "left", "right" };

/* One line of the file: the settings and clocks first, then rows. */
static int
load_line(json_t *j, uint64_t lineno, void *arg)
{
	char **other = arg;
	const char *sig;
	json_t *h;
	int s;

	if (lineno > 1)
		return join_load(j);
	sig = json_string_value(json_object_get(j, "settings"));
	if (json_integer_value(json_object_get(j, "interval_join_state")) !=
	    STATE_VERSION || sig == NULL)
		return -1;
	if (strcmp(sig, conf.signature) != 0) {
		*other = xstrdup(sig);
		return STATEFILE_EUSAGE;
	}
	for (s = LEFT; s <= RIGHT; s++) {
		h = json_object_get(j, side_name[s]);
		if (!json_is_object(h) ||
		    statefile_get_time(h, "max_time", &clk.s[s].max_ts) != 0 ||
		    statefile_get_time(h, "watermark", &clk.s[s].inband) != 0)
			return -1;
	}
	if (statefile_get_time(j, "watermark", &clk.wm) != 0 ||
	    statefile_get_time(j, "watermark_out", &clk.wm_out) != 0 ||
	    !json_is_integer(json_object_get(j, "seq")) ||
	    emit_load(json_object_get(j, "right_fields")) != 0)
		return -1;
	clk.seq = (uint64_t)json_integer_value(json_object_get(j, "seq"));
	return 0;
}

int
state_load(const char *path, struct buf *err)
{
	char *other = NULL;
	int rc;

	rc = statefile_load(path, "interval-join", load_line, &other, err);
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
state_save(const char *path, int64_t wm)
{
	struct buf b = BUF_INIT;
	int s;

	buf_printf(&b, "{\"interval_join_state\":%d,\"settings\":",
	    STATE_VERSION);
	jout_quote_buf(&b, conf.signature, strlen(conf.signature));
	for (s = LEFT; s <= RIGHT; s++) {
		buf_printf(&b, ",\"%s\":{", side_name[s]);
		statefile_put_time(&b, "max_time", clk.s[s].max_ts);
		buf_putc(&b, ',');
		/* what this input promised, idle time included; not its end */
		statefile_put_time(&b, "watermark",
		    clk.s[s].inband > clk.s[s].idle_wm ? clk.s[s].inband :
		    clk.s[s].idle_wm);
		buf_putc(&b, '}');
	}
	buf_putc(&b, ',');
	statefile_put_time(&b, "watermark", wm);
	buf_putc(&b, ',');
	statefile_put_time(&b, "watermark_out", clk.wm_out);
	buf_printf(&b, ",\"seq\":%llu,\"right_fields\":",
	    (unsigned long long)clk.seq);
	emit_save(&b);
	buf_puts(&b, "}\n");
	join_save(&b);
	statefile_write(path, "interval-join", b.data, b.len);
	buf_free(&b);
}
