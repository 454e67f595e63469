/*
 * stage.h: the stage driver, the input loop of every tool that reads a
 * row stream (DESIGN.md sections 1, 4, 7 and 8).
 *
 * The driver reads the lines of one input (files in turn, "-" standard
 * input) or of two inputs side by side (interval-join's left and right,
 * read with poll(2) so neither blocks the other), counts them, and hands
 * each to the tool through a callback: a data row, or the control line it
 * is. Control lines are the driver's to recognise and to check:
 *
 *	{"__watermark":"2026-11-22T10:01:00.000Z"}	(a number, "infinity")
 *	{"__checkpoint":N,"__lsn":"X/Y"}		(or "__offset":O)
 *	{"__restore":N,"__lsn":"X/Y"}			(or "__offset":O)
 *	{"__committed":N}
 *
 * A line is looked at as a control line only when its first member's name
 * is one of "__watermark", "__checkpoint", "__restore", "__committed",
 * "__lsn" or "__offset": an ordinary row costs two byte comparisons, a
 * changelog row ("__kind" first) a few more. A control line that is not
 * well formed is a bad line like any other.
 *
 * What the driver does with them, so every tool does the same:
 *   - bad lines (the tool's, through stage_bad, and its own: a line over
 *     --max-line, a control line not well formed) go to onerr: --on-error,
 *     --dead-letter, the summary at exit is the tool's onerr_summary();
 *   - a watermark goes to the tool, then the output is flushed;
 *   - barriers, restores and commits go to the tool's hook, then are
 *     forwarded to the output as they came, and flushed: after all output
 *     the lines before them caused, never counted as rows. A stage without
 *     an output (a sink) forwards nothing;
 *   - __restore is the first line of a checkpointed stream; from there a
 *     first SIGINT/SIGTERM no longer stops the stage (it reads on to the
 *     end of its input, which the coordinator closes) and a second ends
 *     it at once. Without one, SIGINT and SIGTERM stop reading: the lines
 *     already read are handed over, then stage_run returns;
 *   - a stateful stage (conf.stateful) refuses __restore N > 0 without
 *     --state, and with it unless the tool has a restore hook;
 *   - two inputs align: barrier N goes out once it has arrived on every
 *     input that began with __restore; an input that delivered N is not
 *     read further until the others have; an input without __restore
 *     takes no part (its barriers are dropped, with a warning), one at its
 *     end counts as having delivered every barrier, and one that has not
 *     shown its first line yet is waited for. Both inputs restore the
 *     same N, which goes out once; a __committed goes out once;
 *   - while input is idle the output is flushed and the tool called, so
 *     its clocks can move (--idle-timeout, --proctime, --roll-interval);
 *     stage_idle_us says how long an input has been idle;
 *   - progress on a terminal, in lines (or in the tool's unit).
 *
 *	struct stage_conf c;
 *	struct stage_ops ops = { .row = on_row, .watermark = on_wm };
 *	stage_conf_init(&c, argv, argc, &opts, &jout_stdout, &doc);
 *	c.stateful = 1;
 *	struct stage *st = stage_new(&c, &ops, NULL);
 *	if ((rc = stage_run(st)) < 0)
 *		diag_exit(EXIT_DATA);
 *	... end of input: fire what is open ...
 *	stage_free(st);
 *
 * The callbacks run inside stage_run, one at a time, with the arg given
 * to stage_new.
 */
#ifndef CDC_STAGE_H
#define CDC_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "jscan.h"
#include "onerr.h"
#include "opts.h"
#include "progress.h"
#include "tstamp.h"

struct stage;

/* The control lines. */
enum stage_kind {
	STAGE_WATERMARK = 1,
	STAGE_CHECKPOINT,
	STAGE_RESTORE,
	STAGE_COMMITTED
};

/* Where a barrier or a restore stands in its source. */
enum stage_pos {
	STAGE_POS_NONE = 0,	/* __committed has none */
	STAGE_POS_LSN,		/* "__lsn":"X/Y" of PostgreSQL */
	STAGE_POS_OFFSET	/* "__offset":O of a Kafka partition */
};

/* A control line as read. */
struct stage_ctl {
	enum stage_kind	 kind;
	int64_t		 wm;		/* watermark: microseconds (TS_INF) */
	uint64_t	 n;		/* checkpoint number (restore: 0 too) */
	enum stage_pos	 pos;
	uint64_t	 at;		/* the LSN (X << 32 | Y), the offset */
};

/* An input line, valid during the callback it is given to. */
struct stage_line {
	int		 input;		/* 0; 1 for the second of two inputs */
	const char	*source;	/* "stdin" or the path, for messages */
	uint64_t	 lineno;	/* 1-based, again from 1 in each file */
	const char	*text;		/* without its line end; NULL for a line
					 * over --max-line */
	size_t		 len;
	int		 parsed;	/* conf.doc holds text, parsed (OK) */
};

/* What idle calls are for (stage_ops.idle). */
enum stage_idle {
	STAGE_IDLE,		/* no input has a whole line: flush */
	STAGE_TICK		/* time passes: look at the idle clocks */
};

/*
 * The tool's callbacks: row is required, the others may be NULL. Those
 * returning int return 0, or -1 after stage_bad (row) or stage_error (the
 * others) said what is wrong.
 */
struct stage_ops {
	/* A data row. Its parse is the tool's, unless l->parsed says the
	 * driver's look for a control line left it in conf.doc. A bad row
	 * is reported with stage_bad (nothing written for it). */
	int	(*row)(void *arg, struct stage *st, const struct stage_line *l);
	/* A watermark line of input l->input (wm: TS_INF for "infinity").
	 * The driver flushes the output after it. */
	void	(*watermark)(void *arg, struct stage *st,
		    const struct stage_line *l, int64_t wm);
	/* Barrier c->n, aligned, before it is forwarded: where a stage with
	 * --state writes snapshot N (DESIGN.md section 8). */
	int	(*checkpoint)(void *arg, struct stage *st,
		    const struct stage_ctl *c);
	/* __restore c->n, before it is forwarded: where a stage with --state
	 * loads snapshot N. Without this hook a stateful stage refuses
	 * N > 0 (snapshots per checkpoint are not implemented yet). */
	int	(*restore)(void *arg, struct stage *st,
		    const struct stage_ctl *c);
	/* __committed c->n, before it is forwarded: where snapshots older
	 * than N may go. */
	int	(*committed)(void *arg, struct stage *st,
		    const struct stage_ctl *c);
	/*
	 * STAGE_IDLE when no input has a whole line (flush what the tool
	 * writes besides the output, which the driver flushes after), then
	 * STAGE_TICK each time the returned milliseconds pass without input
	 * (0: none). With two inputs STAGE_TICK also comes now and then
	 * while lines flow, as one input may be quiet while the other is
	 * not. Returns the milliseconds to the next STAGE_TICK, or 0.
	 */
	int	(*idle)(void *arg, struct stage *st, enum stage_idle why);
	/* Input `input` has ended: every line of it was handed over. Not
	 * called when a signal or an error ended the run. */
	void	(*eof)(void *arg, struct stage *st, int input);
	/* The run is about to end on an error (a bad line under --on-error
	 * fail, a control line that cannot be taken): discard what must
	 * not outlive it (a sink's open files). */
	void	(*failing)(void *arg);
};

struct stage_conf {
	/* One input (ninputs 1): paths[0..npaths) read in turn, "-" being
	 * standard input (npaths 0: standard input alone); a file that
	 * cannot be opened or read is reported and the next one read. Two
	 * inputs (ninputs 2): paths[0] and paths[1], read side by side; one
	 * that cannot be opened or read ends the run. */
	const char	*const *paths;
	size_t		 npaths;
	int		 ninputs;
	struct jout	*out;		/* for control lines; NULL: a sink */
	/* Where a line that may be a control line is parsed: the tool's
	 * document, so a row parsed there is not parsed again (NULL: the
	 * driver's own, and l->parsed is never set). */
	struct jdoc	*doc;
	struct onerr	*onerr;		/* --on-error, --dead-letter */
	size_t		 max_line;	/* --max-line; 0: the default */
	enum ts_unit	 unit;		/* of numeric __watermark values */
	int		 stateful;	/* DESIGN.md section 8 */
	const char	*state_path;	/* --state, or NULL */
	int		 idle_clock;	/* note arrivals, for stage_idle_us */
	/* Two inputs: where the tool keeps each input's event-time clock
	 * (its largest time so far). When both have lines the one behind is
	 * read, and a run of lines from one stops once it is ahead of the
	 * other, so the two advance together and neither piles up in the
	 * tool's state. NULL: they take turns. */
	const int64_t	*clock[2];
	/* The unit of the progress line: NULL for lines, which the driver
	 * counts; another unit the tool counts (stage_progress). */
	const char	*progress_unit;
};

/*
 * The usual conf: one input, the files paths[0..n) in turn (n 0: standard
 * input), the options every tool shares from o (--on-error, --dead-letter,
 * --max-line), control lines written to out, lines that may be control
 * lines parsed into doc (NULL: the driver's own), numbers in __watermark
 * in milliseconds; the rest 0. The tool sets what else it needs.
 */
void	stage_conf_init(struct stage_conf *c, const char *const *paths,
	    size_t n, struct opts *o, struct jout *out, struct jdoc *doc);

/* A driver for conf and ops (both copied; the strings and the objects
 * they point to must outlive it). Nothing is opened yet. */
struct stage *stage_new(const struct stage_conf *conf,
	    const struct stage_ops *ops, void *arg);

/*
 * Read every input to its end, or until a signal stops the stage. Returns
 * 0; 1 when an input could not be opened or read and the others were read
 * (the exit status is then 1); or -1 when an error that ends the program
 * was reported (a bad line under --on-error fail does not return): the
 * caller exits with status 1 without doing its end-of-input work.
 */
int	stage_run(struct stage *st);

void	stage_free(struct stage *st);

/* stage_new, stage_run and stage_free in one, for a tool that needs
 * nothing of the driver afterwards: stage_run's status. */
int	stage_drive(const struct stage_conf *conf,
	    const struct stage_ops *ops, void *arg);

/* The current line is bad: printf-formatted reason, reported once the
 * callback returns. Returns -1, for `return stage_bad(st, ...)`. */
int	stage_bad(struct stage *st, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* The current control line cannot be taken (a hook failed): the run ends
 * with the reason and the line's locus. Returns -1. */
int	stage_error(struct stage *st, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* Lines read so far (data, control and bad lines). */
uint64_t stage_lines(const struct stage *st);
/* How long input has been idle, in microseconds (conf.idle_clock): since
 * its last line, its start or the last __restore; 0 for an input that has
 * ended or waits for the others to deliver a barrier. */
int64_t	stage_idle_us(const struct stage *st, int input);
/* 1 once a __restore has been read: a checkpointed stream. */
int	stage_checkpointed(const struct stage *st);
/* The progress line, for a tool counting its own unit. */
struct progress *stage_progress(struct stage *st);

/*
 * Control lines on their own, for tests and fuzzing.
 *
 * stage_ctl_name: whether text[0..len) may be a control line, from the
 * name of its first member alone (no parse). stage_ctl_read: parse it into
 * d and read it. Returns 1 for a control line (c filled in); 0 for a line
 * that is not one, parsed into d; -2 for one that is not even JSON (d->err
 * says why); -1 for a control line that is not well formed, the reason in
 * why (a printf-style message for a bad line).
 */
int	stage_ctl_name(const char *text, size_t len);
int	stage_ctl_read(struct jdoc *d, const char *text, size_t len,
	    enum ts_unit unit, struct stage_ctl *c, struct buf *why);

#endif
