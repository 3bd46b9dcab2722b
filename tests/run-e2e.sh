#!/usr/bin/env bash
# run-e2e.sh - run.sh end to end; the workbooks read back with openpyxl.
#
# The seed notice in ../shared is used where that folder exists; elsewhere
# its tests are skipped with a message, and the samples and fixtures carry
# the same kinds of assertions.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
PY=/usr/bin/python3
seed=$top/../shared/seed/000_12348971a6eb51a8.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL e2e: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP e2e: $*"; }
expect() { # expect WHAT CMD...: the command must succeed
	local what=$1
	shift
	if "$@" >"$tmp/out.log" 2>&1; then ok; else fail "$what"; head -30 "$tmp/out.log"; fi
}
no_partial_files() {
	! find "$1" -name ".*.tmp" | grep -q .
}

test_samples() {
	./run.sh -q -o "$tmp/s" >"$tmp/s.log" 2>&1
	expect "samples convert with exit 0" test $? -eq 0
	local name enc
	for pair in hy_2021_gb18030:GB18030:hy lc_2019_utf8bom:UTF-8:lc qy_2022_utf16le:UTF-16LE:qy; do
		IFS=: read -r name enc truth <<<"$pair"
		expect "sample $name matches its truth" \
			$PY tests/check_workbook.py "$tmp/s/$name.xlsx" "tests/fixtures/notices/sample_$truth.truth.json" --encoding "$enc"
	done
	expect "report.tsv lists every sample" test "$(grep -c $'\t''ok\|'$'\t''warn' "$tmp/s/report.tsv")" -eq 3
}

test_fixtures() {
	./run.sh -q -o "$tmp/f" tests/fixtures/notices/*.txt >"$tmp/f.log" 2>&1
	expect "fixtures convert with exit 0" test $? -eq 0
	for truth in tests/fixtures/notices/*.truth.json; do
		local name
		name=$(basename "$truth" .truth.json)
		expect "fixture $name matches its truth" $PY tests/check_workbook.py "$tmp/f/$name.xlsx" "$truth"
	done
}

test_same_bytes() {
	./run.sh -q --force -o "$tmp/again" >/dev/null 2>&1
	for wb in "$tmp"/s/*.xlsx; do
		expect "$(basename "$wb") is byte-identical on a second run" cmp "$wb" "$tmp/again/$(basename "$wb")"
	done
}

test_seed() {
	if [ ! -f "$seed" ]; then
		skip "seed notice: ../shared/seed is absent (a clone outside the team)"
		return
	fi
	mkdir -p "$tmp/seed"
	cp "$seed" "$tmp/seed/utf8.txt"
	iconv -f UTF-8 -t GB18030 "$seed" >"$tmp/seed/gb18030.txt"
	{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed"; } >"$tmp/seed/utf16le.txt"
	sed 's/$/\r/' "$seed" >"$tmp/seed/crlf.txt"
	./run.sh -q -o "$tmp/seed/out" "$tmp/seed" >"$tmp/seed.log" 2>&1
	expect "seed variants convert" test $? -eq 0
	for pair in utf8:UTF-8 gb18030:GB18030 utf16le:UTF-16LE crlf:UTF-8; do
		IFS=: read -r name enc <<<"$pair"
		expect "seed ($name) matches the facts of the issue" \
			$PY tests/check_workbook.py "$tmp/seed/out/$name.xlsx" tests/fixtures/seed.truth.json --encoding "$enc"
	done
	for name in gb18030 utf16le crlf; do
		expect "seed ($name) gives the same workbook content as UTF-8" \
			$PY tests/compare_workbooks.py "$tmp/seed/out/utf8.xlsx" "$tmp/seed/out/$name.xlsx"
	done
}

test_bad_inputs() {
	mkdir -p "$tmp/mixed"
	cp tests/fixtures/bad/* "$tmp/mixed/"
	cp samples/hy_2021_gb18030.txt "$tmp/mixed/good.txt"
	./run.sh -q -o "$tmp/m" "$tmp/mixed" >"$tmp/m.log" 2>"$tmp/m.err"
	expect "a batch with bad files exits 1" test $? -eq 1
	expect "the good notice still converts" test -s "$tmp/m/good.xlsx"
	expect "a failed notice gets no workbook" test ! -e "$tmp/m/random.xlsx"
	expect "each failure is one line naming the file" grep -q "^$tmp/mixed/random.bin: not a text notice: binary data at byte" "$tmp/m.err"
	expect "an image is named as such" grep -q "image.png: not a text notice: PNG image" "$tmp/m.err"
	expect "an empty file is reported" grep -q "empty.txt: empty file" "$tmp/m.err"
	local inputs=("$tmp"/mixed/*)
	expect "report.tsv has a line per input" test "$(($(wc -l <"$tmp/m/report.tsv") - 1))" -eq "${#inputs[@]}"
	expect "no temporary file is left" no_partial_files "$tmp/m"
}

test_bad_rules() {
	cp -r rules "$tmp/badrules"
	printf 'broken.rule\t(牵头单位\nbroken.two\t[x\n' >>"$tmp/badrules/headings.rules"
	./run.sh -q --rules "$tmp/badrules" -o "$tmp/r" samples >"$tmp/r.out" 2>"$tmp/r.err"
	expect "a bad rule exits 2" test $? -eq 2
	expect "a bad rule is reported with file, line and character" \
		grep -q "badrules/headings.rules:[0-9]*: pattern error at character 6: missing closing parenthesis" "$tmp/r.err"
	expect "every bad rule is reported" grep -q "headings.rules:[0-9]*: pattern error at character 3: missing terminating ]" "$tmp/r.err"
	expect "nothing is converted with bad rules" test -z "$(find "$tmp/r" -maxdepth 1 -name '*xlsx*' 2>/dev/null)"
	./run.sh -q --rules "$tmp/no-such-dir" -o "$tmp/r2" samples >/dev/null 2>"$tmp/r2.err"
	expect "a missing rules directory exits 2" test $? -eq 2
	expect "a missing rules directory is named" grep -q "no-such-dir: cannot open rules directory" "$tmp/r2.err"
}

test_extra_rules() {
	local notice=tests/fixtures/layouts/bracket_fields.txt
	./run.sh -q -o "$tmp/x1" "$notice" >/dev/null 2>&1
	expect "an unknown layout finds no tasks with the shipped rules" \
		$PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["任务分工"]; sys.exit(ws.max_row > 2 and ws.cell(3,1).value is not None)' "$tmp/x1/bracket_fields.xlsx"
	./run.sh -q --extra-rules tests/fixtures/extra-rules -o "$tmp/x2" "$notice" >/dev/null 2>&1
	expect "an extra rules directory makes the layout convert" test $? -eq 0
	expect "the layout converts right with the extra rules" \
		$PY tests/check_workbook.py "$tmp/x2/bracket_fields.xlsx" tests/fixtures/layouts/bracket_fields.truth.json
}

test_renames() {
	local -a C=("$PY" tests/check_cells.py)
	local r=tests/fixtures/renames
	./run.sh -q -o "$tmp/rn" $r/late_2020.txt $r/split_2018.txt >/dev/null 2>&1
	expect "by default units stay as written" "${C[@]}" "$tmp/rn/late_2020.xlsx" 任务分工 1 牵头单位 市环境保护局
	expect "a notice written after a rename gets unit.renamed 警告" \
		"${C[@]}" "$tmp/rn/late_2020.xlsx" --finding unit.renamed 警告 15 市生态环境局
	expect "a notice written before a rename gets unit.renamed 提示" \
		"${C[@]}" "$tmp/rn/split_2018.xlsx" --finding unit.renamed 提示 15 市体育局
	./run.sh -q --as-of 2025-01-01 -o "$tmp/ra" $r/late_2020.txt $r/split_2018.txt >/dev/null 2>&1
	expect "--as-of names the successor" "${C[@]}" "$tmp/ra/late_2020.xlsx" 任务分工 1 牵头单位 市生态环境局
	expect "--as-of keeps the name as written beside" "${C[@]}" "$tmp/ra/late_2020.xlsx" 任务分工 1 原文单位 市环境保护局 --contains
	expect "a split goes by the table's kinds of task" "${C[@]}" "$tmp/ra/split_2018.xlsx" 任务分工 1 牵头单位 市体育局
	expect "a split goes by the table's kinds of task (2)" "${C[@]}" "$tmp/ra/split_2018.xlsx" 任务分工 2 牵头单位 市文化和旅游局
	expect "a split the kinds do not settle is not guessed" "${C[@]}" "$tmp/ra/split_2018.xlsx" 任务分工 3 牵头单位 市文体广电局
	expect "a split the kinds do not settle is flagged" "${C[@]}" "$tmp/ra/split_2018.xlsx" --finding unit.renamed 提示 23 需人工确定
	expect "a city's unit is not renamed without its table" "${C[@]}" "$tmp/ra/late_2020.xlsx" 任务分工 2 配合单位 市大数据局 --contains
	./run.sh -q --as-of 2025-01-01 --extra-rules $r/city -o "$tmp/rc" $r/late_2020.txt >/dev/null 2>&1
	expect "a user's own renames table is applied" "${C[@]}" "$tmp/rc/late_2020.xlsx" 任务分工 2 配合单位 市政务服务和数据管理局 --contains
	./run.sh -q --as-of 2019-06-01 --extra-rules $r/city -o "$tmp/rd" $r/late_2020.txt >/dev/null 2>&1
	expect "a rename dated after --as-of is not applied" "${C[@]}" "$tmp/rd/late_2020.xlsx" 任务分工 2 配合单位 市大数据局 --contains
	if [ -f "$seed" ]; then
		./run.sh -q -o "$tmp/sd" "$seed" >/dev/null 2>&1
		./run.sh -q --as-of today -o "$tmp/st" "$seed" >/dev/null 2>&1
		local wb=000_12348971a6eb51a8.xlsx
		expect "the seed keeps 市环境保护局 by default" "${C[@]}" "$tmp/sd/$wb" 任务分工 1 牵头单位 市环境保护局
		expect "the seed as of today: 市生态环境局" "${C[@]}" "$tmp/st/$wb" 任务分工 1 牵头单位 市生态环境局
		expect "the seed as of today: 市自然资源局" "${C[@]}" "$tmp/st/$wb" 任务分工 2 配合单位 市自然资源局 --contains
		expect "the seed as of today keeps 市国土资源局 beside" "${C[@]}" "$tmp/st/$wb" 任务分工 2 原文单位 市国土资源局 --contains
	else
		skip "seed renames: ../shared/seed is absent"
	fi
}

test_formats() {
	local f=tests/fixtures/formats truth=tests/fixtures/notices/sample_hy.truth.json
	mkdir -p "$tmp/fmt"
	cp tests/fixtures/notices/sample_hy.txt "$tmp/fmt/sample_hy_txt.txt"
	cp $f/sample_hy_gbk.html $f/sample_hy_utf8.html $f/*.docx "$tmp/fmt/"
	# the page saved as UTF-16 (Notepad's "Unicode"), with and without a BOM
	$PY - $f/sample_hy_utf8.html "$tmp/fmt" <<'P'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2] + "/sample_hy_u16le.html", "wb").write(b"\xff\xfe" + page.encode("utf-16-le"))
open(sys.argv[2] + "/sample_hy_u16be.html", "wb").write(page.encode("utf-16-be"))
P
	if command -v antiword >/dev/null || command -v catdoc >/dev/null; then
		cp $f/sample_hy.doc "$tmp/fmt/sample_hy_doc.doc"
	fi
	./run.sh -q -o "$tmp/fo" "$tmp/fmt" >/dev/null 2>"$tmp/fo.err"
	expect "damaged .docx files fail the batch (exit 1)" test $? -eq 1
	expect "a truncated .docx is named with its fault" grep -q "damaged_truncated.docx: damaged .docx: truncated or corrupt zip archive" "$tmp/fo.err"
	expect "a .docx without document.xml is named with its fault" grep -q "damaged_no_document.docx: damaged .docx: no word/document.xml" "$tmp/fo.err"
	for name in sample_hy sample_hy_gbk sample_hy_utf8 sample_hy_u16le sample_hy_u16be; do
		expect "$name (docx/html) matches the text notice's truth" $PY tests/check_workbook.py "$tmp/fo/$name.xlsx" $truth
		expect "$name gives the same workbook as the .txt" $PY tests/compare_workbooks.py "$tmp/fo/sample_hy_txt.xlsx" "$tmp/fo/$name.xlsx"
	done
	expect "a GBK page is decoded as declared" $PY tests/check_cells.py "$tmp/fo/sample_hy_gbk.xlsx" 文件信息 7 内容 GB18030
	expect "a UTF-16 page is read as a page" $PY tests/check_cells.py "$tmp/fo/sample_hy_u16le.xlsx" 文件信息 7 内容 UTF-16LE
	expect "文件信息 names the format" $PY tests/check_cells.py "$tmp/fo/sample_hy.xlsx" 文件信息 9 内容 docx
	expect "Word's automatic numbering becomes visible headings" $PY tests/check_workbook.py "$tmp/fo/numbered_headings.xlsx" $f/numbered_headings.truth.json
	expect "a 分工 table in Word becomes tasks" $PY tests/check_workbook.py "$tmp/fo/table_tasks.xlsx" $f/table_tasks.truth.json
	if [ -f "$tmp/fmt/sample_hy_doc.doc" ]; then
		expect "a .doc converts through antiword or catdoc" $PY tests/check_workbook.py "$tmp/fo/sample_hy_doc.xlsx" $truth
	else
		skip ".doc: neither antiword nor catdoc is installed"
	fi
}

# What a person sees: LibreOffice opens the workbook and prints every sheet.
test_libreoffice() {
	if ! command -v soffice >/dev/null; then
		skip "LibreOffice rendering: soffice is not installed (Debian: libreoffice-calc-nogui)"
		return
	fi
	mkdir -p "$tmp/lo"
	HOME=$tmp/lo timeout 180 soffice --headless --convert-to pdf --outdir "$tmp/lo" \
		"$tmp/s/hy_2021_gb18030.xlsx" >"$tmp/lo.log" 2>&1
	expect "LibreOffice converts the workbook to PDF" test -s "$tmp/lo/hy_2021_gb18030.pdf"
	if command -v pdfinfo >/dev/null; then
		expect "the PDF has a page for every sheet at least" \
			test "$(pdfinfo "$tmp/lo/hy_2021_gb18030.pdf" | awk '/^Pages:/ { print $2 }')" -ge 7
	fi
}

# What a clerk relies on (issue 18): print set-up, formulas, status carried over.
test_clerk() {
	local -a F=("$PY" tests/check_features.py)
	local d=$tmp/clerk
	mkdir -p "$d/in"
	expect "a notice's workbook: title, print set-up, formulas, formats" "${F[@]}" notice "$tmp/s/hy_2021_gb18030.xlsx"
	expect "a notice without findings says 未发现问题" "${F[@]}" clean "$tmp/s/hy_2021_gb18030.xlsx"
	$PY - "$d/in/long.txt" <<'P'
import sys
body = "加快推进重点项目建设," * 300
open(sys.argv[1], "w").write("临政办〔2020〕3号\n关于印发测试实施方案的通知\n\n各县区人民政府:\n\n2020年3月1日\n"
    "一、主要任务\n(一)短任务。推进工作。\n牵头单位:市水务局\n(二)长任务。" + body + "\n牵头单位:市财政局\n")
P
	./run.sh -q -o "$d/o" "$d/in/long.txt" >/dev/null 2>&1
	expect "a task over 409 pt: row capped and a finding names it" "${F[@]}" tall "$d/o/long.xlsx"
	# status typed into summary.xlsx survives re-runs, with and without changes
	cp samples/* "$d/in/" && rm "$d/in/long.txt"
	./run.sh -q -o "$d/r" "$d/in" >/dev/null 2>&1
	"${F[@]}" type "$d/r/summary.xlsx" 2 已完成 已验收 >/dev/null
	./run.sh -q -o "$d/r" "$d/in" >/dev/null 2>&1
	expect "typed status survives a re-run that changes nothing" "${F[@]}" status "$d/r/summary.xlsx" 2 已完成 已验收
	local before
	before=$(stat -c %i.%Y "$d/r/summary.xlsx")
	./run.sh -q -o "$d/r" "$d/in" >/dev/null 2>&1
	expect "an unchanged summary.xlsx is not written again" test "$(stat -c %i.%Y "$d/r/summary.xlsx")" = "$before"
	printf '\n' >>"$d/in/lc_2019_utf8bom.txt"
	./run.sh -q -o "$d/r" "$d/in" >/dev/null 2>&1
	expect "typed status survives a re-run with a changed notice" "${F[@]}" status "$d/r/summary.xlsx" 2 已完成 已验收
	# status typed into a notice's own workbook reaches the summary
	"${F[@]}" type "$d/r/qy_2022_utf16le.xlsx" 1 滞后 缺资金 >/dev/null
	./run.sh -q --force -o "$d/r" "$d/in" >/dev/null 2>&1
	expect "status typed into a notice's workbook reaches summary.xlsx" \
		"${F[@]}" status "$d/r/summary.xlsx" 1 滞后 缺资金 --docno "$($PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["文件信息"]; print([r[1] for r in ws.iter_rows(values_only=True) if r[0]=="发文字号"][0])' "$d/r/qy_2022_utf16le.xlsx")"
	./run.sh -q --split-by-unit -o "$d/u" samples >/dev/null 2>&1
	local units=("$d"/u/hy_2021_gb18030/*.xlsx)
	local one=${units[0]}
	expect "a unit's workbook names its notice, its role, what to fill in" "${F[@]}" unit "$one" 河政办〔2021〕23号
	if [ -f "$seed" ] && command -v soffice >/dev/null && command -v pdftotext >/dev/null; then
		if ! fc-match Calibri | grep -qi carlito; then
			skip "print scale: Calibri's metric twin Carlito is missing (Debian: fonts-crosextra-carlito)"
			return
		fi
		./run.sh -q -o "$d/seed" "$seed" >/dev/null 2>&1
		HOME=$d timeout 180 soffice --headless --convert-to pdf --outdir "$d/seed" "$d/seed/000_12348971a6eb51a8.xlsx" >/dev/null 2>&1
		expect "the seed's 任务分工 prints at 10.5 pt on at most 12 pages" "${F[@]}" print "$d/seed/000_12348971a6eb51a8.pdf" 10.45 12
		$PY - "$d/in100/n100.txt" <<'P'
import os, sys
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
tasks = "".join("%d.推进第%d项重点工作,完成年度目标任务的%d%%。\n牵头单位:市局%d\n配合单位:各县区人民政府\n完成时限:2021年%d月底前\n"
                % (i, i, 50 + i % 50, i % 9, i % 12 + 1) for i in range(1, 101))
open(sys.argv[1], "w").write("临政办〔2021〕9号\n关于印发百项任务实施方案的通知\n\n各县区人民政府:\n\n2021年1月5日\n一、主要任务\n" + tasks)
P
		./run.sh -q -o "$d/n100" "$d/in100" >/dev/null 2>&1
		HOME=$d timeout 180 soffice --headless --convert-to pdf --outdir "$d/n100" "$d/n100/n100.xlsx" >/dev/null 2>&1
		expect "a 100-task notice's 任务分工 prints at 10.5 pt on at most 30 pages" "${F[@]}" print "$d/n100/n100.pdf" 10.45 30
	else
		skip "print scale: the seed, LibreOffice or pdftotext is missing"
	fi
}

test_usage() {
	./run.sh --help >"$tmp/h.out" 2>&1
	expect "--help exits 0" test $? -eq 0
	expect "--help prints usage" grep -q "^usage: run.sh" "$tmp/h.out"
	./run.sh --no-such-option >/dev/null 2>"$tmp/u.err"
	expect "a bad option exits 2" test $? -eq 2
	expect "a bad option is named" grep -q "unknown option --no-such-option" "$tmp/u.err"
}

test_samples
test_fixtures
test_same_bytes
test_seed
test_bad_inputs
test_bad_rules
test_extra_rules
test_renames
test_formats
test_libreoffice
test_clerk
test_usage
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
