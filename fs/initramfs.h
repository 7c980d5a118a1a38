/*
 * initramfs.h - the read-only root file system, unpacked at boot from the
 * cpio "newc" archive the loader placed at /chosen/linux,initrd-start.
 *
 * Every regular file's data is copied into its own page-aligned frames
 * (the page cache), so exec and mmap can map file pages straight into
 * user space; the archive itself is then given back to the allocator.
 */
#ifndef HOLSTEIN_INITRAMFS_H
#define HOLSTEIN_INITRAMFS_H

#include "../kernel/kernel.h"
#include "../vm/pmm.h"

#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)

struct inode {
	char *path;			/* absolute, normalised; "/" for the root */
	const char *name;		/* last component */
	uint32_t mode;
	uint32_t ino;
	uint64_t size;
	uint64_t mtime;
	phys_addr_t *pages;		/* regular files: the page cache, one frame per page */
	char *link;			/* symlinks: the target */
	struct inode *parent;
	struct inode *next;		/* every inode, in archive order */
};

/* initramfs_unpack - build the tree from the archive at [pa, pa+len). 0, or -errno. */
int initramfs_unpack(phys_addr_t pa, uint64_t len);
/* initramfs_lookup - resolve absolute @path (symlinks followed if @follow). NULL if absent. */
struct inode *initramfs_lookup(const char *path, int follow);
/* initramfs_page - the page-cache frame of page @index of @ino, or 0 past the end. */
phys_addr_t initramfs_page(struct inode *ino, unsigned long index);
/* initramfs_read - copy up to @n bytes at @off into kernel buffer @buf; returns bytes copied. */
size_t initramfs_read(struct inode *ino, uint64_t off, void *buf, size_t n);
/* initramfs_next_child - the child of @dir after @prev (NULL: the first), or NULL. */
struct inode *initramfs_next_child(struct inode *dir, struct inode *prev);
struct inode *initramfs_root(void);
unsigned long initramfs_pages(void);	/* page-cache frames held */

/*
 * initramfs_pager - the pager (vm/pager.h) of regular files: its objects
 * are struct inode, its pages their page cache (initramfs_page).
 */
struct vm_pager;
extern const struct vm_pager initramfs_pager;

#endif
