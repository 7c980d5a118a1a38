/*
 * spinlock.h - mutual exclusion between harts.
 *
 * Holding a spinlock disables interrupts on this hart (nested with
 * push_off/pop_off), so an interrupt handler can never spin on a lock its
 * own hart holds.  Never sleep or touch user memory while holding one.
 */
#ifndef HOLSTEIN_SPINLOCK_H
#define HOLSTEIN_SPINLOCK_H

struct cpu;

struct spinlock {
	volatile unsigned int locked;
	const char *name;
	struct cpu *owner;
};

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n), .owner = 0 }

#ifdef HOST_TEST
static inline void spin_lock(struct spinlock *l) { l->locked = 1; }
static inline void spin_unlock(struct spinlock *l) { l->locked = 0; }
static inline int spin_holding(struct spinlock *l) { return l->locked; }
#else
#include "cpu.h"
#include "../arch/riscv/irqflags.h"

void spin_bug(const char *what, struct spinlock *l) __attribute__((noreturn));

/*
 * push_off/pop_off - like arch_irq_disable/enable but nestable: interrupts come
 * back on only when the outermost pop_off runs, and only if they were on
 * before the first push_off.  Inline: they sit on every fault and syscall.
 */
static inline void push_off(void)
{
	int was_on = arch_irq_save();
	struct cpu *c = this_cpu();

	if (c->noff++ == 0)
		c->intena = was_on;
}

static inline void pop_off(void)
{
	struct cpu *c = this_cpu();

	if (unlikely(c->noff < 1))
		spin_bug("pop_off: unbalanced", 0);
	if (--c->noff == 0 && c->intena)
		arch_irq_enable();
}

/* spin_holding - does this hart hold @l?  Interrupts must be off. */
static inline int spin_holding(struct spinlock *l)
{
	return l->locked && l->owner == this_cpu();
}

/*
 * spin_lock - take @l, spinning until it is free.  The acquire ordering of
 * the swap makes everything the previous holder did under the lock visible.
 */
static inline void spin_lock(struct spinlock *l)
{
	push_off();
	if (unlikely(spin_holding(l)))
		spin_bug("spin_lock: already held", l);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		;
	l->owner = this_cpu();
}

/* spin_unlock - release @l (held by this hart), with release ordering. */
static inline void spin_unlock(struct spinlock *l)
{
	if (unlikely(!spin_holding(l)))
		spin_bug("spin_unlock: not held", l);
	l->owner = 0;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}
#endif

#endif
