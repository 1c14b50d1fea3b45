/* codelit — triple-quoted string literals in pasted source code; see
 * include/flinkmem/codelit.h. */
#include "flinkmem/codelit.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* The quote run at q opens a literal in code: before it (past a string
 * prefix such as Python's f/r/b/u or Scala's s), an assignment, a call's
 * argument, an element, a dict value or a return. A docstring or a
 * sentence's quotes do not qualify. */
static bool opens_in_code(const char *ls, const char *q)
{
	const char *p = q;
	size_t prefix = 0;
	while (p > ls && prefix < 2 && p[-1] && strchr("fFrRbBuUs", p[-1]))
		p--, prefix++;
	if (p > ls && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return false; /* a word that ends in those letters, not a prefix */
	while (p > ls && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p == ls)
		return false;
	if (p[-1] && strchr("=(,[{:", p[-1]))
		return true;
	return p - ls >= 6 && !memcmp(p - 6, "return", 6) && (p - 6 == ls || !isalnum((unsigned char)p[-7]));
}

/* The next triple quote of kind k (`"` or `'`) in [p, e), or NULL. */
static const char *triple(const char *p, const char *e, char k)
{
	for (; p + 3 <= e; p++)
		if (p[0] == k && p[1] == k && p[2] == k)
			return p;
	return NULL;
}

/* Lines only source code has: a declaration or statement keyword at the
 * start, a comment opener, or a statement's closing ';'. Four or more make
 * the text pasted source (a JSON or log line never starts or ends so). */
static bool looks_like_code(const char *t, size_t n)
{
	static const char *const starts[] = {"public ", "private ", "protected ", "static ", "final ", "func ", "def ",
					     "class ", "import ", "package ", "#include", "const ", "let ", "var ", "fn ",
					     "return ", "// ", "/*", "@Test", "@Override", NULL};
	size_t hits = 0;
	for (const char *ls = t, *e = t + n; ls < e && hits < 4;) {
		const char *nl = memchr(ls, '\n', (size_t)(e - ls)), *le = nl ? nl : e;
		const char *p = ls, *q = le;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
			q--;
		bool hit = q > p && q[-1] == ';';
		for (size_t i = 0; starts[i] && !hit; i++)
			hit = (size_t)(q - p) >= strlen(starts[i]) && !memcmp(p, starts[i], strlen(starts[i]));
		hits += hit;
		ls = nl ? nl + 1 : e;
	}
	return hits >= 4;
}

/* A line of code holding a one-line string literal that code opens (an
 * array element, an argument, a field's value): "...". */
static bool literal_line(const char *ls, const char *le)
{
	for (const char *q = ls; (q = memchr(q, '"', (size_t)(le - q))) != NULL; q++) {
		const char *p = q;
		while (p > ls && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		bool code = p == ls || (p[-1] && strchr("=(,[{:", p[-1])) ||
			    (p - ls >= 6 && !memcmp(p - 6, "return", 6));
		const char *c = q + 1;
		while (c < le && *c != '"')
			c += *c == '\\' && c + 1 < le ? 2 : 1;
		if (code && c < le)
			return true;
		q = c < le ? c : le - 1;
	}
	return false;
}

/* "at pkg.Class.method" with nothing after it: a frame no JVM printed
 * (StackTraceElement.toString always ends in "(File.java:N)", "(Native
 * Method)" or "(Unknown Source)"), so a person's illustration of a trace. */
static bool shapeless_frame(const char *ls, const char *le)
{
	const char *p = ls, *q = le;
	while (p < le && (*p == ' ' || *p == '\t'))
		p++;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
		q--;
	if (q - p < 4 || memcmp(p, "at ", 3))
		return false;
	size_t dots = 0;
	for (p += 3; p < q; p++) {
		if (*p == '.')
			dots++;
		else if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
			return false;
	}
	return dots >= 2 && q[-1] != '.';
}

size_t fm_code_literals(const char *t, size_t n, uint64_t (*from_to)[2], size_t max)
{
	size_t got = 0;
	uint64_t line = 1, open = 0;
	char kind = 0;
	bool code = false; /* the open literal is code's, not a docstring's */
	for (const char *ls = t, *e = t + n; ls < e && got < max; line++) {
		const char *nl = memchr(ls, '\n', (size_t)(e - ls)), *le = nl ? nl : e;
		const char *p = ls;
		for (;;) {
			if (!open) {
				const char *a = triple(p, le, '"'), *b = triple(p, le, '\'');
				const char *q = a && (!b || a < b) ? a : b;
				if (!q)
					break;
				/* a docstring is skipped to its end: its closing quotes open nothing */
				code = opens_in_code(ls, q);
				open = line;
				kind = *q;
				p = q + 3;
			} else {
				const char *q = triple(p, le, kind);
				if (!q)
					break;
				if (code) {
					from_to[got][0] = open;
					from_to[got][1] = line;
					got++;
				}
				open = 0;
				p = q + 3;
				if (got == max)
					break;
			}
		}
		ls = nl ? nl + 1 : e;
	}
	if (open && code && got < max) {
		from_to[got][0] = open;
		from_to[got][1] = line - 1;
		got++;
	}
	/* an error line right above a frame no JVM prints, and that frame */
	line = 1;
	uint64_t prev = 0; /* the last non-blank line */
	for (const char *ls = t, *e = t + n; ls < e && got < max; line++) {
		const char *nl = memchr(ls, '\n', (size_t)(e - ls)), *le = nl ? nl : e;
		if (shapeless_frame(ls, le)) {
			from_to[got][0] = prev ? prev : line;
			from_to[got][1] = line;
			got++;
		}
		if (strspn(ls, " \t\r") < (size_t)(le - ls))
			prev = line;
		ls = nl ? nl + 1 : e;
	}
	if (!looks_like_code(t, n))
		return got;
	/* pasted source: its one-line literals too, runs of lines merged */
	line = 1;
	for (const char *ls = t, *e = t + n; ls < e && got < max; line++) {
		const char *nl = memchr(ls, '\n', (size_t)(e - ls)), *le = nl ? nl : e;
		if (literal_line(ls, le)) {
			if (got && from_to[got - 1][1] + 1 >= line && from_to[got - 1][0] <= line) {
				if (from_to[got - 1][1] < line)
					from_to[got - 1][1] = line;
			} else {
				from_to[got][0] = from_to[got][1] = line;
				got++;
			}
		}
		ls = nl ? nl + 1 : e;
	}
	return got;
}

/* Past a name at p (dotted, `->` or `::` chained, `$` allowed) in [p, e). */
static const char *name_end(const char *p, const char *e)
{
	while (p < e && (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '$' ||
			 (*p == ':' && p + 1 < e && p[1] == ':' && (p++, true)) ||
			 (*p == '-' && p + 1 < e && p[1] == '>' && (p++, true))))
		p++;
	return p;
}

/* Past the ")" that closes the "(" at p, or NULL: an argument list with
 * no string literal in it (`(e)`, `(() -> env.execute())`). */
static const char *args_end(const char *p, const char *e)
{
	int depth = 0;
	for (; p < e; p++) {
		if (*p == '"' || *p == '\'' || !*p)
			return NULL;
		depth += *p == '(';
		if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/* A statement that hands a string literal to a call, the way a program's
 * source writes the text it will print or expect (`printf("... %s\n", x);`,
 * `LOG.error("..." +`, `System.err.println("...")`, `return new X("...");`,
 * a test's `assertThat(e).hasMessageContaining("...");` or, on a fluent
 * chain's own line, `.hasMessageContaining("...");`): a name (dotted, `->`
 * or `::` chained) right before "(", reached through calls whose
 * arguments hold no literal, nothing but names, commas and blanks up to
 * the literal's opening quote, and a line that ends as code does (";",
 * ")", ",", "+", "{"). A printed line never starts so: loggers lead with
 * a time or a level, the JVM with "Exception in thread" or a class name
 * followed by ":", frames with "at ". */
static bool call_with_literal(const char *p, const char *e)
{
	static const char *const kw[] = {"return ", "raise ", "yield ", "await ", NULL};
	for (size_t i = 0; kw[i]; i++)
		if ((size_t)(e - p) > strlen(kw[i]) && !memcmp(p, kw[i], strlen(kw[i]))) {
			p += strlen(kw[i]);
			break;
		}
	if ((size_t)(e - p) > 4 && !memcmp(p, "new ", 4))
		p += 4;
	else if (p < e && *p == '.')
		p++; /* a fluent chain continued on its own line */
	const char *q;
	for (int links = 0;; links++) {
		q = name_end(p, e);
		if (q == p || !(isalpha((unsigned char)*p) || *p == '_') || q >= e || *q != '(')
			return false;
		const char *a = q + 1;
		while (a < e && (isalnum((unsigned char)*a) || *a == '_' || *a == '.' || *a == ',' || *a == ' '))
			a++;
		if (a < e && *a == '"') {
			q = a;
			break;
		}
		/* a call without the literal: the chain must go on with ".name(" */
		const char *c = args_end(q, e);
		if (links == 8 || !c || c >= e || *c != '.')
			return false;
		p = c + 1;
	}
	const char *z = e;
	while (z > q && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
		z--;
	return z > q + 1 && z[-1] && strchr(";),+{", z[-1]);
}

/* A line that is only a string literal handed on to a call or joined to
 * the next (`    "Java heap space. A heap ..."));`, `"... needs at least " +`):
 * after the closing quote come ")" (a call closes, then ";", "," or more
 * ")") or "+". Source code continuing the line above; a printed line, a
 * JSON member ("key": "value",) or a pretty-printed JSON array's string
 * ("...",) never ends so. */
static bool literal_argument(const char *p, const char *e)
{
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e - p < 3 || *p != '"')
		return false;
	const char *q = e;
	while (q > p && (q[-1] == ')' || q[-1] == ';' || q[-1] == ',' || q[-1] == '{' || q[-1] == ' '))
		q--;
	if (q < e && q > p + 1 && q[-1] == '"' && *q == ')')
		return true;
	if (e[-1] == '+') {
		q = e - 1;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		return q > p + 1 && q[-1] == '"';
	}
	return false;
}

/* A declaration or assignment of a string literal (`String expected =
 * "Insufficient number of network buffers: ...";`, `static final String
 * MSG = "...";`, Python's `OOM_TEXT = "..."`, Go's `msg := "..."`): words
 * (a type, modifiers, generics) and a name, " = " or " := ", an optional
 * string prefix, the literal, and a line that ends as a statement does
 * (";", ",", "+") or with the literal's own closing quote. Loggers print
 * no such line; logfmt writes `key="..."` with no blanks around "=". */
static bool assigned_literal(const char *p, const char *e)
{
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	const char *q = p;
	int words = 0, angle = 0; /* inside a generic's <...>, ", " joins types */
	while (q < e && (isalpha((unsigned char)*q) || *q == '_')) {
		while (q < e && (isalnum((unsigned char)*q) || *q == '_' || *q == '.' || *q == '$' || *q == '<' ||
				 *q == '>' || *q == '[' || *q == ']' || *q == '?' || (angle > 0 && (*q == ',' || *q == ' ')))) {
			angle += (*q == '<') - (*q == '>');
			q++;
		}
		words++;
		if (q < e && *q == ' ')
			q++;
	}
	if (!words || q >= e || q[-1] != ' ')
		return false;
	if (e - q >= 3 && q[0] == ':' && q[1] == '=' && q[2] == ' ')
		q += 3;
	else if (e - q >= 2 && q[0] == '=' && q[1] == ' ')
		q += 2;
	else
		return false;
	if (q < e && *q && strchr("fFrRbBuU", *q) && q + 1 < e && q[1] == '"')
		q++;
	if (q >= e || *q != '"')
		return false;
	/* the literal's closing quote (escapes skipped) */
	const char *c = q + 1;
	while (c < e && *c != '"')
		c += *c == '\\' && c + 1 < e ? 2 : 1;
	if (c >= e)
		return false;
	return c + 1 == e || (e[-1] && strchr(";,+", e[-1]));
}

bool fm_code_hands_literal(const char *p, const char *e)
{
	static const char *const cond[] = {"if (", "} else if (", "else if (", "while (", "assert ", "if ", "elif ",
					   NULL};
	for (size_t i = 0; cond[i]; i++)
		if ((size_t)(e - p) > strlen(cond[i]) && !memcmp(p, cond[i], strlen(cond[i]))) {
			p += strlen(cond[i]); /* a condition's call: `if (msg.contains("...")) {` */
			break;
		}
	return call_with_literal(p, e) || literal_argument(p, e) || assigned_literal(p, e);
}
