/*
 * fuzz_statefile.c: libFuzzer target for --state files: the header, count
 * and checksum of common/statefile.c, and window-agg's loader behind it
 * (state.c, the windows, sessions and aggregate states of window.c and
 * agg.c). interval-join's loader has a target of its own
 * (fuzz_statefile_ij.c): the two tools cannot share a program.
 *
 * The first byte sets up window-agg (bits 0-1 the kind of window, tumble,
 * hop, cumulate or session; bit 2 --emit update; bit 3 an allowed
 * lateness) and says what the rest is (bits 4-5):
 *	0  a whole state file, as it is
 *	1  the lines after the header: the header is made for them, with the
 *	   right count and checksum
 *	2  the same, then a byte of them changed (the second byte says which)
 *	3  the same, the header counting one byte too many
 * The file is read from a memfd with statefile_load through state_load,
 * as window-agg reads --state. Invariants: a refused file comes back with
 * a message, and a file whose bytes do not match its header's count and
 * checksum (modes 2 and 3, and checked anew for mode 0) is never taken.
 * A file taken is then run out: every window fires (an in-band watermark
 * of infinity) and the state is saved again; whatever is written must be
 * lines of JSON objects in UTF-8 with unique member names. Never a crash,
 * never a leak. The seeds (tests/fuzz/seeds/statefile/) are state files
 * window-agg wrote for each kind of window, their settings replaced by
 * this target's.
 *
 * fuzz-sources: cmd/window-agg/state.c cmd/window-agg/window.c
 * fuzz-sources: cmd/window-agg/agg.c cmd/window-agg/having.c
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "jscan.h"
#include "statefile.h"
#include "wagg.h"
#define FUZZ_NAME	"fuzz_statefile"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What window-agg's main.c defines. */
struct conf conf;
struct counters cnt;
struct clock clk;

#define AGGS	"count, count(w) as cw, sum(v) as s, avg(v) as a, " \
		"min(w) as mn, max(w) as mx, count_distinct(w) as cd, " \
		"first(w) as f, last(w) as l"

static int fd = -1;
static char path[64];
static struct jdoc doc = JDOC_INIT;

/* CRC-32C bit by bit, apart from the table statefile.c uses. */
static uint32_t
crc32c(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFU;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ 0x82F63B78U : c >> 1;
	}
	return ~c;
}

static size_t
count_lines(const char *p, size_t n)
{
	size_t i, lines = 0;

	for (i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* A file taken: its first line is a header whose count and checksum are
 * those of the bytes after it. */
static void
check_taken(const char *file, size_t n)
{
	const char *nl = memchr(file, '\n', n);
	char want[160];
	size_t hlen, blen;
	int t, u;

	fuzz_require(nl != NULL, "taken without a header line", file, n);
	hlen = (size_t)(nl - file);
	blen = n - hlen - 1;
	fuzz_require(jscan_parse(&doc, file, hlen) == 0 &&
	    jscan_type(&doc, 0) == J_OBJECT, "taken, header not an object",
	    file, hlen);
	snprintf(want, sizeof(want), "\"%08x\"", crc32c((const unsigned char *)
	    nl + 1, blen));
	t = jscan_member(&doc, 0, "crc32c", 6);
	fuzz_require(t >= 0, "taken without a checksum", file, hlen);
	/* the header's text, hex case aside */
	{
		const char *raw;
		size_t rn, i;

		raw = jscan_raw(&doc, t, &rn);
		fuzz_require(rn == 10, "taken, checksum not 8 digits", file,
		    hlen);
		for (i = 0; i < rn; i++)
			fuzz_require((raw[i] | 0x20) == want[i], "taken with a "
			    "checksum that does not match", file, n);
	}
	t = jscan_member(&doc, 0, "bytes", 5);
	u = jscan_member(&doc, 0, "lines", 5);
	{
		int64_t b, l;

		fuzz_require(t >= 0 && u >= 0 && jscan_i64(&doc, t, &b) == 0 &&
		    jscan_i64(&doc, u, &l) == 0 && (uint64_t)b == blen &&
		    (uint64_t)l == count_lines(nl + 1, blen),
		    "taken with counts that do not match", file, hlen);
	}
}

/* window-agg's settings for this input, as its main sets them up. */
static void
setup(uint8_t how)
{
	static const enum wkind kinds[] = { W_TUMBLE, W_HOP, W_CUMULATE,
	    W_SESSION };
	struct buf err = BUF_INIT;
	const char *bad;

	memset(&conf, 0, sizeof(conf));
	conf.kind = kinds[how & 3];
	switch (conf.kind) {
	case W_TUMBLE:
		conf.size = 60000000;
		break;
	case W_HOP:
		conf.size = 60000000;
		conf.slide = 20000000;
		break;
	case W_CUMULATE:
		conf.size = 60000000;
		conf.slide = 15000000;
		break;
	case W_SESSION:
		conf.gap = 30000000;
		break;
	}
	conf.emit = how & 4 ? EMIT_UPDATE : EMIT_FINAL;
	conf.lateness = how & 8 ? 10000000 : 0;
	conf.unit = TS_MS;
	conf.watermarks = 1;
	field_parse(&conf.time, "t");
	if (aggs_parse(&conf.aggs, AGGS, &err) != 0 ||
	    field_list_parse(&conf.group, "k,k2", &bad) != 0)
		abort();
	conf.gkey = xcalloc(2, sizeof(*conf.gkey));
	conf.gkeylen = xcalloc(2, sizeof(*conf.gkeylen));
	conf.gkey[0] = xstrdup(",\"k\":");
	conf.gkeylen[0] = 5;
	conf.gkey[1] = xstrdup(",\"k2\":");
	conf.gkeylen[1] = 6;
	conf.signature = xstrdup("fuzz");
	memset(&cnt, 0, sizeof(cnt));
	clk.wm = clk.max_ts = clk.wm_out = T_MIN;
	clk.seq = 0;
	buf_free(&err);
	win_setup();
}

static void
teardown(void)
{
	win_free();
	aggs_free(&conf.aggs);
	field_list_free(&conf.group);
	field_free(&conf.time);
	free(conf.gkey[0]);
	free(conf.gkey[1]);
	free(conf.gkey);
	free(conf.gkeylen);
	free(conf.signature);
}

/* The file: raw, or a header made for body[0..n) (damaged as asked). */
static void
write_file(uint8_t how, const uint8_t *body, size_t n, struct buf *file)
{
	size_t bytes = n;

	buf_reset(file);
	if ((how >> 4 & 3) == 0) {
		buf_append(file, body, n);
		return;
	}
	if ((how >> 4 & 3) == 3)
		bytes++;
	buf_printf(file, "{\"cdc_pipes_state\":1,\"tool\":\"window-agg\","
	    "\"lines\":%zu,\"bytes\":%zu,\"crc32c\":\"%08x\"}\n",
	    count_lines((const char *)body, n), bytes, crc32c(body, n));
	buf_append(file, body, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf file = BUF_INIT, err = BUF_INIT, saved = BUF_INIT;
	uint8_t how, at = 0;
	size_t hlen;
	int rc, mode;

	if (size < 2)
		return 0;
	if (fd < 0) {
		if ((fd = memfd_create("state", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		jout_init_mem(&jout_stdout);
	}
	how = data[0];
	mode = how >> 4 & 3;
	if (mode == 2)
		at = data[1];
	data += 2;
	size -= 2;
	write_file(how, data, size, &file);
	hlen = file.len - size;
	if (mode == 2 && size > 0)
		file.data[hlen + at % size] ^= 1 << (at >> 5);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, file.data, file.len, 0) !=
	    (ssize_t)file.len)
		abort();

	setup(how);
	jout_stdout.len = 0;
	rc = state_load(path, &err);
	fuzz_require(rc == 0 || rc == -1 || rc == STATEFILE_EUSAGE,
	    "state_load result", file.data, file.len);
	if (rc != 0)
		fuzz_require(err.len > 0, "refused without a reason", file.data,
		    file.len);
	if ((mode == 2 && size > 0) || mode == 3)
		fuzz_require(rc != 0, "damaged, taken", file.data, file.len);
	if (rc == 0) {
		fuzz_require(err.len == 0, "taken with a message", err.data,
		    err.len);
		check_taken(file.data, file.len);
		/* run it out: every window fires, and it is saved again */
		win_advance(T_MAX, 1);
		fuzz_check_lines(jout_stdout.buf, jout_stdout.len, 1);
		win_save(&saved);
		fuzz_check_lines(saved.data != NULL ? saved.data : "",
		    saved.len, 1);
	}
	teardown();
	buf_free(&file);
	buf_free(&err);
	buf_free(&saved);
	return 0;
}
