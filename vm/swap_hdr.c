/*
 * swap_hdr.c - reading the header page of a swap area (see swap_hdr.h).
 */
#include "swap_hdr.h"

/* hdr_swab32 - @v in the other byte order (by hand: the kernel links no libgcc). */
static uint32_t hdr_swab32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* hdr_u32 - the 32-bit word at byte @off of @p, in host order, or swapped. */
static uint32_t hdr_u32(const uint8_t *p, size_t off, int swapped)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));	/* the page need not be aligned */
	return swapped ? hdr_swab32(v) : v;
}

/*
 * hdr_bad_list - check and keep the @n bad-page numbers: each must name a
 * page of the area as the header describes it (1..last_page), else the
 * whole header is refused; only those below npages matter to the area.
 */
static int hdr_bad_list(const uint8_t *p, uint32_t n, struct swap_hdr *out)
{
	out->nbad = 0;
	out->good = out->npages - 1;	/* page 0 is the header */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = hdr_u32(p, SWAP_HDR_BAD_OFF + 4 * (size_t)i, out->swapped);
		if (b == 0 || b > out->last_page)
			return -EINVAL;
		if (b >= out->npages)
			continue;
		/* A page listed twice is still one page. */
		int dup = 0;
		for (unsigned j = 0; j < out->nbad && !dup; j++)
			dup = out->bad[j] == b;
		if (dup)
			continue;
		out->bad[out->nbad++] = b;
		out->good--;
	}
	return out->good ? 0 : -EINVAL;
}

int swap_hdr_parse(const void *page, unsigned long dev_pages, struct swap_hdr *out)
{
	const uint8_t *p = page;
	uint32_t version, nbad;

	memset(out, 0, sizeof(*out));
	if (memcmp(p + SWAP_HDR_MAGIC_OFF, "SWAPSPACE2", 10))
		return -EINVAL;		/* nothing, or the version 0 "SWAP-SPACE" Linux dropped */
	version = hdr_u32(p, SWAP_HDR_VERSION_OFF, 0);
	if (version != 1 && hdr_swab32(version) == 1)
		out->swapped = 1;
	if (hdr_u32(p, SWAP_HDR_VERSION_OFF, out->swapped) != 1)
		return -EINVAL;
	out->last_page = hdr_u32(p, SWAP_HDR_VERSION_OFF + 4, out->swapped);
	nbad = hdr_u32(p, SWAP_HDR_VERSION_OFF + 8, out->swapped);
	if (out->last_page == 0 || nbad > SWAP_HDR_MAX_BAD)
		return -EINVAL;
	/* The area is pages 0..last_page, cut to what a swap entry can name. */
	out->npages = out->last_page + 1;
	if (out->npages > SWAP_HDR_MAX_PAGES) {
		out->npages = SWAP_HDR_MAX_PAGES;
		out->truncated = 1;
	}
	/* A header promising more than the device holds is not trusted at all. */
	if (dev_pages && out->npages > dev_pages)
		return -EINVAL;
	memcpy(out->uuid, p + SWAP_HDR_VERSION_OFF + 12, sizeof(out->uuid));
	memcpy(out->label, p + SWAP_HDR_VERSION_OFF + 28, sizeof(out->label) - 1);
	out->label[sizeof(out->label) - 1] = 0;
	return hdr_bad_list(p, nbad, out);
}
