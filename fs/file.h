/*
 * file.h - open files: struct file, the operations each kind of file
 * brings, and the open(2) flags.
 *
 * A struct file is shared by every descriptor that dup() or fork() made
 * from one open(); it dies with its last reference.  The kinds: regular
 * files and directories (regfile.c), devices (devfs.c), pipe ends
 * (pipe.c), /proc files (procfs.c, text generated once, at open), eventfds
 * (eventfd.c) and epoll instances (epoll.c).
 * Descriptors are fdtable.h, names namei.h and vfs.h, fstat stat.h.
 */
#ifndef HOLSTEIN_FILE_H
#define HOLSTEIN_FILE_H

#include "../kernel/kernel.h"

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
#define O_TMPFILE	020200000
#define O_NOATIME	01000000
#define O_DSYNC		010000
#define O_SYNC		04010000
#define O_DIRECT	040000
#define O_LARGEFILE	0100000

struct file;
struct inode;

struct file_ops {
	long (*read)(struct file *f, unsigned long ubuf, size_t n);
	long (*write)(struct file *f, unsigned long ubuf, size_t n);
	long (*ioctl)(struct file *f, unsigned long cmd, unsigned long arg);
	long (*getdents)(struct file *f, unsigned long ubuf, size_t n);
	void (*release)(struct file *f);
	unsigned (*poll)(struct file *f);	/* POLLIN etc. now; NULL: never blocks (poll.h) */
	void (*poll_gen)(struct file *f, unsigned gen[2]);	/* edge counters (poll.h); may be NULL */
	/* write from kernel memory, as write() would (sendfile's output); may be NULL */
	long (*write_kernel)(struct file *f, const void *buf, size_t n);
	long (*fsync)(struct file *f);	/* fsync/fdatasync of a kind with its own (block devices) */
	const char *anon_name;	/* a kind without inodes: /proc/PID/fd shows "anon_inode:NAME" */
};

struct epitem;

struct file {
	const struct file_ops *ops;
	int refs;
	unsigned flags;			/* O_ACCMODE, O_NONBLOCK, O_APPEND */
	uint64_t pos;
	uint64_t size;			/* seekable files: the end */
	uint32_t mode;			/* for fstat */
	uint64_t ino;
	int seekable;
	struct inode *inode;		/* files with a name: one reference, put with the file */
	int sb_writer;			/* counted in inode->sb->writers (regfile.c) */
	void *priv;			/* pipe, /proc text, directory cursor */
	struct epitem *epitems;		/* epoll registrations of this file, under epoll_lock */
};

/* file_alloc - a zeroed file of kind @ops with open @flags and one reference, or NULL. */
struct file *file_alloc(const struct file_ops *ops, unsigned flags);
/* file_get - take another reference to @f; returns @f. */
struct file *file_get(struct file *f);
/* The file kinds on inodes (regfile.c): regular files' ops, and their reads and writes at an offset. */
extern const struct file_ops regfile_ops;
long regfile_pread(struct file *f, unsigned long ubuf, size_t n, uint64_t pos);
long regfile_pwrite(struct file *f, unsigned long ubuf, size_t n, uint64_t pos);
/* file_put - drop a reference; the last one releases the kind's state and frees @f. */
void file_put(struct file *f);

#endif
