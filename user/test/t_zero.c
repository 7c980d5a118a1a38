/*
 * t_zero - memory a process gets is always zeroed, even frames that another process just
 * filled and freed: a child fills 25% of RAM (capped at 64 MiB off Holstein) with 0xA5,
 * on the heap, in mmap'ed memory and deep in its stack, and exits; then the parent takes
 * the same amounts from brk, mmap and its stack and checks every byte is zero.
 */
#include "ulib.h"
#include <sys/mman.h>

#define STACK_BYTES (512 * KiB)

/* Never true: it only keeps GCC from optimizing the stack probes away. */
static volatile int never;

/* fill_stack - child: dirty STACK_BYTES of stack below us with 0xA5. */
static __attribute__((noinline)) void fill_stack(void)
{
	volatile char big[STACK_BYTES];

	memset((char *)big, 0xa5, sizeof(big));
	if (never)
		printf("%d", big[1]);
}

/*
 * stack_nonzero - parent: count non-zero bytes in the deep part of a large stack frame
 * that no code has touched yet (the part near our caller may hold old frames).
 */
static __attribute__((noinline)) size_t stack_nonzero(void)
{
	char big[STACK_BYTES + 64 * KiB];
	/* Reading memory the program never wrote is the point: hide that from GCC. */
	const volatile char *p = hide_ptr((uintptr_t)big);
	size_t bad = 0;

	for (size_t i = 0; i < STACK_BYTES; i++)
		bad += p[i] != 0;
	if (never)
		printf("%p", (void *)big);
	return bad;
}

/* count_nonzero - the number of non-zero bytes in len bytes at p. */
static size_t count_nonzero(const char *p, size_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	size_t bad = 0;

	for (size_t i = 0; i < len / 8; i++)
		bad += w[i] != 0;
	return bad;
}

/* dirty - child body: fill size bytes from brk and mmap, and stack, with 0xA5, then exit. */
static void dirty(void *arg)
{
	size_t size = (size_t)arg;
	char *heap = sbrk(size / 2);
	char *map =
	    mmap(NULL, size / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (heap == (void *)-1 || map == MAP_FAILED)
		_exit(1);
	memset(heap, 0xa5, size / 2);
	memset(map, 0xa5, size / 2);
	fill_stack();
	_exit(0);
}

/* main - two rounds of dirty-then-check. */
int main(void)
{
	size_t size = ram_share(25, 64 * MiB);

	t_init();
	for (int round = 0; round < 2; round++) {
		char *heap, *map;

		CHECK_EXIT(run_child(dirty, (void *)size), 0,
			   "round %d: child fills %zu MiB with 0xA5 and exits", round, size / MiB);
		heap = sbrk(size / 2);
		if (CHECK(heap != (void *)-1, "round %d: sbrk(%zu MiB)", round, size / 2 / MiB)) {
			CHECK(count_nonzero(heap, size / 2) == 0,
			      "round %d: fresh brk memory is zero", round);
			memset(heap, 0x3c, size / 2); /* dirty it for the next round's frames */
			sbrk(-(intptr_t)(size / 2));
		}
		map = mmap(NULL, size / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			   0);
		if (CHECK(map != MAP_FAILED, "round %d: mmap(%zu MiB)", round, size / 2 / MiB)) {
			CHECK(count_nonzero(map, size / 2) == 0,
			      "round %d: fresh mmap memory is zero", round);
			munmap(map, size / 2);
		}
		if (round == 0)
			CHECK(stack_nonzero() == 0, "fresh stack pages are zero");
	}
	return t_done("t_zero");
}
