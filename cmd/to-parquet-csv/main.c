/*
 * to-parquet-csv: not implemented yet. This stub exists so the build, the shared CLI
 * tests and the man pages cover every binary; it never pretends to work.
 */
#include <stdio.h>

#include "diag.h"
#include "opts.h"

#define SHORTOPTS	"?Vqv"

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s is part of cdc-pipes and is not implemented yet.\n"
"\n"
"usage: %s [-qv]\n"
"\n"
OPTS_COMMON_HELP
"\n"
"Exit status: 1 (not implemented), 2 usage error.\n",
	    diag_progname, diag_progname);
}

int
main(int argc, char **argv)
{
	int c;

	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1)
		opts_common(c, argc, argv);
	diag_errx(EXIT_DATA, "not implemented");
}
