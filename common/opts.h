/*
 * opts.h: the command-line conventions every tool shares.
 *
 * -?/--help and -V/--version answered before anything else (as
 * pg_recvlogical), -v/--verbose and -q/--quiet, and the input options of
 * DESIGN.md: --on-error fail|skip, --dead-letter FILE, --max-line SIZE. Each
 * tool lists OPTS_COMMON_LONG in its long options, passes "?Vqv" in its short
 * option string, and hands every option it does not know to opts_common().
 * Value parsers are range-checked and end in a usage error (exit 2) that
 * names the option.
 *
 *	static struct option longopts[] = {
 *		{ "deletes", required_argument, NULL, OPT_DELETES },
 *		OPTS_COMMON_LONG,
 *		{ NULL, 0, NULL, 0 }
 *	};
 *	opts_begin(argc, argv, SHORTOPTS, usage);
 *	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1)
 *		switch (c) { ... default: opts_common(c, argc, argv); }
 */
#ifndef CDC_OPTS_H
#define CDC_OPTS_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "onerr.h"

/* Long-only option codes shared by all tools; a tool numbers its own from
 * OPT_TOOL upwards. */
enum {
	OPT_ON_ERROR = 0x100,
	OPT_DEAD_LETTER,
	OPT_MAX_LINE,
	OPT_TOOL = 0x200
};

#define OPTS_COMMON_LONG \
	{ "help",	 no_argument,	    NULL, '?' }, \
	{ "version",	 no_argument,	    NULL, 'V' }, \
	{ "verbose",	 no_argument,	    NULL, 'v' }, \
	{ "quiet",	 no_argument,	    NULL, 'q' }, \
	{ "on-error",	 required_argument, NULL, OPT_ON_ERROR }, \
	{ "dead-letter", required_argument, NULL, OPT_DEAD_LETTER }, \
	{ "max-line",	 required_argument, NULL, OPT_MAX_LINE }

/* Help text lines for the options above, for each tool's usage(). */
#define OPTS_COMMON_HELP \
"Input and errors:\n" \
"      --on-error=fail|skip   stop at the first bad line (default) or skip it\n" \
"      --dead-letter=FILE     append each bad line with its locus and reason\n" \
"      --max-line=SIZE        longest input line accepted (default 64M)\n" \
"\n" \
"General:\n" \
"  -q, --quiet                no warnings\n" \
"  -v, --verbose              more messages on stderr (repeatable)\n" \
"  -V, --version              print the version and exit\n" \
"  -?, --help                 show this help and exit\n"

/* Settings of the common options; the tools read them after parsing. */
struct opts {
	struct onerr	 onerr;
	size_t		 max_line;
};
extern struct opts opts;

/*
 * Start of every main: diag_init, standard output set up (jout), defaults,
 * and --help/-? or --version/-V as the first argument answered at once.
 * shortopts is the string given to getopt_long (for the wording of errors);
 * usage(stdout) must print the help text.
 */
void	opts_begin(int argc, char **argv, const char *shortopts,
	    void (*usage)(FILE *));

/* Handle an option getopt_long returned that the tool has no case for:
 * a common option, or a usage error for an unknown one / missing value. */
void	opts_common(int c, int argc, char **argv);

/* Called once options are parsed: opens --dead-letter. */
void	opts_end(void);

/* "prog (cdc-pipes) 0.1.0" */
void	opts_print_version(FILE *fp);

/* Value parsers: exit 2 with 'invalid value "x" for option --name: why'. */
int64_t	opts_int(const char *name, const char *arg, int64_t min, int64_t max);
/* A byte size: digits with an optional k, M or G (powers of 1024). */
size_t	opts_size(const char *name, const char *arg, size_t min, size_t max);
/* A duration (tstamp.h syntax), in microseconds. */
int64_t	opts_duration(const char *name, const char *arg, int allow_negative);
/* One of the words in the NULL-terminated list; returns its index. */
int	opts_choice(const char *name, const char *arg,
	    const char *const *words);

#endif
