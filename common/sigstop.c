/*
 * sigstop.c: SIGINT and SIGTERM as a request to stop.
 */
#include <string.h>

#include "sigstop.h"

static volatile sig_atomic_t *stop_flag;

static void
on_stop(int sig)
{
	struct sigaction dfl;

	(void)sig;
	*stop_flag = 1;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
}

void
sigstop_install(volatile sig_atomic_t *flag)
{
	struct sigaction sa;

	stop_flag = flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: waits are cut short */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
