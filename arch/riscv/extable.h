/* extable.h - where a faulting user-access instruction resumes. */
#ifndef HOLSTEIN_EXTABLE_H
#define HOLSTEIN_EXTABLE_H

/* extable_fixup - the fixup address for a fault at @epc, or 0 if it has none. */
unsigned long extable_fixup(unsigned long epc);

#endif
