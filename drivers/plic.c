/*
 * plic.c - register layout from the RISC-V PLIC specification:
 * priority at 4*irq, enable bits at 0x2000 + 0x80*ctx, threshold and
 * claim/complete at 0x200000 + 0x1000*ctx.
 */
#include "plic.h"
#include "../arch/riscv/layout.h"

static uintptr_t plic_base;
static uint32_t plic_ndev;

#define PLIC_REG(off) (*(volatile uint32_t *)(plic_base + (off)))

void plic_init(uint64_t base_pa, uint32_t ndev)
{
	plic_base = base_pa ? (uintptr_t)pa_to_va(base_pa) : 0;
	plic_ndev = ndev;
}

int plic_present(void)
{
	return plic_base != 0;
}

int plic_enable(int ctx, uint32_t irq)
{
	if (!plic_base || ctx < 0 || irq == 0 || irq > plic_ndev)
		return -1;
	PLIC_REG(4 * irq) = 1;
	PLIC_REG(0x2000 + 0x80 * ctx + 4 * (irq / 32)) |= 1u << (irq % 32);
	PLIC_REG(0x200000 + 0x1000 * ctx) = 0;
	return 0;
}

uint32_t plic_claim(int ctx)
{
	return PLIC_REG(0x200004 + 0x1000 * ctx);
}

void plic_complete(int ctx, uint32_t irq)
{
	PLIC_REG(0x200004 + 0x1000 * ctx) = irq;
}
