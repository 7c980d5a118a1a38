/*
 * pagemap.c - the radix tree of frames (see pagemap.h).
 *
 * Level L of the tree (counting the leaves' parents as 0) picks its slot
 * with bits [9L, 9L+9) of the index.  Growing adds a new top node whose
 * slot 0 is the old top, so existing indexes keep their paths.
 */
#include "pagemap.h"
#include "phys.h"
#include "../kernel/errno.h"

#define SLOTS		512
#define SLOT_BITS	9

static inline phys_addr_t *node(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

static inline unsigned slot(unsigned long index, int level)
{
	return (unsigned)(index >> (SLOT_BITS * level)) & (SLOTS - 1);
}

/* covers - can a tree of @height levels hold @index? */
static inline int covers(int height, unsigned long index)
{
	return height >= 7 || (index >> (SLOT_BITS * height)) == 0;
}

phys_addr_t pagemap_lookup(const struct pagemap *m, unsigned long index)
{
	phys_addr_t n = m->root;

	if (!n || !covers(m->height, index))
		return 0;
	for (int level = m->height - 1; level > 0 && n; level--)
		n = node(n)[slot(index, level)];
	return n ? node(n)[slot(index, 0)] : 0;
}

/* grow - add top nodes until the tree covers @index. 0 or -ENOMEM. */
static int grow(struct pagemap *m, unsigned long index)
{
	while (!m->root || !covers(m->height, index)) {
		phys_addr_t top = pmm_alloc_zeroed();
		if (!top)
			return -ENOMEM;
		node(top)[0] = m->root;		/* 0 while the map was empty */
		m->root = top;
		m->height++;
	}
	return 0;
}

int pagemap_store(struct pagemap *m, unsigned long index, phys_addr_t frame)
{
	phys_addr_t *slots;

	if (grow(m, index))
		return -ENOMEM;
	slots = node(m->root);
	for (int level = m->height - 1; level > 0; level--) {
		phys_addr_t *s = &slots[slot(index, level)];
		if (!*s && !(*s = pmm_alloc_zeroed()))
			return -ENOMEM;		/* the empty nodes made so far stay: harmless */
		slots = node(*s);
	}
	slots[slot(index, 0)] = frame;
	return 0;
}

phys_addr_t pagemap_take(struct pagemap *m, unsigned long index)
{
	phys_addr_t n = m->root, f;

	if (!n || !covers(m->height, index))
		return 0;
	for (int level = m->height - 1; level > 0 && n; level--)
		n = node(n)[slot(index, level)];
	if (!n)
		return 0;
	f = node(n)[slot(index, 0)];
	node(n)[slot(index, 0)] = 0;
	return f;
}

/*
 * next_in - the first index >= @index held under node @n at @level (which
 * covers indexes from @base): 1 with *@found, else 0.
 */
static int next_in(phys_addr_t n, int level, unsigned long base, unsigned long index,
		   unsigned long *found)
{
	unsigned long span = 1UL << (SLOT_BITS * level);	/* indexes per slot */
	unsigned first = index > base ? (unsigned)((index - base) / span) : 0;

	for (unsigned i = first; i < SLOTS; i++) {
		phys_addr_t c = node(n)[i];
		unsigned long b = base + i * span;

		if (!c)
			continue;
		if (level == 0) {
			*found = b;
			return 1;
		}
		if (next_in(c, level - 1, b, index, found))
			return 1;
	}
	return 0;
}

int pagemap_next(const struct pagemap *m, unsigned long index, unsigned long *found)
{
	if (!m->root || !covers(m->height, index))
		return 0;
	return next_in(m->root, m->height - 1, 0, index, found);
}

/* clear_node - drop what node @n at @level holds, then the node itself. */
static void clear_node(phys_addr_t n, int level)
{
	phys_addr_t *s = node(n);

	for (int i = 0; i < SLOTS; i++) {
		if (!s[i])
			continue;
		if (level > 0)
			clear_node(s[i], level - 1);
		else
			pmm_put(s[i]);
	}
	pmm_put(n);
}

void pagemap_clear(struct pagemap *m)
{
	if (m->root)
		clear_node(m->root, m->height - 1);
	m->root = 0;
	m->height = 0;
}
