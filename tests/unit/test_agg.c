/*
 * test_agg.c: unit tests for window-agg's --agg parser (agg.c), which the
 * option tests of tests/window-agg.bats reach only through main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "unit.h"

#include "../../cmd/window-agg/agg.c"

static void	test_parse(void);
static void	test_refused_keeps(void);

static void
test_parse(void)
{
	struct aggs g;
	struct buf err = BUF_INIT;

	memset(&g, 0, sizeof(g));
	CHECK_INT(aggs_parse(&g, "sum(total_price) as revenue, count, "
	    "avg(a.b)", &err), 0);
	CHECK_INT(g.n, 3);
	CHECK_INT(g.nin, 2);
	CHECK_STR(g.a[0].name, "revenue");
	CHECK_STR(g.a[1].name, "count");
	CHECK_STR(g.a[2].name, "avg_a_b");
	CHECK_STR(g.a[2].key, ",\"avg_a_b\":");
	CHECK(g.in[0].numeric && g.in[1].numeric);
	CHECK_INT(aggs_parse(&g, "count", &err), -1);
	CHECK_STR(err.data, "two aggregates named \"count\" (name one with "
	    "\"as\")");
	aggs_free(&g);

	/* blanks around an argument are not part of it, "*" included */
	CHECK_INT(aggs_parse(&g, "count(* ) as a, count( *) as b, "
	    "count(\t*\t) as c, max( x\t) as d, min(x)", &err), 0);
	CHECK_INT(g.n, 5);
	CHECK(g.n == 5 && g.a[0].fn == AF_COUNT && g.a[0].in == -1 &&
	    g.a[1].fn == AF_COUNT && g.a[2].fn == AF_COUNT);
	CHECK_INT(g.nin, 1);
	CHECK(g.nin == 1 && strcmp(g.in[0].f.text, "x") == 0);
	CHECK(g.n == 5 && g.a[3].in == 0 && g.a[4].in == 0);
	buf_reset(&err);
	CHECK_INT(aggs_parse(&g, "sum( )", &err), -1);
	CHECK_STR(err.data, "sum() needs a field");
	aggs_free(&g);
	buf_free(&err);
}

/* A refused --agg leaves the aggregates as they were: none of its own
 * aggregates or inputs stay, and earlier inputs keep their flags. */
static void
test_refused_keeps(void)
{
	struct aggs g;
	struct buf err = BUF_INIT;

	memset(&g, 0, sizeof(g));
	CHECK_INT(aggs_parse(&g, "min(x)", &err), 0);
	CHECK_INT(aggs_parse(&g, "sum(x) as s, count, first(y), median(z)",
	    &err), -1);
	CHECK_STR(err.data, "unknown aggregate \"median\" (count, sum, avg, "
	    "min, max, count_distinct, first, last)");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.nin, 1);
	CHECK_STR(g.a[0].name, "min_x");
	CHECK(!g.in[0].numeric);
	CHECK(!g.need_time);
	/* refused after its input was taken */
	buf_reset(&err);
	CHECK_INT(aggs_parse(&g, "avg(w) extra", &err), -1);
	CHECK_STR(err.data, "unexpected \"extra\"");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.nin, 1);
	/* and what is accepted after that is as if nothing came between */
	CHECK_INT(aggs_parse(&g, "sum(x) as s", &err), 0);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.nin, 1);
	CHECK(g.in[0].numeric);
	aggs_free(&g);
	buf_free(&err);
}

int
main(void)
{
	UNIT_NAME("test_agg");
	test_parse();
	test_refused_keeps();
	return unit_report();
}
