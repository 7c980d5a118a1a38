/*
 * test_swap_hdr.c - host test of vm/swap_hdr.c, the swap header parser.
 *
 * The good headers are made at test time by the host's mkswap (util-linux),
 * with a label and a UUID; bad pages, other byte orders and malformed
 * fields are patched into a copy of such a page, or made by hand.  The
 * verdicts are Linux 6.1's swapon's (mm/swapfile.c, read_swap_header and
 * the bad-page loop): each malformed case names the rule it breaks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/swap_hdr.h"

#define UUID "4f1c2a7e-9b3d-4e55-a0c1-0123456789ab"
static const uint8_t uuid_bytes[16] = { 0x4f, 0x1c, 0x2a, 0x7e, 0x9b, 0x3d, 0x4e, 0x55,
					0xa0, 0xc1, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };

static uint8_t made[SWAP_HDR_PAGE];	/* page 0 of a 1 MiB area from mkswap */
static struct swap_hdr h;

/* mkswap_page - run the host's mkswap on a file of @bytes and read its page 0 into @page. */
static void mkswap_page(unsigned long bytes, const char *opts, uint8_t *page)
{
	char path[] = "/tmp/test_swap_hdr.XXXXXX", cmd[512];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)bytes), 0);
	snprintf(cmd, sizeof(cmd), "PATH=\"$PATH:/usr/sbin:/sbin\" mkswap %s %s > /dev/null 2>&1",
		 opts, path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(pread(fd, page, SWAP_HDR_PAGE, 0), SWAP_HDR_PAGE);
	close(fd);
	unlink(path);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static void put32_swapped(uint8_t *p, size_t off, uint32_t v)
{
	put32(p, off, __builtin_bswap32(v));
}

static int setup(void **state)
{
	(void)state;
	mkswap_page(1 << 20, "-L swaplabel -U " UUID, made);
	return 0;
}

/* A fresh mkswap header: 256 pages, page 0 the header, label and uuid as given. */
static void test_mkswap_good(void **state)
{
	(void)state;
	assert_int_equal(swap_hdr_parse(made, 256, &h), 0);
	assert_int_equal(h.last_page, 255);
	assert_int_equal(h.npages, 256);
	assert_int_equal(h.good, 255);
	assert_int_equal(h.nbad, 0);
	assert_false(h.swapped);
	assert_false(h.truncated);
	assert_string_equal(h.label, "swaplabel");
	assert_memory_equal(h.uuid, uuid_bytes, 16);
	/* an unknown device size, or a bigger device: the header's size rules */
	assert_int_equal(swap_hdr_parse(made, 0, &h), 0);
	assert_int_equal(h.npages, 256);
	assert_int_equal(swap_hdr_parse(made, 100000, &h), 0);
	assert_int_equal(h.npages, 256);
}

/* A size that is no multiple of the page: mkswap leaves the tail out, and so do we. */
static void test_mkswap_odd_size(void **state)
{
	static uint8_t page[SWAP_HDR_PAGE];

	(void)state;
	mkswap_page((1 << 20) + 3000, "", page);
	assert_int_equal(swap_hdr_parse(page, ((1 << 20) + 3000) / 4096, &h), 0);
	assert_int_equal(h.npages, 256);
	assert_string_equal(h.label, "");
}

/* "Swap area shorter than signature indicates": EINVAL, not a smaller area. */
static void test_device_shorter(void **state)
{
	(void)state;
	assert_int_equal(swap_hdr_parse(made, 255, &h), -EINVAL);
}

/* The parser reads words from any alignment (UBSan watches). */
static void test_unaligned(void **state)
{
	static uint8_t buf[SWAP_HDR_PAGE + 1];

	(void)state;
	memcpy(buf + 1, made, SWAP_HDR_PAGE);
	assert_int_equal(swap_hdr_parse(buf + 1, 256, &h), 0);
	assert_int_equal(h.npages, 256);
}

/* Bad pages: kept once each, counted out of the usable slots. */
static void test_bad_pages(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	put32(p, 1032, 4);
	put32(p, 1536, 5);
	put32(p, 1540, 7);
	put32(p, 1544, 5);	/* twice */
	put32(p, 1548, 255);	/* the last page is a page too */
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_int_equal(h.nbad, 3);
	assert_int_equal(h.bad[0], 5);
	assert_int_equal(h.bad[1], 7);
	assert_int_equal(h.bad[2], 255);
	assert_int_equal(h.good, 252);
	/* page 0 is the header: naming it bad is malformed */
	put32(p, 1540, 0);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	/* past last_page */
	put32(p, 1540, 256);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
}

/* The most bad pages the list has room for, and one more. */
static void test_bad_count_limit(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	assert_int_equal(SWAP_HDR_MAX_BAD, 637);
	memcpy(p, made, sizeof(p));
	for (unsigned i = 0; i < SWAP_HDR_MAX_BAD; i++)
		put32(p, 1536 + 4 * i, 1 + i % 200);
	put32(p, 1032, SWAP_HDR_MAX_BAD);
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_int_equal(h.nbad, 200);
	assert_int_equal(h.good, 55);
	put32(p, 1032, SWAP_HDR_MAX_BAD + 1);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1032, 0xffffffff);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
}

/* Every page but the header bad: no usable slot ("Empty swap-file"). */
static void test_all_bad(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	put32(p, 1028, 2);
	put32(p, 1032, 2);
	put32(p, 1536, 1);
	put32(p, 1540, 2);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1032, 1);
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_int_equal(h.npages, 3);
	assert_int_equal(h.good, 1);
}

/* No signature, the old one, a corrupted one. */
static void test_signatures(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memset(p, 0, sizeof(p));
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	memcpy(p, made, sizeof(p));
	memcpy(p + SWAP_HDR_MAGIC_OFF, "SWAP-SPACE", 10);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	memcpy(p + SWAP_HDR_MAGIC_OFF, "SWAPSPACE3", 10);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	memcpy(p + SWAP_HDR_MAGIC_OFF, "swapspace2", 10);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
}

/* Version 1 only; last_page 0 is an empty area. */
static void test_version_and_empty(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	put32(p, 1024, 0);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1024, 2);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1024, 0x02000000);	/* 2, swapped */
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1024, 1);
	put32(p, 1028, 0);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
	put32(p, 1028, 1);	/* one usable page: the smallest area */
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_int_equal(h.good, 1);
}

/* A header from a machine of the other byte order reads the same, swapped. */
static void test_byte_swapped(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	put32_swapped(p, 1024, 1);
	put32_swapped(p, 1028, 255);
	put32_swapped(p, 1032, 2);
	put32_swapped(p, 1536, 9);
	put32_swapped(p, 1540, 200);
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_true(h.swapped);
	assert_int_equal(h.npages, 256);
	assert_int_equal(h.nbad, 2);
	assert_int_equal(h.bad[0], 9);
	assert_int_equal(h.bad[1], 200);
	assert_int_equal(h.good, 253);
	/* the swapped count is checked against the limit too */
	put32_swapped(p, 1032, SWAP_HDR_MAX_BAD + 1);
	assert_int_equal(swap_hdr_parse(p, 256, &h), -EINVAL);
}

/* Past what a swap entry can name: truncated, not refused; the device still bounds it. */
static void test_truncated(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	put32(p, 1028, (1U << 27) + 5);
	assert_int_equal(swap_hdr_parse(p, 0, &h), 0);
	assert_true(h.truncated);
	assert_int_equal(h.npages, 1UL << 27);
	assert_int_equal(h.good, (1UL << 27) - 1);
	assert_int_equal(swap_hdr_parse(p, (1UL << 27) - 1, &h), -EINVAL);
	/* exactly the limit: pages 0 .. 2^27 - 1, nothing cut */
	put32(p, 1028, (1U << 27) - 1);
	assert_int_equal(swap_hdr_parse(p, 1UL << 27, &h), 0);
	assert_false(h.truncated);
	/* a bad page between the limit and last_page is legal, and ignored */
	put32(p, 1028, (1U << 27) + 5);
	put32(p, 1032, 1);
	put32(p, 1536, (1U << 27) + 2);
	assert_int_equal(swap_hdr_parse(p, 0, &h), 0);
	assert_int_equal(h.nbad, 0);
}

/* A 16-byte label has no NUL in the header; ours always ends. */
static void test_long_label(void **state)
{
	uint8_t p[SWAP_HDR_PAGE];

	(void)state;
	memcpy(p, made, sizeof(p));
	memcpy(p + 1052, "0123456789abcdef", 16);
	assert_int_equal(swap_hdr_parse(p, 256, &h), 0);
	assert_string_equal(h.label, "0123456789abcdef");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkswap_good),     cmocka_unit_test(test_mkswap_odd_size),
		cmocka_unit_test(test_device_shorter),  cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_bad_pages),       cmocka_unit_test(test_bad_count_limit),
		cmocka_unit_test(test_all_bad),         cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_version_and_empty), cmocka_unit_test(test_byte_swapped),
		cmocka_unit_test(test_truncated),       cmocka_unit_test(test_long_label),
	};
	return cmocka_run_group_tests(tests, setup, 0);
}
