/*
 * stub.h: main() of a tool whose issue has not landed yet. It answers
 * --help and --version and the shared options like every tool, then says
 * "not implemented" and exits 1: a stub never pretends to work. The file
 * goes away with the last stub.
 */
#ifndef CDC_STUB_H
#define CDC_STUB_H

/* what: the tool's one-line description for --help. Never returns. */
int	stub_main(int argc, char **argv, const char *what)
	    __attribute__((noreturn));

#endif
