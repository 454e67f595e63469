/*
 * onerr.h: what happens to a bad input line (DESIGN.md section 7).
 *
 * With --on-error fail (the default) the first bad line is reported as
 * "prog: SOURCE:LINE: reason" and the tool exits 1, after writing out every
 * good line before it. With --on-error skip it is counted, reported as a
 * warning (the first few), and reading goes on; --dead-letter FILE (which
 * implies skip) appends each bad line there as one JSON object:
 *
 *	{"source":"stdin","line":12,"error":"field \"sale_ts\": ...",
 *	 "input":"<the line as a string>"}
 *
 * ("input_base64" instead of "input" when the line is not valid UTF-8, so
 * nothing is lost). onerr_summary() reports the count at exit.
 */
#ifndef CDC_ONERR_H
#define CDC_ONERR_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "jout.h"

enum onerr_mode { ONERR_FAIL, ONERR_SKIP };

struct onerr {
	enum onerr_mode	 mode;
	const char	*dead_path;
	struct jout	 dead;
	int		 dead_open;
	uint64_t	 skipped;
	int		 warned;
};

/* Open the dead-letter file for appending (called by opts_end). */
void	onerr_open(struct onerr *e);

/*
 * Report bad line `lineno` of `source` (text line/len, NULL when it was not
 * kept, as for a line over --max-line). The message is printf-formatted.
 * Returns only in skip mode.
 */
void	onerr_line(struct onerr *e, const char *source, uint64_t lineno,
	    const char *line, size_t len, const char *fmt, ...)
	    DIAG_PRINTF(6, 7);

/* At exit: "skipped N bad lines" to stderr when any were skipped; flushes
 * and closes the dead-letter file. */
void	onerr_summary(struct onerr *e);

#endif
