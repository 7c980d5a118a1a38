/*
 * sbi.c - the SBI calls Holstein makes.  a7 = extension id, a6 = function
 * id, arguments in a0..a3; the firmware returns (error, value) in a0/a1.
 */
#include "sbi.h"
#include "hart.h"

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

/* --- Base extension ------------------------------------------------------ */

int sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0, 0);
	return r.error == 0 && r.value != 0;
}

/* --- Legacy console: v0.1 calls, still present in OpenSBI 1.x ------------ */

void sbi_console_putchar(int c)
{
	sbi_ecall(0x01, 0, (unsigned long)c, 0, 0, 0);
}

int sbi_console_getchar(void)
{
	return (int)sbi_ecall(0x02, 0, 0, 0, 0, 0).error;
}

/* --- TIME ---------------------------------------------------------------- */

void sbi_set_timer(uint64_t t)
{
	sbi_ecall(SBI_EXT_TIME, 0, t, 0, 0, 0);
}

/* --- IPI ----------------------------------------------------------------- */

void sbi_send_ipi(unsigned long mask, unsigned long base)
{
	sbi_ecall(SBI_EXT_IPI, 0, mask, base, 0, 0);
}

/* arch_send_ipi - raise a supervisor software interrupt on hart @hartid (hart.h). */
void arch_send_ipi(unsigned long hartid)
{
	sbi_send_ipi(1, hartid);
}

/* --- RFENCE ------------------------------------------------------------- */

long sbi_remote_fence_i(unsigned long mask, unsigned long base)
{
	return sbi_ecall(SBI_EXT_RFENCE, 0, mask, base, 0, 0).error;
}

long sbi_remote_sfence_vma(unsigned long mask, unsigned long base, unsigned long start,
			   unsigned long size)
{
	return sbi_ecall(SBI_EXT_RFENCE, 1, mask, base, start, size).error;
}

/*
 * sbi_rfence_harts - see sbi.h.  Each pass takes the lowest hart id not yet
 * sent as the window's base and gathers every id within XLEN of it; with
 * the usual dense ids (0-3, or sifive_u's 1-4) that is one call.
 */
int sbi_rfence_harts(const unsigned long *hartids, int n, unsigned long start,
		     unsigned long size, int icache)
{
	const unsigned long bits = 8 * sizeof(unsigned long);
	unsigned long done = 0;	/* bit i: hartids[i] sent (n <= XLEN, see NCPU) */
	int sent = 0;

	while (sent < n) {
		unsigned long base = ~0UL, mask = 0;
		for (int i = 0; i < n; i++)
			if (!(done & (1UL << i)) && hartids[i] < base)
				base = hartids[i];
		for (int i = 0; i < n; i++)
			if (!(done & (1UL << i)) && hartids[i] - base < bits) {
				mask |= 1UL << (hartids[i] - base);
				done |= 1UL << i;
				sent++;
			}
		if ((icache && sbi_remote_fence_i(mask, base)) ||
		    sbi_remote_sfence_vma(mask, base, start, size))
			return -1;
	}
	return sent;
}

/* --- HSM ----------------------------------------------------------------- */

long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start_pa, opaque, 0).error;
}

long sbi_hart_status(unsigned long hartid)
{
	struct sbiret r = sbi_ecall(SBI_EXT_HSM, 2, hartid, 0, 0, 0);
	return r.error ? r.error : r.value;
}

/* --- SRST ---------------------------------------------------------------- */

void sbi_system_reset(unsigned long type, unsigned long reason)
{
	sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0, 0);
}
