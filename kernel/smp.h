/* smp.h - bringing up the harts the device tree lists (smp.c). */
#ifndef HOLSTEIN_SMP_H
#define HOLSTEIN_SMP_H

struct cpu;
struct dt_info;

/* cpu_setup - fill in @c from the device tree's description of hart @hartid. */
void cpu_setup(struct cpu *c, const struct dt_info *dt, unsigned long hartid);
/* smp_boot - start every other eligible hart the device tree lists, one at a time. */
void smp_boot(const struct dt_info *dt, unsigned long boot_hartid);

#endif
