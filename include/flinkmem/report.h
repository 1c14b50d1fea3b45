/* report — renders `check` findings: text for people (grouped by severity,
 * file:line, the fix as a config snippet), JSON (docs/check-json.md),
 * SARIF 2.1.0 for CI code scanning and gcc's `file:line:col: severity:
 * message` for editors; and the rule table as text or JSON. Writes into an
 * fm_buf; never prints. */
#ifndef FLINKMEM_REPORT_H
#define FLINKMEM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/buf.h"
#include "flinkmem/lint.h"
#include "flinkmem/options.h"

/* One checked input: its profile and what was checked. */
typedef struct fm_report_input {
	const fm_profile *profile;
	const char *profile_reason;
	const char *config_label; /* what was checked, for the summary line */
	const char *release;      /* the release as requested or detected; NULL: the profile's name */
} fm_report_input;

typedef struct fm_report_ctx {
	const fm_profile *profile; /* the first (or only) input; NULL: none */
	const char *profile_reason;
	const char *config_label;
	const fm_report_input *more; /* further inputs of the same run */
	size_t nmore;
	bool quiet;            /* text, gcc: findings only (no header, no summary) */
	const char *srcroot;   /* SARIF: the absolute directory (ending in '/')
				  that relative file names are under, as
				  %SRCROOT%; NULL: none */
	const char *help_base; /* SARIF helpUri, rule JSON: help_base + ID + ".md"
				  (NULL: none) */
	const char *release;   /* of the first input, as fm_report_input's */
} fm_report_ctx;

/* Suppressed findings (suppressed_at != 0) are counted in the summary of
 * text, left out of text and gcc, and kept in JSON and SARIF marked as
 * suppressed. */
int fm_report_text(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f, bool color);
int fm_report_json(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f);
int fm_report_sarif(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f);
int fm_report_gcc(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f);

/* The rule table (fm_lint_rules): one line per rule, or JSON
 * {"flinkmem":V,"schemaVersion":N,"command":"check","rules":[{"id","name","severity","summary","doc","helpUri"}]}
 * (helpUri only with help_base). */
int fm_report_rules_text(fm_buf *b);
int fm_report_rules_json(fm_buf *b, const char *help_base);

#endif
