/*
 * vdso_data.h - the format of the vDSO's data page ([vvar]): one page the
 * kernel publishes and every process maps read-only just below the vDSO's
 * text.  A format, like the PTE format: kernel/time.c is its only writer,
 * arch/riscv/vdso/vdso.c (user mode, no trap) and time.c itself read it.
 *
 * Time since boot, in ns, is ((time CSR - cycle_base) * mult) >> VDSO_SHIFT,
 * the product taken to 128 bits; a clock's value is that plus its
 * offset_ns[] (the epoch at boot for the REALTIME clocks, 0 for the rest).
 * The kernel computes its own clock_gettime the very same way, so a program
 * that mixes the vDSO and the system call never sees time go back.
 *
 * The sequence count (seqcount): the writer makes seq odd, stores, then
 * makes it even again, with fences between; a reader takes seq, waits while
 * it is odd, reads, and starts over if seq changed meanwhile.  So a reader
 * never sees half an update of settimeofday or clock_settime.
 */
#ifndef HOLSTEIN_VDSO_DATA_H
#define HOLSTEIN_VDSO_DATA_H

#define VDSO_SHIFT	32	/* fixed: mult = (1e9 << 32) / timebase fits 64 bits for any timebase >= 1 Hz */
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
	uint32_t seq;			/* odd while the kernel writes */
	uint32_t res_ns;		/* clock_getres of the fast clocks */
	uint64_t cycle_base;		/* the time CSR at boot */
	uint64_t mult;			/* ns per tick << VDSO_SHIFT */
	uint64_t offset_ns[VDSO_NCLOCKS];	/* per clock id, added to ns since boot */
	int32_t tz_minuteswest, tz_dsttime;	/* what gettimeofday's tz gets (settimeofday) */
};
#endif

#endif
