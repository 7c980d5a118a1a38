/*
 * chmod - change permission bits: chmod MODE FILE...
 * MODE is octal (755, 0644, 4755); symbolic modes are not understood.
 */
#include "ulib.h"

/* main - set the mode of each file; exit 1 if any failed. */
int main(int argc, char **argv)
{
	char *end;
	long mode;
	int ret = 0;

	if (argc < 3)
		die("usage: chmod OCTAL-MODE FILE...");
	mode = strtol(argv[1], &end, 8);
	if (*end || end == argv[1] || mode < 0 || mode > 07777)
		die("chmod: %s: only octal modes are understood", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (chmod(argv[i], (mode_t)mode) < 0) {
			fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
