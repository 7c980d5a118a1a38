/* echo - print the arguments separated by spaces; -n omits the final newline. */
#include "ulib.h"

/* main - write the arguments to stdout; exit 1 if writing failed. */
int main(int argc, char **argv)
{
	int newline = 1, i = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i < argc - 1)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
