/* hs_dl — Vectorscan (libhs) bound at first use with dlopen instead of at
 * link time in a dynamically linked flinkmem: only `diagnose` scans logs,
 * and every other command must start as fast as a bare process (libhs also
 * drags in libstdc++, and each shared library costs every start). Include
 * this after <hs.h> in the one file that calls Vectorscan: the hs_* names
 * below then go through the loaded table. In the static build
 * (FM_HS_STATIC, libhs.a linked in) the table holds the entry points of
 * the CPU target picked at the first scan (FM_HS_VARIANTS, see hs_dl.c),
 * or, without them, libhs's own and the calls are direct. Private to
 * lib/. */
#ifndef FLINKMEM_HS_DL_H
#define FLINKMEM_HS_DL_H

#include <hs.h>

typedef struct fm_hs_api {
	__typeof__(hs_compile_multi) *compile_multi;
	__typeof__(hs_free_compile_error) *free_compile_error;
	__typeof__(hs_free_database) *free_database;
	__typeof__(hs_alloc_scratch) *alloc_scratch;
	__typeof__(hs_clone_scratch) *clone_scratch;
	__typeof__(hs_free_scratch) *free_scratch;
	__typeof__(hs_open_stream) *open_stream;
	__typeof__(hs_scan_stream) *scan_stream;
	__typeof__(hs_close_stream) *close_stream;
	__typeof__(hs_serialize_database) *serialize_database;
	__typeof__(hs_deserialize_database) *deserialize_database;
} fm_hs_api;

/* The loaded table, or NULL when the library or a symbol is missing
 * (*why then names what failed). Thread-safe; loads once per process. */
const fm_hs_api *fm_hs_api_get(const char **why);

#if !defined(FM_HS_DL_IMPL) && (!defined(FM_HS_STATIC) || defined(FM_HS_VARIANTS))
#define hs_compile_multi (fm_hs_api_get(NULL)->compile_multi)
#define hs_free_compile_error (fm_hs_api_get(NULL)->free_compile_error)
#define hs_free_database (fm_hs_api_get(NULL)->free_database)
#define hs_alloc_scratch (fm_hs_api_get(NULL)->alloc_scratch)
#define hs_clone_scratch (fm_hs_api_get(NULL)->clone_scratch)
#define hs_free_scratch (fm_hs_api_get(NULL)->free_scratch)
#define hs_open_stream (fm_hs_api_get(NULL)->open_stream)
#define hs_scan_stream (fm_hs_api_get(NULL)->scan_stream)
#define hs_close_stream (fm_hs_api_get(NULL)->close_stream)
#define hs_serialize_database (fm_hs_api_get(NULL)->serialize_database)
#define hs_deserialize_database (fm_hs_api_get(NULL)->deserialize_database)
#endif

#endif
