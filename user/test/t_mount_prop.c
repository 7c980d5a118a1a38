/*
 * t_mount_prop - a mount's propagation type: mount(2) with MS_SHARED,
 * MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE (and MS_REC), as mountinfo's optional
 * fields show it ("shared:N", "unbindable", none for private), a mount made
 * under a shared one being shared in a group of its own, and EINVAL for a
 * mix of types or a target that is no mount's root.
 * Mounting touches the whole machine: on Holstein, or under the oracle
 * only as root of a user namespace (scripts/binfmt-oracle's private mount
 * namespace), never as the host's real root.
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/mount.h>

/* optional - the optional fields of the mountinfo line of mount point @path into @out ("" if none); 0 if no line. */
static int optional(const char *path, char *out, size_t n)
{
	static char buf[16384];
	char *line, *save;
	int found = 0;

	out[0] = 0;
	if (read_small_file("/proc/self/mountinfo", buf, sizeof(buf)) <= 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(0, "\n", &save)) {
		char *f[6], *p = line, *end = strstr(line, " - ");
		int i;
		for (i = 0; i < 6 && p; i++) {
			f[i] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = 0;
		}
		if (i < 6 || !p || !end || strcmp(f[4], path))
			continue;
		/* The last of the same mount point is the one on top. */
		found = 1;
		*end = 0;
		snprintf(out, n, "%s", p < end ? p : "");
	}
	return found;
}

/* in_userns - are we uid 0 of a user namespace (not the host's root)? */
static int in_userns(void)
{
	char map[256];

	return read_small_file("/proc/self/uid_map", map, sizeof(map)) > 0 &&
	       !strstr(map, "4294967295");
}

/* check_types - shared, private, unbindable and slave on a tmpfs at "a", then at "a/b" under it. */
static void check_types(const char *dir)
{
	char a[300], b[300], o[128], o2[128];

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/a/b", dir);
	if (!CHECK(mkdir("a", 0755) == 0 && mount("none", "a", "tmpfs", 0, 0) == 0, "mount a tmpfs"))
		return;
	CHECK(optional(a, o, sizeof(o)) && !o[0], "a new mount under a private one is private (%s)", o);
	CHECK(mount(0, "a", 0, MS_SHARED, 0) == 0 && optional(a, o, sizeof(o)) &&
		      !strncmp(o, "shared:", 7) && atoi(o + 7) > 0,
	      "MS_SHARED: shared:N (%s)", o);
	CHECK(mkdir("a/b", 0755) == 0 && mount("none", "a/b", "tmpfs", 0, 0) == 0 &&
		      optional(b, o2, sizeof(o2)) && !strncmp(o2, "shared:", 7) && strcmp(o, o2),
	      "a mount under a shared one is shared, in a group of its own (%s, %s)", o, o2);
	CHECK_ERR(mount(0, "a", 0, MS_SHARED | MS_PRIVATE, 0), EINVAL, "two types at once -> EINVAL");
	CHECK(mkdir("a/c", 0755) == 0, "mkdir a/c");
	CHECK_ERR(mount(0, "a/c", 0, MS_PRIVATE, 0), EINVAL, "a directory that is no mount's root -> EINVAL");
	CHECK(mount(0, "a", 0, MS_PRIVATE, 0) == 0 && optional(a, o, sizeof(o)) && !o[0] &&
		      optional(b, o2, sizeof(o2)) && !strncmp(o2, "shared:", 7),
	      "MS_PRIVATE without MS_REC: the mount only (%s, %s)", o, o2);
	CHECK(mount(0, "a", 0, MS_SHARED | MS_REC, 0) == 0 && mount(0, "a", 0, MS_PRIVATE | MS_REC, 0) == 0 &&
		      optional(a, o, sizeof(o)) && !o[0] && optional(b, o2, sizeof(o2)) && !o2[0],
	      "MS_PRIVATE | MS_REC: the subtree (%s, %s)", o, o2);
	CHECK(mount(0, "a/b", 0, MS_UNBINDABLE, 0) == 0 && optional(b, o, sizeof(o)) &&
		      !strcmp(o, "unbindable"),
	      "MS_UNBINDABLE: unbindable (%s)", o);
	CHECK(mount(0, "a/b", 0, MS_SHARED, 0) == 0 && optional(b, o, sizeof(o)) &&
		      !strncmp(o, "shared:", 7) && !strstr(o, "unbindable"),
	      "MS_SHARED ends unbindable (%s)", o);
	CHECK(mount(0, "a/b", 0, MS_SLAVE, 0) == 0 && optional(b, o, sizeof(o)) && !o[0],
	      "MS_SLAVE of a shared mount with no peer: private (%s)", o);
	CHECK_ERR(umount("a"), EBUSY, "umount of a mount with one on it -> EBUSY");
	CHECK(umount("a/b") == 0 && umount("a") == 0, "umount both");
	CHECK(!optional(a, o, sizeof(o)) && !optional(b, o, sizeof(o)), "mountinfo lists neither");
	CHECK(rmdir("a") == 0, "rmdir: the directory is empty again");
}

int main(void)
{
	t_init();
	if (!on_holstein() && (geteuid() != 0 || !in_userns())) {
		t_skip("mount (not on Holstein: only as root of scripts/binfmt-oracle's namespace)");
		return t_done("t_mount_prop");
	}
	const char *dir = scratch_make("t_mount_prop");
	check_types(dir);
	scratch_remove(dir);
	return t_done("t_mount_prop");
}
