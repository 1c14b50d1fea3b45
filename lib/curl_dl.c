/* curl_dl — see curl_dl.h. The handle of libcurl is loaded once and never
 * unloaded (lib/dl_table.c). */
#ifdef FM_HAVE_CURL
#define FM_CURL_DL_IMPL
#include "curl_dl.h"

#include <pthread.h>

#include "dl_table.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static fm_curl_api api;
static const char *failure;
static int loaded;

/* In the order of fm_curl_api's members. */
static const char *const names[] = {
	"curl_global_init",      "curl_easy_init",        "curl_easy_setopt",       "curl_easy_getinfo",
	"curl_easy_cleanup",     "curl_easy_strerror",    "curl_multi_init",        "curl_multi_setopt",
	"curl_multi_add_handle", "curl_multi_remove_handle", "curl_multi_perform", "curl_multi_info_read",
	"curl_multi_poll",       "curl_multi_cleanup",    "curl_slist_append",      "curl_slist_free_all",
};
_Static_assert(sizeof(names) / sizeof(names[0]) * sizeof(void *) == sizeof(fm_curl_api),
	       "one name per member of fm_curl_api");

static void load(void)
{
	/* Debian 12's libcurl4 (OpenSSL flavour) names it libcurl.so.4. */
	static const char *const libs[] = {"libcurl.so.4", "libcurl-gnutls.so.4", NULL};
	loaded = fm__dl_table_load(libs, "libcurl.so.4 (install libcurl4)", names, (void **)&api,
				   sizeof(names) / sizeof(names[0]), &failure);
}

const fm_curl_api *fm_curl_api_get(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = failure;
	return loaded ? &api : NULL;
}
#else
typedef int fm_curl_dl_unused; /* ISO C wants a declaration in every unit */
#endif
