/* diagnose — the whole `flinkmem diagnose` pipeline as a library call:
 * inputs (files, directories recursively, "-" for standard input; kind
 * detected per input) -> scan (the only place that calls the scanner) ->
 * events -> incidents -> layout (given config, else recovered from the
 * log, else Flink's shipped defaults) -> remedies. Logs are streamed;
 * structured inputs are read whole up to FM_STRUCT_MAX (larger ones, and
 * ones nested deeper than FM_STRUCT_DEPTH_MAX, are scanned as plain text
 * with a note). Reads files and
 * fd 0; never prints. Not thread-safe (uses the scanner's threads). */
#ifndef FLINKMEM_DIAGNOSE_H
#define FLINKMEM_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/diag.h"
#include "flinkmem/incidents.h"
#include "flinkmem/inputs.h"
#include "flinkmem/logconf.h"
#include "flinkmem/options.h"
#include "flinkmem/podfacts.h"
#include "flinkmem/remedy.h"
#include "flinkmem/scan.h"

typedef struct fm_dx_opts {
	const fm_conf *conf;        /* -c config, NULL = none */
	const char *conf_name;      /* for messages */
	const fm_profile *profile;  /* --flink-version, NULL = detect */
	const char *profile_reason; /* why that profile (with profile) */
	const fm_profile *fallback; /* no profile and no version in the log: this one (NULL = newest) */
	const char *fallback_reason;
	unsigned jobs;              /* scanner threads for plain logs (0 = CPUs) */
	const fm_k8s_doc *k8s;      /* the FlinkDeployment conf came from, or NULL: a process size
				       its resource.memory sets is changed there */
	struct fm_scanner *scanner; /* compiled from fm_signature_patterns(), reused across calls
				       (compiling takes ~0.1 s); NULL = make one for this call */
	const void *prebuilt;       /* fm_scanner_serialize() blob tried before compiling (may be NULL) */
	size_t prebuilt_len;
	fm_process process;         /* --process: the process every input whose name and pod say none
				       comes from (FM_PROC_UNKNOWN = ask the inputs) */
} fm_dx_opts;

/* An input that could not be read (error) or was read differently from
 * its kind (note: skipped directory entries, structured input read as
 * plain text). */
typedef struct fm_dx_input_msg {
	char *path;
	uint32_t line, col; /* 0 when the message is about the whole input */
	char *msg;
} fm_dx_input_msg;

typedef struct fm_dx_result {
	fm_analysis a;
	fm_recovered rec;
	fm_remedy *fix;             /* one per incident (empty for aftermath) */
	const fm_profile *profile;
	char *profile_reason;
	char *layout_tm, *layout_jm;/* where the layouts used for fixes come from */
	fm_input_kind *kinds;       /* per input */
	char **notes;               /* layout and config remarks */
	size_t nnotes;
	size_t nfiles;              /* files read */
	fm_pod_facts pod;           /* container limit and image release of pod descriptions */
	fm_dx_input_msg *input_errors; /* inputs not read (or read in part): the report is partial */
	size_t ninput_errors;
	fm_dx_input_msg *input_notes;  /* skipped paths, structured inputs read as text */
	size_t ninput_notes;
	const char *release;        /* the caller's: --flink-version as given (not owned, not
				       released); NULL: the release the inputs name */
	fm_k8s_doc *deploy_docs;    /* the first FlinkDeployment among the inputs (its file's) */
	size_t ndeploy;
	fm_conf *deploy;            /* ... the configuration the operator gives Flink for it, or
				       the Flink config a ConfigMap among the inputs holds */
	char *deploy_from;          /* "FlinkDeployment NAME (file:line)", "ConfigMap ..." */
} fm_dx_result;

/* paths: files, directories, "-". An input that cannot be read (missing,
 * unreadable, a truncated .gz, a .json/.yaml that does not parse) does not
 * stop the others: it is listed in out->input_errors and what was read is
 * diagnosed. FM_OK, or an error with d filled and out empty when no input
 * could be read at all (the first failure's code: FM_EIO unreadable,
 * FM_ESYNTAX, FM_ETOOBIG; d names it and out->input_errors still lists
 * every failure: release out) or on FM_ENOMEM. */
int fm_diagnose(const char *const *paths, size_t n, const fm_dx_opts *o, fm_dx_result *out, fm_diag *d);
/* The same for one input held in memory (kind detected; no gzip), named
 * `name` in the output. For tests and fuzzing. */
int fm_diagnose_mem(const char *data, size_t len, const char *name, const fm_dx_opts *o, fm_dx_result *out,
		    fm_diag *d);
void fm_dx_result_release(fm_dx_result *r);
#endif
