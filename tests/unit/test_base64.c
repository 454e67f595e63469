/*
 * test_base64.c: unit tests for RFC 4648 base64 encoding.
 *
 * The RFC's own test vectors, all 256 byte values (expected text made with
 * an independent encoder), and random data that must come back unchanged
 * through a strict decoder written here, which also rejects any output that
 * is not canonical (wrong length, stray padding, non-zero unused bits).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "unit.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of the bytes 0x00, 0x01, ..., 0xFF (from Python's base64). */
static const char all_bytes_b64[] =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKiss"
    "LS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZ"
    "WltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWG"
    "h4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKz"
    "tLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g"
    "4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==";

static int	dec_value(char);
static long	b64_decode(const char *, size_t, unsigned char *);
static int	round_trip(const unsigned char *, size_t);
static void	test_rfc_vectors(void);
static void	test_append(void);
static void	test_all_bytes(void);
static void	test_single_bytes(void);
static void	test_random(void);


static int
dec_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64_alphabet, c)) == NULL)
		return -1;
	return (int)(p - b64_alphabet);
}

/*
 * Strict decoder: len must be a multiple of 4, '=' only as the last one or
 * two characters, and the bits a padded group leaves unused must be zero.
 * Returns the number of bytes written to out, or -1.
 */
static long
b64_decode(const char *s, size_t len, unsigned char *out)
{
	size_t i, o = 0;
	int v[4], k, pad;
	unsigned long w;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == len && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = dec_value(s[i + k])) < 0)
				return -1;
		}
		w = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		    (unsigned long)v[2] << 6 | (unsigned long)v[3];
		if ((pad == 1 && (w & 0xFF) != 0) ||
		    (pad == 2 && (w & 0xFFFF) != 0))
			return -1;
		out[o++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(w >> 8 & 0xFF);
		if (pad < 1)
			out[o++] = (unsigned char)(w & 0xFF);
	}
	return (long)o;
}

/* Encode p[0..n), check the form of the text and decode it back: 1 when
 * everything matched. */
static int
round_trip(const unsigned char *p, size_t n)
{
	struct buf b = BUF_INIT;
	unsigned char *back;
	long got;
	int ok;

	base64_append(&b, p, n);
	back = malloc(n + 3);
	ok = b.data != NULL && b.len == (n + 2) / 3 * 4 &&
	    b.data[b.len] == '\0';
	if (ok) {
		got = b64_decode(b.data, b.len, back);
		ok = got == (long)n && (n == 0 || memcmp(back, p, n) == 0);
	}
	free(back);
	buf_free(&b);
	return ok;
}

static void
test_rfc_vectors(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		/* RFC 4648 section 10 */
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
		/* the last two alphabet characters and padding with them */
		{ "\xfb\xff", "+/8=" },
		{ "\xff\xff\xff", "////" },
		{ "\xfb\xef\xbe", "++++" },
		{ "\xff", "/w==" },
		{ "Man", "TWFu" },
		{ "any carnal pleasure.", "YW55IGNhcm5hbCBwbGVhc3VyZS4=" },
		{ "any carnal pleasure", "YW55IGNhcm5hbCBwbGVhc3VyZQ==" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "");	/* allocated and terminated */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		base64_append(&b, cases[i].in, strlen(cases[i].in));
		CHECK(b.data != NULL);
		CHECK_MEM(b.data, b.len, cases[i].out);
		CHECK_INT(b.data[b.len], '\0');
	}
	buf_free(&b);

	/*
	 * An empty input on a zeroed buffer must leave an empty C string
	 * (buf.h: the bytes are always followed by a '\0'). The memory is
	 * made non-zero first so the check does not pass by luck.
	 */
	{
		char *junk = malloc(64);

		memset(junk, 'Q', 64);
		free(junk);
	}
	base64_append(&b, "", 0);
	CHECK_INT(b.len, 0);
	CHECK(b.data != NULL && b.data[0] == '\0');
	buf_free(&b);

	/* NUL bytes are data like any other. */
	base64_append(&b, "\0\0\0\0", 4);
	CHECK_STR(b.data, "AAAAAA==");
	CHECK_INT(b.len, 8);
	buf_free(&b);
}

/* base64_append appends: what is in the buffer stays. */
static void
test_append(void)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "x:");
	base64_append(&b, "foo", 3);
	CHECK_STR(b.data, "x:Zm9v");
	CHECK_INT(b.len, 6);
	base64_append(&b, "f", 1);
	CHECK_STR(b.data, "x:Zm9vZg==");
	CHECK_INT(b.len, 10);
	base64_append(&b, "", 0);
	CHECK_STR(b.data, "x:Zm9vZg==");
	CHECK_INT(b.len, 10);
	base64_append(&b, "foobar", 6);
	CHECK_STR(b.data, "x:Zm9vZg==Zm9vYmFy");
	CHECK_INT(b.len, 18);
	buf_free(&b);
}

static void
test_all_bytes(void)
{
	unsigned char in[256], rev[256];
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 256; i++) {
		in[i] = (unsigned char)i;
		rev[i] = (unsigned char)(255 - i);
	}
	base64_append(&b, in, sizeof(in));
	CHECK_INT(b.len, 344);
	CHECK_STR(b.data, all_bytes_b64);
	buf_reset(&b);
	base64_append(&b, rev, sizeof(rev));
	CHECK_INT(b.len, 344);
	CHECK(strncmp(b.data,
	    "//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eDf3t3c29rZ2NfW1dTT",
	    60) == 0);
	buf_free(&b);
	CHECK(round_trip(in, sizeof(in)));
	CHECK(round_trip(rev, sizeof(rev)));
}

/* Every single byte, and every byte in each position of a 2- and 3-byte
 * group, against the bit layout of RFC 4648 section 4. */
static void
test_single_bytes(void)
{
	struct buf b = BUF_INIT;
	unsigned char in[3];
	char want[5];
	int c, bad1 = 0, bad2 = 0, bad3 = 0, badrt = 0;

	for (c = 0; c < 256; c++) {
		in[0] = (unsigned char)c;
		want[0] = b64_alphabet[c >> 2];
		want[1] = b64_alphabet[(c & 3) << 4];
		want[2] = '=';
		want[3] = '=';
		want[4] = '\0';
		buf_reset(&b);
		base64_append(&b, in, 1);
		if (b.len != 4 || strcmp(b.data, want) != 0)
			bad1++;

		/* c as the second of two bytes, after 0x00 */
		in[0] = 0;
		in[1] = (unsigned char)c;
		want[0] = 'A';
		want[1] = b64_alphabet[c >> 4];
		want[2] = b64_alphabet[(c & 15) << 2];
		want[3] = '=';
		buf_reset(&b);
		base64_append(&b, in, 2);
		if (b.len != 4 || strcmp(b.data, want) != 0)
			bad2++;

		/* c as the third of three bytes, after 0x00 0x00 */
		in[1] = 0;
		in[2] = (unsigned char)c;
		want[0] = 'A';
		want[1] = 'A';
		want[2] = b64_alphabet[c >> 6];
		want[3] = b64_alphabet[c & 63];
		buf_reset(&b);
		base64_append(&b, in, 3);
		if (b.len != 4 || strcmp(b.data, want) != 0)
			bad3++;

		in[0] = (unsigned char)c;
		in[1] = (unsigned char)(c ^ 0x5A);
		in[2] = (unsigned char)(255 - c);
		if (!round_trip(in, 1) || !round_trip(in, 2) ||
		    !round_trip(in, 3))
			badrt++;
	}
	buf_free(&b);
	CHECK_INT(bad1, 0);
	CHECK_INT(bad2, 0);
	CHECK_INT(bad3, 0);
	CHECK_INT(badrt, 0);
}

static void
test_random(void)
{
	unsigned char *data;
	size_t n, i, big = (size_t)1 << 20;
	int bad = 0;

	data = malloc(big + 2);
	/* n == 0 is checked in test_rfc_vectors */
	for (n = 1; n <= 1000; n++) {
		for (i = 0; i < n; i++)
			data[i] = (unsigned char)unit_rand();
		if (!round_trip(data, n))
			bad++;
	}
	CHECK_INT(bad, 0);

	/* Large inputs of each remainder modulo 3. */
	for (i = 0; i < big + 2; i++)
		data[i] = (unsigned char)(unit_rand() >> 7);
	CHECK(round_trip(data, big));
	CHECK(round_trip(data, big + 1));
	CHECK(round_trip(data, big + 2));
	free(data);

	/* The decoder itself must refuse what is not canonical base64. */
	{
		unsigned char out[8];

		CHECK_INT(b64_decode("Zm9", 3, out), -1);
		CHECK_INT(b64_decode("Zh==", 4, out), -1);
		CHECK_INT(b64_decode("Zm9=", 4, out), -1);
		CHECK_INT(b64_decode("Z=9v", 4, out), -1);
		CHECK_INT(b64_decode("Zg==Zg==", 8, out), -1);
		CHECK_INT(b64_decode("Zm9v", 4, out), 3);
		CHECK(memcmp(out, "foo", 3) == 0);
	}
}

int
main(void)
{
	UNIT_NAME("test_base64");
	unit_rng_state = UINT64_C(0x0123456789abcdef);
	test_rfc_vectors();
	test_append();
	test_all_bytes();
	test_single_bytes();
	test_random();
	return unit_report();
}
