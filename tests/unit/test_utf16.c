/* utf16: which inputs are UTF-16 (byte-order mark, or alternate zero
 * bytes of ASCII text) and their UTF-8: surrogate pairs, a unit or pair
 * cut by a chunk's end, lone surrogates, the mark only at the start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/utf16.h"

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(fm_utf16_detect("\xff\xfe" "a\0", 4), FM_UTF16_LE);
	assert_int_equal(fm_utf16_detect("\xfe\xff\0a", 4), FM_UTF16_BE);
	const char le[] = "j\0a\0v\0a\0.\0l\0a\0n\0g\0.\0O\0u\0t\0O\0f\0M\0";
	assert_int_equal(fm_utf16_detect(le, sizeof le - 1), FM_UTF16_LE);
	assert_int_equal(fm_utf16_detect(le + 1, sizeof le - 2), FM_UTF16_BE);
	/* UTF-8 (with its own mark), short input, binary with scattered zeros */
	const char *u8 = "\xef\xbb\xbfjava.lang.OutOfMemoryError: Java heap space";
	assert_int_equal(fm_utf16_detect(u8, strlen(u8)), FM_UTF16_NONE);
	assert_int_equal(fm_utf16_detect("a\0b\0", 4), FM_UTF16_NONE);
	const char bin[] = "\x1f\x8b\x08\0\0\0\0\0\0\x03\xab\x56\x4a\0\x31\x32\x00\x00\x33\x34";
	assert_int_equal(fm_utf16_detect(bin, sizeof bin - 1), FM_UTF16_NONE);
}

static void test_convert(void **state)
{
	(void)state;
	char out[64];
	size_t used;
	/* mark dropped at the start; A, é (2 bytes), 日 (3), 😀 (pair -> 4) */
	const char in[] = "\xff\xfe" "A\0" "\xe9\0" "\xe5\x65" "\x3d\xd8\x00\xde";
	size_t n = fm_utf16_to_utf8(in, sizeof in - 1, FM_UTF16_LE, true, true, out, &used);
	assert_int_equal(used, sizeof in - 1);
	assert_int_equal(n, 10);
	assert_memory_equal(out, "A\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", 10);
	/* not at the start, the mark is a character (zero-width no-break space) */
	n = fm_utf16_to_utf8("\xff\xfe", 2, FM_UTF16_LE, false, true, out, &used);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\xef\xbb\xbf", 3);
	/* big-endian */
	n = fm_utf16_to_utf8("\0O\0K", 4, FM_UTF16_BE, true, true, out, &used);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "OK", 2);
}

static void test_chunk_edges(void **state)
{
	(void)state;
	char out[64];
	size_t used;
	/* a high surrogate at the chunk's end waits for its partner */
	size_t n = fm_utf16_to_utf8("x\0\x3d\xd8", 4, FM_UTF16_LE, false, false, out, &used);
	assert_int_equal(n, 1);
	assert_int_equal(used, 2);
	/* an odd byte waits too */
	n = fm_utf16_to_utf8("x\0y", 3, FM_UTF16_LE, false, false, out, &used);
	assert_int_equal(n, 1);
	assert_int_equal(used, 2);
	/* at the input's end both become U+FFFD */
	n = fm_utf16_to_utf8("\x3d\xd8", 2, FM_UTF16_LE, false, true, out, &used);
	assert_int_equal(used, 2);
	assert_memory_equal(out, "\xef\xbf\xbd", 3);
	assert_int_equal(n, 3);
	n = fm_utf16_to_utf8("x\0y", 3, FM_UTF16_LE, false, true, out, &used);
	assert_int_equal(used, 3);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "x\xef\xbf\xbd", 4);
	/* a lone low surrogate, and a high one followed by no low one */
	n = fm_utf16_to_utf8("\x00\xdc" "a\0" "\x3d\xd8" "b\0", 8, FM_UTF16_LE, false, true, out, &used);
	assert_int_equal(n, 8);
	assert_memory_equal(out, "\xef\xbf\xbd" "a" "\xef\xbf\xbd" "b", 8);
	/* the worst case fits FM_UTF16_OUT_MAX */
	char big[4 * 3 + 3];
	n = fm_utf16_to_utf8("\x00\x30\x00\x30\x00\x30\x00\x30", 8, FM_UTF16_LE, false, true, big, &used);
	assert_true(n <= FM_UTF16_OUT_MAX(8));
	assert_int_equal(n, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_chunk_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
