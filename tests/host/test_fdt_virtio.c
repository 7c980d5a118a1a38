/*
 * test_fdt_virtio.c - host tests of dt_probe's virtio,mmio slots
 * (kernel/devtree.c): QEMU virt's eight transports, and a synthetic tree
 * with disabled, reg-less and interrupt-less slots and more than fit.
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

/* probe - load @dir/@name and dt_probe it (must succeed) into @info. */
static void probe(const char *dir, const char *name, struct dt_info *info)
{
	size_t len;
	uint8_t *blob = test_load(dir, name, &len);

	assert_int_equal(dt_probe(blob, len, 0x87e00000ull, info), 0);
	free(blob);
}

/*
 * QEMU virt: slots at 0x10001000 + 0x1000 * k with interrupt 1 + k, each
 * 0x1000 long; all eight found whatever their order in the blob.
 */
static void test_virt(void **state)
{
	struct dt_info info;
	int seen[8] = { 0 };

	(void)state;
	probe(HOST_DTB_DIR, "virt-smp2.dtb", &info);
	assert_int_equal(info.nvirtio, 8);
	for (int i = 0; i < info.nvirtio; i++) {
		uint64_t k = (info.virtio[i].base - 0x10001000) / 0x1000;

		assert_true(info.virtio[i].base >= 0x10001000 && k < 8);
		assert_int_equal(info.virtio[i].base, 0x10001000 + 0x1000 * k);
		assert_int_equal(info.virtio[i].size, 0x1000);
		assert_int_equal(info.virtio[i].irq, 1 + k);
		assert_int_equal(seen[k], 0);
		seen[k] = 1;
	}
}

/* sifive_u has no virtio transport. */
static void test_sifive_u(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_DTB_DIR, "sifive_u-smp5.dtb", &info);
	assert_int_equal(info.nvirtio, 0);
}

/* Skipped: disabled and reg-less; kept: interrupt-less (irq 0); capped at DT_MAX_VIRTIO. */
static void test_synthetic(void **state)
{
	struct dt_info info;

	(void)state;
	probe(HOST_TEST_DTB_DIR, "virtio.dtb", &info);
	assert_int_equal(info.nvirtio, DT_MAX_VIRTIO);
	assert_int_equal(info.virtio[0].base, 0x3000);
	assert_int_equal(info.virtio[0].size, 0x200);
	assert_int_equal(info.virtio[0].irq, 0);
	for (int i = 1; i < DT_MAX_VIRTIO; i++) {
		assert_int_equal(info.virtio[i].base, 0x1000 * (uint64_t)(i + 3));
		assert_int_equal(info.virtio[i].irq, i + 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt),
		cmocka_unit_test(test_sifive_u),
		cmocka_unit_test(test_synthetic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
