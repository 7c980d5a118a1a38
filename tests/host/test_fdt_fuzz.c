/*
 * test_fdt_fuzz.c - throw corrupted blobs at fdt.c and devtree.c.
 *
 * Each mutant lives in a malloc'd buffer of exactly its length and the
 * binary is built with -fsanitize=address,undefined (no recovery), so any
 * read outside the blob, misaligned load or overflow aborts the run.  A test
 * passes if nothing crashes, every walk of an accepted blob terminates
 * cleanly, and dt_probe's output stays within its own bounds.  The PRNG is
 * seeded with a constant, so failures reproduce.
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

#define FUZZ_SEED 0x486f6c737465696eull /* "Holstein" */
#define FUZZ_FLIPS 20000
#define FUZZ_HEADERS 5000
#define FUZZ_TOKENS 10000
#define FUZZ_SPLICES 5000

struct base {
	uint8_t *b;
	uint32_t len;	 /* the header's totalsize: QEMU pads its dumps */
	int props[4096]; /* offsets (from the blob start) of PROP and BEGIN_NODE tokens */
	int nprops;
};

static const struct {
	const char *dir, *name;
} sources[] = {
    {HOST_DTB_DIR, "virt-smp2.dtb"},	 {HOST_DTB_DIR, "virt-smp4.dtb"},
    {HOST_DTB_DIR, "sifive_u-smp5.dtb"}, {HOST_DTB_DIR, "jh7110-visionfive2.dtb"},
    {HOST_TEST_DTB_DIR, "synth32.dtb"},	 {HOST_TEST_DTB_DIR, "synth64.dtb"},
    {HOST_TEST_DTB_DIR, "hostile.dtb"},	 {HOST_TEST_DTB_DIR, "deep32.dtb"},
};
#define NBASES (sizeof(sources) / sizeof(sources[0]))

static struct base bases[NBASES];
static unsigned long accepted, total_runs;

/*
 * exercise_node - run the per-node API over @node.  The calls that rescan
 * the tree from the root (path, parent, reg) are costly, so the caller only
 * asks for them (@deep) on a sample of nodes.
 */
static void exercise_node(const struct fdt *f, int node, bool deep)
{
	const char *name;
	const void *val;
	uint32_t len, u32;
	uint64_t u64, base, size;
	char path[96];
	int prop, n;

	name = fdt_node_name(f, node, &len);
	assert_non_null(name);
	for (prop = fdt_first_prop(f, node); prop >= 0; prop = fdt_next_prop(f, prop)) {
		assert_int_equal(fdt_prop_info(f, prop, &name, &val, &len), 0);
		assert_true((const uint8_t *)val + len <= f->blob + f->totalsize);
		(void)fdt_stringlist_has(val, len, "okay");
	}
	assert_int_equal(prop, FDT_ENOTFOUND);
	(void)fdt_prop_str(f, node, "compatible");
	(void)fdt_prop_u32(f, node, "phandle", &u32);
	(void)fdt_prop_uint(f, node, "reg", &u64);
	(void)fdt_node_enabled(f, node);
	(void)fdt_node_addr_cells(f, node);
	(void)fdt_node_size_cells(f, node);
	(void)fdt_first_child(f, node);
	if (!deep)
		return;
	(void)fdt_next_sibling(f, node);
	(void)fdt_parent(f, node);
	(void)fdt_node_by_phandle(f, fdt_phandle(f, node));
	for (int i = 0; i < 3; i++)
		(void)fdt_reg(f, node, i, &base, &size);
	n = fdt_node_path(f, node, path, sizeof(path));
	if (n >= 0)
		(void)fdt_find_path(f, path, (size_t)n);
}

/*
 * exercise - dt_probe @len bytes at @buf and, if fdt_init accepts them,
 * walk every node and property.  Asserts the walk ends with FDT_ENOTFOUND
 * within as many steps as the blob has words (so it cannot loop).
 */
static void exercise(const uint8_t *buf, size_t len)
{
	static struct dt_info info;
	struct fdt f;
	int node, depth = 0, rc;
	uint32_t steps = 0, i;
	uint64_t a, s;

	total_runs++;
	rc = dt_probe(buf, len, 0x80000000, &info);
	if (rc == 0) {
		assert_true(info.nmem >= 0 && info.nmem <= DT_MAX_MEM);
		assert_true(info.nresv >= 1 && info.nresv <= DT_MAX_RESV);
		assert_true(info.nharts >= 0 && info.nharts <= NCPU);
		assert_true(strnlen(info.model, DT_STR) < DT_STR);
		assert_true(strnlen(info.bootargs, DT_BOOTARGS) < DT_BOOTARGS);
		assert_true(strnlen(info.stdout_path, DT_STR) < DT_STR);
		assert_true(strnlen(info.uart_path, DT_STR) < DT_STR);
	}
	if (fdt_init(&f, buf, len) != 0) {
		assert_int_not_equal(rc, 0); /* both must agree on validity */
		return;
	}
	assert_int_equal(rc, 0);
	accepted++;
	for (i = 0; fdt_rsv_entry(&f, i, &a, &s) == 0; i++)
		;
	assert_int_equal(i, f.nrsv);
	for (node = fdt_node_next(&f, -1, &depth); node >= 0;
	     node = fdt_node_next(&f, node, &depth)) {
		assert_true(++steps <= len / 4);
		assert_true(depth >= 0 && depth < FDT_MAX_DEPTH);
		exercise_node(&f, node, steps % 7 == 1);
	}
	assert_int_equal(node, FDT_ENOTFOUND);
	(void)fdt_find_path(&f, "serial0", 7);
	(void)fdt_find_path(&f, "/soc/serial", 11);
	(void)fdt_find_compatible(&f, -1, "ns16550a");
}

/* run - copy @len bytes of @src into an exact-size heap buffer and exercise it. */
static void run(const uint8_t *src, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	memcpy(buf, src, len);
	/* len 0: pass a pointer whose every byte is out of bounds */
	exercise(len ? buf : buf + 1, len);
	free(buf);
}

/* Load each base blob and index its token offsets for targeted mutations. */
static int setup(void **state)
{
	struct fdt f;
	size_t flen;
	int node, prop;

	(void)state;
	for (size_t i = 0; i < NBASES; i++) {
		struct base *b = &bases[i];

		b->b = test_load(sources[i].dir, sources[i].name, &flen);
		b->len = test_be32(b->b + 4);
		if (b->len > flen || fdt_init(&f, b->b, b->len) != 0)
			return -1;
		b->nprops = 0;
		for (node = fdt_root(&f); node >= 0; node = fdt_node_next(&f, node, NULL)) {
			if (b->nprops < 4096)
				b->props[b->nprops++] = (int)(f.dt_struct - f.blob) + node;
			for (prop = fdt_first_prop(&f, node); prop >= 0 && b->nprops < 4096;
			     prop = fdt_next_prop(&f, prop))
				b->props[b->nprops++] = (int)(f.dt_struct - f.blob) + prop;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < NBASES; i++)
		free(bases[i].b);
	print_message("fuzz: %lu blobs parsed, %lu accepted by fdt_init\n", total_runs, accepted);
	return 0;
}

/* Every base blob, unmodified: must be accepted. */
static void test_bases(void **state)
{
	(void)state;
	for (size_t i = 0; i < NBASES; i++) {
		unsigned long before = accepted;

		run(bases[i].b, bases[i].len);
		assert_int_equal(accepted, before + 1);
	}
}

/*
 * Truncate at every length, three ways: header untouched (must be
 * rejected), totalsize patched to the new length, and totalsize plus block
 * sizes clipped so the parser gets past the header into a cut structure or
 * strings block.
 */
static void test_truncate(void **state)
{
	uint8_t *m;
	uint32_t off, sz;

	(void)state;
	for (size_t i = 0; i < NBASES; i++) {
		struct base *b = &bases[i];

		m = malloc(b->len);
		for (uint32_t len = 0; len < b->len; len++) {
			unsigned long before = accepted;

			run(b->b, len);
			assert_int_equal(accepted, before);
			if (len < 40)
				continue;
			memcpy(m, b->b, len);
			test_put_be32(m + 4, len);
			run(m, len);
			for (int blk = 0; blk < 2; blk++) {
				/* blk 0: strings (off 12, size 32); blk 1: struct (off 8, size 36)
				 */
				off = test_be32(m + (blk ? 8 : 12));
				sz = test_be32(m + (blk ? 36 : 32));
				if (off <= len && sz > len - off)
					test_put_be32(m + (blk ? 36 : 32),
						      (len - off) & (blk ? ~3u : ~0u));
			}
			run(m, len);
		}
		free(m);
	}
}

/* Random byte changes (bit flips, random bytes, boundary words) anywhere. */
static void test_flips(void **state)
{
	static const uint32_t words[] = {0, 1,		2,	    3,		4,
					 9, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff};
	uint64_t rng = FUZZ_SEED;
	uint8_t *m;

	(void)state;
	for (int it = 0; it < FUZZ_FLIPS; it++) {
		struct base *b = &bases[test_below(&rng, NBASES)];
		int nmut = 1 + (int)test_below(&rng, 8);

		m = malloc(b->len);
		memcpy(m, b->b, b->len);
		for (int k = 0; k < nmut; k++) {
			uint32_t pos = test_below(&rng, b->len);

			switch (test_below(&rng, 3)) {
			case 0:
				m[pos] ^= (uint8_t)(1u << test_below(&rng, 8));
				break;
			case 1:
				m[pos] = (uint8_t)test_rand(&rng);
				break;
			default:
				pos &= ~3u;
				if (pos + 4 <= b->len)
					test_put_be32(m + pos, words[test_below(&rng, 10)]);
			}
		}
		run(m, b->len);
		free(m);
	}
}

/* Random header fields: any of the ten words set to a random or edge value. */
static void test_headers(void **state)
{
	uint64_t rng = FUZZ_SEED ^ 1;
	uint8_t *m;
	uint32_t v;

	(void)state;
	for (int it = 0; it < FUZZ_HEADERS; it++) {
		struct base *b = &bases[test_below(&rng, NBASES)];
		int nmut = 1 + (int)test_below(&rng, 3);

		m = malloc(b->len);
		memcpy(m, b->b, b->len);
		for (int k = 0; k < nmut; k++) {
			uint32_t field = 1 + test_below(&rng, 9); /* keep the magic mostly */
			uint32_t old = test_be32(m + 4 * field);

			switch (test_below(&rng, 5)) {
			case 0:
				v = (uint32_t)test_rand(&rng);
				break;
			case 1:
				v = test_below(&rng, b->len + 64);
				break;
			case 2:
				v = old + test_below(&rng, 17) - 8;
				break;
			case 3:
				v = b->len - test_below(&rng, 64);
				break;
			default:
				v = (uint32_t)0 - test_below(&rng, 16);
			}
			test_put_be32(m + 4 * field, v);
		}
		run(m, b->len);
		free(m);
	}
}

/*
 * Targeted structure damage at real token offsets: property lengths and name
 * offsets, token words, node names losing their NUL or gaining a '/'.
 */
static void test_tokens(void **state)
{
	uint64_t rng = FUZZ_SEED ^ 2;
	uint8_t *m;

	(void)state;
	for (int it = 0; it < FUZZ_TOKENS; it++) {
		struct base *b = &bases[test_below(&rng, NBASES)];
		int nmut = 1 + (int)test_below(&rng, 3);

		m = malloc(b->len);
		memcpy(m, b->b, b->len);
		for (int k = 0; k < nmut; k++) {
			uint32_t at = (uint32_t)b->props[test_below(&rng, (uint32_t)b->nprops)];
			uint32_t tok = test_be32(m + at);
			uint32_t r = test_below(&rng, 6);

			if (r == 0) {
				test_put_be32(m + at, test_below(&rng, 11)); /* token */
			} else if (tok == 3 && r <= 2) {
				uint32_t len = test_be32(m + at + 4); /* value length */

				test_put_be32(m + at + 4, r == 1 ? (uint32_t)test_rand(&rng)
								 : len + test_below(&rng, 33) - 16);
			} else if (tok == 3) {
				uint32_t off = test_be32(m + at + 8); /* name offset */

				test_put_be32(m + at + 8, r == 3 ? (uint32_t)test_rand(&rng)
								 : off + test_below(&rng, 9) - 4);
			} else if (tok == 1 && at + 8 <= b->len) {
				m[at + 4 + test_below(&rng, 4)] = r == 5 ? '/' : 'x'; /* name */
			}
		}
		run(m, b->len);
		free(m);
	}
}

/*
 * Splices: delete, duplicate or move a word-aligned chunk, so offsets and
 * sizes in the header stop matching the data and the length changes.
 */
static void test_splices(void **state)
{
	uint64_t rng = FUZZ_SEED ^ 3;
	uint8_t *m;

	(void)state;
	for (int it = 0; it < FUZZ_SPLICES; it++) {
		struct base *b = &bases[test_below(&rng, NBASES)];
		uint32_t from = test_below(&rng, b->len) & ~3u;
		uint32_t n = (test_below(&rng, 64) + 1) * 4;
		uint32_t to = test_below(&rng, b->len) & ~3u;
		uint32_t len;

		if (from + n > b->len)
			n = b->len - from;
		m = malloc(b->len + n);
		switch (test_below(&rng, 3)) {
		case 0: /* delete [from, from+n) */
			memcpy(m, b->b, from);
			memcpy(m + from, b->b + from + n, b->len - from - n);
			len = b->len - n;
			break;
		case 1: /* insert a copy of [from, from+n) at `to` */
			memcpy(m, b->b, to);
			memcpy(m + to, b->b + from, n);
			memcpy(m + to + n, b->b + to, b->len - to);
			len = b->len + n;
			break;
		default: /* overwrite at `to` with [from, from+n) */
			memcpy(m, b->b, b->len);
			if (to + n > b->len)
				n = b->len - to;
			memmove(m + to, b->b + from, n);
			len = b->len;
		}
		if (test_below(&rng, 2) && len >= 8)
			test_put_be32(m + 4, len); /* keep totalsize consistent half the time */
		run(m, len);
		free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bases),  cmocka_unit_test(test_truncate),
	    cmocka_unit_test(test_flips),  cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_tokens), cmocka_unit_test(test_splices),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
