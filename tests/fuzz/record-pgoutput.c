/*
 * record-pgoutput.c: record pgoutput messages from a real server as seeds
 * for tests/fuzz/fuzz_pgoutput.c.
 *
 *	record-pgoutput CONNINFO SLOT PUBLICATION ENDPOS OUT
 *
 * Streams the slot (protocol version 1) from its confirmed position until
 * ENDPOS (an LSN such as 0/1A2B3C4) and writes every XLogData message to
 * OUT as a frame: a 4-byte big-endian length, then the message. Nothing is
 * confirmed to the server. Exit status 0, or 1 with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static uint64_t
take64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void
die(PGconn *c, const char *what)
{
	fprintf(stderr, "record-pgoutput: %s: %s", what,
	    c != NULL ? PQerrorMessage(c) : "\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	unsigned hi, lo;
	uint64_t endpos, wal_end;
	char sql[1024], *msg;
	unsigned char len[4];
	PGconn *c;
	PGresult *r;
	FILE *out;
	size_t body;
	int n;

	if (argc != 6 || sscanf(argv[4], "%X/%X", &hi, &lo) != 2) {
		fprintf(stderr, "usage: record-pgoutput CONNINFO SLOT "
		    "PUBLICATION ENDPOS OUT\n");
		return 2;
	}
	endpos = (uint64_t)hi << 32 | lo;
	c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK)
		die(c, "could not connect");
	snprintf(sql, sizeof(sql), "START_REPLICATION SLOT \"%s\" LOGICAL 0/0 "
	    "(\"proto_version\" '1', \"publication_names\" '\"%s\"')",
	    argv[2], argv[3]);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COPY_BOTH)
		die(c, "could not start streaming");
	PQclear(r);
	if ((out = fopen(argv[5], "wb")) == NULL)
		die(NULL, "could not open the output");
	for (;;) {
		n = PQgetCopyData(c, &msg, 0);
		if (n < 0)
			die(c, "the stream ended before ENDPOS");
		if (msg[0] == 'k' && n >= 18) {
			wal_end = take64((unsigned char *)msg + 1);
			PQfreemem(msg);
			if (wal_end >= endpos)
				break;
			continue;
		}
		if (msg[0] != 'w' || n < 25)
			die(NULL, "unexpected message");
		body = (size_t)n - 25;
		len[0] = (unsigned char)(body >> 24);
		len[1] = (unsigned char)(body >> 16);
		len[2] = (unsigned char)(body >> 8);
		len[3] = (unsigned char)body;
		fwrite(len, 1, 4, out);
		fwrite(msg + 25, 1, body, out);
		wal_end = take64((unsigned char *)msg + 1);
		/* a Commit whose end reaches ENDPOS is the last one */
		if (msg[25] == 'C' && n >= 25 + 18 &&
		    take64((unsigned char *)msg + 25 + 10) >= endpos) {
			PQfreemem(msg);
			break;
		}
		PQfreemem(msg);
	}
	if (fclose(out) != 0)
		die(NULL, "could not write the output");
	PQfinish(c);
	return 0;
}
