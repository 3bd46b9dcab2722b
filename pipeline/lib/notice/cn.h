/*
 * cn.h - Chinese and Arabic numerals, and calendar dates.
 */
#ifndef NM_CN_H
#define NM_CN_H

#include <stddef.h>

/*
 * The value of a numeral written in Arabic digits ("29"), as a Chinese
 * count ("二十九", "一百零五") or digit by digit ("二〇一八"). Returns -1
 * for anything else.
 */
long cn_number(const char *s, size_t n);
int date_days_in_month(int y, int m);
int date_valid(int y, int m, int d);
/* Days since 0000-03-01; orders dates and gives intervals. */
long date_serial(int y, int m, int d);
/* "YYYY-MM-DD" into y, m, d; returns 1 when it is a valid date. */
int date_from_iso(const char *s, int *y, int *m, int *d);

#endif
