/*
 * fdt_internal.h - what fdt.c, fdt_node.c and fdt_prop.c share and no one
 * else needs: the structure block's tokens and the checked token decoder.
 * Callers outside the reader use fdt.h.
 */
#ifndef HOLSTEIN_FDT_INTERNAL_H
#define HOLSTEIN_FDT_INTERNAL_H

#include "fdt.h"

/* Structure block tokens. */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u

/* fdt_tag - the token at structure offset @off, the next one's offset in *@next; or FDT_E*. */
int fdt_tag(const struct fdt *f, int off, int *next);
/* fdt_skip_begin - the offset past @node's BEGIN_NODE and name, or FDT_EINVAL if not a node. */
int fdt_skip_begin(const struct fdt *f, int node);
/* fdt_find_prop_n - fdt_find_prop with a @nlen-byte name, not necessarily NUL-terminated. */
const void *fdt_find_prop_n(const struct fdt *f, int node, const char *name, size_t nlen,
			    uint32_t *lenp);

#endif
