/*
 * readdir.c - getdents64 and the record format every directory shares.
 *
 * The directory kinds (in-memory directories, /proc) each walk their own entries
 * and keep their own cursor in file->pos; only the encoding of one entry,
 * and the checks before calling the kind, are common.
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "readdir.h"

/*
 * readdir_emit - append one linux_dirent64 (inode @ino, next offset @off,
 * d_type @type, @name) to the user buffer of @n bytes at @ubuf, at *@used,
 * records padded to 8 bytes as Linux does.  Returns 1 and advances *@used
 * if it fitted, 0 if the buffer is full, -EFAULT.
 */
long readdir_emit(unsigned long ubuf, size_t n, size_t *used, uint64_t ino, uint64_t off,
		  unsigned char type, const char *name)
{
	struct {
		uint64_t ino;
		int64_t off;
		uint16_t reclen;
		uint8_t type;
		char name[256];
	} __attribute__((packed)) d;
	size_t nl = strlen(name), reclen = ALIGN_UP(19 + nl + 1, 8);

	if (*used + reclen > n)
		return 0;
	memset(&d, 0, sizeof(d));
	d.ino = ino;
	d.off = (int64_t)off;
	d.reclen = (uint16_t)reclen;
	d.type = type;
	memcpy(d.name, name, nl);
	if (uaccess_copy_to_user(ubuf + *used, &d, reclen))
		return -EFAULT;
	*used += reclen;
	return 1;
}

/* getdents64(fd, dirent, count) - as many entries as fit; ENOTDIR for a non-directory. */
SYSCALL(getdents64)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!uaccess_ok(a1, a2))
		return -EFAULT;
	return f->ops->getdents(f, a1, a2);
}
