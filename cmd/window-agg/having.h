/*
 * having.h: window-agg's --having conditions, parsed without exiting (main
 * decides to exit), so the parser can be tested and fuzzed on its own.
 * window.c applies them to each result.
 */
#ifndef WAGG_HAVING_H
#define WAGG_HAVING_H

#include <stddef.h>

#include "agg.h"
#include "buf.h"
#include "field.h"

enum hop { H_GT, H_GE, H_LT, H_LE, H_EQ, H_NE };

/* One --having condition: output column OP literal. */
struct having {
	int		 col;		/* aggregate, or -1 - group field */
	enum hop	 op;
	char		*lit;		/* canonical JSON text of the literal */
	size_t		 litlen;
};

/*
 * Parse "NAME OP VALUE" into h: NAME an output name of the aggregates g or
 * of the group fields group (as field_out_name writes it), OP one of > >=
 * < <= = != <>, VALUE a JSON scalar (a number within PostgreSQL numeric's
 * range) or else a bare word, taken as a string. 0, or -1 with the reason
 * appended to err and nothing kept in h.
 */
int	having_parse(struct having *h, const char *spec, const struct aggs *g,
	    const struct field_list *group, struct buf *err);
void	having_free(struct having *h);

#endif
