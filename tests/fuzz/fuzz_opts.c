/*
 * fuzz_opts.c: libFuzzer target for the option values that have a syntax
 * of their own: window-agg's --agg and --having, to-parquet-csv's --schema
 * and --partition-by (-p), interval-join's --on and --within, top-n's
 * --by, cdc-unwrap's --key, --add-fields and --tables, and the field lists
 * of --group-by and the like (field_list_parse).
 *
 * The first byte picks the parser; the rest is split at newlines into the
 * values given to it, each a C string as argv would hold it (a NUL ends
 * it). A parser must refuse a bad value with a message and leave its
 * output as it was (nothing half added, nothing leaked); an accepted value
 * must hold together (names unique and non-empty, indexes in range,
 * literals valid JSON), and where the parsed form can be written back as
 * text, that text must parse to the same thing. -p also gets a row (the
 * next value, as JSON) to make a partition path from: every directory
 * level is a name no file system refuses. Any violation aborts, so the
 * fuzzer keeps the input.
 *
 * fuzz-sources: cmd/window-agg/agg.c cmd/window-agg/having.c
 * fuzz-sources: cmd/to-parquet-csv/schema.c cmd/to-parquet-csv/hive.c
 * fuzz-sources: cmd/interval-join/ijopt.c cmd/top-n/byopt.c
 * fuzz-sources: cmd/cdc-unwrap/store.c cmd/cdc-unwrap/unwrap.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "buf.h"
#include "byopt.h"
#include "diag.h"
#include "field.h"
#include "fw.h"
#include "having.h"
#include "ijopt.h"
#include "jout.h"
#include "jscan.h"
#include "lake.h"
#include "tstamp.h"
#include "unwrap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NVAL	4

static const char *what;		/* the parser, for messages */
static const char *val[NVAL];		/* the values, NULL when absent */

static void
require(int ok, const char *why)
{
	size_t i;

	if (ok)
		return;
	fprintf(stderr, "fuzz_opts: %s: %s:", what, why);
	for (i = 0; i < NVAL && val[i] != NULL; i++)
		fprintf(stderr, " \"%s\"", val[i]);
	fputc('\n', stderr);
	abort();
}

/* Whether s[0..n) holds none of the bytes in set. */
static int
none_of(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(set, s[i]) != NULL)
			return 0;
	return 1;
}

/* Append s with a backslash before each byte of set and each backslash. */
static void
escaped(struct buf *b, const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || strchr(set, s[i]) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
}

static int
field_eq(const struct field *a, const struct field *b)
{
	size_t i;

	if (a->nseg != b->nseg)
		return 0;
	for (i = 0; i < a->nseg; i++)
		if (a->seg[i].len != b->seg[i].len || memcmp(a->seg[i].name,
		    b->seg[i].name, a->seg[i].len) != 0)
			return 0;
	return 1;
}

/* A parsed field: segments non-empty, and its text parses to it again. */
static void
check_field(const struct field *f)
{
	struct field again;
	size_t i;

	require(f->text != NULL && f->nseg > 0, "field without segments");
	for (i = 0; i < f->nseg; i++)
		require(f->seg[i].len > 0 && f->seg[i].len ==
		    strlen(f->seg[i].name), "empty or cut segment");
	require(field_parse(&again, f->text) == 0 && field_eq(f, &again),
	    "field text parses otherwise");
	field_free(&again);
}

/* ---------------------------------------------------------------------
 * Field lists (--group-by, --partition-by of top-n, --add-fields)
 */

static void
fuzz_field_list(void)
{
	struct field_list l = { NULL, 0 };
	const char *bad = NULL;
	size_t i, n;

	for (i = 0; i < NVAL && val[i] != NULL; i++) {
		n = l.n;
		if (field_list_parse(&l, val[i], &bad) != 0) {
			require(bad >= val[i] && bad <= val[i] +
			    strlen(val[i]), "error locus outside the value");
			require(l.n == n, "a refused list left items");
		}
	}
	for (i = 0; i < l.n; i++)
		check_field(&l.f[i]);
	field_list_free(&l);
}

/* ---------------------------------------------------------------------
 * window-agg: --agg, --having
 */

static const char *const fnname[] = {
	"count", "count", "sum", "avg", "min", "max", "count_distinct",
	"first", "last"
};

static void
check_aggs(const struct aggs *g)
{
	struct buf key = BUF_INIT;
	size_t i, k;

	for (i = 0; i < g->n; i++) {
		const struct aggspec *a = &g->a[i];

		require(a->name != NULL && a->name[0] != '\0', "empty name");
		require((a->fn == AF_COUNT) == (a->in < 0), "argument");
		require(a->in < (int)g->nin, "argument index");
		for (k = 0; k < i; k++)
			require(strcmp(a->name, g->a[k].name) != 0,
			    "two aggregates of one name");
		buf_reset(&key);
		buf_putc(&key, ',');
		jout_quote_buf(&key, a->name, strlen(a->name));
		buf_putc(&key, ':');
		require(a->keylen == key.len && memcmp(a->key, key.data,
		    key.len) == 0, "key is not the quoted name");
		if (g->a[i].fn == AF_FIRST || g->a[i].fn == AF_LAST)
			require(g->need_time, "first/last without time");
	}
	for (i = 0; i < g->nin; i++)
		check_field(&g->in[i].f);
	buf_free(&key);
}

/* The aggregates written back as "fn(field) as name,...", when every name
 * can be written so; "" otherwise. */
static void
aggs_text(const struct aggs *g, struct buf *b)
{
	const struct aggspec *a;
	size_t i;

	buf_reset(b);
	for (i = 0; i < g->n; i++) {
		a = &g->a[i];
		if (!none_of(a->name, strlen(a->name), ", \t")) {
			buf_reset(b);
			return;
		}
		if (i > 0)
			buf_putc(b, ',');
		buf_puts(b, fnname[a->fn]);
		if (a->in >= 0)
			buf_printf(b, "(%s)", g->in[a->in].f.text);
		buf_printf(b, " as %s", a->name);
	}
}

static void
fuzz_agg(void)
{
	struct aggs g, again;
	struct buf err = BUF_INIT, text = BUF_INIT, numeric = BUF_INIT;
	size_t i, k, n, nin;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < NVAL && val[i] != NULL; i++) {
		n = g.n;
		nin = g.nin;
		buf_reset(&numeric);
		for (k = 0; k < nin; k++)
			buf_putc(&numeric, (char)g.in[k].numeric);
		buf_reset(&err);
		if (aggs_parse(&g, val[i], &err) != 0) {
			require(err.len > 0, "refused without a reason");
			require(g.n == n && g.nin == nin,
			    "a refused --agg left aggregates");
			for (k = 0; k < nin; k++)
				require(g.in[k].numeric == numeric.data[k],
				    "a refused --agg marked an input");
		} else
			require(g.n > n, "accepted without an aggregate");
	}
	check_aggs(&g);
	aggs_text(&g, &text);
	if (text.len > 0) {
		memset(&again, 0, sizeof(again));
		buf_reset(&err);
		require(aggs_parse(&again, text.data, &err) == 0,
		    "written back, refused");
		require(again.n == g.n, "written back, another count");
		for (i = 0; i < g.n; i++) {
			require(again.a[i].fn == g.a[i].fn &&
			    strcmp(again.a[i].name, g.a[i].name) == 0,
			    "written back, another aggregate");
			require((again.a[i].in < 0) == (g.a[i].in < 0) &&
			    (g.a[i].in < 0 || strcmp(again.in[again.a[i].in].f.
			    text, g.in[g.a[i].in].f.text) == 0),
			    "written back, another argument");
		}
		aggs_free(&again);
	}
	aggs_free(&g);
	buf_free(&err);
	buf_free(&text);
	buf_free(&numeric);
}

static void
fuzz_having(void)
{
	static const char *const opname[] = { ">", ">=", "<", "<=", "=",
	    "!=" };
	struct aggs g;
	struct field_list group = { NULL, 0 };
	struct having h, again;
	struct jdoc d = JDOC_INIT;
	struct buf err = BUF_INIT, name = BUF_INIT, text = BUF_INIT;
	const char *bad;

	if (val[0] == NULL || val[1] == NULL || val[2] == NULL)
		return;
	memset(&g, 0, sizeof(g));
	if (aggs_parse(&g, val[0], &err) != 0 ||
	    (val[1][0] != '\0' && field_list_parse(&group, val[1], &bad) != 0))
		goto out;
	buf_reset(&err);
	memset(&h, 0xa5, sizeof(h));
	if (having_parse(&h, val[2], &g, &group, &err) != 0) {
		require(err.len > 0, "refused without a reason");
		require(h.lit == NULL && h.litlen == 0, "refused, kept");
		goto out;
	}
	require(h.col >= 0 ? (size_t)h.col < g.n : (size_t)(-1 - h.col) <
	    group.n, "column out of range");
	require(h.op >= H_GT && h.op <= H_NE, "operator");
	require(h.lit != NULL && h.litlen == strlen(h.lit), "literal");
	require(jscan_parse(&d, h.lit, h.litlen) == 0 &&
	    jscan_type(&d, 0) != J_OBJECT && jscan_type(&d, 0) != J_ARRAY,
	    "literal is no JSON scalar");
	require(jscan_utf8_valid(h.lit, h.litlen), "literal is not UTF-8");
	/* written back as "NAME OP LITERAL" */
	if (h.col >= 0)
		buf_puts(&name, g.a[h.col].name);
	else
		field_out_name(&group.f[-1 - h.col], &name);
	if (none_of(name.data, name.len, " <>=!")) {
		buf_printf(&text, "%s %s %s", name.data, opname[h.op], h.lit);
		buf_reset(&err);
		require(having_parse(&again, text.data, &g, &group, &err) == 0,
		    "written back, refused");
		require(again.col == h.col && again.op == h.op &&
		    again.litlen == h.litlen && memcmp(again.lit, h.lit,
		    h.litlen) == 0, "written back, another condition");
		having_free(&again);
	}
	having_free(&h);
out:
	aggs_free(&g);
	field_list_free(&group);
	jscan_free(&d);
	buf_free(&err);
	buf_free(&name);
	buf_free(&text);
}

/* ---------------------------------------------------------------------
 * to-parquet-csv: --schema, --partition-by
 */

static void
fuzz_schema(void)
{
	struct schema s, again;
	struct column *c;
	struct buf text = BUF_INIT;
	char *err = NULL, tn[64];
	size_t i, k;

	if (val[0] == NULL)
		return;
	if (schema_parse(&s, val[0], &err) != 0) {
		require(err != NULL && err[0] != '\0',
		    "refused without a reason");
		require(s.n == 0 && s.col == NULL, "refused, kept columns");
		free(err);
		return;
	}
	require(err == NULL, "accepted with a message");
	require(s.n > 0, "accepted without a column");
	for (i = 0; i < s.n; i++) {
		c = &s.col[i];
		require(c->nlen > 0 && c->nlen == strlen(c->name),
		    "empty or cut name");
		require(c->declared, "not declared");
		require(c->type != COL_NUMTEXT, "an inferred-only type");
		if (c->type == COL_DECIMAL)
			require(c->precision >= 1 && c->precision <= 76 &&
			    c->scale >= 0 && c->scale <= c->precision,
			    "decimal out of range");
		for (k = 0; k < i; k++)
			require(strcmp(c->name, s.col[k].name) != 0,
			    "a column twice");
		if (i > 0)
			buf_putc(&text, ',');
		escaped(&text, c->name, c->nlen, ",:");
		buf_printf(&text, ":%s", col_type_name(c, tn, sizeof(tn)));
	}
	require(schema_parse(&again, text.data, &err) == 0,
	    "written back, refused");
	require(again.n == s.n, "written back, another count");
	for (i = 0; i < s.n; i++)
		require(again.col[i].nlen == s.col[i].nlen &&
		    memcmp(again.col[i].name, s.col[i].name, s.col[i].nlen) ==
		    0 && again.col[i].type == s.col[i].type &&
		    again.col[i].precision == s.col[i].precision &&
		    again.col[i].scale == s.col[i].scale,
		    "written back, another column");
	schema_free(&again);
	schema_free(&s);
	buf_free(&text);
}

/* -p written back: every name and field escaped. */
static void
hive_text(const struct hive *h, struct buf *b)
{
	const struct hive_key *k;
	size_t i;

	for (i = 0; i < h->n; i++) {
		k = &h->k[i];
		if (i > 0)
			buf_putc(b, ',');
		if (k->kind == HIVE_FIELD || strcmp(k->name, k->kind ==
		    HIVE_DATE ? "date" : "hour") != 0) {
			escaped(b, k->name, k->nlen, ",.=()");
			buf_putc(b, '=');
		}
		if (k->kind != HIVE_FIELD)
			buf_puts(b, k->kind == HIVE_DATE ? "date(" : "hour(");
		escaped(b, k->field, k->flen, ",.=()");
		if (k->kind != HIVE_FIELD)
			buf_putc(b, ')');
	}
}

/* The directory of a row: h->n levels "name=value", each one a name a
 * file system takes (not empty, not "." or "..", no "/", NAME_MAX). */
static void
check_path(const struct hive *h, const char *p, size_t n)
{
	const char *end = p + n, *sl;
	size_t levels = 0, len;

	if (h->n == 0) {
		require(n == 0, "a path without partitions");
		return;
	}
	while (p <= end) {
		sl = memchr(p, '/', (size_t)(end - p));
		len = sl != NULL ? (size_t)(sl - p) : (size_t)(end - p);
		require(len > 0 && len <= HIVE_SEG_MAX, "level empty or longer "
		    "than NAME_MAX");
		require(!(len == 1 && p[0] == '.') && !(len == 2 &&
		    p[0] == '.' && p[1] == '.'), "level . or ..");
		require(memchr(p, '\0', len) == NULL, "NUL in a level");
		require(len > h->k[levels].seglen && memcmp(p,
		    h->k[levels].seg, h->k[levels].seglen) == 0,
		    "level without its name");
		levels++;
		if (sl == NULL)
			break;
		p = sl + 1;
	}
	require(levels == h->n, "not a level per key");
}

static void
fuzz_hive(void)
{
	struct hive h, again;
	struct jdoc d = JDOC_INIT;
	struct buf text = BUF_INIT, out = BUF_INIT, tmp = BUF_INIT;
	const char *err = NULL;
	char why[512];
	int *found;
	size_t i;

	if (val[0] == NULL)
		return;
	if (hive_parse(&h, val[0], &err) != 0) {
		require(err != NULL && err[0] != '\0',
		    "refused without a reason");
		require(h.n == 0 && h.k == NULL && h.names == NULL,
		    "refused, kept levels");
		return;
	}
	for (i = 0; i < h.n; i++) {
		const struct hive_key *k = &h.k[i];

		require(k->flen > 0 && k->flen == strlen(k->field),
		    "empty or cut field");
		require(k->nlen > 0 && k->nlen == strlen(k->name),
		    "empty or cut name");
		require(k->seglen > 1 && k->seglen == strlen(k->seg) &&
		    k->seg[k->seglen - 1] == '=' && memchr(k->seg, '/',
		    k->seglen) == NULL, "level name");
		require(h.slot[i] >= 0 && (size_t)h.slot[i] < h.nnames,
		    "slot");
		require(k->clash < (int)h.nnames, "clash slot");
	}
	hive_text(&h, &text);
	require(hive_parse(&again, text.data != NULL ? text.data : "",
	    &err) == 0, "written back, refused");
	require(again.n == h.n, "written back, another count");
	for (i = 0; i < h.n; i++)
		require(again.k[i].kind == h.k[i].kind &&
		    strcmp(again.k[i].field, h.k[i].field) == 0 &&
		    strcmp(again.k[i].name, h.k[i].name) == 0 &&
		    strcmp(again.k[i].seg, h.k[i].seg) == 0,
		    "written back, another level");
	hive_free(&again);
	/* a row's directory */
	if (val[1] != NULL && jscan_parse(&d, val[1], strlen(val[1])) == 0 &&
	    jscan_type(&d, 0) == J_OBJECT) {
		found = xcalloc(h.nnames + 1, sizeof(*found));
		jscan_members(&d, 0, h.names, h.nnames, found);
		if (hive_path(&h, &d, found, &out, &tmp, why, sizeof(why)) ==
		    0)
			check_path(&h, out.data != NULL ? out.data : "",
			    out.len);
		else
			require(why[0] != '\0', "bad row without a reason");
		free(found);
	}
	hive_free(&h);
	jscan_free(&d);
	buf_free(&text);
	buf_free(&out);
	buf_free(&tmp);
}

/* ---------------------------------------------------------------------
 * interval-join: --on, --within
 */

static void
fuzz_on(void)
{
	struct field_list key[2] = { { NULL, 0 }, { NULL, 0 } }, again[2] = {
	    { NULL, 0 }, { NULL, 0 } };
	struct buf err = BUF_INIT, text = BUF_INIT;
	size_t i, n;
	int s;

	for (i = 0; i < NVAL && val[i] != NULL; i++) {
		n = key[0].n;
		buf_reset(&err);
		if (ijopt_on(key, val[i], &err) != 0) {
			require(err.len > 0, "refused without a reason");
			require(key[0].n == n && key[1].n == n,
			    "a refused --on left keys");
		} else
			require(key[0].n > n && key[0].n == key[1].n,
			    "accepted, but not a pair per key");
	}
	for (i = 0; i < key[0].n; i++) {
		for (s = 0; s < 2; s++)
			check_field(&key[s].f[i]);
		if (i > 0)
			buf_putc(&text, ',');
		buf_printf(&text, "%s=%s", key[0].f[i].text,
		    key[1].f[i].text);
	}
	if (key[0].n > 0) {
		require(ijopt_on(again, text.data, &err) == 0 &&
		    again[0].n == key[0].n, "written back, refused");
		for (i = 0; i < key[0].n; i++)
			for (s = 0; s < 2; s++)
				require(field_eq(&again[s].f[i], &key[s].f[i]),
				    "written back, another key");
	}
	for (s = 0; s < 2; s++) {
		field_list_free(&key[s]);
		field_list_free(&again[s]);
	}
	buf_free(&err);
	buf_free(&text);
}

static void
fuzz_within(void)
{
	struct buf err = BUF_INIT;
	char a[DUR_STRLEN], b[DUR_STRLEN], text[2 * DUR_STRLEN + 2];
	int64_t lo = 42, hi = 41, lo2, hi2;

	if (val[0] == NULL)
		return;
	if (ijopt_within(&lo, &hi, val[0], &err) != 0) {
		require(err.len > 0, "refused without a reason");
		require(lo == 42 && hi == 41, "refused, set");
		buf_free(&err);
		return;
	}
	require(lo <= hi, "LOWER after UPPER");
	dur_format(lo, a);
	dur_format(hi, b);
	snprintf(text, sizeof(text), "%s,%s", a, b);
	require(ijopt_within(&lo2, &hi2, text, &err) == 0 && lo2 == lo &&
	    hi2 == hi, "written back, another interval");
	buf_free(&err);
}

/* ---------------------------------------------------------------------
 * top-n: --by; cdc-unwrap: --key
 */

static void
fuzz_by(void)
{
	struct bykey k, again;
	struct buf err = BUF_INIT, text = BUF_INIT;

	if (val[0] == NULL)
		return;
	if (byopt_parse(&k, val[0], &err) != 0) {
		require(err.len > 0, "refused without a reason");
		require(k.f.text == NULL && k.f.nseg == 0, "refused, kept");
		buf_free(&err);
		return;
	}
	require(k.desc >= -1 && k.desc <= 1, "direction");
	check_field(&k.f);
	buf_puts(&text, k.f.text);
	if (k.desc >= 0)
		buf_puts(&text, k.desc ? ":desc" : ":asc");
	require(byopt_parse(&again, text.data, &err) == 0 &&
	    again.desc == k.desc && field_eq(&again.f, &k.f),
	    "written back, another key");
	field_free(&again.f);
	field_free(&k.f);
	buf_free(&err);
	buf_free(&text);
}

static void
fuzz_key(void)
{
	struct table *t;
	size_t i;

	for (i = 0; i < NVAL && val[i] != NULL; i++)
		(void)table_key_option(val[i]);
	/* a table given keys gets them: every key column a field */
	t = table_get("public.sales", 12);
	for (i = 0; i < t->key.n; i++)
		check_field(&t->key.f[i]);
	require(t->key_given == (t->key.n > 0), "key given, no columns");
	tables_free();
}

static void
fuzz_add_fields(void)
{
	struct unwrap_conf c;
	struct buf err = BUF_INIT, key = BUF_INIT;
	size_t i, k, n;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < NVAL && val[i] != NULL; i++) {
		n = c.nadd;
		buf_reset(&err);
		if (unwrap_add_fields(&c, val[i], &err) != 0) {
			require(err.len > 0, "refused without a reason");
			require(c.nadd == n, "a refused --add-fields left "
			    "fields");
		}
	}
	for (i = 0; i < c.nadd; i++) {
		const struct addfield *a = &c.add[i];

		check_field(&a->path);
		require(a->plain == (a->path.nseg == 1), "plain");
		if (a->plain)
			check_field(&a->in_source);
		require(strncmp(a->name, "__", 2) == 0 && a->name[2] != '\0',
		    "name without \"__\"");
		buf_reset(&key);
		buf_putc(&key, ',');
		jout_quote_buf(&key, a->name, strlen(a->name));
		buf_putc(&key, ':');
		require(strcmp(a->key, key.data) == 0, "key is not the "
		    "quoted name");
	}
	buf_reset(&err);
	if (unwrap_check(&c, &err) == 0)
		for (i = 0; i < c.nadd; i++) {
			require(!field_reserved(c.add[i].name,
			    strlen(c.add[i].name)), "a reserved name taken");
			for (k = 0; k < i; k++)
				require(strcmp(c.add[i].name, c.add[k].name) !=
				    0, "a name twice taken");
		}
	else
		require(err.len > 0, "refused without a reason");
	unwrap_conf_free(&c);
	buf_free(&err);
	buf_free(&key);
}

static void
fuzz_tables(void)
{
	struct unwrap_conf c, again;
	struct buf err = BUF_INIT, text = BUF_INIT;
	const struct tablefilter *t;
	size_t i, n;

	memset(&c, 0, sizeof(c));
	memset(&again, 0, sizeof(again));
	for (i = 0; i < NVAL && val[i] != NULL; i++) {
		n = c.ntables;
		buf_reset(&err);
		if (unwrap_tables(&c, val[i], &err) != 0) {
			require(err.len > 0, "refused without a reason");
			require(c.ntables == n, "a refused --tables left "
			    "tables");
		}
	}
	for (i = 0; i < c.ntables; i++) {
		t = &c.tables[i];
		/* a name that no table has would select nothing, silently */
		require(t->name[0] != '\0', "an empty table name taken");
		require(t->schema == NULL || t->schema[0] != '\0',
		    "an empty schema name taken");
		if (i > 0)
			buf_putc(&text, ',');
		if (t->schema != NULL)
			buf_printf(&text, "%s.", t->schema);
		buf_puts(&text, t->name);
	}
	if (c.ntables > 0) {
		require(unwrap_tables(&again, text.data, &err) == 0 &&
		    again.ntables == c.ntables, "written back, refused");
		for (i = 0; i < c.ntables; i++)
			require(strcmp(again.tables[i].name,
			    c.tables[i].name) == 0 && (again.tables[i].schema ==
			    NULL) == (c.tables[i].schema == NULL) &&
			    (c.tables[i].schema == NULL ||
			    strcmp(again.tables[i].schema,
			    c.tables[i].schema) == 0),
			    "written back, another table");
	}
	unwrap_conf_free(&c);
	unwrap_conf_free(&again);
	buf_free(&err);
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char	*name;
		void		(*fn)(void);
	} parsers[] = {
		{ "field_list_parse", fuzz_field_list },
		{ "--agg", fuzz_agg },
		{ "--having", fuzz_having },
		{ "--schema", fuzz_schema },
		{ "--partition-by", fuzz_hive },
		{ "--on", fuzz_on },
		{ "--within", fuzz_within },
		{ "--by", fuzz_by },
		{ "--key", fuzz_key },
		{ "--add-fields", fuzz_add_fields },
		{ "--tables", fuzz_tables },
	};
	char *copy, *p, *nl;
	size_t i;

	if (size == 0)
		return 0;
	what = parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))].name;
	copy = xmalloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	memset(val, 0, sizeof(val));
	for (i = 0, p = copy; i < NVAL && p != NULL; i++) {
		val[i] = p;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		p = nl;
	}
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))].fn();
	free(copy);
	return 0;
}
