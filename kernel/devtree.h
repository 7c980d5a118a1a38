/*
 * devtree.h - what Holstein learns about the machine from the flattened
 * device tree (FDT) the firmware hands over in a1.
 *
 * dt_probe() is pure logic over a byte blob: it touches no hardware, so the
 * host unit tests run it over real and corrupted blobs.
 */
#ifndef HOLSTEIN_DEVTREE_H
#define HOLSTEIN_DEVTREE_H

#include <stdint.h>
#include <stddef.h>
#include "param.h"	/* NCPU */

#define DT_MAX_MEM     16   /* memory ranges kept (several nodes, several reg entries) */
#define DT_MAX_RESV    32   /* reserved ranges kept: /memreserve/ + reserved-memory + the DTB itself */
#define DT_STR         128  /* longest string we keep (bootargs may be longer: DT_BOOTARGS) */
#define DT_BOOTARGS    512
#define DT_MAX_VIRTIO  8    /* virtio,mmio slots kept (QEMU virt has 8) */

struct dt_range {
	uint64_t base;
	uint64_t size;
};

struct dt_hart {
	uint32_t hartid;        /* cpu node "reg" */
	uint8_t  eligible;      /* status absent or "okay", and an mmu-type is present */
	uint8_t  has_sstc;      /* "sstc" in riscv,isa or riscv,isa-extensions */
	int32_t  plic_sctx;     /* PLIC context index of this hart's S-mode external irq (9), -1 if none */
	int32_t  intc_phandle;  /* phandle of this hart's interrupt-controller child, -1 if none */
};

enum dt_uart_kind {
	DT_UART_NONE = 0,
	DT_UART_8250,           /* ns16550a, ns16550, snps,dw-apb-uart, ns8250 ... */
	DT_UART_SIFIVE,         /* sifive,uart0 */
};

struct dt_uart {
	enum dt_uart_kind kind;
	uint64_t base;
	uint64_t size;
	uint32_t reg_shift;     /* default 0 */
	uint32_t reg_io_width;  /* default 1 */
	uint32_t clock;         /* clock-frequency, 0 if absent */
	uint32_t irq;           /* first cell of "interrupts", 0 if absent */
};

enum dt_poweroff_kind {
	DT_POWEROFF_NONE = 0,   /* fall back to SBI SRST */
	DT_POWEROFF_SYSCON,     /* write `value` (32-bit) at base + offset */
};

struct dt_poweroff {
	enum dt_poweroff_kind kind;
	uint64_t base;          /* the regmap target's reg base (e.g. test@100000) */
	uint32_t offset;
	uint32_t value;         /* e.g. 0x5555 on QEMU virt */
	int      is_sifive_test;/* regmap target is compatible "sifive,test0"/"sifive,test1": we may write 0x3333|code<<16 */
};

/* A virtio-mmio transport slot: what is behind it (DeviceID 0 = empty) the driver reads. */
struct dt_virtio {
	uint64_t base, size;
	uint32_t irq;           /* first cell of "interrupts", 0 if absent (then polled) */
};

struct dt_info {
	char     model[DT_STR];            /* "/model", "" if absent */
	struct dt_range mem[DT_MAX_MEM];   /* every reg range of every device_type="memory" node with status okay */
	int      nmem;
	struct dt_range resv[DT_MAX_RESV]; /* /memreserve/ entries, reserved-memory children with reg, and the DTB blob itself */
	int      nresv;
	char     bootargs[DT_BOOTARGS];    /* /chosen/bootargs ("" if absent) */
	char     stdout_path[DT_STR];      /* /chosen/stdout-path or linux,stdout-path, without ":options" */
	uint64_t initrd_start, initrd_end; /* /chosen linux,initrd-*, 32- or 64-bit cells; both 0 if absent */
	uint32_t timebase;                 /* /cpus/timebase-frequency (or from cpu@N), 0 if absent */
	struct dt_hart harts[NCPU];	/* the first NCPU harts described, eligible or not */
	int      nharts;
	uint64_t plic_base, plic_size;     /* first node compatible "riscv,plic0" or "sifive,plic-1.0.0"; 0 if none */
	uint32_t plic_ndev;                /* riscv,ndev */
	uint64_t clint_base;               /* "riscv,clint0"/"sifive,clint0", 0 if none (informational) */
	uint64_t rtc_base;                 /* "google,goldfish-rtc" (QEMU virt), 0 if none */
	struct dt_uart uart;               /* the stdout-path node if it is a UART we drive, else the first one found */
	char     uart_path[DT_STR];        /* the node path of `uart`, e.g. "/soc/serial@10000000" */
	struct dt_poweroff poweroff;
	struct dt_virtio virtio[DT_MAX_VIRTIO]; /* enabled "virtio,mmio" nodes with a reg, document order */
	int      nvirtio;
};

/*
 * dt_probe - parse the FDT at @blob, of at most @maxlen readable bytes,
 * into @out.  @blob_pa is the blob's physical address (recorded as a reserved
 * range).  Bounds-checked: never reads outside [blob, blob+min(maxlen,totalsize)).
 * Returns 0, or a negative value if the blob is not a valid FDT (bad magic,
 * version < 16, offsets/sizes out of range, unterminated strings, malformed
 * structure block).  Partial results in @out are undefined on error.
 */
int dt_probe(const void *blob, size_t maxlen, uint64_t blob_pa, struct dt_info *out);

#endif
