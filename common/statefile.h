/*
 * statefile.h: the --state files of the stateful stages (DESIGN.md section
 * 8): NDJSON, written atomically at a clean exit, read back at start.
 *
 * Writing goes to "PATH.tmp", which is fsynced and renamed over PATH, then
 * the directory is fsynced: a crash leaves either the old state or the new
 * one, never a mix, and a run that fails before the end leaves the old one,
 * so rerunning it over the same input repeats its work exactly.
 */
#ifndef CDC_STATEFILE_H
#define CDC_STATEFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Write text[0..len) to path atomically. Fatal (exit 1) on any error. */
void	statefile_write(const char *path, const char *text, size_t len);

/*
 * Read path, calling line() with each line parsed by jansson (borrowed: it
 * is released after the call) and its 1-based number. line() returns 0, -1
 * for a malformed line (reported as 'PATH:N: not a PROG state line',
 * exit 1), or another negative value to stop reading, which is returned.
 * Returns 0 after the last line, 1 when path does not exist (a first run).
 */
int	statefile_read(const char *path,
	    int (*line)(json_t *j, uint64_t lineno, void *arg), void *arg);

#endif
