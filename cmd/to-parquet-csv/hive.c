/*
 * hive.c: --partition-by, the Hive directory of each row.
 *
 * A key is a top-level field, written "f=<value>", or a time field cut to
 * its UTC day or hour, "date=2026-11-22" and "hour=2026-11-22T10" (the hour
 * carries its date so that an hour partition alone never mixes days).
 * "NAME=" before a key names its directory level: "table=__table" writes
 * the field __table as table=<value>, "day=date(ts)" day=2026-11-22.
 * Values are escaped as Hive and DuckDB escape them, so that a value can
 * neither leave the output directory nor be taken for another: "/" is
 * "%2F", ".." is "%2E%2E", "=" is "%3D" and "%" itself "%25". Null, a
 * missing field and the empty string are __HIVE_DEFAULT_PARTITION__, which
 * readers take as NULL.
 *
 * Readers add each level to the columns of the files under its name, so a
 * row that has a member of that name which the files keep ("date" beside
 * date(ts), "table" beside table=__table) is a bad line: the names would
 * clash. A plain field is left out of the files, so "-p region" is fine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"
#include "lake.h"
#include "tstamp.h"

#define HIVE_DEFAULT	"__HIVE_DEFAULT_PARTITION__"

/* Bytes Hive's FileUtils.escapePathName escapes, besides controls and DEL. */
static const char hive_special[] = "\"#%'*/:=?\\^{[]";

static int
needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f ||
	    (c != '\0' && strchr(hive_special, c) != NULL);
}

void
hive_escape(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;

	if (s == NULL || n == 0) {
		buf_puts(out, HIVE_DEFAULT);
		return;
	}
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) {
		buf_puts(out, n == 1 ? "%2E" : "%2E%2E");
		return;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (needs_escape(c)) {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		} else
			buf_putc(out, (char)c);
	}
}

/* The field inside "date(F)" or "hour(F)" (escapes kept), or NULL. */
static const char *
time_key(const char *item, const char *fn, size_t *len)
{
	size_t fl = strlen(fn), n = strlen(item);

	if (n < fl + 2 || strncmp(item, fn, fl) != 0 || item[fl] != '(' ||
	    item[n - 1] != ')')
		return NULL;
	*len = n - fl - 2;
	return item + fl + 1;
}

/* The directory name of "NAME=KEY" (unescaped; NULL without an unescaped
 * "="), and *rest past the "=". */
static char *
key_name(const char *item, const char **rest)
{
	const char *p;
	char *name, *o;

	for (p = item; *p != '\0' && *p != '='; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	if (*p != '=')
		return NULL;
	*rest = p + 1;
	name = o = xstrndup(item, (size_t)(p - item));
	for (p = name; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return name;
}

/* The next item of a comma-separated list, escapes kept; NULL at the end. */
static char *
next_item(const char **pos)
{
	const char *s = *pos, *p = s;
	char *item;

	if (s == NULL)
		return NULL;
	while (*p != '\0' && *p != ',') {
		if (*p == '\\' && p[1] != '\0')
			p++;
		p++;
	}
	item = xstrndup(s, (size_t)(p - s));
	*pos = *p == ',' ? p + 1 : NULL;
	return item;
}

size_t
hive_lookup_add(struct hive *h, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < h->nnames; i++)
		if (h->names[i].len == len &&
		    memcmp(h->names[i].name, name, len) == 0)
			return i;
	h->names = xrealloc(h->names, (h->nnames + 1) * sizeof(*h->names));
	h->names[h->nnames].name = name;
	h->names[h->nnames].len = len;
	return h->nnames++;
}

int
hive_parse(struct hive *h, const char *spec, const char **err)
{
	static char msg[512];
	const char *pos = spec, *inner, *key;
	struct hive_key *k;
	struct field f;
	struct buf seg = BUF_INIT;
	char *item, *fs = NULL, *name = NULL;
	size_t n, i, j;

	memset(h, 0, sizeof(*h));
	if (spec == NULL || spec[0] == '\0')
		return 0;
	while ((item = next_item(&pos)) != NULL) {
		h->k = xrealloc(h->k, (h->n + 1) * sizeof(*h->k));
		k = &h->k[h->n];
		memset(k, 0, sizeof(*k));
		key = item;
		if ((name = key_name(item, &key)) != NULL && name[0] == '\0') {
			snprintf(msg, sizeof(msg), "empty directory name in "
			    "\"%s\"", item);
			goto bad;
		}
		if ((inner = time_key(key, "date", &n)) != NULL)
			k->kind = HIVE_DATE;
		else if ((inner = time_key(key, "hour", &n)) != NULL)
			k->kind = HIVE_HOUR;
		else {
			inner = key;
			n = strlen(key);
		}
		fs = xstrndup(inner, n);
		if (field_parse(&f, fs) != 0) {
			snprintf(msg, sizeof(msg), "empty field name in \"%s\"",
			    item);
			goto bad;
		}
		if (f.nseg != 1) {
			snprintf(msg, sizeof(msg), "\"%s\" is a path: partitions "
			    "are top-level fields (write a dot in a name as "
			    "\"\\.\")", fs);
			field_free(&f);
			goto bad;
		}
		k->field = xstrndup(f.seg[0].name, f.seg[0].len);
		k->flen = f.seg[0].len;
		field_free(&f);
		free(fs);
		fs = NULL;
		buf_reset(&seg);
		if (name != NULL)
			hive_escape(&seg, name, strlen(name));
		else if (k->kind == HIVE_DATE)
			buf_puts(&seg, "date");
		else if (k->kind == HIVE_HOUR)
			buf_puts(&seg, "hour");
		else
			hive_escape(&seg, k->field, k->flen);
		buf_putc(&seg, '=');
		/* Values are checked against HIVE_SEG_MAX as rows come, but
		 * the ones of fixed length (a null, a date, an hour) are
		 * not: the name must leave room for the longest of them. */
		if (seg.len + strlen(HIVE_DEFAULT) > HIVE_SEG_MAX) {
			snprintf(msg, sizeof(msg), "the directory name of "
			    "\"%.40s%s\" is too long (%zu bytes escaped, at "
			    "most %zu)", item, strlen(item) > 40 ? "..." : "",
			    seg.len - 1, HIVE_SEG_MAX - strlen(HIVE_DEFAULT) -
			    1);
			free(k->field);
			goto bad;
		}
		k->seg = xstrndup(seg.data, seg.len);
		k->seglen = seg.len;
		k->name = xstrdup(name != NULL ? name : k->kind == HIVE_DATE ?
		    "date" : k->kind == HIVE_HOUR ? "hour" : k->field);
		k->nlen = strlen(k->name);
		free(name);
		name = NULL;
		h->n++;
		for (j = 0; j + 1 < h->n; j++)
			if (strcmp(h->k[j].seg, k->seg) == 0) {
				snprintf(msg, sizeof(msg), "\"%s\" makes a "
				    "second \"%.*s\" directory level", item,
				    (int)k->seglen - 1, k->seg);
				goto bad;
			}
		free(item);
	}
	buf_free(&seg);
	/* Lookups: the distinct fields, then room for the caller's. */
	h->slot = xcalloc(h->n, sizeof(*h->slot));
	for (i = 0; i < h->n; i++)
		h->slot[i] = (int)hive_lookup_add(h, h->k[i].field,
		    h->k[i].flen);
	for (i = 0; i < h->n; i++)
		if (h->k[i].kind == HIVE_FIELD) {
			h->omit = xrealloc(h->omit,
			    (h->nomit + 1) * sizeof(*h->omit));
			h->omit[h->nomit++] = h->k[i].field;
		}
	for (i = 0; i < h->n; i++)
		h->k[i].clash = hive_level_named(h, h->k[i].name,
		    h->k[i].nlen) == NULL ? -1 : (int)hive_lookup_add(h,
		    h->k[i].name, h->k[i].nlen);
	return 0;
bad:
	free(name);
	free(fs);
	free(item);
	buf_free(&seg);
	hive_free(h);	/* the levels before the bad one */
	*err = msg;
	return -1;
}

const struct hive_key *
hive_level_named(const struct hive *h, const char *name, size_t len)
{
	const struct hive_key *k = NULL;
	size_t i;

	for (i = 0; i < h->n && k == NULL; i++)
		if (h->k[i].nlen == len && memcmp(h->k[i].name, name,
		    len) == 0)
			k = &h->k[i];
	for (i = 0; i < h->nomit && k != NULL; i++)
		if (strlen(h->omit[i]) == len && memcmp(h->omit[i], name,
		    len) == 0)
			k = NULL;	/* a partition field: no column */
	return k;
}

void
hive_free(struct hive *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->k[i].field);
		free(h->k[i].seg);
		free(h->k[i].name);
	}
	free(h->k);
	free(h->names);
	free(h->slot);
	free(h->omit);
	memset(h, 0, sizeof(*h));
}

/*
 * The UTC day, "2026-11-22", or hour, "2026-11-22T10", of time us, the year
 * as ts_format writes it ("+10000-01-01", "-0044-03-15T12"), into out; the
 * infinities are "infinity" and "-infinity" (DuckDB reads those as dates).
 * Kept for the next rows of that day or hour.
 */
static void
time_seg(struct hive_key *k, int64_t us, struct buf *out)
{
	const int64_t day = INT64_C(86400000000), hour = INT64_C(3600000000);
	int64_t days, rem, span;
	size_t n;
	char *t = k->text;

	if (!TS_FINITE(us)) {
		buf_puts(out, us == TS_INF ? "infinity" : "-infinity");
		return;
	}
	if (k->hi == 0 || us < k->lo || us >= k->hi) {
		days = us / day;
		rem = us % day;
		if (rem < 0) {
			rem += day;
			days--;
		}
		n = ts_format_date(days, t);
		if (k->kind == HIVE_DATE)
			span = day;
		else {
			span = hour;
			t[n++] = 'T';
			t[n++] = (char)('0' + rem / hour / 10);
			t[n++] = (char)('0' + rem / hour % 10);
			t[n] = '\0';
			rem %= hour;
		}
		k->lo = us - rem;
		/* the last day or hour of the finite times ends past them */
		k->hi = k->lo > INT64_MAX - span ? INT64_MAX : k->lo + span;
	}
	buf_puts(out, t);
}

int
hive_path(struct hive *h, const struct jdoc *d, const int *found,
    struct buf *out, struct buf *tmp, char *why, size_t whysize)
{
	struct hive_key *k;
	const char *p;
	size_t i, n, start;
	int64_t us;
	int t, rc;

	buf_reset(out);
	for (i = 0; i < h->n; i++) {
		k = &h->k[i];
		if (k->clash >= 0 && found[k->clash] >= 0) {
			snprintf(why, whysize, "field \"%s\": has the name of "
			    "the partition level \"%s=\", which readers add as "
			    "a column (name the level otherwise with NAME=)",
			    k->name, k->name);
			return -1;
		}
		t = found[h->slot[i]];
		if (i > 0)
			buf_putc(out, '/');
		start = out->len;
		buf_append(out, k->seg, k->seglen);
		switch (jscan_type(d, t)) {
		case J_NONE:
		case J_NULL:
			hive_escape(out, NULL, 0);
			continue;
		default:
			break;
		}
		if (k->kind != HIVE_FIELD) {
			if ((rc = field_time(d, t, TS_MS, tmp, &us)) != 0) {
				snprintf(why, whysize, "field \"%s\": %s: %s",
				    k->field, ts_strerror(rc),
				    field_shown(d, t));
				return -1;
			}
			time_seg(k, us, out);
			continue;
		}
		if (jscan_type(d, t) == J_STRING) {
			jscan_str(d, t, tmp, &p, &n);
			hive_escape(out, p, n);
		} else {
			p = jscan_raw(d, t, &n);
			hive_escape(out, p, n);
		}
		if (out->len - start > HIVE_SEG_MAX) {
			snprintf(why, whysize, "field \"%s\": value too long "
			    "for a partition directory (%zu bytes escaped, at "
			    "most %d): %s", k->field, out->len - start -
			    k->seglen, HIVE_SEG_MAX - (int)k->seglen,
			    field_shown(d, t));
			return -1;
		}
	}
	return 0;
}
