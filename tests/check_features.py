#!/usr/bin/python3
"""What a clerk relies on in a workbook, read back with openpyxl (issue 18).

    check_features.py notice WORKBOOK        title, print set-up, columns, formulas, formats
    check_features.py tall WORKBOOK          a task over 409 pt: capped row and a finding
    check_features.py clean WORKBOOK         no finding: one row says 未发现问题
    check_features.py unit WORKBOOK DOCNO    a unit's workbook names its notice
    check_features.py status WORKBOOK SEQ STATE PROGRESS [--docno D]   status of a task
    check_features.py type WORKBOOK SEQ STATE PROGRESS   types status as staff would
    check_features.py print PDF MIN_PT MAX_PAGES          pages of 任务分工 at MIN_PT or more

Exit status 1 with one line per problem.
"""
import json
import subprocess
import sys

import openpyxl

problems = []


def want(ok, what):
    if not ok:
        problems.append(what)


def header(ws, row):
    return [c.value for c in ws[row]]


def notice(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工"]
    title = str(ws["A1"].value or "")
    want(title.startswith("《") and "》重点任务责任分工表" in title, "title: %r" % title[:60])
    want(any(str(r).startswith("A1:") for r in ws.merged_cells.ranges), "title row is not merged")
    head = header(ws, 2)
    want(head[:13] == ["序号", "一级标题", "二级标题", "任务内容", "牵头领导", "牵头单位", "配合单位",
                       "完成时限", "量化指标", "原文行号", "完成状态", "进展情况", "时限状态"],
         "任务分工 header: %r" % head)
    want(ws.column_dimensions["J"].hidden, "原文行号 is not hidden")
    want(ws.column_dimensions["B"].hidden == (len({ws.cell(r, 2).value for r in range(3, ws.max_row + 1)}) == 1),
         "一级标题 hidden though it varies, or shown though single-valued")
    ps = ws.page_setup
    want(ps.orientation == "landscape" and str(ps.paperSize) == "9", "not A4 landscape")
    want(ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (1, None) and ps.fitToHeight == 0,
         "not fit to one page wide")
    want(ws.page_margins.left >= 0.7, "no binding margin: left %s" % ws.page_margins.left)
    want(ws.print_title_rows and "2" in ws.print_title_rows, "header row not repeated: %r" % ws.print_title_rows)
    want(ws.oddHeader.left.text and "〔" in ws.oddHeader.left.text, "page header without 文号")
    want("&P" in (ws.oddFooter.center.text or ""), "no page numbers")
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIKLM"}
    shown = sum(w for c, w in widths.items() if not ws.column_dimensions[c].hidden)
    want(0.33 <= widths["D"] / shown <= 0.65, "任务内容 is %.0f%% of the width" % (100 * widths["D"] / shown))
    sizes = {ws.cell(3, c).font.sz for c in range(1, 13)}
    want(min(sizes) >= 10.5, "body font %s pt" % sizes)
    want(ws.cell(3, 8).number_format == 'yyyy"年"m"月"d"日"', "完成时限 format %r" % ws.cell(3, 8).number_format)
    f = str(ws.cell(3, 13).value)
    want(f.startswith("=") and "TODAY()" in f and "逾期" in f and "30天内到期" in f and "未明确时限" in f,
         "时限状态 formula: %r" % f)
    dv = [d for d in ws.data_validations.dataValidation if "K3" in str(d.sqref)]
    want(dv and "已完成" in str(dv[0].formula1), "完成状态 has no drop-down")
    rules = [r.formula[0] for rng in ws.conditional_formatting for r in rng.rules]
    for word in ("已完成", "滞后", "TODAY()"):
        want(any(word in r for r in rules), "no conditional format with %s" % word)
    for name, col in (("按单位", "牵头单位"), ("按领导", "完成状态")):
        s = wb[name]
        h = header(s, 1)
        want(col in h and "时限状态" in h and "进展情况" in h, "%s header: %r" % (name, h))
        if s.max_row > 1:
            v = str(s.cell(2, h.index("完成状态") + 1).value)
            want(v.startswith("=") and "任务分工" in v, "%s 完成状态 is not a formula: %r" % (name, v))
    m = wb["责任矩阵"]
    want("● 牵头" in str(m["A1"].value) and "○ 配合" in str(m["A1"].value), "责任矩阵 has no legend")
    want(header(m, 3)[:3] == ["单位", "牵头数", "配合数"], "责任矩阵 totals not beside the units")
    want((m.row_dimensions[3].height or 15) <= 30, "责任矩阵 header row is %s pt" % m.row_dimensions[3].height)
    want(m.auto_filter.ref, "责任矩阵 has no filter")
    st = wb["统计"]
    formulas = [str(c.value) for row in st.iter_rows() for c in row if str(c.value).startswith("=")]
    want(any("COUNTIFS" in f for f in formulas), "统计 is not live")
    want("逾期" in header(st, 2), "统计 has no 逾期 count")
    want(len(st._charts) <= 1, "统计 has %d charts" % len(st._charts))
    want(header(wb["校验结果"], 1) == ["级别", "规则", "行号", "说明", "原文", "规则名称", "任务序号", "处理建议",
                                       "处理结果"], "校验结果 header: %r" % header(wb["校验结果"], 1))
    for row in wb["校验结果"].iter_rows(min_row=2, values_only=True):
        if row[0]:
            want(len(str(row[4] or "")) <= 42, "原文 not cut to ~30 characters: %r" % row[4])
            want(row[8] is None, "处理结果 is not empty")


def tall(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工"]
    longest = max(range(3, ws.max_row + 1), key=lambda r: len(str(ws.cell(r, 4).value or "")))
    seq = ws.cell(longest, 1).value
    want(ws.row_dimensions[longest].height == 409, "row of task %s is %s pt" % (seq, ws.row_dimensions[longest].height))
    found = [r for r in wb["校验结果"].iter_rows(min_row=2, values_only=True) if r[1] == "layout.row_limit"]
    want(any(r[6] == seq and ("第%s项" % seq) in r[3] for r in found), "no layout.row_limit finding names task %s" % seq)
    # every other row is as tall as its text needs: about 1.45 lines of the font per line
    for r in range(3, ws.max_row + 1):
        h = ws.row_dimensions[r].height
        want(h is None or h >= 15, "row %d is %s pt" % (r, h))


def clean(path):
    ws = openpyxl.load_workbook(path)["校验结果"]
    want(ws.cell(2, 4).value == "未发现问题", "no 未发现问题 row: %r" % ws.cell(2, 4).value)


def unit(path, docno):
    ws = openpyxl.load_workbook(path)["任务分工"]
    title = str(ws["A1"].value)
    want("重点任务责任分工表" in title and docno in title, "unit title: %r" % title)
    want("填报说明" in title, "no 填报说明 line")
    h = header(ws, 2)
    want("角色" in h, "no 角色 column: %r" % h)
    roles = {ws.cell(r, h.index("角色") + 1).value for r in range(3, ws.max_row + 1)}
    want(roles <= {"牵头", "配合"} and roles, "roles: %r" % roles)


def find_row(ws, seq, docno):
    h = header(ws, 2)
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value == seq and (docno is None or ws.cell(r, h.index("发文字号") + 1).value == docno):
            return r, h
    return None, h


def status(path, seq, state, progress, docno=None):
    ws = openpyxl.load_workbook(path)["任务分工"]
    r, h = find_row(ws, int(seq), docno)
    want(r is not None, "no task %s" % seq)
    if r:
        got = (ws.cell(r, h.index("完成状态") + 1).value or "", ws.cell(r, h.index("进展情况") + 1).value or "")
        want(got == (state, progress), "task %s: %r" % (seq, got))


def type_status(path, seq, state, progress):
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工"]
    r, h = find_row(ws, int(seq), None)
    ws.cell(r, h.index("完成状态") + 1).value = state
    ws.cell(r, h.index("进展情况") + 1).value = progress
    wb.save(path)


def print_check(pdf, min_pt, max_pages):
    out = subprocess.run([sys.executable, __file__.replace("check_features.py", "pdf_fonts.py"), pdf, "--json"],
                         capture_output=True, text=True, check=True).stdout
    pages = [p for p in json.loads(out) if "任务内容" in p["words"] and "角色" not in p["words"]
             and "牵头领导 序号" not in p["words"]]
    want(pages, "no page of 任务分工")
    want(len(pages) <= int(max_pages), "任务分工 prints on %d pages" % len(pages))
    for p in pages:
        want(p["body"] >= float(min_pt), "page %d prints at %.2f pt" % (p["page"], p["body"]))
    print("任务分工: %d pages, body %s pt" % (len(pages), sorted({p["body"] for p in pages})))


def main():
    a = sys.argv[1:]
    docno = None
    if "--docno" in a:
        k = a.index("--docno")
        docno = a[k + 1]
        del a[k:k + 2]
    {"notice": lambda: notice(a[1]), "tall": lambda: tall(a[1]), "clean": lambda: clean(a[1]),
     "unit": lambda: unit(a[1], a[2]), "status": lambda: status(a[1], a[2], a[3], a[4], docno),
     "type": lambda: type_status(a[1], a[2], a[3], a[4]),
     "print": lambda: print_check(a[1], a[2], a[3])}[a[0]]()
    for p in problems:
        print("%s: %s" % (a[1], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
