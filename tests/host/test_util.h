/*
 * test_util.h - small helpers shared by the host tests: loading blobs from
 * the build tree and a deterministic PRNG.  Header-only (static functions)
 * so each test binary stays a single source file plus the kernel objects.
 */
#ifndef HOLSTEIN_TEST_UTIL_H
#define HOLSTEIN_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef HOST_DTB_DIR
#define HOST_DTB_DIR "build/dtb"
#endif
#ifndef HOST_TEST_DTB_DIR
#define HOST_TEST_DTB_DIR "build/host/dtb"
#endif

/*
 * test_load - read the whole file @dir/@name into a malloc'd buffer and
 * store its size in *@len.  Exits the program on failure: a missing blob
 * means the build is broken, not that a test failed.
 */
static inline uint8_t *test_load(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read %s (run `make host-tests` first)\n", path);
		exit(2);
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "short read on %s\n", path);
		exit(2);
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* test_be32 / test_put_be32 - header field access for tests that patch blobs. */
static inline uint32_t test_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void test_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* test_rand - xorshift64*: deterministic across runs and platforms. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* test_below - a pseudo-random number in [0, n), n > 0. */
static inline uint32_t test_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)((test_rand(state) >> 11) % n);
}

#endif
