#!/usr/bin/python3
"""Reads a notice workbook back with openpyxl and compares it with a truth file.

    check_workbook.py WORKBOOK TRUTH.json [--encoding ENC]

The truth file (tests/fixtures/notices/*.truth.json, format in
tests/fixtures/TRUTH.md) states what a careful reader extracts from the
notice: header, tasks (units as the notice writes them, never mapped
through the program's tables; content and quantitative targets), the
findings (rule id and line) where the notice was written to contain them,
and the unit.alias merges. Exit status 1 with one line per difference.
"""
import datetime
import json
import re
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


def header_row(ws):
    """The row whose first cell is 序号 (title rows may stand above it)."""
    for r in range(1, 8):
        if cell_text(ws.cell(row=r, column=1).value) == "序号":
            return r
    return 2


def task_rows(ws, c):
    h = header_row(ws)
    c.same("任务分工 header", [cell_text(x.value) for x in ws[h]][:12], TASK_HEADER)
    rows = []
    for row in ws.iter_rows(min_row=h + 1, values_only=True):
        if not isinstance(row[0], (int, float)):
            continue  # a continuation row, or no task
        rows.append(row)
    return rows


def squeeze(s):
    return re.sub(r"\s", "", cell_text(s))


def check_tasks(wb, truth, c):
    rows = task_rows(wb["任务分工"], c)
    c.same("任务数", len(rows), len(truth["tasks"]))
    for i, (row, t) in enumerate(zip(rows, truth["tasks"]), 1):
        where = "task %d" % i
        c.same(where + " 序号", row[0], i)
        c.same(where + " 一级标题", cell_text(row[1]), t["l1"])
        c.same(where + " 二级标题", cell_text(row[2]), t["l2"])
        c.same(where + " 牵头领导", cell_text(row[4]), t["leader"])
        c.same(where + " 牵头单位", cell_text(row[5]), "、".join(t["lead"]))
        c.same(where + " 配合单位", cell_text(row[6]), "、".join(t["coop"]))
        deadline = row[7]
        if isinstance(deadline, datetime.datetime):
            deadline = deadline.date().isoformat()
        c.same(where + " 完成时限", cell_text(deadline), t["deadline"])
        c.same(where + " 原文行号", row[9], t["line"])
        if "content" in t:
            c.same(where + " 任务内容", squeeze(row[3]), squeeze(t["content"]))
        elif not cell_text(row[3]).strip():
            c.problems.append(where + ": 任务内容 is empty")
        if "metrics" in t:
            got = sorted(squeeze(m) for m in re.split("[；;]", cell_text(row[8])) if m.strip())
            c.same(where + " 量化指标", got, sorted(squeeze(m) for m in t["metrics"]))


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


def check_merges(wb, truth, c):
    """Every merge of the truth is reported as unit.alias, naming both forms."""
    ws = wb["校验结果"]
    rows = [[cell_text(x) for x in r] for r in ws.iter_rows(min_row=2, values_only=True)]
    for m in truth["merges"]:
        if not any(r[1] == "unit.alias" and m["written"] in r[3] and m["kept"] in r[3] for r in rows):
            c.problems.append("merge not reported: %s -> %s" % (m["written"], m["kept"]))


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


def main():
    args = sys.argv[1:]
    encoding = option(args, "--encoding", None)
    if len(args) != 2:
        sys.exit(__doc__)
    workbook, truth_path = args
    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    wb = openpyxl.load_workbook(workbook)
    c = Checker()
    c.same("sheets", wb.sheetnames[:len(SHEETS)], SHEETS)
    check_info(wb, truth, c, encoding)
    check_tasks(wb, truth, c)
    if "findings" in truth:
        check_findings(wb, truth, c)
    if "merges" in truth:
        check_merges(wb, truth, c)
    for p in c.problems:
        print("%s: %s" % (workbook, p))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
