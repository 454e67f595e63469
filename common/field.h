/*
 * field.h: field names and dotted paths ("source.table", "after.id").
 *
 * A path is compiled once from the command line and then looked up per line
 * in a scanned document (jscan) or in a jansson tree. A literal dot or
 * backslash inside a name is written "\." or "\\": "a\.b" is the one member
 * named "a.b".
 *
 *	struct field f;
 *	if (field_parse(&f, "source.table") != 0) usage error;
 *	int t = field_scan(&doc, 0, &f);
 *	field_free(&f);
 */
#ifndef CDC_FIELD_H
#define CDC_FIELD_H

#include <jansson.h>
#include <stddef.h>

#include <stdint.h>

#include "buf.h"
#include "jscan.h"
#include "tstamp.h"

struct field_seg {
	char	*name;
	size_t	 len;
};

struct field {
	char		*text;		/* as written, for messages */
	struct field_seg *seg;
	size_t		 nseg;
};

/* A list parsed from "F1,F2" (commas inside names escaped as "\,"). */
struct field_list {
	struct field	*f;
	size_t		 n;
};

/* Compile spec. 0, or -1 when it is empty or has an empty segment ("a..b",
 * ".a", "a."). */
int	field_parse(struct field *f, const char *spec);
void	field_free(struct field *f);

/* Append the fields of a comma-separated list to l. 0, or -1 on a bad one
 * (*bad then points into spec at the offending item) with l as it was. */
int	field_list_parse(struct field_list *l, const char *spec,
	    const char **bad);
void	field_list_free(struct field_list *l);

/*
 * The output name of a path, as the tools write it when they name a field
 * after one (window-agg's group fields, cdc-unwrap's --add-fields): the
 * segments joined by "_" ("source.ts_ms" is "source_ts_ms"), appended to
 * out. Two paths can so get one name ("a.b" and "a_b"): the tools check.
 */
void	field_out_name(const struct field *f, struct buf *out);

/*
 * Whether name (len bytes) has a meaning of its own in a stream (DESIGN.md
 * sections 3, 4 and 8): "__kind" makes a row a changelog row, and
 * "__watermark", "__checkpoint", "__restore" and "__committed" make a line
 * a control line. A tool never writes a data field under one of them: an
 * option that would is a usage error.
 */
int	field_reserved(const char *name, size_t len);

/* Token of the value at path f under token t (usually the root, 0), or -1. */
int	field_scan(const struct jdoc *d, int t, const struct field *f);

/* The raw text of token t for a message, cut to 40 bytes ("..." after 37).
 * A static buffer: valid until the next call. */
const char *field_shown(const struct jdoc *d, int t);

/* The time in token t: a string in a form of DESIGN.md section 4 (the
 * infinities included: TS_INF, TS_NINF), or a number of `unit`s since the
 * epoch. 0, TS_EBAD when it is not a time, or TS_ERANGE when it is one
 * outside [TS_MIN, TS_MAX] (ts_strerror says which); tmp holds an unescaped
 * string. */
int	field_time(const struct jdoc *d, int t, enum ts_unit unit,
	    struct buf *tmp, int64_t *us);

/* Value at path f in tree j (borrowed reference), or NULL. */
json_t	*field_json(json_t *j, const struct field *f);

#endif
