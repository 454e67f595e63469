/*
 * unit.h: the smallest test harness that does the job.
 *
 * Each tests/unit/test_<module>.c is a program: its checks use the macros
 * below, and main ends with `return unit_report();`, which prints
 * "test_<module>: N passed, N failed" and returns non-zero on any failure.
 * Failed checks print file:line and what differed.
 */
#ifndef CDC_UNIT_H
#define CDC_UNIT_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;
static const char *unit_name = "unit";

#define UNIT_NAME(n) (unit_name = (n))

#define CHECK(cond) do { \
	if (cond) { unit_passed++; } else { unit_failed++; \
	    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
		#cond); } \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ == w_) { unit_passed++; } else { unit_failed++; \
	    fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, \
		__LINE__, #got, g_, w_); } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0) { unit_passed++; } \
	else { unit_failed++; \
	    fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, \
		__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

/* Compare n bytes; prints both as strings (they are usually text). */
#define CHECK_MEM(got, gotlen, want) do { \
	const char *g_ = (const char *)(got), *w_ = (want); \
	size_t gl_ = (gotlen), wl_ = strlen(w_); \
	if (gl_ == wl_ && memcmp(g_, w_, wl_) == 0) { unit_passed++; } \
	else { unit_failed++; \
	    fprintf(stderr, "%s:%d: %s: got \"%.*s\", want \"%s\"\n", \
		__FILE__, __LINE__, #got, (int)gl_, g_, w_); } \
} while (0)

/*
 * A fixed pseudo-random sequence (splitmix64), so a failing randomized case
 * reproduces on every run. Set unit_rng_state to start another sequence.
 */
static uint64_t unit_rng_state = UINT64_C(0x9e3779b97f4a7c15);

static inline uint64_t
unit_rand(void)
{
	uint64_t z;

	z = (unit_rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline int
unit_report(void)
{
	printf("%s: %d passed, %d failed\n", unit_name, unit_passed,
	    unit_failed);
	return unit_failed != 0;
}

#endif
