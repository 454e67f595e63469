/*
 * pgcdc-tail: stream PostgreSQL row changes as change events. Not implemented yet.
 */
#include "stub.h"

int
main(int argc, char **argv)
{
	stub_main(argc, argv, "stream PostgreSQL row changes as change events");
}
