/*
 * exec.c - load a static ELF program into a fresh address space.
 *
 * Nothing is copied from the file: text is mapped from the file's page
 * cache (shared, read-only), the data segment maps the same pages COW, and
 * bss, heap and stack are demand-zero VMAs.  Only the stack's top pages
 * (arguments, environment, auxv) are written now, through mm_copy_in: exec
 * never touches a page table itself.  The old address space
 * is dropped only once the new one is complete, so a failed exec returns
 * an error to a program that is still intact.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "exec.h"
#include "elf.h"
#include "script.h"
#include "exec_args.h"
#include "../fs/fdtable.h"
#include "../fs/namei.h"
#include "../fs/inode.h"
#include "../vm/pager.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/zero.h"
#include "../vm/kmalloc.h"
#include "random.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"
#include "../vm/tlb.h"

/* HWCAP: one bit per single-letter extension: I, M, A, F, D, C. */
#define HWCAP_IMAFDC	((1 << ('i' - 'a')) | (1 << ('m' - 'a')) | (1 << ('a' - 'a')) | \
			 (1 << ('f' - 'a')) | (1 << ('d' - 'a')) | (1 << ('c' - 'a')))

/* load_segments - one or two VMAs per PT_LOAD: file-backed, then demand-zero bss. */
static int load_segments(struct mm *mm, struct inode *ip, const struct elf_info *ei,
			 unsigned long bias)
{
	for (int i = 0; i < ei->nload; i++) {
		const struct elf_segment *s = &ei->load[i];
		unsigned prot = ((s->flags & PF_R) ? PROT_READ : 0) |
				((s->flags & PF_W) ? PROT_WRITE : 0) |
				((s->flags & PF_X) ? PROT_EXEC : 0);
		unsigned long start = ALIGN_DOWN(s->vaddr + bias, PAGE_SIZE);
		unsigned long fend = s->vaddr + bias + s->filesz;
		unsigned long mend = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
		unsigned long fpage_end = ALIGN_UP(fend, PAGE_SIZE);
		int r;

		if (s->filesz) {
			r = mm_map(mm, &(struct vma){ .start = start, .end = fpage_end, .prot = prot,
						      .kind = VMA_FILE, .flags = VMA_MAY_RWX,
						      .mem = ip->mem, .pager = &inode_pager,
						      .object = ip,
						      .file_off = ALIGN_DOWN(s->offset, PAGE_SIZE),
						      .file_end = fend });
			if (r)
				return r;
		} else {
			fpage_end = start;
		}
		if (mend > fpage_end) {
			r = mm_map(mm, &(struct vma){ .start = fpage_end, .end = mend, .prot = prot,
						      .kind = VMA_ANON, .flags = VMA_MAY_RWX });
			if (r)
				return r;
		}
	}
	return 0;
}

/*
 * build_stack - the initial stack of the new image @mm (exec_args_build):
 * the strings and the auxiliary vector Linux passes.  Sets *@out_sp.
 * 0 or -errno.
 */
static int build_stack(struct mm *mm, const char *path, struct exec_strings *argv,
		       struct exec_strings *envp, const struct elf_info *ei, unsigned long bias,
		       unsigned long *out_sp)
{
	unsigned long aux[] = {
		AT_PHDR, ei->phdr_vaddr ? ei->phdr_vaddr + bias : 0,
		AT_PHENT, ei->phentsize, AT_PHNUM, ei->phnum, AT_PAGESZ, PAGE_SIZE,
		AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, ei->entry + bias,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0,
		AT_HWCAP, HWCAP_IMAFDC, AT_CLKTCK, 100, AT_SECURE, 0,
		AT_RANDOM, 0, AT_EXECFN, 0, AT_NULL, 0,
	};

	return exec_args_build(mm, argv, envp, path, aux, ARRAY_SIZE(aux), out_sp);
}

/*
 * open_program - find @path and read its header: the inode (a reference)
 * in *@ipp, and either the parsed ELF header in @ei with the load bias of a
 * static-pie program in *@bias, or a #! line (return 1, interpreter and
 * argument in @interp, @arg).  0, 1, or -ENOENT, -EACCES, -ENOEXEC...
 */
static int open_program(const char *path, struct inode **ipp, struct elf_info *ei,
			unsigned long *bias, char *interp, char *arg, char *abs)
{
	struct nameidata nd;
	struct inode *ip;
	uint8_t *hdr;
	long r = namei(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_PARENT, &nd);

	if (r)
		return (int)r;
	if (!nd.inode) {
		r = nd.proc ? -EACCES : -ENOENT;	/* /proc's files are never programs */
		nd_release(&nd);
		return (int)r;
	}
	ip = inode_get(nd.inode);
	if (nd_path(&nd, abs, PAGE_SIZE) < 0)
		strlcpy(abs, path, PAGE_SIZE);
	nd_release(&nd);
	if (!S_ISREG(ip->mode) || !(ip->mode & 0111)) {
		inode_put(ip);
		return -EACCES;
	}
	/* The header is read in place, from the page cache: the frame is ours while we hold it. */
	int err;
	uint64_t size = shmem_size(ip->mem);
	phys_addr_t f = shmem_page(ip->mem, 0, 0, &err);
	size_t hl = (size_t)MIN(size, (uint64_t)PAGE_SIZE);
	hdr = f ? phys_to_virt(f) : phys_to_virt(zero_frame);
	r = script_line((const char *)hdr, hl, interp, arg);
	if (!r)
		r = elf_parse(hdr, hl, size, ei) ? -ENOEXEC : 0;
	if (f)
		pmm_put(f);
	if (!r && ei->has_interp)
		r = -ENOEXEC;	/* dynamically linked: no loader here */
	if (r < 0) {
		inode_put(ip);
		return (int)r;
	}
	if (!r)
		*bias = ei->type == 3 ? USER_ET_DYN_BASE - ei->lo : 0;
	*ipp = ip;
	return (int)r;
}

/*
 * map_program - the new image's areas: the segments of @ip, the heap's
 * start, the stack and the signal page.  Nothing is mapped yet but VMAs.
 * 0 or -ENOMEM.
 */
static int map_program(struct mm *mm, struct inode *ip, const struct elf_info *ei,
		       unsigned long bias)
{
	int r;

	if ((r = load_segments(mm, ip, ei, bias)))
		return r;
	mm->brk_start = mm->brk = ALIGN_UP(ei->hi + bias, PAGE_SIZE);
	if ((r = mm_map(mm, &(struct vma){ .start = mm->stack_top - USER_STACK_SIZE,
					   .end = mm->stack_top, .prot = PROT_READ | PROT_WRITE,
					   .kind = VMA_ANON, .flags = VMA_STACK | VMA_MAY_RWX })))
		return r;
	return mm_map(mm, &(struct vma){ .start = USER_SIGPAGE, .end = USER_SIGPAGE + PAGE_SIZE,
					 .prot = PROT_READ | PROT_EXEC, .kind = VMA_SIGPAGE,
					 .flags = VMA_MAYREAD | VMA_MAYEXEC });
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
 * @argv rewritten as Linux does.  The ELF's inode in *@ipp, its header in
 * @ei, its absolute name in @abs; the interpreters' names live in @names
 * (a page made at the first script, in *@names_pg), which @argv points
 * into.  0 or -errno (ELOOP: too many scripts).
 */
static int open_image(const char *path, struct exec_strings *argv, struct inode **ipp,
		      struct elf_info *ei, unsigned long *bias, char *abs, phys_addr_t *names_pg)
{
	char line[2][NAME_MAX + 1], *names = line[0];
	const char *name = path;
	int r, depth = 0;

	while ((r = open_program(name, ipp, ei, bias, names, names + NAME_MAX + 1, abs)) == 1) {
		inode_put(*ipp);
		*ipp = 0;
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
	struct inode *ip = 0;
	struct elf_info ei;
	unsigned long bias = 0, sp;
	struct mm *mm = 0;
	int r;
	phys_addr_t pg = pmm_alloc(), pg2 = 0;

	if (!pg)
		return -ENOMEM;
	char *abs = phys_to_virt(pg);		/* the program's absolute name, for /proc/PID/exe */
	if ((r = open_image(path, argv, &ip, &ei, &bias, abs, &pg2)) ||
	    (r = exec_args_measure(argv, envp, path)))
		goto fail;
	mm = mm_create();
	r = -ENOMEM;
	if (!mm)
		goto fail;
	if ((r = map_program(mm, ip, &ei, bias)))
		goto fail;
	if ((r = build_stack(mm, path, argv, envp, &ei, bias, &sp)))
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
	inode_put(ip);
	pmm_put(pg);
	if (pg2)
		pmm_put(pg2);
	memset(&p->fp, 0, sizeof(p->fp));
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->epc = ei.entry + bias;
	p->tf->sp = sp;
	p->tf->sstatus = arch_user_status_new();
	return 0;
fail:
	if (mm)
		mm_put(mm);
	if (ip)
		inode_put(ip);
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
	phys_addr_t pg = pmm_alloc();
	long r;

	if (!pg)
		return -ENOMEM;
	r = uaccess_strncpy_from_user(phys_to_virt(pg), upath, PATH_MAX);
	if (r >= 0)
		r = *(char *)phys_to_virt(pg) ? do_exec(current(), phys_to_virt(pg), &a, &e) : -ENOENT;
	pmm_put(pg);
	return r;
}
