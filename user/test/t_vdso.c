/*
 * t_vdso - the vDSO as Linux maps it: AT_SYSINFO_EHDR names an ELF image whose dynamic
 * symbols (name + version LINUX_4.15, found the way glibc and Go find them) answer
 * clock_gettime, gettimeofday and clock_getres in agreement with the system calls; the
 * clocks never go back across mixed vDSO, glibc and syscall readings; setting the wall
 * clock moves the vDSO's REALTIME; [vvar] and [vdso] in /proc/self/maps, kept by fork,
 * never writable; a signal handler returns through __vdso_rt_sigreturn; riscv_flush_icache
 * makes freshly written code run.
 *
 * qemu-user 7.2 (the oracle) maps no vDSO on riscv64 and must not set the host's clock:
 * there, the checks that need either are skipped; the rest run against the host kernel.
 */
#include "ulib.h"
#include <elf.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/time.h>

#define NS 1000000000LL
#ifndef SYS_riscv_flush_icache
#define SYS_riscv_flush_icache 259
#endif
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettod_fn)(struct timeval *, struct timezone *);

static const char *const vdso_names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday",
					  "__vdso_clock_getres", "__vdso_getcpu",
					  "__vdso_flush_icache", "__vdso_rt_sigreturn" };
static uintptr_t ehdr_addr;

/*
 * vdso_sym - the address of @name with version @ver in the image at ehdr_addr, or 0: its
 * program headers give the load bias and the dynamic section; DT_HASH's chain count is the
 * number of symbols; DT_VERSYM names each one's version index, DT_VERDEF the names.
 */
static void *vdso_sym(const char *name, const char *ver)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)ehdr_addr;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(ehdr_addr + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *sym = NULL;
	const Elf32_Word *hash = NULL;
	const Elf64_Half *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	const char *str = NULL;
	uintptr_t bias = 0;
	int have_load = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			bias = ehdr_addr + ph[i].p_offset - ph[i].p_vaddr;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const Elf64_Dyn *)(ehdr_addr + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn)
		return NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: sym = (const Elf64_Sym *)p; break;
		case DT_STRTAB: str = (const char *)p; break;
		case DT_HASH: hash = (const Elf32_Word *)p; break;
		case DT_VERSYM: versym = (const Elf64_Half *)p; break;
		case DT_VERDEF: verdef = (const Elf64_Verdef *)p; break;
		}
	}
	if (!sym || !str || !hash || !versym || !verdef)
		return NULL;
	for (Elf32_Word i = 0; i < hash[1]; i++) {
		const Elf64_Verdef *d = verdef;

		if (sym[i].st_shndx == SHN_UNDEF || strcmp(str + sym[i].st_name, name))
			continue;
		for (;;) {
			const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
			if (d->vd_ndx == (versym[i] & 0x7fff))
				return strcmp(str + aux->vda_name, ver) ? NULL
									: (void *)(bias + sym[i].st_value);
			if (!d->vd_next)
				break;
			d = (const Elf64_Verdef *)((const char *)d + d->vd_next);
		}
	}
	return NULL;
}

/* ts_ns - a timespec in ns. */
static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * NS + t->tv_nsec;
}

/* sys_ns - clock @clk in ns through the system call itself. */
static long long sys_ns(clockid_t clk)
{
	struct timespec t = { 0, 0 };

	syscall(SYS_clock_gettime, clk, &t);
	return ts_ns(&t);
}

/* check_image - AT_SYSINFO_EHDR is an ELF shared object for RISC-V; every symbol found by version. */
static void check_image(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)ehdr_addr;
	size_t found = 0;

	CHECK(!memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	      eh->e_type == ET_DYN && eh->e_machine == EM_RISCV,
	      "AT_SYSINFO_EHDR %#lx is a 64-bit RISC-V ELF shared object", (unsigned long)ehdr_addr);
	for (size_t i = 0; i < ARRAY_SIZE(vdso_names); i++)
		found += vdso_sym(vdso_names[i], "LINUX_4.15") != NULL;
	CHECK(found == ARRAY_SIZE(vdso_names), "all %zu symbols found under LINUX_4.15 (%zu)",
	      ARRAY_SIZE(vdso_names), found);
	CHECK(!vdso_sym("__vdso_clock_gettime", "LINUX_2.6") && !vdso_sym("__vdso_time", "LINUX_4.15"),
	      "a wrong version or an unknown name finds nothing");
}

/*
 * check_clocks - every clock the vDSO answers lies between two system call readings (never
 * back, so no tolerance is needed), glibc's clock_gettime too; the others fall back to the
 * call (CPU clocks answer, a bad id is -EINVAL, a NULL timespec -EFAULT: the raw results).
 */
static void check_clocks(gettime_fn vgettime)
{
	static const clockid_t clks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
					  CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
					  CLOCK_BOOTTIME };
	struct timespec t;
	int bad = 0, r;

	for (size_t c = 0; c < ARRAY_SIZE(clks); c++)
		for (int i = 0; i < 200; i++) {
			long long a = sys_ns(clks[c]), b, d, e;
			r = vgettime(clks[c], &t);
			b = ts_ns(&t);
			d = sys_ns(clks[c]);
			clock_gettime(clks[c], &t);
			e = ts_ns(&t);
			if (r || a > b || b > d || d > e || t.tv_nsec >= NS) {
				if (!bad++)
					printf("info: clock %d: sys %lld vdso %lld (r %d) sys %lld glibc %lld\n",
					       clks[c], a, b, r, d, e);
			}
		}
	CHECK(!bad, "vDSO, syscall and glibc readings of the 6 fast clocks never go back (%d bad)", bad);
	r = vgettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	CHECK(r == 0 && t.tv_nsec < NS && ts_ns(&t) > 0, "CLOCK_PROCESS_CPUTIME_ID through the vDSO (%d)", r);
	r = vgettime(CLOCK_THREAD_CPUTIME_ID, &t);
	CHECK(r == 0 && ts_ns(&t) > 0, "CLOCK_THREAD_CPUTIME_ID through the vDSO (%d)", r);
	r = vgettime(999, &t);
	CHECK(r == -EINVAL, "vDSO clock_gettime(999) -> -EINVAL (%d)", r);
	r = vgettime(-1, &t);
	CHECK(r == -EINVAL, "vDSO clock_gettime(-1) -> -EINVAL (%d)", r);
	r = vgettime(CLOCK_MONOTONIC, NULL);
	CHECK(r == -EFAULT, "vDSO clock_gettime(MONOTONIC, NULL) -> -EFAULT (%d)", r);
	CHECK_ERR(clock_gettime(999, &t), EINVAL, "glibc clock_gettime(999) -> EINVAL");
}

/* check_tod - vDSO gettimeofday lies between two syscall readings; tz as the call says. */
static void check_tod(gettod_fn vtod)
{
	struct timeval a, b, c;
	struct timezone z1 = { -1, -1 }, z2 = { -2, -2 };
	int bad = 0;

	for (int i = 0; i < 200; i++) {
		syscall(SYS_gettimeofday, &a, NULL);
		int r = vtod(&b, NULL);
		syscall(SYS_gettimeofday, &c, NULL);
		long long x = a.tv_sec * 1000000LL + a.tv_usec, y = b.tv_sec * 1000000LL + b.tv_usec,
			  z = c.tv_sec * 1000000LL + c.tv_usec;
		bad += r || x > y || y > z || b.tv_usec >= 1000000;
	}
	CHECK(!bad, "vDSO gettimeofday lies between two system calls' (%d bad)", bad);
	CHECK(vtod(NULL, &z1) == 0 && syscall(SYS_gettimeofday, NULL, &z2) == 0 &&
	      z1.tz_minuteswest == z2.tz_minuteswest && z1.tz_dsttime == z2.tz_dsttime,
	      "gettimeofday's tz agrees with the system call's (%d %d)", z1.tz_minuteswest, z1.tz_dsttime);
	CHECK(vtod(NULL, NULL) == 0, "vDSO gettimeofday(NULL, NULL) is 0");
}

/* check_getres - the vDSO's clock_getres answers what the system call answers, for every id. */
static void check_getres(void)
{
	typedef int (*getres_fn)(clockid_t, struct timespec *);
	getres_fn vres = (getres_fn)vdso_sym("__vdso_clock_getres", "LINUX_4.15");
	int bad = 0;

	for (int clk = -1; clk <= 12; clk++) {
		struct timespec a = { -1, -1 }, b = { -1, -1 };
		long r1 = syscall(SYS_clock_getres, clk, &a);
		int r2 = vres(clk, &b);
		if (r1 == -1)
			r1 = -errno;
		if (r1 != r2 || a.tv_sec != b.tv_sec || a.tv_nsec != b.tv_nsec) {
			bad++;
			printf("info: getres(%d): sys %ld {%ld,%ld} vdso %d {%ld,%ld}\n", clk, r1,
			       (long)a.tv_sec, a.tv_nsec, r2, (long)b.tv_sec, b.tv_nsec);
		}
	}
	CHECK(!bad, "vDSO clock_getres equals the system call's for clock ids -1..12");
	CHECK(vres(CLOCK_MONOTONIC, NULL) == 0, "vDSO clock_getres(MONOTONIC, NULL) is 0");
}

/*
 * check_settime - as root, clock_settime and settimeofday move the vDSO's REALTIME at once
 * (set X, then X <= vDSO <= syscall); MONOTONIC does not move; the clock is put back.
 * Linux's refusals too.  Holstein only: under qemu-user this would set the host's clock.
 */
static void check_settime(gettime_fn vgettime, gettod_fn vtod)
{
	struct timespec t, set;
	struct timeval tv;
	struct timezone tz = { 60, 0 }, got;
	long long shift = 1000 * NS, m0 = sys_ns(CLOCK_MONOTONIC), x, v, s;

	clock_gettime(CLOCK_REALTIME, &t);
	x = ts_ns(&t) + shift;
	set.tv_sec = x / NS;
	set.tv_nsec = x % NS;
	CHECK(clock_settime(CLOCK_REALTIME, &set) == 0, "clock_settime(REALTIME) +1000 s");
	vgettime(CLOCK_REALTIME, &t);
	v = ts_ns(&t);
	s = sys_ns(CLOCK_REALTIME);
	CHECK(x <= v && v <= s, "the vDSO's REALTIME moved at once (set %lld, vdso %lld, sys %lld)", x, v, s);
	vgettime(CLOCK_REALTIME_COARSE, &t);
	CHECK(ts_ns(&t) >= x, "REALTIME_COARSE moved too");
	vgettime(CLOCK_MONOTONIC, &t);
	CHECK(ts_ns(&t) >= m0 && ts_ns(&t) - m0 < shift / 2, "MONOTONIC did not move");

	vtod(&tv, NULL);
	x = tv.tv_sec * 1000000LL + tv.tv_usec - shift / 1000;	/* back again, in us */
	tv.tv_sec = x / 1000000;
	tv.tv_usec = x % 1000000;
	CHECK(settimeofday(&tv, NULL) == 0, "settimeofday -1000 s");
	vgettime(CLOCK_REALTIME, &t);
	s = sys_ns(CLOCK_REALTIME);
	CHECK(x * 1000 <= ts_ns(&t) && ts_ns(&t) <= s && ts_ns(&t) - x * 1000 < shift / 2,
	      "the vDSO's REALTIME followed settimeofday back");
	/* glibc refuses tv and tz together (EINVAL): the zone goes alone. */
	CHECK(settimeofday(NULL, &tz) == 0, "settimeofday(NULL, tz 60 minutes west)");
	CHECK(vtod(NULL, &got) == 0 && got.tz_minuteswest == 60, "vDSO gettimeofday's tz is 60 (%d)",
	      got.tz_minuteswest);
	tz.tz_minuteswest = 0;
	CHECK(settimeofday(NULL, &tz) == 0 && vtod(NULL, &got) == 0 && got.tz_minuteswest == 0,
	      "tz back to 0");

	set.tv_sec = 1;
	set.tv_nsec = NS;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &set), EINVAL, "tv_nsec 1e9 -> EINVAL");
	set.tv_sec = -1;
	set.tv_nsec = 0;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &set), EINVAL, "negative time -> EINVAL");
	set.tv_sec = 0;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &set), EINVAL, "a time before boot -> EINVAL");
	CHECK_ERR(clock_settime(CLOCK_MONOTONIC, &set), EINVAL, "clock_settime(MONOTONIC) -> EINVAL");
	CHECK_ERR(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &set), EPERM,
		  "clock_settime(PROCESS_CPUTIME_ID) -> EPERM");
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, hide_ptr(KERNEL_ADDR)), EFAULT,
		  "clock_settime from a kernel address -> EFAULT");
	tz.tz_minuteswest = 16 * 60;
	CHECK_ERR(settimeofday(NULL, &tz), EINVAL, "tz 16 hours west -> EINVAL");
}

/* maps_range - maps_line, with the end of the range in *@end too (if @end). */
static int maps_range(const char *tag, char *line, size_t n, unsigned long *start, unsigned long *end)
{
	static char buf[16384];
	char *p, *e;

	if (read_small_file("/proc/self/maps", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, tag)))
		return 0;
	while (p > buf && p[-1] != '\n')
		p--;
	e = strchr(p, '\n');
	snprintf(line, n, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
	*start = strtoul(line, &e, 16);
	if (end)
		*end = strtoul(e + 1, NULL, 16);
	return 1;
}

/* maps_line - the /proc/self/maps line naming @tag into @line; its start in *@start. 0 if none. */
static int maps_line(const char *tag, char *line, size_t n, unsigned long *start)
{
	return maps_range(tag, line, n, start, NULL);
}

/* sigreturn_ra - SIGUSR1's handler: where it will return to. */
static void *volatile handler_ra;
static void on_usr1(int sig)
{
	(void)sig;
	handler_ra = __builtin_return_address(0);
}

/*
 * moved_child - in a child: move [vvar] and [vdso] together to a free range (as CRIU
 * does); the clock read through the moved image, and a signal handler returning through
 * the moved __vdso_rt_sigreturn; growing either is EFAULT.  Exits 0, or the failed step.
 */
static void moved_child(unsigned long vvar_at, unsigned long vdso_at, unsigned long vdso_end)
{
	size_t len = vdso_end - vdso_at;
	char *to = mmap(NULL, 4096 + len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long off = (long)((uintptr_t)vdso_sym("__vdso_clock_gettime", "LINUX_4.15") - vdso_at);
	struct timespec t;
	gettime_fn moved;

	if (to == MAP_FAILED)
		_exit(2);
	if (mremap((void *)vdso_at, len, len + 4096, 0) != MAP_FAILED || errno != EFAULT)
		_exit(3);
	if (mremap((void *)vvar_at, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, to) != to ||
	    mremap((void *)vdso_at, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to + 4096) != to + 4096)
		_exit(4);
	moved = (gettime_fn)(uintptr_t)(to + 4096 + off);
	if (moved(CLOCK_MONOTONIC, &t) != 0 || ts_ns(&t) > sys_ns(CLOCK_MONOTONIC))
		_exit(5);
	handler_ra = NULL;
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	ehdr_addr = (uintptr_t)to + 4096;
	_exit(handler_ra == vdso_sym("__vdso_rt_sigreturn", "LINUX_4.15") ? 0 : 6);
}

/* check_mremap - moved_child's verdict. */
static void check_mremap(unsigned long vvar_at, unsigned long vdso_at, unsigned long vdso_end)
{
	pid_t pid = xfork();

	if (pid == 0)
		moved_child(vvar_at, vdso_at, vdso_end);
	CHECK_EXIT(wait_pid(pid), 0, "mremap moves [vvar] and [vdso] (not grows them): the clock "
				     "and a handler's return follow");
}

/*
 * check_mapping - [vvar] r--p just below [vdso] r-xp at AT_SYSINFO_EHDR; a store to either
 * is SIGSEGV, mprotect cannot make them writable; fork keeps them; a handler returns to
 * __vdso_rt_sigreturn; munmap takes them away.
 */
static void check_mapping(gettime_fn vgettime)
{
	char vvar[256] = "", vdso[256] = "";
	unsigned long vvar_at = 0, vdso_at = 0, vdso_end = 0;
	struct timespec t;
	pid_t pid;

	CHECK(maps_line("[vvar]", vvar, sizeof(vvar), &vvar_at) && strstr(vvar, " r--p "),
	      "/proc/self/maps: [vvar] r--p (%s)", vvar);
	CHECK(maps_range("[vdso]", vdso, sizeof(vdso), &vdso_at, &vdso_end) && strstr(vdso, " r-xp ") &&
	      vdso_at == ehdr_addr, "/proc/self/maps: [vdso] r-xp at AT_SYSINFO_EHDR (%s)", vdso);
	CHECK(vvar_at && vvar_at < vdso_at, "[vvar] lies below [vdso]");
	if (!vvar_at || !vdso_at)
		return;
	for (int i = 0; i < 2; i++) {
		volatile char *p = (volatile char *)(i ? vdso_at : vvar_at);
		pid = xfork();
		if (pid == 0) {
			*p = 1;
			_exit(0);
		}
		CHECK_SIG(wait_pid(pid), SIGSEGV, "a store to %s is SIGSEGV", i ? "[vdso]" : "[vvar]");
	}
	CHECK_ERR(mprotect((void *)vvar_at, 4096, PROT_READ | PROT_WRITE), EACCES,
		  "mprotect([vvar], RW) -> EACCES");
	pid = xfork();
	if (pid == 0) {
		char l[256];
		unsigned long at;
		int ok = maps_line("[vdso]", l, sizeof(l), &at) && at == vdso_at &&
			 vgettime(CLOCK_MONOTONIC, &t) == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a fork child keeps [vdso] and reads the clock through it");

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	CHECK(handler_ra == vdso_sym("__vdso_rt_sigreturn", "LINUX_4.15"),
	      "a handler returns to __vdso_rt_sigreturn (ra %p)", handler_ra);
	signal(SIGUSR1, SIG_DFL);

	pid = xfork();
	if (pid == 0) {
		char l[256];
		unsigned long at;
		if (munmap((void *)vvar_at, 4096) || munmap((void *)vdso_at, vdso_end - vdso_at))
			_exit(2);
		_exit(maps_line("[vdso]", l, sizeof(l), &at) || maps_line("[vvar]", l, sizeof(l), &at));
	}
	CHECK_EXIT(wait_pid(pid), 0, "munmap of [vvar] and [vdso] works and they are gone");
	check_mremap(vvar_at, vdso_at, vdso_end);
}

/* check_flush_icache - code written, made executable and flushed runs; rewritten runs anew. */
static void check_flush_icache(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r = syscall(SYS_riscv_flush_icache, 0, 0, 0);

	if (r == -1 && errno == ENOSYS && !on_holstein()) {
		t_skip("riscv_flush_icache: ENOSYS here");
		return;
	}
	CHECK(r == 0, "riscv_flush_icache(0, 0, 0) is 0");
	if (on_holstein())	/* qemu-user 7.2 ignores the flags */
		CHECK_ERR(syscall(SYS_riscv_flush_icache, 0, 0, 2), EINVAL,
			  "riscv_flush_icache flags 2 -> EINVAL");
	else
		t_skip("riscv_flush_icache's flag check: qemu-user ignores the flags");
	for (int v = 42; v <= 43; v++) {
		mprotect(code, 4096, PROT_READ | PROT_WRITE);
		code[0] = 0x00000513 | (uint32_t)v << 20;	/* li a0, v (addi a0, zero, v) */
		code[1] = 0x00008067;				/* ret */
		mprotect(code, 4096, PROT_READ | PROT_EXEC);
		syscall(SYS_riscv_flush_icache, code, code + 2, 0);
		int got = ((int (*)(void))(uintptr_t)code)();
		CHECK(got == v, "written code runs after riscv_flush_icache (%d, want %d)", got, v);
	}
	munmap(code, 4096);
}

int main(void)
{
	gettime_fn vgettime;
	gettod_fn vtod;

	t_init();
	ehdr_addr = getauxval(AT_SYSINFO_EHDR);
	if (!ehdr_addr && !on_holstein()) {
		t_skip("no AT_SYSINFO_EHDR here (qemu-user 7.2 maps no vDSO on riscv64)");
		check_flush_icache();
		return t_done("t_vdso");
	}
	CHECK(ehdr_addr != 0, "AT_SYSINFO_EHDR is in the auxiliary vector");
	if (!ehdr_addr)
		return t_done("t_vdso");
	check_image();
	vgettime = (gettime_fn)vdso_sym("__vdso_clock_gettime", "LINUX_4.15");
	vtod = (gettod_fn)vdso_sym("__vdso_gettimeofday", "LINUX_4.15");
	if (!vgettime || !vtod || !vdso_sym("__vdso_clock_getres", "LINUX_4.15"))
		return t_done("t_vdso");
	check_clocks(vgettime);
	check_tod(vtod);
	check_getres();
	if (on_holstein())
		check_settime(vgettime, vtod);
	else
		t_skip("setting the clock: it would set the host's");
	check_mapping(vgettime);
	check_flush_icache();
	return t_done("t_vdso");
}
