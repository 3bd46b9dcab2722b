#!/usr/bin/python3
"""Asserts single facts about a workbook, for the end-to-end tests.

    check_cells.py WORKBOOK SHEET ROW COLUMN-HEADER EXPECTED [--contains]
    check_cells.py WORKBOOK --finding RULE LEVEL LINE [TEXT-IN-说明]

ROW counts task rows from 1 (the row under the header). With --contains,
EXPECTED need only occur in the cell. Exit status 1 with what was found.
"""
import sys

import openpyxl


def header_row(ws):
    for r in (1, 2):
        values = [c.value for c in ws[r]]
        if "序号" in values or "级别" in values or "项目" in values:
            return r, values
    sys.exit("no header row in " + ws.title)


def check_cell(wb, sheet, row, column, expected, contains):
    ws = wb[sheet]
    r, head = header_row(ws)
    if column not in head:
        sys.exit("%s has no column %s: %s" % (sheet, column, head))
    value = ws.cell(r + int(row), head.index(column) + 1).value
    value = "" if value is None else str(value)
    if (expected in value) if contains else value == expected:
        return 0
    print("%s row %s %s: got %r, want %r" % (sheet, row, column, value, expected))
    return 1


def check_finding(wb, rule, level, line, text):
    for row in wb["校验结果"].iter_rows(min_row=2, values_only=True):
        if row[1] == rule and row[0] == level and str(row[2] or 0) == line and text in (row[3] or ""):
            return 0
    print("no finding %s %s at line %s with %r" % (rule, level, line, text))
    return 1


def main():
    args = sys.argv[1:]
    wb = openpyxl.load_workbook(args[0])
    if args[1] == "--finding":
        return check_finding(wb, args[2], args[3], args[4], args[5] if len(args) > 5 else "")
    contains = "--contains" in args
    args = [a for a in args if a != "--contains"]
    return check_cell(wb, *args[1:5], contains)


if __name__ == "__main__":
    sys.exit(main())
