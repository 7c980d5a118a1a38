/*
 * time.c - time since boot, from the time CSR.  The DT's timebase says how
 * fast it ticks (10 MHz on QEMU virt, 1 MHz on sifive_u, 4 MHz on the
 * VisionFive 2).
 */
#include "kernel.h"
#include "time.h"
#include "../arch/riscv/csr.h"

uint64_t timebase_hz = 10000000;
static uint64_t boot_time;

void time_init(uint64_t hz)
{
	if (hz)
		timebase_hz = hz;
	boot_time = rdtime();
}

uint64_t time_ticks_to_ns(uint64_t t)
{
	return t / timebase_hz * 1000000000ULL + t % timebase_hz * 1000000000ULL / timebase_hz;
}

uint64_t time_ns(void)
{
	return time_ticks_to_ns(rdtime() - boot_time);
}
