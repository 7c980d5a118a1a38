/*
 * mv - rename: mv SOURCE... DEST
 * With one source, DEST is the new name unless it is a directory; otherwise (and with
 * several sources) each source moves into DEST under its own last name. Only within one
 * file system: rename(2) says EXDEV across mounts, and mv reports it.
 */
#include "ulib.h"

/* main - rename each source; exit 1 if any could not be moved. */
int main(int argc, char **argv)
{
	const char *dest = argv[argc - 1];
	struct stat st;
	int into, ret = 0;

	if (argc < 3)
		die("usage: mv SOURCE... DEST");
	into = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc > 3 && !into)
		die("mv: %s: not a directory", dest);
	for (int i = 1; i < argc - 1; i++) {
		char path[4096];
		const char *base = strrchr(argv[i], '/');

		base = base && base[1] ? base + 1 : argv[i];
		snprintf(path, sizeof(path), "%s/%s", dest, base);
		if (rename(argv[i], into ? path : dest) < 0) {
			fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
