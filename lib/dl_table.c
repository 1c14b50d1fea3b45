/* dl_table — see dl_table.h. */
#include "dl_table.h"

#include <dlfcn.h>

int fm__dl_table_load(const char *const *libs, const char *missing_lib, const char *const *syms, void **slots,
		      size_t n, const char **why)
{
	void *h = NULL;
	for (size_t i = 0; libs[i] && !h; i++)
		h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		*why = missing_lib;
		return 0;
	}
	*why = NULL;
	for (size_t i = 0; i < n; i++) {
		slots[i] = dlsym(h, syms[i]);
		if (!slots[i] && !*why)
			*why = syms[i];
	}
	return *why == NULL;
}
