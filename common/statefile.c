/*
 * statefile.c: verified, atomic NDJSON state files.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "lread.h"
#include "statefile.h"

/* A header line longer than this is no header of ours. */
#define HEADER_MAX	1024

uint32_t
statefile_crc32c(uint32_t crc, const void *p, size_t n)
{
	static uint32_t table[256];
	const unsigned char *s = p;
	uint32_t c;
	int i, k;

	if (table[1] == 0)
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? c >> 1 ^ 0x82F63B78U : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	while (n-- > 0)
		crc = table[(crc ^ *s++) & 0xFF] ^ crc >> 8;
	return ~crc;
}

/* ---------------------------------------------------------------------
 * Writing
 */

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Give up on tmp: remove it, keep errno, report what failed, exit 1. */
static void __attribute__((noreturn))
fail(int fd, const char *tmp, const char *what, const char *path)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
	errno = e;
	if (path != NULL)
		diag_err(EXIT_DATA, "could not %s \"%s\" to \"%s\"", what, tmp,
		    path);
	diag_err(EXIT_DATA, "could not %s \"%s\"", what, tmp);
}

/* head, then text, to path through path.tmp. */
static void
replace(const char *path, const char *head, size_t hlen, const char *text,
    size_t len)
{
	struct buf tmp = BUF_INIT;
	char *dir;
	int fd;

	buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		diag_err(EXIT_DATA, "could not create \"%s\"", tmp.data);
	if (write_all(fd, head, hlen) != 0 || write_all(fd, text, len) != 0 ||
	    fsync(fd) != 0)
		fail(fd, tmp.data, "write", NULL);
	if (close(fd) != 0)	/* NFS and full disks report here */
		fail(-1, tmp.data, "write", NULL);
	if (rename(tmp.data, path) != 0)
		fail(-1, tmp.data, "rename", path);
	/* The new name is in place; make it survive a crash. Some file
	 * systems cannot sync a directory: nothing to do there. */
	dir = xstrdup(path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
			diag_err(EXIT_DATA, "could not fsync the directory of "
			    "\"%s\"", path);
		close(fd);
	}
	free(dir);
	buf_free(&tmp);
}

void
statefile_replace(const char *path, const char *text, size_t len)
{
	replace(path, "", 0, text, len);
}

void
statefile_write(const char *path, const char *tool, const char *text,
    size_t len)
{
	struct buf head = BUF_INIT;
	size_t i, lines = 0;

	if (len > 0 && text[len - 1] != '\n')
		diag_errx(EXIT_DATA, "internal error: state text of \"%s\" "
		    "does not end a line", path);
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	buf_printf(&head, "{\"cdc_pipes_state\":%d,\"tool\":\"%s\",\"lines\":"
	    "%zu,\"bytes\":%zu,\"crc32c\":\"%08" PRIx32 "\"}\n",
	    STATEFILE_VERSION, tool, lines, len,
	    statefile_crc32c(0, text, len));
	replace(path, head.data, head.len, text, len);
	buf_free(&head);
}

/* ---------------------------------------------------------------------
 * Reading
 */

/* What the header of a state file promises. */
struct promise {
	uint64_t	 lines;
	uint64_t	 bytes;
	uint32_t	 crc;
};

/* "state file \"PATH\": what is wrong" into err; returns -1. */
static int DIAG_PRINTF(3, 4)
refuse(struct buf *err, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(err, "state file \"%s\": %s", path, msg);
	return -1;
}

/* "could not read \"PATH\": strerror" into err; returns -1. */
static int
read_error(struct buf *err, const char *path)
{
	buf_printf(err, "could not read \"%s\": %s", path, strerror(errno));
	return -1;
}

/* Check the header line h[0..n) (without "\n") against tool; fill *p.
 * 0, or -1 with the reason in err. */
static int
check_header(const char *path, const char *tool, const char *h, size_t n,
    struct promise *p, struct buf *err)
{
	json_error_t je;
	json_t *j, *v;
	const char *key, *s;
	char *end;
	unsigned long x;
	int rc;

	j = json_loadb(h, n, 0, &je);
	if (!json_is_object(j) ||
	    (v = json_object_get(j, "cdc_pipes_state")) == NULL) {
		/* Before the header, a tool's own line came first. */
		json_object_foreach(j, key, v)
			if (strlen(key) > 6 && strcmp(key + strlen(key) - 6,
			    "_state") == 0 && json_is_integer(v)) {
				json_decref(j);
				return refuse(err, path, "written by an "
				    "earlier version, without a checksum: "
				    "finish it with that version (--drain), or "
				    "remove it to start afresh");
			}
		json_decref(j);
		return refuse(err, path, "no state header: not a state file, "
		    "or damaged");
	}
	if (!json_is_integer(v) || json_integer_value(v) != STATEFILE_VERSION) {
		rc = refuse(err, path, "state format %s, this version reads %d",
		    json_is_integer(v) ? "of another version" : "unknown",
		    STATEFILE_VERSION);
		json_decref(j);
		return rc;
	}
	s = json_string_value(json_object_get(j, "tool"));
	if (s != NULL && strcmp(s, tool) != 0) {
		rc = refuse(err, path, "the state of %.63s, not of %s", s,
		    tool);
		json_decref(j);
		return rc;
	}
	v = json_object_get(j, "crc32c");
	s = json_string_value(v);
	x = s != NULL && strlen(s) == 8 ? strtoul(s, &end, 16) : 0;
	if (s == NULL || json_string_length(v) != 8 || *end != '\0' ||
	    json_integer_value(json_object_get(j, "lines")) < 0 ||
	    json_integer_value(json_object_get(j, "bytes")) < 0 ||
	    !json_is_integer(json_object_get(j, "lines")) ||
	    !json_is_integer(json_object_get(j, "bytes"))) {
		json_decref(j);
		return refuse(err, path, "damaged state header");
	}
	p->crc = (uint32_t)x;
	p->lines = (uint64_t)json_integer_value(json_object_get(j, "lines"));
	p->bytes = (uint64_t)json_integer_value(json_object_get(j, "bytes"));
	json_decref(j);
	return 0;
}

/*
 * Read fd from its start: the header, then the rest checked against it.
 * Returns the length of the header line with its "\n", or -1 with the
 * reason in err.
 */
static ssize_t
verify(int fd, const char *path, const char *tool, struct buf *err)
{
	static char chunk[64 * 1024];
	struct promise p = { 0, 0, 0 };
	uint64_t lines = 0, bytes = 0;
	uint32_t crc = 0;
	size_t have = 0, hlen = 0, i;
	ssize_t n;
	char *nl = NULL;

	/* the header: up to its "\n" */
	while (nl == NULL && have < sizeof(chunk)) {
		n = read(fd, chunk + have, sizeof(chunk) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return read_error(err, path);
		if (n == 0)
			break;
		nl = memchr(chunk + have, '\n', (size_t)n);
		have += (size_t)n;
	}
	if (have == 0)
		return refuse(err, path, "empty");
	if (nl == NULL || nl - chunk > HEADER_MAX) {
		if (nl == NULL && have < HEADER_MAX && have >= 19 &&
		    memcmp(chunk, "{\"cdc_pipes_state\":", 19) == 0)
			return refuse(err, path, "truncated in its header");
		return refuse(err, path, "no state header: not a state file, "
		    "or damaged");
	}
	hlen = (size_t)(nl - chunk) + 1;
	if (check_header(path, tool, chunk, hlen - 1, &p, err) != 0)
		return -1;
	/* the rest: count and checksum */
	for (i = hlen;;) {
		if (i < have) {
			crc = statefile_crc32c(crc, chunk + i, have - i);
			bytes += have - i;
			for (; i < have; i++)
				lines += chunk[i] == '\n';
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return read_error(err, path);
		if (n == 0)
			break;
		have = (size_t)n;
		i = 0;
	}
	if (bytes < p.bytes || (bytes == p.bytes && lines < p.lines))
		return refuse(err, path, "truncated: the header says %" PRIu64
		    " lines (%" PRIu64 " bytes), the file has %" PRIu64 " (%"
		    PRIu64 " bytes)", p.lines, p.bytes, lines, bytes);
	if (bytes != p.bytes || lines != p.lines)
		return refuse(err, path, "longer than its header says: %"
		    PRIu64 " lines (%" PRIu64 " bytes), not %" PRIu64 " (%"
		    PRIu64 " bytes)", lines, bytes, p.lines, p.bytes);
	if (crc != p.crc)
		return refuse(err, path, "damaged: its checksum is %08" PRIx32
		    ", the header says %08" PRIx32, crc, p.crc);
	if (lines == 0)		/* every tool writes a line of its own */
		return refuse(err, path, "no %s state after the header", tool);
	return (ssize_t)hlen;
}

int
statefile_load(const char *path, const char *tool,
    int (*line)(json_t *j, uint64_t n, void *arg), void *arg,
    struct buf *err)
{
	struct lread r;
	json_error_t je;
	json_t *j;
	const char *text;
	size_t len;
	ssize_t hlen;
	int fd, rc;

	if (strcmp(path, "-") == 0) {
		buf_puts(err, "--state needs a file, not \"-\"");
		return STATEFILE_EUSAGE;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 1;
		buf_printf(err, "could not open \"%s\": %s", path,
		    strerror(errno));
		return -1;
	}
	if ((hlen = verify(fd, path, tool, err)) < 0) {
		close(fd);
		return -1;
	}
	if (lseek(fd, (off_t)hlen, SEEK_SET) < 0) {
		rc = read_error(err, path);
		close(fd);
		return rc;
	}
	lread_fdopen(&r, fd, path, (size_t)1 << 40);
	while ((rc = lread_next(&r, &text, &len)) == LREAD_LINE) {
		j = json_loadb(text, len, 0, &je);
		rc = j == NULL ? -1 : line(j, r.lineno, arg);
		json_decref(j);
		if (rc == -1)
			buf_printf(err, "%s:%llu: not %s %s state line%s%s",
			    path, (unsigned long long)r.lineno + 1,
			    tool[0] != '\0' && strchr("aeiou", tool[0]) !=
			    NULL ? "an" : "a", tool, j == NULL ? ": " : "",
			    j == NULL ? je.text : "");
		if (rc < 0) {
			lread_close(&r);
			return rc;
		}
	}
	if (rc == LREAD_ERROR) {
		rc = read_error(err, path);
		lread_close(&r);
		return rc;
	}
	lread_close(&r);
	return 0;
}

int
statefile_read(const char *path, const char *tool,
    int (*line)(json_t *j, uint64_t n, void *arg), void *arg)
{
	struct buf err = BUF_INIT;
	int rc;

	if (strcmp(path, "-") == 0)
		diag_errx(EXIT_USAGE, "--state needs a file, not \"-\"");
	rc = statefile_load(path, tool, line, arg, &err);
	if (rc == -1)
		diag_errx(EXIT_DATA, "%s", err.data);
	buf_free(&err);
	return rc;
}

void
statefile_put_time(struct buf *b, const char *name, int64_t us)
{
	if (us == INT64_MIN)
		buf_printf(b, "\"%s\":null", name);
	else
		buf_printf(b, "\"%s\":%" PRId64, name, us);
}

int
statefile_get_time(json_t *obj, const char *name, int64_t *us)
{
	json_t *j = json_object_get(obj, name);

	if (json_is_null(j)) {
		*us = INT64_MIN;
		return 0;
	}
	if (!json_is_integer(j))
		return -1;
	*us = json_integer_value(j);
	return 0;
}
