/*
 * test_elf.c - host test of kernel/elf.c.
 *
 * Real programs are built at test time with the RISC-V cross compiler (a
 * static glibc program, a dynamically linked one, a static-pie and a
 * shared object made from a tiny _start) and what elf_parse says about
 * them is compared with readelf's view of the same file.  Hand-built
 * headers then walk every rejection path and the limits around them, and
 * mutated headers (deterministic PRNG) check that nothing makes the
 * parser read outside the bytes it was given (each in a malloc'd block of
 * exactly that length, under ASan) or accept an image that breaks the
 * contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/elf.h"
#include "test_util.h"

#ifndef HOST_RISCV_CC
#define HOST_RISCV_CC "riscv64-linux-gnu-gcc"
#endif

#define FUZZ_SEED	0x486f6c737465696eull	/* "Holstein" */
#define FUZZ_RUNS	20000
#define ENOEXEC_RET	(-8)
#define HDR_MAX		4096	/* what exec reads: one page */
#define USER_TOP	0x4000000000ULL
#define DYN_SPAN	0x1000000000ULL

/* --- real binaries ---------------------------------------------------------- */

enum { BIN_STATIC, BIN_DYNAMIC, BIN_STATIC_PIE, BIN_SHARED, NBINS };

static const struct {
	const char *name, *src, *flags;
} bins[NBINS] = {
	[BIN_STATIC] = { "static", "main.c", "-static" },
	[BIN_DYNAMIC] = { "dynamic", "main.c", "" },
	/* Debian's cross gcc leaves a PT_INTERP in -static-pie without this. */
	[BIN_STATIC_PIE] = { "spie", "start.c", "-nostdlib -static-pie -fPIE "
				"-Wl,--no-dynamic-linker" },
	[BIN_SHARED] = { "shared", "start.c", "-nostdlib -shared -fPIC" },
};

static char scratch[200];
static bool have_cc;
static char readelf[128];	/* empty if neither readelf can be run */
static uint8_t *image[NBINS];
static size_t image_len[NBINS];

/* run - a shell command; returns whether it succeeded. */
static bool run(const char *cmd)
{
	return system(cmd) == 0;
}

/*
 * find_readelf - the cross readelf beside the compiler, else the host's
 * (binutils' readelf reads any ELF); none leaves the oracle checks out.
 */
static void find_readelf(void)
{
	static const char suffix[] = "gcc";
	size_t n = strlen(HOST_RISCV_CC);
	char cmd[256];

	if (n >= 3 && strcmp(HOST_RISCV_CC + n - 3, suffix) == 0 && n + 5 < sizeof(readelf)) {
		snprintf(readelf, sizeof(readelf), "%.*sreadelf", (int)(n - 3), HOST_RISCV_CC);
		snprintf(cmd, sizeof(cmd), "%s --version >/dev/null 2>&1", readelf);
		if (run(cmd))
			return;
	}
	snprintf(readelf, sizeof(readelf), "readelf");
	if (!run("readelf --version >/dev/null 2>&1"))
		readelf[0] = 0;
}

static int group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[1024], name[64];

	(void)state;
	have_cc = run(HOST_RISCV_CC " --version >/dev/null 2>&1");
	if (!have_cc) {
		fprintf(stderr, "%s not installed: the real-binary cases are skipped\n",
			HOST_RISCV_CC);
		return 0;
	}
	snprintf(scratch, sizeof(scratch), "%s/holstein-elf-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && printf 'int main(void) { return 0; }\\n' > main.c && "
		 "printf 'void _start(void) { for (;;) ; }\\n' > start.c", scratch);
	if (!run(cmd))
		exit(2);
	for (int i = 0; i < NBINS; i++) {
		snprintf(cmd, sizeof(cmd), "cd '%s' && %s -O1 %s -o %s %s", scratch, HOST_RISCV_CC,
			 bins[i].flags, bins[i].name, bins[i].src);
		if (!run(cmd)) {
			fprintf(stderr, "cannot build: %s\n", cmd);
			exit(2);
		}
		snprintf(name, sizeof(name), "%s", bins[i].name);
		image[i] = test_load(scratch, name, &image_len[i]);
	}
	find_readelf();
	if (!readelf[0])
		fprintf(stderr, "no readelf: real binaries are checked without an oracle\n");
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	if (have_cc) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		run(cmd);
	}
	for (int i = 0; i < NBINS; i++)
		free(image[i]);
	return 0;
}

/* What readelf -lW says about a file's program headers. */
struct oracle {
	int type;
	uint64_t entry, phoff;
	int phnum;
	int nload;
	struct elf_segment load[ELF_MAX_LOAD + 1];
	bool has_interp, has_phdr;
	uint64_t phdr_vaddr;
};

/* flags_of - R/W/E letters of a readelf "Flg" column into PF_* bits. */
static uint32_t flags_of(const char *s)
{
	uint32_t f = 0;

	for (; *s && *s != '0'; s++) {	/* stop at the Align column ("0x...") */
		if (*s == 'R')
			f |= PF_R;
		else if (*s == 'W')
			f |= PF_W;
		else if (*s == 'E')
			f |= PF_X;
	}
	return f;
}

/* read_oracle - run readelf on binary @i and parse its answer into @o. */
static void read_oracle(int i, struct oracle *o)
{
	char cmd[512], line[512];
	FILE *p;

	memset(o, 0, sizeof(*o));
	snprintf(cmd, sizeof(cmd), "%s -lW '%s/%s'", readelf, scratch, bins[i].name);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char type[32];
		unsigned long long off, va, pa, fs, ms, a, b;
		int used;

		if (sscanf(line, "Elf file type is %31s", type) == 1)
			o->type = strcmp(type, "EXEC") == 0 ? 2 : strcmp(type, "DYN") == 0 ? 3 : -1;
		else if (sscanf(line, "Entry point %llx", &a) == 1)
			o->entry = a;
		else if (sscanf(line, "There are %llu program headers, starting at offset %llu",
				&a, &b) == 2) {
			o->phnum = (int)a;
			o->phoff = b;
		} else if (sscanf(line, " %31s %llx %llx %llx %llx %llx%n", type, &off, &va, &pa,
				  &fs, &ms, &used) == 6) {
			if (strcmp(type, "LOAD") == 0) {
				assert_true(o->nload <= ELF_MAX_LOAD);
				o->load[o->nload++] = (struct elf_segment){
					.vaddr = va, .memsz = ms, .offset = off, .filesz = fs,
					.flags = flags_of(line + used),
				};
			} else if (strcmp(type, "INTERP") == 0) {
				o->has_interp = true;
			} else if (strcmp(type, "PHDR") == 0) {
				o->has_phdr = true;
				o->phdr_vaddr = va;
			}
		}
	}
	assert_int_equal(pclose(p), 0);
	assert_true(o->nload > 0);
}

/* parse_real - elf_parse on the first page of binary @i, as exec would call it. */
static int parse_real(int i, struct elf_info *ei)
{
	size_t hl = image_len[i] < HDR_MAX ? image_len[i] : HDR_MAX;
	uint8_t *hdr = malloc(hl);
	int r;

	memcpy(hdr, image[i], hl);
	r = elf_parse(hdr, hl, image_len[i], ei);
	free(hdr);
	return r;
}

/*
 * check_real - elf_parse accepts binary @i and agrees with readelf; the
 * derived fields (span, phdr address) follow from the segments.
 */
static void check_real(int i, int type, bool interp)
{
	struct elf_info ei;
	struct oracle o;
	uint64_t lo = UINT64_MAX, hi = 0;

	if (!have_cc)
		skip();
	assert_int_equal(parse_real(i, &ei), 0);
	assert_int_equal(ei.type, type);
	assert_int_equal(ei.has_interp, interp);
	assert_int_equal(ei.phentsize, 56);
	for (int s = 0; s < ei.nload; s++) {
		const struct elf_segment *g = &ei.load[s];

		assert_true(g->filesz <= g->memsz);
		assert_true(g->offset + g->filesz <= image_len[i]);
		if (g->vaddr < lo)
			lo = g->vaddr;
		if (g->vaddr + g->memsz > hi)
			hi = g->vaddr + g->memsz;
	}
	assert_int_equal(ei.lo, lo & ~0xfffULL);
	assert_int_equal(ei.hi, (hi + 0xfff) & ~0xfffULL);
	/* The entry point lies in an executable segment. */
	bool entry_ok = false;
	for (int s = 0; s < ei.nload; s++)
		if ((ei.load[s].flags & PF_X) && ei.entry >= ei.load[s].vaddr &&
		    ei.entry < ei.load[s].vaddr + ei.load[s].memsz)
			entry_ok = true;
	assert_true(entry_ok);
	/* Every toolchain puts the headers in the first PT_LOAD (AT_PHDR needs them). */
	assert_int_equal(ei.phdr_vaddr, ei.load[0].vaddr + ei.phoff - ei.load[0].offset);

	if (!readelf[0])
		return;
	read_oracle(i, &o);
	assert_int_equal(ei.type, o.type);
	assert_int_equal(ei.entry, o.entry);
	assert_int_equal(ei.phoff, o.phoff);
	assert_int_equal(ei.phnum, o.phnum);
	assert_int_equal(ei.has_interp, o.has_interp);
	assert_int_equal(ei.nload, o.nload);
	for (int s = 0; s < ei.nload; s++) {
		assert_int_equal(ei.load[s].vaddr, o.load[s].vaddr);
		assert_int_equal(ei.load[s].memsz, o.load[s].memsz);
		assert_int_equal(ei.load[s].offset, o.load[s].offset);
		assert_int_equal(ei.load[s].filesz, o.load[s].filesz);
		assert_int_equal(ei.load[s].flags, o.load[s].flags);
	}
	if (o.has_phdr)
		assert_int_equal(ei.phdr_vaddr, o.phdr_vaddr);
}

static void test_real_static(void **state)
{
	(void)state;
	check_real(BIN_STATIC, 2, false);
}

static void test_real_dynamic(void **state)
{
	(void)state;
	check_real(BIN_DYNAMIC, 3, true);
}

static void test_real_static_pie(void **state)
{
	(void)state;
	check_real(BIN_STATIC_PIE, 3, false);
}

static void test_real_shared(void **state)
{
	(void)state;
	check_real(BIN_SHARED, 3, false);
}

/* A file cut short: headers present but a segment's file data missing. */
static void test_real_truncated(void **state)
{
	struct elf_info ei;

	(void)state;
	if (!have_cc)
		skip();
	for (int i = 0; i < NBINS; i++) {
		size_t hl = image_len[i] < HDR_MAX ? image_len[i] : HDR_MAX;
		uint64_t last = 0;

		assert_int_equal(parse_real(i, &ei), 0);
		for (int s = 0; s < ei.nload; s++)
			if (ei.load[s].offset + ei.load[s].filesz > last)
				last = ei.load[s].offset + ei.load[s].filesz;
		assert_int_equal(elf_parse(image[i], hl, last, &ei), 0);
		assert_int_equal(elf_parse(image[i], hl, last - 1, &ei), ENOEXEC_RET);
		/* Every shorter header buffer: never a read past it. */
		for (size_t l = 0; l < hl; l++) {
			uint8_t *copy = malloc(l ? l : 1);
			int r;

			memcpy(copy, image[i], l);
			r = elf_parse(copy, l, image_len[i], &ei);
			if (l < 64 + 56)
				assert_int_equal(r, ENOEXEC_RET);
			free(copy);
		}
	}
}

/* --- hand-built headers ----------------------------------------------------- */

#define HB_MAXPH 24

/* A header and program headers in structured form, then serialised. */
struct hb {
	uint8_t ident[16];
	uint16_t type, machine, phentsize, phnum;
	uint32_t version;
	uint64_t entry, phoff;
	struct {
		uint32_t type, flags;
		uint64_t offset, vaddr, filesz, memsz;
	} ph[HB_MAXPH];
	int nph;
	uint64_t file_size;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * hb_default - a valid static ET_EXEC: text at 0x10000 (file offset 0,
 * holding the headers), data at 0x12000 with bss, a GNU_STACK header.
 */
static void hb_default(struct hb *h)
{
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	memset(h, 0, sizeof(*h));
	memcpy(h->ident, ident, 16);
	h->type = 2;
	h->machine = 243;
	h->version = 1;
	h->entry = 0x10100;
	h->phoff = 64;
	h->phentsize = 56;
	h->nph = 3;
	h->ph[0].type = 1;
	h->ph[0].flags = PF_R | PF_X;
	h->ph[0].vaddr = 0x10000;
	h->ph[0].filesz = h->ph[0].memsz = 0x1200;
	h->ph[1].type = 1;
	h->ph[1].flags = PF_R | PF_W;
	h->ph[1].offset = 0x1200;
	h->ph[1].vaddr = 0x12200;
	h->ph[1].filesz = 0x100;
	h->ph[1].memsz = 0x3000;
	h->ph[2].type = 0x6474e551;	/* PT_GNU_STACK: ignored */
	h->ph[2].flags = PF_R | PF_W;
	h->file_size = 0x1300;
}

/* hb_write - serialise @h into @buf (HDR_MAX bytes); returns the bytes used. */
static size_t hb_write(const struct hb *h, uint8_t *buf)
{
	size_t end = 64;

	memset(buf, 0, HDR_MAX);
	memcpy(buf, h->ident, 16);
	put16(buf + 16, h->type);
	put16(buf + 18, h->machine);
	put32(buf + 20, h->version);
	put64(buf + 24, h->entry);
	put64(buf + 32, h->phoff);
	put16(buf + 52, 64);
	put16(buf + 54, h->phentsize);
	put16(buf + 56, h->phnum ? h->phnum : (uint16_t)h->nph);
	for (int i = 0; i < h->nph; i++) {
		uint64_t at = h->phoff + (uint64_t)i * 56;
		uint8_t *p;

		/* A table off the page (or wrapping) is only described, not written. */
		if (h->phoff > HDR_MAX || at > HDR_MAX - 56)
			break;
		p = buf + at;
		put32(p, h->ph[i].type);
		put32(p + 4, h->ph[i].flags);
		put64(p + 8, h->ph[i].offset);
		put64(p + 16, h->ph[i].vaddr);
		put64(p + 24, h->ph[i].vaddr);
		put64(p + 32, h->ph[i].filesz);
		put64(p + 40, h->ph[i].memsz);
		put64(p + 48, 0x1000);
		if (at + 56 > end)
			end = at + 56;
	}
	return end;
}

/* hb_parse_len - parse @h serialised, from an exact-size copy of @hdrlen bytes. */
static int hb_parse_len(const struct hb *h, size_t hdrlen, struct elf_info *ei)
{
	static uint8_t buf[HDR_MAX];
	uint8_t *copy;
	int r;

	hb_write(h, buf);
	copy = malloc(hdrlen ? hdrlen : 1);
	memcpy(copy, buf, hdrlen);
	r = elf_parse(copy, hdrlen, h->file_size, ei);
	free(copy);
	return r;
}

/* hb_parse - as exec does: the header page, or as much of it as the file has. */
static int hb_parse(const struct hb *h, struct elf_info *ei)
{
	uint8_t buf[HDR_MAX];
	size_t used = hb_write(h, buf);

	return hb_parse_len(h, used, ei);
}

static void test_hand_good(void **state)
{
	struct hb h;
	struct elf_info ei;

	(void)state;
	hb_default(&h);
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.type, 2);
	assert_int_equal(ei.entry, 0x10100);
	assert_int_equal(ei.phoff, 64);
	assert_int_equal(ei.phnum, 3);
	assert_int_equal(ei.phentsize, 56);
	assert_int_equal(ei.nload, 2);
	assert_int_equal(ei.load[0].vaddr, 0x10000);
	assert_int_equal(ei.load[0].flags, PF_R | PF_X);
	assert_int_equal(ei.load[1].offset, 0x1200);
	assert_int_equal(ei.load[1].filesz, 0x100);
	assert_int_equal(ei.load[1].memsz, 0x3000);
	assert_int_equal(ei.load[1].flags, PF_R | PF_W);
	assert_int_equal(ei.has_interp, 0);
	assert_int_equal(ei.lo, 0x10000);
	assert_int_equal(ei.hi, 0x16000);	/* 0x12200 + 0x3000 rounded up */
	assert_int_equal(ei.phdr_vaddr, 0x10040);

	/* A PT_PHDR wins over the computed address. */
	h.ph[2].type = 6;
	h.ph[2].vaddr = 0x10040 + 0x1000;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.phdr_vaddr, 0x11040);

	/* Headers in no segment's file bytes: not mapped. */
	hb_default(&h);
	h.ph[0].offset = 0x1000;
	h.ph[0].filesz = h.ph[0].memsz = 0x200;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.phdr_vaddr, 0);
	/* Only partly covered: not mapped either. */
	hb_default(&h);
	h.ph[0].filesz = h.ph[0].memsz = 64 + 2 * 56;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.phdr_vaddr, 0);
	h.ph[0].filesz = h.ph[0].memsz = 64 + 3 * 56;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.phdr_vaddr, 0x10040);

	/* PT_INTERP is reported with where its name lies (exec reads and checks the name). */
	hb_default(&h);
	h.ph[2].type = 3;
	h.ph[2].offset = 0x120;
	h.ph[2].filesz = 33;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.has_interp, 1);
	assert_int_equal(ei.interp_off, 0x120);
	assert_int_equal(ei.interp_len, 33);
	assert_int_equal(ei.align, 0x1000);
	/* Only the first PT_INTERP counts, as on Linux. */
	h.nph = 4;
	h.ph[3].type = 3;
	h.ph[3].offset = 0x200;
	h.ph[3].filesz = 5;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.interp_off, 0x120);
	assert_int_equal(ei.interp_len, 33);

	/* A zero-sized PT_LOAD, and the very end of the user half. */
	hb_default(&h);
	h.ph[2].type = 1;
	h.ph[2].vaddr = USER_TOP - 0x1000;
	h.ph[2].memsz = 0x1000;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.hi, USER_TOP);
	h.ph[2].memsz = 0;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.nload, 3);

	/* offset + filesz exactly at the end of the file. */
	hb_default(&h);
	h.file_size = 0x1300;
	assert_int_equal(hb_parse(&h, &ei), 0);

	/* ELF_MAX_LOAD segments are fine. */
	hb_default(&h);
	h.nph = ELF_MAX_LOAD;
	for (int i = 0; i < h.nph; i++) {
		h.ph[i].type = 1;
		h.ph[i].flags = PF_R;
		h.ph[i].offset = 0;
		h.ph[i].vaddr = 0x10000 + (uint64_t)i * 0x10000;
		h.ph[i].filesz = h.ph[i].memsz = 0x100;
	}
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.nload, ELF_MAX_LOAD);
	assert_int_equal(ei.load[ELF_MAX_LOAD - 1].vaddr, 0x100000);
	assert_int_equal(ei.hi, 0x101000);
}

static void test_hand_dyn(void **state)
{
	struct hb h;
	struct elf_info ei;

	(void)state;
	hb_default(&h);
	h.type = 3;
	h.ph[0].vaddr = 0;
	h.ph[1].vaddr = 0x2200;
	h.entry = 0x100;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.type, 3);
	assert_int_equal(ei.lo, 0);
	assert_int_equal(ei.hi, 0x6000);
	assert_int_equal(ei.phdr_vaddr, 0x40);

	/* The span limit (lo is 0 here): a page below it is fine, the limit is not. */
	h.ph[1].vaddr = DYN_SPAN - 0x3000 + 0x200;
	h.ph[1].memsz = 0x1e00;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.hi - ei.lo, DYN_SPAN - 0x1000);
	h.ph[1].memsz = 0x1e01;	/* rounds up to the limit */
	assert_int_equal(hb_parse(&h, &ei), ENOEXEC_RET);
	h.ph[1].memsz = 0x2e00;
	assert_int_equal(hb_parse(&h, &ei), ENOEXEC_RET);

	/* Relocated anyway: where it was linked does not matter, only its span. */
	hb_default(&h);
	h.type = 3;
	h.ph[0].vaddr += 0x7000000000ULL;
	h.ph[1].vaddr += 0x7000000000ULL;
	assert_int_equal(hb_parse(&h, &ei), 0);
	assert_int_equal(ei.lo, 0x7000010000ULL);
	h.ph[1].vaddr = 0x10000 + 0x200;	/* below the first: still a small span */
	assert_int_equal(hb_parse(&h, &ei), ENOEXEC_RET);
}

/* expect_bad - @h must be refused; @line names the case when it is not. */
static void expect_bad(const struct hb *h, int line)
{
	struct elf_info ei;

	if (hb_parse(h, &ei) != ENOEXEC_RET)
		fail_msg("case at line %d was accepted", line);
}

/* BAD - the default header with the changes made by @stmts must be refused. */
#define BAD(stmts)					\
	do {						\
		hb_default(&h);				\
		stmts;					\
		expect_bad(&h, __LINE__);		\
	} while (0)

static void test_hand_errors(void **state)
{
	struct hb h;
	struct elf_info ei;

	(void)state;
	/* Identity. */
	for (int i = 0; i < 4; i++) {
		hb_default(&h);
		h.ident[i] ^= 0x20;
		expect_bad(&h, __LINE__);
	}
	BAD(h.ident[4] = 1);	/* ELFCLASS32 */
	BAD(h.ident[4] = 0);
	BAD(h.ident[5] = 2);	/* big-endian */
	BAD(h.ident[6] = 0);	/* EI_VERSION */
	BAD(h.version = 0);
	BAD(h.version = 2);
	BAD(h.machine = 62);	/* x86-64 */
	BAD(h.machine = 0);
	BAD(h.machine = 243 | 0x100);
	for (uint16_t t = 0; t < 8; t++)
		if (t != 2 && t != 3)
			BAD(h.type = t);
	BAD(h.type = 0xfe00);	/* ET_LOOS */

	/* Program header table. */
	BAD(h.phentsize = 64);
	BAD(h.phentsize = 32);
	BAD(h.phentsize = 0);
	BAD(h.nph = 0);
	BAD(h.phnum = 0xffff);	/* PN_XNUM / past the page */
	BAD(h.phoff = HDR_MAX - 56 * 2);	/* runs off the page */
	BAD(h.phoff = HDR_MAX);
	BAD(h.phoff = UINT64_MAX - 8);
	BAD(h.phoff = UINT64_MAX);
	BAD(h.nph = 2; h.phnum = 3);	/* last one past hdrlen */
	hb_default(&h);
	assert_int_equal(hb_parse_len(&h, 64 + 3 * 56 - 1, &ei), ENOEXEC_RET);
	assert_int_equal(hb_parse_len(&h, 63, &ei), ENOEXEC_RET);
	assert_int_equal(hb_parse_len(&h, 0, &ei), ENOEXEC_RET);
	/* The caller read more than the file holds: the excess is not the file's. */
	hb_default(&h);
	h.ph[0].filesz = h.ph[1].filesz = 0;
	h.ph[1].offset = 0x80;
	h.ph[1].vaddr = 0x12080;
	h.file_size = 64 + 3 * 56;
	assert_int_equal(hb_parse(&h, &ei), 0);
	h.file_size--;
	expect_bad(&h, __LINE__);

	/* No PT_LOAD at all. */
	hb_default(&h);
	h.ph[0].type = h.ph[1].type = 4;	/* PT_NOTE */
	expect_bad(&h, __LINE__);

	/* Too many PT_LOADs. */
	hb_default(&h);
	h.nph = ELF_MAX_LOAD + 1;
	for (int i = 0; i < h.nph; i++) {
		h.ph[i].type = 1;
		h.ph[i].vaddr = 0x10000 + (uint64_t)i * 0x10000;
		h.ph[i].offset = 0;
		h.ph[i].filesz = h.ph[i].memsz = 0x100;
	}
	expect_bad(&h, __LINE__);

	/* Segment sizes and placement. */
	BAD(h.ph[1].filesz = h.ph[1].memsz + 1);
	BAD(h.file_size = 0x12ff);	/* data past EOF */
	BAD(h.ph[1].offset = UINT64_MAX - 0xdff);
	BAD(h.ph[1].filesz = UINT64_MAX; h.ph[1].memsz = UINT64_MAX);
	BAD(h.ph[1].vaddr = 0x12201);	/* vaddr % 4096 != off */
	BAD(h.ph[1].offset = 0x1201);
	/* Beyond the user half (ET_EXEC is mapped where it says). */
	BAD(h.ph[1].vaddr = USER_TOP - 0x2e00);
	BAD(h.ph[1].vaddr = USER_TOP + 0x200);
	BAD(h.ph[1].vaddr = 0xffffffc000000200ULL);
	/* vaddr + memsz wraps. */
	BAD(h.ph[1].vaddr = UINT64_MAX - 0xdff);
	BAD(h.ph[1].memsz = UINT64_MAX - 0x100);
	BAD(h.type = 3; h.ph[1].vaddr = UINT64_MAX - 0xdff);
	BAD(h.type = 3; h.ph[1].vaddr = UINT64_MAX - 0x2dff; h.ph[1].memsz = 0x2e00);
	BAD(h.type = 3; h.ph[1].memsz = UINT64_MAX - 0x12200);
}

/* --- fuzzing ------------------------------------------------------------------ */

/*
 * check_accepted - an image elf_parse took must honour the contract, so
 * that exec can trust every field it uses without checking again.
 */
static void check_accepted(const struct elf_info *ei, size_t hdrlen, uint64_t file_size)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	assert_true(ei->type == 2 || ei->type == 3);
	assert_int_equal(ei->phentsize, 56);
	assert_true(ei->phoff + (uint64_t)ei->phnum * 56 <= hdrlen);
	assert_true(ei->nload >= 1 && ei->nload <= ELF_MAX_LOAD);
	for (int i = 0; i < ei->nload; i++) {
		const struct elf_segment *s = &ei->load[i];

		assert_true(s->filesz <= s->memsz);
		assert_true(s->offset <= file_size && s->filesz <= file_size - s->offset);
		assert_true(s->memsz <= UINT64_MAX - s->vaddr);
		assert_int_equal(s->vaddr % 4096, s->offset % 4096);
		if (ei->type == 2)
			assert_true(s->vaddr + s->memsz <= USER_TOP);
		if (s->vaddr < lo)
			lo = s->vaddr;
		if (s->vaddr + s->memsz > hi)
			hi = s->vaddr + s->memsz;
	}
	assert_int_equal(ei->lo, lo & ~0xfffULL);
	assert_true(ei->hi >= hi && ei->hi - hi < 4096 && ei->hi % 4096 == 0);
	if (ei->type == 3)
		assert_true(ei->hi - ei->lo < DYN_SPAN);
}

/* Values that sit on the edges the parser checks. */
static const uint64_t edgy[] = {
	0, 1, 2, 3, 6, 56, 64, 243, 0xfff, 0x1000, 0x1001, 0xffff, 0x7fffffff, 0xffffffff,
	USER_TOP - 0x1000, USER_TOP, DYN_SPAN, DYN_SPAN - 0x1000, UINT64_MAX - 0xfff,
	UINT64_MAX - 0x1000, UINT64_MAX,
};

/*
 * mutate - damage the header bytes of @buf (@len of them, @used the part
 * holding the ELF and program headers): a random byte, or a field-sized
 * store of an edge value at a field-aligned offset.
 */
static void mutate(uint8_t *buf, size_t len, size_t used, uint64_t *seed)
{
	size_t span = used < len ? used : len;
	size_t at = test_below(seed, (uint32_t)span);
	uint64_t v = edgy[test_below(seed, sizeof(edgy) / sizeof(edgy[0]))];

	if (test_below(seed, 8) == 0)
		v += (uint64_t)test_below(seed, 3) - 1;	/* one off either way */
	switch (test_below(seed, 4)) {
	case 0:
		buf[at] = (uint8_t)test_rand(seed);
		break;
	case 1:
		at &= ~(size_t)1;
		if (at + 2 <= len)
			put16(buf + at, (uint16_t)v);
		break;
	case 2:
		at &= ~(size_t)3;
		if (at + 4 <= len)
			put32(buf + at, (uint32_t)v);
		break;
	default:
		at &= ~(size_t)7;
		if (at + 8 <= len)
			put64(buf + at, v);
		break;
	}
}

/* fuzz - FUZZ_RUNS mutants of the header page @src (@used bytes of headers). */
static void fuzz(const uint8_t *src, size_t len, size_t used, uint64_t file_size, uint64_t seed)
{
	unsigned accepted = 0;

	for (int run = 0; run < FUZZ_RUNS; run++) {
		size_t l = len;
		uint64_t fs = file_size;
		struct elf_info ei;
		uint8_t *copy;

		if (test_below(&seed, 8) == 0)
			l = test_below(&seed, (uint32_t)len + 1);
		if (test_below(&seed, 8) == 0)
			fs = test_below(&seed, 2) ? test_rand(&seed) :
						     test_below(&seed, (uint32_t)fs + 1);
		copy = malloc(l ? l : 1);
		memcpy(copy, src, l);
		if (l)
			for (unsigned k = 1 + test_below(&seed, 4); k; k--)
				mutate(copy, l, used, &seed);
		if (elf_parse(copy, l, fs, &ei) == 0) {
			check_accepted(&ei, l < fs ? l : fs, fs);
			accepted++;
		}
		free(copy);
	}
	/* Mutants must get through sometimes, or the deep checks go untested. */
	assert_true(accepted > FUZZ_RUNS / 50);
}

static void test_fuzz_hand(void **state)
{
	struct hb h;
	uint8_t buf[HDR_MAX];
	size_t used;

	(void)state;
	hb_default(&h);
	used = hb_write(&h, buf);
	fuzz(buf, used, used, h.file_size, FUZZ_SEED);
	h.type = 3;
	h.ph[2].type = 6;
	h.ph[2].vaddr = 0x10040;
	h.file_size = 0x100000;
	used = hb_write(&h, buf);
	fuzz(buf, HDR_MAX, used, h.file_size, FUZZ_SEED + 1);
}

static void test_fuzz_real(void **state)
{
	(void)state;
	if (!have_cc)
		skip();
	for (int i = 0; i < NBINS; i++) {
		size_t hl = image_len[i] < HDR_MAX ? image_len[i] : HDR_MAX;
		struct elf_info ei;

		assert_int_equal(parse_real(i, &ei), 0);
		fuzz(image[i], hl, ei.phoff + (size_t)ei.phnum * 56, image_len[i],
		     FUZZ_SEED + 2 + (uint64_t)i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_static),
		cmocka_unit_test(test_real_dynamic),
		cmocka_unit_test(test_real_static_pie),
		cmocka_unit_test(test_real_shared),
		cmocka_unit_test(test_real_truncated),
		cmocka_unit_test(test_hand_good),
		cmocka_unit_test(test_hand_dyn),
		cmocka_unit_test(test_hand_errors),
		cmocka_unit_test(test_fuzz_hand),
		cmocka_unit_test(test_fuzz_real),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
