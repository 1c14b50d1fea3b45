/* inputs_common — shared body of the fuzz_inputs_<kind> targets: the whole
 * diagnose pipeline over one in-memory input of a given kind (the kind is
 * forced with a prefix a real input of that kind starts with). Checks:
 * only documented errors; a consistent result (root index, evidence
 * bounded, every evidence line printable); text, JSON and HTML render, the
 * JSON parses (jansson), the HTML has no control byte and no script from
 * the input; everything is freed. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/diagnose.h"
#include "flinkmem/diagout.h"
#include "flinkmem/signatures.h"

#include "fuzz_assert.h"

static void run_kind(const char *prefix, const char *name, const uint8_t *data, size_t size)
{
	size_t pl = strlen(prefix);
	char *buf = malloc(pl + size + 1);
	if (!buf)
		return;
	memcpy(buf, prefix, pl);
	if (size)
		memcpy(buf + pl, data, size);
	/* compiled once: the signature scanner takes ~0.1 s to build */
	static fm_scanner *sc;
	if (!sc) {
		size_t np;
		const fm_pattern *p = fm_signature_patterns(&np);
		sc = fm_scanner_new(p, np, NULL);
		CHECK(sc != NULL);
	}
	fm_dx_opts o = {0};
	o.scanner = sc;
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_diagnose_mem(buf, pl + size, name, &o, &r, &d);
	CHECK(rc == FM_OK || rc == FM_ESYNTAX || rc == FM_ETOOBIG || rc == FM_ENOMEM || rc == FM_EIO);
	if (rc != FM_OK)
		fm_dx_result_release(&r); /* the inputs that failed are listed even then */
	if (rc == FM_OK) {
		CHECK(r.a.root == -1 || (r.a.root == 0 && r.a.n > 0 && !r.a.v[0].aftermath));
		for (size_t i = 0; i < r.a.n; i++) {
			const fm_incident *x = &r.a.v[i];
			CHECK(x->nev <= FM_EVIDENCE_MAX && x->count >= 1);
			CHECK(x->input < r.a.ninputs);
			for (size_t k = 0; k < x->nev; k++)
				for (const char *p = x->ev[k].text; *p; p++)
					CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
		}
		fm_buf b = FM_BUF_INIT;
		CHECK(fm_render_diagnose_text(&b, &r, false) == FM_OK);
		fm_buf_reset(&b);
		CHECK(fm_render_diagnose_json(&b, &r) == FM_OK);
		json_error_t je;
		json_t *j = json_loadb(b.data, b.len, 0, &je);
		CHECK(j != NULL);
		CHECK(json_is_array(json_object_get(j, "incidents")));
		json_decref(j);
		fm_buf_reset(&b);
		CHECK(fm_render_diagnose_html(&b, &r) == FM_OK);
		for (size_t i = 0; i < b.len; i++)
			CHECK((unsigned char)b.data[i] >= 0x20 || b.data[i] == '\n');
		CHECK(strstr(b.data, "<script") == NULL);
		fm_buf_release(&b);
		fm_dx_result_release(&r);
	}
	fm_diag_release(&d);
	free(buf);
}
