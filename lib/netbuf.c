/* netbuf — network buffer demand vs supply; see include/flinkmem/netbuf.h.
 *
 * Where each rule comes from (Flink source, the stored copies read while
 * writing this; "required" is what NetworkBufferPool checks when a buffer
 * pool is created — the "Insufficient number of network buffers: required
 * X" failure — so demand here always means required buffers):
 *
 *  - Supply = floor(network bytes / segment size): NettyShuffleEnvironment-
 *    Configuration.calculateNumberOfNetworkBuffers (same in every release);
 *    segment size taskmanager.memory.segment-size, default 32kb.
 *  - The check itself: NetworkBufferPool.internalCreateBufferPool and
 *    tryRedistributeBuffers, apache/flink 012b8936e119d1bfadadee3182cf86d25c6dd019.
 *  - 2.x input gate: InputGateSpecUtils.createGateBuffersSpec at apache/flink
 *    012b8936: expected = min(T, C*bpc + 1), min (required) = expected, or 2
 *    for hybrid with tiered storage; T = read-buffer.required-per-gate.max,
 *    unset: Integer.MAX_VALUE for pipelined and legacy hybrid, 1000 otherwise.
 *    Exclusive buffers come out of the gate's own pool (BufferManager).
 *  - 2.x result partition: NettyShuffleUtils.getMinMaxNetworkBuffersPer-
 *    ResultPartition at apache/flink 012b8936: sort-shuffle (blocking and
 *    S >= min-parallelism) requires sort-shuffle.min-buffers, otherwise
 *    S + 1; hybrid requires min(8, that) (DEFAULT_HYBRID_SHUFFLE_MIN_BUFFERS).
 *  - 2.x constants: NettyShuffleEnvironmentConfiguration.fromConfiguration
 *    (2.x copy): buffersPerChannel 2, extraBuffersPerGate 8, max buffers per
 *    channel 10, overdraft 20, sort-shuffle min-parallelism 1; still read:
 *    sort-shuffle.min-buffers (512) and read-buffer.required-per-gate.max.
 *  - 1.17-1.20 input gate: InputGateSpecUtils at lukoou3/flink-release-1.20
 *    256ab9f181c8877a70f9cfb462f64eb09de16b67: required per gate as in 2.x,
 *    split into exclusive (remote channels only, from the global pool) and
 *    required floating buffers; the threshold is new in 1.17 (1.17 release
 *    notes). 1.20 result partition: NettyShuffleUtils at WangS-C/flink-1.20
 *    5e65dc8e369596ef3f3c7780f6fe287abc778a13 (no hybrid minimum of 8 yet).
 *  - 1.19 option defaults: NettyShuffleEnvironmentOptions at
 *    maoxingda/flink-1.19-source 919f5777e9e82c9fc6047842f6bb8857029ace0e:
 *    buffers-per-channel 2, floating-buffers-per-gate 8, sort-shuffle
 *    min-buffers 512, min-parallelism 1, max-buffers-per-channel 10,
 *    max-overdraft-buffers-per-gate 5, hybrid-shuffle.enable-new-mode true.
 *  - 1.12-1.16 input gate: SingleInputGateFactory at coderblack/flink-
 *    release-1.14.5-comment 6c91f903c5287bc3718ab9793df9dda14590a256 and
 *    BoYiZhang/flink-1.12.2 b00740d39829ea65baead1c39747eef607819d98: a
 *    floating pool of min 1, max floating-buffers-per-gate, plus
 *    buffers-per-channel exclusive buffers for every remote channel
 *    (RemoteInputChannel, requested from the global pool).
 *  - 1.12-1.14 result partition: ResultPartitionFactory at BoYiZhang/
 *    flink-1.12.2 846a58bb1117b3013698bb4c60ad636fe62fcd97 and NettyShuffle-
 *    Utils at coderblack 1.14.5: sort-shuffle min-buffers (default 64, min-
 *    parallelism Integer.MAX_VALUE, i.e. hash shuffle), else S + 1. From 1.15
 *    (FLIP-199) the defaults are 512 and 1.
 *  - 1.11: ResultPartitionFactory at ChestnutQiang/flink-1.11.2-with-comments
 *    e0872ab321fbd2580ec6f1440ca80737406e3fa7: S + 1, no sort-shuffle; gate
 *    floating pool min 0. 1.10: partition pool min S (1.10-era
 *    ResultPartitionFactory), gate floating min 0.
 */
#include "flinkmem/netbuf.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/health.h"
#include "flinkmem/memsize.h"
#include "flinkmem/render.h"

#define MIB (INT64_C(1) << 20)

/* ---- saturating arithmetic (demand can be made absurd by config) ------- */

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return a / b + (a % b != 0);
}

const char *fm_nb_kind_name(fm_nb_kind k)
{
	switch (k) {
	case FM_NB_PIPELINED: return "pipelined";
	case FM_NB_BLOCKING: return "blocking";
	case FM_NB_HYBRID: return "hybrid";
	}
	return "?";
}

const char *fm_nb_era_name(fm_nb_era e)
{
	switch (e) {
	case FM_NB_ERA_110: return "1.10 rules (partition S, gate floating min 0)";
	case FM_NB_ERA_111: return "1.11 rules (partition S+1, gate floating min 0)";
	case FM_NB_ERA_112: return "1.12-1.16 rules (exclusive per remote channel + 1 floating)";
	case FM_NB_ERA_117: return "1.17-1.20 rules (required per gate = min(T, C*bpc+1))";
	case FM_NB_ERA_2X: return "2.x rules (fixed per-channel constants)";
	}
	return "?";
}

/* ---- JSON positions ----------------------------------------------------
 * jansson keeps no positions for values, so a semantic error is located by
 * walking the (already validated) text along the same path. */

typedef struct step {
	const char *key; /* object member, or NULL for an array index */
	size_t idx;
} step;

static void ws(const char *t, size_t n, size_t *i)
{
	while (*i < n && (t[*i] == ' ' || t[*i] == '\t' || t[*i] == '\n' || t[*i] == '\r'))
		(*i)++;
}

static void skip_str(const char *t, size_t n, size_t *i)
{
	(*i)++; /* opening quote */
	while (*i < n && t[*i] != '"') {
		if (t[*i] == '\\')
			(*i)++;
		(*i)++;
	}
	if (*i < n)
		(*i)++;
}

/* Skips one value without recursion (depth counting). */
static void skip_val(const char *t, size_t n, size_t *i)
{
	if (*i >= n)
		return;
	if (t[*i] == '"') {
		skip_str(t, n, i);
		return;
	}
	if (t[*i] == '{' || t[*i] == '[') {
		size_t depth = 0;
		while (*i < n) {
			char ch = t[*i];
			if (ch == '"') {
				skip_str(t, n, i);
				continue;
			}
			if (ch == '{' || ch == '[')
				depth++;
			else if (ch == '}' || ch == ']') {
				if (--depth == 0) {
					(*i)++;
					return;
				}
			}
			(*i)++;
		}
		return;
	}
	while (*i < n && !strchr(",}] \t\r\n", t[*i]))
		(*i)++;
}

/* Offset of the value at path (or of the deepest container found). */
static size_t locate(const char *t, size_t n, const step *path, size_t np)
{
	size_t i = 0;
	ws(t, n, &i);
	for (size_t s = 0; s < np; s++) {
		size_t here = i;
		bool found = false;
		if (i >= n)
			return here;
		if (path[s].key && t[i] == '{') {
			size_t kl = strlen(path[s].key);
			i++;
			for (;;) {
				ws(t, n, &i);
				if (i >= n || t[i] != '"')
					break;
				size_t ks = i + 1;
				skip_str(t, n, &i);
				bool match = i >= ks + 1 && i - 1 - ks == kl && memcmp(t + ks, path[s].key, kl) == 0;
				ws(t, n, &i);
				if (i < n && t[i] == ':')
					i++;
				ws(t, n, &i);
				if (match) {
					found = true;
					break;
				}
				skip_val(t, n, &i);
				ws(t, n, &i);
				if (i < n && t[i] == ',')
					i++;
			}
		} else if (!path[s].key && t[i] == '[') {
			i++;
			for (size_t k = 0;; k++) {
				ws(t, n, &i);
				if (i >= n || t[i] == ']')
					break;
				if (k == path[s].idx) {
					found = true;
					break;
				}
				skip_val(t, n, &i);
				ws(t, n, &i);
				if (i < n && t[i] == ',')
					i++;
			}
		}
		if (!found)
			return here;
	}
	return i;
}

/* 1-based line and column (columns count UTF-8 characters, as jansson does). */
static void line_col(const char *t, size_t n, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1, c = 1;
	for (size_t i = 0; i < off && i < n; i++) {
		if (t[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)t[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

typedef struct reader {
	const char *t;
	size_t n;
	const char *file;
	fm_diag *d;
	step path[6];
	size_t np;
} reader;

static int rerr(reader *r, int code, const char *key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int rerr(reader *r, int code, const char *key, const char *fmt, ...)
{
	uint32_t line, col;
	line_col(r->t, r->n, locate(r->t, r->n, r->path, r->np), &line, &col);
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int ok = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (ok < 0)
		return fm_diag_set(r->d, FM_ENOMEM, r->file, line, col, key, "out of memory");
	int rc = fm_diag_set(r->d, code, r->file, line, col, key, "%s", msg);
	free(msg);
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

void fm_job_plan_release(fm_job_plan *jp)
{
	if (!jp)
		return;
	for (size_t i = 0; i < jp->nv; i++) {
		free(jp->v[i].id);
		free(jp->v[i].name);
	}
	free(jp->v);
	free(jp->e);
	free(jp->name);
	*jp = (fm_job_plan){0};
}

static int cmp_idx_by_id(const void *a, const void *b, void *ctx)
{
	const fm_job_plan *jp = ctx;
	return strcmp(jp->v[*(const size_t *)a].id, jp->v[*(const size_t *)b].id);
}

typedef struct id_index {
	const fm_job_plan *jp;
	size_t *order; /* vertex indexes sorted by id */
} id_index;

static long find_id(const id_index *ix, const char *id)
{
	size_t lo = 0, hi = ix->jp->nv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->jp->v[ix->order[mid]].id, id);
		if (!c)
			return (long)ix->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Reads an integer parallelism at the current path. */
static int get_parallelism(reader *r, json_t *node, const char *key, int32_t *out)
{
	json_t *p = json_object_get(node, key);
	r->path[r->np++] = (step){key, 0};
	int rc = FM_OK;
	if (!p) {
		r->np--;
		rc = rerr(r, FM_EINVAL, key, "vertex has no \"%s\"", key);
		return rc;
	}
	if (!json_is_integer(p)) {
		rc = rerr(r, FM_EINVAL, key, "\"%s\" must be an integer", key);
	} else {
		json_int_t v = json_integer_value(p);
		if (v == -1)
			rc = rerr(r, FM_EINVAL, key,
				  "parallelism -1 is decided at runtime (adaptive batch scheduler): write the parallelism into the plan");
		else if (v < 1 || v > FM_NB_MAX_PARALLELISM)
			rc = rerr(r, FM_EINVAL, key, "parallelism %lld is outside 1..%d", (long long)v, FM_NB_MAX_PARALLELISM);
		else
			*out = (int32_t)v;
	}
	r->np--;
	return rc;
}

static int get_string(reader *r, json_t *obj, const char *key, bool required, const char **out)
{
	json_t *s = json_object_get(obj, key);
	*out = NULL;
	if (!s) {
		if (required)
			return rerr(r, FM_EINVAL, key, "missing \"%s\"", key);
		return FM_OK;
	}
	if (!json_is_string(s)) {
		r->path[r->np++] = (step){key, 0};
		int rc = rerr(r, FM_EINVAL, key, "\"%s\" must be a string", key);
		r->np--;
		return rc;
	}
	*out = json_string_value(s);
	return FM_OK;
}

/* The id of a vertex or an edge end as a string (numbers accepted). */
static int get_id(reader *r, json_t *obj, const char *key, char **out)
{
	const char *s = NULL;
	json_t *num = json_object_get(obj, key);
	int rc = json_is_integer(num) ? FM_OK : get_string(r, obj, key, true, &s);
	if (rc)
		return rc;
	if (s) {
		*out = strdup(s);
	} else {
		json_t *v = json_object_get(obj, key);
		if (asprintf(out, "%lld", (long long)json_integer_value(v)) < 0)
			*out = NULL;
	}
	return *out ? FM_OK : FM_ENOMEM;
}

static int parse_kind(reader *r, const char *s, const char *key, fm_nb_kind *k)
{
	/* REST plans: ResultPartitionType name in lower case; stream graph
	 * plans: StreamExchangeMode (PIPELINED, BATCH, UNDEFINED, HYBRID_*). */
	static const struct {
		const char *name;
		fm_nb_kind kind;
	} map[] = {
		{"pipelined", FM_NB_PIPELINED}, {"pipelined_bounded", FM_NB_PIPELINED},
		{"pipelined_approximate", FM_NB_PIPELINED}, {"undefined", FM_NB_PIPELINED},
		{"blocking", FM_NB_BLOCKING}, {"blocking_persistent", FM_NB_BLOCKING}, {"batch", FM_NB_BLOCKING},
		{"hybrid", FM_NB_HYBRID}, {"hybrid_full", FM_NB_HYBRID}, {"hybrid_selective", FM_NB_HYBRID},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcasecmp(s, map[i].name)) {
			*k = map[i].kind;
			return FM_OK;
		}
	r->path[r->np++] = (step){key, 0};
	int rc = rerr(r, FM_EINVAL, key, "unknown exchange '%s' (pipelined, pipelined_bounded, blocking, hybrid_full, "
					 "hybrid_selective, batch)", s);
	r->np--;
	return rc;
}

/* POINTWISE partitioners (FORWARD, RESCALE and the forward variants);
 * every other one is ALL_TO_ALL in the job graph. */
static bool strategy_all_to_all(const char *s)
{
	if (!s)
		return true;
	return !(strncasecmp(s, "FORWARD", 7) == 0 || strcasecmp(s, "RESCALE") == 0);
}

static int add_vertex(fm_job_plan *jp, char *id, const char *name, int32_t par)
{
	char *nm = strdup(name ? name : id);
	if (!nm) {
		free(id);
		return FM_ENOMEM;
	}
	jp->v[jp->nv++] = (fm_nb_vertex){id, nm, par};
	return FM_OK;
}

static int build_index(fm_job_plan *jp, reader *r, const char *array_key, id_index *ix)
{
	ix->jp = jp;
	ix->order = malloc((jp->nv ? jp->nv : 1) * sizeof(size_t));
	if (!ix->order)
		return FM_ENOMEM;
	for (size_t i = 0; i < jp->nv; i++)
		ix->order[i] = i;
	qsort_r(ix->order, jp->nv, sizeof(size_t), cmp_idx_by_id, jp);
	for (size_t i = 1; i < jp->nv; i++)
		if (!strcmp(jp->v[ix->order[i]].id, jp->v[ix->order[i - 1]].id)) {
			size_t later = ix->order[i] > ix->order[i - 1] ? ix->order[i] : ix->order[i - 1];
			r->path[r->np++] = (step){array_key, 0};
			r->path[r->np++] = (step){NULL, later};
			r->path[r->np++] = (step){"id", 0};
			int rc = rerr(r, FM_EINVAL, "id", "duplicate vertex id '%s'", jp->v[later].id);
			r->np -= 3;
			free(ix->order);
			ix->order = NULL;
			return rc;
		}
	return FM_OK;
}

static int push_edge(fm_job_plan *jp, size_t *cap, fm_nb_edge e, reader *r)
{
	if (jp->ne == FM_NB_MAX_EDGES)
		return rerr(r, FM_ETOOBIG, NULL, "more than %d edges", FM_NB_MAX_EDGES);
	if (jp->ne == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		fm_nb_edge *ne = realloc(jp->e, nc * sizeof(*ne));
		if (!ne)
			return FM_ENOMEM;
		jp->e = ne;
		*cap = nc;
	}
	jp->e[jp->ne++] = e;
	return FM_OK;
}

static int read_rest(reader *r, json_t *plan, fm_job_plan *jp)
{
	json_t *nodes = json_object_get(plan, "nodes");
	if (!json_is_array(nodes)) {
		r->path[r->np++] = (step){"nodes", 0};
		int rc = rerr(r, FM_EINVAL, "nodes", "\"nodes\" must be an array of job vertices");
		r->np--;
		return rc;
	}
	const char *jname = NULL;
	json_t *n = json_object_get(plan, "name");
	if (json_is_string(n))
		jname = json_string_value(n);
	if (jname && !(jp->name = strdup(jname)))
		return FM_ENOMEM;
	size_t nn = json_array_size(nodes);
	if (nn > FM_NB_MAX_VERTICES)
		return rerr(r, FM_ETOOBIG, "nodes", "more than %d job vertices", FM_NB_MAX_VERTICES);
	jp->v = calloc(nn ? nn : 1, sizeof(*jp->v));
	if (!jp->v)
		return FM_ENOMEM;
	r->path[r->np++] = (step){"nodes", 0};
	int rc = FM_OK;
	for (size_t i = 0; i < nn && !rc; i++) {
		json_t *node = json_array_get(nodes, i);
		r->path[r->np++] = (step){NULL, i};
		if (!json_is_object(node)) {
			rc = rerr(r, FM_EINVAL, "nodes", "a job vertex must be an object");
		} else {
			char *id = NULL;
			const char *op = NULL, *desc = NULL;
			int32_t par = 0;
			if (!(rc = get_id(r, node, "id", &id)) && !(rc = get_parallelism(r, node, "parallelism", &par)) &&
			    !(rc = get_string(r, node, "operator", false, &op)) &&
			    !(rc = get_string(r, node, "description", false, &desc)))
				rc = add_vertex(jp, id, op && *op ? op : desc, par);
			else
				free(id);
		}
		r->np--;
	}
	if (rc)
		return rc;
	id_index ix;
	r->np--;
	if ((rc = build_index(jp, r, "nodes", &ix)))
		return rc;
	r->path[r->np++] = (step){"nodes", 0};
	size_t cap = 0;
	for (size_t i = 0; i < nn && !rc; i++) {
		json_t *node = json_array_get(nodes, i);
		json_t *inputs = json_object_get(node, "inputs");
		r->path[r->np++] = (step){NULL, i};
		if (inputs && !json_is_array(inputs)) {
			r->path[r->np++] = (step){"inputs", 0};
			rc = rerr(r, FM_EINVAL, "inputs", "\"inputs\" must be an array");
			r->np--;
		}
		r->path[r->np++] = (step){"inputs", 0};
		for (size_t k = 0; !rc && inputs && k < json_array_size(inputs); k++) {
			json_t *in = json_array_get(inputs, k);
			r->path[r->np++] = (step){NULL, k};
			char *from = NULL;
			const char *ship = NULL, *ex = NULL;
			fm_nb_kind kind = FM_NB_PIPELINED;
			if (!json_is_object(in))
				rc = rerr(r, FM_EINVAL, "inputs", "an input must be an object");
			else if (!(rc = get_id(r, in, "id", &from)) && !(rc = get_string(r, in, "ship_strategy", false, &ship)) &&
				 !(rc = get_string(r, in, "exchange", false, &ex)) && !(ex && (rc = parse_kind(r, ex, "exchange", &kind)))) {
				long u = find_id(&ix, from);
				if (u < 0) {
					r->path[r->np++] = (step){"id", 0};
					rc = rerr(r, FM_EINVAL, "id", "input refers to unknown vertex '%s'", from);
					r->np--;
				} else {
					rc = push_edge(jp, &cap, (fm_nb_edge){(size_t)u, i, kind, strategy_all_to_all(ship)}, r);
				}
			}
			free(from);
			r->np--;
		}
		r->np -= 2;
	}
	r->np--;
	free(ix.order);
	return rc;
}

static int read_small(reader *r, json_t *root, fm_job_plan *jp)
{
	json_t *vs = json_object_get(root, "vertices"), *es = json_object_get(root, "edges");
	if (!json_is_array(vs)) {
		r->path[r->np++] = (step){"vertices", 0};
		int rc = rerr(r, FM_EINVAL, "vertices", "\"vertices\" must be an array");
		r->np--;
		return rc;
	}
	if (es && !json_is_array(es)) {
		r->path[r->np++] = (step){"edges", 0};
		int rc = rerr(r, FM_EINVAL, "edges", "\"edges\" must be an array");
		r->np--;
		return rc;
	}
	json_t *n = json_object_get(root, "name");
	if (json_is_string(n) && !(jp->name = strdup(json_string_value(n))))
		return FM_ENOMEM;
	size_t nn = json_array_size(vs);
	if (nn > FM_NB_MAX_VERTICES)
		return rerr(r, FM_ETOOBIG, "vertices", "more than %d vertices", FM_NB_MAX_VERTICES);
	jp->v = calloc(nn ? nn : 1, sizeof(*jp->v));
	if (!jp->v)
		return FM_ENOMEM;
	int rc = FM_OK;
	r->path[r->np++] = (step){"vertices", 0};
	for (size_t i = 0; i < nn && !rc; i++) {
		json_t *v = json_array_get(vs, i);
		r->path[r->np++] = (step){NULL, i};
		if (!json_is_object(v)) {
			rc = rerr(r, FM_EINVAL, "vertices", "a vertex must be an object");
		} else {
			char *id = NULL;
			const char *name = NULL;
			int32_t par = 0;
			if (!(rc = get_id(r, v, "id", &id)) && !(rc = get_parallelism(r, v, "parallelism", &par)) &&
			    !(rc = get_string(r, v, "name", false, &name)))
				rc = add_vertex(jp, id, name, par);
			else
				free(id);
		}
		r->np--;
	}
	r->np--;
	if (rc)
		return rc;
	id_index ix;
	if ((rc = build_index(jp, r, "vertices", &ix)))
		return rc;
	size_t cap = 0;
	r->path[r->np++] = (step){"edges", 0};
	for (size_t i = 0; !rc && es && i < json_array_size(es); i++) {
		json_t *e = json_array_get(es, i);
		r->path[r->np++] = (step){NULL, i};
		char *from = NULL, *to = NULL;
		const char *kind = NULL, *pattern = NULL;
		fm_nb_kind k = FM_NB_PIPELINED;
		if (!json_is_object(e)) {
			rc = rerr(r, FM_EINVAL, "edges", "an edge must be an object");
		} else if (!(rc = get_id(r, e, "from", &from)) && !(rc = get_id(r, e, "to", &to)) &&
			   !(rc = get_string(r, e, "kind", false, &kind)) && !(rc = get_string(r, e, "pattern", false, &pattern)) &&
			   !(kind && (rc = parse_kind(r, kind, "kind", &k)))) {
			bool a2a = true;
			if (pattern) {
				if (!strcmp(pattern, "pointwise"))
					a2a = false;
				else if (strcmp(pattern, "all-to-all")) {
					r->path[r->np++] = (step){"pattern", 0};
					rc = rerr(r, FM_EINVAL, "pattern", "unknown pattern '%s' (all-to-all, pointwise)", pattern);
					r->np--;
				}
			}
			long u = find_id(&ix, from), w = find_id(&ix, to);
			if (!rc && (u < 0 || w < 0)) {
				const char *which = u < 0 ? "from" : "to";
				r->path[r->np++] = (step){which, 0};
				rc = rerr(r, FM_EINVAL, which, "edge refers to unknown vertex '%s'", u < 0 ? from : to);
				r->np--;
			}
			if (!rc)
				rc = push_edge(jp, &cap, (fm_nb_edge){(size_t)u, (size_t)w, k, a2a}, r);
		}
		free(from);
		free(to);
		r->np--;
	}
	r->np--;
	free(ix.order);
	return rc;
}

int fm_job_plan_parse(const char *data, size_t len, const char *file, fm_job_plan *out, fm_diag *d)
{
	*out = (fm_job_plan){0};
	reader r = {data, len, file, d, {{0}}, 0};
	if (len > FM_NB_MAX_INPUT)
		return fm_diag_set(d, FM_ETOOBIG, file, 0, 0, NULL, "job plan larger than %zu bytes", FM_NB_MAX_INPUT);
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fm_diag_set(d, FM_ESYNTAX, file, je.line > 0 ? (uint32_t)je.line : 0,
				   je.column > 0 ? (uint32_t)je.column : 0, NULL, "not valid JSON: %s", je.text);
	int rc;
	if (!json_is_object(root)) {
		rc = rerr(&r, FM_EINVAL, NULL, "a job plan is a JSON object (Flink's REST plan or {\"vertices\":[...],\"edges\":[...]})");
	} else {
		json_t *plan = json_object_get(root, "plan");
		if (json_is_object(plan)) {
			/* REST response {"plan": {...}} */
			r.path[r.np++] = (step){"plan", 0};
			rc = read_rest(&r, plan, out);
			out->rest_format = true;
		} else if (json_object_get(root, "nodes")) {
			rc = read_rest(&r, root, out);
			out->rest_format = true;
		} else if (json_object_get(root, "vertices")) {
			rc = read_small(&r, root, out);
		} else {
			rc = rerr(&r, FM_EINVAL, NULL,
				  "not a job plan: expected \"nodes\" (Flink REST /jobs/:id/plan) or \"vertices\" (docs/job-plan.md)");
		}
	}
	json_decref(root);
	if (rc == FM_ENOMEM && d && !d->msg)
		fm_diag_set(d, FM_ENOMEM, file, 0, 0, NULL, "out of memory");
	if (rc)
		fm_job_plan_release(out);
	return rc;
}

int fm_job_plan_synthetic(int32_t parallelism, int32_t edges, fm_nb_kind kind, fm_job_plan *out)
{
	*out = (fm_job_plan){0};
	if (parallelism < 1 || parallelism > FM_NB_MAX_PARALLELISM || edges < 0 || edges >= FM_NB_MAX_VERTICES)
		return FM_EINVAL;
	size_t nv = (size_t)edges + 1;
	out->v = calloc(nv, sizeof(*out->v));
	out->e = calloc(edges ? (size_t)edges : 1, sizeof(*out->e));
	if (!out->v || !out->e)
		goto oom;
	for (size_t i = 0; i < nv; i++) {
		char *id;
		if (asprintf(&id, "v%zu", i + 1) < 0)
			goto oom;
		if (add_vertex(out, id, NULL, parallelism))
			goto oom;
	}
	for (size_t i = 0; i < (size_t)edges; i++)
		out->e[out->ne++] = (fm_nb_edge){i, i + 1, kind, true};
	return FM_OK;
oom:
	fm_job_plan_release(out);
	return FM_ENOMEM;
}

/* ---- rules ------------------------------------------------------------- */

/* A config int the way Flink converts it (trimmed decimal, Integer range). */
static int conf_int(const fm_conf *c, const char *key, int32_t lo, int32_t *out, fm_diag *d)
{
	const fm_entry *e = fm_conf_find(c, key);
	if (!e)
		return FM_OK;
	const char *s = e->text;
	size_t n = e->text_len;
	fm_java_trim(&s, &n);
	char *end = NULL;
	char buf[32];
	long long v = 0;
	bool ok = n > 0 && n < sizeof buf;
	if (ok) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		errno = 0;
		v = strtoll(buf, &end, 10);
		ok = errno == 0 && end && *end == '\0' && v >= INT32_MIN && v <= INT32_MAX;
	}
	if (!ok)
		return fm_diag_set(d, FM_EINVAL, e->at.file, e->at.line, e->at.col, key,
				   "Could not parse value '%s' for key '%s'.", e->text, key);
	if (v < lo)
		return fm_diag_set(d, FM_EINVAL, e->at.file, e->at.line, e->at.col, key, "'%s' must be at least %d, got %lld",
				   key, (int)lo, v);
	*out = (int32_t)v;
	return FM_OK;
}

int fm_nb_rules_for(const fm_conf *c, const fm_profile *p, fm_nb_rules *r, fm_diag *d)
{
	*r = (fm_nb_rules){0};
	int o = p->order;
	r->era = o >= 2000 ? FM_NB_ERA_2X : o >= 1170 ? FM_NB_ERA_117 : o >= 1120 ? FM_NB_ERA_112 : o >= 1110 ? FM_NB_ERA_111
													: FM_NB_ERA_110;
	r->buffers_per_channel = 2;
	r->floating_per_gate = 8;
	r->sort_min_buffers = o >= 1150 ? 512 : 64;
	r->sort_min_parallelism = o >= 1150 ? 1 : INT32_MAX;
	r->hybrid_exists = o >= 1160;
	r->hybrid_tiered = o >= 1190;
	r->segment = 32768;
	const fm_entry *seg = fm_conf_find(c, "taskmanager.memory.segment-size");
	if (seg) {
		fm_jexc je = {0};
		int64_t b = 0;
		if (fm_size_parse(seg->text, seg->text_len, &b, &je) != 0 || b <= 0 || b > INT32_MAX) {
			int rc = fm_diag_set(d, FM_EINVAL, seg->at.file, seg->at.line, seg->at.col, "taskmanager.memory.segment-size",
					     "bad segment size '%s': %s", seg->text, je.msg ? je.msg : "must be 1 byte to 2 GiB");
			fm_jexc_release(&je);
			return rc;
		}
		r->segment = b;
	}
	int rc;
	if (r->era != FM_NB_ERA_2X) {
		/* 1.x reads these; 2.x hard-codes them (removed options) */
		if ((rc = conf_int(c, "taskmanager.network.memory.buffers-per-channel", 0, &r->buffers_per_channel, d)) ||
		    (rc = conf_int(c, "taskmanager.network.memory.floating-buffers-per-gate", 0, &r->floating_per_gate, d)))
			return rc;
		if (r->era >= FM_NB_ERA_112 &&
		    (rc = conf_int(c, "taskmanager.network.sort-shuffle.min-parallelism", 1, &r->sort_min_parallelism, d)))
			return rc;
		const fm_entry *nm = fm_conf_find(c, "taskmanager.network.hybrid-shuffle.enable-new-mode");
		if (nm && r->hybrid_tiered)
			r->hybrid_tiered = strcasecmp(nm->text, "false") != 0;
	}
	if (r->era >= FM_NB_ERA_112 &&
	    (rc = conf_int(c, "taskmanager.network.sort-shuffle.min-buffers", 1, &r->sort_min_buffers, d)))
		return rc;
	if (r->era >= FM_NB_ERA_117 &&
	    (rc = conf_int(c, "taskmanager.network.memory.read-buffer.required-per-gate.max", 1, &r->required_per_gate_max, d)))
		return rc;
	return FM_OK;
}

/* Before 1.16 there is no hybrid shuffle: such an edge is counted as blocking. */
static fm_nb_kind effective_kind(const fm_nb_rules *r, fm_nb_kind k)
{
	return k == FM_NB_HYBRID && !r->hybrid_exists ? FM_NB_BLOCKING : k;
}

int64_t fm_nb_gate_required(const fm_nb_rules *r, fm_nb_kind kind, int64_t channels, bool local)
{
	kind = effective_kind(r, kind);
	int64_t bpc = r->buffers_per_channel;
	if (r->era <= FM_NB_ERA_112) {
		/* floating pool min (0 before 1.12, 1 after) + exclusive per remote channel */
		int64_t floating_min = r->era == FM_NB_ERA_112 ? 1 : 0;
		return sat_add(local ? 0 : sat_mul(channels, bpc), floating_min);
	}
	bool tiered_hybrid = kind == FM_NB_HYBRID && r->hybrid_tiered;
	int64_t threshold = r->required_per_gate_max > 0 ? r->required_per_gate_max
			   : (kind == FM_NB_PIPELINED || (kind == FM_NB_HYBRID && !tiered_hybrid)) ? INT32_MAX : 1000;
	int64_t target = sat_add(sat_mul(channels, bpc), 1);
	int64_t required = target < threshold ? target : threshold;
	if (r->era == FM_NB_ERA_2X)
		return tiered_hybrid ? 2 : required; /* exclusive buffers come out of this pool */
	if (local) {
		/* 1.17-1.20: the exclusive share is requested by remote channels only */
		int64_t excl = (required - 1) / channels;
		if (excl > bpc)
			excl = bpc;
		return required - excl * channels;
	}
	return required;
}

int64_t fm_nb_partition_required(const fm_nb_rules *r, fm_nb_kind kind, int64_t s)
{
	kind = effective_kind(r, kind);
	int64_t base = r->era == FM_NB_ERA_110 ? s : sat_add(s, 1);
	if (kind == FM_NB_BLOCKING && r->era >= FM_NB_ERA_112 && s >= r->sort_min_parallelism)
		return r->sort_min_buffers;
	if (kind == FM_NB_HYBRID && r->era == FM_NB_ERA_2X)
		return base < 8 ? base : 8;
	return base;
}

/* ---- demand ------------------------------------------------------------ */

void fm_nb_demand_release(fm_nb_demand *d)
{
	if (!d)
		return;
	free(d->v);
	*d = (fm_nb_demand){0};
}

typedef struct rank {
	int64_t per_subtask;
	int64_t count; /* vertex index */
} rank;

static int cmp_rank_desc(const void *a, const void *b)
{
	const rank *x = a, *y = b;
	return x->per_subtask < y->per_subtask ? 1 : x->per_subtask > y->per_subtask ? -1 : 0;
}

int fm_nb_demand_compute(const fm_job_plan *jp, const fm_nb_rules *r, int32_t slots, bool slot_sharing, fm_nb_demand *out)
{
	*out = (fm_nb_demand){0};
	if (slots < 1)
		return FM_EINVAL;
	out->slots = slots;
	out->slot_sharing = slot_sharing;
	out->nv = jp->nv;
	out->v = calloc(jp->nv ? jp->nv : 1, sizeof(*out->v));
	if (!out->v)
		return FM_ENOMEM;
	/* How many TaskManagers the job spreads over decides whether any
	 * channel can be remote. */
	int64_t maxp = 0, sump = 0;
	for (size_t i = 0; i < jp->nv; i++) {
		if (jp->v[i].parallelism > maxp)
			maxp = jp->v[i].parallelism;
		sump += jp->v[i].parallelism;
	}
	out->taskmanagers = jp->nv ? ceil_div(slot_sharing ? maxp : sump, slots) : 0;
	out->local_only = out->taskmanagers <= 1;
	for (size_t i = 0; i < jp->ne; i++) {
		const fm_nb_edge *e = &jp->e[i];
		int64_t pu = jp->v[e->from].parallelism, pv = jp->v[e->to].parallelism;
		int64_t subs, chans;
		if (e->all_to_all) {
			subs = pv;
			chans = pu;
		} else {
			subs = pv >= pu ? ceil_div(pv, pu) : 1;
			chans = pu >= pv ? ceil_div(pu, pv) : 1;
		}
		out->v[e->from].outputs = sat_add(out->v[e->from].outputs, fm_nb_partition_required(r, e->kind, subs));
		out->v[e->to].inputs = sat_add(out->v[e->to].inputs, fm_nb_gate_required(r, e->kind, chans, out->local_only));
	}
	if (slot_sharing) {
		for (size_t i = 0; i < jp->nv; i++) {
			int64_t on = jp->v[i].parallelism < slots ? jp->v[i].parallelism : slots;
			out->v[i].on_tm = on;
			out->per_tm = sat_add(out->per_tm, sat_mul(on, sat_add(out->v[i].inputs, out->v[i].outputs)));
		}
		return FM_OK;
	}
	/* Without sharing each slot runs one subtask: the worst TaskManager
	 * holds the `slots` most demanding ones. */
	rank *rk = malloc((jp->nv ? jp->nv : 1) * sizeof(*rk));
	if (!rk) {
		fm_nb_demand_release(out);
		return FM_ENOMEM;
	}
	for (size_t i = 0; i < jp->nv; i++)
		rk[i] = (rank){sat_add(out->v[i].inputs, out->v[i].outputs), (int64_t)i};
	qsort(rk, jp->nv, sizeof(*rk), cmp_rank_desc);
	int64_t left = slots;
	for (size_t i = 0; i < jp->nv && left > 0; i++) {
		size_t vi = (size_t)rk[i].count;
		int64_t take = jp->v[vi].parallelism < left ? jp->v[vi].parallelism : left;
		out->v[vi].on_tm = take;
		out->per_tm = sat_add(out->per_tm, sat_mul(take, rk[i].per_subtask));
		left -= take;
	}
	free(rk);
	return FM_OK;
}

int64_t fm_nb_supply(const fm_tm_layout *l, int64_t segment)
{
	return segment > 0 && l->network >= 0 ? l->network / segment : 0;
}

/* ---- solver ------------------------------------------------------------ */

/* A change list under construction (keys static, values owned). */
typedef struct kv {
	const char *k[10]; /* at most 7 keys are ever changed together */
	char *v[10];
	size_t n;
} kv;

static int kv_set(kv *x, const char *k, const char *v)
{
	return fm_kv_put(x->k, x->v, &x->n, sizeof x->k / sizeof x->k[0], k, v);
}

/* Forgets a change (the original value applies again). */
static void kv_unset(kv *x, const char *k)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->k[i], k)) {
			free(x->v[i]);
			x->k[i] = x->k[x->n - 1];
			x->v[i] = x->v[x->n - 1];
			x->n--;
			return;
		}
}

static void kv_release(kv *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	x->n = 0;
}

/* Derives c + changes; returns the supply, -1 when Flink rejects it, -2 on ENOMEM. */
static int64_t try_supply(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const kv *x, int64_t seg,
			  int64_t *total_flink, int64_t *task_heap)
{
	fm_conf *t = fm_conf_dup(c);
	if (!t)
		return -2;
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (size_t i = 0; i < x->n; i++) {
		if (x->v[i] ? fm_conf_set_str(t, x->k[i], x->v[i], &at) != FM_OK : (fm_conf_remove(t, x->k[i]), false)) {
			fm_conf_free(t);
			return -2;
		}
	}
	fm_tm_result tr;
	if (fm_derive_tm(t, p, env, &tr) != FM_OK) {
		fm_conf_free(t);
		return -2;
	}
	int64_t s = -1;
	if (tr.outcome == FM_DERIVED) {
		s = fm_nb_supply(&tr.l, seg);
		if (total_flink)
			*total_flink = tr.l.total_flink;
		if (task_heap)
			*task_heap = tr.l.task_heap;
	}
	fm_tm_result_release(&tr);
	fm_conf_free(t);
	return s;
}

/* The configured network max in bytes; INT64_MAX when unbounded. */
static int64_t configured_max(const fm_conf *c, const fm_profile *p)
{
	const char *keys[] = {"taskmanager.memory.network.max", "taskmanager.network.memory.max"};
	for (size_t i = 0; i < 2; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		if (e) {
			int64_t b;
			fm_jexc je = {0};
			int rc = fm_size_parse(e->text, e->text_len, &b, &je);
			fm_jexc_release(&je);
			if (rc == 0)
				return b;
		}
	}
	return p->network_max_1g ? (INT64_C(1) << 30) : INT64_MAX;
}

static int kv_copy(kv *dst, const kv *src)
{
	int rc = FM_OK;
	for (size_t i = 0; !rc && i < src->n; i++)
		rc = kv_set(dst, src->k[i], src->v[i]);
	return rc;
}

static const char *kv_get(const kv *x, const fm_conf *c, const char *key, bool *present)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->k[i], key)) {
			*present = x->v[i] != NULL;
			return x->v[i];
		}
	const fm_entry *e = fm_conf_find(c, key);
	*present = e != NULL;
	return e ? e->text : NULL;
}

static int64_t size_of(const char *text)
{
	int64_t b = -1;
	fm_jexc je = {0};
	if (!text || fm_size_parse(text, strlen(text), &b, &je) != 0)
		b = -1;
	fm_jexc_release(&je);
	return b;
}

/* Total Flink memory and metaspace of x without its process size (the
 * fine-grained keys alone decide them). -1 rejected, -2 ENOMEM. */
static int64_t flink_of(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const kv *x, int64_t *meta)
{
	kv probe = {0};
	if (kv_copy(&probe, x) || kv_set(&probe, "taskmanager.memory.process.size", NULL) ||
	    kv_set(&probe, "taskmanager.memory.flink.size", NULL)) {
		kv_release(&probe);
		return -2;
	}
	fm_conf *t = fm_conf_dup(c);
	if (!t) {
		kv_release(&probe);
		return -2;
	}
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	int rc = FM_OK;
	for (size_t i = 0; !rc && i < probe.n; i++) {
		if (probe.v[i])
			rc = fm_conf_set_str(t, probe.k[i], probe.v[i], &at);
		else
			fm_conf_remove(t, probe.k[i]);
	}
	kv_release(&probe);
	fm_tm_result tr;
	if (rc || fm_derive_tm(t, p, env, &tr) != FM_OK) {
		fm_conf_free(t);
		return -2;
	}
	fm_conf_free(t);
	int64_t f = -1;
	if (tr.outcome == FM_DERIVED) {
		f = tr.l.total_flink;
		*meta = tr.l.metaspace;
	}
	fm_tm_result_release(&tr);
	return f;
}

/* A fixed task heap with managed memory set is Flink's fine-grained path:
 * total Flink memory is the sum of the parts and, under a pinned process
 * size, JVM overhead is what is left and must stay in its range. Managed
 * memory is the free variable: the largest whole MiB of it that leaves
 * Flink's own overhead for that process size is chosen (binary search; the
 * total grows with managed memory). Sets managed.size in x and returns the
 * supply (-1 no such size or rejected, -2 ENOMEM). */
static int64_t balanced_supply(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, kv *x, int64_t seg,
			       int64_t *tf, int64_t *th)
{
	bool has;
	if (!kv_get(x, c, "taskmanager.memory.task.heap.size", &has) || !has)
		return -1;
	int64_t proc = size_of(kv_get(x, c, "taskmanager.memory.process.size", &has));
	if (!has || proc <= 0)
		return -1;
	/* target: Flink's own overhead for this process size, kept 2 MiB under
	 * the max (the remainder overshoots by up to ~1.12 MiB per MiB step) */
	const char *om = kv_get(x, c, "taskmanager.memory.jvm-overhead.max", &has);
	int64_t ovh_max = size_of(has ? om : fm_option_get(p, FM_O_TM_OVH_MAX).def);
	kv plain = {0};
	int64_t ovh = -1;
	if (kv_copy(&plain, x) || kv_set(&plain, "taskmanager.memory.task.heap.size", NULL) ||
	    kv_set(&plain, "taskmanager.memory.managed.size", NULL)) {
		kv_release(&plain);
		return -2;
	}
	fm_tm_result otr;
	{
		fm_conf *t = fm_conf_dup(c);
		fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
		int rc = t ? FM_OK : FM_ENOMEM;
		for (size_t i = 0; !rc && i < plain.n; i++) {
			if (plain.v[i])
				rc = fm_conf_set_str(t, plain.k[i], plain.v[i], &at);
			else
				fm_conf_remove(t, plain.k[i]);
		}
		kv_release(&plain);
		if (rc || fm_derive_tm(t, p, env, &otr) != FM_OK) {
			fm_conf_free(t);
			return -2;
		}
		fm_conf_free(t);
		if (otr.outcome == FM_DERIVED)
			ovh = otr.l.overhead;
		fm_tm_result_release(&otr);
	}
	if (ovh < 0 || ovh_max < 0)
		return -1;
	if (ovh > ovh_max - 2 * MIB)
		ovh = ovh_max - 2 * MIB;
	int64_t lo = -1, hi = proc / MIB; /* lo: largest good so far */
	int64_t a = 0, b = hi;
	char v[32];
	while (a <= b) {
		int64_t mid = a + (b - a) / 2, meta = 0;
		fm_size_text(v, sizeof v, mid * MIB);
		if (kv_set(x, "taskmanager.memory.managed.size", mid ? v : "0"))
			return -2;
		int64_t f = flink_of(c, p, env, x, &meta);
		if (f == -2)
			return -2;
		if (f >= 0 && proc - f - meta >= ovh) {
			lo = mid;
			a = mid + 1;
		} else {
			b = mid - 1;
		}
	}
	if (lo < 0)
		return -1;
	fm_size_text(v, sizeof v, lo * MIB);
	if (kv_set(x, "taskmanager.memory.managed.size", lo ? v : "0"))
		return -2;
	return try_supply(c, p, env, x, seg, tf, th);
}

/* x + process size (0: as in x) + the original managed size; balanced
 * when Flink rejects a fixed task heap under that size. */
static int64_t eval_candidate(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, kv *x, int64_t process,
			      int64_t net, int64_t seg, int64_t *tf, int64_t *th)
{
	char v[32];
	if (process > 0) {
		fm_size_text(v, sizeof v, process);
		if (kv_set(x, "taskmanager.memory.process.size", v))
			return -2;
	}
	(void)net;
	kv_unset(x, "taskmanager.memory.managed.size");
	int64_t s = try_supply(c, p, env, x, seg, tf, th);
	if (s == -1)
		s = balanced_supply(c, p, env, x, seg, tf, th);
	return s;
}

static int slots_from_conf(const fm_conf *c, int32_t *slots, fm_diag *d)
{
	*slots = 1;
	return conf_int(c, "taskmanager.numberOfTaskSlots", 1, slots, d);
}

/* The fraction alternative: the smallest 3-decimal fraction of total
 * Flink memory that holds the demand, each candidate re-derived. */
static int fraction_alt(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const kv *x, bool pinned,
			int64_t m, int64_t tf, fm_nb_result *out)
{
	kv y = {0};
	int rc = FM_OK;
	char v[32];
	for (size_t i = 0; pinned && i < x->n; i++)
		if (strncmp(x->k[i], "taskmanager.memory.network.", 27) && (rc = kv_set(&y, x->k[i], x->v[i])))
			goto done;
	if (configured_max(c, p) < m) {
		fm_size_text(v, sizeof v, m);
		if ((rc = kv_set(&y, "taskmanager.memory.network.max", v)))
			goto done;
	}
	/* an explicit min above the target would hide the fraction */
	if (fm_conf_has(c, "taskmanager.memory.network.min") && (rc = kv_set(&y, "taskmanager.memory.network.min", NULL)))
		goto done;
	for (int64_t th = ceil_div(sat_mul(m, 1000), tf); th < 1000; th++) {
		char f[24];
		snprintf(f, sizeof f, "0.%03lld", (long long)th);
		if ((rc = kv_set(&y, "taskmanager.memory.network.fraction", f)))
			goto done;
		int64_t s2 = try_supply(c, p, env, &y, out->rules.segment, NULL, NULL);
		if (s2 == -2) {
			rc = FM_ENOMEM;
			goto done;
		}
		if (s2 >= out->demand.per_tm) {
			memcpy(out->fraction, f, sizeof f);
			out->fraction_network = sat_mul(s2, out->rules.segment);
			break;
		}
		if (s2 < 0)
			break;
	}
done:
	kv_release(&y);
	return rc;
}

void fm_nb_result_release(fm_nb_result *r)
{
	if (!r)
		return;
	fm_nb_demand_release(&r->demand);
	fm_plan_release(&r->plan);
	*r = (fm_nb_result){0};
}

/* The bytes a rejected plan's JVM overhead is above its max ("Derived JVM
 * Overhead size (X (N bytes)) is not in configured JVM Overhead range [MIN
 * (A bytes), MAX (B bytes)]": N - B); 0 when its rejection is another. */
static int64_t overhead_excess(const fm_plan *pl)
{
	int64_t n, lo, hi;
	return pl->after_tm.outcome == FM_FLINK_ERROR && fm_derive_overhead_out_of_range(&pl->after_tm.err, &n, &lo, &hi) &&
			       n > hi
		       ? n - hi
		       : 0;
}

int fm_nb_solve(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_job_plan *jp, int32_t slots,
		bool slot_sharing, int64_t container_bytes, fm_nb_result *out, fm_diag *d)
{
	*out = (fm_nb_result){0};
	out->supply_before = out->supply_after = -1;
	int rc = fm_nb_rules_for(c, p, &out->rules, d);
	if (rc)
		return rc;
	if (slots <= 0 && (rc = slots_from_conf(c, &slots, d)))
		return rc;
	if ((rc = fm_nb_demand_compute(jp, &out->rules, slots, slot_sharing, &out->demand)))
		return rc;
	const int64_t seg = out->rules.segment, demand = out->demand.per_tm;
	out->need_bytes = sat_mul(demand, seg);
	kv x = {0};
	char v[32];
	/* Pins: the container is the process size. */
	if (container_bytes > 0) {
		fm_size_text(v, sizeof v, container_bytes);
		if ((rc = kv_set(&x, "taskmanager.memory.process.size", v)))
			goto fail;
		if (fm_conf_has(c, "taskmanager.memory.flink.size") && (rc = kv_set(&x, "taskmanager.memory.flink.size", NULL)))
			goto fail;
	}
	kv none = {0};
	int64_t keep_heap = 0;
	out->supply_before = try_supply(c, p, env, &none, seg, NULL, &keep_heap);
	if (out->supply_before == -2)
		goto oom;
	out->fits_before = out->supply_before >= demand;
	int64_t tf = 0;
	int64_t s = try_supply(c, p, env, &x, seg, &tf, NULL);
	if (s == -2)
		goto oom;
	if (s == -1 && container_bytes > 0) {
		/* the pin alone is rejected (fixed task heap): balance first */
		s = eval_candidate(c, p, env, &x, 0, 0, seg, &tf, NULL);
		if (s == -2)
			goto oom;
	}
	bool enough = s >= 0 && s >= demand;
	int64_t m = 0;
	if (!enough && out->need_bytes < INT64_MAX - MIB) {
		/* the smallest whole MiB holding the demand */
		m = ceil_div(out->need_bytes, MIB) * MIB;
		if (m == 0)
			m = MIB;
		fm_size_text(v, sizeof v, m);
		if ((rc = kv_set(&x, "taskmanager.memory.network.min", v)))
			goto fail;
		if (configured_max(c, p) < m && (rc = kv_set(&x, "taskmanager.memory.network.max", v)))
			goto fail;
		s = eval_candidate(c, p, env, &x, 0, m, seg, &tf, NULL);
		if (s == -2)
			goto oom;
	}
	if ((rc = fm_plan_whatif(c, p, env, x.k, (const char *const *)x.v, x.n, &out->plan)))
		goto fail;
	out->supply_after = out->plan.after_tm.outcome == FM_DERIVED ? fm_nb_supply(&out->plan.after_tm.l, seg) : -1;
	out->feasible = out->supply_after >= 0 && out->supply_after >= demand && out->plan.feasible;
	out->plan.feasible = out->feasible;
	if (out->feasible && m > 0 && tf > 0 && (rc = fraction_alt(c, p, env, &x, container_bytes > 0, m, tf, out)))
		goto fail;
	int64_t excess = out->feasible || container_bytes <= 0 || m <= 0 ? 0 : overhead_excess(&out->plan);
	if (excess > 0) {
		/* Pinned with the task heap and managed memory fixed, a network of
		 * exactly the demand leaves the JVM overhead the rest, past its
		 * max ("Derived JVM Overhead size ... is not in configured JVM
		 * Overhead range"): the network takes that excess as well */
		kv y = {0};
		for (size_t i = 0; i < x.n && !rc; i++)
			rc = kv_set(&y, x.k[i], x.v[i]);
		fm_size_text(v, sizeof v, ceil_div(sat_add(m, excess), MIB) * MIB);
		if (!rc)
			rc = kv_set(&y, "taskmanager.memory.network.min", v);
		if (!rc)
			rc = kv_set(&y, "taskmanager.memory.network.max", v);
		fm_plan alt = {0};
		if (!rc)
			rc = fm_plan_whatif(c, p, env, y.k, (const char *const *)y.v, y.n, &alt);
		int64_t sa = !rc && alt.after_tm.outcome == FM_DERIVED ? fm_nb_supply(&alt.after_tm.l, seg) : -1;
		if (!rc && sa >= demand && alt.feasible) {
			fm_plan_release(&out->plan);
			out->plan = alt;
			out->supply_after = sa;
			out->feasible = true;
			kv_release(&x);
			x = y;
			y = (kv){0};
		} else {
			fm_plan_release(&alt);
		}
		kv_release(&y);
		if (rc)
			goto fail;
	}
	if (!out->feasible) {
		/* The process size the demand needs with the same network keys
		 * while the task heap keeps its current size: binary search in
		 * MiB, each candidate re-derived. */
		kv z = {0};
		for (size_t i = 0; i < x.n; i++)
			if (strcmp(x.k[i], "taskmanager.memory.process.size") && (rc = kv_set(&z, x.k[i], x.v[i]))) {
				kv_release(&z);
				goto fail;
			}
		if (fm_conf_has(c, "taskmanager.memory.flink.size") && (rc = kv_set(&z, "taskmanager.memory.flink.size", NULL))) {
			kv_release(&z);
			goto fail;
		}
		int64_t lo = 1, hi = INT64_C(1) << 20; /* 1 MiB .. 1 TiB */
		bool any = false;
		while (lo < hi) {
			int64_t mid = lo + (hi - lo) / 2;
			int64_t th = 0;
			int64_t s3 = eval_candidate(c, p, env, &z, mid * MIB, m, seg, NULL, &th);
			if (s3 == -2) {
				kv_release(&z);
				goto oom;
			}
			if (s3 >= demand && th >= keep_heap) {
				hi = mid;
				any = true;
			} else {
				lo = mid + 1;
			}
		}
		if (!any) {
			int64_t th = 0;
			int64_t s3 = eval_candidate(c, p, env, &z, hi * MIB, m, seg, NULL, &th);
			any = s3 >= demand && th >= keep_heap;
		}
		out->container_needed = any ? hi * MIB : -1;
		kv_release(&z);
		if (any && container_bytes <= 0) {
			/* Nothing pinned the size: the plan grows the process to it. */
			if (fm_conf_has(c, "taskmanager.memory.flink.size") &&
			    (rc = kv_set(&x, "taskmanager.memory.flink.size", NULL)))
				goto fail;
			if (eval_candidate(c, p, env, &x, out->container_needed, m, seg, NULL, NULL) == -2)
				goto oom;
			fm_plan_release(&out->plan);
			if ((rc = fm_plan_whatif(c, p, env, x.k, (const char *const *)x.v, x.n, &out->plan)))
				goto fail;
			out->supply_after = out->plan.after_tm.outcome == FM_DERIVED ? fm_nb_supply(&out->plan.after_tm.l, seg) : -1;
			out->feasible = out->supply_after >= demand && out->plan.feasible;
			out->plan.feasible = out->feasible;
			out->grew_process = out->feasible;
		}
	}
	/* The proposal keeps the health floors and passes check: keys it made
	 * redundant go (network.fraction beside equal min and max), an unpinned
	 * size grows to keep the floors, check's own fixes are taken. A pinned
	 * plan that stays under a floor says so. */
	if (out->feasible && out->plan.nchanges) {
		if (fm_plan_heal(&out->plan, c, p, env, container_bytes <= 0))
			goto oom;
		bool healthy = out->plan.feasible;
		out->supply_after = out->plan.after_tm.outcome == FM_DERIVED ? fm_nb_supply(&out->plan.after_tm.l, seg) : -1;
		out->feasible = out->supply_after >= demand;
		out->plan.feasible = out->feasible;
		if (out->grew_process && out->plan.after_tm.outcome == FM_DERIVED)
			out->container_needed = out->plan.after_tm.l.total_process;
		if (!healthy && out->plan.after_tm.outcome == FM_DERIVED) {
			fm_floors fl;
			fm_health_floors(out->plan.after, p, &fl);
			const char *skip[FM_H_COUNT];
			size_t ns = fm_health_user_set(out->plan.after, skip, FM_H_COUNT);
			int64_t have = 0;
			const fm_health_floor *fv = fm_health_violation(&fl, &out->plan.after_tm.l, NULL, skip, ns, &have);
			char **nv = realloc(out->plan.notes, (out->plan.nnotes + 1) * sizeof *nv);
			if (!nv)
				goto oom;
			out->plan.notes = nv;
			if (asprintf(&nv[out->plan.nnotes], "unhealthy at this size: %s is %lld bytes, under its floor of %lld (%s)",
				     fv ? fv->component : "a component", (long long)have, (long long)(fv ? fv->bytes : 0),
				     fv ? fv->why : "see docs/health.md") < 0)
				goto oom;
			out->plan.nnotes++;
		}
	}
	kv_release(&x);
	return FM_OK;
oom:
	rc = FM_ENOMEM;
fail:
	kv_release(&x);
	fm_nb_result_release(out);
	return rc;
}

/* ---- report ------------------------------------------------------------- */

static void json_num_or_null(fm_buf *b, int64_t v, bool present)
{
	if (present)
		fm_json_int(b, v);
	else
		fm_buf_adds(b, "null");
}

static void buffers_text(fm_buf *b, const char *label, int64_t n, int64_t seg)
{
	if (n < 0) {
		fm_buf_addf(b, "  %-28s Flink rejects the config\n", label);
		return;
	}
	char h[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(h, n < INT64_MAX / seg ? n * seg : INT64_MAX);
	fm_buf_addf(b, "  %-28s %lld buffers (%s)\n", label, (long long)n, h);
}

int fm_nb_render(const fm_nb_result *r, const fm_job_plan *jp, const char *source, const fm_profile *p, bool preset,
		 fm_buf *t, fm_buf *j)
{
	const fm_nb_demand *d = &r->demand;
	int64_t seg = r->rules.segment;
	fm_buf_addf(t, "\nNetwork buffers (Flink %s, %s; segment %lld bytes)\n", p->name, fm_nb_era_name(r->rules.era),
		    (long long)seg);
	fm_buf_addf(t, "  job: %s: %zu vertices, %zu network edges; %d slot(s) per TaskManager, slot sharing %s; "
		       "the job spans %lld TaskManager(s)%s\n",
		    source, jp->nv, jp->ne, (int)d->slots, d->slot_sharing ? "on" : "off", (long long)d->taskmanagers,
		    d->local_only ? " (all channels local)" : "");
	fm_buf_addf(t, "  %-32s %11s %8s %9s %9s %10s\n", "vertex", "parallelism", "on TM", "in/task", "out/task", "buffers");
	for (size_t i = 0; i < jp->nv; i++) {
		const fm_nb_vertex_demand *v = &d->v[i];
		if (!v->on_tm)
			continue;
		char nm[33];
		snprintf(nm, sizeof nm, "%s", jp->v[i].name);
		for (char *q = nm; *q; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
		int64_t tot = v->on_tm * (v->inputs + v->outputs);
		fm_buf_addf(t, "  %-32s %11d %8lld %9lld %9lld %10lld\n", nm, (int)jp->v[i].parallelism, (long long)v->on_tm,
			    (long long)v->inputs, (long long)v->outputs, (long long)tot);
	}
	buffers_text(t, "required per TaskManager:", d->per_tm, seg);
	buffers_text(t, preset ? "available with the preset:" : "available before:", r->supply_before, seg);
	buffers_text(t, "available after:", r->supply_after, seg);
	fm_buf_addf(t, "  verdict: %s\n", r->fits_before && r->plan.nchanges == 0
					  ? (preset ? "the demand fits the preset's layout" : "the demand fits as configured")
				  : r->feasible ? "fits with the changes above"
						: "does not fit at this size");
	if (r->fraction[0]) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, r->fraction_network);
		fm_buf_addf(t, "  alternative: taskmanager.memory.network.fraction: %s (network %s), scales with the process size\n",
			    r->fraction, h);
	}
	if (r->grew_process) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, r->container_needed);
		fm_buf_addf(t, "  the process was too small for this network: taskmanager.memory.process.size grows to %s, the "
			       "smallest size that holds it with the task heap kept\n", h);
	}
	if (!r->feasible) {
		if (r->container_needed > 0) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, r->container_needed);
			fm_buf_addf(t, "  impossible at this size: the demand (with the task heap kept) needs a TaskManager process of at least %s "
				       "(taskmanager.memory.process.size: %lldm), or fewer slots / lower parallelism\n",
				    h, (long long)(r->container_needed >> 20));
		} else {
			fm_buf_adds(t, "  impossible: no TaskManager up to 1 TiB holds this demand; lower the parallelism or the "
				       "slots per TaskManager\n");
		}
	}
	/* JSON member */
	fm_buf_adds(j, ",\"networkBuffers\":{\"rules\":");
	fm_json_str(j, fm_nb_era_name(r->rules.era));
	fm_buf_adds(j, ",\"segmentSize\":");
	fm_json_int(j, seg);
	fm_buf_adds(j, ",\"slots\":");
	fm_json_int(j, d->slots);
	fm_buf_addf(j, ",\"slotSharing\":%s,\"taskManagers\":", d->slot_sharing ? "true" : "false");
	fm_json_int(j, d->taskmanagers);
	fm_buf_addf(j, ",\"allChannelsLocal\":%s,\"requiredPerTaskManager\":", d->local_only ? "true" : "false");
	fm_json_int(j, d->per_tm);
	fm_buf_adds(j, ",\"requiredBytes\":");
	fm_json_int(j, r->need_bytes);
	fm_buf_adds(j, ",\"availableBefore\":");
	json_num_or_null(j, r->supply_before, r->supply_before >= 0);
	fm_buf_adds(j, ",\"availableAfter\":");
	json_num_or_null(j, r->supply_after, r->supply_after >= 0);
	fm_buf_addf(j, ",\"fitsBefore\":%s,\"fits\":%s,\"fraction\":", r->fits_before ? "true" : "false",
		    r->feasible ? "true" : "false");
	fm_json_str(j, r->fraction[0] ? r->fraction : NULL);
	fm_buf_adds(j, ",\"fractionNetwork\":");
	json_num_or_null(j, r->fraction_network, r->fraction[0] != '\0');
	fm_buf_adds(j, ",\"processSizeNeeded\":");
	json_num_or_null(j, r->container_needed, r->container_needed > 0);
	fm_buf_addf(j, ",\"processGrown\":%s", r->grew_process ? "true" : "false");
	fm_buf_adds(j, ",\"vertices\":[");
	for (size_t i = 0; i < jp->nv; i++) {
		fm_buf_adds(j, i ? ",{\"id\":" : "{\"id\":");
		fm_json_str(j, jp->v[i].id);
		fm_buf_adds(j, ",\"name\":");
		fm_json_str(j, jp->v[i].name);
		fm_buf_addf(j, ",\"parallelism\":%d,\"onTaskManager\":", (int)jp->v[i].parallelism);
		fm_json_int(j, d->v[i].on_tm);
		fm_buf_adds(j, ",\"inputBuffers\":");
		fm_json_int(j, d->v[i].inputs);
		fm_buf_adds(j, ",\"outputBuffers\":");
		fm_json_int(j, d->v[i].outputs);
		fm_buf_addc(j, '}');
	}
	return fm_buf_adds(j, "]}");
}

