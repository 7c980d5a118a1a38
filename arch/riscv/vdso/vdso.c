/*
 * vdso.c - the vDSO's functions: user-mode code the kernel maps into every
 * process (vm/vdso.c), found by glibc and Go through AT_SYSINFO_EHDR and
 * the symbol version LINUX_4.15 (vdso.map).  Position independent, no data
 * of its own, no libc: it reads the data page (../vdso_data.h) the linker
 * script places one page below the text, and the time CSR, which the kernel
 * lets user mode read (scounteren.TM).  Whatever it cannot answer from the
 * page goes to the system call, so every error (EINVAL, EFAULT) is the
 * kernel's.
 */
#include <stddef.h>
#include "../vdso_data.h"

#define NSEC_PER_SEC 1000000000ULL

/* vdso_vvar - the data page (vdso.lds: one page below the image). */
extern const struct vdso_data vdso_vvar __attribute__((visibility("hidden")));

/* The user's structures on riscv64 (LP64). */
struct vdso_timespec { int64_t tv_sec, tv_nsec; };
struct vdso_timeval { int64_t tv_sec, tv_usec; };
struct vdso_timezone { int32_t tz_minuteswest, tz_dsttime; };

int __vdso_clock_gettime(int clk, struct vdso_timespec *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
int __vdso_clock_getres(int clk, struct vdso_timespec *res);
int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused);
int __vdso_flush_icache(void *start, void *end, unsigned long flags);

/* ecall3 - system call @nr with three arguments; the kernel's return value (-errno on failure). */
static inline long ecall3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

/*
 * FAST_TOP - VDSO_FAST_CLOCKS bit-reversed into the top byte of a 32-bit
 * word (clock 0 at bit 31): shifting it left by a clock id below 32 brings
 * that clock's bit into the sign.
 */
#define FAST_BIT(i)	((VDSO_FAST_CLOCKS >> (i) & 1u) << (31 - (i)))
#define FAST_TOP	(FAST_BIT(0) | FAST_BIT(1) | FAST_BIT(2) | FAST_BIT(3) | FAST_BIT(4) | \
			 FAST_BIT(5) | FAST_BIT(6) | FAST_BIT(7))
_Static_assert(VDSO_NCLOCKS == 8, "FAST_TOP covers clock ids 0..7");

/* is_fast - whether clock @clk is answered from the data page. */
static inline int is_fast(int clk)
{
	return (unsigned)clk < VDSO_NCLOCKS && (int32_t)(FAST_TOP << clk) < 0;
}

/*
 * seq_begin/seq_end - the sequence count, with the fences that order the
 * reads of the page between them (vdso_data.h).  In asm for the loads
 * too: lw sign-extends, and the compare needs nothing more.
 */
static inline long seq_begin(void)
{
	long seq;

	__asm__ volatile("lw %0, %1\n\tfence r, r" : "=r"(seq) : "m"(vdso_vvar.seq) : "memory");
	return seq;
}

static inline long seq_end(void)
{
	long seq;

	__asm__ volatile("fence r, r\n\tlw %0, %1" : "=r"(seq) : "m"(vdso_vvar.seq) : "memory");
	return seq;
}

/*
 * clock_ns - clock @clk (a fast one) in ns: a consistent snapshot of the
 * page (start over while the kernel writes), then the same arithmetic as
 * kernel/time.c.
 */
static inline uint64_t clock_ns(int clk)
{
	const volatile struct vdso_data *vd = &vdso_vvar;
	uint64_t t, mult_ns, mult_frac, off;
	long seq;

	do {
		seq = seq_begin();
		__asm__ volatile("rdtime %0" : "=r"(t));
		off = vd->offset_ns[clk];
		mult_ns = vd->mult_ns;
		mult_frac = vd->mult_frac;
	} while (seq_end() != (seq & ~1L));
	return vdso_ticks_ns(t, mult_ns, mult_frac) + off;
}

/* __vdso_clock_gettime - clock_gettime(2); no trap for the fast clocks with a non-NULL @ts. */
int __vdso_clock_gettime(int clk, struct vdso_timespec *ts)
{
	uint64_t ns;

	if (!is_fast(clk) || !ts)
		return (int)ecall3(113, clk, (long)ts, 0);
	ns = clock_ns(clk);
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return 0;
}

/* __vdso_gettimeofday - gettimeofday(2): REALTIME in us; @tz gets what settimeofday set. */
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	if (tv) {
		uint64_t ns = clock_ns(0);

		tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / 1000);
	}
	if (tz) {
		tz->tz_minuteswest = vdso_vvar.tz_minuteswest;
		tz->tz_dsttime = vdso_vvar.tz_dsttime;
	}
	return 0;
}

/* __vdso_clock_getres - clock_getres(2): the page's resolution for the fast clocks; @res may be NULL. */
int __vdso_clock_getres(int clk, struct vdso_timespec *res)
{
	if (!is_fast(clk))
		return (int)ecall3(114, clk, (long)res, 0);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = vdso_vvar.res_ns;
	}
	return 0;
}

/* __vdso_getcpu - getcpu(2), a system call (as Linux's riscv vDSO). */
int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	return (int)ecall3(168, (long)cpu, (long)node, (long)unused);
}

/* __vdso_flush_icache - riscv_flush_icache(2), a system call. */
int __vdso_flush_icache(void *start, void *end, unsigned long flags)
{
	return (int)ecall3(259, (long)start, (long)end, (long)flags);
}
