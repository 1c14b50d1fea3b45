/* hs_dl — see hs_dl.h. The only process-wide state in the library: the
 * handle of libhs, loaded once and never unloaded. */
#define FM_HS_DL_IMPL
#include "hs_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static fm_hs_api api;
static const char *failure;
static int loaded;

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p && !failure)
		failure = name;
	return p;
}

static void load(void)
{
	/* Debian 12's libvectorscan5 names it libhs.so.5. */
	void *h = dlopen("libhs.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		h = dlopen("libhs.so", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		failure = "libhs.so.5 (install libvectorscan5)";
		return;
	}
	*(void **)&api.compile_multi = sym(h, "hs_compile_multi");
	*(void **)&api.free_compile_error = sym(h, "hs_free_compile_error");
	*(void **)&api.free_database = sym(h, "hs_free_database");
	*(void **)&api.alloc_scratch = sym(h, "hs_alloc_scratch");
	*(void **)&api.clone_scratch = sym(h, "hs_clone_scratch");
	*(void **)&api.free_scratch = sym(h, "hs_free_scratch");
	*(void **)&api.open_stream = sym(h, "hs_open_stream");
	*(void **)&api.scan_stream = sym(h, "hs_scan_stream");
	*(void **)&api.close_stream = sym(h, "hs_close_stream");
	*(void **)&api.serialize_database = sym(h, "hs_serialize_database");
	*(void **)&api.deserialize_database = sym(h, "hs_deserialize_database");
	loaded = failure == NULL;
}

const fm_hs_api *fm_hs_api_get(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = failure;
	return loaded ? &api : NULL;
}
