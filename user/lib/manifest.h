/*
 * manifest.h - what a disk test meant to leave behind, written down for the host.
 *
 * A test that writes to a disk (t_disk_ops, t_disk_many) records each path it expects
 * there: a file (mode, size, SHA-256 of the exact bytes), a directory (mode), a symlink
 * (target), a path that must not exist, a file's mtime.  man_check compares the tree with
 * that record in the guest; man_write saves it as text, one entry a line, for the host to
 * compare the image against after power-off (tests/guest/disk-verify, with debugfs):
 *     f MODE SIZE SHA256 PATH      d MODE PATH      l TARGET PATH      x PATH      t SECONDS PATH
 * MODE is octal permission bits; paths are relative to the test's directory and hold no
 * blanks.  Include after ulib.h and sha256.h.
 */
#ifndef HOLSTEIN_MANIFEST_H
#define HOLSTEIN_MANIFEST_H

#include <sys/mman.h>

#define MAN_MAX 4096

struct man_entry {
	char type;		/* f d l x t, as in the text */
	unsigned mode;
	size_t size;
	long mtime;
	char sha[65];
	char path[160];
	char target[160];
};

static struct man_entry man[MAN_MAX] UNUSED;
static int man_n UNUSED;

/* man_add - a new entry of @type for @path (dies when the table is full: a test bug). */
static inline struct man_entry *man_add(char type, const char *path)
{
	if (man_n == MAN_MAX)
		die("FAIL: manifest: more than %d entries", MAN_MAX);
	struct man_entry *e = &man[man_n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	snprintf(e->path, sizeof(e->path), "%s", path);
	return e;
}

/* man_file - @path must be a regular file of @mode holding the @size bytes at @data. */
static inline void man_file(const char *path, unsigned mode, const void *data, size_t size)
{
	struct man_entry *e = man_add('f', path);
	e->mode = mode;
	e->size = size;
	sha256_of(data, size, e->sha);
}

/* man_dir, man_link, man_absent, man_mtime - the other kinds of entry. */
static inline void man_dir(const char *path, unsigned mode)
{
	man_add('d', path)->mode = mode;
}
static inline void man_link(const char *path, const char *target)
{
	snprintf(man_add('l', path)->target, sizeof(man[0].target), "%s", target);
}
static inline void man_absent(const char *path)
{
	man_add('x', path);
}
static inline void man_mtime(const char *path, long seconds)
{
	man_add('t', path)->mtime = seconds;
}

/* man_file_sha - the SHA-256 of the file at @path into @out; its size, or -1. */
static inline long man_file_sha(int dfd, const char *path, char out[65])
{
	struct sha256 s;
	char buf[8192];
	long n, total = 0;
	int fd = openat(dfd, path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	sha256_init(&s);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(&s, buf, (size_t)n);
		total += n;
	}
	close(fd);
	sha256_hex(&s, out);
	return n < 0 ? -1 : total;
}

/* man_check_one - whether the tree below @dfd agrees with @e; why not into @why. */
static inline int man_check_one(int dfd, const struct man_entry *e, char *why, size_t len)
{
	struct stat st;
	char buf[256], sha[65];
	int there = fstatat(dfd, e->path, &st, AT_SYMLINK_NOFOLLOW) == 0;
	long n;

	if (e->type == 'x')
		return there ? (snprintf(why, len, "exists"), 0) : 1;
	if (!there)
		return snprintf(why, len, "missing: %s", strerror(errno)), 0;
	switch (e->type) {
	case 'f':
		if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != e->mode)
			return snprintf(why, len, "mode %o, want file %o", st.st_mode, e->mode), 0;
		if ((n = man_file_sha(dfd, e->path, sha)) != (long)e->size || strcmp(sha, e->sha))
			return snprintf(why, len, "%ld bytes, want %zu, or other bytes", n, e->size), 0;
		return 1;
	case 'd':
		if (!S_ISDIR(st.st_mode) || (st.st_mode & 07777) != e->mode)
			return snprintf(why, len, "mode %o, want dir %o", st.st_mode, e->mode), 0;
		return 1;
	case 'l':
		n = readlinkat(dfd, e->path, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = 0;
		return strcmp(buf, e->target) ? (snprintf(why, len, "-> %.100s", buf), 0) : 1;
	default: /* 't' */
		return st.st_mtime == e->mtime ? 1 : (snprintf(why, len, "mtime %ld", st.st_mtime), 0);
	}
}

/* man_check - a CHECK line for the whole tree below @dir against the manifest (each bad one shown). */
static inline void man_check(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), bad = 0;
	char why[160];

	for (int i = 0; i < man_n && dfd >= 0; i++) {
		if (man_check_one(dfd, &man[i], why, sizeof(why)))
			continue;
		if (bad++ < 10)
			printf("    %c %s: %s\n", man[i].type, man[i].path, why);
	}
	CHECK(dfd >= 0 && !bad, "the tree in %s is what the manifest says (%d entries, %d differ)",
	      dir, man_n, bad);
	if (dfd >= 0)
		close(dfd);
}

/* man_write - save the manifest at @path (then fsync'd); 0 or -1. */
static inline int man_write(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < man_n; i++) {
		const struct man_entry *e = &man[i];
		switch (e->type) {
		case 'f': fprintf(f, "f %o %zu %s %s\n", e->mode, e->size, e->sha, e->path); break;
		case 'd': fprintf(f, "d %o %s\n", e->mode, e->path); break;
		case 'l': fprintf(f, "l %s %s\n", e->target, e->path); break;
		case 'x': fprintf(f, "x %s\n", e->path); break;
		default: fprintf(f, "t %ld %s\n", e->mtime, e->path); break;
		}
	}
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* man_parse - one manifest line into a new entry; 0, or -1 if it is not one. */
static inline int man_parse(const char *line)
{
	char a[160], b[160], c[160], d[160], type;
	int n = sscanf(line, "%c %159s %159s %159s %159s", &type, a, b, c, d);
	struct man_entry *e;

	if (n < 3 && !(type == 'x' && n == 2))
		return -1;
	switch (type) {
	case 'f':
		if (n != 5 || strlen(c) != 64)
			return -1;
		e = man_add('f', d);
		e->mode = (unsigned)strtoul(a, NULL, 8);
		e->size = strtoul(b, NULL, 10);
		memcpy(e->sha, c, 65);
		return 0;
	case 'd': man_dir(b, (unsigned)strtoul(a, NULL, 8)); return 0;
	case 'l': man_link(b, a); return 0;
	case 'x': man_absent(a); return 0;
	case 't': man_mtime(b, strtol(a, NULL, 10)); return 0;
	}
	return -1;
}

/* man_read - load the manifest saved at @path (adding to the table); entries read, or -1. */
static inline int man_read(const char *path)
{
	char line[400];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (man_parse(line)) {
			fclose(f);
			return -1;
		}
		n++;
	}
	fclose(f);
	return n;
}

#endif
