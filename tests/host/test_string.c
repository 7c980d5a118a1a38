/*
 * test_string.c - host test of kernel/string.c.
 *
 * The kernel routines are compiled with -fno-builtin and renamed (memcpy ->
 * k_memcpy, ...) so they do not clash with the C library, which this file
 * keeps using as the reference.  Every size/alignment combination around
 * the 8-byte fast paths is compared byte for byte against a simple model,
 * in buffers with guard bytes on both sides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t max);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);
char *k_strchr(const char *s, int c);
size_t k_strlcpy(char *dst, const char *src, size_t size);

#define BUF 256

/* fill - a recognisable pattern so misplaced bytes show up. */
static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* sign - the sign of a comparison result, since only that is specified. */
static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_memcpy(void **state)
{
	static uint8_t src[BUF], dst[BUF], ref[BUF];

	(void)state;
	fill(src, BUF, 1);
	for (size_t so = 0; so < 16; so++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n < 80; n++) {
				fill(dst, BUF, 100);
				memcpy(ref, dst, BUF);
				memcpy(ref + d, src + so, n);
				assert_ptr_equal(k_memcpy(dst + d, src + so, n), dst + d);
				assert_memory_equal(dst, ref, BUF);
			}
	/* a page, aligned: the hot path */
	{
		static uint64_t a[512], b[512];

		fill((uint8_t *)a, sizeof(a), 3);
		k_memcpy(b, a, sizeof(a));
		assert_memory_equal(a, b, sizeof(a));
	}
}

static void test_memmove(void **state)
{
	static uint8_t buf[BUF], ref[BUF];

	(void)state;
	/* every overlap: source and destination windows within one buffer */
	for (size_t so = 0; so < 40; so++)
		for (size_t d = 0; d < 40; d++)
			for (size_t n = 0; n < 64; n++) {
				fill(buf, BUF, 9);
				memcpy(ref, buf, BUF);
				memmove(ref + d, ref + so, n);
				assert_ptr_equal(k_memmove(buf + d, buf + so, n), buf + d);
				assert_memory_equal(buf, ref, BUF);
			}
}

static void test_memset(void **state)
{
	static uint8_t buf[BUF], ref[BUF];

	(void)state;
	for (size_t d = 0; d < 16; d++)
		for (size_t n = 0; n < 80; n++)
			for (int c = 0; c < 3; c++) {
				int val = c == 0 ? 0 : c == 1 ? 0xa5 : 0x1ff; /* 0x1ff -> 0xff */

				fill(buf, BUF, 5);
				memcpy(ref, buf, BUF);
				memset(ref + d, val, n);
				assert_ptr_equal(k_memset(buf + d, val, n), buf + d);
				assert_memory_equal(buf, ref, BUF);
			}
}

static void test_compare(void **state)
{
	(void)state;
	assert_int_equal(k_memcmp("abc", "abc", 3), 0);
	assert_int_equal(k_memcmp("abc", "abd", 0), 0);
	assert_true(k_memcmp("abc", "abd", 3) < 0);
	assert_true(k_memcmp("\x80", "\x01", 1) > 0); /* unsigned bytes */
	assert_int_equal(k_strcmp("", ""), 0);
	assert_int_equal(k_strcmp("okay", "okay"), 0);
	assert_int_equal(sign(k_strcmp("ok", "okay")), sign(strcmp("ok", "okay")));
	assert_int_equal(sign(k_strcmp("okay", "ok")), sign(strcmp("okay", "ok")));
	assert_true(k_strcmp("\xff", "a") > 0);
	assert_int_equal(k_strncmp("serial0:115200", "serial0", 7), 0);
	assert_true(k_strncmp("serial0:115200", "serial0", 8) > 0);
	assert_int_equal(k_strncmp("abc", "abd", 2), 0);
	assert_int_equal(k_strncmp("a\0x", "a\0y", 3), 0); /* stops at the NUL */
	assert_int_equal(k_strncmp("x", "y", 0), 0);
}

static void test_strings(void **state)
{
	static const char s[] = "rv64imafdc_zicsr_sstc";
	char buf[8];

	(void)state;
	assert_int_equal(k_strlen(""), 0);
	assert_int_equal(k_strlen(s), strlen(s));
	assert_int_equal(k_strnlen(s, 4), 4);
	assert_int_equal(k_strnlen(s, 100), strlen(s));
	assert_int_equal(k_strnlen("abc", 0), 0);
	assert_ptr_equal(k_strchr(s, '_'), s + 10);
	assert_ptr_equal(k_strchr(s, 'q'), NULL);
	assert_ptr_equal(k_strchr(s, '\0'), s + strlen(s));
	assert_int_equal(k_strlcpy(buf, "abc", sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(k_strlcpy(buf, "abcdefghijk", sizeof(buf)), 11);
	assert_string_equal(buf, "abcdefg");
	buf[0] = 'z';
	assert_int_equal(k_strlcpy(buf, "abc", 0), 3);
	assert_int_equal(buf[0], 'z');
	assert_int_equal(k_strlcpy(buf, "abc", 1), 3);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy),  cmocka_unit_test(test_memmove),
	    cmocka_unit_test(test_memset),  cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
