/* derive — Flink's TM/JM memory derivation; see include/flinkmem/derive.h.
 *
 * The code follows the call order of Flink's own classes (ProcessMemoryUtils,
 * TaskExecutorFlinkMemoryUtils, JobManagerFlinkMemoryUtils,
 * TaskExecutorProcessUtils, BashJavaUtils) on purpose: which check fails
 * first, and which deprecated-key WARN is logged how often, depend on it.
 * Java exceptions are modelled as a cause chain in dx.err; every helper
 * returns 0 or -1 (exception pending), and wrap() adds an outer exception
 * the way a Java catch-and-rethrow does. */
#include "flinkmem/derive.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/javanum.h"

typedef unsigned __int128 u128;

typedef struct dx {
	const fm_conf *conf;
	const fm_profile *p;
	int pi;             /* p's index in fm_profiles (its defaults' row), -1: none */
	fm_logs *logs;      /* NULL: numbers only (no logs, JVM args, dynamic configs) */
	fm_jchain err;
	bool oom;
	/* Legacy heap mapping: Flink copies the config and sets one MemorySize
	 * option; we overlay that one option instead of copying. */
	bool has_ovr;
	enum fm_opt_id ovr_id;
	int64_t ovr_bytes;
	/* Lookups by option id, memoized for one derivation (the config does
	 * not change under it): memo_at[id] 0 = not yet, 1 = the key itself or
	 * absent, 2/3 = fallback key 0/1. */
	const fm_entry *memo[FM_O_COUNT];
	unsigned char memo_at[FM_O_COUNT];
	/* Sizes already read (value or default), by option id: Flink reads
	 * several options more than once. */
	int64_t size_memo[FM_O_COUNT];
	bool size_known[FM_O_COUNT];
	/* Which keys a small config may hold (key_bit of each of its keys):
	 * most options a derivation asks for are not set, and a clear bit
	 * answers that without a hash lookup. All ones for a large config. */
	uint64_t kbits[2];
} dx;

void fm_jchain_release(fm_jchain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		fm_jexc_release(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* ---- constant tables, built once ----------------------------------------- */

/* The option keys (the same for every profile) with their conf index hash
 * and the dynamic-config keys with their Java String.hashCode: a
 * derivation looks all of these up, and recomputing them each time was a
 * third of its cost. Filled once (pthread_once), read-only afterwards, so
 * derivations stay thread-safe. The parsed defaults (defv) are filled per
 * profile and option at first use. */
typedef struct ckey {
	const char *s;
	size_t len;
	uint64_t h; /* fm_conf_key_hash */
	unsigned bit; /* key_mix & 127 */
} ckey;

typedef struct opt_info {
	ckey k, fb[2];
} opt_info;

/* An option's default in one profile, parsed as its type. Filled at its
 * first use, not all at start: a short command (show) asks for a dozen of
 * the 13 x 40, and filling them all was an eighth of its instructions.
 * Double-checked under a mutex, published with a release store, so
 * derivations stay thread-safe. */
typedef struct defv {
	const char *def; /* NULL: no default (Java null) */
	int64_t bytes;   /* a size, when parsed */
	float flt;       /* a float, when parsed */
	bool parsed;     /* else the caller parses def and reports its failure */
} defv;
enum { PROF_MAX = 32 };

enum dyn_key {
	DK_CPU, DK_FW_HEAP, DK_FW_OFF, DK_TASK_HEAP, DK_TASK_OFF, DK_NET_MIN, DK_NET_MAX, DK_MANAGED,
	DK_TM_META, DK_TM_OVH_MIN, DK_TM_OVH_MAX, DK_SLOTS, DK_EXT,
	DK_JM_HEAP, DK_JM_OFF, DK_JM_META, DK_JM_OVH_MIN, DK_JM_OVH_MAX,
	DK_COUNT
};

static const char *const DYN_KEYS[DK_COUNT] = {
	"taskmanager.cpu.cores", "taskmanager.memory.framework.heap.size",
	"taskmanager.memory.framework.off-heap.size", "taskmanager.memory.task.heap.size",
	"taskmanager.memory.task.off-heap.size", "taskmanager.memory.network.min",
	"taskmanager.memory.network.max", "taskmanager.memory.managed.size",
	"taskmanager.memory.jvm-metaspace.size", "taskmanager.memory.jvm-overhead.min",
	"taskmanager.memory.jvm-overhead.max", "taskmanager.numberOfTaskSlots", "external-resources",
	"jobmanager.memory.heap.size", "jobmanager.memory.off-heap.size",
	"jobmanager.memory.jvm-metaspace.size", "jobmanager.memory.jvm-overhead.min",
	"jobmanager.memory.jvm-overhead.max",
};

static opt_info OPTS[FM_O_COUNT];
static uint32_t DYN_HASH[DK_COUNT];
static size_t DYN_LEN[DK_COUNT];
/* "-D <key>=" of each constant key (DYN_PLEN 0: built per use) */
static char DYN_PFX[DK_COUNT][48];
static size_t DYN_PLEN[DK_COUNT];

/* The HashMap order of the key sequences the derivations produce (no
 * external resources), computed once: the order depends on the keys
 * alone, and sorting them per derivation was a tenth of its cost. A
 * sequence not listed here (external resources) is sorted as before, so
 * this table only makes things faster, never different. */
typedef struct dyn_seq {
	size_t n;
	unsigned char id[DK_COUNT];
	size_t ord[DK_COUNT];
} dyn_seq;

enum { DYN_NSEQ = 5 };
static dyn_seq DYN_SEQ[DYN_NSEQ];

/* Every option key and fallback key by key_mix: a small config's
 * keys are matched against it once per derivation (memo_small) instead
 * of each option asking the config for up to three keys. A key may serve
 * several options, so a probe walks every slot of its hash. */
typedef struct keyslot {
	const ckey *k; /* NULL: free */
	unsigned char id, rank; /* the option; 1 its key, 2/3 fallback 0/1 */
} keyslot;

enum { KEYTAB_CAP = 512 };
static keyslot KEYTAB[KEYTAB_CAP];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int32_t java_string_hash(const char *s);
static void hash_order(const uint32_t *hv, size_t n, size_t *order);

/* A cheap mix of a key's length and three of its bytes (option keys
 * share long prefixes; the length and bytes past the middle tell most
 * apart): its low 7 bits are the key's bit in dx.kbits, its low 9 bits
 * its slot in KEYTAB. */
static unsigned key_mix(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	return (unsigned)(len * 7 + (unsigned char)s[len - 1] * 3 + (unsigned char)s[len / 2] +
			  (unsigned char)s[len * 3 / 4] * 73);
}

static ckey mk_ckey(const char *s)
{
	ckey k = {s, 0, 0, 0};
	if (s) {
		k.len = strlen(s);
		k.h = fm_conf_key_hash(s, k.len);
		k.bit = key_mix(s, k.len) & 127;
	}
	return k;
}

static void tables_init(void)
{
	for (int id = 0; id < FM_O_COUNT; id++) {
		opt_info *oi = &OPTS[id];
		fm_option o = fm_option_get(fm_profiles[0], (enum fm_opt_id)id);
		oi->k = mk_ckey(o.key);
		oi->fb[0] = mk_ckey(o.fallback[0]);
		oi->fb[1] = mk_ckey(o.fallback[1]);
	}
	for (int k = 0; k < DK_COUNT; k++)
	{
		DYN_HASH[k] = (uint32_t)java_string_hash(DYN_KEYS[k]);
		DYN_LEN[k] = strlen(DYN_KEYS[k]);
		if (DYN_LEN[k] + 4 < sizeof DYN_PFX[k]) {
			memcpy(DYN_PFX[k], "-D ", 3);
			memcpy(DYN_PFX[k] + 3, DYN_KEYS[k], DYN_LEN[k]);
			DYN_PFX[k][DYN_LEN[k] + 3] = '=';
			DYN_PLEN[k] = DYN_LEN[k] + 4;
		}
	}
	/* Written before it is read: a fresh zero page read first faults twice
	 * (the shared zero page, then the copy), and page faults are most of
	 * a short command's cost (docs/perf.md). */
	memset(KEYTAB, 0, sizeof KEYTAB);
	for (int id = 0; id < FM_O_COUNT; id++) {
		const ckey *ks[3] = {&OPTS[id].k, &OPTS[id].fb[0], &OPTS[id].fb[1]};
		for (int r = 0; r < 3; r++) {
			if (!ks[r]->s)
				break; /* raw_lookup stops at the first missing fallback too */
			size_t at = key_mix(ks[r]->s, ks[r]->len) & (KEYTAB_CAP - 1);
			while (KEYTAB[at].k) /* FM_O_COUNT * 3 < KEYTAB_CAP: a slot is free */
				at = (at + 1) & (KEYTAB_CAP - 1);
			KEYTAB[at] = (keyslot){ks[r], (unsigned char)id, (unsigned char)(r + 1)};
		}
	}
	/* tm_dynamic's sequences (with and without the JVM keys, the slots
	 * and external-resources keys) and the JobManager's */
	static const unsigned char tm[] = {DK_CPU,     DK_FW_HEAP, DK_FW_OFF,     DK_TASK_HEAP,  DK_TASK_OFF,
					   DK_NET_MIN, DK_NET_MAX, DK_MANAGED,    DK_TM_META,    DK_TM_OVH_MIN,
					   DK_TM_OVH_MAX, DK_SLOTS, DK_EXT};
	static const unsigned char jm[] = {DK_JM_HEAP, DK_JM_OFF, DK_JM_META, DK_JM_OVH_MIN, DK_JM_OVH_MAX};
	for (int v = 0; v < DYN_NSEQ; v++) {
		dyn_seq *q = &DYN_SEQ[v];
		const unsigned char *ids = v < 4 ? tm : jm;
		size_t len = v < 4 ? sizeof tm : sizeof jm;
		bool jvm = v & 1, slots = v & 2;
		q->n = 0;
		for (size_t i = 0; i < len; i++) {
			unsigned id = ids[i];
			if (v < 4 && ((!jvm && (id == DK_TM_META || id == DK_TM_OVH_MIN || id == DK_TM_OVH_MAX)) ||
				      (!slots && (id == DK_SLOTS || id == DK_EXT))))
				continue;
			q->id[q->n++] = (unsigned char)id;
		}
		uint32_t hv[DK_COUNT];
		for (size_t i = 0; i < q->n; i++)
			hv[i] = DYN_HASH[q->id[i]];
		hash_order(hv, q->n, q->ord);
	}
}

static const opt_info *opt_info_of(enum fm_opt_id id)
{
	return &OPTS[id];
}

static defv DEFS[PROF_MAX][FM_O_COUNT];
static atomic_uchar DEF_READY[PROF_MAX][FM_O_COUNT];
static pthread_mutex_t defs_mu = PTHREAD_MUTEX_INITIALIZER;

/* p's default of option id, parsed when it parses (an unparseable one is
 * parsed again by the caller, which reports it). */
static void def_fill(defv *v, const fm_profile *p, enum fm_opt_id id)
{
	fm_option o = fm_option_get(p, id);
	*v = (defv){o.def, 0, 0, false};
	if (!o.def)
		return;
	fm_jexc je = {0};
	if (o.type == FM_T_SIZE)
		v->parsed = fm_size_parse(o.def, strlen(o.def), &v->bytes, &je) == 0;
	else if (o.type == FM_T_FLOAT)
		v->parsed = fm_java_parse_float(o.def, strlen(o.def), &v->flt) == 0;
	fm_jexc_release(&je);
}

/* The default of option id in d's profile (tmp holds it for a profile
 * outside fm_profiles). */
static const defv *def_of(const dx *d, enum fm_opt_id id, defv *tmp)
{
	if (d->pi < 0) {
		def_fill(tmp, d->p, id);
		return tmp;
	}
	atomic_uchar *ready = &DEF_READY[d->pi][id];
	if (!atomic_load_explicit(ready, memory_order_acquire)) {
		pthread_mutex_lock(&defs_mu);
		if (!atomic_load_explicit(ready, memory_order_relaxed)) {
			def_fill(&DEFS[d->pi][id], d->p, id);
			atomic_store_explicit(ready, 1, memory_order_release);
		}
		pthread_mutex_unlock(&defs_mu);
	}
	return &DEFS[d->pi][id];
}

static int profile_index(const fm_profile *p)
{
	for (int i = 0; i < PROF_MAX && fm_profiles[i]; i++)
		if (fm_profiles[i] == p)
			return i;
	return -1;
}

/* ---- exceptions --------------------------------------------------------- */

static int vthrow(dx *d, bool wrap, const char *cls, const char *fmt, va_list ap)
{
	if (!wrap)
		fm_jchain_release(&d->err);
	fm_jexc *nv = realloc(d->err.v, (d->err.n + 1) * sizeof(*nv));
	if (!nv) {
		d->oom = true;
		return -1;
	}
	d->err.v = nv;
	memmove(&d->err.v[1], &d->err.v[0], d->err.n * sizeof(*nv));
	d->err.n++;
	d->err.v[0].cls = cls;
	if (vasprintf(&d->err.v[0].msg, fmt, ap) < 0) {
		d->err.v[0].msg = NULL;
		d->oom = true;
	}
	return -1;
}

__attribute__((format(printf, 3, 4))) static int throw_(dx *d, const char *cls, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vthrow(d, false, cls, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 3, 4))) static int wrap(dx *d, const char *cls, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vthrow(d, true, cls, fmt, ap);
	va_end(ap);
	return -1;
}

/* Throws a memsize-level exception (fm_jexc) as the new innermost one. */
static int throw_jexc(dx *d, fm_jexc *e)
{
	throw_(d, e->cls, "%s", e->msg ? e->msg : "");
	fm_jexc_release(e);
	return -1;
}

static const char *top_cls(const dx *d)
{
	return d->err.n ? d->err.v[0].cls : "";
}

static const char *top_msg(const dx *d)
{
	return d->err.n && d->err.v[0].msg ? d->err.v[0].msg : "";
}

/* ---- human sizes for messages ------------------------------------------- */

typedef struct hs {
	char s[FM_SIZE_HUMAN_MAX];
} hs;

static char *put_i64(char *p, int64_t v);

/* fm_size_human_c (Flink's "%.3f<unit> (<n> bytes)"), without its Java
 * digit generation where the answer cannot depend on it: the log lines of
 * a derivation carry a human size or two, and those digits were a tenth
 * of a full derivation. %.3f rounds Double.toString's digits S of
 * x = b / 2^shift half-up at the third decimal. For b < 2^53, S reads
 * back to x, so |S - x| <= 2^-shift / 2 and |1000 S - 1000 x| <= 500 units
 * of 2^-shift; 1000 x = q + rem / 2^shift exactly. When 1000 x is further
 * than that (with room to spare) from the half-way point q + 1/2, S rounds
 * as x does: to q + 1 above it, q below. Near the half-way point, for
 * kilobytes, negative or huge sizes, fm_size_human_c decides. */
static hs H(int64_t b)
{
	static const char names[4][3] = {"kb", "mb", "gb", "tb"};
	hs h;
	int unit = b > (INT64_C(1) << 40) ? 3 : b > (INT64_C(1) << 30) ? 2 : b > (INT64_C(1) << 20) ? 1 : -1;
	if (unit < 0 || b >= (INT64_C(1) << 53)) {
		fm_size_human_c(h.s, b);
		return h;
	}
	int shift = 10 * (unit + 1);
	uint64_t den = UINT64_C(1) << shift;
	u128 y = (u128)(uint64_t)b * 1000;
	uint64_t q = (uint64_t)(y >> shift), rem = (uint64_t)y & (den - 1);
	int64_t from_half = (int64_t)(2 * rem) - (int64_t)den;
	if (from_half >= -4096 && from_half <= 4096) {
		fm_size_human_c(h.s, b);
		return h;
	}
	uint64_t r = q + (from_half > 0);
	char *p = put_i64(h.s, (int64_t)(r / 1000));
	unsigned fr = (unsigned)(r % 1000);
	p[0] = '.';
	p[1] = (char)('0' + fr / 100);
	p[2] = (char)('0' + fr / 10 % 10);
	p[3] = (char)('0' + fr % 10);
	memcpy(p + 4, names[unit], 2);
	memcpy(p + 6, " (", 2);
	p = put_i64(p + 8, b);
	memcpy(p, " bytes)", sizeof " bytes)");
	return h;
}

/* Decimal digits of v at p; returns the end. (printf is most of the cost
 * of a derivation otherwise.) */
static char *put_i64(char *p, int64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	static const uint64_t p10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
	};
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		*p++ = '-';
	/* digit count from the bit length (log10(2) ~ 1233/4096), then the
	 * digits written from the end straight into place */
	unsigned t = u ? (unsigned)((64 - __builtin_clzll(u)) * 1233) >> 12 : 0;
	unsigned nd = u ? t + 1 - (u < p10[t]) : 1;
	char *q = p + nd;
	/* eight digits at a time: n / 10^6 as a 16.48 fixed-point number
	 * (the multiplier is 2^48 / 10^6 rounded up; checked exact for every
	 * n below 10^8), its integer part the first two digits; each
	 * multiplication of the fraction by 100 brings up the next two. No
	 * divisions. */
	while (u >= 100000000) {
		uint32_t lo = (uint32_t)(u % 100000000);
		u /= 100000000;
		q -= 8;
		const uint64_t frac = (UINT64_C(1) << 48) - 1;
		uint64_t f = (uint64_t)lo * 281474977;
		memcpy(q, pairs + 2 * (f >> 48), 2);
		f = (f & frac) * 100;
		memcpy(q + 2, pairs + 2 * (f >> 48), 2);
		f = (f & frac) * 100;
		memcpy(q + 4, pairs + 2 * (f >> 48), 2);
		f = (f & frac) * 100;
		memcpy(q + 6, pairs + 2 * (f >> 48), 2);
	}
	uint32_t x = (uint32_t)u;
	while (x >= 100) {
		q -= 2;
		memcpy(q, pairs + 2 * (x % 100), 2);
		x /= 100;
	}
	if (x >= 10)
		memcpy(q - 2, pairs + 2 * x, 2);
	else
		q[-1] = (char)('0' + x);
	return p + nd;
}

void fm_derive_size_human(char *out, int64_t bytes)
{
	memcpy(out, H(bytes).s, FM_SIZE_HUMAN_MAX);
}

/* ---- log lines ----------------------------------------------------------- */

/* Length of fmt with its %s / %lld / %d / %c / %% expanded, and (when out
 * is not NULL) the text. The log lines only need these; printf's generic
 * machinery was a tenth of a derivation. -1 on any other conversion. */
static long mini_fmt(char *out, const char *fmt, va_list ap)
{
	long n = 0;
	for (const char *f = fmt; *f; f++) {
		char num[24];
		const char *s;
		size_t len;
		if (*f != '%') { /* the literal run up to the next conversion */
			const char *pc = strchr(f, '%');
			len = pc ? (size_t)(pc - f) : strlen(f);
			if (out)
				memcpy(out + n, f, len);
			n += (long)len;
			f += len - 1;
			continue;
		}
		f++;
		if (*f == 's') {
			s = va_arg(ap, const char *);
			len = strlen(s);
		} else if (*f == 'd' || (f[0] == 'l' && f[1] == 'l' && f[2] == 'd')) {
			long long v = *f == 'd' ? va_arg(ap, int) : va_arg(ap, long long);
			f += *f == 'd' ? 0 : 2;
			s = num;
			len = (size_t)(put_i64(num, v) - num);
		} else if (*f == 'c') {
			num[0] = (char)va_arg(ap, int);
			s = num;
			len = 1;
		} else if (*f == '%') {
			s = "%";
			len = 1;
		} else {
			return -1;
		}
		if (out)
			memcpy(out + n, s, len);
		n += (long)len;
	}
	return n;
}

/* fm_logs_add's "LEVEL message" line, formatted once; sets d->oom when
 * the line cannot be kept. */
__attribute__((format(printf, 3, 4))) static void logf_(dx *d, const char *level, const char *fmt, ...)
{
	fm_logs *l = d->logs;
	if (!l)
		return;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	long n = mini_fmt(NULL, fmt, ap);
	va_end(ap);
	size_t ll = strlen(level);
	char *line = NULL;
	if (n >= 0) {
		line = malloc(ll + 1 + (size_t)n + 1);
		if (line) {
			memcpy(line, level, ll);
			line[ll] = ' ';
			mini_fmt(line + ll + 1, fmt, ap2);
			line[ll + 1 + (size_t)n] = '\0';
		}
	} else { /* a conversion mini_fmt does not know */
		char *body = NULL;
		if (vasprintf(&body, fmt, ap2) >= 0 && asprintf(&line, "%s %s", level, body) < 0)
			line = NULL;
		free(body);
	}
	va_end(ap2);
	if (l->n == l->cap && line) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		char **nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv) {
			free(line);
			line = NULL;
		} else {
			l->v = nv;
			l->cap = ncap;
		}
	}
	if (!line) {
		d->oom = true;
		return;
	}
	l->v[l->n++] = line;
}

/* ---- Configuration access (Configuration.contains / get) ---------------- */

static void log_fallback(dx *d, const char *fb, const char *key)
{
	logf_(d, "WARN", "Config uses deprecated configuration key '%s' instead of proper key '%s'", fb, key);
}

/* Above this many keys the filter is not built (it would cost more than
 * the lookups it saves, and would be all ones anyway). */
#define KBITS_MAX_KEYS 48

/* For a small config: every option's lookup answered at once (raw's
 * memo filled as raw_lookup would fill it: the option's own key first,
 * then fallback 0, then 1), and kbits for the keys looked up directly.
 * A large config keeps the lookups per option, on demand. */
static void memo_init(dx *d)
{
	size_t n = fm_conf_len(d->conf);
	if (n > KBITS_MAX_KEYS) {
		d->kbits[0] = d->kbits[1] = ~(uint64_t)0;
		return;
	}
	memset(d->memo_at, 1, sizeof d->memo_at); /* 1 with memo NULL: absent */
	for (size_t i = 0; i < n; i++) {
		const fm_entry *e = fm_conf_at(d->conf, i);
		unsigned mix = key_mix(e->key, e->key_len), b = mix & 127;
		d->kbits[b >> 6] |= (uint64_t)1 << (b & 63);
		for (size_t at = mix & (KEYTAB_CAP - 1); KEYTAB[at].k; at = (at + 1) & (KEYTAB_CAP - 1)) {
			const keyslot *ks = &KEYTAB[at];
			if (ks->k->len != e->key_len || memcmp(ks->k->s, e->key, e->key_len) != 0)
				continue;
			if (!d->memo[ks->id] || ks->rank < d->memo_at[ks->id]) {
				d->memo[ks->id] = e;
				d->memo_at[ks->id] = ks->rank;
			}
		}
	}
}

static const fm_entry *find_key(const dx *d, const ckey *k)
{
	if (!(d->kbits[k->bit >> 6] >> (k->bit & 63) & 1))
		return NULL;
	return fm_conf_find_hashed(d->conf, k->s, k->len, k->h);
}

/* The raw value for option id (primary key, then fallbacks, logging a
 * fallback hit), or NULL. *is_ovr is set when the legacy-heap overlay
 * answers. */
static const fm_entry *raw_lookup(dx *d, enum fm_opt_id id);

static inline const fm_entry *raw(dx *d, enum fm_opt_id id, bool *is_ovr)
{
	*is_ovr = false;
	if (d->has_ovr && d->ovr_id == id) {
		*is_ovr = true;
		return NULL;
	}
	unsigned at = d->memo_at[id];
	if (!at)
		return raw_lookup(d, id);
	if (at >= 2) { /* Flink logs the fallback on every lookup */
		const opt_info *oi = opt_info_of(id);
		log_fallback(d, oi->fb[at - 2].s, oi->k.s);
	}
	return d->memo[id];
}

/* raw's first lookup of id in this derivation, memoized. */
static const fm_entry *raw_lookup(dx *d, enum fm_opt_id id)
{
	const opt_info *oi = opt_info_of(id);
	const fm_entry *e = find_key(d, &oi->k);
	d->memo_at[id] = 1;
	d->memo[id] = e;
	if (e)
		return e;
	for (int i = 0; i < 2 && oi->fb[i].s; i++) {
		e = find_key(d, &oi->fb[i]);
		if (e) {
			d->memo_at[id] = (unsigned char)(2 + i);
			d->memo[id] = e;
			log_fallback(d, oi->fb[i].s, oi->k.s);
			return e;
		}
	}
	return NULL;
}

static bool contains(dx *d, enum fm_opt_id id)
{
	bool ovr;
	return raw(d, id, &ovr) != NULL || ovr;
}

/* "Could not parse value '<raw>' for key '<key>'." around the pending cause. */
static int parse_fail(dx *d, const fm_entry *e, const char *key)
{
	return wrap(d, FM_JCLS_IAE, "Could not parse value '%s' for key '%s'.", e->text, key);
}

static int nfe_input(dx *d, const char *s)
{
	return throw_(d, FM_JCLS_NFE, "For input string: \"%s\"", s);
}

/* config.get(memory option): 0 and *out, 1 when unset with no default
 * (Java null), -1 on a parse failure. */
static int get_size(dx *d, enum fm_opt_id id, int64_t *out)
{
	bool ovr;
	const fm_entry *e = raw(d, id, &ovr); /* first: it logs a fallback key */
	if (ovr) {
		*out = d->ovr_bytes;
		return 0;
	}
	if (d->size_known[id]) {
		*out = d->size_memo[id];
		return 0;
	}
	fm_jexc je = {0};
	if (!e) {
		defv tmp;
		const defv *dv = def_of(d, id, &tmp);
		if (!dv->def)
			return 1;
		if (dv->parsed) {
			*out = dv->bytes;
			d->size_known[id] = true;
			d->size_memo[id] = *out;
			return 0;
		}
		if (fm_size_parse(dv->def, strlen(dv->def), out, &je) != 0) {
			fm_jexc_release(&je);
			return throw_(d, FM_JCLS_IAE, "bad built-in default for %s", fm_option_get(d->p, id).key);
		}
		return 0;
	}
	if (fm_size_parse(e->text, e->text_len, out, &je) != 0) {
		throw_jexc(d, &je);
		return parse_fail(d, e, opt_info_of(id)->k.s);
	}
	d->size_known[id] = true;
	d->size_memo[id] = *out;
	return 0;
}

/* ProcessMemoryUtils.getMemorySizeFromConfig. */
static int size_opt(dx *d, enum fm_opt_id id, int64_t *out)
{
	int rc = get_size(d, id, out);
	if (rc == 0)
		return 0;
	fm_option o = fm_option_get(d->p, id);
	if (rc == 1)
		throw_(d, FM_JCLS_NPE, "The memory option is not set and has no default value.");
	return wrap(d, FM_JCLS_ICE, "Cannot read memory size from config option '%s'.", o.key);
}

/* ConfigurationUtils.convertToFloat + getFloat: a float, as Java holds it. */
static int get_float(dx *d, enum fm_opt_id id, float *out)
{
	bool ovr;
	const fm_entry *e = raw(d, id, &ovr);
	const char *key = opt_info_of(id)->k.s;
	if (!e) {
		defv tmp;
		const defv *dv = def_of(d, id, &tmp);
		if (dv->parsed)
			*out = dv->flt;
		else
			fm_java_parse_float(dv->def, strlen(dv->def), out);
		return 0;
	}
	if (e->type == FM_V_FLOAT) {
		double v = e->num;
		if (v == 0.0 || (v >= 1.40129846e-45 && v <= 3.40282347e+38) ||
		    (v >= -3.40282347e+38 && v <= -1.40129846e-45)) {
			*out = (float)v;
			return 0;
		}
		throw_(d, FM_JCLS_IAE, "Configuration value %s overflows/underflows the float type.", e->text);
		return parse_fail(d, e, key);
	}
	int rc = fm_java_parse_float(e->text, e->text_len, out);
	if (rc == 0)
		return 0;
	if (rc == FM_JAVA_NFE_EMPTY)
		throw_(d, FM_JCLS_NFE, "empty String");
	else
		nfe_input(d, e->text);
	return parse_fail(d, e, key);
}

/* Integer.parseInt (radix 10): sign, ASCII digits, in int range. */
static bool java_parse_long(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	size_t i = 0, n = strlen(s);
	bool neg = false;
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return false;
	u128 v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > (u128)INT64_MAX + 1)
			return false;
	}
	if (neg) {
		if (v > (u128)(-(lo + 1)) + 1)
			return false;
		*out = v == (u128)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (u128)hi)
			return false;
		*out = (int64_t)v;
	}
	return true;
}

/* config.get(int option) / getInteger; 1 when unset with no default. */
static int get_int(dx *d, enum fm_opt_id id, int32_t *out)
{
	bool ovr;
	const fm_entry *e = raw(d, id, &ovr);
	const char *key = opt_info_of(id)->k.s;
	int64_t v;
	if (!e) {
		fm_option o = fm_option_get(d->p, id);
		if (!o.def)
			return 1;
		java_parse_long(o.def, INT32_MIN, INT32_MAX, &v);
		*out = (int32_t)v;
		return 0;
	}
	if (e->type == FM_V_INT && java_parse_long(e->text, INT64_MIN, INT64_MAX, &v)) {
		/* YAML gives Integer or Long; a Long must fit an int. */
		if (v < INT32_MIN || v > INT32_MAX) {
			throw_(d, FM_JCLS_IAE, "Configuration value %s overflows/underflows the integer type.", e->text);
			return parse_fail(d, e, key);
		}
		*out = (int32_t)v;
		return 0;
	}
	if (!java_parse_long(e->text, INT32_MIN, INT32_MAX, &v)) {
		nfe_input(d, e->text);
		return parse_fail(d, e, key);
	}
	*out = (int32_t)v;
	return 0;
}

/* convertToBoolean: Boolean, or "true"/"false" in any case. */
static int get_bool(dx *d, enum fm_opt_id id, bool *out)
{
	fm_option o = fm_option_get(d->p, id);
	bool ovr;
	const fm_entry *e = raw(d, id, &ovr);
	const char *t = e ? e->text : o.def;
	if (strcasecmp(t, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcasecmp(t, "false") == 0) {
		*out = false;
		return 0;
	}
	throw_(d, FM_JCLS_IAE,
	       "Unrecognized option for boolean: %s. Expected either true or false(case insensitive)", t);
	return parse_fail(d, e, o.key);
}

/* ---- ranges and fractions ------------------------------------------------ */

typedef struct range {
	int64_t min, max;
	double fraction;
} range;

/* ProcessMemoryUtils.getRangeFraction. */
static int range_fraction(dx *d, int64_t min, int64_t max, enum fm_opt_id frac_id, range *r)
{
	float f;
	if (get_float(d, frac_id, &f) != 0)
		return -1;
	double fr = (double)f;
	const char *why = NULL;
	if (!(min <= max))
		why = "min value must be less or equal to max value";
	else if (!(fr >= 0 && fr < 1))
		why = "fraction must be in range [0, 1)";
	if (why) {
		fm_option o = fm_option_get(d->p, frac_id);
		char fb[160] = "";
		if (o.fallback[0])
			snprintf(fb, sizeof(fb), "{key=%s, isDeprecated=true}", o.fallback[0]);
		char fs[FM_JAVA_DTOA_MAX];
		fm_java_double_to_string(fr, fs);
		throw_(d, FM_JCLS_IAE, "%s", why);
		return wrap(d, FM_JCLS_ICE,
			    "Inconsistently configured Key: '%s' , default: %s (fallback keys: [%s]) (%s) and "
			    "its min (%s), max (%s) value",
			    o.key, o.def, fb, fs, H(min).s, H(max).s);
	}
	*r = (range){min, max, fr};
	return 0;
}

static int mul(dx *d, int64_t base, double m, int64_t *out)
{
	fm_jexc je = {0};
	if (fm_size_mul(base, m, out, &je) != 0)
		return throw_jexc(d, &je);
	return 0;
}

static int add(dx *d, int64_t a, int64_t b, int64_t *out)
{
	fm_jexc je = {0};
	if (fm_size_add(a, b, out, &je) != 0)
		return throw_jexc(d, &je);
	return 0;
}

static int sub(dx *d, int64_t a, int64_t b, int64_t *out)
{
	fm_jexc je = {0};
	if (fm_size_sub(a, b, out, &je) != 0)
		return throw_jexc(d, &je);
	return 0;
}

static int64_t cap_to_range(dx *d, const char *what, int64_t v, const range *r)
{
	if (v > r->max) {
		if (d->logs) /* the human sizes cost more than the rest */
			logf_(d, "INFO",
			    "The derived from fraction %s (%s) is greater than its max value %s, max value will "
			    "be used instead",
			    what, H(v).s, H(r->max).s);
		return r->max;
	}
	if (v < r->min) {
		if (d->logs)
			logf_(d, "INFO",
			    "The derived from fraction %s (%s) is less than its min value %s, min value will be "
			    "used instead",
			    what, H(v).s, H(r->min).s);
		return r->min;
	}
	return v;
}

static int with_fraction(dx *d, const char *what, int64_t base, const range *r, int64_t *out)
{
	int64_t rel;
	if (mul(d, base, r->fraction, &rel) != 0)
		return -1;
	*out = cap_to_range(d, what, rel, r);
	return 0;
}

static int with_inverse_fraction(dx *d, const char *what, int64_t base, const range *r, int64_t *out)
{
	int64_t rel;
	if (mul(d, base, r->fraction / (1 - r->fraction), &rel) != 0)
		return -1;
	*out = cap_to_range(d, what, rel, r);
	return 0;
}

/* ---- process level (ProcessMemoryUtils) ---------------------------------- */

/* Which option set a process uses. */
typedef struct side {
	enum fm_opt_id process, flink, metaspace, ovh_min, ovh_max, ovh_fraction;
} side;

static const side TM_SIDE = {FM_O_TM_PROCESS, FM_O_TM_FLINK, FM_O_TM_METASPACE,
			     FM_O_TM_OVH_MIN, FM_O_TM_OVH_MAX, FM_O_TM_OVH_FRACTION};
static const side JM_SIDE = {FM_O_JM_PROCESS, FM_O_JM_FLINK, FM_O_JM_METASPACE,
			     FM_O_JM_OVH_MIN, FM_O_JM_OVH_MAX, FM_O_JM_OVH_FRACTION};

static int overhead_range(dx *d, const side *s, range *r)
{
	int64_t min, max;
	if (size_opt(d, s->ovh_min, &min) || size_opt(d, s->ovh_max, &max))
		return -1;
	return range_fraction(d, min, max, s->ovh_fraction, r);
}

static int sanity_check_overhead(dx *d, const side *s, int64_t ovh, int64_t process)
{
	range r;
	if (overhead_range(d, s, &r) != 0)
		return -1;
	if (ovh > r.max || ovh < r.min)
		return throw_(d, FM_JCLS_ICE,
			      "Derived JVM Overhead size (%s) is not in configured JVM Overhead range [%s, %s].",
			      H(ovh).s, H(r.min).s, H(r.max).s);
	if (contains(d, s->ovh_fraction)) {
		int64_t expect;
		if (mul(d, process, r.fraction, &expect) != 0)
			return -1;
		if (expect != ovh) {
			char fs[FM_JAVA_DTOA_MAX];
			fm_java_double_to_string(r.fraction, fs);
			logf_(d, "INFO",
				    "The derived JVM Overhead size (%s) does not match the configured%s JVM "
				    "Overhead fraction (%s) from the configured Total Process Memory size (%s). "
				    "The derived JVM %s size will be used.",
				    H(ovh).s, d->p->overhead_info_no_default ? "" : " or default", fs,
				    H(process).s, d->p->overhead_typo ? "OVerhead" : "Overhead");
		}
	}
	return 0;
}

typedef struct meta_ovh {
	int64_t metaspace, overhead;
} meta_ovh;

/* deriveJvmMetaspaceAndOverheadFromTotalFlinkMemory. */
static int meta_ovh_from_flink(dx *d, const side *s, int64_t flink, meta_ovh *mo)
{
	int64_t meta, flink_meta;
	if (size_opt(d, s->metaspace, &meta) || add(d, flink, meta, &flink_meta))
		return -1;
	mo->metaspace = meta;
	if (contains(d, s->process)) {
		int64_t process, meta2, fm2, ovh;
		if (size_opt(d, s->process, &process) || size_opt(d, s->metaspace, &meta2) ||
		    add(d, flink, meta2, &fm2))
			return -1;
		if (!d->p->tm_legacy_msgs && process < fm2)
			return throw_(d, FM_JCLS_ICE,
				      "The configured Total Process Memory size (%s) is less than the sum of the "
				      "derived Total Flink Memory size (%s) and the configured or default JVM "
				      "Metaspace size  (%s).",
				      H(process).s, H(flink).s, H(meta2).s);
		if (sub(d, process, fm2, &ovh) || sanity_check_overhead(d, s, ovh, process))
			return -1;
		mo->overhead = ovh;
		return 0;
	}
	range r;
	int64_t ovh;
	if (overhead_range(d, s, &r) || with_inverse_fraction(d, "jvm overhead memory", flink_meta, &r, &ovh))
		return -1;
	mo->overhead = ovh;
	/* sanityCheckTotalProcessMemory: process size is not configured here,
	 * so only the sum is computed (it can overflow). */
	int64_t t1, t2;
	if (add(d, flink, meta, &t1) || add(d, t1, ovh, &t2))
		return -1;
	return 0;
}

/* deriveJvmMetaspaceAndOverheadWithTotalProcessMemory. */
static int meta_ovh_from_process(dx *d, const side *s, int64_t process, meta_ovh *mo)
{
	int64_t meta, ovh, total;
	range r;
	if (size_opt(d, s->metaspace, &meta) || overhead_range(d, s, &r) ||
	    with_fraction(d, "jvm overhead memory", process, &r, &ovh) || add(d, meta, ovh, &total))
		return -1;
	if (total > process)
		return throw_(d, FM_JCLS_ICE,
			      "Sum of configured JVM Metaspace (%s) and JVM Overhead (%s) exceed configured "
			      "Total Process Memory (%s).",
			      H(meta).s, H(ovh).s, H(process).s);
	mo->metaspace = meta;
	mo->overhead = ovh;
	return 0;
}

static int fail_not_configured(dx *d, const side *s, const char *fine)
{
	fm_option fl = fm_option_get(d->p, s->flink), pr = fm_option_get(d->p, s->process);
	if (d->p->tm_legacy_msgs)
		return throw_(d, FM_JCLS_ICE,
			      "Either Task Heap Memory size (taskmanager.memory.task.heap.size) and Managed "
			      "Memory size (taskmanager.memory.managed.size), or Total Flink Memory size (%s), or "
			      "Total Process Memory size (%s) need to be configured explicitly.",
			      fl.key, pr.key);
	return throw_(d, FM_JCLS_ICE,
		      "Either required fine-grained memory (%s), or Total Flink Memory size (Key: '%s' , "
		      "default: null (fallback keys: [])), or Total Process Memory size (Key: '%s' , "
		      "default: null (fallback keys: [])) need to be configured explicitly.",
		      fine, fl.key, pr.key);
}

/* ---- TaskManager Flink memory (TaskExecutorFlinkMemoryUtils) ------------ */

typedef struct tm_flink {
	int64_t fw_heap, fw_off, task_heap, task_off, network, managed;
} tm_flink;

static int net_range(dx *d, range *r)
{
	int64_t min, max;
	if (size_opt(d, FM_O_TM_NET_MIN, &min) || size_opt(d, FM_O_TM_NET_MAX, &max))
		return -1;
	return range_fraction(d, min, max, FM_O_TM_NET_FRACTION, r);
}

static bool using_legacy_network(dx *d)
{
	if (!d->p->legacy_netbufs)
		return false;
	bool any = contains(d, FM_O_TM_NET_MIN) || contains(d, FM_O_TM_NET_MAX) ||
		   contains(d, FM_O_TM_NET_FRACTION);
	bool legacy = find_key(d, &opt_info_of(FM_O_TM_NUM_BUFFERS)->k) != NULL;
	return !any && legacy;
}

/* numberOfBuffers x ConfigurationParserUtils.getPageSize. */
static int legacy_network_size(dx *d, int64_t *out)
{
	int32_t nbuf;
	int64_t seg;
	if (get_int(d, FM_O_TM_NUM_BUFFERS, &nbuf) != 0)
		return -1;
	fm_option so = fm_option_get(d->p, FM_O_TM_SEGMENT);
	if (get_size(d, FM_O_TM_SEGMENT, &seg) != 0)
		return -1;
	if (seg != (int64_t)(int32_t)seg)
		return throw_(d, FM_JCLS_IAE, "Cannot downcast long value %lld to integer.", (long long)seg);
	int32_t page = (int32_t)seg;
	if (page < 4096)
		return throw_(d, FM_JCLS_ICE,
			      "Invalid configuration value for %s : %d - Minimum memory segment size is 4096",
			      so.key, page);
	if ((page & (page - 1)) != 0)
		return throw_(d, FM_JCLS_ICE,
			      "Invalid configuration value for %s : %d - Memory segment size must be a power of 2.",
			      so.key, page);
	int64_t bytes = (int64_t)nbuf * (int64_t)page;
	if (bytes < 0)
		return throw_(d, FM_JCLS_IAE, "bytes must be >= 0");
	*out = bytes;
	return 0;
}

static int sanity_check_network(dx *d, int64_t net, int64_t flink)
{
	if (using_legacy_network(d)) {
		int64_t conf;
		if (legacy_network_size(d, &conf) != 0)
			return -1;
		if (conf != net)
			return throw_(d, FM_JCLS_ICE,
				      "Derived Network Memory size (%s) does not match configured Network Memory "
				      "size (%s).",
				      H(net).s, H(conf).s);
		return 0;
	}
	range r;
	if (net_range(d, &r) != 0)
		return -1;
	if (net > r.max || net < r.min)
		return throw_(d, FM_JCLS_ICE,
			      "Derived Network Memory size (%s) is not in configured Network Memory range [%s, %s].",
			      H(net).s, H(r.min).s, H(r.max).s);
	if (contains(d, FM_O_TM_NET_FRACTION)) {
		int64_t expect;
		if (mul(d, flink, r.fraction, &expect) != 0)
			return -1;
		if (expect != net) {
			char fs[FM_JAVA_DTOA_MAX];
			fm_java_double_to_string(r.fraction, fs);
			logf_(d, "INFO",
				    "The derived Network Memory size (%s) does not match the configured Network "
				    "Memory fraction (%s) from the configured Total Flink Memory size (%s). The "
				    "derived Network Memory size will be used.",
				    H(net).s, fs, H(flink).s);
		}
	}
	return 0;
}

static int sanity_check_network_explicit(dx *d, int64_t net, int64_t flink)
{
	if (sanity_check_network(d, net, flink) == 0)
		return 0;
	if (strcmp(top_cls(d), FM_JCLS_ICE) != 0)
		return -1;
	return wrap(d, FM_JCLS_ICE,
		    "If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then "
		    "the Network Memory size is the rest of the Total Flink memory after subtracting all other "
		    "configured types of memory, but the derived Network Memory is inconsistent with its "
		    "configuration.");
}

static int tm_total_flink(dx *d, const tm_flink *f, int64_t *out)
{
	int64_t t;
	if (add(d, f->fw_heap, f->fw_off, &t) || add(d, t, f->task_heap, &t) ||
	    add(d, t, f->task_off, &t) || add(d, t, f->network, &t) || add(d, t, f->managed, &t))
		return -1;
	*out = t;
	return 0;
}

static int sanity_check_tm_flink(dx *d, const tm_flink *f)
{
	if (!contains(d, FM_O_TM_FLINK))
		return 0;
	int64_t conf, total;
	if (size_opt(d, FM_O_TM_FLINK, &conf) || tm_total_flink(d, f, &total))
		return -1;
	if (conf != total)
		return throw_(d, FM_JCLS_ICE,
			      "Configured and Derived Flink internal memory sizes (total %s) do not add up to "
			      "the configured Total Flink Memory size (%s). Configured and Derived Flink internal "
			      "memory sizes are: Framework Heap Memory (%s), Framework Off-Heap Memory (%s), Task "
			      "Heap Memory (%s), Task Off-Heap Memory (%s), Network Memory (%s), Managed Memory "
			      "(%s).",
			      H(total).s, H(conf).s, H(f->fw_heap).s, H(f->fw_off).s, H(f->task_heap).s,
			      H(f->task_off).s, H(f->network).s, H(f->managed).s);
	return 0;
}

static int exceed_fine(dx *d, const tm_flink *f, int64_t flink)
{
	return throw_(d, FM_JCLS_ICE,
		      "Sum of configured Framework Heap Memory (%s), Framework Off-Heap Memory (%s), Task "
		      "Heap Memory (%s), Task Off-Heap Memory (%s) and Managed Memory (%s) exceed configured "
		      "Total Flink Memory (%s).",
		      H(f->fw_heap).s, H(f->fw_off).s, H(f->task_heap).s, H(f->task_off).s,
		      H(f->managed).s, H(flink).s);
}

/* getManagedMemorySize: checkArgument(contains) then get, so a deprecated
 * key is reported twice here. */
static int managed_size(dx *d, int64_t *out)
{
	contains(d, FM_O_TM_MANAGED_SIZE);
	return size_opt(d, FM_O_TM_MANAGED_SIZE, out);
}

static int tm_from_fine_grained(dx *d, tm_flink *f)
{
	*f = (tm_flink){0};
	if (size_opt(d, FM_O_TM_TASK_HEAP, &f->task_heap) || managed_size(d, &f->managed) ||
	    size_opt(d, FM_O_TM_FW_HEAP, &f->fw_heap) || size_opt(d, FM_O_TM_FW_OFFHEAP, &f->fw_off) ||
	    size_opt(d, FM_O_TM_TASK_OFFHEAP, &f->task_off))
		return -1;
	int64_t excl;
	if (add(d, f->fw_heap, f->fw_off, &excl) || add(d, excl, f->task_heap, &excl) ||
	    add(d, excl, f->task_off, &excl) || add(d, excl, f->managed, &excl))
		return -1;
	if (contains(d, FM_O_TM_FLINK)) {
		int64_t flink;
		if (size_opt(d, FM_O_TM_FLINK, &flink))
			return -1;
		if (excl > flink)
			return exceed_fine(d, f, flink);
		if (sub(d, flink, excl, &f->network) || sanity_check_network_explicit(d, f->network, flink))
			return -1;
	} else if (using_legacy_network(d)) {
		if (legacy_network_size(d, &f->network))
			return -1;
	} else {
		range r;
		if (net_range(d, &r) || with_inverse_fraction(d, "network memory", excl, &r, &f->network))
			return -1;
	}
	return sanity_check_tm_flink(d, f);
}

static int managed_abs_or_fraction(dx *d, int64_t base, int64_t *out)
{
	if (contains(d, FM_O_TM_MANAGED_SIZE))
		return managed_size(d, out);
	range r;
	if (range_fraction(d, 0, FM_LONG_MAX, FM_O_TM_MANAGED_FRACTION, &r))
		return -1;
	return with_fraction(d, "managed memory", base, &r, out);
}

static int tm_from_flink(dx *d, int64_t flink, tm_flink *f)
{
	*f = (tm_flink){0};
	if (size_opt(d, FM_O_TM_FW_HEAP, &f->fw_heap) || size_opt(d, FM_O_TM_FW_OFFHEAP, &f->fw_off) ||
	    size_opt(d, FM_O_TM_TASK_OFFHEAP, &f->task_off))
		return -1;
	if (contains(d, FM_O_TM_TASK_HEAP)) {
		int64_t excl;
		if (size_opt(d, FM_O_TM_TASK_HEAP, &f->task_heap) || managed_abs_or_fraction(d, flink, &f->managed))
			return -1;
		if (add(d, f->fw_heap, f->fw_off, &excl) || add(d, excl, f->task_heap, &excl) ||
		    add(d, excl, f->task_off, &excl) || add(d, excl, f->managed, &excl))
			return -1;
		if (excl > flink)
			return exceed_fine(d, f, flink);
		if (sub(d, flink, excl, &f->network) || sanity_check_network_explicit(d, f->network, flink))
			return -1;
	} else {
		if (managed_abs_or_fraction(d, flink, &f->managed))
			return -1;
		if (using_legacy_network(d)) {
			if (legacy_network_size(d, &f->network))
				return -1;
		} else {
			range r;
			if (net_range(d, &r) || with_fraction(d, "network memory", flink, &r, &f->network))
				return -1;
		}
		int64_t excl;
		if (add(d, f->fw_heap, f->fw_off, &excl) || add(d, excl, f->task_off, &excl) ||
		    add(d, excl, f->managed, &excl) || add(d, excl, f->network, &excl))
			return -1;
		if (excl > flink)
			return throw_(d, FM_JCLS_ICE,
				      "Sum of configured Framework Heap Memory (%s), Framework Off-Heap Memory (%s), "
				      "Task Off-Heap Memory (%s), Managed Memory (%s) and Network Memory (%s) exceed "
				      "configured Total Flink Memory (%s).",
				      H(f->fw_heap).s, H(f->fw_off).s, H(f->task_off).s, H(f->managed).s,
				      H(f->network).s, H(flink).s);
		if (sub(d, flink, excl, &f->task_heap))
			return -1;
	}
	return sanity_check_tm_flink(d, f);
}

/* ProcessMemoryUtils.memoryProcessSpecFromConfig for the TM. */
static int tm_process(dx *d, tm_flink *f, meta_ovh *mo, int64_t *flink_out)
{
	const side *s = &TM_SIDE;
	if (contains(d, FM_O_TM_TASK_HEAP) && contains(d, FM_O_TM_MANAGED_SIZE)) {
		int64_t flink;
		if (tm_from_fine_grained(d, f) || tm_total_flink(d, f, &flink) ||
		    meta_ovh_from_flink(d, s, flink, mo))
			return -1;
		*flink_out = flink;
		return 0;
	}
	if (contains(d, s->flink)) {
		int64_t flink;
		if (size_opt(d, s->flink, &flink) || tm_from_flink(d, flink, f) ||
		    meta_ovh_from_flink(d, s, flink, mo))
			return -1;
		*flink_out = flink;
		return 0;
	}
	if (contains(d, s->process)) {
		int64_t process, mo_total, flink;
		if (size_opt(d, s->process, &process) || meta_ovh_from_process(d, s, process, mo) ||
		    add(d, mo->metaspace, mo->overhead, &mo_total) || sub(d, process, mo_total, &flink) ||
		    tm_from_flink(d, flink, f))
			return -1;
		*flink_out = flink;
		return 0;
	}
	return fail_not_configured(d, s, "taskmanager.memory.task.heap.size and taskmanager.memory.managed.size");
}

/* ---- legacy heap options (MemoryBackwardsCompatibilityUtils) ------------ */

static int legacy_heap(dx *d, bool tm, const fm_derive_env *env, bool *found, int64_t *bytes)
{
	*found = false;
	const char *ev = env ? (tm ? env->flink_tm_heap : env->flink_jm_heap) : NULL;
	if (ev) {
		fm_jexc je = {0};
		if (fm_size_parse(ev, strlen(ev), bytes, &je) != 0) {
			throw_jexc(d, &je);
			return wrap(d, FM_JCLS_ICE,
				    "Cannot read total process memory size from environment variable value %s.", ev);
		}
		*found = true;
		return 0;
	}
	enum fm_opt_id heap = tm ? FM_O_TM_LEGACY_HEAP : FM_O_JM_LEGACY_HEAP;
	enum fm_opt_id mb = tm ? FM_O_TM_LEGACY_HEAP_MB : FM_O_JM_LEGACY_HEAP_MB;
	if (contains(d, heap)) {
		if (size_opt(d, heap, bytes))
			return -1;
		*found = true;
		return 0;
	}
	if (contains(d, mb)) {
		int32_t v;
		if (get_int(d, mb, &v) != 0)
			return -1;
		if (v < 0)
			return throw_(d, FM_JCLS_ICE,
				      "Configured total process memory size (%dMB) must not be less than 0.", v);
		*bytes = (int64_t)v << 20;
		*found = true;
	}
	return 0;
}

/* getConfWithLegacyHeapSizeMappedToNewConfigOption: sets the overlay. */
static int map_legacy_heap(dx *d, bool tm, const fm_derive_env *env)
{
	enum fm_opt_id target = tm ? FM_O_TM_FLINK : FM_O_JM_HEAP;
	if (contains(d, target))
		return 0;
	bool found;
	int64_t bytes;
	if (legacy_heap(d, tm, env, &found, &bytes) != 0)
		return -1;
	if (!found)
		return 0;
	fm_option o = fm_option_get(d->p, target);
	d->has_ovr = true;
	d->ovr_id = target;
	d->ovr_bytes = bytes;
	logf_(d, "INFO",
		    "'%s' is not specified, use the configured deprecated task manager heap value (%s) for it.",
		    o.key, H(bytes).s);
	return 0;
}

/* ---- Java HashMap order (dynamic-config strings) ------------------------- */

/* String.hashCode over the UTF-16 code units of a UTF-8 key. */
static int32_t java_string_hash(const char *s)
{
	uint32_t h = 0;
	const unsigned char *p = (const unsigned char *)s;
	/* ASCII runs four at a time: h*31^4 + c0*31^3 + c1*31^2 + c2*31 + c3. */
	while (p[0] && p[1] && p[2] && p[3] && ((p[0] | p[1] | p[2] | p[3]) & 0x80) == 0) {
		h = h * 923521u + p[0] * 29791u + p[1] * 961u + p[2] * 31u + p[3];
		p += 4;
	}
	while (*p) {
		uint32_t cp;
		int len;
		if (p[0] < 0x80) {
			cp = p[0];
			len = 1;
		} else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
			len = 2;
		} else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			len = 3;
		} else if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
			   (p[3] & 0xC0) == 0x80) {
			cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
			     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
			len = 4;
		} else {
			cp = 0xFFFD; /* Java decodes a bad byte as U+FFFD */
			len = 1;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			h = 31 * h + (0xD800 + (cp >> 10));
			h = 31 * h + (0xDC00 + (cp & 0x3FF));
		} else {
			h = 31 * h + cp;
		}
		p += len;
	}
	return (int32_t)h;
}

int32_t fm_java_string_hash(const char *s) { return java_string_hash(s); }

/* Java HashMap's table size for n keys: 16, doubled while n > 0.75 cap. */
static size_t hm_cap(size_t n)
{
	size_t cap = 16;
	while (n > cap * 3 / 4)
		cap *= 2;
	return cap;
}

static size_t hm_bucket(uint32_t h, size_t cap)
{
	return (h ^ (h >> 16)) & (cap - 1);
}

/* A resize keeps the relative order inside a bucket, so the iteration
 * order is: by bucket index, then by insertion. Stable insertion sort of
 * the indices by bucket (n is small). */
static void hash_order(const uint32_t *hv, size_t n, size_t *order)
{
	size_t cap = hm_cap(n);
	/* (bucket, index) pairs sorted by bucket; each index is below 2^16
	 * when n <= 64, so one integer per pair is enough. */
	if (n <= 64) {
		uint64_t key[64];
		for (size_t i = 0; i < n; i++) {
			uint64_t k = ((uint64_t)hm_bucket(hv[i], cap) << 16) | i;
			size_t j = i;
			while (j > 0 && key[j - 1] > k) {
				key[j] = key[j - 1];
				j--;
			}
			key[j] = k;
		}
		for (size_t i = 0; i < n; i++)
			order[i] = (size_t)(key[i] & 0xFFFF);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t b = hm_bucket(hv[i], cap), j = i;
		while (j > 0 && hm_bucket(hv[order[j - 1]], cap) > b) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}

void fm_java_hashmap_order(const char *const *keys, size_t n, size_t *order)
{
	uint32_t small[64] = {0};
	uint32_t *hv = n <= 64 ? small : malloc(n * sizeof(*hv));
	if (hv) {
		for (size_t i = 0; i < n; i++)
			hv[i] = (uint32_t)java_string_hash(keys[i]);
		hash_order(hv, n, order);
		if (hv != small)
			free(hv);
		return;
	}
	/* no memory for the hashes: recompute them as the sort needs them */
	size_t cap = hm_cap(n);
	for (size_t i = 0; i < n; i++) {
		size_t b = hm_bucket((uint32_t)java_string_hash(keys[i]), cap), j = i;
		while (j > 0 && hm_bucket((uint32_t)java_string_hash(keys[order[j - 1]]), cap) > b) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}

/* ---- TM spec: cpu, slots, external resources ----------------------------- */

typedef struct ext_res {
	char **names;
	int64_t *amounts;
	size_t n;
} ext_res;

static void ext_release(ext_res *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->names[i]);
	free(x->names);
	free(x->amounts);
	*x = (ext_res){0};
}

/* Double.toString of the cores as the dynamic config carries them. */
static void cpu_string(const fm_profile *p, double cores, char *out)
{
	/* Whole numbers of cores (the slot count, "2", "4.0"): Double.toString
	 * writes "<n>.0" below 10^7, and rounding to 8 decimals keeps them. */
	if (cores >= 1 && cores < 1e7 && cores == (double)(int64_t)cores) {
		memcpy(put_i64(out, (int64_t)cores), ".0", 3);
		return;
	}
	if (!p->cpu_round8) {
		fm_java_double_to_string(cores, out);
		return;
	}
	/* BigDecimal.valueOf(cores).setScale(8, DOWN).doubleValue(). */
	uint64_t digits;
	int e10, neg;
	fm_java_double_decimal(cores, &digits, &e10, &neg);
	char buf[64];
	if (e10 < -8) {
		int drop = -8 - e10;
		u128 p10 = 1;
		for (int i = 0; i < drop && i < 38; i++)
			p10 *= 10;
		uint64_t kept = drop >= 38 ? 0 : (uint64_t)(digits / p10);
		snprintf(buf, sizeof(buf), "%s%llue-8", neg ? "-" : "", (unsigned long long)kept);
	} else {
		snprintf(buf, sizeof(buf), "%s%llue%d", neg ? "-" : "", (unsigned long long)digits, e10);
	}
	double v = strtod(buf, NULL);
	fm_java_double_to_string(v, out);
}

static int tm_cpu(dx *d, double *cores)
{
	double c;
	fm_option o = fm_option_get(d->p, FM_O_TM_CPU);
	bool ovr;
	const fm_entry *e = raw(d, FM_O_TM_CPU, &ovr);
	if (e) {
		if (e->type == FM_V_FLOAT) {
			c = e->num;
		} else {
			int rc = fm_java_parse_double(e->text, e->text_len, &c);
			if (rc != 0) {
				if (rc == FM_JAVA_NFE_EMPTY)
					throw_(d, FM_JCLS_NFE, "empty String");
				else
					nfe_input(d, e->text);
				return parse_fail(d, e, o.key);
			}
		}
	} else {
		int32_t slots;
		if (get_int(d, FM_O_TM_SLOTS, &slots))
			return -1;
		c = slots;
	}
	if (c <= 0)
		return throw_(d, FM_JCLS_ICE,
			      "TaskExecutors need to be started with a positive number of CPU cores. Please "
			      "configure %s accordingly.",
			      o.key);
	if (isnan(c) || isinf(c))
		return throw_(d, FM_JCLS_NFE,
			      "Character %c is neither a decimal digit number, decimal point, nor \"e\" notation "
			      "exponential mark.",
			      isnan(c) ? 'N' : 'I');
	*cores = c;
	return 0;
}

static int ext_add(dx *d, ext_res *x, const char *name, size_t len, int64_t amount)
{
	char **nn = realloc(x->names, (x->n + 1) * sizeof(*nn));
	if (!nn)
		goto oom;
	x->names = nn;
	int64_t *na = realloc(x->amounts, (x->n + 1) * sizeof(*na));
	if (!na)
		goto oom;
	x->amounts = na;
	x->names[x->n] = strndup(name, len);
	if (!x->names[x->n])
		goto oom;
	x->amounts[x->n++] = amount;
	return 0;
oom:
	d->oom = true;
	return -1;
}

/* ExternalResourceUtils.getExternalResourceAmountMap. */
static int tm_external(dx *d, ext_res *x)
{
	const fm_entry *e = find_key(d, &opt_info_of(FM_O_EXT_RESOURCES)->k);
	if (!e || strcmp(e->text, "none") == 0)
		return 0;
	/* Distinct names (a HashSet), iterated in hash order. */
	ext_res names = {0};
	const char *s = e->text;
	/* A YAML sequence arrives as "[a, b]": its items are the names. */
	const char *sep = ";";
	size_t seplen = 1;
	char *inner = NULL;
	if (e->type == FM_V_LIST && e->text_len >= 2) {
		inner = strndup(e->text + 1, e->text_len - 2);
		if (!inner) {
			d->oom = true;
			return -1;
		}
		s = inner;
		sep = ", ";
		seplen = 2;
	}
	while (*s) {
		const char *semi = strstr(s, sep);
		size_t len = semi ? (size_t)(semi - s) : strlen(s);
		const char *t = s;
		size_t tl = len;
		fm_java_trim(&t, &tl);
		bool dup = false;
		for (size_t i = 0; i < names.n; i++)
			if (strlen(names.names[i]) == tl && memcmp(names.names[i], t, tl) == 0)
				dup = true;
		if (tl && !dup && ext_add(d, &names, t, tl, 0)) {
			ext_release(&names);
			free(inner);
			return -1;
		}
		s += len + (semi ? seplen : 0);
	}
	free(inner);
	size_t *ord = calloc(names.n ? names.n : 1, sizeof(*ord));
	if (!ord) {
		ext_release(&names);
		d->oom = true;
		return -1;
	}
	fm_java_hashmap_order((const char *const *)names.names, names.n, ord);
	int rc = 0;
	for (size_t k = 0; k < names.n && rc == 0; k++) {
		const char *name = names.names[ord[k]];
		char *key = NULL;
		if (asprintf(&key, "external-resource.%s.amount", name) < 0) {
			d->oom = true;
			rc = -1;
			break;
		}
		const fm_entry *ae = fm_conf_find(d->conf, key);
		if (!ae) {
			logf_(d, "WARN", "The amount of the %s should be configured. Will ignore that resource.", name);
		} else {
			int64_t v;
			if (!java_parse_long(ae->text, INT64_MIN, INT64_MAX, &v)) {
				nfe_input(d, ae->text);
				rc = parse_fail(d, ae, key);
			} else if (v <= 0) {
				logf_(d, "WARN",
					    "The amount of the %lld should be positive while finding %s. Will ignore that resource.",
					    (long long)v, name);
			} else {
				rc = ext_add(d, x, name, strlen(name), v);
			}
		}
		free(key);
	}
	free(ord);
	ext_release(&names);
	return rc;
}

/* ---- strings ------------------------------------------------------------- */

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *jvm_args(dx *d, int64_t heap, bool direct, int64_t direct_bytes, int64_t meta)
{
	char *s = malloc(160);
	if (!s) {
		d->oom = true;
		return NULL;
	}
	char *h = put_str(s, "-Xmx");
	char *p = put_i64(h, heap);
	size_t hl = (size_t)(p - h);
	p = put_str(p, " -Xms");
	memcpy(p, h, hl); /* the same digits again */
	p += hl;
	if (direct)
		p = put_i64(put_str(p, " -XX:MaxDirectMemorySize="), direct_bytes);
	p = put_i64(put_str(p, " -XX:MaxMetaspaceSize="), meta);
	*p = '\0';
	return s;
}

#define MAX_DYN 64

/* The dynamic configs being collected: keys with their Java hashes (the
 * constant keys' from DYN_HASH), values as text or as numbers, which
 * dyn_string writes straight into the result (no printf, no copy). */
typedef struct kv {
	const char *k[MAX_DYN];
	unsigned char id[MAX_DYN]; /* enum dyn_key, DK_COUNT for a key built here */
	unsigned char num_kind[MAX_DYN]; /* 0 text v, 1 number, 2 number + "b" */
	uint32_t h[MAX_DYN];
	const char *v[MAX_DYN];
	int64_t num[MAX_DYN];
	size_t kl[MAX_DYN], vl[MAX_DYN];
	char *owned[MAX_DYN + 1]; /* keys and the list text to free */
	size_t n, nowned;
} kv;

/* the most a number takes in dyn_string: 20 characters and the "b" */
#define NUM_MAX 21

/* Adds k = v; owned_k (a key built for this derivation) is taken over. */
static void kv_add(kv *m, unsigned id, const char *k, size_t kl, uint32_t h, char *owned_k, const char *v,
		   size_t vl)
{
	if (owned_k)
		m->owned[m->nowned++] = owned_k;
	if (m->n == MAX_DYN)
		return;
	m->id[m->n] = (unsigned char)id;
	m->num_kind[m->n] = 0;
	m->k[m->n] = k;
	m->kl[m->n] = kl;
	m->h[m->n] = h;
	m->vl[m->n] = vl;
	m->v[m->n++] = v;
}

static void kv_str(kv *m, enum dyn_key k, const char *v)
{
	kv_add(m, k, DYN_KEYS[k], DYN_LEN[k], DYN_HASH[k], NULL, v, strlen(v));
}

/* k = "<v>b" (with_b) or "<v>". */
static void kv_num(kv *m, unsigned id, const char *k, size_t kl, uint32_t h, char *owned_k, int64_t v, bool with_b)
{
	if (m->n == MAX_DYN) {
		kv_add(m, id, k, kl, h, owned_k, NULL, 0);
		return;
	}
	size_t i = m->n;
	kv_add(m, id, k, kl, h, owned_k, NULL, 0);
	m->num[i] = v;
	m->num_kind[i] = with_b ? 2 : 1;
}

static void kv_bytes(kv *m, enum dyn_key k, int64_t v)
{
	kv_num(m, k, DYN_KEYS[k], DYN_LEN[k], DYN_HASH[k], NULL, v, true);
}

/* k = the previous entry's value (min and max of one size). */
static void kv_same(kv *m, enum dyn_key k)
{
	if (m->n == 0 || m->n == MAX_DYN)
		return;
	size_t i = m->n;
	kv_add(m, k, DYN_KEYS[k], DYN_LEN[k], DYN_HASH[k], NULL, m->v[i - 1], m->vl[i - 1]);
	m->num[i] = m->num[i - 1];
	m->num_kind[i] = m->num_kind[i - 1];
}

static void kv_release(kv *m)
{
	for (size_t i = 0; i < m->nowned; i++)
		free(m->owned[i]);
	m->n = m->nowned = 0;
}

/* "-D k=v" joined in HashMap order ("-D k=v " each, in 1.10-1.11). */
/* The precomputed HashMap order of m's key sequence, or NULL. */
static const size_t *known_order(const kv *m)
{
	for (int v = 0; v < DYN_NSEQ; v++)
		if (DYN_SEQ[v].n == m->n && memcmp(DYN_SEQ[v].id, m->id, m->n) == 0)
			return DYN_SEQ[v].ord;
	return NULL;
}

static char *dyn_string(dx *d, const kv *m)
{
	size_t sorted[MAX_DYN];
	const size_t *kl = m->kl, *vl = m->vl;
	size_t n = m->n;
	const size_t *ord = known_order(m);
	if (!ord) {
		hash_order(m->h, n, sorted);
		ord = sorted;
	}
	/* + a prefix's width: prefixes are copied whole (a fixed-size copy
	 * the compiler inlines) and overwritten past their end */
	size_t total = 1 + sizeof DYN_PFX[0];
	for (size_t i = 0; i < n; i++)
		total += kl[i] + (m->num_kind[i] ? NUM_MAX : vl[i]) + 5;
	char *s = malloc(total);
	if (!s) {
		d->oom = true;
		return NULL;
	}
	char *p = s;
	bool trailing = d->p->tm_dyn_trailing_space;
	for (size_t i = 0; i < n; i++) {
		size_t o = ord[i];
		if (i && !trailing)
			*p++ = ' ';
		unsigned id = m->id[o];
		if (id < DK_COUNT && DYN_PLEN[id]) {
			memcpy(p, DYN_PFX[id], sizeof DYN_PFX[id]);
			p += DYN_PLEN[id];
		} else {
			memcpy(p, "-D ", 3);
			p += 3;
			memcpy(p, m->k[o], kl[o]);
			p += kl[o];
			*p++ = '=';
		}
		if (m->num_kind[o]) {
			p = put_i64(p, m->num[o]);
			if (m->num_kind[o] == 2)
				*p++ = 'b';
		} else {
			memcpy(p, m->v[o], vl[o]);
			p += vl[o];
		}
		if (trailing)
			*p++ = ' ';
	}
	*p = '\0';
	return s;
}

static char *tm_dynamic(dx *d, const tm_flink *f, const meta_ovh *mo, const char *cpu, int32_t slots,
			const ext_res *x)
{
	kv m;
	m.n = m.nowned = 0; /* the arrays are filled as n grows */
	const fm_profile *p = d->p;
	kv_str(&m, DK_CPU, cpu);
	kv_bytes(&m, DK_FW_HEAP, f->fw_heap);
	kv_bytes(&m, DK_FW_OFF, f->fw_off);
	kv_bytes(&m, DK_TASK_HEAP, f->task_heap);
	kv_bytes(&m, DK_TASK_OFF, f->task_off);
	kv_bytes(&m, DK_NET_MIN, f->network);
	kv_same(&m, DK_NET_MAX);
	kv_bytes(&m, DK_MANAGED, f->managed);
	if (p->dyn_jvm_keys) {
		kv_bytes(&m, DK_TM_META, mo->metaspace);
		kv_bytes(&m, DK_TM_OVH_MIN, mo->overhead);
		kv_same(&m, DK_TM_OVH_MAX);
	}
	if (p->dyn_slots_ext) {
		kv_num(&m, DK_SLOTS, DYN_KEYS[DK_SLOTS], DYN_LEN[DK_SLOTS], DYN_HASH[DK_SLOTS], NULL, slots, false);
		if (x->n) {
			fm_buf list = FM_BUF_INIT;
			const char *q = p->ext_quoted ? "\"" : "";
			if (fm_buf_adds(&list, q))
				d->oom = true;
			for (size_t i = 0; i < x->n; i++)
				if ((i && fm_buf_addc(&list, ';')) || fm_buf_adds(&list, x->names[i]))
					d->oom = true;
			if (fm_buf_adds(&list, q))
				d->oom = true;
			char *lt = list.data ? list.data : strdup("");
			if (!lt)
				d->oom = true;
			m.owned[m.nowned++] = lt;
			kv_str(&m, DK_EXT, lt ? lt : "");
			for (size_t i = 0; i < x->n; i++) {
				char *k = NULL;
				if (asprintf(&k, "external-resource.%s.amount", x->names[i]) < 0) {
					d->oom = true;
					continue;
				}
				kv_num(&m, DK_COUNT, k, strlen(k), (uint32_t)java_string_hash(k), k, x->amounts[i], false);
			}
		} else {
			kv_str(&m, DK_EXT, "none");
		}
	}
	char *s = dyn_string(d, &m);
	kv_release(&m);
	return s;
}

/* ---- entry points ---------------------------------------------------------- */

static int finish(dx *d, fm_jchain *err, enum fm_outcome *outcome, int failed)
{
	if (d->oom) {
		fm_jchain_release(&d->err);
		return FM_ENOMEM;
	}
	if (failed) {
		*outcome = FM_FLINK_ERROR;
		*err = d->err;
		d->err = (fm_jchain){0};
	} else {
		*outcome = FM_DERIVED;
	}
	return FM_OK;
}

/* Wraps a pending IllegalConfigurationException with a prefix, as Flink's
 * catch (IllegalConfigurationException e) blocks do. */
static int wrap_ice(dx *d, const char *prefix)
{
	if (strcmp(top_cls(d), FM_JCLS_ICE) != 0)
		return -1;
	char *msg = strdup(top_msg(d));
	if (!msg) {
		d->oom = true;
		return -1;
	}
	wrap(d, FM_JCLS_ICE, "%s%s", prefix, msg);
	free(msg);
	return -1;
}

static int derive_tm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, bool strings,
		     fm_tm_result *out)
{
	*out = (fm_tm_result){0};
	pthread_once(&tables_once, tables_init);
	dx d = {.conf = c, .p = p, .pi = profile_index(p), .logs = strings ? &out->logs : NULL};
	memo_init(&d);
	int failed = 0;
	tm_flink f;
	meta_ovh mo = {0};
	int64_t flink = 0;
	double cores = 0;
	int32_t slots = 1;
	ext_res x = {0};

	if (p->legacy_heap && map_legacy_heap(&d, true, env) != 0) {
		if (p->wrap_errors)
			wrap_ice(&d, "TaskManager failed to map legacy JVM heap option to the new one: ");
		failed = 1;
	} else if (tm_process(&d, &f, &mo, &flink) || tm_cpu(&d, &cores) ||
		   (p->dyn_slots_ext && get_int(&d, FM_O_TM_SLOTS, &slots)) ||
		   (p->dyn_slots_ext && tm_external(&d, &x))) {
		if (p->wrap_errors)
			wrap_ice(&d, "TaskManager memory configuration failed: ");
		failed = 1;
	}
	if (!failed && !d.oom) {
		fm_tm_layout *l = &out->l;
		l->framework_heap = f.fw_heap;
		l->task_heap = f.task_heap;
		l->framework_off_heap = f.fw_off;
		l->task_off_heap = f.task_off;
		l->network = f.network;
		l->managed = f.managed;
		l->total_flink = flink;
		l->metaspace = mo.metaspace;
		l->overhead = mo.overhead;
		l->total_process = flink + mo.metaspace + mo.overhead;
		l->jvm_heap = f.fw_heap + f.task_heap;
		l->jvm_direct = f.fw_off + f.task_off + f.network;
		cpu_string(p, cores, l->cpu_cores);
		l->num_slots = slots;
		l->has_num_slots = p->dyn_slots_ext;
		if (strings) {
			l->jvm_args = jvm_args(&d, l->jvm_heap, true, l->jvm_direct, l->metaspace);
			l->dynamic_configs = tm_dynamic(&d, &f, &mo, l->cpu_cores, slots, &x);
		}
	}
	ext_release(&x);
	int rc = finish(&d, &out->err, &out->outcome, failed);
	if (rc != FM_OK)
		fm_tm_result_release(out);
	return rc;
}

int fm_derive_tm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_tm_result *out)
{
	return derive_tm(c, p, env, true, out);
}

int fm_derive_tm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_tm_result *out)
{
	return derive_tm(c, p, env, false, out);
}

/* ---- JobManager (JobManagerFlinkMemoryUtils) ----------------------------- */

typedef struct jm_flink {
	int64_t heap, off;
} jm_flink;

static void verify_jm_heap(dx *d, int64_t heap)
{
	if (heap < (INT64_C(128) << 20))
		logf_(d, "WARN",
			    "The configured or derived JVM heap memory size (%s) is less than its recommended "
			    "minimum value (%s)",
			    H(heap).s, H(INT64_C(128) << 20).s);
}

static int jm_from_fine_grained(dx *d, jm_flink *j)
{
	int64_t heap, off;
	if (size_opt(d, FM_O_JM_HEAP, &heap) || size_opt(d, FM_O_JM_OFFHEAP, &off))
		return -1;
	if (contains(d, FM_O_JM_FLINK)) {
		int64_t flink;
		if (size_opt(d, FM_O_JM_FLINK, &flink))
			return -1;
		if (contains(d, FM_O_JM_OFFHEAP)) {
			int64_t used_off = d->p->jm_flink_offheap_bug ? flink : off, sum;
			if (add(d, heap, used_off, &sum))
				return -1;
			if (sum != flink)
				return throw_(d, FM_JCLS_ICE,
					      "Sum of the configured JVM Heap Memory (%s) and the configured Off-heap "
					      "Memory (%s) does not match the configured Total Flink Memory (%s). Please, "
					      "make the configuration consistent or configure only one option: either JVM "
					      "Heap or Total Flink Memory.",
					      H(heap).s, H(used_off).s, H(flink).s);
		} else {
			if (heap > flink)
				return throw_(d, FM_JCLS_ICE,
					      "The configured JVM Heap Memory (%s) exceeds the configured Total Flink "
					      "Memory (%s). Please, make the configuration consistent or configure only one "
					      "option: either JVM Heap or Total Flink Memory.",
					      H(heap).s, H(flink).s);
			int64_t derived;
			if (sub(d, flink, heap, &derived))
				return -1;
			if (derived != off)
				logf_(d, "INFO",
					    "The Off-Heap Memory size (%s) is derived the configured Total Flink Memory "
					    "size (%s) minus the configured JVM Heap Memory size (%s). The default Off-Heap "
					    "Memory size (%s) is ignored.",
					    H(derived).s, H(flink).s, H(heap).s, H(off).s);
			off = derived;
		}
	}
	verify_jm_heap(d, heap);
	*j = (jm_flink){heap, off};
	return 0;
}

static int jm_from_flink(dx *d, int64_t flink, jm_flink *j)
{
	int64_t off, heap;
	if (size_opt(d, FM_O_JM_OFFHEAP, &off))
		return -1;
	if (flink <= off)
		return throw_(d, FM_JCLS_ICE,
			      "The configured Total Flink Memory (%s) is less than the configured Off-heap Memory (%s).",
			      H(flink).s, H(off).s);
	if (sub(d, flink, off, &heap))
		return -1;
	verify_jm_heap(d, heap);
	*j = (jm_flink){heap, off};
	return 0;
}

static int jm_process(dx *d, jm_flink *j, meta_ovh *mo, int64_t *flink_out)
{
	const side *s = &JM_SIDE;
	if (contains(d, FM_O_JM_HEAP)) {
		int64_t flink;
		if (jm_from_fine_grained(d, j) || add(d, j->heap, j->off, &flink) ||
		    meta_ovh_from_flink(d, s, flink, mo))
			return -1;
		*flink_out = flink;
		return 0;
	}
	if (contains(d, s->flink)) {
		int64_t flink;
		if (size_opt(d, s->flink, &flink) || jm_from_flink(d, flink, j) ||
		    meta_ovh_from_flink(d, s, flink, mo))
			return -1;
		*flink_out = flink;
		return 0;
	}
	if (contains(d, s->process)) {
		int64_t process, mo_total, flink;
		if (size_opt(d, s->process, &process) || meta_ovh_from_process(d, s, process, mo) ||
		    add(d, mo->metaspace, mo->overhead, &mo_total) || sub(d, process, mo_total, &flink) ||
		    jm_from_flink(d, flink, j))
			return -1;
		*flink_out = flink;
		return 0;
	}
	return fail_not_configured(d, s, "jobmanager.memory.heap.size");
}

static int derive_jm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, bool strings,
		     fm_jm_result *out)
{
	*out = (fm_jm_result){0};
	if (!p->has_jm) {
		out->outcome = FM_UNSUPPORTED;
		out->unsupported = "Flink before 1.11 does not compute the JobManager memory: jobmanager.sh "
				   "passes jobmanager.heap.size (or jobmanager.heap.mb, FLINK_JM_HEAP) to the JVM "
				   "as -Xms/-Xmx";
		return FM_OK;
	}
	pthread_once(&tables_once, tables_init);
	dx d = {.conf = c, .p = p, .pi = profile_index(p), .logs = strings ? &out->logs : NULL};
	memo_init(&d);
	int failed = 0;
	jm_flink j = {0};
	meta_ovh mo = {0};
	int64_t flink = 0;
	bool direct = false;
	if ((p->legacy_heap && map_legacy_heap(&d, false, env)) || jm_process(&d, &j, &mo, &flink)) {
		if (p->jm_wrap_errors)
			wrap_ice(&d, "JobManager memory configuration failed: ");
		failed = 1;
	} else if (get_bool(&d, FM_O_JM_DIRECT_LIMIT, &direct)) {
		failed = 1;
	}
	if (!failed && !d.oom) {
		fm_jm_layout *l = &out->l;
		l->jvm_heap = j.heap;
		l->off_heap = j.off;
		l->total_flink = flink;
		l->metaspace = mo.metaspace;
		l->overhead = mo.overhead;
		l->total_process = flink + mo.metaspace + mo.overhead;
		l->direct_limit = direct;
		if (strings)
			l->jvm_args = jvm_args(&d, j.heap, direct, j.off, mo.metaspace);
		if (strings && p->jm_dynamic) {
			kv m;
			m.n = m.nowned = 0;
			kv_bytes(&m, DK_JM_HEAP, j.heap);
			kv_bytes(&m, DK_JM_OFF, j.off);
			kv_bytes(&m, DK_JM_META, mo.metaspace);
			kv_bytes(&m, DK_JM_OVH_MIN, mo.overhead);
			kv_same(&m, DK_JM_OVH_MAX);
			l->dynamic_configs = dyn_string(&d, &m);
			kv_release(&m);
		}
	}
	int rc = finish(&d, &out->err, &out->outcome, failed);
	if (rc != FM_OK)
		fm_jm_result_release(out);
	return rc;
}

int fm_derive_jm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_jm_result *out)
{
	return derive_jm(c, p, env, true, out);
}

int fm_derive_jm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_jm_result *out)
{
	return derive_jm(c, p, env, false, out);
}

void fm_tm_result_release(fm_tm_result *r)
{
	if (!r)
		return;
	free(r->l.jvm_args);
	free(r->l.dynamic_configs);
	fm_jchain_release(&r->err);
	fm_logs_release(&r->logs);
	*r = (fm_tm_result){0};
}

void fm_jm_result_release(fm_jm_result *r)
{
	if (!r)
		return;
	free(r->l.jvm_args);
	free(r->l.dynamic_configs);
	fm_jchain_release(&r->err);
	fm_logs_release(&r->logs);
	*r = (fm_jm_result){0};
}

bool fm_derive_overhead_out_of_range(const fm_jchain *err, int64_t *derived, int64_t *min, int64_t *max)
{
	for (size_t i = 0; i < err->n; i++) {
		const char *m = err->v[i].msg ? strstr(err->v[i].msg, "Derived JVM Overhead size (") : NULL;
		int64_t b[3];
		int k = 0;
		/* the three "(N bytes)" the message prints, in order */
		for (const char *q = m; q && k < 3 && (q = strstr(q, " bytes)")) != NULL; q++) {
			const char *d = q;
			while (d > m && d[-1] >= '0' && d[-1] <= '9')
				d--;
			int64_t v = 0;
			for (const char *e = d; e < q && v < (INT64_C(1) << 55); e++)
				v = v * 10 + (*e - '0');
			b[k++] = v;
		}
		if (k == 3) {
			*derived = b[0];
			*min = b[1];
			*max = b[2];
			return true;
		}
	}
	return false;
}
