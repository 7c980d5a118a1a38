/*
 * leftover - a test that fails and leaves a sleeping child behind, for the leak harness
 * (tests/guest/memcheck-leftovers). Run as "leftover_group" the child stays in the test's
 * process group, as t_futex's waiters do when it gives up at a failed fork: testrun must
 * kill it. Run as "leftover_session" the child moves to a session of its own first, so
 * once the test exits only init knows it: memcheck must find and kill it. Either way the
 * memory the child holds must not be counted as a kernel leak.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* main - fork the child, wait until it has left the group if asked, and fail. */
int main(int argc, char **argv)
{
	int session = argc > 0 && strstr(argv[0], "session") != NULL, p[2];
	char c = 0;

	if (pipe(p) < 0)
		return 2;
	if (fork() == 0) {
		char *mem = malloc(256 << 10);

		if (mem)
			memset(mem, 1, 256 << 10); /* memory a leak check would miss */
		if (session)
			setsid();
		write(p[1], &c, 1); /* now in its place: the test may end */
		for (;;)
			pause();
	}
	if (read(p[0], &c, 1) != 1)
		return 2;
	return 1;
}
