/* fuzz_lintcfg — check's own readers on arbitrary bytes: the project file
 * (.flinkmem.yaml), suppression comments, and the search for a config
 * embedded in a ConfigMap or Helm values. Each returns FM_OK or a
 * documented error with a message and a position; a suppression's target
 * line exists in the input; an embedded config keeps the input's line
 * count (its lines stay where they were). Everything is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf_embed.h"
#include "flinkmem/lintcfg.h"


static size_t lines(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void embedded_ok(const fm_embedded_file *f, const char *data, size_t size)
{
	if (!f->text)
		return;
	CHECK(f->len <= size && f->where && f->line >= 1);
	CHECK(lines(f->text, f->len) == lines(data, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	fm_diag d = FM_DIAG_INIT;
	fm_lintcfg pc;
	int rc = fm_lintcfg_parse("fuzz.yaml", s, size, &pc, &d);
	CHECK(rc == FM_OK || rc == FM_ESYNTAX || rc == FM_EINVAL || rc == FM_ENOMEM);
	if (rc == FM_ESYNTAX || rc == FM_EINVAL)
		CHECK(d.msg && d.msg[0] && d.file && d.line >= 1);
	for (size_t i = 0; i < pc.nignore; i++)
		CHECK(pc.ignore[i] && pc.ignore[i][0]);
	fm_lintcfg_release(&pc);
	fm_diag_release(&d);

	fm_suppressions sp;
	rc = fm_suppressions_scan("fuzz.yaml", s, size, &sp, &d);
	CHECK(rc == FM_OK || rc == FM_EINVAL || rc == FM_ENOMEM);
	if (rc == FM_EINVAL)
		CHECK(d.msg && d.msg[0] && d.line >= 1 && d.col >= 1);
	size_t nl = lines(s, size) + 1;
	for (size_t i = 0; rc == FM_OK && i < sp.n; i++) {
		CHECK(sp.v[i].at >= 1 && sp.v[i].at <= nl && sp.v[i].target <= nl);
		CHECK(!fm_rule_set_empty(&sp.v[i].rules));
	}
	fm_suppressions_release(&sp);
	fm_diag_release(&d);

	fm_embedded e;
	rc = fm_embedded_find("fuzz.yaml", s, size, &e, &d);
	CHECK(rc == FM_OK || rc == FM_EINVAL || rc == FM_ENOMEM);
	if (rc == FM_EINVAL)
		CHECK(d.msg && d.msg[0] && d.line >= 1);
	embedded_ok(&e.flat, s, size);
	embedded_ok(&e.yaml, s, size);
	fm_embedded_release(&e);
	fm_diag_release(&d);
	return 0;
}
