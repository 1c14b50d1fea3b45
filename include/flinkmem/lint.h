/* lint — `flinkmem check`: everything Flink would reject (with Flink's exact
 * message and the smallest change that makes the config valid, computed by
 * re-running the derivation) and the traps Flink accepts silently. Each
 * rule has a stable id, a severity and a one-paragraph doc (fm_lint_rules).
 * Findings point at the config line responsible (conf provenance).
 * Pure: reads only what it is given. Thread-safe. */
#ifndef FLINKMEM_LINT_H
#define FLINKMEM_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/derive.h"
#include "flinkmem/options.h"

typedef enum fm_severity { FM_SEV_ERROR = 0, FM_SEV_WARNING, FM_SEV_NOTE } fm_severity;

typedef struct fm_rule_doc {
	const char *id;       /* "FM001" — stable, never reused */
	const char *name;     /* "flink-rejects-tm" */
	fm_severity severity; /* default severity */
	const char *summary;  /* one line */
	const char *doc;      /* one paragraph: what, why it hurts, what to do */
} fm_rule_doc;

typedef struct fm_finding {
	const fm_rule_doc *rule;
	fm_severity severity;
	char *key;            /* the config key at fault (may be NULL) */
	const char *file;     /* from the conf's provenance (not owned); NULL: none */
	uint32_t line, col;
	char *message;        /* one line, our words */
	char *detail;         /* more text: Flink's exception, the numbers (may be NULL) */
	char *fix;            /* config snippet "key: value\n..." (may be NULL) */
	bool behind_errors;   /* found on the config with the error fixes applied: it
	                       * shows once Flink accepts the config */
	/* Set by fm_suppressions_apply (lintcfg.h): the line of the
	 * `# flinkmem: disable` comment that silences this finding (0: it is
	 * reported), whether that comment covers the whole file, and its
	 * reason (owned, may be NULL). A silenced finding is still shown as
	 * suppressed in JSON and SARIF, and never fails the run. */
	uint32_t suppressed_at;
	bool suppressed_file;
	char *suppressed_why;
} fm_finding;

typedef struct fm_findings {
	fm_finding *v;
	size_t n, cap;
} fm_findings;

typedef struct fm_lint_input {
	const fm_conf *conf;
	const fm_profile *profile;
	const fm_derive_env *env;      /* may be NULL */
	const char *flink_properties;  /* raw FLINK_PROPERTIES text, or NULL */
	/* Container facts when the config comes from a FlinkDeployment or the
	 * user says so: 0 = unknown. */
	int64_t tm_container_limit, jm_container_limit;
	/* The FlinkDeployment conf came from (conf = its effective
	 * configuration, -D on top), or NULL: enables FM100-FM105. */
	const fm_k8s_doc *k8s;
	/* WARN lines of the legacy flink-conf.yaml parser (lines Flink skips),
	 * or NULL: enables FM014. */
	const fm_logs *load_logs;
	/* With k8s: the operator release line (fm_k8s_operator_version; 0 =
	 * FM_K8S_OP_MAIN) whose resource rules apply. */
	int k8s_op;
} fm_lint_input;

/* Runs every rule. Returns FM_OK or FM_ENOMEM. Findings are sorted by
 * severity, then file position. */
int fm_lint(const fm_lint_input *in, fm_findings *out);
void fm_findings_release(fm_findings *f);

/* FM106 for every FlinkSessionJob of set whose deployment is not in it,
 * appended to out (positions in file, which must outlive out).
 * FM_OK or FM_ENOMEM. */
int fm_lint_k8s_jobs(const fm_k8s_set *set, const char *file, fm_findings *out);

/* A finding's fix snippet applied to a copy of c, the way check verifies
 * its own fixes: "key: value" lines set the key (origin: dynamic), "# remove
 * key ..." lines remove it, other comment lines are advice. NULL when the
 * snippet edits something that is not a Flink key (a FlinkDeployment's
 * spec.* fields: the CR edit is the patch's business) or on ENOMEM (*oom
 * set). Free the result with fm_conf_free. */
fm_conf *fm_lint_fix_apply(const fm_conf *c, const char *fix, bool *oom);

/* One line s[0..len) of a fix snippet: "key: value" (split at the first
 * ": ", like a flink-conf.yaml line: a key may contain ':') sets key (*val the
 * value as written: for a FlinkDeployment, YAML, possibly quoted),
 * "# remove key ..." removes it (*val NULL); false for advice comments.
 * Pointers into s. */
bool fm_lint_fix_line(const char *s, size_t len, const char **key, size_t *klen, const char **val, size_t *vlen);

/* The rule table (static). */
const fm_rule_doc *fm_lint_rules(size_t *n);
const fm_rule_doc *fm_lint_rule(const char *id);

/* Whether check calls key k unknown (FM020): near Flink's memory keys or
 * one typo from a key, and not a key of profile p. *closest: the key it
 * likely means (a typo's, or one dot component away), else NULL. */
bool fm_lint_unknown_key(const fm_profile *p, const char *k, const char **closest);

/* Levenshtein distance capped at max+1 (for "did you mean"). */
size_t fm_edit_distance(const char *a, const char *b, size_t max);

#endif
