/*
 * lake.h: where the rows of to-parquet-csv go: one file, standard output, or
 * a directory of Hive partitions and part files, each made visible only
 * once complete (DESIGN.md section 8).
 *
 * hive.c turns --partition-by into the relative directory of a row
 * ("region=eu/date=2026-11-22"); lake.c keeps one open format writer
 * (fw.h) per partition directory, rolls files by rows, bytes, age and
 * schema, caps the number open, names them, and commits each: written as
 * ".<name>.tmp", fsynced, renamed (or linked) to its name, the directory
 * fsynced.
 *
 *	struct hive h;
 *	hive_parse(&h, "region,date(sale_ts)", &err);
 *	struct lake *l = lake_open(&conf);
 *	for each row:
 *		hive_path(&h, &doc, &key, &tmp, why, sizeof(why));
 *		lake_row(l, key.data, key.len, &doc, &lsn, source, lineno, &why);
 *		lake_tick(l);		(also when input is idle)
 *	lake_close(l);
 */
#ifndef TPC_LAKE_H
#define TPC_LAKE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fw.h"
#include "jscan.h"
#include "tstamp.h"

/* ---------------------------------------------------------------------
 * Hive partitions (hive.c)
 */

enum hive_kind { HIVE_FIELD, HIVE_DATE, HIVE_HOUR };

struct hive_key {
	enum hive_kind	 kind;
	char		*field;		/* the member read, unescaped */
	size_t		 flen;
	char		*seg;		/* "name=" escaped, "date=", "hour=" */
	size_t		 seglen;
	char		*name;		/* the level's name, unescaped */
	size_t		 nlen;
	/* Slot in names of a member named like the level, which readers
	 * would see as a second column of that name; -1 when the level's
	 * name is a partition field's (left out of the files). */
	int		 clash;
	/* date() and hour(): the last value made, for the times in
	 * [lo, hi): "2026-11-22" or "2026-11-22T10" ("+294247-01-10T04"
	 * at most). */
	int64_t		 lo, hi;
	char		 text[TS_DATE_STRLEN + 8];
};

struct hive {
	struct hive_key	*k;
	size_t		 n;
	/* The members every row is looked up for, in one pass: the keys'
	 * fields (distinct) and then the caller's (hive_parse leaves room
	 * for HIVE_EXTRA more). slot[i] is key i's index in names. */
	struct jname	*names;
	size_t		 nnames;
	int		*slot;
	/* Plain fields: the columns left out of the files (fw_conf.omit). */
	const char	**omit;
	size_t		 nomit;
};

#define HIVE_EXTRA	4

/* Longest directory name a partition value may make (NAME_MAX). */
#define HIVE_SEG_MAX	255

/* Parse a --partition-by list: "f", "date(f)", "hour(f)", each optionally
 * after "name=" (the directory level's name), comma-separated ("\,", "\."
 * and "\=" for a comma, dot or equals sign in a name). 0, or -1 with *err
 * (static) saying what is wrong and h empty (nothing to free). An empty
 * list is fine (no partitions). */
int	hive_parse(struct hive *h, const char *spec, const char **err);
/* Add a member to look up with the keys' fields; returns its index. */
size_t	hive_lookup_add(struct hive *h, const char *name, size_t len);
/* The level whose name a column of the files would repeat (one that is not
 * a partition field, which the files leave out), or NULL. */
const struct hive_key *hive_level_named(const struct hive *h,
	    const char *name, size_t len);
void	hive_free(struct hive *h);

/* Append s[0..n) escaped as Hive does: control characters, DEL, the bytes
 * of  " # % ' * / : = ? \ ^ { [ ]  and a whole value of "." or ".." as %XX
 * (uppercase hex); the empty string and NULL (s NULL) are
 * __HIVE_DEFAULT_PARTITION__. */
void	hive_escape(struct buf *out, const char *s, size_t n);

/* The relative directory of row d into out (reset first): "k=v/k2=v2", ""
 * without keys. found[] are the tokens of h->names in d (jscan_members).
 * 0, or -1 with why[] set for a bad line (`field "ts": not a timestamp:
 * "x"`, or a member the files would keep under a level's name). tmp is
 * scratch. */
int	hive_path(struct hive *h, const struct jdoc *d, const int *found,
	    struct buf *out, struct buf *tmp, char *why, size_t whysize);

/* ---------------------------------------------------------------------
 * Files (lake.c)
 */

enum lake_mode {
	LAKE_STDOUT,		/* -o -: CSV written directly, no commit */
	LAKE_FILE,		/* -o PATH: one file (PATH-1, ... on widening) */
	LAKE_DIR		/* -o DIR: partitions and part files */
};

struct lake_conf {
	enum lake_mode	 mode;
	const char	*path;
	struct fw_conf	 fw;
	uint64_t	 roll_rows;	/* 0: no limit */
	uint64_t	 roll_bytes;
	int64_t		 roll_us;	/* --roll-interval, 0: none */
	size_t		 max_open;
	/* Called after each commit with the final path. */
	void		(*on_commit)(void *arg, const char *path,
			    uint64_t rows, uint64_t bytes);
	void		*arg;
};

/* __lsn of a row: valid when the row has an integer __lsn >= 0. */
struct lake_lsn {
	int		 valid;
	uint64_t	 v;
};

struct lake;

/* Ready the output: create the directory (and its parents) in LAKE_DIR
 * mode. Exits 1 when that fails. */
struct lake *lake_open(const struct lake_conf *c);

enum { LAKE_OK = 0, LAKE_BAD = 1 };

/*
 * Write row d to the file of partition key[0..klen) ("" without
 * partitions), opening, widening and rolling files as needed; source and
 * lineno name the row in messages. LAKE_OK, or LAKE_BAD with *why (static
 * until the next call) for a bad line: a value that does not fit its
 * --schema type, or (on standard output, where no second file can be
 * started) a row that does not fit the columns already written. I/O errors
 * exit 1 (the open files' temporary files are removed).
 */
int	lake_row(struct lake *l, const char *key, size_t klen,
	    const struct jdoc *d, const struct lake_lsn *lsn,
	    const char *source, uint64_t lineno, const char **why);

/* Commit the files whose --roll-interval is over. Returns the milliseconds
 * until the next one is due, or -1 when none is open with a deadline. */
int64_t	lake_tick(struct lake *l);

/* A fatal error is about to end the program: remove the temporary files of
 * the open files (on standard output, write out the rows taken so far), so
 * that only complete files remain, all under names a rerun writes again. */
void	lake_abort(struct lake *l);

/* Totals so far. */
struct lake_stats {
	uint64_t	 rows;		/* rows taken */
	uint64_t	 files;		/* files committed */
	uint64_t	 bytes;		/* bytes in them */
	size_t		 max_open;	/* most files open at once */
};
const struct lake_stats *lake_stats(const struct lake *l);

/* Finish and commit every open file, then free l. The final totals go to
 * *st when it is not NULL. */
void	lake_close(struct lake *l, struct lake_stats *st);

#endif
