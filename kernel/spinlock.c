/*
 * spinlock.c - the out-of-line half of spinlock.h: reporting misuse.
 */
#include "kernel.h"
#include "spinlock.h"

void spin_bug(const char *what, struct spinlock *l)
{
	panic("%s (%s)", what, l ? l->name : "-");
}
