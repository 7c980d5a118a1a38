/*
 * crc32c.c - the Castagnoli CRC (polynomial 0x1EDC6F41, bit-reflected as
 * 0x82F63B78) that ext4's metadata_csum uses.
 *
 * ext4's convention: the function neither inverts the seed on entry nor
 * the result on exit, so a checksum is crc32c(~0, ...) chained over the
 * pieces, and the stored value is the raw register.  The standard CRC-32C
 * of a buffer is therefore ~crc32c(~0, buf, len).
 *
 * One 256-entry table, built on first use: a byte per step is plenty for
 * metadata blocks, and a table in .data would be 1 KiB of opaque numbers.
 */
#include <stdint.h>
#include <stddef.h>
#include "ext4.h"

#define CRC32C_POLY_REFLECTED	0x82F63B78u

static uint32_t crc32c_table[256];
static int crc32c_ready;

/*
 * crc32c_init - fill the table: entry b is the register after shifting
 * byte b through eight rounds.  Idempotent, so two harts racing through
 * it the first time both write the same values.
 */
static void crc32c_init(void)
{
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t r = b;

		for (int i = 0; i < 8; i++)
			r = (r >> 1) ^ ((r & 1) ? CRC32C_POLY_REFLECTED : 0);
		crc32c_table[b] = r;
	}
	__atomic_store_n(&crc32c_ready, 1, __ATOMIC_RELEASE);
}

/* crc32c - continue @crc over @len bytes at @p (no pre/post inversion). */
uint32_t crc32c(uint32_t crc, const void *p, size_t len)
{
	const uint8_t *b = p;

	if (!__atomic_load_n(&crc32c_ready, __ATOMIC_ACQUIRE))
		crc32c_init();
	while (len--)
		crc = (crc >> 8) ^ crc32c_table[(crc ^ *b++) & 0xff];
	return crc;
}
