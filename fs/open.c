/*
 * open.c - opening and closing, and the process's working directory:
 * openat, close, faccessat, chdir, getcwd.
 *
 * A name is made absolute (namei.c), opened by whichever file system owns
 * it (vfs.c), and the file put in the descriptor table (fdtable.c).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/syscall.h"
#include "initramfs.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "namei.h"
#include "stat.h"
#include "vfs.h"

/*
 * openat(dirfd, path, flags, mode) - the lowest free descriptor on a new
 * file; only the access mode, O_NONBLOCK and O_APPEND stay in its flags.
 */
SYSCALL(openat)
{
	char abs[PATH_MAX_K];
	struct file *f;
	long r = path_from_user((int)a0, a1, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_open(abs, (unsigned)a2, &f)))
		return r;
	f->flags = (unsigned)a2 & (O_ACCMODE | O_NONBLOCK | O_APPEND);
	r = fd_install(current(), f, 0, (a2 & O_CLOEXEC) != 0);
	if (r < 0)
		file_put(f);
	return r;
}

/* close(fd) - drop the descriptor; the file goes with its last reference. */
SYSCALL(close)
{
	struct file *f = fd_remove(current(), (int)a0);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/*
 * faccessat(dirfd, path, mode) - the file exists (F_OK), is executable by
 * someone (X_OK), and is writable only if a device (W_OK): we run as root.
 */
SYSCALL(faccessat)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = path_from_user((int)a0, a1, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_stat(abs, 1, &st)))
		return r;
	if ((a2 & 2) && !S_ISCHR(st.st_mode))	/* W_OK: the file system is read-only */
		return -EROFS;
	if ((a2 & 1) && !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

/* chdir(path) - the new cwd, kept as an absolute path string. */
SYSCALL(chdir)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = path_from_user(AT_FDCWD, a0, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_stat(abs, 1, &st)))
		return r;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	spin_lock(&sched_lock);		/* threads sharing it read it under the lock */
	strlcpy(current()->fs->cwd, abs, PATH_MAX_K);
	spin_unlock(&sched_lock);
	return 0;
}

/* getcwd(buf, size) - the cwd with its NUL; the length including it, or ERANGE. */
SYSCALL(getcwd)
{
	char cwd[PATH_MAX_K];
	size_t n;

	spin_lock(&sched_lock);
	strlcpy(cwd, current()->fs->cwd, sizeof(cwd));
	spin_unlock(&sched_lock);
	n = strlen(cwd) + 1;

	if (a1 < n)
		return -ERANGE;
	if (uaccess_copy_to_user(a0, cwd, n))
		return -EFAULT;
	return (long)n;
}
