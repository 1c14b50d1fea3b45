/* conf_flat — the legacy flink-conf.yaml reader, by Flink's own line rules
 * (GlobalConfiguration before 1.19, and 1.19-1.20 when flink-conf.yaml
 * exists). It is not YAML: per line, everything after the first '#' is
 * dropped, the rest is trimmed and split at the first ": "; malformed
 * lines are skipped with the WARN Flink logs; duplicate keys: last wins;
 * all values are strings, quotes included.
 * Line terminators are \n, \r and \r\n, like Java's BufferedReader. */
#ifndef FLINKMEM_CONF_FLAT_H
#define FLINKMEM_CONF_FLAT_H

#include <stddef.h>

#include "flinkmem/conf.h"
#include "flinkmem/options.h"

/* Loads data[0..len) into c. path names the file in provenance and in the
 * WARN lines (appended to logs, may be NULL). The profile picks the WARN
 * wording (p may be NULL: newest). Returns FM_OK or FM_ENOMEM. */
int fm_conf_load_flat(fm_conf *c, const char *path, const char *data, size_t len,
		      const fm_profile *p, fm_logs *logs, fm_diag *d);

#endif
