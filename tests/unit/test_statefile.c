/*
 * test_statefile.c: unit tests for the state files' checksum and round
 * trip, and for refusals as statefile_load returns them (statefile_read
 * exits with them: tests/window-agg.bats and tests/interval-join.bats
 * cover that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "statefile.h"
#include "unit.h"

static void	test_crc(void);
static void	test_roundtrip(void);
static void	test_load_refused(void);

static void
test_crc(void)
{
	const char *s = "123456789";
	uint32_t c;

	/* the check value of CRC-32C (RFC 3720, iSCSI) */
	CHECK(statefile_crc32c(0, s, 9) == 0xE3069283U);
	CHECK(statefile_crc32c(0, "", 0) == 0);
	CHECK(statefile_crc32c(0, NULL, 0) == 0);
	/* in pieces, as a file is read */
	c = statefile_crc32c(0, s, 4);
	c = statefile_crc32c(c, s + 4, 5);
	CHECK(c == 0xE3069283U);
}

struct seen {
	char	 text[256];
	uint64_t n;
};

static int
collect(json_t *j, uint64_t n, void *arg)
{
	struct seen *s = arg;
	char *t = json_dumps(j, JSON_COMPACT);

	s->n = n;
	strncat(s->text, t, sizeof(s->text) - strlen(s->text) - 2);
	strcat(s->text, ";");
	free(t);
	return 0;
}

static void
test_roundtrip(void)
{
	char dir[] = "/tmp/test_statefile.XXXXXX", path[64], line[256];
	const char *text = "{\"a\":1}\n{\"b\":[2]}\n";
	struct seen s;
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/st", dir);
	memset(&s, 0, sizeof(s));
	CHECK_INT(statefile_read(path, "tool", collect, &s), 1);
	statefile_write(path, "tool", text, strlen(text));
	fp = fopen(path, "r");
	CHECK(fp != NULL && fgets(line, sizeof(line), fp) != NULL);
	CHECK_STR(line, "{\"cdc_pipes_state\":1,\"tool\":\"tool\",\"lines\":2,"
	    "\"bytes\":18,\"crc32c\":\"ccda133c\"}\n");
	if (fp != NULL)
		fclose(fp);
	CHECK(statefile_crc32c(0, text, strlen(text)) == 0xccda133cU);
	CHECK_INT(statefile_read(path, "tool", collect, &s), 0);
	CHECK_STR(s.text, "{\"a\":1};{\"b\":[2]};");
	CHECK_INT(s.n, 2);
	snprintf(line, sizeof(line), "%s.tmp", path);
	CHECK(access(line, F_OK) != 0);
	/* replace: the bytes as they are */
	statefile_replace(path, "0/16B3748\n", 10);
	fp = fopen(path, "r");
	CHECK(fp != NULL && fgets(line, sizeof(line), fp) != NULL);
	CHECK_STR(line, "0/16B3748\n");
	if (fp != NULL)
		fclose(fp);
	unlink(path);
	rmdir(dir);
}

/* statefile_load: a refusal is a return with its message, not an exit. */
static void
test_load_refused(void)
{
	char dir[] = "/tmp/test_statefile.XXXXXX", path[64], want[160];
	const char *text = "{\"a\":1}\n";
	struct buf err = BUF_INIT;
	struct seen s;
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/st", dir);
	memset(&s, 0, sizeof(s));
	CHECK_INT(statefile_load(path, "tool", collect, &s, &err), 1);
	CHECK_INT(err.len, 0);
	CHECK_INT(statefile_load("-", "tool", collect, &s, &err),
	    STATEFILE_EUSAGE);
	CHECK_STR(err.data, "--state needs a file, not \"-\"");
	fp = fopen(path, "w");
	if (fp != NULL)
		fclose(fp);
	buf_reset(&err);
	CHECK_INT(statefile_load(path, "tool", collect, &s, &err), -1);
	snprintf(want, sizeof(want), "state file \"%s\": empty", path);
	CHECK_STR(err.data, want);
	statefile_write(path, "tool", text, strlen(text));
	buf_reset(&err);
	CHECK_INT(statefile_load(path, "other", collect, &s, &err), -1);
	snprintf(want, sizeof(want), "state file \"%s\": the state of tool, "
	    "not of other", path);
	CHECK_STR(err.data, want);
	buf_reset(&err);
	CHECK_INT(statefile_load(path, "tool", collect, &s, &err), 0);
	CHECK_STR(s.text, "{\"a\":1};");
	CHECK_INT(err.len, 0);
	buf_free(&err);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	UNIT_NAME("test_statefile");
	test_crc();
	test_roundtrip();
	test_load_refused();
	return unit_report();
}
