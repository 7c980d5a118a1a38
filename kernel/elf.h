/*
 * elf.h - just enough of ELF64 to load a static RISC-V program: the file
 * header and the program headers, validated and boiled down to the PT_LOAD
 * segments exec maps.
 */
#ifndef HOLSTEIN_ELF_H
#define HOLSTEIN_ELF_H

#include <stdint.h>
#include <stddef.h>

#define ELF_MAX_LOAD 16

/* elf_segment.flags: the p_flags bits. */
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags;
};

struct elf_info {
	int type;		/* 2 = ET_EXEC, 3 = ET_DYN */
	uint64_t entry;
	uint64_t phoff;
	uint16_t phnum, phentsize;
	/*
	 * Where the program headers are in memory (PT_PHDR's vaddr, else
	 * computed from the PT_LOAD that contains file offset phoff), 0 if
	 * not mapped.
	 */
	uint64_t phdr_vaddr;
	int nload;
	struct elf_segment load[ELF_MAX_LOAD];	/* PT_LOAD in file order */
	int has_interp;		/* a PT_INTERP exists: a dynamically linked program */
	uint64_t interp_off, interp_len;	/* the first PT_INTERP's bytes in the file, unchecked */
	uint64_t align;		/* the largest power-of-two p_align of a PT_LOAD, at least a page */
	/* Page-aligned span: lo = min vaddr rounded down, hi = max vaddr+memsz rounded up. */
	uint64_t lo, hi;
};

/*
 * elf_parse - validate and describe an ELF image.  @hdr holds the first
 * @hdrlen bytes of the file (the caller reads up to a page); @file_size is
 * the whole file's size.  The program headers must lie within @hdrlen.
 * Returns 0, or -ENOEXEC (-8) for anything not an acceptable RISC-V ELF64
 * executable: bad magic/class/data/version/machine/type, e_phentsize != 56,
 * no PT_LOAD, more than ELF_MAX_LOAD, a segment with filesz > memsz,
 * offset + filesz past @file_size, vaddr + memsz overflowing or beyond
 * 0x4000000000 (the Sv39 user half; for ET_DYN, which exec relocates, the
 * span hi - lo must instead be below 0x1000000000), vaddr % 4096 !=
 * offset % 4096, or overflow anywhere.  Never reads outside @hdr.  *@out
 * is only meaningful when 0 is returned.
 */
int elf_parse(const uint8_t *hdr, size_t hdrlen, uint64_t file_size, struct elf_info *out);

#endif
