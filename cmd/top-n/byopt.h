/*
 * byopt.h: top-n's --by, parsed without exiting (main decides to exit), so
 * the parser can be tested and fuzzed on its own.
 */
#ifndef TOPN_BYOPT_H
#define TOPN_BYOPT_H

#include "buf.h"
#include "field.h"

/* One --by key. */
struct bykey {
	struct field	 f;
	int		 desc;		/* largest first; -1: not said */
};

/*
 * Parse "FIELD", "FIELD:asc" or "FIELD:desc" into k (desc 0 or 1 with a
 * suffix, -1 without: --asc decides). 0, or -1 with the reason appended
 * to err and k left empty.
 */
int	byopt_parse(struct bykey *k, const char *arg, struct buf *err);

#endif
