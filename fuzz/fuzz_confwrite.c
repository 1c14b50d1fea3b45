/* fuzz_confwrite — the configuration writer on every config.yaml the reader
 * accepts: UPDATE_AND_GET (nested and -flatten) and MIGRATE return FM_OK or
 * Flink's own failure with the exception set; every output line carries
 * the prefix; and the nested file, read back by the same reader, gives each
 * key the value it had (the writer's quoting never changes a value), bar
 * values with line breaks other than '\n' (libyaml reads YAML 1.1 breaks)
 * and values ending in a break (Flink's split drops the empty lines a
 * "|+" block ends with at the end of the file, so Flink loses them too);
 * keys with empty dot-separated parts ("a..b", "a.") are renamed by
 * Java's split, so a file with one is only checked for loading.
 * Everything is freed (leaks show under the sanitizers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/confwrite.h"
#include "flinkmem/conf_yaml.h"
#include "flinkmem/options.h"


static bool odd_breaks(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\r' || (unsigned char)s[i] == 0xC2 || (unsigned char)s[i] == 0xE2)
			return true; /* CR, NEL (C2 85), LS/PS (E2 80 A8/A9) and their neighbours */
	return false;
}

/* Strips "P:" from each line; NULL when a line lacks it. */
static char *strip(const fm_buf *b)
{
	char *o = malloc(b->len + 1);
	if (!o)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < b->len;) {
		CHECK(b->len - i >= 2 && b->data[i] == 'P' && b->data[i + 1] == ':');
		i += 2;
		while (i < b->len && b->data[i] != '\n')
			o[n++] = b->data[i++];
		if (i < b->len)
			o[n++] = b->data[i++];
	}
	o[n] = '\0';
	return o;
}

static bool odd_keys(const fm_conf *c)
{
	for (size_t i = 0; i < fm_conf_len(c); i++) {
		const char *k = fm_conf_at(c, i)->key;
		size_t n = strlen(k);
		if (n == 0 || k[0] == '.' || k[n - 1] == '.' || strstr(k, "..") || n != fm_conf_at(c, i)->key_len)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return 0;
	fm_diag d = FM_DIAG_INIT;
	if (fm_conf_load_yaml(c, "fuzz.yaml", (const char *)data, size, &d) != FM_OK) {
		fm_diag_release(&d);
		fm_conf_free(c);
		return 0;
	}
	fm_diag_release(&d);
	fm_cw_input in = {.profile = fm_profile_newest(), .file = c, .standard = true,
			  .yaml = (const char *)data, .yaml_len = size};
	for (int flat = 0; flat < 2; flat++) {
		in.flatten = flat;
		fm_buf out = FM_BUF_INIT;
		fm_jchain err = {0};
		int rc = fm_cw_update_and_get(&in, "P:", &out, &err);
		CHECK(rc == FM_OK || rc == FM_ESYNTAX || rc == FM_ENOMEM);
		if (rc == FM_ESYNTAX)
			CHECK(err.n == 1 && err.v[0].cls && err.v[0].msg);
		if (rc == FM_OK && !flat) {
			char *doc = strip(&out);
			fm_conf *back = doc ? fm_conf_new() : NULL;
			fm_diag d2 = FM_DIAG_INIT;
			bool renamed = odd_keys(c);
			if (back && fm_conf_load_yaml(back, "back.yaml", doc, strlen(doc), &d2) == FM_OK && !renamed) {
				for (size_t i = 0; i < fm_conf_len(back); i++) {
					const fm_entry *e = fm_conf_at(back, i);
					const fm_entry *o = fm_conf_find(c, e->key);
					CHECK(o != NULL);
					if (!odd_breaks(o->text, o->text_len) &&
					    !(o->text_len && o->text[o->text_len - 1] == '\n'))
						CHECK(e->text_len == o->text_len && memcmp(e->text, o->text, o->text_len) == 0);
				}
			} else if (back && doc && !renamed && !odd_breaks(doc, strlen(doc))) {
				CHECK(d2.code == FM_ENOMEM || d2.code == FM_ETOOBIG);
			}
			fm_diag_release(&d2);
			fm_conf_free(back);
			free(doc);
		}
		fm_jchain_release(&err);
		fm_buf_release(&out);
	}
	/* migrate treats the same entries as legacy strings */
	in.standard = false;
	in.yaml = NULL;
	fm_buf out = FM_BUF_INIT;
	fm_jchain err = {0};
	int rc = fm_cw_migrate(&in, "P:", &out, &err);
	CHECK(rc == FM_OK || rc == FM_ESYNTAX || rc == FM_ENOMEM);
	fm_jchain_release(&err);
	fm_buf_release(&out);
	fm_conf_free(c);
	return 0;
}
