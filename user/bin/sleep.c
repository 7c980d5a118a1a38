/* sleep - pause for a number of seconds (fractions allowed), e.g. "sleep 0.25". */
#include "ulib.h"

/* main - sleep for the sum of the arguments; exit 1 on a malformed number. */
int main(int argc, char **argv)
{
	double secs = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: sleep SECONDS...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		double s = strtod(argv[i], &end);

		if (end == argv[i] || *end || s < 0) {
			fprintf(stderr, "sleep: invalid time '%s'\n", argv[i]);
			return 1;
		}
		secs += s;
	}
	if (sleep_ns((uint64_t)(secs * 1e9)) < 0) {
		perror("sleep");
		return 1;
	}
	return 0;
}
