/* param.h - the kernel's fixed limits that more than one subsystem sizes by. */
#ifndef HOLSTEIN_PARAM_H
#define HOLSTEIN_PARAM_H

/*
 * NCPU - the most harts Holstein knows of: the device tree parser keeps
 * the first NCPU harts it finds (eligible or not), and there is a struct
 * cpu for each.
 */
#define NCPU 32

#endif
