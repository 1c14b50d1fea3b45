/* conf_yaml — config.yaml as Flink 1.19+ reads it; see conf_yaml.h.
 *
 * Two passes. First libyaml's event parser builds a small node tree
 * (indices into growable arrays, so no pointer fix-ups), resolving aliases
 * to the anchored node. Then, as snakeyaml-engine constructs and Flink
 * flattens: every mapping's keys are checked for duplicates before its
 * values are visited (pre-order), nested mappings become dotted keys, a
 * later flattened key replaces an earlier one, and a null left in the
 * flattened map fails the whole load. libyaml's error texts are mapped to
 * snakeyaml's, which is what Flink wraps in its RuntimeException. */
#include "flinkmem/conf_yaml.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "flinkmem/buf.h"
#include "flinkmem/confwrite.h"
#include "flinkmem/javanum.h"
#include "flinkmem/memsize.h"
#include "yaml_anchor.h"

#define JCLS_YAML "org.snakeyaml.engine.v2.exceptions.YamlEngineException"
#define JCLS_READER "org.snakeyaml.engine.v2.exceptions.ReaderException"
#define JCLS_CCE "java.lang.ClassCastException"
/* snakeyaml-engine's LoadSettings.maxAliasesForCollections default. */
#define MAX_COLLECTION_ALIASES 50
/* Flattened entries we accept (alias fan-out is bounded by this). */
#define MAX_FLAT_ENTRIES ((size_t)1 << 20)

enum nkind { N_SCALAR, N_SEQ, N_MAP };
enum stype { T_NULL, T_BOOL, T_INT, T_FLOAT, T_STR };

typedef struct ynode {
	enum nkind kind;
	enum stype type;     /* scalars: the Core-schema type */
	bool closed;         /* collection fully read (aliases to open ones recurse) */
	char *text;          /* scalars: canonical Java toString of the value */
	size_t len;
	double num;          /* T_FLOAT */
	uint32_t line, col;  /* start mark, 1-based */
	size_t first, n;     /* collections: kids[first .. first+n) (maps: k,v pairs) */
} ynode;

typedef struct anchor {
	char *name;
	size_t node;
} anchor;

typedef struct ytree {
	ynode *nodes;
	size_t nnodes, capnodes;
	size_t *kids;
	size_t nkids, capkids;
	size_t *pending; /* children of open collections, in order */
	size_t npending, cappending;
	anchor *anchors;
	size_t nanchors, capanchors;
	fm__anchor_map amap; /* name -> node, the latest definition */
	size_t aliases; /* aliases to collections */
	size_t alias_uses; /* every alias, scalars too */
} ytree;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static void tree_free(ytree *t)
{
	for (size_t i = 0; i < t->nnodes; i++)
		free(t->nodes[i].text);
	for (size_t i = 0; i < t->nanchors; i++)
		free(t->anchors[i].name);
	free(t->nodes);
	free(t->kids);
	free(t->pending);
	free(t->anchors);
	fm__anchor_release(&t->amap);
}

/* ---- error reporting ---------------------------------------------------- */

static void mark_line(fm_buf *b, uint32_t line, uint32_t col)
{
	fm_buf_addf(b, " in reader, line %u, column %u\n", line, col);
}

/* Key text for a message, long keys cut. Left raw like snakeyaml's own
 * text: every output escapes it (escape.h), JSON as \u escapes. */
static char *one_line(const char *s, size_t n)
{
	fm_buf b = FM_BUF_INIT;
	size_t lim = n > 200 ? 200 : n;
	if (fm_buf_add(&b, s, lim) || (lim < n && fm_buf_adds(&b, "...")))
		fm_buf_release(&b);
	return fm_buf_detach(&b, NULL);
}

/* Sets d to a load failure: msg is the one-line text, jmsg snakeyaml's. */
static int fail(fm_diag *d, int code, const char *file, uint32_t line, uint32_t col,
		const char *jclass, const char *jmsg, const char *fmt, const char *arg)
{
	fm_diag_set(d, code, file, line, col, NULL, fmt, arg);
	if (d && jclass && fm_diag_java(d, jclass, jmsg) != FM_OK)
		return FM_ENOMEM;
	return code;
}

/* snakeyaml's Token.ID names, as its parser messages print them. */
static const char *token_name(yaml_token_type_t t)
{
	switch (t) {
	case YAML_STREAM_START_TOKEN: return "<stream start>";
	case YAML_STREAM_END_TOKEN: return "<stream end>";
	case YAML_VERSION_DIRECTIVE_TOKEN:
	case YAML_TAG_DIRECTIVE_TOKEN: return "<directive>";
	case YAML_DOCUMENT_START_TOKEN: return "<document start>";
	case YAML_DOCUMENT_END_TOKEN: return "<document end>";
	case YAML_BLOCK_SEQUENCE_START_TOKEN: return "<block sequence start>";
	case YAML_BLOCK_MAPPING_START_TOKEN: return "<block mapping start>";
	case YAML_BLOCK_END_TOKEN: return "<block end>";
	case YAML_FLOW_SEQUENCE_START_TOKEN: return "[";
	case YAML_FLOW_SEQUENCE_END_TOKEN: return "]";
	case YAML_FLOW_MAPPING_START_TOKEN: return "{";
	case YAML_FLOW_MAPPING_END_TOKEN: return "}";
	case YAML_BLOCK_ENTRY_TOKEN: return "-";
	case YAML_FLOW_ENTRY_TOKEN: return ",";
	case YAML_KEY_TOKEN: return "?";
	case YAML_VALUE_TOKEN: return ":";
	case YAML_ALIAS_TOKEN: return "<alias>";
	case YAML_ANCHOR_TOKEN: return "<anchor>";
	case YAML_TAG_TOKEN: return "<tag>";
	case YAML_SCALAR_TOKEN: return "<scalar>";
	default: return "<unknown>";
	}
}

/* The token a parser error points at: rescan up to its position. */
static const char *token_at(const char *data, size_t len, size_t index)
{
	yaml_parser_t p;
	const char *name = "<unknown>";
	if (!yaml_parser_initialize(&p))
		return name;
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		yaml_token_t tok;
		if (!yaml_parser_scan(&p, &tok))
			break;
		yaml_token_type_t ty = tok.type;
		size_t at = tok.start_mark.index;
		yaml_token_delete(&tok);
		/* libyaml puts a BLOCK-END at the position of the token that
		 * closed the block; snakeyaml names that next token. */
		if (at == index && ty == YAML_BLOCK_END_TOKEN)
			continue;
		if (at >= index) {
			if (at == index)
				name = token_name(ty);
			break;
		}
		if (ty == YAML_STREAM_END_TOKEN)
			break;
	}
	yaml_parser_delete(&p);
	return name;
}

/* A libyaml failure as snakeyaml-engine words it. */
static int parser_error(yaml_parser_t *p, const char *data, size_t len, const char *file,
			fm_diag *d)
{
	if (p->error == YAML_MEMORY_ERROR)
		return fm_diag_set(d, FM_ENOMEM, file, 0, 0, NULL, "out of memory");
	const char *problem = p->problem ? p->problem : "syntax error";
	uint32_t line = (uint32_t)p->problem_mark.line + 1;
	uint32_t col = (uint32_t)p->problem_mark.column + 1;
	if (p->error == YAML_READER_ERROR) {
		/* libyaml's reader marks carry only an offset. */
		size_t off = p->problem_offset < len ? p->problem_offset : len;
		line = 1, col = 1;
		for (size_t i = 0; i < off; i++) {
			if (data[i] == '\n')
				line++, col = 1;
			else if (((unsigned char)data[i] & 0xC0) != 0x80)
				col++;
		}
		bool utf8 = strstr(problem, "UTF-8") || strstr(problem, "octet");
		return fail(d, FM_ESYNTAX, file, line, col,
			    utf8 ? JCLS_YAML : JCLS_READER,
			    utf8 ? "java.nio.charset.MalformedInputException: Input length = 1"
				 : "special characters are not allowed",
			    "%s", utf8 ? "invalid UTF-8" : "special characters are not allowed");
	}
	const char *ctx = p->context;
	uint32_t cline = (uint32_t)p->context_mark.line + 1;
	uint32_t ccol = (uint32_t)p->context_mark.column + 1;
	fm_buf j = FM_BUF_INIT;
	char tokbuf[160];
	const char *jproblem = problem;
	const char *jctx = ctx;
	if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
		jproblem = "mapping values are not allowed here";
		jctx = NULL;
	} else if (strcmp(problem, "block sequence entries are not allowed in this context") == 0) {
		jproblem = "sequence entries are not allowed here";
		jctx = NULL;
	} else if (strcmp(problem, "did not find expected <document start>") == 0) {
		snprintf(tokbuf, sizeof tokbuf, "expected '<document start>', but found '%s'",
			 token_at(data, len, p->problem_mark.index));
		jproblem = tokbuf;
		jctx = NULL;
	} else if (strcmp(problem, "did not find expected key") == 0 ||
		   strcmp(problem, "did not find expected '-' indicator") == 0) {
		snprintf(tokbuf, sizeof tokbuf, "expected <block end>, but found '%s'",
			 token_at(data, len, p->problem_mark.index));
		jproblem = tokbuf;
	} else if (strcmp(problem, "did not find expected ',' or ']'") == 0 ||
		   strcmp(problem, "did not find expected ',' or '}'") == 0) {
		snprintf(tokbuf, sizeof tokbuf, "expected ',' or '%c', but got %s",
			 problem[strlen(problem) - 2], token_at(data, len, p->problem_mark.index));
		jproblem = tokbuf;
	} else if (strcmp(problem, "did not find expected node content") == 0) {
		snprintf(tokbuf, sizeof tokbuf, "expected the node content, but found '%s'",
			 token_at(data, len, p->problem_mark.index));
		jproblem = tokbuf;
	} else if (strcmp(problem, "found character that cannot start any token") == 0) {
		/* Marks count characters, not bytes: find the byte from line:col. */
		size_t off = 0;
		for (uint32_t l = 1; l < line && off < len; off++)
			if (data[off] == '\n')
				l++;
		for (uint32_t c = 1; c < col && off < len; c++)
			do
				off++;
			while (off < len && ((unsigned char)data[off] & 0xC0) == 0x80);
		unsigned char ch = off < len ? (unsigned char)data[off] : ' ';
		char rep[16];
		if (ch == '\t')
			snprintf(rep, sizeof rep, "\\t(TAB)");
		else if (ch > ' ' && ch < 0x7f)
			snprintf(rep, sizeof rep, "%c", ch);
		else
			snprintf(rep, sizeof rep, "\\x%02X", ch);
		snprintf(tokbuf, sizeof tokbuf,
			 "found character '%s' that cannot start any token. (Do not use %s for indentation)",
			 rep, rep);
		jproblem = tokbuf;
		jctx = "while scanning for the next token";
		cline = 0;
	}
	if (jctx) {
		fm_buf_adds(&j, jctx);
		fm_buf_addc(&j, '\n');
		if (cline)
			mark_line(&j, cline, ccol);
	}
	fm_buf_adds(&j, jproblem);
	fm_buf_addc(&j, '\n');
	mark_line(&j, line, col);
	if (!j.data) {
		fm_buf_release(&j);
		return fm_diag_set(d, FM_ENOMEM, file, 0, 0, NULL, "out of memory");
	}
	int rc = fail(d, FM_ESYNTAX, file, line, col, JCLS_YAML, j.data, "%s", jproblem);
	fm_buf_release(&j);
	return rc;
}

/* ---- Core-schema scalars ------------------------------------------------ */

static bool all_in(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static bool is_core_int(const char *s, size_t n)
{
	if (n > 2 && s[0] == '0' && s[1] == 'o')
		return all_in(s + 2, n - 2, "01234567");
	if (n > 2 && s[0] == '0' && s[1] == 'x')
		return all_in(s + 2, n - 2, "0123456789abcdefABCDEF");
	if (n && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	return all_in(s, n, "0123456789");
}

static bool is_core_float(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (n - i == 4 && s[i] == '.' &&
	    (!memcmp(s + i + 1, "inf", 3) || !memcmp(s + i + 1, "Inf", 3) || !memcmp(s + i + 1, "INF", 3)))
		return true;
	if (n == 4 && (!memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4) || !memcmp(s, ".NAN", 4)))
		return true;
	size_t d0 = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t ndig = i - d0;
	if (ndig == 0) { /* \.[0-9]+ */
		if (i >= n || s[i] != '.')
			return false;
		i++;
		size_t f0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f0)
			return false;
	} else if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e0)
			return false;
	}
	return i == n;
}

/* Decimal text of a Core int (Integer/Long/BigInteger.toString), or NULL
 * on ENOMEM. Decimal input is already the answer's digits: only the sign
 * and leading zeros change, so this is linear in the text. 0x/0o input is
 * converted through base-1e9 limbs, a chunk of input digits per pass
 * (quadratic: the caller caps its length at FM_YAML_MAX_RADIX_DIGITS). */
static char *int_text(const char *s, size_t n, size_t *outlen)
{
	unsigned base = 10;
	bool neg = false;
	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		base = s[1] == 'o' ? 8 : 16;
		s += 2, n -= 2;
	} else if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		s++, n--;
	}
	while (n > 1 && s[0] == '0')
		s++, n--;
	fm_buf b = FM_BUF_INIT;
	if (base == 10) {
		if (neg && !(n == 1 && s[0] == '0'))
			fm_buf_addc(&b, '-');
		fm_buf_add(&b, s, n);
		return b.data ? fm_buf_detach(&b, outlen) : NULL;
	}
	/* Base-1e9 limbs, least significant first. A chunk of k digits is
	 * base^k <= 2^28, so limb * base^k + carry fits in 64 bits. */
	unsigned per = base == 16 ? 7 : 9, bits = base == 16 ? 4 : 3;
	size_t cap = n / 2 + 2;
	uint32_t *limb = calloc(cap, sizeof(*limb));
	if (!limb)
		return NULL;
	size_t nl = 1;
	for (size_t i = 0; i < n;) {
		size_t k = n - i < per ? n - i : per;
		uint64_t chunk = 0;
		for (size_t j = 0; j < k; j++, i++) {
			unsigned dv = s[i] <= '9' ? (unsigned)(s[i] - '0') : (unsigned)((s[i] | 0x20) - 'a' + 10);
			chunk = chunk << bits | dv;
		}
		uint64_t mul = (uint64_t)1 << (bits * k), carry = chunk;
		for (size_t x = 0; x < nl; x++) {
			uint64_t v = (uint64_t)limb[x] * mul + carry;
			limb[x] = (uint32_t)(v % 1000000000u);
			carry = v / 1000000000u;
		}
		while (carry) {
			limb[nl++] = (uint32_t)(carry % 1000000000u);
			carry /= 1000000000u;
		}
	}
	while (nl > 1 && limb[nl - 1] == 0)
		nl--;
	fm_buf_addf(&b, "%u", limb[nl - 1]);
	for (size_t x = nl - 1; x-- > 0;)
		fm_buf_addf(&b, "%09u", limb[x]);
	free(limb);
	return b.data ? fm_buf_detach(&b, outlen) : NULL;
}

/* Types a scalar as snakeyaml-engine's Core schema does and fills
 * node->type/text/num. Returns 0, -1 on ENOMEM, 1 when an explicit tag
 * does not fit its text or is unknown, 2 for a 0x/0o integer longer than
 * FM_YAML_MAX_RADIX_DIGITS. */
static int type_scalar(ynode *nd, const char *s, size_t n, const char *tag, bool plain)
{
	enum stype ty = T_STR;
	if (tag && strcmp(tag, "!") != 0) {
		if (!strcmp(tag, "tag:yaml.org,2002:str"))
			ty = T_STR;
		else if (!strcmp(tag, "tag:yaml.org,2002:int"))
			ty = T_INT;
		else if (!strcmp(tag, "tag:yaml.org,2002:float"))
			ty = T_FLOAT;
		else if (!strcmp(tag, "tag:yaml.org,2002:bool"))
			ty = T_BOOL;
		else if (!strcmp(tag, "tag:yaml.org,2002:null"))
			ty = T_NULL;
		else
			return 1;
	} else if (plain && !tag) {
		if (n == 0 || (n == 1 && s[0] == '~') ||
		    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))))
			ty = T_NULL;
		else if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) ||
			 (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))))
			ty = T_BOOL;
		else if (is_core_int(s, n))
			ty = T_INT;
		else if (is_core_float(s, n))
			ty = T_FLOAT;
	}
	nd->type = ty;
	switch (ty) {
	case T_NULL:
		nd->text = strdup("null");
		nd->len = 4;
		break;
	case T_BOOL: {
		bool t = n && (s[0] == 't' || s[0] == 'T');
		if (tag && !(n == 4 || n == 5))
			return 1;
		nd->text = strdup(t ? "true" : "false");
		nd->len = t ? 4 : 5;
		break;
	}
	case T_INT:
		if (!is_core_int(s, n))
			return 1;
		if (n > FM_YAML_MAX_RADIX_DIGITS + 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o'))
			return 2;
		nd->text = int_text(s, n, &nd->len);
		break;
	case T_FLOAT: {
		if (!is_core_float(s, n))
			return 1;
		size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
		double v;
		if (s[i] == '.' && (s[i + 1] == 'i' || s[i + 1] == 'I'))
			v = s[0] == '-' ? -__builtin_inf() : __builtin_inf();
		else if (s[i] == '.' && (s[i + 1] == 'n' || s[i + 1] == 'N'))
			v = __builtin_nan("");
		else if (fm_java_parse_double(s, n, &v) != 0)
			return 1;
		nd->num = v;
		char buf[FM_JAVA_DTOA_MAX];
		nd->len = fm_java_double_to_string(v, buf);
		nd->text = strdup(buf);
		break;
	}
	case T_STR:
		nd->text = malloc(n + 1);
		if (nd->text) {
			memcpy(nd->text, s, n);
			nd->text[n] = '\0';
		}
		nd->len = n;
		break;
	}
	return nd->text ? 0 : -1;
}

/* ---- pass 1: events -> tree --------------------------------------------- */

static int new_node(ytree *t, enum nkind k, const yaml_mark_t *m, size_t *id)
{
	if (grow((void **)&t->nodes, &t->capnodes, t->nnodes + 1, sizeof(ynode)))
		return -1;
	*id = t->nnodes++;
	t->nodes[*id] = (ynode){.kind = k, .line = (uint32_t)m->line + 1, .col = (uint32_t)m->column + 1};
	return 0;
}

static int push_pending(ytree *t, size_t id)
{
	if (grow((void **)&t->pending, &t->cappending, t->npending + 1, sizeof(size_t)))
		return -1;
	t->pending[t->npending++] = id;
	return 0;
}

static int add_anchor(ytree *t, const unsigned char *name, size_t id)
{
	if (!name)
		return 0;
	if (grow((void **)&t->anchors, &t->capanchors, t->nanchors + 1, sizeof(anchor)))
		return -1;
	char *nm = strdup((const char *)name);
	if (!nm)
		return -1;
	if (fm__anchor_put(&t->amap, nm, id)) {
		free(nm);
		return -1;
	}
	t->anchors[t->nanchors++] = (anchor){nm, id};
	return 0;
}

typedef struct open_coll {
	size_t node, pending_start;
} open_coll;

#define OOM(d, file) fm_diag_set((d), FM_ENOMEM, (file), 0, 0, NULL, "out of memory")

/* Builds the tree; *root = node id or SIZE_MAX for an empty stream. */
static int build_tree(ytree *t, const char *data, size_t len, const char *file, size_t *root,
		      fm_diag *d)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return OOM(d, file);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	open_coll stack[FM_YAML_MAX_DEPTH];
	size_t depth = 0;
	size_t docs = 0;
	uint32_t doc_line = 0, doc_col = 0;
	int rc = FM_OK;
	*root = SIZE_MAX;
	for (bool done = false; !done && rc == FM_OK;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&p, data, len, file, d);
			break;
		}
		size_t id = 0;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				fm_buf j = FM_BUF_INIT;
				fm_buf_adds(&j, "expected a single document in the stream\n");
				mark_line(&j, doc_line, doc_col);
				fm_buf_adds(&j, "but found another document\n");
				mark_line(&j, (uint32_t)ev.start_mark.line + 1, (uint32_t)ev.start_mark.column + 1);
				rc = j.data ? fail(d, FM_ESYNTAX, file, (uint32_t)ev.start_mark.line + 1,
						   (uint32_t)ev.start_mark.column + 1, JCLS_YAML, j.data, "%s",
						   "a config file holds one YAML document, found another")
					    : OOM(d, file);
				fm_buf_release(&j);
			}
			break;
		case YAML_SCALAR_EVENT: {
			if (new_node(t, N_SCALAR, &ev.start_mark, &id)) {
				rc = OOM(d, file);
				break;
			}
			ynode *nd = &t->nodes[id];
			nd->closed = true;
			int tr = type_scalar(nd, (const char *)ev.data.scalar.value, ev.data.scalar.length,
					     (const char *)ev.data.scalar.tag,
					     ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
			if (tr < 0) {
				rc = OOM(d, file);
			} else if (tr == 2) {
				rc = fm_diag_set(d, FM_ETOOBIG, file, nd->line, nd->col, NULL,
						 "%s integer longer than %d digits (flinkmem's limit)",
						 ev.data.scalar.value[1] == 'x' ? "hexadecimal" : "octal",
						 FM_YAML_MAX_RADIX_DIGITS);
			} else if (tr > 0) {
				fm_buf j = FM_BUF_INIT;
				fm_buf_addf(&j, "could not determine a constructor for the tag %s\n",
					    (const char *)ev.data.scalar.tag);
				mark_line(&j, nd->line, nd->col);
				rc = j.data ? fail(d, FM_ESYNTAX, file, nd->line, nd->col, JCLS_YAML, j.data,
						   "unsupported tag %s", (const char *)ev.data.scalar.tag)
					    : OOM(d, file);
				fm_buf_release(&j);
			}
			if (rc == FM_OK && (add_anchor(t, ev.data.scalar.anchor, id) || push_pending(t, id)))
				rc = OOM(d, file);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool map = ev.type == YAML_MAPPING_START_EVENT;
			if (depth == FM_YAML_MAX_DEPTH) {
				rc = fm_diag_set(d, FM_ESYNTAX, file, (uint32_t)ev.start_mark.line + 1,
						 (uint32_t)ev.start_mark.column + 1, NULL,
						 "collections nested deeper than %d levels", FM_YAML_MAX_DEPTH);
				break;
			}
			const unsigned char *anc = map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
			if (new_node(t, map ? N_MAP : N_SEQ, &ev.start_mark, &id) || add_anchor(t, anc, id) ||
			    push_pending(t, id)) {
				rc = OOM(d, file);
				break;
			}
			stack[depth++] = (open_coll){id, t->npending};
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			open_coll oc = stack[--depth];
			size_t n = t->npending - oc.pending_start;
			if (grow((void **)&t->kids, &t->capkids, t->nkids + n, sizeof(size_t))) {
				rc = OOM(d, file);
				break;
			}
			if (n) /* empty collection: kids may still be NULL */
				memcpy(t->kids + t->nkids, t->pending + oc.pending_start, n * sizeof(size_t));
			ynode *nd = &t->nodes[oc.node];
			nd->first = t->nkids;
			nd->n = n;
			nd->closed = true;
			t->nkids += n;
			t->npending = oc.pending_start;
			break;
		}
		case YAML_ALIAS_EVENT: {
			const char *nm = (const char *)ev.data.alias.anchor;
			size_t target = fm__anchor_get(&t->amap, nm);
			uint32_t l = (uint32_t)ev.start_mark.line + 1, c = (uint32_t)ev.start_mark.column + 1;
			if (target == SIZE_MAX) {
				fm_buf j = FM_BUF_INIT;
				fm_buf_addf(&j, "found undefined alias %s\n", nm);
				mark_line(&j, l, c);
				rc = j.data ? fail(d, FM_ESYNTAX, file, l, c, JCLS_YAML, j.data,
						   "found undefined alias %s", nm)
					    : OOM(d, file);
				fm_buf_release(&j);
				break;
			}
			t->alias_uses++;
			if (!t->nodes[target].closed) {
				rc = fm_diag_set(d, FM_ESYNTAX, file, l, c, NULL,
						 "alias *%s refers to the collection that contains it", nm);
				break;
			}
			if (t->nodes[target].kind != N_SCALAR && ++t->aliases > MAX_COLLECTION_ALIASES) {
				rc = fail(d, FM_ETOOBIG, file, l, c, JCLS_YAML,
					  "Number of aliases for non-scalar nodes exceeds the specified max=50",
					  "%s", "more than 50 aliases to collections");
				break;
			}
			if (push_pending(t, target))
				rc = OOM(d, file);
			break;
		}
		default:
			break;
		}
		/* The document's node: the first one created in document 1. */
		if (rc == FM_OK && docs == 1 && *root == SIZE_MAX && t->npending) {
			*root = t->pending[0];
			doc_line = t->nodes[*root].line;
			doc_col = t->nodes[*root].col;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- pass 2: duplicate keys, flattening ---------------------------------- */

typedef struct flat_ent {
	char *key;
	size_t klen;
	size_t val, keynode;
	bool dead; /* replaced by a later entry with the same key */
} flat_ent;

typedef struct walk {
	ytree *t;
	const char *file;
	fm_diag *d;
	bool *checked; /* maps whose keys were checked */
	flat_ent *ents;
	size_t nents, capents;
	size_t visits;
	size_t budget, spent; /* expansion budget, see expand_budget() */
} walk;

static bool same_key(const ynode *a, const ynode *b)
{
	return a->kind == N_SCALAR && b->kind == N_SCALAR && a->type == b->type && a->len == b->len &&
	       memcmp(a->text, b->text, a->len) == 0;
}

static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* Second occurrence of a key in map m (document order), or SIZE_MAX. */
static size_t first_duplicate(const ytree *t, const ynode *m, int *oom)
{
	size_t np = m->n / 2;
	if (np < 2)
		return SIZE_MAX;
	size_t cap = 4;
	while (cap < np * 2)
		cap *= 2;
	size_t *slot = malloc(cap * sizeof(*slot));
	if (!slot) {
		*oom = 1;
		return SIZE_MAX;
	}
	for (size_t i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	size_t found = SIZE_MAX;
	for (size_t i = 0; i < np && found == SIZE_MAX; i++) {
		const ynode *k = &t->nodes[t->kids[m->first + 2 * i]];
		if (k->kind != N_SCALAR)
			continue;
		size_t h = (size_t)hash_bytes(k->text, k->len, 14695981039346656037ull + k->type) & (cap - 1);
		for (;; h = (h + 1) & (cap - 1)) {
			if (slot[h] == SIZE_MAX) {
				slot[h] = i;
				break;
			}
			if (same_key(&t->nodes[t->kids[m->first + 2 * slot[h]]], k)) {
				found = t->kids[m->first + 2 * i];
				break;
			}
		}
	}
	free(slot);
	return found;
}

/* Appends to b (when not NULL) and counts into *n; 1 once *n passes limit. */
static int emit(fm_buf *b, size_t *n, size_t limit, const char *s, size_t len)
{
	*n += len;
	if (*n > limit)
		return 1;
	return b && fm_buf_add(b, s, len) != 0 ? -1 : 0;
}

/* Java toString of a node (keys that are collections, list values),
 * appended to b or, with b NULL, only measured: *n grows by its length.
 * Returns 0, -1 on ENOMEM, 1 as soon as *n passes limit (aliased lists
 * can be far larger than the file, so the walk stops there). */
static int node_string(const ytree *t, size_t id, fm_buf *b, size_t *n, size_t limit,
		       unsigned depth)
{
	const ynode *nd = &t->nodes[id];
	if (depth > 64)
		return emit(b, n, limit, "...", 3);
	if (nd->kind == N_SCALAR)
		return emit(b, n, limit, nd->text, nd->len);
	bool map = nd->kind == N_MAP;
	int rc = emit(b, n, limit, map ? "{" : "[", 1);
	for (size_t i = 0; rc == 0 && i < nd->n; i++) {
		if (i)
			rc = map && (i & 1) ? emit(b, n, limit, "=", 1) : emit(b, n, limit, ", ", 2);
		if (rc == 0)
			rc = node_string(t, t->kids[nd->first + i], b, n, limit, depth + 1);
	}
	return rc ? rc : emit(b, n, limit, map ? "}" : "]", 1);
}

/* Emitter.checkSimpleKey for a flow-mapping key: a scalar under 128 chars
 * (UTF-16 units), not empty, without a line break, or an empty
 * collection; any other key is written "? key : value". */
static bool simple_key(const ynode *k)
{
	if (k->kind != N_SCALAR)
		return k->n == 0;
	size_t units = 0;
	for (size_t i = 0; i < k->len; i++) {
		unsigned char c = (unsigned char)k->text[i];
		units += (c & 0xC0) != 0x80;
		units += c >= 0xF0;
		if (c == '\n' || (c == 0xC2 && i + 1 < k->len && (unsigned char)k->text[i + 1] == 0x85) ||
		    (c == 0xE2 && i + 2 < k->len && (unsigned char)k->text[i + 1] == 0x80 &&
		     ((unsigned char)k->text[i + 2] == 0xA8 || (unsigned char)k->text[i + 2] == 0xA9)))
			return false;
	}
	return k->type != T_STR ? units < 128 : units > 0 && units < 128;
}

/* emit() for the flow dump, keeping the emitter's column (UTF-16 units
 * since the last line break). */
static int femit(fm_buf *b, size_t *n, size_t limit, size_t *col, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		*col = c == '\n' ? 0 : *col + ((c & 0xC0) != 0x80) + (c >= 0xF0);
	}
	return emit(b, n, limit, s, len);
}

/* The YAML flow dump of a sequence value (YamlParserUtils.toYAMLString of
 * the List GlobalConfiguration.flatten keeps as a String): "[a, 'b: c']",
 * "{k: v}" for a mapping item, each scalar styled as the emitter does in
 * flow context, lines never split -- except that the emitter breaks the
 * line before the ':' of a "? key" past column 80 (bestWidth), at the
 * flow indent (2 per level). Same contract as node_string. */
static int node_flow(const ytree *t, size_t id, fm_buf *b, size_t *n, size_t limit, size_t *col,
		     unsigned depth, bool key)
{
	const ynode *nd = &t->nodes[id];
	if (depth > 64)
		return femit(b, n, limit, col, "...", 3);
	if (nd->kind == N_SCALAR) {
		if (nd->type == T_NULL)
			return femit(b, n, limit, col, "null", 4);
		fm_vtype vt = nd->type == T_BOOL ? FM_V_BOOL
			    : nd->type == T_INT ? FM_V_INT
			    : nd->type == T_FLOAT ? FM_V_FLOAT
			    : FM_V_STR;
		fm_buf one = FM_BUF_INIT;
		int rc = fm_cw_flow_scalar(&one, nd->text, nd->len, vt, key) != FM_OK ? -1
			 : femit(b, n, limit, col, one.data ? one.data : "", one.len);
		fm_buf_release(&one);
		return rc;
	}
	bool map = nd->kind == N_MAP, simple = true;
	int rc = femit(b, n, limit, col, map ? "{" : "[", 1);
	for (size_t i = 0; rc == 0 && i < nd->n; i++) {
		size_t kid = t->kids[nd->first + i];
		if (map && !(i & 1)) {
			simple = simple_key(&t->nodes[kid]);
			rc = i ? femit(b, n, limit, col, ", ", 2) : 0;
			if (rc == 0 && !simple)
				rc = femit(b, n, limit, col, "? ", 2);
		} else if (map && !simple && *col > 80) {
			rc = femit(b, n, limit, col, "\n", 1);
			for (unsigned k = 0; rc == 0 && k < 2 * (depth + 1); k++)
				rc = femit(b, n, limit, col, " ", 1);
			if (rc == 0)
				rc = femit(b, n, limit, col, ": ", 2);
		} else if (i) {
			rc = !map ? femit(b, n, limit, col, ", ", 2)
			   : femit(b, n, limit, col, simple ? ": " : " : ", simple ? 2 : 3);
		}
		if (rc == 0)
			rc = node_flow(t, kid, b, n, limit, col, depth + 1, map && !(i & 1) && simple);
	}
	return rc ? rc : femit(b, n, limit, col, map ? "}" : "]", 1);
}

static int check_dups(walk *w, size_t id, unsigned depth)
{
	ytree *t = w->t;
	const ynode *nd = &t->nodes[id];
	if (nd->kind == N_SCALAR || w->checked[id])
		return FM_OK;
	w->checked[id] = true;
	if (depth > 4 * FM_YAML_MAX_DEPTH)
		return fm_diag_set(w->d, FM_ETOOBIG, w->file, nd->line, nd->col, NULL,
				   "aliases nest collections deeper than %d levels", 4 * FM_YAML_MAX_DEPTH);
	if (nd->kind == N_MAP) {
		int oom = 0;
		size_t dup = first_duplicate(t, nd, &oom);
		if (oom)
			return OOM(w->d, w->file);
		if (dup != SIZE_MAX) {
			const ynode *k = &t->nodes[dup];
			fm_buf j = FM_BUF_INIT;
			fm_buf_adds(&j, "while constructing a mapping\n");
			mark_line(&j, nd->line, nd->col);
			fm_buf_adds(&j, "found duplicate key ");
			fm_buf_add(&j, k->text, k->len);
			fm_buf_addc(&j, '\n');
			mark_line(&j, k->line, k->col);
			int rc = OOM(w->d, w->file);
			char *shown = one_line(k->text, k->len);
			if (j.data && shown) {
				rc = fm_diag_set(w->d, FM_EINVAL, w->file, k->line, k->col, k->text,
						 "found duplicate key %s", shown);
				if (rc == FM_EINVAL && w->d && fm_diag_java(w->d, JCLS_YAML, j.data) != FM_OK)
					rc = FM_ENOMEM;
			}
			free(shown);
			fm_buf_release(&j);
			return rc;
		}
	}
	for (size_t i = 0; i < nd->n; i++) {
		int rc = check_dups(w, t->kids[nd->first + i], depth + 1);
		if (rc != FM_OK)
			return rc;
	}
	return FM_OK;
}

/* Bytes one flattened entry costs beyond its key and value text. */
#define ENTRY_COST 64

/* The expansion budget of a file of len bytes (FM_YAML_EXPAND_* in
 * conf_yaml.h): the flattened keys, values and per-entry cost together. */
static size_t expand_budget(size_t len)
{
	return FM_YAML_EXPAND_BASE + FM_YAML_EXPAND_FACTOR * len;
}

/* The flattened config would pass the budget at the entry of key node kid. */
static int over_budget(walk *w, size_t kid)
{
	const ynode *k = &w->t->nodes[kid];
	if (w->t->alias_uses)
		return fm_diag_set(w->d, FM_ETOOBIG, w->file, k->line, k->col, NULL,
				   "alias expansion exceeds %zu bytes (flinkmem's limit for the flattened keys and values)",
				   w->budget);
	return fm_diag_set(w->d, FM_ETOOBIG, w->file, k->line, k->col, NULL,
			   "nested keys expand past %zu bytes (flinkmem's limit for the flattened keys and values)",
			   w->budget);
}

static const char *java_class_of(const ynode *nd)
{
	if (nd->kind == N_SEQ)
		return "java.util.ArrayList";
	if (nd->kind == N_MAP)
		return "java.util.LinkedHashMap";
	switch (nd->type) {
	case T_BOOL: return "java.lang.Boolean";
	case T_INT: return nd->len > 19 ? "java.math.BigInteger" : (nd->len > 9 ? "java.lang.Long" : "java.lang.Integer");
	case T_FLOAT: return "java.lang.Double";
	default: return "java.lang.String";
	}
}

/* GlobalConfiguration.flatten takes the document as Map<String, Object>:
 * a key that is a number, a bool or a collection fails the cast to String
 * there (a null key becomes "null"). */
static int check_key(walk *w, const ynode *k)
{
	if (k->kind == N_SCALAR && (k->type == T_STR || k->type == T_NULL))
		return FM_OK;
	const char *cls = java_class_of(k);
	fm_buf j = FM_BUF_INIT;
	fm_buf_addf(&j, "class %s cannot be cast to class java.lang.String (%s and java.lang.String are in module "
			"java.base of loader 'bootstrap')", cls, cls);
	int rc = j.data ? fail(w->d, FM_EINVAL, w->file, k->line, k->col, JCLS_CCE, j.data, "%s",
			       "a key must be a string (quote it); Flink cannot load a number, bool or collection key")
			: OOM(w->d, w->file);
	fm_buf_release(&j);
	return rc;
}

static int flatten(walk *w, size_t map, fm_buf *prefix, unsigned depth)
{
	ytree *t = w->t;
	const ynode *m = &t->nodes[map];
	if (depth > 4 * FM_YAML_MAX_DEPTH)
		return fm_diag_set(w->d, FM_ETOOBIG, w->file, m->line, m->col, NULL,
				   "aliases nest mappings deeper than %d levels", 4 * FM_YAML_MAX_DEPTH);
	size_t plen = prefix->len;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		size_t kid = t->kids[m->first + i], vid = t->kids[m->first + i + 1];
		if (++w->visits > MAX_FLAT_ENTRIES)
			return fm_diag_set(w->d, FM_ETOOBIG, w->file, m->line, m->col, NULL,
					   "more than %zu keys after flattening (alias expansion?)",
					   MAX_FLAT_ENTRIES);
		int krc = check_key(w, &t->nodes[kid]);
		if (krc != FM_OK)
			return krc;
		size_t room = w->budget - w->spent, used = prefix->len;
		int src = node_string(t, kid, prefix, &used, room, 0);
		if (src < 0)
			return OOM(w->d, w->file);
		int rc = FM_OK;
		if (src > 0) {
			rc = over_budget(w, kid);
		} else if (t->nodes[vid].kind == N_MAP) {
			rc = fm_buf_addc(prefix, '.') ? OOM(w->d, w->file) : flatten(w, vid, prefix, depth + 1);
		} else {
			/* The entry as fm_conf will hold it: key, value, overhead. */
			size_t vlen = ENTRY_COST + prefix->len;
			size_t col = 0;
			int vr = node_flow(t, vid, NULL, &vlen, room, &col, 0, false);
			if (vr != 0)
				return over_budget(w, kid);
			w->spent += vlen;
			if (grow((void **)&w->ents, &w->capents, w->nents + 1, sizeof(flat_ent)))
				return OOM(w->d, w->file);
			char *k = malloc(prefix->len + 1);
			if (!k)
				return OOM(w->d, w->file);
			memcpy(k, prefix->data, prefix->len);
			k[prefix->len] = '\0';
			w->ents[w->nents++] = (flat_ent){k, prefix->len, vid, kid, false};
		}
		prefix->len = plen;
		if (prefix->data)
			prefix->data[plen] = '\0';
		if (rc != FM_OK)
			return rc;
	}
	return FM_OK;
}

/* Marks every entry but the last one of each key dead. */
static int dedupe(walk *w)
{
	size_t cap = 16;
	while (cap < w->nents * 2)
		cap *= 2;
	size_t *slot = malloc(cap * sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < w->nents; i++) {
		flat_ent *e = &w->ents[i];
		size_t h = (size_t)hash_bytes(e->key, e->klen, 14695981039346656037ull) & (cap - 1);
		for (;; h = (h + 1) & (cap - 1)) {
			if (slot[h] == SIZE_MAX) {
				slot[h] = i;
				break;
			}
			flat_ent *o = &w->ents[slot[h]];
			if (o->klen == e->klen && memcmp(o->key, e->key, e->klen) == 0) {
				o->dead = true;
				slot[h] = i;
				break;
			}
		}
	}
	free(slot);
	return 0;
}


int fm_conf_load_yaml(fm_conf *c, const char *path, const char *data, size_t len, fm_diag *d)
{
	const char *file = fm_conf_intern(c, path ? path : "config.yaml");
	if (!file)
		return OOM(d, path);
	if (len > FM_YAML_MAX_BYTES)
		return fm_diag_set(d, FM_ETOOBIG, file, 0, 0, NULL, "file larger than %zu MiB",
				   FM_YAML_MAX_BYTES >> 20);
	ytree t = {0};
	walk w = {.t = &t, .file = file, .d = d, .budget = expand_budget(len)};
	fm_buf prefix = FM_BUF_INIT;
	size_t root;
	int rc = build_tree(&t, data, len, file, &root, d);
	if (rc != FM_OK || root == SIZE_MAX)
		goto out;
	const ynode *r = &t.nodes[root];
	if (r->kind == N_SCALAR && r->type == T_NULL)
		goto out; /* empty document: no settings */
	w.checked = calloc(t.nnodes, sizeof(bool));
	if (!w.checked) {
		rc = OOM(d, file);
		goto out;
	}
	rc = check_dups(&w, root, 0);
	if (rc != FM_OK)
		goto out;
	if (r->kind != N_MAP) {
		const char *cls = java_class_of(r);
		fm_buf j = FM_BUF_INIT;
		fm_buf_addf(&j, "class %s cannot be cast to class java.util.Map (%s and java.util.Map are in "
				"module java.base of loader 'bootstrap')", cls, cls);
		rc = j.data ? fail(d, FM_EINVAL, file, r->line, r->col, JCLS_CCE, j.data, "%s",
				   "the top level of config.yaml must be a mapping of keys to values")
			    : OOM(d, file);
		fm_buf_release(&j);
		goto out;
	}
	rc = flatten(&w, root, &prefix, 0);
	if (rc != FM_OK)
		goto out;
	if (dedupe(&w)) {
		rc = OOM(d, file);
		goto out;
	}
	for (size_t i = 0; i < w.nents; i++) {
		const ynode *v = &t.nodes[w.ents[i].val];
		if (!w.ents[i].dead && v->kind == N_SCALAR && v->type == T_NULL) {
			char *shown = one_line(w.ents[i].key, w.ents[i].klen);
			rc = shown ? fm_diag_set(d, FM_EINVAL, file, v->line, v->col, w.ents[i].key,
						 "%s has no value (YAML null); Flink rejects the whole file", shown)
				   : OOM(d, file);
			free(shown);
			if (rc == FM_EINVAL && fm_diag_java(d, FM_JCLS_NPE, "Value must not be null.") != FM_OK)
				rc = FM_ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < w.nents; i++) {
		const ynode *v = &t.nodes[w.ents[i].val];
		if (w.ents[i].dead) {
			/* kept for check's FM015 (a scalar's; a list or map replaced is rarer) */
			const ynode *k = &t.nodes[w.ents[i].keynode];
			fm_origin at = {file, v->line, v->col, FM_SRC_YAML};
			if (v->kind == N_SCALAR && v->type != T_NULL && v->text &&
			    fm_conf_add_shadow(c, w.ents[i].key, w.ents[i].klen, v->text, v->len, &at, k->line, k->col) != FM_OK) {
				rc = OOM(d, file);
				goto out;
			}
			continue;
		}
		const ynode *k = &t.nodes[w.ents[i].keynode];
		fm_origin at = {file, v->line, v->col, FM_SRC_YAML};
		fm_vtype vt = FM_V_STR;
		fm_buf lst = FM_BUF_INIT;
		const char *text = v->text;
		size_t tlen = v->len;
		if (v->kind != N_SCALAR) {
			size_t n = 0;
			size_t col = 0;
			if (node_flow(&t, w.ents[i].val, &lst, &n, SIZE_MAX, &col, 0, false) != 0 || !lst.data) {
				fm_buf_release(&lst);
				rc = OOM(d, file);
				goto out;
			}
			vt = FM_V_LIST;
			text = lst.data;
			tlen = lst.len;
		} else {
			vt = v->type == T_INT ? FM_V_INT
			   : v->type == T_FLOAT ? FM_V_FLOAT
			   : v->type == T_BOOL ? FM_V_BOOL
			   : FM_V_STR;
		}
		int prc = fm_conf_put_at(c, w.ents[i].key, w.ents[i].klen, text, tlen, vt, v->num, &at,
					 k->line, k->col);
		fm_buf_release(&lst);
		if (prc != FM_OK) {
			rc = OOM(d, file);
			goto out;
		}
	}
out:
	for (size_t i = 0; i < w.nents; i++)
		free(w.ents[i].key);
	free(w.ents);
	free(w.checked);
	fm_buf_release(&prefix);
	tree_free(&t);
	return rc;
}
