/*
 * test_lread.c: unit tests for the NDJSON line reader.
 *
 * The same inputs are read from a regular file and from pipes whose writer
 * (a forked child) delivers them all at once, byte by byte, or in odd-sized
 * pieces; every mode must give the same lines, line numbers and
 * LREAD_TOOLONG reports. Also: lines much larger than the 256 KiB read
 * chunk, 100k generated lines, open errors, "-" as standard input, and the
 * idle hook, which a writer child waits for before it writes (so the test
 * does not depend on timing).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lread.h"
#include "unit.h"

#define KIB		((size_t)1024)
#define MIB		(KIB * 1024)
#define NOTEXT		((size_t)-1)	/* want.len: use strlen(text) */

enum mode { M_FILE, M_PIPE_ALL, M_PIPE_BYTES, M_PIPE_ODD, M_COUNT };

static const char *const mode_name[M_COUNT] = {
	"file", "pipe, one write", "pipe, byte by byte", "pipe, odd pieces"
};

/* What one lread_next call gave. */
struct item {
	int		 rc;
	uint64_t	 lineno;
	char		*text;
	size_t		 len;
};

struct items {
	struct item	*v;
	size_t		 n;
	size_t		 cap;
};

/* What one lread_next call must give. */
struct want {
	int		 rc;
	uint64_t	 lineno;
	const char	*text;
	size_t		 len;
};

struct idle_log {
	int		 calls;
	int		 timed_out_calls;
	int		 first;		/* timed_out of the first call */
	int		 go_fd;		/* tell the writer to go, or -1 */
	int		 go_on;		/* on the call with this timed_out */
	void		*self;
};

static void	setup(void);
static void	teardown(void);
static void	make_file(const char *, size_t, char *, size_t);
static void	write_all(int, const char *, size_t);
static void	write_pieces(int, const char *, size_t, enum mode);
static void	items_free(struct items *);
static void	read_all(struct lread *, struct items *);
static int	feed(const char *, size_t, enum mode, size_t,
		    struct items *);
static int	check_items(const struct items *, const struct want *,
		    size_t, const char *);
static int	run_case(const char *, size_t, size_t, const struct want *,
		    size_t, const char *);
static size_t	gen_line(size_t, char *, const char **);
static void	fill_line(char *, size_t, unsigned);
static pid_t	start_waiting_writer(int, int, const char *);
static void	gen_write(int, enum mode);
static void	idle_hook(void *, int);
static void	test_small(void);
static void	test_big_lines(void);
static void	test_many_lines(void);
static void	test_open(void);
static void	test_stdin(void);
static void	test_idle_none(void);
static void	test_idle_first(void);
static void	test_idle_timeout(void);
static void	test_poll_mode(void);
static void	test_stop(void);
static void	test_shrink(void);

static char tmpdir[256];
static int nfiles;

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_lread.XXXXXX", t);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	/* A writer child may find its reader gone after a failed check. */
	signal(SIGPIPE, SIG_IGN);
}

static void
teardown(void)
{
	char path[300];
	int i;

	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/in%d", tmpdir, i);
		unlink(path);
	}
	if (rmdir(tmpdir) != 0)
		perror("rmdir");
}

/* A new file in tmpdir holding data[0..len); its path goes to path. */
static void
make_file(const char *data, size_t len, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/in%d", tmpdir, nfiles++);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	write_all(fd, data, len);
	close(fd);
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;		/* reader gone */
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Write p[0..n) to fd the way mode says. */
static void
write_pieces(int fd, const char *p, size_t n, enum mode mode)
{
	static const size_t odd[] = {
		1, 3, 7, 4097, 13, 65553, 2, 100003, 5, 262145, 11, 31
	};
	size_t k = 0, step;

	while (n > 0) {
		if (mode == M_PIPE_BYTES)
			step = 1;
		else if (mode == M_PIPE_ODD)
			step = odd[k++ % (sizeof(odd) / sizeof(odd[0]))];
		else
			step = n;
		if (step > n)
			step = n;
		write_all(fd, p, step);
		p += step;
		n -= step;
	}
}

static void
items_free(struct items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		free(it->v[i].text);
	free(it->v);
	it->v = NULL;
	it->n = it->cap = 0;
}

/* Call lread_next until EOF or an error, keeping a copy of everything. */
static void
read_all(struct lread *r, struct items *out)
{
	const char *line = "";
	size_t len = 0;
	struct item *e;
	int rc;

	for (;;) {
		line = NULL;
		len = 0;
		rc = lread_next(r, &line, &len);
		if (out->n == out->cap) {
			out->cap = out->cap != 0 ? out->cap * 2 : 16;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
		}
		e = &out->v[out->n++];
		e->rc = rc;
		e->lineno = r->lineno;
		e->text = NULL;
		e->len = 0;
		if (rc == LREAD_LINE) {
			e->text = malloc(len + 1);
			memcpy(e->text, line, len);
			e->text[len] = '\0';
			e->len = len;
		}
		if (rc == LREAD_EOF || rc == LREAD_ERROR)
			break;
	}
}

/*
 * Read data[0..len) with the given max_line through mode into out.
 * Returns 0, or 1 when the writer child did not end well.
 */
static int
feed(const char *data, size_t len, enum mode mode, size_t max_line,
    struct items *out)
{
	struct lread r;
	char path[300];
	int p[2], status;
	pid_t pid;

	if (mode == M_FILE) {
		make_file(data, len, path, sizeof(path));
		if (lread_open(&r, path, max_line) != 0) {
			perror(path);
			return 1;
		}
		read_all(&r, out);
		lread_close(&r);
		unlink(path);
		return 0;
	}
	fflush(stdout);
	fflush(stderr);
	if (pipe(p) != 0 || (pid = fork()) < 0) {
		perror("pipe/fork");
		exit(1);
	}
	if (pid == 0) {
		close(p[0]);
		write_pieces(p[1], data, len, mode);
		_exit(0);
	}
	close(p[1]);
	lread_fdopen(&r, p[0], "pipe", max_line);
	read_all(&r, out);
	lread_close(&r);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* Mismatches between got and want[0..n), each reported with label. */
static int
check_items(const struct items *got, const struct want *want, size_t n,
    const char *label)
{
	const struct item *g;
	const struct want *w;
	size_t i, wlen;
	int bad = 0;

	if (got->n != n) {
		fprintf(stderr, "%s: %zu results, want %zu\n", label, got->n,
		    n);
		bad++;
	}
	for (i = 0; i < n && i < got->n; i++) {
		g = &got->v[i];
		w = &want[i];
		wlen = w->text == NULL ? 0 : w->len == NOTEXT ?
		    strlen(w->text) : w->len;
		if (g->rc != w->rc || g->lineno != w->lineno ||
		    (w->rc == LREAD_LINE && (g->len != wlen ||
		    memcmp(g->text, w->text, wlen) != 0))) {
			fprintf(stderr, "%s: result %zu: rc %d line %llu "
			    "len %zu \"%.40s\", want rc %d line %llu len %zu "
			    "\"%.40s\"\n", label, i, g->rc,
			    (unsigned long long)g->lineno, g->len,
			    g->text != NULL ? g->text : "", w->rc,
			    (unsigned long long)w->lineno, wlen,
			    w->text != NULL ? w->text : "");
			bad++;
		}
	}
	return bad;
}

/* Read data in every mode; the number of modes that gave a wrong result. */
static int
run_case(const char *data, size_t len, size_t max_line,
    const struct want *want, size_t n, const char *name)
{
	struct items got = { NULL, 0, 0 };
	char label[200];
	int m, bad = 0;

	for (m = 0; m < M_COUNT; m++) {
		/* byte by byte is for small inputs only */
		if (m == M_PIPE_BYTES && len > 64 * KIB)
			continue;
		snprintf(label, sizeof(label), "%s (%s)", name, mode_name[m]);
		if (feed(data, len, (enum mode)m, max_line, &got) != 0 ||
		    check_items(&got, want, n, label) != 0)
			bad++;
		items_free(&got);
	}
	return bad;
}

#define L(n, s)		{ LREAD_LINE, (n), (s), NOTEXT }
#define LN(n, s, k)	{ LREAD_LINE, (n), (s), (k) }
#define TL(n)		{ LREAD_TOOLONG, (n), NULL, 0 }
#define END(n)		{ LREAD_EOF, (n), NULL, 0 }
#define NW(w)		(sizeof(w) / sizeof((w)[0]))
#define CASE(data, max, w) \
	CHECK_INT(run_case((data), sizeof(data) - 1, (max), (w), NW(w), \
	    #w), 0)

static void
test_small(void)
{
	static const char d_basic[] = "a\nbb\nccc\n";
	static const struct want w_basic[] = {
		L(1, "a"), L(2, "bb"), L(3, "ccc"), END(3)
	};
	static const char d_nonl[] = "a\nbb\nccc";
	static const struct want w_nonl[] = {
		L(1, "a"), L(2, "bb"), L(3, "ccc"), END(3)
	};
	static const char d_empty[] = "";
	static const struct want w_empty[] = { END(0) };
	static const char d_one_nl[] = "\n";
	static const struct want w_one_nl[] = { END(1) };
	static const char d_one[] = "{}";
	static const struct want w_one[] = { L(1, "{}"), END(1) };
	/* blank lines: empty, spaces, tabs, "\r", any mix; counted */
	static const char d_blank[] = "\n\n  \n\t\n \t\r\n\r\nx\n\n \r\t";
	static const struct want w_blank[] = { L(7, "x"), END(9) };
	static const char d_blank_first[] = " \n{\"a\":1}\n\t\n{\"b\":2}";
	static const struct want w_blank_first[] = {
		L(2, "{\"a\":1}"), L(4, "{\"b\":2}"), END(4)
	};
	/* only the "\r" right before "\n" goes */
	static const char d_crlf[] = "a\r\nb\rc\r\nd\r\r\n\r\n\ra\n x \r\n";
	static const struct want w_crlf[] = {
		L(1, "a"), L(2, "b\rc"), L(3, "d\r"), L(5, "\ra"), L(6, " x "),
		END(6)
	};
	/* leading and trailing spaces are kept; only blank lines go */
	static const char d_spaces[] = "  {} \n\t1\t\n";
	static const struct want w_spaces[] = {
		L(1, "  {} "), L(2, "\t1\t"), END(2)
	};
	/* form feed and vertical tab are not blank */
	static const char d_ff[] = "\f\n\v\n";
	static const struct want w_ff[] = { L(1, "\f"), L(2, "\v"), END(2) };
	/* NUL bytes are line content */
	static const char d_nul[] = "a\0b\n\0\n";
	static const struct want w_nul[] = {
		LN(1, "a\0b", 3), LN(2, "\0", 1), END(2)
	};
	/* max_line 5: 5 bytes pass, 6 do not, reading goes on */
	static const char d_max[] = "12345\n123456\nabc\n";
	static const struct want w_max[] = {
		L(1, "12345"), TL(2), L(3, "abc"), END(3)
	};
	static const char d_max_eof[] = "ab\n123456";
	static const struct want w_max_eof[] = { L(1, "ab"), TL(2), END(2) };
	static const char d_max_eof_ok[] = "ab\n12345";
	static const struct want w_max_eof_ok[] = {
		L(1, "ab"), L(2, "12345"), END(2)
	};
	static const char d_max_first[] = "1234567890\nok\n";
	static const struct want w_max_first[] = {
		TL(1), L(2, "ok"), END(2)
	};
	static const char d_max_run[] = "aaaaaa\nbbbbbbbbbbbbbbbbbbbb\n\ncc\n"
	    "dddddd";
	static const struct want w_max_run[] = {
		TL(1), TL(2), L(4, "cc"), TL(5), END(5)
	};
	/* max_line 1 */
	static const char d_max1[] = "a\nbb\n\nc";
	static const struct want w_max1[] = {
		L(1, "a"), TL(2), L(4, "c"), END(4)
	};
	/* a too-long line right before a blank one and a CRLF one */
	static const char d_max_crlf[] = "123456789\n\nab\r\n";
	static const struct want w_max_crlf[] = {
		TL(1), L(3, "ab"), END(3)
	};

	CASE(d_basic, 0, w_basic);
	CASE(d_nonl, 0, w_nonl);
	CASE(d_empty, 0, w_empty);
	CASE(d_one_nl, 0, w_one_nl);
	CASE(d_one, 0, w_one);
	CASE(d_blank, 0, w_blank);
	CASE(d_blank_first, 0, w_blank_first);
	CASE(d_crlf, 0, w_crlf);
	CASE(d_spaces, 0, w_spaces);
	CASE(d_ff, 0, w_ff);
	CASE(d_nul, 0, w_nul);
	CASE(d_max, 5, w_max);
	CASE(d_max_eof, 5, w_max_eof);
	CASE(d_max_eof_ok, 5, w_max_eof_ok);
	CASE(d_max_first, 5, w_max_first);
	CASE(d_max_run, 5, w_max_run);
	CASE(d_max1, 1, w_max1);
	CASE(d_max_crlf, 5, w_max_crlf);
}

/* n bytes of line content that is not blank and has no "\n". */
static void
fill_line(char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)('!' + (i * 31 + seed + i / 4099) % 90);
}

/*
 * Lines around and far beyond the 256 KiB read chunk with max_line 1 MiB:
 * the buffer must grow for long lines that are accepted, and a line over
 * the limit must be skipped whole wherever it ends.
 */
static void
test_big_lines(void)
{
	size_t max = MIB, big = 3 * MIB;
	char *d = malloc(big + 64), *line = malloc(big);
	size_t n;

	fill_line(line, big, 7);

	/* exactly max_line: accepted */
	n = 0;
	memcpy(d + n, line, max); n += max;
	memcpy(d + n, "\nnext\n", 6); n += 6;
	{
		struct want w[] = {
			LN(1, line, max), L(2, "next"), END(2)
		};
		CHECK_INT(run_case(d, n, max, w, NW(w), "exactly max"), 0);
	}

	/* max_line + 1: too long, and the next line is intact */
	n = 0;
	memcpy(d + n, line, max + 1); n += max + 1;
	memcpy(d + n, "\nnext\n", 6); n += 6;
	{
		struct want w[] = { TL(1), L(2, "next"), END(2) };
		CHECK_INT(run_case(d, n, max, w, NW(w), "max + 1"), 0);
	}

	/* the same two at the end of input without "\n" */
	n = 0;
	memcpy(d + n, "first\n", 6); n += 6;
	memcpy(d + n, line, max); n += max;
	{
		struct want w[] = {
			L(1, "first"), LN(2, line, max), END(2)
		};
		CHECK_INT(run_case(d, n, max, w, NW(w), "max at eof"), 0);
	}
	n = 0;
	memcpy(d + n, "first\n", 6); n += 6;
	memcpy(d + n, line, max + 1); n += max + 1;
	{
		struct want w[] = { L(1, "first"), TL(2), END(2) };
		CHECK_INT(run_case(d, n, max, w, NW(w), "max + 1 at eof"), 0);
	}

	/* 3 MiB with max_line 1 MiB, in the middle and at the end */
	n = 0;
	memcpy(d + n, "a\n", 2); n += 2;
	memcpy(d + n, line, big); n += big;
	memcpy(d + n, "\nnext\n", 6); n += 6;
	{
		struct want w[] = { L(1, "a"), TL(2), L(3, "next"), END(3) };
		CHECK_INT(run_case(d, n, max, w, NW(w), "3 MiB"), 0);
	}
	n = 0;
	memcpy(d + n, "a\n\n", 3); n += 3;
	memcpy(d + n, line, big); n += big;
	{
		struct want w[] = { L(1, "a"), TL(3), END(3) };
		CHECK_INT(run_case(d, n, max, w, NW(w), "3 MiB at eof"), 0);
	}

	/* over the chunk but under max_line: returned intact, CRLF too */
	n = 0;
	memcpy(d + n, "x\n", 2); n += 2;
	memcpy(d + n, line, 600 * KIB); n += 600 * KIB;
	memcpy(d + n, "\r\n", 2); n += 2;
	memcpy(d + n, line + 5, 300 * KIB); n += 300 * KIB;
	memcpy(d + n, "\n", 1); n += 1;
	memcpy(d + n, line + 9, 256 * KIB); n += 256 * KIB;
	memcpy(d + n, "\ny", 2); n += 2;
	{
		struct want w[] = {
			L(1, "x"), LN(2, line, 600 * KIB),
			LN(3, line + 5, 300 * KIB),
			LN(4, line + 9, 256 * KIB), L(5, "y"), END(5)
		};
		CHECK_INT(run_case(d, n, max, w, NW(w), "600 KiB"), 0);
	}

	/* a chunk's worth of short lines, then one long line that starts
	 * near the end of the first chunk */
	n = 0;
	while (n < 256 * KIB - 10) {
		memcpy(d + n, "0123456\n", 8);
		n += 8;
	}
	memcpy(d + n, line, 400 * KIB); n += 400 * KIB;
	d[n++] = '\n';
	{
		size_t nshort = (n - 400 * KIB - 1) / 8, i;
		struct want *w = calloc(nshort + 2, sizeof(*w));

		for (i = 0; i < nshort; i++) {
			w[i].rc = LREAD_LINE;
			w[i].lineno = i + 1;
			w[i].text = "0123456";
			w[i].len = 7;
		}
		w[nshort].rc = LREAD_LINE;
		w[nshort].lineno = nshort + 1;
		w[nshort].text = line;
		w[nshort].len = 400 * KIB;
		w[nshort + 1].rc = LREAD_EOF;
		w[nshort + 1].lineno = nshort + 1;
		CHECK_INT(run_case(d, n, max, w, nshort + 2, "straddle"), 0);
		free(w);
	}
	free(d);
	free(line);
}

/*
 * Line i of the generated input: its content goes to buf, its terminator
 * to *term. Mostly short lines, some blank ones (empty or whitespace), some
 * with a "\r" inside, CRLF on every third, a 300 KiB one every 7919th, and
 * no terminator on the last.
 */
#define GEN_LINES	100000

static size_t
gen_line(size_t i, char *buf, const char **term)
{
	uint64_t x = (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15);
	size_t n, k;

	x ^= x >> 29;
	*term = i + 1 == GEN_LINES ? "" : i % 3 == 0 ? "\r\n" : "\n";
	if (i % 7919 == 5000) {
		n = 300 * KIB + i % 1000;
		fill_line(buf, n, (unsigned)i);
		return n;
	}
	switch (x % 16) {
	case 0:
		return 0;
	case 1:
		memcpy(buf, " \t ", 3);
		return (x >> 8) % 4;
	default:
		n = 1 + (size_t)((x >> 8) % 400);
		fill_line(buf, n, (unsigned)i);
		for (k = 0; k < 8 && k < n; k++)
			buf[k] = (char)('0' + (i >> (3 * k)) % 8);
		if (x % 16 == 2 && n > 17)
			buf[n / 2] = '\r';
		return n;
	}
}

/* Write the generated input to fd, in pieces as mode says. */
static void
gen_write(int fd, enum mode mode)
{
	const char *term;
	char *out = malloc(4 * MIB);
	size_t i, n, used = 0;

	for (i = 0; i < GEN_LINES; i++) {
		n = gen_line(i, out + used, &term);
		used += n;
		memcpy(out + used, term, strlen(term));
		used += strlen(term);
		if (used > 3 * MIB || i + 1 == GEN_LINES) {
			write_pieces(fd, out, used, mode);
			used = 0;
		}
	}
	free(out);
}

/* Static so a forked writer's exit-time leak check can see it. */
static char *gen_buf;

static void
test_many_lines(void)
{
	struct lread r;
	const char *line = "", *term;
	size_t len = 0, i, n, k, returned = 0;
	char path[300];
	int fd, p[2], status, mode, rc, bad;
	pid_t pid = -1;

	gen_buf = malloc(400 * KIB);
	for (mode = 0; mode < 2; mode++) {
		if (mode == 0) {
			snprintf(path, sizeof(path), "%s/in%d", tmpdir,
			    nfiles++);
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			gen_write(fd, M_PIPE_ALL);
			close(fd);
			CHECK_INT(lread_open(&r, path, MIB), 0);
		} else {
			fflush(stdout);
			fflush(stderr);
			if (pipe(p) != 0 || (pid = fork()) < 0)
				exit(1);
			if (pid == 0) {
				close(p[0]);
				gen_write(p[1], M_PIPE_ODD);
				_exit(0);
			}
			close(p[1]);
			lread_fdopen(&r, p[0], "pipe", MIB);
		}
		bad = 0;
		returned = 0;
		for (i = 0; i < GEN_LINES; i++) {
			n = gen_line(i, gen_buf, &term);
			for (k = 0; k < n; k++)
				if (gen_buf[k] != ' ' && gen_buf[k] != '\t')
					break;
			if (k == n)
				continue;	/* blank: skipped */
			rc = lread_next(&r, &line, &len);
			if (rc != LREAD_LINE || r.lineno != i + 1 ||
			    len != n || memcmp(line, gen_buf, n) != 0) {
				if (bad++ < 5)
					fprintf(stderr, "%s: line %zu: rc %d "
					    "lineno %llu len %zu, want %zu\n",
					    mode == 0 ? "file" : "pipe", i + 1,
					    rc,
					    (unsigned long long)r.lineno,
					    rc == LREAD_LINE ? len : 0, n);
				if (rc != LREAD_LINE)
					break;
			}
			returned++;
		}
		CHECK_INT(bad, 0);
		CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
		CHECK_INT(r.lineno, GEN_LINES);
		CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
		lread_close(&r);
		if (mode == 0) {
			unlink(path);
		} else {
			CHECK_INT(waitpid(pid, &status, 0), pid);
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		/* about 1/16 of the lines are blank */
		CHECK(returned > GEN_LINES * 8 / 10 && returned < GEN_LINES);
	}
	free(gen_buf);
	gen_buf = NULL;
}

static void
test_open(void)
{
	struct lread r;
	const char *line = "";
	size_t len = 0;
	char path[300];
	int fd;

	/* a missing file */
	snprintf(path, sizeof(path), "%s/does-not-exist", tmpdir);
	errno = 0;
	CHECK_INT(lread_open(&r, path, 0), -1);
	CHECK_INT(errno, ENOENT);

	/* an existing one: name is the path, defaults, close closes */
	make_file("x\n", 2, path, sizeof(path));
	CHECK_INT(lread_open(&r, path, 0), 0);
	CHECK_STR(r.name, path);
	CHECK(r.fd > STDERR_FILENO);
	CHECK_INT(r.max_line, LREAD_DEFAULT_MAX);
	CHECK_INT(r.lineno, 0);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "x");
	CHECK_INT(r.lineno, 1);
	fd = r.fd;
	lread_close(&r);
	CHECK_INT(fcntl(fd, F_GETFD), -1);
	CHECK_INT(errno, EBADF);
	CHECK(r.buf == NULL);

	/* lread_fdopen: the name given, and max_line 0 is the default */
	fd = open(path, O_RDONLY);
	lread_fdopen(&r, fd, "some name", 0);
	CHECK_STR(r.name, "some name");
	CHECK_INT(r.fd, fd);
	CHECK_INT(r.max_line, LREAD_DEFAULT_MAX);
	lread_close(&r);
	lread_fdopen(&r, -1, "x", 77);
	CHECK_INT(r.max_line, 77);
	lread_close(&r);

	/* read errors: a directory, a descriptor not open for reading */
	CHECK_INT(lread_open(&r, tmpdir, 0), 0);
	errno = 0;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_ERROR);
	CHECK_INT(errno, EISDIR);
	lread_close(&r);
	fd = open(path, O_WRONLY);
	lread_fdopen(&r, fd, "write-only", 0);
	errno = 0;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_ERROR);
	CHECK_INT(errno, EBADF);
	lread_close(&r);
	unlink(path);
}

/* "-" reads standard input and leaves it open. */
static void
test_stdin(void)
{
	static const char data[] = "{\"a\":1}\n\n{\"b\":2}\r\n";
	struct lread r;
	const char *line = "";
	size_t len = 0;
	int saved, p[2];

	saved = dup(STDIN_FILENO);
	CHECK(saved >= 0);
	if (saved < 0 || pipe(p) != 0)
		return;
	write_all(p[1], data, sizeof(data) - 1);
	close(p[1]);
	dup2(p[0], STDIN_FILENO);
	close(p[0]);

	CHECK_INT(lread_open(&r, "-", 0), 0);
	CHECK_STR(r.name, "stdin");
	CHECK_INT(r.fd, STDIN_FILENO);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "{\"a\":1}");
	CHECK_INT(r.lineno, 1);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "{\"b\":2}");
	CHECK_INT(r.lineno, 3);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	CHECK(fcntl(STDIN_FILENO, F_GETFD) != -1);

	dup2(saved, STDIN_FILENO);
	close(saved);
}

static void
idle_hook(void *arg, int timed_out)
{
	struct idle_log *log = arg;

	if (log->calls == 0)
		log->first = timed_out;
	log->calls++;
	if (timed_out)
		log->timed_out_calls++;
	log->self = arg;
	if (log->go_fd >= 0 && timed_out == log->go_on) {
		write_all(log->go_fd, "g", 1);
		close(log->go_fd);
		log->go_fd = -1;
	}
}

/* Input that is always ready (a file, a closed pipe with data) never
 * calls the hook. */
static void
test_idle_none(void)
{
	static const char data[] = "a\nb\n";
	struct idle_log log;
	struct lread r;
	const char *line = "";
	size_t len = 0;
	char path[300];
	int p[2];

	memset(&log, 0, sizeof(log));
	log.go_fd = -1;
	make_file(data, sizeof(data) - 1, path, sizeof(path));
	CHECK_INT(lread_open(&r, path, 0), 0);
	r.idle = idle_hook;
	r.idle_arg = &log;
	r.idle_ms = 5;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	unlink(path);
	CHECK_INT(log.calls, 0);

	if (pipe(p) != 0)
		return;
	write_all(p[1], data, sizeof(data) - 1);
	close(p[1]);
	lread_fdopen(&r, p[0], "pipe", 0);
	r.idle = idle_hook;
	r.idle_arg = &log;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	CHECK_INT(log.calls, 0);
}

/*
 * A writer that waits (up to 5 s) for a byte on go before writing data and
 * exiting; exit status 1 when it had to give up waiting.
 */
static pid_t
start_waiting_writer(int go, int out, const char *data)
{
	struct pollfd pfd;
	pid_t pid;
	int ok;
	char c;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) != 0)
		return pid;
	pfd.fd = go;
	pfd.events = POLLIN;
	ok = poll(&pfd, 1, 5000) == 1 && read(go, &c, 1) == 1;
	write_all(out, data, strlen(data));
	_exit(ok ? 0 : 1);
}

/* idle_ms 0: the hook is called once with timed_out 0 before the reader
 * blocks; the writer only writes after that call. */
static void
test_idle_first(void)
{
	struct idle_log log;
	struct lread r;
	const char *line = "";
	size_t len = 0;
	int go[2], data[2], status;
	pid_t pid;

	if (pipe(go) != 0 || pipe(data) != 0)
		return;
	pid = start_waiting_writer(go[0], data[1], "{\"a\":1}\n");
	close(go[0]);
	close(data[1]);
	memset(&log, 0, sizeof(log));
	log.go_fd = go[1];
	log.go_on = 0;
	lread_fdopen(&r, data[0], "pipe", 0);
	r.idle = idle_hook;
	r.idle_arg = &log;
	r.idle_ms = 0;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "{\"a\":1}");
	CHECK(log.calls >= 1);
	CHECK_INT(log.first, 0);
	CHECK_INT(log.timed_out_calls, 0);
	CHECK(log.self == &log);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	CHECK_INT(log.timed_out_calls, 0);
	lread_close(&r);
	if (log.go_fd >= 0)
		close(log.go_fd);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
}

/* idle_ms > 0: first timed_out 0, then 1 while nothing comes; the writer
 * waits for the first timed_out 1 call. */
static void
test_idle_timeout(void)
{
	struct idle_log log;
	struct lread r;
	const char *line = "";
	size_t len = 0;
	int go[2], data[2], status;
	pid_t pid;

	if (pipe(go) != 0 || pipe(data) != 0)
		return;
	pid = start_waiting_writer(go[0], data[1], "x\ny\n");
	close(go[0]);
	close(data[1]);
	memset(&log, 0, sizeof(log));
	log.go_fd = go[1];
	log.go_on = 1;
	lread_fdopen(&r, data[0], "pipe", 0);
	r.idle = idle_hook;
	r.idle_arg = &log;
	r.idle_ms = 10;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "x");
	CHECK_INT(log.first, 0);
	CHECK(log.calls >= 2);
	CHECK(log.timed_out_calls >= 1);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "y");
	CHECK_INT(r.lineno, 2);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	if (log.go_fd >= 0)
		close(log.go_fd);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
}

/* Poll mode never waits: a partial line gives LREAD_AGAIN until the caller
 * says the input is ready; a line over max_line is skipped across polls. */
static void
test_poll_mode(void)
{
	struct lread r;
	const char *line;
	size_t len;
	int p[2];

	CHECK_INT(pipe(p), 0);
	lread_fdopen(&r, p[0], "pipe", 8);
	r.poll_mode = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_AGAIN);
	write_all(p[1], "ab", 2);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_AGAIN);	/* not ready */
	r.ready = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_AGAIN);	/* "ab" only */
	CHECK_INT(r.ready, 0);
	write_all(p[1], "c\n0123456789", 13);
	r.ready = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(len, 3);
	CHECK(memcmp(line, "abc", 3) == 0);
	/* "0123456789" is over 8 bytes and not ended yet */
	CHECK_INT(lread_next(&r, &line, &len), LREAD_AGAIN);
	write_all(p[1], "more\nok\n", 8);
	r.ready = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_TOOLONG);
	CHECK_INT(r.lineno, 2);
	r.ready = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(len, 2);
	CHECK(memcmp(line, "ok", 2) == 0);
	CHECK_INT(r.lineno, 3);
	close(p[1]);
	r.ready = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	close(p[0]);
}

/* A set stop flag ends the wait with LREAD_STOP; the partial line stays
 * unread. */
static void
test_stop(void)
{
	volatile sig_atomic_t flag = 0;
	struct lread r;
	const char *line;
	size_t len;
	int p[2];

	CHECK_INT(pipe(p), 0);
	lread_fdopen(&r, p[0], "pipe", 0);
	r.stop = &flag;
	write_all(p[1], "one\ntw", 7);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	flag = 1;
	CHECK_INT(lread_next(&r, &line, &len), LREAD_STOP);
	lread_close(&r);
	close(p[0]);
	close(p[1]);
}

/* A long line's buffer is given back at the next call, the line after it
 * kept whole. */
static void
test_shrink(void)
{
	size_t n = 3 << 20, i;
	char *data = malloc(n + 20), path[300];
	const char *line = "";
	size_t len = 0;
	struct lread r;

	for (i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	data[n] = '\n';
	memcpy(data + n + 1, "short\nlast\n", 11);
	make_file(data, n + 12, path, sizeof(path));
	CHECK_INT(lread_open(&r, path, 0), 0);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_INT(len, n);
	CHECK(memcmp(line, data, n) == 0);
	CHECK(r.cap >= n);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "short");
	CHECK_INT(r.cap, 256 * 1024);
	CHECK_INT(lread_next(&r, &line, &len), LREAD_LINE);
	CHECK_MEM(line, len, "last");
	CHECK_INT(lread_next(&r, &line, &len), LREAD_EOF);
	lread_close(&r);
	unlink(path);
	free(data);
}

int
main(void)
{
	UNIT_NAME("test_lread");
	setup();
	test_small();
	test_big_lines();
	test_many_lines();
	test_open();
	test_stdin();
	test_idle_none();
	test_idle_first();
	test_idle_timeout();
	test_poll_mode();
	test_stop();
	test_shrink();
	teardown();
	return unit_report();
}
