/*
 * t_fuzz - short, deterministic runs of the system call fuzzer (user/bin/fuzz.c, built in
 * here so the test also runs under qemu-riscv64): two workers with a fixed seed, 1500
 * calls each, then the same in the ABI mode (-a: each call clean and with junk above its
 * int arguments' 32 bits, which must not change the answer). The kernel must survive, no
 * worker may die of an unexpected signal or hang or see an ABI mismatch, and on Holstein
 * MemFree and KernelObjects must be back at their start values.
 * A failure prints the replay command for /bin/fuzz.
 */
#define FUZZ_NO_MAIN
#include "../bin/fuzz.c"

/* check_run - run the fuzzer with o and turn its result into PASS/FAIL lines. */
static void check_run(const struct fuzz_opts *o, const char *mode)
{
	struct fuzz_result r;

	fuzz_run(o, &r);
	CHECK(r.workers >= 2 && r.calls > 0, "%s: the parent ran %ld workers, %ld calls", mode,
	      r.workers, r.calls);
	CHECK(r.bad_deaths == 0, "%s: no worker died of an unexpected signal (%ld did)", mode,
	      r.bad_deaths);
	CHECK(r.hangs == 0, "%s: no worker hung in the kernel (%ld did)", mode, r.hangs);
	if (o->abi)
		CHECK(r.mismatches == 0, "%s: junk upper halves changed no answer (%ld did)", mode,
		      r.mismatches);
	if (r.mem_before >= 0) {
		CHECK(r.mem_after >= r.mem_before, "%s: MemFree back at its start value (%ld -> %ld kB)",
		      mode, r.mem_before, r.mem_after);
		CHECK(r.objs_after <= r.objs_before, "%s: KernelObjects back at the start (%ld -> %ld)",
		      mode, r.objs_before, r.objs_after);
	} else {
		t_skip("%s: MemFree/KernelObjects accounting (Holstein only)", mode);
	}
}

/* main - a run of each mode. */
int main(int argc, char **argv)
{
	struct fuzz_opts o = { .seed = 20261122, .iters = 1500, .children = 2 };

	(void)argc;
	t_init();
	o.self = self_path(argv[0]);
	check_run(&o, "fuzz");
	o.seed = 20261123;
	o.abi = 1;
	check_run(&o, "fuzz -a");
	return t_done("t_fuzz");
}
