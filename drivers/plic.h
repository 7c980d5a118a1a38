/* plic.h - the RISC-V Platform-Level Interrupt Controller. */
#ifndef HOLSTEIN_PLIC_H
#define HOLSTEIN_PLIC_H

#include <stdint.h>

void plic_init(uint64_t base_pa, uint32_t ndev);
/* plic_enable - route source @irq to PLIC context @ctx with priority 1: 0, or -1 if there is no such source or context. */
int plic_enable(int ctx, uint32_t irq);
/* plic_claim/plic_complete - take and finish the highest pending source of @ctx. */
uint32_t plic_claim(int ctx);
void plic_complete(int ctx, uint32_t irq);
int plic_present(void);

#endif
