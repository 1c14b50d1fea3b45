/* fuzz_conf_flat — the legacy flink-conf.yaml line parser on arbitrary
 * bytes, under the newest and the <= 1.16 (quoted WARN) wording: it must
 * load, and every entry must have a non-empty key and value without '#'
 * or line breaks, a value with no Java-trimmable byte at either end, and
 * 1-based positions; everything is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/options.h"


static void run(const char *data, size_t size, const fm_profile *p)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return;
	fm_logs logs = FM_LOGS_INIT;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_conf_load_flat(c, "fuzz.yaml", data, size, p, &logs, &d);
	CHECK(rc == FM_OK || rc == FM_ENOMEM);
	for (size_t i = 0; rc == FM_OK && i < fm_conf_len(c); i++) {
		const fm_entry *e = fm_conf_at(c, i);
		CHECK(e != NULL);
		size_t kn = strlen(e->key);
		CHECK(kn > 0);
		CHECK(memchr(e->key, '#', kn) == NULL);
		CHECK(memchr(e->key, '\n', kn) == NULL && memchr(e->key, '\r', kn) == NULL);
		CHECK((unsigned char)e->key[0] > ' ');
		CHECK(e->text != NULL && e->text_len > 0);
		CHECK(e->text[e->text_len] == '\0');
		CHECK(memchr(e->text, '#', e->text_len) == NULL);
		CHECK(memchr(e->text, '\n', e->text_len) == NULL);
		CHECK(memchr(e->text, '\r', e->text_len) == NULL);
		CHECK((unsigned char)e->text[0] > ' ');
		CHECK((unsigned char)e->text[e->text_len - 1] > ' ');
		CHECK(e->type == FM_V_STR && e->at.src == FM_SRC_FLAT);
		CHECK(e->at.file && strcmp(e->at.file, "fuzz.yaml") == 0);
		CHECK(e->at.line >= 1 && e->at.col >= 1 && e->key_line == e->at.line);
		CHECK(e->key_col >= 1 && e->key_col < e->at.col);
		/* The value's bytes are where the position says. */
		CHECK(e->at.col - 1 + e->text_len <= size);
	}
	for (size_t i = 0; i < logs.n; i++)
		CHECK(logs.v[i] && strncmp(logs.v[i], "WARN Error ", 11) == 0);
	fm_logs_release(&logs);
	fm_diag_release(&d);
	fm_conf_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: no terminator the parser could lean on. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	run(copy, size, NULL);
	run(copy, size, fm_profile_for("1.16"));
	free(copy);
	return 0;
}
