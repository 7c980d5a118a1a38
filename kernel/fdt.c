/*
 * fdt.c - bounds-checked flattened device tree reader: the blob itself.
 * Big-endian loads, token decoding, validation of the header, reservation
 * map and structure block (fdt_init), the reservation map, the root.  Tree
 * navigation is fdt_node.c, properties and addressing fdt_prop.c; the API
 * is fdt.h, what the three share is fdt_internal.h.
 *
 * The blob comes from firmware we do not control (and, in the host tests,
 * from a fuzzer), so nothing in it is trusted: fdt_init() validates the
 * header, the reservation map and the entire structure block once, and every
 * accessor still re-checks the token it is handed before using it.  Loops
 * always advance by at least one 4-byte token inside a bounded block, so no
 * input can make them spin.
 */
#include "fdt.h"
#include "fdt_internal.h"
#include "string.h"

/* Header sizes: version 17 appends size_dt_struct to the version 16 header. */
#define FDT_HDR_V16 36u
#define FDT_HDR_V17 40u
#define FDT_LAST_COMP 17u /* newest layout we understand */

#define FDT_RSV_ENTRY 16u /* two big-endian u64: address, size */

/*
 * fdt_be32 - load a big-endian 32-bit value from @p, which may be unaligned.
 * Byte loads only, because the blob may sit at any address and some harts
 * trap (or are slow) on misaligned word loads.
 */
uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) |
	       (uint32_t)b[3];
}

/* fdt_be64 - load a big-endian 64-bit value from @p, which may be unaligned. */
uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return ((uint64_t)fdt_be32(b) << 32) | fdt_be32(b + 4);
}

/*
 * fdt_read_cells - combine @ncells (0, 1 or 2) big-endian cells at @p into a
 * number.  Returns 0 for ncells 0; callers must reject ncells > 2 beforehand
 * (only the two lowest cells would be meaningful to us anyway).
 */
uint64_t fdt_read_cells(const void *p, int ncells)
{
	if (ncells == 1)
		return fdt_be32(p);
	if (ncells == 2)
		return fdt_be64(p);
	return 0;
}

/*
 * fdt_string_ok - true iff @nameoff starts a string that is NUL-terminated
 * inside the strings block, so it can be handed to strcmp() safely.
 */
static bool fdt_string_ok(const struct fdt *f, uint32_t nameoff)
{
	uint32_t room;

	if (nameoff >= f->size_strings)
		return false;
	room = f->size_strings - nameoff;
	return strnlen((const char *)f->dt_strings + nameoff, room) < room;
}

/*
 * fdt_tag - decode the token at structure offset @off and store the offset of
 * the following token in *@next.  Returns the token (FDT_BEGIN_NODE ...), or
 * a negative FDT_E* if @off is misaligned, the token is unknown, or anything
 * it carries (name, property header, value, name offset) leaves its block.
 * This is the only place that interprets raw structure bytes, so every walk
 * inherits its checks.  *@next is always > @off on success.
 */
int fdt_tag(const struct fdt *f, int off, int *next)
{
	uint32_t size = f->size_struct;
	const uint8_t *p;
	uint32_t tag, len, room;
	uint64_t end;

	if (off < 0 || (off & 3) || (uint32_t)off > size || size - (uint32_t)off < 4)
		return FDT_EBADSTRUCT;
	p = f->dt_struct + off;
	room = size - (uint32_t)off;
	tag = fdt_be32(p);
	switch (tag) {
	case FDT_BEGIN_NODE:
		len = (uint32_t)strnlen((const char *)p + 4, room - 4);
		if (len == room - 4)
			return FDT_EBADSTRING;
		end = (uint64_t)off + 4 + len + 1;
		break;
	case FDT_PROP:
		if (room < 12)
			return FDT_EBADSTRUCT;
		len = fdt_be32(p + 4);
		if (len > room - 12)
			return FDT_EBADSTRUCT;
		if (!fdt_string_ok(f, fdt_be32(p + 8)))
			return FDT_EBADSTRING;
		end = (uint64_t)off + 12 + len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = (uint64_t)off + 4;
		break;
	default:
		return FDT_EBADSTRUCT;
	}
	end = (end + 3) & ~(uint64_t)3;
	/* size is a multiple of 4, so padding never pushes past it; stay paranoid. */
	if (end > size)
		return FDT_EBADSTRUCT;
	*next = (int)end;
	return (int)tag;
}

/*
 * fdt_check_struct - walk the whole structure block once: exactly one root
 * node, balanced BEGIN/END_NODE, nesting at most FDT_MAX_DEPTH open nodes,
 * properties only inside a node and before its first child (where the spec
 * puts them; it also lets property iteration stop at the first subnode), and
 * an FDT_END after the root.  Returns 0 or a negative FDT_E*.
 */
static int fdt_check_struct(const struct fdt *f)
{
	bool has_child[FDT_MAX_DEPTH];
	bool root_done = false;
	int open = 0, off = 0, next, tag;

	for (;; off = next) {
		tag = fdt_tag(f, off, &next);
		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (root_done)
				return FDT_EBADSTRUCT;
			if (open == FDT_MAX_DEPTH)
				return FDT_EDEPTH;
			if (open > 0)
				has_child[open - 1] = true;
			has_child[open++] = false;
			break;
		case FDT_END_NODE:
			if (open == 0)
				return FDT_EBADSTRUCT;
			if (--open == 0)
				root_done = true;
			break;
		case FDT_PROP:
			if (open == 0 || has_child[open - 1])
				return FDT_EBADSTRUCT;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return root_done ? 0 : FDT_EBADSTRUCT;
		}
	}
}

/*
 * fdt_block_ok - true iff the block [@off, @off+@size) lies after a header of
 * @hdr bytes and within @total bytes.  Written to be overflow-free.
 */
static bool fdt_block_ok(uint32_t off, uint32_t size, uint32_t hdr, uint32_t total)
{
	return off >= hdr && off <= total && size <= total - off;
}

/*
 * fdt_init - validate the blob at @blob, of which @maxlen bytes are readable,
 * and fill @f.  Checks the magic, version (>= 16, last compatible <= 17),
 * that totalsize fits in @maxlen, that every block lies within totalsize and
 * is aligned as the spec demands (relative to the blob start: the blob itself
 * may be at any address), that the reservation map is terminated, and the
 * whole structure block (see fdt_check_struct).  Returns 0 or a negative
 * FDT_E*; @f must not be used after an error.
 */
int fdt_init(struct fdt *f, const void *blob, size_t maxlen)
{
	const uint8_t *b = blob;
	uint32_t total, hdr, off_struct, off_strings, size_struct, size_strings, i;

	if (!f || !b)
		return FDT_EINVAL;
	memset(f, 0, sizeof(*f));
	if (maxlen < 8)
		return FDT_EBADLAYOUT;
	if (fdt_be32(b) != FDT_MAGIC)
		return FDT_EBADMAGIC;
	total = fdt_be32(b + 4);
	/* Handles are ints, so refuse blobs whose offsets would not fit. */
	if (total > maxlen || total < FDT_HDR_V16 || total > 0x7fffffffu)
		return FDT_EBADLAYOUT;
	f->version = fdt_be32(b + 20);
	if (f->version < 16 || fdt_be32(b + 24) > FDT_LAST_COMP)
		return FDT_EBADVERSION;
	hdr = f->version >= 17 ? FDT_HDR_V17 : FDT_HDR_V16;
	if (total < hdr)
		return FDT_EBADLAYOUT;

	off_struct = fdt_be32(b + 8);
	off_strings = fdt_be32(b + 12);
	f->off_rsvmap = fdt_be32(b + 16);
	f->boot_cpuid = fdt_be32(b + 28);
	size_strings = fdt_be32(b + 32);
	if (f->version >= 17) {
		size_struct = fdt_be32(b + 36);
	} else {
		/* v16 does not record it: the block may run to the end of the blob. */
		if (off_struct > total)
			return FDT_EBADLAYOUT;
		size_struct = (total - off_struct) & ~3u;
	}
	if (!fdt_block_ok(off_struct, size_struct, hdr, total) ||
	    !fdt_block_ok(off_strings, size_strings, hdr, total) ||
	    !fdt_block_ok(f->off_rsvmap, 0, hdr, total))
		return FDT_EBADLAYOUT;
	if ((off_struct & 3) || (size_struct & 3) || (f->off_rsvmap & 7))
		return FDT_EBADLAYOUT;

	f->blob = b;
	f->totalsize = total;
	f->dt_struct = b + off_struct;
	f->size_struct = size_struct;
	f->dt_strings = b + off_strings;
	f->size_strings = size_strings;

	/* Count reservation entries; the (0, 0) terminator must be inside the blob. */
	for (i = 0;; i++) {
		uint64_t at = (uint64_t)f->off_rsvmap + (uint64_t)i * FDT_RSV_ENTRY;

		if (at + FDT_RSV_ENTRY > total)
			return FDT_EBADLAYOUT;
		if (fdt_be64(b + at) == 0 && fdt_be64(b + at + 8) == 0)
			break;
	}
	f->nrsv = i;

	return fdt_check_struct(f);
}

/*
 * fdt_rsv_entry - read /memreserve/ entry @idx into *@addr, *@size.
 * Returns 0, or FDT_ENOTFOUND if @idx is at or past the terminator.
 */
int fdt_rsv_entry(const struct fdt *f, uint32_t idx, uint64_t *addr, uint64_t *size)
{
	const uint8_t *e;

	if (idx >= f->nrsv)
		return FDT_ENOTFOUND;
	/* fdt_init proved entries up to the terminator lie inside the blob. */
	e = f->blob + f->off_rsvmap + (uint64_t)idx * FDT_RSV_ENTRY;
	*addr = fdt_be64(e);
	*size = fdt_be64(e + 8);
	return 0;
}

/* fdt_root - the root node's handle (leading NOPs skipped), or a negative FDT_E*. */
int fdt_root(const struct fdt *f)
{
	int off = 0, next, tag;

	for (;; off = next) {
		tag = fdt_tag(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == (int)FDT_BEGIN_NODE)
			return off;
		if (tag != (int)FDT_NOP)
			return FDT_EBADSTRUCT;
	}
}

/*
 * fdt_skip_begin - check that @node is an FDT_BEGIN_NODE token and return
 * the offset just past its name (where its properties start), or FDT_EINVAL.
 */
int fdt_skip_begin(const struct fdt *f, int node)
{
	int next, tag = fdt_tag(f, node, &next);

	if (tag < 0)
		return tag;
	return tag == (int)FDT_BEGIN_NODE ? next : FDT_EINVAL;
}
