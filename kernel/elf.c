/*
 * elf.c - validate an ELF64 RISC-V executable and describe its segments.
 *
 * The header page comes straight from a file anyone could have written
 * (any user may write a file and exec it), so every offset and size in it
 * is checked before use, with
 * sums checked for wrap-around, and fields are read byte by byte: the
 * program header table need not be aligned in the buffer.
 */
#include "elf.h"
#include "../arch/riscv/layout.h"
#include "string.h"
#include "errno.h"

#define ELF_PAGE	4096ULL
#define ELF_EHDR_LEN	64
#define ELF_PHDR_LEN	56

/* e_ident */
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1

#define ET_EXEC		2
#define ET_DYN		3
#define EM_RISCV	243

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6

/* The user half of Sv39, and how far a relocatable program may spread. */
#define ELF_DYN_SPAN	0x1000000000ULL

static uint16_t elf_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t elf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t elf_le64(const uint8_t *p)
{
	return (uint64_t)elf_le32(p) | ((uint64_t)elf_le32(p + 4) << 32);
}

/*
 * elf_check_ehdr - the file header: identity, machine, type and a program
 * header table that lies within the @hdrlen bytes we have.  Fills the
 * header fields of @out.  0 or -ENOEXEC.
 */
static int elf_check_ehdr(const uint8_t *hdr, size_t hdrlen, struct elf_info *out)
{
	uint64_t table;

	if (hdrlen < ELF_EHDR_LEN)
		return -ENOEXEC;
	if (hdr[0] != 0x7f || hdr[1] != 'E' || hdr[2] != 'L' || hdr[3] != 'F' ||
	    hdr[EI_CLASS] != ELFCLASS64 || hdr[EI_DATA] != ELFDATA2LSB ||
	    hdr[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	out->type = elf_le16(hdr + 16);
	if (out->type != ET_EXEC && out->type != ET_DYN)
		return -ENOEXEC;
	if (elf_le16(hdr + 18) != EM_RISCV || elf_le32(hdr + 20) != EV_CURRENT)
		return -ENOEXEC;
	out->entry = elf_le64(hdr + 24);
	out->phoff = elf_le64(hdr + 32);
	out->phentsize = elf_le16(hdr + 54);
	out->phnum = elf_le16(hdr + 56);
	if (out->phentsize != ELF_PHDR_LEN || out->phnum == 0)
		return -ENOEXEC;
	/* phnum < 2^16 and phentsize is 56: the product cannot wrap. */
	table = (uint64_t)out->phnum * ELF_PHDR_LEN;
	if (out->phoff > hdrlen || hdrlen - out->phoff < table)
		return -ENOEXEC;
	return 0;
}

/*
 * elf_check_load - one PT_LOAD: sizes consistent, file data within the
 * file, the memory image without wrap-around and (for ET_EXEC, which is
 * mapped where it says) inside the user half, and file offset and address
 * congruent modulo the page size so the file pages can be mapped directly.
 */
static int elf_check_load(const struct elf_segment *s, int type, uint64_t file_size)
{
	if (s->filesz > s->memsz)
		return -ENOEXEC;
	if (s->offset > file_size || file_size - s->offset < s->filesz)
		return -ENOEXEC;
	/* Leave room to round the end up to a page without wrapping. */
	if (s->vaddr > UINT64_MAX - ELF_PAGE || s->memsz > UINT64_MAX - ELF_PAGE - s->vaddr)
		return -ENOEXEC;
	if (type == ET_EXEC && s->vaddr + s->memsz > USER_TOP)
		return -ENOEXEC;
	if (s->vaddr % ELF_PAGE != s->offset % ELF_PAGE)
		return -ENOEXEC;
	return 0;
}

/*
 * elf_find_phdr - the address of the program header table in memory:
 * PT_PHDR says so if present, else it is wherever the PT_LOAD that covers
 * the table's file bytes puts them.  0 if no segment maps it.
 */
static uint64_t elf_find_phdr(const struct elf_info *ei, int has_pt_phdr, uint64_t pt_phdr)
{
	uint64_t table = (uint64_t)ei->phnum * ei->phentsize;

	if (has_pt_phdr)
		return pt_phdr;
	for (int i = 0; i < ei->nload; i++) {
		const struct elf_segment *s = &ei->load[i];

		/* offset + filesz <= file_size was checked: no wrap here. */
		if (ei->phoff >= s->offset && ei->phoff - s->offset <= s->filesz &&
		    s->filesz - (ei->phoff - s->offset) >= table)
			return s->vaddr + (ei->phoff - s->offset);
	}
	return 0;
}

int elf_parse(const uint8_t *hdr, size_t hdrlen, uint64_t file_size, struct elf_info *out)
{
	uint64_t pt_phdr = 0, lo = UINT64_MAX, hi = 0, align;
	int has_pt_phdr = 0;

	memset(out, 0, sizeof(*out));
	/* Bytes beyond the end of the file are not the file's, whatever the caller read. */
	if (hdrlen > file_size)
		hdrlen = (size_t)file_size;
	if (elf_check_ehdr(hdr, hdrlen, out))
		return -ENOEXEC;

	for (unsigned i = 0; i < out->phnum; i++) {
		const uint8_t *ph = hdr + out->phoff + (uint64_t)i * ELF_PHDR_LEN;
		uint32_t type = elf_le32(ph);
		struct elf_segment s;

		if (type == PT_INTERP) {
			/* The first one counts, as on Linux; its bytes are checked by the loader. */
			if (!out->has_interp) {
				out->has_interp = 1;
				out->interp_off = elf_le64(ph + 8);
				out->interp_len = elf_le64(ph + 32);
			}
			continue;
		}
		if (type == PT_PHDR) {
			has_pt_phdr = 1;
			pt_phdr = elf_le64(ph + 16);
			continue;
		}
		if (type != PT_LOAD)
			continue;
		if (out->nload == ELF_MAX_LOAD)
			return -ENOEXEC;
		s.flags = elf_le32(ph + 4);
		s.offset = elf_le64(ph + 8);
		s.vaddr = elf_le64(ph + 16);
		s.filesz = elf_le64(ph + 32);
		s.memsz = elf_le64(ph + 40);
		if (elf_check_load(&s, out->type, file_size))
			return -ENOEXEC;
		/* Where a relocatable image may go: its largest power-of-two p_align. */
		align = elf_le64(ph + 48);
		if (align > out->align && !(align & (align - 1)) && align <= ELF_DYN_SPAN)
			out->align = align;
		if (s.vaddr < lo)
			lo = s.vaddr;
		if (s.vaddr + s.memsz > hi)
			hi = s.vaddr + s.memsz;
		out->load[out->nload++] = s;
	}
	if (out->nload == 0)
		return -ENOEXEC;

	if (out->align < ELF_PAGE)
		out->align = ELF_PAGE;
	/* elf_check_load left a page of headroom: rounding hi up cannot wrap. */
	out->lo = lo & ~(ELF_PAGE - 1);
	out->hi = (hi + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
	if (out->type == ET_DYN && out->hi - out->lo >= ELF_DYN_SPAN)
		return -ENOEXEC;
	out->phdr_vaddr = elf_find_phdr(out, has_pt_phdr, pt_phdr);
	return 0;
}
