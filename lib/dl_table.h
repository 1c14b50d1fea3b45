/* dl_table — loads a shared library with dlopen and fills a table of its
 * symbols, once per process, for a library flinkmem binds at first use
 * (Vectorscan in hs_dl, in the dynamically linked build) so that commands
 * which do not need it start without the dynamic loader's cost. Private
 * to lib/. */
#ifndef FLINKMEM_DL_TABLE_H
#define FLINKMEM_DL_TABLE_H

#include <stddef.h>

/* Tries each name of libs (NULL-terminated) with dlopen, then looks up
 * syms[0..n) into slots[0..n). Returns 1 when all were found; else 0 and
 * *why names the library or the first missing symbol (static or from
 * missing_lib). The handle is never closed. Not thread-safe: call it under
 * a pthread_once. */
int fm__dl_table_load(const char *const *libs, const char *missing_lib, const char *const *syms, void **slots,
		      size_t n, const char **why);

#endif
