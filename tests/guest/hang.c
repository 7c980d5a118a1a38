/*
 * hang - a test that never ends, for testrun's per-test timeout (tests/guest/testrun-hang).
 * It touches 1 MiB, leaves a child spinning in a process group of its own with a
 * grandchild asleep there, and waits forever itself. testrun must kill all three, name
 * this test as hung, and have their memory back before it measures the next test.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* main - set up the three processes and never return. */
int main(void)
{
	size_t size = 1 << 20;
	char *mem = malloc(size);

	if (mem)
		memset(mem, 1, size);
	if (fork() == 0) {
		setpgid(0, 0);
		if (fork() == 0)
			for (;;)
				pause();
		for (volatile unsigned long n = 0;; n++)
			;
	}
	for (;;)
		pause();
}
