/*
 * fuzz_pgoutput.c: libFuzzer target for pgcdc-tail's pgoutput decoder
 * (cmd/pgcdc-tail/stream.c) and, through it, the value mapping of pgval.c.
 *
 * The input is a sequence of frames, each a 4-byte big-endian length and
 * that many bytes of one replication message (a frame cut short takes what
 * is left); the seeds are messages recorded from PostgreSQL 15 by
 * tests/fuzz/record-pgoutput. Every message goes to stream_message, as
 * pgcdc-tail would pass it, with the stream's state carried from one to the
 * next. A malformed message must be refused with a reason and nothing
 * written; whatever is written must be lines of JSON objects (jscan) that
 * are well-formed UTF-8. Any violation aborts, so the fuzzer keeps the input.
 *
 * fuzz-sources: cmd/pgcdc-tail/stream.c cmd/pgcdc-tail/pgval.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jout.h"
#include "jscan.h"
#include "stream.h"
#define FUZZ_NAME	"fuzz_pgoutput"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jout out;
	struct stream s;
	uint64_t lsn = 0x1000000;
	size_t len, before;
	int rc;

	jout_init_mem(&out);
	stream_init(&s, &out, "fuzz", 0);
	while (size >= 4) {
		len = (size_t)data[0] << 24 | (size_t)data[1] << 16 |
		    (size_t)data[2] << 8 | data[3];
		data += 4;
		size -= 4;
		if (len > size)
			len = size;
		before = out.len;
		rc = stream_message(&s, lsn, data, len);
		if (rc < 0) {
			fuzz_require(s.error != NULL && s.error[0] != '\0',
			    "refused without a reason", (const char *)data,
			    len);
			fuzz_require(out.len == before, "refused after writing",
			    out.buf + before, out.len - before);
		}
		data += len;
		size -= len;
		lsn += len + 1;
	}
	fuzz_check_lines(out.buf, out.len, 0);
	stream_free(&s);
	free(out.buf);
	return 0;
}
