/* conf_flat — legacy flink-conf.yaml line parser; see conf_flat.h. */
#include "flinkmem/conf_flat.h"

#include <string.h>

#include "flinkmem/memsize.h"

static const char *find2(const char *s, size_t n, char a, char b)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == a && s[i + 1] == b)
			return s + i;
	return NULL;
}

int fm_conf_load_flat(fm_conf *c, const char *path, const char *data, size_t len,
		      const fm_profile *p, fm_logs *logs, fm_diag *d)
{
	const char *file = fm_conf_intern(c, path ? path : "flink-conf.yaml");
	if (!file)
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	bool quoted = p && p->flat_warn_quoted;
	uint32_t lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t start = pos;
		while (pos < len && data[pos] != '\n' && data[pos] != '\r')
			pos++;
		const char *line = data + start;
		size_t n = pos - start;
		if (pos < len) {
			if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n')
				pos++;
			pos++;
		}
		lineno++;
		const char *hash = memchr(line, '#', n);
		const char *conf = line;
		size_t cn = hash ? (size_t)(hash - line) : n;
		fm_java_trim(&conf, &cn);
		if (cn == 0)
			continue;
		const char *sep = find2(conf, cn, ':', ' ');
		if (!sep) {
			int rc = quoted ? fm_logs_add(logs, "WARN",
						      "Error while trying to split key and value in configuration "
						      "file %s:%u: \"%.*s\"",
						      file, lineno, (int)n, line)
					: fm_logs_add(logs, "WARN",
						      "Error while trying to split key and value in configuration "
						      "file %s:%u: Line is not a key-value pair (missing space after "
						      "':'?)",
						      file, lineno);
			if (rc)
				return fm_diag_set(d, FM_ENOMEM, file, lineno, 0, NULL, "out of memory");
			continue;
		}
		const char *key = conf, *val = sep + 2;
		size_t kn = (size_t)(sep - conf), vn = cn - kn - 2;
		fm_java_trim(&key, &kn);
		fm_java_trim(&val, &vn);
		if (kn == 0 || vn == 0) {
			int rc = quoted ? fm_logs_add(logs, "WARN",
						      "Error after splitting key and value in configuration file "
						      "%s:%u: \"%.*s\"",
						      file, lineno, (int)n, line)
					: fm_logs_add(logs, "WARN",
						      "Error after splitting key and value in configuration file "
						      "%s:%u: Key or value was empty",
						      file, lineno);
			if (rc)
				return fm_diag_set(d, FM_ENOMEM, file, lineno, 0, NULL, "out of memory");
			continue;
		}
		fm_origin at = {file, lineno, (uint32_t)(val - line) + 1, FM_SRC_FLAT};
		if (fm_conf_put_at(c, key, kn, val, vn, FM_V_STR, 0, &at, lineno,
				   (uint32_t)(key - line) + 1) != FM_OK)
			return fm_diag_set(d, FM_ENOMEM, file, lineno, 0, key, "out of memory");
	}
	return FM_OK;
}
