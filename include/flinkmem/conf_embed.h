/* conf_embed — a Flink configuration held inside another YAML file: a
 * Kubernetes ConfigMap's data (`config.yaml: |` or `flink-conf.yaml: |`,
 * the layout of Flink's standalone-Kubernetes docs) or a Helm chart's
 * values that embed one under a key of that name (the operator chart's
 * defaultConfiguration). The embedded text is returned as a copy of the
 * whole file in which every line outside it is emptied, so the config
 * parsers report its real line and column. Also names what a Kubernetes
 * object that holds no Flink configuration is, for a one-line error.
 * Pure: parses the bytes it is given. Thread-safe. */
#ifndef FLINKMEM_CONF_EMBED_H
#define FLINKMEM_CONF_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/diag.h"

/* One embedded config file. */
typedef struct fm_embedded_file {
	char *text;          /* the file with only the embedded lines kept; NULL: none */
	size_t len;
	uint32_t line, col;  /* of its key */
	char *where;         /* "ConfigMap 'flink-config' data.config.yaml", or
				"defaultConfiguration.flink-conf.yaml" */
} fm_embedded_file;

typedef struct fm_embedded {
	fm_embedded_file flat; /* under a key "flink-conf.yaml" */
	fm_embedded_file yaml; /* under a key "config.yaml" */
	size_t more;           /* further embedded configs not taken (later documents) */
	/* a Kubernetes object (top-level apiVersion and kind) with no embedded
	 * config: its kind and position, else NULL */
	char *other_kind;
	uint32_t other_line, other_col;
} fm_embedded;

/* A cheap first look (no parsing): could data hold an embedded config or
 * be a Kubernetes object? Only then is fm_embedded_find worth running. */
bool fm_embedded_maybe(const char *data, size_t len);

/* Looks through every YAML document of data. FM_OK (e filled: flat/yaml
 * text set when found, other_kind set for a Kubernetes object holding
 * none; all NULL for a plain config); FM_EINVAL with d (file, line, col,
 * key) for an embedded config written as a quoted or plain string (only
 * block scalars keep their positions); FM_ENOMEM. A YAML syntax error is
 * not reported here (FM_OK, nothing found): the config parser reports it. */
int fm_embedded_find(const char *file, const char *data, size_t len, fm_embedded *e, fm_diag *d);
void fm_embedded_release(fm_embedded *e);

#endif
