/*
 * ij.h: what the parts of interval-join share: settings, clocks, counters,
 * the join state (join.c) and its output (emit.c).
 */
#ifndef IJ_H
#define IJ_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "field.h"
#include "hmap.h"
#include "tstamp.h"

#define T_MIN	TS_NINF			/* no watermark yet */
#define T_MAX	TS_INF			/* end of input, or "infinity" */

enum { LEFT = 0, RIGHT = 1 };
enum join_type { JOIN_INNER, JOIN_LEFT };
enum pick { PICK_ALL, PICK_FIRST, PICK_LAST };

struct conf {
	const char	*path[2];	/* --left, --right */
	struct field_list key[2];	/* --on: left and right key paths */
	struct field	 time[2];	/* --left-time, --right-time */
	enum ts_unit	 unit;
	int64_t		 lo, hi;	/* --within=LO,HI */
	enum join_type	 type;
	enum pick	 pick;
	int		 temporal;
	int64_t		 delay[2];	/* watermark delay per input */
	char		*prefix;	/* --right-prefix */
	const char	*late_path;
	const char	*state_path;
	int		 drain;
	int		 eof_ends;	/* end of input is a watermark of +inf */
	int		 watermarks;
	int64_t		 idle;		/* --idle-timeout, 0 = none */
	char		*signature;
};
extern struct conf conf;

/* Per-input clock. */
struct side {
	int64_t		 max_ts;	/* largest finite time, or T_MIN */
	int64_t		 inband;	/* last in-band watermark, or T_MIN */
	int64_t		 idle_wm;	/* pushed by --idle-timeout, or T_MIN */
	int		 eof;
};

struct clocks {
	struct side	 s[2];
	int64_t		 wm;		/* combined: min over both inputs */
	int64_t		 wm_out;	/* last watermark forwarded */
	uint64_t	 seq;		/* rows numbered in arrival order */
};

struct counters {
	uint64_t	 rows[2];
	uint64_t	 late[2];
	uint64_t	 results;
	uint64_t	 unmatched;	/* left rows written without a match */
};

extern struct clocks clk;
extern struct counters cnt;

/* An input row as join.c needs it. */
struct jin {
	int		 side;
	int64_t		 t;
	int		 retract;	/* temporal right: -D */
	int		 skip;		/* temporal right: -U, nothing to do */
	const char	*key;		/* canonical key values, \x1f apart */
	size_t		 klen;
	int		 null_key;
	const char	*text;		/* the row's object text */
	size_t		 len;
	uint64_t	 seq;
};

/* join.c */
void	join_setup(void);
/* Take in a row: 1 when it was late (dropped). */
int	join_row(const struct jin *in);
/* The combined watermark moved (or an input ended): emit what is decided,
 * release what can no longer match. */
void	join_advance(void);
/* Rows and versions held, for -v. */
void	join_stats(size_t *held, size_t *max_held);
void	join_free(void);
void	join_save(struct buf *out);
struct json_t;
int	join_load(struct json_t *line);

/* state.c */
/* Read --state path back into the join, the clocks and the right fields
 * seen: 0, 1 when there is no such file (a first run), -1 with the reason
 * in err when it is damaged or malformed, or STATEFILE_EUSAGE with the
 * reason when it belongs to other settings (or path is "-"). What a
 * refused file set up is the caller's to throw away (join_free,
 * emit_free). */
int	state_load(const char *path, struct buf *err);
/* Write the state to path; wm is the combined watermark the inputs
 * promised (their ends not counted). */
void	state_save(const char *path, int64_t wm);

/* emit.c */
struct jdoc;
void	emit_setup(const struct jdoc *input);
/* A joined row: the left row's members, then the right row's. */
void	emit_pair(const char *l, size_t llen, const char *r, size_t rlen);
/* A left row without a match: right fields seen so far as null. */
void	emit_unmatched(const char *l, size_t llen);
/* Remember the member names of the right row just read (for
 * emit_unmatched; only --type left needs them). */
void	emit_note_right(void);
void	emit_free(void);
void	emit_save(struct buf *out);
int	emit_load(struct json_t *names);

#endif
