/*
 * ijopt.h: the option values of interval-join that have a syntax of their
 * own, --on and --within, parsed without exiting: each parser returns a
 * status and a message, and main decides to exit (so the parsers can be
 * tested and fuzzed on their own).
 */
#ifndef IJ_IJOPT_H
#define IJ_IJOPT_H

#include <stdint.h>

#include "buf.h"
#include "field.h"

/*
 * --on: "KEY" or "LKEY=RKEY", comma-separated; KEY is a dotted path that
 * names the key in both inputs. The pairs are appended to key[0] (left)
 * and key[1] (right). 0, or -1 with the reason appended to err and both
 * lists as they were.
 */
int	ijopt_on(struct field_list key[2], const char *spec, struct buf *err);

/*
 * --within: "LOWER,UPPER", two durations (or a bare 0) with LOWER <= UPPER
 * ("-1h,0", "-30s,30s"). 0 with *lo and *hi in microseconds, or -1 with the
 * reason appended to err and *lo, *hi unchanged.
 */
int	ijopt_within(int64_t *lo, int64_t *hi, const char *spec,
	    struct buf *err);

#endif
