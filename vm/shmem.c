/*
 * shmem.c - shared anonymous memory objects (see shmem.h).
 *
 * Lock order: a fault holds the faulting mm's lock, then takes the
 * object's lock to find or make the frame.  The object's lock is never
 * held while taking an mm's.
 */
#include "shmem.h"
#include "pagemap.h"
#include "kmalloc.h"
#include "../kernel/spinlock.h"

struct shmem {
	struct spinlock lock;		/* the page map */
	int refs;			/* VMAs that map the object (atomic) */
	unsigned long pages;		/* its size, fixed at creation */
	struct pagemap map;
	void (*on_idle)(struct shmem *s);	/* shmem_on_idle: put left one reference */
};

struct shmem *shmem_create(unsigned long pages)
{
	struct shmem *s = kzalloc(sizeof(*s));

	if (!s)
		return 0;
	s->lock = (struct spinlock)SPINLOCK_INIT("shmem");
	s->refs = 1;
	s->pages = pages;
	return s;
}

void shmem_get(struct shmem *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

void shmem_put(struct shmem *s)
{
	/*
	 * The hook is read while our reference still holds s: once we drop
	 * it, the owner may free s at once (so the hook only compares s).
	 */
	void (*on_idle)(struct shmem *s) = s->on_idle;
	int left = __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL);

	if (left == 1 && on_idle)
		on_idle(s);
	if (left != 0)
		return;
	pagemap_clear(&s->map);
	kfree(s);
}

unsigned long shmem_users(struct shmem *s)
{
	return (unsigned long)__atomic_load_n(&s->refs, __ATOMIC_ACQUIRE);
}

void shmem_on_idle(struct shmem *s, void (*fn)(struct shmem *s))
{
	s->on_idle = fn;
}

phys_addr_t shmem_frame(struct shmem *s, unsigned long index, int *sigbus)
{
	phys_addr_t f;

	*sigbus = index >= s->pages;
	if (*sigbus)
		return 0;
	spin_lock(&s->lock);
	f = pagemap_lookup(&s->map, index);
	if (!f && (f = pmm_alloc_zeroed())) {
		if (pagemap_store(&s->map, index, f)) {
			pmm_put(f);
			f = 0;
		}
	}
	if (f)
		pmm_get(f);		/* the caller's reference; the map keeps its own */
	spin_unlock(&s->lock);
	return f;
}
