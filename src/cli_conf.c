/* cli_conf — assembles the configuration the way Flink's scripts would see
 * it: -c PATH (file or conf dir) or FLINK_CONF_DIR, FLINK_PROPERTIES,
 * -D key=value, FLINK_TM_HEAP / FLINK_JM_HEAP. Picks the release profile
 * (--flink-version, else detected from the files, else the newest).
 * The only module that reads the environment. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "flinkmem/sources.h"

#define CONF_FILE_CAP ((size_t)256 << 20) /* a 100 MB line still loads */

void cli_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("flinkmem: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

bool cli_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

int cli_write(const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len) {
		cli_err("cannot write output: %s", strerror(errno));
		return 2;
	}
	if (fflush(stdout) != 0) {
		cli_err("cannot write output: %s", strerror(errno));
		return 2;
	}
	return 0;
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fm_buf b = FM_BUF_INIT;
	fm_buf_init(&b, CONF_FILE_CAP);
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = fm_buf_add(&b, chunk, n)) != 0)
			break;
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (rc || err) {
		fm_buf_release(&b);
		errno = rc == FM_ETOOBIG ? EFBIG : rc ? ENOMEM : err;
		return NULL;
	}
	return fm_buf_detach(&b, len);
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

/* Loads one config file; 0, or 2 after an error message. */
static int load_file(cli_conf *cc, const char *file, fm_fmt fmt)
{
	size_t len;
	char *data = cli_read_file(file, &len);
	if (!data) {
		cli_err("%s: cannot read: %s", file, strerror(errno));
		return 2;
	}
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_conf_load_text(cc->conf, fmt, file, data, len, cc->profile, &cc->load_logs, &d);
	free(data);
	if (rc == FM_ENOMEM) {
		cli_err("%s: out of memory", file);
		fm_diag_release(&d);
		return 2;
	}
	if (rc != FM_OK) {
		/* Flink fails to load this file too: both sides report its error. */
		cli_err("%s:%u:%u: %s", file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
		fm_load_error_chain(&d, &cc->load_err);
	}
	fm_diag_release(&d);
	note(cc, fmt == FM_FMT_FLAT ? "flink-conf.yaml (legacy line parser)" : "config.yaml (YAML 1.2)",
	     "%s", file);
	return 0;
}

int cli_conf_load(cli_conf *cc)
{
	cc->conf = fm_conf_new();
	if (!cc->conf) {
		cli_err("out of memory");
		return 2;
	}
	if (cc->version) {
		cc->profile = fm_profile_for(cc->version);
		if (!cc->profile) {
			cli_err("unknown Flink release '%s' (flinkmem knows 1.10.0 to 2.x)", cc->version);
			return 2;
		}
		set_reason(cc, "chosen by --flink-version %s", cc->version);
	}
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
		if (S_ISDIR(st.st_mode)) {
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
				cli_err("%s: Flink %s reads this file and it does not exist", file, p->name);
				free(abs);
				free(absf);
			} else {
				rc = load_file(cc, file, strcmp(name, "config.yaml") == 0 ? FM_FMT_YAML : FM_FMT_FLAT);
			}
			free(file);
		} else {
			const char *bn = base_name(path);
			bool named_yaml = ends_with(bn, "config.yaml") && !ends_with(bn, "flink-conf.yaml");
			bool named_flat = ends_with(bn, "flink-conf.yaml");
			if (!cc->profile) {
				cc->profile = named_flat ? fm_profile_for("1.20") : fm_profile_newest();
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
				cli_err("note: Flink %s reads only config.yaml; reading %s as if it were one", p->name, path);
			if (named_yaml && fmt == FM_FMT_FLAT)
				cli_err("note: Flink %s reads only flink-conf.yaml, with its line parser; reading %s that way",
					p->name, path);
			rc = load_file(cc, path, fmt);
		}
	}
	if (rc)
		return rc;
	const fm_profile *p = cc->profile;
	const char *props = getenv("FLINK_PROPERTIES");
	if (props && *props) {
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
	if (p->legacy_heap) {
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
}
