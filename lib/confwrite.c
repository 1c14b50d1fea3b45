/* confwrite — Flink's configuration writer as BashJavaUtils runs it
 * (see confwrite.h). Three parts:
 *   jmap   a java.util.HashMap model: which bucket, which capacity, in
 *          which order an iteration visits the keys (JDK 11-17 rules);
 *   emit   snakeyaml-engine 2.6's scalar style choice and writers for the
 *          block dump Flink uses (plain, 'single', "double");
 *   flows  the three pipelines: load (+ -D), update-and-get, migrate.
 * Owns no memory rules; never prints. */
#include "flinkmem/confwrite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- jmap: java.util.HashMap iteration order ---------------------------- */

typedef struct jval {
	const char *text;
	size_t len;
	fm_vtype type;
} jval;

typedef struct jent {
	const char *key; /* borrowed: lives in the fm_conf, the input or a node */
	uint32_t h;      /* HashMap.hash(key) */
	uint64_t seq;    /* insertion time: order inside a bucket */
	jval v;
	bool live;
} jent;

typedef struct jmap {
	jent *e;
	size_t len, alloc, size;
	uint32_t cap, thr; /* table length (0 = no table yet), resize threshold */
	uint32_t *bins;    /* live entries per bucket, for the treeify rule */
	size_t *idx;       /* open-addressing index into e (SIZE_MAX = empty) */
	size_t idx_cap;
	uint64_t seq;
} jmap;

static uint32_t jhash(const char *k)
{
	uint32_t h = (uint32_t)fm_java_string_hash(k);
	return h ^ (h >> 16);
}

static uint32_t table_size_for(uint32_t c)
{
	uint32_t n = 1;
	while (n < c && n < (1u << 30))
		n <<= 1;
	return n;
}

/* new HashMap<>(): no table, threshold 0 (16 on first put). */
static void jmap_init(jmap *m) { *m = (jmap){0}; }

/* CollectionUtil.newHashMapWithExpectedSize(n). */
static void jmap_init_expected(jmap *m, size_t n)
{
	*m = (jmap){0};
	uint64_t c = n <= 2 ? n + 1 : (n * 4 + 2) / 3; /* ceil(n / 0.75) */
	m->thr = table_size_for(c > (1u << 30) ? (1u << 30) : (uint32_t)c);
}

static void jmap_release(jmap *m)
{
	free(m->e);
	free(m->bins);
	free(m->idx);
	*m = (jmap){0};
}

static int jmap_rebin(jmap *m)
{
	uint32_t *nb = calloc(m->cap, sizeof(*nb));
	if (!nb)
		return FM_ENOMEM;
	for (size_t i = 0; i < m->len; i++)
		if (m->e[i].live)
			nb[m->e[i].h & (m->cap - 1)]++;
	free(m->bins);
	m->bins = nb;
	return FM_OK;
}

/* HashMap.resize(): the table doubles; a bucket's entries keep their order,
 * so the order stays "by bucket, then by insertion". */
static int jmap_resize(jmap *m)
{
	uint32_t ncap, nthr = 0;
	if (m->cap > 0) {
		ncap = m->cap < (1u << 30) ? m->cap << 1 : m->cap;
		if (m->cap >= 16)
			nthr = m->thr << 1;
	} else if (m->thr > 0) {
		ncap = m->thr;
	} else {
		ncap = 16;
		nthr = 12;
	}
	if (nthr == 0)
		nthr = (uint32_t)((float)ncap * 0.75f);
	m->cap = ncap;
	m->thr = nthr;
	return jmap_rebin(m);
}

static int jmap_reindex(jmap *m)
{
	size_t cap = 16;
	while (cap < m->len * 2 + 2)
		cap <<= 1;
	size_t *ni = malloc(cap * sizeof(*ni));
	if (!ni)
		return FM_ENOMEM;
	for (size_t i = 0; i < cap; i++)
		ni[i] = SIZE_MAX;
	for (size_t i = 0; i < m->len; i++) {
		size_t s = m->e[i].h & (cap - 1);
		while (ni[s] != SIZE_MAX)
			s = (s + 1) & (cap - 1);
		ni[s] = i;
	}
	free(m->idx);
	m->idx = ni;
	m->idx_cap = cap;
	return FM_OK;
}

static jent *jmap_find(const jmap *m, const char *key)
{
	if (!m->idx)
		return NULL;
	uint32_t h = jhash(key);
	for (size_t s = h & (m->idx_cap - 1); m->idx[s] != SIZE_MAX; s = (s + 1) & (m->idx_cap - 1)) {
		jent *e = &m->e[m->idx[s]];
		if (e->live && e->h == h && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

/* HashMap.put: an existing key keeps its place; a new one goes to the end
 * of its bucket; a bucket reaching 8 entries in a table below 64 doubles it
 * (treeifyBin), and so does passing the threshold. */
static int jmap_put(jmap *m, const char *key, jval v)
{
	int rc;
	if (m->cap == 0 && (rc = jmap_resize(m)) != FM_OK)
		return rc;
	jent *old = jmap_find(m, key);
	if (old) {
		old->v = v;
		return FM_OK;
	}
	if (m->len == m->alloc) {
		size_t na = m->alloc ? m->alloc * 2 : 16;
		jent *ne = realloc(m->e, na * sizeof(*ne));
		if (!ne)
			return FM_ENOMEM;
		m->e = ne;
		m->alloc = na;
	}
	uint32_t h = jhash(key);
	m->e[m->len++] = (jent){key, h, m->seq++, v, true};
	if (m->len * 2 + 2 > m->idx_cap) {
		if ((rc = jmap_reindex(m)) != FM_OK) /* indexes the new entry too */
			return rc;
	} else {
		size_t s = h & (m->idx_cap - 1);
		while (m->idx[s] != SIZE_MAX)
			s = (s + 1) & (m->idx_cap - 1);
		m->idx[s] = m->len - 1;
	}
	uint32_t b = h & (m->cap - 1);
	uint32_t before = m->bins[b]++;
	if (before >= 8 && m->cap < 64 && (rc = jmap_resize(m)) != FM_OK)
		return rc;
	if (++m->size > m->thr && (rc = jmap_resize(m)) != FM_OK)
		return rc;
	return FM_OK;
}

static void jmap_remove(jmap *m, const char *key)
{
	jent *e = jmap_find(m, key);
	if (!e)
		return;
	e->live = false;
	m->size--;
	m->bins[e->h & (m->cap - 1)]--;
}

typedef struct slot {
	uint32_t bucket;
	uint64_t seq;
	size_t i;
} slot;

static int by_bucket(const void *a, const void *b)
{
	const slot *x = a, *y = b;
	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Iteration order: indexes into m->e of the live entries. *n = count.
 * NULL with *n = 0 for an empty map; NULL with *n = SIZE_MAX on ENOMEM. */
static size_t *jmap_order(const jmap *m, size_t *n)
{
	*n = 0;
	if (m->size == 0)
		return NULL;
	size_t *o = malloc(m->size * sizeof(*o));
	slot *sl = malloc(m->size * sizeof(*sl));
	if (!o || !sl) {
		free(o);
		free(sl);
		*n = SIZE_MAX;
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < m->len; i++)
		if (m->e[i].live)
			sl[k++] = (slot){m->e[i].h & (m->cap - 1), m->e[i].seq, i};
	qsort(sl, k, sizeof(*sl), by_bucket);
	for (size_t i = 0; i < k; i++)
		o[i] = sl[i].i;
	free(sl);
	*n = k;
	return o;
}

/* HashMap.putAll(src): pre-sizes an empty table from src's size, or
 * resizes once when src alone passes the threshold. */
static int jmap_put_all(jmap *m, const jmap *src)
{
	if (src->size == 0)
		return FM_OK;
	int rc;
	if (m->cap == 0) {
		float ft = (float)src->size / 0.75f + 1.0f;
		uint32_t t = ft < (float)(1u << 30) ? (uint32_t)ft : (1u << 30);
		if (t > m->thr)
			m->thr = table_size_for(t);
	} else if (src->size > m->thr && (rc = jmap_resize(m)) != FM_OK) {
		return rc;
	}
	size_t n;
	size_t *o = jmap_order(src, &n);
	if (n == SIZE_MAX)
		return FM_ENOMEM;
	rc = FM_OK;
	for (size_t i = 0; i < n && rc == FM_OK; i++)
		rc = jmap_put(m, src->e[o[i]].key, src->e[o[i]].v);
	free(o);
	return rc;
}

/* ---- scalars: snakeyaml-engine's analysis, style choice and writers ------- */

static size_t utf8_next(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
	unsigned char c = s[i];
	size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (need == 0 || i + need > n) {
		*cp = 0xFFFD;
		return 1;
	}
	uint32_t v = need == 1 ? c : need == 2 ? c & 0x1F : need == 3 ? c & 0x0F : c & 0x07;
	for (size_t k = 1; k < need; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	*cp = v;
	return need;
}

static bool is_break(uint32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }
static bool is_blank0(uint32_t c) { return c == 0 || c == ' ' || c == '\t'; }

typedef struct analysis {
	bool empty, multiline, flow_plain, block_plain, single, block;
} analysis;

/* Emitter.analyzeScalar, with allowUnicode (the DumpSettings default). */
static int analyze(const char *text, size_t len, analysis *a)
{
	*a = (analysis){0};
	if (len == 0) {
		*a = (analysis){true, false, false, true, true, false};
		return FM_OK;
	}
	size_t n = 0;
	uint32_t *cp = malloc(len * sizeof(*cp));
	if (!cp)
		return FM_ENOMEM;
	for (size_t i = 0; i < len;)
		i += utf8_next((const unsigned char *)text, len, i, &cp[n++]);
	bool block_ind = false, flow_ind = false, breaks = false, special = false;
	bool lead_space = false, lead_break = false, trail_space = false, trail_break = false;
	bool break_space = false, space_break = false;
	if (len >= 3 && (memcmp(text, "---", 3) == 0 || memcmp(text, "...", 3) == 0))
		block_ind = flow_ind = true;
	bool preceded = true;
	bool followed = n == 1 || is_blank0(cp[1]) || is_break(cp[1]);
	bool prev_space = false, prev_break = false;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cp[i];
		if (i == 0) {
			if (c < 0x80 && strchr("#,[]{}&*!|>'\"%@`", (int)c) && c)
				flow_ind = block_ind = true;
			if (c == '?' || c == ':') {
				flow_ind = true;
				if (followed)
					block_ind = true;
			}
			if (c == '-' && followed)
				flow_ind = block_ind = true;
		} else {
			if (c < 0x80 && c && strchr(",?[]{}", (int)c))
				flow_ind = true;
			if (c == ':') {
				flow_ind = true;
				if (followed)
					block_ind = true;
			}
			if (c == '#' && preceded)
				flow_ind = block_ind = true;
		}
		bool lb = is_break(c);
		if (lb)
			breaks = true;
		if (!(c == '\n' || (c >= 0x20 && c <= 0x7E)) &&
		    !(c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
		      (c >= 0x10000 && c <= 0x10FFFF)))
			special = true;
		if (c == ' ') {
			if (i == 0)
				lead_space = true;
			if (i == n - 1)
				trail_space = true;
			if (prev_break)
				break_space = true;
			prev_space = true;
			prev_break = false;
		} else if (lb) {
			if (i == 0)
				lead_break = true;
			if (i == n - 1)
				trail_break = true;
			if (prev_space)
				space_break = true;
			prev_space = false;
			prev_break = true;
		} else {
			prev_space = prev_break = false;
		}
		preceded = is_blank0(c) || lb;
		followed = true;
		if (i + 2 < n)
			followed = is_blank0(cp[i + 2]) || lb;
	}
	free(cp);
	bool fp = true, bp = true, sq = true, bl = true;
	if (lead_space || lead_break || trail_space || trail_break)
		fp = bp = false;
	if (trail_space)
		bl = false;
	if (break_space)
		fp = bp = sq = false;
	if (space_break || special)
		fp = bp = sq = bl = false;
	if (breaks)
		fp = false;
	if (flow_ind)
		fp = false;
	if (block_ind)
		bp = false;
	*a = (analysis){false, breaks, fp, bp, sq, bl};
	return FM_OK;
}

static bool all_in(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The YAML 1.2 Core resolver of snakeyaml-engine 2.6 (resolvers are picked
 * by the first character, which is why "~" and "NULL" stay strings). True
 * when a plain scalar with this text reads back as a string. */
static bool resolves_to_str(const char *s, size_t n)
{
	if (n == 0)
		return false; /* null */
	char c = s[0];
	/* ~|null|Null|NULL|" " read back as null (checked by the JVM). */
	if ((n == 1 && (c == '~' || c == ' ')) ||
	    (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0)))
		return false;
	if (strchr("tfTF", c) && c) {
		static const char *b[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
		for (size_t i = 0; i < 6; i++)
			if (strlen(b[i]) == n && memcmp(s, b[i], n) == 0)
				return false;
	}
	if (c && strchr("-+0123456789.", c)) {
		size_t i = 0;
		if (c != '.' && (s[0] == '-' || s[0] == '+'))
			i = 1;
		/* int: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
		if (c != '.' && i < n && all_in(s + i, n - i, "0123456789"))
			return false;
		if (n > 2 && s[0] == '0' && s[1] == 'o' && all_in(s + 2, n - 2, "01234567"))
			return false;
		if (n > 2 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, n - 2, "0123456789abcdefABCDEF"))
			return false;
		/* float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
		size_t j = i, d1 = 0, d2 = 0;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++, d1++;
		bool dot = j < n && s[j] == '.';
		if (dot) {
			j++;
			while (j < n && s[j] >= '0' && s[j] <= '9')
				j++, d2++;
		}
		bool mant = d1 ? true : (dot && d2);
		if (mant) {
			if (j < n && (s[j] == 'e' || s[j] == 'E')) {
				size_t k = j + 1;
				if (k < n && (s[k] == '-' || s[k] == '+'))
					k++;
				size_t d3 = 0;
				while (k < n && s[k] >= '0' && s[k] <= '9')
					k++, d3++;
				if (d3 && k == n)
					return false;
			} else if (j == n) {
				return false;
			}
		}
		const char *rest = s + i;
		size_t rn = n - i;
		if (rn == 4 && (memcmp(rest, ".inf", 4) == 0 || memcmp(rest, ".Inf", 4) == 0 || memcmp(rest, ".INF", 4) == 0))
			return false;
		if (n == 4 && (memcmp(s, ".nan", 4) == 0 || memcmp(s, ".NaN", 4) == 0 || memcmp(s, ".NAN", 4) == 0))
			return false;
	}
	if (c == '$' && n >= 3 && s[1] == '{' && s[n - 1] == '}') {
		/* ${ NAME } / ${NAME:-word} / ${NAME?word}: an env tag, not a string */
		size_t i = 2, e = n - 1;
		while (i < e && strchr(" \t\n\v\f\r", s[i]))
			i++;
		while (e > i && strchr(" \t\n\v\f\r", s[e - 1]))
			e--;
		size_t w = i;
		while (w < e && is_word(s[w]))
			w++;
		if (w > i) {
			if (w == e)
				return false;
			size_t k = w;
			if (s[k] == ':')
				k++;
			if (k < e && (s[k] == '-' || s[k] == '?')) {
				k++;
				while (k < e && is_word(s[k]))
					k++;
				if (k == e)
					return false;
			}
		}
	}
	return true;
}

/* The Core schema's null: "", ~, null, Null, NULL. */
static bool plain_null(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

static size_t break_len(const char *s, size_t n, size_t i)
{
	if (s[i] == '\n')
		return 1;
	uint32_t cp;
	size_t k = utf8_next((const unsigned char *)s, n, i, &cp);
	return is_break(cp) ? k : 0;
}

static int write_plain_or_single(fm_buf *b, const char *s, size_t n, bool single)
{
	int rc = single ? fm_buf_addc(b, '\'') : 0;
	size_t start = 0;
	for (size_t i = 0; i < n && single; i++)
		if (s[i] == '\'') {
			rc |= fm_buf_add(b, s + start, i + 1 - start);
			rc |= fm_buf_addc(b, '\'');
			start = i + 1;
		}
	rc |= fm_buf_add(b, s + start, n - start);
	if (single)
		rc |= fm_buf_addc(b, '\'');
	return rc ? FM_ENOMEM : FM_OK;
}

/* A multi-line string is represented in literal style (|): the block
 * hints (indent when it starts with a space or break, '-' without a final
 * break, '+' with several), then each line at the indent; a run of breaks
 * is written as they are, NEL/LS/PS as themselves. The final line break
 * is left to the caller. */
static int write_literal(fm_buf *b, const char *s, size_t n, int indent)
{
	int rc = fm_buf_adds(b, "|");
	uint32_t c0;
	utf8_next((const unsigned char *)s, n, 0, &c0);
	if (c0 == ' ' || is_break(c0))
		rc |= fm_buf_addc(b, '2');
	size_t last = n - 1;
	while (last > 0 && ((unsigned char)s[last] & 0xC0) == 0x80)
		last--;
	bool ends_break = break_len(s, n, last) != 0;
	if (!ends_break) {
		rc |= fm_buf_addc(b, '-');
	} else {
		size_t prev = last;
		if (prev > 0) {
			prev--;
			while (prev > 0 && ((unsigned char)s[prev] & 0xC0) == 0x80)
				prev--;
		}
		if (last == 0 || break_len(s, n, prev))
			rc |= fm_buf_addc(b, '+');
	}
	rc |= fm_buf_addc(b, '\n');
	size_t i = 0;
	bool at_line_start = true;
	while (i < n && !rc) {
		size_t bl = break_len(s, n, i);
		if (bl) {
			rc |= fm_buf_add(b, s + i, bl);
			i += bl;
			at_line_start = true;
			continue;
		}
		if (at_line_start)
			for (int k = 0; k < indent; k++)
				rc |= fm_buf_addc(b, ' ');
		at_line_start = false;
		size_t j = i;
		while (j < n && !break_len(s, n, j))
			j++;
		rc |= fm_buf_add(b, s + i, j - i);
		i = j;
	}
	/* the emitter's closing break: the caller writes it; drop one the text
	 * itself ended with so there is exactly one */
	if (ends_break && b->len && b->data[b->len - 1] == '\n')
		b->len--, b->data[b->len] = '\0';
	return rc ? FM_ENOMEM : FM_OK;
}

static bool printable(uint32_t c)
{
	return (c >= 0x20 && c <= 0x7E) || c == 0x9 || c == 0xA || c == 0xD || c == 0x85 ||
	       (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static int write_double(fm_buf *b, const char *s, size_t n)
{
	int rc = fm_buf_addc(b, '"');
	for (size_t i = 0; i < n && !rc;) {
		uint32_t c;
		size_t k = utf8_next((const unsigned char *)s, n, i, &c);
		const char *rep = NULL;
		switch (c) {
		case 0: rep = "\\0"; break;
		case 7: rep = "\\a"; break;
		case 8: rep = "\\b"; break;
		case 9: rep = "\\t"; break;
		case 10: rep = "\\n"; break;
		case 11: rep = "\\v"; break;
		case 12: rep = "\\f"; break;
		case 13: rep = "\\r"; break;
		case 27: rep = "\\e"; break;
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case 0x85: rep = "\\N"; break;
		case 0xA0: rep = "\\_"; break;
		case 0x2028: rep = "\\L"; break;
		case 0x2029: rep = "\\P"; break;
		default: break;
		}
		if (rep)
			rc |= fm_buf_adds(b, rep);
		else if ((c >= 0x20 && c <= 0x7E) || (printable(c) && c != 0xFEFF) || c == 0xFEFF)
			rc |= fm_buf_add(b, s + i, k);
		else if (c <= 0xFF)
			rc |= fm_buf_addf(b, "\\x%02x", (unsigned)c);
		else if (c >= 0x10000)
			rc |= fm_buf_addf(b, "\\U%08x", (unsigned)c);
		else
			rc |= fm_buf_addf(b, "\\u%04x", (unsigned)c);
		i += k;
	}
	rc |= fm_buf_addc(b, '"');
	return rc ? FM_ENOMEM : FM_OK;
}

/* A string scalar: plain when it reads back as a string and the analysis
 * allows it, else 'single', else "double" (Emitter.chooseScalarStyle). */
static int emit_str(fm_buf *b, const char *s, size_t n, bool simple_key, int indent)
{
	analysis a;
	int rc = analyze(s, n, &a);
	if (rc)
		return rc;
	if (a.multiline) {
		/* represented as LITERAL: block style or else double-quoted */
		if (!simple_key && a.block)
			return write_literal(b, s, n, indent);
		return write_double(b, s, n);
	}
	if (resolves_to_str(s, n) && !(simple_key && a.empty) && a.block_plain)
		return write_plain_or_single(b, s, n, false);
	if (a.single)
		return write_plain_or_single(b, s, n, true);
	return write_double(b, s, n);
}

/* A typed value as the representer gives it: numbers, bools plain
 * (Double's non-finite values as .inf/.nan), strings by emit_str. */
static int emit_val(fm_buf *b, jval v, int indent)
{
	switch (v.type) {
	case FM_V_INT:
	case FM_V_BOOL:
		return fm_buf_add(b, v.text, v.len) ? FM_ENOMEM : FM_OK;
	case FM_V_FLOAT:
		if (strcmp(v.text, "Infinity") == 0)
			return fm_buf_adds(b, ".inf") ? FM_ENOMEM : FM_OK;
		if (strcmp(v.text, "-Infinity") == 0)
			return fm_buf_adds(b, "-.inf") ? FM_ENOMEM : FM_OK;
		if (strcmp(v.text, "NaN") == 0)
			return fm_buf_adds(b, ".nan") ? FM_ENOMEM : FM_OK;
		return fm_buf_add(b, v.text, v.len) ? FM_ENOMEM : FM_OK;
	default:
		return emit_str(b, v.text, v.len, false, indent);
	}
}

int fm_cw_yaml_scalar(fm_buf *b, const char *text, size_t len, fm_vtype type)
{
	return emit_val(b, (jval){text, len, type}, 2);
}

/* Inside a flow collection the emitter's flow level is > 0: a plain
 * string needs the flow analysis (no , [ ] { } ...), the literal style the
 * representer picks for a multi-line string is refused there and becomes
 * "double" (Emitter.chooseScalarStyle), and a key is in simple-key
 * context (no plain empty string). */
int fm_cw_flow_scalar(fm_buf *b, const char *text, size_t len, fm_vtype type, bool key)
{
	if (type != FM_V_STR)
		return emit_val(b, (jval){text, len, type}, 0);
	analysis a;
	int rc = analyze(text, len, &a);
	if (rc)
		return rc;
	if (!a.multiline && resolves_to_str(text, len) && !(key && a.empty) && a.flow_plain)
		return write_plain_or_single(b, text, len, false);
	if (!a.multiline && a.single)
		return write_plain_or_single(b, text, len, true);
	return write_double(b, text, len);
}

/* ---- the simulated org.apache.flink Configuration ------------------------ */

typedef struct jconf {
	jmap data;      /* confData after the file */
	jmap dyn;       /* the -D Configuration's confData */
	char **owned;   /* strings we made (dotted keys, -D splits) */
	size_t nowned, aowned;
} jconf;

static char *own(jconf *j, char *s)
{
	if (!s)
		return NULL;
	if (j->nowned == j->aowned) {
		size_t na = j->aowned ? j->aowned * 2 : 32;
		char **nv = realloc(j->owned, na * sizeof(*nv));
		if (!nv) {
			free(s);
			return NULL;
		}
		j->owned = nv;
		j->aowned = na;
	}
	return j->owned[j->nowned++] = s;
}

static char *own_cat(jconf *j, const char *a, const char *b2, size_t bn, const char *c)
{
	size_t an = strlen(a), cn = strlen(c);
	char *s = malloc(an + bn + cn + 1);
	if (!s)
		return NULL;
	memcpy(s, a, an);
	memcpy(s + an, b2, bn);
	memcpy(s + an + bn, c, cn);
	s[an + bn + cn] = '\0';
	return own(j, s);
}

static void jconf_release(jconf *j)
{
	jmap_release(&j->data);
	jmap_release(&j->dyn);
	for (size_t i = 0; i < j->nowned; i++)
		free(j->owned[i]);
	free(j->owned);
	*j = (jconf){0};
}

static jval entry_val(const fm_entry *e)
{
	/* A sequence is stored as its flow dump, i.e. a String. */
	return (jval){e->text, e->text_len, e->type == FM_V_LIST ? FM_V_STR : e->type};
}

/* GlobalConfiguration.flatten over the document's mappings: one HashMap per
 * mapping, a child's map putAll'ed into its parent's. The walk re-reads
 * the YAML text for the nesting (the fm_conf has only dotted keys); the
 * values come from the fm_conf. */
typedef struct frame {
	jmap m;
	const char *prefix; /* "a.b." */
	const char *key;    /* pending key, NULL when a key is expected */
} frame;

static int alias_fallback(jconf *j, const fm_conf *c, jmap *m, const char *flat)
{
	/* An alias to a mapping: its keys in the file's order (approximate). */
	const fm_entry *e = fm_conf_find(c, flat);
	if (e)
		return jmap_put(m, e->key, entry_val(e));
	size_t fl = strlen(flat);
	jmap sub;
	jmap_init(&sub);
	int rc = FM_OK;
	for (size_t i = 0; i < fm_conf_len(c) && rc == FM_OK; i++) {
		const fm_entry *x = fm_conf_at(c, i);
		if (strncmp(x->key, flat, fl) == 0 && x->key[fl] == '.')
			rc = jmap_put(&sub, x->key, entry_val(x));
	}
	if (rc == FM_OK)
		rc = jmap_put_all(m, &sub);
	jmap_release(&sub);
	(void)j;
	return rc;
}

static int flatten_yaml(jconf *j, const fm_cw_input *in, jmap *root)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return FM_ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)in->yaml, in->yaml_len);
	frame *st = NULL;
	size_t depth = 0, alloc = 0;
	int skip = 0; /* inside a sequence value: nesting to skip */
	int rc = FM_OK;
	bool done = false;
	while (!done && rc == FM_OK) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = FM_ESYNTAX;
			break;
		}
		frame *top = depth ? &st[depth - 1] : NULL;
		if (skip) {
			if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
				skip++;
			else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
				skip--;
			if (!skip && top) {
				char *flat = own_cat(j, top->prefix, top->key, strlen(top->key), "");
				const fm_entry *e = flat ? fm_conf_find(in->file, flat) : NULL;
				rc = !flat ? FM_ENOMEM : e ? jmap_put(&top->m, e->key, entry_val(e)) : FM_OK;
				top->key = NULL;
			}
			yaml_event_delete(&ev);
			continue;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = ev.type == YAML_STREAM_END_EVENT || depth == 0;
			break;
		case YAML_MAPPING_START_EVENT:
			if (depth == alloc) {
				size_t na = alloc ? alloc * 2 : 8;
				frame *ns = realloc(st, na * sizeof(*ns));
				if (!ns) {
					rc = FM_ENOMEM;
					break;
				}
				st = ns;
				alloc = na;
				top = depth ? &st[depth - 1] : NULL;
			}
			{
				const char *prefix = "";
				if (top) {
					prefix = own_cat(j, top->prefix, top->key, strlen(top->key), ".");
					if (!prefix) {
						rc = FM_ENOMEM;
						break;
					}
				}
				jmap_init(&st[depth].m);
				st[depth].prefix = prefix;
				st[depth].key = NULL;
				depth++;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			if (depth == 0)
				break;
			depth--;
			if (depth == 0) {
				*root = st[0].m;
			} else {
				rc = jmap_put_all(&st[depth - 1].m, &st[depth].m);
				jmap_release(&st[depth].m);
				st[depth - 1].key = NULL;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
			skip = 1;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (!top)
				break;
			if (!top->key) {
				if (ev.type == YAML_ALIAS_EVENT) {
					rc = FM_ESYNTAX; /* an alias key: Flink rejects it */
					break;
				}
				/* a plain null key is Java's null, which flatten makes "null" */
				const char *kt = (const char *)ev.data.scalar.value;
				size_t kl = ev.data.scalar.length;
				if (ev.data.scalar.plain_implicit && !resolves_to_str(kt, kl) && plain_null(kt, kl))
					kt = "null", kl = 4;
				top->key = own_cat(j, "", kt, kl, "");
				if (!top->key)
					rc = FM_ENOMEM;
			} else {
				char *flat = own_cat(j, top->prefix, top->key, strlen(top->key), "");
				if (!flat) {
					rc = FM_ENOMEM;
					break;
				}
				if (ev.type == YAML_ALIAS_EVENT) {
					rc = alias_fallback(j, in->file, &top->m, flat);
				} else {
					const fm_entry *e = fm_conf_find(in->file, flat);
					if (e)
						rc = jmap_put(&top->m, e->key, entry_val(e));
				}
				top->key = NULL;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	for (size_t i = 0; i < depth; i++)
		jmap_release(&st[i].m);
	free(st);
	yaml_parser_delete(&p);
	return rc;
}

static int load_file_map(jconf *j, const fm_cw_input *in)
{
	jmap_init(&j->data);
	if (in->standard && in->yaml) {
		jmap root;
		jmap_init(&root);
		int rc = flatten_yaml(j, in, &root);
		if (rc == FM_ESYNTAX) {
			/* Loaded fine by conf_yaml but not walkable here: the file's
			 * own order stands in. */
			jmap_release(&root);
			jmap_init(&root);
			rc = FM_OK;
			for (size_t i = 0; i < fm_conf_len(in->file) && rc == FM_OK; i++)
				rc = jmap_put(&root, fm_conf_at(in->file, i)->key, entry_val(fm_conf_at(in->file, i)));
		}
		if (rc == FM_OK) {
			size_t n;
			size_t *o = jmap_order(&root, &n);
			if (n == SIZE_MAX)
				rc = FM_ENOMEM;
			for (size_t i = 0; i < n && rc == FM_OK; i++)
				rc = jmap_put(&j->data, root.e[o[i]].key, root.e[o[i]].v);
			free(o);
		}
		jmap_release(&root);
		return rc;
	}
	int rc = FM_OK;
	for (size_t i = 0; i < fm_conf_len(in->file) && rc == FM_OK; i++) {
		const fm_entry *e = fm_conf_at(in->file, i);
		rc = jmap_put(&j->data, e->key, entry_val(e));
	}
	return rc;
}

/* -D values: commons-cli splits at the first '=' (no '=' means "true"),
 * Properties -> stringPropertyNames (a HashMap) -> a Configuration. */
static int load_dyn(jconf *j, const fm_cw_input *in)
{
	jmap props, names;
	jmap_init(&props);
	jmap_init(&names);
	jmap_init(&j->dyn);
	int rc = FM_OK;
	for (size_t i = 0; i < in->ndyn && rc == FM_OK; i++) {
		const char *a = in->dyn[i], *eq = strchr(a, '=');
		char *k = own_cat(j, "", a, eq ? (size_t)(eq - a) : strlen(a), "");
		if (!k) {
			rc = FM_ENOMEM;
			break;
		}
		const char *v = eq ? eq + 1 : "true";
		rc = jmap_put(&props, k, (jval){v, strlen(v), FM_V_STR});
	}
	size_t n = 0;
	size_t *o = rc == FM_OK ? jmap_order(&props, &n) : NULL;
	if (n == SIZE_MAX)
		rc = FM_ENOMEM, n = 0;
	for (size_t i = 0; i < n && rc == FM_OK; i++)
		rc = jmap_put(&names, props.e[o[i]].key, props.e[o[i]].v);
	free(o);
	o = rc == FM_OK ? jmap_order(&names, &n) : NULL;
	if (n == SIZE_MAX)
		rc = FM_ENOMEM, n = 0;
	for (size_t i = 0; i < n && rc == FM_OK; i++)
		rc = jmap_put(&j->dyn, names.e[o[i]].key, names.e[o[i]].v);
	free(o);
	jmap_release(&props);
	jmap_release(&names);
	return rc;
}

static bool sensitive(const char *key, bool modern)
{
	static const char *keys[] = {"password", "secret", "fs.azure.account.key", "apikey", "auth-params",
				     "service-key", "token", "basic-auth", "jaas.config", "http-headers"};
	size_t nk = modern ? sizeof(keys) / sizeof(keys[0]) : 4;
	size_t n = strlen(key);
	char *low = malloc(n + 1);
	if (!low)
		return true; /* hiding is the safe side */
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
	bool hit = false;
	for (size_t i = 0; i < nk && !hit; i++)
		hit = strstr(low, keys[i]) != NULL;
	free(low);
	return hit;
}

static bool modern_loader(const fm_profile *p) { return p->yaml_only || p->yaml_fallback; }

static int log_map(fm_logs *logs, const jmap *m, const char *what, bool modern)
{
	size_t n;
	size_t *o = jmap_order(m, &n);
	if (n == SIZE_MAX)
		return FM_ENOMEM;
	int rc = FM_OK;
	for (size_t i = 0; i < n && rc == FM_OK; i++) {
		const jent *e = &m->e[o[i]];
		rc = fm_logs_add(logs, "INFO", "%s configuration property: %s, %s", what, e->key,
				 sensitive(e->key, modern) ? "******" : e->v.text);
	}
	free(o);
	return rc;
}

/* The line a reader WARN names: "... configuration file <shown>:<N>: ...". */
static unsigned long warn_line(const char *msg, const char *shown)
{
	const char *p = shown ? strstr(msg, shown) : NULL;
	if (!p || p[strlen(shown)] != ':')
		return 0;
	return strtoul(p + strlen(shown) + 1, NULL, 10);
}

static int copy_log(fm_logs *logs, const char *line)
{
	const char *sp = strchr(line, ' ');
	size_t ll = sp ? (size_t)(sp - line) : strlen(line);
	char level[8];
	snprintf(level, sizeof level, "%.*s", (int)(ll < 7 ? ll : 7), line);
	return fm_logs_add(logs, level, "%s", sp ? sp + 1 : "");
}

typedef struct lined {
	unsigned long line;
	size_t seq;
	const char *warn;     /* a reader WARN, or */
	const fm_entry *prop; /* a property line */
} lined;

static int by_line(const void *a, const void *b)
{
	const lined *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int fm_cw_load_logs(const fm_cw_input *in, fm_logs *logs)
{
	bool modern = modern_loader(in->profile);
	size_t nw = in->parse_logs ? in->parse_logs->n : 0;
	int rc = FM_OK;
	if (!modern) {
		/* Up to 1.18 each line is logged as it is parsed: the property
		 * lines and the reader's WARNs in file order. */
		size_t n = fm_conf_len(in->file) + nw;
		lined *v = n ? malloc(n * sizeof(*v)) : NULL;
		if (n && !v)
			return FM_ENOMEM;
		size_t k = 0;
		for (size_t i = 0; i < nw; i++, k++)
			v[k] = (lined){warn_line(in->parse_logs->v[i], in->shown), k, in->parse_logs->v[i], NULL};
		for (size_t i = 0; i < fm_conf_len(in->file); i++, k++)
			v[k] = (lined){fm_conf_at(in->file, i)->at.line, k, NULL, fm_conf_at(in->file, i)};
		qsort(v, k, sizeof(*v), by_line);
		for (size_t i = 0; i < k && rc == FM_OK; i++)
			rc = v[i].warn ? copy_log(logs, v[i].warn)
				       : fm_logs_add(logs, "INFO", "Loading configuration property: %s, %s", v[i].prop->key,
						     sensitive(v[i].prop->key, false) ? "******" : v[i].prop->text);
		free(v);
		return rc;
	}
	for (size_t i = 0; i < nw && rc == FM_OK; i++)
		rc = copy_log(logs, in->parse_logs->v[i]);
	jconf j = {0};
	if (rc == FM_OK)
		rc = load_file_map(&j, in);
	if (rc == FM_OK)
		rc = load_dyn(&j, in);
	if (rc == FM_OK)
		rc = log_map(logs, &j.data, "Loading", true);
	if (rc == FM_OK)
		rc = log_map(logs, &j.dyn, "Loading dynamic", true);
	jconf_release(&j);
	return rc;
}

/* ---- writers -------------------------------------------------------------- */

static const char *java_class_of(jval v)
{
	switch (v.type) {
	case FM_V_BOOL: return "java.lang.Boolean";
	case FM_V_FLOAT: return "java.lang.Double";
	case FM_V_INT: {
		const char *t = v.text;
		size_t n = strlen(t), d = n - (t[0] == '-' || t[0] == '+');
		/* Integer if it fits, then Long, then BigInteger */
		if (d < 10 || (d == 10 && strcmp(t + (n - d), "2147483647") <= 0))
			return "java.lang.Integer";
		if (d < 19 || (d == 19 && strcmp(t + (n - d), "9223372036854775807") <= 0))
			return "java.lang.Long";
		return "java.math.BigInteger";
	}
	default: return "java.lang.String";
	}
}

typedef struct tnode {
	char *name; /* one segment of the dotted key, owned */
	size_t first, last, next; /* children / sibling, SIZE_MAX = none */
	bool map;
	jval v;
} tnode;

typedef struct tree {
	tnode *n;
	size_t len, alloc;
} tree;

static size_t tree_add(tree *t, const char *name, bool map, jval v)
{
	if (t->len == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 64;
		tnode *nn = realloc(t->n, na * sizeof(*nn));
		if (!nn)
			return SIZE_MAX;
		t->n = nn;
		t->alloc = na;
	}
	char *nm = strdup(name);
	if (!nm)
		return SIZE_MAX;
	t->n[t->len] = (tnode){nm, SIZE_MAX, SIZE_MAX, SIZE_MAX, map, v};
	return t->len++;
}

static size_t tree_child(const tree *t, size_t parent, const char *name)
{
	for (size_t c = t->n[parent].first; c != SIZE_MAX; c = t->n[c].next)
		if (strcmp(t->n[c].name, name) == 0)
			return c;
	return SIZE_MAX;
}

static size_t tree_link(tree *t, size_t parent, const char *name, bool map, jval v)
{
	size_t c = tree_add(t, name, map, v);
	if (c == SIZE_MAX)
		return c;
	if (t->n[parent].last == SIZE_MAX)
		t->n[parent].first = c;
	else
		t->n[t->n[parent].last].next = c;
	t->n[parent].last = c;
	return c;
}

static int set_err(fm_jchain *err, const char *cls, const char *fmt, const char *a, const char *b)
{
	char *msg = NULL;
	if (asprintf(&msg, fmt, a, b) < 0)
		return FM_ENOMEM;
	fm_jexc *v = malloc(sizeof(*v));
	if (!v) {
		free(msg);
		return FM_ENOMEM;
	}
	v->cls = cls;
	v->msg = msg;
	*err = (fm_jchain){v, 1};
	return FM_ESYNTAX;
}

static int dump_node(fm_buf *b, const tree *t, size_t parent, int indent)
{
	int rc = FM_OK;
	for (size_t c = t->n[parent].first; c != SIZE_MAX && rc == FM_OK; c = t->n[c].next) {
		const tnode *x = &t->n[c];
		size_t kl = strlen(x->name);
		analysis a;
		if ((rc = analyze(x->name, kl, &a)) != FM_OK)
			break;
		/* checkSimpleKey: the key plus its prepared tag "!!str" under 128 */
		bool simple = kl + 5 < 128 && !a.empty && !a.multiline;
		for (int i = 0; i < indent; i++)
			rc |= fm_buf_addc(b, ' ');
		if (!simple) {
			rc |= fm_buf_adds(b, "? ");
			rc |= emit_str(b, x->name, kl, false, indent + 2);
			rc |= fm_buf_addc(b, '\n');
			for (int i = 0; i < indent; i++)
				rc |= fm_buf_addc(b, ' ');
		} else {
			rc |= emit_str(b, x->name, kl, true, indent + 2);
		}
		rc |= fm_buf_addc(b, ':');
		if (x->map) {
			rc |= fm_buf_addc(b, '\n');
			if (!rc)
				rc = dump_node(b, t, c, indent + 2);
		} else {
			rc |= fm_buf_addc(b, ' ');
			if (!rc)
				rc = emit_val(b, x->v, indent + 2);
			rc |= fm_buf_addc(b, '\n');
		}
		if (rc && rc != FM_ENOMEM)
			rc = FM_ENOMEM;
	}
	return rc;
}

/* YamlParserUtils.convertAndDumpYamlFromFlatMap: split every key at '.'
 * (Java's split: trailing empty parts dropped), nest in first-seen order,
 * dump in block style; a value where a parent map must go is Flink's
 * ClassCastException. */
static int dump_nested(const jmap *m, const char *prefix, fm_buf *out, fm_jchain *err)
{
	size_t n;
	size_t *o = jmap_order(m, &n);
	if (n == SIZE_MAX)
		return FM_ENOMEM;
	tree t = {0};
	char **parts = NULL;
	int rc = tree_add(&t, "", true, (jval){0}) == SIZE_MAX ? FM_ENOMEM : FM_OK;
	for (size_t i = 0; i < n && rc == FM_OK; i++) {
		const jent *e = &m->e[o[i]];
		char *k = strdup(e->key);
		if (!k) {
			rc = FM_ENOMEM;
			break;
		}
		size_t np = 0, kl = strlen(k);
		char **pv = realloc(parts, (kl + 2) * sizeof(*pv));
		if (!pv) {
			free(k);
			rc = FM_ENOMEM;
			break;
		}
		parts = pv;
		char *s = k;
		for (;;) {
			char *d = strchr(s, '.');
			parts[np++] = s;
			if (!d)
				break;
			*d = '\0';
			s = d + 1;
		}
		while (np > 1 && parts[np - 1][0] == '\0')
			np--;
		if (np == 1 && parts[0][0] == '\0' && kl > 0) {
			free(k);
			rc = set_err(err, "java.lang.ArrayIndexOutOfBoundsException", "Index -1 out of bounds for length 0%s%s",
				     "", "");
			break;
		}
		size_t cur = 0;
		for (size_t p = 0; p + 1 < np && rc == FM_OK; p++) {
			size_t c = tree_child(&t, cur, parts[p]);
			if (c == SIZE_MAX) {
				c = tree_link(&t, cur, parts[p], true, (jval){0});
				if (c == SIZE_MAX)
					rc = FM_ENOMEM;
			} else if (!t.n[c].map) {
				rc = set_err(err, "java.lang.ClassCastException",
					     "class %s cannot be cast to class java.util.Map (%s and java.util.Map are in "
					     "module java.base of loader 'bootstrap')",
					     java_class_of(t.n[c].v), java_class_of(t.n[c].v));
			}
			cur = c;
		}
		if (rc == FM_OK) {
			const char *last = parts[np - 1];
			size_t c = tree_child(&t, cur, last);
			if (c == SIZE_MAX) {
				if (tree_link(&t, cur, last, false, e->v) == SIZE_MAX)
					rc = FM_ENOMEM;
			} else {
				t.n[c].map = false; /* a value replaces a whole sub-map */
				t.n[c].first = t.n[c].last = SIZE_MAX;
				t.n[c].v = e->v;
			}
		}
		free(k);
	}
	free(parts);
	free(o);
	fm_buf doc = FM_BUF_INIT;
	if (rc == FM_OK) {
		if (t.n[0].first == SIZE_MAX)
			rc = fm_buf_adds(&doc, "{}\n") ? FM_ENOMEM : FM_OK;
		else
			rc = dump_node(&doc, &t, 0, 0);
	}
	/* The dump split at '\n' (trailing empty lines dropped), each line one
	 * output line. */
	size_t end = doc.len;
	while (end > 0 && doc.data[end - 1] == '\n')
		end--;
	for (size_t i = 0; rc == FM_OK && i < end;) {
		const char *nl = memchr(doc.data + i, '\n', end - i);
		size_t ll = nl ? (size_t)(nl - (doc.data + i)) : end - i;
		rc = fm_buf_addf(out, "%s%.*s\n", prefix, (int)ll, doc.data + i) ? FM_ENOMEM : FM_OK;
		i += ll + 1;
	}
	fm_buf_release(&doc);
	for (size_t i = 0; i < t.len; i++)
		free(t.n[i].name);
	free(t.n);
	return rc;
}

/* Configuration.toMap / toFileWritableMap: a HashMap sized for the entries,
 * "key: value" per entry in its order; values as YAML scalars when the
 * configuration is standard YAML, as their strings otherwise. */
static int dump_flat(const jmap *data, bool yaml_values, const char *prefix, fm_buf *out)
{
	size_t n;
	size_t *o = jmap_order(data, &n);
	if (n == SIZE_MAX)
		return FM_ENOMEM;
	char **vals = n ? calloc(n, sizeof(*vals)) : NULL;
	jmap w;
	jmap_init_expected(&w, data->size);
	int rc = n && !vals ? FM_ENOMEM : FM_OK;
	for (size_t i = 0; i < n && rc == FM_OK; i++) {
		const jent *e = &data->e[o[i]];
		jval v = e->v;
		if (yaml_values) {
			fm_buf b = FM_BUF_INIT;
			rc = emit_val(&b, e->v, 2);
			size_t len = 0;
			vals[i] = rc == FM_OK ? fm_buf_detach(&b, &len) : NULL;
			fm_buf_release(&b);
			if (!vals[i]) {
				rc = FM_ENOMEM;
				break;
			}
			v = (jval){vals[i], len, FM_V_STR};
		}
		rc = jmap_put(&w, e->key, v);
	}
	size_t wn = 0;
	size_t *wo = rc == FM_OK ? jmap_order(&w, &wn) : NULL;
	if (wn == SIZE_MAX)
		rc = FM_ENOMEM, wn = 0;
	for (size_t i = 0; i < wn && rc == FM_OK; i++)
		rc = fm_buf_addf(out, "%s%s: %s\n", prefix, w.e[wo[i]].key, w.e[wo[i]].v.text) ? FM_ENOMEM : FM_OK;
	free(wo);
	for (size_t i = 0; vals && i < n; i++)
		free(vals[i]);
	free(vals);
	free(o);
	jmap_release(&w);
	return rc;
}

/* configuration.get(key as a string option): the stored String, or the
 * value's YAML text for other types. */
static const char *as_string(jval v)
{
	if (v.type == FM_V_FLOAT) {
		if (strcmp(v.text, "Infinity") == 0)
			return ".inf";
		if (strcmp(v.text, "-Infinity") == 0)
			return "-.inf";
		if (strcmp(v.text, "NaN") == 0)
			return ".nan";
	}
	return v.text;
}

/* Configuration.removeKey: the key and every "key." sub-key. */
static void remove_key(jmap *m, const char *key)
{
	jmap_remove(m, key);
	size_t kl = strlen(key);
	for (size_t i = 0; i < m->len; i++)
		if (m->e[i].live && strncmp(m->e[i].key, key, kl) == 0 && m->e[i].key[kl] == '.')
			jmap_remove(m, m->e[i].key);
}

/* -repKV values: each split at its first two commas, then all of them
 * taken three at a time (commons-cli, then createResult). */
static int rep_values(jconf *j, const fm_cw_input *in, const char ***out, size_t *nout)
{
	size_t cap = in->nrep_kv * 3 + 1, n = 0;
	const char **v = malloc(cap * sizeof(*v));
	if (!v)
		return FM_ENOMEM;
	for (size_t i = 0; i < in->nrep_kv; i++) {
		const char *s = in->rep_kv[i];
		for (int part = 0; part < 2; part++) {
			const char *c = strchr(s, ',');
			if (!c)
				break;
			char *p = own_cat(j, "", s, (size_t)(c - s), "");
			if (!p) {
				free(v);
				return FM_ENOMEM;
			}
			v[n++] = p;
			s = c + 1;
		}
		v[n++] = s;
	}
	*out = v;
	*nout = n;
	return FM_OK;
}

int fm_cw_check_args(const fm_cw_input *in, fm_jchain *err)
{
	jconf j = {0};
	const char **v = NULL;
	size_t n = 0;
	int rc = rep_values(&j, in, &v, &n);
	for (size_t i = 0; rc == FM_OK && i < n; i += 3)
		if (i + 2 >= n) {
			char a[24], b[24];
			snprintf(a, sizeof a, "%zu", i + 1 >= n ? i + 1 : i + 2);
			snprintf(b, sizeof b, "%zu", n);
			rc = set_err(err, "java.lang.ArrayIndexOutOfBoundsException", "Index %s out of bounds for length %s", a,
				     b);
		}
	free(v);
	jconf_release(&j);
	return rc;
}

int fm_cw_update_and_get(const fm_cw_input *in, const char *prefix, fm_buf *out, fm_jchain *err)
{
	jconf j = {0};
	const char **rv = NULL;
	size_t nrv = 0;
	int rc = fm_cw_check_args(in, err);
	if (rc == FM_OK)
		rc = load_file_map(&j, in);
	if (rc == FM_OK)
		rc = load_dyn(&j, in);
	if (rc == FM_OK)
		rc = jmap_put_all(&j.data, &j.dyn);
	if (rc == FM_OK)
		rc = rep_values(&j, in, &rv, &nrv);
	for (size_t i = 0; rc == FM_OK && i + 2 < nrv; i += 3) {
		const jent *e = jmap_find(&j.data, rv[i]);
		if (e && strcmp(as_string(e->v), rv[i + 1]) == 0)
			rc = jmap_put(&j.data, e->key, (jval){rv[i + 2], strlen(rv[i + 2]), FM_V_STR});
	}
	for (size_t i = 0; rc == FM_OK && i < in->nrm_kv; i++) {
		const char *a = in->rm_kv[i], *eq = strchr(a, '=');
		char *k = own_cat(&j, "", a, eq ? (size_t)(eq - a) : strlen(a), "");
		if (!k) {
			rc = FM_ENOMEM;
			break;
		}
		const jent *e = jmap_find(&j.data, k);
		if (e && strcmp(as_string(e->v), eq ? eq + 1 : "true") == 0)
			remove_key(&j.data, k);
	}
	for (size_t i = 0; rc == FM_OK && i < in->nrm_key; i++)
		remove_key(&j.data, in->rm_key[i]);
	if (rc == FM_OK)
		rc = in->standard && !in->flatten ? dump_nested(&j.data, prefix, out, err)
						  : dump_flat(&j.data, in->standard, prefix, out);
	free(rv);
	jconf_release(&j);
	return rc;
}

int fm_cw_migrate(const fm_cw_input *in, const char *prefix, fm_buf *out, fm_jchain *err)
{
	fm_cw_input legacy = *in;
	legacy.standard = false;
	legacy.yaml = NULL;
	jconf j = {0};
	int rc = load_file_map(&j, &legacy);
	jmap std;
	jmap_init(&std);
	if (rc == FM_OK && in->profile->yaml_only) {
		/* 2.x: the legacy map's entries set one by one into a new one */
		size_t n;
		size_t *o = jmap_order(&j.data, &n);
		if (n == SIZE_MAX)
			rc = FM_ENOMEM, n = 0;
		for (size_t i = 0; i < n && rc == FM_OK; i++)
			rc = jmap_put(&std, j.data.e[o[i]].key, j.data.e[o[i]].v);
		free(o);
	} else if (rc == FM_OK) {
		rc = jmap_put_all(&std, &j.data); /* 1.19/1.20: addAll */
	}
	if (rc == FM_OK)
		rc = dump_nested(&std, prefix, out, err);
	jmap_release(&std);
	jconf_release(&j);
	return rc;
}
