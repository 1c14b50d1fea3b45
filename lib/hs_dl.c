/* hs_dl — see hs_dl.h. The handle of libhs is loaded once and never
 * unloaded (lib/dl_table.c). */
#define FM_HS_DL_IMPL
#include "hs_dl.h"

#include <pthread.h>

#ifdef FM_HS_STATIC
#include <cpuid.h>
#include <stdbool.h>
#include <stdint.h>

/* libhs.a is linked in. Its fat runtime holds one copy of the runtime per
 * x86 target (core2_, corei7_, avx2_, avx512_ entry points) and picks one
 * with GNU ifuncs. A static binary resolves every ifunc at start, and each
 * resolver asks the CPU with cpuid several times: some thirty cpuid exits
 * to the hypervisor per run of every command, measured at about 0.1 ms
 * here (docs/perf.md). So the target is picked here, once, when a scan
 * starts, and the entry points are called through the table. The two
 * ifuncs libhs calls itself (dbIsValid from the scratch allocator,
 * Crc32c_ComputeBuf from the compiler) are defined here the same way, so
 * the linker never takes libhs's dispatcher in (a build that still needs
 * it fails to link: CMakeLists.txt checks first, FM_HS_VARIANTS). */
#ifdef FM_HS_VARIANTS
typedef struct variant {
	__typeof__(hs_free_database) *free_database;
	__typeof__(hs_open_stream) *open_stream;
	__typeof__(hs_scan_stream) *scan_stream;
	__typeof__(hs_close_stream) *close_stream;
	__typeof__(hs_serialize_database) *serialize_database;
	__typeof__(hs_deserialize_database) *deserialize_database;
	int (*db_is_valid)(const hs_database_t *db);
	uint32_t (*crc32c)(uint32_t crc, const void *buf, size_t len);
} variant;

#define FM_HS_TARGETS(X) X(core2) X(corei7) X(avx2) X(avx512)
#define DECLARE(t)                                                                                 \
	extern __typeof__(hs_free_database) t##_hs_free_database;                                  \
	extern __typeof__(hs_open_stream) t##_hs_open_stream;                                      \
	extern __typeof__(hs_scan_stream) t##_hs_scan_stream;                                      \
	extern __typeof__(hs_close_stream) t##_hs_close_stream;                                    \
	extern __typeof__(hs_serialize_database) t##_hs_serialize_database;                        \
	extern __typeof__(hs_deserialize_database) t##_hs_deserialize_database;                    \
	extern int t##_dbIsValid(const hs_database_t *db);                                         \
	extern uint32_t t##_Crc32c_ComputeBuf(uint32_t crc, const void *buf, size_t len);
FM_HS_TARGETS(DECLARE)
#define ROW(t)                                                                                     \
	{t##_hs_free_database,      t##_hs_open_stream,  t##_hs_scan_stream,                         \
	 t##_hs_close_stream,       t##_hs_serialize_database, t##_hs_deserialize_database,          \
	 t##_dbIsValid,             t##_Crc32c_ComputeBuf},
enum { CORE2, COREI7, AVX2, AVX512 };
static const variant variants[] = {FM_HS_TARGETS(ROW)};

static uint64_t xcr0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

/* Vectorscan's own rule: AVX-512 F and BW with the OS saving the ZMM
 * state; else AVX2 with the YMM state saved; else SSE4.2 and POPCNT; else
 * SSSE3; else none (its entry points would answer HS_ARCH_ERROR). */
static int pick_target(void)
{
	unsigned a, b, c1, d, b7 = 0, c7;
	if (!__get_cpuid(1, &a, &b, &c1, &d))
		return -1;
	bool osxsave = c1 & bit_OSXSAVE;
	uint64_t x = osxsave ? xcr0() : 0;
	if (__get_cpuid_count(7, 0, &a, &b, &c7, &d))
		b7 = b;
	if (osxsave && (x & 0xe0) == 0xe0 && (b7 & bit_AVX512F) && (b7 & bit_AVX512BW))
		return AVX512;
	if (osxsave && (c1 & bit_AVX) && (x & 6) == 6 && (b7 & bit_AVX2))
		return AVX2;
	if ((c1 & bit_SSE4_2) && (c1 & bit_POPCNT))
		return COREI7;
	return (c1 & bit_SSSE3) ? CORE2 : -1;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static fm_hs_api api;
static const variant *var;

static void load(void)
{
	int t = pick_target();
	if (t < 0)
		return;
	var = &variants[t];
	api = (fm_hs_api){hs_compile_multi,     hs_free_compile_error, var->free_database,  hs_alloc_scratch,
			  hs_clone_scratch,     hs_free_scratch,       var->open_stream,    var->scan_stream,
			  var->close_stream,    var->serialize_database, var->deserialize_database};
}

const fm_hs_api *fm_hs_api_get(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = var ? NULL : "this CPU lacks SSSE3, which Vectorscan needs";
	return var ? &api : NULL;
}

/* libhs's internal ifuncs, dispatched the same way. */
int dbIsValid(const hs_database_t *db);
int dbIsValid(const hs_database_t *db)
{
	pthread_once(&once, load);
	return var ? var->db_is_valid(db) : 0;
}

uint32_t Crc32c_ComputeBuf(uint32_t crc, const void *buf, size_t len);
uint32_t Crc32c_ComputeBuf(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&once, load);
	return var ? var->crc32c(crc, buf, len) : 0;
}
#else
/* the table holds libhs's own (ifunc) entry points */
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
#endif
#else

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
