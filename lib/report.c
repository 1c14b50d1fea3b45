/* report — check findings as text, JSON and SARIF 2.1.0; see report.h. */
#include "flinkmem/report.h"

#include "flinkmem/escape.h"
#include "flinkmem/render.h"

#ifndef FM_VERSION
#define FM_VERSION "0.0.0"
#endif

static const char *sev_name(fm_severity s)
{
	return s == FM_SEV_ERROR ? "error" : s == FM_SEV_WARNING ? "warning" : "note";
}

/* A multi-line field (detail, fix) indented under its finding; input in it
 * is escaped and cut like every echo (escape.h). */
static int text_block(fm_buf *b, const char *s)
{
	return fm_buf_adds(b, "      ") || fm_esc_lines(b, s, "      ") || fm_buf_addc(b, '\n');
}

int fm_report_text(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f, bool color)
{
	size_t counts[3] = {0};
	for (size_t i = 0; i < f->n; i++)
		counts[f->v[i].severity]++;
	int rc = fm_esc_addf(b, "Checked %s as Flink %s (releases %s, %s)", ctx->config_label ? ctx->config_label : "the config",
			     ctx->profile->name, ctx->profile->releases, ctx->profile_reason ? ctx->profile_reason : "") ||
		 fm_buf_addc(b, '\n');
	static const char *heads[3] = {"Errors", "Warnings", "Notes"};
	static const char *col[3] = {"\033[1;31m", "\033[1;33m", "\033[1;36m"};
	for (int s = 0; s < 3 && !rc; s++) {
		if (!counts[s])
			continue;
		rc = fm_buf_addf(b, "\n%s%s (%zu)%s\n", color ? col[s] : "", heads[s], counts[s], color ? "\033[0m" : "");
		for (size_t i = 0; i < f->n && !rc; i++) {
			const fm_finding *g = &f->v[i];
			if ((int)g->severity != s)
				continue;
			if (g->file && g->line)
				rc = fm_esc_addf(b, "  %s:%u:%u: ", g->file, g->line, g->col);
			else if (g->file)
				rc = fm_esc_addf(b, "  %s: ", g->file);
			else
				rc = fm_buf_adds(b, "  ");
			rc = rc || fm_esc_addf(b, "%s", g->message ? g->message : "") ||
			     fm_buf_addf(b, " [%s %s]\n", g->rule ? g->rule->id : "?", g->rule ? g->rule->name : "");
			if (!rc && g->detail && *g->detail)
				rc = text_block(b, g->detail);
			if (!rc && g->fix && *g->fix)
				rc = fm_buf_adds(b, "    fix:\n") || text_block(b, g->fix);
		}
	}
	if (!rc)
		rc = fm_buf_addf(b, "\n%zu error(s), %zu warning(s), %zu note(s)\n", counts[0], counts[1], counts[2]);
	return rc;
}

int fm_report_json(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f)
{
	int rc = fm_buf_adds(b, "{\"flinkmem\":") || fm_json_str(b, FM_VERSION) || fm_buf_adds(b, ",\"flinkVersion\":") ||
		 fm_json_str(b, ctx->profile->name) || fm_buf_adds(b, ",\"profileReleases\":") || fm_json_str(b, ctx->profile->releases) ||
		 fm_buf_adds(b, ",\"findings\":[");
	size_t counts[3] = {0};
	for (size_t i = 0; i < f->n && !rc; i++) {
		const fm_finding *g = &f->v[i];
		counts[g->severity]++;
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"rule\":") || fm_json_str(b, g->rule ? g->rule->id : NULL) ||
		     fm_buf_adds(b, ",\"name\":") || fm_json_str(b, g->rule ? g->rule->name : NULL) || fm_buf_adds(b, ",\"severity\":") ||
		     fm_json_str(b, sev_name(g->severity)) || fm_buf_adds(b, ",\"key\":") || fm_json_str(b, g->key) ||
		     fm_buf_adds(b, ",\"file\":") || fm_json_str(b, g->file) || fm_buf_adds(b, ",\"line\":") || fm_json_int(b, g->line) ||
		     fm_buf_adds(b, ",\"column\":") || fm_json_int(b, g->col) || fm_buf_adds(b, ",\"message\":") ||
		     fm_json_str(b, g->message) || fm_buf_adds(b, ",\"detail\":") || fm_json_str(b, g->detail) || fm_buf_adds(b, ",\"fix\":") ||
		     fm_json_str(b, g->fix) || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_addf(b, "],\"summary\":{\"error\":%zu,\"warning\":%zu,\"note\":%zu}}\n", counts[0], counts[1], counts[2]);
}

int fm_report_sarif(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f)
{
	(void)ctx;
	size_t nrules;
	const fm_rule_doc *rules = fm_lint_rules(&nrules);
	int rc = fm_buf_adds(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
				"\"runs\":[{\"tool\":{\"driver\":{\"name\":\"flinkmem\",\"version\":") ||
		 fm_json_str(b, FM_VERSION) || fm_buf_adds(b, ",\"informationUri\":\"https://flink.apache.org\",\"rules\":[");
	for (size_t i = 0; i < nrules && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"id\":") || fm_json_str(b, rules[i].id) ||
		     fm_buf_adds(b, ",\"name\":") || fm_json_str(b, rules[i].name) || fm_buf_adds(b, ",\"shortDescription\":{\"text\":") ||
		     fm_json_str(b, rules[i].summary) || fm_buf_adds(b, "},\"fullDescription\":{\"text\":") || fm_json_str(b, rules[i].doc) ||
		     fm_buf_adds(b, "},\"defaultConfiguration\":{\"level\":") || fm_json_str(b, sev_name(rules[i].severity)) ||
		     fm_buf_adds(b, "}}");
	rc = rc || fm_buf_adds(b, "]}},\"results\":[");
	for (size_t i = 0; i < f->n && !rc; i++) {
		const fm_finding *g = &f->v[i];
		fm_buf msg = FM_BUF_INIT;
		rc = fm_buf_adds(&msg, g->message ? g->message : "");
		if (!rc && g->detail)
			rc = fm_buf_addf(&msg, "\n%s", g->detail);
		if (!rc && g->fix)
			rc = fm_buf_addf(&msg, "\nFix:\n%s", g->fix);
		rc = rc || (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"ruleId\":") || fm_json_str(b, g->rule ? g->rule->id : "FM000") ||
		     fm_buf_adds(b, ",\"level\":") || fm_json_str(b, sev_name(g->severity)) || fm_buf_adds(b, ",\"message\":{\"text\":") ||
		     fm_json_str(b, msg.data ? msg.data : "") || fm_buf_addc(b, '}');
		fm_buf_release(&msg);
		if (!rc && g->file) {
			rc = fm_buf_adds(b, ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":") || fm_json_str(b, g->file) ||
			     fm_buf_addc(b, '}');
			if (!rc && g->line)
				rc = fm_buf_adds(b, ",\"region\":{\"startLine\":") || fm_json_int(b, g->line) ||
				     fm_buf_adds(b, ",\"startColumn\":") || fm_json_int(b, g->col ? g->col : 1) || fm_buf_addc(b, '}');
			rc = rc || fm_buf_adds(b, "}}]");
		}
		rc = rc || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_adds(b, "]}]}\n");
}
