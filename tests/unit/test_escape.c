/* escape: the terminal rule, the JSON rule and the HTML rule of escape.h, byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/buf.h"
#include "flinkmem/escape.h"

#define LIT(s) s, sizeof(s) - 1

static void expect_text(const char *in, size_t n, const char *want)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_esc_text(&b, in, n), 0);
	assert_string_equal(b.data, want);
	fm_buf_release(&b);
}

static void expect_json(const char *in, size_t n, const char *want)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_add_json_str(&b, in, n), 0);
	assert_string_equal(b.data ? b.data : "", want);
	fm_buf_release(&b);
}

static void test_text_controls(void **state)
{
	(void)state;
	/* ESC[2J, OSC 52 clipboard write ending in BEL, NUL, DEL */
	expect_text(LIT("a\033[2Jb\033]52;c;aGk=\007\000\177"), "a\\x1b[2Jb\\x1b]52;c;aGk=\\x07\\x00\\x7f");
	expect_text(LIT("tab\there\\back\nline\r"), "tab\\there\\\\back\\x0aline\\x0d");
	expect_text(LIT(""), "");
}

static void test_text_utf8(void **state)
{
	(void)state;
	expect_text(LIT("caf\xc3\xa9 \xe2\x94\x9c\xe2\x94\x80 \xf0\x9f\x98\x80"),
		    "caf\xc3\xa9 \xe2\x94\x9c\xe2\x94\x80 \xf0\x9f\x98\x80");
	/* C1 CSI (U+009B), a raw 8-bit CSI, RLO bidi override, LRI isolate */
	expect_text(LIT("\xc2\x9b" "31m|\x9b|\xe2\x80\xae|\xe2\x81\xa6"), "\\xc2\\x9b31m|\\x9b|\\xe2\\x80\\xae|\\xe2\\x81\\xa6");
	/* invalid: lone continuation, overlong '/', surrogate, past U+10FFFF, truncated */
	expect_text(LIT("\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x94"),
		    "\\x80|\\xc0\\xaf|\\xed\\xa0\\x80|\\xf4\\x90\\x80\\x80|\\xe2\\x94");
}

static void test_text_capped(void **state)
{
	(void)state;
	fm_buf b = FM_BUF_INIT;
	/* the cut never splits a character: 'é' straddles byte 4 */
	assert_int_equal(fm_esc_text_capped(&b, LIT("abc\xc3\xa9xyz"), 4), 0);
	assert_string_equal(b.data, "abc... (5 more bytes)");
	fm_buf_reset(&b);
	assert_int_equal(fm_esc_text_capped(&b, LIT("abc"), 4), 0);
	assert_string_equal(b.data, "abc");
	fm_buf_reset(&b);
	assert_int_equal(fm_esc_lines(&b, "one\033\ntwo\n\n", "  "), 0);
	assert_string_equal(b.data, "one\\x1b\n  two");
	fm_buf_reset(&b);
	/* a text of many short lines stops after FM_TEXT_LINES_CAP bytes */
	fm_buf many = FM_BUF_INIT;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(fm_buf_adds(&many, "0123456789\n"), 0);
	fm_buf_reset(&b);
	assert_int_equal(fm_esc_lines(&b, many.data, ""), 0);
	assert_true(b.len < FM_TEXT_LINES_CAP + 100);
	assert_non_null(strstr(b.data, "more lines)"));
	fm_buf_release(&many);
	fm_buf_reset(&b);
	assert_int_equal(fm_esc_addf(&b, "key %s = %d", "k\007", 5), 0);
	assert_string_equal(b.data, "key k\\x07 = 5");
	fm_buf_release(&b);
}

static void test_json(void **state)
{
	(void)state;
	expect_json(LIT("q\"b\\n\nt\tr\r\033\000\177"), "q\\\"b\\\\n\\nt\\tr\\r\\u001b\\u0000\\u007f");
	/* valid UTF-8 passes; C1 and bidi controls as \u escapes */
	expect_json(LIT("caf\xc3\xa9\xc2\x9b\xe2\x80\xae"), "caf\xc3\xa9\\u009b\\u202e");
	/* every byte that is not UTF-8 becomes U+FFFD */
	expect_json(LIT("0.4\xff\xfe|\xc0\xaf|\xed\xa0\x80"),
		    "0.4\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void expect_html(const char *in, size_t n, const char *want)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_esc_html(&b, in, n), 0);
	assert_string_equal(b.data, want);
	fm_buf_release(&b);
}

static void test_html(void **state)
{
	(void)state;
	/* markup becomes entities; a backslash passes (already-escaped log text keeps its look) */
	expect_html(LIT("<script>alert('x')</script> & \"q\" \\x1b"),
		    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \\x1b");
	/* controls, bidi override, a surrogate and a stray byte: visible \xNN, never raw */
	expect_html(LIT("a\033[31m\000\t\xe2\x80\xae\xed\xa0\x80\xff\xc3\xa9"),
		    "a\\x1b[31m\\x00\\t\\xe2\\x80\\xae\\xed\\xa0\\x80\\xff\xc3\xa9");
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_esc_html_capped(&b, LIT("<<\xc3\xa9"), 3), 0);
	assert_string_equal(b.data, "&lt;&lt;...");
	assert_int_equal(fm_esc_htmls(&b, NULL), 0);
	assert_int_equal(fm_esc_htmls(&b, "&"), 0);
	assert_string_equal(b.data, "&lt;&lt;...&amp;");
	fm_buf_release(&b);
}

static void test_decode(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(fm_utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(fm_utf8_decode((const unsigned char *)"\xe0\x80\x80", 3, &cp), 0); /* overlong */
	assert_int_equal(fm_utf8_decode((const unsigned char *)"\xf0\x9f\x98", 3, &cp), 0); /* truncated */
	assert_int_equal(fm_utf8_decode((const unsigned char *)"\xf5\x80\x80\x80", 4, &cp), 0);
	assert_true(fm_cp_steers(0x85));
	assert_true(fm_cp_steers(0x2069));
	assert_false(fm_cp_steers(0xa0));
	assert_false(fm_cp_steers(0x2500));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_controls), cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_text_capped),   cmocka_unit_test(test_json),
		cmocka_unit_test(test_decode),      cmocka_unit_test(test_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
