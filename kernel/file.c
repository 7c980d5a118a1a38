/*
 * file.c - file objects, descriptor tables, path names, and the trivial
 * files: initramfs files and directories, and the /dev character devices.
 */
#include "kernel.h"
#include "file.h"
#include "proc.h"
#include "../vm/kmalloc.h"
#include "initramfs.h"
#include "random.h"
#include "../vm/uaccess.h"

struct file *file_alloc(const struct file_ops *ops, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return 0;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	return f;
}

struct file *file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	return f;
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

int fd_install(struct proc *p, struct file *f, int min, int cloexec)
{
	for (int fd = min; fd < NOFILE; fd++)
		if (!p->files[fd]) {
			p->files[fd] = f;
			if (cloexec)
				p->cloexec |= 1ULL << fd;
			else
				p->cloexec &= ~(1ULL << fd);
			return fd;
		}
	return -EMFILE;
}

struct file *fd_file(int fd)
{
	struct proc *p = current();

	if (fd < 0 || fd >= NOFILE)
		return 0;
	return p->files[fd];
}

void file_install_console(struct proc *p)
{
	struct file *f = file_alloc(&tty_ops, O_RDWR);

	if (!f)
		panic("no memory for the console");
	f->mode = 0020620;
	p->files[0] = f;
	p->files[1] = file_get(f);
	p->files[2] = file_get(f);
}

void file_dup_table(struct proc *child, struct proc *parent)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (parent->files[fd])
			child->files[fd] = file_get(parent->files[fd]);
	child->cloexec = parent->cloexec;
}

void file_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd]) {
			file_put(p->files[fd]);
			p->files[fd] = 0;
		}
}

void file_close_on_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd] && (p->cloexec & (1ULL << fd))) {
			file_put(p->files[fd]);
			p->files[fd] = 0;
		}
	p->cloexec = 0;
}

/* --- path names ------------------------------------------------------------ */

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
		strlcpy(buf, p->cwd, sizeof(buf));
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

/* --- initramfs files --------------------------------------------------------- */

static long ifile_read(struct file *f, unsigned long ubuf, size_t n)
{
	char buf[512];
	size_t done = 0;

	while (done < n && f->pos < f->inode->size) {
		size_t chunk = MIN(n - done, sizeof(buf));
		size_t got = inode_read(f->inode, f->pos, buf, chunk);
		if (!got)
			break;
		if (uaccess_copy_to_user(ubuf + done, buf, got))
			return done ? (long)done : -EFAULT;
		f->pos += got;
		done += got;
	}
	return (long)done;
}

static unsigned char dtype_of(uint32_t mode)
{
	if (S_ISDIR(mode))
		return DT_DIR;
	if (S_ISLNK(mode))
		return DT_LNK;
	return DT_REG;
}

/*
 * dir_emit - append one linux_dirent64 to the user buffer at @ubuf+*used.
 * Returns 1 if it fitted, 0 if the buffer is full, -EFAULT.
 */
long dir_emit(unsigned long ubuf, size_t n, size_t *used, uint64_t ino, uint64_t off,
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

/*
 * idir_getdents - "." and "..", then the children of an initramfs
 * directory (the root also shows the synthetic /dev and /proc); pos counts
 * the entries already handed out.
 */
static long idir_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	static const char *const fixed[] = { ".", "..", "dev", "proc" };
	int nfixed = f->inode == inode_root() ? 4 : 2;
	size_t used = 0;
	uint64_t idx = 0;
	struct inode *c = 0;

	for (;;) {
		const char *name;
		uint64_t ino;
		unsigned char type;

		if (idx < (uint64_t)nfixed) {
			name = fixed[idx];
			ino = idx == 0 ? f->inode->ino : idx == 1 && f->inode->parent ?
				f->inode->parent->ino : idx < 2 ? 1 : 2 + idx;
			type = DT_DIR;
		} else {
			c = inode_next_child(f->inode, c);
			if (!c)
				break;
			/* A /dev or /proc in the archive is hidden by the synthetic one. */
			if (nfixed == 4 && (!strcmp(c->name, "dev") || !strcmp(c->name, "proc")))
				continue;
			name = c->name;
			ino = c->ino;
			type = dtype_of(c->mode);
		}
		if (idx++ < f->pos)
			continue;
		long r = dir_emit(ubuf, n, &used, ino, idx, type, name);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!used)
				return -EINVAL;
			break;
		}
		f->pos = idx;
	}
	return (long)used;
}

static const struct file_ops ifile_ops = { .read = ifile_read };
static const struct file_ops idir_ops = { .getdents = idir_getdents };

/* --- /dev: console, null, zero, full, random, urandom ----------------------- */

static long null_read(struct file *f, unsigned long ubuf, size_t n)
{
	return 0;
}

static long sink_write(struct file *f, unsigned long ubuf, size_t n)
{
	return (long)n;
}

static long full_write(struct file *f, unsigned long ubuf, size_t n)
{
	return n ? -ENOSPC : 0;
}

/* fill_read - give @n bytes made by @fill, a bounce buffer at a time. */
static long fill_read(unsigned long ubuf, size_t n, void (*fill)(void *, size_t))
{
	char tmp[256];
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		fill(tmp, k);
		if (uaccess_copy_to_user(ubuf + done, tmp, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

static void fill_zero(void *buf, size_t n)
{
	memset(buf, 0, n);
}

static long zero_read(struct file *f, unsigned long ubuf, size_t n)
{
	return fill_read(ubuf, n, fill_zero);
}

static long random_read(struct file *f, unsigned long ubuf, size_t n)
{
	return fill_read(ubuf, n, random_bytes);
}

static const struct file_ops null_ops = { .read = null_read, .write = sink_write };
static const struct file_ops zero_ops = { .read = zero_read, .write = sink_write };
static const struct file_ops full_ops = { .read = zero_read, .write = full_write };
static const struct file_ops random_ops = { .read = random_read, .write = sink_write };

/* The character devices, with Linux's numbers; /dev/tty is the console too. */
static const struct devnode {
	const char *name;
	uint64_t ino;
	uint32_t mode, rdev;
	const struct file_ops *ops;
} devnodes[] = {
	{ "console", DEV_INO_CONSOLE, S_IFCHR | 0620, 0x501, &tty_ops },
	{ "null", 11, S_IFCHR | 0666, 0x103, &null_ops },
	{ "zero", DEV_INO_ZERO, S_IFCHR | 0666, 0x105, &zero_ops },
	{ "full", 13, S_IFCHR | 0666, 0x107, &full_ops },
	{ "random", 14, S_IFCHR | 0666, 0x108, &random_ops },
	{ "urandom", 15, S_IFCHR | 0666, 0x109, &random_ops },
	{ "tty", DEV_INO_CONSOLE, S_IFCHR | 0620, 0x501, &tty_ops },
};

/* devnode_by_ino - the /dev entry with inode number @ino, or NULL. */
static const struct devnode *devnode_by_ino(uint64_t ino)
{
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (devnodes[i].ino == ino)
			return &devnodes[i];
	return 0;
}

static long devdir_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	size_t used = 0;

	while (f->pos < ARRAY_SIZE(devnodes)) {
		const struct devnode *d = &devnodes[f->pos];
		long r = dir_emit(ubuf, n, &used, d->ino, f->pos + 1, DT_CHR, d->name);
		if (r < 0)
			return r;
		if (r == 0)
			return used ? (long)used : -EINVAL;
		f->pos++;
	}
	return (long)used;
}

static const struct file_ops devdir_ops = { .getdents = devdir_getdents };

/* --- open and stat by name ----------------------------------------------------- */

static void fill_stat(struct kstat *st, uint64_t ino, uint32_t mode, uint64_t size, uint64_t mtime)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_nlink = 1;
	st->st_size = (int64_t)size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)((size + 511) / 512);
	st->st_mtime = st->st_atime = st->st_ctime = (int64_t)mtime;
	if ((mode & S_IFMT) == S_IFCHR && devnode_by_ino(ino))
		st->st_rdev = devnode_by_ino(ino)->rdev;
}

void file_stat(struct file *f, struct kstat *st)
{
	fill_stat(st, f->ino, f->mode, f->size, f->inode ? f->inode->mtime : 0);
}

/* dev_node - /dev or one of its devices by absolute path: 1 with mode, inode and ops. */
static int dev_node(const char *abs, uint32_t *mode, uint64_t *ino, const struct file_ops **ops)
{
	if (!strcmp(abs, "/dev")) {
		*mode = S_IFDIR | 0755;
		*ino = 2;
		*ops = &devdir_ops;
		return 1;
	}
	if (strncmp(abs, "/dev/", 5))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (!strcmp(abs + 5, devnodes[i].name)) {
			*mode = devnodes[i].mode;
			*ino = devnodes[i].ino;
			*ops = devnodes[i].ops;
			return 1;
		}
	return 0;
}

long vfs_open(const char *abs, unsigned flags, struct file **out)
{
	const struct file_ops *ops;
	struct file *f;
	uint32_t mode;
	uint64_t ino;
	int err = 0;

	if (dev_node(abs, &mode, &ino, &ops)) {
		if ((flags & O_DIRECTORY) && !S_ISDIR(mode))
			return -ENOTDIR;
		f = file_alloc(ops, flags);
		if (!f)
			return -ENOMEM;
		f->mode = mode;
		f->ino = ino;
		*out = f;
		return 0;
	}
	if (!strcmp(abs, "/proc") || !strncmp(abs, "/proc/", 6)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		f = procfs_open(abs, &err);
		if (!f)
			return err;
		if ((flags & O_DIRECTORY) && !S_ISDIR(f->mode)) {
			file_put(f);
			return -ENOTDIR;
		}
		*out = f;
		return 0;
	}
	struct inode *ip = inode_lookup(abs, !(flags & O_NOFOLLOW));
	if (!ip)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return S_ISDIR(ip->mode) ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (S_ISLNK(ip->mode))
		return -ELOOP;
	f = file_alloc(S_ISDIR(ip->mode) ? &idir_ops : &ifile_ops, flags);
	if (!f)
		return -ENOMEM;
	f->inode = ip;
	f->mode = ip->mode;
	f->ino = ip->ino;
	f->size = ip->size;
	f->seekable = !S_ISDIR(ip->mode);
	*out = f;
	return 0;
}

int vfs_stat(const char *abs, int follow, struct kstat *st)
{
	const struct file_ops *ops;
	uint32_t mode;
	uint64_t ino;

	if (dev_node(abs, &mode, &ino, &ops)) {
		fill_stat(st, ino, mode, 0, 0);
		return 0;
	}
	if (!strcmp(abs, "/proc") || !strncmp(abs, "/proc/", 6))
		return procfs_stat(abs, st);
	struct inode *ip = inode_lookup(abs, follow);
	if (!ip)
		return -ENOENT;
	fill_stat(st, ip->ino, ip->mode, S_ISLNK(ip->mode) ? strlen(ip->link) : ip->size,
		  ip->mtime);
	return 0;
}

/* --- text files generated at open (/proc) ------------------------------------- */

long buffer_file_read(struct file *f, unsigned long ubuf, size_t n)
{
	struct text *t = f->priv;

	if (f->pos >= t->len)
		return 0;
	n = MIN(n, t->len - f->pos);
	if (uaccess_copy_to_user(ubuf, t->buf + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return (long)n;
}

void buffer_file_release(struct file *f)
{
	struct text *t = f->priv;

	kfree(t->buf);
	kfree(t);
}

static const struct file_ops buffer_ops = { .read = buffer_file_read, .release = buffer_file_release };

/* buffer_file - a read-only file whose contents are @text (taken over, kmalloc'd). */
struct file *buffer_file(char *text, size_t len, uint32_t mode, uint64_t ino)
{
	struct text *t = kmalloc(sizeof(*t));
	struct file *f = t ? file_alloc(&buffer_ops, O_RDONLY) : 0;

	if (!f) {
		kfree(t);
		kfree(text);
		return 0;
	}
	t->buf = text;
	t->len = len;
	f->priv = t;
	f->mode = mode;
	f->ino = ino;
	f->size = len;
	f->seekable = 1;
	return f;
}
