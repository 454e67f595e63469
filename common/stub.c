/*
 * stub.c: the shared main() of the tools not implemented yet.
 */
#include <stdio.h>

#include "diag.h"
#include "opts.h"
#include "stub.h"

#define SHORTOPTS	"?Vqv"

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

static const char *stub_what;

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s: %s.\n"
"Part of cdc-pipes; not implemented yet.\n"
"\n"
"usage: %s [-qv]\n"
"\n"
OPTS_COMMON_HELP
"\n"
"Exit status: 1 (not implemented), 2 usage error.\n",
	    diag_progname, stub_what, diag_progname);
}

int
stub_main(int argc, char **argv, const char *what)
{
	int c;

	stub_what = what;
	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1)
		opts_common(c, argc, argv);
	diag_errx(EXIT_DATA, "not implemented");
}
