/* inputs — what kind of input a file or stdin is (plain or gzip log text,
 * `kubectl describe pod` text, JSON or YAML documents: pods, pod lists,
 * events, FlinkDeployments, Flink REST exception history, anything else)
 * and, for structured documents, their flattening into text lines
 * ("path.to.key: value", multi-line strings split, one unit per pod /
 * event / exception document) that the same signatures can match. Each
 * synthetic line remembers its source line so evidence points at the
 * real file:line. JSON is read with libyaml (YAML 1.2 is a JSON superset),
 * which gives line numbers, as a stream of events (never a whole document
 * tree), after a linear check of the nesting depth. Pure; thread-safe. */
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

#define FM_STRUCT_MAX ((size_t)16 << 20) /* structured inputs are read whole up to this size */
#define FM_STRUCT_DEPTH_MAX 64            /* [ / { nesting checked before parsing; deeper nodes ignored */
#define FM_STRUCT_EXPAND 16               /* flattened text at most this many times the input (+1 MiB) */

#define FM_UNIT_SIDECARS_MAX 8

typedef struct fm_unit {
	fm_process proc;        /* what the document says (labels, names, REST = task failures) */
	bool proc_default;      /* ... only as a default: frames of a trace in it may name another */
	fm_platform platform;
	char *instance;         /* pod / object name, NULL */
	char *what;             /* "Pod", "Event", "REST exceptions", ... (static text copied) */
	fm_buf text;            /* synthetic lines */
	uint64_t *src;          /* src[i]: source line of synthetic line i+1 */
	size_t nlines, cap;
	/* A pod's container statuses (status.containerStatuses, init and
	 * ephemeral ones) when one of them is Flink's: the source lines of the
	 * others (sidecars), none when the lines overlap (one-line JSON) */
	struct { uint64_t from, to; } sidecar[FM_UNIT_SIDECARS_MAX];
	size_t nsidecar;
} fm_unit;

typedef struct fm_units {
	fm_unit *v;
	size_t n;
} fm_units;

/* The deepest [ / { nesting outside quoted strings (an upper bound for
 * YAML: brackets in plain scalars count); linear, for the check before
 * parsing. */
size_t fm_input_depth(const char *data, size_t len);

/* Called per unit as it is read; a unit whose text grows past a few MiB
 * comes in pieces (chunk 0, 1, ...; the metadata is what was seen so
 * far). u and its buffers are reused after the call returns. Non-zero
 * stops the flattening with that code. */
typedef int (*fm_unit_cb)(fm_unit *u, size_t chunk, void *ctx);

/* Flattens JSON/YAML text streamed (libyaml events: linear time, memory
 * of one unit piece; aliases are not expanded). FM_ETOOBIG (d says which
 * budget) when the input is larger than FM_STRUCT_MAX, nested deeper than
 * FM_STRUCT_DEPTH_MAX (checked before parsing) or its text would grow past
 * FM_STRUCT_EXPAND times; FM_ESYNTAX with d's line/col when it does not
 * parse; FM_ENOMEM; the callback's code. Units already handed on stay. */
int fm_input_flatten_each(const char *data, size_t len, const char *name, fm_unit_cb cb, void *ctx, fm_diag *d);
/* The same without handing anything on: whether it would succeed. */
int fm_input_check(const char *data, size_t len, const char *name, fm_diag *d);
/* The same, every unit kept in out (for tests). */
int fm_input_flatten(const char *data, size_t len, const char *name, fm_units *out, fm_diag *d);
void fm_units_release(fm_units *u);
#endif
