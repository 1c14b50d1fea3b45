/* conf_k8s — the Kubernetes-operator input: FlinkDeployment custom
 * resources (apache/flink-kubernetes-operator, flink.apache.org/v1beta1)
 * read from a multi-document YAML file, and the configuration the operator
 * hands to Flink for them (FlinkConfigBuilder: spec.flinkConfiguration,
 * then spec.{jobManager,taskManager}.resource.memory/cpu on top).
 *
 * Owns: the YAML reading of CRs (libyaml events into a small bounded DOM;
 * it does not use conf_yaml), the operator's memory-string conversion
 * (Flink MemorySize first, then fabric8 Quantity with BigDecimal
 * arithmetic, reproduced exactly in integers), and the CR sniffer.
 * Every value keeps its line:col (fm_origin, FM_SRC_K8S).
 * Not thread-safe per object; no global state. */
#ifndef FLINKMEM_CONF_K8S_H
#define FLINKMEM_CONF_K8S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/diag.h"
#include "flinkmem/memsize.h"
#include "flinkmem/options.h"

#define FM_K8S_MAX_INPUT ((size_t)64 << 20) /* bytes; larger -> FM_ETOOBIG */
#define FM_K8S_MAX_DEPTH 64                 /* YAML nesting; deeper -> FM_ETOOBIG */
/* Bytes copied out of the YAML for the whole file (values, flattened
 * flinkConfiguration keys, joined lists, 64 per conf entry; an aliased
 * scalar counts at every use): at most BASE + FACTOR * input size, past it
 * FM_ETOOBIG "alias expansion exceeds N bytes" at the value's line:col
 * (a flinkConfiguration entry's: its key's). */
#define FM_K8S_EXPAND_BASE ((size_t)8 << 20)
#define FM_K8S_EXPAND_FACTOR 2

/* One scalar from the CR as written (after YAML unescaping). text is NULL
 * when the field is absent or YAML null. Positions are 1-based. */
typedef struct fm_k8s_val {
	char *text;
	size_t len;
	uint32_t line, col;         /* the value */
	uint32_t key_line, key_col; /* its key */
} fm_k8s_val;

/* resources of a pod template's flink-main-container (or of the newer
 * spec.*.resources field): recorded as written, not applied (see below). */
typedef struct fm_k8s_res {
	fm_k8s_val req_memory, lim_memory, req_cpu, lim_cpu;
	fm_k8s_val req_eph, lim_eph; /* ephemeral-storage */
	size_t nreq, nlim;           /* entries in requests / limits (any resource) */
	uint32_t line, col;          /* of the resources: key (0 when absent) */
} fm_k8s_res;

/* spec.jobManager or spec.taskManager. */
typedef struct fm_k8s_role {
	bool present;
	uint32_t line, col;     /* of the jobManager:/taskManager: key */
	fm_k8s_val memory;      /* resource.memory, e.g. "2048m", "2Gi" */
	fm_k8s_val cpu;         /* resource.cpu as written */
	fm_k8s_val eph;         /* resource.ephemeralStorage */
	bool has_resource;      /* resource: is a mapping (Java: getResource() != null) */
	bool has_cpu;
	double cpu_value;       /* resource.cpu as Jackson reads a Double */
	fm_k8s_val replicas;
	bool has_replicas;
	int64_t replicas_value; /* JM: 1 when absent (int field default) */
	fm_k8s_res pod;         /* <role>.podTemplate main container */
	fm_k8s_res resources;   /* <role>.resources (operator main only) */
} fm_k8s_role;

/* One FlinkDeployment. */
typedef struct fm_k8s_doc {
	const char *file;        /* interned in conf; NULL when no path */
	size_t doc_index;        /* 0-based YAML document in the stream */
	uint32_t line, col;      /* of the object's kind: value */
	char *name;              /* metadata.name (NULL if absent) */
	char *ns;                /* metadata.namespace (NULL if absent) */
	fm_k8s_val flink_version_raw; /* spec.flinkVersion, e.g. "v1_17" */
	char *flink_version;     /* "1.17"; NULL when absent or not vM_N */
	const fm_profile *profile; /* fm_profile_for(flink_version), may be NULL */
	bool application;        /* spec.job present (else a session cluster) */
	fm_conf *conf;           /* spec.flinkConfiguration, flattened, strings */
	fm_k8s_role jm, tm;
	fm_k8s_res pod;          /* spec.podTemplate main container */
	fm_k8s_val parallelism;  /* spec.job.parallelism */
	bool has_parallelism;
	int64_t parallelism_value;
	/* kubernetes.{jobmanager,taskmanager}.memory.limit-factor from
	 * flinkConfiguration as Flink reads a double; 1.0 when absent or
	 * unparsable (then a note says so; fm_k8s_memory_limit_factor gives
	 * the error with its position). */
	double jm_mem_limit_factor, tm_mem_limit_factor;
	char **session_jobs;     /* FlinkSessionJobs in the file targeting it */
	size_t nsession_jobs;
	fm_logs notes;           /* "WARN ..."/"INFO ..." about this object */
} fm_k8s_doc;

/* A FlinkSessionJob: it runs on its FlinkDeployment's cluster and has no
 * memory settings of its own. */
typedef struct fm_k8s_sjob {
	char *name, *ns;
	char *deployment;        /* spec.deploymentName */
	size_t doc_index;
	uint32_t line, col;
} fm_k8s_sjob;

typedef struct fm_k8s_set {
	fm_k8s_doc *docs;
	size_t ndocs;
	size_t nstreamed;        /* fm_k8s_load_stream: deployments handed on */
	fm_k8s_sjob *jobs;
	size_t njobs;
} fm_k8s_set;

/* Reads every FlinkDeployment (and FlinkSessionJob) of data[0..len).
 * path names the file in provenance and messages (may be NULL).
 * Documents of other kinds are skipped; `kind: List` items are read.
 * Each YAML document's tree is built, read and freed before the next
 * (node and anchor caps apply per document; docs/budgets.md).
 * Errors: FM_ESYNTAX (broken YAML, line:col), FM_ETOOBIG (over
 * FM_K8S_MAX_INPUT, deeper than FM_K8S_MAX_DEPTH, alias bombs),
 * FM_ENOMEM. A file without FlinkDeployment is not an error here. */
int fm_k8s_load_set(const char *path, const char *data, size_t len, fm_k8s_set *out,
		    fm_diag *d);
void fm_k8s_set_release(fm_k8s_set *s);

/* Called by fm_k8s_load_stream with each FlinkDeployment after the first,
 * in file order; doc is released when it returns (it may take ownership of
 * fields by setting them to NULL). FM_OK goes on; an error code stops the
 * load, which returns it (d says "out of memory" or fm_strerror's text). */
typedef int (*fm_k8s_doc_fn)(void *ctx, fm_k8s_doc *doc);

/* fm_k8s_load_set for files of many FlinkDeployments, reading each once:
 * out gets the first FlinkDeployment and every FlinkSessionJob; every later
 * FlinkDeployment goes to fn (out->nstreamed counts them) and is freed
 * before the next is read, so memory is bounded by the largest document,
 * not the file. Streamed documents' session_jobs are not filled in. With
 * fn NULL this is fm_k8s_load_set. Errors as fm_k8s_load_set; documents
 * already handed on stay handed on. */
int fm_k8s_load_stream(const char *path, const char *data, size_t len, fm_k8s_set *out,
		       fm_k8s_doc_fn fn, void *ctx, fm_diag *d);

/* One fm_k8s_doc per FlinkDeployment; FM_EINVAL "no FlinkDeployment in
 * <file>" when there is none (the message names any session jobs). */
int fm_k8s_load(const char *path, const char *data, size_t len, fm_k8s_doc **docs,
		size_t *ndocs, fm_diag *d);
void fm_k8s_docs_free(fm_k8s_doc *docs, size_t n); /* accepts NULL */

/* The configuration the operator hands to Flink for doc, as far as the CR
 * decides it (FlinkConfigBuilder.buildFrom; the operator's own default
 * config is not part of the CR and not included):
 *   flinkConfiguration (strings), then per role with a resource:
 *   memory -> {jobmanager,taskmanager}.memory.process.size as the string
 *             fm_k8s_memory_string gives, overriding flinkConfiguration;
 *   cpu    -> kubernetes.{jobmanager,taskmanager}.cpu.amount (a Double),
 *             plus the legacy kubernetes.*.cpu key when flinkVersion < v1_17.
 * Overriding entries point at the resource.memory / resource.cpu value.
 * A memory string the operator's validator rejects is FM_EINVAL with its
 * line:col and the validator's message ("TaskManager resource memory
 * parse error: ..."), d->jclass/jmsg the Java cause. */
int fm_k8s_effective_conf(const fm_k8s_doc *doc, fm_conf **out, fm_diag *d);

/* The same, but a role whose resource.memory the validator rejects is
 * left out (its flinkConfiguration value stays) and its error goes to
 * rejected[0] (JobManager) or rejected[1] (TaskManager), code FM_EINVAL;
 * the caller inits and releases both diags. For `check`, which reports the
 * rejection and still examines the rest. FM_OK or FM_ENOMEM. */
int fm_k8s_effective_conf_lenient(const fm_k8s_doc *doc, fm_conf **out, fm_diag rejected[2]);

/* A Kubernetes quantity as written in a pod spec (resources.limits.memory):
 * fabric8's grammar without the operator's upper-casing, so "1G" is 10^9
 * and "1Gi" 2^30 bytes; fractional bytes round up, huge values saturate
 * at INT64_MAX. FM_OK, or FM_EINVAL for what is not a quantity. */
int fm_k8s_quantity_bytes(const char *s, size_t n, int64_t *bytes);

/* FlinkConfigBuilder.parseResourceMemoryString(s): MemorySize.parse(s)
 * .toString() ("2 gb", "1536 mb", "0 bytes"), or when Flink's grammar
 * rejects s, the Kubernetes quantity of the upper-cased, de-spaced s with a
 * trailing B dropped and a trailing I made "i", as fabric8's
 * Quantity.getNumericalAmount() BigDecimal prints it ("2147483648",
 * "1610612736.0", "2.000000000000000E+18"). Returns 0 and appends to out,
 * or -1 with e the Java exception (FM_ENOMEM-like failures: e->msg NULL). */
int fm_k8s_memory_string(const char *s, size_t n, fm_buf *out, fm_jexc *e);

/* kubernetes.jobmanager.memory.limit-factor (jm) or
 * kubernetes.taskmanager.memory.limit-factor from c, parsed the way Flink's
 * Configuration reads a Double (Double.parseDouble); 1.0 when absent.
 * FM_EINVAL at the entry's position when unparsable. */
int fm_k8s_memory_limit_factor(const fm_conf *c, bool jm, double *out, fm_diag *d);

/* Operator release lines whose resource rules differ (docs/operator.md):
 * the minor version of a 1.x release (1.0 ... 1.15), or FM_K8S_OP_MAIN for
 * builds past release-1.15.0 (spec.*.resources, FLINK-33548). */
#define FM_K8S_OP_MAIN 0
#define FM_K8S_OP_NEWEST_RELEASE 15

/* "1.15", "1.15.0", "release-1.15.0", "main": FM_OK and *op, or FM_EINVAL
 * for what names no operator release. */
int fm_k8s_operator_version(const char *s, int *op);

/* The operator's DefaultValidator on one role of doc (jm: JobManager), as
 * release line op has it, except the check that needs Flink's derivation
 * ("memory must be defined", which the caller runs: fm_k8s_memory_defined):
 * resource.memory and ephemeralStorage parse errors, spec.*.resources
 * quantities (main), replicas. FM_OK, FM_EINVAL with d = the operator's
 * message at the offending value (d->key the CR field), or FM_ENOMEM. */
int fm_k8s_validate_role(const fm_k8s_doc *doc, int op, bool jm, fm_diag *d);

/* Whether the role's memory comes from the spec (resource.memory, or on
 * main spec.*.resources requests/limits memory) rather than from
 * flinkConfiguration, for the validator's "memory must be defined". */
bool fm_k8s_memory_defined(const fm_k8s_doc *doc, int op, bool jm);

/* The validator's message when the memory is not defined and Flink cannot
 * derive the role from flinkConfiguration (static text). */
const char *fm_k8s_memory_undefined_msg(int op, bool jm);

/* fm_k8s_effective_conf_lenient for release line op: on main a role whose
 * spec.*.resources has requests or limits takes memory (request, else
 * limit), cpu and the limit factors (limit / request, when both are set)
 * from it and its resource field is ignored; before 1.7 resource.memory
 * is copied as written. Roles the validator refuses go to rejected[]. */
int fm_k8s_effective_conf_op(const fm_k8s_doc *doc, int op, fm_conf **out, fm_diag rejected[2]);

/* The field the process size of a role comes from ("spec.taskManager.
 * resource.memory", "spec.taskManager.resources.requests.memory", ...) and
 * its value, or NULL when flinkConfiguration decides it. */
const char *fm_k8s_memory_field(const fm_k8s_doc *doc, int op, bool jm, const fm_k8s_val **v);

/* The flink-main-container memory Flink asks Kubernetes for
 * (KubernetesUtils.getResourceRequirements): request = the process size in
 * whole MiB, limit = (int) (request MiB x limit factor) MiB. */
void fm_k8s_container_mib(int64_t process_bytes, double factor, int64_t *req_mib, int64_t *lim_mib);

/* The flink-main-container cpu Flink asks for: the JobManager's
 * kubernetes.jobmanager.cpu.amount (1.0 when unset); the TaskManager's
 * taskmanager.cpu.cores, else kubernetes.taskmanager.cpu.amount when
 * positive, else taskmanager.numberOfTaskSlots (1); the limit is that times
 * kubernetes.*.cpu.limit-factor (1.0). Unreadable values count as unset. */
void fm_k8s_container_cpu(const fm_conf *c, bool jm, double *req, double *lim);

/* Cheap test whether data is a Flink CR rather than a Flink config file:
 * a top-level `apiVersion: flink.apache.org/...` and a top-level `kind:`
 * (block style at column 0, or a JSON object with those members). */
bool fm_k8s_looks_like_cr(const char *data, size_t len);

#endif
