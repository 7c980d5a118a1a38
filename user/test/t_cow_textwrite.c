/*
 * t_cow_textwrite - after fork, text and rodata pages are shared too, but they were never
 * writable: a store to them in the child must be SIGSEGV, not a silent private copy. The
 * parent's text must be unchanged and still run.
 */
#include "ulib.h"

static const char message[] = "read-only data";

/* victim - a function whose first instructions the child tries to overwrite. */
static __attribute__((noinline)) int victim(int x)
{
	return x * 5 + 2;
}

/* store_text - child body: read our text (a shared page), then store into it. */
static void store_text(void *arg)
{
	volatile uint32_t *p = hide_ptr((uintptr_t)&victim);

	(void)arg;
	if (*p == 0)
		_exit(3);
	*p = 0x00000013; /* a nop, so a silent write would even keep working */
	_exit(victim(1) == 7 ? 0 : 4);
}

/* store_rodata - child body: read then write a string literal's page. */
static void store_rodata(void *arg)
{
	volatile char *p = hide_ptr((uintptr_t)message);

	(void)arg;
	if (p[0] != 'r')
		_exit(3);
	p[0] = 'R';
	_exit(0);
}

/* store_far_text - child body: store into text far from the function we call. */
static void store_far_text(void *arg)
{
	(void)arg;
	*(volatile char *)hide_ptr((uintptr_t)&printf + 64) = 0;
	_exit(0);
}

/* main - fork the writers and check the verdicts and our own text. */
int main(void)
{
	uint8_t before[64], after[64];

	t_init();
	memcpy(before, (void *)(uintptr_t)&victim, sizeof(before));
	for (int round = 0; round < 2; round++) {
		CHECK_SIG(run_child(store_text, NULL), SIGSEGV,
			  "round %d: store to text after fork -> SIGSEGV", round);
		CHECK_SIG(run_child(store_rodata, NULL), SIGSEGV,
			  "round %d: store to rodata after fork -> SIGSEGV", round);
		CHECK_SIG(run_child(store_far_text, NULL), SIGSEGV,
			  "round %d: store into libc's text -> SIGSEGV", round);
	}
	memcpy(after, (void *)(uintptr_t)&victim, sizeof(after));
	CHECK(!memcmp(before, after, sizeof(before)), "parent's text bytes unchanged");
	CHECK(victim(3) == 17, "parent's function still computes correctly");
	CHECK(!strcmp(message, "read-only data"), "parent's rodata unchanged");
	return t_done("t_cow_textwrite");
}
