/*
 * to-parquet-csv: write a row stream as Parquet or CSV files. Not implemented yet.
 */
#include "stub.h"

int
main(int argc, char **argv)
{
	stub_main(argc, argv, "write a row stream as Parquet or CSV files");
}
