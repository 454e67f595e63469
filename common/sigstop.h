/*
 * sigstop.h: SIGINT and SIGTERM as a request to stop, the same in every
 * stage.
 *
 * The first signal sets the flag the caller gave. The handler is installed
 * without SA_RESTART, so a read(2) or poll(2) waiting for input returns
 * EINTR and the input loop sees the flag: lread returns the whole lines it
 * already holds (they have left the pipe) and then LREAD_STOP. The first
 * signal also puts the default action back, so a second one ends the
 * program at once.
 *
 *	static volatile sig_atomic_t stop;
 *	sigstop_install(&stop);
 *	in.stop = &stop;
 */
#ifndef CDC_SIGSTOP_H
#define CDC_SIGSTOP_H

#include <signal.h>

/* Catch SIGINT and SIGTERM into *flag (which must outlive the program's
 * loop; a static is usual). */
void	sigstop_install(volatile sig_atomic_t *flag);

#endif
