#!/usr/bin/python3
"""Compares the cell values of two workbooks, sheet by sheet.

    compare_workbooks.py A.xlsx B.xlsx

The rows 源编码 and 源文件 of 文件信息 may differ: they say where the text
came from, not what it says. Exit status 1 with the first differences.
"""
import sys

import openpyxl

MAY_DIFFER = {"源编码", "源文件", "文件大小", "无法解码的字节", "源格式", "转换程序", "转换说明"}


def rows(ws):
    out = []
    for row in ws.iter_rows(values_only=True):
        if ws.title == "文件信息" and row and row[0] in MAY_DIFFER:
            continue
        out.append(row)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = (openpyxl.load_workbook(p) for p in sys.argv[1:])
    problems = []
    if a.sheetnames != b.sheetnames:
        problems.append("sheets differ: %s / %s" % (a.sheetnames, b.sheetnames))
    for name in a.sheetnames:
        if name not in b.sheetnames:
            continue
        ra, rb = rows(a[name]), rows(b[name])
        if len(ra) != len(rb):
            problems.append("%s: %d rows / %d rows" % (name, len(ra), len(rb)))
        for i, (x, y) in enumerate(zip(ra, rb), 1):
            if x != y:
                problems.append("%s row %d: %r / %r" % (name, i, x, y))
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
