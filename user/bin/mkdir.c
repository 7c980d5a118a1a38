/*
 * mkdir - make directories: mkdir [-p] DIR...
 * -p makes missing parents too and accepts directories that already exist.
 */
#include "ulib.h"

/* make_parents - mkdir every prefix of path ending before a '/', then path; 0 or -1. */
static int make_parents(char *path)
{
	struct stat st;

	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0777) == 0)
		return 0;
	return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* main - make each directory; exit 1 if any could not be made. */
int main(int argc, char **argv)
{
	int i = 1, parents = 0, ret = 0;

	if (i < argc && !strcmp(argv[i], "-p")) {
		parents = 1;
		i++;
	}
	if (i == argc)
		die("usage: mkdir [-p] DIR...");
	for (; i < argc; i++) {
		if ((parents ? make_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
