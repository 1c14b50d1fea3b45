/* fuzz_conf_yaml — the config.yaml reader on arbitrary bytes: it returns
 * FM_OK or a documented error with a message; on success every entry is a
 * NUL-terminated value of a known type with 1-based positions, and a
 * second load of the same bytes gives the same entries (no hidden state).
 * Everything is freed (leaks show under the sanitizers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf.h"
#include "flinkmem/conf_yaml.h"


static fm_conf *load(const char *data, size_t size, int *rc)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return NULL;
	fm_diag d = FM_DIAG_INIT;
	*rc = fm_conf_load_yaml(c, "fuzz.yaml", data, size, &d);
	CHECK(*rc == FM_OK || *rc == FM_ESYNTAX || *rc == FM_EINVAL || *rc == FM_ETOOBIG ||
	      *rc == FM_ENOMEM);
	if (*rc != FM_OK && *rc != FM_ENOMEM) {
		/* the message may quote the input raw (a key with line breaks):
		 * every output escapes it (lib/escape.h), not the reader */
		CHECK(d.msg != NULL && d.msg[0] != '\0');
		CHECK(d.file != NULL);
	}
	if (d.jclass)
		CHECK(d.jmsg != NULL);
	fm_diag_release(&d);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rc1 = 0, rc2 = 0;
	fm_conf *a = load((const char *)data, size, &rc1);
	fm_conf *b = load((const char *)data, size, &rc2);
	if (a && b && rc1 != FM_ENOMEM && rc2 != FM_ENOMEM) {
		CHECK(rc1 == rc2);
		CHECK(fm_conf_len(a) == fm_conf_len(b));
	}
	for (size_t i = 0; a && rc1 == FM_OK && i < fm_conf_len(a); i++) {
		const fm_entry *e = fm_conf_at(a, i);
		const fm_entry *f = b ? fm_conf_at(b, i) : NULL;
		CHECK(e->key != NULL && e->text != NULL);
		CHECK(e->text[e->text_len] == '\0');
		CHECK(e->type <= FM_V_LIST);
		CHECK(e->at.line >= 1 && e->at.col >= 1 && e->key_line >= 1 && e->key_col >= 1);
		CHECK(e->at.src == FM_SRC_YAML);
		if (f) {
			CHECK(strcmp(e->key, f->key) == 0 && e->text_len == f->text_len &&
			      memcmp(e->text, f->text, e->text_len) == 0 && e->type == f->type);
		}
	}
	fm_conf_free(a);
	fm_conf_free(b);
	return 0;
}
