/*
 * emit.c: joined rows. The left row's text is written as it came, then the
 * right row's members are spliced in one by one (values as raw text, so
 * numbers keep their digits). "__kind" of the right row is dropped, the left
 * row's is carried through.
 *
 * Names: a right member whose name the left row does not have keeps it.
 * One whose name the left row has gets --right-prefix, as many times as it
 * takes to find a name that is free: not a left member's, not a right
 * member's (so a right "x" beside a right "right_x" becomes "right_right_x"
 * and the right "right_x" stays), not one given to another right member of
 * this row, and not a name with a meaning of its own (field_reserved). So
 * every output row has each name once, whatever the rows hold.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"
#include "ij.h"
#include "jout.h"
#include "jscan.h"

static struct jdoc ldoc = JDOC_INIT, rdoc = JDOC_INIT;
static struct buf name = BUF_INIT, qname = BUF_INIT;
/* Right member names seen, in order of first appearance: the null fields
 * of an unmatched left row. */
static struct hmap rnames = HMAP_INIT;
/* The member names of the last right row noted, raw and joined: rows of a
 * stream mostly share them, and then there is nothing to add. */
static struct buf lastnames = BUF_INIT, curnames = BUF_INIT;
static const struct jdoc *indoc;	/* the input line just read */
/* Prefixed names given in the row being written: (size_t length, bytes). */
static struct buf given = BUF_INIT;

void
emit_setup(const struct jdoc *input)
{
	indoc = input;
}

static void
parse(struct jdoc *d, const char *text, size_t len)
{
	/* Stored rows were valid when they came in. */
	if (jscan_parse(d, text, len) != 0 || jscan_type(d, 0) != J_OBJECT)
		diag_errx(EXIT_DATA, "internal error: stored row is not an "
		    "object");
}

/* Write "{...members of the left row" without its closing brace; returns
 * whether it had members. */
static int
left_open(const char *l, size_t llen)
{
	jout_raw(&jout_stdout, l, llen - 1);
	return jscan_child(&ldoc, 0) >= 0;
}

/* Whether prefixed name c (len bytes) is taken (see the top of the file).
 * The right row's names are those of rdoc, or with `unmatched` every right
 * name seen. */
static int
taken(const char *c, size_t len, int unmatched)
{
	size_t off = 0, n;

	if (jscan_member(&ldoc, 0, c, len) >= 0 || field_reserved(c, len))
		return 1;
	if (unmatched ? hmap_get(&rnames, c, len) != NULL :
	    jscan_member(&rdoc, 0, c, len) >= 0)
		return 1;
	while (off < given.len) {
		memcpy(&n, given.data + off, sizeof(n));
		off += sizeof(n);
		if (n == len && memcmp(given.data + off, c, len) == 0)
			return 1;
		off += n;
	}
	return 0;
}

/* Write the output key of right member `n` (unescaped, nlen bytes), quoted,
 * with ':' */
static void
put_key(const char *n, size_t nlen, int comma, int unmatched)
{
	struct buf *b = &name;
	size_t plen = strlen(conf.prefix);

	buf_reset(&qname);
	if (comma)
		buf_putc(&qname, ',');
	if (jscan_member(&ldoc, 0, n, nlen) >= 0) {
		buf_reset(b);
		buf_append(b, n, nlen);
		do {
			/* one more prefix in front */
			buf_grow(b, plen);
			memmove(b->data + plen, b->data, b->len + 1);
			memcpy(b->data, conf.prefix, plen);
			b->len += plen;
		} while (taken(b->data, b->len, unmatched));
		buf_append(&given, &b->len, sizeof(b->len));
		buf_append(&given, b->data, b->len);
		jout_quote_buf(&qname, b->data, b->len);
	} else
		jout_quote_buf(&qname, n, nlen);
	buf_putc(&qname, ':');
	jout_raw(&jout_stdout, qname.data, qname.len);
}

void
emit_pair(const char *l, size_t llen, const char *r, size_t rlen)
{
	struct buf key = BUF_INIT;
	const char *raw;
	size_t n;
	int k, any;

	parse(&ldoc, l, llen);
	parse(&rdoc, r, rlen);
	buf_reset(&given);
	any = left_open(l, llen);
	for (k = jscan_child(&rdoc, 0); k >= 0;
	    k = jscan_after(&rdoc, 0, k + 1)) {
		buf_reset(&key);
		jscan_str_append(&rdoc, k, &key);
		if (key.len == 6 && memcmp(key.data, "__kind", 6) == 0)
			continue;
		put_key(key.data != NULL ? key.data : "", key.len, any, 0);
		any = 1;
		raw = jscan_raw(&rdoc, k + 1, &n);
		jout_raw(&jout_stdout, raw, n);
	}
	jout_raw(&jout_stdout, "}\n", 2);
	buf_free(&key);
	cnt.results++;
}

void
emit_note_right(void)
{
	const struct jdoc *d = indoc;
	struct buf key = BUF_INIT;
	const char *raw;
	size_t n;
	void **slot;
	int k;

	if (conf.type != JOIN_LEFT)
		return;
	buf_reset(&curnames);
	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, k + 1)) {
		raw = jscan_raw(d, k, &n);
		buf_append(&curnames, raw, n);
	}
	if (curnames.len == lastnames.len && (curnames.len == 0 ||
	    memcmp(curnames.data, lastnames.data, curnames.len) == 0))
		return;
	buf_reset(&lastnames);
	if (curnames.len > 0)
		buf_append(&lastnames, curnames.data, curnames.len);
	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, k + 1)) {
		buf_reset(&key);
		jscan_str_append(d, k, &key);
		if (key.len == 6 && memcmp(key.data, "__kind", 6) == 0)
			continue;
		slot = hmap_put(&rnames, key.data != NULL ? key.data : "",
		    key.len);
		*slot = (void *)1;
	}
	buf_free(&key);
}

void
emit_unmatched(const char *l, size_t llen)
{
	struct hmap_entry *e;
	int any;

	parse(&ldoc, l, llen);
	buf_reset(&given);
	any = left_open(l, llen);
	HMAP_FOREACH(&rnames, e) {
		put_key(e->key, e->klen, any, 1);
		any = 1;
		jout_raw(&jout_stdout, "null", 4);
	}
	jout_raw(&jout_stdout, "}\n", 2);
	cnt.results++;
	cnt.unmatched++;
}

void
emit_save(struct buf *out)
{
	struct hmap_entry *e;
	int any = 0;

	buf_putc(out, '[');
	HMAP_FOREACH(&rnames, e) {
		if (any++)
			buf_putc(out, ',');
		jout_quote_buf(out, e->key, e->klen);
	}
	buf_putc(out, ']');
}

int
emit_load(json_t *names)
{
	json_t *v;
	size_t i;

	if (!json_is_array(names))
		return -1;
	json_array_foreach(names, i, v) {
		/* right members are written under these names: never one
		 * with a meaning of its own ("__kind" is dropped) */
		if (!json_is_string(v) || field_reserved(json_string_value(v),
		    json_string_length(v)))
			return -1;
		*hmap_put(&rnames, json_string_value(v),
		    json_string_length(v)) = (void *)1;
	}
	return 0;
}

void
emit_free(void)
{
	hmap_free(&rnames, NULL);
	jscan_free(&ldoc);
	jscan_free(&rdoc);
	buf_free(&name);
	buf_free(&qname);
	buf_free(&lastnames);
	buf_free(&curnames);
	buf_free(&given);
}
