/*
 * diag.c: messages on stderr and the way out of every tool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "utf8.h"

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

/* Append k bytes unless that leaves no room for "..." and the NUL. */
static int
put(char *out, size_t cap, size_t *len, const char *s, size_t k)
{
	if (cap < 4 || *len + k > cap - 4)
		return -1;
	memcpy(out + *len, s, k);
	*len += k;
	return 0;
}

size_t
diag_one_line(char *out, size_t cap, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[5];
	size_t len = 0, i = 0, k;

	if (cap == 0)
		return 0;
	/* Line breaks at the end say nothing. */
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	while (i < n) {
		if (p[i] == '\n' || p[i] == '\r') {
			/* A line break and the indentation after it: "; ". */
			while (i < n && (p[i] == '\n' || p[i] == '\r' ||
			    p[i] == '\t' || p[i] == ' '))
				i++;
			if (put(out, cap, &len, "; ", 2) != 0)
				goto cut;
			continue;
		}
		if (p[i] == '\t') {
			if (put(out, cap, &len, " ", 1) != 0)
				goto cut;
			i++;
			continue;
		}
		k = p[i] < 0x20 || p[i] == 0x7F ? 0 : utf8_seq(p + i, n - i);
		if (k == 0) {
			snprintf(esc, sizeof(esc), "\\x%02X", p[i]);
			if (put(out, cap, &len, esc, 4) != 0)
				goto cut;
			i++;
			continue;
		}
		if (put(out, cap, &len, (const char *)p + i, k) != 0)
			goto cut;
		i += k;
	}
	out[len] = '\0';
	return len;
cut:
	if (cap >= 4) {
		memcpy(out + len, "...", 3);
		len += 3;
	}
	out[len] = '\0';
	return len;
}

void
diag_vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char text[8192], line[8192];
	size_t len;
	int n;

	flush_stdout();
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		n = 0;
	len = (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
	/* One message, one line, whatever the text from outside holds. */
	len = diag_one_line(line, sizeof(line) - 3, text, len);
	/* vsnprintf cut the text: say so, unless diag_one_line did. */
	if ((size_t)n >= sizeof(text) &&
	    (len < 3 || memcmp(line + len - 3, "...", 3) != 0))
		memcpy(line + len, "...", 4);
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

/* Cleanups of diag_on_exit, run once, the last registered first. */
static void (*exit_hooks[8])(void);
static int nexit_hooks, hooks_registered;

static void
run_exit_hooks(void)
{
	while (nexit_hooks > 0)
		exit_hooks[--nexit_hooks]();
}

void
diag_on_exit(void (*fn)(void))
{
	if (nexit_hooks == (int)(sizeof(exit_hooks) / sizeof(exit_hooks[0])))
		diag_errx(EXIT_DATA, "internal error: too many exit hooks");
	exit_hooks[nexit_hooks++] = fn;
	if (!hooks_registered) {
		atexit(run_exit_hooks);
		hooks_registered = 1;
	}
}

void
diag_exit(int status)
{
	flush_stdout();
	if (status != EXIT_OK) {
		/* A failure ends the program where it stands, its memory still
		 * in use: the cleanups run and every stream is flushed, but
		 * the rest of exit() is skipped, so a leak checker reports
		 * what a successful run leaks, not what a failed one held. */
		run_exit_hooks();
		fflush(NULL);
		_exit(status);
	}
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
