/*
 * fdt_node.c - walking a validated device tree: document order, children,
 * siblings, parents, node names and paths, path and alias lookup, phandles.
 *
 * A node handle is an offset into the structure block, which has no parent
 * links, so going up (fdt_parent, fdt_node_path) walks down again from the
 * root; trees are small and these are boot-time calls.
 */
#include "fdt.h"
#include "fdt_internal.h"
#include "string.h"

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
