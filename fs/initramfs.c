/*
 * initramfs.c - unpack the cpio archive into the root tmpfs, file by file
 * through the same calls a program would make (vfs.h), then give the
 * archive's own frames back to the allocator.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "cpio.h"
#include "inode.h"
#include "namei.h"
#include "vfs.h"
#include "initramfs.h"

/* fill - copy the @size bytes at @data into regular file @ip's page cache. */
static int fill(struct inode *ip, const uint8_t *data, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		int err;
		phys_addr_t f = shmem_page(ip->mem, off / PAGE_SIZE, 1, &err);
		if (!f)
			return err;
		memcpy(phys_to_virt(f), data + off, MIN(PAGE_SIZE, size - off));
		pmm_put(f);
	}
	shmem_extend(ip->mem, size);
	return 0;
}

/* Hard links: the archive names the inode's data once, on its last name. */
struct hardlink {
	uint32_t ino;
	struct inode *ip;	/* kept alive by its first name: nothing unlinks during the unpack */
	char *path;
};

/*
 * unpack_one - create what entry @e names at @path.  A second name of an
 * inode seen before (@links) becomes a link to it.  0 or -errno.
 */
static long unpack_one(const struct cpio_entry *e, const char *path, struct hardlink *links,
		       int *nlinks)
{
	struct inode *ip = 0;
	long r;

	if (S_ISREG(e->mode) && e->nlink > 1) {
		for (int i = 0; i < *nlinks; i++)
			if (links[i].ino == e->ino) {
				r = vfs_link(AT_FDCWD, links[i].path, AT_FDCWD, path, 0);
				return r ? r : fill(links[i].ip, e->data, e->size);
			}
	}
	r = vfs_mknod(AT_FDCWD, path, e->mode, 0, S_ISLNK(e->mode) ? "" : 0, &ip);
	if (r == -EEXIST && S_ISDIR(e->mode))
		return 0;
	if (r)
		return r;
	ip->mtime = (struct timespec64){ e->mtime, 0 };
	if (S_ISLNK(e->mode)) {
		char *t = kmalloc(e->size + 1);
		if (t) {
			memcpy(t, e->data, e->size);
			t[e->size] = 0;
			kfree(ip->link);
			ip->link = t;
		}
	} else if (S_ISREG(e->mode)) {
		r = fill(ip, e->data, e->size);
		size_t pl = strlen(path) + 1;
		char *copy = e->nlink > 1 && *nlinks < 64 ? kmalloc(pl) : 0;
		if (copy) {
			memcpy(copy, path, pl);
			links[(*nlinks)++] = (struct hardlink){ e->ino, ip, copy };
		}
	}
	inode_put(ip);		/* the directory keeps it */
	return r;
}

int initramfs_unpack(phys_addr_t pa, uint64_t len)
{
	const uint8_t *base = phys_to_virt(pa);
	struct hardlink *links = kzalloc(64 * sizeof(*links));
	int r, files = 0, nlinks = 0;
	size_t off = 0;
	struct cpio_entry e;
	char path[512];

	if (!links)
		return -ENOMEM;
	while ((r = cpio_next(base, len, &off, &e)) == 1) {
		/* Names are relative ("bin/sh", "./bin/sh", "."): make them absolute. */
		const char *n = e.name;
		size_t nl = e.namelen;
		while (nl && (n[0] == '.' || n[0] == '/') && (nl == 1 || n[1] == '/' || n[0] == '/')) {
			n++;
			nl--;
		}
		while (nl && n[nl - 1] == '/')
			nl--;
		if (nl == 0 || nl + 2 > sizeof(path))
			continue;
		path[0] = '/';
		memcpy(path + 1, n, nl);
		path[nl + 1] = 0;
		long err = unpack_one(&e, path, links, &nlinks);
		if (err)
			pr_err("initramfs: %s: %ld\n", path, err);
		files += S_ISREG(e.mode);
	}
	for (int i = 0; i < nlinks; i++)
		kfree(links[i].path);
	kfree(links);
	if (r < 0)
		pr_err("initramfs: archive is malformed at offset %lu\n", (unsigned long)off);
	pr_info("initramfs: %d files, %lu KiB in the page cache\n", files, shmem_total_pages() * 4);

	/* The archive has been copied: its frames are ordinary free memory now. */
	pmm_free_range(pa, len);
	return 0;
}
