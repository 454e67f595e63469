/*
 * diag.c: messages on stderr and the way out of every tool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

const char *diag_progname = "cdc-pipes";
int diag_verbosity;

static void (*flush_hook)(void);
static int in_flush;

void
diag_init(const char *argv0)
{
	const char *slash;

	if (argv0 != NULL && argv0[0] != '\0') {
		slash = strrchr(argv0, '/');
		diag_progname = slash != NULL ? slash + 1 : argv0;
	}
	diag_verbosity = 0;
}

void
diag_set_flush(void (*flush)(void))
{
	flush_hook = flush;
}

/* Flush standard output first so data and diagnostics keep their order. The
 * guard stops recursion when the flush itself fails and reports. */
static void
flush_stdout(void)
{
	if (flush_hook != NULL && !in_flush) {
		in_flush = 1;
		flush_hook();
		in_flush = 0;
	}
}

void
diag_vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];
	int n;

	flush_stdout();
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		n = 0;
	else if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	/* One message, one line: drop a trailing newline (libpq adds one). */
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	fprintf(stderr, "%s: %s%s\n", diag_progname, prefix, line);
	fflush(stderr);
}

void
diag_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg("", fmt, ap);
	va_end(ap);
}

void
diag_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg("", fmt, ap);
	va_end(ap);
	diag_exit(status);
}

void
diag_err(int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_errx(status, "%s: %s", msg, strerror(saved));
}

void
diag_warnx(const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	diag_vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void
diag_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	int saved = errno;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_warnx("%s: %s", msg, strerror(saved));
}

void
diag_info(int level, const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < level)
		return;
	va_start(ap, fmt);
	diag_vmsg("", fmt, ap);
	va_end(ap);
}

void
diag_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try \"%s --help\" for more information.\n",
	    diag_progname);
	diag_exit(EXIT_USAGE);
}

void
diag_exit(int status)
{
	flush_stdout();
	exit(status);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		diag_errx(EXIT_DATA, "out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

	if (p == NULL)
		diag_errx(EXIT_DATA, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);

	if (q == NULL)
		diag_errx(EXIT_DATA, "out of memory (%zu bytes)", n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
