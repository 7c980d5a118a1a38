/*
 * swap_area.c - swap areas: which pages of which device are slots, which
 * slots are free, and the order areas are used in (contracts: swap.h,
 * swap_int.h).
 *
 * An area's slots live in pages of 512 (struct swap_slot, 8 bytes each),
 * reached through directory pages of 512 chunk addresses: one directory
 * covers 1 GiB of swap, and an area holds up to SWAP_AREA_DIRS of them.
 * All of it is allocated at swapon, so nothing on the reclaim path ever
 * allocates memory to find a slot.
 */
#include "swap_int.h"
#include "kmalloc.h"
#include "../kernel/kernel.h"
#include "phys.h"
#include "../kernel/errno.h"
#include "../arch/riscv/page.h"

#define SLOTS_PER_CHUNK	(PAGE_SIZE / sizeof(struct swap_slot))	/* 512 */
#define CHUNKS_PER_DIR	(PAGE_SIZE / sizeof(phys_addr_t))	/* 512 */
#define SLOTS_PER_DIR	(SLOTS_PER_CHUNK * CHUNKS_PER_DIR)	/* 1 GiB of swap */
#define SWAP_AREA_DIRS	128					/* 128 GiB per area */

struct swap_area {
	const struct swap_io *io;
	void *dev;
	int prio;
	int draining;			/* swapoff under way: no new slots */
	unsigned long npages;		/* offsets 1 .. npages-1 may be slots */
	unsigned long usable, used;	/* good slots; of them, slots in use (count above 0) */
	unsigned long next;		/* where the next search for a free slot starts */
	phys_addr_t dirs[SWAP_AREA_DIRS];
};

struct spinlock swap_lock = SPINLOCK_INIT("swap");
static struct swap_area *areas[SWAP_MAX_AREAS];
static unsigned long rr;		/* turns among areas of equal priority */
static int nactive;

static struct swap_slot *slot_at(struct swap_area *a, unsigned long off)
{
	phys_addr_t *dir = phys_to_virt(a->dirs[off / SLOTS_PER_DIR]);
	struct swap_slot *chunk = phys_to_virt(dir[(off / SLOTS_PER_CHUNK) % CHUNKS_PER_DIR]);

	return &chunk[off % SLOTS_PER_CHUNK];
}

struct swap_slot *swap_slot_locked(swp_t s)
{
	unsigned i = swp_area(s);
	struct swap_area *a = i < SWAP_MAX_AREAS ? areas[i] : 0;

	if (!a || swp_off(s) == 0 || swp_off(s) >= a->npages)
		return 0;
	return slot_at(a, swp_off(s));
}

const struct swap_io *swap_io_locked(swp_t s, void **dev)
{
	struct swap_area *a = areas[swp_area(s)];

	*dev = a->dev;
	return a->io;
}

/* pick_area - the area the next slot comes from: highest priority, equal ones in turn. */
static int pick_area(void)
{
	int best = -1, nbest = 0;

	for (int i = 0; i < SWAP_MAX_AREAS; i++) {
		struct swap_area *a = areas[i];
		if (!a || a->draining || a->used == a->usable)
			continue;
		if (best < 0 || a->prio > areas[best]->prio) {
			best = i;
			nbest = 1;
		} else if (a->prio == areas[best]->prio) {
			nbest++;
		}
	}
	if (nbest > 1) {
		int k = (int)(rr++ % (unsigned long)nbest), prio = areas[best]->prio;
		for (int i = 0; i < SWAP_MAX_AREAS; i++) {
			struct swap_area *a = areas[i];
			if (a && !a->draining && a->used < a->usable && a->prio == prio && k-- == 0)
				return i;
		}
	}
	return best;
}

swp_t swap_alloc_locked(unsigned count)
{
	int i = pick_area();

	if (i < 0)
		return 0;
	struct swap_area *a = areas[i];
	/* used < usable: a free slot exists; look from where the last one was found. */
	for (unsigned long n = 0, off = a->next; n < a->npages; n++, off++) {
		if (off >= a->npages)
			off = 1;
		struct swap_slot *sl = slot_at(a, off);
		if (sl->word == 0 && sl->frame == 0) {
			sl->word = count;
			a->used++;
			a->next = off + 1;
			return swp_make((unsigned)i, off);
		}
	}
	panic("swap: area %d counts %lu of %lu slots used but has none free", i, a->used,
	      a->usable);
}

void swap_release_locked(swp_t s, struct swap_slot *sl)
{
	struct swap_area *a = areas[swp_area(s)];

	a->used--;
	if (sl->word & SLOT_BAD)
		a->usable--;	/* went bad in use (an I/O error): out for good */
	else
		sl->word = 0;
}

/* free_maps - give back the slot pages of @a. */
static void free_maps(struct swap_area *a)
{
	for (int d = 0; d < SWAP_AREA_DIRS && a->dirs[d]; d++) {
		phys_addr_t *dir = phys_to_virt(a->dirs[d]);
		for (unsigned c = 0; c < CHUNKS_PER_DIR; c++)
			if (dir[c])
				pmm_put(dir[c]);
		pmm_put(a->dirs[d]);
	}
}

/* alloc_maps - zeroed slot pages for offsets 0 .. a->npages-1.  0 or -ENOMEM. */
static int alloc_maps(struct swap_area *a)
{
	unsigned long chunks = (a->npages + SLOTS_PER_CHUNK - 1) / SLOTS_PER_CHUNK;

	for (unsigned long c = 0; c < chunks; c++) {
		phys_addr_t *dir;
		if (c % CHUNKS_PER_DIR == 0 && !(a->dirs[c / CHUNKS_PER_DIR] = pmm_alloc_zeroed()))
			return -ENOMEM;
		dir = phys_to_virt(a->dirs[c / CHUNKS_PER_DIR]);
		if (!(dir[c % CHUNKS_PER_DIR] = pmm_alloc_zeroed()))
			return -ENOMEM;
	}
	return 0;
}

int swap_area_add(const struct swap_io *io, void *dev, unsigned long npages, const uint32_t *bad,
		  unsigned nbad, int prio)
{
	struct swap_area *a;
	int i, r;

	if (npages > SWAP_AREA_DIRS * SLOTS_PER_DIR)
		npages = SWAP_AREA_DIRS * SLOTS_PER_DIR;
	if (npages < 2)
		return -EINVAL;
	if (!(a = kzalloc(sizeof(*a))))
		return -ENOMEM;
	a->io = io;
	a->dev = dev;
	a->prio = prio;
	a->npages = npages;
	a->next = 1;
	if ((r = alloc_maps(a))) {
		free_maps(a);
		kfree(a);
		return r;
	}
	a->usable = npages - 1;
	for (unsigned k = 0; k < nbad; k++) {
		if (bad[k] == 0 || bad[k] >= npages || (slot_at(a, bad[k])->word & SLOT_BAD))
			continue;
		slot_at(a, bad[k])->word = SLOT_BAD;
		a->usable--;
	}
	r = -EINVAL;
	if (a->usable == 0)
		goto fail;
	spin_lock(&swap_lock);
	for (i = 0; i < SWAP_MAX_AREAS && areas[i]; i++)
		;
	if (i < SWAP_MAX_AREAS) {
		areas[i] = a;
		__atomic_store_n(&nactive, nactive + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&swap_lock);
	if (i < SWAP_MAX_AREAS)
		return i;
	r = -EPERM;
fail:
	free_maps(a);
	kfree(a);
	return r;
}

/* set_draining - swapoff starts (1) or gives up (0) on @area.  0, or -ENOENT. */
static int set_draining(int area, int on)
{
	int r = -ENOENT;

	spin_lock(&swap_lock);
	if (area >= 0 && area < SWAP_MAX_AREAS && areas[area] && areas[area]->draining != on) {
		areas[area]->draining = on;
		r = 0;
	}
	spin_unlock(&swap_lock);
	return r;
}

int swap_area_remove(int area)
{
	struct swap_area *a;
	int r = set_draining(area, 1);

	if (r)
		return r;
	r = swap_unuse((unsigned)area);
	if (r) {
		set_draining(area, 0);
		return r;
	}
	spin_lock(&swap_lock);
	a = areas[area];
	areas[area] = 0;
	__atomic_store_n(&nactive, nactive - 1, __ATOMIC_RELEASE);
	spin_unlock(&swap_lock);
	free_maps(a);
	kfree(a);
	return 0;
}

unsigned long swap_area_in_use(unsigned area)
{
	return areas[area]->used;
}

int swap_area_info(int area, struct swap_area_info *out)
{
	int r = -ENOENT;

	spin_lock(&swap_lock);
	if (area >= 0 && area < SWAP_MAX_AREAS && areas[area]) {
		struct swap_area *a = areas[area];
		out->dev = a->dev;
		out->prio = a->prio;
		out->size = a->usable;
		out->used = swap_area_in_use((unsigned)area);
		r = 0;
	}
	spin_unlock(&swap_lock);
	return r;
}

unsigned long swap_cached_frames;

void swap_totals(struct swap_totals *t)
{
	t->total = t->free = 0;
	spin_lock(&swap_lock);
	for (int i = 0; i < SWAP_MAX_AREAS; i++)
		if (areas[i] && !areas[i]->draining) {
			t->total += areas[i]->usable;
			t->free += areas[i]->usable - swap_area_in_use((unsigned)i);
		}
	t->cached = swap_cached_frames;
	spin_unlock(&swap_lock);
}

unsigned long swap_slots_used(void)
{
	unsigned long n = 0;

	spin_lock(&swap_lock);
	for (int i = 0; i < SWAP_MAX_AREAS; i++)
		if (areas[i])
			n += swap_area_in_use((unsigned)i);
	spin_unlock(&swap_lock);
	return n;
}

int swap_active(void)
{
	return __atomic_load_n(&nactive, __ATOMIC_ACQUIRE) != 0;
}
