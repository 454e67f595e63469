/*
 * test_hive.c: unit tests for to-parquet-csv's --partition-by parser
 * (hive.c) beyond what tests/to-parquet-csv.bats sees through main: what a
 * refused list leaves behind.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "unit.h"

#include "../../cmd/to-parquet-csv/hive.c"

/* A refused list leaves h empty: the levels before the bad one are not
 * kept, so there is nothing to free and nothing leaks. */
static void
test_refused_empty(void)
{
	static const char *const bad[] = {
		"k,k=j", "a,b,=c", "a,date(),b", "a,b.c", "x,date(x),date(y)",
	};
	struct hive h;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		memset(&h, 0xa5, sizeof(h));
		CHECK_INT(hive_parse(&h, bad[i], &err), -1);
		CHECK(err != NULL && err[0] != '\0');
		CHECK(h.n == 0 && h.k == NULL && h.names == NULL &&
		    h.nnames == 0 && h.slot == NULL && h.omit == NULL &&
		    h.nomit == 0);
	}
	CHECK_INT(hive_parse(&h, "table=__table,date(ts)", &err), 0);
	CHECK_INT(h.n, 2);
	CHECK_STR(h.k[0].seg, "table=");
	CHECK_STR(h.k[1].seg, "date=");
	hive_free(&h);
}

int
main(void)
{
	UNIT_NAME("test_hive");
	test_refused_empty();
	return unit_report();
}
