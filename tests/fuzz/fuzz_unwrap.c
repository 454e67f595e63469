/*
 * fuzz_unwrap.c: libFuzzer target for cdc-unwrap's events (unwrap.c, and
 * the per-table state of store.c): Debezium's envelope, the
 * {"schema":...,"payload":...} wrapper, watermarks passed through or
 * moved by --watermark-delay.
 *
 * The first byte sets cdc-unwrap up: bit 0 --changelog, bit 1 with it
 * --complete-before, else --deletes=rewrite; bit 2 --add-fields with
 * plain names, source paths and a path of the envelope; bit 3 --tables;
 * bit 4 --key for one table; bit 5 --watermark-delay. The rest is lines,
 * a newline apart, each given in turn, with the state kept from one to
 * the next, to unwrap_watermark when the stage driver reads it as a
 * watermark line, to nothing when it reads it as another control line
 * (the driver forwards those) or a bad one, else to unwrap_line.
 * Invariants: a bad line comes back with a reason and nothing written;
 * whatever a line writes is whole lines, each a JSON object in UTF-8; a
 * row's names are unique but for the columns of the image it came from,
 * which are the input's as written (an image may name a column twice: the
 * last counts, as jscan and jansson read it), and the names with a
 * meaning of their own (field_reserved) are never a row's, but "__kind"
 * first in each changelog row. A line that is not an event passes through
 * unchanged. Never a crash, never a leak.
 *
 * fuzz-sources: cmd/cdc-unwrap/unwrap.c cmd/cdc-unwrap/store.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "field.h"
#include "jout.h"
#include "jscan.h"
#include "stage.h"
#include "unwrap.h"
#define FUZZ_NAME	"fuzz_unwrap"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ADD	"op,table,schema,lsn,ts_ms,source.ts_ms,snapshot,txId,a.b"

static struct jdoc doc = JDOC_INIT, cdoc = JDOC_INIT;
static struct buf name_a = BUF_INIT, name_b = BUF_INIT;

/* Member name k of the document, unescaped, into b. */
static void
member_name(int k, struct buf *b)
{
	buf_reset(b);
	jscan_str_append(&doc, k, b);
}

/* One row written for an event. */
static void
check_row(const char *p, size_t len, int changelog)
{
	const char *raw;
	size_t n;
	int k, j, first = 1;

	for (k = jscan_child(&doc, 0); k >= 0;
	    k = jscan_after(&doc, 0, k + 1)) {
		member_name(k, &name_a);
		n = name_a.len;
		if (first && changelog) {
			fuzz_require(n == 6 && memcmp(name_a.data, "__kind",
			    6) ==
			    0, "changelog row without __kind first", p, len);
			raw = jscan_raw(&doc, k + 1, &n);
			fuzz_require(n == 4 && (memcmp(raw, "\"+I\"", 4) == 0 ||
			    memcmp(raw, "\"-U\"", 4) == 0 ||
			    memcmp(raw, "\"+U\"", 4) == 0 ||
			    memcmp(raw, "\"-D\"", 4) == 0),
			    "not a change kind", p, len);
		} else
			fuzz_require(!field_reserved(name_a.data, n),
			    "a reserved name in a row", p, len);
		first = 0;
		/* the names cdc-unwrap adds ("__...") are unique, and no
		 * column of an image has one */
		if (n < 2 || memcmp(name_a.data, "__", 2) != 0)
			continue;
		for (j = jscan_child(&doc, 0); j >= 0 && j < k;
		    j = jscan_after(&doc, 0, j + 1)) {
			member_name(j, &name_b);
			fuzz_require(name_b.len != n || memcmp(name_b.data,
			    name_a.data, n) != 0, "a name twice", p, len);
		}
	}
}

/* What line[0..n) wrote: out[0..len). */
static void
check_output(const char *line, size_t n, const char *p, size_t len,
    int changelog)
{
	const char *nl;
	size_t l;

	fuzz_require(len == 0 || p[len - 1] == '\n', "output ends mid-line", p,
	    len);
	/* passed through: the line itself (a watermark may be rewritten) */
	if (len == n + 1 && memcmp(p, line, n) == 0)
		return;
	while (len > 0) {
		nl = memchr(p, '\n', len);
		l = (size_t)(nl - p);
		fuzz_require(jscan_parse(&doc, p, l) == 0, "not JSON", p, l);
		fuzz_require(jscan_type(&doc, 0) == J_OBJECT, "not an object",
		    p,
		    l);
		fuzz_require(jscan_utf8_valid(p, l), "not UTF-8", p, l);
		if (jscan_member(&doc, 0, "__watermark", 11) < 0)
			check_row(p, l, changelog);
		len -= l + 1;
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unwrap_conf c;
	struct unwrap *u;
	struct jout out;
	struct buf err = BUF_INIT;
	struct stage_ctl ctl;
	const char *p, *end, *nl, *why;
	size_t n, before;
	uint8_t how;
	int k;

	if (size < 1)
		return 0;
	diag_verbosity = -1;	/* the warnings of partial retractions */
	how = data[0];
	memset(&c, 0, sizeof(c));
	c.changelog = how & 1;
	c.complete_before = c.changelog && (how & 2);
	c.rewrite = !c.changelog && (how & 2);
	if ((how & 4) && unwrap_add_fields(&c, ADD, &err) != 0)
		abort();
	if ((how & 8) && unwrap_tables(&c, "public.sales,orders", &err) !=
	    0)
		abort();
	if ((how & 16) && table_key_option("public.sales:id+k.a") != 0)
		abort();
	c.wm_delay = how & 32 ? 1000000 : 0;
	if (unwrap_check(&c, &err) != 0)
		abort();
	jout_init_mem(&out);
	u = unwrap_new(&c, &out);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		before = out.len;
		buf_reset(&err);
		k = stage_ctl_name(p, n) ? stage_ctl_read(&cdoc, p, n, TS_MS,
		    &ctl, &err) : 0;
		fuzz_require(k != -1 || err.len > 0,
		    "a bad control line without a reason", p, n);
		if (k == 1 || k == -1) {
			if (k == 1 && ctl.kind == STAGE_WATERMARK) {
				unwrap_watermark(u, p, n, ctl.wm);
				check_output(p, n, out.buf + before,
				    out.len - before, c.changelog);
			}
		} else if (unwrap_line(u, p, n, &why) != 0) {
			fuzz_require(why != NULL && why[0] != '\0',
			    "refused without a reason", p, n);
			fuzz_require(out.len == before, "refused after writing",
			    out.buf + before, out.len - before);
		} else
			check_output(p, n, out.buf + before, out.len - before,
			    c.changelog);
		p += n + 1;
	}
	unwrap_free(u);
	tables_free();
	unwrap_conf_free(&c);
	buf_free(&err);
	jscan_free(&cdoc);
	free(out.buf);
	return 0;
}
