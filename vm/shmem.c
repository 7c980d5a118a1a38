/*
 * shmem.c - memory objects: the page cache of tmpfs files and shared
 * anonymous memory (see shmem.h).
 */
#include "shmem.h"
#include "mm.h"
#include "pagemap.h"
#include "phys.h"
#include "kmalloc.h"
#include "../kernel/spinlock.h"

struct shmem {
	struct spinlock lock;		/* the page map and the size */
	int refs;			/* VMAs, inodes and segments holding it (atomic) */
	int mapcount;			/* VMAs naming it (atomic): is a zap needed? */
	uint64_t size;			/* bytes */
	unsigned long pages;		/* frames in the map */
	struct shmem_quota *quota;	/* NULL: no limit but memory */
	struct pagemap map;
	void (*on_idle)(struct shmem *s);	/* shmem_on_idle: put left one reference */
};

/*
 * Frames held by every object (/proc/meminfo's Shmem and Cached), and by
 * the objects some VMA maps (its Mapped: by object, not by page).
 */
static unsigned long total_pages, mapped_pages;

struct shmem *shmem_create_file(struct shmem_quota *q)
{
	struct shmem *s = kzalloc(sizeof(*s));

	if (!s)
		return 0;
	s->lock = (struct spinlock)SPINLOCK_INIT("shmem");
	s->refs = 1;
	s->quota = q;
	return s;
}

struct shmem *shmem_create(unsigned long pages)
{
	struct shmem *s = shmem_create_file(0);

	if (s)
		s->size = (uint64_t)pages * PAGE_SIZE;
	return s;
}

void shmem_get(struct shmem *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

/* uncharge - @n frames left object @s: give them back to its quota and the total. */
static void uncharge(struct shmem *s, unsigned long n)
{
	s->pages -= n;
	__atomic_sub_fetch(&total_pages, n, __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->mapcount, __ATOMIC_RELAXED))
		__atomic_sub_fetch(&mapped_pages, n, __ATOMIC_RELAXED);
	if (s->quota)
		__atomic_sub_fetch(&s->quota->used, n, __ATOMIC_RELAXED);
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
	uncharge(s, s->pages);
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

uint64_t shmem_size(struct shmem *s)
{
	return __atomic_load_n(&s->size, __ATOMIC_RELAXED);
}

/*
 * make_page - a new zeroed frame stored at @index, charged to the quota.
 * s->lock held.  The frame, or 0 with *err = -ENOSPC or -ENOMEM.
 */
static phys_addr_t make_page(struct shmem *s, unsigned long index, int *err)
{
	phys_addr_t f;

	if (s->quota) {
		unsigned long used = __atomic_add_fetch(&s->quota->used, 1, __ATOMIC_RELAXED);
		if (used > s->quota->max) {
			__atomic_sub_fetch(&s->quota->used, 1, __ATOMIC_RELAXED);
			*err = -ENOSPC;
			return 0;
		}
	}
	f = pmm_alloc_zeroed();
	if (f && pagemap_store(&s->map, index, f)) {
		pmm_put(f);
		f = 0;
	}
	if (!f) {
		if (s->quota)
			__atomic_sub_fetch(&s->quota->used, 1, __ATOMIC_RELAXED);
		*err = -ENOMEM;
		return 0;
	}
	s->pages++;
	__atomic_add_fetch(&total_pages, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->mapcount, __ATOMIC_RELAXED))
		__atomic_add_fetch(&mapped_pages, 1, __ATOMIC_RELAXED);
	return f;
}

phys_addr_t shmem_page(struct shmem *s, unsigned long index, int alloc, int *err)
{
	phys_addr_t f;

	*err = 0;
	spin_lock(&s->lock);
	f = pagemap_lookup(&s->map, index);
	if (!f && alloc)
		f = make_page(s, index, err);
	if (f)
		pmm_get(f);		/* the caller's reference; the map keeps its own */
	spin_unlock(&s->lock);
	return f;
}

phys_addr_t shmem_frame(struct shmem *s, unsigned long index, int *sigbus)
{
	phys_addr_t f;
	int err = 0;

	*sigbus = 0;
	spin_lock(&s->lock);
	if ((uint64_t)index >= (s->size + PAGE_SIZE - 1) / PAGE_SIZE) {
		spin_unlock(&s->lock);
		*sigbus = 1;
		return 0;
	}
	f = pagemap_lookup(&s->map, index);
	if (!f)
		f = make_page(s, index, &err);
	if (f)
		pmm_get(f);
	spin_unlock(&s->lock);
	*sigbus = err == -ENOSPC;
	return f;
}

phys_addr_t shmem_lookup(struct shmem *s, unsigned long index)
{
	return pagemap_lookup(&s->map, index);
}

/* zero_tail - zero the bytes of the page holding offset @from past @from. s->lock held. */
static void zero_tail(struct shmem *s, uint64_t from)
{
	size_t in = from % PAGE_SIZE;
	phys_addr_t f;

	if (in && (f = pagemap_lookup(&s->map, from / PAGE_SIZE)))
		memset((char *)phys_to_virt(f) + in, 0, PAGE_SIZE - in);
}

int shmem_set_size(struct shmem *s, uint64_t size)
{
	unsigned long first = (size + PAGE_SIZE - 1) / PAGE_SIZE, idx, n = 0;
	int shrink;

	if (size > SHMEM_MAX_SIZE)
		return -EFBIG;
	spin_lock(&s->lock);
	shrink = size < s->size;
	/* Either way the bytes past the new or the old end in that page read as zeros. */
	zero_tail(s, shrink ? size : s->size);
	s->size = size;
	while (shrink && pagemap_next(&s->map, first, &idx)) {
		pmm_put(pagemap_take(&s->map, idx));	/* mappers hold their own references */
		first = idx + 1;
		n++;
	}
	uncharge(s, n);
	spin_unlock(&s->lock);
	if (shrink && __atomic_load_n(&s->mapcount, __ATOMIC_ACQUIRE))
		mm_zap_object(s, (size + PAGE_SIZE - 1) / PAGE_SIZE);
	return 0;
}

unsigned long shmem_drop(struct shmem *s, unsigned long *freed)
{
	unsigned long idx = 0, n = 0, gone = 0;
	phys_addr_t f;

	spin_lock(&s->lock);
	while (pagemap_next(&s->map, idx, &idx)) {
		f = pagemap_take(&s->map, idx++);
		if (pmm_put_test(f)) {		/* the index's was the last reference */
			pmm_free_last(f);
			gone++;
		}
		n++;
	}
	pagemap_clear(&s->map);		/* the empty index's own nodes go too */
	uncharge(s, n);
	spin_unlock(&s->lock);
	*freed = gone;
	return n;
}

void shmem_extend(struct shmem *s, uint64_t size)
{
	spin_lock(&s->lock);
	if (size > s->size)
		s->size = size;
	spin_unlock(&s->lock);
}

int64_t shmem_seek(struct shmem *s, uint64_t off, int want_data)
{
	unsigned long idx;
	int64_t r = -1;

	spin_lock(&s->lock);
	if (off < s->size) {
		int held = pagemap_next(&s->map, off / PAGE_SIZE, &idx);

		if (want_data) {
			if (held && (uint64_t)idx * PAGE_SIZE < s->size)
				r = (int64_t)MAX(off, (uint64_t)idx * PAGE_SIZE);
		} else {
			/* The first page from off's that is not held. */
			unsigned long i = off / PAGE_SIZE;
			while (held && idx == i) {
				i++;
				held = pagemap_next(&s->map, i, &idx);
			}
			r = (int64_t)MIN(s->size, MAX(off, (uint64_t)i * PAGE_SIZE));
		}
	}
	spin_unlock(&s->lock);
	return r;
}

unsigned long shmem_pages(struct shmem *s)
{
	return __atomic_load_n(&s->pages, __ATOMIC_RELAXED);
}

unsigned long shmem_total_pages(void)
{
	return __atomic_load_n(&total_pages, __ATOMIC_RELAXED);
}

unsigned long shmem_mapped_pages(void)
{
	return __atomic_load_n(&mapped_pages, __ATOMIC_RELAXED);
}

/*
 * The first mapping and the last unmapping move the object's pages in or
 * out of Mapped.  Only those two transitions take the object's lock, so
 * that the pages counted in are the pages counted out (shmem_page and
 * uncharge read mapcount under it); every other mapping, such as fork's
 * copy of an area that is mapped already, just counts.
 */
void shmem_mapped(struct shmem *s)
{
	int c = __atomic_load_n(&s->mapcount, __ATOMIC_RELAXED);

	while (c > 0)
		if (__atomic_compare_exchange_n(&s->mapcount, &c, c + 1, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	spin_lock(&s->lock);
	if (__atomic_fetch_add(&s->mapcount, 1, __ATOMIC_RELAXED) == 0)
		__atomic_add_fetch(&mapped_pages, s->pages, __ATOMIC_RELAXED);
	spin_unlock(&s->lock);
}

void shmem_unmapped(struct shmem *s)
{
	int c = __atomic_load_n(&s->mapcount, __ATOMIC_RELAXED);

	while (c > 1)
		if (__atomic_compare_exchange_n(&s->mapcount, &c, c - 1, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	spin_lock(&s->lock);
	if (__atomic_sub_fetch(&s->mapcount, 1, __ATOMIC_RELAXED) == 0)
		__atomic_sub_fetch(&mapped_pages, s->pages, __ATOMIC_RELAXED);
	spin_unlock(&s->lock);
}

int shmem_mapcount(struct shmem *s)
{
	return __atomic_load_n(&s->mapcount, __ATOMIC_RELAXED);
}
