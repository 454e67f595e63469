/*
 * test_jout.c: unit tests for buffered, checked output.
 *
 * Output goes through a struct jout on a temporary file and is read back
 * byte for byte: string escaping against a reference escaper written here
 * (every byte value at every offset around the 16-byte SIMD blocks, and
 * strings larger than the buffer), integers, times, raw writes larger than
 * the buffer. Write errors and broken pipes end the program, so they run in
 * forked children whose exit status and stderr are checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "tstamp.h"
#include "unit.h"

static void	setup(void);
static void	teardown(void);
static void	out_begin(void);
static void	out_end(void);
static void	read_back(struct buf *);
static long	mismatch(const struct buf *, const struct buf *);
static void	ref_str(struct buf *, const unsigned char *, size_t);
static int	run_child(void (*)(void), struct buf *);
static void	test_str_basic(void);
static void	test_quote_buf(void);
static void	test_str_controls(void);
static void	test_str_offsets(void);
static void	test_str_random(void);
static void	test_str_long(void);
static void	test_numbers(void);
static void	test_time(void);
static void	test_raw(void);
static void	test_flush_close(void);
static void	stdout_to_dead_pipe(void);
static void	count_cb(struct jout *);
static void	child_readonly(void);
static void	child_closed(void);
static void	child_full(void);
static void	child_implicit(void);
static void	child_epipe(void);
static void	child_epipe_flush(void);
static void	child_epipe_cb(void);
static void	child_epipe_cb_other(void);
static void	test_errors(void);
static void	test_broken_pipe(void);

static char tmpdir[256];
static char outpath[300];
static int out_fd = -1;
static struct jout o;		/* the jout under test, on a dup of out_fd */
static struct jout child_o;	/* static so exit-time leak checks see it */
static struct buf got, want;
static int cb_calls;
static struct jout *cb_arg;

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_jout.XXXXXX", t);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(outpath, sizeof(outpath), "%s/out", tmpdir);
	out_fd = open(outpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (out_fd < 0) {
		perror("open");
		exit(1);
	}
}

static void
teardown(void)
{
	close(out_fd);
	unlink(outpath);
	rmdir(tmpdir);
	buf_free(&got);
	buf_free(&want);
}

/* Empty the output file and point a fresh jout at it; want is reset. */
static void
out_begin(void)
{
	int fd;

	if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0) {
		perror("truncate");
		exit(1);
	}
	fd = dup(out_fd);
	jout_init(&o, fd, "test output");
	buf_reset(&want);
	buf_puts(&want, "");
}

/* Close the jout (flush, free, close its fd) and read the file into got. */
static void
out_end(void)
{
	jout_close(&o);
	read_back(&got);
}

static void
read_back(struct buf *b)
{
	struct stat st;
	size_t off = 0;
	ssize_t n;

	buf_reset(b);
	if (fstat(out_fd, &st) != 0) {
		perror("fstat");
		exit(1);
	}
	buf_grow(b, (size_t)st.st_size);
	while (off < (size_t)st.st_size) {
		n = pread(out_fd, b->data + off, (size_t)st.st_size - off,
		    (off_t)off);
		if (n <= 0) {
			perror("pread");
			exit(1);
		}
		off += (size_t)n;
	}
	b->len = off;
	b->data[off] = '\0';
}

/* Offset of the first difference between a and b, or -1 when equal. */
static long
mismatch(const struct buf *a, const struct buf *b)
{
	size_t i, n = a->len < b->len ? a->len : b->len;

	for (i = 0; i < n; i++)
		if (a->data[i] != b->data[i])
			break;
	if (i == n && a->len == b->len)
		return -1;
	fprintf(stderr, "  differ at offset %zu (lengths %zu and %zu)\n", i,
	    a->len, b->len);
	return (long)i;
}

/* The expected JSON string for s[0..n), written from RFC 8259 section 7. */
static void
ref_str(struct buf *b, const unsigned char *s, size_t n)
{
	size_t i;

	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case 0x08:
			buf_puts(b, "\\b");
			break;
		case 0x0C:
			buf_puts(b, "\\f");
			break;
		case 0x0A:
			buf_puts(b, "\\n");
			break;
		case 0x0D:
			buf_puts(b, "\\r");
			break;
		case 0x09:
			buf_puts(b, "\\t");
			break;
		default:
			if (s[i] < 0x20)
				buf_printf(b, "\\u%04x", s[i]);
			else
				buf_putc(b, (char)s[i]);
		}
	}
	buf_putc(b, '"');
}

/*
 * Run fn in a child with stderr captured into err; fn must not return
 * (it exits through jout/diag, or _exit). Returns the wait status.
 */
static int
run_child(void (*fn)(void), struct buf *err)
{
	int p[2], status;
	pid_t pid;
	char tmp[512];
	ssize_t n;

	buf_reset(err);
	buf_puts(err, "");
	fflush(stdout);
	fflush(stderr);
	if (pipe(p) != 0) {
		perror("pipe");
		exit(1);
	}
	if ((pid = fork()) < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		fn();
		_exit(99);
	}
	close(p[1]);
	while ((n = read(p[0], tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		buf_append(err, tmp, (size_t)n);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			exit(1);
		}
	return status;
}

static void
test_str_basic(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*out;
	} cases[] = {
		{ "", 0, "\"\"" },
		{ "abc", 3, "\"abc\"" },
		{ "\"", 1, "\"\\\"\"" },
		{ "\\", 1, "\"\\\\\"" },
		{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
		{ "/", 1, "\"/\"" },
		{ "\x7f", 1, "\"\x7f\"" },
		{ "\x1f\x20", 2, "\"\\u001f \"" },
		{ "\0", 1, "\"\\u0000\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\x1b[0m", 4, "\"\\u001b[0m\"" },
		{ "line1\nline2\r\n", 13, "\"line1\\nline2\\r\\n\"" },
		{ "\t\b\f", 3, "\"\\t\\b\\f\"" },
		/* UTF-8 passes through: é, €, U+1F600, U+FFFF */
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf", 12,
		  "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\"" },
		/* so do bytes 0x80-0xFF that are not valid UTF-8 */
		{ "\x80\xff\xfe", 3, "\"\x80\xff\xfe\"" },
		/* U+2028/U+2029 are not escaped (JSON allows them) */
		{ "\xe2\x80\xa8\xe2\x80\xa9", 6,
		  "\"\xe2\x80\xa8\xe2\x80\xa9\"" },
		/* 16 and 17 bytes: one SIMD block exactly, and one more */
		{ "0123456789abcdef", 16, "\"0123456789abcdef\"" },
		{ "0123456789abcde\"", 16, "\"0123456789abcde\\\"\"" },
		{ "0123456789abcdef\n", 17, "\"0123456789abcdef\\n\"" },
		{ "\"123456789abcdef\\", 17,
		  "\"\\\"123456789abcdef\\\\\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out_begin();
		jout_str(&o, cases[i].in, cases[i].len);
		out_end();
		CHECK_MEM(got.data, got.len, cases[i].out);
	}
}

/* Each control character alone: short escapes for five, \u00xx with
 * lowercase hex for the rest. */
static void
test_str_controls(void)
{
	static const char *const esc[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004",
		"\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n",
		"\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010",
		"\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015",
		"\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a",
		"\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"
	};
	char expect[16], c;
	int i;

	for (i = 0; i < 32; i++) {
		c = (char)i;
		out_begin();
		jout_str(&o, &c, 1);
		out_end();
		snprintf(expect, sizeof(expect), "\"%s\"", esc[i]);
		CHECK_MEM(got.data, got.len, expect);
	}

	/* All 256 byte values in one string. */
	{
		unsigned char all[256];

		for (i = 0; i < 256; i++)
			all[i] = (unsigned char)i;
		out_begin();
		jout_str(&o, (const char *)all, sizeof(all));
		out_end();
		ref_str(&want, all, sizeof(all));
		CHECK_INT(mismatch(&got, &want), -1);
		/* 32 controls: 5 short (2 bytes), 27 long (6); '"' and '\'
		 * (2 each); 222 others (1); the quotes */
		CHECK_INT(got.len, 5 * 2 + 27 * 6 + 2 * 2 + 222 + 2);
	}
}

/*
 * Every byte value at every offset 0..40, in strings that end right after
 * it, run 7 bytes further, and span several SIMD blocks; the source shifted
 * over 16 alignments for some. All in one output, compared at once.
 */
static void
test_str_offsets(void)
{
	static const size_t tails[] = { 0, 1, 7, 15, 16, 17, 40 };
	unsigned char space[128], *s;
	size_t pos, len, t, k, count = 0;
	int c;

	out_begin();
	for (c = 0; c < 256; c++) {
		for (pos = 0; pos <= 40; pos++) {
			for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
				s = space + (pos + (size_t)c + t) % 16;
				len = pos + 1 + tails[t];
				for (k = 0; k < len; k++)
					s[k] = (unsigned char)('a' + k % 26);
				s[pos] = (unsigned char)c;
				jout_str(&o, (const char *)s, len);
				jout_char(&o, '\n');
				ref_str(&want, s, len);
				buf_putc(&want, '\n');
				count++;
			}
		}
	}
	/* two special bytes at every pair of offsets in 34 bytes */
	for (pos = 0; pos < 34; pos++) {
		for (k = 0; k < 34; k++) {
			s = space + 3;
			memset(s, 'z', 34);
			s[pos] = '"';
			s[k] = k % 3 == 0 ? '\\' : (unsigned char)(k % 32);
			jout_str(&o, (const char *)s, 34);
			jout_char(&o, '\n');
			ref_str(&want, s, 34);
			buf_putc(&want, '\n');
			count++;
		}
	}
	out_end();
	CHECK_INT(count, 256 * 41 * 7 + 34 * 34);
	CHECK_INT(mismatch(&got, &want), -1);
}

/* Random strings biased towards the interesting bytes. */
static void
test_str_random(void)
{
	static const unsigned char special[] = {
		0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x20, '"',
		'\\', '/', 0x7F, 0x80, 0xC3, 0xFF
	};
	unsigned char s[400];
	size_t i, k, len;
	uint64_t x;

	out_begin();
	for (i = 0; i < 3000; i++) {
		len = (size_t)(unit_rand() % sizeof(s));
		for (k = 0; k < len; k++) {
			x = unit_rand();
			if (x % 8 == 0)
				s[k] = special[(x >> 8) % sizeof(special)];
			else if (x % 8 == 1)
				s[k] = (unsigned char)(x >> 16);
			else
				s[k] = (unsigned char)(' ' + (x >> 16) % 95);
		}
		jout_str(&o, (const char *)s, len);
		ref_str(&want, s, len);
	}
	out_end();
	CHECK_INT(mismatch(&got, &want), -1);
}

/* Strings larger than the output buffer, from a partly full buffer. */
static void
test_str_long(void)
{
	size_t n = JOUT_BUFSIZE * 2 + 1234, k;
	unsigned char *s = malloc(n);

	/* plain text: one long run with no escapes */
	for (k = 0; k < n; k++)
		s[k] = (unsigned char)('A' + k % 26);
	out_begin();
	jout_raw(&o, "prefix", 6);
	buf_puts(&want, "prefix");
	jout_str(&o, (const char *)s, n);
	ref_str(&want, s, n);
	out_end();
	CHECK_INT(got.len, n + 8);
	CHECK_INT(mismatch(&got, &want), -1);

	/* mixed: a special byte every 37 bytes */
	for (k = 0; k < n; k++)
		s[k] = k % 37 == 0 ? (unsigned char)(k % 64 < 32 ? k % 32 :
		    '"') : (unsigned char)('a' + k % 26);
	out_begin();
	jout_raw(&o, "x", 1);
	buf_puts(&want, "x");
	jout_str(&o, (const char *)s, n);
	ref_str(&want, s, n);
	out_end();
	CHECK_INT(mismatch(&got, &want), -1);

	/* all controls: the output is six times the input */
	for (k = 0; k < n; k++)
		s[k] = 0x01;
	out_begin();
	jout_str(&o, (const char *)s, n);
	ref_str(&want, s, n);
	out_end();
	CHECK_INT(got.len, n * 6 + 2);
	CHECK_INT(mismatch(&got, &want), -1);
	free(s);
}

static void
test_numbers(void)
{
	static const struct {
		int64_t		 v;
		const char	*out;
	} i64[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ -1, "-1" },
		{ 9, "9" },
		{ 10, "10" },
		{ -10, "-10" },
		{ 1234567890, "1234567890" },
		{ INT64_C(-9876543210), "-9876543210" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
		{ INT64_MIN + 1, "-9223372036854775807" },
	};
	static const struct {
		uint64_t	 v;
		const char	*out;
	} u64[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ 100, "100" },
		{ UINT64_C(10000000000000000000), "10000000000000000000" },
		{ UINT64_MAX, "18446744073709551615" },
		{ (uint64_t)INT64_MAX + 1, "9223372036854775808" },
	};
	size_t i;

	for (i = 0; i < sizeof(i64) / sizeof(i64[0]); i++) {
		out_begin();
		jout_i64(&o, i64[i].v);
		out_end();
		CHECK_MEM(got.data, got.len, i64[i].out);
	}
	for (i = 0; i < sizeof(u64) / sizeof(u64[0]); i++) {
		out_begin();
		jout_u64(&o, u64[i].v);
		out_end();
		CHECK_MEM(got.data, got.len, u64[i].out);
	}

	/* In sequence with other output, around a buffer boundary. */
	out_begin();
	for (i = 0; i < JOUT_BUFSIZE - 3; i++)
		jout_char(&o, ' ');
	jout_i64(&o, INT64_MIN);
	jout_char(&o, ',');
	jout_u64(&o, UINT64_MAX);
	out_end();
	CHECK_INT(got.len, JOUT_BUFSIZE - 3 + 20 + 1 + 20);
	CHECK_MEM(got.data + JOUT_BUFSIZE - 3, got.len - (JOUT_BUFSIZE - 3),
	    "-9223372036854775808,18446744073709551615");
}

static void
test_time(void)
{
	static const struct {
		int64_t		 us;
		const char	*out;
	} cases[] = {
		{ 0, "\"1970-01-01T00:00:00.000Z\"" },
		{ 1, "\"1970-01-01T00:00:00.000001Z\"" },
		{ 999, "\"1970-01-01T00:00:00.000999Z\"" },
		{ 1000, "\"1970-01-01T00:00:00.001Z\"" },
		{ -1, "\"1969-12-31T23:59:59.999999Z\"" },
		{ -1000, "\"1969-12-31T23:59:59.999Z\"" },
		{ -1000000, "\"1969-12-31T23:59:59.000Z\"" },
		{ INT64_C(1763805601250000), "\"2025-11-22T10:00:01.250Z\"" },
		{ INT64_C(1763805601250001),
		  "\"2025-11-22T10:00:01.250001Z\"" },
		{ INT64_C(951825600000000), "\"2000-02-29T12:00:00.000Z\"" },
		{ INT64_C(-62135596800000000),
		  "\"0001-01-01T00:00:00.000Z\"" },
		{ INT64_C(253402300799999999),
		  "\"9999-12-31T23:59:59.999999Z\"" },
	};
	char ts[TS_STRLEN + 2];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out_begin();
		jout_time(&o, cases[i].us);
		out_end();
		CHECK_MEM(got.data, got.len, cases[i].out);
		/* and the same as ts_format, quoted */
		ts[0] = '"';
		n = ts_format(cases[i].us, ts + 1);
		ts[n + 1] = '"';
		ts[n + 2] = '\0';
		CHECK_MEM(got.data, got.len, ts);
	}
}

static void
test_raw(void)
{
	size_t n = JOUT_BUFSIZE * 3 + 17, i;
	char *p = malloc(n);

	for (i = 0; i < n; i++)
		p[i] = (char)(i * 7 + i / 251);

	/* larger than the buffer, into a partly full one */
	out_begin();
	jout_raw(&o, "head", 4);
	buf_puts(&want, "head");
	jout_raw(&o, p, n);
	buf_append(&want, p, n);
	jout_raw(&o, "", 0);
	jout_raw(&o, NULL, 0);	/* an empty buffer's data: no memcpy */
	buf_append(&want, NULL, 0);
	jout_lit(&o, "tail");
	buf_puts(&want, "tail");
	out_end();
	CHECK_INT(got.len, n + 8);
	CHECK_INT(mismatch(&got, &want), -1);

	/* exactly one buffer, then characters across three more */
	out_begin();
	jout_raw(&o, p, JOUT_BUFSIZE);
	buf_append(&want, p, JOUT_BUFSIZE);
	for (i = 0; i < JOUT_BUFSIZE * 2 + 5; i++) {
		jout_char(&o, p[i % 1000]);
		buf_putc(&want, p[i % 1000]);
	}
	out_end();
	CHECK_INT(got.len, JOUT_BUFSIZE * 3 + 5);
	CHECK_INT(mismatch(&got, &want), -1);

	/* many small pieces of all sizes */
	out_begin();
	for (i = 0; i < 3000; i++) {
		jout_raw(&o, p + i, i % 700);
		buf_append(&want, p + i, i % 700);
	}
	out_end();
	CHECK_INT(mismatch(&got, &want), -1);
	free(p);
}

static void
test_flush_close(void)
{
	int fd;

	/* Nothing buffered: nothing written. */
	out_begin();
	jout_flush(&o);
	read_back(&got);
	CHECK_INT(got.len, 0);

	/* Buffered output is not written before a flush, and is after. */
	jout_lit(&o, "{\"a\":1}\n");
	read_back(&got);
	CHECK_INT(got.len, 0);
	jout_flush(&o);
	CHECK_INT(o.len, 0);
	read_back(&got);
	CHECK_MEM(got.data, got.len, "{\"a\":1}\n");
	jout_lit(&o, "{\"b\":2}\n");
	jout_flush(&o);
	jout_flush(&o);
	read_back(&got);
	CHECK_MEM(got.data, got.len, "{\"a\":1}\n{\"b\":2}\n");

	/* jout_close flushes, frees and closes a descriptor above 2. */
	fd = o.fd;
	CHECK(fd > STDERR_FILENO);
	jout_lit(&o, "end\n");
	jout_close(&o);
	CHECK(o.buf == NULL);
	CHECK_INT(fcntl(fd, F_GETFD), -1);
	CHECK_INT(errno, EBADF);
	read_back(&got);
	CHECK_MEM(got.data, got.len, "{\"a\":1}\n{\"b\":2}\nend\n");
}

/* Children for the write-error tests: each must exit inside jout. */
static void
child_readonly(void)
{
	int fd = open(outpath, O_RDONLY);

	diag_init("test_jout");
	jout_init(&child_o, fd, "test sink");
	jout_lit(&child_o, "{}\n");
	jout_flush(&child_o);
	_exit(98);
}

static void
child_closed(void)
{
	int fd = open("/dev/null", O_WRONLY);

	close(fd);
	diag_init("test_jout");
	jout_init(&child_o, fd, "test sink");
	jout_lit(&child_o, "{}\n");
	jout_flush(&child_o);
	_exit(98);
}

static void
child_full(void)
{
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0)
		_exit(97);
	diag_init("test_jout");
	jout_init(&child_o, fd, "/dev/full");
	jout_lit(&child_o, "{}\n");
	jout_flush(&child_o);
	_exit(98);
}

/* The flush that fails is the one a full buffer makes, not an explicit
 * one. */
static void
child_implicit(void)
{
	int fd = open(outpath, O_RDONLY);
	size_t i;

	diag_init("test_jout");
	jout_init(&child_o, fd, "test sink");
	for (i = 0; i < JOUT_BUFSIZE + 1; i++)
		jout_char(&child_o, 'x');
	_exit(98);
}

static void
test_errors(void)
{
	struct buf err = BUF_INIT;
	char expect[256];
	int st;

	st = run_child(child_readonly, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 1);
	CHECK(strstr(err.data, "could not write to") != NULL);
	snprintf(expect, sizeof(expect),
	    "test_jout: could not write to test sink: %s\n", strerror(EBADF));
	CHECK_STR(err.data, expect);

	st = run_child(child_closed, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 1);
	CHECK_STR(err.data, expect);

	st = run_child(child_implicit, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 1);
	CHECK_STR(err.data, expect);

	if (access("/dev/full", W_OK) == 0) {
		st = run_child(child_full, &err);
		CHECK(WIFEXITED(st));
		CHECK_INT(WEXITSTATUS(st), 1);
		snprintf(expect, sizeof(expect),
		    "test_jout: could not write to /dev/full: %s\n",
		    strerror(ENOSPC));
		CHECK_STR(err.data, expect);
	}
	buf_free(&err);
}

/* Standard output on a pipe whose reader is gone. */
static void
stdout_to_dead_pipe(void)
{
	int p[2];

	if (pipe(p) != 0)
		_exit(96);
	close(p[0]);
	dup2(p[1], STDOUT_FILENO);
	close(p[1]);
	diag_init("test_jout");
	jout_init_stdout();
}

/* More than a buffer: the implicit flush meets EPIPE and exits 0. */
static void
child_epipe(void)
{
	size_t i;

	stdout_to_dead_pipe();
	for (i = 0; i < 2 * JOUT_BUFSIZE / 8; i++)
		jout_raw(&jout_stdout, "{\"a\":1}\n", 8);
	fprintf(stderr, "not reached\n");
	_exit(98);
}

/* An explicit flush of one line, then the exit path's flush. */
static void
child_epipe_flush(void)
{
	stdout_to_dead_pipe();
	jout_lit(&jout_stdout, "{\"a\":1}\n");
	jout_flush(&jout_stdout);
	fprintf(stderr, "not reached\n");
	_exit(98);
}

static void
count_cb(struct jout *p)
{
	cb_calls++;
	cb_arg = p;
}

/* With on_broken_pipe set: called once, writing goes on and is dropped. */
static void
child_epipe_cb(void)
{
	size_t i;

	stdout_to_dead_pipe();
	jout_stdout.on_broken_pipe = count_cb;
	for (i = 0; i < 2 * JOUT_BUFSIZE / 8; i++)
		jout_raw(&jout_stdout, "{\"a\":1}\n", 8);
	jout_flush(&jout_stdout);
	jout_lit(&jout_stdout, "more\n");
	jout_flush(&jout_stdout);
	fprintf(stderr, "calls=%d broken=%d same=%d len=%zu\n", cb_calls,
	    jout_stdout.broken, cb_arg == &jout_stdout, jout_stdout.len);
	_exit(0);
}

/* The same on a jout of its own (not standard output). */
static void
child_epipe_cb_other(void)
{
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	if (pipe(p) != 0)
		_exit(96);
	close(p[0]);
	jout_init(&child_o, p[1], "the pipe");
	child_o.on_broken_pipe = count_cb;
	jout_lit(&child_o, "x\n");
	jout_flush(&child_o);
	jout_lit(&child_o, "y\n");
	jout_close(&child_o);
	fprintf(stderr, "calls=%d broken=%d same=%d\n", cb_calls,
	    child_o.broken, cb_arg == &child_o);
	_exit(0);
}

static void
test_broken_pipe(void)
{
	struct buf err = BUF_INIT;
	int st;

	st = run_child(child_epipe, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
	CHECK_STR(err.data, "");

	st = run_child(child_epipe_flush, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
	CHECK_STR(err.data, "");

	st = run_child(child_epipe_cb, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
	CHECK_STR(err.data, "calls=1 broken=1 same=1 len=0\n");

	st = run_child(child_epipe_cb_other, &err);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
	CHECK_STR(err.data, "calls=1 broken=1 same=1\n");
	buf_free(&err);
}

int
main(void)
{
	UNIT_NAME("test_jout");
	unit_rng_state = UINT64_C(0x6a09e667f3bcc908);
	setup();
	test_str_basic();
	test_str_controls();
	test_str_offsets();
	test_str_random();
	test_str_long();
	test_numbers();
	test_time();
	test_raw();
	test_flush_close();
	test_errors();
	test_broken_pipe();
	teardown();
	test_quote_buf();
	return unit_report();
}

/* jout_quote_buf writes into memory exactly what jout_str streams: every
 * byte value, and random strings, against the reference escaper. */
static void
test_quote_buf(void)
{
	unsigned char all[256];
	struct buf q = BUF_INIT, ref = BUF_INIT;
	int i, k;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	jout_quote_buf(&q, (const char *)all, 128);
	ref_str(&ref, all, 128);
	CHECK(mismatch(&q, &ref) == -1);
	for (k = 0; k < 500; k++) {
		unsigned char s[40];
		size_t n = (size_t)(unit_rand() % sizeof(s));

		for (i = 0; i < (int)n; i++)
			s[i] = (unsigned char)(unit_rand() % 128);
		buf_reset(&q);
		buf_reset(&ref);
		jout_quote_buf(&q, (const char *)s, n);
		ref_str(&ref, s, n);
		CHECK(mismatch(&q, &ref) == -1);
	}
	buf_reset(&q);
	jout_quote_buf(&q, "a\"b", 3);
	CHECK_STR(q.data, "\"a\\\"b\"");
	/* well-formed UTF-8 as it is; each byte that starts no character
	 * (LATIN1's é, a cut sequence, a surrogate, an overlong) U+FFFD */
	buf_reset(&q);
	jout_quote_buf(&q, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
	CHECK_STR(q.data, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	buf_reset(&q);
	jout_quote_buf(&q, "caf\xe9|\xe2\x82|\xed\xa0\x80|\xc0\xaf", 14);
	CHECK_STR(q.data, "\"caf\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\"");
	buf_free(&q);
	buf_free(&ref);
}
