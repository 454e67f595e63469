/*
 * fw.h: the file formats of to-parquet-csv.
 *
 * A format writer (struct fw) turns rows, scanned JSON objects, into one
 * Parquet or CSV file written through a file descriptor. It knows nothing
 * of paths, partitions, rolling or commits: lake.c decides which file a row
 * goes to and when a file is finished, renamed and synced.
 *
 *	struct fw *w = fw_open(fd, &conf, NULL);
 *	for each row:
 *		switch (fw_row(w, &doc, &why)) {
 *		case FW_OK: break;
 *		case FW_BAD: report why as a bad line; break;
 *		case FW_MISFIT:	the file's schema cannot hold the row:
 *			s = fw_widen(w, &doc);
 *			fw_finish(w); commit; fw_free(w);
 *			w = fw_open(newfd, &conf, s); schema_free(s);
 *			fw_row(w, &doc, &why);	(now FW_OK or FW_BAD)
 *		}
 *	fw_finish(w); commit; fw_free(w);
 *
 * The schema of a Parquet file is inferred from its first row group (all of
 * its rows are buffered before anything is written), starting from the
 * schema passed to fw_open when there is one (a widened schema, so the next
 * file keeps every column of the last); --schema columns are fixed. After
 * the first row group the schema is fixed: a row with a new field, or a
 * value its column cannot hold exactly, is FW_MISFIT. A CSV file's columns
 * are likewise those of its first row group, in order of first appearance.
 */
#ifndef TPC_FW_H
#define TPC_FW_H

#include <stddef.h>
#include <stdint.h>

#include "jscan.h"

enum fw_format { FW_PARQUET, FW_CSV };
enum fw_codec { FW_ZSTD, FW_SNAPPY, FW_GZIP, FW_NONE };

/* Column types. Parquet mapping (see DESIGN of the issue and
 * shared/reference/parquet-and-sinks.md):
 *	COL_BOOL	BOOLEAN
 *	COL_INT64	INT64 (INTEGER(64, signed) / INT_64)
 *	COL_DECIMAL	DECIMAL(precision, scale): INT64 when precision <= 18,
 *			else FIXED_LEN_BYTE_ARRAY of the fewest bytes that
 *			hold the precision (16 for 38, 32 for 76), big-endian
 *			two's complement; precision at most 76
 *	COL_DOUBLE	DOUBLE
 *	COL_TIMESTAMP	INT64 TIMESTAMP(isAdjustedToUTC, MICROS)
 *	COL_DATE	INT32 DATE
 *	COL_STRING	BYTE_ARRAY STRING / UTF8
 *	COL_JSON	BYTE_ARRAY JSON: objects, arrays, and columns whose
 *			values no other type holds exactly (raw JSON text)
 *	COL_NUMTEXT	BYTE_ARRAY STRING / UTF8 holding numbers as written:
 *			a column of numbers no DECIMAL(76) or DOUBLE holds
 *			exactly (inferred only)
 */
enum col_type {
	COL_BOOL, COL_INT64, COL_DECIMAL, COL_DOUBLE, COL_TIMESTAMP,
	COL_DATE, COL_STRING, COL_JSON, COL_NUMTEXT
};

struct column {
	char		*name;		/* the member name, unescaped, NUL-ended */
	size_t		 nlen;
	enum col_type	 type;
	int		 precision;	/* COL_DECIMAL */
	int		 scale;
	int		 declared;	/* from --schema: never widened */
};

struct schema {
	struct column	*col;
	size_t		 n;
};

/* Parse --schema 'name:type,...' (types: bool, int64, decimal(P,S),
 * double, timestamp, date, string, json; names may use "\," and "\:").
 * 0, or -1 with *err set to a message naming the bad item. */
int	schema_parse(struct schema *s, const char *spec, char **err);
void	schema_free(struct schema *s);
/* "int64", "decimal(18,2)", ... for messages. */
const char *col_type_name(const struct column *c, char *buf, size_t size);

struct fw_conf {
	enum fw_format	 format;
	enum fw_codec	 codec;		/* Parquet only */
	uint64_t	 rg_rows;	/* --row-group-rows (default 1048576) */
	uint64_t	 rg_bytes;	/* --row-group-bytes (default 128 MiB):
					 * buffered bytes that flush a row group */
	const struct schema *declared;	/* --schema, or NULL */
	/* Top-level members not written (the Hive partition columns, which
	 * readers take from the path): names, unescaped. */
	const char *const *omit;
	size_t		 nomit;
};

enum { FW_OK = 0, FW_MISFIT = 1, FW_BAD = 2 };

struct fw;

/* A writer on fd (not closed by fw), starting from schema start (copied;
 * NULL: none). Writes nothing yet. */
struct fw *fw_open(int fd, const struct fw_conf *c, const struct schema *start);
/* Add a row: d is a scanned document whose token 0 is an object. FW_OK:
 * taken. FW_MISFIT: it does not fit the fixed schema, nothing was taken.
 * FW_BAD: a value does not fit its --schema type; *why (static, valid until
 * the next call) says, e.g. `field "qty": not an int64: "abc"`. Exits with
 * EXIT_DATA (diag) on a write error. */
int	fw_row(struct fw *w, const struct jdoc *d, const char **why);
/* The schema of w widened so that row d fits (caller frees). */
struct schema *fw_widen(const struct fw *w, const struct jdoc *d);
/* Write what is buffered and the footer. 0, or -1 with errno set. */
int	fw_finish(struct fw *w);
void	fw_free(struct fw *w);
uint64_t fw_rows(const struct fw *w);	/* rows taken */
/* Bytes written to fd so far plus those buffered (an estimate of the
 * finished size, for --roll-bytes). */
uint64_t fw_bytes(const struct fw *w);

#endif
