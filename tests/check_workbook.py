#!/usr/bin/python3
"""Reads a notice workbook back with openpyxl and compares it with a truth file.

    check_workbook.py WORKBOOK TRUTH.json [--encoding ENC] [--aliases FILE]

The truth file (tests/fixtures/notices/*.truth.json) states what a careful
reader extracts from the notice: header, tasks (units as written) and, where
the notice was written to contain them, the findings (rule id and line).
Units are compared after the alias table (default rules/units.aliases).
Exit status 1 with one line per difference.
"""
import datetime
import json
import os
import sys

import openpyxl

SHEETS = ["任务分工", "责任矩阵", "校验结果", "文件信息", "按领导", "按单位", "统计"]
TASK_HEADER = ["序号", "一级标题", "二级标题", "任务内容", "牵头领导", "牵头单位", "配合单位",
               "完成时限", "量化指标", "原文行号", "完成状态", "进展情况"]
FINDING_HEADER = ["级别", "规则", "行号", "说明", "原文"]
INFO_KEYS = ["发文字号", "发文机关", "标题", "主送机关", "成文日期", "源文件", "源编码", "任务数"]


class Checker:
    def __init__(self):
        self.problems = []

    def same(self, what, got, want):
        if got != want:
            self.problems.append("%s: got %r, want %r" % (what, got, want))


def cell_text(v):
    return "" if v is None else str(v)


def split_units(s):
    return [u for u in cell_text(s).split("、") if u]


def task_rows(ws, c):
    c.same("任务分工 header", [cell_text(x.value) for x in ws[2]][:12], TASK_HEADER)
    rows = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] is None:
            continue
        rows.append(row)
    return rows


def check_tasks(wb, truth, c, aliases):
    rows = task_rows(wb["任务分工"], c)
    c.same("任务数", len(rows), len(truth["tasks"]))
    for i, (row, t) in enumerate(zip(rows, truth["tasks"]), 1):
        where = "task %d" % i
        c.same(where + " 序号", row[0], i)
        c.same(where + " 一级标题", cell_text(row[1]), t["l1"])
        c.same(where + " 二级标题", cell_text(row[2]), t["l2"])
        c.same(where + " 牵头领导", cell_text(row[4]), t["leader"])
        c.same(where + " 牵头单位", split_units(row[5]), [aliases.get(u, u) for u in t["lead"]])
        c.same(where + " 配合单位", split_units(row[6]), [aliases.get(u, u) for u in t["coop"]])
        deadline = row[7]
        if isinstance(deadline, datetime.datetime):
            deadline = deadline.date().isoformat()
        c.same(where + " 完成时限", cell_text(deadline), t["deadline"])
        c.same(where + " 原文行号", row[9], t["line"])
        if not cell_text(row[3]).strip():
            c.problems.append(where + ": 任务内容 is empty")


def check_info(wb, truth, c, encoding):
    ws = wb["文件信息"]
    c.same("文件信息 header", [cell_text(x.value) for x in ws[1]][:2], ["项目", "内容"])
    info = {cell_text(r[0]): cell_text(r[1]) for r in ws.iter_rows(min_row=2, values_only=True)}
    for key in INFO_KEYS:
        if key not in info:
            c.problems.append("文件信息 lacks " + key)
    c.same("发文字号", info.get("发文字号"), truth["docno"])
    c.same("发文机关", info.get("发文机关"), truth["issuer"])
    c.same("标题", info.get("标题"), truth["title"])
    c.same("主送机关", info.get("主送机关"), truth["recipients"])
    c.same("成文日期", info.get("成文日期"), truth["date"])
    c.same("任务数", info.get("任务数"), str(len(truth["tasks"])))
    if encoding:
        c.same("源编码", info.get("源编码"), encoding)


def check_findings(wb, truth, c):
    ws = wb["校验结果"]
    c.same("校验结果 header", [cell_text(x.value) for x in ws[1]][:5], FINDING_HEADER)
    got = set()
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            continue
        if row[0] not in ("错误", "警告", "提示"):
            c.problems.append("bad 级别 %r" % (row[0],))
        if row[1] in ("unit.alias", "unit.renamed") or row[0] == "提示" or \
                str(row[1]).startswith("layout."):  # the workbook's own, not the notice's
            continue
        got.add((row[1], int(row[2] or 0)))
    want = {(f["rule"], f["line"]) for f in truth.get("findings", [])}
    for f in sorted(want - got):
        c.problems.append("finding missing: %s at line %d" % f)
    for f in sorted(got - want):
        c.problems.append("finding not expected: %s at line %d" % f)


def option(args, name, default):
    if name not in args:
        return default
    k = args.index(name)
    value = args[k + 1]
    del args[k:k + 2]
    return value


def read_aliases(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#") and "\t" in line:
                alias, canonical = line.rstrip("\n").split("\t", 1)
                table[alias.strip()] = canonical.strip()
    return table


def main():
    args = sys.argv[1:]
    encoding = option(args, "--encoding", None)
    aliases = read_aliases(option(args, "--aliases", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "rules", "units.aliases")))
    if len(args) != 2:
        sys.exit(__doc__)
    workbook, truth_path = args
    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    wb = openpyxl.load_workbook(workbook)
    c = Checker()
    c.same("sheets", wb.sheetnames[:len(SHEETS)], SHEETS)
    check_info(wb, truth, c, encoding)
    check_tasks(wb, truth, c, aliases)
    if "findings" in truth:
        check_findings(wb, truth, c)
    for p in c.problems:
        print("%s: %s" % (workbook, p))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
