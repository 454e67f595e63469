/*
 * window-agg: event-time window aggregates over a row stream. Not implemented yet.
 */
#include "stub.h"

int
main(int argc, char **argv)
{
	stub_main(argc, argv, "event-time window aggregates over a row stream");
}
