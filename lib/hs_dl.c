/* hs_dl — see hs_dl.h. The handle of libhs is loaded once and never
 * unloaded (lib/dl_table.c). */
#define FM_HS_DL_IMPL
#include "hs_dl.h"

#ifdef FM_HS_STATIC
/* libhs.a is linked in: the table holds its own functions. */
static const fm_hs_api api = {
	hs_compile_multi,      hs_free_compile_error, hs_free_database,        hs_alloc_scratch,
	hs_clone_scratch,      hs_free_scratch,       hs_open_stream,          hs_scan_stream,
	hs_close_stream,       hs_serialize_database, hs_deserialize_database,
};

const fm_hs_api *fm_hs_api_get(const char **why)
{
	if (why)
		*why = NULL;
	return &api;
}
#else

#include <pthread.h>

#include "dl_table.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static fm_hs_api api;
static const char *failure;
static int loaded;

/* In the order of fm_hs_api's members. */
static const char *const names[] = {
	"hs_compile_multi", "hs_free_compile_error", "hs_free_database", "hs_alloc_scratch",
	"hs_clone_scratch", "hs_free_scratch",       "hs_open_stream",   "hs_scan_stream",
	"hs_close_stream",  "hs_serialize_database", "hs_deserialize_database",
};
_Static_assert(sizeof(names) / sizeof(names[0]) * sizeof(void *) == sizeof(fm_hs_api),
	       "one name per member of fm_hs_api");

static void load(void)
{
	/* Debian 12's libvectorscan5 names it libhs.so.5. */
	static const char *const libs[] = {"libhs.so.5", "libhs.so", NULL};
	loaded = fm__dl_table_load(libs, "libhs.so.5 (install libvectorscan5)", names, (void **)&api,
				   sizeof(names) / sizeof(names[0]), &failure);
}

const fm_hs_api *fm_hs_api_get(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = failure;
	return loaded ? &api : NULL;
}
#endif
