/*
 * test_diag.c: unit tests for diag_one_line, which makes text from outside
 * (a server's message, a name from a catalog) fit for a one-line message.
 *
 * The cases a server sends (libpq's multi-line messages, a message of line
 * breaks only), control bytes and broken UTF-8, and then every small
 * capacity against random and worst-case input: the output never passes
 * its bound, is always NUL-terminated, one line and well-formed UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "unit.h"

static const char	*one(const char *, size_t);
static int		 is_one_line_utf8(const char *, size_t);
static void		 test_messages(void);
static void		 test_bytes(void);
static void		 test_bounds(void);

/* diag_one_line of s[0..n) into a static buffer. */
static const char *
one(const char *s, size_t n)
{
	static char out[512];

	diag_one_line(out, sizeof(out), s, n);
	return out;
}

/* No control byte, and well-formed UTF-8 (checked the long way). */
static int
is_one_line_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, j;
	unsigned cp;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xE0) == 0xC0) {
			k = 2;
			cp = p[i] & 0x1F;
		} else if ((p[i] & 0xF0) == 0xE0) {
			k = 3;
			cp = p[i] & 0x0F;
		} else if ((p[i] & 0xF8) == 0xF0) {
			k = 4;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
		    (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

static void
test_messages(void)
{
	const char *libpq = "connection to server at \"127.0.0.1\", port 1 "
	    "failed: Connection refused\n\tIs the server running on that host "
	    "and accepting TCP/IP connections?\nconnection to server at "
	    "\"127.0.0.2\", port 1 failed: Connection refused\n\tIs the "
	    "server running on that host and accepting TCP/IP connections?\n";

	CHECK_STR(one(libpq, strlen(libpq)), "connection to server at "
	    "\"127.0.0.1\", port 1 failed: Connection refused; Is the server "
	    "running on that host and accepting TCP/IP connections?; "
	    "connection to server at \"127.0.0.2\", port 1 failed: "
	    "Connection refused; Is the server running on that host and "
	    "accepting TCP/IP connections?");
	CHECK_STR(one("ERROR:  x\nDETAIL:  y\nHINT:  z\n", 29),
	    "ERROR:  x; DETAIL:  y; HINT:  z");
	CHECK_STR(one("\n\n\n", 3), "");
	CHECK_STR(one("\n\tleading", 9), "; leading");
	CHECK_STR(one("a\r\nb", 4), "a; b");
	CHECK_STR(one("", 0), "");
}

static void
test_bytes(void)
{
	CHECK_STR(one("a\tb", 3), "a b");
	CHECK_STR(one("a\0b", 3), "a\\x00b");
	CHECK_STR(one("\x1b[31mred", 8), "\\x1B[31mred");
	CHECK_STR(one("del\x7f", 4), "del\\x7F");
	CHECK_STR(one("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* a cut sequence, an overlong, a surrogate, past U+10FFFF */
	CHECK_STR(one("x\xe2\x82", 3), "x\\xE2\\x82");
	CHECK_STR(one("\xc0\x80", 2), "\\xC0\\x80");
	CHECK_STR(one("\xed\xa0\x80", 3), "\\xED\\xA0\\x80");
	CHECK_STR(one("\xf4\x90\x80\x80", 4), "\\xF4\\x90\\x80\\x80");
}

static void
test_bounds(void)
{
	char in[512], out[64], *guard;
	size_t cap, n, len, i, round;

	/* The worst case: every byte takes four. */
	memset(in, 1, sizeof(in));
	for (cap = 1; cap <= 40; cap++) {
		guard = malloc(cap);
		len = diag_one_line(guard, cap, in, sizeof(in));
		CHECK(len < cap && guard[len] == '\0');
		free(guard);
	}
	len = diag_one_line(out, 20, in, sizeof(in));
	CHECK_STR(out, "\\x01\\x01\\x01\\x01...");
	len = diag_one_line(out, 3, "abcdef", 6);
	CHECK_INT(len, 0);
	/* random bytes, every capacity: bounded, one line, UTF-8 */
	for (round = 0; round < 20000; round++) {
		n = unit_rand() % 40;
		for (i = 0; i < n; i++)
			in[i] = (char)(unit_rand() % 4 == 0 ? "\n\t \xc3\xe2"
			    [unit_rand() % 5] : (char)unit_rand());
		cap = 1 + unit_rand() % sizeof(out);
		len = diag_one_line(out, cap, in, n);
		CHECK(len < cap && out[len] == '\0' && strlen(out) == len);
		CHECK(is_one_line_utf8(out, len));
	}
}

int
main(void)
{
	UNIT_NAME("test_diag");
	test_messages();
	test_bytes();
	test_bounds();
	return unit_report();
}
