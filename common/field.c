/*
 * field.c: dotted field paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"

/*
 * Split spec at unescaped `sep` characters starting at *pos: the unescaped
 * item is written to out (NUL-terminated, length returned), *pos moves past
 * the separator and *more says whether there was one. "\x" stands for x
 * whatever x is, so "\.", "\\" and "\," are literal; keep_esc keeps the
 * backslashes (for lists whose items are parsed again as paths).
 */
static size_t
take_item(const char *spec, size_t *pos, char sep, char *out, int keep_esc,
    int *more)
{
	size_t i = *pos, n = 0;

	while (spec[i] != '\0' && spec[i] != sep) {
		if (spec[i] == '\\' && spec[i + 1] != '\0') {
			if (keep_esc)
				out[n++] = spec[i];
			i++;
		}
		out[n++] = spec[i++];
	}
	out[n] = '\0';
	*more = spec[i] == sep;
	*pos = *more ? i + 1 : i;
	return n;
}

int
field_parse(struct field *f, const char *spec)
{
	size_t pos = 0, len = strlen(spec), n;
	char *tmp;

	memset(f, 0, sizeof(*f));
	if (len == 0)
		return -1;
	f->text = xstrdup(spec);
	tmp = xmalloc(len + 1);
	for (;;) {
		int more;

		n = take_item(spec, &pos, '.', tmp, 0, &more);
		if (n == 0) {
			free(tmp);
			field_free(f);
			return -1;
		}
		f->seg = xrealloc(f->seg, (f->nseg + 1) * sizeof(*f->seg));
		f->seg[f->nseg].name = xstrndup(tmp, n);
		f->seg[f->nseg].len = n;
		f->nseg++;
		if (!more)
			break;
	}
	free(tmp);
	return 0;
}

void
field_free(struct field *f)
{
	size_t i;

	for (i = 0; i < f->nseg; i++)
		free(f->seg[i].name);
	free(f->seg);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

int
field_list_parse(struct field_list *l, const char *spec, const char **bad)
{
	size_t pos = 0, start, n0 = l->n;
	char *tmp = xmalloc(strlen(spec) + 1);
	int more;

	for (;;) {
		start = pos;
		take_item(spec, &pos, ',', tmp, 1, &more);
		l->f = xrealloc(l->f, (l->n + 1) * sizeof(*l->f));
		if (field_parse(&l->f[l->n], tmp) != 0) {
			/* the items of this spec before the bad one go */
			while (l->n > n0)
				field_free(&l->f[--l->n]);
			free(tmp);
			*bad = spec + start;
			return -1;
		}
		l->n++;
		if (!more)
			break;
	}
	free(tmp);
	return 0;
}

void
field_list_free(struct field_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		field_free(&l->f[i]);
	free(l->f);
	l->f = NULL;
	l->n = 0;
}

int
field_scan(const struct jdoc *d, int t, const struct field *f)
{
	size_t i;

	for (i = 0; i < f->nseg && t >= 0; i++)
		t = jscan_member(d, t, f->seg[i].name, f->seg[i].len);
	return t;
}

json_t *
field_json(json_t *j, const struct field *f)
{
	size_t i;

	for (i = 0; i < f->nseg && j != NULL; i++)
		j = json_object_getn(j, f->seg[i].name, f->seg[i].len);
	return j;
}

const char *
field_shown(const struct jdoc *d, int t)
{
	static char out[64];
	const char *raw;
	size_t n;

	raw = jscan_raw(d, t, &n);
	if (n > 40)
		snprintf(out, sizeof(out), "%.37s...", raw);
	else
		snprintf(out, sizeof(out), "%.*s", (int)n, raw);
	return out;
}

int
field_time(const struct jdoc *d, int t, enum ts_unit unit, struct buf *tmp,
    int64_t *us)
{
	const char *p;
	size_t n;

	switch (jscan_type(d, t)) {
	case J_STRING:
		if (jscan_str(d, t, tmp, &p, &n) != 0)
			return TS_EBAD;
		return ts_parse(p, n, us);
	case J_NUMBER:
		p = jscan_raw(d, t, &n);
		return ts_parse_number(p, n, unit, us);
	default:
		return TS_EBAD;
	}
}

void
field_out_name(const struct field *f, struct buf *out)
{
	size_t s;

	for (s = 0; s < f->nseg; s++) {
		if (s > 0)
			buf_putc(out, '_');
		buf_append(out, f->seg[s].name, f->seg[s].len);
	}
}

int
field_reserved(const char *name, size_t len)
{
	static const char *const reserved[] = { "__kind", "__watermark",
	    "__checkpoint", "__restore", "__committed" };
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strlen(reserved[i]) == len &&
		    memcmp(reserved[i], name, len) == 0)
			return 1;
	return 0;
}
