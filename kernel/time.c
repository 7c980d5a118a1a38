/*
 * time.c - time since boot, from the time CSR.  The DT's timebase says how
 * fast it ticks (10 MHz on QEMU virt, 1 MHz on sifive_u, 4 MHz on the
 * VisionFive 2).
 */
#include "kernel.h"
#include "time.h"
#include "../arch/riscv/hart.h"

#define FALLBACK_EPOCH_NS (1767225600ULL * 1000000000ULL)	/* 2026-01-01, without an RTC */

uint64_t timebase_hz = 10000000;
static uint64_t boot_time;
static uint64_t epoch_at_boot = FALLBACK_EPOCH_NS;	/* CLOCK_REALTIME when time_now_ns() was 0 */

void time_init(uint64_t hz)
{
	if (hz)
		timebase_hz = hz;
	boot_time = arch_read_time();
}

uint64_t time_ticks_to_ns(uint64_t t)
{
	return t / timebase_hz * 1000000000ULL + t % timebase_hz * 1000000000ULL / timebase_hz;
}

uint64_t time_now_ns(void)
{
	return time_ticks_to_ns(arch_read_time() - boot_time);
}

void time_set_realtime(uint64_t epoch_ns)
{
	uint64_t up = time_now_ns();

	if (epoch_ns > up)
		epoch_at_boot = epoch_ns - up;
}

uint64_t time_realtime_ns(void)
{
	return epoch_at_boot + time_now_ns();
}
