/* curl_dl — see curl_dl.h. Process-wide state: the handle of libcurl,
 * loaded once and never unloaded. */
#ifdef FM_HAVE_CURL
#define FM_CURL_DL_IMPL
#include "curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static fm_curl_api api;
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
	/* Debian 12's libcurl4 (OpenSSL flavour) names it libcurl.so.4. */
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		h = dlopen("libcurl-gnutls.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		failure = "libcurl.so.4 (install libcurl4)";
		return;
	}
	*(void **)&api.global_init = sym(h, "curl_global_init");
	*(void **)&api.easy_init = sym(h, "curl_easy_init");
	*(void **)&api.easy_setopt = sym(h, "curl_easy_setopt");
	*(void **)&api.easy_getinfo = sym(h, "curl_easy_getinfo");
	*(void **)&api.easy_cleanup = sym(h, "curl_easy_cleanup");
	*(void **)&api.easy_strerror = sym(h, "curl_easy_strerror");
	*(void **)&api.multi_init = sym(h, "curl_multi_init");
	*(void **)&api.multi_setopt = sym(h, "curl_multi_setopt");
	*(void **)&api.multi_add_handle = sym(h, "curl_multi_add_handle");
	*(void **)&api.multi_remove_handle = sym(h, "curl_multi_remove_handle");
	*(void **)&api.multi_perform = sym(h, "curl_multi_perform");
	*(void **)&api.multi_info_read = sym(h, "curl_multi_info_read");
	*(void **)&api.multi_poll = sym(h, "curl_multi_poll");
	*(void **)&api.multi_cleanup = sym(h, "curl_multi_cleanup");
	*(void **)&api.slist_append = sym(h, "curl_slist_append");
	*(void **)&api.slist_free_all = sym(h, "curl_slist_free_all");
	loaded = failure == NULL;
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
