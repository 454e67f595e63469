/*
 * having.c: window-agg's --having.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "diag.h"
#include "having.h"
#include "jout.h"
#include "jscan.h"

/* The column named name: an aggregate's index, -1 - a group field's, or
 * INT32_MIN. */
static int
having_col(const char *name, const struct aggs *g,
    const struct field_list *group)
{
	struct buf q = BUF_INIT;
	size_t i;
	int col = INT32_MIN;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->a[i].name, name) == 0)
			col = (int)i;
	for (i = 0; i < group->n && col == INT32_MIN; i++) {
		buf_reset(&q);
		field_out_name(&group->f[i], &q);
		if (q.data != NULL && strcmp(q.data, name) == 0)
			col = -1 - (int)i;
	}
	buf_free(&q);
	return col;
}

int
having_parse(struct having *h, const char *spec, const struct aggs *g,
    const struct field_list *group, struct buf *err)
{
	static const struct { const char *op; enum hop h; } ops[] = {
		{ ">=", H_GE }, { "<=", H_LE }, { "!=", H_NE }, { "<>", H_NE },
		{ ">", H_GT }, { "<", H_LT }, { "=", H_EQ }
	};
	struct jdoc d = JDOC_INIT;
	struct buf name = BUF_INIT, q = BUF_INIT;
	const char *p = spec, *val, *lit;
	size_t nlen, i, vlen, llen;
	struct dec x;
	int rc = -1;

	memset(h, 0, sizeof(*h));
	while (*p == ' ')
		p++;
	val = p;
	while (*p != '\0' && *p != ' ' && strchr("<>=!", *p) == NULL)
		p++;
	nlen = (size_t)(p - val);
	buf_append(&name, val, nlen);
	while (*p == ' ')
		p++;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(p, ops[i].op, strlen(ops[i].op)) == 0)
			break;
	if (nlen == 0 || i == sizeof(ops) / sizeof(ops[0])) {
		buf_puts(err, "expected NAME OP VALUE, OP one of > >= < <= = "
		    "!=");
		goto out;
	}
	h->op = ops[i].h;
	p += strlen(ops[i].op);
	while (*p == ' ')
		p++;
	val = p;
	vlen = strlen(val);
	while (vlen > 0 && val[vlen - 1] == ' ')
		vlen--;
	if (vlen == 0) {
		buf_puts(err, "no value to compare with");
		goto out;
	}
	if ((h->col = having_col(name.data, g, group)) == INT32_MIN) {
		buf_printf(err, "no aggregate or group field named \"%s\"",
		    name.data);
		goto out;
	}
	if (jscan_parse(&d, val, vlen) == 0 && jscan_type(&d, 0) != J_OBJECT
	    && jscan_type(&d, 0) != J_ARRAY) {
		/* compared exactly: within numeric's range, as values are
		 * (the number's own text: blanks other than spaces may be
		 * around it) */
		lit = jscan_raw(&d, 0, &llen);
		if (jscan_type(&d, 0) == J_NUMBER &&
		    dec_parse(&x, lit, llen) == DEC_ERANGE) {
			buf_puts(err, "number out of range");
			goto out;
		}
		json_canon(&d, 0, &q, &lit, &llen);
		h->lit = xstrndup(lit, llen);
		h->litlen = llen;
	} else {
		jout_quote_buf(&q, val, vlen);
		h->lit = xstrndup(q.data, q.len);
		h->litlen = q.len;
	}
	rc = 0;
out:
	if (rc != 0)
		memset(h, 0, sizeof(*h));
	jscan_free(&d);
	buf_free(&name);
	buf_free(&q);
	return rc;
}

void
having_free(struct having *h)
{
	free(h->lit);
	memset(h, 0, sizeof(*h));
}
