/* report — check findings as text, JSON, SARIF 2.1.0 and gcc lines, and
 * the rule table; see report.h. */
#include <string.h>

#include "flinkmem/report.h"

#include "flinkmem/escape.h"
#include "flinkmem/lintcfg.h"
#include "flinkmem/render.h"

#ifndef FM_VERSION
#define FM_VERSION "0.0.0"
#endif

static const char *sev_name(fm_severity s)
{
	return fm_severity_name(s);
}

/* help_base + id + ".md" as a JSON string. */
static int json_help_uri(fm_buf *b, const char *base, const char *id)
{
	fm_buf u = FM_BUF_INIT;
	int rc = fm_buf_addf(&u, "%s%s.md", base, id) || fm_json_str(b, u.data);
	fm_buf_release(&u);
	return rc;
}

/* A multi-line field (detail, fix) indented under its finding; input in it
 * is escaped and cut like every echo (escape.h). */
static int text_block(fm_buf *b, const char *s)
{
	return fm_buf_adds(b, "      ") || fm_esc_lines(b, s, "      ") || fm_buf_addc(b, '\n');
}

/* Reported (not suppressed) findings per severity, and the suppressed. */
static size_t count(const fm_findings *f, size_t counts[3])
{
	size_t sup = 0;
	counts[0] = counts[1] = counts[2] = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].suppressed_at)
			sup++;
		else
			counts[f->v[i].severity]++;
	return sup;
}

/* Input i of the run: 0 the ctx's own fields, then ctx->more. */
static fm_report_input input_at(const fm_report_ctx *ctx, size_t i)
{
	if (i)
		return ctx->more[i - 1];
	return (fm_report_input){ctx->profile, ctx->profile_reason, ctx->config_label, ctx->release};
}

static int text_header(fm_buf *b, const fm_report_ctx *ctx)
{
	int rc = 0;
	for (size_t i = 0; ctx->profile && i <= ctx->nmore && !rc; i++) {
		fm_report_input in = input_at(ctx, i);
		rc = fm_esc_addf(b, "Checked %s as ", in.config_label ? in.config_label : "the config") ||
		     fm_text_release(b, in.profile, in.release) ||
		     fm_esc_addf(b, ", %s", in.profile_reason ? in.profile_reason : "") || fm_buf_addc(b, '\n');
	}
	return rc;
}

int fm_report_text(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f, bool color)
{
	size_t counts[3];
	size_t sup = count(f, counts);
	int rc = ctx->quiet ? 0 : text_header(b, ctx);
	static const char *heads[3] = {"Errors", "Warnings", "Notes"};
	static const char *col[3] = {"\033[1;31m", "\033[1;33m", "\033[1;36m"};
	bool first = true;
	for (int s = 0; s < 3 && !rc; s++) {
		if (!counts[s])
			continue;
		rc = fm_buf_addf(b, "%s%s%s (%zu)%s\n", ctx->quiet && first ? "" : "\n", color ? col[s] : "", heads[s], counts[s],
				 color ? "\033[0m" : "");
		first = false;
		for (size_t i = 0; i < f->n && !rc; i++) {
			const fm_finding *g = &f->v[i];
			if ((int)g->severity != s || g->suppressed_at)
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
	if (!rc && !ctx->quiet) {
		rc = fm_buf_addf(b, "\n%zu error(s), %zu warning(s), %zu note(s)", counts[0], counts[1], counts[2]) ||
		     (sup && fm_buf_addf(b, ", %zu suppressed", sup)) || fm_buf_addc(b, '\n');
	}
	return rc;
}

int fm_report_gcc(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f)
{
	(void)ctx;
	int rc = 0;
	for (size_t i = 0; i < f->n && !rc; i++) {
		const fm_finding *g = &f->v[i];
		if (g->suppressed_at)
			continue;
		/* a finding about the whole file points at its start */
		if (g->file)
			rc = fm_esc_addf(b, "%s:%u:%u: ", g->file, g->line ? g->line : 1, g->line && g->col ? g->col : 1);
		else
			rc = fm_buf_adds(b, "flinkmem: ");
		rc = rc || fm_esc_addf(b, "%s: %s [%s]", sev_name(g->severity), g->message ? g->message : "",
				       g->rule ? g->rule->id : "?") || fm_buf_addc(b, '\n');
	}
	return rc;
}

static int json_suppression(fm_buf *b, const fm_finding *g)
{
	return fm_buf_adds(b, ",\"suppressed\":{\"line\":") || fm_json_int(b, g->suppressed_at) ||
	       fm_buf_adds(b, g->suppressed_file ? ",\"scope\":\"file\"" : ",\"scope\":\"line\"") ||
	       fm_buf_adds(b, ",\"reason\":") || fm_json_str(b, g->suppressed_why) || fm_buf_addc(b, '}');
}

int fm_report_json(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f)
{
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "check", ctx->profile, ctx->release) ||
		 (!ctx->profile && fm_buf_adds(b, ",\"flinkVersion\":null,\"profile\":null")) ||
		 fm_buf_adds(b, ",\"profileReleases\":") || fm_json_str(b, ctx->profile ? ctx->profile->releases : NULL) ||
		 fm_buf_adds(b, ",\"profileReason\":") || fm_json_str(b, ctx->profile_reason);
	/* several inputs: each with its own profile (the top-level one is the first's) */
	for (size_t i = 0; ctx->nmore && i <= ctx->nmore && !rc; i++) {
		fm_report_input in = input_at(ctx, i);
		char span[FM_PROFILE_SPAN_MAX];
		fm_profile_span(in.profile, span);
		rc = fm_buf_adds(b, i ? ",{\"config\":" : ",\"inputs\":[{\"config\":") || fm_json_str(b, in.config_label) ||
		     fm_buf_adds(b, ",\"flinkVersion\":") || fm_json_str(b, in.release ? in.release : in.profile->name) ||
		     fm_buf_adds(b, ",\"profile\":") || fm_json_str(b, span) ||
		     fm_buf_adds(b, ",\"profileReleases\":") || fm_json_str(b, in.profile->releases) ||
		     fm_buf_adds(b, ",\"profileReason\":") || fm_json_str(b, in.profile_reason) ||
		     fm_buf_adds(b, i == ctx->nmore ? "}]" : "}");
	}
	rc = rc || fm_buf_adds(b, ",\"findings\":[");
	size_t counts[3];
	size_t sup = count(f, counts);
	for (size_t i = 0; i < f->n && !rc; i++) {
		const fm_finding *g = &f->v[i];
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"rule\":") || fm_json_str(b, g->rule ? g->rule->id : NULL) ||
		     fm_buf_adds(b, ",\"name\":") || fm_json_str(b, g->rule ? g->rule->name : NULL) || fm_buf_adds(b, ",\"severity\":") ||
		     fm_json_str(b, sev_name(g->severity)) || fm_buf_adds(b, ",\"key\":") || fm_json_str(b, g->key) ||
		     fm_buf_adds(b, ",\"file\":") || fm_json_str(b, g->file) || fm_buf_adds(b, ",\"line\":") || fm_json_int(b, g->line) ||
		     fm_buf_adds(b, ",\"column\":") || fm_json_int(b, g->col) || fm_buf_adds(b, ",\"message\":") ||
		     fm_json_str(b, g->message) || fm_buf_adds(b, ",\"detail\":") || fm_json_str(b, g->detail) || fm_buf_adds(b, ",\"fix\":") ||
		     fm_json_str(b, g->fix) || (g->behind_errors && fm_buf_adds(b, ",\"behindErrors\":true")) ||
		     (g->suppressed_at && json_suppression(b, g)) || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_addf(b, "],\"summary\":{\"error\":%zu,\"warning\":%zu,\"note\":%zu", counts[0], counts[1], counts[2]) ||
	       (sup && fm_buf_addf(b, ",\"suppressed\":%zu", sup)) || fm_buf_adds(b, "}}\n");
}

/* A file name as a URI reference: RFC 3986 unreserved bytes and '/' kept,
 * every other byte percent-encoded (spaces, ':', control bytes, UTF-8). */
static int uri_path(fm_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			rc = fm_buf_addc(b, (char)*p);
		else
			rc = fm_buf_addc(b, '%') || fm_buf_addc(b, hex[*p >> 4]) || fm_buf_addc(b, hex[*p & 15]);
	}
	return rc;
}

/* "uri" (and "uriBaseId") of an artifactLocation, for file: relative
 * names are under %SRCROOT%, absolute ones become file:// URIs. */
static int sarif_artifact(fm_buf *b, const fm_report_ctx *ctx, const char *file)
{
	fm_buf u = FM_BUF_INIT;
	bool rel = file[0] != '/';
	int rc = (!rel && fm_buf_adds(&u, "file://")) || uri_path(&u, file);
	rc = rc || fm_buf_adds(b, "\"artifactLocation\":{\"uri\":") || fm_json_str(b, u.data ? u.data : "") ||
	     (rel && ctx->srcroot && fm_buf_adds(b, ",\"uriBaseId\":\"%SRCROOT%\"")) || fm_buf_addc(b, '}');
	fm_buf_release(&u);
	return rc;
}

static int sarif_location(fm_buf *b, const fm_report_ctx *ctx, const char *file, uint32_t line, uint32_t col)
{
	/* a finding about the whole file (line 0) points at its start */
	return fm_buf_adds(b, "{\"physicalLocation\":{") || sarif_artifact(b, ctx, file) ||
	       fm_buf_adds(b, ",\"region\":{\"startLine\":") || fm_json_int(b, line ? line : 1) ||
	       fm_buf_adds(b, ",\"startColumn\":") || fm_json_int(b, line && col ? col : 1) || fm_buf_adds(b, "}}}");
}

/* The rule's page as SARIF `help` (what code-scanning UIs show). */
static int sarif_help(fm_buf *b, const fm_report_ctx *ctx, const fm_rule_doc *r)
{
	fm_buf md = FM_BUF_INIT;
	int rc = fm_buf_addf(&md, "**%s %s** (%s): %s\n\n%s\n\nSilence it on one line with `# flinkmem: disable=%s`, in a "
				  "file with `# flinkmem: disable-file=%s`, everywhere with `disable: [%s]` in `.flinkmem.yaml`.",
			     r->id, r->name, sev_name(r->severity), r->summary, r->doc, r->id, r->id, r->id);
	rc = rc || (ctx->help_base && (fm_buf_adds(b, ",\"helpUri\":") || json_help_uri(b, ctx->help_base, r->id))) ||
	     fm_buf_adds(b, ",\"help\":{\"text\":") || fm_json_str(b, r->doc) || fm_buf_adds(b, ",\"markdown\":") ||
	     fm_json_str(b, md.data ? md.data : "") || fm_buf_addc(b, '}');
	fm_buf_release(&md);
	return rc;
}

static size_t rule_index(const fm_rule_doc *r)
{
	size_t n;
	const fm_rule_doc *all = fm_lint_rules(&n);
	return r ? (size_t)(r - all) : n;
}

int fm_report_sarif(fm_buf *b, const fm_report_ctx *ctx, const fm_findings *f)
{
	size_t nrules;
	const fm_rule_doc *rules = fm_lint_rules(&nrules);
	int rc = fm_buf_adds(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
				"\"runs\":[{\"tool\":{\"driver\":{\"name\":\"flinkmem\",\"version\":") ||
		 fm_json_str(b, FM_VERSION) || fm_buf_adds(b, ",\"informationUri\":\"https://flink.apache.org\",\"rules\":[");
	for (size_t i = 0; i < nrules && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"id\":") || fm_json_str(b, rules[i].id) ||
		     fm_buf_adds(b, ",\"name\":") || fm_json_str(b, rules[i].name) || fm_buf_adds(b, ",\"shortDescription\":{\"text\":") ||
		     fm_json_str(b, rules[i].summary) || fm_buf_adds(b, "},\"fullDescription\":{\"text\":") || fm_json_str(b, rules[i].doc) ||
		     fm_buf_addc(b, '}') || sarif_help(b, ctx, &rules[i]) ||
		     fm_buf_adds(b, ",\"defaultConfiguration\":{\"level\":") || fm_json_str(b, sev_name(rules[i].severity)) ||
		     fm_buf_adds(b, "}}");
	rc = rc || fm_buf_adds(b, "]}}");
	if (!rc && ctx->srcroot) {
		fm_buf u = FM_BUF_INIT;
		rc = fm_buf_adds(&u, "file://") || uri_path(&u, ctx->srcroot) ||
		     fm_buf_adds(b, ",\"originalUriBaseIds\":{\"%SRCROOT%\":{\"uri\":") || fm_json_str(b, u.data) ||
		     fm_buf_adds(b, "}}");
		fm_buf_release(&u);
	}
	rc = rc || fm_buf_adds(b, ",\"results\":[");
	for (size_t i = 0; i < f->n && !rc; i++) {
		const fm_finding *g = &f->v[i];
		fm_buf msg = FM_BUF_INIT;
		rc = fm_buf_adds(&msg, g->message ? g->message : "");
		if (!rc && g->detail)
			rc = fm_buf_addf(&msg, "\n%s", g->detail);
		if (!rc && g->fix)
			rc = fm_buf_addf(&msg, "\nFix:\n%s", g->fix);
		rc = rc || (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"ruleId\":") || fm_json_str(b, g->rule ? g->rule->id : "FM000") ||
		     (g->rule && (fm_buf_adds(b, ",\"ruleIndex\":") || fm_json_int(b, (int64_t)rule_index(g->rule)))) ||
		     fm_buf_adds(b, ",\"level\":") || fm_json_str(b, sev_name(g->severity)) || fm_buf_adds(b, ",\"message\":{\"text\":") ||
		     fm_json_str(b, msg.data ? msg.data : "") || fm_buf_addc(b, '}');
		fm_buf_release(&msg);
		if (!rc && g->file)
			rc = fm_buf_adds(b, ",\"locations\":[") || sarif_location(b, ctx, g->file, g->line, g->col) ||
			     fm_buf_addc(b, ']');
		if (!rc && g->suppressed_at) {
			rc = fm_buf_adds(b, ",\"suppressions\":[{\"kind\":\"inSource\"") ||
			     (g->suppressed_why && (fm_buf_adds(b, ",\"justification\":") || fm_json_str(b, g->suppressed_why))) ||
			     (g->file && (fm_buf_adds(b, ",\"location\":") || sarif_location(b, ctx, g->file, g->suppressed_at, 0))) ||
			     fm_buf_adds(b, "}]");
		}
		rc = rc || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_adds(b, "]}]}\n");
}

int fm_report_rules_text(fm_buf *b)
{
	size_t n;
	const fm_rule_doc *r = fm_lint_rules(&n);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = fm_buf_addf(b, "%s  %-32s %-7s %s\n", r[i].id, r[i].name, sev_name(r[i].severity), r[i].summary);
	return rc;
}

int fm_report_rules_json(fm_buf *b, const char *help_base)
{
	size_t n;
	const fm_rule_doc *r = fm_lint_rules(&n);
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "check", NULL, NULL) || fm_buf_adds(b, ",\"rules\":[");
	for (size_t i = 0; i < n && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_adds(b, "{\"id\":") || fm_json_str(b, r[i].id) ||
		     fm_buf_adds(b, ",\"name\":") || fm_json_str(b, r[i].name) || fm_buf_adds(b, ",\"severity\":") ||
		     fm_json_str(b, sev_name(r[i].severity)) || fm_buf_adds(b, ",\"summary\":") || fm_json_str(b, r[i].summary) ||
		     fm_buf_adds(b, ",\"doc\":") || fm_json_str(b, r[i].doc) ||
		     (help_base && (fm_buf_adds(b, ",\"helpUri\":") || json_help_uri(b, help_base, r[i].id))) ||
		     fm_buf_addc(b, '}');
	return rc || fm_buf_adds(b, "]}\n");
}
