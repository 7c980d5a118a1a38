/*
 * vdso_data.h - the format of the vDSO's data page ([vvar]): one page the
 * kernel publishes and every process maps read-only just below the vDSO's
 * text.  A format, like the PTE format: kernel/time.c is its only writer,
 * arch/riscv/vdso/vdso.c (user mode, no trap) and time.c itself read it.
 *
 * The clocks: with t the time CSR, ticks_ns(t) = t * (mult_ns + mult_frac /
 * 2^64), that is (t * M) >> 64 for the 128-bit multiplier M = mult_ns:mult_frac,
 * taken modulo 2^64 (t * mult_ns + the high half of t * mult_frac), and clock
 * @clk reads ticks_ns(t) + offset_ns[clk].  The offsets fold in the boot
 * instant (MONOTONIC's is -ticks_ns(cycle_base), so it starts at 0) and,
 * for the REALTIME clocks, the epoch.  The kernel computes its own
 * clock_gettime the very same way, so a program that mixes the vDSO and
 * the system call never sees time go back.
 *
 * The sequence count (seqcount): the writer makes seq odd, stores, then
 * makes it even again, with fences between; a reader takes seq, reads, and
 * starts over unless seq, read again, equals what it took with bit 0
 * cleared (which fails both if the writer was busy and if it came by).  So
 * a reader never sees half an update of settimeofday or clock_settime.
 */
#ifndef HOLSTEIN_VDSO_DATA_H
#define HOLSTEIN_VDSO_DATA_H

#define VDSO_NCLOCKS	8	/* clock ids 0..7 (REALTIME .. BOOTTIME) have an offset slot */

/*
 * The clocks the vDSO answers from this page: REALTIME (0), MONOTONIC (1),
 * MONOTONIC_RAW (4), REALTIME_COARSE (5), MONOTONIC_COARSE (6), BOOTTIME (7).
 * The CPU-time clocks (2, 3) and everything else take the system call.
 */
#define VDSO_FAST_CLOCKS	((1u << 0) | (1u << 1) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7))

/* Where [vvar] and [vdso] sit in every address space: the top of user memory. */
#define VDSO_MAX_PAGES	2			/* the image's size, checked at build time */
#define USER_VDSO	(0x4000000000 - VDSO_MAX_PAGES * 4096)
#define USER_VVAR	(USER_VDSO - 4096)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct vdso_data {
	uint64_t offset_ns[VDSO_NCLOCKS];	/* per clock id, added to ticks_ns(time CSR) */
	uint64_t mult_ns;		/* whole ns per tick */
	uint64_t mult_frac;		/* and the fraction, in units of 2^-64 ns */
	uint32_t seq;			/* odd while the kernel writes */
	uint32_t res_ns;		/* clock_getres of the fast clocks */
	uint64_t cycle_base;		/* the time CSR at boot (MONOTONIC's 0) */
	int32_t tz_minuteswest, tz_dsttime;	/* what gettimeofday's tz gets (settimeofday) */
};

/* vdso_ticks_ns - ticks_ns(@t) above, for the multiplier @mult_ns:@mult_frac. */
static inline uint64_t vdso_ticks_ns(uint64_t t, uint64_t mult_ns, uint64_t mult_frac)
{
	return t * mult_ns + (uint64_t)(((unsigned __int128)t * mult_frac) >> 64);
}
#endif

#endif
