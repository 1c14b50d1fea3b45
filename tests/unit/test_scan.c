/* test_scan — the Vectorscan line scanner: line model (LF, CR LF, lone CR,
 * last line without LF), NUL bytes and invalid UTF-8 as text, lines longer
 * than the report cap and than a read chunk, matches across chunk
 * boundaries, gzip (several members, corrupt, truncated), report order and
 * stopping, rejected patterns, parallel files; and a differential run
 * against the reference matcher over the signatures of
 * data/signatures.tsv and over diagnose's own table on generated logs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"
#include "scan_tsv.h"

/* ---- collecting reports ---- */

typedef struct rec {
	size_t pat;
	char *name;
	uint64_t line, offset;
	size_t len;
	bool truncated;
	char *text;
} rec;

typedef struct recs {
	rec *v;
	size_t n, cap;
	size_t stop_after; /* 0 = never stop */
	int in_cb;         /* concurrency detector */
	bool overlap;
} recs;

static int collect(const fm_match *m, void *ctx)
{
	recs *r = ctx;
	if (__atomic_fetch_add(&r->in_cb, 1, __ATOMIC_SEQ_CST) != 0)
		r->overlap = true;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		assert_non_null(r->v);
	}
	rec *x = &r->v[r->n++];
	*x = (rec){m->pat, strdup(m->name), m->line, m->offset, m->len, m->truncated,
		   malloc(m->len + 1)};
	assert_non_null(x->text);
	memcpy(x->text, m->text, m->len);
	x->text[m->len] = '\0';
	__atomic_fetch_sub(&r->in_cb, 1, __ATOMIC_SEQ_CST);
	return r->stop_after && r->n >= r->stop_after;
}

static void recs_free(recs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].text);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static fm_scanner *new_scanner(const fm_pattern *p, size_t n)
{
	fm_diag d = FM_DIAG_INIT;
	fm_scanner *s = fm_scanner_new(p, n, &d);
	if (!s)
		fprintf(stderr, "scanner: %s\n", d.msg ? d.msg : "?");
	assert_non_null(s);
	fm_diag_release(&d);
	return s;
}

/* Scans data with the scanner (whole, then in pieces of several sizes) and
 * with the reference; all must agree. Returns the reports. */
static recs scan_with(fm_scanner *s, const fm_pattern *p, size_t n, const char *data,
		      size_t len)
{
	recs want = {0};
	assert_int_equal(fm_scan_ref_mem(p, n, data, len, "mem", collect, &want, NULL), 0);
	static const size_t pieces[] = {0, 1, 2, 5, 4096};
	for (size_t k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		if (len > 100000 && pieces[k] && pieces[k] < 4096)
			continue; /* tiny pieces over megabytes only cost time */
		recs got = {0};
		fm__scan_mem_piece = pieces[k];
		assert_int_equal(fm_scan_mem(s, data, len, "mem", collect, &got, NULL), 0);
		fm__scan_mem_piece = 0;
		assert_int_equal(got.n, want.n);
		for (size_t i = 0; i < got.n; i++) {
			assert_int_equal(got.v[i].pat, want.v[i].pat);
			assert_int_equal(got.v[i].line, want.v[i].line);
			assert_int_equal(got.v[i].offset, want.v[i].offset);
			assert_int_equal(got.v[i].len, want.v[i].len);
			assert_int_equal(got.v[i].truncated, want.v[i].truncated);
			assert_memory_equal(got.v[i].text, want.v[i].text, got.v[i].len);
		}
		recs_free(&got);
	}
	return want;
}

static recs scan_all(const fm_pattern *p, size_t n, const char *data, size_t len)
{
	fm_scanner *s = new_scanner(p, n);
	recs r = scan_with(s, p, n, data, len);
	fm_scanner_free(s);
	return r;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(id, e) {id, e, false, false}
#define RE(id, e) {id, e, true, false}

static void expect(const recs *r, size_t i, size_t pat, uint64_t line, uint64_t off,
		   const char *text, size_t len)
{
	assert_true(i < r->n);
	assert_int_equal(r->v[i].pat, pat);
	assert_int_equal(r->v[i].line, line);
	assert_int_equal(r->v[i].offset, off);
	assert_int_equal(r->v[i].len, len);
	assert_memory_equal(r->v[i].text, text, len);
}

/* ---- line model ---- */

static void test_crlf_and_cr(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("AB", "ab"), LIT("KCR", "k\r"), RE("NEG", "x[^ ]")};
	static const char in[] = "1 ab\r\nk\r\nk\rz\nx\r\nxy\rk\r";
	recs r = scan_all(p, N(p), in, sizeof(in) - 1);
	assert_int_equal(r.n, 4);
	expect(&r, 0, 0, 1, 0, "1 ab", 4);          /* CR of CR LF is not text */
	expect(&r, 1, 1, 3, 9, "k\rz", 3);          /* a lone CR is text */
	expect(&r, 2, 1, 5, 16, "xy\rk\r", 5);      /* CR at the end without LF too */
	expect(&r, 3, 2, 5, 16, "xy\rk\r", 5);      /* "x\r" on line 4 needed the CR LF */
	recs_free(&r);
}

static void test_nul_and_invalid_utf8(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("AB", "ab"), RE("DOT", "c.d"), RE("NEG", "e[^ ]f"),
				       LIT("OOM", "OutOfMemoryError")};
	static const char in[] = "a\0b ab\nc\0d\ne\0f\n\xff\xfe\xc3(OutOfMemoryError\x80\n";
	recs r = scan_all(p, N(p), in, sizeof(in) - 1);
	assert_int_equal(r.n, 3);
	expect(&r, 0, 0, 1, 0, "a\0b ab", 6);
	/* `.` does not match NUL (glibc), [^ ] does */
	expect(&r, 1, 2, 3, 11, "e\0f", 3);
	expect(&r, 2, 3, 4, 15, "\xff\xfe\xc3(OutOfMemoryError\x80", 21);
	recs_free(&r);
}

static void test_empty_and_last_line(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("END", "the end")};
	recs r = scan_all(p, N(p), "", 0);
	assert_int_equal(r.n, 0);
	recs_free(&r);
	r = scan_all(p, N(p), "\n\n", 2);
	assert_int_equal(r.n, 0);
	recs_free(&r);
	r = scan_all(p, N(p), "x\n\nat the end", 13);
	assert_int_equal(r.n, 1);
	expect(&r, 0, 0, 3, 3, "at the end", 10);
	recs_free(&r);
	r = scan_all(p, N(p), "the end", 7);
	assert_int_equal(r.n, 1);
	expect(&r, 0, 0, 1, 0, "the end", 7);
	recs_free(&r);
}

static void test_order_and_once(void **state)
{
	(void)state;
	/* B is index 0 but appears after A on the line; both match twice. */
	static const fm_pattern p[] = {LIT("B", "beta"), RE("A", "al+pha"), LIT("NONE", "zzz"),
				       {"ICASE", "GAMMA", false, true}};
	static const char in[] = "alpha beta alllpha beta gamma\nnothing\nbeta\n";
	recs r = scan_all(p, N(p), in, sizeof(in) - 1);
	assert_int_equal(r.n, 4);
	expect(&r, 0, 0, 1, 0, in, 29);
	expect(&r, 1, 1, 1, 0, in, 29);
	expect(&r, 2, 3, 1, 0, in, 29);
	expect(&r, 3, 0, 3, 38, "beta", 4);
	recs_free(&r);
}

static void test_stop(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("X", "x")};
	fm_scanner *s = new_scanner(p, 1);
	recs r = {.stop_after = 2};
	assert_int_equal(fm_scan_mem(s, "x\nx\nx\nx\n", 8, "m", collect, &r, NULL), 0);
	assert_int_equal(r.n, 2);
	recs_free(&r);
	fm_scanner_free(s);
}

static void test_rejected_patterns(void **state)
{
	(void)state;
	static const fm_pattern bad[] = {
		RE("DOLLAR", "end$"), RE("ESC_D", "\\d+"),     RE("BACKREF", "(a)\\1"),
		RE("EMPTY_RE", "a*"), LIT("EMPTY_LIT", ""),     LIT("LF_LIT", "a\nb"),
		RE("PAREN", "(ab"),   RE("CLOSE", "ab)"),       RE("CLASS", "[[:foo:]]"),
		RE("UNTERM", "[ab"),  RE("RANGE", "[z-a]"),     RE("GROUP", "(?:a)b"),
		RE("QUANT", "*a"),    RE("INTERVAL", "a{,2}"),  RE("NOTHING", "[\n]")};
	for (size_t i = 0; i < N(bad); i++) {
		fm_pattern ps[2] = {LIT("OK", "fine"), bad[i]};
		fm_diag d = FM_DIAG_INIT;
		assert_null(fm_scanner_new(ps, 2, &d));
		assert_int_equal(d.code, FM_EINVAL);
		assert_non_null(d.key);
		assert_string_equal(d.key, bad[i].id);
		assert_non_null(strstr(d.msg, bad[i].id));
		fm_diag_release(&d);
	}
	fm_diag d = FM_DIAG_INIT;
	assert_null(fm_scanner_new(bad, 0, &d));
	assert_int_equal(d.code, FM_EUSAGE);
	fm_diag_release(&d);
}

/* ---- long lines and chunks (through a real fd) ---- */

static char *tmp_file(const char *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(4096);
	assert_non_null(path);
	snprintf(path, 4096, "%s/fm_test_scan_XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	close(fd);
	return path;
}

static recs scan_path(const fm_pattern *p, size_t n, const char *path)
{
	fm_scanner *s = new_scanner(p, n);
	recs r = {0};
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_scan_fd(s, fileno(f), path, collect, &r, &d), 0);
	fclose(f);
	fm_scanner_free(s);
	return r;
}

static void test_long_line(void **state)
{
	(void)state;
	/* line 1: 3 MiB of filler with the pattern at its very end; line 2:
	 * the pattern split across the 256 KiB read boundary; last line:
	 * the pattern at the very end of input, no LF. */
	size_t big = (size_t)3 << 20, len = 0;
	char *in = malloc(big + 600000);
	assert_non_null(in);
	for (size_t i = 0; i < big; i++)
		in[len++] = (char)('a' + i % 23);
	memcpy(in + len, "OutOfMemoryError: Metaspace\r\n", 29);
	len += 29;
	size_t l2 = len;
	size_t cut = (len / (256 * 1024) + 1) * 256 * 1024 - 5; /* 5 bytes before a chunk end */
	memset(in + len, '.', cut - len);
	len = cut;
	memcpy(in + len, "Java heap space\n", 16);
	len += 16;
	size_t l3 = len;
	memcpy(in + len, "x Metaspace", 11);
	len += 11;
	static const fm_pattern p[] = {RE("META", "OutOfMemoryError: [A-Z][a-z]+space"),
				       LIT("HEAP", "Java heap space"), LIT("MS", "Metaspace")};
	char *path = tmp_file(in, len);
	recs r = scan_path(p, N(p), path);
	assert_int_equal(r.n, 4);
	expect(&r, 0, 0, 1, 0, in, FM_SCAN_LINE_MAX);
	assert_true(r.v[0].truncated);
	expect(&r, 1, 2, 1, 0, in, FM_SCAN_LINE_MAX);
	expect(&r, 2, 1, 2, l2, in + l2, FM_SCAN_LINE_MAX);
	assert_true(r.v[2].truncated);
	expect(&r, 3, 2, 3, l3, "x Metaspace", 11);
	assert_false(r.v[3].truncated);
	recs_free(&r);
	/* The same through memory, against the reference. */
	r = scan_all(p, N(p), in, len);
	assert_int_equal(r.n, 4);
	recs_free(&r);
	unlink(path);
	free(path);
	free(in);
}

static void test_many_lines(void **state)
{
	(void)state;
	/* 200k short lines across many chunks: exact line numbers. */
	size_t n = 200000, len = 0;
	char *in = malloc(n * 16);
	assert_non_null(in);
	for (size_t i = 1; i <= n; i++)
		len += (size_t)sprintf(in + len, i % 9973 ? "line %zu\n" : "HIT %zu\r\n", i);
	static const fm_pattern p[] = {RE("HIT", "HIT [0-9]+")};
	char *path = tmp_file(in, len);
	recs r = scan_path(p, 1, path);
	assert_int_equal(r.n, n / 9973);
	for (size_t i = 0; i < r.n; i++) {
		char want[32];
		assert_int_equal(r.v[i].line, (i + 1) * 9973);
		snprintf(want, sizeof(want), "HIT %zu", (i + 1) * 9973);
		assert_string_equal(r.v[i].text, want);
		assert_memory_equal(in + r.v[i].offset, want, strlen(want));
	}
	recs_free(&r);
	unlink(path);
	free(path);
	free(in);
}

/* ---- gzip ---- */

static size_t gz(const char *in, size_t len, char *out, size_t cap)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

static void test_gzip(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("OOM", "OutOfMemoryError")};
	size_t plain_len = 2000000, cap = 4000000;
	char *plain = malloc(plain_len), *z = malloc(cap);
	assert_non_null(plain);
	assert_non_null(z);
	for (size_t i = 0; i < plain_len; i++)
		plain[i] = (i % 100 == 99) ? '\n' : (char)('a' + (i * 7) % 26);
	memcpy(plain + 1500000, "OutOfMemoryError", 16); /* line 15001 */
	/* two members: the first ends mid-line */
	size_t zn = gz(plain, 1000000 + 50, z, cap);
	zn += gz(plain + 1000050, plain_len - 1000050, z + zn, cap - zn);
	char *path = tmp_file(z, zn);
	recs r = scan_path(p, 1, path);
	assert_int_equal(r.n, 1);
	expect(&r, 0, 0, 15001, 1500000, plain + 1500000, 99);
	recs_free(&r);
	/* the same as stdin ("-") through fm_scan_files */
	int saved = dup(STDIN_FILENO);
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	assert_true(saved >= 0 && dup2(fileno(in), STDIN_FILENO) == STDIN_FILENO);
	fm_scanner *s1 = new_scanner(p, 1);
	const char *dash[] = {"-"};
	assert_int_equal(fm_scan_files(s1, dash, 1, 2, collect, &r, NULL), 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	fclose(in);
	fm_scanner_free(s1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].name, "-");
	expect(&r, 0, 0, 15001, 1500000, plain + 1500000, 99);
	recs_free(&r);
	unlink(path);
	free(path);

	/* truncated and corrupt streams are errors naming the input */
	fm_scanner *s = new_scanner(p, 1);
	for (int k = 0; k < 2; k++) {
		char *bad = malloc(zn);
		assert_non_null(bad);
		memcpy(bad, z, zn);
		size_t blen = k == 0 ? zn / 2 : zn;
		if (k == 1)
			memset(bad + 100, 0xff, 64);
		path = tmp_file(bad, blen);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fm_diag d = FM_DIAG_INIT;
		recs rr = {0};
		assert_int_equal(fm_scan_fd(s, fileno(f), path, collect, &rr, &d), FM_ESYNTAX);
		assert_string_equal(d.file, path);
		fclose(f);
		fm_diag_release(&d);
		recs_free(&rr);
		unlink(path);
		free(path);
		free(bad);
	}
	fm_scanner_free(s);
	free(plain);
	free(z);
}

/* ---- many files ---- */

static void test_files_parallel(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("HIT", "hit"), RE("NUM", "n=[0-9]+")};
	char *paths[5];
	for (int f = 0; f < 4; f++) {
		size_t len = 0;
		char *in = malloc(600000);
		assert_non_null(in);
		for (int i = 1; i <= 30000; i++)
			len += (size_t)sprintf(in + len, i % 1000 ? "quiet line\n" : "hit n=%d\n", i);
		paths[f] = tmp_file(in, len);
		free(in);
	}
	paths[4] = strdup("/nonexistent/fm_scan_missing.log");
	const char *order[6] = {paths[0], paths[1], paths[4], paths[2], paths[3], paths[4]};
	fm_scanner *s = new_scanner(p, N(p));
	for (unsigned threads = 1; threads <= 3; threads++) {
		recs r = {0};
		fm_diag d = FM_DIAG_INIT;
		assert_int_equal(fm_scan_files(s, order, 6, threads, collect, &r, &d), FM_EIO);
		assert_string_equal(d.file, paths[4]);
		fm_diag_release(&d);
		assert_false(r.overlap);
		assert_int_equal(r.n, 4 * 30 * 2);
		for (int f = 0; f < 4; f++) { /* per file: line order, pattern order */
			uint64_t prev = 0;
			size_t seen = 0;
			for (size_t i = 0; i < r.n; i++) {
				if (strcmp(r.v[i].name, paths[f]) != 0)
					continue;
				uint64_t key = r.v[i].line * 2 + r.v[i].pat;
				assert_true(key > prev);
				assert_int_equal(r.v[i].line % 1000, 0);
				prev = key;
				seen++;
			}
			assert_int_equal(seen, 60);
		}
		recs_free(&r);
	}
	/* a directory opens but does not read: the message says why */
	const char *dir[] = {"/"};
	recs r = {0};
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_scan_files(s, dir, 1, 1, collect, &r, &d), FM_EIO);
	assert_string_equal(d.file, "/");
	assert_non_null(strstr(d.msg, "Is a directory"));
	fm_diag_release(&d);
	recs_free(&r);
	fm_scanner_free(s);
	for (int f = 0; f < 5; f++) {
		if (f < 4)
			unlink(paths[f]);
		free(paths[f]);
	}
}

/* ---- big files split into ranges ---- */

static void same_for_name(const recs *got, const char *name, const recs *want)
{
	size_t k = 0;
	for (size_t i = 0; i < got->n; i++) {
		if (strcmp(got->v[i].name, name) != 0)
			continue;
		assert_true(k < want->n);
		const rec *x = &got->v[i], *y = &want->v[k++];
		assert_int_equal(x->pat, y->pat);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->offset, y->offset);
		assert_int_equal(x->len, y->len);
		assert_int_equal(x->truncated, y->truncated);
		assert_memory_equal(x->text, y->text, x->len);
	}
	assert_int_equal(k, want->n);
}

static void test_split_ranges(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("HIT", "hit"), RE("NUM", "n=[0-9]+"), LIT("KCR", "k\r"),
				       RE("LONG", "long end")};
	size_t cap = 400000, len[2] = {0, 0};
	char *in[2] = {malloc(cap), malloc(cap)};
	assert_non_null(in[0]);
	assert_non_null(in[1]);
	for (int f = 0; f < 2; f++) {
		/* file 0: sparse hits, CR LF, a 20 KB line crossing several ranges;
		 * file 1: a hit on every line, more than a range may hold back */
		for (unsigned i = 0; len[f] + 30000 < cap; i++) {
			if (f == 1) {
				len[f] += (size_t)sprintf(in[f] + len[f], "hit n=%u\n", i);
			} else if (i % 97 == 5) {
				memset(in[f] + len[f], 'y', 20000);
				len[f] += 20000;
				len[f] += (size_t)sprintf(in[f] + len[f], "long end k\r\n");
			} else {
				len[f] += (size_t)sprintf(in[f] + len[f], i % 7 ? "quiet %u k\r\n" : "hit n=%u\r\n", i);
			}
		}
	}
	len[0] += (size_t)sprintf(in[0] + len[0], "last hit k\r"); /* no LF */
	char *paths[2] = {tmp_file(in[0], len[0]), tmp_file(in[1], len[1])};
	recs want[2] = {{0}, {0}};
	for (int f = 0; f < 2; f++)
		assert_int_equal(fm_scan_ref_mem(p, N(p), in[f], len[f], paths[f], collect, &want[f], NULL), 0);
	assert_true(want[1].n > 20000);
	fm_scanner *s = new_scanner(p, N(p));
	/* ranges shorter than a page, and longer than a read chunk (128 KiB)
	 * starting off a page boundary */
	static const uint64_t sizes[] = {4096, 1000, 150001};
	for (size_t k = 0; k < N(sizes); k++) {
		fm__scan_range_size = sizes[k];
		for (unsigned threads = 1; threads <= 3; threads += 2) {
			recs got = {0};
			const char *const order[2] = {paths[0], paths[1]};
			assert_int_equal(fm_scan_files(s, order, 2, threads, collect, &got, NULL), 0);
			assert_false(got.overlap);
			same_for_name(&got, paths[0], &want[0]);
			same_for_name(&got, paths[1], &want[1]);
			recs_free(&got);
		}
	}
	/* ranges that end before their turn park their reports: the same
	 * reports again, until that path has been taken (it depends on the
	 * scheduler; thousands of ranges make it near certain at once) */
	fm__scan_range_size = 1000;
	fm__scan_parked = 0;
	for (int tries = 0; tries < 50 && fm__scan_parked == 0; tries++) {
		recs got = {0};
		const char *const order[2] = {paths[0], paths[1]};
		assert_int_equal(fm_scan_files(s, order, 2, 4, collect, &got, NULL), 0);
		same_for_name(&got, paths[0], &want[0]);
		same_for_name(&got, paths[1], &want[1]);
		recs_free(&got);
	}
	assert_true(fm__scan_parked > 0);
	/* stopping one split file stops its later ranges too */
	recs got = {.stop_after = 3};
	fm__scan_range_size = 4096;
	assert_int_equal(fm_scan_files(s, (const char *const *)&paths[1], 1, 3, collect, &got, NULL), 0);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.v[2].line, 2);
	recs_free(&got);
	fm__scan_range_size = 0;
	fm_scanner_free(s);
	for (int f = 0; f < 2; f++) {
		recs_free(&want[f]);
		unlink(paths[f]);
		free(paths[f]);
		free(in[f]);
	}
}

/* ---- differential against the reference on the signature table ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random inputs built from the patterns' own texts (literals verbatim,
 * regexes with their escapes dropped), pieces of them, and line-model
 * noise; the scanner (whole and in pieces) must report exactly what the
 * reference does. */
static void differential(const fm_pattern *pats, size_t n, int iters)
{
	static const char *noise[] = {"\n", "\r\n", "\r", "\0", " ", "\t", "137", "-104", "\xff",
				      "2024-05-01 10:00:00,123 INFO  ", "Exit Code:", "[Rr]",
				      "(", ")", "12345", "MB", "\"", "'", "x", ": "};
	size_t cap = 1 << 16;
	char *in = malloc(cap);
	assert_non_null(in);
	size_t total = 0;
	fm_scanner *s = new_scanner(pats, n); /* compiling takes most of the time */
	for (int iter = 0; iter < iters; iter++) {
		size_t len = 0;
		while (len + 300 < cap && rnd() % 40) {
			uint64_t pick = rnd() % 3;
			const char *f;
			size_t fl;
			if (pick == 0) {
				f = noise[rnd() % N(noise)];
				fl = *f ? strlen(f) : 1;
			} else {
				const fm_pattern *p = &pats[rnd() % n];
				f = p->expr;
				fl = strlen(f);
				if (pick == 2 && fl > 4) { /* a piece: start or end cut */
					size_t a = rnd() % (fl / 2), b = fl / 2 + rnd() % (fl - fl / 2);
					f += a;
					fl = b - a;
				}
			}
			for (size_t i = 0; i < fl; i++)
				if (!(f[i] == '\\' && i + 1 < fl))
					in[len++] = f[i];
		}
		recs r = scan_with(s, pats, n, in, len);
		total += r.n;
		recs_free(&r);
	}
	assert_true(total > (size_t)iters); /* the generator does hit the signatures */
	fm_scanner_free(s);
	free(in);
}

static void test_differential_signatures(void **state)
{
	(void)state;
	const char *dir = getenv("FM_TESTDATA");
	char path[4096];
	snprintf(path, sizeof(path), "%s/unit/data/signatures.tsv", dir ? dir : "tests");
	scan_tsv t;
	assert_int_equal(scan_tsv_load(&t, path), 0);
	assert_true(t.n > 90);
	differential(t.pats, t.n, 1000);
	scan_tsv_free(&t);
}

/* The same over the table diagnose really scans with (whatever rows it
 * has today). */
static void test_differential_diagnose_table(void **state)
{
	(void)state;
	size_t n;
	const fm_pattern *p = fm_signature_patterns(&n);
	assert_true(n > 100);
	differential(p, n, 500);
}

/* ---- prebuilt databases ---- */

/* A serialized database loads as a scanner that reports exactly what a
 * compiled one does; a blob for another pattern set, a damaged or empty blob
 * is not used and the scanner compiles instead (never an error). */
static void test_prebuilt(void **state)
{
	(void)state;
	static const fm_pattern p[] = {LIT("A", "OutOfMemoryError"), RE("B", "Exit Code:[[:space:]]+137"),
				       {"C", "metaspace", false, true}};
	static const fm_pattern other[] = {LIT("A", "OutOfMemoryError"), RE("B", "Exit Code:[[:space:]]+13")};
	static const char text[] = "x\njava.lang.OutOfMemoryError: Metaspace\n   Exit Code:   137\n";
	fm_diag d = FM_DIAG_INIT;
	fm_scanner *s = new_scanner(p, N(p));
	assert_false(fm_scanner_is_prebuilt(s));
	char *blob = NULL;
	size_t len = 0;
	assert_int_equal(fm_scanner_serialize(s, &blob, &len, &d), 0);
	assert_true(len > 16);
	fm_scanner_free(s);
	assert_true(fm_scanner_fingerprint(p, N(p)) != fm_scanner_fingerprint(other, N(other)));

	fm_scanner *pre = fm_scanner_new_prebuilt(p, N(p), blob, len, &d);
	assert_non_null(pre);
	assert_true(fm_scanner_is_prebuilt(pre));
	recs r = scan_with(pre, p, N(p), text, sizeof(text) - 1);
	assert_int_equal(r.n, 3);
	expect(&r, 0, 0, 2, 2, "java.lang.OutOfMemoryError: Metaspace", 37);
	expect(&r, 1, 2, 2, 2, "java.lang.OutOfMemoryError: Metaspace", 37);
	expect(&r, 2, 1, 3, 40, "   Exit Code:   137", 19);
	recs_free(&r);
	fm_scanner_free(pre);

	/* other patterns, a flipped byte in the fingerprint or in the magic, a
	 * cut blob, no blob: all compile */
	fm_scanner *o = fm_scanner_new_prebuilt(other, N(other), blob, len, &d);
	assert_non_null(o);
	assert_false(fm_scanner_is_prebuilt(o));
	fm_scanner_free(o);
	for (size_t at = 0; at < 16; at += 5) {
		blob[at] ^= 1;
		o = fm_scanner_new_prebuilt(p, N(p), blob, len, &d);
		assert_non_null(o);
		assert_false(fm_scanner_is_prebuilt(o));
		fm_scanner_free(o);
		blob[at] ^= 1;
	}
	o = fm_scanner_new_prebuilt(p, N(p), blob, 16, &d);
	assert_non_null(o);
	assert_false(fm_scanner_is_prebuilt(o));
	fm_scanner_free(o);
	o = fm_scanner_new_prebuilt(p, N(p), NULL, 0, &d);
	assert_non_null(o);
	assert_false(fm_scanner_is_prebuilt(o));
	fm_scanner_free(o);
	free(blob);
	fm_diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crlf_and_cr),
		cmocka_unit_test(test_nul_and_invalid_utf8),
		cmocka_unit_test(test_empty_and_last_line),
		cmocka_unit_test(test_order_and_once),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_rejected_patterns),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_files_parallel),
		cmocka_unit_test(test_split_ranges),
		cmocka_unit_test(test_differential_signatures),
		cmocka_unit_test(test_differential_diagnose_table),
		cmocka_unit_test(test_prebuilt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
