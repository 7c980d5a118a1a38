/*
 * panic.h - the panic machinery's own interface (panic() itself is in
 * kernel.h): the flag other harts check, how a hart stops, the panic=
 * switch, and the log's lock-breaker in printk.c.
 */
#ifndef HOLSTEIN_PANIC_H
#define HOLSTEIN_PANIC_H

/* panicking - set once, by the first hart to panic. */
extern volatile int panicking;

/* panic_stop_this_hart - interrupts off and idle forever (a panic elsewhere, or after ours). */
void panic_stop_this_hart(void) __attribute__((noreturn));

/* panic_set_halt - @halt: a panic halts the harts and leaves the machine on (panic=halt), else powers off with 255. */
void panic_set_halt(int halt);

/* printk_bust_lock - printk.c: from now on write without the log lock (a panicking hart must not wait). */
void printk_bust_lock(void);

#endif
