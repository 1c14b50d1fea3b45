/* inputs — kind detection and flattening of structured inputs; see
 * include/flinkmem/inputs.h. */
#include "flinkmem/inputs.h"

#include "flinkmem/buf.h"
#include "flinkmem/jchain.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>


const char *fm_input_kind_name(fm_input_kind k)
{
	static const char *n[] = {"log", "gzip log", "kubectl describe", "JSON", "YAML", "empty"};
	return k <= FM_IN_EMPTY ? n[k] : "log";
}

static bool starts(const char *p, const char *end, const char *s)
{
	size_t m = strlen(s);
	return (size_t)(end - p) >= m && memcmp(p, s, m) == 0;
}

/* JSON Lines (one record per line: journalctl -o json, Fluent Bit and
 * Vector file outputs, CloudWatch exports), whatever the file is named:
 * the first line is a whole JSON value and the next record starts a line.
 * Such a file is a log of records, not one document. */
static bool json_lines(const char *p, const char *end)
{
	size_t depth = 0;
	for (; p < end; p++) {
		if (*p == '"') {
			for (p++; p < end && *p != '"' && *p != '\n'; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			if (p >= end || *p == '\n')
				return false;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (!depth)
				return false;
			if (--depth == 0)
				break;
		} else if (*p == '\n') {
			return false; /* a document spread over lines */
		}
	}
	if (p >= end || depth)
		return false;
	for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r'); p++)
		;
	if (p >= end || *p != '\n')
		return false;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p < end && (*p == '{' || *p == '[');
}

fm_input_kind fm_input_detect(const char *peek, size_t n)
{
	const unsigned char *u = (const unsigned char *)peek;
	if (n >= 2 && u[0] == 0x1f && u[1] == 0x8b)
		return FM_IN_GZIP;
	const char *p = peek, *end = peek + n;
	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return FM_IN_EMPTY;
	if (*p == '{' || *p == '[')
		return json_lines(p, end) ? FM_IN_LOG : FM_IN_JSON;
	/* YAML documents: the first non-comment line is a k8s object key or a document start */
	const char *q = p;
	while (q < end && *q == '#') {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl)
			break;
		q = nl + 1;
	}
	if (starts(q, end, "apiVersion:") || starts(q, end, "kind:") || starts(q, end, "---") ||
	    starts(q, end, "metadata:") || starts(q, end, "items:"))
		return FM_IN_YAML;
	/* describe text: "Name:" at a line start and "Namespace:" soon after */
	if (starts(p, end, "Name:")) {
		for (const char *r = p; r < end; r++)
			if (r[0] == '\n' && starts(r + 1, end, "Namespace:"))
				return FM_IN_DESCRIBE;
	}
	return FM_IN_LOG;
}

/* ---- nesting depth before parsing --------------------------------------------- */

/* libyaml re-checks every open flow level on each token: deep [ / {
 * nesting is quadratic there. Counted here first, in one pass: brackets
 * outside quoted strings (JSON "…" with \ escapes; YAML '…' with ''),
 * comments (# after a blank) skipped. A bracket inside a plain YAML
 * scalar is counted too: the depth is an upper bound. */
size_t fm_input_depth(const char *data, size_t len)
{
	size_t depth = 0, max = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = data[i];
		if (ch == '"' || ch == '\'') {
			for (i++; i < len; i++) {
				if (ch == '"' && data[i] == '\\')
					i++;
				else if (data[i] == ch && (ch == '"' || i + 1 >= len || data[i + 1] != '\''))
					break;
				else if (ch == '\'' && data[i] == '\'')
					i++; /* '' inside '…' */
			}
		} else if (ch == '#' && (i == 0 || data[i - 1] == ' ' || data[i - 1] == '\t' || data[i - 1] == '\n')) {
			const char *nl = memchr(data + i, '\n', len - i);
			i = nl ? (size_t)(nl - data) : len;
		} else if (ch == '[' || ch == '{') {
			if (++depth > max)
				max = depth;
		} else if ((ch == ']' || ch == '}') && depth) {
			depth--;
		}
	}
	return max;
}

/* ---- flattening, streamed ------------------------------------------------------ */

#define UNIT_FLUSH ((size_t)4 << 20) /* a unit's text is handed on in pieces of about this size */
#define UNIT_LINES ((size_t)1 << 18)
#define STRUCT_LINE_MAX ((size_t)1 << 20) /* bytes of one value line kept */

typedef struct frame {
	bool map;      /* mapping (else sequence) */
	bool want_key; /* mapping: the next node is a key */
	size_t plen;   /* path length when it opened */
	bool items;    /* the root mapping's "items" sequence: its entries are units */
	/* a Throwable as the mapping's fields (jchain.h): its class, the key
	 * pair, the class's line and the message slots seen */
	int exc_pair;
	char *exc_cls;
	uint64_t exc_src;
	char *exc_msg[FM_JSPLIT_SLOTS];
	bool cstatus;  /* a sequence of container statuses: its entries are containers */
	bool citem;    /* an entry of one (a mapping): from its first source line */
	uint64_t cfrom;
} frame;

static void frame_release(frame *t)
{
	free(t->exc_cls);
	t->exc_cls = NULL;
	for (int i = 0; i < FM_JSPLIT_SLOTS; i++) {
		free(t->exc_msg[i]);
		t->exc_msg[i] = NULL;
	}
}

typedef struct flat {
	frame *st;
	size_t nst, capst;
	char path[512];
	size_t plen;
	size_t skip;         /* > 0: inside a node being skipped (nesting count) */
	bool skip_value;     /* the value after a skipped key is skipped too */
	/* the unit being built */
	fm_unit u;
	bool open;           /* a unit is open */
	size_t unit_depth;   /* stack depth at which it opened */
	bool root_map;       /* the unit is a document's root mapping */
	size_t chunk;
	char *kind, *name, *component, *io_name, *stamp[3];
	bool rest;
	bool docker;         /* the unit is `docker inspect`'s container (State.OOMKilled) */
	/* the unit's container statuses so far: source line ranges and
	 * whether each is Flink's container */
	struct { uint64_t from, to; bool flink; } cont[FM_UNIT_SIDECARS_MAX + 1];
	size_t ncont;
	bool cont_named_flink; /* the entry being read named a Flink container */
	uint64_t last_scalar_line; /* the source line the latest scalar ends on */
	bool pod_record;     /* a log shipper's record names its pod (a Kubernetes container's line) */
	size_t total, budget; /* synthetic bytes so far, and the most allowed */
	fm_unit_cb cb;
	void *ctx;
} flat;

static void meta_release(flat *f)
{
	free(f->kind);
	free(f->name);
	free(f->component);
	free(f->io_name);
	for (int i = 0; i < 3; i++)
		free(f->stamp[i]);
	f->kind = f->name = f->component = f->io_name = f->stamp[0] = f->stamp[1] = f->stamp[2] = NULL;
	f->rest = false;
	f->docker = false;
	f->pod_record = false;
}

static int add_line_raw(flat *f, const char *val, size_t n, uint64_t src, bool with_path)
{
	fm_unit *u = &f->u;
	if (fm_grow(&u->src, u->nlines, &u->cap, sizeof *u->src, 16))
		return FM_ENOMEM;
	size_t before = u->text.len;
	int rc = FM_OK;
	if (with_path && f->plen)
		rc = fm_buf_add(&u->text, f->path, f->plen) || fm_buf_add(&u->text, ": ", 2);
	/* one huge value is not copied whole: its first MiB is what is scanned */
	if (n > STRUCT_LINE_MAX)
		n = STRUCT_LINE_MAX;
	/* a NUL or newline inside a value would break the line structure */
	for (size_t i = 0; i < n && !rc; i++)
		rc = fm_buf_addc(&u->text, val[i] == '\0' || val[i] == '\n' || val[i] == '\r' ? ' ' : val[i]);
	if (!rc)
		rc = fm_buf_addc(&u->text, '\n');
	if (rc)
		return FM_ENOMEM;
	f->total += u->text.len - before;
	if (f->total > f->budget)
		return FM_ETOOBIG;
	u->src[u->nlines++] = src;
	return FM_OK;
}

/* A value line, then, for a Throwable written as JSON fields inside it (an
 * operator's status.error, a JSON log event kept as a string), the line a
 * JVM would have printed for it, from the same source line. */
static int add_line(flat *f, const char *val, size_t n, uint64_t src, bool with_path)
{
	int rc = add_line_raw(f, val, n, src, with_path);
	if (rc || n < 16 || !memchr(val, '"', n > STRUCT_LINE_MAX ? STRUCT_LINE_MAX : n))
		return rc;
	fm_buf t = FM_BUF_INIT;
	int k = fm_jchain_split_fields(val, n > STRUCT_LINE_MAX ? STRUCT_LINE_MAX : n, &t);
	for (size_t i = 0; k > 0 && i < t.len && !rc;) {
		const char *nl = memchr(t.data + i, '\n', t.len - i);
		size_t m = nl ? (size_t)(nl - (t.data + i)) : t.len - i;
		rc = add_line_raw(f, t.data + i, m, src, false);
		i += m + 1;
	}
	fm_buf_release(&t);
	return k < 0 ? FM_ENOMEM : rc;
}

static fm_process proc_of(const char *s)
{
	if (!s)
		return FM_PROC_UNKNOWN;
	if (strstr(s, "taskmanager") || strstr(s, "taskexecutor"))
		return FM_PROC_TM;
	if (strstr(s, "jobmanager"))
		return FM_PROC_JM;
	return FM_PROC_UNKNOWN;
}

/* What the unit's own fields say: kind, name, process, platform; an
 * event's time goes in front of each of its lines. */
static int unit_meta(flat *f)
{
	fm_unit *u = &f->u;
	const char *kind = f->kind, *name = f->name;
	const char *what = kind ? kind : "document";
	const char *stamp = NULL;
	u->proc = FM_PROC_UNKNOWN;
	u->proc_default = false;
	u->platform = FM_PLAT_UNKNOWN;
	if (f->rest) {
		what = "Flink REST exceptions";
		u->proc = FM_PROC_TM; /* job exceptions are task failures unless a hint names the JobManager */
		u->proc_default = true; /* (a coordinator's failure has the JobManager's frames) */
	}
	if (kind && !strcmp(kind, "Event")) {
		name = f->io_name;
		stamp = f->stamp[0] ? f->stamp[0] : f->stamp[1] ? f->stamp[1] : f->stamp[2];
	}
	/* a Docker container's kill is the same cgroup limit's as a pod's */
	if (f->docker || f->pod_record || (kind && (!strcmp(kind, "Pod") || !strcmp(kind, "Event") || !strcmp(kind, "FlinkDeployment") ||
				   !strcmp(kind, "Deployment"))))
		u->platform = FM_PLAT_K8S;
	if (f->component)
		u->proc = proc_of(f->component);
	if (u->proc == FM_PROC_UNKNOWN)
		u->proc = proc_of(name);
	/* sidecars: the containers that are not Flink's, when one is and no
	 * two entries share a source line */
	u->nsidecar = 0;
	bool any_flink = false, overlap = false;
	for (size_t i = 0; i < f->ncont; i++) {
		any_flink |= f->cont[i].flink;
		for (size_t k = 0; k < i; k++)
			overlap |= f->cont[i].from <= f->cont[k].to && f->cont[k].from <= f->cont[i].to;
	}
	for (size_t i = 0; any_flink && !overlap && i < f->ncont && u->nsidecar < FM_UNIT_SIDECARS_MAX; i++)
		if (!f->cont[i].flink) {
			u->sidecar[u->nsidecar].from = f->cont[i].from;
			u->sidecar[u->nsidecar++].to = f->cont[i].to;
		}
	free(u->instance);
	free(u->what);
	u->instance = NULL;
	if ((name && !(u->instance = strdup(name))) || !(u->what = strdup(what)))
		return FM_ENOMEM;
	if (!stamp || !*stamp || strlen(stamp) >= 40 || !u->text.len)
		return FM_OK;
	/* the stamp in front of every line */
	fm_buf t = FM_BUF_INIT;
	int rc = FM_OK;
	for (size_t i = 0; i < u->text.len && !rc;) {
		const char *nl = memchr(u->text.data + i, '\n', u->text.len - i);
		size_t n = nl ? (size_t)(nl - (u->text.data + i)) + 1 : u->text.len - i;
		rc = fm_buf_adds(&t, stamp) || fm_buf_addc(&t, ' ') || fm_buf_add(&t, u->text.data + i, n);
		i += n;
	}
	if (rc) {
		fm_buf_release(&t);
		return FM_ENOMEM;
	}
	f->total += t.len - u->text.len;
	fm_buf_release(&u->text);
	u->text = t;
	return f->total > f->budget ? FM_ETOOBIG : FM_OK;
}

/* Hands the unit's lines so far on (a piece of a large unit, or its end). */
static int unit_flush(flat *f, bool end)
{
	int rc = FM_OK;
	if (f->u.nlines || (end && !f->chunk))
		rc = unit_meta(f);
	if (!rc && (f->u.nlines || (end && !f->chunk)))
		rc = f->cb(&f->u, f->chunk++, f->ctx);
	fm_buf_reset(&f->u.text);
	f->u.nlines = 0;
	if (end) {
		meta_release(f);
		f->open = false;
		f->chunk = 0;
	}
	return rc;
}

static void unit_open(flat *f, bool root_map)
{
	f->ncont = 0;
	f->open = true;
	f->unit_depth = f->nst;
	f->root_map = root_map;
	f->chunk = 0;
	f->plen = 0;
	meta_release(f);
}

/* The unit-relative path names a field the unit's metadata comes from. */
/* The path of a pod's container statuses (Pod.status, any kind of
 * container). */
static bool cstatus_path(const char *p, size_t n)
{
	static const char *const paths[] = {"status.containerStatuses", "status.initContainerStatuses",
					    "status.ephemeralContainerStatuses"};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (n == strlen(paths[i]) && !memcmp(p, paths[i], n))
			return true;
	return false;
}

static int note_field(flat *f, const char *v, size_t n)
{
	/* a container status entry's own name (its mapping is the innermost) */
	frame *t = f->nst ? &f->st[f->nst - 1] : NULL;
	if (t && t->citem && f->plen > 5 && !memcmp(f->path + f->plen - 5, ".name", 5) &&
	    cstatus_path(f->path, f->plen - 5)) {
		static const char *const flink[] = {"flink-main-container", "taskmanager", "jobmanager", "flink"};
		for (size_t i = 0; i < sizeof flink / sizeof *flink; i++)
			if (memmem(v, n, flink[i], strlen(flink[i])))
				f->cont_named_flink = true;
	}
	/* ("Name": `docker inspect`'s container name, "/flink-taskmanager-1") */
	/* (an events.k8s.io/v1 Event names its object under "regarding" and its
	 * time as "deprecatedLastTimestamp" beside "eventTime") */
	static const char *const keys[] = {"kind", "metadata.name", "metadata.labels.component", "involvedObject.name",
					   "lastTimestamp", "eventTime", "firstTimestamp", "Name", "regarding.name",
					   "deprecatedLastTimestamp"};
	char **slot[] = {&f->kind,     &f->name,     &f->component, &f->io_name, &f->stamp[0],
			 &f->stamp[1], &f->stamp[2], &f->name,      &f->io_name, &f->stamp[0]};
	if (f->plen == 15 && !memcmp(f->path, "State.OOMKilled", 15))
		f->docker = true;
	/* a log shipper's record of a Kubernetes container's line names its pod:
	 * Cloud Logging's resource labels, Fluent Bit/Fluentd's and Vector's
	 * kubernetes metadata, Filebeat/Elastic Agent's ECS fields */
	static const char *const pod_keys[] = {"resource.labels.pod_name", "kubernetes.pod_name", "kubernetes.pod.name"};
	for (size_t i = 0; i < sizeof pod_keys / sizeof *pod_keys; i++)
		if (f->plen == strlen(pod_keys[i]) && !memcmp(f->path, pod_keys[i], f->plen) && !f->name) {
			f->pod_record = true;
			return (f->name = strndup(v, n)) ? FM_OK : FM_ENOMEM;
		}
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (f->plen == strlen(keys[i]) && !memcmp(f->path, keys[i], f->plen) && !*slot[i])
			return (*slot[i] = strndup(v, n)) ? FM_OK : FM_ENOMEM;
	return FM_OK;
}

/* A scalar value: the first line with its key path, following lines bare
 * (stack traces keep their "Caused by:" shape). */
/* A mapping's value under a key of a Throwable's field pair: kept until the
 * mapping ends. */
static int note_throwable_field(flat *f, const char *v, size_t n, uint64_t line)
{
	frame *t = f->nst ? &f->st[f->nst - 1] : NULL;
	if (!t || !t->map || !f->open || f->plen < t->plen)
		return FM_OK;
	size_t ks = t->plen + (t->plen ? 1 : 0);
	if (ks > f->plen)
		return FM_OK;
	const char *k = f->path + ks;
	size_t kn = f->plen - ks;
	int pair = fm_jchain_split_class_key(k, kn), slot = fm_jchain_split_msg_slot(k, kn);
	if (pair >= 0 && !t->exc_cls && fm_jchain_throwable_name(v, n)) {
		if (!(t->exc_cls = strndup(v, n)))
			return FM_ENOMEM;
		t->exc_pair = pair;
		t->exc_src = line;
	} else if (slot >= 0 && !t->exc_msg[slot]) {
		if (!(t->exc_msg[slot] = strndup(v, n < FM_JMSG_MAX ? n : FM_JMSG_MAX)))
			return FM_ENOMEM;
	}
	return FM_OK;
}

static int add_line_raw(flat *f, const char *val, size_t n, uint64_t src, bool with_path);

/* At a mapping's end: the line a JVM prints for the Throwable its fields
 * hold, from the class's source line. */
static int throwable_line(flat *f, frame *t)
{
	int slot = fm_jchain_split_pair_slot(t->exc_pair);
	if (!t->exc_cls || slot < 0 || !t->exc_msg[slot] || !f->open)
		return FM_OK;
	fm_buf b = FM_BUF_INIT;
	int rc = fm_buf_adds(&b, t->exc_cls) || fm_buf_add(&b, ": ", 2) || fm_buf_adds(&b, t->exc_msg[slot]) ? FM_ENOMEM
														: FM_OK;
	if (!rc)
		rc = add_line_raw(f, b.data, b.len, t->exc_src, false);
	fm_buf_release(&b);
	return rc;
}

static int emit_scalar(flat *f, const yaml_event_t *e)
{
	const char *v = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	if (note_field(f, v, n) || note_throwable_field(f, v, n, e->start_mark.line + 1))
		return FM_ENOMEM;
	uint64_t line = e->start_mark.line + 1;
	bool block = e->data.scalar.style == YAML_LITERAL_SCALAR_STYLE || e->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && v[i] != '\n')
			continue;
		int rc = add_line(f, v + start, i - start, block ? line + 1 + k : line, k == 0);
		if (rc)
			return rc;
		start = i + 1;
		k++;
		if (i + 1 == n)
			break;
	}
	if (f->u.text.len > UNIT_FLUSH || f->u.nlines > UNIT_LINES)
		return unit_flush(f, false);
	return FM_OK;
}

static int push(flat *f, bool map)
{
	if (fm_grow(&f->st, f->nst, &f->capst, sizeof *f->st, 16))
		return FM_ENOMEM;
	f->st[f->nst++] = (frame){.map = map, .want_key = map, .plen = f->plen, .exc_pair = -1};
	return FM_OK;
}

/* The innermost open mapping or sequence, NULL at a document's root. */
static frame *top(flat *f)
{
	return f->nst ? &f->st[f->nst - 1] : NULL;
}

/* One parser event. Units: each item of a root list (or of a root
 * mapping's "items"), else the document's root. */
static int on_event(flat *f, const yaml_event_t *e)
{
	bool start = e->type == YAML_MAPPING_START_EVENT || e->type == YAML_SEQUENCE_START_EVENT;
	bool end = e->type == YAML_MAPPING_END_EVENT || e->type == YAML_SEQUENCE_END_EVENT;
	if (e->type != YAML_SCALAR_EVENT && e->type != YAML_ALIAS_EVENT && !start && !end)
		return FM_OK; /* stream and document marks */
	if (f->skip) {
		f->skip += start ? 1 : end ? (size_t)-1 : 0;
		return FM_OK;
	}
	frame *t = top(f);
	if (end) {
		if (!t)
			return FM_OK;
		if (t->citem && f->ncont < sizeof f->cont / sizeof f->cont[0]) {
			f->cont[f->ncont].from = t->cfrom;
			/* (a block mapping's end mark is where the next entry starts:
			 * the entry's own last line is its last scalar's) */
			f->cont[f->ncont].to = f->last_scalar_line > t->cfrom ? f->last_scalar_line : t->cfrom;
			f->cont[f->ncont++].flink = f->cont_named_flink;
		}
		int trc = t->map ? throwable_line(f, t) : FM_OK;
		frame_release(t);
		if (trc)
			return trc;
		f->nst--;
		f->plen = t->plen;
		int rc = f->open && f->nst == f->unit_depth ? unit_flush(f, true) : FM_OK;
		frame *up = top(f);
		if (up && up->map)
			up->want_key = true;
		return rc;
	}
	if (e->type == YAML_SCALAR_EVENT)
		f->last_scalar_line = e->end_mark.line + 1;
	/* a mapping key */
	if (t && t->map && t->want_key) {
		if (e->type != YAML_SCALAR_EVENT) {
			/* a complex or aliased key: skip it and its value */
			f->skip = start ? 1 : 0;
			f->skip_value = true;
			t->want_key = false;
			return FM_OK;
		}
		t->want_key = false;
		const char *k = (const char *)e->data.scalar.value;
		size_t kl = e->data.scalar.length;
		f->plen = t->plen;
		if (f->open && f->plen + kl + 1 < sizeof f->path) {
			if (f->plen)
				f->path[f->plen++] = '.';
			memcpy(f->path + f->plen, k, kl);
			f->plen += kl;
		}
		if (f->open && f->nst == f->unit_depth + 1 &&
		    (!strcmp(k, "root-exception") || !strcmp(k, "exceptionHistory") || !strcmp(k, "all-exceptions")))
			f->rest = true;
		return FM_OK;
	}
	/* a value (or a sequence entry, or a document root) */
	if (t && t->map)
		t->want_key = true;
	if (f->skip_value || f->nst > FM_STRUCT_DEPTH_MAX) {
		f->skip_value = false;
		f->skip = start ? 1 : 0;
		return FM_OK;
	}
	bool items_entry = t && t->items;
	if (!f->open && (f->nst == 0 || (f->nst == 1 && !t->map) || items_entry)) {
		if (f->nst == 0 && e->type == YAML_SEQUENCE_START_EVENT)
			return push(f, false); /* a root list: its entries are units */
		unit_open(f, f->nst == 0 && e->type == YAML_MAPPING_START_EVENT);
	} else if (items_entry && f->open && f->root_map) {
		/* an entry of the root's "items": its own unit; the list's own
		 * lines so far are dropped (they describe the list) */
		fm_buf_reset(&f->u.text);
		f->u.nlines = 0;
		f->open = false;
		unit_open(f, false);
	}
	if (e->type == YAML_SCALAR_EVENT) {
		int rc = f->open ? emit_scalar(f, e) : FM_OK;
		if (!rc && f->open && f->nst == f->unit_depth)
			rc = unit_flush(f, true);
		return rc;
	}
	if (e->type == YAML_ALIAS_EVENT)
		return FM_OK; /* not expanded: an alias cannot multiply the text */
	bool citem = e->type == YAML_MAPPING_START_EVENT && t && !t->map && t->cstatus;
	int rc = push(f, e->type == YAML_MAPPING_START_EVENT);
	/* a pod's container statuses: each entry's lines, and whether its name
	 * is Flink's container (flink-main-container, or a process's name) */
	if (!rc && e->type == YAML_SEQUENCE_START_EVENT && f->open && cstatus_path(f->path, f->plen))
		top(f)->cstatus = true;
	if (!rc && citem) {
		top(f)->citem = true;
		top(f)->cfrom = e->start_mark.line + 1;
		f->cont_named_flink = false;
	}
	/* the root mapping's "items" list */
	if (!rc && e->type == YAML_SEQUENCE_START_EVENT && f->open && f->root_map && f->nst == f->unit_depth + 2 &&
	    f->plen == 5 && !memcmp(f->path, "items", 5))
		top(f)->items = true;
	return rc;
}

static int no_unit(fm_unit *u, size_t chunk, void *ctx)
{
	(void)u, (void)chunk, (void)ctx;
	return FM_OK;
}

int fm_input_check(const char *data, size_t len, const char *name, fm_diag *d)
{
	return fm_input_flatten_each(data, len, name, no_unit, NULL, d);
}

int fm_input_flatten_each(const char *data, size_t len, const char *name, fm_unit_cb cb, void *ctx, fm_diag *d)
{
	if (len > FM_STRUCT_MAX)
		return fm_diag_set(d, FM_ETOOBIG, name, 0, 0, NULL, "structured input larger than %zu MiB",
				   FM_STRUCT_MAX >> 20);
	size_t depth = fm_input_depth(data, len);
	if (depth > FM_STRUCT_DEPTH_MAX)
		return fm_diag_set(d, FM_ETOOBIG, name, 0, 0, NULL, "structured input nested deeper than %d levels (%zu)",
				   FM_STRUCT_DEPTH_MAX, depth);
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	flat f = {0};
	f.cb = cb;
	f.ctx = ctx;
	f.budget = len * FM_STRUCT_EXPAND + ((size_t)1 << 20);
	int rc = FM_OK;
	for (bool done = false; !done && !rc;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e)) {
			if (parser.error == YAML_MEMORY_ERROR) /* not a syntax error: a budget (libyaml names no problem) */
				rc = fm_diag_set(d, FM_ETOOBIG, name, 0, 0, NULL,
						 "structured input too large to parse in the memory available");
			else
				rc = fm_diag_set(d, FM_ESYNTAX, name, (uint32_t)parser.problem_mark.line + 1,
						 (uint32_t)parser.problem_mark.column + 1, NULL, "not valid JSON/YAML: %s",
						 parser.problem ? parser.problem : "parse error");
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		rc = on_event(&f, &e);
		if (rc == FM_ETOOBIG)
			rc = fm_diag_set(d, rc, name, 0, 0, NULL, "structured input expands beyond %dx its size when flattened",
					 FM_STRUCT_EXPAND);
		else if (rc && !(d && d->code))
			rc = fm_diag_set(d, rc, name, 0, 0, NULL, "out of memory");
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&parser);
	meta_release(&f);
	for (size_t i = 0; i < f.nst; i++)
		frame_release(&f.st[i]);
	free(f.st);
	free(f.u.instance);
	free(f.u.what);
	fm_buf_release(&f.u.text);
	free(f.u.src);
	return rc;
}

/* fm_input_flatten: every unit kept (pieces of one unit joined). */
static int keep_unit(fm_unit *u, size_t chunk, void *ctx)
{
	fm_units *out = ctx;
	if (chunk == 0) {
		fm_unit *nv = realloc(out->v, (out->n + 1) * sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		out->v = nv;
		fm_unit *k = &out->v[out->n++];
		*k = (fm_unit){.proc = u->proc, .platform = u->platform};
		if ((u->instance && !(k->instance = strdup(u->instance))) || (u->what && !(k->what = strdup(u->what))))
			return FM_ENOMEM;
	}
	fm_unit *k = &out->v[out->n - 1];
	if (fm_buf_add(&k->text, u->text.data ? u->text.data : "", u->text.len))
		return FM_ENOMEM;
	uint64_t *nv = realloc(k->src, (k->nlines + u->nlines + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	k->src = nv;
	if (u->nlines)
		memcpy(k->src + k->nlines, u->src, u->nlines * sizeof *nv);
	k->nlines += u->nlines;
	k->cap = k->nlines + 1;
	return FM_OK;
}

int fm_input_flatten(const char *data, size_t len, const char *name, fm_units *out, fm_diag *d)
{
	*out = (fm_units){0};
	int rc = fm_input_flatten_each(data, len, name, keep_unit, out, d);
	if (rc)
		fm_units_release(out);
	return rc;
}

void fm_units_release(fm_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].instance);
		free(u->v[i].what);
		fm_buf_release(&u->v[i].text);
		free(u->v[i].src);
	}
	free(u->v);
	*u = (fm_units){0};
}
