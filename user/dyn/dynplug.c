/*
 * dynplug.c - a small shared library that t_dyn loads with dlopen: its constructor runs at
 * dlopen, its data is relocated (a pointer to a string), and it calls back into libm.
 */
#include <math.h>

static int loaded;
static const char *const greeting = "plugin";

__attribute__((constructor)) static void dynplug_init(void)
{
	loaded = 41;
}

/* dynplug_answer - 42 once the constructor ran; sqrt goes through the plugin's own PLT. */
int dynplug_answer(double x)
{
	return loaded + (int)sqrt(x) + (greeting[0] == 'p' ? 0 : 100);
}
