/* test_cn.c - numerals and calendar dates of cn.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "notice/cn.h"

static long number(const char *s) { return cn_number(s, strlen(s)); }

static void test_cn_number_reads_arabic_digits(void **state)
{
	(void)state;
	assert_int_equal(number("29"), 29);
	assert_int_equal(number("0"), 0);
	assert_int_equal(number("2018"), 2018);
	assert_int_equal(number("007"), 7);
}

static void test_cn_number_reads_chinese_counts(void **state)
{
	(void)state;
	assert_int_equal(number("一"), 1);
	assert_int_equal(number("九"), 9);
	assert_int_equal(number("十"), 10);
	assert_int_equal(number("十二"), 12);
	assert_int_equal(number("二十"), 20);
	assert_int_equal(number("二十九"), 29);
	assert_int_equal(number("三十一"), 31);
	assert_int_equal(number("一百"), 100);
	assert_int_equal(number("一百零五"), 105);
	assert_int_equal(number("一百一十"), 110);
	assert_int_equal(number("三千二百"), 3200);
	assert_int_equal(number("两千零二十一"), 2021);
	assert_int_equal(number("两"), 2);
}

static void test_cn_number_reads_digit_by_digit_years(void **state)
{
	(void)state;
	assert_int_equal(number("二〇一八"), 2018);
	assert_int_equal(number("二零二一"), 2021);
	assert_int_equal(number("二○一九"), 2019); /* U+25CB white circle */
	assert_int_equal(number("二O二O"), 2020);  /* Latin O for zero */
	assert_int_equal(number("一九九九"), 1999);
}

static void test_cn_number_reads_zero_forms(void **state)
{
	(void)state;
	assert_int_equal(number("〇"), 0);
	assert_int_equal(number("零"), 0);
	assert_int_equal(number("○"), 0);
	assert_int_equal(number("０"), 0);
}

static void test_cn_number_respects_the_given_length(void **state)
{
	(void)state;
	assert_int_equal(cn_number("二十九日", strlen("二十九")), 29);
	assert_int_equal(cn_number("123", 2), 12);
}

static void test_cn_number_of_invalid_input_is_minus_one(void **state)
{
	(void)state;
	assert_int_equal(number(""), -1);
	assert_int_equal(number("abc"), -1);
	assert_int_equal(number("二十九日"), -1);
	assert_int_equal(number("12a"), -1);
	assert_int_equal(number("-5"), -1);
	assert_int_equal(number(" 5"), -1);
	assert_int_equal(number("万"), -1);
	assert_int_equal(cn_number("\xE4\xB8", 2), -1); /* truncated UTF-8 */
	assert_int_equal(number("1234567890123"), -1);  /* too large */
}

static void test_date_days_in_month_knows_leap_years(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2019, 2), 28);
	assert_int_equal(date_days_in_month(2020, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2021, 4), 30);
	assert_int_equal(date_days_in_month(2021, 12), 31);
	assert_int_equal(date_days_in_month(2021, 0), 0);
	assert_int_equal(date_days_in_month(2021, 13), 0);
}

static void test_date_valid_rejects_feb_29_of_common_year(void **state)
{
	(void)state;
	assert_false(date_valid(2019, 2, 29));
	assert_false(date_valid(2100, 2, 29));
}

static void test_date_valid_accepts_feb_29_of_leap_year(void **state)
{
	(void)state;
	assert_true(date_valid(2020, 2, 29));
	assert_true(date_valid(2000, 2, 29));
}

static void test_date_valid_rejects_month_13_day_0_and_day_32(void **state)
{
	(void)state;
	assert_false(date_valid(2021, 13, 1));
	assert_false(date_valid(2021, 0, 1));
	assert_false(date_valid(2021, 1, 0));
	assert_false(date_valid(2021, 1, 32));
	assert_false(date_valid(2021, 4, 31));
	assert_true(date_valid(2021, 12, 31));
}

static void test_date_valid_rejects_years_out_of_range(void **state)
{
	(void)state;
	assert_false(date_valid(1899, 12, 31));
	assert_true(date_valid(1900, 1, 1));
	assert_true(date_valid(2199, 12, 31));
	assert_false(date_valid(2200, 1, 1));
}

static void test_date_serial_orders_dates(void **state)
{
	(void)state;
	assert_true(date_serial(2021, 6, 30) < date_serial(2021, 7, 1));
	assert_true(date_serial(2020, 12, 31) < date_serial(2021, 1, 1));
	assert_true(date_serial(2021, 2, 28) < date_serial(2021, 3, 1));
	assert_true(date_serial(2019, 12, 31) < date_serial(2020, 1, 1));
	assert_int_equal(date_serial(2021, 1, 1) + 1, date_serial(2021, 1, 2));
}

static void test_date_serial_difference_counts_feb_29_in_a_leap_year(void **state)
{
	(void)state;
	assert_int_equal(date_serial(2020, 3, 1) - date_serial(2020, 2, 28), 2);
	assert_int_equal(date_serial(2019, 3, 1) - date_serial(2019, 2, 28), 1);
	assert_int_equal(date_serial(2021, 1, 1) - date_serial(2020, 1, 1), 366);
	assert_int_equal(date_serial(2020, 1, 1) - date_serial(2019, 1, 1), 365);
	assert_int_equal(date_serial(2001, 1, 1) - date_serial(2000, 1, 1), 366);
	assert_int_equal(date_serial(1901, 1, 1) - date_serial(1900, 1, 1), 365);
	assert_int_equal(date_serial(2020, 12, 31) - date_serial(2016, 1, 1), 5 * 365 + 1);
}

static void test_date_from_iso_reads_a_valid_date(void **state)
{
	(void)state;
	int y = 0, m = 0, d = 0;
	assert_true(date_from_iso("2021-06-30", &y, &m, &d));
	assert_int_equal(y, 2021);
	assert_int_equal(m, 6);
	assert_int_equal(d, 30);
	assert_true(date_from_iso("2020-02-29", &y, &m, &d));
	assert_int_equal(d, 29);
}

static void test_date_from_iso_rejects_invalid_dates_and_text(void **state)
{
	(void)state;
	int y, m, d;
	assert_false(date_from_iso("2019-02-29", &y, &m, &d));
	assert_false(date_from_iso("2021-13-01", &y, &m, &d));
	assert_false(date_from_iso("2021-06", &y, &m, &d));
	assert_false(date_from_iso("", &y, &m, &d));
	assert_false(date_from_iso("2021年6月30日", &y, &m, &d));
	assert_false(date_from_iso("abcd-ef-gh", &y, &m, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cn_number_reads_arabic_digits),
		cmocka_unit_test(test_cn_number_reads_chinese_counts),
		cmocka_unit_test(test_cn_number_reads_digit_by_digit_years),
		cmocka_unit_test(test_cn_number_reads_zero_forms),
		cmocka_unit_test(test_cn_number_respects_the_given_length),
		cmocka_unit_test(test_cn_number_of_invalid_input_is_minus_one),
		cmocka_unit_test(test_date_days_in_month_knows_leap_years),
		cmocka_unit_test(test_date_valid_rejects_feb_29_of_common_year),
		cmocka_unit_test(test_date_valid_accepts_feb_29_of_leap_year),
		cmocka_unit_test(test_date_valid_rejects_month_13_day_0_and_day_32),
		cmocka_unit_test(test_date_valid_rejects_years_out_of_range),
		cmocka_unit_test(test_date_serial_orders_dates),
		cmocka_unit_test(test_date_serial_difference_counts_feb_29_in_a_leap_year),
		cmocka_unit_test(test_date_from_iso_reads_a_valid_date),
		cmocka_unit_test(test_date_from_iso_rejects_invalid_dates_and_text),
	};
	return cmocka_run_group_tests_name("cn", tests, NULL, NULL);
}
