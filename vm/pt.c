/*
 * pt.c - walking and building Sv39 tables.  See pt.h for the contracts.
 */
#include "pt.h"
#include "phys.h"
#include "../kernel/errno.h"

static pte_t *table(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

phys_addr_t pt_alloc_root(void)
{
	return pmm_alloc_zeroed();
}

/*
 * descend - the one table walk: the entry for @va at @level, allocating
 * missing (zeroed) tables above it with @alloc.  NULL when a table is
 * missing (no @alloc), out of memory, or a larger leaf covers @va (then
 * *@blocked is set, if given).
 */
static pte_t *descend(phys_addr_t root, uint64_t va, int level, int alloc, int *blocked)
{
	pte_t *t = table(root);

	for (int l = 2; l > level; l--) {
		pte_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_V)) {
			phys_addr_t next = alloc ? pmm_alloc_zeroed() : 0;
			if (!next)
				return 0;
			*e = pa_to_pte(next) | PTE_V;
		} else if (pte_is_leaf(*e)) {
			if (blocked)
				*blocked = 1;
			return 0;
		}
		t = table(pte_to_pa(*e));
	}
	return &t[pt_index(va, level)];
}

pte_t *pt_entry(phys_addr_t root, uint64_t va, int level, int alloc)
{
	return descend(root, va, level, alloc, 0);
}

pte_t *pt_walk(phys_addr_t root, uint64_t va, int alloc)
{
	return descend(root, va, 0, alloc, 0);
}

int pt_map(phys_addr_t root, uint64_t va, phys_addr_t pa, uint64_t flags)
{
	pte_t *e = pt_walk(root, va, 1);

	if (!e)
		return -ENOMEM;
	*e = pa_to_pte(pa) | flags | PTE_V;
	return 0;
}

int pt_map_leaf(phys_addr_t root, uint64_t va, phys_addr_t pa, int level, uint64_t flags)
{
	int blocked = 0;
	pte_t *e = descend(root, va, level, 1, &blocked);

	if (!e)
		return blocked ? -EEXIST : -ENOMEM;
	*e = pa_to_pte(pa) | flags | PTE_V;
	return 0;
}

static void free_level(phys_addr_t tpa, int level)
{
	pte_t *t = table(tpa);

	if (level > 0)
		for (int i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_V) && !pte_is_leaf(t[i]))
				free_level(pte_to_pa(t[i]), level - 1);
	pmm_put(tpa);
}

void pt_free_tables(phys_addr_t root, int first, int last)
{
	pte_t *t = table(root);

	for (int i = first; i <= last; i++) {
		if ((t[i] & PTE_V) && !pte_is_leaf(t[i]))
			free_level(pte_to_pa(t[i]), 1);
		t[i] = 0;
	}
}
