/*
 * fdt.h - a small, bounds-checked reader for flattened device tree blobs
 * (the DTB format of the Devicetree Specification, versions 16 and 17).
 *
 * Every accessor checks every offset, length and string against the blob
 * before touching it, so a truncated or hostile blob yields an error rather
 * than an out-of-bounds read or an endless loop.  Multi-byte fields are read
 * byte by byte, so the blob may sit at any address.
 *
 * Handles:
 *   - a node is the offset of its FDT_BEGIN_NODE token inside the structure
 *     block (an int >= 0);
 *   - a property is the offset of its FDT_PROP token (an int >= 0);
 *   - a negative int is one of the FDT_E* errors below.
 */
#ifndef HOLSTEIN_FDT_H
#define HOLSTEIN_FDT_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_DEPTH 32 /* deepest node nesting accepted (root is depth 0) */

/* Errors: all negative so they never collide with a handle. */
#define FDT_ENOTFOUND (-1)   /* no such node / property / entry */
#define FDT_EBADMAGIC (-2)   /* not a DTB */
#define FDT_EBADVERSION (-3) /* version < 16 or incompatible with 17 */
#define FDT_EBADLAYOUT (-4)  /* header offsets/sizes/alignment out of range */
#define FDT_EBADSTRUCT (-5)  /* malformed structure block (token, nesting) */
#define FDT_EBADSTRING (-6)  /* name not NUL-terminated within its block */
#define FDT_EDEPTH (-7)	     /* nesting deeper than FDT_MAX_DEPTH */
#define FDT_EBADVALUE (-8)   /* property present but of an unusable size */
#define FDT_ENOSPACE (-9)    /* caller's buffer too small */
#define FDT_EINVAL (-10)     /* bad argument (e.g. a handle that is not a node) */

/* A validated view of one blob; filled by fdt_init(), then read-only. */
struct fdt {
	const uint8_t *blob;
	uint32_t totalsize; /* header totalsize, <= the readable length */
	uint32_t version;
	uint32_t boot_cpuid;
	uint32_t off_rsvmap;
	uint32_t nrsv; /* memory reservation entries before the terminator */
	const uint8_t *dt_struct;
	uint32_t size_struct;
	const uint8_t *dt_strings;
	uint32_t size_strings;
};

/* Big-endian loads from any alignment. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);
/* Read a number of @ncells (0..2) big-endian cells; 0 for ncells 0. */
uint64_t fdt_read_cells(const void *p, int ncells);

/* Set-up: validates header, reservation map and the whole structure block. */
int fdt_init(struct fdt *f, const void *blob, size_t maxlen);

/* Memory reservation map (/memreserve/): entry @idx, FDT_ENOTFOUND past the end. */
int fdt_rsv_entry(const struct fdt *f, uint32_t idx, uint64_t *addr, uint64_t *size);

/* Tree navigation. */
int fdt_root(const struct fdt *f);
int fdt_node_next(const struct fdt *f, int node, int *depth);
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
int fdt_parent(const struct fdt *f, int node);
const char *fdt_node_name(const struct fdt *f, int node, uint32_t *len);
int fdt_node_path(const struct fdt *f, int node, char *buf, size_t bufsz);
int fdt_find_path(const struct fdt *f, const char *path, size_t len);
int fdt_subnode(const struct fdt *f, int parent, const char *name, size_t len);
int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle);
uint32_t fdt_phandle(const struct fdt *f, int node);

/* Properties. */
int fdt_first_prop(const struct fdt *f, int node);
int fdt_next_prop(const struct fdt *f, int prop);
int fdt_prop_info(const struct fdt *f, int prop, const char **name, const void **val,
		  uint32_t *len);
const void *fdt_find_prop(const struct fdt *f, int node, const char *name, uint32_t *len);
const char *fdt_prop_str(const struct fdt *f, int node, const char *name);
int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out);
int fdt_prop_uint(const struct fdt *f, int node, const char *name, uint64_t *out);
bool fdt_stringlist_has(const void *list, uint32_t len, const char *str);
bool fdt_node_compatible(const struct fdt *f, int node, const char *compat);
int fdt_find_compatible(const struct fdt *f, int after, const char *compat);
bool fdt_node_enabled(const struct fdt *f, int node);

/* Addressing. */
int fdt_node_addr_cells(const struct fdt *f, int node);
int fdt_node_size_cells(const struct fdt *f, int node);
int fdt_reg(const struct fdt *f, int node, int idx, uint64_t *base, uint64_t *size);

#endif
