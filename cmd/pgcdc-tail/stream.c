/*
 * stream.c: pgoutput decoding and the change events it becomes.
 *
 * Message layouts are PostgreSQL's "Logical Replication Message Formats"
 * (protocol version 1); every integer is big-endian, every string
 * NUL-terminated. Each read is bounds-checked: a short or garbled message
 * is reported, never read past. The cursor keeps the first error: a read
 * after it returns zeros and an empty string, so a decoder reads on
 * without checking each step and looks once, before it acts.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "buf.h"
#include "diag.h"
#include "pgval.h"
#include "stream.h"

struct column {
	char		*key;		/* "\"name\":" ready to write */
	char		*name;
	uint32_t	 typoid;
	int		 iskey;		/* part of the replica identity */
};

struct relation {
	uint32_t	 relid;
	uint64_t	 from;		/* its stream.tables entry */
	char		*source;	/* "\"schema\":\"s\",\"table\":\"t\"" */
	int		 ncols;
	struct column	*cols;
};

/* One decoded tuple: per column its kind ('n' null, 'u' unchanged TOAST,
 * 't' text) and text span inside the message. */
struct tuple {
	int		 ncols;
	char		*kind;
	const char	**val;
	uint32_t	*len;
	int		 cap;
};

struct cursor {
	const unsigned char	*p;
	const unsigned char	*end;
	const char		*err;	/* the first problem, or NULL */
};

static struct tuple oldtup, newtup;
static struct buf scratch = BUF_INIT;

/* Note the first problem; later ones follow from it. */
static void
bad(struct cursor *c, const char *what)
{
	if (c->err == NULL)
		c->err = what;
	c->p = c->end;
}

static int
have(struct cursor *c, size_t n)
{
	if (c->err != NULL || (size_t)(c->end - c->p) < n) {
		bad(c, "truncated");
		return 0;
	}
	return 1;
}

static uint8_t
get8(struct cursor *c)
{
	if (!have(c, 1))
		return 0;
	return *c->p++;
}

static uint16_t
get16(struct cursor *c)
{
	uint16_t v;

	if (!have(c, 2))
		return 0;
	v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static uint32_t
get32(struct cursor *c)
{
	uint32_t v;

	if (!have(c, 4))
		return 0;
	v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static uint64_t
get64(struct cursor *c)
{
	uint64_t hi = get32(c);

	return hi << 32 | get32(c);
}

static const char *
getstr(struct cursor *c)
{
	const unsigned char *z;
	const char *s = (const char *)c->p;

	if (c->err != NULL)
		return "";
	z = memchr(c->p, '\0', (size_t)(c->end - c->p));
	if (z == NULL) {
		bad(c, "unterminated string");
		return "";
	}
	c->p = z + 1;
	return s;
}

/* s as a JSON string, in a new allocation. */
static char *
json_quoted(const char *s)
{
	buf_reset(&scratch);
	jout_quote_buf(&scratch, s, strlen(s));
	return xstrdup(scratch.data);
}

void
stream_init(struct stream *s, struct jout *out, const char *db,
    int pgval_flags)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->db_json = json_quoted(db != NULL ? db : "");
	s->pgval_flags = pgval_flags;
}

static void
relation_free(void *p)
{
	struct relation *r = p;
	int i;

	for (i = 0; i < r->ncols; i++) {
		free(r->cols[i].key);
		free(r->cols[i].name);
	}
	free(r->cols);
	free(r->source);
	free(r);
}

void
stream_reset(struct stream *s)
{
	hmap_free(&s->rels, relation_free);
	if (s->in_txn) {
		s->skip_xid = s->xid;
		s->skip = s->txn_events;
	}
	s->in_txn = 0;
}

/* True when this event was written before a reconnect: skip it. */
static int
replayed(struct stream *s)
{
	if (s->skip == 0 || s->xid != s->skip_xid)
		return 0;
	s->skip--;
	s->txn_events++;
	return 1;
}

void
stream_table(struct stream *s, uint32_t relid, uint64_t from)
{
	void **slot = hmap_put(&s->tables, &relid, sizeof(relid));
	struct relation *r;

	if (*slot == NULL)
		*slot = xmalloc(sizeof(uint64_t));
	*(uint64_t *)*slot = from;
	if ((r = hmap_get(&s->rels, &relid, sizeof(relid))) != NULL)
		r->from = from;
}

void
stream_joined_clear(struct stream *s)
{
	size_t i;

	for (i = 0; i < s->njoined; i++)
		free(s->joined[i].name);
	s->njoined = 0;
}

/* Whether the changes of relation r in the transaction being decoded are
 * left out: held back, or already in a copy of the table. */
static int
left_out(const struct stream *s, const struct relation *r)
{
	return s->final_lsn < r->from;
}

void
stream_free(struct stream *s)
{
	stream_reset(s);
	hmap_free(&s->tables, free);
	stream_joined_clear(s);
	free(s->joined);
	free(s->db_json);
	free(oldtup.kind);
	free(oldtup.val);
	free(oldtup.len);
	free(newtup.kind);
	free(newtup.val);
	free(newtup.len);
	memset(&oldtup, 0, sizeof(oldtup));
	memset(&newtup, 0, sizeof(newtup));
	buf_free(&scratch);
}

/* Relation: Int32 relid, String nspname, String relname, Int8 replident,
 * Int16 ncols, per column Int8 flags, String name, Int32 type, Int32 mod. */
static void
on_relation(struct stream *s, struct cursor *c)
{
	struct relation *r = xcalloc(1, sizeof(*r));
	const char *nsp, *rel, *name;
	const uint64_t *from;
	char *qn, *qr;
	void **slot;
	int i;

	r->relid = get32(c);
	nsp = getstr(c);
	rel = getstr(c);
	(void)get8(c);				/* replica identity */
	r->ncols = get16(c);
	r->cols = xcalloc((size_t)r->ncols + 1, sizeof(*r->cols));
	for (i = 0; i < r->ncols && c->err == NULL; i++) {
		r->cols[i].iskey = (get8(c) & 1) != 0;	/* flags: 1 = key */
		name = getstr(c);
		r->cols[i].name = xstrdup(name);
		qn = json_quoted(name);
		buf_reset(&scratch);
		buf_printf(&scratch, "%s:", qn);
		r->cols[i].key = xstrdup(scratch.data);
		free(qn);
		r->cols[i].typoid = get32(c);
		(void)get32(c);			/* type modifier */
	}
	if (c->err != NULL) {
		relation_free(r);
		return;
	}
	/* pg_catalog shows as an empty namespace. */
	if (nsp[0] == '\0')
		nsp = "pg_catalog";
	qn = json_quoted(nsp);
	qr = json_quoted(rel);
	buf_reset(&scratch);
	buf_printf(&scratch, "\"schema\":%s,\"table\":%s", qn, qr);
	r->source = xstrdup(scratch.data);
	free(qn);
	free(qr);
	if ((from = hmap_get(&s->tables, &r->relid, sizeof(r->relid))) !=
	    NULL)
		r->from = *from;
	else {
		/* Not expected: it joined the publication since. */
		r->from = s->hold_new ? STREAM_FROM_NONE : STREAM_FROM_ALL;
		stream_table(s, r->relid, r->from);
		s->joined = xrealloc(s->joined, (s->njoined + 1) *
		    sizeof(*s->joined));
		s->joined[s->njoined].relid = r->relid;
		buf_reset(&scratch);
		buf_printf(&scratch, "%s.%s", nsp, rel);
		s->joined[s->njoined++].name = xstrdup(scratch.data);
	}
	slot = hmap_put(&s->rels, &r->relid, sizeof(r->relid));
	if (*slot != NULL)
		relation_free(*slot);	/* DDL: the new shape replaces it */
	*slot = r;
}

static struct relation *
relation(struct stream *s, struct cursor *c)
{
	uint32_t relid = get32(c);
	struct relation *r;

	if (c->err != NULL)
		return NULL;
	r = hmap_get(&s->rels, &relid, sizeof(relid));
	if (r == NULL)
		bad(c, "change for a relation never described");
	return r;
}

/* TupleData: Int16 ncols, then per column Byte1 kind ('n', 'u', 't' with
 * Int32 length and the text). */
static void
get_tuple(struct cursor *c, struct tuple *t, const struct relation *r)
{
	int i, n;

	n = get16(c);
	if (n > r->ncols) {
		bad(c, "tuple has more columns than its relation");
		return;
	}
	if (n > t->cap) {
		t->cap = n;
		t->kind = xrealloc(t->kind, (size_t)n);
		t->val = xrealloc(t->val, (size_t)n * sizeof(*t->val));
		t->len = xrealloc(t->len, (size_t)n * sizeof(*t->len));
	}
	t->ncols = n;
	for (i = 0; i < n && c->err == NULL; i++) {
		t->kind[i] = (char)get8(c);
		t->val[i] = NULL;
		t->len[i] = 0;
		switch (t->kind[i]) {
		case 'n':
		case 'u':
			break;
		case 't':
			t->len[i] = get32(c);
			if (!have(c, t->len[i]))
				break;
			t->val[i] = (const char *)c->p;
			c->p += t->len[i];
			break;
		default:
			bad(c, "unknown column kind");
		}
	}
}

/*
 * Write tuple t as a JSON object. Unchanged TOAST values are filled from
 * old (the old tuple under REPLICA IDENTITY FULL) when it has them, and
 * otherwise left out; their names go to toast when it is not NULL. With
 * keys_only, only the replica identity's columns are written.
 */
static void
write_tuple(struct stream *s, const struct relation *r, const struct tuple *t,
    const struct tuple *old, struct buf *toast, int keys_only)
{
	struct jout *o = s->out;
	const char *v;
	uint32_t len;
	int i, any = 0;
	char k;

	jout_char(o, '{');
	for (i = 0; i < t->ncols; i++) {
		/* A key-only old tuple ('K') has nulls for the other columns:
		 * they are unknown, not null, so they are left out. */
		if (keys_only && !r->cols[i].iskey)
			continue;
		k = t->kind[i];
		v = t->val[i];
		len = t->len[i];
		if (k == 'u' && old != NULL && i < old->ncols &&
		    old->kind[i] != 'u') {
			k = old->kind[i];
			v = old->val[i];
			len = old->len[i];
		}
		if (k == 'u') {
			if (toast != NULL) {
				buf_puts(toast, toast->len > 0 ? "," : "[");
				buf_puts(toast, r->cols[i].key);
				toast->len--;	/* drop the ':' */
			}
			continue;
		}
		if (any)
			jout_char(o, ',');
		any = 1;
		jout_lit(o, r->cols[i].key);
		if (k == 'n')
			jout_raw(o, "null", 4);
		else
			pgval_write(o, r->cols[i].typoid, v, len,
			    s->pgval_flags);
	}
	jout_char(o, '}');
}

/* a / b rounded towards minus infinity (b > 0). */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static int64_t
now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The "source" block and the envelope's tail. */
static void
write_source(struct stream *s, const struct relation *r, uint64_t lsn,
    char op, const struct buf *toast)
{
	struct jout *o = s->out;

	jout_lit(o, ",\"source\":{\"connector\":\"postgresql\",\"db\":");
	jout_lit(o, s->db_json);
	jout_char(o, ',');
	jout_lit(o, r->source);
	jout_lit(o, ",\"lsn\":");
	jout_u64(o, lsn);
	jout_lit(o, ",\"txId\":");
	jout_u64(o, s->xid);
	/* ts_ms, and ts_us as Debezium 2.6 adds it: sequential commits
	 * often share a millisecond, seldom a microsecond */
	jout_lit(o, ",\"ts_ms\":");
	jout_i64(o, floor_div(s->commit_us, 1000));
	jout_lit(o, ",\"ts_us\":");
	jout_i64(o, s->commit_us);
	jout_lit(o, ",\"snapshot\":\"false\"");
	if (toast != NULL && toast->len > 0) {
		jout_lit(o, ",\"unchanged_toast\":");
		jout_raw(o, toast->data, toast->len);
		jout_char(o, ']');
	}
	jout_lit(o, "},\"op\":\"");
	jout_char(o, op);
	jout_lit(o, "\",\"ts_ms\":");
	jout_i64(o, now_ms());
	jout_lit(o, "}\n");
	s->events++;
	s->txn_events++;
}

static void
on_change(struct stream *s, struct cursor *c, char msg, uint64_t lsn)
{
	struct relation *r = relation(s, c);
	struct buf toast = BUF_INIT;
	int has_old = 0, old_keys = 0;
	char kind, op;

	if (r == NULL)
		return;
	if (msg == 'I') {
		if (get8(c) != 'N')
			bad(c, "insert without a new tuple");
		get_tuple(c, &newtup, r);
		op = 'c';
	} else {
		kind = (char)get8(c);
		if (kind == 'K' || kind == 'O') {
			get_tuple(c, &oldtup, r);
			has_old = 1;
			old_keys = kind == 'K';
			kind = msg == 'U' ? (char)get8(c) : 'N';
		}
		if (msg == 'U') {
			if (kind != 'N')
				bad(c, "update without a new tuple");
			get_tuple(c, &newtup, r);
		} else if (!has_old)
			bad(c, "delete without an old tuple");
		op = msg == 'U' ? 'u' : 'd';
	}
	/* Nothing is written of a message that does not decode whole.
	 * Before replayed(): what is left out was never written. */
	if (c->err != NULL || left_out(s, r) || replayed(s))
		return;
	jout_lit(s->out, "{\"before\":");
	if (has_old)
		write_tuple(s, r, &oldtup, NULL, NULL, old_keys);
	else
		jout_raw(s->out, "null", 4);
	jout_lit(s->out, ",\"after\":");
	if (msg == 'D')
		jout_raw(s->out, "null", 4);
	else
		write_tuple(s, r, &newtup, has_old && !old_keys ? &oldtup :
		    NULL, &toast, 0);
	write_source(s, r, lsn, op, &toast);
	buf_free(&toast);
}

/* Truncate: Int32 nrels, Int8 options, nrels x Int32 relid: one "t"
 * event per table. */
static void
on_truncate(struct stream *s, struct cursor *c, uint64_t lsn)
{
	uint32_t i, n = get32(c);
	struct cursor check;

	(void)get8(c);
	/* Every relation first, so a bad one writes nothing. */
	check = *c;
	for (i = 0; i < n && check.err == NULL; i++)
		(void)relation(s, &check);
	if (check.err != NULL) {
		bad(c, check.err);
		return;
	}
	for (i = 0; i < n; i++) {
		struct relation *r = relation(s, c);

		/* r is never NULL: every relation was looked up above */
		if (r == NULL || left_out(s, r) || replayed(s))
			continue;
		jout_lit(s->out, "{\"before\":null,\"after\":null");
		write_source(s, r, lsn, 't', NULL);
	}
}

int
stream_message(struct stream *s, uint64_t lsn, const unsigned char *p,
    size_t n)
{
	struct cursor c = { p, p + n, NULL };
	char msg = (char)get8(&c);
	int rc = 0;
	uint64_t t, final;
	uint32_t xid;

	switch (msg) {
	case 'B':	/* Int64 final LSN, Int64 commit time, Int32 xid */
		final = get64(&c);
		t = get64(&c);
		xid = get32(&c);
		if (c.err != NULL)
			break;
		/* microseconds after 2000: the int64 range of PostgreSQL's
		 * timestamps, which the Unix-epoch offset must not wrap */
		if ((int64_t)t > INT64_MAX - PG_EPOCH_US) {
			bad(&c, "commit time out of range");
			break;
		}
		s->final_lsn = final;
		s->commit_us = (int64_t)t + PG_EPOCH_US;
		s->xid = xid;
		s->in_txn = 1;
		s->txn_events = 0;
		if (s->xid != s->skip_xid)
			s->skip = 0;	/* that one was not replayed */
		break;
	case 'C':	/* Int8 flags, Int64 commit LSN, Int64 end LSN, time */
		(void)get8(&c);
		(void)get64(&c);
		t = get64(&c);
		if (c.err != NULL)
			break;
		s->commit_end = t;
		s->in_txn = 0;
		s->skip = 0;
		s->txns++;
		rc = 'C';
		break;
	case 'R':
		on_relation(s, &c);
		break;
	case 'I':
	case 'U':
	case 'D':
		on_change(s, &c, msg, lsn);
		break;
	case 'T':
		on_truncate(s, &c, lsn);
		break;
	case 'O':	/* origin */
	case 'Y':	/* type */
	case 'M':	/* logical decoding message */
		break;
	default:
		if (c.err == NULL)
			bad(&c, "unknown message type");
	}
	if (c.err != NULL) {
		buf_reset(&scratch);
		buf_printf(&scratch, "%s (type \"%c\" at %zu bytes)", c.err,
		    msg, n);
		s->error = scratch.data;
		return -1;
	}
	return rc;
}
