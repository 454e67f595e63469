/*
 * fuzz_statefile_ij.c: libFuzzer target for interval-join's --state loader
 * (state.c, the rows and versions of join.c, the right fields of emit.c)
 * behind common/statefile.c's header; fuzz_statefile.c has window-agg's.
 *
 * The first byte sets up interval-join (bit 0 --temporal, bit 1 --type
 * left, bits 2-3 --pick all, first or last) and says what the rest is
 * (bits 4-5), as in fuzz_statefile.c: 0 a whole file, 1 the lines after a
 * header made for them, 2 the same with a byte changed (the second byte
 * says which), 3 the header counting one byte too many. Invariants: a
 * refused file comes back with a message, a damaged one (modes 2 and 3) is
 * never taken, and a file taken is run out (the inputs ended: every row is
 * decided) and saved again, writing only lines of JSON objects in UTF-8.
 * Never a crash, never a leak. The seeds (tests/fuzz/seeds/statefile-ij/)
 * are state files interval-join wrote, their settings replaced by this
 * target's.
 *
 * fuzz-sources: cmd/interval-join/state.c cmd/interval-join/join.c
 * fuzz-sources: cmd/interval-join/emit.c
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
#include "ij.h"
#include "jout.h"
#include "jscan.h"
#include "statefile.h"
#define FUZZ_NAME	"fuzz_statefile_ij"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What interval-join's main.c defines. */
struct conf conf;
struct clocks clk;
struct counters cnt;

static int fd = -1;
static char path[64];
static struct jdoc input = JDOC_INIT;

static void
setup(uint8_t how)
{
	static const enum pick picks[] = { PICK_ALL, PICK_FIRST, PICK_LAST,
	    PICK_ALL };
	const char *bad;
	int s;

	memset(&conf, 0, sizeof(conf));
	memset(&clk, 0, sizeof(clk));
	memset(&cnt, 0, sizeof(cnt));
	conf.temporal = how & 1;
	conf.type = how & 2 ? JOIN_LEFT : JOIN_INNER;
	conf.pick = conf.temporal ? PICK_ALL : picks[how >> 2 & 3];
	conf.lo = -60000000;
	conf.hi = 60000000;
	conf.unit = TS_MS;
	conf.eof_ends = 1;
	conf.prefix = xstrdup("right_");
	conf.signature = xstrdup("fuzz");
	for (s = LEFT; s <= RIGHT; s++) {
		if (field_list_parse(&conf.key[s], "k", &bad) != 0)
			abort();
		field_parse(&conf.time[s], "t");
		clk.s[s].max_ts = clk.s[s].inband = clk.s[s].idle_wm = T_MIN;
	}
	clk.wm = clk.wm_out = T_MIN;
	join_setup();
	if (jscan_parse(&input, "{}", 2) != 0)
		abort();
	emit_setup(&input);
}

static void
teardown(void)
{
	int s;

	join_free();
	emit_free();
	for (s = LEFT; s <= RIGHT; s++) {
		field_list_free(&conf.key[s]);
		field_free(&conf.time[s]);
	}
	free(conf.prefix);
	free(conf.signature);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf file = BUF_INIT, err = BUF_INIT, saved = BUF_INIT;
	uint8_t how, at = 0;
	size_t i, lines = 0, hlen, bytes;
	uint32_t crc;
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
	if (mode != 0) {
		for (i = 0; i < size; i++)
			lines += data[i] == '\n';
		crc = statefile_crc32c(0, data, size);
		bytes = size + (mode == 3);
		buf_printf(&file, "{\"cdc_pipes_state\":1,\"tool\":"
		    "\"interval-join\",\"lines\":%zu,\"bytes\":%zu,"
		    "\"crc32c\":\"%08x\"}\n", lines, bytes, crc);
	}
	hlen = file.len;
	buf_append(&file, data, size);
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
		/* both inputs end: every row is decided */
		clk.s[LEFT].eof = clk.s[RIGHT].eof = 1;
		clk.wm = T_MAX;
		join_advance();
		fuzz_check_lines(jout_stdout.buf, jout_stdout.len, 0);
		join_save(&saved);
		fuzz_check_lines(saved.data != NULL ? saved.data : "",
		    saved.len, 0);
	}
	teardown();
	buf_free(&file);
	buf_free(&err);
	buf_free(&saved);
	return 0;
}
