/*
 * fdt_oracle.c - the libfdt side of the oracle test.  Built in its own
 * translation unit, without -Ikernel, because libfdt's headers and ours
 * define the same token macros.  Only used on blobs libfdt has checked.
 */
#include <libfdt.h>
#include "fdt_oracle.h"

/* oracle_check - 0 iff libfdt's full check accepts the @len-byte blob. */
int oracle_check(const void *blob, size_t len)
{
	return fdt_check_full(blob, len);
}

/*
 * oracle_walk - record every node (with depth) and, after each node, its
 * properties, into @recs (at most @max).  Returns the count, or -1 on any
 * libfdt error or overflow.
 */
int oracle_walk(const void *blob, struct oracle_rec *recs, int max)
{
	int n = 0, depth = 0, node, prop, len;
	const char *name;
	const void *val;

	for (node = fdt_path_offset(blob, "/"); node >= 0;
	     node = fdt_next_node(blob, node, &depth)) {
		if (depth < 0)
			break;
		name = fdt_get_name(blob, node, &len);
		if (!name || n >= max)
			return -1;
		recs[n++] = (struct oracle_rec){ORACLE_NODE, node, depth, name, NULL, 0};
		fdt_for_each_property_offset(prop, blob, node)
		{
			val = fdt_getprop_by_offset(blob, prop, &name, &len);
			if (!val || n >= max)
				return -1;
			recs[n++] = (struct oracle_rec){ORACLE_PROP, prop, depth, name, val, len};
		}
	}
	return (node == -FDT_ERR_NOTFOUND || depth < 0) ? n : -1;
}

/* oracle_path_offset - libfdt's path (or alias) lookup. */
int oracle_path_offset(const void *blob, const char *path)
{
	return fdt_path_offset(blob, path);
}

/* oracle_parent - libfdt's parent of @node. */
int oracle_parent(const void *blob, int node)
{
	return fdt_parent_offset(blob, node);
}

/* oracle_first_child - libfdt's first subnode of @node. */
int oracle_first_child(const void *blob, int node)
{
	return fdt_first_subnode(blob, node);
}

/* oracle_next_sibling - libfdt's next subnode after @node. */
int oracle_next_sibling(const void *blob, int node)
{
	return fdt_next_subnode(blob, node);
}

/* oracle_by_phandle - libfdt's phandle lookup. */
int oracle_by_phandle(const void *blob, uint32_t phandle)
{
	return fdt_node_offset_by_phandle(blob, phandle);
}

/* oracle_phandle - libfdt's phandle of @node (0 if none). */
uint32_t oracle_phandle(const void *blob, int node)
{
	return fdt_get_phandle(blob, node);
}

/* oracle_num_rsv - number of /memreserve/ entries. */
int oracle_num_rsv(const void *blob)
{
	return fdt_num_mem_rsv(blob);
}

/* oracle_rsv - /memreserve/ entry @idx. */
int oracle_rsv(const void *blob, int idx, uint64_t *addr, uint64_t *size)
{
	return fdt_get_mem_rsv(blob, idx, addr, size);
}

/* oracle_address_cells - libfdt's #address-cells of @node (default 2). */
int oracle_address_cells(const void *blob, int node)
{
	return fdt_address_cells(blob, node);
}

/* oracle_size_cells - libfdt's #size-cells of @node (default 1). */
int oracle_size_cells(const void *blob, int node)
{
	return fdt_size_cells(blob, node);
}
