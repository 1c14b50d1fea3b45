/* render — text tree, JSON, Flink log block; see render.h. */
#include "flinkmem/render.h"

#include <stdio.h>
#include <string.h>

#include "flinkmem/escape.h"
#include "flinkmem/memsize.h"

#ifndef FM_VERSION
#define FM_VERSION "0.0.0"
#endif

int fm_json_int(fm_buf *b, int64_t v)
{
	char tmp[24];
	int i = 23;
	tmp[i] = '\0';
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	return fm_buf_adds(b, tmp + i);
}

int fm_json_str(fm_buf *b, const char *s)
{
	if (!s)
		return fm_buf_adds(b, "null");
	return fm_buf_addc(b, '"') || fm_buf_add_json_str(b, s, strlen(s)) || fm_buf_addc(b, '"');
}

/* One end of a profile's release range ("1.17.0", "1.18.x") split into its
 * line ("1.17") and patch ("0"); false when it has no second dot. */
static bool split_release(const char *r, size_t n, char *line, size_t cap, const char **patch)
{
	const char *d1 = memchr(r, '.', n);
	const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - r)) : NULL;
	if (!d2 || (size_t)(d2 - r) >= cap)
		return false;
	memcpy(line, r, (size_t)(d2 - r));
	line[d2 - r] = '\0';
	*patch = d2 + 1;
	return true;
}

/* Another profile than p starts or ends on release line `line`. */
static bool line_shared(const fm_profile *p, const char *line)
{
	size_t ln = strlen(line);
	for (size_t i = 0; fm_profiles[i]; i++) {
		const char *r = fm_profiles[i]->releases, *dash = strchr(r, '-');
		if (fm_profiles[i] == p)
			continue;
		if ((!strncmp(r, line, ln) && r[ln] == '.') || (dash && !strncmp(dash + 1, line, ln) && dash[1 + ln] == '.'))
			return true;
	}
	return false;
}

void fm_profile_span(const fm_profile *p, char *out)
{
	const char *r = p->releases, *dash = strchr(r, '-');
	const char *b = dash ? dash + 1 : r;
	size_t an = dash ? (size_t)(dash - r) : strlen(r), bn = strlen(b);
	char la[16], lb[16];
	const char *pa, *pb;
	if (!split_release(r, an, la, sizeof la, &pa) || !split_release(b, bn, lb, sizeof lb, &pb)) {
		snprintf(out, FM_PROFILE_SPAN_MAX, "%s", r);
		return;
	}
	/* a whole line is named without its patch; a line cut between two
	 * profiles keeps the patch that says where */
	bool a_whole = !strncmp(pa, "0", an - (size_t)(pa - r)) && an - (size_t)(pa - r) == 1 && !line_shared(p, la);
	bool b_whole = !strcmp(pb, "x") || !line_shared(p, lb);
	char sa[(FM_PROFILE_SPAN_MAX - 2) / 2 + 1], sb[sizeof sa]; /* "sa-sb" fits out */
	snprintf(sa, sizeof sa, "%.*s", a_whole ? (int)strlen(la) : (int)an, a_whole ? la : r);
	snprintf(sb, sizeof sb, "%.*s", (int)(sizeof sb - 1), b_whole ? lb : b);
	if (!strcmp(sa, sb))
		snprintf(out, FM_PROFILE_SPAN_MAX, "%s", sa);
	else
		snprintf(out, FM_PROFILE_SPAN_MAX, "%s-%s", sa, sb);
}

int fm_json_envelope(fm_buf *b, const char *command, const fm_profile *p, const char *release)
{
	int rc = fm_buf_adds(b, "\"flinkmem\":") || fm_json_str(b, FM_VERSION) || fm_buf_adds(b, ",\"schemaVersion\":") ||
		 fm_json_int(b, FM_SCHEMA_VERSION) || fm_buf_adds(b, ",\"command\":") || fm_json_str(b, command);
	if (rc || !p)
		return rc;
	char span[FM_PROFILE_SPAN_MAX];
	fm_profile_span(p, span);
	return fm_buf_adds(b, ",\"flinkVersion\":") || fm_json_str(b, release ? release : p->name) ||
	       fm_buf_adds(b, ",\"profile\":") || fm_json_str(b, span);
}

int fm_text_release(fm_buf *b, const fm_profile *p, const char *release)
{
	char span[FM_PROFILE_SPAN_MAX];
	fm_profile_span(p, span);
	return fm_esc_addf(b, "Flink %s (rules of the %s profile)", release ? release : p->name, span);
}

static int jkey(fm_buf *b, bool *first, const char *k)
{
	int rc = 0;
	if (!*first)
		rc = fm_buf_addc(b, ',');
	*first = false;
	return rc || fm_json_str(b, k) || fm_buf_addc(b, ':');
}

static int jkv_int(fm_buf *b, bool *first, const char *k, int64_t v)
{
	return jkey(b, first, k) || fm_json_int(b, v);
}

static int jkv_str(fm_buf *b, bool *first, const char *k, const char *v)
{
	return jkey(b, first, k) || fm_json_str(b, v);
}

static int json_error(fm_buf *b, const fm_jchain *c)
{
	int rc = fm_buf_adds(b, "{\"error\":{\"class\":") || fm_json_str(b, c->v[0].cls) ||
		 fm_buf_adds(b, ",\"message\":") || fm_json_str(b, c->v[0].msg) || fm_buf_adds(b, ",\"causes\":[");
	for (size_t i = 1; i < c->n && !rc; i++)
		rc = fm_buf_adds(b, i > 1 ? ",{\"class\":" : "{\"class\":") || fm_json_str(b, c->v[i].cls) ||
		     fm_buf_adds(b, ",\"message\":") || fm_json_str(b, c->v[i].msg) || fm_buf_addc(b, '}');
	return rc || fm_buf_adds(b, "]}");
}

static int json_logs(fm_buf *b, bool *first, const fm_logs *l)
{
	int rc = jkey(b, first, "logs") || fm_buf_addc(b, '[');
	for (size_t i = 0; i < l->n && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_json_str(b, l->v[i]);
	return rc || fm_buf_addc(b, ']');
}

int fm_render_tm_json(fm_buf *b, const fm_tm_result *r)
{
	if (r->outcome == FM_FLINK_ERROR)
		return json_error(b, &r->err) || fm_buf_addc(b, '}');
	const fm_tm_layout *l = &r->l;
	bool f = true;
	int rc = fm_buf_addc(b, '{') || jkv_int(b, &f, "frameworkHeap", l->framework_heap) ||
		 jkv_int(b, &f, "taskHeap", l->task_heap) ||
		 jkv_int(b, &f, "frameworkOffHeap", l->framework_off_heap) ||
		 jkv_int(b, &f, "taskOffHeap", l->task_off_heap) ||
		 jkv_int(b, &f, "networkMemory", l->network) || jkv_int(b, &f, "managedMemory", l->managed) ||
		 jkv_int(b, &f, "jvmMetaspace", l->metaspace) || jkv_int(b, &f, "jvmOverhead", l->overhead) ||
		 jkv_int(b, &f, "totalFlinkMemory", l->total_flink) ||
		 jkv_int(b, &f, "totalProcessMemory", l->total_process) ||
		 jkv_int(b, &f, "jvmHeap", l->jvm_heap) || jkv_int(b, &f, "jvmDirect", l->jvm_direct) ||
		 jkv_str(b, &f, "cpuCores", l->cpu_cores);
	if (!rc && l->has_num_slots)
		rc = jkv_int(b, &f, "numSlots", l->num_slots);
	return rc || jkv_str(b, &f, "jvmArgs", l->jvm_args) ||
	       jkv_str(b, &f, "dynamicConfigs", l->dynamic_configs) || json_logs(b, &f, &r->logs) ||
	       fm_buf_addc(b, '}');
}

int fm_render_jm_json(fm_buf *b, const fm_jm_result *r)
{
	if (r->outcome == FM_UNSUPPORTED)
		return fm_buf_adds(b, "{\"unsupported\":") || fm_json_str(b, r->unsupported) || fm_buf_addc(b, '}');
	if (r->outcome == FM_FLINK_ERROR)
		return json_error(b, &r->err) || fm_buf_addc(b, '}');
	const fm_jm_layout *l = &r->l;
	bool f = true;
	return fm_buf_addc(b, '{') || jkv_int(b, &f, "jvmHeap", l->jvm_heap) ||
	       jkv_int(b, &f, "offHeap", l->off_heap) || jkv_int(b, &f, "jvmMetaspace", l->metaspace) ||
	       jkv_int(b, &f, "jvmOverhead", l->overhead) ||
	       jkv_int(b, &f, "totalFlinkMemory", l->total_flink) ||
	       jkv_int(b, &f, "totalProcessMemory", l->total_process) ||
	       jkv_str(b, &f, "jvmArgs", l->jvm_args) ||
	       jkv_str(b, &f, "dynamicConfigs", l->dynamic_configs) || json_logs(b, &f, &r->logs) ||
	       fm_buf_addc(b, '}');
}

int fm_render_show_json(fm_buf *b, const fm_show *s)
{
	bool f = false; /* after the envelope */
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "show", s->profile, s->release) ||
		 jkv_str(b, &f, "profileReleases", s->profile->releases) ||
		 jkv_str(b, &f, "profileReason", s->profile_reason) || jkey(b, &f, "source") ||
		 fm_buf_addc(b, '[');
	for (size_t i = 0; i < s->nsources && !rc; i++) {
		bool g = true;
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') ||
		     jkv_str(b, &g, "kind", s->sources[i].kind) ||
		     jkv_str(b, &g, "detail", s->sources[i].detail) || fm_buf_addc(b, '}');
	}
	rc = rc || fm_buf_addc(b, ']');
	if (!rc && s->tm)
		rc = jkey(b, &f, "taskmanager") || fm_render_tm_json(b, s->tm);
	if (!rc && s->jm)
		rc = jkey(b, &f, "jobmanager") || fm_render_jm_json(b, s->jm);
	return rc || fm_buf_adds(b, "}\n");
}

int fm_render_tm_log(fm_buf *b, const fm_tm_layout *l)
{
	int64_t direct = l->jvm_direct, offheap = l->managed + l->jvm_direct;
	char h[13][FM_SIZE_HUMAN_MAX];
	int64_t v[13] = {l->total_process, l->total_flink, l->jvm_heap, l->framework_heap, l->task_heap,
			 offheap, l->managed, direct, l->framework_off_heap, l->task_off_heap, l->network,
			 l->metaspace, l->overhead};
	for (int i = 0; i < 13; i++)
		fm_size_human_c(h[i], v[i]);
	return fm_buf_addf(b,
			   "Final TaskExecutor Memory configuration:\n"
			   "  Total Process Memory:          %s\n"
			   "    Total Flink Memory:          %s\n"
			   "      Total JVM Heap Memory:     %s\n"
			   "        Framework:               %s\n"
			   "        Task:                    %s\n"
			   "      Total Off-heap Memory:     %s\n"
			   "        Managed:                 %s\n"
			   "        Total JVM Direct Memory: %s\n"
			   "          Framework:             %s\n"
			   "          Task:                  %s\n"
			   "          Network:               %s\n"
			   "    JVM Metaspace:               %s\n"
			   "    JVM Overhead:                %s\n",
			   h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12]);
}

int fm_render_jm_log(fm_buf *b, const fm_jm_layout *l)
{
	char h[6][FM_SIZE_HUMAN_MAX];
	int64_t v[6] = {l->total_process, l->total_flink, l->jvm_heap, l->off_heap, l->metaspace, l->overhead};
	for (int i = 0; i < 6; i++)
		fm_size_human_c(h[i], v[i]);
	return fm_buf_addf(b,
			   "Final Master Memory configuration:\n"
			   "  Total Process Memory: %s\n"
			   "    Total Flink Memory: %s\n"
			   "      JVM Heap:         %s\n"
			   "      Off-heap:         %s\n"
			   "    JVM Metaspace:      %s\n"
			   "    JVM Overhead:       %s\n",
			   h[0], h[1], h[2], h[3], h[4], h[5]);
}

int fm_render_jchain(fm_buf *b, const fm_jchain *c, const char *first_prefix)
{
	int rc = 0;
	for (size_t i = 0; i < c->n && !rc; i++)
		rc = fm_buf_addf(b, "%s%s: ", i ? "Caused by: " : first_prefix, c->v[i].cls) ||
		     fm_esc_lines(b, c->v[i].msg ? c->v[i].msg : "", "") || fm_buf_addc(b, '\n');
	return rc;
}

/* ---- text tree ----------------------------------------------------------- */

typedef struct row {
	const char *tree;  /* box-drawing prefix */
	const char *label;
	int64_t bytes;
} row;

/* The full table's width: 2 + 44 + 1 + 22 + 1 + 20 + 1 + 7. */
#define TABLE_FULL 98

/* n spaces */
static int add_spaces(fm_buf *b, size_t n)
{
	static const char sp[] = "                                                                ";
	int rc = 0;
	while (n && !rc) {
		size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
		rc = fm_buf_add(b, sp, k);
		n -= k;
	}
	return rc;
}

/* s right-aligned in w bytes, as "%*s" (never cut) */
static int add_right(fm_buf *b, const char *s, size_t n, size_t w)
{
	return add_spaces(b, w > n ? w - n : 0) || fm_buf_add(b, s, n);
}

/* The decimal digits of v at the end of out[24]; returns where they start. */
static char *dec(char out[24], unsigned long long v)
{
	char *p = out + 24;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

/* The rows of a layout. Formatted by hand, not with printf: show prints a
 * dozen of them per process, and printf's padding was a fifth of its run. */
static int text_rows(fm_buf *b, const row *rows, size_t n, int64_t total, bool color, bool compact)
{
	/* "  %-45s %12s %7s\n" and "  %-44s %22s %20s %7s\n" of "", "size", "bytes", "share" */
	int rc = compact ? add_spaces(b, 2 + 45 + 1 + 8) || fm_buf_adds(b, "size   share\n")
			 : add_spaces(b, 2 + 44 + 1 + 18) || fm_buf_adds(b, "size") || add_spaces(b, 1 + 15) ||
				   fm_buf_adds(b, "bytes   share\n");
	for (size_t i = 0; i < n && !rc; i++) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, rows[i].bytes);
		char *paren = strstr(h, " (");
		if (paren)
			*paren = '\0';
		/* share in tenths of a percent, rounded half up, integer only */
		unsigned __int128 tenths = total > 0 ? ((unsigned __int128)rows[i].bytes * 2000 / (uint64_t)total + 1) / 2 : 0;
		/* box-drawing characters are 3 bytes but one column: pad by columns */
		size_t cols = 0, tl = strlen(rows[i].tree), ll = strlen(rows[i].label);
		if (tl > 159) /* as the 160-byte label buffer this replaces */
			tl = 159;
		if (tl + ll > 159)
			ll = 159 - tl;
		for (size_t k = 0; k < tl + ll; k++) {
			unsigned char c = (unsigned char)(k < tl ? rows[i].tree[k] : rows[i].label[k - tl]);
			cols += (c & 0xC0) != 0x80;
		}
		rc = fm_buf_adds(b, "  ") || (color && i == 0 && fm_buf_adds(b, "\033[1m")) ||
		     fm_buf_add(b, rows[i].tree, tl) || fm_buf_add(b, rows[i].label, ll) ||
		     add_spaces(b, cols < (compact ? 45u : 44u) ? (compact ? 45u : 44u) - cols : 0) ||
		     fm_buf_addc(b, ' ') || add_right(b, h, strlen(h), compact ? 12 : 22);
		if (!compact && !rc) {
			char num[24];
			int64_t v = rows[i].bytes;
			char *d = dec(num, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
			if (v < 0)
				*--d = '-';
			rc = fm_buf_addc(b, ' ') || add_right(b, d, (size_t)(num + 24 - d), 20);
		}
		char pct[24];
		char *d = dec(pct, (unsigned)(tenths / 10)); /* as %5u of an unsigned */
		rc = rc || fm_buf_addc(b, ' ') || add_right(b, d, (size_t)(pct + 24 - d), 5) || fm_buf_addc(b, '.') ||
		     fm_buf_addc(b, (char)('0' + (unsigned)(tenths % 10))) || fm_buf_addc(b, '%') ||
		     (color && i == 0 && fm_buf_adds(b, "\033[0m")) || fm_buf_addc(b, '\n');
	}
	return rc;
}

static int text_error(fm_buf *b, const fm_jchain *c, bool color)
{
	int rc = fm_buf_addf(b, "  %sFlink rejects this configuration:%s\n", color ? "\033[1;31m" : "",
			     color ? "\033[0m" : "");
	for (size_t i = 0; i < c->n && !rc; i++) {
		rc = fm_buf_addf(b, "  %s%s: ", i ? "  caused by " : "", c->v[i].cls);
		if (!rc)
			rc = fm_esc_lines(b, c->v[i].msg ? c->v[i].msg : "", "      ");
		if (!rc)
			rc = fm_buf_addc(b, '\n');
	}
	return rc;
}

static int text_logs(fm_buf *b, const fm_logs *l)
{
	int rc = 0;
	for (size_t i = 0; i < l->n && !rc; i++) {
		rc = fm_buf_adds(b, "  Flink logs: ");
		if (!rc)
			rc = fm_esc_lines(b, l->v[i], "      ");
		if (!rc)
			rc = fm_buf_addc(b, '\n');
	}
	return rc;
}

int fm_render_show_text(fm_buf *b, const fm_show *s, bool color)
{
	return fm_render_show_text_w(b, s, color, 0);
}

int fm_render_show_text_w(fm_buf *b, const fm_show *s, bool color, size_t width)
{
	bool compact = width && width < TABLE_FULL;
	/* the reason and the sources echo input (spec.flinkVersion, paths, -D) */
	int rc = fm_text_release(b, s->profile, s->release) ||
		 fm_esc_addf(b, ", %s", s->profile_reason ? s->profile_reason : "") ||
		 fm_buf_addc(b, '\n');
	for (size_t i = 0; i < s->nsources && !rc; i++)
		rc = fm_esc_addf(b, "%s %s: %s", i ? "      " : "config", s->sources[i].kind,
				 s->sources[i].detail ? s->sources[i].detail : "") ||
		     fm_buf_addc(b, '\n');
	if (!rc && s->tm) {
		rc = fm_buf_addf(b, "\n%sTaskManager%s\n", color ? "\033[1m" : "", color ? "\033[0m" : "");
		const fm_tm_result *r = s->tm;
		if (!rc && r->outcome == FM_FLINK_ERROR) {
			rc = text_error(b, &r->err, color);
		} else if (!rc) {
			const fm_tm_layout *l = &r->l;
			row rows[] = {
				{"", "Total Process Memory", l->total_process},
				{"├─ ", "Total Flink Memory", l->total_flink},
				{"│  ├─ ", "JVM Heap (-Xmx)", l->jvm_heap},
				{"│  │  ├─ ", "Framework Heap", l->framework_heap},
				{"│  │  └─ ", "Task Heap", l->task_heap},
				{"│  ├─ ", "Managed Memory", l->managed},
				{"│  └─ ", "Direct Memory (-XX:MaxDirectMemorySize)", l->jvm_direct},
				{"│     ├─ ", "Framework Off-Heap", l->framework_off_heap},
				{"│     ├─ ", "Task Off-Heap", l->task_off_heap},
				{"│     └─ ", "Network", l->network},
				{"├─ ", "JVM Metaspace", l->metaspace},
				{"└─ ", "JVM Overhead", l->overhead},
			};
			rc = text_rows(b, rows, sizeof rows / sizeof rows[0], l->total_process, color, compact) ||
			     fm_esc_addf(b, "  slots %d, cpu cores %s", l->num_slots, l->cpu_cores) ||
			     fm_buf_addc(b, '\n') || fm_esc_addf(b, "  JVM flags:       %s", l->jvm_args) ||
			     fm_buf_addc(b, '\n') || fm_esc_addf(b, "  Dynamic configs: %s", l->dynamic_configs) ||
			     fm_buf_addc(b, '\n');
		}
		rc = rc || text_logs(b, &r->logs);
	}
	if (!rc && s->jm) {
		rc = fm_buf_addf(b, "\n%sJobManager%s\n", color ? "\033[1m" : "", color ? "\033[0m" : "");
		const fm_jm_result *r = s->jm;
		if (!rc && r->outcome == FM_UNSUPPORTED) {
			rc = fm_esc_addf(b, "  not computed by this release: %s", r->unsupported) || fm_buf_addc(b, '\n');
		} else if (!rc && r->outcome == FM_FLINK_ERROR) {
			rc = text_error(b, &r->err, color);
		} else if (!rc) {
			const fm_jm_layout *l = &r->l;
			row rows[] = {
				{"", "Total Process Memory", l->total_process},
				{"├─ ", "Total Flink Memory", l->total_flink},
				{"│  ├─ ", "JVM Heap (-Xmx)", l->jvm_heap},
				{"│  └─ ", l->direct_limit ? "Off-Heap (-XX:MaxDirectMemorySize)" : "Off-Heap", l->off_heap},
				{"├─ ", "JVM Metaspace", l->metaspace},
				{"└─ ", "JVM Overhead", l->overhead},
			};
			rc = text_rows(b, rows, sizeof rows / sizeof rows[0], l->total_process, color, compact) ||
			     fm_esc_addf(b, "  JVM flags:       %s", l->jvm_args) || fm_buf_addc(b, '\n');
			if (!rc && l->dynamic_configs)
				rc = fm_esc_addf(b, "  Dynamic configs: %s", l->dynamic_configs) || fm_buf_addc(b, '\n');
		}
		rc = rc || text_logs(b, &r->logs);
	}
	return rc;
}

/* ---- wrapping to a terminal's width -------------------------------------- */

/* Columns of s[0..n): UTF-8 lead bytes, ANSI CSI sequences excluded;
 * counting stops once past limit. */
static size_t cols_upto(const char *s, size_t n, size_t limit)
{
	if (!memchr(s, '\033', n)) {
		/* no colour: the bytes less the UTF-8 continuation bytes
		 * (10xxxxxx), counted eight at a time */
		size_t cont = 0, i = 0;
		for (; i + 8 <= n; i += 8) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			uint64_t y = (x & ~(x << 1) & 0x8080808080808080ULL) >> 7; /* 0 or 1 per byte */
			cont += (size_t)((y * 0x0101010101010101ULL) >> 56);
		}
		for (; i < n; i++)
			cont += ((unsigned char)s[i] & 0xC0) == 0x80;
		return n - cont;
	}
	size_t c = 0;
	for (size_t i = 0; i < n && c <= limit; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			i += 2;
			while (i < n && !(s[i] >= '@' && s[i] <= '~'))
				i++;
			continue;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	}
	return c;
}

/* Whether s[0..n) fits in limit columns. A line is never wider than its
 * bytes, so most lines need no look at all (show wraps every line it
 * prints, and a long one is asked again for each piece). */
static bool cols_within(const char *s, size_t n, size_t limit)
{
	return n <= limit || cols_upto(s, n, limit) <= limit;
}

/* Byte length of the longest prefix of s[0..n) within cols columns (at a
 * character boundary). */
static size_t prefix_within(const char *s, size_t n, size_t cols)
{
	/* plain ASCII up to the first character past the prefix: a byte is a
	 * column (the usual case; the walk below costs a dozen instructions
	 * a byte, and long lines are walked once per piece) */
	size_t k = 0, end = n < cols + 1 ? n : cols + 1;
	while (k < end && (unsigned char)s[k] < 0x80 && s[k] != '\033')
		k++;
	if (k == end)
		return n < cols ? n : cols;
	size_t i = 0, c = 0;
	while (i < n) {
		size_t j = i + 1;
		while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
			j++;
		if (s[i] == '\033' && j < n && s[j] == '[') { /* a colour: no column */
			while (j < n && !(s[j] >= '@' && s[j] <= '~'))
				j++;
			i = j < n ? j + 1 : n;
			continue;
		}
		if (c + 1 > cols)
			break;
		c++;
		i = j;
	}
	return i;
}

/* The indentation of a line's continuations: under the value of a
 * "  Label: value" line (a short label of words), else 4 columns deeper
 * than the line. */
static size_t hang(const char *s, size_t n, size_t width)
{
	size_t lead = 0;
	while (lead < n && s[lead] == ' ')
		lead++;
	size_t h = lead + 4;
	for (size_t i = lead; i + 1 < n && i < lead + 24; i++) {
		char c = s[i];
		if (c == ':' && s[i + 1] == ' ') {
			size_t v = i + 1;
			while (v < n && s[v] == ' ')
				v++;
			h = cols_upto(s, v, SIZE_MAX);
			break;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-'))
			break;
		if (c == ' ' && s[i + 1] == ' ')
			break; /* a table row, not a label */
	}
	return h <= width / 2 ? h : lead + 4 <= width / 2 ? lead + 4 : width / 2;
}

static int wrap_line(fm_buf *b, const char *s, size_t n, size_t width)
{
	if (cols_within(s, n, width))
		return fm_buf_add(b, s, n);
	size_t ind = hang(s, n, width);
	size_t avail = width, at = 0;
	int rc = 0;
	bool first = true;
	while (at < n && !rc) {
		if (!first) {
			while (at < n && s[at] == ' ')
				at++;
			if (at == n)
				break;
			for (size_t k = 0; k < ind && !rc; k++)
				rc = fm_buf_addc(b, ' ');
			avail = width - ind;
		}
		size_t rest = n - at;
		size_t take;
		if (cols_within(s + at, rest, avail)) {
			take = rest;
		} else {
			size_t fit = prefix_within(s + at, rest, avail);
			take = fit;
			/* break at the last blank that fits, keeping "-D key" together */
			while (take > 0 && (s[at + take] != ' ' || (take >= 2 && s[at + take - 1] == 'D' && s[at + take - 2] == '-')))
				take--;
			if (take == 0 || (first && cols_within(s + at, take, ind)))
				take = fit ? fit : 1; /* one long word: cut it */
		}
		size_t e = take;
		while (e > 0 && s[at + e - 1] == ' ')
			e--;
		rc = rc || fm_buf_add(b, s + at, e) || (at + take < n && fm_buf_addc(b, '\n'));
		at += take;
		first = false;
	}
	return rc;
}

int fm_text_wrap(fm_buf *b, const char *text, size_t n, size_t width)
{
	if (!width)
		return fm_buf_add(b, text, n);
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - text) : n;
		rc = wrap_line(b, text + i, e - i, width) || (nl && fm_buf_addc(b, '\n'));
		i = e + 1;
	}
	return rc;
}
