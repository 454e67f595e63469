/*
 * statefile.c: atomic NDJSON state files.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "lread.h"
#include "statefile.h"

void
statefile_write(const char *path, const char *text, size_t len)
{
	struct buf tmp = BUF_INIT;
	char *dir;
	ssize_t w;
	int fd;

	buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		diag_err(EXIT_DATA, "could not create \"%s\"", tmp.data);
	while (len > 0) {
		w = write(fd, text, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			diag_err(EXIT_DATA, "could not write \"%s\"", tmp.data);
		text += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		diag_err(EXIT_DATA, "could not write \"%s\"", tmp.data);
	if (rename(tmp.data, path) != 0)
		diag_err(EXIT_DATA, "could not rename \"%s\" to \"%s\"",
		    tmp.data, path);
	dir = xstrdup(path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	buf_free(&tmp);
}

int
statefile_read(const char *path,
    int (*line)(json_t *j, uint64_t lineno, void *arg), void *arg)
{
	struct lread r;
	json_error_t je;
	json_t *j;
	const char *text;
	size_t len;
	int rc;

	if (strcmp(path, "-") == 0)
		diag_errx(EXIT_USAGE, "--state needs a file, not \"-\"");
	if (lread_open(&r, path, (size_t)1 << 40) != 0) {
		if (errno == ENOENT)
			return 1;
		diag_err(EXIT_DATA, "could not open \"%s\"", path);
	}
	while ((rc = lread_next(&r, &text, &len)) == LREAD_LINE) {
		j = json_loadb(text, len, 0, &je);
		rc = j == NULL ? -1 : line(j, r.lineno, arg);
		json_decref(j);
		if (rc == -1) {
			lread_close(&r);
			diag_errx(EXIT_DATA, "%s:%llu: not a %s state line%s%s",
			    path, (unsigned long long)r.lineno, diag_progname,
			    j == NULL ? ": " : "", j == NULL ? je.text : "");
		}
		if (rc < 0) {
			lread_close(&r);
			return rc;
		}
	}
	if (rc == LREAD_ERROR)
		diag_err(EXIT_DATA, "could not read \"%s\"", path);
	lread_close(&r);
	return 0;
}
