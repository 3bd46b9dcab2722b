/* test_dates.c - issue dates and deadlines of dates.c, with the real rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "notice/dates.h"

static int setup(void **state)
{
	static struct rules rs;
	struct buf err = BUF_INIT;
	memset(&rs, 0, sizeof rs);
	int problems = rules_load(&rs, "rules", &err);
	if (problems)
		print_error("rules: %s", buf_str(&err));
	buf_free(&err);
	*state = &rs;
	return problems ? -1 : 0;
}

static int teardown(void **state)
{
	rules_free(*state);
	return 0;
}

static void assert_ymd(const struct ymd *d, int y, int m, int dd)
{
	assert_int_equal(d->y, y);
	assert_int_equal(d->m, m);
	assert_int_equal(d->d, dd);
}

/* The deadline in s of a notice issued on 15 June of thisyear (0: no date), asserted found. */
static struct ymd deadline(void **state, const char *s, int thisyear, int bare)
{
	struct ymd d = {-1, -1, -1}, issue = {thisyear, thisyear ? 6 : 0, thisyear ? 15 : 0};
	if (!dates_deadline(*state, s, &issue, bare, &d))
		fail_msg("no deadline found in \"%s\"", s);
	return d;
}

/* The deadline in s of a notice issued on the day given. */
static struct ymd deadline_on(void **state, const char *s, int y, int m, int dd)
{
	struct ymd d = {-1, -1, -1}, issue = {y, m, dd};
	if (!dates_deadline(*state, s, &issue, 0, &d))
		fail_msg("no deadline found in \"%s\"", s);
	return d;
}

static void assert_no_deadline(void **state, const char *s, int thisyear, int bare)
{
	struct ymd d = {-1, -1, -1}, issue = {thisyear, thisyear ? 6 : 0, thisyear ? 15 : 0};
	if (dates_deadline(*state, s, &issue, bare, &d))
		fail_msg("deadline %d-%d-%d found in \"%s\"", d.y, d.m, d.d, s);
	assert_ymd(&d, -1, -1, -1); /* untouched */
}

static void test_dates_issue_reads_arabic_date(void **state)
{
	struct ymd d;
	assert_true(dates_issue(*state, "2018年5月29日", &d));
	assert_ymd(&d, 2018, 5, 29);
}

static void test_dates_issue_reads_chinese_numeral_date(void **state)
{
	struct ymd d;
	assert_true(dates_issue(*state, "二〇二一年三月八日", &d));
	assert_ymd(&d, 2021, 3, 8);
	assert_true(dates_issue(*state, "二〇一九年十一月二十一日", &d));
	assert_ymd(&d, 2019, 11, 21);
}

static void test_dates_issue_reads_date_without_ri(void **state)
{
	struct ymd d;
	assert_true(dates_issue(*state, "  2018年5月29", &d));
	assert_ymd(&d, 2018, 5, 29);
}

static void test_dates_issue_leaves_day_zero_when_not_stated(void **state)
{
	struct ymd d;
	assert_true(dates_issue(*state, "2021年3月", &d));
	assert_ymd(&d, 2021, 3, 0);
}

static void test_dates_issue_reads_dotted_date(void **state)
{
	struct ymd d;
	assert_true(dates_issue(*state, "2018.5.29", &d));
	assert_ymd(&d, 2018, 5, 29);
}

static void test_dates_issue_rejects_a_line_that_is_not_a_date(void **state)
{
	struct ymd d;
	assert_false(dates_issue(*state, "2018年5月29日印发", &d));
	assert_false(dates_issue(*state, "2018年以来,全市上下", &d));
	assert_false(dates_issue(*state, "", &d));
}

static void test_dates_deadline_dao_year_is_end_of_that_year(void **state)
{
	struct ymd d = deadline(state, "到2020年,基本建立长效机制", 0, 0);
	assert_ymd(&d, 2020, 12, 31);
}

static void test_dates_deadline_full_width_digits_and_ranges(void **state)
{
	struct ymd d = deadline(state, "２０２５年６月３０日前完成", 0, 0);
	assert_ymd(&d, 2025, 6, 30);
	d = deadline(state, "１０月底前", 2025, 0);
	assert_ymd(&d, 2025, 10, 31);
	d = deadline(state, "6—8月", 2024, 0);
	assert_ymd(&d, 2024, 8, 31);
	d = deadline(state, "2024—2025年", 0, 0);
	assert_ymd(&d, 2025, 12, 31);
	d = deadline(state, "今年10月", 2023, 0);
	assert_ymd(&d, 2023, 10, 31);
	d = deadline(state, "次年3月底前完成", 2024, 0);
	assert_ymd(&d, 2025, 3, 31);
	struct ymd i;
	assert_true(dates_issue(*state, "２０２５年３月２日", &i));
	assert_ymd(&i, 2025, 3, 2);
}

static void test_dates_deadline_month_end_is_last_day_of_month(void **state)
{
	struct ymd d = deadline(state, "2021年6月底前完成", 0, 0);
	assert_ymd(&d, 2021, 6, 30);
	d = deadline(state, "2020年2月底前", 0, 0);
	assert_ymd(&d, 2020, 2, 29);
}

static void test_dates_deadline_year_end_uses_thisyear(void **state)
{
	struct ymd d = deadline(state, "年底前完成", 2019, 0);
	assert_ymd(&d, 2019, 12, 31);
	d = deadline(state, "加快建设,年底前完成", 2019, 0);
	assert_ymd(&d, 2019, 12, 31);
	d = deadline(state, "今年年底前建成", 2021, 0);
	assert_ymd(&d, 2021, 12, 31);
}

static void test_dates_deadline_year_end_without_thisyear_is_none(void **state)
{
	assert_no_deadline(state, "年底前完成", 0, 0);
}

static void test_dates_deadline_shisanwu_end_is_2020_12_31(void **state)
{
	struct ymd d = deadline(state, "到十三五末,全面建成", 0, 0);
	assert_ymd(&d, 2020, 12, 31);
}

static void test_dates_deadline_shisiwu_period_is_2025_12_31(void **state)
{
	struct ymd d = deadline(state, "十四五期间完成改造", 0, 0);
	assert_ymd(&d, 2025, 12, 31);
}

static void test_dates_deadline_quarter_is_end_of_its_last_month(void **state)
{
	struct ymd d = deadline(state, "2021年第三季度", 0, 0);
	assert_ymd(&d, 2021, 9, 30);
	d = deadline(state, "2021年1季度完成", 0, 0);
	assert_ymd(&d, 2021, 3, 31);
	d = deadline(state, "2021年第四季度", 0, 0);
	assert_ymd(&d, 2021, 12, 31);
}

static void test_dates_deadline_month_without_year_is_the_notices_year(void **state)
{
	struct ymd d = deadline_on(state, "5月底前完成改造", 2023, 3, 1);
	assert_ymd(&d, 2023, 5, 31);
	d = deadline_on(state, "于6月15日前报送", 2023, 3, 1);
	assert_ymd(&d, 2023, 6, 15);
	d = deadline_on(state, "9月中旬完成", 2023, 3, 1);
	assert_ymd(&d, 2023, 9, 20);
}

static void test_dates_deadline_this_quarter_is_the_issue_dates_quarter_end(void **state)
{
	struct ymd d = deadline_on(state, "本季度末前完成", 2023, 2, 10);
	assert_ymd(&d, 2023, 3, 31);
	d = deadline_on(state, "本季度末", 2023, 8, 1);
	assert_ymd(&d, 2023, 9, 30);
}

static void test_dates_deadline_half_and_quarter_without_year(void **state)
{
	struct ymd d = deadline_on(state, "下半年建成", 2024, 3, 5);
	assert_ymd(&d, 2024, 12, 31);
	d = deadline_on(state, "三季度末", 2024, 3, 5);
	assert_ymd(&d, 2024, 9, 30);
	d = deadline_on(state, "上半年", 2024, 3, 5);
	assert_ymd(&d, 2024, 6, 30);
}

static void test_dates_deadline_recurring_and_undated_words_are_none(void **state)
{
	assert_no_deadline(state, "每季度末报送进展情况", 2023, 0);
	assert_no_deadline(state, "每月10日前报送", 2023, 0);
	assert_no_deadline(state, "长期坚持", 2023, 0);
	assert_no_deadline(state, "持续推进", 2023, 0);
}

static void test_dates_deadline_year_qualifying_a_noun_is_none(void **state)
{
	assert_no_deadline(state, "对2000年底前建成的老旧小区实施改造", 2023, 0);
	struct ymd d = deadline(state, "2023年底前完成改造", 2023, 0);
	assert_ymd(&d, 2023, 12, 31);
}

static void test_dates_deadline_half_year_is_june_or_december(void **state)
{
	struct ymd d = deadline(state, "2022年上半年", 0, 0);
	assert_ymd(&d, 2022, 6, 30);
	d = deadline(state, "2022年下半年", 0, 0);
	assert_ymd(&d, 2022, 12, 31);
}

static void test_dates_deadline_full_date_before_is_that_day(void **state)
{
	struct ymd d = deadline(state, "2021年12月31日前", 0, 0);
	assert_ymd(&d, 2021, 12, 31);
}

/*
 * BUG: a year introduced by 到/于/在/至 hides the month, quarter or half
 * year that follows it. The deadline pattern "(?:到|至|截至|截止|于|在) *YEAR
 * *年" matches earlier in the line than the precise pattern, dates_deadline
 * resumes scanning after it, and the year end wins:
 *   "于2021年9月15日前完成" gives 2021-12-31, expected 2021-09-15
 *   "到2021年6月底前完成"   gives 2021-12-31, expected 2021-06-30
 *   "到2021年第三季度"      gives 2021-12-31, expected 2021-09-30
 *   "到2022年上半年"        gives 2022-12-31, expected 2022-06-30
 * (rules/deadlines.rules and/or dates.c). Remove the skip() when fixed.
 */
static void test_dates_deadline_dao_year_month_is_that_month_not_year_end(void **state)
{
	struct ymd d = deadline(state, "于2021年9月15日前完成", 0, 0);
	assert_ymd(&d, 2021, 9, 15);
	d = deadline(state, "到2021年6月底前完成", 0, 0);
	assert_ymd(&d, 2021, 6, 30);
	d = deadline(state, "到2021年第三季度", 0, 0);
	assert_ymd(&d, 2021, 9, 30);
	d = deadline(state, "到2022年上半年", 0, 0);
	assert_ymd(&d, 2022, 6, 30);
}

static void test_dates_deadline_of_several_is_the_latest(void **state)
{
	struct ymd d = deadline(
		state, "2022年6月底前完成一期工程,2020年底前完成规划,2021年第三季度验收", 0, 0);
	assert_ymd(&d, 2022, 6, 30);
	d = deadline(state, "到2020年基本建立,十四五期间全面完成,2021年底前", 0, 0);
	assert_ymd(&d, 2025, 12, 31);
}

static void test_dates_deadline_liangnian_nei_is_no_deadline(void **state)
{
	assert_no_deadline(state, "两年内完成", 2019, 0);
	assert_no_deadline(state, "两年内", 0, 1);
}

static void test_dates_deadline_bare_month_field_is_end_of_month(void **state)
{
	struct ymd d = deadline(state, "2022年3月", 0, 1);
	assert_ymd(&d, 2022, 3, 31);
	d = deadline(state, "2022年", 0, 1);
	assert_ymd(&d, 2022, 12, 31);
	d = deadline(state, "2021年11月20日", 0, 1);
	assert_ymd(&d, 2021, 11, 20);
}

static void test_dates_deadline_bare_month_needs_bare_flag(void **state)
{
	assert_no_deadline(state, "2022年3月", 0, 0);
}

static void test_dates_deadline_phrase_wins_over_bare_date(void **state)
{
	struct ymd d = deadline(state, "2022年3月,2021年底前完成", 0, 1);
	assert_ymd(&d, 2021, 12, 31);
}

static void test_dates_deadline_without_date_is_none(void **state)
{
	assert_no_deadline(state, "加强组织领导,落实工作责任", 2019, 1);
	assert_no_deadline(state, "", 2019, 1);
}

static void test_dates_deadline_invalid_date_is_none(void **state)
{
	assert_no_deadline(state, "2021年2月30日前", 0, 0);
	assert_no_deadline(state, "2021年13月底前", 0, 0);
}

static void test_ymd_cmp_orders_dates(void **state)
{
	(void)state;
	struct ymd a = {2021, 6, 30}, b = {2021, 7, 1}, c = {2021, 6, 30};
	assert_int_equal(ymd_cmp(&a, &b), -1);
	assert_int_equal(ymd_cmp(&b, &a), 1);
	assert_int_equal(ymd_cmp(&a, &c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_issue_reads_arabic_date),
		cmocka_unit_test(test_dates_deadline_month_without_year_is_the_notices_year),
		cmocka_unit_test(test_dates_deadline_this_quarter_is_the_issue_dates_quarter_end),
		cmocka_unit_test(test_dates_deadline_half_and_quarter_without_year),
		cmocka_unit_test(test_dates_deadline_recurring_and_undated_words_are_none),
		cmocka_unit_test(test_dates_deadline_year_qualifying_a_noun_is_none),
		cmocka_unit_test(test_dates_issue_reads_chinese_numeral_date),
		cmocka_unit_test(test_dates_issue_reads_date_without_ri),
		cmocka_unit_test(test_dates_issue_leaves_day_zero_when_not_stated),
		cmocka_unit_test(test_dates_issue_reads_dotted_date),
		cmocka_unit_test(test_dates_issue_rejects_a_line_that_is_not_a_date),
		cmocka_unit_test(test_dates_deadline_dao_year_is_end_of_that_year),
		cmocka_unit_test(test_dates_deadline_month_end_is_last_day_of_month),
		cmocka_unit_test(test_dates_deadline_full_width_digits_and_ranges),
		cmocka_unit_test(test_dates_deadline_year_end_uses_thisyear),
		cmocka_unit_test(test_dates_deadline_year_end_without_thisyear_is_none),
		cmocka_unit_test(test_dates_deadline_shisanwu_end_is_2020_12_31),
		cmocka_unit_test(test_dates_deadline_shisiwu_period_is_2025_12_31),
		cmocka_unit_test(test_dates_deadline_quarter_is_end_of_its_last_month),
		cmocka_unit_test(test_dates_deadline_half_year_is_june_or_december),
		cmocka_unit_test(test_dates_deadline_full_date_before_is_that_day),
		cmocka_unit_test(test_dates_deadline_dao_year_month_is_that_month_not_year_end),
		cmocka_unit_test(test_dates_deadline_of_several_is_the_latest),
		cmocka_unit_test(test_dates_deadline_liangnian_nei_is_no_deadline),
		cmocka_unit_test(test_dates_deadline_bare_month_field_is_end_of_month),
		cmocka_unit_test(test_dates_deadline_bare_month_needs_bare_flag),
		cmocka_unit_test(test_dates_deadline_phrase_wins_over_bare_date),
		cmocka_unit_test(test_dates_deadline_without_date_is_none),
		cmocka_unit_test(test_dates_deadline_invalid_date_is_none),
		cmocka_unit_test(test_ymd_cmp_orders_dates),
	};
	return cmocka_run_group_tests_name("dates", tests, setup, teardown);
}
