/* logconf — layout recovery from log lines; see include/flinkmem/logconf.h. */
#include "flinkmem/logconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/memsize.h"

enum { TM_PROCESS, TM_FLINK, TM_HEAP, TM_FW_HEAP, TM_TASK_HEAP, TM_OFFHEAP, TM_MANAGED, TM_DIRECT, TM_FW_OFF,
       TM_TASK_OFF, TM_NETWORK, TM_META, TM_OVH, TM_N };
enum { JM_PROCESS, JM_FLINK, JM_HEAP, JM_OFF, JM_META, JM_OVH, JM_N };

static const char *tm_labels[TM_N] = {"Total Process Memory", "Total Flink Memory", "Total JVM Heap Memory",
				      "Framework", "Task", "Total Off-heap Memory", "Managed",
				      "Total JVM Direct Memory", "Framework", "Task", "Network", "JVM Metaspace",
				      "JVM Overhead"};
static const char *jm_labels[JM_N] = {"Total Process Memory", "Total Flink Memory", "JVM Heap", "Off-heap",
				      "JVM Metaspace", "JVM Overhead"};

typedef struct block {
	int64_t v[TM_N];
	int k;            /* next expected item */
	uint64_t last;    /* line of the last item */
	uint64_t start;   /* line of the header, 0 = none open */
	bool done;        /* a complete block was read */
	uint64_t done_line;
} block;

typedef struct rec {
	uint32_t input;
	char *name;
	block tm, jm;
	int64_t xmx_first, xmx_last, direct_first, direct_last, meta_first, meta_last;
	uint64_t flag_line; /* the last JVM-option line read */
	fm_conf *dyn;     /* -D key=value, both sides */
	uint64_t dyn_line;
	fm_conf *loaded;  /* Loading configuration property */
	uint64_t loaded_line;
	int64_t worker[4];/* task heap, task off-heap, network, managed */
	bool has_worker;
	uint64_t worker_line;
	int64_t pod_mib;
	int64_t net_pool, segment;
} rec;

struct fm_logconf {
	rec *r;
	size_t n, cap;
};

fm_logconf *fm_logconf_new(void)
{
	return calloc(1, sizeof(fm_logconf));
}

void fm_logconf_free(fm_logconf *lc)
{
	if (!lc)
		return;
	for (size_t i = 0; i < lc->n; i++) {
		free(lc->r[i].name);
		fm_conf_free(lc->r[i].dyn);
		fm_conf_free(lc->r[i].loaded);
	}
	free(lc->r);
	free(lc);
}

static rec *get_rec(fm_logconf *lc, uint32_t input, const char *name)
{
	for (size_t i = 0; i < lc->n; i++)
		if (lc->r[i].input == input)
			return &lc->r[i];
	if (fm_grow(&lc->r, lc->n, &lc->cap, sizeof *lc->r, 4) != FM_OK)
		return NULL;
	rec *r = &lc->r[lc->n];
	*r = (rec){0};
	r->input = input;
	r->xmx_first = r->xmx_last = r->direct_first = r->direct_last = r->meta_first = r->meta_last = -1;
	r->pod_mib = r->net_pool = r->segment = -1;
	fm_buf nb = FM_BUF_INIT; /* shown in the output: escaped like log text */
	r->name = fm_escape_line(&nb, name ? name : "-", strlen(name ? name : "-"), 4096) ? NULL : fm_buf_detach(&nb, NULL);
	fm_buf_release(&nb);
	r->dyn = fm_conf_new();
	r->loaded = fm_conf_new();
	if (!r->name || !r->dyn || !r->loaded) {
		free(r->name);
		fm_conf_free(r->dyn);
		fm_conf_free(r->loaded);
		return NULL;
	}
	lc->n++;
	return r;
}

/* needle in h[0..n) (lines may hold NUL: no strstr). */
static const char *memfind(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	return m ? memmem(h, n, needle, m) : NULL;
}

static bool dig(char c)
{
	return c >= '0' && c <= '9';
}

int64_t fm_jvm_size(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0;
	if (!n || !dig(s[0]))
		return -1;
	for (; i < n && dig(s[i]); i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	int sh = 0;
	if (i < n) {
		switch (s[i]) {
		case 'k': case 'K': sh = 10; break;
		case 'm': case 'M': sh = 20; break;
		case 'g': case 'G': sh = 30; break;
		case 't': case 'T': sh = 40; break;
		default: sh = -1;
		}
	}
	if (sh > 0) {
		if (v > (INT64_MAX >> sh))
			return -1;
		v <<= sh;
	}
	return v;
}

/* "... (N bytes)" or "0 bytes" after the label's colon. */
static int64_t item_bytes(const char *t, size_t n)
{
	const char *p = memfind(t, n, " bytes)");
	if (p) {
		const char *q = p;
		while (q > t && dig(q[-1]))
			q--;
		return fm_jvm_size(q, (size_t)(p - q));
	}
	if (memfind(t, n, " 0 bytes") || memfind(t, n, ":0 bytes"))
		return 0;
	return -1;
}

/* The label of a block line: text between the logger prefix and the colon
 * before the value, compared against the expected label. */
static bool label_is(const char *t, size_t n, const char *label)
{
	size_t m = strlen(label);
	for (const char *p = memfind(t, n, label); p; p = memfind(p + 1, n - (size_t)(p + 1 - t), label)) {
		/* preceded by whitespace (indentation) and followed by ':' */
		if (p > t && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if ((size_t)(p - t) + m < n && p[m] == ':')
			return true;
	}
	return false;
}

static void block_item(block *b, const char *const *labels, int nl, const char *t, size_t n, uint64_t line)
{
	if (!b->start || b->k >= nl)
		return;
	if (line != b->last + 1) { /* the block is consecutive lines */
		b->start = 0;
		return;
	}
	if (!label_is(t, n, labels[b->k])) {
		b->start = 0;
		return;
	}
	int64_t v = item_bytes(t, n);
	if (v < 0) {
		b->start = 0;
		return;
	}
	b->v[b->k++] = v;
	b->last = line;
	if (b->k == nl) {
		b->done = true;
		b->done_line = b->start;
		b->start = 0;
	}
}

/* All -Xmx / -XX:Max...= flags of a line, in order. */
static void jvm_flags(rec *r, const char *t, size_t n)
{
	static const struct { const char *flag; int which; } f[] = {
		{"-Xmx", 0}, {"-XX:MaxDirectMemorySize=", 1}, {"-XX:MaxMetaspaceSize=", 2}};
	for (size_t i = 0; i < n; i++) {
		if (t[i] != '-' || (i && t[i - 1] != ' ' && t[i - 1] != '\t' && t[i - 1] != '"' && t[i - 1] != '\''))
			continue;
		for (size_t k = 0; k < 3; k++) {
			size_t m = strlen(f[k].flag);
			if (i + m > n || memcmp(t + i, f[k].flag, m))
				continue;
			size_t j = i + m;
			while (j < n && t[j] != ' ' && t[j] != '\t' && t[j] != '"' && t[j] != '\'')
				j++;
			int64_t v = fm_jvm_size(t + i + m, j - i - m);
			if (v < 0)
				continue;
			int64_t *first = f[k].which == 0 ? &r->xmx_first : f[k].which == 1 ? &r->direct_first : &r->meta_first;
			int64_t *last = f[k].which == 0 ? &r->xmx_last : f[k].which == 1 ? &r->direct_last : &r->meta_last;
			if (*first < 0)
				*first = v;
			*last = v;
		}
	}
}

/* key=value pairs "taskmanager.memory.x=..." / "jobmanager.memory.x=..." */
static int dyn_pairs(rec *r, const char *t, size_t n, uint64_t line)
{
	static const char *pre[] = {"taskmanager.memory.", "jobmanager.memory."};
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < 2; k++) {
			size_t m = strlen(pre[k]);
			if (i + m > n || memcmp(t + i, pre[k], m) || (i && t[i - 1] != ' ' && t[i - 1] != '\t' &&
								    t[i - 1] != '"' && t[i - 1] != 'D'))
				continue;
			size_t eq = i + m;
			while (eq < n && t[eq] != '=' && t[eq] != ' ' && t[eq] != ',')
				eq++;
			if (eq >= n || t[eq] != '=')
				continue;
			size_t e = eq + 1;
			while (e < n && t[e] != ' ' && t[e] != '\t' && t[e] != '"' && t[e] != '\'')
				e++;
			if (e == eq + 1)
				continue;
			fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
			if (fm_conf_put(r->dyn, t + i, eq - i, t + eq + 1, e - eq - 1, FM_V_STR, 0, &at))
				return FM_ENOMEM;
			r->dyn_line = line;
			i = e;
		}
	}
	return FM_OK;
}

static int loaded_prop(rec *r, const char *t, size_t n, uint64_t line)
{
	const char *p = memfind(t, n, "configuration property: ");
	if (!p)
		return FM_OK;
	p += strlen("configuration property: ");
	const char *end = t + n;
	const char *comma = memfind(p, (size_t)(end - p), ", ");
	if (!comma)
		return FM_OK;
	const char *v = comma + 2;
	size_t vl = (size_t)(end - v);
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\r'))
		vl--;
	if (!vl || (vl == 6 && !memcmp(v, "******", 6)))
		return FM_OK;
	fm_origin at = {NULL, 0, 0, FM_SRC_FLAT};
	if (fm_conf_put(r->loaded, p, (size_t)(comma - p), v, vl, FM_V_STR, 0, &at))
		return FM_ENOMEM;
	r->loaded_line = line;
	return FM_OK;
}

/* "name=384.000mb (402653174 bytes)" or "name=0 bytes" inside a worker spec */
static int64_t spec_bytes(const char *t, size_t n, const char *name)
{
	const char *p = memfind(t, n, name);
	if (!p)
		return -1;
	p += strlen(name);
	const char *end = memchr(p, ',', (size_t)(t + n - p));
	const char *close = memchr(p, '}', (size_t)(t + n - p));
	if (!end || (close && close < end))
		end = close ? close : t + n;
	return item_bytes(p - 1, (size_t)(end - p + 1));
}

int fm_logconf_feed(fm_logconf *lc, uint32_t input, const char *input_name, const fm_sig *s, const char *text,
		    size_t len, uint64_t line)
{
	rec *r = get_rec(lc, input, input_name);
	if (!r)
		return FM_ENOMEM;
	const char *id = s->id;
	if (!strcmp(id, "LAYOUT_TM_BLOCK")) {
		r->tm.start = r->tm.last = line;
		r->tm.k = 0;
	} else if (!strcmp(id, "LAYOUT_JM_BLOCK")) {
		r->jm.start = r->jm.last = line;
		r->jm.k = 0;
	} else if (!strcmp(id, "LAYOUT_ITEM")) {
		if (r->tm.start)
			block_item(&r->tm, tm_labels, TM_N, text, len, line);
		if (r->jm.start)
			block_item(&r->jm, jm_labels, JM_N, text, len, line);
	} else if (!strcmp(id, "LAYOUT_JVM_FLAG")) {
		/* the start script's own flags are Flink's; JVM Options show what ran */
		if (!memfind(text, len, "jvm_params:")) {
			jvm_flags(r, text, len);
			r->flag_line = line;
		}
	} else if (!strcmp(id, "LAYOUT_DYNAMIC")) {
		return dyn_pairs(r, text, len, line);
	} else if (!strcmp(id, "CFG_LOADED_PROPERTY")) {
		return loaded_prop(r, text, len, line);
	} else if (!strcmp(id, "NET_POOL_ALLOCATED")) {
		const char *p = memfind(text, len, "number of memory segments: ");
		if (p) {
			int64_t num[2];
			if (fm_numbers(p, len - (size_t)(p - text), num, 2) == 2) {
				r->net_pool = num[0] * num[1];
				r->segment = num[1];
			}
		}
	} else if (!strcmp(id, "RM_NEW_WORKER")) {
		r->worker[0] = spec_bytes(text, len, "taskHeapSize=");
		r->worker[1] = spec_bytes(text, len, "taskOffHeapSize=");
		r->worker[2] = spec_bytes(text, len, "networkMemSize=");
		r->worker[3] = spec_bytes(text, len, "managedMemSize=");
		r->has_worker = r->worker[0] >= 0 && r->worker[2] >= 0 && r->worker[3] >= 0;
		r->worker_line = line;
	} else if (!strcmp(id, "K8S_NEW_TM_POD")) {
		const char *p = memfind(text, len, "and resource <");
		if (p) {
			int64_t num[1];
			if (fm_numbers(p, len - (size_t)(p - text), num, 1) == 1)
				r->pod_mib = num[0];
		}
	}
	return FM_OK;
}

/* ---- building the configs ------------------------------------------------- */

static int note(fm_recovered *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(fm_recovered *o, const char *fmt, ...)
{
	char **nv = realloc(o->notes, (o->nnotes + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	o->notes = nv;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&o->notes[o->nnotes], fmt, ap);
	va_end(ap);
	if (r < 0)
		return FM_ENOMEM;
	o->nnotes++;
	return FM_OK;
}

static int put_bytes(fm_conf *c, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lldb", (long long)v);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	return fm_conf_set_str(c, key, buf, &at);
}

static int from_tm_block(const block *b, fm_conf *c)
{
	const int64_t *v = b->v;
	return put_bytes(c, "taskmanager.memory.process.size", v[TM_PROCESS]) ||
	       put_bytes(c, "taskmanager.memory.framework.heap.size", v[TM_FW_HEAP]) ||
	       put_bytes(c, "taskmanager.memory.framework.off-heap.size", v[TM_FW_OFF]) ||
	       put_bytes(c, "taskmanager.memory.task.off-heap.size", v[TM_TASK_OFF]) ||
	       put_bytes(c, "taskmanager.memory.managed.size", v[TM_MANAGED]) ||
	       put_bytes(c, "taskmanager.memory.network.min", v[TM_NETWORK]) ||
	       put_bytes(c, "taskmanager.memory.network.max", v[TM_NETWORK]) ||
	       put_bytes(c, "taskmanager.memory.jvm-metaspace.size", v[TM_META]) ||
	       put_bytes(c, "taskmanager.memory.jvm-overhead.min", v[TM_OVH]) ||
	       put_bytes(c, "taskmanager.memory.jvm-overhead.max", v[TM_OVH]);
}

static int from_jm_block(const block *b, fm_conf *c)
{
	const int64_t *v = b->v;
	return put_bytes(c, "jobmanager.memory.process.size", v[JM_PROCESS]) ||
	       put_bytes(c, "jobmanager.memory.off-heap.size", v[JM_OFF]) ||
	       put_bytes(c, "jobmanager.memory.jvm-metaspace.size", v[JM_META]) ||
	       put_bytes(c, "jobmanager.memory.jvm-overhead.min", v[JM_OVH]) ||
	       put_bytes(c, "jobmanager.memory.jvm-overhead.max", v[JM_OVH]);
}

int64_t fm_conf_bytes(const fm_conf *c, const char *key)
{
	const fm_entry *e = fm_conf_find(c, key);
	if (!e)
		return -1;
	int64_t v;
	fm_jexc je = {0};
	int rc = fm_size_parse(e->text, e->text_len, &v, &je);
	fm_jexc_release(&je);
	return rc == 0 ? v : -1;
}

/* The TM's -D sizes as the process got them. With metaspace and overhead
 * among them (1.12.2+) the process size is their sum and the task heap
 * becomes the remainder, like a block; otherwise they are copied as-is. */
static int from_tm_dyn(const fm_conf *d, fm_conf *c)
{
	static const char *keys[] = {"framework.heap.size", "task.heap.size", "framework.off-heap.size",
				     "task.off-heap.size", "network.min", "network.max", "managed.size",
				     "jvm-metaspace.size", "jvm-overhead.min", "jvm-overhead.max"};
	int64_t v[10];
	bool all = true;
	for (size_t i = 0; i < 10; i++) {
		char key[64];
		snprintf(key, sizeof key, "taskmanager.memory.%s", keys[i]);
		v[i] = fm_conf_bytes(d, key);
		if (v[i] < 0)
			all = false;
	}
	if (v[1] < 0 || v[6] < 0)
		return 1; /* not a TM's dynamic config */
	if (all && v[4] == v[5] && v[8] == v[9]) {
		int64_t process = v[0] + v[1] + v[2] + v[3] + v[4] + v[6] + v[7] + v[8];
		int rc = put_bytes(c, "taskmanager.memory.process.size", process);
		for (size_t i = 0; i < 10 && !rc; i++) {
			if (i == 1)
				continue;
			char key[64];
			snprintf(key, sizeof key, "taskmanager.memory.%s", keys[i]);
			rc = put_bytes(c, key, v[i]);
		}
		return rc ? FM_ENOMEM : 0;
	}
	for (size_t i = 0; i < 10; i++) {
		if (v[i] < 0)
			continue;
		char key[64];
		snprintf(key, sizeof key, "taskmanager.memory.%s", keys[i]);
		if (put_bytes(c, key, v[i]))
			return FM_ENOMEM;
	}
	return 0;
}

static int copy_prefix(const fm_conf *from, fm_conf *to, const char *prefix)
{
	size_t n = 0, pl = strlen(prefix);
	for (size_t i = 0; i < fm_conf_len(from); i++) {
		const fm_entry *e = fm_conf_at(from, i);
		if (strncmp(e->key, prefix, pl))
			continue;
		fm_origin at = {NULL, 0, 0, FM_SRC_FLAT};
		if (fm_conf_set_str(to, e->key, e->text, &at))
			return -1;
		n++;
	}
	return (int)n;
}

static char *where(const rec *r, uint64_t line, const char *what)
{
	char *s;
	if (asprintf(&s, "%s:%llu (%s)", r->name, (unsigned long long)line, what) < 0)
		return NULL;
	return s;
}

static int jm_from_flags(const rec *r, fm_recovered *o)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return FM_ENOMEM;
	char v[32];
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	fm_size_text(v, sizeof v, r->xmx_last);
	int rc = fm_conf_set_str(c, "jobmanager.memory.heap.size", v, &at);
	if (!rc && r->meta_last > 0) {
		fm_size_text(v, sizeof v, r->meta_last);
		rc = fm_conf_set_str(c, "jobmanager.memory.jvm-metaspace.size", v, &at);
	}
	if (!rc && !(o->jm_from = where(r, r->flag_line, "the JobManager's JVM options")))
		rc = FM_ENOMEM;
	if (rc) {
		fm_conf_free(c);
		return FM_ENOMEM;
	}
	o->jm = c;
	return FM_OK;
}

static void size_h(char *out, int64_t b)
{
	fm_size_human_c(out, b);
}

static int cmp_rec(const void *x, const void *y)
{
	const rec *a = x, *b = y;
	return a->input < b->input ? -1 : a->input > b->input;
}

int fm_logconf_result(fm_logconf *lc, const fm_process *procs, size_t nprocs, fm_recovered *o)
{
	/* inputs in their given order, whatever order a parallel scan fed them */
	if (lc->n > 1)
		qsort(lc->r, lc->n, sizeof *lc->r, cmp_rec);
	*o = (fm_recovered){0};
	o->tm_xmx_override = o->tm_direct_override = o->tm_meta_override = -1;
	o->jm_xmx = -1;
	o->tm_flink_xmx = o->tm_flink_direct = o->tm_flink_meta = -1;
	o->net_pool_bytes = o->segment_size = -1;
	int rc = FM_OK;
	/* TaskManager: block, then -D, then the RM's worker spec, then loaded keys */
	for (int pass = 0; pass < 4 && !o->tm && !rc; pass++) {
		for (size_t i = 0; i < lc->n && !o->tm && !rc; i++) {
			rec *r = &lc->r[i];
			fm_conf *c = fm_conf_new();
			if (!c)
				return FM_ENOMEM;
			int got = 0;
			const char *what = NULL;
			uint64_t line = 0;
			if (pass == 0 && r->tm.done) {
				got = from_tm_block(&r->tm, c) ? -1 : 1;
				what = "Final TaskExecutor Memory configuration";
				line = r->tm.done_line;
			} else if (pass == 1 && fm_conf_len(r->dyn)) {
				int x = from_tm_dyn(r->dyn, c);
				got = x == FM_ENOMEM ? -1 : x == 0 ? 1 : 0;
				what = "-D sizes of the TaskManager";
				line = r->dyn_line;
			} else if (pass == 2 && r->has_worker) {
				got = put_bytes(c, "taskmanager.memory.task.heap.size", r->worker[0]) ||
				      put_bytes(c, "taskmanager.memory.task.off-heap.size", r->worker[1] < 0 ? 0 : r->worker[1]) ||
				      put_bytes(c, "taskmanager.memory.network.min", r->worker[2]) ||
				      put_bytes(c, "taskmanager.memory.network.max", r->worker[2]) ||
				      put_bytes(c, "taskmanager.memory.managed.size", r->worker[3]) ? -1 : 1;
				what = "WorkerResourceSpec requested by the resource manager";
				line = r->worker_line;
			} else if (pass == 3 && fm_conf_len(r->loaded)) {
				int x = copy_prefix(r->loaded, c, "taskmanager.memory.");
				got = x < 0 ? -1 : x > 0 ? 1 : 0;
				what = "configuration properties loaded by the process";
				line = r->loaded_line;
			}
			if (got < 0) {
				fm_conf_free(c);
				return FM_ENOMEM;
			}
			if (got > 0) {
				o->tm = c;
				if (!(o->tm_from = where(r, line, what)))
					rc = FM_ENOMEM;
			} else {
				fm_conf_free(c);
			}
		}
	}
	/* JobManager: block, then -D, then loaded keys */
	for (int pass = 0; pass < 3 && !o->jm && !rc; pass++) {
		for (size_t i = 0; i < lc->n && !o->jm && !rc; i++) {
			rec *r = &lc->r[i];
			fm_conf *c = fm_conf_new();
			if (!c)
				return FM_ENOMEM;
			int got = 0;
			const char *what = NULL;
			uint64_t line = 0;
			if (pass == 0 && r->jm.done) {
				got = from_jm_block(&r->jm, c) ? -1 : 1;
				what = "Final Master Memory configuration";
				line = r->jm.done_line;
			} else if (pass > 0) {
				int x = copy_prefix(pass == 1 ? r->dyn : r->loaded, c, "jobmanager.memory.");
				got = x < 0 ? -1 : x > 0 ? 1 : 0;
				what = pass == 1 ? "-D sizes of the JobManager" : "configuration properties loaded by the process";
				line = pass == 1 ? r->dyn_line : r->loaded_line;
			}
			if (got < 0) {
				fm_conf_free(c);
				return FM_ENOMEM;
			}
			if (got > 0) {
				o->jm = c;
				if (!(o->jm_from = where(r, line, what)))
					rc = FM_ENOMEM;
			} else {
				fm_conf_free(c);
			}
		}
	}
	/* the loaded memory keys of each side, whichever source won above */
	for (int side = 0; side < 2 && !rc; side++) {
		fm_conf **dst = side ? &o->jm_loaded : &o->tm_loaded;
		char **from = side ? &o->jm_loaded_from : &o->tm_loaded_from;
		for (size_t i = 0; i < lc->n && !*dst && !rc; i++) {
			rec *r = &lc->r[i];
			fm_conf *c = fm_conf_new();
			if (!c)
				return FM_ENOMEM;
			int x = copy_prefix(r->loaded, c, side ? "jobmanager.memory." : "taskmanager.memory.");
			if (x < 0) {
				fm_conf_free(c);
				return FM_ENOMEM;
			}
			if (x > 0) {
				*dst = c;
				if (!(*from = where(r, r->loaded_line, "configuration properties loaded by the process")))
					rc = FM_ENOMEM;
			} else {
				fm_conf_free(c);
			}
		}
	}
	/* other keys that matter to remedies, from any loaded config */
	for (size_t i = 0; i < lc->n && !rc; i++) {
		rec *r = &lc->r[i];
		const fm_entry *e = fm_conf_find(r->loaded, "state.backend.type");
		if (!e)
			e = fm_conf_find(r->loaded, "state.backend");
		bool forst = e && (!strcasecmp(e->text, "forst") || strstr(e->text, "ForStStateBackend"));
		if (e && (strstr(e->text, "rocksdb") || strstr(e->text, "RocksDB") || forst))
			o->rocksdb_backend = true;
		o->forst_backend |= forst;
		/* the backend's own key (ForSt has its copies from 2.0) */
		const fm_entry *m = fm_conf_find(r->loaded, forst ? "state.backend.forst.memory.managed"
								  : "state.backend.rocksdb.memory.managed");
		if (m && !strcmp(m->text, "false"))
			o->rocksdb_unmanaged = true;
		if (o->tm && r->loaded != NULL) {
			static const char *keep[] = {"taskmanager.numberOfTaskSlots", "state.backend.rocksdb.memory.managed",
						     "taskmanager.memory.managed.consumer-weights"};
			for (size_t k = 0; k < 3; k++) {
				const fm_entry *x = fm_conf_find(r->loaded, keep[k]);
				fm_origin at = {NULL, 0, 0, FM_SRC_FLAT};
				if (x && !fm_conf_has(o->tm, keep[k]) && fm_conf_set_str(o->tm, keep[k], x->text, &at))
					rc = FM_ENOMEM;
			}
		}
		if (r->net_pool >= 0 && o->net_pool_bytes < 0) {
			o->net_pool_bytes = r->net_pool;
			o->segment_size = r->segment;
		}
		/* JVM flags of a TaskManager: the last occurrence is effective */
		fm_process p = r->input < nprocs ? procs[r->input] : FM_PROC_UNKNOWN;
		if (p == FM_PROC_JM) {
			if (r->xmx_last >= 0)
				o->jm_xmx = r->xmx_last;
			/* no layout block, -D or loaded keys: a JobManager's -Xmx is its
			 * heap (JobManagerProcessUtils: -Xmx = -Xms = jobmanager.memory.heap.size)
			 * and -XX:MaxMetaspaceSize its metaspace, the sizes it ran with */
			if (r->xmx_last > 0 && !o->jm && !rc)
				rc = jm_from_flags(r, o);
			continue;
		}
		struct { int64_t first, last; int64_t *ov, *fl; const char *what; const char *key; } fl[] = {
			{r->xmx_first, r->xmx_last, &o->tm_xmx_override, &o->tm_flink_xmx, "-Xmx (JVM heap)", "heap"},
			{r->direct_first, r->direct_last, &o->tm_direct_override, &o->tm_flink_direct,
			 "-XX:MaxDirectMemorySize", "direct"},
			{r->meta_first, r->meta_last, &o->tm_meta_override, &o->tm_flink_meta, "-XX:MaxMetaspaceSize",
			 "metaspace"},
		};
		for (size_t k = 0; k < 3 && !rc; k++) {
			if (fl[k].first < 0)
				continue;
			*fl[k].fl = fl[k].first;
			if (fl[k].last != fl[k].first) {
				*fl[k].ov = fl[k].last;
				char a[FM_SIZE_HUMAN_MAX], b[FM_SIZE_HUMAN_MAX];
				size_h(a, fl[k].last);
				size_h(b, fl[k].first);
				rc = note(o, "%s: a later %s in the JVM options overrides Flink's: the process ran with %s, not the "
					  "%s Flink computed; remove it from env.java.opts / JVM_ARGS",
					  r->name, fl[k].what, a, b);
			}
		}
	}
	if (rc)
		fm_recovered_release(o);
	return rc;
}

void fm_recovered_release(fm_recovered *r)
{
	if (!r)
		return;
	fm_conf_free(r->tm);
	fm_conf_free(r->jm);
	free(r->tm_from);
	free(r->jm_from);
	fm_conf_free(r->tm_loaded);
	fm_conf_free(r->jm_loaded);
	free(r->tm_loaded_from);
	free(r->jm_loaded_from);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	*r = (fm_recovered){0};
}
