/*
 * mount_prop.c - the propagation type of a mount (Linux's shared
 * subtrees): shared (a member of a peer group, mountinfo's "shared:N"),
 * slave (receives from a master group, "master:N"), private (neither) or
 * unbindable (private, and "unbindable").
 *
 * A mount is private when made, unless the mount it is made under is
 * shared: then it starts a peer group of its own, as under Linux.  With no
 * bind mounts yet every peer group has one member, so nothing propagates
 * and making a lone shared mount a slave leaves it private (it has no peer
 * to receive from); the types are kept so that mountinfo reads as Linux's
 * and bind mounts can build on them.
 */
#include "../kernel/kernel.h"
#include "inode.h"
#include "mount.h"

#define MS_REC		16384
#define MS_SILENT	32768
#define MS_UNBINDABLE	(1 << 17)
#define MS_PRIVATE	(1 << 18)
#define MS_SLAVE	(1 << 19)
#define MS_SHARED	(1 << 20)

/* group_alloc - the smallest peer group ID no mount uses (Linux's are from 1, reused). vfs_lock held. */
static int group_alloc(void)
{
	for (int id = 1;; id++) {
		struct mount *m = mount_list();
		while (m && m->group != id)
			m = m->next;
		if (!m)
			return id;
	}
}

void mount_prop_new(struct mount *m, struct mount *parent)
{
	m->group = parent && parent->group ? group_alloc() : 0;
	m->master = 0;
	m->unbindable = 0;
}

/* below - is @c @m itself or a mount in @m's subtree?  vfs_lock held. */
static int below(struct mount *c, struct mount *m)
{
	for (; c; c = mount_parent(c))
		if (c == m)
			return 1;
	return 0;
}

/* peer_of - another member of @m's peer group, or NULL.  vfs_lock held. */
static struct mount *peer_of(struct mount *m)
{
	if (!m->group)
		return 0;
	for (struct mount *p = mount_list(); p; p = p->next)
		if (p != m && p->group == m->group)
			return p;
	return 0;
}

/* set_type - give @m propagation @type (one MS_ bit).  vfs_lock held. */
static void set_type(struct mount *m, unsigned long type)
{
	struct mount *peer;

	switch (type) {
	case MS_SHARED:
		if (!m->group)
			m->group = group_alloc();	/* a slave stays one too: "shared:N master:M" */
		m->unbindable = 0;
		break;
	case MS_SLAVE:
		/* Its peers become its master; with none it keeps the master it had, if any. */
		if ((peer = peer_of(m)))
			m->master = peer;
		m->group = 0;
		break;
	case MS_PRIVATE:
	case MS_UNBINDABLE:
		m->group = 0;
		m->master = 0;
		m->unbindable = type == MS_UNBINDABLE;
		break;
	}
}

long mount_prop_change(struct mount *m, unsigned long flags)
{
	unsigned long type = flags & ~(unsigned long)(MS_REC | MS_SILENT);

	/* Exactly one type: Linux refuses a mix, as it cannot say which wins. */
	if (type != MS_SHARED && type != MS_PRIVATE && type != MS_SLAVE && type != MS_UNBINDABLE)
		return -EINVAL;
	if (!(flags & MS_REC)) {
		set_type(m, type);
		return 0;
	}
	for (struct mount *c = mount_list(); c; c = c->next)
		if (below(c, m))
			set_type(c, type);
	return 0;
}

void mount_prop_fields(struct mount *m, char *buf, size_t n)
{
	size_t l = 0;

	buf[0] = 0;
	if (m->group)
		l += (size_t)snprintf(buf + l, n - l, " shared:%d", m->group);
	if (m->master && m->master->group && l < n)
		l += (size_t)snprintf(buf + l, n - l, " master:%d", m->master->group);
	if (m->unbindable && l < n)
		snprintf(buf + l, n - l, " unbindable");
}

void mount_prop_detach(struct mount *m)
{
	struct mount *heir = peer_of(m);

	/* Its slaves go to a peer of it, or else to its own master (Linux's rule). */
	if (!heir)
		heir = m->master;
	for (struct mount *s = mount_list(); s; s = s->next)
		if (s->master == m)
			s->master = heir;
}
