/*
 * t_fuzz - a short, deterministic run of the system call fuzzer (user/bin/fuzz.c, built
 * in here so the test also runs under qemu-riscv64): two workers with a fixed seed, 1500
 * calls each. The kernel must survive, no worker may die of an unexpected signal or hang,
 * and on Holstein MemFree and KernelObjects must be back at their start values.
 * A failure prints the replay command for /bin/fuzz.
 */
#define FUZZ_NO_MAIN
#include "../bin/fuzz.c"

/* main - run the fuzzer once and turn its result into PASS/FAIL lines. */
int main(int argc, char **argv)
{
	struct fuzz_opts o = { .seed = 20261122, .iters = 1500, .children = 2 };
	struct fuzz_result r;

	(void)argc;
	t_init();
	o.self = self_path(argv[0]);
	fuzz_run(&o, &r);
	CHECK(r.workers >= 2 && r.calls > 0, "the parent ran %ld workers, %ld calls", r.workers,
	      r.calls);
	CHECK(r.bad_deaths == 0, "no worker died of an unexpected signal (%ld did)", r.bad_deaths);
	CHECK(r.hangs == 0, "no worker hung in the kernel (%ld did)", r.hangs);
	if (r.mem_before >= 0) {
		CHECK(r.mem_after >= r.mem_before, "MemFree back at its start value (%ld -> %ld kB)",
		      r.mem_before, r.mem_after);
		CHECK(r.objs_after <= r.objs_before, "KernelObjects back at the start (%ld -> %ld)",
		      r.objs_before, r.objs_after);
	} else {
		t_skip("MemFree/KernelObjects accounting (Holstein only)");
	}
	return t_done("t_fuzz");
}
