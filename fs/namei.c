/*
 * namei.c - path names made absolute.
 *
 * Every file system here is looked up by absolute path (vfs.c), so a name
 * is resolved once, up front: joined to its starting directory and
 * normalised lexically (".." drops the previous component, as though no
 * directory on the way were a symlink).  Symlinks are followed later, by
 * the initramfs lookup itself.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "initramfs.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "namei.h"

/*
 * path_resolve - join @path to the directory @dirfd names (or the cwd) and
 * normalise: no "//", no ".", ".." resolved lexically.  0 or -errno.
 */
int path_resolve(int dirfd, const char *path, char *out, size_t size)
{
	char buf[PATH_MAX_K * 2];
	struct proc *p = current();
	size_t n = 0;

	if (!path[0])
		return -ENOENT;
	if (path[0] == '/') {
		buf[0] = 0;
	} else if (dirfd == AT_FDCWD) {
		spin_lock(&sched_lock);		/* another thread may chdir (CLONE_FS) */
		strlcpy(buf, p->fs->cwd, sizeof(buf));
		spin_unlock(&sched_lock);
	} else {
		struct file *d = fd_file(dirfd);
		if (!d)
			return -EBADF;
		if (!d->inode || !S_ISDIR(d->inode->mode))
			return -ENOTDIR;
		strlcpy(buf, d->inode->path, sizeof(buf));
	}
	size_t bl = strlen(buf);
	if (bl + 1 + strlen(path) + 1 > sizeof(buf))
		return -ENAMETOOLONG;
	buf[bl] = '/';
	strlcpy(buf + bl + 1, path, sizeof(buf) - bl - 1);

	out[0] = 0;
	for (char *s = buf; *s;) {
		char *e;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != '/'; e++)
			;
		size_t len = (size_t)(e - s);
		if (len == 1 && s[0] == '.') {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + 1 + len + 1 > size)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, s, len);
			n += len;
		}
		s = e;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = 0;
	return 0;
}

/*
 * path_from_user - copy the path argument at user address @upath (at most
 * PATH_MAX_K bytes with its NUL) and resolve it against @dirfd into @abs.
 * 0, or -EFAULT, -ENAMETOOLONG and path_resolve's errors.
 */
long path_from_user(int dirfd, unsigned long upath, char *abs, size_t size)
{
	char path[PATH_MAX_K];
	long r = uaccess_strncpy_from_user(path, upath, sizeof(path));

	if (r < 0)
		return r;
	return path_resolve(dirfd, path, abs, size);
}
