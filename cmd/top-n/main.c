/*
 * top-n: top N rows per window or partition. Not implemented yet.
 */
#include "stub.h"

int
main(int argc, char **argv)
{
	stub_main(argc, argv, "top N rows per window or partition");
}
