/*
 * time.c - time since boot and the wall clock, from the time CSR.  The
 * DT's timebase says how fast it ticks (10 MHz on QEMU virt, 1 MHz on
 * sifive_u, 4 MHz on the VisionFive 2).
 *
 * The state is the vDSO's data page (arch/riscv/vdso_data.h), and this file
 * is its only writer: what the kernel answers and what the vDSO computes in
 * user mode come from the same fields through the same arithmetic, so a
 * program mixing the two never sees time go back.  Until vm/ has a frame
 * for the page (time_vdso_publish), the fields live in boot_data.
 */
#include "kernel.h"
#include "time.h"
#include "errno.h"
#include "spinlock.h"
#include "../arch/riscv/hart.h"

#define NSEC_PER_SEC 1000000000ULL
#define FALLBACK_EPOCH_NS (1767225600ULL * NSEC_PER_SEC)	/* 2026-01-01, without an RTC */
/* Linux's TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime. */
#define SETTOD_SEC_MAX (9223372036LL - 30LL * 365 * 86400)

uint64_t timebase_hz = 10000000;
static struct vdso_data boot_data;
static struct vdso_data *vd = &boot_data;
static struct spinlock time_lock = SPINLOCK_INIT("time");	/* the writers */

/*
 * mult_for - the multiplier of vdso_data.h for @hz ticks per second:
 * 1e9 / hz as whole ns and 64 bits of fraction, by long division in two
 * 32-bit steps (no 128-bit division in the kernel): hz < 2^32, so each
 * step's dividend fits 64 bits.
 */
static void mult_for(uint64_t hz, uint64_t *mult_ns, uint64_t *mult_frac)
{
	uint64_t r = NSEC_PER_SEC % hz, hi, lo;

	*mult_ns = NSEC_PER_SEC / hz;
	hi = (r << 32) / hz;
	r = (r << 32) % hz;
	lo = (r << 32) / hz;
	*mult_frac = hi << 32 | lo;
}

/* ticks_ns - vdso_data.h's ticks_ns of the time CSR value @t. */
static uint64_t ticks_ns(uint64_t t)
{
	return vdso_ticks_ns(t, vd->mult_ns, vd->mult_frac);
}

void time_init(uint64_t hz)
{
	if (hz && hz < (1ULL << 32))
		timebase_hz = hz;
	mult_for(timebase_hz, &vd->mult_ns, &vd->mult_frac);
	vd->cycle_base = arch_read_time();
	vd->res_ns = 1;		/* what clock_getres says of every clock (sys_misc.c) */
	for (int c = 0; c < VDSO_NCLOCKS; c++)
		vd->offset_ns[c] = -ticks_ns(vd->cycle_base);	/* 0 at boot */
	vd->offset_ns[CLOCK_REALTIME] += FALLBACK_EPOCH_NS;
	vd->offset_ns[CLOCK_REALTIME_COARSE] += FALLBACK_EPOCH_NS;
}

void time_vdso_publish(struct vdso_data *page)
{
	memcpy(page, vd, sizeof(*page));
	__atomic_store_n(&vd, page, __ATOMIC_RELEASE);
}

uint64_t time_ticks_to_ns(uint64_t t)
{
	return ticks_ns(t);
}

uint64_t time_now_ns(void)
{
	return ticks_ns(arch_read_time()) + vd->offset_ns[CLOCK_MONOTONIC];	/* never rewritten */
}

/*
 * read_begin/read_retry - a reader's side of the sequence count
 * (vdso_data.h): the snapshot taken between them is whole if read_retry
 * says 0.
 */
static uint32_t read_begin(void)
{
	uint32_t seq;

	while ((seq = __atomic_load_n(&vd->seq, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

static int read_retry(uint32_t seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&vd->seq, __ATOMIC_RELAXED) != seq;
}

/* write_begin/write_end - the writer's side; time_lock held. */
static void write_begin(void)
{
	__atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* odd before the data */
}

static void write_end(void)
{
	__atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELEASE);	/* the data before even */
}

uint64_t time_clock_ns(int clk)
{
	uint64_t off, t;
	uint32_t seq;

	do {
		seq = read_begin();
		t = arch_read_time();
		off = __atomic_load_n(&vd->offset_ns[clk], __ATOMIC_RELAXED);
	} while (read_retry(seq));
	return ticks_ns(t) + off;
}

uint64_t time_realtime_ns(void)
{
	return time_clock_ns(CLOCK_REALTIME);
}

int time_set_realtime(uint64_t epoch_ns)
{
	spin_lock(&time_lock);
	uint64_t now = ticks_ns(arch_read_time());
	if (epoch_ns < now + vd->offset_ns[CLOCK_MONOTONIC]) {
		spin_unlock(&time_lock);
		return -EINVAL;		/* before boot: Linux refuses it too */
	}
	write_begin();
	vd->offset_ns[CLOCK_REALTIME] = vd->offset_ns[CLOCK_REALTIME_COARSE] = epoch_ns - now;
	write_end();
	spin_unlock(&time_lock);
	return 0;
}

int time_settod_valid(int64_t sec, int64_t nsec)
{
	return sec >= 0 && sec < SETTOD_SEC_MAX && nsec >= 0 && (uint64_t)nsec < NSEC_PER_SEC;
}

void time_set_tz(int32_t minuteswest, int32_t dsttime)
{
	spin_lock(&time_lock);
	write_begin();
	vd->tz_minuteswest = minuteswest;
	vd->tz_dsttime = dsttime;
	write_end();
	spin_unlock(&time_lock);
}

void time_get_tz(int32_t tz[2])
{
	uint32_t seq;

	do {
		seq = read_begin();
		tz[0] = __atomic_load_n(&vd->tz_minuteswest, __ATOMIC_RELAXED);
		tz[1] = __atomic_load_n(&vd->tz_dsttime, __ATOMIC_RELAXED);
	} while (read_retry(seq));
}
