/*
 * test_front.c - notices as .docx, HTML, .doc and PDF: front.c, docx*.c,
 * html*.c, table.c and convert.c.
 *
 * Fixtures are read from tests/fixtures/formats (the tests run from the top
 * of the tree, as make unit does). Tests of a converter that is not
 * installed are skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "front/convert.h"
#include "front/docx.h"
#include "front/front.h"
#include "front/guard.h"
#include "front/html.h"
#include "front/table.h"
#include "stream/utf8.h"

#define FORMATS "tests/fixtures/formats/"

static void read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: %s (run the tests from the top of the tree)", path,
			 strerror(errno));
	char chunk[65536];
	size_t k;
	buf_reset(out);
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, k);
	fclose(f);
}

/* The .docx (zip archive) of parts (name, content, ..., NULL) into out. */
static void make_zip(struct buf *out, ...);

/* ---- bounds: work and memory measured in a child process ---- */

/* Under valgrind or AddressSanitizer memory is not what the program uses. */
static int instrumented(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#else
	const char *pre = getenv("LD_PRELOAD");
	return pre && strstr(pre, "vgpreload") != NULL;
#endif
}

static long resident_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

struct bounded {
	long cpu_s;   /* CPU seconds allowed (RLIMIT_CPU), scaled up when instrumented */
	long grew_kb; /* out: how much the peak RSS grew while fn ran */
	int rc;       /* out: what fn returned */
};

/*
 * Runs fn(arg) in a child process limited to b->cpu_s seconds of CPU (a
 * quadratic path is killed by SIGXCPU, which fails the test), and reports
 * fn's return value and how far its peak resident memory grew.
 */
static void run_bounded(int (*fn)(void *), void *arg, struct bounded *b, const char *what)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		long cpu = b->cpu_s * (instrumented() ? 30 : 1);
		struct rlimit rl = {(rlim_t)cpu, (rlim_t)cpu + 1};
		setrlimit(RLIMIT_CPU, &rl);
		/* Free memory the parent left resident would be reused unseen. */
		malloc_trim(0);
		long before = resident_kb();
		int rc = fn(arg);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		long out[2] = {rc, ru.ru_maxrss - before};
		_exit(write(fd[1], out, sizeof out) == (ssize_t)sizeof out ? 0 : 3);
	}
	close(fd[1]);
	long got[2] = {0, 0};
	ssize_t k = read(fd[0], got, sizeof got);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (k != (ssize_t)sizeof got)
		fail_msg("%s: %s %d%s", what,
			 WIFSIGNALED(status) ? "killed by signal" : "exit status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			 WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU
				 ? " (over the CPU limit)"
				 : "");
	b->rc = (int)got[0];
	b->grew_kb = got[1];
}

/* Memory a reader may take beyond the file: GUARD_HELD_RATIO times it plus
 * the base, and room for libxml2's buffers and the allocator. */
static long allowed_kb(size_t file)
{
	return (long)((GUARD_HELD_RATIO * file + GUARD_HELD_BASE) / 1024) + 16 * 1024;
}

static void make_zip(struct buf *out, ...)
{
	char path[] = "/tmp/test_front-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(zf);
	va_list ap;
	va_start(ap, out);
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *content = va_arg(ap, const char *);
		assert_int_equal(zipOpenNewFileInZip64(zf, name, NULL, NULL, 0, NULL, 0, NULL,
						       Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0),
				 ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(zf, content, (unsigned)strlen(content)),
				 ZIP_OK);
		assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
	}
	va_end(ap);
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
	read_file(path, out);
	unlink(path);
}

/* XML from pieces and macros, laid out by hand: clang-format 14 cannot. */
/* clang-format off */
#define W_DOC_OPEN                                                                           \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"                      \
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">" \
	"<w:body>"
#define W_DOC_CLOSE "</w:body></w:document>"
#define W_NUMBERING_OPEN                                                                     \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                         \
	"<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"

/* A paragraph of plain text, and one numbered with numId 1 at level ilvl. */
#define P(text) "<w:p><w:r><w:t>" text "</w:t></w:r></w:p>"
#define NP(ilvl, text)                                                                       \
	"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" #ilvl "\"/>"                                 \
	"<w:numId w:val=\"1\"/></w:numPr></w:pPr>"                                           \
	"<w:r><w:t>" text "</w:t></w:r></w:p>"
#define LVL(ilvl, start, fmt, text)                                                         \
	"<w:lvl w:ilvl=\"" #ilvl "\"><w:start w:val=\"" #start "\"/><w:numFmt w:val=\"" fmt  \
	"\"/><w:lvlText w:val=\"" text "\"/></w:lvl>"
/* clang-format on */

/* The text of a .docx built from a body and (or NULL) the levels of abstract list 0. */
static int docx_of(const char *body, const char *levels, struct buf *text, struct buf *why)
{
	struct buf zip = BUF_INIT, doc = BUF_INIT, num = BUF_INIT;
	buf_adds(&doc, W_DOC_OPEN);
	buf_adds(&doc, body);
	buf_adds(&doc, W_DOC_CLOSE);
	if (levels) {
		buf_adds(&num, W_NUMBERING_OPEN "<w:abstractNum w:abstractNumId=\"0\">");
		buf_adds(&num, levels);
		buf_adds(&num, "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/>"
			       "</w:num></w:numbering>");
		make_zip(&zip, "[Content_Types].xml", "<Types/>", "word/document.xml", doc.s,
			 "word/numbering.xml", num.s, NULL);
	} else {
		make_zip(&zip, "[Content_Types].xml", "<Types/>", "word/document.xml", doc.s, NULL);
	}
	int rc = docx_text(zip.s, zip.len, text, why);
	buf_free(&zip);
	buf_free(&doc);
	buf_free(&num);
	return rc;
}

static void assert_docx_text(const char *body, const char *levels, const char *want)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	if (docx_of(body, levels, &text, &why) != 0)
		fail_msg("docx_text failed: %s", buf_str(&why));
	assert_string_equal(buf_str(&text), want);
	buf_free(&text);
	buf_free(&why);
}

static int has_line(const char *text, const char *line)
{
	size_t k = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[k] == '\n' || p[k] == '\0'))
			return 1;
	return 0;
}

/* Every line normalised as decode does, blank lines included. */
static void normalised_lines(const char *text, struct buf *out)
{
	size_t n = strlen(text);
	buf_reset(out);
	for (const char *s = text, *end = text + n; s < end;) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t len = eol ? (size_t)(eol - s) : (size_t)(end - s);
		utf8_normalise(out, s, len);
		buf_addc(out, '\n');
		s += len + 1;
	}
}

static void assert_clean_utf8(const struct buf *b)
{
	size_t bad;
	assert_true(utf8_valid(buf_str(b), b->len, &bad));
	assert_null(memchr(buf_str(b), '\0', b->len));
}

/* ---- docx ---- */

static void test_docx_sample_gives_the_text_notice_line_for_line(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, txt = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "sample_hy.docx", &data);
	read_file("tests/fixtures/notices/sample_hy.txt", &txt);
	assert_int_equal(docx_text(data.s, data.len, &text, &why), 0);
	assert_string_equal(buf_str(&text), buf_str(&txt));
	buf_free(&data);
	buf_free(&txt);
	buf_free(&text);
	buf_free(&why);
}

static const char NUMBERED[] =
	"河政发〔2022〕5号\n河阳市人民政府\n关于加快数字政府建设的实施意见\n\n"
	"各县区人民政府，市政府各部门：\n\n"
	"为加快推进数字政府建设，提升政府治理能力和服务水平，结合我市实际，提出如下实施意见。\n\n"
	"一、总体要求\n"
	"到2023年，全市政务服务事项网上可办率达到98%以上，基本建成整体协同、高效运行的数字政府。\n\n"
	"二、主要任务\n"
	"（一）夯实数字基础设施。推进政务云平台扩容升级，2022年底前完成市级部门业务系统迁移上云。\n"
	"牵头领导：李 明\n牵头单位：市大数据局\n配合单位：市财政局、市发展改革委\n\n"
	"（二）推进政务数据共享。\n"
	"1.建设全市统一的数据共享交换平台，2022年6月底前接入全部市级部门。\n"
	"牵头领导：李 明\n牵头单位：市大数据局\n配合单位：各县区人民政府\n\n"
	"2.完善公共数据开放目录，每年更新一次。\n"
	"牵头领导：李 明\n牵头单位：市大数据局\n配合单位：市市场监管局\n\n"
	"（三）提升政务服务效能。\n"
	"1.推行“一网通办”，2022年9月底前实现高频事项“掌上办”。\n"
	"牵头领导：王 强\n牵头单位：市政务服务管理局\n配合单位：各县区人民政府\n\n"
	"三、保障措施\n"
	"（一）加强组织领导。成立市数字政府建设领导小组，统筹推进各项工作。\n"
	"（二）强化考核督查。将数字政府建设纳入年度目标责任考核。\n\n"
	"2022年4月15日\n";

/*
 * The headings of numbered_headings.docx exist only as Word numbering:
 * levels 一、 （一） 1. from numbering.xml, level 1 also through the
 * Heading1 style, a second list of the same definition continuing the
 * first, lower levels restarting. Deleted and hidden runs are left out, a
 * w:br splits the line, a hyperlink's text stays.
 */
static void test_docx_automatic_numbering_becomes_visible_text(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "numbered_headings.docx", &data);
	assert_int_equal(docx_text(data.s, data.len, &text, &why), 0);
	assert_string_equal(buf_str(&text), NUMBERED);
	assert_null(strstr(buf_str(&text), "删去的文字"));
	assert_null(strstr(buf_str(&text), "隐藏"));
	buf_free(&data);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_number_formats_render_as_word_shows_them(void **state)
{
	(void)state;
	assert_docx_text(NP(0, "甲") NP(0, "乙"), LVL(0, 1, "ideographTraditional", "%1、"),
			 "甲、甲\n乙、乙\n");
	assert_docx_text(NP(0, "a") NP(0, "b"), LVL(0, 10, "chineseCounting", "%1、"),
			 "十、a\n十一、b\n");
	assert_docx_text(NP(0, "a"), LVL(0, 20, "chineseCountingThousand", "第%1条"),
			 "第二十条 a\n");
	assert_docx_text(NP(0, "a"), LVL(0, 105, "chineseCounting", "%1、"), "一百零五、a\n");
	assert_docx_text(NP(0, "a"), LVL(0, 3, "decimalEnclosedCircle", "%1"), "③a\n");
	assert_docx_text(NP(0, "a"), LVL(0, 4, "upperRoman", "%1."), "IV.a\n");
	assert_docx_text(NP(0, "a"), LVL(0, 28, "lowerLetter", "(%1)"), "(bb)a\n");
	assert_docx_text(NP(0, "a"), LVL(0, 7, "decimal", "%1"), "7 a\n");
	assert_docx_text(NP(0, "a") NP(1, "b") NP(1, "c") NP(0, "d") NP(1, "e"),
			 LVL(0, 1, "decimal", "%1.") LVL(1, 1, "decimal", "%1.%2"),
			 "1.a\n1.1 b\n1.2 c\n2.d\n2.1 e\n");
	assert_docx_text(NP(0, "a"), LVL(0, 1, "bullet", "\xEF\x82\xB7"), "a\n"); /* U+F0B7 */
	assert_docx_text(NP(0, "a"), LVL(0, 1, "none", ""), "a\n");
}

static void test_docx_paragraph_without_numbering_level_is_plain(void **state)
{
	(void)state;
	/* numId 1 has no definition at level 2; numId 0 switches numbering off. */
	assert_docx_text(NP(2, "a") "<w:p><w:pPr><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr>"
				    "<w:r><w:t>b</w:t></w:r></w:p>",
			 LVL(0, 1, "decimal", "%1."), "a\nb\n");
}

/* A list through the default paragraph style of styles.xml. */
static void test_docx_numbering_through_the_default_style(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	/* XML from pieces and macros, laid out by hand: clang-format 14 cannot. */
	/* clang-format off */
	make_zip(&zip, "word/document.xml", W_DOC_OPEN P("甲") P("乙") W_DOC_CLOSE,
		 "word/styles.xml",
		 "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		 "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:pPr><w:numPr>"
		 "<w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style></w:styles>",
		 "word/numbering.xml",
		 W_NUMBERING_OPEN "<w:abstractNum w:abstractNumId=\"0\">"
		 LVL(0, 1, "chineseCounting", "%1、") "</w:abstractNum><w:num w:numId=\"1\">"
		 "<w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
		 NULL);
	/* clang-format on */
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), 0);
	assert_string_equal(buf_str(&text), "一、甲\n二、乙\n");
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_runs_tabs_breaks_and_fields(void **state)
{
	(void)state;
	assert_docx_text("<w:p><w:r><w:t xml:space=\"preserve\">a </w:t><w:tab/><w:t>b</w:t>"
			 "<w:br/><w:t>c</w:t><w:br w:type=\"page\"/></w:r>"
			 "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
			 "<w:r><w:instrText> PAGE </w:instrText></w:r>"
			 "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
			 "<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
			 "<w:sdt><w:sdtContent><w:r><w:t>d</w:t></w:r></w:sdtContent></w:sdt>"
			 "<w:moveFrom><w:r><w:t>gone</w:t></w:r></w:moveFrom></w:p>",
			 NULL, "a \tb\nc7d\n");
}

static const char TABLE_TASKS[] =
	"二、重点任务分工\n重点任务分工表\n\n"
	"——推进政务云平台扩容升级，完成市级部门业务系统迁移上云。\n"
	"牵头单位：市大数据局\n配合单位：市财政局、市发展改革委\n完成时限：2022年底前\n"
	"牵头领导：李 明\n\n"
	"——建设全市统一的数据共享交换平台，接入全部市级部门。\n"
	"牵头单位：市大数据局\n配合单位：各县区人民政府\n完成时限：2022年6月底前\n"
	"牵头领导：李 明\n\n"
	"——推行“一网通办”，实现高频事项“掌上办”。\n"
	"牵头单位：市政务服务管理局\n配合单位：各县区人民政府、市市场监管局\n"
	"完成时限：2022年9月底前\n牵头领导：王 强\n\n"
	"——完善公共数据开放目录，每年更新一次。\n牵头单位：市大数据局\n牵头领导：李 明\n\n"
	"三、保障措施\n";

/*
 * table_tasks.docx: a title row, a header row repeated later, a lead unit
 * merged down two rows (vMerge), a cell of two paragraphs, empty cells.
 */
static void test_docx_division_table_becomes_task_blocks(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "table_tasks.docx", &data);
	assert_int_equal(docx_text(data.s, data.len, &text, &why), 0);
	assert_non_null(strstr(buf_str(&text), TABLE_TASKS));
	buf_free(&data);
	buf_free(&text);
	buf_free(&why);
}

#define TC(text) "<w:tc>" P(text) "</w:tc>"
#define TR(cells) "<w:tr>" cells "</w:tr>"

static void test_docx_table_group_rows_and_two_row_header(void **state)
{
	(void)state;
	/* XML from pieces and macros, laid out by hand: clang-format 14 cannot. */
	/* clang-format off */
	assert_docx_text(
		"<w:tbl>"
		TR(TC("序号") TC("工作任务") "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>" P("责任单位")
		   "</w:tc>" TC("完成时间"))
		TR(TC("") TC("") TC("牵头") TC("配合") TC(""))
		TR(TC("一") TC("优化营商环境") TC("") TC("") TC(""))
		TR(TC("1") TC("深化放管服改革") TC("市政务服务管理局") TC("市司法局") TC("2021年底前"))
		"</w:tbl>",
		NULL,
		"一、优化营商环境\n\n"
		"——深化放管服改革\n牵头单位：市政务服务管理局\n配合单位：市司法局\n"
		"完成时限：2021年底前\n\n");
	/* clang-format on */
}

static void test_docx_other_tables_give_a_line_per_row(void **state)
{
	(void)state;
	assert_docx_text("<w:tbl>" TR(TC("河政办〔2021〕23号") TC("签发人：张三"))
				 TR(TC("a") TC("")) "</w:tbl>",
			 NULL, "河政办〔2021〕23号  签发人：张三\na\n");
	/* A cell of several paragraphs keeps them as lines. */
	assert_docx_text("<w:tbl>" TR("<w:tc>" P("第一段") P("第二段") "</w:tc>") "</w:tbl>", NULL,
			 "第一段\n第二段\n");
}

static void test_docx_truncated_zip_fails_with_a_clear_reason(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "damaged_truncated.docx", &data);
	assert_int_equal(docx_text(data.s, data.len, &text, &why), -1);
	assert_string_equal(
		buf_str(&why),
		"damaged .docx: truncated or corrupt zip archive (no central directory)");
	buf_free(&data);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_without_document_xml_fails_with_a_clear_reason(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "damaged_no_document.docx", &data);
	assert_int_equal(docx_text(data.s, data.len, &text, &why), -1);
	assert_string_equal(buf_str(&why),
			    "damaged .docx: no word/document.xml in the zip archive");
	buf_free(&data);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_other_zip_archives_are_named(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	make_zip(&zip, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>", NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why), "not a text notice: an Excel workbook (.xlsx)");
	buf_reset(&why);
	make_zip(&zip, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<x/>",
		 NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why),
			    "an OpenDocument file (.odt) is not read: save it as .docx");
	buf_reset(&why);
	make_zip(&zip, "a.txt", "hello", NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why),
			    "not a text notice: zip archive without word/document.xml");
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_malformed_xml_fails_with_its_line(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	make_zip(&zip, "word/document.xml", W_DOC_OPEN "\n<w:p><w:r><w:t>a</w:r></w:p>" W_DOC_CLOSE,
		 NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_true(str_starts(buf_str(&why),
			       "damaged .docx: word/document.xml: XML error at line 2: "));
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_refuses_a_dtd_with_entities(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	make_zip(&zip, "word/document.xml",
		 "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">"
		 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><d>&b;</d>",
		 NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why),
			    "damaged .docx: word/document.xml declares a DTD (refused)");
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

static void test_docx_refuses_an_entry_over_64_mb(void **state)
{
	(void)state;
	struct buf big = BUF_INIT, zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	buf_adds(&big, W_DOC_OPEN "<w:p><w:r><w:t>");
	buf_grow(&big, DOCX_MAX_ENTRY);
	memset(big.s + big.len, ' ', DOCX_MAX_ENTRY);
	big.len += DOCX_MAX_ENTRY;
	buf_adds(&big, "</w:t></w:r></w:p>" W_DOC_CLOSE);
	make_zip(&zip, "word/document.xml", big.s, NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_true(str_starts(buf_str(&why), "word/document.xml is "));
	assert_true(str_ends(buf_str(&why), " bytes unpacked, over the limit of 64 MB: refused"));
	assert_int_equal(text.len, 0);
	buf_free(&big);
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

/* Every prefix and many one-byte corruptions of a real .docx: an answer, never a crash. */
static void test_docx_survives_truncation_and_corruption(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "numbered_headings.docx", &data);
	for (size_t n = 0; n < data.len; n += 7) {
		buf_reset(&text);
		buf_reset(&why);
		int rc = docx_text(data.s, n, &text, &why);
		assert_true(rc == 0 || (rc == -1 && why.len > 0));
	}
	uint32_t x = 7;
	for (int i = 0; i < 400; i++) {
		x = x * 1103515245u + 12345u;
		size_t at = (x >> 8) % data.len;
		char was = data.s[at];
		data.s[at] = (char)(x >> 24);
		buf_reset(&text);
		buf_reset(&why);
		int rc = docx_text(data.s, data.len, &text, &why);
		assert_true(rc == 0 || (rc == -1 && why.len > 0));
		if (rc == 0)
			assert_clean_utf8(&text);
		data.s[at] = was;
	}
	buf_free(&data);
	buf_free(&text);
	buf_free(&why);
}

/*
 * Text directly under the root of styles.xml (found by fuzz_docx) crashed
 * nm-decode: a text node's attributes were read where libxml2 keeps its
 * text (XML_PARSE_COMPACT). Text between definitions means nothing; an
 * attribute whose prefix is bound to no namespace is not w:ilvl.
 */
static void test_docx_text_between_definitions_is_ignored(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	/* XML from pieces and macros, laid out by hand: clang-format 14 cannot. */
	/* clang-format off */
	make_zip(&zip, "word/document.xml", W_DOC_OPEN NP(1, "甲") W_DOC_CLOSE, "word/styles.xml",
		 "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		 "style</w:styles>",
		 "word/numbering.xml",
		 W_NUMBERING_OPEN "text<w:abstractNum w:abstractNumId=\"0\">more"
		 LVL(0, 1, "decimal", "%1.")
		 "<w:lvl ww:ilvl=\"1\"><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%2)\"/></w:lvl>"
		 "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
		 "</w:numbering>",
		 NULL);
	/* clang-format on */
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), 0);
	assert_string_equal(buf_str(&text), "甲\n");
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

/* ---- docx: bounded work and memory ---- */

/* n lists, each of its own abstract definition, and one numbered paragraph per list. */
static void many_lists(size_t n, struct buf *zip)
{
	struct buf doc = BUF_INIT, num = BUF_INIT;
	buf_adds(&num, W_NUMBERING_OPEN);
	for (size_t i = 0; i < n; i++)
		buf_printf(&num, "<w:abstractNum w:abstractNumId=\"%zu\">%s</w:abstractNum>", i,
			   LVL(0, 1, "chineseCounting", "%1、"));
	for (size_t i = 0; i < n; i++)
		buf_printf(&num, "<w:num w:numId=\"%zu\"><w:abstractNumId w:val=\"%zu\"/></w:num>",
			   i + 1, i);
	buf_adds(&num, "</w:numbering>");
	buf_adds(&doc, W_DOC_OPEN);
	for (size_t i = 0; i < n; i++)
		buf_printf(&doc,
			   "<w:p><w:pPr><w:numPr><w:numId w:val=\"%zu\"/></w:numPr></w:pPr>"
			   "<w:r><w:t>任务</w:t></w:r></w:p>",
			   i + 1);
	buf_adds(&doc, W_DOC_CLOSE);
	make_zip(zip, "word/document.xml", doc.s, "word/numbering.xml", num.s, NULL);
	buf_free(&doc);
	buf_free(&num);
}

struct lines_want {
	const struct buf *zip;
	size_t lines;     /* the text must have this many lines */
	const char *each; /* every non-empty line must be this, when not NULL */
};

/* In the child: 0 when the .docx gives the lines wanted, 1 when refused, 2 other text. */
static int docx_lines(void *arg)
{
	const struct lines_want *w = arg;
	struct buf text = BUF_INIT, why = BUF_INIT;
	int rc = docx_text(w->zip->s, w->zip->len, &text, &why) == 0 ? 0 : 1;
	size_t lines = 0;
	for (const char *p = buf_str(&text), *nl; !rc && (nl = strchr(p, '\n')); p = nl + 1) {
		lines++;
		if (w->each && nl > p &&
		    ((size_t)(nl - p) != strlen(w->each) ||
		     memcmp(p, w->each, (size_t)(nl - p)) != 0))
			rc = 2;
	}
	buf_free(&text);
	buf_free(&why);
	return rc ? rc : lines == w->lines ? 0 : 2;
}

/*
 * 80,000 lists, each of its own definition, took 561 s (89 s here): every
 * list looked up its definition and the lists before it by scanning them.
 * The definitions are indexed now; a minute of CPU would still be too
 * much (the reading takes a fraction of a second).
 */
static void test_docx_80000_lists_are_read_in_linear_time(void **state)
{
	(void)state;
	size_t n = instrumented() ? 8000 : 80000;
	struct buf zip = BUF_INIT;
	many_lists(n, &zip);
	struct lines_want w = {&zip, n, "一、任务"};
	struct bounded b = {10, 0, 0};
	run_bounded(docx_lines, &w, &b, "80,000 lists");
	assert_int_equal(b.rc, 0);
	if (!instrumented() && b.grew_kb > allowed_kb(zip.len))
		fail_msg("80,000 lists: %ld KB for a file of %zu KB", b.grew_kb, zip.len / 1024);
	buf_free(&zip);
}

/* A document.xml of n empty paragraphs (6 bytes each) between two lines of text. */
static void empty_paragraphs(size_t n, struct buf *zip)
{
	struct buf doc = BUF_INIT;
	buf_adds(&doc, W_DOC_OPEN P("关于加强城市管理工作的通知"));
	buf_grow(&doc, 6 * n + 256);
	for (size_t i = 0; i < n; i++)
		memcpy(doc.s + doc.len + 6 * i, "<w:p/>", 6);
	doc.len += 6 * n;
	doc.s[doc.len] = '\0';
	buf_adds(&doc, P("2022年4月15日") W_DOC_CLOSE);
	make_zip(zip, "word/document.xml", doc.s, NULL);
	buf_free(&doc);
}

/*
 * A 100 KB .docx of empty paragraphs reached 1.5 GB: the whole document was
 * parsed into a tree of some 120 bytes per 6-byte paragraph. It is read as
 * a stream now, so memory follows the text: 12 MB of markup (2 million
 * paragraphs, a 12 KB file) stays within the bound.
 */
static void test_docx_memory_follows_the_text_not_the_markup(void **state)
{
	(void)state;
	size_t n = instrumented() ? 200000 : 2000000;
	struct buf zip = BUF_INIT;
	empty_paragraphs(n, &zip);
	struct lines_want w = {&zip, n + 2, NULL};
	struct bounded b = {20, 0, 0};
	run_bounded(docx_lines, &w, &b, "2 million empty paragraphs");
	assert_int_equal(b.rc, 0);
	if (!instrumented() && b.grew_kb > allowed_kb(zip.len))
		fail_msg("%zu paragraphs: %ld KB for a file of %zu KB (allowed %ld KB)", n,
			 b.grew_kb, zip.len / 1024, allowed_kb(zip.len));
	buf_free(&zip);
}

/* A part that unpacks to more than 200 times the file (plus 16 MB) is a zip bomb. */
static void test_docx_zip_bomb_is_refused_with_its_reason(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	empty_paragraphs(5000000, &zip); /* 30 MB of markup in some 30 KB */
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	if (!str_starts(buf_str(&why), "zip bomb: the .docx of ") ||
	    !str_ends(buf_str(&why), "(200 times its size plus 16 MB): refused"))
		fail_msg("why: %s", buf_str(&why));
	assert_int_equal(text.len, 0);
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

/* In the child: 0 when the .docx is refused for the text it would give. */
static int docx_refused_as_too_much_text(void *arg)
{
	const struct buf *zip = arg;
	struct buf text = BUF_INIT, why = BUF_INIT;
	int rc = docx_text(zip->s, zip->len, &text, &why);
	int ok = rc == -1 && str_starts(buf_str(&why), "the .docx gives more text than a file of ");
	buf_free(&text);
	buf_free(&why);
	return ok ? 0 : 1;
}

/*
 * A cell merged down over many rows is written into every row's task: a
 * 10 KB lead unit over 20,000 rows would give 200 MB from a small file.
 * The text is charged as it grows, and the notice is refused with why.
 */
static void test_docx_merged_cells_cannot_multiply_the_text(void **state)
{
	(void)state;
	struct buf doc = BUF_INIT, zip = BUF_INIT, unit = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_adds(&unit, "市发展和改革委"); /* 21 bytes: 21 KB */
	buf_adds(&doc, W_DOC_OPEN "<w:tbl>" TR(TC("序号") TC("重点任务") TC("牵头单位")));
	/* XML from pieces and macros, laid out by hand: clang-format 14 cannot. */
	/* clang-format off */
	buf_printf(&doc,
		   "<w:tr>" TC("1") TC("任务") "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>"
		   "<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc></w:tr>",
		   unit.s);
	for (int i = 0; i < 20000; i++)
		buf_adds(&doc, "<w:tr>" TC("2") TC("任务")
			       "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>");
	/* clang-format on */
	buf_adds(&doc, "</w:tbl>" W_DOC_CLOSE);
	make_zip(&zip, "word/document.xml", doc.s, NULL);
	struct bounded b = {20, 0, 0};
	run_bounded(docx_refused_as_too_much_text, &zip, &b, "20,000 merged rows");
	assert_int_equal(b.rc, 0);
	buf_free(&doc);
	buf_free(&zip);
	buf_free(&unit);
}

/* The time limit stops a reader with its reason; the next notice gets the whole time. */
static void test_docx_time_limit_fails_the_notice_and_the_next_goes_on(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, why = BUF_INIT;
	struct decoded d = {0};
	const char *format, *converter;
	read_file(FORMATS "sample_hy.docx", &data);
	front_set_time_limit(0);
	assert_int_equal(front_decode(NULL, data.s, data.len, NULL, &d, &format, &converter, &why),
			 -1);
	assert_string_equal(format, "docx");
	assert_string_equal(buf_str(&why), "the .docx reader ran over 0 seconds and was stopped");
	assert_null(d.text.s);
	front_set_time_limit(-1);
	buf_reset(&why);
	assert_int_equal(front_decode(NULL, data.s, data.len, NULL, &d, &format, &converter, &why),
			 1);
	assert_true(has_line(buf_str(&d.text), "2021年3月8日"));
	decoded_free(&d);
	buf_free(&data);
	buf_free(&why);
}

/* A DTD anywhere in a part is refused, also after a 4 KB comment (the check
 * once looked at the first 4 KB only), and no entity is read. */
static void test_docx_refuses_a_dtd_after_4_kb(void **state)
{
	(void)state;
	struct buf doc = BUF_INIT, zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	buf_adds(&doc, "<?xml version=\"1.0\"?><!--");
	for (int i = 0; i < 500; i++)
		buf_adds(&doc, " padding ");
	buf_adds(
		&doc,
		"--><!DOCTYPE w:document [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
		"<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:body>" P("&x;&b;") W_DOC_CLOSE);
	assert_true(strstr(doc.s, "<!DOCTYPE") - doc.s > 4096);
	make_zip(&zip, "word/document.xml", doc.s, NULL);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why),
			    "damaged .docx: word/document.xml declares a DTD (refused)");
	assert_int_equal(text.len, 0);
	buf_free(&doc);
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

/* A body of n content controls nested in each other, around one paragraph. */
static void nested_controls(int n, const char *text, struct buf *zip)
{
	struct buf doc = BUF_INIT;
	buf_adds(&doc, W_DOC_OPEN);
	for (int i = 0; i < n; i++)
		buf_adds(&doc, "<w:sdt><w:sdtContent>");
	buf_printf(&doc, "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", text);
	for (int i = 0; i < n; i++)
		buf_adds(&doc, "</w:sdtContent></w:sdt>");
	buf_adds(&doc, W_DOC_CLOSE);
	make_zip(zip, "word/document.xml", doc.s, NULL);
	buf_free(&doc);
}

/* Text 140 elements deep was dropped without a word (the walk stopped at 64
 * blocks); it is kept now, and past libxml2's depth limit the notice fails
 * with its reason. */
static void test_docx_deeply_nested_text_is_kept_or_the_notice_fails(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	nested_controls(70, "七十层内的文字", &zip);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), 0);
	assert_string_equal(buf_str(&text), "七十层内的文字\n");
	buf_reset(&text);
	nested_controls(300, "三百层内的文字", &zip);
	assert_int_equal(docx_text(zip.s, zip.len, &text, &why), -1);
	assert_string_equal(buf_str(&why), "damaged .docx: word/document.xml nests elements deeper "
					   "than 256 levels (refused)");
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
}

/* Runs fn with standard error going to a temporary file; returns what it got. */
static void capture_stderr(void (*fn)(void *), void *arg, struct buf *err)
{
	char path[] = "/tmp/test_front-stderr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	read_file(path, err);
	unlink(path);
}

struct decode_call {
	const struct buf *data;
	int rc;
	struct buf why;
};

static void docx_call(void *arg)
{
	struct decode_call *c = arg;
	struct buf text = BUF_INIT;
	c->rc = docx_text(c->data->s, c->data->len, &text, &c->why);
	buf_free(&text);
}

/* Bytes that do not fit the declared encoding made libxml2 print "encoding
 * error : input conversion failed ..." on stderr: it goes into the reason. */
static void test_docx_libxml2_prints_nothing_its_message_is_the_reason(void **state)
{
	(void)state;
	struct buf zip = BUF_INIT, err = BUF_INIT;
	make_zip(&zip, "word/document.xml",
		 "<?xml version=\"1.0\" encoding=\"GB18030\"?><w:document "
		 "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
		 "<w:p><w:r><w:t>\xff\xff\xa1</w:t></w:r></w:p>" W_DOC_CLOSE,
		 NULL);
	struct decode_call c = {&zip, 0, BUF_INIT};
	capture_stderr(docx_call, &c, &err);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(c.rc, -1);
	if (!str_starts(buf_str(&c.why),
			"damaged .docx: word/document.xml: XML error at line 1: ") ||
	    !strstr(buf_str(&c.why), "input conversion failed"))
		fail_msg("why: %s", buf_str(&c.why));
	buf_free(&zip);
	buf_free(&err);
	buf_free(&c.why);
}

/* ---- html ---- */

static void test_html_sniff_recognises_pages_not_text(void **state)
{
	(void)state;
	assert_true(html_sniff("<!DOCTYPE html><p>x", 19));
	assert_true(html_sniff("\xEF\xBB\xBF  <HTML lang=zh>", 20));
	assert_true(html_sniff("<!-- saved from url=(0022)http://x.gov.cn/ -->\n<html>", 53));
	assert_true(html_sniff("<head><meta charset=gbk>", 24));
	assert_false(html_sniff("关于<html>的通知", 18));
	assert_false(html_sniff("<p>no page markers</p>", 22));
	assert_false(html_sniff("", 0));
}

static void test_html_declared_charset_in_its_forms(void **state)
{
	(void)state;
	char name[32];
	const char *a = "<html><head><meta charset=\"GB2312\">";
	const char *b = "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gbk\">";
	const char *c = "<?xml version=\"1.0\" encoding='utf-8'?><html>";
	const char *d = "<html><head><meta name=\"keywords\" content=\"x\"></head>";
	assert_string_equal(html_declared_charset(a, strlen(a), name, sizeof name), "GB2312");
	assert_string_equal(html_declared_charset(b, strlen(b), name, sizeof name), "gbk");
	assert_string_equal(html_declared_charset(c, strlen(c), name, sizeof name), "utf-8");
	assert_null(html_declared_charset(d, strlen(d), name, sizeof name));
}

static void html_ok(const char *path, struct decoded *d, struct buf *note)
{
	struct buf data = BUF_INIT, why = BUF_INIT;
	read_file(path, &data);
	if (html_decode(data.s, data.len, NULL, d, note, &why) != 0)
		fail_msg("html_decode %s: %s", path, buf_str(&why));
	buf_free(&data);
	buf_free(&why);
}

/*
 * The GB2312-declared page and the UTF-8 page of sample_hy give the lines
 * of the text notice, blank lines included (the page keeps them as
 * <p>&nbsp;</p>); navigation, scripts, share bar and footer are gone.
 */
static void test_html_sample_pages_give_the_text_notice(void **state)
{
	(void)state;
	struct decoded gbk, utf8;
	struct buf note = BUF_INIT, txt = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	html_ok(FORMATS "sample_hy_gbk.html", &gbk, &note);
	assert_string_equal(gbk.encoding, "GB18030");
	assert_string_equal(buf_str(&note), "");
	html_ok(FORMATS "sample_hy_utf8.html", &utf8, &note);
	assert_string_equal(utf8.encoding, "UTF-8");
	assert_string_equal(buf_str(&gbk.text), buf_str(&utf8.text));
	read_file("tests/fixtures/notices/sample_hy.txt", &txt);
	normalised_lines(buf_str(&txt), &want);
	normalised_lines(buf_str(&utf8.text), &got);
	assert_string_equal(buf_str(&got), buf_str(&want));
	static const char *const GONE[] = {"首页",     "统计代码", "ICP",      "分享到",
					   "打印本页", "var _hmt", "发布时间", NULL};
	for (size_t i = 0; GONE[i]; i++)
		if (strstr(buf_str(&utf8.text), GONE[i]))
			fail_msg("'%s' should have been dropped", GONE[i]);
	assert_clean_utf8(&utf8.text);
	decoded_free(&gbk);
	decoded_free(&utf8);
	buf_free(&note);
	buf_free(&txt);
	buf_free(&want);
	buf_free(&got);
}

/* A page without blank paragraphs has the same non-blank lines. */
static void test_html_page_without_spacers_has_the_same_lines(void **state)
{
	(void)state;
	struct decoded d;
	struct buf note = BUF_INIT, txt = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	html_ok(FORMATS "sample_hy_nospacer.html", &d, &note);
	read_file("tests/fixtures/notices/sample_hy.txt", &txt);
	normalised_lines(buf_str(&txt), &want);
	normalised_lines(buf_str(&d.text), &got);
	struct buf a = BUF_INIT, b = BUF_INIT;
	for (const char *p = buf_str(&want); *p; p++)
		if (!(*p == '\n' && (p == want.s || p[-1] == '\n')))
			buf_addc(&a, *p);
	for (const char *p = buf_str(&got); *p; p++)
		if (!(*p == '\n' && (p == got.s || p[-1] == '\n')))
			buf_addc(&b, *p);
	assert_string_equal(buf_str(&b), buf_str(&a));
	decoded_free(&d);
	buf_free(&note);
	buf_free(&txt);
	buf_free(&want);
	buf_free(&got);
	buf_free(&a);
	buf_free(&b);
}

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
	out->len = (size_t)(o - out->s);
	out->s[out->len] = '\0';
	iconv_close(cd);
}

static const char PAGE_BODY[] =
	"<body><div class=\"TRS_Editor\"><p>关于进一步加强城市管理工作的通知</p>"
	"<p>各县区人民政府，市政府各部门：</p><p>为深入推进经济发展和改革，"
	"提高政府服务质量，现将有关事项通知如下。</p></div></body></html>";

static void page(struct buf *out, const char *charset, const char *encoding)
{
	struct buf utf8 = BUF_INIT;
	buf_printf(&utf8, "<html><head><meta charset=\"%s\"></head>%s", charset, PAGE_BODY);
	buf_reset(out);
	encode(out, utf8.s, encoding);
	buf_free(&utf8);
}

static void test_html_declaration_that_does_not_fit_gives_way_to_detection(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	page(&data, "gb2312", "UTF-8"); /* UTF-8 bytes declared GB2312 */
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "UTF-8");
	assert_string_equal(buf_str(&note),
			    "declared charset 'gb2312' does not fit the bytes (they are "
			    "UTF-8); read as UTF-8 by detection");
	assert_true(has_line(buf_str(&d.text), "各县区人民政府，市政府各部门："));
	decoded_free(&d);
	buf_reset(&note);
	page(&data, "utf-8", "GB18030"); /* GBK bytes declared UTF-8 */
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "GB18030");
	assert_true(str_starts(buf_str(&note), "declared charset 'utf-8' does not fit the bytes"));
	assert_true(str_ends(buf_str(&note), "read as GB18030 by detection"));
	assert_true(has_line(buf_str(&d.text), "各县区人民政府，市政府各部门："));
	assert_int_equal(d.invalid, 0);
	decoded_free(&d);
	buf_reset(&note);
	page(&data, "iso-8859-1", "GB18030"); /* a Western declaration on Chinese text */
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "GB18030");
	assert_string_equal(buf_str(&note),
			    "declared charset 'iso-8859-1' cannot hold Chinese text; "
			    "read as GB18030 by detection");
	decoded_free(&d);
	buf_reset(&note);
	page(&data, "gbk", "GB18030"); /* as declared: no note */
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "GB18030");
	assert_string_equal(buf_str(&note), "");
	decoded_free(&d);
	buf_free(&data);
	buf_free(&note);
	buf_free(&why);
}

static void html_text(const char *page_text, const char *want)
{
	struct buf note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	if (html_decode(page_text, strlen(page_text), NULL, &d, &note, &why) != 0)
		fail_msg("html_decode: %s", buf_str(&why));
	assert_string_equal(buf_str(&d.text), want);
	decoded_free(&d);
	buf_free(&note);
	buf_free(&why);
}

static void test_html_entities_breaks_and_white_space(void **state)
{
	(void)state;
	html_text("<html><body><p>a&amp;b&nbsp;c &#12345;&#x4E00;&ldquo;x&rdquo;</p>"
		  "<p>第一行<br>第二行<br/><br/>第四行</p><div>  多个   空格  </div>"
		  "<p>中文\n换行</p><p>word\nwrap</p><ul><li>甲</li><li>乙</li></ul>"
		  "<h2>标题</h2><pre>  保留\n  空格</pre></body></html>",
		  "a&b\xC2\xA0"
		  "c \xE3\x80\xB9一“x”\n第一行\n第二行\n\n第四行\n多个 空格\n"
		  "中文换行\nword wrap\n甲\n乙\n标题\n  保留\n  空格\n");
}

static void test_html_drops_scripts_navigation_and_hidden_parts(void **state)
{
	(void)state;
	html_text("<html><head><title>标题_网站</title><style>p{}</style></head><body>"
		  "<nav>首页</nav><header>网站名称</header><div class=\"menu\">菜单</div>"
		  "<script>document.write('x')</script><noscript>启用脚本</noscript>"
		  "<p>正文</p><p style=\"display: none\">隐藏</p><div hidden>也隐藏</div>"
		  "<footer>版权所有</footer><div id=\"footer\">联系我们</div></body></html>",
		  "正文\n");
}

/* The article element wins over the page around it; its title, outside
 * it in an h1, is put first. */
static void test_html_prefers_the_article_and_keeps_its_title(void **state)
{
	(void)state;
	html_text(
		"<html><body><div class=\"location\">当前位置：首页 > 通知公告</div>"
		"<div class=\"content-wrap\"><h1>关于做好防汛工作的通知</h1>"
		"<div class=\"info\">发布时间：2021-06-01 来源：应急局</div>"
		"<div id=\"zoom\"><div class=\"TRS_Editor\"><p>各县区人民政府：</p>"
		"<p>入汛以来，我市降雨偏多，防汛形势严峻。为切实做好防汛工作，确保人民群众"
		"生命财产安全，现就有关事项通知如下。</p></div></div>"
		"<div class=\"related\">相关文章：关于做好抗旱工作的通知</div></div></body></html>",
		"关于做好防汛工作的通知\n\n各县区人民政府：\n入汛以来，我市降雨偏多，防汛形势严峻。"
		"为切实做好防汛工作，确保人民群众生命财产安全，现就有关事项通知如下。\n");
}

static void test_html_division_table_with_rowspan_becomes_tasks(void **state)
{
	(void)state;
	html_text("<html><body><table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th>"
		  "<th>配合单位</th><th>完成时限</th></tr>"
		  "<tr><td>1</td><td>建设数据平台。</td><td rowspan=\"2\">市大数据局</td>"
		  "<td>市财政局<br>市发展改革委</td><td>2022年底前</td></tr>"
		  "<tr><td>2</td><td>开放公共数据。</td><td>各县区人民政府</td><td></td></tr>"
		  "</table><table><tr><td>附件</td><td>分工表</td></tr></table></body></html>",
		  "——建设数据平台。\n牵头单位：市大数据局\n配合单位：市财政局、市发展改革委\n"
		  "完成时限：2022年底前\n\n"
		  "——开放公共数据。\n牵头单位：市大数据局\n配合单位：各县区人民政府\n\n"
		  "附件  分工表\n");
}

/* A layout table (one holding tables) is read as the blocks it holds. */
static void test_html_layout_table_keeps_its_paragraphs(void **state)
{
	(void)state;
	html_text("<html><body><table><tr><td><table><tr><td>栏目</td></tr></table></td>"
		  "<td><p>第一段。</p><p>第二段。</p></td></tr></table></body></html>",
		  "栏目\n第一段。\n第二段。\n");
}

static void test_html_survives_broken_markup(void **state)
{
	(void)state;
	struct buf page_text = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	buf_adds(&page_text, "<html><body><h1>关于深层嵌套的通知</h1><div id=\"zoom\">");
	for (int i = 0; i < 5000; i++)
		buf_adds(&page_text, "<div><span>层层层层层层<table><tr><td>");
	buf_adds(&page_text, "<p>未闭合<table><tr><td colspan=99999 rowspan=-3>格<td rowspan=0>"
			     "&#0;&#xD800;&#1114112;&bogus; <b><i>交错</b></i>\xFF\xFE</script>");
	int rc = html_decode(page_text.s, page_text.len, NULL, &d, &note, &why);
	assert_true(rc == 0 || (rc == -1 && why.len));
	if (rc == 0)
		assert_clean_utf8(&d.text);
	decoded_free(&d);
	buf_free(&page_text);
	buf_free(&note);
	buf_free(&why);
}

/* A page of nothing but a byte order mark (found by fuzz_html: the parser
 * was given bytes from a buffer never allocated, UBSan's "zero offset to
 * null pointer"): an empty text, then "no text in the page". */
static void test_html_page_of_only_a_byte_order_mark(void **state)
{
	(void)state;
	static const char *const PAGES[] = {"\xFE\xFF", "\xFF\xFE", "\xEF\xBB\xBF", "", NULL};
	for (size_t i = 0; PAGES[i]; i++) {
		struct buf note = BUF_INIT, why = BUF_INIT;
		struct decoded d;
		int rc = html_decode(PAGES[i], strlen(PAGES[i]), NULL, &d, &note, &why);
		assert_true(rc == -1 || d.text.len == 0);
		decoded_free(&d);
		buf_free(&note);
		buf_free(&why);
	}
}

/* One-byte corruptions and cuts of a real page: an answer, never a crash. */
static void test_html_survives_corruption(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	read_file(FORMATS "sample_hy_gbk.html", &data);
	uint32_t x = 11;
	for (int i = 0; i < 300; i++) {
		x = x * 1103515245u + 12345u;
		size_t at = (x >> 8) % data.len, n = i % 3 ? data.len : at;
		char was = data.s[at];
		data.s[at] = (char)(x >> 24);
		struct decoded d;
		buf_reset(&note);
		buf_reset(&why);
		int rc = html_decode(data.s, n, NULL, &d, &note, &why);
		assert_true(rc == 0 || (rc == -1 && why.len > 0));
		if (rc == 0)
			assert_clean_utf8(&d.text);
		decoded_free(&d);
		data.s[at] = was;
	}
	buf_free(&data);
	buf_free(&note);
	buf_free(&why);
}

/* A traditional page, for Big5. */
static const char PAGE_BODY_TRADITIONAL[] =
	"<body><div class=\"TRS_Editor\"><p>關於進一步加強城市管理工作的通知</p>"
	"<p>各縣區人民政府，市政府各部門：</p><p>為深入推進經濟發展和改革，提高政府服務質量，"
	"現將有關事項通知如下。</p></div></body></html>";

/*
 * A page declared Big5 but written in GB18030 decodes with few errors,
 * into garbage; it went through as it was. The declaration is checked
 * against the text now (which reads far better as the other), as a GB2312
 * declaration on Big5 bytes is; a right declaration gives no note.
 */
static void test_html_big5_and_gb_declarations_are_checked_against_the_text(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, utf8 = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	page(&data, "big5", "GB18030");
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "GB18030");
	assert_string_equal(buf_str(&note),
			    "declared charset 'big5' does not fit the bytes (they read "
			    "as GB18030); read as GB18030 by detection");
	assert_true(has_line(buf_str(&d.text), "各县区人民政府，市政府各部门："));
	decoded_free(&d);
	buf_reset(&note);
	buf_printf(&utf8, "<html><head><meta charset=\"gb2312\"></head>%s", PAGE_BODY_TRADITIONAL);
	buf_reset(&data);
	encode(&data, utf8.s, "BIG5");
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "BIG5");
	assert_string_equal(buf_str(&note),
			    "declared charset 'gb2312' does not fit the bytes (they read "
			    "as BIG5); read as BIG5 by detection");
	assert_true(has_line(buf_str(&d.text), "各縣區人民政府，市政府各部門："));
	decoded_free(&d);
	buf_reset(&note);
	buf_reset(&utf8);
	buf_printf(&utf8, "<html><head><meta charset=\"big5\"></head>%s", PAGE_BODY_TRADITIONAL);
	buf_reset(&data);
	encode(&data, utf8.s, "BIG5");
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_string_equal(d.encoding, "BIG5");
	assert_string_equal(buf_str(&note), "");
	decoded_free(&d);
	buf_free(&data);
	buf_free(&utf8);
	buf_free(&note);
	buf_free(&why);
}

/* ---- html: bounded work and memory ---- */

struct page_want {
	const struct buf *page;
	size_t lines;      /* the text must have at least this many lines */
	const char *first; /* and start with this, when not NULL */
};

/* In the child: 0 when the page gives the text wanted, 1 when refused, 2 other text. */
static int page_lines(void *arg)
{
	const struct page_want *w = arg;
	struct buf note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	int rc = html_decode(w->page->s, w->page->len, NULL, &d, &note, &why) == 0 ? 0 : 1;
	size_t lines = 0;
	for (const char *p = buf_str(&d.text); !rc && (p = strchr(p, '\n')); p++)
		lines++;
	if (!rc && (lines < w->lines || (w->first && !str_starts(buf_str(&d.text), w->first))))
		rc = 2;
	decoded_free(&d);
	buf_free(&note);
	buf_free(&why);
	return rc;
}

/*
 * A 50 MB page of markup took 1.4 GB and a 50 MB 分工表 page 0.9 GB: the
 * page was parsed into a tree. It is read as a stream now (twice: to find
 * the article, then to render it), and memory follows the text.
 */
static void test_html_memory_follows_the_text_not_the_markup(void **state)
{
	(void)state;
	static const char UNIT[] = "<p><b><i><u><span><em>字</em></span></u></i></b></p>\n";
	size_t n = instrumented() ? 20000 : 160000; /* 8 MB */
	struct buf page_text = BUF_INIT;
	buf_adds(&page_text, "<html><head><meta charset=\"utf-8\"></head><body><div id=\"zoom\">");
	for (size_t i = 0; i < n; i++)
		buf_adds(&page_text, UNIT);
	buf_adds(&page_text, "</div></body></html>");
	struct page_want w = {&page_text, n, "字\n字\n"};
	struct bounded b = {20, 0, 0};
	run_bounded(page_lines, &w, &b, "8 MB of markup");
	assert_int_equal(b.rc, 0);
	if (!instrumented() && b.grew_kb > allowed_kb(page_text.len))
		fail_msg("8 MB of markup: %ld KB (allowed %ld KB)", b.grew_kb,
			 allowed_kb(page_text.len));
	buf_free(&page_text);
}

/*
 * Each element of class "title" before the article was rendered whole to
 * see whether it is the page's title: 200 of them nested around a 6 MB
 * article rendered it 200 times (8.5 s here; 50 MB pages took minutes). A
 * title is looked for in the text as it goes by now.
 */
static void test_html_nested_title_elements_take_linear_time(void **state)
{
	(void)state;
	size_t n = instrumented() ? 5000 : 60000;
	struct buf page_text = BUF_INIT;
	buf_adds(&page_text, "<html><head><meta charset=\"utf-8\"></head><body>");
	for (int i = 0; i < 200; i++)
		buf_adds(&page_text, "<div class=\"title\">");
	buf_adds(&page_text, "<div id=\"zoom\">");
	for (size_t i = 0; i < n; i++)
		buf_printf(
			&page_text,
			"<p>推进政务云平台扩容升级，完成市级部门业务系统迁移上云，第%zu项。</p>\n",
			i);
	buf_adds(&page_text, "</div></body></html>");
	struct page_want w = {&page_text, n,
			      "推进政务云平台扩容升级，完成市级部门业务系统迁移上云，第0项。\n"};
	struct bounded b = {3, 0, 0};
	run_bounded(page_lines, &w, &b, "200 nested title elements");
	assert_int_equal(b.rc, 0);
	buf_free(&page_text);
}

/* In the child: 0 when the page is refused for the text it would give. */
static int page_refused_as_too_much_text(void *arg)
{
	const struct buf *page_text = arg;
	struct buf note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	int rc = html_decode(page_text->s, page_text->len, NULL, &d, &note, &why);
	int ok = rc == -1 &&
		 str_starts(buf_str(&why), "the HTML page gives more text than a file of ");
	decoded_free(&d);
	buf_free(&note);
	buf_free(&why);
	return ok ? 0 : 1;
}

/* A 21 KB cell spanning 10,000 rows would give 210 MB from a 300 KB page. */
static void test_html_merged_cells_cannot_multiply_the_text(void **state)
{
	(void)state;
	struct buf page_text = BUF_INIT;
	buf_adds(&page_text,
		 "<html><body><table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>"
		 "<tr><td>1</td><td>任务</td><td rowspan=\"10000\">");
	for (int i = 0; i < 1000; i++)
		buf_adds(&page_text, "市发展和改革委");
	buf_adds(&page_text, "</td></tr>");
	for (int i = 0; i < 9999; i++)
		buf_adds(&page_text, "<tr><td>2</td><td>任务</td></tr>");
	buf_adds(&page_text, "</table></body></html>");
	struct bounded b = {20, 0, 0};
	run_bounded(page_refused_as_too_much_text, &page_text, &b, "10,000 merged rows");
	assert_int_equal(b.rc, 0);
	buf_free(&page_text);
}

/* n elements nested around a line of text. */
static void nested_divs(int n, struct buf *page_text)
{
	buf_reset(page_text);
	buf_adds(page_text, "<html><body>");
	for (int i = 0; i < n; i++)
		buf_adds(page_text, "<div>");
	buf_adds(page_text, "深层的文字");
	for (int i = 0; i < n; i++)
		buf_adds(page_text, "</div>");
	buf_adds(page_text, "</body></html>");
}

/* Text nested deeper than 256 elements was dropped without a word; it is
 * kept now, and past 1024 levels the page fails with its reason. */
static void test_html_deeply_nested_text_is_kept_or_the_page_fails(void **state)
{
	(void)state;
	struct buf page_text = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	nested_divs(300, &page_text);
	assert_int_equal(html_decode(page_text.s, page_text.len, NULL, &d, &note, &why), 0);
	assert_string_equal(buf_str(&d.text), "深层的文字\n");
	decoded_free(&d);
	nested_divs(2000, &page_text);
	assert_int_equal(html_decode(page_text.s, page_text.len, NULL, &d, &note, &why), -1);
	assert_string_equal(buf_str(&why),
			    "the HTML page nests elements deeper than 1024 levels (refused)");
	decoded_free(&d);
	buf_free(&page_text);
	buf_free(&note);
	buf_free(&why);
}

static void test_html_time_limit_fails_the_page_and_the_next_goes_on(void **state)
{
	(void)state;
	struct buf data = BUF_INIT, note = BUF_INIT, why = BUF_INIT;
	struct decoded d;
	read_file(FORMATS "sample_hy_utf8.html", &data);
	front_set_time_limit(0);
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), -1);
	assert_string_equal(buf_str(&why),
			    "the HTML page reader ran over 0 seconds and was stopped");
	decoded_free(&d);
	front_set_time_limit(-1);
	buf_reset(&why);
	assert_int_equal(html_decode(data.s, data.len, NULL, &d, &note, &why), 0);
	assert_true(has_line(buf_str(&d.text), "2021年3月8日"));
	decoded_free(&d);
	buf_free(&data);
	buf_free(&note);
	buf_free(&why);
}

static void html_call(void *arg)
{
	struct decode_call *c = arg;
	struct buf note = BUF_INIT;
	struct decoded d;
	c->rc = html_decode(c->data->s, c->data->len, NULL, &d, &note, &c->why);
	decoded_free(&d);
	buf_free(&note);
}

/* Broken pages make libxml2 complain; none of it reaches stderr. */
static void test_html_libxml2_prints_nothing(void **state)
{
	(void)state;
	struct buf page_text = BUF_INIT, err = BUF_INIT;
	buf_adds(&page_text, "<html><body><div id=\"zoom\"><p>未闭合<table><tr><td colspan=99999>格"
			     "&#0;&#xD800;&#1114112;&bogus; <b><i>交错</b></i>\xFF\xFE</script>"
			     "<!-- 未完 <![CDATA[ x <?pi ?> </html></body>\x01\x02");
	struct decode_call c = {&page_text, 0, BUF_INIT};
	capture_stderr(html_call, &c, &err);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(c.rc, 0);
	buf_free(&page_text);
	buf_free(&err);
	buf_free(&c.why);
}

/* ---- tables ---- */

static void test_table_rowspan_and_continue_fill_the_cells_below(void **state)
{
	(void)state;
	struct table t = {0};
	struct buf out = BUF_INIT;
	table_row(&t);
	table_cell(&t, "任务", 1, 1);
	table_cell(&t, "责任单位", 1, 1);
	table_row(&t);
	table_cell(&t, "甲任务", 1, 1);
	table_cell(&t, "市住建局(牵头)、市城管局", 1, 3);
	table_row(&t);
	table_cell(&t, "乙任务", 1, 1);
	table_row(&t);
	table_cell(&t, "丙任务", 1, 1);
	table_render(&t, &out);
	assert_string_equal(buf_str(&out), "——甲任务\n责任单位：市住建局(牵头)、市城管局\n\n"
					   "——乙任务\n责任单位：市住建局(牵头)、市城管局\n\n"
					   "——丙任务\n责任单位：市住建局(牵头)、市城管局\n\n");
	table_free(&t);
	table_free(&t); /* a freed table is a zeroed one */
	buf_free(&out);
}

static int long_merge(void *arg)
{
	size_t n = *(size_t *)arg;
	struct table t = {0};
	struct buf out = BUF_INIT;
	table_row(&t);
	table_cell(&t, "重点任务", 1, 1);
	table_cell(&t, "牵头单位", 1, 1);
	for (size_t i = 0; i < n; i++) {
		table_row(&t);
		table_cell(&t, "任务", 1, 1);
		table_cell(&t, i ? NULL : "市大数据局", 1, i ? TABLE_CONTINUE : 1);
	}
	table_render(&t, &out);
	int ok = strlen(out.s) == n * strlen("——任务\n牵头单位：市大数据局\n\n");
	table_free(&t);
	buf_free(&out);
	return ok ? 0 : 1;
}

/* Each continued cell looked for its text up the rows: 200,000 rows under
 * one merged cell took 2*10^10 steps. It is found once per row now. */
static void test_table_long_vertical_merge_renders_in_linear_time(void **state)
{
	(void)state;
	size_t n = 200000;
	struct bounded b = {5, 0, 0};
	run_bounded(long_merge, &n, &b, "200,000 merged rows");
	assert_int_equal(b.rc, 0);
}

/* table_render stops past max_out and says so; bytes counts what the table holds. */
static void test_table_render_stops_at_its_limit(void **state)
{
	(void)state;
	struct table t = {0};
	struct buf out = BUF_INIT;
	for (int i = 0; i < 100; i++) {
		table_row(&t);
		table_cell(&t, "甲乙丙丁", 1, 1);
	}
	assert_true(t.bytes >= 100 * strlen("甲乙丙丁"));
	t.max_out = 50;
	table_render(&t, &out);
	assert_true(t.cut);
	assert_true(out.len > 50 && out.len < 100);
	table_free(&t);
	buf_free(&out);
}

/* ---- converters ---- */

static int installed(const char *prog)
{
	struct buf path = BUF_INIT;
	int yes = convert_find(prog, &path);
	buf_free(&path);
	return yes;
}

static void test_convert_run_reports_exit_status_and_stderr(void **state)
{
	(void)state;
	struct buf out = BUF_INIT, why = BUF_INIT;
	char *argv[] = {"sh", "-c", "echo partial; echo 'bad input file' >&2; exit 3", NULL};
	assert_int_equal(convert_run(argv, 10, 1000, &out, &why), CONVERT_FAILED);
	assert_string_equal(buf_str(&why), "sh failed (exit 3): bad input file");
	assert_int_equal(out.len, 0);
	buf_reset(&why);
	char *ok[] = {"sh", "-c", "printf 'a\\nb'", NULL};
	assert_int_equal(convert_run(ok, 10, 1000, &out, &why), CONVERT_OK);
	assert_string_equal(buf_str(&out), "a\nb");
	buf_reset(&out);
	char *missing[] = {"no-such-converter-here", NULL};
	assert_int_equal(convert_run(missing, 10, 1000, &out, &why), CONVERT_MISSING);
	buf_free(&out);
	buf_free(&why);
}

static void test_convert_run_stops_a_converter_too_slow_or_too_talkative(void **state)
{
	(void)state;
	struct buf out = BUF_INIT, why = BUF_INIT;
	char *slow[] = {"sleep", "30", NULL};
	assert_int_equal(convert_run(slow, 1, 1000, &out, &why), CONVERT_TIMEOUT);
	assert_string_equal(buf_str(&why), "sleep ran over 1 seconds and was stopped");
	buf_reset(&why);
	char *talkative[] = {"yes", NULL};
	assert_int_equal(convert_run(talkative, 10, 100000, &out, &why), CONVERT_TOO_LARGE);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	buf_free(&why);
}

static void test_convert_pdf_tidy_joins_printed_lines(void **state)
{
	(void)state;
	struct buf t = BUF_INIT;
	buf_adds(&t,
		 "关于印发方案的通知\n"
		 "一、为深入推进经济发展和改革，提高政府服务质量，到 2023 年完成各项任务，现将有\n"
		 "关事项通知如下。\n"
		 "牵头单位：市发展改革委，市财政局、市自然资源局、市住房城乡建设局、市交通局\n"
		 "（二）加强监督检查。\n");
	convert_pdf_tidy(&t);
	assert_string_equal(
		buf_str(&t),
		"关于印发方案的通知\n"
		"一、为深入推进经济发展和改革，提高政府服务质量，到2023年完成各项任务，现将有"
		"关事项通知如下。\n"
		"牵头单位：市发展改革委，市财政局、市自然资源局、市住房城乡建设局、市交通局\n"
		"（二）加强监督检查。\n");
	buf_free(&t);
}

/* Runs front_decode with PATH set to dir (NULL: an empty directory). */
static int front_with_path(const char *dir, const char *file, struct decoded *d,
			   const char **format, const char **converter, struct buf *why)
{
	char empty[] = "/tmp/test_front-path-XXXXXX";
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	if (!dir)
		assert_non_null(dir = mkdtemp(empty));
	setenv("PATH", dir, 1);
	struct buf data = BUF_INIT;
	read_file(file, &data);
	int rc = front_decode(file, data.s, data.len, NULL, d, format, converter, why);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	if (dir == empty)
		rmdir(empty);
	buf_free(&data);
	return rc;
}

static void test_front_doc_and_pdf_without_converters_name_the_packages(void **state)
{
	(void)state;
	struct decoded d = {0};
	const char *format, *converter;
	struct buf why = BUF_INIT;
	assert_int_equal(
		front_with_path(NULL, FORMATS "sample_hy.doc", &d, &format, &converter, &why), -1);
	assert_string_equal(format, "doc");
	assert_string_equal(
		buf_str(&why),
		"a .doc notice needs antiword or catdoc (Debian packages antiword, catdoc)");
	buf_reset(&why);
	assert_int_equal(
		front_with_path(NULL, FORMATS "sample_hy.pdf", &d, &format, &converter, &why), -1);
	assert_string_equal(format, "pdf");
	assert_string_equal(buf_str(&why),
			    "a PDF notice needs pdftotext (Debian package poppler-utils)");
	decoded_free(&d);
	buf_free(&why);
}

static void test_front_doc_through_antiword(void **state)
{
	(void)state;
	if (!installed("antiword"))
		skip();
	struct buf data = BUF_INIT, why = BUF_INIT, txt = BUF_INIT;
	struct decoded d = {0};
	const char *format, *converter;
	read_file(FORMATS "sample_hy.doc", &data);
	/* No path: the converter reads a temporary copy. */
	assert_int_equal(front_decode(NULL, data.s, data.len, NULL, &d, &format, &converter, &why),
			 1);
	assert_string_equal(format, "doc");
	assert_string_equal(converter, "antiword");
	read_file("tests/fixtures/notices/sample_hy.txt", &txt);
	assert_string_equal(buf_str(&d.text), buf_str(&txt));
	decoded_free(&d);
	buf_free(&data);
	buf_free(&why);
	buf_free(&txt);
}

static void test_front_doc_falls_back_to_catdoc(void **state)
{
	(void)state;
	struct buf catdoc = BUF_INIT, why = BUF_INIT, link = BUF_INIT;
	if (!convert_find("catdoc", &catdoc))
		skip();
	char dir[] = "/tmp/test_front-catdoc-XXXXXX";
	assert_non_null(mkdtemp(dir));
	buf_printf(&link, "%s/catdoc", dir);
	assert_int_equal(symlink(catdoc.s, link.s), 0);
	struct decoded d = {0};
	const char *format, *converter;
	assert_int_equal(
		front_with_path(dir, FORMATS "sample_hy.doc", &d, &format, &converter, &why), 1);
	assert_string_equal(format, "doc");
	assert_string_equal(converter, "catdoc");
	assert_true(has_line(buf_str(&d.text), "牵头单位：市工业和信息化局"));
	unlink(link.s);
	rmdir(dir);
	decoded_free(&d);
	buf_free(&catdoc);
	buf_free(&why);
	buf_free(&link);
}

static void test_front_pdf_text_layer_through_pdftotext(void **state)
{
	(void)state;
	if (!installed("pdftotext"))
		skip();
	struct buf data = BUF_INIT, why = BUF_INIT;
	struct decoded d = {0};
	const char *format, *converter;
	read_file(FORMATS "sample_hy.pdf", &data);
	assert_int_equal(front_decode(FORMATS "sample_hy.pdf", data.s, data.len, NULL, &d, &format,
				      &converter, &why),
			 1);
	assert_string_equal(format, "pdf");
	assert_string_equal(converter, "pdftotext");
	assert_true(has_line(buf_str(&d.text), "2021年3月8日"));
	assert_true(
		has_line(buf_str(&d.text),
			 "（四）优化县域营商环境。深化“放管服”改革，2021年9月底前实现企业开办全流程"
			 "一日办结，全面落实惠企政策直达机制，依法保护各类市场主体合法权益。"));
	assert_clean_utf8(&d.text);
	decoded_free(&d);
	buf_free(&data);
	buf_free(&why);
}

/* ---- front_decode ---- */

static void test_front_sniff_goes_by_content_not_name(void **state)
{
	(void)state;
	assert_string_equal(front_sniff("a.txt", "PK\x03\x04....", 8), "docx");
	assert_string_equal(front_sniff("a.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), "doc");
	assert_string_equal(front_sniff("dir.x/A.WPS", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
			    "wps");
	assert_string_equal(front_sniff(NULL, "%PDF-1.7\n", 9), "pdf");
	assert_string_equal(front_sniff("a.txt", "<!DOCTYPE html>", 15), "html");
	assert_string_equal(front_sniff("a.html", "关于印发的通知", 21), "text");
	assert_string_equal(front_sniff("a.doc", "\xD0\xCF\x11\xE0", 4), "text"); /* too short */
}

static void test_front_leaves_plain_text_to_detect(void **state)
{
	(void)state;
	struct decoded d = {0};
	const char *format, *converter = "x";
	struct buf why = BUF_INIT;
	const char *s = "关于进一步加强城市管理工作的通知\n";
	assert_int_equal(front_decode("a.txt", s, strlen(s), NULL, &d, &format, &converter, &why),
			 0);
	assert_string_equal(format, "text");
	assert_null(converter);
	assert_null(d.text.s);
	assert_int_equal(why.len, 0);
	buf_free(&why);
}

/* The three forms of sample_hy decode to the same lines; damaged .docx
 * files fail with their reason and leave nothing to free. */
static void test_front_every_fixture_decodes_or_fails_cleanly(void **state)
{
	(void)state;
	static const struct {
		const char *file, *format, *encoding, *error;
	} CASES[] = {
		{"sample_hy.docx", "docx", "UTF-8", NULL},
		{"sample_hy_utf8.html", "html", "UTF-8", NULL},
		{"sample_hy_gbk.html", "html", "GB18030", NULL},
		{"numbered_headings.docx", "docx", "UTF-8", NULL},
		{"table_tasks.docx", "docx", "UTF-8", NULL},
		{"damaged_truncated.docx", "docx", NULL,
		 "damaged .docx: truncated or corrupt zip archive (no central directory)"},
		{"damaged_no_document.docx", "docx", NULL,
		 "damaged .docx: no word/document.xml in the zip archive"},
	};
	struct buf txt = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	read_file("tests/fixtures/notices/sample_hy.txt", &txt);
	normalised_lines(buf_str(&txt), &want);
	for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
		struct buf path = BUF_INIT, data = BUF_INIT, why = BUF_INIT;
		struct decoded d = {0};
		const char *format, *converter;
		buf_printf(&path, FORMATS "%s", CASES[i].file);
		read_file(path.s, &data);
		int rc = front_decode(path.s, data.s, data.len, NULL, &d, &format, &converter,
				      &why);
		assert_string_equal(format, CASES[i].format);
		if (CASES[i].error) {
			assert_int_equal(rc, -1);
			assert_string_equal(buf_str(&why), CASES[i].error);
			assert_null(d.text.s);
		} else {
			if (rc != 1)
				fail_msg("%s: %s", CASES[i].file, buf_str(&why));
			assert_string_equal(d.encoding, CASES[i].encoding);
			assert_non_null(converter);
			assert_clean_utf8(&d.text);
			if (str_starts(CASES[i].file, "sample_hy")) {
				normalised_lines(buf_str(&d.text), &got);
				assert_string_equal(buf_str(&got), buf_str(&want));
			}
		}
		decoded_free(&d);
		buf_free(&path);
		buf_free(&data);
		buf_free(&why);
	}
	buf_free(&txt);
	buf_free(&want);
	buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docx_sample_gives_the_text_notice_line_for_line),
		cmocka_unit_test(test_docx_automatic_numbering_becomes_visible_text),
		cmocka_unit_test(test_docx_number_formats_render_as_word_shows_them),
		cmocka_unit_test(test_docx_paragraph_without_numbering_level_is_plain),
		cmocka_unit_test(test_docx_numbering_through_the_default_style),
		cmocka_unit_test(test_docx_runs_tabs_breaks_and_fields),
		cmocka_unit_test(test_docx_division_table_becomes_task_blocks),
		cmocka_unit_test(test_docx_table_group_rows_and_two_row_header),
		cmocka_unit_test(test_docx_other_tables_give_a_line_per_row),
		cmocka_unit_test(test_docx_truncated_zip_fails_with_a_clear_reason),
		cmocka_unit_test(test_docx_without_document_xml_fails_with_a_clear_reason),
		cmocka_unit_test(test_docx_other_zip_archives_are_named),
		cmocka_unit_test(test_docx_malformed_xml_fails_with_its_line),
		cmocka_unit_test(test_docx_refuses_a_dtd_with_entities),
		cmocka_unit_test(test_docx_refuses_an_entry_over_64_mb),
		cmocka_unit_test(test_docx_survives_truncation_and_corruption),
		cmocka_unit_test(test_docx_text_between_definitions_is_ignored),
		cmocka_unit_test(test_docx_80000_lists_are_read_in_linear_time),
		cmocka_unit_test(test_docx_memory_follows_the_text_not_the_markup),
		cmocka_unit_test(test_docx_zip_bomb_is_refused_with_its_reason),
		cmocka_unit_test(test_docx_merged_cells_cannot_multiply_the_text),
		cmocka_unit_test(test_docx_time_limit_fails_the_notice_and_the_next_goes_on),
		cmocka_unit_test(test_docx_refuses_a_dtd_after_4_kb),
		cmocka_unit_test(test_docx_deeply_nested_text_is_kept_or_the_notice_fails),
		cmocka_unit_test(test_docx_libxml2_prints_nothing_its_message_is_the_reason),
		cmocka_unit_test(test_html_sniff_recognises_pages_not_text),
		cmocka_unit_test(test_html_declared_charset_in_its_forms),
		cmocka_unit_test(test_html_sample_pages_give_the_text_notice),
		cmocka_unit_test(test_html_page_without_spacers_has_the_same_lines),
		cmocka_unit_test(test_html_declaration_that_does_not_fit_gives_way_to_detection),
		cmocka_unit_test(test_html_entities_breaks_and_white_space),
		cmocka_unit_test(test_html_drops_scripts_navigation_and_hidden_parts),
		cmocka_unit_test(test_html_prefers_the_article_and_keeps_its_title),
		cmocka_unit_test(test_html_division_table_with_rowspan_becomes_tasks),
		cmocka_unit_test(test_html_layout_table_keeps_its_paragraphs),
		cmocka_unit_test(test_html_survives_broken_markup),
		cmocka_unit_test(test_html_survives_corruption),
		cmocka_unit_test(test_html_page_of_only_a_byte_order_mark),
		cmocka_unit_test(test_html_big5_and_gb_declarations_are_checked_against_the_text),
		cmocka_unit_test(test_html_memory_follows_the_text_not_the_markup),
		cmocka_unit_test(test_html_nested_title_elements_take_linear_time),
		cmocka_unit_test(test_html_merged_cells_cannot_multiply_the_text),
		cmocka_unit_test(test_html_deeply_nested_text_is_kept_or_the_page_fails),
		cmocka_unit_test(test_html_time_limit_fails_the_page_and_the_next_goes_on),
		cmocka_unit_test(test_html_libxml2_prints_nothing),
		cmocka_unit_test(test_table_rowspan_and_continue_fill_the_cells_below),
		cmocka_unit_test(test_table_long_vertical_merge_renders_in_linear_time),
		cmocka_unit_test(test_table_render_stops_at_its_limit),
		cmocka_unit_test(test_convert_run_reports_exit_status_and_stderr),
		cmocka_unit_test(test_convert_run_stops_a_converter_too_slow_or_too_talkative),
		cmocka_unit_test(test_convert_pdf_tidy_joins_printed_lines),
		cmocka_unit_test(test_front_doc_and_pdf_without_converters_name_the_packages),
		cmocka_unit_test(test_front_doc_through_antiword),
		cmocka_unit_test(test_front_doc_falls_back_to_catdoc),
		cmocka_unit_test(test_front_pdf_text_layer_through_pdftotext),
		cmocka_unit_test(test_front_sniff_goes_by_content_not_name),
		cmocka_unit_test(test_front_leaves_plain_text_to_detect),
		cmocka_unit_test(test_front_every_fixture_decodes_or_fails_cleanly),
	};
	return cmocka_run_group_tests_name("front", tests, NULL, NULL);
}
