/*
 * locks.h - advisory file locks: flock(2), and fcntl's byte-range record
 * locks (F_GETLK/F_SETLK/F_SETLKW, and the open-file-description flavour
 * F_OFD_*).  Nothing in the kernel enforces them: they only make lockers
 * wait for, or fail against, each other.
 *
 * Owners, as Linux's:
 *  - a flock() lock and an OFD record lock belong to the open file (struct
 *    file): dup and fork share it, and it goes with the file's last close;
 *  - a classic record lock belongs to the descriptor table of the process
 *    that set it (threads share it, a forked child does not), and goes the
 *    moment that table closes any descriptor of the file, or dies.
 * The state hangs off the inode (inode->locks), made at its first lock.
 */
#ifndef HOLSTEIN_LOCKS_H
#define HOLSTEIN_LOCKS_H

struct file;
struct fdtable;
struct flock_state;

/* fcntl commands handled by locks_fcntl. */
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

/*
 * locks_fcntl - fcntl(@fd, @cmd, @uarg) for the lock commands above, @f
 * being @fd's file: 0 or -errno (EAGAIN on a conflict, ERESTARTSYS when a
 * signal ends a wait, EDEADLK, EBADF, EINVAL, EFAULT, ENOLCK).
 */
long locks_fcntl(int fd, struct file *f, unsigned cmd, unsigned long uarg);

/*
 * locks_close - descriptor table @t closed one descriptor of @f: the
 * table's record locks on the file's inode go.  Cheap for a file whose
 * inode never had a lock.  No lock held.
 */
void locks_close(struct file *f, struct fdtable *t);
/* locks_table_gone - @t's last user is gone: its record locks on every file go.  No lock held. */
void locks_table_gone(struct fdtable *t);
/* locks_file_gone - the last reference to @f goes: its flock and OFD locks go.  No lock held. */
void locks_file_gone(struct file *f);
/* locks_free - an inode is freed: free its lock state (@st may be NULL). */
void locks_free(struct flock_state *st);

#endif
