/*
 * interval-join: interval and temporal joins of two row streams. Not implemented yet.
 */
#include "stub.h"

int
main(int argc, char **argv)
{
	stub_main(argc, argv, "interval and temporal joins of two row streams");
}
