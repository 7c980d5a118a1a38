/*
 * test_fdt.c - host tests of kernel/fdt.c and kernel/devtree.c.
 *
 *  - dt_probe over real blobs (QEMU virt and sifive_u dumps, our VisionFive 2
 *    tree) and synthetic ones (tests/host/dts) against known facts;
 *  - hand-built malformed blobs that fdt_init must reject, each for the
 *    right reason;
 *  - an oracle: every node and property, and the navigation API, compared
 *    with libfdt over each valid blob.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/fdt.h"
#include "kernel/devtree.h"
#include "test_util.h"
#include "fdt_oracle.h"

#define BLOB_PA 0x87e00000ull /* arbitrary: only echoed into the reserved list */

/* The blobs every test may use, by file name and directory. */
struct blob_src {
	const char *dir;
	const char *name;
};

static const struct blob_src all_blobs[] = {
    {HOST_DTB_DIR, "virt-smp2.dtb"},	 {HOST_DTB_DIR, "virt-smp4.dtb"},
    {HOST_DTB_DIR, "sifive_u-smp5.dtb"}, {HOST_DTB_DIR, "jh7110-visionfive2.dtb"},
    {HOST_TEST_DTB_DIR, "synth32.dtb"},	 {HOST_TEST_DTB_DIR, "synth64.dtb"},
    {HOST_TEST_DTB_DIR, "hostile.dtb"},	 {HOST_TEST_DTB_DIR, "deep32.dtb"},
};

/* probe - load @dir/@name and dt_probe it (must succeed) into @info. */
static void probe(const char *dir, const char *name, struct dt_info *info)
{
	size_t len;
	uint8_t *blob = test_load(dir, name, &len);

	assert_int_equal(dt_probe(blob, len, BLOB_PA, info), 0);
	/* The blob itself is always the last reserved range. */
	assert_true(info->nresv >= 1);
	assert_int_equal(info->resv[info->nresv - 1].base, BLOB_PA);
	assert_int_equal(info->resv[info->nresv - 1].size, test_be32(blob + 4));
	free(blob);
}

/* has_resv - true iff [base, base+size) is one of @info's reserved ranges. */
static bool has_resv(const struct dt_info *info, uint64_t base, uint64_t size)
{
	for (int i = 0; i < info->nresv; i++)
		if (info->resv[i].base == base && info->resv[i].size == size)
			return true;
	return false;
}

/* check_virt - facts common to every QEMU virt dump with @harts harts and @mem bytes. */
static void check_virt(const char *name, int harts, uint64_t mem)
{
	struct dt_info info;

	probe(HOST_DTB_DIR, name, &info);
	assert_string_equal(info.model, "riscv-virtio,qemu");
	assert_int_equal(info.nmem, 1);
	assert_int_equal(info.mem[0].base, 0x80000000);
	assert_int_equal(info.mem[0].size, mem);
	assert_int_equal(info.nharts, harts);
	for (int h = 0; h < harts; h++) {
		assert_int_equal(info.harts[h].hartid, h);
		assert_true(info.harts[h].eligible);
		assert_true(info.harts[h].has_sstc);
		assert_true(info.harts[h].intc_phandle > 0);
		assert_int_equal(info.harts[h].plic_sctx, 2 * h + 1);
	}
	assert_int_equal(info.timebase, 10000000);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x600000);
	assert_int_equal(info.plic_ndev, 0x60);
	assert_int_equal(info.clint_base, 0x2000000);
	assert_int_equal(info.rtc_base, 0x101000);
	assert_string_equal(info.stdout_path, "/soc/serial@10000000");
	assert_int_equal(info.uart.kind, DT_UART_8250);
	assert_int_equal(info.uart.base, 0x10000000);
	assert_int_equal(info.uart.size, 0x100);
	assert_int_equal(info.uart.reg_shift, 0);
	assert_int_equal(info.uart.reg_io_width, 1);
	assert_int_equal(info.uart.clock, 3686400);
	assert_int_equal(info.uart.irq, 10);
	assert_string_equal(info.uart_path, "/soc/serial@10000000");
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_SYSCON);
	assert_int_equal(info.poweroff.base, 0x100000);
	assert_int_equal(info.poweroff.offset, 0);
	assert_int_equal(info.poweroff.value, 0x5555);
	assert_int_equal(info.poweroff.is_sifive_test, 1);
	assert_int_equal(info.initrd_start, 0);
	assert_int_equal(info.initrd_end, 0);
	assert_string_equal(info.bootargs, "");
	assert_int_equal(info.nresv, 1);
}

static void test_virt_smp2(void **state)
{
	(void)state;
	check_virt("virt-smp2.dtb", 2, 256ull << 20);
}

static void test_virt_smp4(void **state)
{
	(void)state;
	check_virt("virt-smp4.dtb", 4, 1ull << 30);
}

static void test_sifive_u(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_DTB_DIR, "sifive_u-smp5.dtb", &info);
	assert_string_equal(info.model, "SiFive HiFive Unleashed A00");
	assert_int_equal(info.nmem, 1);
	assert_int_equal(info.mem[0].base, 0x80000000);
	assert_int_equal(info.mem[0].size, 128ull << 20); /* QEMU's default -m */
	assert_int_equal(info.nharts, 5);
	/* hart 0 is the E51 monitor core: no mmu-type, never ours */
	assert_int_equal(info.harts[0].hartid, 0);
	assert_false(info.harts[0].eligible);
	assert_int_equal(info.harts[0].plic_sctx, -1);
	for (int h = 1; h < 5; h++) {
		assert_int_equal(info.harts[h].hartid, h);
		assert_true(info.harts[h].eligible);
		assert_false(info.harts[h].has_sstc);
		assert_int_equal(info.harts[h].plic_sctx, 2 * h);
	}
	assert_int_equal(info.timebase, 1000000);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x4000000);
	assert_int_equal(info.plic_ndev, 0x35);
	assert_int_equal(info.clint_base, 0x2000000);
	assert_int_equal(info.rtc_base, 0);	/* sifive_u has no RTC: the fixed epoch */
	assert_int_equal(info.uart.kind, DT_UART_SIFIVE);
	assert_int_equal(info.uart.base, 0x10010000);
	assert_int_equal(info.uart.irq, 4);
	assert_int_equal(info.uart.reg_io_width, 1);
	assert_string_equal(info.uart_path, "/soc/serial@10010000");
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_NONE);
}

static void test_visionfive2(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_DTB_DIR, "jh7110-visionfive2.dtb", &info);
	assert_string_equal(info.model, "StarFive VisionFive 2 v1.3B");
	assert_int_equal(info.nmem, 1);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[0].size, 4ull << 30);
	assert_int_equal(info.nresv, 2);
	assert_true(has_resv(&info, 0x40000000, 0x200000));
	assert_int_equal(info.nharts, 5);
	assert_false(info.harts[0].eligible);
	assert_int_equal(info.harts[0].plic_sctx, -1);
	for (int h = 1; h < 5; h++) {
		assert_int_equal(info.harts[h].hartid, h);
		assert_true(info.harts[h].eligible);
		assert_false(info.harts[h].has_sstc);
		assert_int_equal(info.harts[h].plic_sctx, 2 * h);
	}
	assert_int_equal(info.timebase, 4000000);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x4000000);
	assert_int_equal(info.plic_ndev, 136);
	assert_int_equal(info.clint_base, 0x2000000);
	assert_string_equal(info.stdout_path, "serial0");
	assert_int_equal(info.uart.kind, DT_UART_8250);
	assert_int_equal(info.uart.base, 0x10000000);
	assert_int_equal(info.uart.size, 0x10000);
	assert_int_equal(info.uart.reg_shift, 2);
	assert_int_equal(info.uart.reg_io_width, 4);
	assert_int_equal(info.uart.clock, 24000000);
	assert_int_equal(info.uart.irq, 32);
	assert_string_equal(info.uart_path, "/soc/serial@10000000");
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_NONE);
}

static void test_synth32(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_TEST_DTB_DIR, "synth32.dtb", &info);
	assert_string_equal(info.model, "holstein,synth-32");
	assert_string_equal(info.bootargs, "console=ttyS0 root=/dev/ram0 quiet");
	assert_string_equal(info.stdout_path, "serial0");
	assert_int_equal(info.initrd_start, 0x88000000);
	assert_int_equal(info.initrd_end, 0x88100000);
	/* two ranges from one node, the disabled node skipped, "okay" kept */
	assert_int_equal(info.nmem, 3);
	assert_int_equal(info.mem[0].base, 0x80000000);
	assert_int_equal(info.mem[0].size, 0x4000000);
	assert_int_equal(info.mem[1].base, 0x90000000);
	assert_int_equal(info.mem[1].size, 0x1000000);
	assert_int_equal(info.mem[2].base, 0xb0000000);
	assert_int_equal(info.mem[2].size, 0x200000);
	/* /memreserve/ x2, fw@ (not the disabled one nor the reg-less pool), blob */
	assert_int_equal(info.nresv, 4);
	assert_int_equal(info.resv[0].base, 0x80000000);
	assert_int_equal(info.resv[0].size, 0x20000);
	assert_int_equal(info.resv[1].base, 0x90000000);
	assert_int_equal(info.resv[1].size, 0x1000);
	assert_int_equal(info.resv[2].base, 0x80000000);
	assert_int_equal(info.resv[2].size, 0x40000);
	assert_int_equal(info.timebase, 12345678);
	assert_int_equal(info.nharts, 3);
	/* ISA match is whole-token and case-insensitive ("SSTC") */
	assert_true(info.harts[0].eligible);
	assert_true(info.harts[0].has_sstc);
	assert_int_equal(info.harts[0].plic_sctx, 2);
	/* disabled; "zsstc"/"sstcx" are not sstc, but isa-extensions has it */
	assert_false(info.harts[1].eligible);
	assert_true(info.harts[1].has_sstc);
	assert_int_equal(info.harts[1].plic_sctx, 4);
	/* no status at all means okay; masked pairs still count as contexts */
	assert_true(info.harts[2].eligible);
	assert_false(info.harts[2].has_sstc);
	assert_int_equal(info.harts[2].plic_sctx, 6);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x4000000);
	assert_int_equal(info.plic_ndev, 31);
	assert_int_equal(info.clint_base, 0);
	/* stdout through the alias wins over the earlier sifive,uart0 */
	assert_int_equal(info.uart.kind, DT_UART_8250);
	assert_int_equal(info.uart.base, 0x10001000);
	assert_int_equal(info.uart.size, 0x100);
	assert_int_equal(info.uart.reg_shift, 0);
	assert_int_equal(info.uart.reg_io_width, 1);
	assert_int_equal(info.uart.clock, 1843200);
	assert_int_equal(info.uart.irq, 10);
	assert_string_equal(info.uart_path, "/soc/uart@10001000");
	/* no syscon-poweroff: the bare test device is used */
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_SYSCON);
	assert_int_equal(info.poweroff.base, 0x100000);
	assert_int_equal(info.poweroff.offset, 0);
	assert_int_equal(info.poweroff.value, 0x5555);
	assert_int_equal(info.poweroff.is_sifive_test, 1);
}

static void test_synth64(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_TEST_DTB_DIR, "synth64.dtb", &info);
	assert_string_equal(info.model, "");
	assert_string_equal(info.bootargs, "");
	assert_string_equal(info.stdout_path, "/soc/gpio@3000");
	assert_int_equal(info.initrd_start, 0x100000000ull);
	assert_int_equal(info.initrd_end, 0x100800000ull);
	assert_int_equal(info.nmem, 1);
	assert_int_equal(info.mem[0].base, 0x100000000ull);
	assert_int_equal(info.mem[0].size, 0x80000000ull);
	assert_int_equal(info.nresv, 1);
	assert_int_equal(info.timebase, 1000000);
	assert_int_equal(info.nharts, 1);
	assert_int_equal(info.harts[0].hartid, 5);
	assert_true(info.harts[0].eligible); /* legacy status "ok" */
	assert_true(info.harts[0].has_sstc);
	assert_int_equal(info.harts[0].intc_phandle, 0x42);
	assert_int_equal(info.harts[0].plic_sctx, 1);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x400000);
	assert_int_equal(info.plic_ndev, 53);
	assert_int_equal(info.clint_base, 0x2000000);
	/* stdout is a GPIO: first enabled UART instead, skipping the disabled one */
	assert_int_equal(info.uart.kind, DT_UART_SIFIVE);
	assert_int_equal(info.uart.base, 0x2000);
	assert_int_equal(info.uart.irq, 4);
	assert_string_equal(info.uart_path, "/soc/uart@2000");
	/* syscon without "value" on a sifive,test1 target: 0x5555 */
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_SYSCON);
	assert_int_equal(info.poweroff.base, 0x100000);
	assert_int_equal(info.poweroff.offset, 4);
	assert_int_equal(info.poweroff.value, 0x5555);
	assert_int_equal(info.poweroff.is_sifive_test, 1);
}

static void test_hostile(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_TEST_DTB_DIR, "hostile.dtb", &info);
	assert_string_equal(info.model, "");	/* unterminated */
	assert_string_equal(info.bootargs, ""); /* unterminated */
	assert_string_equal(info.stdout_path, "serial0");
	assert_int_equal(info.initrd_start, 0); /* 12-byte start */
	assert_int_equal(info.initrd_end, 0);
	assert_int_equal(info.nmem, 0); /* root #address-cells = 5 */
	assert_int_equal(info.nresv, 1);
	assert_int_equal(info.timebase, 0); /* 3-byte value */
	/* cpu@0 has a 2-byte reg, cpu@2 an unterminated device_type */
	assert_int_equal(info.nharts, 1);
	assert_int_equal(info.harts[0].hartid, 1);
	assert_true(info.harts[0].eligible);
	assert_false(info.harts[0].has_sstc); /* both spellings unterminated */
	assert_int_equal(info.harts[0].intc_phandle, -1);
	assert_int_equal(info.harts[0].plic_sctx, -1);
	assert_int_equal(info.plic_base, 0xc000000);
	assert_int_equal(info.plic_size, 0x1000);
	assert_int_equal(info.plic_ndev, 0);
	/* alias is not absolute; serial@0's reg is short; serial@1 it is */
	assert_int_equal(info.uart.kind, DT_UART_8250);
	assert_int_equal(info.uart.base, 0x10000000);
	assert_int_equal(info.uart.reg_shift, 0);
	assert_int_equal(info.uart.reg_io_width, 1);
	assert_int_equal(info.uart.clock, 0);
	assert_int_equal(info.uart.irq, 0);
	assert_string_equal(info.uart_path, "/soc/serial@1");
	assert_int_equal(info.poweroff.kind, DT_POWEROFF_NONE); /* dangling regmap */
}

static void test_depth_cap(void **state)
{
	struct dt_info info;
	struct fdt f;
	size_t len;
	uint8_t *blob;

	(void)state;
	probe(HOST_TEST_DTB_DIR, "deep32.dtb", &info);
	blob = test_load(HOST_TEST_DTB_DIR, "deep33.dtb", &len);
	assert_int_equal(fdt_init(&f, blob, len), FDT_EDEPTH);
	assert_int_equal(dt_probe(blob, len, BLOB_PA, &info), FDT_EDEPTH);
	free(blob);
}

/* The blob may sit at any byte address: results must not change (UBSan checks alignment). */
static void test_unaligned(void **state)
{
	struct dt_info ref, info;
	size_t len;
	uint8_t *blob, *buf;

	(void)state;
	blob = test_load(HOST_DTB_DIR, "jh7110-visionfive2.dtb", &len);
	assert_int_equal(dt_probe(blob, len, BLOB_PA, &ref), 0);
	for (size_t shift = 1; shift < 8; shift++) {
		buf = malloc(len + shift);
		memcpy(buf + shift, blob, len);
		assert_int_equal(dt_probe(buf + shift, len, BLOB_PA, &info), 0);
		assert_memory_equal(&ref, &info, sizeof(info));
		free(buf);
	}
	free(blob);
}

/* test_init_copy - fdt_init over an exact-size malloc'd copy (so ASan sees overruns). */
static int test_init_copy(const uint8_t *src, size_t len)
{
	struct fdt f;
	uint8_t *buf = malloc(len ? len : 1);
	int rc;

	memcpy(buf, src, len);
	rc = fdt_init(&f, buf, len);
	free(buf);
	return rc;
}

static void test_header_errors(void **state)
{
	struct fdt f;
	size_t len;
	uint8_t *blob, *b;
	uint32_t total;

	(void)state;
	blob = test_load(HOST_DTB_DIR, "virt-smp2.dtb", &len);
	total = test_be32(blob + 4);
	b = malloc(total);
	assert_int_equal(fdt_init(&f, NULL, 100), FDT_EINVAL);
	assert_int_equal(test_init_copy(blob, 0), FDT_EBADLAYOUT);
	assert_int_equal(test_init_copy(blob, 7), FDT_EBADLAYOUT);
	assert_int_equal(test_init_copy(blob, total - 1), FDT_EBADLAYOUT);
	assert_int_equal(test_init_copy(blob, total), 0);

#define PATCHED(off, val, want)                                                                    \
	do {                                                                                       \
		memcpy(b, blob, total);                                                            \
		test_put_be32(b + (off), (val));                                                   \
		assert_int_equal(test_init_copy(b, total), (want));                                \
	} while (0)
	PATCHED(0, 0xd00dfeee, FDT_EBADMAGIC);
	PATCHED(4, 20, FDT_EBADLAYOUT); /* totalsize below the header */
	PATCHED(4, 0xffffffff, FDT_EBADLAYOUT);
	PATCHED(20, 15, FDT_EBADVERSION);
	PATCHED(24, 18, FDT_EBADVERSION);
	PATCHED(8, 0x3a, FDT_EBADLAYOUT); /* struct misaligned */
	PATCHED(8, 8, FDT_EBADLAYOUT);	  /* struct inside the header */
	PATCHED(8, total, FDT_EBADLAYOUT);
	PATCHED(12, total, FDT_EBADLAYOUT);		/* strings run off the end */
	PATCHED(12, 0xfffffff0, FDT_EBADLAYOUT);	/* offset + size overflow */
	PATCHED(16, 0x2c, FDT_EBADLAYOUT);		/* rsvmap misaligned */
	PATCHED(16, (total - 8) & ~7u, FDT_EBADLAYOUT); /* rsvmap terminator outside */
	PATCHED(32, 0xffffffff, FDT_EBADLAYOUT);
	PATCHED(36, 0x1032, FDT_EBADLAYOUT); /* struct size not a multiple of 4 */
	PATCHED(36, 0x0ffc, FDT_EBADSTRUCT); /* struct block cut before FDT_END */
	PATCHED(32, 0x10, FDT_EBADSTRING);   /* strings cut: names out of range */
#undef PATCHED
	free(b);
	free(blob);
}

/*
 * A tiny blob builder for structure-block cases: header, empty reservation
 * map, then tokens; mk_finish appends the strings block and fills the header.
 */
struct mk {
	uint8_t b[1024];
	uint32_t n;
};

static void mk_word(struct mk *m, uint32_t v)
{
	test_put_be32(m->b + m->n, v);
	m->n += 4;
}

static void mk_start(struct mk *m)
{
	memset(m, 0, sizeof(*m));
	m->n = 56; /* 40-byte header + one 16-byte rsvmap terminator */
}

static void mk_begin(struct mk *m, const char *name)
{
	size_t l = strlen(name) + 1;

	mk_word(m, 1);
	memcpy(m->b + m->n, name, l);
	m->n += (uint32_t)((l + 3) & ~(size_t)3);
}

static void mk_prop(struct mk *m, uint32_t len, uint32_t nameoff)
{
	mk_word(m, 3);
	mk_word(m, len);
	mk_word(m, nameoff);
	memset(m->b + m->n, 0xab, len);
	m->n += (len + 3) & ~3u;
}

/* mk_finish - append @nstr bytes of strings; returns the total size. */
static uint32_t mk_finish(struct mk *m, const char *strings, uint32_t nstr)
{
	uint32_t off_strings = m->n;

	memcpy(m->b + m->n, strings, nstr);
	m->n += nstr;
	test_put_be32(m->b + 0, FDT_MAGIC);
	test_put_be32(m->b + 4, m->n);
	test_put_be32(m->b + 8, 56);
	test_put_be32(m->b + 12, off_strings);
	test_put_be32(m->b + 16, 40);
	test_put_be32(m->b + 20, 17);
	test_put_be32(m->b + 24, 16);
	test_put_be32(m->b + 32, nstr);
	test_put_be32(m->b + 36, off_strings - 56);
	return m->n;
}

static const char mk_strings[] = "model\0status"; /* "model" at 0, "status" at 6 */
#define MK_NSTR ((uint32_t)sizeof(mk_strings))

static void test_struct_errors(void **state)
{
	struct mk m;
	struct fdt f;
	uint32_t total;

	(void)state;
	/* well-formed, with NOPs everywhere they may appear */
	mk_start(&m);
	mk_word(&m, 4);
	mk_begin(&m, "");
	mk_word(&m, 4);
	mk_prop(&m, 5, 0);
	mk_word(&m, 4);
	mk_prop(&m, 0, 6);
	mk_begin(&m, "child@1");
	mk_word(&m, 4);
	mk_word(&m, 2);
	mk_word(&m, 2);
	mk_word(&m, 4);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), 0);
	assert_int_equal(fdt_init(&f, m.b, total), 0);
	assert_int_equal(fdt_root(&f), 4);
	assert_int_equal(fdt_first_child(&f, 4), 52);
	assert_int_equal(fdt_find_path(&f, "/child", 6), 52);
	assert_non_null(fdt_find_prop(&f, 4, "status", NULL));
	assert_int_equal(fdt_first_prop(&f, 52), FDT_ENOTFOUND);
	assert_int_equal(fdt_next_sibling(&f, 52), FDT_ENOTFOUND);
	assert_int_equal(fdt_first_child(&f, 12), FDT_EINVAL); /* a NOP, not a node */
	assert_int_equal(fdt_next_prop(&f, 4), FDT_EINVAL);    /* a node, not a prop */
	assert_int_equal(fdt_node_path(&f, 41, (char[8]){0}, 8), FDT_EINVAL);
	assert_int_equal(fdt_parent(&f, 16), FDT_EINVAL); /* a prop, not a node */
	assert_null(fdt_node_name(&f, 100000, NULL));

	/* property after a subnode */
	mk_start(&m);
	mk_begin(&m, "");
	mk_begin(&m, "a");
	mk_word(&m, 2);
	mk_prop(&m, 4, 0);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* END_NODE with nothing open */
	mk_start(&m);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* no FDT_END: the walk runs off the block */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 2);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* FDT_END with the root still open */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* unknown token */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 5);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* two roots */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 2);
	mk_begin(&m, "");
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* property outside any node */
	mk_start(&m);
	mk_prop(&m, 4, 0);
	mk_begin(&m, "");
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* name offset past the strings block, and into its unterminated tail */
	mk_start(&m);
	mk_begin(&m, "");
	mk_prop(&m, 4, MK_NSTR);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRING);
	mk_start(&m);
	mk_begin(&m, "");
	mk_prop(&m, 4, 6);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR - 1); /* "status" loses its NUL */
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRING);

	/* property length past the block, and huge */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 3);
	mk_word(&m, 64);
	mk_word(&m, 0);
	mk_word(&m, 2);
	mk_word(&m, 9);
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);
	test_put_be32(m.b + 68, 0xfffffff8);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRUCT);

	/* node name running to the end of the structure block */
	mk_start(&m);
	mk_begin(&m, "");
	mk_word(&m, 1);
	memcpy(m.b + m.n, "abcdefgh", 8);
	m.n += 8;
	total = mk_finish(&m, mk_strings, MK_NSTR);
	assert_int_equal(test_init_copy(m.b, total), FDT_EBADSTRING);
}

/* Navigation API details on real trees. */
static void test_api(void **state)
{
	struct fdt f;
	size_t len;
	uint8_t *blob;
	int node, n;
	char path[64];
	uint64_t base, size;
	uint32_t nlen;

	(void)state;
	blob = test_load(HOST_DTB_DIR, "virt-smp2.dtb", &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	node = fdt_find_path(&f, "/soc/serial@10000000", 64);
	assert_true(node > 0);
	assert_int_equal(fdt_find_path(&f, "/soc/serial", 11), node);
	assert_int_equal(fdt_find_path(&f, "//soc//serial@10000000/", 23), node);
	assert_int_equal(fdt_find_path(&f, "/soc/serial@10000000:115200", 20), node);
	assert_int_equal(fdt_find_path(&f, "/soc/serial@1000", 16), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "/soc/seria", 10), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "/nonexistent", 12), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "", 0), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "/", 1), fdt_root(&f));
	assert_int_equal(fdt_find_path(&f, "serial0", 7), FDT_ENOTFOUND); /* no /aliases */
	assert_string_equal(fdt_node_name(&f, fdt_root(&f), &nlen), "");
	assert_int_equal(nlen, 0);
	assert_int_equal(fdt_parent(&f, fdt_root(&f)), FDT_ENOTFOUND);
	assert_int_equal(fdt_reg(&f, node, 0, &base, &size), 0);
	assert_int_equal(base, 0x10000000);
	assert_int_equal(size, 0x100);
	assert_int_equal(fdt_reg(&f, node, 1, &base, &size), FDT_ENOTFOUND);
	assert_int_equal(fdt_reg(&f, fdt_root(&f), 0, &base, &size), FDT_ENOTFOUND);
	n = fdt_node_path(&f, node, path, sizeof(path));
	assert_int_equal(n, 20);
	assert_string_equal(path, "/soc/serial@10000000");
	assert_int_equal(fdt_node_path(&f, node, path, 21), 20);
	assert_int_equal(fdt_node_path(&f, node, path, 20), FDT_ENOSPACE);
	assert_int_equal(fdt_node_path(&f, fdt_root(&f), path, 2), 1);
	assert_string_equal(path, "/");
	assert_int_equal(fdt_node_path(&f, fdt_root(&f), path, 1), FDT_ENOSPACE);
	assert_true(
	    fdt_node_compatible(&f, fdt_find_compatible(&f, -1, "riscv,clint0"), "sifive,clint0"));
	assert_int_equal(fdt_find_compatible(&f, -1, "no,such"), FDT_ENOTFOUND);
	assert_int_equal(fdt_node_by_phandle(&f, 0), FDT_ENOTFOUND);
	assert_int_equal(fdt_node_by_phandle(&f, 0xffffffff), FDT_ENOTFOUND);
	assert_int_equal(fdt_node_addr_cells(&f, fdt_find_path(&f, "/cpus", 5)), 1);
	assert_int_equal(fdt_node_size_cells(&f, fdt_find_path(&f, "/cpus", 5)), 0);
	assert_int_equal(fdt_node_addr_cells(&f, node), 2); /* defaults */
	assert_int_equal(fdt_node_size_cells(&f, node), 1);
	free(blob);

	blob = test_load(HOST_DTB_DIR, "jh7110-visionfive2.dtb", &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	node = fdt_find_path(&f, "/soc/serial@10000000", 20);
	assert_int_equal(fdt_find_path(&f, "serial0", 7), node);
	assert_int_equal(fdt_find_path(&f, "serial0:115200n8", 7), node);
	assert_int_equal(fdt_find_path(&f, "serial0/x", 9), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "serial1", 7), FDT_ENOTFOUND);
	assert_int_equal(fdt_find_path(&f, "memory", 6), FDT_ENOTFOUND); /* not an alias */
	assert_true(fdt_find_path(&f, "/memory", 7) > 0);
	free(blob);

	blob = test_load(HOST_TEST_DTB_DIR, "synth32.dtb", &len);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	assert_int_equal(f.nrsv, 2);
	assert_int_equal(fdt_rsv_entry(&f, 1, &base, &size), 0);
	assert_int_equal(base, 0x90000000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_rsv_entry(&f, 2, &base, &size), FDT_ENOTFOUND);
	free(blob);
}

/*
 * oracle_compare - walk @blob with our parser and with libfdt and require
 * the same nodes (offset, depth, name) and properties (offset, name, length,
 * bytes) in the same order, plus the same answers from the navigation calls.
 */
static void oracle_compare(const uint8_t *blob, size_t len)
{
	enum { MAXREC = 8192 };
	struct oracle_rec *recs = calloc(MAXREC, sizeof(*recs));
	struct fdt f;
	int n, i = 0, depth = 0, node, prop, root, aliases;
	const char *name;
	const void *val;
	uint32_t plen, ph;
	uint64_t a1, s1, a2, s2;
	char path[1024];

	assert_int_equal(oracle_check(blob, len), 0);
	assert_int_equal(fdt_init(&f, blob, len), 0);
	n = oracle_walk(blob, recs, MAXREC);
	assert_true(n > 0);
	root = fdt_root(&f);
	for (node = fdt_node_next(&f, -1, &depth); node >= 0;
	     node = fdt_node_next(&f, node, &depth)) {
		assert_true(i < n);
		assert_int_equal(recs[i].kind, ORACLE_NODE);
		assert_int_equal(recs[i].offset, node);
		assert_int_equal(recs[i].depth, depth);
		assert_string_equal(recs[i].name, fdt_node_name(&f, node, NULL));
		i++;
		for (prop = fdt_first_prop(&f, node); prop >= 0; prop = fdt_next_prop(&f, prop)) {
			assert_int_equal(fdt_prop_info(&f, prop, &name, &val, &plen), 0);
			assert_true(i < n);
			assert_int_equal(recs[i].kind, ORACLE_PROP);
			assert_int_equal(recs[i].offset, prop);
			assert_string_equal(recs[i].name, name);
			assert_int_equal(recs[i].len, plen);
			assert_memory_equal(recs[i].val, val, plen);
			i++;
		}
		assert_int_equal(prop, FDT_ENOTFOUND);

		assert_true(fdt_node_path(&f, node, path, sizeof(path)) > 0);
		assert_int_equal(fdt_find_path(&f, path, sizeof(path)), node);
		assert_int_equal(oracle_path_offset(blob, path), node);
		assert_int_equal(fdt_first_child(&f, node), oracle_first_child(blob, node));
		if (node != root) {
			assert_int_equal(fdt_parent(&f, node), oracle_parent(blob, node));
			assert_int_equal(fdt_next_sibling(&f, node),
					 oracle_next_sibling(blob, node));
		}
		ph = fdt_phandle(&f, node);
		assert_int_equal(ph, oracle_phandle(blob, node));
		if (ph != 0 && ph != 0xffffffff)
			assert_int_equal(fdt_node_by_phandle(&f, ph), oracle_by_phandle(blob, ph));
		if (oracle_address_cells(blob, node) >= 0)
			assert_int_equal(fdt_node_addr_cells(&f, node),
					 oracle_address_cells(blob, node));
		if (oracle_size_cells(blob, node) >= 0)
			assert_int_equal(fdt_node_size_cells(&f, node),
					 oracle_size_cells(blob, node));
	}
	assert_int_equal(node, FDT_ENOTFOUND);
	assert_int_equal(i, n);

	assert_int_equal((int)f.nrsv, oracle_num_rsv(blob));
	for (uint32_t r = 0; r < f.nrsv; r++) {
		assert_int_equal(fdt_rsv_entry(&f, r, &a1, &s1), 0);
		assert_int_equal(oracle_rsv(blob, (int)r, &a2, &s2), 0);
		assert_int_equal(a1, a2);
		assert_int_equal(s1, s2);
	}

	/* Every alias with an absolute target resolves the same way. */
	aliases = fdt_find_path(&f, "/aliases", 8);
	for (prop = aliases >= 0 ? fdt_first_prop(&f, aliases) : -1; prop >= 0;
	     prop = fdt_next_prop(&f, prop)) {
		assert_int_equal(fdt_prop_info(&f, prop, &name, &val, &plen), 0);
		if (plen > 1 && ((const char *)val)[0] == '/' && strnlen(val, plen) < plen)
			assert_int_equal(fdt_find_path(&f, name, strlen(name)),
					 oracle_path_offset(blob, name));
	}
	free(recs);
}

static void test_oracle(void **state)
{
	size_t len;
	uint8_t *blob;

	(void)state;
	for (size_t i = 0; i < sizeof(all_blobs) / sizeof(all_blobs[0]); i++) {
		blob = test_load(all_blobs[i].dir, all_blobs[i].name, &len);
		/* QEMU pads its dumps: compare over the blob proper */
		oracle_compare(blob, test_be32(blob + 4));
		free(blob);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_virt_smp2),	  cmocka_unit_test(test_virt_smp4),
	    cmocka_unit_test(test_sifive_u),	  cmocka_unit_test(test_visionfive2),
	    cmocka_unit_test(test_synth32),	  cmocka_unit_test(test_synth64),
	    cmocka_unit_test(test_hostile),	  cmocka_unit_test(test_depth_cap),
	    cmocka_unit_test(test_unaligned),	  cmocka_unit_test(test_header_errors),
	    cmocka_unit_test(test_struct_errors), cmocka_unit_test(test_api),
	    cmocka_unit_test(test_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
