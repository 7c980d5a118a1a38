/*
 * poweroff - power the machine off now: glibc's reboot(RB_POWER_OFF), as Linux's
 * "poweroff -f" does. It works from any process, PID 1 included (everyone is root).
 */
#include "ulib.h"
#include <sys/reboot.h>

/* main - sync, then reboot(RB_POWER_OFF); that returns only on failure (status 1). */
int main(void)
{
	sync();
	reboot(RB_POWER_OFF);
	perror("poweroff: reboot");
	return 1;
}
