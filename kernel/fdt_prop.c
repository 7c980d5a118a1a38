/*
 * fdt_prop.c - properties of a validated device tree: iteration, lookup by
 * name, typed reads (string, u32, one- or two-cell numbers), compatible
 * and status, and addressing (#address-cells, #size-cells, reg).
 *
 * Values are checked against the sizes the caller needs before they are
 * read, so a property of the wrong size is FDT_EBADVALUE, never a read
 * past its end.
 */
#include "fdt.h"
#include "fdt_internal.h"
#include "string.h"

/*
 * fdt_find_prop_n - like fdt_find_prop with a @nlen-byte name (not necessarily
 * NUL-terminated), so alias names can be looked up straight out of a path.
 */
const void *fdt_find_prop_n(const struct fdt *f, int node, const char *name, size_t nlen,
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
