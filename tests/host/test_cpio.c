/*
 * test_cpio.c - host test of fs/cpio.c.
 *
 * Real archives are made at test time by GNU cpio from a scratch directory
 * whose every file we know, so the parser is checked against the tool that
 * makes the initramfs, not against our own idea of the format.  Hand-built
 * archives then reach each error path, and truncated and corrupted copies
 * (deterministic PRNG) check that no input makes the parser read outside
 * its buffer (ASan) or loop: each mutant sits in a malloc'd block of
 * exactly its length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <cmocka.h>

#include "fs/cpio.h"
#include "test_util.h"

#define FUZZ_SEED	0x486f6c737465696eull	/* "Holstein" */
#define FUZZ_RUNS	20000
#define MAX_ENTRIES	64
#define TEST_MTIME	1234567890

/* One file of the scratch tree: what we put there, to compare with. */
struct tree_file {
	const char *name;	/* relative to the tree's root */
	size_t size;		/* regular files: bytes of pattern data */
};

static const struct tree_file tree_files[] = {
	{ "a", 1 }, { "hello.txt", 12 }, { "bin/prog", 5000 }, { "bin/empty", 0 },
	{ "abc", 3 }, { "abcd", 4 }, { "abcde", 4097 }, { "hard1", 77 },
};
#define NFILES (sizeof(tree_files) / sizeof(tree_files[0]))

static char scratch[200];	/* the tree: <tmp>/holstein-cpio-XXXXXX */
static char scratch_parent[200], scratch_base[64];
static uint8_t *newc, *crc;	/* the archives cpio made */
static size_t newc_len, crc_len;
static bool have_cpio;

/* pattern - the content of byte @i of file @name: depends on both. */
static uint8_t pattern(const char *name, size_t i)
{
	return (uint8_t)(strlen(name) * 31 + i * 7 + (i >> 8));
}

/* write_file - create @path holding the pattern for @name, @size bytes. */
static void write_file(const char *path, const char *name, size_t size)
{
	FILE *fp = fopen(path, "wb");

	if (!fp) {
		perror(path);
		exit(2);
	}
	for (size_t i = 0; i < size; i++)
		fputc(pattern(name, i), fp);
	fclose(fp);
}

/*
 * last_slash - the last '/' in @s (there is one: @s is an absolute path).
 * <string.h> is the kernel's here (-Ikernel), which has no strrchr.
 */
static const char *last_slash(const char *s)
{
	const char *r = s;

	for (; *s; s++)
		if (*s == '/')
			r = s;
	return r;
}

/* run - a shell command that must succeed for the test setup to make sense. */
static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "setup command failed: %s\n", cmd);
		exit(2);
	}
}

/*
 * make_tree - the scratch directory: files of awkward sizes (every
 * padding remainder), a subdirectory, a symlink and a hard link, all with
 * a fixed mtime; then one archive in each format.
 */
static void make_tree(void)
{
	char path[512], cmd[1024], arch[80];
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch, sizeof(scratch), "%s/holstein-cpio-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/bin", scratch);
	mkdir(path, 0755);
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", scratch, tree_files[i].name);
		write_file(path, tree_files[i].name, tree_files[i].size);
		chmod(path, i & 1 ? 0755 : 0644);
	}
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && ln hard1 hard2 && ln -s hello.txt link && "
		 "touch -h -d @%d . bin * bin/* && "
		 "find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../%s.newc && "
		 "find . | LC_ALL=C sort | cpio -o -H crc --quiet > ../%s.crc",
		 scratch, TEST_MTIME, last_slash(scratch) + 1, last_slash(scratch) + 1);
	run(cmd);
	snprintf(scratch_parent, sizeof(scratch_parent), "%.*s",
		 (int)(last_slash(scratch) - scratch), scratch);
	snprintf(scratch_base, sizeof(scratch_base), "%s", last_slash(scratch) + 1);
	snprintf(arch, sizeof(arch), "%s.newc", scratch_base);
	newc = test_load(scratch_parent, arch, &newc_len);
	snprintf(arch, sizeof(arch), "%s.crc", scratch_base);
	crc = test_load(scratch_parent, arch, &crc_len);
}

static int group_setup(void **state)
{
	(void)state;
	have_cpio = system("cpio --version >/dev/null 2>&1") == 0;
	if (have_cpio)
		make_tree();
	else
		fprintf(stderr, "cpio not installed: the real-archive cases are skipped\n");
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[1024];

	(void)state;
	if (have_cpio) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s.newc' '%s.crc'", scratch, scratch,
			 scratch);
		run(cmd);
	}
	free(newc);
	free(crc);
	return 0;
}

/*
 * walk - parse every entry of [buf, buf+len) into @out (up to MAX_ENTRIES),
 * checking the invariants any result must keep: entries lie inside the
 * buffer, names are NUL-terminated there, the offset only moves forward.
 * Returns the last cpio_next result (0 or negative); *@n gets the count.
 */
static int walk(const uint8_t *buf, size_t len, struct cpio_entry *out, int *n)
{
	size_t off = 0;
	int r, count = 0;
	struct cpio_entry e;

	for (;;) {
		size_t before = off;

		r = cpio_next(buf, len, &off, &e);
		if (r != 1) {
			assert_true(r <= 0);
			assert_int_equal(off, before);
			break;
		}
		assert_true(off > before);
		assert_true(off <= len);
		assert_true(off == len || off % 4 == 0);
		assert_true((const uint8_t *)e.name >= buf + before + 110);
		assert_true((const uint8_t *)e.name + e.namelen < buf + len);
		assert_int_equal(e.name[e.namelen], 0);
		assert_true(e.data >= (const uint8_t *)e.name + e.namelen + 1);
		assert_true(e.size <= (uint64_t)(buf + len - e.data));
		assert_true(e.data + e.size <= buf + off);
		if (out && count < MAX_ENTRIES)
			out[count] = e;
		count++;
		/* Each entry takes at least a header: a longer walk is a loop. */
		assert_true((size_t)count <= len / 110);
	}
	*n = count;
	return r;
}

/*
 * entry_is - does @e carry name @name?  GNU cpio drops the "./" that
 * `find .` puts in front; other archivers keep it, so ignore it.
 */
static bool entry_is(const struct cpio_entry *e, const char *name)
{
	const char *n = e->name;
	size_t nl = e->namelen;

	if (nl > 2 && n[0] == '.' && n[1] == '/') {
		n += 2;
		nl -= 2;
	}
	return nl == strlen(name) && memcmp(n, name, nl) == 0;
}

/*
 * check_against_tree - every entry of a cpio-made archive matches what
 * lstat() and the file contents say, and every file we made is there.
 */
static void check_against_tree(const uint8_t *buf, size_t len)
{
	struct cpio_entry ents[MAX_ENTRIES];
	int n, hard_data = 0;
	bool seen[NFILES] = { false };

	assert_int_equal(walk(buf, len, ents, &n), 0);
	assert_true(n >= (int)NFILES + 4);	/* ., bin, hard2, link */
	for (int i = 0; i < n; i++) {
		const struct cpio_entry *e = &ents[i];
		char path[512];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%.*s", scratch, (int)e->namelen, e->name);
		assert_int_equal(lstat(path, &st), 0);
		assert_int_equal(e->mode, st.st_mode);
		assert_int_equal(e->mtime, TEST_MTIME);
		if (S_ISLNK(st.st_mode)) {
			assert_true(entry_is(e, "link"));
			assert_int_equal(e->size, 9);
			assert_memory_equal(e->data, "hello.txt", 9);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			assert_int_equal(e->size, 0);
			continue;
		}
		assert_int_equal(e->nlink, st.st_nlink);
		if (st.st_nlink > 1) {
			/* newc stores a hard link's data once, with the last name. */
			if (e->size) {
				assert_int_equal(e->size, st.st_size);
				hard_data++;
			}
			continue;
		}
		for (size_t f = 0; f < NFILES; f++) {
			if (!entry_is(e, tree_files[f].name))
				continue;
			seen[f] = true;
			assert_int_equal(e->size, tree_files[f].size);
			for (size_t b = 0; b < e->size; b++)
				assert_int_equal(e->data[b], pattern(tree_files[f].name, b));
		}
	}
	assert_int_equal(hard_data, 1);
	for (size_t f = 0; f < NFILES; f++)
		if (strcmp(tree_files[f].name, "hard1") != 0)
			assert_true(seen[f]);
}

static void test_real_newc(void **state)
{
	(void)state;
	if (!have_cpio)
		skip();
	assert_memory_equal(newc, "070701", 6);
	check_against_tree(newc, newc_len);
}

static void test_real_crc(void **state)
{
	(void)state;
	if (!have_cpio)
		skip();
	assert_memory_equal(crc, "070702", 6);
	check_against_tree(crc, crc_len);
}

/* --- hand-built archives ------------------------------------------------ */

struct hb {
	uint8_t buf[8192];
	size_t len;
};

/* hb_pad - zero bytes up to a multiple of 4, as an archiver would. */
static void hb_pad(struct hb *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/*
 * hb_entry - append an entry.  @namesize is written as given (so it can
 * lie); @name's bytes (namelen of them) follow, then a NUL if @nul.
 */
static void hb_entry_raw(struct hb *a, const char *magic, uint32_t mode, uint32_t namesize,
			 const char *name, size_t namelen, bool nul, const void *data,
			 uint32_t size, size_t datalen)
{
	char h[111];

	snprintf(h, sizeof(h), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 42u, mode, 0u, 0u, 1u, 1000u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(a->buf + a->len, h, 110);
	a->len += 110;
	memcpy(a->buf + a->len, name, namelen);
	a->len += namelen;
	if (nul)
		a->buf[a->len++] = 0;
	hb_pad(a);
	memcpy(a->buf + a->len, data, datalen);
	a->len += datalen;
	hb_pad(a);
}

/* hb_file - a well-formed regular file entry. */
static void hb_file(struct hb *a, const char *name, const char *data)
{
	hb_entry_raw(a, "070701", 0100644, (uint32_t)strlen(name) + 1, name, strlen(name), true,
		     data, (uint32_t)strlen(data), strlen(data));
}

/* hb_trailer - the end marker, with its padding. */
static void hb_trailer(struct hb *a)
{
	hb_entry_raw(a, "070701", 0, 11, "TRAILER!!!", 10, true, "", 0, 0);
}

/* parse_copy - cpio_next on an exact-size heap copy of @a at @off. */
static int parse_copy(const struct hb *a, size_t len, size_t *off, struct cpio_entry *e)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, a->buf, len);
	r = cpio_next(copy, len, off, e);
	/* Keep only what does not point into the copy. */
	e->name = NULL;
	e->data = NULL;
	free(copy);
	return r;
}

static void test_hand_good(void **state)
{
	struct hb a = { .len = 0 };
	struct cpio_entry ents[MAX_ENTRIES];
	int n;

	(void)state;
	hb_file(&a, "x", "");
	hb_file(&a, "dir/yy", "12345");
	hb_file(&a, "zzz", "abcdefgh");
	hb_trailer(&a);
	assert_int_equal(walk(a.buf, a.len, ents, &n), 0);
	assert_int_equal(n, 3);
	assert_true(entry_is(&ents[0], "x"));
	assert_int_equal(ents[0].size, 0);
	assert_true(entry_is(&ents[1], "dir/yy"));
	assert_int_equal(ents[1].size, 5);
	assert_memory_equal(ents[1].data, "12345", 5);
	assert_int_equal(ents[1].mode, 0100644);
	assert_int_equal(ents[1].ino, 42);
	assert_int_equal(ents[1].nlink, 1);
	assert_int_equal(ents[1].mtime, 1000);
	assert_true(entry_is(&ents[2], "zzz"));
	assert_memory_equal(ents[2].data, "abcdefgh", 8);
	/* Data and next header start on 4-byte boundaries. */
	assert_int_equal((ents[1].data - a.buf) % 4, 0);
}

static void test_hand_lowercase_and_crc(void **state)
{
	struct hb a = { .len = 0 };
	struct cpio_entry e;
	size_t off = 0;

	(void)state;
	hb_entry_raw(&a, "070702", 0100755, 2, "f", 1, true, "data", 4, 4);
	/* Our writer uses upper case: lower the mode's hex digits by hand. */
	for (size_t i = 6; i < 110; i++)
		if (a.buf[i] >= 'A' && a.buf[i] <= 'F')
			a.buf[i] += 'a' - 'A';
	assert_int_equal(cpio_next(a.buf, a.len, &off, &e), 1);
	assert_int_equal(e.mode, 0100755);
	assert_int_equal(e.size, 4);
	assert_int_equal(off, a.len);
}

static void test_hand_trailer(void **state)
{
	struct hb a = { .len = 0 };
	struct cpio_entry e;
	size_t off = 0;

	(void)state;
	hb_trailer(&a);
	assert_int_equal(parse_copy(&a, a.len, &off, &e), 0);
	assert_int_equal(off, 0);
	/* Without its padding, right at the end of the buffer: still the end. */
	assert_int_equal(parse_copy(&a, 121, &off, &e), 0);
	/* Without its NUL it is malformed. */
	assert_true(parse_copy(&a, 120, &off, &e) < 0);
	/* A name that merely starts like the trailer is a file. */
	a.len = 0;
	hb_file(&a, "TRAILER!!!x", "");
	assert_int_equal(parse_copy(&a, a.len, &off, &e), 1);
}

static void test_hand_unpadded_last(void **state)
{
	struct hb a = { .len = 0 };
	struct cpio_entry e;
	size_t off = 0;

	(void)state;
	/* Name "ab" ends at 113, data "xyz" at 119: cut the final padding. */
	hb_file(&a, "ab", "xyz");
	assert_int_equal(a.len, 120);
	assert_int_equal(parse_copy(&a, 119, &off, &e), 1);
	assert_int_equal(off, 119);
	assert_true(parse_copy(&a, 119, &off, &e) < 0);	/* no trailer: truncated */
}

/* expect_bad - the single entry in @a is malformed at every prefix length too. */
static void expect_bad(const struct hb *a)
{
	struct cpio_entry e;

	for (size_t l = 0; l <= a->len; l++) {
		size_t off = 0;

		assert_true(parse_copy(a, l, &off, &e) < 0);
		assert_int_equal(off, 0);
	}
}

static void test_hand_errors(void **state)
{
	struct hb a;
	struct cpio_entry e;
	size_t off;

	(void)state;
	/* Bad magic: the old binary and odc formats, and garbage. */
	static const char *const magics[] = { "070707", "070700", "07070 ", "xxxxxx" };
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		a.len = 0;
		hb_entry_raw(&a, magics[i], 0100644, 2, "f", 1, true, "", 0, 0);
		expect_bad(&a);
	}

	/* namesize 0. */
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 0, "", 0, false, "", 0, 0);
	expect_bad(&a);

	/* Name not NUL-terminated (namesize covers a non-NUL byte). */
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 4, "abcd", 4, false, "", 0, 0);
	expect_bad(&a);

	/* Name past the end: namesize larger than what is left. */
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 0x7fffffff, "f", 1, true, "", 0, 0);
	expect_bad(&a);
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 0xffffffff, "f", 1, true, "", 0, 0);
	expect_bad(&a);

	/* Data past the end. */
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 2, "f", 1, true, "abcd", 5, 4);
	expect_bad(&a);
	a.len = 0;
	hb_entry_raw(&a, "070701", 0100644, 2, "f", 1, true, "abcd", 0xffffffff, 4);
	expect_bad(&a);

	/* A non-hex digit in each field in turn. */
	static const char bad_digits[] = { 'g', ' ', '-', '+', 'x', 0, 'G', '/' };
	for (int field = 0; field < 13; field++)
		for (size_t d = 0; d < sizeof(bad_digits); d++) {
			a.len = 0;
			hb_file(&a, "f", "");
			a.buf[6 + field * 8 + (d % 8)] = (uint8_t)bad_digits[d];
			off = 0;
			assert_true(parse_copy(&a, a.len, &off, &e) < 0);
		}

	/* Offsets outside the buffer. */
	a.len = 0;
	hb_file(&a, "f", "");
	hb_trailer(&a);
	off = a.len + 1;
	assert_true(parse_copy(&a, a.len, &off, &e) < 0);
	off = SIZE_MAX;
	assert_true(parse_copy(&a, a.len, &off, &e) < 0);
	off = a.len;
	assert_true(parse_copy(&a, a.len, &off, &e) < 0);
	off = 0;
	assert_true(parse_copy(&a, 0, &off, &e) < 0);
}

/* --- truncation and corruption -------------------------------------------- */

/*
 * check_prefixes - parse every prefix of @buf.  A prefix that holds the
 * trailer's name parses to the end (0) with the same entries as the whole
 * archive; any shorter one fails (<0) after a prefix of those entries.
 */
static void check_prefixes(const uint8_t *buf, size_t len)
{
	struct cpio_entry full[MAX_ENTRIES], part[MAX_ENTRIES];
	size_t trailer_end = 0, off = 0;
	struct cpio_entry e;
	int n, m;

	assert_int_equal(walk(buf, len, full, &n), 0);
	while (cpio_next(buf, len, &off, &e) == 1)
		;
	trailer_end = off + 110 + 11;

	for (size_t l = 0; l <= len; l++) {
		uint8_t *copy = malloc(l ? l : 1);
		int r;

		memcpy(copy, buf, l);
		r = walk(copy, l, part, &m);
		if (l >= trailer_end) {
			assert_int_equal(r, 0);
			assert_int_equal(m, n);
		} else {
			assert_true(r < 0);
			assert_true(m <= n);
		}
		for (int i = 0; i < m && i < MAX_ENTRIES; i++) {
			/* Same entry: same place in the archive, same sizes. */
			assert_int_equal((const uint8_t *)part[i].name - copy,
					 (const uint8_t *)full[i].name - buf);
			assert_int_equal(part[i].namelen, full[i].namelen);
			assert_int_equal(part[i].size, full[i].size);
		}
		free(copy);
	}
}

static void test_truncation_real(void **state)
{
	(void)state;
	if (!have_cpio)
		skip();
	check_prefixes(newc, newc_len);
	check_prefixes(crc, crc_len);
}

static void test_truncation_hand(void **state)
{
	struct hb a = { .len = 0 };

	(void)state;
	hb_file(&a, "one", "1");
	hb_file(&a, "two2", "22");
	hb_file(&a, "three", "333");
	hb_trailer(&a);
	check_prefixes(a.buf, a.len);
}

/*
 * mutate - damage @buf in one of the ways that reach deep: a random byte
 * anywhere, a hex digit changed into another (the header still parses but
 * a size lies), a whole field set to a huge value, or a byte made non-hex.
 */
static void mutate(uint8_t *buf, size_t len, uint64_t *seed)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	size_t at = test_below(seed, (uint32_t)len);

	switch (test_below(seed, 4)) {
	case 0:
		buf[at] = (uint8_t)test_rand(seed);
		break;
	case 1:
		buf[at] = (uint8_t)hex[test_below(seed, sizeof(hex) - 1)];
		break;
	case 2:
		at -= at % 4;
		for (size_t i = at; i < at + 8 && i < len; i++)
			buf[i] = test_below(seed, 2) ? 'f' : '7';
		break;
	default:
		buf[at] = (uint8_t)":g \n"[test_below(seed, 4)];
		break;
	}
}

/* fuzz - FUZZ_RUNS corrupted (and often truncated) copies of @src. */
static void fuzz(const uint8_t *src, size_t len, uint64_t seed)
{
	unsigned ended = 0, failed = 0;

	for (int run = 0; run < FUZZ_RUNS; run++) {
		size_t l = len;
		uint8_t *copy;
		int n, r;

		if (test_below(&seed, 4) == 0)
			l = test_below(&seed, (uint32_t)len + 1);
		copy = malloc(l ? l : 1);
		memcpy(copy, src, l);
		if (l)
			for (unsigned k = 1 + test_below(&seed, 8); k; k--)
				mutate(copy, l, &seed);
		r = walk(copy, l, NULL, &n);
		if (r == 0)
			ended++;
		else
			failed++;
		free(copy);
	}
	/* Both outcomes must occur, or the mutations are not reaching the parser. */
	assert_true(ended > 0);
	assert_true(failed > 0);
}

static void test_fuzz_real(void **state)
{
	(void)state;
	if (!have_cpio)
		skip();
	fuzz(newc, newc_len, FUZZ_SEED);
	fuzz(crc, crc_len, FUZZ_SEED + 1);
}

static void test_fuzz_hand(void **state)
{
	struct hb a = { .len = 0 };

	(void)state;
	hb_file(&a, "a", "");
	hb_file(&a, "bb", "x");
	hb_file(&a, "ccc", "yy");
	hb_file(&a, "dddd", "zzz");
	hb_trailer(&a);
	fuzz(a.buf, a.len, FUZZ_SEED + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_newc),
		cmocka_unit_test(test_real_crc),
		cmocka_unit_test(test_hand_good),
		cmocka_unit_test(test_hand_lowercase_and_crc),
		cmocka_unit_test(test_hand_trailer),
		cmocka_unit_test(test_hand_unpadded_last),
		cmocka_unit_test(test_hand_errors),
		cmocka_unit_test(test_truncation_real),
		cmocka_unit_test(test_truncation_hand),
		cmocka_unit_test(test_fuzz_real),
		cmocka_unit_test(test_fuzz_hand),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
