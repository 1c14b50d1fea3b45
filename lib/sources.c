/* sources — config assembly as Flink's scripts do it; see sources.h. */
#include "flinkmem/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/conf_flat.h"
#include "flinkmem/conf_yaml.h"

int fm_conf_load_text(fm_conf *c, fm_fmt fmt, const char *path, const char *data, size_t len,
		      const fm_profile *p, fm_logs *logs, fm_diag *d)
{
	if (fmt == FM_FMT_FLAT)
		return fm_conf_load_flat(c, path, data, len, p, logs, d);
	return fm_conf_load_yaml(c, path, data, len, d);
}

int fm_conf_add_dynamic(fm_conf *c, const char *arg, size_t len, fm_diag *d)
{
	const char *eq = memchr(arg, '=', len);
	if (!eq || eq == arg)
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL,
				   "-D needs key=value, got '%.*s'", (int)(len > 200 ? 200 : len), arg);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	size_t kn = (size_t)(eq - arg);
	if (fm_conf_put(c, arg, kn, eq + 1, len - kn - 1, FM_V_STR, 0, &at) != FM_OK)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	return FM_OK;
}

/* docker-entrypoint.sh 1.19+ / 2.x: per line, delete every whitespace
 * character, split at the first ':', pass as -Dkey=value. */
static int add_properties_stripped(fm_conf *c, const char *text, fm_diag *d)
{
	const char *file = fm_conf_intern(c, "FLINK_PROPERTIES");
	if (!file)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	uint32_t lineno = 0;
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		lineno++;
		fm_buf b = FM_BUF_INIT;
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			if (!strchr(" \t\r\v\f", line[i]))
				rc = fm_buf_addc(&b, line[i]);
		if (rc) {
			fm_buf_release(&b);
			return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
		}
		const char *colon = b.len ? memchr(b.data, ':', b.len) : NULL;
		if (colon && colon != b.data) {
			fm_origin at = {file, lineno, 1, FM_SRC_ENV};
			size_t kn = (size_t)(colon - b.data);
			rc = fm_conf_put(c, b.data, kn, colon + 1, b.len - kn - 1, FM_V_STR, 0, &at);
		}
		fm_buf_release(&b);
		if (rc)
			return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
		line += n + (line[n] ? 1 : 0);
	}
	return FM_OK;
}

int fm_conf_add_flink_properties(fm_conf *c, fm_fmt fmt, const char *text, const fm_profile *p,
				 fm_logs *logs, fm_diag *d)
{
	(void)fmt;
	if (p && (p->yaml_fallback || p->yaml_only))
		return add_properties_stripped(c, text, d);
	/* Up to 1.18 the text is appended to flink-conf.yaml as is. */
	fm_conf *tmp = fm_conf_new();
	if (!tmp)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	int rc = fm_conf_load_flat(tmp, "FLINK_PROPERTIES", text, strlen(text), p, logs, d);
	for (size_t i = 0; rc == FM_OK && i < fm_conf_len(tmp); i++) {
		const fm_entry *e = fm_conf_at(tmp, i);
		fm_origin at = e->at;
		at.file = fm_conf_intern(c, "FLINK_PROPERTIES");
		at.src = FM_SRC_ENV;
		if (!at.file || fm_conf_put_at(c, e->key, strlen(e->key), e->text, e->text_len, e->type,
					       e->num, &at, e->key_line, e->key_col) != FM_OK)
			rc = fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	}
	fm_conf_free(tmp);
	return rc;
}

static int chain_push(fm_jchain *out, const char *cls, const char *msg)
{
	fm_jexc *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	if (!nv)
		return FM_ENOMEM;
	out->v = nv;
	out->v[out->n].cls = cls;
	out->v[out->n].msg = strdup(msg ? msg : "");
	if (!out->v[out->n].msg)
		return FM_ENOMEM;
	out->n++;
	return FM_OK;
}

/* Class names must outlive the chain: map the diag's to static strings. */
static const char *static_cls(const char *cls)
{
	static const char *known[] = {
		"org.snakeyaml.engine.v2.exceptions.YamlEngineException",
		"org.snakeyaml.engine.v2.exceptions.ScannerException",
		"org.snakeyaml.engine.v2.exceptions.ParserException",
		"org.snakeyaml.engine.v2.exceptions.ComposerException",
		"org.snakeyaml.engine.v2.exceptions.DuplicateKeyException",
		"org.snakeyaml.engine.v2.exceptions.ReaderException",
		"java.lang.ClassCastException",
		FM_JCLS_NPE, FM_JCLS_IAE, FM_JCLS_RUNTIME, FM_JCLS_ICE,
	};
	for (size_t i = 0; cls && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], cls) == 0)
			return known[i];
	return "org.snakeyaml.engine.v2.exceptions.YamlEngineException";
}

int fm_load_error_chain(const fm_diag *d, fm_jchain *out)
{
	*out = (fm_jchain){0};
	if (chain_push(out, FM_JCLS_RUNTIME, "Error parsing YAML configuration.") ||
	    chain_push(out, static_cls(d->jclass), d->jmsg ? d->jmsg : (d->msg ? d->msg : ""))) {
		fm_jchain_release(out);
		return FM_ENOMEM;
	}
	return FM_OK;
}

int fm_missing_file_chain(const char *shown, const char *abs, fm_jchain *out)
{
	*out = (fm_jchain){0};
	char *msg = NULL;
	if (asprintf(&msg, "The Flink config file '%s' (%s) does not exist.", shown, abs) < 0)
		return FM_ENOMEM;
	int rc = chain_push(out, FM_JCLS_ICE, msg);
	free(msg);
	if (rc)
		fm_jchain_release(out);
	return rc;
}
