/*
 * random.c - a small non-cryptographic generator (xoshiro256**) for
 * AT_RANDOM and getrandom().  Seeded from the time and cycle counters and
 * the boot hart; stirred again on every request.
 */
#include "kernel.h"
#include "random.h"
#include "spinlock.h"
#include "../arch/riscv/hart.h"

static uint64_t s[4] = { 0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, 1 };
static struct spinlock rnd_lock = SPINLOCK_INIT("random");

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(void)
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	spin_lock(&rnd_lock);
	s[3] ^= arch_read_time();
	next();
	while (n) {
		uint64_t v = next();
		size_t k = MIN(n, sizeof(v));
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
	spin_unlock(&rnd_lock);
}
