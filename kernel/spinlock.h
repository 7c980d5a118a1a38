/*
 * spinlock.h - mutual exclusion between harts.
 *
 * Holding a spinlock disables interrupts on this hart (nested with
 * push_off/pop_off), so an interrupt handler can never spin on a lock its
 * own hart holds.  Never sleep or touch user memory while holding one.
 */
#ifndef HOLSTEIN_SPINLOCK_H
#define HOLSTEIN_SPINLOCK_H

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
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
int spin_holding(struct spinlock *l);
void push_off(void);
void pop_off(void);
#endif

#endif
