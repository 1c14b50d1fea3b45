/* inputs — what kind of input a file or stdin is (plain or gzip log text,
 * `kubectl describe pod` text, JSON or YAML documents: pods, pod lists,
 * events, FlinkDeployments, Flink REST exception history, anything else)
 * and, for structured documents, their flattening into text lines
 * ("path.to.key: value", multi-line strings split, one unit per pod /
 * event / exception document) that the same signatures can match. Each
 * synthetic line remembers its source line so evidence points at the
 * real file:line. JSON is read with libyaml (YAML 1.2 is a JSON superset),
 * which gives line numbers. Pure; thread-safe. */
#ifndef FLINKMEM_INPUTS_H
#define FLINKMEM_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/diag.h"
#include "flinkmem/events.h"
#include "flinkmem/incidents.h"

typedef enum fm_input_kind {
	FM_IN_LOG = 0,   /* Flink / YARN / NodeManager / any log text */
	FM_IN_GZIP,      /* gzip: scanned as log text after decompression */
	FM_IN_DESCRIBE,  /* kubectl describe pod|node text */
	FM_IN_JSON,
	FM_IN_YAML,
	FM_IN_EMPTY,
} fm_input_kind;

const char *fm_input_kind_name(fm_input_kind k);
/* Detects the kind from the first bytes of an input. */
fm_input_kind fm_input_detect(const char *peek, size_t n);

#define FM_STRUCT_MAX ((size_t)256 << 20) /* structured inputs are read whole up to this size */

typedef struct fm_unit {
	fm_process proc;        /* what the document says (labels, names, REST = task failures) */
	fm_platform platform;
	char *instance;         /* pod / object name, NULL */
	char *what;             /* "Pod", "Event", "REST exceptions", ... (static text copied) */
	fm_buf text;            /* synthetic lines */
	uint64_t *src;          /* src[i]: source line of synthetic line i+1 */
	size_t nlines, cap;
} fm_unit;

typedef struct fm_units {
	fm_unit *v;
	size_t n;
} fm_units;

/* Flattens JSON/YAML text. FM_ESYNTAX with d's line/col when it does not
 * parse, FM_ENOMEM, FM_ETOOBIG. */
int fm_input_flatten(const char *data, size_t len, const char *name, fm_units *out, fm_diag *d);
void fm_units_release(fm_units *u);
#endif
