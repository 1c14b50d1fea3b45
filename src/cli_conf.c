/* cli_conf — assembles the configuration the way Flink's scripts would see
 * it: -c PATH (file or conf dir) or FLINK_CONF_DIR, FLINK_PROPERTIES,
 * -D key=value, FLINK_TM_HEAP / FLINK_JM_HEAP. Picks the release profile
 * (--flink-version, else detected from the files, else the newest).
 * A FlinkDeployment file gives the configuration the operator would hand
 * to Flink (flinkConfiguration, resource.memory on top), profile from
 * spec.flinkVersion.
 * The only module that reads the environment. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "flinkmem/conf_embed.h"
#include "flinkmem/escape.h"
#include "flinkmem/sources.h"

#define CONF_FILE_CAP ((size_t)256 << 20) /* a 100 MB line still loads */

/* Error lines echo input (paths, keys, values, --name): every one goes
 * through the terminal rule of escape.h and stays one line. A very long
 * one keeps its head (file:line:col) and its tail (the key). */
#define ERR_HEAD 2000
#define ERR_TAIL 500
void cli_err(const char *fmt, ...)
{
	fm_buf m = FM_BUF_INIT, e = FM_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = fm_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	const char *s = m.data ? m.data : "";
	if (!rc && m.len > ERR_HEAD + ERR_TAIL) {
		size_t tail = m.len - ERR_TAIL;
		for (int k = 0; k < 3 && tail < m.len && ((unsigned char)s[tail] & 0xc0) == 0x80; k++)
			tail++; /* start the tail on a character */
		size_t head = ERR_HEAD;
		for (int k = 0; k < 3 && ((unsigned char)s[head] & 0xc0) == 0x80; k++)
			head--; /* and the head end on one */
		rc = fm_esc_text(&e, s, head) || fm_buf_addf(&e, " ... (%zu bytes) ... ", tail - head) ||
		     fm_esc_text(&e, s + tail, m.len - tail);
	} else if (!rc) {
		rc = fm_esc_text(&e, s, m.len);
	}
	fprintf(stderr, "flinkmem: %s\n", rc ? "(out of memory formatting an error)" : e.data);
	fm_buf_release(&m);
	fm_buf_release(&e);
}

bool cli_color(void)
{
	/* no-color.org: NO_COLOR set and not empty; TERM=dumb: a terminal
	 * (Emacs' shell, some CI consoles) that shows escapes as text */
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

size_t cli_width(void)
{
	/* COLUMNS wins (0: no limit, for scripts that want one line per item);
	 * else a terminal's width; else 80, as man(1) and ls(1) assume for a
	 * pipe or a file, so `flinkmem ... | less` reads like the terminal */
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		errno = 0;
		long v = strtol(c, &end, 10);
		if (!errno && *end == '\0' && v == 0)
			return 0;
		if (!errno && *end == '\0' && v >= 20 && v <= 100000)
			return (size_t)v;
	}
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return CLI_WIDTH_DEFAULT;
}

int cli_fit_width(fm_buf *b)
{
	size_t width = cli_width();
	if (!width)
		return 0;
	fm_buf w = FM_BUF_INIT;
	if (fm_text_wrap(&w, b->data ? b->data : "", b->len, width)) {
		fm_buf_release(&w);
		cli_err("out of memory");
		return 2;
	}
	fm_buf_release(b);
	*b = w;
	return 0;
}

int cli_write(const char *data, size_t len)
{
	/* The output is one buffer already: after what stdio holds, straight
	 * to the descriptor (no 4 KiB stdio buffer to allocate and fill). */
	if (fflush(stdout) != 0) {
		cli_err("cannot write output: %s", strerror(errno));
		return 2;
	}
	while (len) {
		ssize_t k = write(STDOUT_FILENO, data, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			cli_err("cannot write output: %s", strerror(k < 0 ? errno : EIO));
			return 2;
		}
		data += k;
		len -= (size_t)k;
	}
	return 0;
}

int cli_write_rendered(int render_rc, const fm_buf *b)
{
	if (render_rc) {
		cli_err("out of memory");
		return 2;
	}
	return cli_write(b->data ? b->data : "", b->len);
}

int cli_write_text(const char *data, size_t len)
{
	fm_buf b = FM_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < len && !rc;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - data) : len;
		rc = fm_esc_text_capped(&b, data + i, e - i, FM_TEXT_CAP) || (nl && fm_buf_addc(&b, '\n'));
		i = e + 1;
	}
	if (rc) {
		fm_buf_release(&b);
		cli_err("out of memory");
		return 2;
	}
	rc = cli_write(b.data ? b.data : "", b.len);
	fm_buf_release(&b);
	return rc;
}

void cli_read_err(const char *path)
{
	if (errno == EFBIG)
		cli_err("%s: cannot read: file larger than flinkmem's limit of %zu MiB", path, CONF_FILE_CAP >> 20);
	else
		cli_err("%s: cannot read: %s", path, strerror(errno));
}

/* "X.Y..." as X*1000+Y, or -1. */
static long release_line(const char *s)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || *end != '.' || a < 0 || a > 99)
		return -1;
	const char *q = end + 1;
	long b = strtol(q, &end, 10);
	return end == q || b < 0 || b > 999 ? -1 : a * 1000 + b;
}

/* The newest release line flinkmem has rules for ("2.2" of "2.0.0-2.2.x"). */
static const char *newest_line_end(void)
{
	const fm_profile *nw = fm_profile_newest();
	const char *nt = strrchr(nw->releases, '-');
	return nt ? nt + 1 : nw->releases;
}

static const fm_profile *oldest_profile(void)
{
	size_t i = 0;
	while (fm_profiles[i + 1])
		i++;
	return fm_profiles[i];
}

const fm_profile *cli_profile_fb(const char *release, const char *where, bool fallback, const char **fell)
{
	const fm_profile *p = fm_profile_for(release);
	if (fell)
		*fell = NULL;
	/* A profile covers a range of releases ("2.0.0-2.2.x"); a release line
	 * past its end (2.3, 9.9, 1.21) is one flinkmem has not seen: its rules
	 * may differ, so it is refused instead of silently computed as the
	 * newest, unless the user asks for exactly that. Before 1.10 Flink had
	 * no memory model of this kind (FLIP-49) to compute. */
	const char *top = p ? strrchr(p->releases, '-') : NULL;
	long want = release_line(release), have = p ? release_line(top ? top + 1 : p->releases) : -1;
	if (p && want >= 0 && have >= 0 && want <= have)
		return p;
	const char *nt = newest_line_end();
	bool newer = want > release_line(nt) || (want >= 1000 && p && want > have);
	bool older = want >= 0 && want < 1010;
	if (fallback && (newer || older)) {
		if (fell)
			*fell = older ? "older than every profile: computed with the oldest rules flinkmem has, "
					"--flink-version-fallback"
				      : "newer than flinkmem knows: computed with the nearest older profile, "
					"--flink-version-fallback";
		return older ? oldest_profile() : p ? p : fm_profile_newest();
	}
	const char *w = where ? where : "", *sep = where ? ": " : "";
	if (older)
		cli_err("%s%sFlink %s has no memory model flinkmem computes: profiles start at 1.10.0 "
			"(--flink-version-fallback computes with the oldest, 1.10.0)", w, sep, release);
	else if (newer)
		cli_err("%s%sunknown Flink release '%s': flinkmem knows 1.10.0 to %s (--flink-version-fallback computes "
			"it with the nearest older profile)", w, sep, release, nt);
	else
		cli_err("%s%sunknown Flink release '%s': flinkmem knows 1.10.0 to %s", w, sep, release, nt);
	return NULL;
}

void cli_release_title(char *out, size_t cap, const fm_profile *p, const char *release)
{
	char span[FM_PROFILE_SPAN_MAX];
	fm_profile_span(p, span);
	snprintf(out, cap, "Flink %s (rules of the %s profile)", release ? release : p->name, span);
}

const fm_profile *cli_profile_at(const char *release, const char *where)
{
	return cli_profile_fb(release, where, false, NULL);
}

const fm_profile *cli_profile(const char *release)
{
	return cli_profile_at(release, NULL);
}

char *cli_read_file(const char *path, size_t *len)
{
	/* read(2) straight into one buffer of the file's size: no stdio
	 * buffer, no copy, no 64 KiB on the stack (a short command's cost is
	 * mostly the pages it touches, docs/perf.md) */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	/* a regular file past the cap fails before a byte is read; pipes and
	 * /proc files (size 0) meet the cap while streaming */
	struct stat st;
	size_t cap = 65536;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > CONF_FILE_CAP) {
			close(fd);
			errno = EFBIG;
			return NULL;
		}
		if (st.st_size > 0)
			cap = (size_t)st.st_size + 1; /* + 1: its end is seen without growing */
	}
	/* up to CONF_FILE_CAP + 1 bytes are read: one past the cap is too big */
	if (cap > CONF_FILE_CAP + 1)
		cap = CONF_FILE_CAP + 1;
	size_t n = 0;
	int err = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		err = ENOMEM;
	while (!err) {
		if (n == cap) {
			if (cap > CONF_FILE_CAP) {
				err = EFBIG;
				break;
			}
			size_t nc = cap > (CONF_FILE_CAP + 1) / 2 ? CONF_FILE_CAP + 1 : cap * 2;
			char *nb = realloc(buf, nc + 1);
			if (!nb) {
				err = ENOMEM;
				break;
			}
			buf = nb;
			cap = nc;
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			err = errno;
		else if (k == 0)
			break;
		else
			n += (size_t)k;
	}
	close(fd);
	if (!err && n > CONF_FILE_CAP)
		err = EFBIG;
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void note(cli_conf *cc, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(cli_conf *cc, const char *kind, const char *fmt, ...)
{
	if (cc->nnotes >= 8)
		return;
	char *t = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) < 0)
		t = NULL;
	va_end(ap);
	cc->note_text[cc->nnotes] = t;
	cc->notes[cc->nnotes] = (fm_source_note){kind, t};
	cc->nnotes++;
}

static bool file_exists(const char *dir, const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return false;
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void set_reason(cli_conf *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_reason(cli_conf *cc, const char *fmt, ...)
{
	free(cc->reason);
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&cc->reason, fmt, ap) < 0)
		cc->reason = NULL;
	va_end(ap);
}

/* With keep_image the bytes just parsed become cc->image (plan edits
 * exactly what it planned from); else they are freed. Takes data. */
static void keep_or_free(cli_conf *cc, const char *file, char *data, size_t len, bool flat)
{
	if (cc->keep_image && !cc->image && (cc->image_file = strdup(file)) != NULL) {
		cc->image = data;
		cc->image_len = len;
		cc->image_flat = flat;
		return;
	}
	free(data);
}

/* Loads one config file from its bytes (takes data); 0, or 2 after an
 * error message. */
static int load_text(cli_conf *cc, const char *file, fm_fmt fmt, char *data, size_t len)
{
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_conf_load_text(cc->conf, fmt, file, data, len, cc->profile, &cc->load_logs, &d);
	keep_or_free(cc, file, data, len, fmt == FM_FMT_FLAT);
	if (rc == FM_ENOMEM) {
		cli_err("%s: out of memory", file);
		fm_diag_release(&d);
		return 2;
	}
	if (rc != FM_OK && !d.jclass) {
		/* One of flinkmem's own limits (size, nesting), not a Flink error. */
		if (d.line)
			cli_err("%s:%u:%u: %s", file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
		else
			cli_err("%s: %s", file, d.msg ? d.msg : fm_strerror(rc));
		fm_diag_release(&d);
		return 2;
	}
	if (rc != FM_OK) {
		/* Flink fails to load this file too: both sides report its error. */
		cli_err("%s:%u:%u: %s", file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
		fm_load_error_chain(&d, &cc->load_err);
		free(cc->load_file);
		cc->load_file = strdup(file);
		cc->load_line = d.line;
		cc->load_col = d.col;
	}
	fm_diag_release(&d);
	note(cc, fmt == FM_FMT_FLAT ? "flink-conf.yaml (legacy line parser)" : "config.yaml (YAML 1.2)",
	     "%s", file);
	return 0;
}

/* Reads and loads one config file; 0, or 2 after an error message. */
static int load_file(cli_conf *cc, const char *file, fm_fmt fmt)
{
	size_t len;
	char *data = cli_read_file(file, &len);
	if (!data) {
		cli_read_err(file);
		return 2;
	}
	return load_text(cc, file, fmt, data, len);
}

int cli_conf_k8s_refused(const cli_conf *cc)
{
	int rc = 0;
	for (int i = 0; i < 2; i++) {
		const fm_diag *d = &cc->k8s_rejected[i];
		if (!d->code)
			continue;
		cli_err("%s:%u:%u: %s (%s); the operator refuses this FlinkDeployment", d->file ? d->file : cc->path,
			d->line, d->col, d->msg ? d->msg : "rejected", d->key ? d->key : "resource.memory");
		rc = 1;
	}
	return rc;
}

/* The FlinkDeployment(s) of a CR file read into set: picks one (--name,
 * the index check asks for, else the first), its effective configuration
 * becomes cc->conf and spec.flinkVersion the profile. 0, or 2 after an
 * error message. */
static int pick_cr(cli_conf *cc, const char *file, const fm_k8s_set *set)
{
	int rc;
	cc->is_k8s = true;
	if (set->ndocs == 0) {
		if (set->njobs && cc->k8s_jobs_ok) {
			if (!cc->profile) {
				cc->profile = fm_profile_newest();
				set_reason(cc, "the newest (a file of FlinkSessionJobs has no flinkVersion)");
			}
			note(cc, "FlinkSessionJob", "%s (%zu FlinkSessionJob%s, no FlinkDeployment)", file, set->njobs,
			     set->njobs == 1 ? "" : "s");
			return 0;
		}
		if (set->njobs)
			cli_err("%s:%u:%u: no FlinkDeployment in this file: FlinkSessionJob '%s' runs on deployment '%s', "
				"whose file holds the memory settings (kind)",
				file, set->jobs[0].line, set->jobs[0].col, set->jobs[0].name ? set->jobs[0].name : "?",
				set->jobs[0].deployment ? set->jobs[0].deployment : "?");
		else
			cli_err("%s:1:1: no FlinkDeployment in this file (kind)", file);
		return 2;
	}
	size_t pick = 0;
	if (cc->name) {
		pick = set->ndocs;
		for (size_t i = 0; i < set->ndocs; i++)
			if (set->docs[i].name && strcmp(set->docs[i].name, cc->name) == 0) {
				pick = i;
				break;
			}
		if (pick == set->ndocs) {
			fm_buf names = FM_BUF_INIT;
			for (size_t i = 0; i < set->ndocs; i++)
				fm_buf_addf(&names, "%s'%s'", i ? ", " : "", set->docs[i].name ? set->docs[i].name : "");
			cli_err("%s:1:1: no FlinkDeployment named '%s' (the file has %s) (metadata.name)", file, cc->name,
				names.data ? names.data : "none");
			fm_buf_release(&names);
			return 2;
		}
	} else if (cc->k8s_index_set && cc->k8s_index < set->ndocs) {
		pick = cc->k8s_index;
	} else if (set->ndocs > 1) {
		cli_err("note: %s has %zu FlinkDeployments; using the first ('%s'); choose one with --name NAME", file,
			set->ndocs, set->docs[0].name ? set->docs[0].name : "");
	}
	const fm_k8s_doc *doc = &set->docs[pick];
	cc->k8s_doc = doc;
	if (!cc->profile) {
		if (doc->profile) {
			/* a release past the profiles' range is refused as on the
			 * command line (v3_0 is no 2.2) */
			char *where = NULL;
			const char *fell = NULL;
			if (asprintf(&where, "%s:%u:%u", file, doc->flink_version_raw.line, doc->flink_version_raw.col) < 0)
				where = NULL;
			cc->profile = cli_profile_fb(doc->flink_version, where ? where : file, cc->version_fallback, &fell);
			free(where);
			if (!cc->profile)
				return 2;
			free(cc->release);
			if (!(cc->release = strdup(doc->flink_version))) {
				cli_err("out of memory");
				return 2;
			}
			set_reason(cc, "detected: spec.flinkVersion %s at %s:%u:%u%s%s%s", doc->flink_version_raw.text, file,
				   doc->flink_version_raw.line, doc->flink_version_raw.col, fell ? " (" : "", fell ? fell : "",
				   fell ? ")" : "");
		} else {
			cc->profile = fm_profile_newest();
			set_reason(cc, doc->flink_version_raw.text
					       ? "the newest (spec.flinkVersion '%s' names no release flinkmem knows)"
					       : "the newest (no spec.flinkVersion in the FlinkDeployment)%s",
				   doc->flink_version_raw.text ? doc->flink_version_raw.text : "");
		}
	}
	fm_conf *eff = NULL;
	if (cc->op_version && fm_k8s_operator_version(cc->op_version, &cc->k8s_op) != FM_OK) {
		cli_err("unknown operator version '%s' (1.0 ... 1.%d, or main)", cc->op_version, FM_K8S_OP_NEWEST_RELEASE);
		return 2;
	}
	rc = fm_k8s_effective_conf_op(doc, cc->k8s_op, &eff, cc->k8s_rejected);
	if (rc != FM_OK) {
		cli_err("%s: out of memory", file);
		return 2;
	}
	fm_conf_free(cc->conf);
	cc->conf = eff;
	for (size_t i = 0; i < doc->notes.n; i++)
		if (fm_logs_add(&cc->load_logs, "", "%s", doc->notes.v[i]) != FM_OK) {
			cli_err("out of memory");
			return 2;
		}
	char *who = NULL;
	if (doc->name ? asprintf(&who, "'%s'", doc->name) < 0 : asprintf(&who, "line %u (no metadata.name)", doc->line) < 0)
		who = NULL;
	size_t total = set->ndocs + set->nstreamed;
	if (total > 1)
		note(cc, "FlinkDeployment", "%s: %s (%zu of %zu in the file)", file, who ? who : "?", pick + 1, total);
	else
		note(cc, "FlinkDeployment", "%s: %s (operator rules: flinkConfiguration, then resource.memory)", file,
		     who ? who : "?");
	free(who);
	return 0;
}

/* Reads every object of a CR file into cc->k8s (or with cc->k8s_each,
 * the first FlinkDeployment, the later ones streamed), then picks one. */
static int load_cr(cli_conf *cc, const char *file, const char *data, size_t len)
{
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_load_stream(file, data, len, &cc->k8s, cc->k8s_each, cc->k8s_each_ctx, &d);
	if (rc != FM_OK) {
		if (rc == FM_ENOMEM)
			cli_err("%s: out of memory", file);
		else
			cli_err("%s", d.msg ? d.msg : fm_strerror(rc));
		fm_diag_release(&d);
		return 2;
	}
	return pick_cr(cc, file, &cc->k8s);
}

/* The release of the distribution Flink's scripts run from: they export
 * FLINK_LIB_DIR (else FLINK_HOME/lib), which holds flink-dist-<v>.jar
 * (flink-dist_<scala>-<v>.jar before 1.15); without either, the lib/
 * beside a conf dir (migrate-config-file.sh exports neither). Sets
 * cc->profile when one such jar names a release flinkmem knows. */
void cli_conf_detect_release(cli_conf *cc, const char *conf_dir)
{
	const char *lib = getenv("FLINK_LIB_DIR"), *home = getenv("FLINK_HOME");
	char *dir = NULL;
	struct stat st;
	if (lib && *lib)
		dir = strdup(lib);
	else if (home && *home && asprintf(&dir, "%s/lib", home) < 0)
		dir = NULL;
	else if ((!home || !*home) && conf_dir && stat(conf_dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		 asprintf(&dir, "%s/../lib", conf_dir) < 0)
		dir = NULL; /* the distribution's own layout: conf/ beside lib/ */
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		size_t len = strlen(n);
		if (strncmp(n, "flink-dist", 10) != 0 || !ends_with(n, ".jar"))
			continue;
		/* the version follows the first '-' ("_2.12" may come before it)
		 * and ends at ".jar" or a further '-' ("-SNAPSHOT") */
		const char *v0 = strchr(n + 10, '-');
		if (!v0 || v0 >= n + len - 4)
			continue;
		v0++;
		const char *v1 = strchr(v0, '-');
		if (!v1 || v1 > n + len - 4)
			v1 = n + len - 4;
		char *ver = strndup(v0, (size_t)(v1 - v0));
		const fm_profile *p = ver ? fm_profile_for(ver) : NULL;
		if (p) {
			/* a release past the profiles' range is refused as on the
			 * command line (flink-dist-3.0.0.jar is no 2.2) */
			char *where = NULL;
			const char *fell = NULL;
			if (asprintf(&where, "%s/%s", dir, n) < 0)
				where = NULL;
			cc->profile = cli_profile_fb(ver, where ? where : n, cc->version_fallback, &fell);
			free(where);
			if (!cc->profile) {
				cc->release_refused = true;
				free(ver);
				break;
			}
			set_reason(cc, "detected: %s/%s (the distribution's release%s%s)", dir, n, fell ? "; " : "",
				   fell ? fell : "");
			free(cc->release);
			cc->release = ver;
			break;
		}
		free(ver);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* A config embedded in a ConfigMap or Helm values (conf_embed.h), or a
 * Kubernetes object that holds none (an error). Takes data unless it
 * returns 1: nothing embedded, a plain config file. Else 0, or 2 after an
 * error message. */
static int load_embedded(cli_conf *cc, const char *path, char *data, size_t len)
{
	fm_embedded em;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_embedded_find(path, data, len, &em, &d);
	if (rc == FM_OK && !em.other_kind && !em.flat.text && !em.yaml.text) {
		fm_embedded_release(&em);
		return 1;
	}
	free(data);
	if (rc == FM_ENOMEM) {
		cli_err("%s: out of memory", path);
	} else if (rc != FM_OK) {
		cli_err("%s:%u:%u: %s (%s)", path, d.line, d.col, d.msg ? d.msg : fm_strerror(rc), d.key ? d.key : "");
	} else if (em.other_kind && !strcmp(em.other_kind, "ConfigMap")) {
		cli_err("%s:%u:%u: a Kubernetes ConfigMap without config.yaml or flink-conf.yaml in its data, not a Flink "
			"configuration (kind)", path, em.other_line, em.other_col);
		rc = FM_EINVAL;
	} else if (em.other_kind) {
		cli_err("%s:%u:%u: a Kubernetes %s, not a Flink configuration: flinkmem reads flink-conf.yaml, config.yaml, "
			"a FlinkDeployment, or a ConfigMap or Helm values holding one (kind)",
			path, em.other_line, em.other_col, em.other_kind);
		rc = FM_EINVAL;
	} else {
		bool has_flat = em.flat.text, has_yaml = em.yaml.text;
		fm_embedded_file *pick = has_flat && !has_yaml ? &em.flat : &em.yaml;
		if (!cc->profile) {
			cc->profile = has_flat && !has_yaml ? fm_profile_for("1.20") : fm_profile_newest();
			set_reason(cc, "detected: %s at %s:%u:%u (%s)", pick->where, path, pick->line, pick->col,
				   has_flat && !has_yaml ? "newest 1.x reading flink-conf.yaml" : "newest release");
		}
		const fm_profile *p = cc->profile;
		pick = p->yaml_only ? &em.yaml : p->yaml_fallback ? (has_flat ? &em.flat : &em.yaml) : &em.flat;
		if (!pick->text) {
			cli_err("%s: Flink %s reads %s, and this file embeds only %s (%s)", path, p->name,
				pick == &em.yaml ? "config.yaml" : "flink-conf.yaml", has_flat ? em.flat.where : em.yaml.where,
				pick == &em.yaml ? "config.yaml" : "flink-conf.yaml");
			rc = FM_EINVAL;
		} else {
			cc->embedded = true;
			note(cc, "embedded", "%s: %s%s", path, pick->where,
			     em.more ? " (the first; the file embeds more)" : "");
			char *text = pick->text;
			pick->text = NULL;
			rc = load_text(cc, path, pick == &em.yaml ? FM_FMT_YAML : FM_FMT_FLAT, text, pick->len) ? FM_EINVAL : FM_OK;
		}
	}
	fm_embedded_release(&em);
	fm_diag_release(&d);
	return rc == FM_OK ? 0 : 2;
}

int cli_conf_load(cli_conf *cc)
{
	cc->conf = fm_conf_new();
	if (!cc->conf) {
		cli_err("out of memory");
		return 2;
	}
	if (cc->version) {
		const char *fell;
		cc->profile = cli_profile_fb(cc->version, NULL, cc->version_fallback, &fell);
		if (!cc->profile)
			return 2;
		if (!(cc->release = strdup(cc->version))) {
			cli_err("out of memory");
			return 2;
		}
		set_reason(cc, "chosen by --flink-version %s%s%s%s", cc->version, fell ? " (" : "", fell ? fell : "",
			   fell ? ")" : "");
	}
	if (!cc->profile)
		cli_conf_detect_release(cc, cc->path ? cc->path : getenv("FLINK_CONF_DIR"));
	if (cc->release_refused)
		return 2;
	const char *path = cc->path;
	if (!path) {
		const char *envdir = getenv("FLINK_CONF_DIR");
		if (envdir && *envdir) {
			path = envdir;
			note(cc, "FLINK_CONF_DIR", "%s", envdir);
		}
	}
	int rc = 0;
	if (!path) {
		if (!cc->profile) {
			cc->profile = fm_profile_newest();
			set_reason(cc, "the newest (no version given or detected)");
		}
		const fm_profile *p = cc->profile;
		char *text = NULL;
		if (asprintf(&text, "taskmanager.memory.process.size: %s\n%s\n", p->shipped_tm_process, p->shipped_jm) < 0)
			return 2;
		fm_diag d = FM_DIAG_INIT;
		fm_conf_load_text(cc->conf, FM_FMT_FLAT, "(shipped config)", text, strlen(text), p, NULL, &d);
		fm_diag_release(&d);
		note(cc, "builtin", "no config given: the config Flink %s ships (taskmanager.memory.process.size: %s, %s)",
		     p->releases, p->shipped_tm_process, p->shipped_jm);
		free(text);
	} else {
		struct stat st;
		if (stat(path, &st) != 0) {
			cli_err("%s: cannot read: %s", path, strerror(errno));
			return 2;
		}
		if (cc->k8s_from) {
			/* check's later FlinkDeployments: the file was read once. */
			rc = pick_cr(cc, path, cc->k8s_from);
		} else if (S_ISDIR(st.st_mode) || cc->conf_dir_only) {
			/* A conf dir that is a file: Flink looks for FILE/<its config
			 * file> and reports that missing, as for an empty directory. */
			bool has_flat = file_exists(path, "flink-conf.yaml");
			bool has_yaml = file_exists(path, "config.yaml");
			if (!cc->profile) {
				cc->profile = has_flat && !has_yaml ? fm_profile_for("1.20") : fm_profile_newest();
				set_reason(cc, has_flat && !has_yaml
					   ? "detected: the conf dir has flink-conf.yaml (newest 1.x reading it)"
					   : "detected: the conf dir has config.yaml (newest release)");
			}
			const fm_profile *p = cc->profile;
			const char *name = p->yaml_only ? "config.yaml"
					   : p->yaml_fallback ? (has_flat ? "flink-conf.yaml" : "config.yaml")
							      : "flink-conf.yaml";
			char *file = NULL;
			if (asprintf(&file, "%s/%s", path, name) < 0)
				return 2;
			if (!file_exists(path, name)) {
				char *abs = realpath(path, NULL);
				char *absf = NULL;
				if (asprintf(&absf, "%s/%s", abs ? abs : path, name) < 0)
					absf = NULL;
				fm_missing_file_chain(file, absf ? absf : file, &cc->load_err);
				/* the release asked for (--flink-version 2.0), else the
				 * profile's newest */
				cli_err("%s: Flink %s reads this file and it does not exist", file,
					cc->release ? cc->release : p->name);
				cc->load_file = strdup(file);
				free(abs);
				free(absf);
			} else {
				rc = load_file(cc, file, strcmp(name, "config.yaml") == 0 ? FM_FMT_YAML : FM_FMT_FLAT);
			}
			free(file);
		} else {
			size_t len = 0;
			char *data = cli_read_file(path, &len);
			if (!data) {
				cli_read_err(path);
				return 2;
			}
			/* one read: detection, parsing and plan's edit see the same bytes */
			bool cr = fm_k8s_looks_like_cr(data, len);
			if (cr) {
				rc = load_cr(cc, path, data, len);
				keep_or_free(cc, path, data, len, false);
				goto loaded;
			}
			if (cc->name) {
				free(data);
				cli_err("%s: --name picks a FlinkDeployment, and this is not a FlinkDeployment file", path);
				return 2;
			}
			if (fm_embedded_maybe(data, len)) {
				int erc = load_embedded(cc, path, data, len);
				if (erc != 1) {
					rc = erc;
					goto loaded;
				}
			}
			const char *bn = base_name(path);
			/* flink-conf.yaml, and names made from it (flink-conf-117.yaml,
			 * flink-conf.prod.yaml): the legacy file of 1.x */
			bool named_like = !strncmp(bn, "flink-conf", 10) && ends_with(bn, ".yaml") && strcmp(bn, "flink-conf.yaml");
			bool named_yaml = ends_with(bn, "config.yaml") && !ends_with(bn, "flink-conf.yaml");
			bool named_flat = ends_with(bn, "flink-conf.yaml") || named_like;
			if (!cc->profile) {
				cc->profile = named_flat ? fm_profile_for("1.20") : fm_profile_newest();
				if (named_like)
					set_reason(cc, "detected: %s is named like flink-conf*.yaml (the newest 1.x reads that "
						   "file; --flink-version for another)", bn);
				else
					set_reason(cc, named_flat ? "detected: flink-conf.yaml (newest 1.x reading it)"
								  : "detected: not a flink-conf.yaml (newest release)");
			}
			const fm_profile *p = cc->profile;
			fm_fmt fmt;
			if (p->yaml_only)
				fmt = FM_FMT_YAML;
			else if (p->yaml_fallback)
				fmt = named_yaml ? FM_FMT_YAML : FM_FMT_FLAT;
			else
				fmt = FM_FMT_FLAT;
			if (named_flat && p->yaml_only)
				cli_err("note: Flink %s reads only config.yaml; reading %s as if it were one", p->releases, path);
			if (named_yaml && fmt == FM_FMT_FLAT)
				cli_err("note: Flink %s reads only flink-conf.yaml, with its line parser; reading %s that way",
					p->releases, path);
			rc = load_text(cc, path, fmt, data, len);
		}
	}
loaded:
	if (rc)
		return rc;
	const fm_profile *p = cc->profile;
	const char *props = getenv("FLINK_PROPERTIES");
	/* The operator's pods do not see this shell's FLINK_PROPERTIES. */
	if (props && *props && !cc->is_k8s) {
		fm_diag d = FM_DIAG_INIT;
		int prc = fm_conf_add_flink_properties(cc->conf, p->yaml_only ? FM_FMT_YAML : FM_FMT_FLAT, props, p,
						       &cc->load_logs, &d);
		if (prc != FM_OK) {
			cli_err("FLINK_PROPERTIES:%u:%u: %s", d.line, d.col, d.msg ? d.msg : fm_strerror(prc));
			fm_diag_release(&d);
			return 2;
		}
		fm_diag_release(&d);
		note(cc, "FLINK_PROPERTIES", "environment variable (Docker image rules)");
	}
	for (size_t i = 0; i < cc->ndynamic; i++) {
		fm_diag d = FM_DIAG_INIT;
		if (fm_conf_add_dynamic(cc->conf, cc->dynamic[i], strlen(cc->dynamic[i]), &d) != FM_OK) {
			cli_err("%s", d.msg ? d.msg : "bad -D");
			fm_diag_release(&d);
			return 2;
		}
		note(cc, "-D", "%s", cc->dynamic[i]);
	}
	if (p->legacy_heap && !cc->is_k8s) {
		cc->env.flink_tm_heap = getenv("FLINK_TM_HEAP");
		cc->env.flink_jm_heap = getenv("FLINK_JM_HEAP");
		if (cc->env.flink_tm_heap)
			note(cc, "FLINK_TM_HEAP", "%s", cc->env.flink_tm_heap);
		if (cc->env.flink_jm_heap)
			note(cc, "FLINK_JM_HEAP", "%s", cc->env.flink_jm_heap);
	}
	return 0;
}

void cli_conf_release(cli_conf *cc)
{
	fm_conf_free(cc->conf);
	fm_logs_release(&cc->load_logs);
	fm_jchain_release(&cc->load_err);
	for (size_t i = 0; i < cc->nnotes; i++)
		free(cc->note_text[i]);
	free(cc->reason);
	free(cc->release);
	free(cc->load_file);
	fm_k8s_set_release(&cc->k8s);
	fm_diag_release(&cc->k8s_rejected[0]);
	fm_diag_release(&cc->k8s_rejected[1]);
	free(cc->image);
	free(cc->image_file);
}

/* ---- live's HTTP helper --------------------------------------------------- */

#ifndef FM_LIBEXEC_DIR
#define FM_LIBEXEC_DIR "/usr/local/libexec/flinkmem"
#endif
#define HELPER "flinkmem-http"

/* dir/HELPER when it is an executable file, else NULL. */
static char *helper_in(const char *dir, size_t n)
{
	char *p = NULL;
	if (asprintf(&p, "%.*s/" HELPER, (int)n, dir) < 0)
		return NULL;
	struct stat st;
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *cli_http_helper(const char **looked)
{
	*looked = "next to flinkmem, in " FM_LIBEXEC_DIR " and on PATH";
	char *self = NULL;
	for (size_t cap = 256; cap <= ((size_t)1 << 20) && !self; cap *= 2) {
		char *b = malloc(cap);
		if (!b)
			return NULL;
		ssize_t k = readlink("/proc/self/exe", b, cap);
		if (k > 0 && (size_t)k < cap) {
			b[k] = '\0';
			self = b;
		} else {
			free(b);
			if (k < 0)
				break;
		}
	}
	char *found = NULL;
	if (self) {
		char *slash = strrchr(self, '/');
		if (slash)
			found = helper_in(self, (size_t)(slash - self));
		free(self);
	}
	if (!found)
		found = helper_in(FM_LIBEXEC_DIR, strlen(FM_LIBEXEC_DIR));
	const char *path = getenv("PATH");
	while (!found && path && *path) {
		size_t n = strcspn(path, ":");
		found = helper_in(n ? path : ".", n ? n : 1);
		path += n + (path[n] == ':');
	}
	return found;
}

char *const *cli_environ(void)
{
	extern char **environ;
	return environ;
}
