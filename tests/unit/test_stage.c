/*
 * test_stage.c: unit tests for the stage driver's control lines and its
 * two-input alignment.
 *
 * Which lines are looked at (the first member's name alone), what each
 * control line reads as, which are bad and why; then stage_run over files:
 * the order in which rows, watermarks and barriers reach the tool and the
 * output, with one input and with two that align.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jout.h"
#include "jscan.h"
#include "onerr.h"
#include "stage.h"
#include "unit.h"

static void	test_names(void);
static void	test_read(void);
static void	test_bad(void);
static void	test_one(void);
static void	test_two(void);

static int
is_ctl(const char *s)
{
	return stage_ctl_name(s, strlen(s));
}

static void
test_names(void)
{
	CHECK(is_ctl("{\"__watermark\":1}"));
	CHECK(is_ctl("{\"__checkpoint\":1,\"__lsn\":\"0/1\"}"));
	CHECK(is_ctl("{\"__restore\":0,\"__lsn\":\"0/1\"}"));
	CHECK(is_ctl("{\"__committed\":1}"));
	/* jq -S puts __lsn first; spaces and tabs around the brace */
	CHECK(is_ctl("{\"__lsn\":\"0/1\",\"__restore\":0}"));
	CHECK(is_ctl("{\"__offset\":3,\"__checkpoint\":2}"));
	CHECK(is_ctl(" \t{ \"__watermark\": 1}"));
	CHECK(is_ctl("{\t\"__committed\":1}"));
	/* rows, changelog rows, names that only start the same */
	CHECK(!is_ctl("{\"a\":1}"));
	CHECK(!is_ctl("{\"__kind\":\"+I\",\"__watermark\":1}"));
	CHECK(!is_ctl("{\"__watermarks\":1}"));
	CHECK(!is_ctl("{\"__lsn_x\":1}"));
	CHECK(!is_ctl("{\"__\":1}"));
	CHECK(!is_ctl("{\"_\":1}"));
	CHECK(!is_ctl("{\"a\":1,\"__watermark\":1}"));
	CHECK(!is_ctl("[\"__watermark\"]"));
	CHECK(!is_ctl("{\"__water"));
	CHECK(!is_ctl("{"));
	CHECK(!is_ctl(""));
	CHECK(!is_ctl("   "));
}

/* Read s: the return of stage_ctl_read, c and why filled in. */
static int
rd(const char *s, struct stage_ctl *c, struct buf *why)
{
	static struct jdoc d = JDOC_INIT;

	if (s == NULL) {
		jscan_free(&d);
		return 0;
	}
	buf_reset(why);
	return stage_ctl_read(&d, s, strlen(s), TS_MS, c, why);
}

static void
test_read(void)
{
	struct stage_ctl c;
	struct buf why = BUF_INIT;

	CHECK_INT(rd("{\"__watermark\":\"2026-11-22T10:01:00Z\"}", &c, &why),
	    1);
	CHECK_INT(c.kind, STAGE_WATERMARK);
	CHECK_INT(c.wm, INT64_C(1795341660000000));
	CHECK_INT(rd("{\"__watermark\":1000}", &c, &why), 1);
	CHECK_INT(c.wm, 1000000);
	CHECK_INT(rd("{\"__watermark\":\"infinity\",\"x\":1}", &c, &why), 1);
	CHECK_INT(c.wm, TS_INF);

	CHECK_INT(rd("{\"__checkpoint\":7,\"__lsn\":\"16/B374D848\"}", &c,
	    &why), 1);
	CHECK_INT(c.kind, STAGE_CHECKPOINT);
	CHECK_INT(c.n, 7);
	CHECK_INT(c.pos, STAGE_POS_LSN);
	CHECK_INT(c.at, (INT64_C(0x16) << 32) | INT64_C(0xB374D848));
	CHECK_INT(rd("{\"__lsn\":\"0/0\",\"__restore\":0}", &c, &why), 1);
	CHECK_INT(c.kind, STAGE_RESTORE);
	CHECK_INT(c.n, 0);
	CHECK_INT(c.at, 0);
	CHECK_INT(rd("{\"__restore\":2,\"__lsn\":\"FFFFFFFF/ffffffff\"}", &c,
	    &why), 1);
	CHECK_INT(c.at, -1);		/* UINT64_MAX */
	CHECK_INT(rd("{\"__checkpoint\":3,\"__offset\":42}", &c, &why), 1);
	CHECK_INT(c.pos, STAGE_POS_OFFSET);
	CHECK_INT(c.at, 42);
	CHECK_INT(rd("{\"__committed\":3}", &c, &why), 1);
	CHECK_INT(c.kind, STAGE_COMMITTED);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.pos, STAGE_POS_NONE);

	/* not control lines: parsed for the tool, or not JSON */
	CHECK_INT(rd("{\"__lsn\":\"0/1\",\"a\":1}", &c, &why), 0);
	CHECK_INT(rd("{\"__kind\":\"+I\"}", &c, &why), 0);
	CHECK_INT(rd("{\"__watermark\":", &c, &why), -2);
	CHECK_INT(why.len, 0);
	rd(NULL, NULL, &why);
	buf_free(&why);
}

/* A bad control line: -1 and its reason. */
static void
bad(const char *s, const char *want)
{
	struct stage_ctl c;
	struct buf why = BUF_INIT;

	CHECK_INT(rd(s, &c, &why), -1);
	CHECK_STR(why.data != NULL ? why.data : "", want);
	buf_free(&why);
}

static void
test_bad(void)
{
	bad("{\"__watermark\":\"soon\"}",
	    "field \"__watermark\": not a timestamp: \"soon\"");
	bad("{\"__watermark\":null}",
	    "field \"__watermark\": not a timestamp: null");
	bad("{\"__checkpoint\":0,\"__lsn\":\"0/1\"}",
	    "field \"__checkpoint\": not a checkpoint number: 0");
	bad("{\"__checkpoint\":1.5,\"__lsn\":\"0/1\"}",
	    "field \"__checkpoint\": not a checkpoint number: 1.5");
	bad("{\"__restore\":-1,\"__lsn\":\"0/1\"}",
	    "field \"__restore\": not a checkpoint number: -1");
	bad("{\"__committed\":\"1\"}",
	    "field \"__committed\": not a checkpoint number: \"1\"");
	bad("{\"__checkpoint\":1}",
	    "field \"__checkpoint\": no position: \"__lsn\" or \"__offset\" "
	    "missing");
	bad("{\"__restore\":1,\"__lsn\":\"0/1\",\"__offset\":1}",
	    "field \"__restore\": both \"__lsn\" and \"__offset\"");
	bad("{\"__checkpoint\":1,\"__restore\":1}",
	    "\"__checkpoint\" and \"__restore\" in one line");
	bad("{\"__checkpoint\":1,\"__lsn\":\"0/123456789\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"0/123456789\"");
	bad("{\"__checkpoint\":1,\"__lsn\":\"01\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"01\"");
	bad("{\"__checkpoint\":1,\"__lsn\":\"/1\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"/1\"");
	bad("{\"__checkpoint\":1,\"__lsn\":\"1/\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"1/\"");
	bad("{\"__checkpoint\":1,\"__lsn\":\"1/2/3\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"1/2/3\"");
	bad("{\"__checkpoint\":1,\"__lsn\":\"g/1\"}",
	    "field \"__lsn\": not an LSN (X/Y): \"g/1\"");
	bad("{\"__checkpoint\":1,\"__lsn\":16}",
	    "field \"__lsn\": not an LSN (X/Y): 16");
	bad("{\"__checkpoint\":1,\"__offset\":-1}",
	    "field \"__offset\": not an offset: -1");
	rd(NULL, NULL, NULL);
}

/* ---------------------------------------------------------------------
 * stage_run: what the tool and the output see
 */

static struct buf seen = BUF_INIT;	/* one line per call */
static char dir[] = "/tmp/test_stage.XXXXXX";
static int64_t clocks[2];

static char *
file_of(const char *name, const char *text)
{
	static char path[2][64];
	static int k;
	FILE *f;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	f = fopen(path[k], "w");
	fputs(text, f);
	fclose(f);
	return path[k];
}

static int
on_row(void *arg, struct stage *st, const struct stage_line *l)
{
	(void)arg;
	if (l->len > 0 && l->text[0] == 'x')
		return stage_bad(st, "no row");
	/* rows are {"t":T}: T moves the input's clock */
	if (l->len > 5)
		clocks[l->input] = atoll(l->text + 5);
	buf_printf(&seen, "row %d %.*s\n", l->input, (int)l->len, l->text);
	return 0;
}

static void
on_wm(void *arg, struct stage *st, const struct stage_line *l, int64_t wm)
{
	(void)arg;
	(void)st;
	buf_printf(&seen, "wm %d %lld\n", l->input, (long long)wm);
}

static int
on_ckpt(void *arg, struct stage *st, const struct stage_ctl *c)
{
	(void)arg;
	(void)st;
	buf_printf(&seen, "checkpoint %llu\n", (unsigned long long)c->n);
	return 0;
}

static void
on_eof(void *arg, struct stage *st, int input)
{
	(void)arg;
	(void)st;
	buf_printf(&seen, "eof %d\n", input);
}

/* Run a stage over paths; *out gets what it forwarded. A run that is
 * to fail says why on stderr, which is put aside meanwhile. */
static int
run(const char *const *paths, size_t n, int ninputs, struct jout *out)
{
	static const struct stage_ops ops = { .row = on_row,
	    .watermark = on_wm, .checkpoint = on_ckpt, .eof = on_eof };
	static struct onerr oe;
	struct stage_conf c;
	struct stage *st;
	int rc, saved, null;

	memset(&c, 0, sizeof(c));
	memset(&oe, 0, sizeof(oe));
	oe.mode = ONERR_SKIP;
	c.paths = paths;
	c.npaths = n;
	c.ninputs = ninputs;
	c.out = out;
	c.onerr = &oe;
	c.unit = TS_MS;
	c.clock[0] = &clocks[0];
	c.clock[1] = &clocks[1];
	buf_reset(&seen);
	clocks[0] = clocks[1] = 0;
	jout_init_mem(out);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if ((null = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	st = stage_new(&c, &ops, NULL);
	rc = stage_run(st);
	stage_free(st);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	buf_putc(&seen, '\0');
	seen.len--;
	jout_raw(out, "", 1);	/* a C string */
	return rc;
}

static void
test_one(void)
{
	const char *paths[2];
	struct jout out;
	int rc;

	paths[0] = file_of("a", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"t\":1}\n{\"__watermark\":2}\nx\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n");
	paths[1] = file_of("b", "\n{\"t\":3}\n{\"__committed\":1}");
	rc = run(paths, 2, 1, &out);
	CHECK_INT(rc, 0);
	CHECK_STR(seen.data, "row 0 {\"t\":1}\nwm 0 2000\ncheckpoint 1\n"
	    "row 0 {\"t\":3}\neof 0\n");
	CHECK_STR(out.buf, "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n{\"__committed\":1}\n");
	free(out.buf);

	/* __restore later than the first line ends the run */
	paths[0] = file_of("a", "{\"t\":1}\n"
	    "{\"__restore\":0,\"__lsn\":\"0/1\"}\n{\"t\":2}\n");
	rc = run(paths, 1, 1, &out);
	CHECK_INT(rc, -1);
	CHECK_STR(seen.data, "row 0 {\"t\":1}\n");
	free(out.buf);
}

static void
test_two(void)
{
	const char *paths[2];
	struct jout out;
	int rc;

	/*
	 * The left input delivers barrier 1 first (its clock is behind):
	 * it is not read further until the right one has delivered it too,
	 * and barrier 1 goes out once, after the right's rows before it.
	 * Then the clocks choose again: left (1) is behind right (3).
	 */
	paths[0] = file_of("l", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"t\":1}\n{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n{\"t\":5}\n"
	    "{\"__committed\":1}\n");
	paths[1] = file_of("r", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"t\":2}\n{\"t\":3}\n{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n"
	    "{\"t\":4}\n{\"__committed\":1}\n");
	rc = run(paths, 2, 2, &out);
	CHECK_INT(rc, 0);
	CHECK_STR(seen.data, "row 0 {\"t\":1}\nrow 1 {\"t\":2}\n"
	    "row 1 {\"t\":3}\ncheckpoint 1\nrow 0 {\"t\":5}\nrow 1 {\"t\":4}\n"
	    "eof 1\neof 0\n");
	CHECK_STR(out.buf, "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n{\"__committed\":1}\n");
	free(out.buf);

	/* an input at its end has delivered every barrier; one without
	 * __restore takes no part */
	paths[0] = file_of("l", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n"
	    "{\"__checkpoint\":2,\"__lsn\":\"0/3\"}\n");
	paths[1] = file_of("r", "{\"t\":0}\n{\"__checkpoint\":1,\"__lsn\":"
	    "\"0/2\"}\n");
	rc = run(paths, 2, 2, &out);
	CHECK_INT(rc, 0);
	CHECK_STR(out.buf, "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n"
	    "{\"__checkpoint\":2,\"__lsn\":\"0/3\"}\n");
	free(out.buf);

	/* both restore the same checkpoint, barriers agree */
	paths[0] = file_of("l", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n");
	paths[1] = file_of("r", "{\"__restore\":1,\"__lsn\":\"0/1\"}\n");
	CHECK_INT(run(paths, 2, 2, &out), -1);
	free(out.buf);
	paths[0] = file_of("l", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":2,\"__lsn\":\"0/2\"}\n{\"t\":1}\n");
	paths[1] = file_of("r", "{\"__restore\":0,\"__lsn\":\"0/1\"}\n"
	    "{\"__checkpoint\":1,\"__lsn\":\"0/2\"}\n");
	CHECK_INT(run(paths, 2, 2, &out), -1);
	CHECK_STR(out.buf, "{\"__restore\":0,\"__lsn\":\"0/1\"}\n");
	free(out.buf);
}

int
main(void)
{
	char path[64];
	const char *names[] = { "a", "b", "l", "r" };
	size_t i;

	UNIT_NAME("test_stage");
	diag_init("test_stage");
	diag_verbosity = -1;
	test_names();
	test_read();
	test_bad();
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_one();
	test_two();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	buf_free(&seen);
	return unit_report();
}
