/*
 * locks_sys.c - the system calls of advisory locks: flock(2), and fcntl's
 * lock commands (locks.h), reading and checking their arguments; the
 * locks themselves are locks.c's.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "locks.h"
#include "locks_int.h"

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* struct flock, as riscv64 Linux lays it out. */
struct uflock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid, pad;
};

/*
 * range_of - the byte range [*start, *end] that @fl names in @f: from
 * l_whence's base plus l_start, l_len bytes on (backwards when negative;
 * 0: to the end and beyond).  0, -EINVAL (bad whence, a start before 0)
 * or -EOVERFLOW (past the largest offset).
 */
static long range_of(struct file *f, const struct uflock *fl, int64_t *start, int64_t *end)
{
	int64_t base, s;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)inode_size(f->inode);
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	s = base + fl->l_start;
	if (s < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*end = s + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		*end = s - 1;
		s += fl->l_len;
		if (s < 0)
			return -EINVAL;
	} else {
		*end = OFFSET_MAX;
	}
	*start = s;
	return 0;
}

/*
 * get_lock - F_GETLK: the first lock in the way of the one *@fl describes
 * (its type, range from SEEK_SET, 0 for "to the end", and owner's process
 * id, -1 for an OFD lock), or l_type F_UNLCK alone; copied out to @uarg.
 */
static long get_lock(struct file *f, const void *owner, struct uflock *fl, unsigned long uarg)
{
	struct flock_state *st = locks_state(f->inode, 0);
	struct lock_desc c;
	int64_t start, end;
	long r;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	if ((r = range_of(f, fl, &start, &end)))
		return r;
	if (st && locks_range_test(st, owner, fl->l_type, start, end, &c)) {
		fl->l_type = (int16_t)c.type;
		fl->l_whence = SEEK_SET;
		fl->l_start = c.start;
		fl->l_len = c.end == OFFSET_MAX ? 0 : c.end - c.start + 1;
		fl->l_pid = c.pid;
	} else {
		fl->l_type = F_UNLCK;
	}
	return uaccess_copy_to_user(uarg, fl, sizeof(*fl));
}

long locks_fcntl(int fd, struct file *f, unsigned cmd, unsigned long uarg)
{
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	const void *owner = ofd ? (const void *)f : (const void *)current()->fdt;
	int pid = ofd ? -1 : proc_tgid(current());
	struct flock_state *st;
	struct uflock fl;
	int64_t start, end;
	unsigned acc = f->flags & O_ACCMODE;
	long r;

	if (f->flags & O_PATH)
		return -EBADF;
	if (uaccess_copy_from_user(&fl, uarg, sizeof(fl)))
		return -EFAULT;
	if (!f->inode)
		return -EINVAL;		/* pipes and the like: nothing to hang locks on */
	if (ofd && fl.l_pid)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		return get_lock(f, owner, &fl, uarg);
	if ((r = range_of(f, &fl, &start, &end)))
		return r;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if ((fl.l_type == F_RDLCK && acc == O_WRONLY) || (fl.l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	if (!(st = locks_state(f->inode, fl.l_type != F_UNLCK)))
		return fl.l_type == F_UNLCK ? 0 : -ENOLCK;
	r = locks_range_set(st, owner, pid, fl.l_type, start, end,
			    cmd == F_SETLKW || cmd == F_OFD_SETLKW);
	if (!r && !ofd && fl.l_type != F_UNLCK) {
		/* The descriptor was closed meanwhile: that close missed this lock, so undo it. */
		struct file *now = fd_get(fd);

		if (now != f) {
			locks_range_set(st, owner, pid, F_UNLCK, start, end, 0);
			r = -EBADF;
		}
		if (now)
			file_put(now);
	}
	return r;
}

/*
 * flock(fd, operation) - LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB not to
 * wait (then EWOULDBLOCK).  EINVAL for anything else, and for files that
 * have no inode (pipes, eventfds): they have nothing to hang a lock on.
 */
SYSCALL(flock)
{
	struct file *f = fd_file((int)a0);
	int type;

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	switch (a1 & ~(ul)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (!f->inode)
		return -EINVAL;
	return locks_flock_set(f, type, (a1 & LOCK_NB) != 0);
}
