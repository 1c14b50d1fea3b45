/* diagnose — the pipeline; see include/flinkmem/diagnose.h. */
#include "flinkmem/diagnose.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flinkmem/codelit.h"
#include "flinkmem/conf_embed.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/conf_yaml.h"
#include "flinkmem/derive.h"
#include "flinkmem/health.h"
#include "flinkmem/events.h"
#include "flinkmem/memsize.h"
#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"
#include "flinkmem/unwrap.h"
#include "flinkmem/utf16.h"

#define PEEK 65536
#define DIR_DEPTH_MAX 32
#define FM_STR_(x) #x
#define FM_STR(x) FM_STR_(x)

/* ---- the file list --------------------------------------------------------- */

typedef struct flist {
	char **v;
	size_t n, cap;
} flist;

static int flist_add(flist *f, const char *p)
{
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		char **nv = realloc(f->v, nc * sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		f->v = nv;
		f->cap = nc;
	}
	if (!(f->v[f->n] = strdup(p)))
		return FM_ENOMEM;
	f->n++;
	return FM_OK;
}

static void flist_release(flist *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- inputs that could not be read, paths skipped --------------------------------- */

static int msg_push(fm_dx_input_msg **v, size_t *n, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int msg_push(fm_dx_input_msg **v, size_t *n, const char *path, const char *fmt, ...)
{
	fm_dx_input_msg *nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	*v = nv;
	fm_buf b = FM_BUF_INIT;
	/* paths end up on terminals and in JSON: no raw control bytes */
	if (fm_escape_line(&b, path, strlen(path), 4096)) {
		fm_buf_release(&b);
		return FM_ENOMEM;
	}
	char *p = fm_buf_detach(&b, NULL), *m = NULL;
	va_list ap;
	va_start(ap, fmt);
	int k = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (!p || k < 0) {
		free(p);
		return FM_ENOMEM;
	}
	nv[*n] = (fm_dx_input_msg){.path = p, .msg = m};
	(*n)++;
	return FM_OK;
}

/* Records d (an input's own failure) as an input error and clears it;
 * FM_ENOMEM stays fatal. */
static int input_failed(fm_dx_result *r, const char *path, int rc, fm_diag *d)
{
	if (rc == FM_ENOMEM)
		return rc;
	/* a gzip input cut short was read up to the cut: a note, not a
	 * failure (its events stand) */
	if (d && d->msg && !strcmp(d->msg, FM_SCAN_GZIP_CUT)) {
		int e = msg_push(&r->input_notes, &r->ninput_notes, path,
				 "the gzip data ends before its end marker (a file cut short): read up to the cut");
		fm_diag_release(d);
		return e;
	}
	const char *msg = d && d->msg ? d->msg : fm_strerror(rc);
	int e = msg_push(&r->input_errors, &r->ninput_errors, d && d->file ? d->file : path, "%s", msg);
	if (!e && d && d->line) {
		r->input_errors[r->ninput_errors - 1].line = d->line;
		r->input_errors[r->ninput_errors - 1].col = d->col ? d->col : 1;
	}
	if (d)
		fm_diag_release(d);
	return e;
}

#define SKIP_NOTES_MAX 32 /* skipped paths noted one by one, then counted */
#define STRUCT_UNITS_MAX 32768 /* objects of one structured input read as inputs of their own */

/* ---- directories ------------------------------------------------------------ */

typedef struct dirwalk {
	flist *f;
	fm_dx_result *r;
	struct { dev_t dev; ino_t ino; } *seen; /* directories read (links are followed once) */
	size_t nseen, capseen;
	size_t skipped;
} dirwalk;

static int skip_note(dirwalk *w, const char *path, const char *why)
{
	if (++w->skipped > SKIP_NOTES_MAX)
		return FM_OK;
	if (w->skipped == SKIP_NOTES_MAX)
		return msg_push(&w->r->input_notes, &w->r->ninput_notes, path,
				"skipped: %s (further skipped paths are counted, not listed)", why);
	return msg_push(&w->r->input_notes, &w->r->ninput_notes, path, "skipped: %s", why);
}

/* true when the directory was read before (a link cycle or a second link) */
static int dir_seen(dirwalk *w, const struct stat *st, bool *seen)
{
	*seen = false;
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino) {
			*seen = true;
			return FM_OK;
		}
	if (w->nseen == w->capseen) {
		size_t nc = w->capseen ? w->capseen * 2 : 16;
		void *nv = realloc(w->seen, nc * sizeof *w->seen);
		if (!nv)
			return FM_ENOMEM;
		w->seen = nv;
		w->capseen = nc;
	}
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen].ino = st->st_ino;
	w->nseen++;
	return FM_OK;
}

/* Every regular file below dir, sorted; symbolic links to files and to
 * directories are followed, each directory read once (no cycles). What is
 * not read (too deep, a link read before, a FIFO or device, a dangling
 * link, an unreadable directory) is noted, never skipped silently. */
static int walk_dir(dirwalk *w, const char *dir, const struct stat *dst, int depth)
{
	bool seen;
	if (dir_seen(w, dst, &seen))
		return FM_ENOMEM;
	if (seen)
		return skip_note(w, dir, "a directory already read (symbolic link cycle or second link)");
	if (depth > DIR_DEPTH_MAX)
		return skip_note(w, dir, "deeper than " FM_STR(DIR_DEPTH_MAX) " directories");
	DIR *dp = opendir(dir);
	if (!dp)
		return msg_push(&w->r->input_errors, &w->r->ninput_errors, dir, "cannot read directory: %s", strerror(errno));
	flist names = {0};
	int rc = FM_OK;
	struct dirent *e;
	while (!rc && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue; /* ., .. and hidden files */
		rc = flist_add(&names, e->d_name);
	}
	closedir(dp);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n && !rc; i++) {
		char *p;
		if (asprintf(&p, "%s/%s", dir, names.v[i]) < 0) {
			rc = FM_ENOMEM;
			break;
		}
		struct stat st;
		if (stat(p, &st) != 0)
			rc = lstat(p, &st) == 0 ? skip_note(w, p, "a dangling symbolic link")
						: msg_push(&w->r->input_errors, &w->r->ninput_errors, p, "cannot open: %s",
							   strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk_dir(w, p, &st, depth + 1);
		else if (S_ISREG(st.st_mode))
			rc = flist_add(w->f, p);
		else
			rc = skip_note(w, p, "not a regular file (FIFO, socket or device)");
		free(p);
	}
	flist_release(&names);
	return rc;
}

/* ---- scanning ---------------------------------------------------------------- */

typedef struct ctx {
	const fm_sig *sigs;
	fm_collector *col;
	fm_logconf *lc;
	uint32_t input;        /* input of the current call (sequential scans) */
	const char *const *names; /* batch scans: input name -> index */
	const uint32_t *idx;
	size_t nnames, last;      /* last: index of the previous hit */
	const uint64_t *map;   /* synthetic line -> source line */
	size_t nmap;
	const char *name;
	int rc;
	fm_process given; /* --process: whose an input is when its name says nothing */
	int64_t unit_ms;  /* a structured unit's own time (a JSON log record's @timestamp), -1 */
	char unit_time[24];
} ctx;

static int on_match(const fm_match *m, void *vc)
{
	ctx *c = vc;
	uint32_t input = c->input;
	if (c->names) {
		if (c->last < c->nnames && m->name == c->names[c->last]) {
			input = c->idx[c->last];
		} else if (c->last + 1 < c->nnames && m->name == c->names[c->last + 1]) {
			input = c->idx[++c->last]; /* reports come in file order: the next file */
		} else {
			for (size_t i = 0; i < c->nnames; i++)
				if (m->name == c->names[i] || !strcmp(m->name, c->names[i])) {
					input = c->idx[i];
					c->last = i;
					break;
				}
		}
	}
	uint64_t line = m->line;
	if (c->map)
		line = m->line >= 1 && m->line <= c->nmap ? c->map[m->line - 1] : 0;
	const fm_sig *s = &c->sigs[m->pat];
	if (s->role == FM_ROLE_LAYOUT) {
		if (fm_logconf_feed(c->lc, input, c->name ? c->name : m->name, s, m->text, m->len, line)) {
			c->rc = FM_ENOMEM;
			return 1;
		}
		return 0;
	}
	fm_event ev;
	if (s->role == FM_ROLE_CONTEXT && (s->proc == FM_PH_TM || s->proc == FM_PH_JM) && strncmp(s->id, "CTX_AM", 6)) {
		/* frame/thread cues can be on every other line: no text, no copy */
		ev = (fm_event){.sig = m->pat, .s = s, .line = line, .time_ms = -1, .rocksdb_managed = -1,
				.proc = s->proc == FM_PH_TM ? FM_PROC_TM : FM_PROC_JM};
		if (fm_collector_add(c->col, input, &ev) == FM_ENOMEM) {
			c->rc = FM_ENOMEM;
			return 1;
		}
		return 0;
	}
	if (fm_event_make(c->sigs, m->pat, m->text, m->len, line, &ev)) {
		c->rc = FM_ENOMEM;
		return 1;
	}
	if (ev.not_memory) {
		/* the line's own reason rules the memory kill out (its other
		 * matches, the eviction's negative row among them, still count) */
		fm_event_release(&ev);
		return 0;
	}
	if (ev.time_ms < 0 && c->unit_ms >= 0) {
		ev.time_ms = c->unit_ms;
		memcpy(ev.time, c->unit_time, sizeof ev.time);
	}
	if (fm_collector_add(c->col, input, &ev) == FM_ENOMEM) {
		c->rc = FM_ENOMEM;
		return 1;
	}
	return 0;
}

typedef struct feeder {
	int in, out;
	const char *peek;
	size_t npeek;
	int err;
} feeder;

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Replays the peeked bytes and then the rest of a non-seekable input into
 * a pipe, so the scanner streams it from the start. */
static void *feed(void *arg)
{
	feeder *f = arg;
	char *buf = malloc(PEEK);
	if (!buf || !write_all(f->out, f->peek, f->npeek)) {
		f->err = EIO;
	} else {
		for (;;) {
			ssize_t r = read(f->in, buf, PEEK);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				f->err = errno;
			if (r <= 0)
				break;
			if (!write_all(f->out, buf, (size_t)r)) {
				f->err = EIO; /* the scanner stopped reading */
				break;
			}
		}
	}
	free(buf);
	close(f->out);
	return NULL;
}

/* Reads a structured input whole, up to FM_STRUCT_MAX. FM_ETOOBIG when
 * it is larger: *data then holds the first bytes (the caller streams them
 * and the rest as text). */
static int read_fd_all(int fd, char **data, size_t *len, const char *peek, size_t npeek, const char *name, fm_diag *d)
{
	fm_buf b = FM_BUF_INIT;
	fm_buf_init(&b, FM_STRUCT_MAX);
	int rc = fm_buf_add(&b, peek, npeek);
	char *tmp = malloc(PEEK);
	if (!tmp)
		rc = FM_ENOMEM;
	while (!rc) {
		ssize_t r = read(fd, tmp, PEEK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = fm_diag_set(d, FM_EIO, name, 0, 0, NULL, "read error: %s", strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > FM_STRUCT_MAX) {
			/* too large to read whole: the caller replays these bytes, then
			 * streams the rest (one read past the cap is kept too) */
			b.max = 0;
			rc = fm_buf_add(&b, tmp, (size_t)r);
			if (!rc)
				rc = FM_ETOOBIG;
			break;
		}
		rc = fm_buf_add(&b, tmp, (size_t)r);
	}
	free(tmp);
	if (rc && rc != FM_ETOOBIG) {
		fm_buf_release(&b);
		return d && d->code ? rc : fm_diag_set(d, rc, name, 0, 0, NULL, "out of memory");
	}
	*data = fm_buf_detach(&b, len);
	return *data ? rc : fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
}

/* n bytes of UTF-16 as UTF-8 (NUL-terminated, *out_len bytes); last: they
 * end the input. NULL when out of memory. */
static char *to_utf8(const char *in, size_t n, fm_utf16 enc, bool last, size_t *out_len)
{
	char *o = malloc(FM_UTF16_OUT_MAX(n) + 1);
	if (!o)
		return NULL;
	size_t used;
	*out_len = fm_utf16_to_utf8(in, n, enc, true, last, o, &used);
	o[*out_len] = '\0';
	return o;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

/* Whether the file name holds WORD as a whole token (between '-', '_',
 * '.' or the ends): "tm.log", "job-tm-2.txt", not "html" or "xtm". */
static bool name_token(const char *base, const char *word)
{
	size_t n = strlen(word);
	for (const char *q = strstr(base, word); q; q = strstr(q + 1, word)) {
		bool start = q == base || strchr("-_.", q[-1]);
		bool end = !q[n] || strchr("-_.", q[n]);
		if (start && end)
			return true;
	}
	return false;
}

/* The process a file name says the log is from: Flink's own log names
 * (flink-*-taskexecutor-*.log, flink-*-standalonesession-*.log,
 * standalonejob for application clusters), YARN's taskmanager.log and
 * jobmanager.log, pod names, and the short tm/jm people give excerpts. */
static fm_process proc_from_path(const char *p)
{
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	if (strstr(base, "taskmanager") || strstr(base, "taskexecutor") || name_token(base, "tm"))
		return FM_PROC_TM;
	if (strstr(base, "jobmanager") || strstr(base, "standalonesession") || strstr(base, "standalonejob") ||
	    name_token(base, "jm"))
		return FM_PROC_JM;
	return FM_PROC_UNKNOWN;
}

/* The file name's process, else the one the user gave (--process). */
static fm_process input_proc(const ctx *c, const char *path)
{
	fm_process p = proc_from_path(path);
	return p != FM_PROC_UNKNOWN ? p : c->given;
}

static int add_kind(fm_dx_result *r, size_t at, fm_input_kind k)
{
	fm_input_kind *nv = realloc(r->kinds, (at + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	r->kinds = nv;
	r->kinds[at] = k;
	return FM_OK;
}

/* Each unit of a structured input as it is flattened: its own input
 * (pod, event, REST document), scanned piece by piece. */
typedef struct unit_scan {
	fm_scanner *sc;
	ctx *c;
	const char *path;
	fm_dx_result *r;
	size_t *ninputs;
	fm_input_kind kind;
	fm_diag *d;
	size_t units;
	const char *data; /* the whole input: what the collector peeks at */
	size_t len;
} unit_scan;

/* The time a structured unit carries for all its lines: a JSON log
 * record's "@timestamp"/"timestamp"/"time" (log4j2's JsonTemplateLayout,
 * ECS, logstash encoders put the message, the level and the stack trace in
 * other fields of the same record) or a Kubernetes Event's "lastTimestamp"
 * / "eventTime". The first such synthetic line ("key: value") that holds a
 * date and time; -1 when none. */
static int64_t unit_time(const fm_unit *u, char *out)
{
	static const char *const keys[] = {"@timestamp", "timestamp", "time", "ts", "datetime", "eventTime",
					   "lastTimestamp", NULL};
	const char *t = u->text.data, *e = t ? t + u->text.len : NULL;
	for (const char *p = t; p && p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p)), *le = nl ? nl : e;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		if (colon && colon + 1 < le && colon[1] == ' ') {
			const char *k = colon; /* the last path component */
			while (k > p && k[-1] != '.')
				k--;
			for (size_t i = 0; keys[i]; i++) {
				int64_t ms;
				if (strlen(keys[i]) == (size_t)(colon - k) && !memcmp(k, keys[i], (size_t)(colon - k)) &&
				    fm_log_time(colon + 2, (size_t)(le - colon - 2), &ms, out))
					return ms;
			}
		}
		p = le + 1;
	}
	return -1;
}

static int scan_unit(fm_unit *u, size_t chunk, void *vu)
{
	unit_scan *us = vu;
	ctx *c = us->c;
	int rc = FM_OK;
	if (chunk == 0 && !u->nlines && us->units)
		return FM_OK; /* an empty document after the first: nothing to read or list */
	if (chunk == 0 && us->units == STRUCT_UNITS_MAX) {
		/* past the cap, objects are read as part of the last one */
		rc = msg_push(&us->r->input_notes, &us->r->ninput_notes, us->path,
			      "more than %d objects: the rest are read as part of the last one", STRUCT_UNITS_MAX);
		us->units++;
		if (rc)
			return rc;
	} else if (chunk == 0 && us->units < STRUCT_UNITS_MAX) {
		uint32_t idx;
		rc = fm_collector_input(c->col, us->path, u->proc != FM_PROC_UNKNOWN ? u->proc : input_proc(c, us->path),
					 u->platform, u->instance, &idx);
		if (!rc && u->proc_default)
			fm_collector_input_default(c->col, idx);
		if (!rc)
			fm_collector_input_text(c->col, idx, us->data, us->len < PEEK ? us->len : PEEK, true);
		if (!rc && u->nsidecar) {
			uint64_t ft[FM_UNIT_SIDECARS_MAX][2];
			for (size_t i = 0; i < u->nsidecar; i++) {
				ft[i][0] = u->sidecar[i].from;
				ft[i][1] = u->sidecar[i].to;
			}
			fm_collector_input_sidecars(c->col, idx, (const uint64_t (*)[2])ft, u->nsidecar);
		}
		if (!rc)
			rc = add_kind(us->r, (*us->ninputs)++, us->kind);
		if (rc)
			return rc;
		c->input = idx;
		us->units++;
	}
	if (!u->text.len)
		return FM_OK;
	c->map = u->src;
	c->nmap = u->nlines;
	c->name = us->path;
	c->unit_ms = unit_time(u, c->unit_time);
	rc = fm_scan_mem(us->sc, u->text.data ? u->text.data : "", u->text.len, us->path, on_match, c, us->d);
	c->map = NULL;
	c->unit_ms = -1;
	return rc ? rc : c->rc;
}

static int input_note(fm_dx_result *r, const char *path, const char *why)
{
	return msg_push(&r->input_notes, &r->ninput_notes, path, "%s: read as plain text", why);
}

/* Text held whole, scanned as it was printed: a small plain text is a
 * pasted report, undone (unwrap.h) before the collector reads it and the
 * scan; matches keep their source line. */
static int scan_text(fm_scanner *sc, ctx *c, const char *path, const char *data, size_t len, bool plain, bool peek_all,
		     fm_diag *d)
{
	fm_unwrapped uw = {0};
	int rc = plain && len < PEEK ? fm_unwrap(data, len, &uw) : FM_OK;
	if (rc)
		return rc;
	const char *t = uw.text ? uw.text : data;
	size_t n = uw.text ? uw.len : len;
	fm_collector_input_text(c->col, c->input, t, n < PEEK ? n : PEEK, peek_all);
	if (plain && n < PEEK) {
		uint64_t lit[FM_LITERALS_MAX][2];
		size_t nl = fm_code_literals(t, n, lit, FM_LITERALS_MAX);
		for (size_t i = 0; i < nl && uw.map; i++)
			for (size_t k = 0; k < 2; k++)
				lit[i][k] = lit[i][k] >= 1 && lit[i][k] <= uw.nlines ? uw.map[lit[i][k] - 1] : 0;
		if (nl && fm_collector_input_literals(c->col, c->input, (const uint64_t (*)[2])lit, nl)) {
			fm_unwrapped_release(&uw);
			return FM_ENOMEM;
		}
	}
	c->name = path;
	c->map = uw.map;
	c->nmap = uw.nlines;
	rc = fm_scan_mem(sc, t, n, path, on_match, c, d);
	c->map = NULL;
	fm_unwrapped_release(&uw);
	return rc;
}

/* A document that does not parse: where, and what was made of it. */
static int syntax_note(fm_dx_result *r, const char *path, const fm_diag *pd, const char *what)
{
	return msg_push(&r->input_notes, &r->ninput_notes, path, "line %u: %s: %s", pd->line,
			pd->msg ? pd->msg : "not valid JSON/YAML", what);
}

/* Whether text holds a line of a root-cause candidate (the scan stops at
 * the first): 1, 0, or -1 when the scan failed. */
typedef struct probe {
	const fm_sig *sigs;
	bool hit;
} probe;

static int probe_match(const fm_match *m, void *v)
{
	probe *p = v;
	p->hit = p->sigs[m->pat].role == FM_ROLE_PRIMARY;
	return p->hit;
}

static int holds_failure(fm_scanner *sc, const ctx *c, const char *path, const char *data, size_t len)
{
	probe p = {c->sigs, false};
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_scan_mem(sc, data, len, path, probe_match, &p, &d);
	fm_diag_release(&d);
	return rc ? -1 : p.hit;
}

/* A FlinkDeployment among the inputs (kubectl get flinkdeployment -o
 * yaml/json): the configuration the operator gives Flink for it is the
 * layout its processes were asked for. A resource that does not load is
 * only not used (the document is still read for failures). */
static int deployment_input(fm_dx_result *r, const char *path, const char *data, size_t len)
{
	fm_diag d = FM_DIAG_INIT;
	fm_k8s_doc *docs = NULL;
	size_t n = 0;
	int rc = fm_k8s_load(path, data, len, &docs, &n, &d);
	fm_diag_release(&d);
	if (rc || !n) {
		fm_k8s_docs_free(docs, n);
		return rc == FM_ENOMEM ? rc : FM_OK;
	}
	fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
	fm_conf *c = NULL;
	rc = fm_k8s_effective_conf_lenient(&docs[0], &c, rej);
	fm_diag_release(&rej[0]);
	fm_diag_release(&rej[1]);
	if (!rc && asprintf(&r->deploy_from, "FlinkDeployment %s (%s:%u)", docs[0].name ? docs[0].name : "(unnamed)", path,
			    docs[0].line) < 0) {
		r->deploy_from = NULL;
		rc = FM_ENOMEM;
	}
	if (rc) {
		fm_conf_free(c);
		fm_k8s_docs_free(docs, n);
		return rc;
	}
	r->deploy = c;
	r->deploy_docs = docs;
	r->ndeploy = n;
	return FM_OK;
}

/* A ConfigMap among the inputs (kubectl get configmap -o yaml) that holds
 * Flink's config.yaml or flink-conf.yaml, as Flink's standalone Kubernetes
 * setup writes it: the configuration its processes read. One that does not
 * load is only not used. */
static int configmap_input(fm_dx_result *r, const char *path, const char *data, size_t len)
{
	fm_embedded em = {0};
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_embedded_find(path, data, len, &em, &d);
	fm_diag_release(&d);
	fm_embedded_file *pick = !rc ? (em.yaml.text ? &em.yaml : em.flat.text ? &em.flat : NULL) : NULL;
	fm_conf *c = pick ? fm_conf_new() : NULL;
	if (pick && !c)
		rc = FM_ENOMEM;
	if (c) {
		fm_diag ld = FM_DIAG_INIT;
		int lrc = pick == &em.yaml ? fm_conf_load_yaml(c, path, pick->text, pick->len, &ld)
					   : fm_conf_load_flat(c, path, pick->text, pick->len, NULL, NULL, &ld);
		fm_diag_release(&ld);
		if (lrc == FM_ENOMEM)
			rc = FM_ENOMEM;
		if (lrc || rc || asprintf(&r->deploy_from, "%s (%s:%u)", pick->where, path, pick->line) < 0) {
			r->deploy_from = NULL;
			fm_conf_free(c);
			c = NULL;
			if (!lrc && !rc)
				rc = FM_ENOMEM;
		}
	}
	r->deploy = c;
	fm_embedded_release(&em);
	return rc == FM_ENOMEM ? rc : FM_OK;
}

static int derives(const fm_conf *c, const fm_profile *p, bool jm);

/* The FlinkDeployment's configuration sizes this process (a total or a
 * part its memory model starts from) and Flink derives it. */
static int deployment_sizes(const fm_dx_result *r, bool jm)
{
	if (!r->deploy)
		return 0;
	static const char *const tm[] = {"taskmanager.memory.process.size", "taskmanager.memory.flink.size",
					 "taskmanager.memory.task.heap.size"};
	static const char *const jmk[] = {"jobmanager.memory.process.size", "jobmanager.memory.flink.size",
					  "jobmanager.memory.heap.size"};
	bool any = false;
	for (size_t i = 0; i < 3; i++)
		any |= fm_conf_has(r->deploy, jm ? jmk[i] : tm[i]);
	return any ? derives(r->deploy, r->profile, jm) : 0;
}

/* A whole input in memory: documents are flattened, text is scanned as is.
 * A document over a budget (nesting depth, expansion) is read as text
 * with a note: bounded, and its failure lines still match. */
static int scan_data(fm_scanner *sc, ctx *c, const char *path, const char *data, size_t len, fm_input_kind kind,
		     fm_dx_result *r, size_t *ninputs, fm_diag *d)
{
	int rc = FM_OK;
	bool named_struct = ends_with(path, ".json") || ends_with(path, ".yaml") || ends_with(path, ".yml");
	if (kind == FM_IN_JSON || kind == FM_IN_YAML || kind == FM_IN_DESCRIBE)
		fm_pod_facts_scan(data, len, &r->pod);
	if ((kind == FM_IN_JSON || kind == FM_IN_YAML) && !r->deploy && memmem(data, len, "FlinkDeployment", 15) &&
	    (rc = deployment_input(r, path, data, len)) != FM_OK)
		return rc;
	if ((kind == FM_IN_JSON || kind == FM_IN_YAML) && !r->deploy && memmem(data, len, "ConfigMap", 9) &&
	    fm_embedded_maybe(data, len) && (rc = configmap_input(r, path, data, len)) != FM_OK)
		return rc;
	if (kind == FM_IN_JSON || kind == FM_IN_YAML) {
		fm_diag pd = FM_DIAG_INIT;
		/* an unnamed input is checked first: a log that starts with '[' or '{'
		 * is read as a log, not half as a document */
		int frc = named_struct ? FM_OK : fm_input_check(data, len, path, &pd);
		unit_scan us = {sc, c, path, r, ninputs, kind, d, 0, data, len};
		if (!frc)
			frc = fm_input_flatten_each(data, len, path, scan_unit, &us, &pd);
		if (!frc || c->rc) {
			fm_diag_release(&pd);
			return frc;
		}
		if (frc == FM_ESYNTAX && !named_struct) {
			fm_diag_release(&pd);
			kind = FM_IN_LOG;
		} else if (frc == FM_ESYNTAX && us.units == 0 && (rc = holds_failure(sc, c, path, data, len)) != 0) {
			/* a .json/.yaml that does not parse before its first unit (a
			 * truncated paste, a page's copy) but holds a failure line a
			 * program printed: read as text, with the position it broke;
			 * one without stays an input error */
			if (rc < 0) {
				fm_diag_release(&pd);
				return FM_ENOMEM;
			}
			rc = syntax_note(r, path, &pd, "read as plain text");
			fm_diag_release(&pd);
			if (rc)
				return rc;
			kind = FM_IN_LOG;
		} else if (frc == FM_ESYNTAX && us.units > 0) {
			/* cut short after whole records (a truncated paste): what
			 * parsed was read; say where it stopped */
			rc = syntax_note(r, path, &pd, "the records before it were read");
			fm_diag_release(&pd);
			return rc;
		} else if (frc == FM_ETOOBIG && us.units == 0) {
			rc = input_note(r, path, pd.msg ? pd.msg : "structured input over budget");
			fm_diag_release(&pd);
			if (rc)
				return rc;
			kind = FM_IN_LOG;
		} else {
			if (d && !d->code) {
				fm_diag_release(d);
				*d = pd;
			} else {
				fm_diag_release(&pd);
			}
			return frc;
		}
	}
	uint32_t idx;
	rc = fm_collector_input(c->col, path, input_proc(c, path), kind == FM_IN_DESCRIBE ? FM_PLAT_K8S : FM_PLAT_UNKNOWN,
				NULL, &idx);
	if (!rc)
		rc = add_kind(r, (*ninputs)++, kind == FM_IN_GZIP ? FM_IN_LOG : kind);
	if (!rc) {
		c->input = idx;
		rc = scan_text(sc, c, path, data, len, kind == FM_IN_LOG || kind == FM_IN_GZIP, kind == FM_IN_DESCRIBE, d);
	}
	return rc;
}

/* The config the fixes start from runs RocksDB (or ForSt) outside Flink's
 * budget: its memory.managed false and no fixed budget of its own. */
static bool unbounded_state(const fm_conf *c)
{
	const char *pre = c ? fm_health_state_memory(c) : NULL;
	if (!pre)
		return false;
	char k[64];
	snprintf(k, sizeof k, "%smanaged", pre);
	const fm_entry *m = fm_conf_find(c, k);
	if (!m || strcasecmp(m->text, "false"))
		return false;
	snprintf(k, sizeof k, "%sfixed-per-slot", pre);
	if (fm_conf_has(c, k))
		return false;
	snprintf(k, sizeof k, "%sfixed-per-tm", pre);
	return !fm_conf_has(c, k);
}

/* A release before FLIP-49's memory model (1.0-1.9). */
static bool pre_110(const char *v)
{
	int a = 0, b = 0;
	return sscanf(v, "%d.%d", &a, &b) == 2 && a == 1 && b < 10;
}

/* Whether a configuration recovered from the inputs derives at all (a
 * process's command line may show only some of its -D sizes): 1, 0, or
 * FM_ENOMEM as a negative. */
static int derives(const fm_conf *c, const fm_profile *p, bool jm)
{
	if (jm) {
		fm_jm_result x;
		if (fm_derive_jm(c, p, NULL, &x))
			return -1;
		int ok = x.outcome == FM_DERIVED;
		fm_jm_result_release(&x);
		return ok;
	}
	fm_tm_result x;
	if (fm_derive_tm(c, p, NULL, &x))
		return -1;
	int ok = x.outcome == FM_DERIVED;
	fm_tm_result_release(&x);
	return ok;
}

/* Whether config b derives (under p) to the very layout a does: then b,
 * the keys the user wrote, is the better start for a fix than a's pins.
 * FM_OK or FM_ENOMEM. */
static int same_layout(const fm_conf *a, const fm_conf *b, const fm_profile *p, bool jm, int *same)
{
	*same = 0;
	if (jm) {
		fm_jm_result x, y;
		if (fm_derive_jm(a, p, NULL, &x))
			return FM_ENOMEM;
		if (fm_derive_jm(b, p, NULL, &y)) {
			fm_jm_result_release(&x);
			return FM_ENOMEM;
		}
		*same = x.outcome == FM_DERIVED && y.outcome == FM_DERIVED && x.l.jvm_heap == y.l.jvm_heap &&
			x.l.off_heap == y.l.off_heap && x.l.metaspace == y.l.metaspace && x.l.overhead == y.l.overhead;
		fm_jm_result_release(&x);
		fm_jm_result_release(&y);
		return FM_OK;
	}
	fm_tm_result x, y;
	if (fm_derive_tm(a, p, NULL, &x))
		return FM_ENOMEM;
	if (fm_derive_tm(b, p, NULL, &y)) {
		fm_tm_result_release(&x);
		return FM_ENOMEM;
	}
	const fm_tm_layout *l = &x.l, *m = &y.l;
	*same = x.outcome == FM_DERIVED && y.outcome == FM_DERIVED && l->framework_heap == m->framework_heap &&
		l->task_heap == m->task_heap && l->framework_off_heap == m->framework_off_heap &&
		l->task_off_heap == m->task_off_heap && l->network == m->network && l->managed == m->managed &&
		l->metaspace == m->metaspace && l->overhead == m->overhead;
	fm_tm_result_release(&x);
	fm_tm_result_release(&y);
	return FM_OK;
}

/* A FlinkDeployment: the operator writes resource.memory over the process
 * size in flinkConfiguration (FM100), so a process size that resource.memory
 * set is changed there. */
static int k8s_where(fm_plan *pl, const fm_conf *conf, const fm_k8s_doc *doc)
{
	for (size_t i = 0; i < pl->nchanges; i++)
		for (int jm = 0; jm < 2; jm++) {
			const char *pkey = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
			const fm_k8s_val *mv = jm ? &doc->jm.memory : &doc->tm.memory;
			const fm_entry *e = fm_conf_find(conf, pkey);
			if (!strcmp(pl->changes[i].key, pkey) && e && mv->text && e->at.src == FM_SRC_K8S &&
			    e->at.line == mv->line) {
				pl->changes[i].where = jm ? "spec.jobManager.resource.memory" : "spec.taskManager.resource.memory";
				/* the value as the resource writes it ("6Gi"), not the
				 * operator's conversion of it */
				char *from = strndup(mv->text, mv->len);
				if (!from)
					return FM_ENOMEM;
				free(pl->changes[i].from);
				pl->changes[i].from = from;
			}
		}
	return FM_OK;
}

/* One input: detect, then stream a log or flatten a document. */
typedef struct batch {
	const char **paths;
	uint32_t *idx;
	size_t n;
	bool on; /* collect plain log files for one parallel scan */
} batch;

static int scan_one(fm_scanner *sc, ctx *c, const char *path, fm_dx_result *r, size_t *ninputs, batch *bt,
		    fm_diag *d)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY);
	if (fd < 0)
		return fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
	char *peek = malloc(PEEK);
	if (!peek) {
		if (!is_stdin)
			close(fd);
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	}
	size_t np = 0;
	int rc = FM_OK;
	while (np < PEEK) {
		ssize_t k = read(fd, peek + np, PEEK - np);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "read error: %s", strerror(errno));
			break;
		}
		if (k == 0)
			break;
		np += (size_t)k;
	}
	/* UTF-16 (a PowerShell redirect) is read as UTF-8: the peek here, the
	 * stream in the scanner (scan.c converts from the fd's start) */
	fm_utf16 enc = rc ? FM_UTF16_NONE : fm_utf16_detect(peek, np);
	char *u8 = NULL;
	size_t nu8 = 0;
	if (enc && !(u8 = to_utf8(peek, np, enc, np < PEEK, &nu8)))
		rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	const char *view = u8 ? u8 : peek; /* the peek as UTF-8 */
	size_t nview = u8 ? nu8 : np;
	fm_input_kind kind = rc ? FM_IN_LOG : fm_input_detect(view, nview);
	bool done = false; /* read whole and flattened */
	struct stat st;
	if (!rc && (kind == FM_IN_JSON || kind == FM_IN_YAML) && !is_stdin && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && (uint64_t)st.st_size > FM_STRUCT_MAX) {
		/* too large to read whole: streamed as text, like a log */
		rc = msg_push(&r->input_notes, &r->ninput_notes, path, "%s input larger than %zu MiB: read as plain text",
			      fm_input_kind_name(kind), FM_STRUCT_MAX >> 20);
		kind = FM_IN_LOG;
	} else if (!rc && (kind == FM_IN_JSON || kind == FM_IN_YAML)) {
		char *data = NULL;
		size_t len = 0;
		rc = read_fd_all(fd, &data, &len, peek, np, path, d);
		if (rc == FM_ETOOBIG) {
			/* a pipe: what was read is replayed, the rest streamed */
			rc = msg_push(&r->input_notes, &r->ninput_notes, path,
				      "%s input larger than %zu MiB: read as plain text", fm_input_kind_name(kind),
				      FM_STRUCT_MAX >> 20);
			free(peek);
			peek = data;
			np = len;
			kind = FM_IN_LOG;
			if (!u8) { /* (UTF-16's view stays the first bytes' UTF-8) */
				view = peek;
				nview = np;
			}
		} else {
			char *whole = NULL;
			size_t nwhole = 0;
			if (!rc && enc && !(whole = to_utf8(data, len, enc, true, &nwhole)))
				rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
			if (!rc)
				rc = scan_data(sc, c, path, whole ? whole : data, whole ? nwhole : len, kind, r, ninputs, d);
			free(whole);
			free(data);
			done = true;
		}
	}
	if (!rc && !done) {
		uint32_t idx;
		fm_platform plat = kind == FM_IN_DESCRIBE ? FM_PLAT_K8S : FM_PLAT_UNKNOWN;
		if (kind == FM_IN_DESCRIBE)
			fm_pod_facts_scan(view, nview, &r->pod); /* a pod description fits the first 64 KiB */
		bool whole = kind == FM_IN_LOG && np < PEEK; /* read to its end: a pasted report */
		rc = fm_collector_input(c->col, path, input_proc(c, path), plat, NULL, &idx);
		if (!rc && !whole)
			fm_collector_input_text(c->col, idx, view, nview < PEEK ? nview : PEEK, kind == FM_IN_DESCRIBE);
		if (!rc)
			rc = add_kind(r, (*ninputs)++, kind);
		c->input = idx;
		c->map = NULL;
		c->name = path;
		off_t pos = rc || is_stdin || whole ? -1 : lseek(fd, 0, SEEK_SET);
		if (!rc && whole) {
			rc = scan_text(sc, c, path, view, nview, true, false, d);
		} else if (!rc && pos == 0 && bt->on) {
			bt->paths[bt->n] = path;
			bt->idx[bt->n] = idx;
			bt->n++;
		} else if (!rc && pos == 0) {
			rc = fm_scan_fd(sc, fd, path, on_match, c, d);
		} else if (!rc) {
			int pfd[2];
			if (pipe(pfd)) {
				rc = fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "pipe: %s", strerror(errno));
			} else {
				feeder f = {fd, pfd[1], peek, np, 0};
				pthread_t th;
				if (pthread_create(&th, NULL, feed, &f)) {
					close(pfd[0]);
					close(pfd[1]);
					rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "cannot start a thread");
				} else {
					rc = fm_scan_fd(sc, pfd[0], path, on_match, c, d);
					close(pfd[0]); /* unblocks the feeder if the scan stopped early */
					pthread_join(th, NULL);
					if (!rc && f.err && f.err != EIO)
						rc = fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "read error: %s", strerror(f.err));
				}
			}
		}
	}
	free(u8);
	free(peek);
	if (!is_stdin)
		close(fd);
	if (!rc && c->rc)
		rc = fm_diag_set(d, c->rc, path, 0, 0, NULL, "out of memory");
	r->nfiles++;
	return rc;
}

/* ---- after the scan ------------------------------------------------------------ */

static int rnote(fm_dx_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rnote(fm_dx_result *r, const char *fmt, ...)
{
	char **nv = realloc(r->notes, (r->nnotes + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	r->notes = nv;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&r->notes[r->nnotes], fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_ENOMEM;
	r->nnotes++;
	return FM_OK;
}

static int copy_conf(fm_conf *to, const fm_conf *from)
{
	for (size_t i = 0; i < fm_conf_len(from); i++) {
		const fm_entry *e = fm_conf_at(from, i);
		fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
		if (fm_conf_set_str(to, e->key, e->text, &at))
			return FM_ENOMEM;
	}
	return FM_OK;
}

#define MIB ((int64_t)1 << 20)

/* Where a container's limit came from, when the inputs hold no layout. */
typedef enum { LIMIT_POD, LIMIT_YARN, LIMIT_MEMCG, LIMIT_REQUEST } limit_from;

/* No layout in the inputs, but a container limit is known: a pod's (the
 * operator and native Kubernetes set it to the process size x limit-factor,
 * 1 by default), a YARN kill's (the process size Flink asked YARN for,
 * rounded up to YARN's allocation step) or the memory cgroup's that the
 * kernel printed at an OOM kill. Fixes start there, not at the shipped
 * size. */
static int limit_base(fm_dx_result *r, fm_conf *base, bool jm, int64_t limit, limit_from from, bool need)
{
	const char *key = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
	const char *proc = jm ? "JobManager" : "TaskManager";
	char text[32];
	fm_size_text(text, sizeof text, limit);
	fm_origin at = {NULL, 0, 0, from == LIMIT_POD ? FM_SRC_K8S : FM_SRC_DYNAMIC};
	int rc = fm_conf_set_str(base, key, text, &at);
	static const char *const whose[] = {"container's memory limit", "YARN container's memory limit",
					    "memory cgroup's limit", "pod's memory request"};
	char **layout = jm ? &r->layout_jm : &r->layout_tm;
	if (!rc && asprintf(layout, "the %s (%s: %s)", whose[from], key, text) < 0)
		rc = FM_ENOMEM;
	if (rc || !need)
		return rc; /* no fix of this process: nothing starts from it */
	if (from == LIMIT_YARN)
		return rnote(r, "no %s layout in the inputs: fixes start from the YARN container's limit (%s) as the process "
			     "size; YARN rounds a container up to its allocation step (yarn.scheduler.minimum-allocation-mb), "
			     "so the process may have been up to one step smaller; pass -c with your config for exact numbers",
			     proc, text);
	if (from == LIMIT_MEMCG)
		return rnote(r, "no %s layout in the inputs: fixes start from the memory cgroup limit the kernel printed at "
			     "the kill (%s) as the process size; where that cgroup is a whole pod's, it also holds the other "
			     "containers' limits; pass -c with your config for exact numbers", proc, text);
	if (from == LIMIT_REQUEST)
		return rnote(r, "no %s layout in the inputs: fixes start from the memory request the eviction printed (%s), "
			     "which Flink sets to the process size; pass -c with your config for exact numbers", proc, text);
	if (!jm)
		return rnote(r, "no TaskManager layout in the inputs: fixes start from the container's memory limit (%s) as the "
			     "process size; pass -c with your config for exact numbers", text);
	return FM_OK;
}

/* -Xmx and -XX:MaxDirectMemorySize of config c with a process size of
 * mib MiB: 1 derived, 0 rejected, -1 out of memory. */
static int heap_at(fm_conf *c, const fm_profile *p, int64_t mib, int64_t *heap, int64_t *direct)
{
	char v[32];
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	fm_size_text(v, sizeof v, mib * MIB);
	if (fm_conf_set_str(c, "taskmanager.memory.process.size", v, &at))
		return -1;
	fm_tm_result x;
	if (fm_derive_tm_numbers(c, p, NULL, &x))
		return -1;
	int ok = x.outcome == FM_DERIVED;
	*heap = x.l.jvm_heap;
	*direct = x.l.jvm_direct;
	fm_tm_result_release(&x);
	return ok;
}

/* A TaskManager's JVM options as its start script wrote them (the first
 * -Xmx and -XX:MaxDirectMemorySize of its log: Flink's own, before any the
 * user appends), with no layout block or -D sizes beside them (a pasted
 * excerpt). The process size whose layout gives both flags by this
 * release's rules and defaults is what ran; the heap grows with the size,
 * so a search over whole MiB finds it. 0 when no size matches both (the
 * user sized parts by hand), or FM_ENOMEM as a negative. */
static int64_t process_from_flags(const fm_profile *p, int64_t xmx, int64_t direct, int64_t meta, fm_conf **out)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return -1;
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	char v[32];
	/* a metaspace other than the default is the user's key */
	if (meta > 0) {
		fm_size_text(v, sizeof v, meta);
		if (fm_conf_set_str(c, "taskmanager.memory.jvm-metaspace.size", v, &at)) {
			fm_conf_free(c);
			return -1;
		}
	}
	/* the smallest size whose heap reaches -Xmx, then it and the size below:
	 * the one within a MiB of both flags (a log's numbers are exact; a
	 * layout a few bytes off still sizes a fix right) */
	int64_t lo = 64, hi = INT64_C(1) << 20; /* MiB: 64m .. 1t */
	int64_t h, d;
	int ok;
	while (lo < hi) {
		int64_t m = lo + (hi - lo) / 2;
		if ((ok = heap_at(c, p, m, &h, &d)) < 0)
			goto oom;
		if (!ok || h < xmx) /* too small (or rejected: below the fixed parts) */
			lo = m + 1;
		else
			hi = m;
	}
	int64_t found = 0, best = INT64_MAX;
	for (int64_t mib = lo; mib >= lo - 1 && mib >= 64; mib--) {
		if ((ok = heap_at(c, p, mib, &h, &d)) < 0)
			goto oom;
		int64_t dh = h > xmx ? h - xmx : xmx - h, dd = d > direct ? d - direct : direct - d;
		if (ok && dh < MIB && dd < MIB && dh + dd < best) {
			best = dh + dd;
			found = mib;
		}
	}
	if (found) {
		fm_size_text(v, sizeof v, found * MIB);
		if (fm_conf_set_str(c, "taskmanager.memory.process.size", v, &at)) {
			fm_conf_free(c);
			return -1;
		}
	}
	if (!found) {
		fm_conf_free(c);
		return 0;
	}
	*out = c;
	return found * MIB;
oom:
	fm_conf_free(c);
	return -1;
}

/* -c given and the log shows a different layout: the config was not applied. */
static int compare_config(fm_dx_result *r, const fm_dx_opts *o)
{
	if (!o->conf || !r->rec.tm)
		return FM_OK;
	fm_tm_result a, b;
	if (fm_derive_tm(o->conf, r->profile, NULL, &a) != FM_OK)
		return FM_ENOMEM;
	if (fm_derive_tm(r->rec.tm, r->profile, NULL, &b) != FM_OK) {
		fm_tm_result_release(&a);
		return FM_ENOMEM;
	}
	int rc = FM_OK;
	if (a.outcome == FM_DERIVED && b.outcome == FM_DERIVED) {
		struct { const char *n; int64_t x, y; } c[] = {
			{"total process", a.l.total_process, b.l.total_process}, {"task heap", a.l.task_heap, b.l.task_heap},
			{"managed", a.l.managed, b.l.managed}, {"network", a.l.network, b.l.network},
			{"metaspace", a.l.metaspace, b.l.metaspace}};
		fm_buf diff = FM_BUF_INIT;
		for (size_t i = 0; i < 5 && !rc; i++)
			if (c[i].x != c[i].y)
				rc = fm_buf_addf(&diff, "%s%s %lld (config: %lld)", diff.len ? ", " : "", c[i].n, (long long)c[i].y,
						 (long long)c[i].x);
		if (!rc && diff.len)
			rc = rnote(r, "the given config (%s) was never applied: the log's TaskManager ran with %s bytes; "
				   "fixes below start from the given config",
				   o->conf_name ? o->conf_name : "-c", diff.data);
		fm_buf_release(&diff);
	}
	fm_tm_result_release(&a);
	fm_tm_result_release(&b);
	return rc;
}

static int pipeline(const char *const *paths, size_t n, const char *mem, size_t memlen, const char *memname,
		    const fm_dx_opts *o, fm_dx_result *out, fm_diag *d)
{
	*out = (fm_dx_result){0};
	out->a.root = -1;
	flist files = {0};
	int rc = FM_OK;
	dirwalk dw = {&files, out, NULL, 0, 0, 0};
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		if (!strcmp(paths[i], "-")) {
			rc = flist_add(&files, "-");
		} else if (stat(paths[i], &st) != 0) {
			rc = msg_push(&out->input_errors, &out->ninput_errors, paths[i], "cannot open: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			size_t before = files.n;
			rc = walk_dir(&dw, paths[i], &st, 0);
			if (!rc && files.n == before)
				rc = msg_push(&out->input_errors, &out->ninput_errors, paths[i], "directory holds no files");
		} else {
			rc = flist_add(&files, paths[i]);
		}
	}
	free(dw.seen);
	if (dw.skipped > SKIP_NOTES_MAX && !rc)
		rc = msg_push(&out->input_notes, &out->ninput_notes, n ? paths[0] : "-",
			      "%zu paths skipped in all (the first %d are noted)", dw.skipped, SKIP_NOTES_MAX);
	size_t nsig;
	const fm_sig *sigs = fm_signatures(&nsig);
	size_t npat;
	const fm_pattern *pats = fm_signature_patterns(&npat);
	fm_scanner *sc = rc ? NULL : o->scanner ? o->scanner
				   : fm_scanner_new_prebuilt(pats, npat, o->prebuilt, o->prebuilt_len, d);
	fm_collector *col = fm_collector_new();
	fm_logconf *lc = fm_logconf_new();
	if (!rc && (!sc || !col || !lc))
		rc = sc ? FM_ENOMEM : (d ? d->code : FM_ENOMEM);
	ctx c = {sigs, col, lc, 0, NULL, NULL, 0, 0, NULL, 0, NULL, 0, o->process, -1, ""};
	size_t ninputs = 0;
	/* plain log files are scanned together on o->jobs threads (1 = one by one) */
	batch bt = {calloc(files.n + 1, sizeof(char *)), calloc(files.n + 1, sizeof(uint32_t)), 0, o->jobs != 1};
	if (!rc && (!bt.paths || !bt.idx))
		rc = FM_ENOMEM;
	/* an input that fails is reported and the others are read */
	size_t nfailed = 0;
	int first_code = 0; /* the code of the first input that failed (if none could be read) */
	for (size_t i = 0; i < files.n && !rc; i++) {
		fm_diag one = FM_DIAG_INIT;
		int orc = scan_one(sc, &c, files.v[i], out, &ninputs, &bt, &one);
		nfailed += orc != FM_OK;
		first_code = first_code ? first_code : orc;
		rc = c.rc ? c.rc : orc ? input_failed(out, files.v[i], orc, &one) : FM_OK;
		fm_diag_release(&one);
	}
	if (!rc && bt.n) {
		c.names = bt.paths;
		c.idx = bt.idx;
		c.nnames = bt.n;
		c.name = NULL;
		c.map = NULL;
		fm_diag *each = calloc(bt.n, sizeof *each);
		if (!each)
			rc = FM_ENOMEM;
		int src = rc ? rc : fm_scan_files_each(sc, bt.paths, bt.n, o->jobs, on_match, &c, each, NULL);
		if (!rc && c.rc)
			rc = c.rc;
		else if (!rc && src == FM_ENOMEM)
			rc = FM_ENOMEM;
		for (size_t i = 0; each && i < bt.n; i++) {
			nfailed += each[i].code != FM_OK;
			first_code = first_code ? first_code : each[i].code;
			if (!rc && each[i].code)
				rc = input_failed(out, bt.paths[i], each[i].code, &each[i]);
			fm_diag_release(&each[i]);
		}
		free(each);
		c.names = NULL;
	}
	free(bt.paths);
	free(bt.idx);
	if (!rc && mem) {
		fm_diag one = FM_DIAG_INIT;
		fm_utf16 enc = fm_utf16_detect(mem, memlen);
		size_t n8 = 0;
		char *u8 = enc ? to_utf8(mem, memlen, enc, true, &n8) : NULL;
		const char *m = u8 ? u8 : mem;
		size_t ml = u8 ? n8 : memlen;
		int orc = enc && !u8 ? FM_ENOMEM
				     : scan_data(sc, &c, memname, m, ml, fm_input_detect(m, ml < PEEK ? ml : PEEK), out,
						 &ninputs, &one);
		free(u8);
		nfailed += orc != FM_OK;
		first_code = first_code ? first_code : orc;
		rc = c.rc ? c.rc : orc ? input_failed(out, memname, orc, &one) : FM_OK;
		fm_diag_release(&one);
		out->nfiles++;
	}
	/* nothing could be read: that is an error, not a clean bill of health */
	if (!rc && out->ninput_errors && nfailed >= files.n + (mem ? 1 : 0)) {
		const fm_dx_input_msg *e = &out->input_errors[0];
		rc = fm_diag_set(d, first_code ? first_code : FM_EIO, e->path, e->line, e->col, NULL, "%s%s", e->msg,
				 out->ninput_errors > 1 ? " (no other input could be read either)" : "");
	}
	if (!rc && (rc = fm_collector_finish(col, &out->a)))
		fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	if (sc != o->scanner)
		fm_scanner_free(sc);
	fm_collector_free(col);
	flist_release(&files);
	/* the layout */
	if (!rc) {
		fm_process *procs = calloc(out->a.ninputs ? out->a.ninputs : 1, sizeof *procs);
		if (!procs)
			rc = FM_ENOMEM;
		for (size_t i = 0; procs && i < out->a.ninputs; i++)
			procs[i] = out->a.inputs[i].proc;
		if (!rc)
			rc = fm_logconf_result(lc, procs, out->a.ninputs, &out->rec);
		free(procs);
	}
	fm_logconf_free(lc);
	/* the release */
	if (!rc) {
		if (o->profile) {
			out->profile = o->profile;
			out->profile_reason = strdup(o->profile_reason ? o->profile_reason : "--flink-version");
		} else if (out->a.flink_version && fm_profile_for(out->a.flink_version)) {
			out->profile = fm_profile_for(out->a.flink_version);
			if (asprintf(&out->profile_reason, "detected: log header (Version: %s)", out->a.flink_version) < 0)
				out->profile_reason = NULL;
		} else if (out->pod.version[0] && fm_profile_for(out->pod.version)) {
			out->profile = fm_profile_for(out->pod.version);
			if (asprintf(&out->profile_reason, "detected: container image %s", out->pod.image) < 0)
				out->profile_reason = NULL;
		} else if (out->a.flink_version && pre_110(out->a.flink_version)) {
			/* 1.5-1.9 run the memory model before FLIP-49: the oldest
			 * profile's rules, and every fix also in that release's keys
			 * (before the config's guess: a header names what ran) */
			out->profile = fm_profile_for("1.10.0");
			out->a.legacy_keys++;
			if (asprintf(&out->profile_reason, "log header names %s, before 1.10: the oldest rules, with fixes also in "
				     "its own keys", out->a.flink_version) < 0)
				out->profile_reason = NULL;
			else
				rc = rnote(out, "Flink %s reads none of the taskmanager.memory.* / jobmanager.memory.* keys: "
					   "apply the fixes' lines marked \"releases before 1.10\" (taskmanager.heap.size, "
					   "jobmanager.heap.size, containerized.heap-cutoff-*)", out->a.flink_version);
		} else if (o->fallback) {
			out->profile = o->fallback;
			out->profile_reason = strdup(o->fallback_reason ? o->fallback_reason : "from the config");
		} else {
			out->profile = fm_profile_newest();
			if (asprintf(&out->profile_reason, "%s", out->a.flink_version ? "log header names an unsupported release; newest used" : "default (no version in the inputs)") < 0)
				out->profile_reason = NULL;
		}
		if (!out->profile_reason)
			rc = FM_ENOMEM;
	}
	/* the config fixes start from */
	fm_conf *base = NULL;
	if (!rc) {
		base = o->conf ? fm_conf_dup(o->conf) : fm_conf_new();
		if (!base)
			rc = FM_ENOMEM;
	}
	if (!rc && !o->conf) {
		bool need_tm = false, need_jm = false;
		fm_conf *from_flags = NULL;
		int64_t flagged = 0;
		for (size_t i = 0; i < out->a.n; i++) {
			if (out->a.v[i].aftermath || out->a.v[i].outside || out->a.v[i].failure == FM_F_CONFIG)
				continue;
			if (out->a.v[i].proc == FM_PROC_JM)
				need_jm = true;
			else
				need_tm = true;
		}
		/* a YARN kill names its container's limit (Flink asks YARN for the
		 * process size) and the kernel a killed container's cgroup limit:
		 * the size the process had, not the shipped one */
		int64_t killed[2][2] = {{0}}; /* [JM?][memcg?] */
		int64_t requested[2] = {0};   /* [JM?]: an eviction's request (Flink requests the process size) */
		for (size_t i = 0; i < out->a.n; i++) {
			const fm_incident *x = &out->a.v[i];
			if (x->failure == FM_F_K8S && x->evict_request >= MIB && !x->aftermath && !x->outside &&
			    !requested[x->proc == FM_PROC_JM])
				requested[x->proc == FM_PROC_JM] = x->evict_request / MIB * MIB;
			if ((x->failure != FM_F_YARN && x->failure != FM_F_K8S) || x->container_limit < MIB || x->aftermath ||
			    x->outside)
				continue;
			int64_t *y = &killed[x->proc == FM_PROC_JM][x->failure == FM_F_K8S];
			if (!*y)
				*y = x->container_limit / MIB * MIB;
		}
		bool pod_tm = out->pod.mem_limit > 0 && (need_tm || !need_jm);
		bool pod_jm = out->pod.mem_limit > 0 && !pod_tm;
		int same = 0;
		if (out->rec.tm && out->rec.tm_loaded && strcmp(out->rec.tm_from, out->rec.tm_loaded_from))
			rc = same_layout(out->rec.tm, out->rec.tm_loaded, out->profile, false, &same);
		if (!rc && same) {
			/* the user's own keys reproduce what the process ran with */
			rc = copy_conf(base, out->rec.tm_loaded);
			if (!rc && asprintf(&out->layout_tm, "%s (the same layout as %s)", out->rec.tm_loaded_from,
					    out->rec.tm_from) < 0)
				rc = FM_ENOMEM;
		} else if (!rc && out->rec.tm &&
			   (!(pod_tm || killed[0][0] || killed[0][1] || requested[0]) ||
			    (rc = derives(out->rec.tm, out->profile, false)) != 0)) {
			rc = rc < 0 ? FM_ENOMEM : copy_conf(base, out->rec.tm);
			if (!rc && !(out->layout_tm = strdup(out->rec.tm_from)))
				rc = FM_ENOMEM;
		} else if (!rc && (rc = deployment_sizes(out, false)) != 0) {
			rc = rc < 0 ? FM_ENOMEM : copy_conf(base, out->deploy);
			if (!rc && !(out->layout_tm = strdup(out->deploy_from)))
				rc = FM_ENOMEM;
		} else if (!rc && (pod_tm || killed[0][0] || killed[0][1] || requested[0])) {
			rc = limit_base(out, base, false,
					pod_tm ? out->pod.mem_limit : killed[0][0] ? killed[0][0] : killed[0][1] ? killed[0][1] : requested[0],
					pod_tm ? LIMIT_POD : killed[0][0] ? LIMIT_YARN : killed[0][1] ? LIMIT_MEMCG : LIMIT_REQUEST, need_tm);
		} else if (!rc && out->rec.tm_flink_xmx > 0 && out->rec.tm_flink_direct > 0 &&
			   (flagged = process_from_flags(out->profile, out->rec.tm_flink_xmx, out->rec.tm_flink_direct,
							 out->rec.tm_flink_meta, &from_flags)) != 0) {
			rc = flagged < 0 ? FM_ENOMEM : copy_conf(base, from_flags);
			char pt[32];
			fm_size_text(pt, sizeof pt, flagged > 0 ? flagged : 0);
			if (!rc && asprintf(&out->layout_tm, "the TaskManager's JVM options (-Xmx%lld, "
					    "-XX:MaxDirectMemorySize=%lld), which Flink's defaults give at "
					    "taskmanager.memory.process.size: %s",
					    (long long)out->rec.tm_flink_xmx, (long long)out->rec.tm_flink_direct, pt) < 0)
				rc = FM_ENOMEM;
		} else {
			fm_origin at = {NULL, 0, 0, FM_SRC_BUILTIN};
			rc = fm_conf_set_str(base, "taskmanager.memory.process.size", out->profile->shipped_tm_process, &at);
			if (!rc && asprintf(&out->layout_tm, "Flink's shipped default (taskmanager.memory.process.size: %s)",
					    out->profile->shipped_tm_process) < 0)
				rc = FM_ENOMEM;
			if (!rc && need_tm)
				rc = rnote(out, "no TaskManager layout in the inputs (no \"Final TaskExecutor Memory "
					   "configuration\", JVM options or -D sizes): fixes assume Flink's shipped default; "
					   "pass -c with your config for exact numbers");
		}
		same = 0;
		if (!rc && out->rec.jm && out->rec.jm_loaded && strcmp(out->rec.jm_from, out->rec.jm_loaded_from))
			rc = same_layout(out->rec.jm, out->rec.jm_loaded, out->profile, true, &same);
		if (!rc && same) {
			rc = copy_conf(base, out->rec.jm_loaded);
			if (!rc && asprintf(&out->layout_jm, "%s (the same layout as %s)", out->rec.jm_loaded_from,
					    out->rec.jm_from) < 0)
				rc = FM_ENOMEM;
		} else if (!rc && out->rec.jm &&
			   (!(pod_jm || killed[1][0] || killed[1][1] || requested[1]) ||
			    (rc = derives(out->rec.jm, out->profile, true)) != 0)) {
			/* (a recovered layout that does not derive gives way to the
			 * limit the kill printed) */
			rc = rc < 0 ? FM_ENOMEM : copy_conf(base, out->rec.jm);
			if (!rc && !(out->layout_jm = strdup(out->rec.jm_from)))
				rc = FM_ENOMEM;
		} else if (!rc && (rc = deployment_sizes(out, true)) != 0) {
			rc = rc < 0 ? FM_ENOMEM : copy_conf(base, out->deploy);
			if (!rc && !(out->layout_jm = strdup(out->deploy_from)))
				rc = FM_ENOMEM;
		} else if (!rc && (pod_jm || killed[1][0] || killed[1][1] || requested[1])) {
			rc = limit_base(out, base, true,
					pod_jm ? out->pod.mem_limit : killed[1][0] ? killed[1][0] : killed[1][1] ? killed[1][1] : requested[1],
					pod_jm ? LIMIT_POD : killed[1][0] ? LIMIT_YARN : killed[1][1] ? LIMIT_MEMCG : LIMIT_REQUEST, need_jm);
		} else if (!rc) {
			const char *line = out->profile->shipped_jm;
			const char *colon = strstr(line, ": ");
			fm_origin at = {NULL, 0, 0, FM_SRC_BUILTIN};
			if (colon) {
				char *key = strndup(line, (size_t)(colon - line));
				rc = key ? fm_conf_set_str(base, key, colon + 2, &at) : FM_ENOMEM;
				free(key);
			}
			if (!rc && asprintf(&out->layout_jm, "Flink's shipped default (%s)", line) < 0)
				rc = FM_ENOMEM;
			if (!rc && need_jm)
				rc = rnote(out, "no JobManager layout in the inputs: fixes assume Flink's shipped default; pass -c "
					   "with your config for exact numbers");
		}
		fm_conf_free(from_flags);
	} else if (!rc) {
		if (!(out->layout_tm = strdup(o->conf_name ? o->conf_name : "-c")) ||
		    !(out->layout_jm = strdup(o->conf_name ? o->conf_name : "-c")))
			rc = FM_ENOMEM;
	}
	/* a container kill with RocksDB outside Flink's budget is RocksDB's native memory */
	for (size_t i = 0; i < out->a.n && !rc; i++) {
		fm_incident *x = &out->a.v[i];
		if ((x->failure == FM_F_K8S || x->failure == FM_F_YARN) && !x->vmem && !x->node_level &&
		    (out->a.rocksdb_managed == 0 || out->rec.rocksdb_unmanaged ||
		     (unbounded_state(base) && !x->outside && x->proc != FM_PROC_JM)))
			x->failure = FM_F_ROCKSDB;
	}
	for (size_t i = 0; i < out->rec.nnotes && !rc; i++)
		rc = rnote(out, "%s", out->rec.notes[i]);

	if (!rc)
		rc = compare_config(out, o);
	/* remedies */
	if (!rc && out->a.n && !(out->fix = calloc(out->a.n, sizeof *out->fix)))
		rc = FM_ENOMEM;
	for (size_t i = 0; i < out->a.n && !rc; i++)
		if (!out->a.v[i].aftermath)
			rc = fm_remedy_for(&out->a.v[i], &out->a, &out->rec, base, o->conf, out->profile, &out->fix[i]);
	for (size_t i = 0; out->fix && o->conf && o->k8s && i < out->a.n && !rc; i++) {
		rc = k8s_where(&out->fix[i].fix, o->conf, o->k8s);
		if (!rc)
			rc = k8s_where(&out->fix[i].pinned, o->conf, o->k8s);
	}
	/* (a fix that starts from the FlinkDeployment among the inputs is
	 * written where its size comes from too) */
	for (size_t i = 0; out->fix && !o->conf && out->deploy_docs && i < out->a.n && !rc; i++) {
		rc = k8s_where(&out->fix[i].fix, out->deploy, &out->deploy_docs[0]);
		if (!rc)
			rc = k8s_where(&out->fix[i].pinned, out->deploy, &out->deploy_docs[0]);
	}
	fm_conf_free(base);
	if (rc) {
		if (d && !d->code)
			fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
		/* nothing read: the caller still gets one line per input that failed */
		fm_dx_input_msg *errs = rc != FM_ENOMEM ? out->input_errors : NULL;
		size_t nerrs = errs ? out->ninput_errors : 0;
		if (errs)
			out->input_errors = NULL, out->ninput_errors = 0;
		fm_dx_result_release(out);
		out->input_errors = errs;
		out->ninput_errors = nerrs;
	}
	return rc;
}

int fm_diagnose(const char *const *paths, size_t n, const fm_dx_opts *o, fm_dx_result *out, fm_diag *d)
{
	return pipeline(paths, n, NULL, 0, NULL, o, out, d);
}

int fm_diagnose_mem(const char *data, size_t len, const char *name, const fm_dx_opts *o, fm_dx_result *out,
		    fm_diag *d)
{
	return pipeline(NULL, 0, data, len, name ? name : "-", o, out, d);
}

void fm_dx_result_release(fm_dx_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->fix && i < r->a.n; i++)
		fm_remedy_release(&r->fix[i]);
	free(r->fix);
	fm_analysis_release(&r->a);
	fm_recovered_release(&r->rec);
	free(r->profile_reason);
	free(r->layout_tm);
	free(r->layout_jm);
	free(r->kinds);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (size_t i = 0; i < r->ninput_errors; i++) {
		free(r->input_errors[i].path);
		free(r->input_errors[i].msg);
	}
	free(r->input_errors);
	for (size_t i = 0; i < r->ninput_notes; i++) {
		free(r->input_notes[i].path);
		free(r->input_notes[i].msg);
	}
	free(r->input_notes);
	fm_k8s_docs_free(r->deploy_docs, r->ndeploy);
	fm_conf_free(r->deploy);
	free(r->deploy_from);
	*r = (fm_dx_result){0};
	r->a.root = -1;
}
