/*
 * ls - list directory contents: ls [-l] [-a] [PATH...]
 * One name per line, sorted; -l adds the mode and size, -a shows names starting with '.'.
 */
#include "ulib.h"
#include <dirent.h>

static int opt_long, opt_all;

/* mode_str - "drwxr-xr-x"-style text for st_mode, in a static buffer. */
static const char *mode_str(mode_t m)
{
	static char s[11];
	const char *rwx = "rwxrwxrwx";

	s[0] = S_ISDIR(m)    ? 'd'
	       : S_ISCHR(m)  ? 'c'
	       : S_ISBLK(m)  ? 'b'
	       : S_ISLNK(m)  ? 'l'
	       : S_ISFIFO(m) ? 'p'
	       : S_ISSOCK(m) ? 's'
			     : '-';
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	s[10] = '\0';
	return s;
}

/* show - print one entry; dirfd/name locate it for -l (dirfd may be AT_FDCWD). */
static void show(int dirfd, const char *name, const char *label)
{
	struct stat st;

	if (!opt_long) {
		puts(label);
		return;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		printf("?????????? %10s %s\n", "?", label);
		return;
	}
	printf("%s %10lld %s\n", mode_str(st.st_mode), (long long)st.st_size, label);
}

/* cmp_names - qsort comparator for an array of strings. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_dir - print the sorted entries of directory path; 0 on success, -1 on error. */
static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("ls: out of memory");
		}
		names[n] = strdup(e->d_name);
		if (!names[n++])
			die("ls: out of memory");
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		show(dirfd(d), names[i], names[i]);
		free(names[i]);
	}
	free(names);
	closedir(d);
	return 0;
}

/* main - list each path (default "."); exit 1 if any could not be listed. */
int main(int argc, char **argv)
{
	int i = 1, ret = 0, nargs;
	struct stat st;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				opt_long = 1;
			else if (*o == 'a')
				opt_all = 1;
			else
				die("usage: ls [-la] [PATH...]");
		}
	}
	nargs = argc - i;
	if (!nargs)
		return list_dir(".") < 0 ? (perror("ls: ."), 1) : 0;
	for (; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			show(AT_FDCWD, argv[i], argv[i]);
			continue;
		}
		if (nargs > 1)
			printf("%s:\n", argv[i]);
		if (list_dir(argv[i]) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
