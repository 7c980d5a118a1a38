/*
 * kmalloc.c - each slab page starts with a header; objects follow.  A
 * page-aligned pointer therefore always means a whole-frame allocation.
 *
 * The classes are powers of two from 32 bytes, except the largest: two of
 * its objects share a page with the header (2016 bytes, not 2048, which
 * would leave room for one).  A process's struct tgroup is that size, so
 * a fork and its exit reuse the free half of a page instead of taking and
 * returning a frame each time.
 */
#include "kmalloc.h"
#include "pmm.h"
#include "phys.h"
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/page.h"

#define MIN_SHIFT	5	/* 32 bytes */
#define MAX_SHIFT	11	/* the last class, 2048 bytes less a share of the header */
#define NCLASS		(MAX_SHIFT - MIN_SHIFT + 1)
#define SLAB_HEADER	64	/* the struct slab, rounded to the largest alignment used */
#define MAX_OBJECT	((PAGE_SIZE - SLAB_HEADER) / 2)	/* the last class: two a page */

/* class_size - the object size of class @cls. */
static size_t class_size(int cls)
{
	return cls == NCLASS - 1 ? MAX_OBJECT : 1UL << (cls + MIN_SHIFT);
}
#define SLAB_MAGIC	0x51ab51abu

_Static_assert(MAX_OBJECT % 8 == 0, "objects stay 8-byte aligned");

struct slab {
	uint32_t magic;
	uint16_t cls;
	uint16_t inuse;
	void *free;			/* free objects of this page */
	struct slab *next, *prev;	/* pages of this class with free objects */
};

static struct spinlock kmalloc_lock = SPINLOCK_INIT("kmalloc");
static struct slab *partial[NCLASS];
static unsigned long live_objects;
static unsigned long slab_pages;	/* frames held by slabs and whole-frame objects */

static size_t obj_offset(int cls)
{
	size_t sz = class_size(cls);
	return ALIGN_UP(sizeof(struct slab), sz < SLAB_HEADER ? sz : SLAB_HEADER);
}

static void unlink_slab(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = 0;
}

static void link_slab(struct slab *s)
{
	s->prev = 0;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

/* new_slab - a fresh page for class @cls, every object on its free list. */
static struct slab *new_slab(int cls)
{
	phys_addr_t pa = pmm_alloc();
	size_t sz = class_size(cls);
	struct slab *s;
	char *o;

	if (!pa)
		return 0;
	__atomic_add_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
	s = phys_to_virt(pa);
	s->magic = SLAB_MAGIC;
	s->cls = (uint16_t)cls;
	s->inuse = 0;
	s->free = 0;
	for (o = (char *)s + PAGE_SIZE - sz; o >= (char *)s + obj_offset(cls); o -= sz) {
		*(void **)o = s->free;
		s->free = o;
	}
	return s;
}

void *kmalloc(size_t size)
{
	int cls = 0;
	void *obj;
	struct slab *s;

	if (size > PAGE_SIZE)
		return 0;
	if (size > MAX_OBJECT) {
		phys_addr_t pa = pmm_alloc();
		if (!pa)
			return 0;
		__atomic_add_fetch(&live_objects, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
		return phys_to_virt(pa);
	}
	if (pmm_fail_injected())
		return 0;
	while (class_size(cls) < size)
		cls++;
	spin_lock(&kmalloc_lock);
	s = partial[cls];
	if (!s) {
		spin_unlock(&kmalloc_lock);
		s = new_slab(cls);
		if (!s)
			return 0;
		spin_lock(&kmalloc_lock);
		link_slab(s);
	}
	obj = s->free;
	s->free = *(void **)obj;
	s->inuse++;
	if (!s->free)
		unlink_slab(s);
	spin_unlock(&kmalloc_lock);
	/* Atomic: whole-frame objects change the count outside the lock. */
	__atomic_add_fetch(&live_objects, 1, __ATOMIC_RELAXED);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p && size > MAX_OBJECT)
		page_zero(p);	/* a whole frame: the unrolled clear is 4x faster */
	else if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct slab *s;

	if (!p)
		return;
	if (((uintptr_t)p & (PAGE_SIZE - 1)) == 0) {
		__atomic_sub_fetch(&live_objects, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
		pmm_put(virt_to_phys(p));
		return;
	}
	s = (struct slab *)((uintptr_t)p & ~(PAGE_SIZE - 1));
	if (s->magic != SLAB_MAGIC)
		panic("kfree: %p is not a kmalloc object", p);
	spin_lock(&kmalloc_lock);
	if (!s->free)
		link_slab(s);
	*(void **)p = s->free;
	s->free = p;
	s->inuse--;
	__atomic_sub_fetch(&live_objects, 1, __ATOMIC_RELAXED);
	if (s->inuse == 0) {
		unlink_slab(s);
		s->magic = 0;
		spin_unlock(&kmalloc_lock);
		__atomic_sub_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
		pmm_put(virt_to_phys(s));
		return;
	}
	spin_unlock(&kmalloc_lock);
}

unsigned long kmalloc_objects(void)
{
	return __atomic_load_n(&live_objects, __ATOMIC_RELAXED);
}

unsigned long kmalloc_pages(void)
{
	return __atomic_load_n(&slab_pages, __ATOMIC_RELAXED);
}
