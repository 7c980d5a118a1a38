/*
 * extable.c - the exception table: (faulting instruction, fixup) pairs
 * emitted by uaccess.S into __ex_table.
 */
#include "extable.h"

struct extable_entry {
	unsigned long insn, fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

unsigned long extable_fixup(unsigned long epc)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == epc)
			return e->fixup;
	return 0;
}
