/* curl_dl — libcurl bound at first use with dlopen, as hs_dl does for
 * Vectorscan: only `live` talks HTTP, and linking libcurl (with its TLS,
 * HTTP/2 and compression libraries) would make every other command pay
 * the dynamic loader's cost at start. Include this instead of <curl/curl.h>
 * in the one file that calls libcurl. Private to lib/. */
#ifndef FLINKMEM_CURL_DL_H
#define FLINKMEM_CURL_DL_H

#define CURL_DISABLE_TYPECHECK /* the type-checking macros would hide our table */
#include <curl/curl.h>

typedef struct fm_curl_api {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_multi_init) *multi_init;
	__typeof__(curl_multi_setopt) *multi_setopt;
	__typeof__(curl_multi_add_handle) *multi_add_handle;
	__typeof__(curl_multi_remove_handle) *multi_remove_handle;
	__typeof__(curl_multi_perform) *multi_perform;
	__typeof__(curl_multi_info_read) *multi_info_read;
	__typeof__(curl_multi_poll) *multi_poll;
	__typeof__(curl_multi_cleanup) *multi_cleanup;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
} fm_curl_api;

/* The loaded table, or NULL when the library or a symbol is missing (*why
 * then names what failed). Thread-safe; loads once per process. */
const fm_curl_api *fm_curl_api_get(const char **why);

#ifndef FM_CURL_DL_IMPL
#undef curl_easy_setopt /* curl.h's pass-through macros */
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (fm_curl_api_get(NULL)->global_init)
#define curl_easy_init (fm_curl_api_get(NULL)->easy_init)
#define curl_easy_setopt (fm_curl_api_get(NULL)->easy_setopt)
#define curl_easy_getinfo (fm_curl_api_get(NULL)->easy_getinfo)
#define curl_easy_cleanup (fm_curl_api_get(NULL)->easy_cleanup)
#define curl_easy_strerror (fm_curl_api_get(NULL)->easy_strerror)
#define curl_multi_init (fm_curl_api_get(NULL)->multi_init)
#define curl_multi_setopt (fm_curl_api_get(NULL)->multi_setopt)
#define curl_multi_add_handle (fm_curl_api_get(NULL)->multi_add_handle)
#define curl_multi_remove_handle (fm_curl_api_get(NULL)->multi_remove_handle)
#define curl_multi_perform (fm_curl_api_get(NULL)->multi_perform)
#define curl_multi_info_read (fm_curl_api_get(NULL)->multi_info_read)
#define curl_multi_poll (fm_curl_api_get(NULL)->multi_poll)
#define curl_multi_cleanup (fm_curl_api_get(NULL)->multi_cleanup)
#define curl_slist_append (fm_curl_api_get(NULL)->slist_append)
#define curl_slist_free_all (fm_curl_api_get(NULL)->slist_free_all)
#endif

#endif
