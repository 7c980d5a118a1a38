/*
 * t_dyn_nopie - a dynamically linked program built with -no-pie (ET_EXEC): the kernel maps
 * it at the addresses it was linked for and still starts ld.so, which finds it through
 * AT_PHDR; printf comes from libc.so.6.
 */
#include "ulib.h"
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

extern char __executable_start[];
extern void _start(void);

int main(void)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)__executable_start;
	char buf[64];

	t_init();
	CHECK(eh->e_type == ET_EXEC, "this program is ET_EXEC (-no-pie)");
	CHECK(getauxval(AT_BASE) != 0, "AT_BASE %#lx: ld.so is mapped", getauxval(AT_BASE));
	CHECK(getauxval(AT_ENTRY) == (unsigned long)_start && (unsigned long)_start < 0x1000000,
	      "AT_ENTRY == &_start (%p), at its link address", (void *)_start);
	CHECK(getauxval(AT_PHDR) == (unsigned long)__executable_start + eh->e_phoff,
	      "AT_PHDR: the header table at its link address");
	snprintf(buf, sizeof(buf), "%d %s %.2f", 7, "seven", 7.0);
	CHECK(!strcmp(buf, "7 seven 7.00"), "printf from libc.so.6 (%s)", buf);
	return t_done("t_dyn_nopie");
}
