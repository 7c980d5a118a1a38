/*
 * exec.c - replace a process's program: execve(2) and init's first exec.
 *
 * The new image is built complete in a fresh address space that runs
 * nowhere: the program and its interpreter mapped from the page cache
 * (exec_elf.c), heap, stack and signal page as demand-zero VMAs, and only
 * the stack's top pages (arguments, environment, auxv) written now
 * (exec_args.c), through the new mm's own frames: exec never touches a
 * page table itself.  The old address space is dropped only once the new
 * one is complete, so a failed exec returns an error to a program that is
 * still intact.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "exec.h"
#include "elf.h"
#include "script.h"
#include "exec_args.h"
#include "exec_elf.h"
#include "../fs/fdtable.h"
#include "../fs/inode.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/kmalloc.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"
#include "../vm/reclaim.h"
#include "../vm/tlb.h"
#include "../vm/vdso.h"

/* HWCAP: one bit per single-letter extension: I, M, A, F, D, C. */
#define HWCAP_IMAFDC	((1 << ('i' - 'a')) | (1 << ('m' - 'a')) | (1 << ('a' - 'a')) | \
			 (1 << ('f' - 'a')) | (1 << ('d' - 'a')) | (1 << ('c' - 'a')))

/*
 * build_stack - the initial stack of the new image @mm (exec_args_build):
 * the strings and the auxiliary vector, in Linux 6.1's order, for @prog
 * and its interpreter @interp (AT_BASE 0 without one).  Sets *@out_sp.
 * 0 or -errno.
 */
static int build_stack(struct mm *mm, const char *path, struct exec_strings *argv,
		       struct exec_strings *envp, const struct exec_image *prog,
		       const struct exec_image *interp, unsigned long *out_sp)
{
	const struct elf_info *ei = &prog->ei;
	unsigned long aux[] = {
		AT_SYSINFO_EHDR, USER_VDSO,	/* first, as Linux's ARCH_DLINFO puts it */
		AT_HWCAP, HWCAP_IMAFDC, AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, 100,
		AT_PHDR, ei->phdr_vaddr ? ei->phdr_vaddr + prog->bias : 0,
		AT_PHENT, ei->phentsize, AT_PHNUM, ei->phnum,
		AT_BASE, interp->ip ? interp->bias : 0,	/* ld.so's load address */
		AT_FLAGS, 0, AT_ENTRY, ei->entry + prog->bias,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
		AT_RANDOM, 0, AT_EXECFN, 0, AT_NULL, 0,
	};

	return exec_args_build(mm, argv, envp, path, aux, ARRAY_SIZE(aux), out_sp);
}

/*
 * open_program - find @path and read its header: the inode (a reference)
 * in img->ip and either the parsed ELF header in img->ei, or a #! line
 * (return 1, interpreter and argument in @interp, @arg).  0, 1, or
 * -ENOENT, -EACCES, -ENOEXEC...
 */
static int open_program(const char *path, struct exec_image *img, char *interp, char *arg,
			char *abs)
{
	phys_addr_t f;
	size_t hl;
	uint64_t size;
	const uint8_t *hdr;
	int r = exec_lookup(path, &img->ip, abs);

	if (r)
		return r;
	hdr = exec_header(img->ip, &f, &hl, &size);
	r = script_line((const char *)hdr, hl, interp, arg);
	if (!r)
		r = elf_parse(hdr, hl, size, &img->ei) ? -ENOEXEC : 0;
	if (f)
		pmm_put(f);
	if (r < 0) {
		inode_put(img->ip);
		img->ip = 0;
	}
	return r;
}

/*
 * map_program - the new image's areas: the program and its interpreter
 * (exec_elf_map), the stack, [vvar] and [vdso].  Nothing is mapped yet
 * but VMAs.  The entry point in *@entry.  0 or -ENOMEM.
 */
static int map_program(struct mm *mm, struct exec_image *prog, struct exec_image *interp,
		       unsigned long *entry)
{
	int r;

	if ((r = exec_elf_map(mm, prog, interp, entry)))
		return r;
	if ((r = mm_map(mm, &(struct vma){ .start = mm->stack_top - USER_STACK_SIZE,
					   .end = mm->stack_top, .prot = PROT_READ | PROT_WRITE,
					   .kind = VMA_ANON, .flags = VMA_STACK | VMA_MAY_RWX })))
		return r;
	return vdso_map(mm);
}

/*
 * exec_leave_old - the current thread's execve has its new image ready:
 * end the other threads of the process (we take over its pid), and stop
 * sharing what the new program must own alone: the descriptor table and
 * the signal actions.  The old image's CLONE_CHILD_CLEARTID word and
 * robust list are dealt with as at exit.  0, or -EINTR (the process is
 * dying) or -ENOMEM; then the caller's image is unchanged, though the
 * other threads may be gone already.
 */
static int exec_leave_old(struct proc *p)
{
	struct sighand *sh = p->sighand;
	int r;

	if ((r = proc_exec_takeover()) || (r = fd_unshare(p)))
		return r;
	if (!proc_sighand_is_own(p)) {
		/* Shared with another process (CLONE_SIGHAND): back to our own. */
		spin_lock(&sched_lock);
		p->group->sighand = *sh;
		p->sighand = &p->group->sighand;
		int last = --sh->refs == 0;
		spin_unlock(&sched_lock);
		if (last)
			kfree(sh);
	}
	proc_release_user_state(p);	/* the old image's, as at exit */
	return 0;
}

/*
 * open_image - open the program @path names, following #! lines: each
 * script's interpreter is opened in turn (at most EXEC_SCRIPT_DEPTH of them) and
 * @argv rewritten as Linux does.  The ELF's inode and header in @img,
 * its absolute name in @abs; the interpreters' names live in @names
 * (a page made at the first script, in *@names_pg), which @argv points
 * into.  0 or -errno (ELOOP: too many scripts).
 */
static int open_image(const char *path, struct exec_strings *argv, struct exec_image *img,
		      char *abs, phys_addr_t *names_pg)
{
	char line[2][NAME_MAX + 1], *names = line[0];
	const char *name = path;
	int r, depth = 0;

	while ((r = open_program(name, img, names, names + NAME_MAX + 1, abs)) == 1) {
		inode_put(img->ip);
		img->ip = 0;
		if (++depth > EXEC_SCRIPT_DEPTH)
			return -ELOOP;
		if (!*names_pg) {
			/* The first script: its names move to a page the argument list can point into. */
			if (!(*names_pg = pmm_alloc()))
				return -ENOMEM;
			names = phys_to_virt(*names_pg);
			memcpy(names, line, sizeof(line));
		}
		/* The script's name stays where the argument list points: the caller's, or a level's. */
		exec_args_script(argv, names, names + NAME_MAX + 1, name);
		name = names;
		names += 2 * (NAME_MAX + 1);
	}
	return r;
}

/*
 * do_exec - the common path of execve and init: open the program, build
 * its address space (map_program, build_stack), and only then, past the
 * point of no return, drop the old one.  On success the process runs the
 * new program from its entry point on return to user mode.
 */
static int do_exec(struct proc *p, const char *path, struct exec_strings *argv,
		   struct exec_strings *envp)
{
	struct exec_image prog = { 0 }, interp = { 0 };
	unsigned long sp, entry;
	struct mm *mm = 0;
	int r;
	phys_addr_t pg = pmm_alloc(), pg2 = 0;

	if (!pg)
		return -ENOMEM;
	char *abs = phys_to_virt(pg);		/* the program's absolute name, for /proc/PID/exe */
	if ((r = open_image(path, argv, &prog, abs, &pg2)) ||
	    (prog.ei.has_interp && (r = exec_elf_interp(&prog, &interp))) ||
	    (r = exec_args_measure(argv, envp, path)))
		goto fail;
	mm = mm_create();
	r = -ENOMEM;
	if (!mm)
		goto fail;
	if ((r = map_program(mm, &prog, &interp, &entry)))
		goto fail;
	if ((r = build_stack(mm, path, argv, envp, &prog, &interp, &sp)))
		goto fail;

	if (p == current() && (r = exec_leave_old(p)))
		goto fail;

	/*
	 * Point of no return: switch to the new address space, drop the old.
	 * /proc readers take their mm reference under sched_lock, so the swap
	 * happens under it too: none may get hold of old once we drop it.
	 */
	spin_lock(&sched_lock);
	struct mm *old = p->mm;
	p->mm = mm;
	spin_unlock(&sched_lock);
	if (p == current()) {
		tlb_mm_enter(mm);	/* leaves the old mm on this hart (tlb.h) */
		tlb_flush_icache();
	}
	proc_vfork_release(p);
	if (old)
		mm_put(old);

	fd_close_on_exec(p);
	p->sig.ss_sp = p->sig.ss_size = 0;	/* the old image's alternate stack is gone */
	p->sig.ss_autodisarm = 0;
	spin_lock(&sched_lock);
	for (int s = 0; s < NSIG; s++) {
		struct k_sigaction *a = &p->sighand->action[s];
		if (a->handler != SIG_IGN)
			a->handler = SIG_DFL;
		a->flags = 0;
		a->mask = 0;
	}
	spin_unlock(&sched_lock);
	proc_set_name(p, path);
	strlcpy(p->group->exe, abs, sizeof(p->group->exe));
	memset(&p->fp, 0, sizeof(p->fp));
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->epc = entry;
	p->tf->sp = sp;
	p->tf->sstatus = arch_user_status_new();
	mm = 0;		/* the process's now */
fail:
	if (mm)
		mm_put(mm);
	if (prog.ip)
		inode_put(prog.ip);	/* the VMAs hold the files they map */
	if (interp.ip)
		inode_put(interp.ip);
	pmm_put(pg);
	if (pg2)
		pmm_put(pg2);
	return r;
}

int exec_kernel(struct proc *p, const char *path, char *const argv[])
{
	static char *const envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100", 0 };
	struct exec_strings a = { .kv = argv }, e = { .kv = envp };

	return do_exec(p, path, &a, &e);
}

long exec_user(unsigned long upath, unsigned long uargv, unsigned long uenvp)
{
	struct exec_strings a = { .uv = uargv }, e = { .uv = uenvp };
	phys_addr_t pg;
	long r;

	reclaim_maybe();	/* low on frames: reclaim before the new image is built */
	pg = pmm_alloc();
	if (!pg)
		return -ENOMEM;
	r = uaccess_strncpy_from_user(phys_to_virt(pg), upath, PATH_MAX);
	if (r >= 0)
		r = *(char *)phys_to_virt(pg) ? do_exec(current(), phys_to_virt(pg), &a, &e) : -ENOENT;
	pmm_put(pg);
	return r;
}
