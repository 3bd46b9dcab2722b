/* test_detect.c - encoding detection and conversion of detect.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "front/detect.h"
#include "stream/utf8.h"

static const char NOTICE[] =
	"关于进一步加强城市管理工作的通知\n"
	"各县区人民政府，市政府各部门：\n"
	"为深入推进经济发展和改革，提高政府服务质量，现将有关事项通知如下。\n"
	"一、明确责任单位。各部门要按照职责分工，认真组织实施，确保各项工作任务按时完成。\n"
	"二、加强监督检查。市政府将对各地区、各部门工作进展情况进行督查，及时通报结果。\n";

static const char NOTICE_TRADITIONAL[] =
	"關於進一步加強城市管理工作的通知\n"
	"各縣區人民政府，市政府各部門：\n"
	"為深入推進經濟發展和改革，提高政府服務質量，現將有關事項通知如下。\n"
	"一、明確責任單位。各部門要按照職責分工，認真組織實施，確保各項工作任務按時完成。\n"
	"二、加強監督檢查。市政府將對各地區、各部門工作進展情況進行督查，及時通報結果。\n"
	"三、做好宣傳引導。各地要充分利用報紙、電視、網路等多種方式，廣泛宣傳城市管理的重要意義，"
	"動員社會各方面力量積極參與，形成全社會共同關心、支持城市管理工作的良好氛圍。\n"
	"四、強化組織保障。各級政府要把城市管理工作列入重要議事日程，主要領導親自抓，"
	"分管領導具體抓，建立健全工作機制，落實經費保障，確保各項措施落到實處。\n";

/* Appends utf8 converted to the encoding to; every character must convert. */
static void encode(struct buf *out, const char *utf8, const char *to)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *in = (char *)utf8;
	size_t inleft = strlen(utf8);
	buf_grow(out, 4 * inleft + 16);
	char *o = out->s + out->len;
	size_t oleft = out->cap - out->len - 1;
	assert_int_equal(iconv(cd, &in, &inleft, &o, &oleft), 0);
	assert_int_equal(iconv(cd, NULL, NULL, &o, &oleft), 0);
	out->len = (size_t)(o - out->s);
	out->s[out->len] = '\0';
	iconv_close(cd);
}

/* Decodes, asserts success and returns the encoding found. */
static const char *decode_ok(const char *s, size_t n, const char *force, struct decoded *d)
{
	struct buf why = BUF_INIT;
	int rc = detect_decode(s, n, force, d, &why);
	if (rc != 0)
		fail_msg("detect_decode failed: %s", buf_str(&why));
	assert_string_equal(buf_str(&why), "");
	buf_free(&why);
	assert_non_null(d->encoding);
	return d->encoding;
}

/* Decodes, asserts failure and leaves the reason in why. */
static void decode_fails(const char *s, size_t n, const char *force, struct buf *why)
{
	struct decoded d;
	assert_int_equal(detect_decode(s, n, force, &d, why), -1);
	decoded_free(&d);
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count_replacements(const struct decoded *d)
{
	size_t k = 0;
	for (const char *p = buf_str(&d->text); (p = strstr(p, UTF8_REPLACEMENT)); p += 3)
		k++;
	return k;
}

static void test_detect_decode_reads_utf8(void **state)
{
	(void)state;
	struct decoded d;
	assert_string_equal(decode_ok(NOTICE, strlen(NOTICE), NULL, &d), "UTF-8");
	assert_string_equal(buf_str(&d.text), NOTICE);
	assert_int_equal(d.invalid, 0);
	assert_int_equal(d.has_bom, 0);
	decoded_free(&d);
}

static void test_detect_decode_reads_plain_ascii_as_utf8(void **state)
{
	(void)state;
	struct decoded d;
	const char *s = "Notice 2021\r\nline two\r\n";
	assert_string_equal(decode_ok(s, strlen(s), NULL, &d), "UTF-8");
	assert_string_equal(buf_str(&d.text), s);
	decoded_free(&d);
}

static void test_detect_decode_drops_utf8_bom_and_notes_it(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_adds(&in, "\xEF\xBB\xBF");
	buf_adds(&in, NOTICE);
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-8");
	assert_int_equal(d.has_bom, 1);
	assert_string_equal(buf_str(&d.text), NOTICE);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_reads_gb18030(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE, "GB18030");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "GB18030");
	assert_string_equal(buf_str(&d.text), NOTICE);
	assert_int_equal(d.invalid, 0);
	assert_int_equal(d.has_bom, 0);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_reads_gb18030_from_byte_literals(void **state)
{
	(void)state;
	/* 关于印发的通知 in GB18030 (GB2312 range), repeated over several lines. */
	const char gb[] = "\xB9\xD8\xD3\xDA\xD3\xA1\xB7\xA2\xB5\xC4\xCD\xA8\xD6\xAA\n"
			  "\xB9\xD8\xD3\xDA\xD3\xA1\xB7\xA2\xB5\xC4\xCD\xA8\xD6\xAA\n"
			  "\xB9\xD8\xD3\xDA\xD3\xA1\xB7\xA2\xB5\xC4\xCD\xA8\xD6\xAA\n";
	struct decoded d;
	assert_string_equal(decode_ok(gb, sizeof gb - 1, NULL, &d), "GB18030");
	assert_string_equal(buf_str(&d.text), "关于印发的通知\n关于印发的通知\n关于印发的通知\n");
	decoded_free(&d);
}

static void test_detect_decode_reads_a_long_gb18030_text_whole(void **state)
{
	(void)state;
	struct buf utf8 = BUF_INIT, in = BUF_INIT;
	for (int i = 0; i < 400; i++)
		buf_adds(&utf8, NOTICE); /* beyond the detection sample */
	encode(&in, buf_str(&utf8), "GB18030");
	assert_true(in.len > 65536);
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "GB18030");
	assert_int_equal(d.text.len, utf8.len);
	assert_string_equal(buf_str(&d.text), buf_str(&utf8));
	assert_int_equal(d.invalid, 0);
	decoded_free(&d);
	buf_free(&in);
	buf_free(&utf8);
}

static void test_detect_decode_reads_utf16le_with_bom(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_add(&in, "\xFF\xFE", 2);
	encode(&in, NOTICE, "UTF-16LE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16LE");
	assert_int_equal(d.has_bom, 1);
	assert_string_equal(buf_str(&d.text), NOTICE);
	assert_int_equal(d.invalid, 0);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_reads_utf16be_with_bom(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_add(&in, "\xFE\xFF", 2);
	encode(&in, NOTICE, "UTF-16BE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16BE");
	assert_int_equal(d.has_bom, 1);
	assert_string_equal(buf_str(&d.text), NOTICE);
	decoded_free(&d);
	buf_free(&in);
}

/* Mostly ASCII digits, CJK and newlines, as a table-like notice. */
static const char UTF16_TEXT[] = "2021年6月30日前\n"
				 "关于印发方案的通知\n"
				 "No. 23 (2021)\n"
				 "市财政局、市审计局\n"
				 "完成时限: 2021年12月\n";

static void test_detect_decode_guesses_utf16le_without_bom(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, UTF16_TEXT, "UTF-16LE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16LE");
	assert_int_equal(d.has_bom, 0);
	assert_string_equal(buf_str(&d.text), UTF16_TEXT);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_guesses_utf16be_without_bom(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, UTF16_TEXT, "UTF-16BE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16BE");
	assert_string_equal(buf_str(&d.text), UTF16_TEXT);
	decoded_free(&d);
	buf_free(&in);
}

/*
 * BUG (detection limit): UTF-16 without a BOM is recognised only from its
 * NUL bytes, so a notice of ordinary Chinese lines (few ASCII characters,
 * under 5% NUL bytes) is refused: NOTICE as UTF-16LE without BOM gives
 * "not a text notice: binary data at byte 8 ..." (UTF-16BE: "at byte 9"),
 * expected encoding "UTF-16LE" and the text. Remove the skip() when
 * utf16_guess also weighs the CJK high bytes.
 */
static void test_detect_decode_guesses_chinese_utf16le_without_bom(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE, "UTF-16LE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16LE");
	assert_string_equal(buf_str(&d.text), NOTICE);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_reads_traditional_big5(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE_TRADITIONAL, "BIG5");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "BIG5");
	assert_string_equal(buf_str(&d.text), NOTICE_TRADITIONAL);
	assert_int_equal(d.invalid, 0);
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_reads_traditional_gbk_text_as_gb18030(void **state)
{
	(void)state;
	/* Traditional characters exist in GB18030 too: the encoding decides. */
	struct buf in = BUF_INIT;
	encode(&in, NOTICE_TRADITIONAL, "GB18030");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "GB18030");
	assert_string_equal(buf_str(&d.text), NOTICE_TRADITIONAL);
	decoded_free(&d);
	buf_free(&in);
}

/* 20 KB of ASCII (an English header, a page's markup) before the Chinese. */
static void ascii_then(struct buf *in, const char *utf8, const char *enc)
{
	buf_reset(in);
	for (int i = 0; i < 400; i++)
		buf_adds(in, "Issued by the city government office, for public release.\n");
	encode(in, utf8, enc);
}

/* The legacy encoding was chosen on the first 16 KB: after 20 KB of ASCII
 * the sample held no Chinese and Big5 text was read as GB18030 garbage.
 * The sample starts where the Chinese does now. */
static void test_detect_decode_reads_big5_after_a_long_ascii_header(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	struct decoded d;
	ascii_then(&in, NOTICE_TRADITIONAL, "BIG5");
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "BIG5");
	assert_non_null(strstr(buf_str(&d.text), NOTICE_TRADITIONAL));
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_legacy_tells_gb18030_from_big5_or_says_it_cannot(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	ascii_then(&in, NOTICE_TRADITIONAL, "BIG5");
	assert_string_equal(detect_legacy(in.s, in.len), "BIG5");
	ascii_then(&in, NOTICE, "GB18030");
	assert_string_equal(detect_legacy(in.s, in.len), "GB18030");
	ascii_then(&in, "通知", "GB18030"); /* two characters tell nothing */
	assert_null(detect_legacy(in.s, in.len));
	assert_null(detect_legacy("plain ASCII", 11));
	buf_free(&in);
}

/* detect_check() decides as detect_decode() does, without the text; the
 * text then comes piece by piece from detect_append(). */
static void test_detect_check_and_append_give_what_detect_decode_gives(void **state)
{
	(void)state;
	static const char *const FILES[] = {
		"tests/fixtures/bad/gb18030_invalid.txt",
		"tests/fixtures/bad/utf8_invalid.txt",
		"tests/fixtures/bad/truncated_utf8.txt",
		"tests/fixtures/bad/big5.txt",
		"tests/fixtures/bad/utf16le_nobom.txt",
		"tests/fixtures/bad/random.bin",
		"tests/fixtures/bad/nul_bytes.txt",
		"samples/hy_2021_gb18030.txt",
		"samples/lc_2019_utf8bom.txt",
		"samples/qy_2022_utf16le.txt",
		NULL,
	};
	for (size_t i = 0; FILES[i]; i++) {
		struct buf data = BUF_INIT, why1 = BUF_INIT, why2 = BUF_INIT;
		FILE *f = fopen(FILES[i], "rb");
		assert_non_null(f);
		char chunk[4096];
		size_t k;
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&data, chunk, k);
		fclose(f);
		struct decoded whole, check, pieces = {0};
		int rc1 = detect_decode(data.s, data.len, NULL, &whole, &why1);
		int rc2 = detect_check(data.s, data.len, NULL, &check, &why2);
		if (rc1 < 0 && strcmp(buf_str(&why1), "no text in the notice") != 0) {
			assert_int_equal(rc2, -1);
			assert_string_equal(buf_str(&why2), buf_str(&why1));
		} else {
			assert_int_equal(rc2, 0);
			assert_string_equal(check.encoding, whole.encoding);
			assert_int_equal(check.invalid, whole.invalid);
			assert_int_equal(check.first_invalid, whole.first_invalid);
			assert_int_equal(check.text.len, 0);
			/* pieces ending before line ends (every other byte for UTF-16) */
			size_t at = check.has_bom
					    ? (strncmp(check.encoding, "UTF-16", 6) == 0 ? 2 : 3)
					    : 0;
			while (at < data.len) {
				size_t end = at + 100 < data.len ? at + 100 : data.len;
				if (strncmp(check.encoding, "UTF-16", 6) == 0)
					end -= (end - at) % 2;
				else
					while (end < data.len && data.s[end] != '\n')
						end++;
				detect_append(data.s + at, end - at, at, check.encoding, &pieces);
				at = end;
			}
			if (rc1 == 0) {
				assert_string_equal(buf_str(&pieces.text), buf_str(&whole.text));
				assert_int_equal(pieces.invalid, whole.invalid);
			}
		}
		decoded_free(&whole);
		decoded_free(&check);
		decoded_free(&pieces);
		buf_free(&data);
		buf_free(&why1);
		buf_free(&why2);
	}
}

static void test_detect_invalid_counts_without_the_text(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE, "GB18030");
	size_t first = 99;
	assert_int_equal(detect_invalid(in.s, in.len, "GB18030", &first), 0);
	assert_int_equal(first, 0);
	assert_true(detect_invalid(in.s, in.len, "UTF-8", &first) > 10);
	assert_true(first < 4);
	assert_int_equal(detect_invalid(in.s, in.len, "NO-SUCH-ENCODING", NULL), (size_t)-1);
	assert_string_equal(detect_encoding(in.s, in.len), "GB18030");
	assert_string_equal(detect_encoding(NOTICE, strlen(NOTICE)), "UTF-8");
	buf_free(&in);
}

static void test_detect_decode_refuses_empty_input(void **state)
{
	(void)state;
	struct buf why = BUF_INIT;
	decode_fails("", 0, NULL, &why);
	assert_string_equal(buf_str(&why), "empty file");
	buf_free(&why);
}

static void test_detect_decode_refuses_png_image(void **state)
{
	(void)state;
	const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
	struct buf why = BUF_INIT;
	decode_fails(png, sizeof png - 1, NULL, &why);
	assert_string_equal(buf_str(&why), "not a text notice: PNG image");
	buf_free(&why);
}

static void test_detect_decode_refuses_docx_zip_and_pdf(void **state)
{
	(void)state;
	struct buf why = BUF_INIT;
	decode_fails("PK\x03\x04\x14\0\x06\0", 8, NULL, &why);
	assert_string_equal(buf_str(&why), "not a text notice: zip archive (a .docx or .xlsx?)");
	buf_reset(&why);
	decode_fails("%PDF-1.7\n", 9, NULL, &why);
	assert_string_equal(buf_str(&why), "not a text notice: PDF document");
	buf_reset(&why);
	decode_fails("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, NULL, &why);
	assert_string_equal(buf_str(&why), "not a text notice: OLE document (a .doc or .wps?)");
	buf_free(&why);
}

static void test_detect_decode_refuses_random_binary_data(void **state)
{
	(void)state;
	char data[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof data; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (char)(x >> 16);
	}
	data[0] = 0x01; /* not a magic number nor a BOM */
	struct buf why = BUF_INIT;
	decode_fails(data, sizeof data, NULL, &why);
	assert_true(has_prefix(buf_str(&why), "not a text notice: binary data at byte "));
	assert_non_null(strstr(buf_str(&why), "--from"));
	buf_free(&why);
}

static void test_detect_decode_refuses_text_with_many_control_bytes(void **state)
{
	(void)state;
	char data[200];
	memset(data, 'a', sizeof data);
	for (size_t i = 50; i < sizeof data; i += 5)
		data[i] = '\x02';
	struct buf why = BUF_INIT;
	decode_fails(data, sizeof data, NULL, &why);
	assert_string_equal(buf_str(&why),
			    "not a text notice: binary data at byte 50 (if it is text, "
			    "name its encoding with --from)");
	buf_free(&why);
}

static void test_detect_decode_accepts_a_few_control_bytes(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_adds(&in, NOTICE);
	buf_adds(&in, "\x0C\x01\x1A");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-8");
	assert_int_equal(d.text.len, in.len);
	decoded_free(&d);
	buf_free(&in);
}

/*
 * BUG: "binary data at byte N" gives an offset in the converted text, not
 * in the file (and looks_binary compares it with first_invalid, which is a
 * file offset). UTF-8 BOM + "abc" + 20 x 0x01: the first control byte is
 * file byte 6, the message says "at byte 3". GB18030 "关于印发的通知"
 * (14 bytes) + 20 x 0x01: file byte 14, the message says "at byte 21".
 * Remove the skip() when detect.c reports file offsets.
 */
static void test_detect_decode_binary_offset_is_a_file_offset(void **state)
{
	(void)state;
	struct buf in = BUF_INIT, why = BUF_INIT;
	buf_adds(&in, "\xEF\xBB\xBF"
		      "abc");
	for (int i = 0; i < 20; i++)
		buf_addc(&in, '\x01');
	decode_fails(in.s, in.len, NULL, &why);
	assert_true(has_prefix(buf_str(&why), "not a text notice: binary data at byte 6 "));
	buf_reset(&in);
	buf_reset(&why);
	buf_adds(&in, "\xB9\xD8\xD3\xDA\xD3\xA1\xB7\xA2\xB5\xC4\xCD\xA8\xD6\xAA");
	for (int i = 0; i < 20; i++)
		buf_addc(&in, '\x01');
	decode_fails(in.s, in.len, NULL, &why);
	assert_true(has_prefix(buf_str(&why), "not a text notice: binary data at byte 14 "));
	buf_free(&in);
	buf_free(&why);
}

static void test_detect_decode_replaces_and_counts_invalid_gb18030_bytes(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, "关于进一步加强城市管理工作的通知\n各县区人民政府：", "GB18030");
	size_t at = in.len;
	buf_addc(&in, '\xFF');
	encode(&in, "为深入推进经济发展和改革，现将有关事项通知如下。\n", "GB18030");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "GB18030");
	assert_int_equal(d.invalid, 1);
	assert_int_equal(d.first_invalid, at);
	assert_string_equal(buf_str(&d.text),
			    "关于进一步加强城市管理工作的通知\n各县区人民政府：" UTF8_REPLACEMENT
			    "为深入推进经济发展和改革，现将有关事项通知如下。\n");
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_counts_truncated_gb18030_at_end_once(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE, "GB18030");
	size_t at = in.len;
	buf_addc(&in, '\xB9'); /* first byte of 关 */
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "GB18030");
	assert_int_equal(d.invalid, 1);
	assert_int_equal(d.first_invalid, at);
	assert_true(str_ends(buf_str(&d.text), "\n" UTF8_REPLACEMENT));
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_replaces_truncated_utf8_at_end_once(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_adds(&in, NOTICE);
	size_t at = in.len;
	buf_add(&in, "\xE4\xB8", 2); /* 中 without its last byte */
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-8");
	assert_int_equal(d.invalid, 1);
	assert_int_equal(d.first_invalid, at);
	assert_int_equal(count_replacements(&d), 1);
	assert_true(has_prefix(buf_str(&d.text), NOTICE));
	assert_true(str_ends(buf_str(&d.text), UTF8_REPLACEMENT));
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_counts_invalid_utf8_bytes_with_file_offsets(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_adds(&in, "\xEF\xBB\xBF");
	buf_adds(&in, NOTICE);
	size_t at = in.len;
	buf_addc(&in, '\xFF');
	buf_adds(&in, "附件\n");
	buf_addc(&in, '\xFE');
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-8");
	assert_int_equal(d.invalid, 2);
	assert_int_equal(d.first_invalid, at);
	assert_int_equal(count_replacements(&d), 2);
	assert_non_null(strstr(buf_str(&d.text), UTF8_REPLACEMENT "附件\n" UTF8_REPLACEMENT));
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_counts_invalid_utf16_with_file_offsets(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_add(&in, "\xFF\xFE", 2);
	encode(&in, "关于印发的通知\n", "UTF-16LE");
	size_t at = in.len;
	/* Adjacent literals end a \x escape: clang-format 14 would break them apart. */
	/* clang-format off */
	buf_add(&in, "\x00\xD8" "A\0", 4); /* a lone high surrogate, then A */
	/* clang-format on */
	encode(&in, "完成\n", "UTF-16LE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, NULL, &d), "UTF-16LE");
	assert_int_equal(d.invalid, 1);
	assert_int_equal(d.first_invalid, at);
	assert_string_equal(buf_str(&d.text), "关于印发的通知\n" UTF8_REPLACEMENT "A完成\n");
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_refuses_only_whitespace(void **state)
{
	(void)state;
	const char *s = " \n\t\r\n\u3000\xC2\xA0\n\xEF\xBB\xBF  \n";
	struct buf why = BUF_INIT;
	decode_fails(s, strlen(s), NULL, &why);
	assert_string_equal(buf_str(&why), "no text in the notice");
	buf_free(&why);
}

static void test_detect_decode_uses_the_forced_encoding(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	encode(&in, NOTICE, "GB18030");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, "GB18030", &d), "GB18030");
	assert_string_equal(buf_str(&d.text), NOTICE);
	decoded_free(&d);
	/* Forced, Big5 bytes are read as Big5 whatever they look like. */
	buf_reset(&in);
	encode(&in, "關於通知", "BIG5");
	assert_string_equal(decode_ok(in.s, in.len, "BIG5", &d), "BIG5");
	assert_string_equal(buf_str(&d.text), "關於通知");
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_forced_encoding_keeps_the_bom_as_text(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_add(&in, "\xFF\xFE", 2);
	encode(&in, "通知", "UTF-16LE");
	struct decoded d;
	assert_string_equal(decode_ok(in.s, in.len, "UTF-16LE", &d), "UTF-16LE");
	assert_int_equal(d.has_bom, 0);
	assert_string_equal(buf_str(&d.text), "\xEF\xBB\xBF通知");
	decoded_free(&d);
	buf_free(&in);
}

static void test_detect_decode_forced_encoding_skips_the_magic_check(void **state)
{
	(void)state;
	const char *s = "%PDF is how the notice starts";
	struct decoded d;
	assert_string_equal(decode_ok(s, strlen(s), "UTF-8", &d), "UTF-8");
	assert_string_equal(buf_str(&d.text), s);
	decoded_free(&d);
}

static void test_detect_decode_refuses_unknown_forced_encoding(void **state)
{
	(void)state;
	struct buf why = BUF_INIT;
	decode_fails("abc", 3, "NO-SUCH-ENCODING", &why);
	assert_string_equal(buf_str(&why), "unknown encoding 'NO-SUCH-ENCODING' (see iconv -l)");
	buf_free(&why);
}

static void test_decoded_free_of_failed_decode_is_safe(void **state)
{
	(void)state;
	struct decoded d;
	struct buf why = BUF_INIT;
	assert_int_equal(detect_decode("", 0, NULL, &d, &why), -1);
	decoded_free(&d);
	decoded_free(&d);
	assert_null(d.text.s);
	buf_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_decode_reads_utf8),
		cmocka_unit_test(test_detect_decode_reads_plain_ascii_as_utf8),
		cmocka_unit_test(test_detect_decode_drops_utf8_bom_and_notes_it),
		cmocka_unit_test(test_detect_decode_reads_gb18030),
		cmocka_unit_test(test_detect_decode_reads_gb18030_from_byte_literals),
		cmocka_unit_test(test_detect_decode_reads_a_long_gb18030_text_whole),
		cmocka_unit_test(test_detect_decode_reads_utf16le_with_bom),
		cmocka_unit_test(test_detect_decode_reads_utf16be_with_bom),
		cmocka_unit_test(test_detect_decode_guesses_utf16le_without_bom),
		cmocka_unit_test(test_detect_decode_guesses_utf16be_without_bom),
		cmocka_unit_test(test_detect_decode_guesses_chinese_utf16le_without_bom),
		cmocka_unit_test(test_detect_decode_reads_traditional_big5),
		cmocka_unit_test(test_detect_decode_reads_traditional_gbk_text_as_gb18030),
		cmocka_unit_test(test_detect_decode_refuses_empty_input),
		cmocka_unit_test(test_detect_decode_refuses_png_image),
		cmocka_unit_test(test_detect_decode_refuses_docx_zip_and_pdf),
		cmocka_unit_test(test_detect_decode_refuses_random_binary_data),
		cmocka_unit_test(test_detect_decode_refuses_text_with_many_control_bytes),
		cmocka_unit_test(test_detect_decode_accepts_a_few_control_bytes),
		cmocka_unit_test(test_detect_decode_binary_offset_is_a_file_offset),
		cmocka_unit_test(test_detect_decode_replaces_and_counts_invalid_gb18030_bytes),
		cmocka_unit_test(test_detect_decode_counts_truncated_gb18030_at_end_once),
		cmocka_unit_test(test_detect_decode_replaces_truncated_utf8_at_end_once),
		cmocka_unit_test(test_detect_decode_counts_invalid_utf8_bytes_with_file_offsets),
		cmocka_unit_test(test_detect_decode_counts_invalid_utf16_with_file_offsets),
		cmocka_unit_test(test_detect_decode_refuses_only_whitespace),
		cmocka_unit_test(test_detect_decode_uses_the_forced_encoding),
		cmocka_unit_test(test_detect_decode_forced_encoding_keeps_the_bom_as_text),
		cmocka_unit_test(test_detect_decode_forced_encoding_skips_the_magic_check),
		cmocka_unit_test(test_detect_decode_refuses_unknown_forced_encoding),
		cmocka_unit_test(test_decoded_free_of_failed_decode_is_safe),
		cmocka_unit_test(test_detect_decode_reads_big5_after_a_long_ascii_header),
		cmocka_unit_test(test_detect_legacy_tells_gb18030_from_big5_or_says_it_cannot),
		cmocka_unit_test(test_detect_check_and_append_give_what_detect_decode_gives),
		cmocka_unit_test(test_detect_invalid_counts_without_the_text),
	};
	return cmocka_run_group_tests_name("detect", tests, NULL, NULL);
}
