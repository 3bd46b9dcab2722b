#!/usr/bin/env python3
"""gen_hostile.py - the hostile notices of issue 19, generated (never committed).

    tests/robust/gen_hostile.py OUTDIR [NAME...]

Writes into OUTDIR (all of them when no NAME is given):

  lists80k.docx   80,000 numbering lists (abstractNum + num each), one
                  numbered paragraph per list: about 600 KB
  bomb100k.docx   about 90 KB whose word/document.xml unpacks to 60 MB of
                  empty paragraphs around a few lines of text (a zip bomb)
  paras16m.docx   16 MB of empty paragraphs in 16 KB: within the unpacking
                  bound, 2.7 million lines
  page50m.html    a 50 MB government page: a 分工表 of 180,000 rows in an
                  article div, spans and paragraphs, declared gb2312
  tags50m.html    50 MB of markup with little text (nested inline tags)
  titles50m.html  a 50 MB article inside 200 nested elements of class "title"
  text60m.txt     a 60 MB GB18030 notice (one heading and task lines)

Deterministic: the same files every run.
"""
import os
import sys
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
      'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def docx(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        for name, data in parts:
            z.writestr(name, data)


def lists80k(path, n=80000):
    num = ['<?xml version="1.0" encoding="UTF-8"?><w:numbering %s>' % W]
    for i in range(n):
        num.append('<w:abstractNum w:abstractNumId="%d"><w:lvl w:ilvl="0">'
                   '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/></w:lvl>'
                   '</w:abstractNum>' % i)
    for i in range(n):
        num.append('<w:num w:numId="%d"><w:abstractNumId w:val="%d"/></w:num>' % (i + 1, i))
    num.append("</w:numbering>")
    doc = ['<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>' % W]
    for i in range(n):
        doc.append('<w:p><w:pPr><w:numPr><w:numId w:val="%d"/></w:numPr>'
                   '</w:pPr><w:r><w:t>任务</w:t></w:r></w:p>' % (i + 1))
    doc.append("</w:body></w:document>")
    docx(path, [("word/document.xml", "".join(doc)), ("word/numbering.xml", "".join(num))])


def empty_paragraphs(path, n):
    head = ('<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>'
            '<w:p><w:r><w:t>关于加强城市管理工作的通知</w:t></w:r></w:p>' % W)
    tail = "<w:p><w:r><w:t>2022年4月15日</w:t></w:r></w:p></w:body></w:document>"
    docx(path, [("word/document.xml", head + "<w:p/>" * n + tail)])


def bomb100k(path):
    empty_paragraphs(path, 10 * 1000 * 1000)  # 60 MB


def paras16m(path):
    empty_paragraphs(path, 2700 * 1000)  # 16 MB


ROW = ('<tr><td>{i}</td><td><span style="font-family:仿宋">推进政务云平台扩容升级，完成市级部门'
       '业务系统迁移上云，第{i}项。</span></td><td>市大数据局</td><td>市财政局、市发展改革委</td>'
       '<td>2022年底前</td></tr>\n')


def page50m(path, size=50 * 1000 * 1000):
    head = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=gb2312"><title>关于印发重点任务分工方案的通知</title></head><body>'
            '<div class="nav">首页 &gt; 通知公告</div><div id="zoom" class="TRS_Editor">'
            '<p>关于印发重点任务分工方案的通知</p><p>各县区人民政府，市政府各部门：</p>'
            '<table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th>'
            '<th>完成时限</th></tr>\n')
    tail = '</table><p>2022年4月15日</p></div><div class="footer">版权所有</div></body></html>\n'
    out = [head.encode("gb18030")]
    total, i = len(out[0]), 1
    while total < size - 200:
        row = ROW.format(i=i).encode("gb18030")
        out.append(row)
        total += len(row)
        i += 1
    out.append(tail.encode("gb18030"))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def tags50m(path, size=50 * 1000 * 1000):
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="zoom">'
            '<p>关于加强城市管理工作的通知</p>')
    unit = "<p><b><i><u><span><em>字</em></span></u></i></b></p>\n"
    n = (size - len(head.encode())) // len(unit.encode())
    with open(path, "wb") as f:
        f.write(head.encode())
        f.write((unit * n).encode())
        f.write(b"</div></body></html>\n")


def titles50m(path, size=50 * 1000 * 1000):
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' +
            '<div class="title">' * 200 + '<div id="zoom">')
    line = "<p>推进政务云平台扩容升级，完成市级部门业务系统迁移上云，第{i}项。</p>\n"
    out = [head.encode()]
    total, i = len(out[0]), 1
    while total < size - 4000:
        b = line.format(i=i).encode()
        out.append(b)
        total += len(b)
        i += 1
    out.append(("</div>" * 201 + "</body></html>\n").encode())
    with open(path, "wb") as f:
        f.write(b"".join(out))


def text60m(path, size=60 * 1000 * 1000):
    head = "关于加强城市管理工作的通知\n\n一、主要任务\n"
    line = "（{i}）推进政务云平台扩容升级，完成市级部门业务系统迁移上云。牵头单位：市大数据局\n"
    out = [head.encode("gb18030")]
    total, i = len(out[0]), 1
    while total < size:
        b = line.format(i=i).encode("gb18030")
        out.append(b)
        total += len(b)
        i += 1
    with open(path, "wb") as f:
        f.write(b"".join(out))


MAKERS = {
    "lists80k.docx": lists80k,
    "bomb100k.docx": bomb100k,
    "paras16m.docx": paras16m,
    "page50m.html": page50m,
    "tags50m.html": tags50m,
    "titles50m.html": titles50m,
    "text60m.txt": text60m,
}

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:] or MAKERS:
        MAKERS[name](os.path.join(outdir, name))
