/* jchain — exception chains as trees; see include/flinkmem/jchain.h. */
#include "flinkmem/jchain.h"

#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"


static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

bool fm_jchain_escaped(const char *s, size_t n)
{
	return memmem(s, n, "\\n\\tat ", 7) || memmem(s, n, "\\nCaused by: ", 13) ||
	       memmem(s, n, "\\n\\tCaused by: ", 15);
}

/* ---- lines ------------------------------------------------------------------ */

typedef struct cursor {
	const char *p, *end;
	bool escaped;
} cursor;

/* Next logical line into [*b, *e); false at the end. */
static bool next_line(cursor *c, const char **b, const char **e)
{
	if (c->p >= c->end)
		return false;
	const char *p = c->p;
	const char *stop = c->end;
	const char *nl = memchr(p, '\n', (size_t)(stop - p));
	const char *lim = nl ? nl : stop;
	if (c->escaped) {
		for (const char *q = p; q + 1 < lim; q++)
			if (q[0] == '\\' && q[1] == 'n') {
				*b = p;
				*e = q;
				c->p = q + 2;
				return true;
			} else if (q[0] == '\\') {
				q++; /* an escaped backslash or quote: not a line end */
			}
	}
	*b = p;
	*e = lim;
	if (*e > *b && (*e)[-1] == '\r')
		(*e)--;
	c->p = nl ? nl + 1 : stop;
	return true;
}

/* Skips blanks, real tabs and escaped \t / \r. */
static const char *skip_blank(const char *p, const char *e, bool escaped)
{
	for (;;) {
		if (p < e && (*p == ' ' || *p == '\t'))
			p++;
		else if (escaped && p + 1 < e && p[0] == '\\' && (p[1] == 't' || p[1] == 'r'))
			p += 2;
		else
			return p;
	}
}

static bool starts(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(e - p) >= n && !memcmp(p, lit, n);
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* A Java class name at p ("pkg.Name" with at least one dot, the last part
 * naming an exception or error); returns its end or NULL. */
static const char *java_class(const char *p, const char *e)
{
	const char *q = p;
	size_t dots = 0;
	if (q >= e || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
		return NULL;
	while (q < e && (ident_char(*q) || (*q == '.' && q + 1 < e && ident_char(q[1])))) {
		dots += *q == '.';
		q++;
	}
	if (!dots)
		return NULL;
	const char *last = q;
	while (last > p && last[-1] != '.')
		last--;
	size_t n = (size_t)(q - last);
	if (!(memmem(last, n, "Exception", 9) || memmem(last, n, "Error", 5) || memmem(last, n, "Throwable", 9)))
		return NULL;
	if (q < e && *q != ':' && *q != ' ' && *q != '\t' && *q != '\\')
		return NULL;
	return q;
}

/* A Python exception line: "Name: msg" or "Name" (a dotted name allowed),
 * the last part ending in Error or Exception (MemoryError, RuntimeError,
 * py4j.protocol.Py4JJavaError). */
static const char *python_class(const char *p, const char *e)
{
	const char *q = p;
	while (q < e && (ident_char(*q) || *q == '.'))
		q++;
	if (q == p)
		return NULL;
	const char *last = q;
	while (last > p && last[-1] != '.')
		last--;
	size_t n = (size_t)(q - last);
	bool named = (n >= 5 && !memcmp(q - 5, "Error", 5)) || (n >= 9 && !memcmp(q - 9, "Exception", 9)) ||
		     (n >= 4 && !memcmp(q - 4, "Exit", 4));
	if (!named || (q < e && *q != ':'))
		return NULL;
	return q;
}

/* ---- building ----------------------------------------------------------------- */

typedef struct builder {
	fm_jtrace *t;
	size_t cap;
	int cur;        /* node that frames and message lines go to */
	int chain_last; /* last non-suppressed node of the current chain */
	bool py_block;  /* inside a Python traceback */
	bool oom;       /* allocation failed */
	/* a Python traceback lists its frames before the exception line */
	char *py_frames[FM_JFRAMES];
	size_t npy, npy_seen;
} builder;

static char *dup_range(const char *b, const char *e, size_t cap)
{
	size_t n = (size_t)(e - b);
	if (n > cap)
		n = cap;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, b, n);
		s[n] = '\0';
	}
	return s;
}

static int add_node(builder *bd, fm_jnode_kind kind, int parent, const char *cb, const char *ce, const char *mb,
		    const char *me, const char *thread, bool python)
{
	fm_jtrace *t = bd->t;
	if (t->n >= FM_JNODES_MAX)
		return -1;
	if (t->n == bd->cap) {
		size_t nc = bd->cap ? bd->cap * 2 : 8;
		fm_jnode *nv = realloc(t->v, nc * sizeof *nv);
		if (!nv) {
			bd->oom = true;
			return -1;
		}
		t->v = nv;
		bd->cap = nc;
	}
	fm_jnode *x = &t->v[t->n];
	*x = (fm_jnode){0};
	x->kind = kind;
	x->parent = parent;
	x->depth = parent >= 0 ? t->v[parent].depth + 1 : 0;
	x->python = python;
	x->cls = dup_range(cb, ce, 256);
	while (mb && mb < me && (*mb == ' ' || *mb == ':'))
		mb++;
	x->msg = mb ? dup_range(mb, me, FM_JMSG_MAX) : dup_range("", "", 0);
	x->thread = thread ? strdup(thread) : NULL;
	if (!x->cls || !x->msg || (thread && !x->thread)) {
		free(x->cls);
		free(x->msg);
		free(x->thread);
		bd->oom = true;
		return -1;
	}
	int i = (int)t->n++;
	bd->cur = i;
	if (kind != FM_JN_SUPPRESSED)
		bd->chain_last = i;
	return i;
}

static void add_frame(builder *bd, const char *b, const char *e)
{
	if (bd->cur < 0)
		return;
	fm_jnode *x = &bd->t->v[bd->cur];
	x->nframes++;
	if (x->nkept >= FM_JFRAMES)
		return;
	const char *paren = memchr(b, '(', (size_t)(e - b));
	char *f = dup_range(b, paren ? paren : e, 512);
	if (!f) {
		bd->oom = true;
		return;
	}
	x->frames[x->nkept++] = f;
}

static void append_msg(builder *bd, const char *b, const char *e)
{
	if (bd->cur < 0 || b >= e)
		return;
	fm_jnode *x = &bd->t->v[bd->cur];
	size_t have = strlen(x->msg), add = (size_t)(e - b);
	if (have >= FM_JMSG_MAX)
		return;
	if (have + 1 + add > FM_JMSG_MAX)
		add = FM_JMSG_MAX - have - 1;
	char *m = realloc(x->msg, have + 1 + add + 1);
	if (!m) {
		bd->oom = true;
		return;
	}
	m[have] = ' ';
	memcpy(m + have + 1, b, add);
	m[have + 1 + add] = '\0';
	x->msg = m;
}

/* `Exception in thread "T" ` prefix: the thread name into out. */
static const char *thread_prefix(const char *p, const char *e, char *out, size_t cap)
{
	static const char lit[] = "Exception in thread \"";
	out[0] = '\0';
	if (!starts(p, e, lit))
		return p;
	const char *q = p + sizeof lit - 1;
	const char *close = memchr(q, '"', (size_t)(e - q));
	if (!close)
		return p;
	size_t n = (size_t)(close - q) < cap - 1 ? (size_t)(close - q) : cap - 1;
	memcpy(out, q, n);
	out[n] = '\0';
	q = close + 1;
	while (q < e && *q == ' ')
		q++;
	return q;
}

static void one_line(builder *bd, const char *b, const char *e, bool escaped)
{
	const char *p = skip_blank(b, e, escaped);
	if (p >= e)
		return;
	if (starts(p, e, "at ") && bd->cur >= 0) {
		add_frame(bd, p + 3, e);
		return;
	}
	if (starts(p, e, "... ") && bd->cur >= 0 && memmem(p, (size_t)(e - p), " more", 5)) {
		bd->t->v[bd->cur].more = strtoul(p + 4, NULL, 10);
		return;
	}
	if (starts(p, e, "Traceback (most recent call last):")) {
		bd->py_block = true;
		return;
	}
	if (bd->py_block && starts(p, e, "File \"")) {
		/* a Python frame: kept until its exception line comes */
		bd->npy_seen++;
		if (bd->npy < FM_JFRAMES && !(bd->py_frames[bd->npy++] = dup_range(p, e, 512)))
			bd->oom = true;
		return;
	}
	fm_jnode_kind kind = FM_JN_TOP;
	if (starts(p, e, "Caused by: ")) {
		kind = FM_JN_CAUSE;
		p += 11;
	} else if (starts(p, e, "Suppressed: ")) {
		kind = FM_JN_SUPPRESSED;
		p += 12;
	} else if (starts(p, e, ": ") && bd->cur >= 0 && bd->t->v[bd->cur].python) {
		/* py4j: the Java exception the Python error carries */
		kind = FM_JN_CAUSE;
		p += 2;
	}
	if (bd->py_block && kind == FM_JN_TOP) {
		const char *pe = python_class(p, e);
		if (pe) {
			int i = add_node(bd, FM_JN_TOP, -1, p, pe, pe < e ? pe + 1 : e, e, NULL, true);
			if (i >= 0) {
				fm_jnode *x = &bd->t->v[i];
				memcpy(x->frames, bd->py_frames, bd->npy * sizeof *bd->py_frames);
				x->nkept = bd->npy;
				x->nframes = bd->npy_seen;
				bd->npy = bd->npy_seen = 0;
			}
			bd->py_block = false;
			return;
		}
	}
	char thread[128];
	p = thread_prefix(p, e, thread, sizeof thread);
	const char *ce = java_class(p, e);
	if (ce) {
		int parent = -1;
		if (kind == FM_JN_CAUSE)
			parent = bd->chain_last;
		else if (kind == FM_JN_SUPPRESSED)
			parent = bd->cur;
		if (kind != FM_JN_TOP && parent < 0)
			kind = FM_JN_TOP;
		bd->py_block = false;
		add_node(bd, kind, parent, p, ce, ce < e ? ce + 1 : e, e, thread[0] ? thread : NULL, false);
		return;
	}
	/* an exception named inside a log line ("... with failure cause: X: m") */
	if (kind == FM_JN_TOP && !bd->py_block) {
		for (const char *q = p; q < e; q++) {
			if (q > p && (ident_char(q[-1]) || q[-1] == '.'))
				continue;
			const char *qe = java_class(q, e);
			if (qe && qe < e && *qe == ':') {
				add_node(bd, FM_JN_TOP, -1, q, qe, qe + 1, e, NULL, false);
				return;
			}
		}
	}
	/* a message that goes on over several lines */
	if (bd->cur >= 0 && !bd->t->v[bd->cur].nframes)
		append_msg(bd, p, e);
}

int fm_jchain_parse(const char *s, size_t n, fm_jtrace *out)
{
	*out = (fm_jtrace){0};
	builder bd = {.t = out, .cur = -1, .chain_last = -1};
	cursor c = {s, s + n, fm_jchain_escaped(s, n)};
	const char *b, *e;
	while (!bd.oom && next_line(&c, &b, &e))
		one_line(&bd, b, e, c.escaped);
	for (size_t i = 0; i < bd.npy; i++)
		free(bd.py_frames[i]); /* frames of a traceback whose exception line never came */
	if (bd.oom) {
		fm_jtrace_release(out);
		return FM_ENOMEM;
	}
	return FM_OK;
}

void fm_jtrace_release(fm_jtrace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		fm_jnode *x = &t->v[i];
		free(x->cls);
		free(x->msg);
		free(x->thread);
		for (size_t k = 0; k < x->nkept; k++)
			free(x->frames[k]);
	}
	free(t->v);
	*t = (fm_jtrace){0};
}

/* ---- meaning ------------------------------------------------------------------ */

bool fm_jnode_memory(const fm_jnode *x)
{
	/* class names and message stems of the catalogue's memory rows */
	static const char *cls[] = {"OutOfMemoryError", "OutOfDirectMemoryError", "MemoryAllocationException",
				    "MemoryReservationException", "BufferExhaustedException", NULL};
	static const char *msg[] = {"Java heap space", "GC overhead limit exceeded", "Direct buffer memory",
				    "of direct buffer memory", "Metaspace", "Compressed class space",
				    "unable to create native thread", "unable to create new native thread",
				    "Insufficient number of network buffers", "Could not allocate enough memory segments",
				    "Too few memory segments", "Too little memory provided", "Cannot allocate memory",
				    "bad_alloc", "Ran out of memory", "Requested array size exceeds VM limit", NULL};
	if (x->python && x->cls && !strcmp(x->cls, "MemoryError"))
		return true;
	for (size_t i = 0; cls[i]; i++)
		if (has(x->cls, cls[i]))
			return true;
	for (size_t i = 0; msg[i]; i++)
		if (has(x->msg, msg[i]))
			return true;
	return false;
}

int fm_jchain_memory_root(const fm_jtrace *t)
{
	int best = -1;
	for (size_t i = 0; i < t->n; i++) {
		const fm_jnode *x = &t->v[i];
		if (!fm_jnode_memory(x))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const fm_jnode *b = &t->v[best];
		bool xs = x->kind == FM_JN_SUPPRESSED, bs = b->kind == FM_JN_SUPPRESSED;
		if (xs != bs) {
			if (!xs)
				best = (int)i;
			continue;
		}
		if (x->depth >= b->depth)
			best = (int)i;
	}
	return best;
}

static bool subtask_name(const char *s)
{
	/* "Source: x (1/4)#0": a task thread */
	const char *p = strchr(s, '(');
	while (p) {
		const char *q = p + 1;
		bool d1 = false, d2 = false;
		while (*q >= '0' && *q <= '9')
			q++, d1 = true;
		if (d1 && *q == '/') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++, d2 = true;
			if (d2 && *q == ')')
				return true;
		}
		p = strchr(p + 1, '(');
	}
	return false;
}

fm_process fm_outside_process(const char *t, size_t n)
{
	/* the operator is checked before the client: it uses RestClusterClient */
	static const struct { const char *mark; fm_process p; } marks[] = {
		{"org.apache.flink.kubernetes.operator.", FM_PROC_OPERATOR},
		{"o.a.f.k.o.", FM_PROC_OPERATOR},
		{"org.apache.flink.table.gateway.", FM_PROC_SQL_GATEWAY},
		{"o.a.f.t.g.", FM_PROC_SQL_GATEWAY},
		{"webmonitor.history.HistoryServer", FM_PROC_HISTORY},
		{"o.a.f.r.w.h.HistoryServer", FM_PROC_HISTORY},
		{"FlinkJobServerDriver", FM_PROC_JOB_SERVER},
		{"org.apache.beam.runners.jobsubmission.", FM_PROC_JOB_SERVER},
		{"client.cli.CliFrontend", FM_PROC_CLIENT},
		{"o.a.f.c.c.CliFrontend", FM_PROC_CLIENT},
		{"org.apache.flink.table.client.", FM_PROC_CLIENT},
		{"RestClusterClient", FM_PROC_CLIENT},
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (memmem(t, n, marks[i].mark, strlen(marks[i].mark)))
			return marks[i].p;
	return FM_PROC_UNKNOWN;
}

fm_process fm_jframe_process(const char *f)
{
	if (!f)
		return FM_PROC_UNKNOWN;
	fm_process o = fm_outside_process(f, strlen(f));
	if (o != FM_PROC_UNKNOWN)
		return o;
	if (has(f, "streaming.runtime.tasks.") || has(f, "runtime.taskmanager.Task.") ||
	    has(f, "runtime.taskexecutor.") || has(f, "runtime.io.network.") || has(f, "runtime.memory.MemoryManager") ||
	    has(f, "runtime.operators.") || has(f, "state.rocksdb.") || has(f, "contrib.streaming.state.") ||
	    has(f, "Flink Task Threads") || subtask_name(f))
		return FM_PROC_TM;
	/* JobResult turns a job's result into the client's exception: not a JM frame */
	if (has(f, "jobmaster.JobResult"))
		return FM_PROC_UNKNOWN;
	if (has(f, "runtime.jobmaster.") || has(f, "runtime.dispatcher.") || has(f, "runtime.entrypoint.") ||
	    has(f, "runtime.resourcemanager.") || has(f, "runtime.scheduler.") || has(f, "jobmanager-io-thread") ||
	    has(f, "jobmanager-future-thread") || has(f, "runtime.checkpoint.CheckpointCoordinator"))
		return FM_PROC_JM;
	/* flink-runtime-web's jar handlers (JarRunHandler runs the user's
	 * main()) are served only by the JobManager's web monitor endpoint
	 * (WebSubmissionExtension, added in DispatcherRestEndpoint); the
	 * history server serves archived JSON, never these handlers */
	if (has(f, "runtime.webmonitor.handlers.Jar"))
		return FM_PROC_JM;
	return FM_PROC_UNKNOWN;
}

fm_process fm_jnode_process(const fm_jtrace *t, size_t i)
{
	if (i >= t->n)
		return FM_PROC_UNKNOWN;
	/* its own frames, then its thread, then the frames it shares with the
	 * enclosing exceptions ("... N more" are theirs) */
	for (int k = (int)i; k >= 0; k = t->v[k].parent) {
		const fm_jnode *x = &t->v[k];
		for (size_t f = 0; f < x->nkept; f++) {
			fm_process p = fm_jframe_process(x->frames[f]);
			if (p != FM_PROC_UNKNOWN)
				return p;
		}
		fm_process p = fm_jframe_process(x->thread);
		if (p != FM_PROC_UNKNOWN)
			return p;
	}
	return FM_PROC_UNKNOWN;
}

fm_process fm_jchain_line_process(const char *s, size_t n)
{
	fm_jtrace t;
	if (fm_jchain_parse(s, n, &t))
		return FM_PROC_UNKNOWN;
	int r = fm_jchain_memory_root(&t);
	fm_process p = r >= 0 ? fm_jnode_process(&t, (size_t)r) : FM_PROC_UNKNOWN;
	fm_jtrace_release(&t);
	return p;
}

bool fm_jframe_shape(const char *q, const char *e)
{
	bool dot = false;
	for (; q < e; q++) {
		if (*q == '(')
			return dot;
		if (*q == '.')
			dot = true;
		else if (!(*q == '_' || *q == '$' || *q == '<' || *q == '>' || *q == '/' || (unsigned)(*q - '0') <= 9u ||
			   (unsigned)((*q | 0x20) - 'a') < 26u))
			return false;
	}
	return false;
}

/* ---- a Throwable as JSON fields ----------------------------------------------- */

/* The pairs of keys a producer writes a Throwable's class and message
 * under, the message either right after the class or right before it. */
static const struct {
	const char *cls, *msg;
	int slot; /* the message key's slot (fm_jchain_split_msg_slot) */
} split_keys[] = {
	{"\"type\"", "\"message\"", 0},                    /* operator: FlinkResourceException */
	{"\"name\"", "\"message\"", 0},                    /* log4j2 JsonLayout: ThrowableProxy */
	{"\"exception_class\"", "\"exception_message\"", 1}, /* JsonTemplateLayout: Logstash V1 */
	{"\"error.type\"", "\"error.message\"", 2},        /* JsonTemplateLayout: ECS */
};

/* k[0..n) equals the quoted key q without its quotes */
static bool key_is(const char *k, size_t n, const char *q)
{
	size_t m = strlen(q);
	return m >= 2 && n == m - 2 && !memcmp(k, q + 1, n);
}

int fm_jchain_split_class_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof split_keys / sizeof *split_keys; i++)
		if (key_is(k, n, split_keys[i].cls))
			return (int)i;
	return -1;
}

int fm_jchain_split_msg_slot(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof split_keys / sizeof *split_keys; i++)
		if (key_is(k, n, split_keys[i].msg))
			return split_keys[i].slot;
	return -1;
}

int fm_jchain_split_pair_slot(int pair)
{
	return pair >= 0 && (size_t)pair < sizeof split_keys / sizeof *split_keys ? split_keys[pair].slot : -1;
}

/* After a key at p: blanks, ':', blanks, '"'; the value's first byte or NULL. */
static const char *json_value(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= e || *p != ':')
		return NULL;
	p++;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p < e && *p == '"' ? p + 1 : NULL;
}

/* The end of a JSON string's body starting at p (its closing quote), or
 * NULL when the line ends first. */
static const char *json_string_end(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p;
	return NULL;
}

/* A dotted Throwable class name filling [p, e) exactly. */
static bool throwable_name(const char *p, const char *e)
{
	const char *q = java_class(p, e);
	return q == e;
}

bool fm_jchain_throwable_name(const char *s, size_t n)
{
	return n > 0 && throwable_name(s, s + n);
}

/* Appends the JSON string body [p, e) unescaped, line breaks as blanks. */
static int add_unescaped(fm_buf *out, const char *p, const char *e)
{
	size_t kept = 0;
	for (; p < e && kept < FM_JMSG_MAX; p++, kept++) {
		char c = *p;
		if (c == '\\' && p + 1 < e) {
			char x = *++p;
			c = x == 'n' || x == 'r' || x == 't' ? ' ' : x == 'u' ? '?' : x;
			if (x == 'u')
				p += e - p > 4 ? 4 : e - p - 1;
		} else if (c == '\n' || c == '\r') {
			c = ' ';
		}
		if (fm_buf_addc(out, c))
			return -1;
	}
	return 0;
}

/* p moved back over blanks, not before s */
static const char *back_blanks(const char *s, const char *p)
{
	while (p > s && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	return p;
}

/* The message value next to a class value [cv, ce) of key pair k: the key
 * right after it (", KEY: ...") or the one whose value ends right before
 * the class key at ck ("KEY": "...", "CLASSKEY"). */
static bool split_message(const char *s, const char *e, const char *ck, const char *ce, size_t k, const char **mv,
			  const char **me)
{
	const char *mk = split_keys[k].msg;
	size_t ml = strlen(mk);
	const char *p = ce + 1;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && *p == ',') {
		p++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(e - p) > ml && !memcmp(p, mk, ml) && (*mv = json_value(p + ml, e)) &&
		    (*me = json_string_end(*mv, e)))
			return true;
	}
	/* before: ..."KEY":"value", "CLASSKEY" */
	p = back_blanks(s, ck);
	if (p <= s || p[-1] != ',')
		return false;
	p = back_blanks(s, p - 1);
	if (p <= s || p[-1] != '"')
		return false;
	const char *end = p - 1; /* the message's closing quote */
	/* back to its opening quote (an escaped quote has a backslash before it) */
	const char *q = end;
	while (q > s) {
		q--;
		if (*q == '"' && (q == s || q[-1] != '\\'))
			break;
	}
	if (*q != '"' || q == end)
		return false;
	/* the key before the value: "KEY" blanks ':' blanks */
	const char *r = back_blanks(s, q);
	if (r <= s || r[-1] != ':')
		return false;
	r = back_blanks(s, r - 1);
	if ((size_t)(r - s) < ml || memcmp(r - ml, mk, ml))
		return false;
	*mv = q + 1;
	*me = end;
	return true;
}

int fm_jchain_split_fields(const char *s, size_t n, fm_buf *out)
{
	const char *e = s + n;
	int found = 0;
	if (!memchr(s, '"', n))
		return 0;
	for (size_t k = 0; k < sizeof split_keys / sizeof *split_keys; k++) {
		const char *key = split_keys[k].cls;
		size_t kl = strlen(key);
		for (const char *p = s; (p = memmem(p, (size_t)(e - p), key, kl)) != NULL; p += kl) {
			const char *cv = json_value(p + kl, e);
			const char *ce = cv ? json_string_end(cv, e) : NULL;
			const char *mv = NULL, *me = NULL;
			if (!ce || !throwable_name(cv, ce) || !split_message(s, e, p, ce, k, &mv, &me))
				continue;
			if (fm_buf_add(out, cv, (size_t)(ce - cv)) || fm_buf_add(out, ": ", 2) || add_unescaped(out, mv, me) ||
			    fm_buf_addc(out, '\n'))
				return -1;
			found++;
		}
	}
	return found;
}
