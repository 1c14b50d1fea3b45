/* report — renders `check` findings: text for people (grouped by severity,
 * file:line, the fix as a config snippet), JSON (docs/check-json.md) and
 * SARIF 2.1.0 for CI code scanning. Writes into an fm_buf. */
#ifndef FLINKMEM_REPORT_H
#define FLINKMEM_REPORT_H

#include <stdbool.h>

#include "flinkmem/buf.h"
#include "flinkmem/lint.h"
#include "flinkmem/options.h"

typedef struct fm_report_ctx {
	const fm_profile *profile;
	const char *profile_reason;
	const char *config_label; /* what was checked, for the summary line */
} fm_report_ctx;

int fm_report_text(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f, bool color);
int fm_report_json(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f);
int fm_report_sarif(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f);

#endif
