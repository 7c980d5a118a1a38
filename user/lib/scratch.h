/*
 * scratch.h - a private scratch directory for tests that create files.
 *
 * A file-system test must never touch anything but what it made: under the oracle it runs
 * on the host's real /tmp, possibly as root. scratch_make creates a fresh directory with
 * mkdtemp and moves into it, so every path a test names can be relative; scratch_remove
 * deletes that directory and everything below it. Include after ulib.h.
 */
#ifndef HOLSTEIN_SCRATCH_H
#define HOLSTEIN_SCRATCH_H

#include <dirent.h>

/*
 * scratch_make - create /tmp/<name>.XXXXXX (mode 0700), chdir into it, set umask 022 (so
 * the modes a test asks for are predictable) and return its absolute path in a static
 * buffer. Dies if any step fails: no test of the file system can run without it.
 */
static inline const char *scratch_make(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(path))
		die("FAIL: mkdtemp(%s): %s", path, strerror(errno));
	if (chdir(path) < 0)
		die("FAIL: chdir(%s): %s", path, strerror(errno));
	umask(022);
	return path;
}

/*
 * scratch_clear - remove everything inside the directory open as dfd (not dfd itself).
 * Directories are emptied recursively and symlinks are never followed. A directory being
 * changed while it is read may skip a name, so the scan repeats until it finds nothing.
 * Returns 0, or -1 if something could not be removed.
 */
static inline int scratch_clear(int dfd)
{
	for (int pass = 0; pass < 100; pass++) {
		int fd = dup(dfd), found = 0, failed = 0;
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		if (!d) {
			if (fd >= 0)
				close(fd);
			return -1;
		}
		rewinddir(d);
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			found = 1;
			if (unlinkat(dfd, e->d_name, 0) == 0)
				continue;
			/*
			 * Linux refuses unlink on a directory with EISDIR: empty it first. It is
			 * not a symlink (those always unlink), so chmod cannot escape the scratch
			 * directory; it lets a directory a test left read-only be emptied.
			 */
			if (errno == EISDIR)
				fchmodat(dfd, e->d_name, 0700, 0);
			int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

			if (sub < 0 || scratch_clear(sub) < 0 ||
			    unlinkat(dfd, e->d_name, AT_REMOVEDIR) < 0)
				failed = 1;
			if (sub >= 0)
				close(sub);
		}
		closedir(d);
		if (!found)
			return 0;
		if (failed)
			return -1;
	}
	return -1;
}

/*
 * scratch_remove - leave the scratch directory path (made by scratch_make) and delete it
 * with everything in it. Returns 0 when it is gone, -1 otherwise.
 */
static inline int scratch_remove(const char *path)
{
	int dfd, r;

	if (chdir("/") < 0)
		return -1;
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (dfd < 0)
		return -1;
	r = scratch_clear(dfd);
	close(dfd);
	if (r == 0)
		r = rmdir(path);
	return r;
}

#endif
