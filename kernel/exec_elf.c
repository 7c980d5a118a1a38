/*
 * exec_elf.c - the ELF images of an execve: the program and, when it names
 * one in PT_INTERP, its interpreter (glibc's ld.so), both mapped from the
 * page cache.
 *
 * Nothing is copied from the files: each PT_LOAD becomes a private file
 * VMA over the file's pages (shared until written, then COW, like any
 * MAP_PRIVATE mapping of the file) plus a demand-zero VMA for the bss
 * beyond the file's last page.  Every check that can fail is made before
 * exec's point of no return, so a bad interpreter is an error the caller
 * sees, where Linux would already have killed it.
 */
#include "kernel.h"
#include "exec_elf.h"
#include "../fs/namei.h"
#include "../fs/inode.h"
#include "../vm/pager.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/zero.h"
#include "../vm/mm.h"

#define ELF_ET_DYN	3

int exec_lookup(const char *path, struct inode **ipp, char *abs)
{
	struct nameidata nd;
	struct inode *ip;
	long r = namei(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_PARENT, &nd);

	if (r)
		return (int)r;
	if (!nd.inode) {
		r = nd.proc ? -EACCES : -ENOENT;	/* /proc's files are never programs */
		nd_release(&nd);
		return (int)r;
	}
	ip = inode_get(nd.inode);
	if (abs && nd_path(&nd, abs, PAGE_SIZE) < 0)
		strlcpy(abs, path, PAGE_SIZE);
	nd_release(&nd);
	if (!S_ISREG(ip->mode) || !(ip->mode & 0111)) {
		inode_put(ip);
		return -EACCES;
	}
	if ((r = inode_fill(ip))) {	/* a disk fs reads the program in, as an open would */
		inode_put(ip);
		return (int)r;
	}
	*ipp = ip;
	return 0;
}

const uint8_t *exec_header(struct inode *ip, phys_addr_t *f, size_t *len, uint64_t *size)
{
	int err;

	*size = shmem_size(ip->mem);
	*len = (size_t)MIN(*size, (uint64_t)PAGE_SIZE);
	*f = shmem_page(ip->mem, 0, 0, &err);
	return *f ? phys_to_virt(*f) : phys_to_virt(zero_frame);
}

/* exec_read - @len bytes of @ip from @off into @buf, through the page cache. 0 or -EIO. */
static int exec_read(struct inode *ip, uint64_t off, char *buf, size_t len)
{
	if (off > shmem_size(ip->mem) || shmem_size(ip->mem) - off < len)
		return -EIO;
	while (len) {
		size_t in = (size_t)(off % PAGE_SIZE), n = MIN(len, PAGE_SIZE - in);
		int err;
		phys_addr_t f = shmem_page(ip->mem, (unsigned long)(off / PAGE_SIZE), 0, &err);

		memcpy(buf, (char *)(f ? phys_to_virt(f) : phys_to_virt(zero_frame)) + in, n);
		if (f)
			pmm_put(f);
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* interp_parse - the header of the interpreter @ip into @ei: 0, -EIO or -ELIBBAD. */
static int interp_parse(struct inode *ip, struct elf_info *ei)
{
	phys_addr_t f;
	size_t len;
	uint64_t size;
	const uint8_t *hdr = exec_header(ip, &f, &len, &size);
	int r = 0;

	if (size < 64)
		r = -EIO;		/* Linux could not read an ELF header from it */
	else if (elf_parse(hdr, len, size, ei) || ei->has_interp)
		r = -ELIBBAD;		/* not a RISC-V ELF64 program, or one that needs a loader */
	if (f)
		pmm_put(f);
	return r;
}

int exec_elf_interp(const struct exec_image *prog, struct exec_image *interp)
{
	uint64_t n = prog->ei.interp_len;
	phys_addr_t pg;
	char *name;
	int r;

	if (n < 2 || n > PATH_MAX)
		return -ENOEXEC;
	if (!(pg = pmm_alloc()))
		return -ENOMEM;
	name = phys_to_virt(pg);
	if (!(r = exec_read(prog->ip, prog->ei.interp_off, name, (size_t)n)))
		r = name[n - 1] ? -ENOEXEC : exec_lookup(name, &interp->ip, 0);
	pmm_put(pg);
	if (!r && (r = interp_parse(interp->ip, &interp->ei))) {
		inode_put(interp->ip);
		interp->ip = 0;
	}
	return r;
}

/* load_segments - one or two VMAs per PT_LOAD: file-backed, then demand-zero bss. */
static int load_segments(struct mm *mm, struct inode *ip, const struct elf_info *ei,
			 unsigned long bias)
{
	for (int i = 0; i < ei->nload; i++) {
		const struct elf_segment *s = &ei->load[i];
		unsigned prot = ((s->flags & PF_R) ? PROT_READ : 0) |
				((s->flags & PF_W) ? PROT_WRITE : 0) |
				((s->flags & PF_X) ? PROT_EXEC : 0);
		unsigned long start = ALIGN_DOWN(s->vaddr + bias, PAGE_SIZE);
		unsigned long fend = s->vaddr + bias + s->filesz;
		unsigned long mend = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
		unsigned long fpage_end = ALIGN_UP(fend, PAGE_SIZE);
		int r;

		if (s->filesz) {
			r = mm_map(mm, &(struct vma){ .start = start, .end = fpage_end, .prot = prot,
						      .kind = VMA_FILE, .flags = VMA_MAY_RWX,
						      .mem = ip->mem, .pager = &inode_pager,
						      .object = ip,
						      .file_off = ALIGN_DOWN(s->offset, PAGE_SIZE),
						      .file_end = fend });
			if (r)
				return r;
		} else {
			fpage_end = start;
		}
		if (mend > fpage_end) {
			r = mm_map(mm, &(struct vma){ .start = fpage_end, .end = mend, .prot = prot,
						      .kind = VMA_ANON, .flags = VMA_MAY_RWX });
			if (r)
				return r;
		}
	}
	return 0;
}

int exec_elf_map(struct mm *mm, struct exec_image *prog, struct exec_image *interp,
		 unsigned long *entry)
{
	const struct elf_info *ei = &prog->ei;
	int r;

	/*
	 * A relocatable program: at Linux riscv64's ELF_ET_DYN_BASE (2/3 of the
	 * user half), aligned as its segments ask when ld.so will relocate it;
	 * a static-pie one where it always went.
	 */
	prog->bias = 0;
	if (ei->type == ELF_ET_DYN)
		prog->bias = (interp->ip ? ALIGN_DOWN(USER_ET_DYN_BASE, ei->align) :
			      USER_ET_DYN_BASE) - ei->lo;
	if ((r = load_segments(mm, prog->ip, ei, prog->bias)))
		return r;
	mm->brk_start = mm->brk = ALIGN_UP(ei->hi + prog->bias, PAGE_SIZE);
	*entry = ei->entry + prog->bias;
	if (!interp->ip)
		return 0;

	ei = &interp->ei;
	interp->bias = 0;
	if (ei->type == ELF_ET_DYN) {
		/* Where mmap(NULL, span) would put it, aligned as its segments ask. */
		unsigned long span = ei->hi - ei->lo;
		unsigned long at = mm_find_free(mm, USER_MMAP_BASE, span + ei->align - PAGE_SIZE);

		if (!at)
			return -ENOMEM;
		interp->bias = ALIGN_UP(at, ei->align) - ei->lo;
	}
	if ((r = load_segments(mm, interp->ip, ei, interp->bias)))
		return r;
	*entry = ei->entry + interp->bias;
	return 0;
}
