/*
 * test_checks.c - the checks of lib/notice/checks*.c, with the real rules:
 * records are fed as the earlier stages write them and the findings read
 * back from struct checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/utf8.h"

struct fixture {
	struct rules rs;
	struct checks C;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct buf err = BUF_INIT;
	int problems = rules_load(&fx->rs, "rules", &err);
	problems += rules_require(&fx->rs, CHECKS_NEEDS, &err);
	if (problems)
		print_error("rules: %s", buf_str(&err));
	buf_free(&err);
	checks_init(&fx->C, &fx->rs);
	*state = fx;
	return problems ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	checks_free(&fx->C);
	rules_free(&fx->rs);
	free(fx);
	return 0;
}

static void feed(void **state, const char *records);

/* Each test starts with an empty notice: its doc record. */
static int reset(void **state)
{
	struct fixture *fx = *state;
	checks_reset(&fx->C);
	feed(state, "doc|t.txt|t.xlsx\n");
	return 0;
}

/* Feeds records, one a line, fields separated by | (TAB in the stream). */
static void feed(void **state, const char *records)
{
	struct fixture *fx = *state;
	char *s = strdup(records);
	for (char *p = s; *p; p++)
		if (*p == '|')
			*p = '\t';
	FILE *in = fmemopen(s, strlen(s), "r");
	struct rec r = REC_INIT;
	while (rec_read(&r, in) > 0)
		checks_add(&fx->C, &r);
	rec_free(&r);
	fclose(in);
	free(s);
}

/* The header of a notice of 2023-03-20 with its 发文字号 and title. */
static const char HEADER[] = "head|1|岚政办发〔2023〕5号|docno|岚政办发〔2023〕5号\n"
			     "head|3|关于印发工作方案的通知|title|关于印发工作方案的通知\n"
			     "head|8|2023年3月20日|date|2023年3月20日\n";

static void run(void **state)
{
	struct fixture *fx = *state;
	checks_run(&fx->C, 1);
}

/* How many findings of rule there are (at line, or anywhere for line -1). */
static int count(void **state, const char *rule, long line)
{
	struct fixture *fx = *state;
	int n = 0;
	for (size_t i = 0; i < fx->C.nf; i++)
		n += strcmp(fx->C.f[i].rule, rule) == 0 && (line < 0 || fx->C.f[i].line == line);
	return n;
}

static const struct chk_finding *finding(void **state, const char *rule, long line)
{
	struct fixture *fx = *state;
	for (size_t i = 0; i < fx->C.nf; i++)
		if (strcmp(fx->C.f[i].rule, rule) == 0 && fx->C.f[i].line == line)
			return &fx->C.f[i];
	fail_msg("no %s finding at line %ld", rule, line);
	return NULL;
}

/* ---- Numbers and lists ---- */

static void test_numbers_are_read_however_written(void **state)
{
	(void)state;
	assert_int_equal(checks_number("16", 2), 16);
	assert_int_equal(checks_number("十六", strlen("十六")), 16);
	assert_int_equal(checks_number("①", strlen("①")), 1);
	assert_int_equal(checks_number("⑳", strlen("⑳")), 20);
	assert_int_equal(checks_number("（三）", strlen("（三）")), 3);
	assert_int_equal(checks_number("【任务二】", strlen("【任务二】")), 2);
	assert_int_equal(checks_number("", 0), -1);
	assert_int_equal(checks_number("甲", strlen("甲")), -1);
}

static void test_numbers_are_written_as_the_notice_writes_them(void **state)
{
	(void)state;
	static const struct {
		long v;
		int chinese;
		const char *want;
	} cases[] = {{3, 1, "三"},    {10, 1, "十"},        {11, 1, "十一"},
		     {20, 1, "二十"}, {105, 1, "一百零五"}, {17, 0, "17"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;
		checks_format_number(&b, cases[i].v, cases[i].chinese);
		assert_string_equal(buf_str(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_a_dun_inside_brackets_belongs_to_its_item(void **state)
{
	(void)state;
	size_t longest;
	const char *s = "各县（市、区）、市直各部门、“一网、一门”";
	assert_int_equal(checks_list_items(s, strlen(s), &longest), 3);
	assert_int_equal(checks_list_items("链条延伸", strlen("链条延伸"), &longest), 0);
	s = "统筹实施产业升级、城乡融合、生态修复";
	assert_int_equal(checks_list_items(s, strlen(s), &longest), 3);
	assert_int_equal(longest, 4);
}

static void test_an_excerpt_is_about_thirty_characters_around_the_hit(void **state)
{
	(void)state;
	struct ntext t = NTEXT_INIT;
	const char *s = "为巩固工业经济回稳向好势头，加快建设现代化产业体系，结合我市实际，"
			"聚焦五大方向：链条延伸、技术改造、数字赋能、绿色转型，力争全年规模以上工业"
			"增加值增长7%以上。";
	ntext_set(&t, s, strlen(s));
	const char *hit = strstr(t.norm.s, "五大方向");
	size_t a = (size_t)(hit - t.norm.s);
	char *x = checks_excerpt(&t, a, a + strlen("五大方向"));
	assert_non_null(strstr(x, "五大方向"));
	assert_non_null(strstr(s, x)); /* as written: full-width marks stay */
	assert_true(utf8_chars(x, strlen(x)) <= 30);
	assert_true(utf8_chars(x, strlen(x)) >= 25);
	free(x);
	ntext_free(&t);
}

static void test_an_excerpt_does_not_start_inside_a_number(void **state)
{
	(void)state;
	struct ntext t = NTEXT_INIT;
	const char *s =
		"第二阶段为集中攻坚阶段（2023年6月20日—2023年6月31日）。各区制定具体实施方案。";
	ntext_set(&t, s, strlen(s));
	const char *hit = strstr(t.norm.s, "2023年6月31日");
	size_t a = (size_t)(hit - t.norm.s);
	char *x = checks_excerpt(&t, a, a + strlen("2023年6月31日"));
	assert_true(x[0] < '0' || x[0] > '9' || str_starts(x, "2023"));
	free(x);
	ntext_free(&t);
}

/* ---- Numbering ---- */

static void test_a_level_skipped_on_purpose_is_no_gap(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|一、主要任务|1|一|一、主要任务|\n"
		    "heading|14|1.推行并联审批。|3|1|1.推行并联审批|\n"
		    "heading|16|2.推行容缺受理。|3|2|2.推行容缺受理|\n"
		    "heading|18|二、保障措施|1|二|二、保障措施|\n"
		    "heading|20|（1）加强组织领导。|4|1|（1）加强组织领导|\n");
	run(state);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_numbers_running_on_across_parents_are_no_gap(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|（一）优化审批|2|一|（一）优化审批|\n"
		    "heading|13|1.甲。|3|1|1.甲|\nheading|14|2.乙。|3|2|2.乙|\n"
		    "heading|15|（二）提升体验|2|二|（二）提升体验|\n"
		    "heading|16|3.丙。|3|3|3.丙|\nheading|17|4.丁。|3|4|4.丁|\n"
		    "heading|18|（三）共享数据|2|三|（三）共享数据|\n"
		    "heading|19|5.戊。|3|5|5.戊|\n");
	run(state);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
	assert_int_equal(count(state, "numbering.duplicate", -1), 0);
}

static void test_a_number_missing_from_a_run_across_parents_is_a_gap(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|（一）优化审批|2|一|（一）优化审批|\n"
		    "heading|13|1.甲。|3|1|1.甲|\nheading|14|2.乙。|3|2|2.乙|\n"
		    "heading|15|（二）提升体验|2|二|（二）提升体验|\n"
		    "heading|16|3.丙。|3|3|3.丙|\nheading|17|4.丁。|3|4|4.丁|\n"
		    "heading|18|（三）共享数据|2|三|（三）共享数据|\n"
		    "heading|19|6.戊。|3|6|6.戊|\nheading|20|7.己。|3|7|7.己|\n"
		    "heading|21|9.庚。|3|9|9.庚|\n");
	run(state);
	assert_int_equal(count(state, "numbering.gap", -1), 2);
	assert_non_null(strstr(finding(state, "numbering.gap", 19)->message, "缺少“5.”"));
	assert_non_null(strstr(finding(state, "numbering.gap", 21)->message, "缺少“8.”"));
}

static void test_a_group_starting_past_one_is_a_gap_where_groups_restart(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|（一）甲类|2|一|（一）甲类|\n"
		    "heading|13|1.甲。|3|1|1.甲|\nheading|14|2.乙。|3|2|2.乙|\n"
		    "heading|15|（二）乙类|2|二|（二）乙类|\n"
		    "heading|16|1.丙。|3|1|1.丙|\nheading|17|2.丁。|3|2|2.丁|\n"
		    "heading|18|（四）丙类|2|四|（四）丙类|\n"
		    "heading|19|2.戊。|3|2|2.戊|\n");
	run(state);
	assert_non_null(strstr(finding(state, "numbering.gap", 18)->message, "缺少“（三）”"));
	assert_non_null(strstr(finding(state, "numbering.gap", 19)->message, "缺少“1.”"));
	assert_int_equal(count(state, "numbering.gap", -1), 2);
}

static void test_a_number_written_twice_is_a_duplicate(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|一、甲|1|一|一、甲|\nheading|14|二、乙|1|二|二、乙|\n"
		    "heading|16|二、丙|1|二|二、丙|\nheading|18|三、丁|1|三|三、丁|\n");
	run(state);
	assert_int_equal(count(state, "numbering.duplicate", 16), 1);
	/* 三、 after the second 二、 is in order */
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_a_run_repeating_its_last_number_under_a_new_parent_is_a_duplicate(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|（一）甲类|2|一|（一）甲类|\n"
		    "heading|13|1.甲。|3|1|1.甲|\nheading|14|2.乙。|3|2|2.乙|\n"
		    "heading|15|3.丙。|3|3|3.丙|\n"
		    "heading|16|（二）乙类|2|二|（二）乙类|\n"
		    "heading|17|3.丁。|3|3|3.丁|\nheading|18|4.戊。|3|4|4.戊|\n");
	run(state);
	assert_int_equal(count(state, "numbering.duplicate", 17), 1);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_an_attachment_after_the_issue_date_numbers_anew(void **state)
{
	feed(state, "head|1|岚政办发〔2023〕5号|docno|岚政办发〔2023〕5号\n"
		    "head|3|关于印发工作方案的通知|title|关于印发工作方案的通知\n"
		    "heading|5|一、提高认识|1|一|一、提高认识|\n"
		    "heading|7|二、抓好落实|1|二|二、抓好落实|\n"
		    "head|10|2023年3月20日|date|2023年3月20日\n"
		    "tail|12|附件|attachment\n"
		    "heading|14|一、甲|1|一|一、甲|\nheading|16|二、乙|1|二|二、乙|\n");
	run(state);
	assert_int_equal(count(state, "numbering.duplicate", -1), 0);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_a_second_document_after_its_title_numbers_anew(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|一、甲|1|一|一、甲|\nheading|14|二、乙|1|二|二、乙|\n"
		    "para|16|岚江市2023年民生实事项目清单\n"
		    "heading|18|一、丙|1|一|一、丙|\nheading|20|二、丁|1|二|二、丁|\n");
	run(state);
	assert_int_equal(count(state, "numbering.duplicate", -1), 0);
}

static void test_an_attachment_list_going_on_is_not_numbering(void **state)
{
	feed(state, HEADER);
	feed(state, "tail|9|附件：1.重点任务清单|attachment\n"
		    "heading|10|2.推进情况统计表|3|2|2.推进情况统计表|\n"
		    "heading|14|一、甲|1|一|一、甲|\n");
	run(state);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_rows_numbered_by_reference_are_not_reported(void **state)
{
	feed(state, HEADER);
	feed(state, "row|20|3 甲|3||甲|||||\nrow|21|21 乙|21||乙|||||\n"
		    "row|22|47 丙|47||丙|||||\nrow|23|49 丁|49||丁|||||\n"
		    "row|24|68 戊|68||戊|||||\nrow|25|69 己|69||己|||||\n");
	run(state);
	assert_int_equal(count(state, "numbering.gap", -1), 0);
}

static void test_a_row_number_missing_is_a_gap(void **state)
{
	feed(state, HEADER);
	feed(state, "row|20|1 甲|1||甲|||||\nrow|21|2 乙|2||乙|||||\n"
		    "row|22|4 丙|4||丙|||||\nrow|23|5 丁|5||丁|||||\n");
	run(state);
	assert_non_null(strstr(finding(state, "numbering.gap", 22)->message, "序号3"));
}

/* ---- Counts ---- */

static void test_a_heading_count_is_compared_with_the_items_under_it(void **state)
{
	feed(state, HEADER);
	feed(state, "heading|12|（一）实施三大工程|2|一|（一）实施三大工程|\n"
		    "heading|14|1.实施技改工程。|3|1|1.实施技改工程|\n"
		    "heading|16|2.实施数字工程。|3|2|2.实施数字工程|\n"
		    "heading|18|（二）培育两大集群|2|二|（二）培育两大集群|\n"
		    "heading|20|1.壮大新材料集群。|3|1|1.壮大新材料集群|\n"
		    "heading|22|2.做强装备集群。|3|2|2.做强装备集群|\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", 12), 1);
	assert_int_equal(count(state, "count.mismatch", 18), 0);
	assert_non_null(strstr(finding(state, "count.mismatch", 12)->message, "只有2项"));
}

static void test_a_count_before_a_colon_is_compared_with_the_dash_items_after_it(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "heading|12|（二）推进集群发展。重点开展四大行动：|2|二|（二）推进集群发展|重点开展四大行动：\n"
	     "item|14|——开展精准招商行动。|开展精准招商行动。|dash|\n"
	     "item|16|——开展梯度培育行动。|开展梯度培育行动。|dash|\n"
	     "item|18|——开展协同配套行动。|开展协同配套行动。|dash|\n"
	     "heading|20|（三）优化服务|2|三|（三）优化服务|\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", 12), 1);
}

static void test_a_paragraph_of_its_own_ends_a_run_of_dash_items(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|重点开展两大行动：\n"
		    "item|13|——开展汽车促销行动。|开展汽车促销行动。|dash|\n"
		    "para|14|牵头单位：市商务局\n"
		    "item|15|——开展家电换新行动。|开展家电换新行动。|dash|\n"
		    "para|16|（牵头单位：市商务局）\n"
		    "para|17|各县区要按照以下原则组织实施：\n"
		    "item|18|——坚持政府引导。|坚持政府引导。|dash|\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", -1), 0);
}

static void test_yishi_items_count_even_when_the_first_holds_a_list(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "heading|12|（四）优化服务保障。重点抓好三项工作：|2|四|（四）优化服务保障|重点抓好三项工作：\n"
	     "item|12|一是强化用地、用能、用工等要素保障；|强化用地、用能、用工等要素保障；|inline|一\n"
	     "item|12|二是深化政务服务改革；|深化政务服务改革；|inline|二\n"
	     "item|12|三是规范涉企执法检查。|规范涉企执法检查。|inline|三\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", -1), 0);
}

static void test_two_yishi_items_after_three_are_a_mismatch(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "para|12|着力抓好三项工作：\npara|13|一是加强组织领导；\npara|14|二是强化督查考核。\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", 12), 1);
}

static void test_a_list_after_a_colon_is_counted_to_the_clause_end(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "para|12|聚焦五大方向：链条延伸、技术改造、数字赋能、绿色转型，力争增长7%以上。\n"
	     "para|14|建立三项制度：联席会议制度、信息报送制度和考核评价制度。\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", 12), 1);
	assert_int_equal(count(state, "count.mismatch", 14), 0);
}

static void test_idioms_are_names_not_counts(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "para|12|巩固“两不愁三保障”成果（义务教育、基本医疗、住房安全和饮水安全）。\n"
	     "para|13|推行一网通办、一件事一次办，严控三公经费，融入一带一路，建立一户一档。\n"
	     "para|14|各乡（镇）、各有关单位要严格执行中央八项规定精神。\n"
	     "heading|16|二、坚决打赢三大攻坚战|1|二|二、坚决打赢三大攻坚战|\n"
	     "heading|17|1.甲。|3|1|1.甲|\nheading|18|2.乙。|3|2|2.乙|\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", -1), 0);
}

static void test_a_count_introducing_nothing_is_not_checked(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "para|12|推进智慧教育、智慧医疗、智慧交通，建设“两张网”，打造三个中心。\n"
	     "heading|14|（一）围绕三大产业开展精准招商|2|一|（一）围绕三大产业开展精准招商|\n"
	     "heading|15|1.甲。|3|1|1.甲|\n"
	     "para|16|聚焦一个目标、四个提升任务，推进防洪工程、三条河道综合治理等工程。\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", -1), 0);
}

static void test_a_bracket_left_open_after_a_count_is_no_list(void **state)
{
	struct fixture *fx = *state;
	feed(state, HEADER);
	feed(state, "para|12|建立三项制度（联席会议、信息报送、督查通报、考核评价\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", -1), 0);
	for (size_t i = 0; i < fx->C.nf; i++)
		assert_true(utf8_valid(fx->C.f[i].message, strlen(fx->C.f[i].message), NULL));
}

static void test_a_short_list_before_a_count_is_its_list(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|统筹实施产业升级、城乡融合、生态修复四大工程。\n"
		    "para|13|大力发展电子信息、生物医药、新材料等五大新兴产业。\n");
	run(state);
	assert_int_equal(count(state, "count.mismatch", 12), 1);
	assert_int_equal(count(state, "count.mismatch", 13), 0); /* 等: not all are named */
}

/* ---- Dates ---- */

static void test_a_past_year_describing_a_noun_raises_nothing(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|对2000年底前建成的老旧小区实施改造，1998年以来累计改造800个。\n");
	run(state);
	assert_int_equal(count(state, "date.range_suspicious", -1), 0);
}

static void test_a_far_future_year_is_questioned_unless_a_milestone(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|到2050年建成美丽城市，2060年前实现碳中和。\n"
		    "para|13|到2053年基本实现目标。\n");
	run(state);
	assert_int_equal(count(state, "date.range_suspicious", 12), 0);
	assert_int_equal(count(state, "date.range_suspicious", 13), 1);
}

static void test_glued_and_reversed_ranges_are_suspicious(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|对20222023年度计划内项目（2025-2023年）和2023—2025年规划。\n");
	run(state);
	assert_int_equal(count(state, "date.range_suspicious", 12), 2);
}

static void test_a_deadline_before_the_issue_date_is_reported_at_its_line(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "heading|12|（一）储备物资。|2|一|（一）储备物资|\n"
	     "para|13|完成时限：2023年1月底前\n"
	     "task|12|1|||储备物资。||县农业农村局||2023-01-31||县农业农村局||13|2023年1月底前|||\n"
	     "heading|15|（二）检修农机。2023年6月底前完成。|2|二|（二）检修农机|2023年6月底前完成。\n"
	     "task|15|2|||检修农机。||县农业农村局||2023-06-30||县农业农村局||15||||\n");
	run(state);
	const struct chk_finding *f = finding(state, "date.deadline_before_issue", 13);
	assert_int_equal(count(state, "date.deadline_before_issue", -1), 1);
	assert_non_null(strstr(f->message, "2023年1月底前"));
	assert_non_null(strstr(f->text, "2023年1月底前"));
}

static void test_an_issue_date_without_year_is_malformed_not_missing(void **state)
{
	feed(state, "head|1|栖政办〔2023〕19号|docno|栖政办〔2023〕19号\n"
		    "head|3|关于做好防汛工作的通知|title|关于做好防汛工作的通知\n"
		    "head|12|5月6日|date|5月6日\n");
	run(state);
	struct fixture *fx = *state;
	assert_int_equal(count(state, "header.missing", -1), 0);
	assert_non_null(strstr(finding(state, "date.malformed", 12)->message, "缺年份"));
	assert_int_equal(fx->C.issue.y, 2023);
	assert_int_equal(fx->C.issue.m, 5);
	assert_int_equal(fx->C.issue.d, 6);
}

static void test_a_date_without_ri_is_malformed(void **state)
{
	feed(state, HEADER);
	feed(state, "para|12|市政府于2023年5月29召开推进会。\npara|13|2023年6月31日前完成。\n");
	run(state);
	assert_non_null(strstr(finding(state, "date.malformed", 12)->message, "缺“日”"));
	assert_int_equal(count(state, "date.invalid", 13), 1);
}

/* ---- Document numbers and the header ---- */

static void test_a_docno_with_square_brackets_is_malformed(void **state)
{
	feed(state,
	     "head|1|鹤政办[2023]15号|docno|鹤政办[2023]15号\n"
	     "head|3|关于印发工作方案的通知|title|关于印发工作方案的通知\n"
	     "head|8|2023年3月20日|date|2023年3月20日\n"
	     "para|12|依据《办法》（鹤政发〔202211号）和《意见》（鹤政办发〔2021〕22号）。\n");
	run(state);
	assert_non_null(
		strstr(finding(state, "docno.malformed", 1)->message, "鹤政办〔2023〕15号"));
	assert_non_null(
		strstr(finding(state, "docno.malformed", 12)->message, "鹤政发〔2022〕11号"));
	assert_int_equal(count(state, "docno.malformed", -1), 2);
	assert_int_equal(count(state, "docno.year_mismatch", -1), 0);
}

static void test_a_docno_of_another_year_is_a_mismatch(void **state)
{
	feed(state, "head|1|栖政办发〔2022〕48号|docno|栖政办发〔2022〕48号\n"
		    "head|3|关于印发工作方案的通知|title|关于印发工作方案的通知\n"
		    "head|8|2023年1月6日|date|2023年1月6日\n");
	run(state);
	assert_int_equal(count(state, "docno.year_mismatch", 1), 1);
}

static void test_a_notice_without_docno_is_missing_it(void **state)
{
	feed(state, "head|3|关于印发工作方案的通知|title|关于印发工作方案的通知\n"
		    "head|8|2023年3月20日|date|2023年3月20日\n");
	run(state);
	assert_non_null(strstr(finding(state, "header.missing", 0)->message, "发文字号"));
}

/* ---- Tasks, names and what is written ---- */

static void test_a_task_without_lead_is_missing_a_field(void **state)
{
	feed(state, HEADER);
	feed(state,
	     "heading|12|1.加强农村公路建设。县交通运输局、县水利局按职责分工负责。|3|1|1.加强农村公路建设|\n"
	     "task|12|1|||加强农村公路建设。|||县交通运输局\\n县水利局||||||||\n");
	run(state);
	const struct chk_finding *f = finding(state, "task.missing_field", 12);
	assert_non_null(strstr(f->message, "县交通运输局、县水利局"));
}

static void test_a_finding_names_the_task_whose_lines_hold_it(void **state)
{
	struct fixture *fx = *state;
	feed(state, HEADER);
	feed(state, "heading|12|（一）甲|2|一|（一）甲|\npara|13|牵头单位：市商务局\n"
		    "para|14|完成时限：2023年5月29\n"
		    "heading|16|（二）乙|2|二|（二）乙|\n"
		    "heading|20|三、保障措施|1|三|三、保障措施|\npara|21|2023年5月29\n"
		    "task|12|1|||甲||市商务局|||||||||\n"
		    "task|16|2|||乙||市商务局|||||||||\n");
	assert_int_equal(checks_task_at(&fx->C, 14), 1);
	assert_int_equal(checks_task_at(&fx->C, 16), 2);
	assert_int_equal(checks_task_at(&fx->C, 21), 0);
	assert_int_equal(checks_task_at(&fx->C, 0), 0);
}

static void test_every_rule_has_a_name_and_advice(void **state)
{
	struct fixture *fx = *state;
	static const char *const RULES[] = {"encoding.invalid_bytes",
					    "header.missing",
					    "numbering.gap",
					    "numbering.duplicate",
					    "task.missing_field",
					    "date.malformed",
					    "date.invalid",
					    "date.range_suspicious",
					    "date.deadline_before_issue",
					    "docno.malformed",
					    "docno.year_mismatch",
					    "count.mismatch",
					    "unit.alias",
					    "unit.renamed",
					    "leader.variant",
					    "task.none",
					    "rules.match_limit"};
	for (size_t i = 0; i < sizeof RULES / sizeof *RULES; i++) {
		assert_non_null(checks_rule_name(&fx->rs, RULES[i]));
		assert_non_null(checks_rule_advice(&fx->rs, RULES[i]));
	}
	assert_string_equal(checks_rule_name(&fx->rs, "count.mismatch"), "数量与列举不符");
	assert_null(checks_rule_name(&fx->rs, "no.such_rule"));
}

static void test_written_findings_carry_seq_name_and_advice(void **state)
{
	struct fixture *fx = *state;
	feed(state, HEADER);
	feed(state,
	     "heading|12|（一）甲。2023年5月29召开会议。|2|一|（一）甲|2023年5月29召开会议。\n"
	     "task|12|1|||甲||市商务局|||||||||\n"
	     "finding|12|提示|unit.alias|“市商务委”并入“市商务局”|市商务委|0||\n");
	char *out = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	checks_write(&fx->C, o, 1);
	fclose(o);
	/* The issue date, then both findings of line 12, each with 序号 1, a name and advice. */
	assert_non_null(strstr(out, "meta\tissue_date\t2023-03-20\n"));
	assert_non_null(strstr(out, "finding\t12\t警告\tdate.malformed\t"));
	assert_non_null(strstr(out, "\t1\t日期写法不规范\t"));
	assert_non_null(
		strstr(out, "finding\t12\t提示\tunit.alias\t“市商务委”并入“市商务局”\t市商务委\t1\t"
			    "单位名称合并\t"));
	assert_int_equal(fx->C.nf, 0); /* forgotten */
	free(out);
}

static void test_a_finding_of_an_earlier_stage_is_kept_not_passed(void **state)
{
	struct fixture *fx = *state;
	struct rec r = REC_INIT;
	const char *s = "finding\t0\t提示\ttask.unread\t说明\t原文\t0\t名称\t建议\n";
	FILE *in = fmemopen((void *)s, strlen(s), "r");
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(checks_add(&fx->C, &r), 0);
	assert_int_equal(fx->C.nf, 1);
	assert_string_equal(fx->C.f[0].name, "名称");
	checks_reset(&fx->C); /* outside a notice, a finding goes on */
	assert_int_equal(checks_add(&fx->C, &r), 1);
	assert_int_equal(fx->C.nf, 0);
	rec_free(&r);
	fclose(in);
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_numbers_are_read_however_written),
		T(test_numbers_are_written_as_the_notice_writes_them),
		T(test_a_dun_inside_brackets_belongs_to_its_item),
		T(test_an_excerpt_is_about_thirty_characters_around_the_hit),
		T(test_an_excerpt_does_not_start_inside_a_number),
		T(test_a_level_skipped_on_purpose_is_no_gap),
		T(test_numbers_running_on_across_parents_are_no_gap),
		T(test_a_number_missing_from_a_run_across_parents_is_a_gap),
		T(test_a_group_starting_past_one_is_a_gap_where_groups_restart),
		T(test_a_number_written_twice_is_a_duplicate),
		T(test_a_run_repeating_its_last_number_under_a_new_parent_is_a_duplicate),
		T(test_an_attachment_after_the_issue_date_numbers_anew),
		T(test_a_second_document_after_its_title_numbers_anew),
		T(test_an_attachment_list_going_on_is_not_numbering),
		T(test_rows_numbered_by_reference_are_not_reported),
		T(test_a_row_number_missing_is_a_gap),
		T(test_a_heading_count_is_compared_with_the_items_under_it),
		T(test_a_count_before_a_colon_is_compared_with_the_dash_items_after_it),
		T(test_a_paragraph_of_its_own_ends_a_run_of_dash_items),
		T(test_yishi_items_count_even_when_the_first_holds_a_list),
		T(test_two_yishi_items_after_three_are_a_mismatch),
		T(test_a_list_after_a_colon_is_counted_to_the_clause_end),
		T(test_idioms_are_names_not_counts),
		T(test_a_count_introducing_nothing_is_not_checked),
		T(test_a_bracket_left_open_after_a_count_is_no_list),
		T(test_a_short_list_before_a_count_is_its_list),
		T(test_a_past_year_describing_a_noun_raises_nothing),
		T(test_a_far_future_year_is_questioned_unless_a_milestone),
		T(test_glued_and_reversed_ranges_are_suspicious),
		T(test_a_deadline_before_the_issue_date_is_reported_at_its_line),
		T(test_an_issue_date_without_year_is_malformed_not_missing),
		T(test_a_date_without_ri_is_malformed),
		T(test_a_docno_with_square_brackets_is_malformed),
		T(test_a_docno_of_another_year_is_a_mismatch),
		T(test_a_notice_without_docno_is_missing_it),
		T(test_a_task_without_lead_is_missing_a_field),
		T(test_a_finding_names_the_task_whose_lines_hold_it),
		T(test_every_rule_has_a_name_and_advice),
		T(test_written_findings_carry_seq_name_and_advice),
		T(test_a_finding_of_an_earlier_stage_is_kept_not_passed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
