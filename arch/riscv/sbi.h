/*
 * sbi.h - calls into the SBI firmware (OpenSBI), per the RISC-V SBI spec.
 * Each extension has its own small group of functions in sbi.c.
 */
#ifndef HOLSTEIN_SBI_H
#define HOLSTEIN_SBI_H

#include <stdint.h>

#define SBI_EXT_BASE	0x10
#define SBI_EXT_TIME	0x54494D45
#define SBI_EXT_IPI	0x735049
#define SBI_EXT_RFENCE	0x52464E43
#define SBI_EXT_HSM	0x48534D
#define SBI_EXT_SRST	0x53525354

#define SBI_SUCCESS		0
#define SBI_ERR_ALREADY_AVAILABLE	-6

#define SBI_HSM_STARTED		0
#define SBI_HSM_STOPPED		1

#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_COLD_REBOOT	1
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE	1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3);

/* Base: is extension @ext implemented? */
int sbi_probe(unsigned long ext);
/* Legacy console (extension 0x01/0x02): the last-resort console. */
void sbi_console_putchar(int c);
int sbi_console_getchar(void);
/* TIME: program the next S-mode timer interrupt at absolute time @t. */
void sbi_set_timer(uint64_t t);
/* IPI: raise a supervisor software interrupt on the harts in @mask (base @base). */
void sbi_send_ipi(unsigned long mask, unsigned long base);
/*
 * RFENCE: fence.i (fid 0) or sfence.vma of [@start, @start + @size) (fid 1;
 * @start 0 and @size SBI_RFENCE_ALL: everything) on the harts in @mask
 * (bit i: hart @base + i).  OpenSBI returns once every target has done it.
 * Returns the SBI error (0 on success).
 */
#define SBI_RFENCE_ALL	(~0UL)
long sbi_remote_fence_i(unsigned long mask, unsigned long base);
long sbi_remote_sfence_vma(unsigned long mask, unsigned long base, unsigned long start,
			   unsigned long size);
/*
 * sbi_rfence_harts - the same for a list of @n hart ids (any order, sparse):
 * fence.i if @icache, then sfence.vma; one call per window of XLEN hart
 * ids.  Returns how many harts were targeted, or -1 if the firmware
 * refused a call (the caller must not go on: a stale translation left
 * behind would be silent corruption).
 */
int sbi_rfence_harts(const unsigned long *hartids, int n, unsigned long start,
		     unsigned long size, int icache);
/* HSM: start @hartid at physical @start_pa with a1 = @opaque; status of @hartid. */
long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque);
long sbi_hart_status(unsigned long hartid);
/* SRST: reset the system.  Returns only if the firmware refused. */
void sbi_system_reset(unsigned long type, unsigned long reason);

#endif
