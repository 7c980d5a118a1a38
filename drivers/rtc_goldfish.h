/* rtc_goldfish.h - the wall clock at boot, from QEMU virt's goldfish RTC. */
#ifndef HOLSTEIN_RTC_GOLDFISH_H
#define HOLSTEIN_RTC_GOLDFISH_H

#include <stdint.h>

/* rtc_goldfish_read_ns - nanoseconds since the Unix epoch, or 0 without an RTC at @base (0). */
uint64_t rtc_goldfish_read_ns(uint64_t base);

#endif
