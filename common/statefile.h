/*
 * statefile.h: the --state files of the stateful stages (DESIGN.md section
 * 8): NDJSON, written atomically at a clean exit, read back at start, and
 * refused with a message when they are not what was written.
 *
 * A state file is a header line, then the tool's own lines:
 *
 *	{"cdc_pipes_state":1,"tool":"window-agg","lines":3,"bytes":412,
 *	 "crc32c":"1c2a5fe0"}
 *	{"window_agg_state":1,...}
 *	...
 *
 * "lines" and "bytes" count what follows the header, every line ending in
 * "\n", and "crc32c" is the CRC-32C (Castagnoli, as iSCSI and ext4 use it)
 * of those bytes, in hexadecimal. A file that is empty, has no such header,
 * is shorter or longer than its header says, has no line after it (every
 * tool writes one), or whose bytes do not match the checksum is refused
 * before any of it is used: a run never goes on from damaged state. The
 * file stays readable with jq.
 *
 * Writing goes to "PATH.tmp", which is fsynced and renamed over PATH, then
 * the directory is fsynced: a crash leaves either the old state or the new
 * one, never a mix, and a run that fails before the end leaves the old one,
 * so rerunning it over the same input repeats its work exactly. A write
 * that fails (a full disk, a file size limit) removes PATH.tmp.
 */
#ifndef CDC_STATEFILE_H
#define CDC_STATEFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A clock in a state line, the same in every tool: "NAME":null for
 * INT64_MIN (-infinity: no watermark yet), else "NAME":microseconds
 * (+infinity, a drained input, as INT64_MAX); appended to b without a
 * separator. statefile_get_time reads member name of obj back: 0, or -1
 * when it is neither null nor an integer. */
struct buf;
void	statefile_put_time(struct buf *b, const char *name, int64_t us);
int	statefile_get_time(json_t *obj, const char *name, int64_t *us);

/* The version of the header line. */
#define STATEFILE_VERSION	1

/*
 * Write text[0..len) (the tool's lines, each ending in "\n") to path as the
 * state of `tool` ("window-agg"), header first, atomically. Fatal (exit 1)
 * on any error, after removing the temporary file; path is then as it was.
 */
void	statefile_write(const char *path, const char *tool, const char *text,
	    size_t len);

/*
 * Read the state of `tool` from path, calling line() with each of the
 * tool's lines parsed by jansson (borrowed: it is released after the call)
 * and its 1-based number among them (1 is the line after the header).
 * line() returns 0, -1 for a malformed line (reported as 'PATH:N: not a
 * TOOL state line', "an" before a vowel, N the line of the file, exit 1),
 * or another negative value to stop reading, which is returned. The whole
 * file is verified against its header first (see above): a file that
 * fails is reported, naming it and what is wrong, and the program exits 1.
 * Returns 0 after the last line, 1 when path does not exist (a first run).
 */
int	statefile_read(const char *path, const char *tool,
	    int (*line)(json_t *j, uint64_t n, void *arg), void *arg);

/*
 * statefile_read without exiting, for a tool that reports and exits in its
 * main: the same checks and calls, but a file that is refused, a line()
 * that returns -1 and a read error return -1 with the message
 * statefile_read would give appended to err (the program name aside), and
 * a path of "-" returns STATEFILE_EUSAGE with its message. line() may have
 * been called for lines before the one that failed: what they set up is
 * the caller's to throw away. Returns 0, 1 when path does not exist, -1,
 * STATEFILE_EUSAGE, or the other negative value a line() returned (a line
 * may return STATEFILE_EUSAGE too, for a state written with other
 * settings: a usage error, which the caller words).
 */
#define STATEFILE_EUSAGE	(-2)
struct buf;
int	statefile_load(const char *path, const char *tool,
	    int (*line)(json_t *j, uint64_t n, void *arg), void *arg,
	    struct buf *err);

/*
 * Replace path with text[0..len) atomically, as above but with no header:
 * for small files other programs read (pgcdc-tail's --lsn-file). Fatal
 * (exit 1) on any error, after removing the temporary file.
 */
void	statefile_replace(const char *path, const char *text, size_t len);

/* CRC-32C of p[0..n), continuing from crc (0 to start). */
uint32_t statefile_crc32c(uint32_t crc, const void *p, size_t n);

#endif
