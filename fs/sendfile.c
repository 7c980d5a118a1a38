/*
 * sendfile.c - sendfile and copy_file_range: bytes moved out of a regular
 * file without passing through user memory.
 *
 * The source is always a regular file, so its bytes are page-cache frames
 * (vm/shmem.h).  Into another regular file they go frame to frame; into
 * anything else (a pipe, the console, /dev/null) the source frame itself
 * is handed to the kind's write_kernel, a page at most at a time.  Either
 * way only a frame reference is held while bytes move, no lock, as in
 * read() and write() (fs/regfile.c); a hole reads as the zero frame.
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "../vm/zero.h"
#include "file.h"
#include "memfd.h"
#include "fdtable.h"
#include "inode.h"

#define MAX_RW_COUNT	0x7ffff000UL	/* Linux's most for one transfer: INT_MAX, page aligned */

/*
 * copy_to_file - up to @n bytes of @in at @ipos into @out at @opos, @out
 * growing as needed; stops at @in's end.  Bytes copied (0 at the end), or
 * -EFBIG (past the largest file), -ENOSPC, -ENOMEM when none went.  @in
 * and @out may be one file: each piece is a memmove.
 */
static long copy_to_file(struct inode *in, uint64_t ipos, struct inode *out, uint64_t opos,
			 size_t n)
{
	uint64_t size = shmem_size(in->mem);
	size_t done = 0;
	long err = 0;

	if (ipos >= size || !n)
		return 0;
	if (opos >= SHMEM_MAX_SIZE)
		return -EFBIG;
	if (mnt_want_write(out))
		return -EROFS;		/* open for writing, then remounted read-only */
	n = MIN(MIN(n, size - ipos), SHMEM_MAX_SIZE - opos);
	long ok = memfd_write_ok(out, opos, n, shmem_size(out->mem));	/* a sealed memfd */
	if (ok < 0)
		return ok;
	while (done < n) {
		size_t io = ipos % PAGE_SIZE, oo = opos % PAGE_SIZE;
		size_t chunk = MIN(n - done, PAGE_SIZE - MAX(io, oo));
		int e;
		phys_addr_t dst = shmem_page(out->mem, opos / PAGE_SIZE, 1, &e), src;

		if (!dst) {
			err = e;
			break;
		}
		src = shmem_page(in->mem, ipos / PAGE_SIZE, 0, &e);
		memmove((char *)phys_to_virt(dst) + oo,
			(const char *)phys_to_virt(src ? src : zero_frame) + io, chunk);
		if (src)
			pmm_put(src);
		pmm_put(dst);
		done += chunk;
		ipos += chunk;
		opos += chunk;
		shmem_extend(out->mem, opos);
	}
	if (done) {
		inode_touch(out, TOUCH_M | TOUCH_C);
		inode_dirty(out, DIRTY_DATA);
	}
	return done ? (long)done : err;
}

/*
 * copy_to_writer - up to @n bytes of @in at @ipos to @out's write_kernel,
 * a page-cache page at most per call; stops at @in's end or a short
 * write.  Bytes written (0 at the end), or the first write's error
 * (EAGAIN, EPIPE, ERESTARTSYS...) when none went.
 */
static long copy_to_writer(struct inode *in, uint64_t ipos, struct file *out, size_t n)
{
	uint64_t size = shmem_size(in->mem);
	size_t done = 0;
	long r = 0;

	if (ipos >= size)
		return 0;
	n = MIN(n, size - ipos);
	while (done < n) {
		size_t io = ipos % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - io);
		int e;
		phys_addr_t src = shmem_page(in->mem, ipos / PAGE_SIZE, 0, &e);
		const char *from = (const char *)phys_to_virt(src ? src : zero_frame) + io;

		r = out->ops->write_kernel(out, from, chunk);
		if (src)
			pmm_put(src);
		if (r <= 0)
			break;
		done += (size_t)r;
		ipos += (uint64_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return done ? (long)done : r;
}

/* readable / writable - may @f be read / written (O_PATH files are neither)? */
static int readable(struct file *f)
{
	return f && !(f->flags & O_PATH) && (f->flags & O_ACCMODE) != O_WRONLY;
}

static int writable(struct file *f)
{
	return f && !(f->flags & O_PATH) && (f->flags & O_ACCMODE) != O_RDONLY;
}

/*
 * sendfile64(out_fd, in_fd, offset, count) - up to @count bytes of the
 * regular file in_fd to out_fd: a regular file (at its offset, which
 * moves; O_APPEND is EINVAL) or any kind with a kernel write (pipes, the
 * console, /dev/null).  With @offset, read from *offset and update it,
 * leaving in_fd's offset alone; without, read from in_fd's offset and
 * move it.  Bytes sent, 0 at the end.  Errors in Linux's order: EFAULT,
 * EBADF (in_fd unreadable), ESPIPE, EINVAL (negative offset or count),
 * EBADF (out_fd unwritable), EINVAL (a kind sendfile cannot take).
 */
SYSCALL(sendfile64)
{
	struct file *in, *out;
	int64_t off = 0;
	uint64_t pos;
	size_t n = a3;
	long r;

	if (a2 && uaccess_copy_from_user(&off, a2, sizeof(off)))
		return -EFAULT;
	in = fd_file((int)a1);
	if (!readable(in))
		return -EBADF;
	if (a2 && !in->seekable)
		return -ESPIPE;
	pos = a2 ? (uint64_t)off : in->pos;
	if ((int64_t)pos < 0 || (long)n < 0)
		return -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	out = fd_file((int)a0);
	if (!writable(out))
		return -EBADF;
	if (in->ops != &regfile_ops)
		return -EINVAL;
	if (out->ops == &regfile_ops) {
		if (out->flags & O_APPEND)
			return -EINVAL;
		r = copy_to_file(in->inode, pos, out->inode, out->pos, n);
		if (r > 0)
			out->pos += (uint64_t)r;
	} else if (out->ops->write_kernel) {
		r = copy_to_writer(in->inode, pos, out, n);
	} else {
		return -EINVAL;
	}
	if (r <= 0)
		return r;
	pos += (uint64_t)r;
	if (!a2) {
		in->pos = pos;
	} else {
		off = (int64_t)pos;
		if (uaccess_copy_to_user(a2, &off, sizeof(off)))
			return -EFAULT;
	}
	return r;
}

/* get_pos - *@upos from user memory (0 or -EFAULT), or @f's offset when @upos is NULL. */
static long get_pos(unsigned long upos, struct file *f, int64_t *pos)
{
	if (!upos) {
		*pos = (int64_t)f->pos;
		return 0;
	}
	return uaccess_copy_from_user(pos, upos, sizeof(*pos));
}

/* put_pos - store @pos back: to user memory at @upos, or as @f's offset.  0 or -EFAULT. */
static long put_pos(unsigned long upos, struct file *f, int64_t pos)
{
	if (!upos) {
		f->pos = (uint64_t)pos;
		return 0;
	}
	return uaccess_copy_to_user(upos, &pos, sizeof(pos));
}

/*
 * copy_file_range(fd_in, off_in, fd_out, off_out, len, flags) - copy up
 * to @len bytes between two regular files, each at *off (updated) or at
 * its own offset (moved).  Bytes copied, 0 at the end of fd_in.  Errors in
 * Linux's order: EBADF, EFAULT, EINVAL (flags), EISDIR, EINVAL (not
 * regular files), EBADF (fd_in unreadable, fd_out unwritable or
 * O_APPEND), EOVERFLOW, EINVAL (overlapping ranges of one file, negative
 * offsets), EFBIG, ENOSPC.
 */
SYSCALL(copy_file_range)
{
	struct file *in = fd_file((int)a0), *out = fd_file((int)a2);
	int64_t ipos, opos;
	uint64_t size;
	size_t n = a4;
	long r;

	if (!in || !out || (in->flags & O_PATH) || (out->flags & O_PATH))
		return -EBADF;
	if (get_pos(a1, in, &ipos) || get_pos(a3, out, &opos))
		return -EFAULT;
	if (a5)
		return -EINVAL;
	if (S_ISDIR(in->mode) || S_ISDIR(out->mode))
		return -EISDIR;
	if (in->ops != &regfile_ops || out->ops != &regfile_ops)
		return -EINVAL;
	if (!readable(in) || !writable(out) || (out->flags & O_APPEND))
		return -EBADF;
	if (ipos < 0 || opos < 0 || (long)n < 0)
		return -EINVAL;
	if (n > (uint64_t)INT64_MAX - (uint64_t)MAX(ipos, opos))
		return -EOVERFLOW;
	size = shmem_size(in->inode->mem);
	n = (uint64_t)ipos >= size ? 0 : MIN(n, size - (uint64_t)ipos);
	if (in->inode == out->inode && opos + (int64_t)n > ipos && opos < ipos + (int64_t)n)
		return -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	if (!n)
		return 0;
	r = copy_to_file(in->inode, (uint64_t)ipos, out->inode, (uint64_t)opos, n);
	if (r <= 0)
		return r;
	if (put_pos(a1, in, ipos + r) || put_pos(a3, out, opos + r))
		return -EFAULT;
	return r;
}
