/*
 * procfs_fd.c - /proc/<pid>/fd and /proc/<pid>/task/<tid>/fd: a directory
 * with one symlink per open descriptor, named by its number.
 *
 * What a link shows is Linux's text for the open file: the path a file
 * was opened by (" (deleted)" once it has no name), a directory's path, a
 * device's /dev name, "pipe:[ino]", "anon_inode:[eventfd]"...  Following one
 * is not a walk of that text: the path walk (namei.c) jumps to the very
 * inode the file is open on (procfs_fd_inode), so a deleted, renamed or
 * nameless file (a memfd) opens too, as on Linux.  Files without an inode
 * (anonymous pipes, the console, /proc directories) are opened again here
 * (procfs_reopen): /dev/stdin is /proc/self/fd/0, and a shell reading a
 * pipe through it gets another read end of that pipe.
 *
 * The table read is another process's: procfs_fdtable takes a reference on
 * it, and every file is looked at with a reference of its own.
 */
#include "../kernel/kernel.h"
#include "../kernel/tty.h"
#include "../vm/kmalloc.h"
#include "buffile.h"
#include "devfs.h"
#include "fdtable.h"
#include "file.h"
#include "inode.h"
#include "namei.h"
#include "pipe.h"
#include "procfs.h"
#include "readdir.h"
#include "vfs.h"
#include "procfs_int.h"

int procfs_fd_name(const char *file, int *fd)
{
	long v = 0;

	if (strncmp(file, "fd", 2) || (file[2] && file[2] != '/'))
		return 0;
	if (!file[2] || !file[3])
		return 1;
	file += 3;
	if (file[0] == '0' && file[1])
		return -ENOENT;		/* "07" names nothing: only the number's own spelling */
	for (; *file >= '0' && *file <= '9' && v <= 0x7fffffff; file++)
		v = v * 10 + (*file - '0');
	if (*file || v > 0x7fffffff)
		return -ENOENT;
	*fd = (int)v;
	return 2;
}

/* procfs_fd_file - descriptor @fd of what @pp names, with a reference, or NULL. */
static struct file *procfs_fd_file(const struct procfs_path *pp, int fd)
{
	struct fdtable *t = procfs_fdtable(pp);
	struct file *f;

	if (!t)
		return 0;
	f = fd_table_file(t, fd);
	fd_table_put(t);
	return f;
}

int procfs_fd_get(const char *abs, struct file **out)
{
	struct procfs_path pp;
	int fd, k;

	if (strncmp(abs, "/proc/", 6) || !abs[6] || procfs_parse(abs, &pp) ||
	    pp.level == PROCFS_TASKS)
		return 0;
	if ((k = procfs_fd_name(pp.file, &fd)) != 2)
		return k < 0 ? k : 0;
	*out = procfs_fd_file(&pp, fd);
	return *out ? 2 : -ENOENT;
}

/* procfs_fd_inode_link - the text of a file with inode @ip: its path, " (deleted)" if unlinked. */
static long procfs_fd_inode_link(struct inode *ip, char *buf, size_t n)
{
	const char *path;
	uint32_t nlink;

	if (S_ISDIR(ip->mode)) {
		long r = path_of(ip, buf, n);
		/* A removed directory's name went with its entry: only the fact is left. */
		return r == -ENOENT ? snprintf(buf, n, "(deleted)") : r;
	}
	if (S_ISCHR(ip->mode) && devfs_name(ip->rdev))
		return snprintf(buf, n, "/dev/%s", devfs_name(ip->rdev));
	spin_lock(&vfs_lock);		/* path is set once, and lives as long as the inode */
	path = ip->path;
	nlink = ip->nlink;
	spin_unlock(&vfs_lock);
	return snprintf(buf, n, "%s%s", path ? path : "", nlink ? "" : " (deleted)");
}

long procfs_fd_link(struct file *f, char *buf, size_t n)
{
	if (f->inode)
		return procfs_fd_inode_link(f->inode, buf, n);
	if (S_ISFIFO(f->mode))
		return snprintf(buf, n, "pipe:[%lu]", (unsigned long)f->ino);
	if (f->ops == &tty_ops)
		return snprintf(buf, n, "/dev/console");	/* the first process's 0, 1 and 2 */
	if (f->ops == &procfs_dir_ops)
		return snprintf(buf, n, "%s", ((struct buffile_text *)f->priv)->buf);
	if (f->ops->anon_name)
		return snprintf(buf, n, "anon_inode:%s", f->ops->anon_name);
	return snprintf(buf, n, "anon_inode:[%s]", S_ISREG(f->mode) ? "proc" : "file");
}

long procfs_fd_list(struct file *dir, unsigned long ubuf, size_t n, const struct procfs_path *pp)
{
	struct fdtable *t = procfs_fdtable(pp);
	int id = pp->level == PROCFS_TASK ? pp->tid : pp->pid, fd;
	size_t used = 0;
	char name[16];

	if (!t)
		return 0;		/* the process is gone: an empty directory, as on Linux */
	while (dir->pos < 0x7fffffff && (fd = fd_table_next(t, (int)dir->pos)) >= 0) {
		snprintf(name, sizeof(name), "%d", fd);
		long r = readdir_emit(ubuf, n, &used, PROCFS_FD_INO(id, fd), (uint64_t)fd + 1,
				      DT_LNK, name);
		if (r <= 0) {
			fd_table_put(t);
			return r < 0 ? r : used ? (long)used : -EINVAL;
		}
		dir->pos = (uint64_t)fd + 1;	/* by number: closes and opens meanwhile skip nothing */
	}
	fd_table_put(t);
	return (long)used;
}

struct inode *procfs_fd_inode(const char *abs)
{
	struct inode *ip = 0;
	struct file *f;

	if (procfs_fd_get(abs, &f) == 2) {
		if (f->inode)
			ip = inode_get(f->inode);
		file_put(f);
	}
	return ip;
}

/*
 * procfs_reopen_file - a new open file with @flags on what nameless @f is
 * open on: another end of an anonymous pipe, the console again, a /proc
 * directory again.  Other kinds (eventfd, epoll, /proc files) are ENXIO.
 */
static long procfs_reopen_file(struct file *f, unsigned flags, struct file **out)
{
	int err = 0;

	if (S_ISFIFO(f->mode))
		return pipe_reopen(f, flags, out);
	if (f->ops == &tty_ops) {
		if (!(*out = file_alloc(f->ops, flags & (O_ACCMODE | O_NONBLOCK))))
			return -ENOMEM;
		(*out)->mode = f->mode;
		(*out)->ino = f->ino;
		return 0;
	}
	if (f->ops == &procfs_dir_ops) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		*out = procfs_open(((struct buffile_text *)f->priv)->buf, &err);
		return *out ? 0 : err;
	}
	return -ENXIO;
}

long procfs_reopen(const char *abs, unsigned flags, struct file **out)
{
	struct file *f;
	long r;
	int k = procfs_fd_get(abs, &f);

	if (k <= 0)
		return k < 0 ? k : 1;
	if ((flags & O_NOFOLLOW) && !(flags & O_PATH))
		r = -ELOOP;		/* the walk stopped at the link itself */
	else if ((flags & O_DIRECTORY) && !S_ISDIR(f->mode))
		r = -ENOTDIR;
	else if (f->inode) {
		struct inode *ip = inode_get(f->inode);	/* the walk did not jump (O_NOFOLLOW|O_PATH) */
		if ((r = vfs_open_inode(ip, flags, out)))
			inode_put(ip);
	} else
		r = procfs_reopen_file(f, flags, out);
	file_put(f);
	return r;
}
