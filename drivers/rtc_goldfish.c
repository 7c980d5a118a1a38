/*
 * rtc_goldfish.c - the goldfish RTC QEMU's virt machine carries: a 64-bit
 * count of nanoseconds since the epoch.  Reading TIME_LOW latches the
 * high half, so the low word is read first.
 */
#include "../kernel/kernel.h"
#include "../arch/riscv/layout.h"
#include "rtc_goldfish.h"

#define RTC_TIME_LOW	0x00
#define RTC_TIME_HIGH	0x04

uint64_t rtc_goldfish_read_ns(uint64_t base)
{
	volatile uint32_t *r;
	uint64_t lo;

	if (!base)
		return 0;
	r = (volatile uint32_t *)pa_to_va(base);
	lo = r[RTC_TIME_LOW / 4];
	return ((uint64_t)r[RTC_TIME_HIGH / 4] << 32) | lo;
}
