/*
 * initramfs.c - unpack the cpio archive into inodes and page-cache frames,
 * then give the archive's own frames back to the allocator.
 */
#include "../kernel/kernel.h"
#include "initramfs.h"
#include "cpio.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pager.h"
#include "../arch/riscv/pte.h"

static struct inode root_inode = { .path = "/", .name = "", .mode = S_IFDIR | 0755, .ino = 1 };
static struct inode *inodes = &root_inode, *last_inode = &root_inode;
static unsigned long cache_pages;
static uint32_t next_ino = 100;

struct inode *initramfs_root(void)
{
	return &root_inode;
}

unsigned long initramfs_pages(void)
{
	return cache_pages;
}

static struct inode *find_exact(const char *path)
{
	for (struct inode *i = inodes; i; i = i->next)
		if (!strcmp(i->path, path))
			return i;
	return 0;
}

static char *kstrdup_n(const char *s, size_t n)
{
	char *d = kmalloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/*
 * add_inode - create (or find) the inode for normalised path @path, making
 * missing parent directories on the way.
 */
static struct inode *add_inode(const char *path, uint32_t mode)
{
	struct inode *ip = find_exact(path), *parent;
	size_t len = strlen(path), cut = len;

	if (ip)
		return ip;
	while (cut > 0 && path[cut - 1] != '/')
		cut--;
	if (cut <= 1) {
		parent = &root_inode;
	} else {
		char *pp = kstrdup_n(path, cut - 1);
		if (!pp)
			return 0;
		parent = add_inode(pp, S_IFDIR | 0755);
		kfree(pp);
		if (!parent)
			return 0;
	}
	ip = kzalloc(sizeof(*ip));
	if (!ip || !(ip->path = kstrdup_n(path, len))) {
		kfree(ip);
		return 0;
	}
	ip->name = ip->path + cut;
	ip->mode = mode;
	ip->ino = next_ino++;
	ip->parent = parent;
	last_inode->next = ip;
	last_inode = ip;
	return ip;
}

/*
 * fill_pages - copy @size bytes of file data into fresh page-cache frames.
 * ip->pages lists "index frames", each holding PAGES_PER_INDEX frame
 * addresses, so a file of any size needs only a small kmalloc.
 */
#define PAGES_PER_INDEX (PAGE_SIZE / sizeof(phys_addr_t))

static int fill_pages(struct inode *ip, const uint8_t *data, uint64_t size)
{
	unsigned long n = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long nidx = (n + PAGES_PER_INDEX - 1) / PAGES_PER_INDEX;

	ip->size = size;
	if (!n)
		return 0;
	if (nidx * sizeof(phys_addr_t) > PAGE_SIZE)
		return -EFBIG;
	ip->pages = kzalloc(nidx * sizeof(phys_addr_t));
	if (!ip->pages)
		return -ENOMEM;
	for (unsigned long i = 0; i < nidx; i++)
		if (!(ip->pages[i] = pmm_alloc_zeroed()))
			return -ENOMEM;
	for (unsigned long i = 0; i < n; i++) {
		phys_addr_t pa = pmm_alloc();
		size_t chunk = MIN((uint64_t)PAGE_SIZE, size - i * PAGE_SIZE);

		if (!pa)
			return -ENOMEM;
		memcpy(phys_to_virt(pa), data + i * PAGE_SIZE, chunk);
		memset((char *)phys_to_virt(pa) + chunk, 0, PAGE_SIZE - chunk);
		((phys_addr_t *)phys_to_virt(ip->pages[i / PAGES_PER_INDEX]))[i % PAGES_PER_INDEX] = pa;
		cache_pages++;
	}
	return 0;
}

int initramfs_unpack(phys_addr_t pa, uint64_t len)
{
	const uint8_t *base = phys_to_virt(pa);
	size_t off = 0;
	struct cpio_entry e;
	int r, files = 0;
	char path[256];

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

		struct inode *ip = add_inode(path, e.mode);
		if (!ip)
			return -ENOMEM;
		ip->mode = e.mode;
		ip->mtime = e.mtime;
		if (S_ISREG(e.mode)) {
			if (e.size == 0 && e.nlink > 1)
				continue;	/* a hard link whose data comes later */
			if ((r = fill_pages(ip, e.data, e.size)))
				pr_err("initramfs: %s: %d\n", path, r);
			files++;
		} else if (S_ISLNK(e.mode)) {
			ip->link = kstrdup_n((const char *)e.data, e.size);
		}
	}
	if (r < 0)
		pr_err("initramfs: archive is malformed at offset %lu\n", (unsigned long)off);
	pr_info("initramfs: %d files, %lu KiB in the page cache\n", files, cache_pages * 4);

	/* The archive has been copied: its frames are ordinary free memory now. */
	pmm_free_range(pa, len);
	return 0;
}

/* lookup_depth - resolve @path, following symlinks in any component, at most 8 deep. */
static struct inode *lookup_depth(const char *path, int follow, int depth)
{
	char cur[256];
	size_t n = 0;

	if (depth > 8)
		return 0;
	if (path[0] != '/')
		return 0;
	cur[0] = 0;
	struct inode *ip = &root_inode;
	for (const char *s = path; *s;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		if (n + 1 + (size_t)(e - s) + 1 > sizeof(cur))
			return 0;
		cur[n++] = '/';
		memcpy(cur + n, s, (size_t)(e - s));
		n += (size_t)(e - s);
		cur[n] = 0;
		ip = find_exact(cur);
		if (!ip)
			return 0;
		if (S_ISLNK(ip->mode) && ip->link && (*e || follow)) {
			char t[256];
			/* Relative targets are relative to the link's directory. */
			if (ip->link[0] == '/')
				strlcpy(t, ip->link, sizeof(t));
			else
				snprintf(t, sizeof(t), "%.*s/%s", (int)(ip->name - ip->path), ip->path,
					 ip->link);
			strlcpy(t + strlen(t), e, sizeof(t) - strlen(t));
			return lookup_depth(t, follow, depth + 1);
		}
		s = e;
	}
	return ip;
}

struct inode *initramfs_lookup(const char *path, int follow)
{
	return lookup_depth(path, follow, 0);
}

phys_addr_t initramfs_page(struct inode *ino, unsigned long index)
{
	if (!ino->pages || index >= (ino->size + PAGE_SIZE - 1) / PAGE_SIZE)
		return 0;
	return ((phys_addr_t *)phys_to_virt(ino->pages[index / PAGES_PER_INDEX]))[index % PAGES_PER_INDEX];
}

size_t initramfs_read(struct inode *ino, uint64_t off, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n && off + done < ino->size) {
		uint64_t o = off + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - (o % PAGE_SIZE));
		chunk = MIN(chunk, ino->size - o);
		memcpy((char *)buf + done,
		       (char *)phys_to_virt(initramfs_page(ino, o / PAGE_SIZE)) + o % PAGE_SIZE, chunk);
		done += chunk;
	}
	return done;
}

struct inode *initramfs_next_child(struct inode *dir, struct inode *prev)
{
	for (struct inode *i = prev ? prev->next : inodes; i; i = i->next)
		if (i->parent == dir && i != dir)
			return i;
	return 0;
}

/* pager_page - pager.h's page: the page-cache frame of inode @obj. */
static phys_addr_t pager_page(void *obj, unsigned long index)
{
	return initramfs_page(obj, index);
}

/* pager_name - pager.h's name: the inode's path and number. */
static const char *pager_name(void *obj, unsigned long *ino)
{
	struct inode *ip = obj;

	*ino = ip->ino;
	return ip->path;
}

const struct vm_pager initramfs_pager = { .page = pager_page, .name = pager_name };
