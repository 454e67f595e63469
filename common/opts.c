/*
 * opts.c: shared option handling and range-checked value parsers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
#include "lread.h"
#include "opts.h"
#include "tstamp.h"

struct opts opts;

static void (*tool_usage)(FILE *);
static const char *tool_shortopts;

void
opts_print_version(FILE *fp)
{
	fprintf(fp, "%s (cdc-pipes) %s\n", diag_progname, CDC_VERSION);
}

static void
help_exit(void)
{
	tool_usage(stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		diag_err(EXIT_DATA, "could not write to standard output");
	exit(EXIT_OK);
}

static void
version_exit(void)
{
	opts_print_version(stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		diag_err(EXIT_DATA, "could not write to standard output");
	exit(EXIT_OK);
}

/*
 * getopt_long answers '?' for -?, for an unknown option and for a missing or
 * unexpected value; optopt and the argument itself tell which.
 */
static void
opts_bad(char **argv)
{
	const char *bad = argv[optind - 1];

	if (strncmp(bad, "--", 2) == 0) {
		if (optopt == 0)
			diag_usage("invalid option \"%.*s\"",
			    (int)strcspn(bad, "="), bad);
		if (strchr(bad, '=') != NULL)
			diag_usage("option \"%.*s\" takes no value",
			    (int)strcspn(bad, "="), bad);
		diag_usage("option \"%s\" needs a value", bad);
	}
	if (optopt == '?')
		help_exit();
	if (optopt != 0 && strchr(tool_shortopts, optopt) != NULL)
		diag_usage("option \"-%c\" needs a value", optopt);
	diag_usage("invalid option \"-%c\"", optopt);
}

void
opts_begin(int argc, char **argv, const char *shortopts,
    void (*usage)(FILE *))
{
	diag_init(argv[0]);
	tool_usage = usage;
	tool_shortopts = shortopts;
	opts.max_line = LREAD_DEFAULT_MAX;
	opts.onerr.mode = ONERR_FAIL;
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-?") == 0)
			help_exit();
		if (strcmp(argv[1], "--version") == 0 ||
		    strcmp(argv[1], "-V") == 0)
			version_exit();
	}
	jout_init_stdout();
	opterr = 0;	/* we word the errors ourselves */
}

void
opts_common(int c, int argc, char **argv)
{
	const char *arg = optarg;

	(void)argc;
	switch (c) {
	case 'V':
		version_exit();
		break;
	case 'v':
		diag_verbosity = diag_verbosity < 0 ? 1 : diag_verbosity + 1;
		return;
	case 'q':
		diag_verbosity = -1;
		return;
	case OPT_ON_ERROR: {
		static const char *const modes[] = { "fail", "skip", NULL };

		opts.onerr.mode = opts_choice("on-error", arg, modes) == 0 ?
		    ONERR_FAIL : ONERR_SKIP;
		return;
	}
	case OPT_DEAD_LETTER:
		opts.onerr.dead_path = arg;
		return;
	case OPT_MAX_LINE:
		opts.max_line = opts_size("max-line", arg, 1, (size_t)1 << 32);
		return;
	case '?':
		opts_bad(argv);
		break;
	default:
		diag_usage("option \"%s\" is not handled", argv[optind - 1]);
	}
}

void
opts_end(void)
{
	onerr_open(&opts.onerr);
}

static void
bad_value(const char *name, const char *arg, const char *why)
{
	diag_usage("invalid value \"%s\" for option --%s: %s", arg, name, why);
}

int64_t
opts_int(const char *name, const char *arg, int64_t min, int64_t max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || arg[0] == ' ')
		bad_value(name, arg, "not an integer");
	if (errno == ERANGE || v < min || v > max) {
		char why[96];

		snprintf(why, sizeof(why), "must be between %lld and %lld",
		    (long long)min, (long long)max);
		bad_value(name, arg, why);
	}
	return (int64_t)v;
}

size_t
opts_size(const char *name, const char *arg, size_t min, size_t max)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')
		bad_value(name, arg, "not a size (digits, then k, M or G)");
	v = strtoull(arg, &end, 10);
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		bad_value(name, arg, "not a size (digits, then k, M or G)");
	}
	if (*end != '\0')
		bad_value(name, arg, "not a size (digits, then k, M or G)");
	if (errno == ERANGE || v > max / mult || v * mult < min ||
	    v * mult > max) {
		char why[96];

		snprintf(why, sizeof(why), "must be between %zu and %zu bytes",
		    min, max);
		bad_value(name, arg, why);
	}
	return (size_t)(v * mult);
}

int64_t
opts_duration(const char *name, const char *arg, int allow_negative)
{
	int64_t us;

	if (dur_parse(arg, &us) != 0)
		bad_value(name, arg,
		    "not a duration (e.g. 500ms, 15s, 1m, 1h30m, 1d)");
	if (us < 0 && !allow_negative)
		bad_value(name, arg, "must not be negative");
	return us;
}

int
opts_choice(const char *name, const char *arg, const char *const *words)
{
	char why[256];
	size_t n = 0;
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	n += (size_t)snprintf(why, sizeof(why), "expected ");
	for (i = 0; words[i] != NULL && n < sizeof(why); i++)
		n += (size_t)snprintf(why + n, sizeof(why) - n, "%s%s",
		    i == 0 ? "" : words[i + 1] == NULL ? " or " : ", ",
		    words[i]);
	bad_value(name, arg, why);
	return -1;
}
