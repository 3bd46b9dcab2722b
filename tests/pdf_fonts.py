#!/usr/bin/python3
"""Font sizes as printed: what a page of a PDF from LibreOffice really shows.

    pdf_fonts.py FILE.pdf            one line per page: page, sheet words, body size
    pdf_fonts.py FILE.pdf --json     the same as JSON

For each page the text-showing operators (Tf ... Tj/TJ) of its content
stream are read; the body size is the size most of the page's characters
are set in, the page header and footer (the top and bottom 45 points)
left out. LibreOffice writes each run at its printed size, so after
fit-to-width this is the size on paper. The first words of the page
(pdftotext) tell which sheet it belongs to.
"""
import json
import re
import subprocess
import sys
import zlib
from collections import Counter


def objects(data):
    out = {}
    for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        out[int(m.group(1))] = m.group(2)
    return out


def stream_of(body):
    m = re.search(rb"stream\r?\n(.*)endstream", body, re.S)
    if not m:
        return b""
    raw = m.group(1)
    if b"/FlateDecode" in body.split(b"stream")[0]:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return zlib.decompressobj().decompress(raw)
    return raw


def pages(data):
    objs = objects(data)
    kids = []
    for num, body in objs.items():
        if re.search(rb"/Type\s*/Pages\b", body):
            m = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            if m and b"/Parent" not in body:
                kids = [int(k) for k in re.findall(rb"(\d+) 0 R", m.group(1))]
    if not kids:  # fall back to every page object, in object order
        kids = [n for n, b in sorted(objs.items()) if re.search(rb"/Type\s*/Page\b", b)]
    expanded = []
    for k in kids:  # nested page trees
        body = objs.get(k, b"")
        if re.search(rb"/Type\s*/Pages\b", body):
            m = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            expanded += [int(x) for x in re.findall(rb"(\d+) 0 R", m.group(1))]
        else:
            expanded.append(k)
    result = []
    for k in expanded:
        body = objs[k]
        m = re.search(rb"/Contents\s*(\[.*?\]|\d+ 0 R)", body, re.S)
        refs = [int(x) for x in re.findall(rb"(\d+) 0 R", m.group(1))] if m else []
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", body)
        height = float(box.group(1).split()[3]) if box else 595.3
        result.append((b"".join(stream_of(objs[r]) for r in refs), height))
    return result


def body_size(content, height):
    sizes = Counter()
    for m in re.finditer(rb"([\d.]+) ([\d.]+) Td /F\d+ ([\d.]+) Tf\s*(\[.*?\]TJ|<[0-9A-Fa-f]*>Tj)", content, re.S):
        y, size, shown = float(m.group(2)), float(m.group(3)), m.group(4)
        if y < 45 or y > height - 45:
            continue  # page header and footer
        glyphs = sum(len(h) // 4 for h in re.findall(rb"<([0-9A-Fa-f]*)>", shown)) or 1
        sizes[round(size, 2)] += glyphs
    return sizes


def main():
    path = sys.argv[1]
    data = open(path, "rb").read()
    out = []
    for i, (content, height) in enumerate(pages(data), 1):
        sizes = body_size(content, height)
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", path, "-"],
                              capture_output=True, text=True).stdout
        words = " ".join(text.split()[:12])
        body = sizes.most_common(1)[0][0] if sizes else 0
        small = min(sizes) if sizes else 0
        out.append({"page": i, "body": body, "smallest": small, "words": words})
    if "--json" in sys.argv:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for p in out:
            print("%d\t%.2f\t%.2f\t%s" % (p["page"], p["body"], p["smallest"], p["words"]))


if __name__ == "__main__":
    main()
