/*
 * rm - remove files: rm [-f] [-r] PATH...
 * -r removes directories and what is in them (symlinks are removed, never followed);
 * -f says nothing about paths that do not exist. Exits 1 if anything could not be removed.
 */
#include "ulib.h"
#include <dirent.h>

static int opt_force, opt_recursive;

/* remove_at - remove name in directory dfd (and, with -r, its contents); 0 or -1. */
static int remove_at(int dfd, const char *name, const char *shown)
{
	int sub, ret = 0;
	DIR *d;
	struct dirent *e;

	if (unlinkat(dfd, name, 0) == 0 || (opt_force && errno == ENOENT))
		return 0;
	if ((errno != EISDIR && errno != EPERM) || !opt_recursive) {
		fprintf(stderr, "rm: %s: %s\n", shown, strerror(errno));
		return -1;
	}
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0 || !(d = fdopendir(sub))) {
		fprintf(stderr, "rm: %s: %s\n", shown, strerror(errno));
		if (sub >= 0)
			close(sub);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ret |= remove_at(dirfd(d), e->d_name, e->d_name);
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0) {
		fprintf(stderr, "rm: %s: %s\n", shown, strerror(errno));
		return -1;
	}
	return ret;
}

/* main - parse -f/-r and remove each path. */
int main(int argc, char **argv)
{
	int i = 1, ret = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'f')
				opt_force = 1;
			else if (*o == 'r' || *o == 'R')
				opt_recursive = 1;
			else
				die("usage: rm [-fr] PATH...");
		}
	if (i == argc && !opt_force)
		die("usage: rm [-fr] PATH...");
	for (; i < argc; i++)
		ret |= remove_at(AT_FDCWD, argv[i], argv[i]);
	return ret ? 1 : 0;
}
