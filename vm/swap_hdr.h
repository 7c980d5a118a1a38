/*
 * swap_hdr.h - the header page of a Linux swap area (what mkswap writes),
 * read and judged: which pages of the device may hold swapped pages.
 *
 * Page 0 of the area (4096 bytes here: Holstein's page size) holds, in the
 * host's byte order:
 *   bytes 1024..1027  version (1)
 *         1028..1031  last_page: the last page of the area mkswap set up
 *         1032..1035  nr_badpages, and from 1536 that many page numbers
 *         1036..1051  uuid, 1052..1067 label (NUL-padded)
 *   bytes 4086..4095  "SWAPSPACE2"
 * Pure: no allocation, no lock, no I/O.  fs/swapon.c reads the page and
 * hands the result to swap_area_add (swap.h).
 */
#ifndef HOLSTEIN_SWAP_HDR_H
#define HOLSTEIN_SWAP_HDR_H

#include "../kernel/kernel.h"

#define SWAP_HDR_PAGE		4096
#define SWAP_HDR_VERSION_OFF	1024
#define SWAP_HDR_BAD_OFF	1536
#define SWAP_HDR_MAGIC_OFF	(SWAP_HDR_PAGE - 10)
/* The bad-page list runs up to the magic: Linux's limit on nr_badpages. */
#define SWAP_HDR_MAX_BAD	((SWAP_HDR_MAGIC_OFF - SWAP_HDR_BAD_OFF) / 4)
/* Page offsets must fit a swap entry (swap.h: SWP_AREA_SHIFT bits). */
#define SWAP_HDR_MAX_PAGES	(1UL << 27)

struct swap_hdr {
	unsigned long npages;	/* pages of the area, header page included: slots are 1..npages-1 */
	unsigned long last_page;	/* as the header says it */
	unsigned long good;	/* usable slots: npages - 1 - the bad ones below npages */
	unsigned nbad;		/* entries in @bad: the bad pages below npages */
	int truncated;		/* the header promised more than a swap entry can name */
	int swapped;		/* the header was written in the other byte order */
	uint32_t bad[SWAP_HDR_MAX_BAD];
	uint8_t uuid[16];
	char label[17];		/* NUL-terminated */
};

/*
 * swap_hdr_parse - judge header page @page (SWAP_HDR_PAGE bytes) of a
 * device of @dev_pages pages (0: unknown) as Linux 6.1's swapon does.
 * 0 with *@out filled, or -EINVAL for: no "SWAPSPACE2" (an old
 * "SWAP-SPACE" too), a version other than 1 in either byte order,
 * last_page 0, more than SWAP_HDR_MAX_BAD bad pages, a bad page 0 or past
 * last_page, an area longer than the device, or no usable page.  A
 * byte-swapped header (made on a machine of the other endianness) is read
 * swapped, as Linux does.  An area past SWAP_HDR_MAX_PAGES is truncated
 * (out->truncated), as Linux truncates one past its swap entry's reach.
 */
int swap_hdr_parse(const void *page, unsigned long dev_pages, struct swap_hdr *out);

#endif
