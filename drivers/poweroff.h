/* poweroff.h - turning the machine off, with an exit status where the machine can carry one. */
#ifndef HOLSTEIN_POWEROFF_H
#define HOLSTEIN_POWEROFF_H

struct dt_info;

void poweroff_init(const struct dt_info *dt);
/*
 * poweroff_machine - stop the machine.  On QEMU's sifive_test device
 * @status reaches the host: 0 exits 0, 1..255 exit with that code.
 * Elsewhere the status is only printed.  Never returns.
 */
void poweroff_machine(int status) __attribute__((noreturn));
/*
 * poweroff_restart - reset the machine (SBI SRST cold reboot; QEMU run with
 * -no-reboot exits with status 0).  Never returns.
 */
void poweroff_restart(void) __attribute__((noreturn));

#endif
