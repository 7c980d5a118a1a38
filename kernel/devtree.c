/*
 * devtree.c - distil the firmware's device tree into struct dt_info.
 *
 * Pure logic over the blob (see fdt.c for the bounds checking): no hardware
 * is touched, so the host tests run it over real and corrupted blobs.  A
 * structurally valid blob with odd contents (a property of the wrong size, a
 * dangling phandle) never fails the probe: the affected item is just left
 * out, because a half-described machine is still bootable.
 */
#include "devtree.h"
#include "fdt.h"
#include "string.h"

#define DT_IRQ_S_EXT 9u			/* S-mode external interrupt cause */
#define DT_MASKED 0xffffffffu		/* OpenSBI's marker for hidden M-mode contexts */
#define DT_SIFIVE_TEST_POWEROFF 0x5555u /* sifive,test "FINISHER_PASS" */

/*
 * dt_copy - copy the string @src, of at most @n bytes (stopping early at a
 * NUL), into @dst of @size > 0 bytes, truncating and always NUL-terminating.
 */
static void dt_copy(char *dst, size_t size, const char *src, size_t n)
{
	n = strnlen(src, n);
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * dt_add_range - append [@base, @base+@size) to @r (holding *@n of @max
 * entries).  Empty ranges are dropped; full tables silently keep the first
 * @max; a range that would wrap past 2^64 is clipped to end at the top so
 * the caller never does overflowing arithmetic with it.
 */
static void dt_add_range(struct dt_range *r, int *n, int max, uint64_t base, uint64_t size)
{
	if (size == 0 || *n >= max)
		return;
	if (base + size < base)
		size = 0 - base;
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
}

/*
 * dt_add_regs - append every "reg" entry of @node to @r (see dt_add_range),
 * stopping once the table is full: each fdt_reg() rescans the tree, so a
 * hostile "reg" with thousands of entries must not cost thousands of scans.
 */
static void dt_add_regs(const struct fdt *f, int node, struct dt_range *r, int *n, int max)
{
	uint64_t base, size;
	int i;

	for (i = 0; *n < max && fdt_reg(f, node, i, &base, &size) == 0; i++)
		dt_add_range(r, n, max, base, size);
}

/* dt_is - true iff @node's string property @name equals @want. */
static bool dt_is(const struct fdt *f, int node, const char *name, const char *want)
{
	const char *s = fdt_prop_str(f, node, name);

	return s && strcmp(s, want) == 0;
}

/* dt_compatible_any - true iff @node is compatible with a string in the NULL-ended @list. */
static bool dt_compatible_any(const struct fdt *f, int node, const char *const *list)
{
	for (; *list; list++)
		if (fdt_node_compatible(f, node, *list))
			return true;
	return false;
}

/* dt_find_any - first node (document order) compatible with any of @list, or < 0. */
static int dt_find_any(const struct fdt *f, const char *const *list)
{
	int node;

	for (node = fdt_root(f); node >= 0; node = fdt_node_next(f, node, NULL))
		if (dt_compatible_any(f, node, list))
			return node;
	return node;
}

/* dt_probe_memory - every enabled device_type = "memory" node's reg ranges. */
static void dt_probe_memory(const struct fdt *f, struct dt_info *out)
{
	int node;

	for (node = fdt_root(f); node >= 0 && out->nmem < DT_MAX_MEM;
	     node = fdt_node_next(f, node, NULL))
		if (dt_is(f, node, "device_type", "memory") && fdt_node_enabled(f, node))
			dt_add_regs(f, node, out->mem, &out->nmem, DT_MAX_MEM);
}

/*
 * dt_probe_reserved - /memreserve/ entries, then each enabled child of
 * /reserved-memory (a disabled child reserves nothing, as in Linux), then
 * the blob itself so the allocator does not hand out the tree we still read.
 * The others are capped one slot short of the table so the blob always fits.
 */
static void dt_probe_reserved(const struct fdt *f, uint64_t blob_pa, struct dt_info *out)
{
	uint64_t addr, size;
	uint32_t i;
	int rm, child;

	for (i = 0; fdt_rsv_entry(f, i, &addr, &size) == 0; i++)
		dt_add_range(out->resv, &out->nresv, DT_MAX_RESV - 1, addr, size);

	rm = fdt_find_path(f, "/reserved-memory", 16);
	if (rm >= 0)
		for (child = fdt_first_child(f, rm); child >= 0; child = fdt_next_sibling(f, child))
			if (fdt_node_enabled(f, child))
				dt_add_regs(f, child, out->resv, &out->nresv, DT_MAX_RESV - 1);

	dt_add_range(out->resv, &out->nresv, DT_MAX_RESV, blob_pa, f->totalsize);
}

/*
 * dt_probe_chosen - /chosen: bootargs, stdout-path (options after ':'
 * dropped) and the initrd range, kept only if both ends are present and
 * ordered.
 */
static void dt_probe_chosen(const struct fdt *f, struct dt_info *out)
{
	const char *s, *colon;
	uint64_t start, end;
	int chosen;

	chosen = fdt_find_path(f, "/chosen", 7);
	if (chosen < 0)
		return;
	s = fdt_prop_str(f, chosen, "bootargs");
	if (s)
		dt_copy(out->bootargs, sizeof(out->bootargs), s, strlen(s));
	s = fdt_prop_str(f, chosen, "stdout-path");
	if (!s)
		s = fdt_prop_str(f, chosen, "linux,stdout-path");
	if (s) {
		colon = strchr(s, ':');
		dt_copy(out->stdout_path, sizeof(out->stdout_path), s,
			colon ? (size_t)(colon - s) : strlen(s));
	}
	if (fdt_prop_uint(f, chosen, "linux,initrd-start", &start) == 0 &&
	    fdt_prop_uint(f, chosen, "linux,initrd-end", &end) == 0 && start <= end) {
		out->initrd_start = start;
		out->initrd_end = end;
	}
}

/* dt_tolower - ASCII lower case (riscv,isa is specified case-insensitive). */
static char dt_tolower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * dt_isa_has - true iff the ISA string @isa (e.g. "rv64imafdch_zicsr_sstc")
 * has the multi-letter extension @ext as one of its '_'-separated tokens.
 * Whole tokens only, so "sstc" does not match "xsstcfoo".
 */
static bool dt_isa_has(const char *isa, const char *ext)
{
	size_t want = strlen(ext), n, i;
	const char *end;

	while (*isa) {
		end = strchr(isa, '_');
		n = end ? (size_t)(end - isa) : strlen(isa);
		if (n == want) {
			for (i = 0; i < n && dt_tolower(isa[i]) == ext[i]; i++)
				;
			if (i == n)
				return true;
		}
		if (!end)
			break;
		isa = end + 1;
	}
	return false;
}

/*
 * dt_probe_hart - fill @h from the cpu node @cpu.  Returns false if the node
 * has no usable "reg" (no hart id), in which case it is not a hart to us.
 */
static bool dt_probe_hart(const struct fdt *f, int cpu, struct dt_hart *h)
{
	uint64_t id, unused;
	uint32_t len, ph;
	const char *isa;
	const void *ext;
	int child;

	if (fdt_reg(f, cpu, 0, &id, &unused) != 0 || id > 0xffffffffu)
		return false;
	h->hartid = (uint32_t)id;
	h->plic_sctx = -1;
	h->intc_phandle = -1;
	/* No mmu-type means an M-mode-only core (e.g. the S7 monitor hart). */
	h->eligible = fdt_node_enabled(f, cpu) && fdt_find_prop(f, cpu, "mmu-type", NULL) != NULL;
	isa = fdt_prop_str(f, cpu, "riscv,isa");
	ext = fdt_find_prop(f, cpu, "riscv,isa-extensions", &len);
	h->has_sstc =
	    (isa && dt_isa_has(isa, "sstc")) || (ext && fdt_stringlist_has(ext, len, "sstc"));
	for (child = fdt_first_child(f, cpu); child >= 0; child = fdt_next_sibling(f, child)) {
		if (!fdt_find_prop(f, child, "interrupt-controller", NULL))
			continue;
		ph = fdt_phandle(f, child);
		/* intc_phandle is signed; a phandle that does not fit is as good as none. */
		if (ph != 0 && ph <= 0x7fffffffu)
			h->intc_phandle = (int32_t)ph;
		break;
	}
	return true;
}

/*
 * dt_probe_cpus - timebase and one dt_hart per device_type = "cpu" child of
 * /cpus (first NCPU kept).  timebase-frequency may be one or two
 * cells; it lives in /cpus, or failing that in the first cpu node.
 */
static void dt_probe_cpus(const struct fdt *f, struct dt_info *out)
{
	uint64_t tb;
	int cpus, cpu;
	bool have_tb;

	cpus = fdt_find_path(f, "/cpus", 5);
	if (cpus < 0)
		return;
	have_tb = fdt_prop_uint(f, cpus, "timebase-frequency", &tb) == 0;
	for (cpu = fdt_first_child(f, cpus); cpu >= 0; cpu = fdt_next_sibling(f, cpu)) {
		if (!dt_is(f, cpu, "device_type", "cpu"))
			continue;
		if (!have_tb)
			have_tb = fdt_prop_uint(f, cpu, "timebase-frequency", &tb) == 0;
		if (out->nharts < NCPU && dt_probe_hart(f, cpu, &out->harts[out->nharts]))
			out->nharts++;
	}
	if (have_tb && tb <= 0xffffffffu)
		out->timebase = (uint32_t)tb;
}

/*
 * dt_probe_plic - base, size and ndev of the first PLIC, and each hart's
 * S-mode context: interrupts-extended is a list of <intc-phandle cause>
 * pairs (cpu-intc has #interrupt-cells = 1) whose index is the PLIC context
 * number; the pair with cause 9 pointing at a hart's intc is its S context.
 */
static void dt_probe_plic(const struct fdt *f, struct dt_info *out)
{
	static const char *const plics[] = {"riscv,plic0", "sifive,plic-1.0.0",
					    "starfive,jh7110-plic", NULL};
	const uint8_t *ie;
	uint32_t len, i, ph, irq;
	int plic, h;

	plic = dt_find_any(f, plics);
	if (plic < 0)
		return;
	if (fdt_reg(f, plic, 0, &out->plic_base, &out->plic_size) != 0)
		out->plic_base = out->plic_size = 0;
	if (fdt_prop_u32(f, plic, "riscv,ndev", &out->plic_ndev) != 0)
		out->plic_ndev = 0;
	ie = fdt_find_prop(f, plic, "interrupts-extended", &len);
	if (!ie)
		return;
	for (i = 0; i < len / 8; i++) {
		ph = fdt_be32(ie + 8 * i);
		irq = fdt_be32(ie + 8 * i + 4);
		if (ph == DT_MASKED || irq == DT_MASKED || irq != DT_IRQ_S_EXT)
			continue;
		for (h = 0; h < out->nharts; h++)
			if (out->harts[h].intc_phandle >= 0 &&
			    (uint32_t)out->harts[h].intc_phandle == ph &&
			    out->harts[h].plic_sctx < 0)
				out->harts[h].plic_sctx = (int32_t)i;
	}
}

/* dt_probe_clint - base of the first CLINT (informational: SBI owns it). */
static void dt_probe_clint(const struct fdt *f, struct dt_info *out)
{
	static const char *const clints[] = {"riscv,clint0", "sifive,clint0", NULL};
	uint64_t size;
	int clint = dt_find_any(f, clints);

	if (clint < 0 || fdt_reg(f, clint, 0, &out->clint_base, &size) != 0)
		out->clint_base = 0;
}

/* dt_probe_rtc - a real-time clock we can read: QEMU virt's goldfish RTC. */
static void dt_probe_rtc(const struct fdt *f, struct dt_info *out)
{
	uint64_t size;
	int rtc = fdt_find_compatible(f, -1, "google,goldfish-rtc");

	if (rtc < 0 || !fdt_node_enabled(f, rtc) || fdt_reg(f, rtc, 0, &out->rtc_base, &size) != 0)
		out->rtc_base = 0;
}

/* dt_uart_kind - which of our UART drivers fits @node, DT_UART_NONE if neither. */
static enum dt_uart_kind dt_uart_kind(const struct fdt *f, int node)
{
	static const char *const u8250[] = {"ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart",
					    NULL};

	if (fdt_node_compatible(f, node, "sifive,uart0"))
		return DT_UART_SIFIVE;
	return dt_compatible_any(f, node, u8250) ? DT_UART_8250 : DT_UART_NONE;
}

/*
 * dt_fill_uart - describe UART @node in @out if we drive it and its "reg"
 * is readable.  Returns true on success, false (and @out untouched) if not.
 */
static bool dt_fill_uart(const struct fdt *f, int node, struct dt_info *out)
{
	enum dt_uart_kind kind = dt_uart_kind(f, node);
	struct dt_uart *u = &out->uart;
	uint64_t base, size, clk;
	const void *irq;
	uint32_t len;

	if (kind == DT_UART_NONE || fdt_reg(f, node, 0, &base, &size) != 0)
		return false;
	u->kind = kind;
	u->base = base;
	u->size = size;
	if (fdt_prop_u32(f, node, "reg-shift", &u->reg_shift) != 0)
		u->reg_shift = 0;
	if (fdt_prop_u32(f, node, "reg-io-width", &u->reg_io_width) != 0)
		u->reg_io_width = 1;
	u->clock = 0;
	if (fdt_prop_uint(f, node, "clock-frequency", &clk) == 0 && clk <= 0xffffffffu)
		u->clock = (uint32_t)clk;
	irq = fdt_find_prop(f, node, "interrupts", &len);
	u->irq = (irq && len >= 4) ? fdt_be32(irq) : 0;
	if (fdt_node_path(f, node, out->uart_path, sizeof(out->uart_path)) < 0)
		out->uart_path[0] = '\0';
	return true;
}

/*
 * dt_probe_uart - the console: the stdout-path node (a full path or an
 * alias) if it is a UART we drive, else the first enabled one we drive.
 * Must run after dt_probe_chosen.
 */
static void dt_probe_uart(const struct fdt *f, struct dt_info *out)
{
	int node;

	if (out->stdout_path[0]) {
		node = fdt_find_path(f, out->stdout_path, sizeof(out->stdout_path));
		if (node >= 0 && dt_fill_uart(f, node, out))
			return;
	}
	for (node = fdt_root(f); node >= 0; node = fdt_node_next(f, node, NULL))
		if (fdt_node_enabled(f, node) && dt_fill_uart(f, node, out))
			return;
}

/* dt_is_sifive_test - true iff @node is a SiFive test finisher. */
static bool dt_is_sifive_test(const struct fdt *f, int node)
{
	return fdt_node_compatible(f, node, "sifive,test0") ||
	       fdt_node_compatible(f, node, "sifive,test1");
}

/*
 * dt_probe_poweroff - a "syscon-poweroff" node's register write (regmap
 * target's base + offset <- value), or failing that a bare SiFive test
 * device written with 0x5555.  A syscon without "value" is only usable when
 * the target is a test device, whose poweroff value is known.
 */
static void dt_probe_poweroff(const struct fdt *f, struct dt_info *out)
{
	static const char *const tests[] = {"sifive,test0", "sifive,test1", NULL};
	struct dt_poweroff *p = &out->poweroff;
	uint64_t base, size;
	uint32_t regmap;
	int node, target;

	node = fdt_find_compatible(f, -1, "syscon-poweroff");
	if (node >= 0 && fdt_prop_u32(f, node, "regmap", &regmap) == 0) {
		target = fdt_node_by_phandle(f, regmap);
		if (target >= 0 && fdt_reg(f, target, 0, &base, &size) == 0) {
			p->is_sifive_test = dt_is_sifive_test(f, target);
			p->base = base;
			if (fdt_prop_u32(f, node, "offset", &p->offset) != 0)
				p->offset = 0;
			if (fdt_prop_u32(f, node, "value", &p->value) == 0) {
				p->kind = DT_POWEROFF_SYSCON;
				return;
			}
			if (p->is_sifive_test) {
				p->value = DT_SIFIVE_TEST_POWEROFF;
				p->kind = DT_POWEROFF_SYSCON;
				return;
			}
			memset(p, 0, sizeof(*p));
		}
	}
	node = dt_find_any(f, tests);
	if (node >= 0 && fdt_reg(f, node, 0, &base, &size) == 0) {
		p->kind = DT_POWEROFF_SYSCON;
		p->base = base;
		p->offset = 0;
		p->value = DT_SIFIVE_TEST_POWEROFF;
		p->is_sifive_test = 1;
	}
}

/*
 * dt_probe_virtio - every enabled "virtio,mmio" node with a usable reg (the
 * first DT_MAX_VIRTIO): the transport itself says whether a device sits
 * behind it, so empty slots are kept here and skipped by the driver.
 */
static void dt_probe_virtio(const struct fdt *f, struct dt_info *out)
{
	struct dt_virtio *v;
	const void *irq;
	uint32_t len;
	int node;

	for (node = fdt_find_compatible(f, -1, "virtio,mmio");
	     node >= 0 && out->nvirtio < DT_MAX_VIRTIO;
	     node = fdt_find_compatible(f, node, "virtio,mmio")) {
		v = &out->virtio[out->nvirtio];
		if (!fdt_node_enabled(f, node) || fdt_reg(f, node, 0, &v->base, &v->size) != 0 ||
		    v->size == 0)
			continue;
		irq = fdt_find_prop(f, node, "interrupts", &len);
		v->irq = (irq && len >= 4) ? fdt_be32(irq) : 0;
		out->nvirtio++;
	}
}

/*
 * dt_probe - see devtree.h.  Validates the whole blob first (fdt_init), so
 * a malformed blob fails before anything is filled in; after that every
 * sub-probe is best effort.
 */
int dt_probe(const void *blob, size_t maxlen, uint64_t blob_pa, struct dt_info *out)
{
	struct fdt f;
	const char *model;
	int rc, i, root;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < NCPU; i++) {
		out->harts[i].plic_sctx = -1;
		out->harts[i].intc_phandle = -1;
	}
	rc = fdt_init(&f, blob, maxlen);
	if (rc < 0)
		return rc;

	root = fdt_root(&f);
	model = fdt_prop_str(&f, root, "model");
	if (model)
		dt_copy(out->model, sizeof(out->model), model, strlen(model));
	dt_probe_memory(&f, out);
	dt_probe_reserved(&f, blob_pa, out);
	dt_probe_chosen(&f, out);
	dt_probe_cpus(&f, out);
	dt_probe_plic(&f, out);
	dt_probe_clint(&f, out);
	dt_probe_rtc(&f, out);
	dt_probe_uart(&f, out);
	dt_probe_poweroff(&f, out);
	dt_probe_virtio(&f, out);
	return 0;
}
