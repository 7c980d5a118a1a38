/*
 * exec_elf.h - finding and mapping the ELF images of an execve: the
 * program and, for a dynamically linked one, its interpreter (PT_INTERP).
 */
#ifndef HOLSTEIN_EXEC_ELF_H
#define HOLSTEIN_EXEC_ELF_H

#include "kernel.h"
#include "elf.h"

struct inode;
struct mm;

/* One image: its file, its validated header, and where it goes. */
struct exec_image {
	struct inode *ip;		/* a reference, or NULL */
	struct elf_info ei;
	unsigned long bias;		/* load address minus the file's addresses */
};

/*
 * exec_lookup - the inode @path names (a reference, in *@ipp), if it may
 * be executed: a regular file with an execute bit (a disk fs's file read
 * in: inode_fill).  Its absolute name in
 * @abs (PAGE_SIZE bytes), if @abs.  0, -ENOENT, -EACCES, ...
 */
int exec_lookup(const char *path, struct inode **ipp, char *abs);

/*
 * exec_header - the first page of @ip, read in place from the page cache
 * (zeros past the file's end): its kernel address, the bytes that count in
 * *@len, the file's size in *@size.  Give back *@f with pmm_put if nonzero.
 */
const uint8_t *exec_header(struct inode *ip, phys_addr_t *f, size_t *len, uint64_t *size);

/*
 * exec_elf_interp - open the interpreter @prog names in its PT_INTERP into
 * @interp, checked as Linux checks it: a name that is not a NUL-terminated
 * string of 2 to PATH_MAX bytes is -ENOEXEC; a missing or unexecutable file
 * -ENOENT, -EACCES; a file shorter than an ELF header -EIO; one that is not
 * a RISC-V ELF64 program, or that wants an interpreter itself, -ELIBBAD.
 */
int exec_elf_interp(const struct exec_image *prog, struct exec_image *interp);

/*
 * exec_elf_map - the VMAs of @prog and (if interp->ip) @interp in the new
 * @mm, file-backed through the page cache, bss demand-zero; sets both
 * biases and the heap's start after the program.  The program goes where
 * it says (ET_EXEC), or at ELF_ET_DYN_BASE (ET_DYN); the interpreter where
 * an mmap without a hint would go.  The entry point in *@entry (the
 * interpreter's if there is one).  0 or -ENOMEM.
 */
int exec_elf_map(struct mm *mm, struct exec_image *prog, struct exec_image *interp,
		 unsigned long *entry);

#endif
