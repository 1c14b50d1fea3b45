/* The database the build embeds in flinkmem (hsdb_blob.c from
 * tools/gen_hsdb.c) is the one diagnose will load: same pattern set, and
 * usable on this machine. A stale or empty blob would not be an error at
 * run time, only a silent 60 ms compile per run, so the build checks it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"

extern const unsigned char fm_hsdb_blob[];
extern const size_t fm_hsdb_blob_len;

static int count(const fm_match *m, void *ctx)
{
	(void)m;
	++*(size_t *)ctx;
	return 0;
}

static void test_blob_is_used(void **state)
{
	(void)state;
	size_t n;
	const fm_pattern *p = fm_signature_patterns(&n);
	fm_diag d = FM_DIAG_INIT;
	fm_scanner *s = fm_scanner_new_prebuilt(p, n, fm_hsdb_blob, fm_hsdb_blob_len, &d);
	assert_non_null(s);
	assert_true(fm_scanner_is_prebuilt(s));
	static const char log[] = "2024-01-01 00:00:00,000 ERROR x - java.lang.OutOfMemoryError: Java heap space\n";
	size_t hits = 0;
	assert_int_equal(fm_scan_mem(s, log, sizeof(log) - 1, "mem", count, &hits, &d), 0);
	assert_true(hits >= 1);
	fm_scanner_free(s);
	fm_diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_blob_is_used)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
