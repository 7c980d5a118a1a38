/*
 * spinlock.c - test-and-set spinlocks that keep interrupts off while held.
 */
#include "spinlock.h"
#include "cpu.h"
#include "../arch/riscv/csr.h"

/*
 * push_off/pop_off - like intr_off/intr_on but nestable: interrupts come
 * back on only when the outermost pop_off runs, and only if they were on
 * before the first push_off.
 */
void push_off(void)
{
	int old = intr_enabled();

	intr_off();
	struct cpu *c = this_cpu();
	if (c->noff == 0)
		c->intena = old;
	c->noff++;
}

void pop_off(void)
{
	struct cpu *c = this_cpu();

	if (intr_enabled())
		panic("pop_off: interrupts on");
	if (c->noff < 1)
		panic("pop_off: unbalanced");
	c->noff--;
	if (c->noff == 0 && c->intena)
		intr_on();
}

/* spin_holding - does this hart hold @l?  Interrupts must be off. */
int spin_holding(struct spinlock *l)
{
	return l->locked && l->owner == this_cpu();
}

/*
 * spin_lock - take @l, spinning until it is free.  The acquire ordering of
 * amoswap.aq makes everything done under the lock by the previous holder
 * visible to us.
 */
void spin_lock(struct spinlock *l)
{
	push_off();
	if (spin_holding(l))
		panic("spin_lock: %s already held", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		;
	l->owner = this_cpu();
}

/* spin_unlock - release @l (held by this hart), with release ordering. */
void spin_unlock(struct spinlock *l)
{
	if (!spin_holding(l))
		panic("spin_unlock: %s not held", l->name);
	l->owner = 0;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}
