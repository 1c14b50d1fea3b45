/* scan_tsv — loads the id and pattern columns of a signatures.tsv
 * ("lit:TEXT" or "re:ERE") into fm_pattern[] for the scanner's test, fuzz
 * target and benchmark. Header-only (static functions) so each program
 * takes it without a library of its own. Lines starting with '#' and the
 * "id<TAB>pattern" header are skipped. */
#ifndef FM_SCAN_TSV_H
#define FM_SCAN_TSV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/scan.h"

typedef struct scan_tsv {
	fm_pattern *pats;
	size_t n;
	char *text; /* the file; ids and exprs point into it */
} scan_tsv;

static void scan_tsv_free(scan_tsv *t)
{
	free(t->pats);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

/* 0 on success; -1 when the file cannot be read or has no pattern. */
static int scan_tsv_load(scan_tsv *t, const char *path)
{
	memset(t, 0, sizeof(*t));
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 1 << 16, len = 0;
	t->text = malloc(cap + 1);
	for (size_t r = 1; t->text && r;) {
		if (len == cap) {
			char *nt = realloc(t->text, 2 * cap + 1);
			if (!nt)
				break;
			t->text = nt;
			cap *= 2;
		}
		r = fread(t->text + len, 1, cap - len, f);
		len += r;
	}
	fclose(f);
	if (!t->text)
		return -1;
	t->text[len] = '\0';
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += t->text[i] == '\n';
	t->pats = calloc(lines, sizeof(*t->pats));
	if (!t->pats)
		return scan_tsv_free(t), -1;
	for (char *line = t->text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *tab1 = strchr(line, '\t');
		char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (line[0] != '#' && tab1 && strncmp(line, "id\t", 3) != 0) {
			*tab1 = '\0';
			if (tab2)
				*tab2 = '\0';
			char *e = tab1 + 1;
			fm_pattern *p = &t->pats[t->n];
			p->id = line;
			if (strncmp(e, "lit:", 4) == 0) {
				p->expr = e + 4;
				t->n++;
			} else if (strncmp(e, "re:", 3) == 0) {
				p->expr = e + 3;
				p->regex = true;
				t->n++;
			}
		}
		line = next;
	}
	if (t->n == 0)
		return scan_tsv_free(t), -1;
	return 0;
}

#endif
