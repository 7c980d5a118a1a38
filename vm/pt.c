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

pte_t *pt_walk(phys_addr_t root, uint64_t va, int alloc)
{
	pte_t *t = table(root);

	for (int level = 2; level > 0; level--) {
		pte_t *e = &t[pt_index(va, level)];

		if (*e & PTE_V) {
			if (pte_is_leaf(*e))
				return 0;
			t = table(pte_to_pa(*e));
			continue;
		}
		if (!alloc)
			return 0;
		phys_addr_t next = pmm_alloc_zeroed();
		if (!next)
			return 0;
		*e = pa_to_pte(next) | PTE_V;
		t = table(next);
	}
	return &t[pt_index(va, 0)];
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
	pte_t *t = table(root);

	for (int l = 2; l > level; l--) {
		pte_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_V)) {
			phys_addr_t next = pmm_alloc_zeroed();
			if (!next)
				return -ENOMEM;
			*e = pa_to_pte(next) | PTE_V;
		} else if (pte_is_leaf(*e)) {
			return -EEXIST;
		}
		t = table(pte_to_pa(*e));
	}
	t[pt_index(va, level)] = pa_to_pte(pa) | flags | PTE_V;
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
