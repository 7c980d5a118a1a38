/*
 * fdt.c - bounds-checked flattened device tree reader.
 *
 * The blob comes from firmware we do not control (and, in the host tests,
 * from a fuzzer), so nothing in it is trusted: fdt_init() validates the
 * header, the reservation map and the entire structure block once, and every
 * accessor still re-checks the token it is handed before using it.  Loops
 * always advance by at least one 4-byte token inside a bounded block, so no
 * input can make them spin.
 */
#include "fdt.h"
#include "string.h"

/* Structure block tokens. */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u

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
static int fdt_tag(const struct fdt *f, int off, int *next)
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
static int fdt_skip_begin(const struct fdt *f, int node)
{
	int next, tag = fdt_tag(f, node, &next);

	if (tag < 0)
		return tag;
	return tag == (int)FDT_BEGIN_NODE ? next : FDT_EINVAL;
}

/*
 * fdt_node_next - the node after @node in document order (depth first).
 * @node < 0 starts the walk: the root is returned and *@depth set to 0.
 * If @depth is non-NULL it is adjusted by +1 per subnode entered and -1 per
 * node left, and the walk ends (FDT_ENOTFOUND) once it would go below 0, so
 * starting at a node with *depth = 0 visits exactly that node's subtree.
 * With @depth NULL the walk runs to the end of the tree.
 */
int fdt_node_next(const struct fdt *f, int node, int *depth)
{
	int off, next, tag, d = depth ? *depth : 0;

	if (node < 0) {
		off = fdt_root(f);
		if (off >= 0 && depth)
			*depth = 0;
		return off;
	}
	off = fdt_skip_begin(f, node);
	if (off < 0)
		return off;
	for (;; off = next) {
		tag = fdt_tag(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == (int)FDT_BEGIN_NODE) {
			if (depth)
				*depth = d + 1;
			return off;
		}
		if (tag == (int)FDT_END_NODE) {
			d--;
			if (depth && d < 0) {
				*depth = d;
				return FDT_ENOTFOUND;
			}
		}
		if (tag == (int)FDT_END)
			return FDT_ENOTFOUND;
	}
}

/*
 * fdt_first_child - handle of @node's first subnode, FDT_ENOTFOUND if it has
 * none, or a negative FDT_E* if @node is not a node.
 */
int fdt_first_child(const struct fdt *f, int node)
{
	int off, next, tag;

	off = fdt_skip_begin(f, node);
	if (off < 0)
		return off;
	for (;; off = next) {
		tag = fdt_tag(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == (int)FDT_BEGIN_NODE)
			return off;
		if (tag == (int)FDT_END_NODE)
			return FDT_ENOTFOUND;
		if (tag == (int)FDT_END)
			return FDT_EBADSTRUCT;
	}
}

/*
 * fdt_next_sibling - handle of the node following @node under the same
 * parent, or FDT_ENOTFOUND if @node is the last child.
 */
int fdt_next_sibling(const struct fdt *f, int node)
{
	/* Depth relative to the parent: 1 is a sibling, 0 the parent's end. */
	int depth = 1;

	do {
		node = fdt_node_next(f, node, &depth);
		if (node < 0)
			return node;
	} while (depth > 1);
	return node;
}

/*
 * fdt_ancestry - fill @stack with the handles from the root down to @node
 * (stack[0] = root, stack[n-1] = node) and return n, or a negative FDT_E*
 * (FDT_EINVAL if @node is not the handle of any node).
 */
static int fdt_ancestry(const struct fdt *f, int node, int stack[FDT_MAX_DEPTH])
{
	int depth = 0, off = fdt_root(f);

	while (off >= 0) {
		/* fdt_init capped nesting; re-check rather than trust it. */
		if (depth < 0 || depth >= FDT_MAX_DEPTH)
			return FDT_EDEPTH;
		stack[depth] = off;
		if (off == node)
			return depth + 1;
		if (off > node)
			return FDT_EINVAL; /* walked past it: not a node handle */
		off = fdt_node_next(f, off, &depth);
	}
	return off == FDT_ENOTFOUND ? FDT_EINVAL : off;
}

/*
 * fdt_parent - handle of @node's parent, FDT_ENOTFOUND for the root.  Costs
 * a walk from the root: the format has no back links.
 */
int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH];
	int n = fdt_ancestry(f, node, stack);

	if (n < 0)
		return n;
	return n >= 2 ? stack[n - 2] : FDT_ENOTFOUND;
}

/*
 * fdt_node_name - @node's name (with unit address, "" for the root), a
 * NUL-terminated string inside the blob; its length is stored in *@len if
 * @len is non-NULL.  NULL if @node is not a node.
 */
const char *fdt_node_name(const struct fdt *f, int node, uint32_t *len)
{
	const char *name;

	if (fdt_skip_begin(f, node) < 0)
		return NULL;
	/* fdt_tag proved the name is terminated inside the structure block. */
	name = (const char *)f->dt_struct + node + 4;
	if (len)
		*len = (uint32_t)strlen(name);
	return name;
}

/*
 * fdt_node_path - write @node's full path ("/", "/soc/serial@10000000") into
 * @buf of @bufsz bytes, NUL-terminated.  Returns the path length, or
 * FDT_ENOSPACE if it does not fit, or another negative FDT_E*.
 */
int fdt_node_path(const struct fdt *f, int node, char *buf, size_t bufsz)
{
	int stack[FDT_MAX_DEPTH];
	int n, i;
	size_t pos = 0;
	uint32_t len;
	const char *name;

	n = fdt_ancestry(f, node, stack);
	if (n < 0)
		return n;
	if (bufsz < 2)
		return FDT_ENOSPACE;
	buf[pos++] = '/';
	for (i = 1; i < n; i++) {
		name = fdt_node_name(f, stack[i], &len);
		if (!name)
			return FDT_EBADSTRUCT;
		/* room for the name, a separator if needed, and the final NUL */
		if ((size_t)len + (i > 1) + 1 > bufsz - pos)
			return FDT_ENOSPACE;
		if (i > 1)
			buf[pos++] = '/';
		memcpy(buf + pos, name, len);
		pos += len;
	}
	buf[pos] = '\0';
	return (int)pos;
}

/*
 * fdt_name_matches - true iff the node name @nm equals the @len-byte path
 * component @comp, or @comp has no unit address and matches @nm's part
 * before '@' (so "memory" finds "memory@80000000", as in DT path syntax).
 */
static bool fdt_name_matches(const char *nm, const char *comp, size_t len)
{
	size_t n = strlen(nm), i;

	if (n < len || memcmp(nm, comp, len) != 0)
		return false;
	if (n == len)
		return true;
	if (nm[len] != '@')
		return false;
	for (i = 0; i < len; i++)
		if (comp[i] == '@')
			return false;
	return true;
}

/*
 * fdt_subnode - handle of the child of @parent named by the @len-byte
 * component @name (see fdt_name_matches), or FDT_ENOTFOUND.
 */
int fdt_subnode(const struct fdt *f, int parent, const char *name, size_t len)
{
	int child;
	const char *nm;

	for (child = fdt_first_child(f, parent); child >= 0; child = fdt_next_sibling(f, child)) {
		nm = fdt_node_name(f, child, NULL);
		if (nm && fdt_name_matches(nm, name, len))
			return child;
	}
	return child;
}

/*
 * fdt_find_prop_n - like fdt_find_prop with a @nlen-byte name (not necessarily
 * NUL-terminated), so alias names can be looked up straight out of a path.
 */
static const void *fdt_find_prop_n(const struct fdt *f, int node, const char *name, size_t nlen,
				   uint32_t *lenp)
{
	const char *pname;
	const void *val;
	uint32_t len;
	int prop;

	for (prop = fdt_first_prop(f, node); prop >= 0; prop = fdt_next_prop(f, prop)) {
		if (fdt_prop_info(f, prop, &pname, &val, &len) < 0)
			return NULL;
		if (strlen(pname) == nlen && memcmp(pname, name, nlen) == 0) {
			if (lenp)
				*lenp = len;
			return val;
		}
	}
	return NULL;
}

/*
 * fdt_find_path - resolve the first @len bytes of @path (stopping early at
 * a NUL) to a node handle.  An absolute path starts with '/'; otherwise the
 * first component is an alias looked up in /aliases, whose value must be an
 * absolute path (so alias resolution cannot recurse), and the rest of @path
 * is resolved below it.  Returns a handle or a negative FDT_E*.
 */
int fdt_find_path(const struct fdt *f, const char *path, size_t len)
{
	const char *p, *q, *end, *target;
	int node, aliases;
	uint32_t tlen;

	if (!path)
		return FDT_EINVAL;
	len = strnlen(path, len);
	if (len == 0)
		return FDT_ENOTFOUND;
	p = path;
	end = path + len;
	if (*p != '/') {
		for (q = p; q < end && *q != '/'; q++)
			;
		aliases = fdt_find_path(f, "/aliases", 8);
		if (aliases < 0)
			return aliases;
		target = fdt_find_prop_n(f, aliases, p, (size_t)(q - p), &tlen);
		if (!target || tlen == 0 || strnlen(target, tlen) == tlen || target[0] != '/')
			return FDT_ENOTFOUND;
		node = fdt_find_path(f, target, tlen);
		p = q;
	} else {
		node = fdt_root(f);
	}
	while (node >= 0 && p < end) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		for (q = p; q < end && *q != '/'; q++)
			;
		node = fdt_subnode(f, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

/*
 * fdt_phandle - @node's phandle ("phandle", or the legacy "linux,phandle"),
 * or 0 if it has none or it is malformed.
 */
uint32_t fdt_phandle(const struct fdt *f, int node)
{
	uint32_t ph;

	if (fdt_prop_u32(f, node, "phandle", &ph) == 0)
		return ph;
	if (fdt_prop_u32(f, node, "linux,phandle", &ph) == 0)
		return ph;
	return 0;
}

/*
 * fdt_node_by_phandle - the first node whose phandle is @phandle, or
 * FDT_ENOTFOUND.  0 and 0xffffffff are never valid phandles (the latter is
 * how firmware masks out interrupt entries), so they always miss.
 */
int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle)
{
	int node;

	if (phandle == 0 || phandle == 0xffffffffu)
		return FDT_ENOTFOUND;
	for (node = fdt_root(f); node >= 0; node = fdt_node_next(f, node, NULL))
		if (fdt_phandle(f, node) == phandle)
			return node;
	return node;
}

/*
 * fdt_props_from - the first FDT_PROP at or after @off, skipping NOPs, or
 * FDT_ENOTFOUND when the node's property list ends (subnode or END_NODE).
 */
static int fdt_props_from(const struct fdt *f, int off)
{
	int next, tag;

	for (;; off = next) {
		tag = fdt_tag(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == (int)FDT_PROP)
			return off;
		if (tag != (int)FDT_NOP)
			return FDT_ENOTFOUND;
	}
}

/* fdt_first_prop - handle of @node's first property, or FDT_ENOTFOUND. */
int fdt_first_prop(const struct fdt *f, int node)
{
	int off = fdt_skip_begin(f, node);

	return off < 0 ? off : fdt_props_from(f, off);
}

/* fdt_next_prop - handle of the property after @prop in its node, or FDT_ENOTFOUND. */
int fdt_next_prop(const struct fdt *f, int prop)
{
	int next, tag = fdt_tag(f, prop, &next);

	if (tag < 0)
		return tag;
	if (tag != (int)FDT_PROP)
		return FDT_EINVAL;
	return fdt_props_from(f, next);
}

/*
 * fdt_prop_info - decode property @prop: its name (NUL-terminated, in the
 * strings block), value pointer and value length; any out pointer may be
 * NULL.  Returns 0 or a negative FDT_E*.
 */
int fdt_prop_info(const struct fdt *f, int prop, const char **name, const void **val, uint32_t *len)
{
	int next, tag = fdt_tag(f, prop, &next);
	const uint8_t *p;

	if (tag < 0)
		return tag;
	if (tag != (int)FDT_PROP)
		return FDT_EINVAL;
	/* fdt_tag checked the value length and the name offset. */
	p = f->dt_struct + prop;
	if (name)
		*name = (const char *)f->dt_strings + fdt_be32(p + 8);
	if (val)
		*val = p + 12;
	if (len)
		*len = fdt_be32(p + 4);
	return 0;
}

/*
 * fdt_find_prop - value of @node's property @name, its length in *@len (if
 * @len is non-NULL); NULL if absent.  The value lies wholly inside the blob.
 */
const void *fdt_find_prop(const struct fdt *f, int node, const char *name, uint32_t *len)
{
	return fdt_find_prop_n(f, node, name, strlen(name), len);
}

/*
 * fdt_prop_str - @node's property @name as a C string, or NULL if absent
 * or not NUL-terminated within its length (so callers may strcmp it).
 */
const char *fdt_prop_str(const struct fdt *f, int node, const char *name)
{
	uint32_t len;
	const char *s = fdt_find_prop(f, node, name, &len);

	if (!s || len == 0 || strnlen(s, len) == len)
		return NULL;
	return s;
}

/*
 * fdt_prop_u32 - read a one-cell property into *@out.  Returns 0,
 * FDT_ENOTFOUND if absent, FDT_EBADVALUE if it is not exactly 4 bytes.
 */
int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *v = fdt_find_prop(f, node, name, &len);

	if (!v)
		return FDT_ENOTFOUND;
	if (len != 4)
		return FDT_EBADVALUE;
	*out = fdt_be32(v);
	return 0;
}

/*
 * fdt_prop_uint - read a property that may be one or two cells (e.g.
 * linux,initrd-start) into *@out.  Returns 0, FDT_ENOTFOUND, or FDT_EBADVALUE
 * if it is neither 4 nor 8 bytes.
 */
int fdt_prop_uint(const struct fdt *f, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *v = fdt_find_prop(f, node, name, &len);

	if (!v)
		return FDT_ENOTFOUND;
	if (len != 4 && len != 8)
		return FDT_EBADVALUE;
	*out = fdt_read_cells(v, (int)(len / 4));
	return 0;
}

/*
 * fdt_stringlist_has - true iff the @len-byte string list @list (strings
 * separated by NULs, as in "compatible") contains exactly @str.  A final
 * fragment without its NUL is malformed and never matches; nothing past
 * @len is read.
 */
bool fdt_stringlist_has(const void *list, uint32_t len, const char *str)
{
	const char *p = list;
	size_t want = strlen(str), n;

	if (!p)
		return false;
	while (len > 0) {
		n = strnlen(p, len);
		if (n == len)
			break;
		if (n == want && memcmp(p, str, n) == 0)
			return true;
		p += n + 1;
		len -= (uint32_t)n + 1;
	}
	return false;
}

/* fdt_node_compatible - true iff @compat is one of @node's "compatible" strings. */
bool fdt_node_compatible(const struct fdt *f, int node, const char *compat)
{
	uint32_t len;
	const void *v = fdt_find_prop(f, node, "compatible", &len);

	return v && fdt_stringlist_has(v, len, compat);
}

/*
 * fdt_find_compatible - the first node after @after (document order; pass
 * -1 to start at the root) compatible with @compat, or FDT_ENOTFOUND.
 */
int fdt_find_compatible(const struct fdt *f, int after, const char *compat)
{
	int node = after < 0 ? fdt_root(f) : fdt_node_next(f, after, NULL);

	for (; node >= 0; node = fdt_node_next(f, node, NULL))
		if (fdt_node_compatible(f, node, compat))
			return node;
	return node;
}

/*
 * fdt_node_enabled - true iff @node's "status" is absent, "okay" or the
 * legacy "ok".  Anything else ("disabled", "fail", garbage, unterminated)
 * means off.
 */
bool fdt_node_enabled(const struct fdt *f, int node)
{
	const char *s;

	if (!fdt_find_prop(f, node, "status", NULL))
		return true;
	s = fdt_prop_str(f, node, "status");
	return s && (strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0);
}

/*
 * fdt_cells - read the cell-count property @name of @node, @dflt if absent.
 * Returns the count (0..16) or FDT_EBADVALUE: a count above 16 is nonsense
 * and would only invite arithmetic overflow.
 */
static int fdt_cells(const struct fdt *f, int node, const char *name, int dflt)
{
	uint32_t v;
	int rc = fdt_prop_u32(f, node, name, &v);

	if (rc == FDT_ENOTFOUND)
		return dflt;
	if (rc < 0)
		return rc;
	return v <= 16 ? (int)v : FDT_EBADVALUE;
}

/* fdt_node_addr_cells - @node's #address-cells (for its children), default 2. */
int fdt_node_addr_cells(const struct fdt *f, int node)
{
	return fdt_cells(f, node, "#address-cells", 2);
}

/* fdt_node_size_cells - @node's #size-cells (for its children), default 1. */
int fdt_node_size_cells(const struct fdt *f, int node)
{
	return fdt_cells(f, node, "#size-cells", 1);
}

/*
 * fdt_reg - decode entry @idx of @node's "reg" using its parent's
 * #address-cells / #size-cells.  Returns 0, FDT_ENOTFOUND if there is no
 * "reg" or no such entry, or FDT_EBADVALUE if the cell counts are beyond
 * what fits in 64 bits (address 1-2 cells, size 0-2) or "reg" is not a whole
 * number of entries.  No "ranges" translation is done.
 */
int fdt_reg(const struct fdt *f, int node, int idx, uint64_t *base, uint64_t *size)
{
	int parent, ac, sc;
	uint32_t len, ent;
	const uint8_t *v;

	parent = fdt_parent(f, node);
	if (parent < 0)
		return parent;
	ac = fdt_node_addr_cells(f, parent);
	sc = fdt_node_size_cells(f, parent);
	if (ac < 0)
		return ac;
	if (sc < 0)
		return sc;
	if (ac < 1 || ac > 2 || sc > 2)
		return FDT_EBADVALUE;
	v = fdt_find_prop(f, node, "reg", &len);
	if (!v)
		return FDT_ENOTFOUND;
	ent = (uint32_t)(ac + sc) * 4;
	if (len % ent)
		return FDT_EBADVALUE;
	if (idx < 0 || (uint32_t)idx >= len / ent)
		return FDT_ENOTFOUND;
	v += (uint32_t)idx * ent;
	*base = fdt_read_cells(v, ac);
	*size = fdt_read_cells(v + ac * 4, sc);
	return 0;
}
