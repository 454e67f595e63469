/*
 * ijopt.c: interval-join's --on and --within.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ijopt.h"
#include "tstamp.h"

int
ijopt_on(struct field_list key[2], const char *spec, struct buf *err)
{
	const char *p = spec, *comma;
	struct field l, r;
	size_t n, n0 = key[0].n;
	char *item, *eq;
	int s;

	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		item = xstrndup(p, n);
		eq = strchr(item, '=');
		if (eq != NULL)
			*eq = '\0';
		if (field_parse(&l, item) != 0) {
			free(item);
			goto bad;
		}
		if (field_parse(&r, eq != NULL ? eq + 1 : item) != 0) {
			field_free(&l);
			free(item);
			goto bad;
		}
		free(item);
		for (s = 0; s < 2; s++) {
			key[s].f = xrealloc(key[s].f,
			    (key[s].n + 1) * sizeof(*key[s].f));
			key[s].f[key[s].n++] = s == 0 ? l : r;
		}
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
bad:
	/* the pairs of this spec taken so far go again */
	for (s = 0; s < 2; s++)
		while (key[s].n > n0)
			field_free(&key[s].f[--key[s].n]);
	buf_puts(err, "expected KEY or LKEY=RKEY, comma-separated");
	return -1;
}

/* A bound of --within: a duration, or a bare 0. */
static int
bound(const char *s, int64_t *us)
{
	if (strcmp(s, "0") == 0 || strcmp(s, "-0") == 0 ||
	    strcmp(s, "+0") == 0) {
		*us = 0;
		return 0;
	}
	return dur_parse(*s == '+' ? s + 1 : s, us);
}

int
ijopt_within(int64_t *lo, int64_t *hi, const char *spec, struct buf *err)
{
	const char *comma = strchr(spec, ',');
	int64_t l, h;
	char *ls;
	int rc;

	if (comma == NULL) {
		buf_puts(err, "expected LOWER,UPPER (e.g. -1h,0)");
		return -1;
	}
	ls = xstrndup(spec, (size_t)(comma - spec));
	rc = bound(ls, &l) != 0 || bound(comma + 1, &h) != 0;
	free(ls);
	if (rc) {
		buf_puts(err, "not two durations (e.g. -1h,0 or -30s,30s)");
		return -1;
	}
	if (l > h) {
		buf_puts(err, "LOWER is after UPPER");
		return -1;
	}
	*lo = l;
	*hi = h;
	return 0;
}
