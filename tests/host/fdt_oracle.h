/*
 * fdt_oracle.h - libfdt, wrapped behind neutral names so the test can hold
 * our fdt.h and libfdt side by side (they share macro names) and so the
 * comparison code never depends on libfdt types.
 */
#ifndef HOLSTEIN_FDT_ORACLE_H
#define HOLSTEIN_FDT_ORACLE_H

#include <stddef.h>
#include <stdint.h>

enum oracle_kind { ORACLE_NODE, ORACLE_PROP };

/* One node or property, in document order; pointers point into the blob. */
struct oracle_rec {
	enum oracle_kind kind;
	int offset; /* structure-block offset (same convention as ours) */
	int depth;  /* nodes: root is 0 */
	const char *name;
	const void *val; /* properties only */
	int len;	 /* properties only */
};

int oracle_check(const void *blob, size_t len);
int oracle_walk(const void *blob, struct oracle_rec *recs, int max);
int oracle_path_offset(const void *blob, const char *path);
int oracle_parent(const void *blob, int node);
int oracle_first_child(const void *blob, int node);
int oracle_next_sibling(const void *blob, int node);
int oracle_by_phandle(const void *blob, uint32_t phandle);
uint32_t oracle_phandle(const void *blob, int node);
int oracle_num_rsv(const void *blob);
int oracle_rsv(const void *blob, int idx, uint64_t *addr, uint64_t *size);
int oracle_address_cells(const void *blob, int node);
int oracle_size_cells(const void *blob, int node);

#endif
