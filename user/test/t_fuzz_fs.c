/*
 * t_fuzz_fs - short, seeded runs of the fuzzer's file-system mode (user/bin/fuzz_fs.c,
 * built in here so the test also runs under qemu-riscv64): one worker alone (every call
 * repeatable from the seed), then four at once on one pool (renames, truncations and
 * mappings race). The kernel must survive, no worker may die of an unexpected signal or
 * hang, the pool must be removed, and on Holstein MemFree and KernelObjects must be back
 * at their start values. A failure prints the replay command for /bin/fuzz.
 * Under qemu-riscv64 the pool is on the host: fuzz_fs.c keeps every path inside it.
 *
 * The workers here mount nothing: a mount the kernel fails to take down stays in the
 * mount table after this test and can break every test after it in the same boot (one
 * reading /proc/self/mountinfo, say). mount and umount2 are fuzzed by "fuzz -f" in
 * make test's reliability runs, which boot for it alone; set fs_no_mount to 0 below to
 * have them here too.
 */
#define FUZZ_NO_MAIN
#include "../bin/fuzz.c"

/* check_run - run the fuzzer with o and turn its result into PASS/FAIL lines. */
static void check_run(const struct fuzz_opts *o, const char *what)
{
	struct fuzz_result r;

	fuzz_run(o, &r);
	CHECK(r.workers == o->children && r.calls == o->iters * o->children,
	      "%s: %ld workers made %ld steps", what, r.workers, r.calls);
	CHECK(r.bad_deaths == 0, "%s: no worker died of an unexpected signal (%ld did)", what,
	      r.bad_deaths);
	CHECK(r.hangs == 0, "%s: no worker hung (%ld did)", what, r.hangs);
	CHECK(r.fs_left == 0, "%s: the pool unmounted and removed (%ld left)", what, r.fs_left);
	if (r.mem_before >= 0) {
		CHECK(r.mem_after >= r.mem_before, "%s: MemFree back at its start value (%ld -> %ld kB)",
		      what, r.mem_before, r.mem_after);
		CHECK(r.objs_after <= r.objs_before, "%s: KernelObjects back at the start (%ld -> %ld)",
		      what, r.objs_before, r.objs_after);
	} else {
		t_skip("%s: MemFree/KernelObjects accounting (Holstein only)", what);
	}
}

/* main - a lone worker, then four racing ones; fewer steps under the oracle. */
int main(int argc, char **argv)
{
	struct fuzz_opts o = { .seed = 20261201, .children = 1, .fs = 1, .fs_no_mount = 1 };

	(void)argc;
	t_init();
	o.self = self_path(argv[0]);
	o.iters = on_holstein() ? 3000 : 1000;
	check_run(&o, "fuzz -f, one worker");
	o.seed = 20261202;
	o.children = 4;
	o.iters = on_holstein() ? 8000 : 1000;
	check_run(&o, "fuzz -f, four workers at once");
	return t_done("t_fuzz_fs");
}
