/*
 * diag.h: program name, diagnostics and exit status, the same in every tool.
 *
 * Messages have the form "prog: [SOURCE:LINE: ]text" on stderr: lowercase,
 * no final period, user values in double quotes (DESIGN.md section 7).
 * Standard output is flushed through the registered hook before anything is
 * written to stderr, so diagnostics and data appear in the order they happened.
 */
#ifndef CDC_DIAG_H
#define CDC_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* Exit status, as PostgreSQL's client tools and jq. */
#define EXIT_OK		0	/* success, clean stop */
#define EXIT_DATA	1	/* runtime or data error: bad record, I/O, server */
#define EXIT_USAGE	2	/* usage error */

#define DIAG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DIAG_NORETURN __attribute__((noreturn))

/* Name used as message prefix; set by diag_init from argv[0]. */
extern const char *diag_progname;
/* -v raises it, -q lowers it; 0 is the default. Messages of diag_info with a
 * level above it are not shown; warnings are hidden below 0. */
extern int diag_verbosity;

/* Set the program name (basename of argv0) and reset verbosity. */
void	diag_init(const char *argv0);

/* Register a function that flushes standard output; called before every
 * message and at diag_exit. May be NULL. */
void	diag_set_flush(void (*flush)(void));

/* "prog: text" and exit(status). */
void	diag_errx(int status, const char *fmt, ...) DIAG_PRINTF(2, 3)
	    DIAG_NORETURN;
/* "prog: text: strerror(errno)" and exit(status). */
void	diag_err(int status, const char *fmt, ...) DIAG_PRINTF(2, 3)
	    DIAG_NORETURN;
/* "prog: warning: text" unless quiet. */
void	diag_warnx(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* "prog: warning: text: strerror(errno)" unless quiet. */
void	diag_warn(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* "prog: text" when diag_verbosity >= level (level 1 = -v). */
void	diag_info(int level, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Plain "prog: text" to stderr, whatever the verbosity: for errors that are
 * reported but not fatal (an unreadable input among several). */
void	diag_msg(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* Text from outside (a server's message, a name, a value) made fit for a
 * one-line message: a line break and the indentation after it become "; ",
 * line breaks at the end are dropped, a tab becomes a space, other control
 * bytes and bytes that are not well-formed UTF-8 become "\xNN". At most
 * cap - 1 bytes are written, whatever the input, and out is always
 * NUL-terminated (cap > 0); a cut is marked "...". Returns the length.
 * Every message goes through it, so a caller may pass such text to %s. */
size_t	diag_one_line(char *out, size_t cap, const char *s, size_t n);
void	diag_vmsg(const char *prefix, const char *fmt, va_list ap)
	    DIAG_PRINTF(2, 0);

/* Usage error: "prog: text", then 'Try "prog --help" for more information.',
 * exit 2. */
void	diag_usage(const char *fmt, ...) DIAG_PRINTF(1, 2) DIAG_NORETURN;

/* Run the flush hook, then exit(status). Every tool leaves through here or
 * through one of the fatal functions above. A status other than 0 runs the
 * diag_on_exit cleanups, flushes every stdio stream and leaves with
 * _exit(), skipping atexit() handlers. */
void	diag_exit(int status) DIAG_NORETURN;
/* Run fn when the program ends, by exit() or by diag_exit() with any
 * status (at most 8 functions; the last registered runs first). Use it,
 * not atexit(), for cleanups a failure must not skip. */
void	diag_on_exit(void (*fn)(void));

/* Allocation that cannot fail: on out-of-memory it reports and exits 1. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

#endif
