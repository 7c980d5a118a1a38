/*
 * file.h - open files and file descriptors.
 *
 * A struct file is shared by every descriptor that dup() or fork() made
 * from one open(); it dies with its last reference.  The kinds: initramfs
 * files and directories, /dev/console, /dev/null, pipe ends, and /proc
 * files (whose text is generated once, at open).
 */
#ifndef HOLSTEIN_FILE_H
#define HOLSTEIN_FILE_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"

/* Inode numbers of /dev entries that others need to recognise. */
#define DEV_INO_CONSOLE	10
#define DEV_INO_ZERO	12

#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_NOCTTY	0400
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_CLOEXEC	02000000
#define O_PATH		010000000

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000

struct file;
struct proc;

/* The generic riscv64 struct stat (128 bytes). */
struct kstat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, pad1;
	int64_t st_size;
	int32_t st_blksize, pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};

struct file_ops {
	long (*read)(struct file *f, unsigned long ubuf, size_t n);
	long (*write)(struct file *f, unsigned long ubuf, size_t n);
	long (*ioctl)(struct file *f, unsigned long cmd, unsigned long arg);
	long (*getdents)(struct file *f, unsigned long ubuf, size_t n);
	void (*release)(struct file *f);
	unsigned (*poll)(struct file *f);	/* POLLIN etc. now; NULL: never blocks (poll.h) */
};

struct file {
	const struct file_ops *ops;
	int refs;
	unsigned flags;			/* O_ACCMODE, O_NONBLOCK, O_APPEND */
	uint64_t pos;
	uint64_t size;			/* seekable files: the end */
	uint32_t mode;			/* for fstat */
	uint64_t ino;
	int seekable;
	struct inode *inode;		/* initramfs files and directories */
	void *priv;			/* pipe, /proc text, directory cursor */
};

struct file *file_alloc(const struct file_ops *ops, unsigned flags);
struct file *file_get(struct file *f);
void file_put(struct file *f);

/* fd_install - the lowest free descriptor >= @min for @f (reference taken over), or -EMFILE. */
int fd_install(struct proc *p, struct file *f, int min, int cloexec);
/* fd_file - the file behind @fd of the current process, or NULL. */
struct file *fd_file(int fd);

void file_install_console(struct proc *p);	/* fds 0, 1, 2 */
void file_dup_table(struct proc *child, struct proc *parent);
void file_close_all(struct proc *p);
void file_close_on_exec(struct proc *p);

/* path_resolve - @path (relative to @dirfd or cwd) made absolute and normalised into @out. */
int path_resolve(int dirfd, const char *path, char *out, size_t size);
/* vfs_open - open absolute path @abs with open(2) @flags; a new file or -errno. */
long vfs_open(const char *abs, unsigned flags, struct file **out);
/* vfs_stat - stat absolute path @abs. */
int vfs_stat(const char *abs, int follow, struct kstat *st);
/* file_stat - fstat. */
void file_stat(struct file *f, struct kstat *st);

/* Devices and pseudo files. */
extern const struct file_ops tty_ops;
struct file *procfs_open(const char *abs, int *err);
int procfs_stat(const char *abs, struct kstat *st);
long procfs_readlink(const char *abs, char *buf, size_t n);
/* The contents of a file generated at open (/proc): kept in file->priv. */
struct text {
	char *buf;
	size_t len;
};

long buffer_file_read(struct file *f, unsigned long ubuf, size_t n);
void buffer_file_release(struct file *f);
struct file *buffer_file(char *text, size_t len, uint32_t mode, uint64_t ino);
long dir_emit(unsigned long ubuf, size_t n, size_t *used, uint64_t ino, uint64_t off,
	      unsigned char type, const char *name);
#define DT_CHR	2
#define DT_DIR	4
#define DT_REG	8
#define DT_LNK	10

#endif
