/*
 * wagg.h: what the parts of window-agg share: the settings, the current row,
 * the window store (window.c) and the state file (state.c).
 */
#ifndef WAGG_H
#define WAGG_H

#include <stdint.h>

#include "agg.h"
#include "buf.h"
#include "field.h"
#include "having.h"
#include "jout.h"
#include "tstamp.h"

#define T_MIN	TS_NINF			/* no watermark yet */
#define T_MAX	TS_INF			/* end of input, or "infinity" */

enum wkind { W_TUMBLE, W_HOP, W_CUMULATE, W_SESSION };
enum emit { EMIT_FINAL, EMIT_UPDATE };

struct conf {
	enum wkind	 kind;
	int64_t		 size;		/* tumble, hop, cumulate: window size */
	int64_t		 slide;		/* hop: slide; cumulate: step */
	int64_t		 gap;		/* session */
	int64_t		 offset;	/* normalised to [0, slide or size) */
	int		 proctime;
	struct field	 time;
	enum ts_unit	 unit;
	struct field_list group;
	char		**gkey;		/* ",\"name\":" per group field */
	size_t		*gkeylen;
	struct aggs	 aggs;
	struct having	*having;
	size_t		 nhaving;
	int		 assign;
	int64_t		 delay;		/* --watermark-delay */
	int64_t		 lateness;	/* --allowed-lateness */
	int64_t		 idle;		/* --idle-timeout, 0 = none */
	int		 watermarks;	/* forward the output watermark */
	enum emit	 emit;
	const char	*late_path;
	const char	*state_path;
	int		 drain;
	char		*signature;	/* the settings the state depends on */
};
extern struct conf conf;

/* The current input row, as window.c needs it. */
struct row {
	int64_t		 t;		/* event time, microseconds */
	int		 sign;		/* +1 addition, -1 retraction */
	const char	*key;		/* group key: canonical values, \x1f */
	size_t		 klen;
	struct aval	*v;		/* aggregate arguments */
	const char	*text;		/* the row's object text (--assign) */
	size_t		 len;
	uint64_t	 seq;		/* arrival number */
};

/* Counters, kept across runs in the state file. */
struct counters {
	uint64_t	 rows;		/* rows read */
	uint64_t	 late;		/* rows all of whose windows were gone */
	uint64_t	 unmatched;	/* retractions that found nothing */
	uint64_t	 results;	/* result rows written */
};

/* The stage's clocks. */
struct clock {
	int64_t		 wm;		/* watermark, T_MIN before the first */
	int64_t		 max_ts;	/* largest event time seen, or T_MIN */
	int64_t		 wm_out;	/* last watermark forwarded */
	uint64_t	 seq;		/* rows numbered so far */
};

extern struct counters cnt;
extern struct clock clk;

/* window.c */
void	win_setup(void);
/* 1 when every window of finite time t lies in [TS_MIN, TS_MAX] (a row
 * whose windows do not is refused before win_row). */
int	win_fits(int64_t t);
/* Apply r to every window it belongs to; 1 when it was late (all of them
 * were gone already). */
int	win_row(const struct row *r);
/* Raise the watermark to wm: fire and release windows, forward the
 * watermark when asked. T_MAX fires everything; it is forwarded only when
 * it came in-band (inband 1), not at the end of input. */
void	win_advance(int64_t wm, int inband);
void	win_stats(size_t *open_windows, size_t *open_groups,
	    size_t *max_windows, size_t *max_groups);
void	win_free(void);
/* --state: append one NDJSON line per open window/session to out; read
 * one back (0, or -1 when it is malformed). */
void	win_save(struct buf *out);
struct json_t;
int	win_load(struct json_t *line);

/* state.c */
/* Read --state path back into the windows, the clocks and the counters
 * (before the run's own): 0, 1 when there is no such file (a first run),
 * -1 with the reason in err when it is damaged or malformed, or
 * STATEFILE_EUSAGE with the reason when it belongs to other settings (or
 * path is "-"). What a refused file set up is the caller's to throw away
 * (win_free). */
int	state_load(const char *path, struct buf *err);
void	state_save(const char *path);

#endif
