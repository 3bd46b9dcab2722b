#!/usr/bin/env bash
# run-batch.sh - run.sh as the nightly job and the archive conversion use it:
# re-runs, staff edits, signals, odd names and inputs, damaged files.
# Each case asserts the exit status, the message and that no partial
# workbook is left.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL batch: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP batch: $*"; }
expect() {
	local what=$1
	shift
	if "$@" >"$tmp/expect.log" 2>&1; then ok; else fail "$what"; head -20 "$tmp/expect.log"; fi
}
field() { awk -F'\t' -v f="$2" -v k="$3" '$1 ~ k { print $f }' "$1/report.tsv"; }
# Every .xlsx under a directory is a complete zip, and no temporary file is left.
all_complete() {
	$PY - "$1" <<'P'
import sys, pathlib, zipfile
bad = [str(p) for p in pathlib.Path(sys.argv[1]).rglob("*.xlsx") if not zipfile.is_zipfile(p) or zipfile.ZipFile(p).testzip() is not None]
temps = [str(p) for p in pathlib.Path(sys.argv[1]).rglob(".*.tmp")]
print("\n".join(bad + temps))
sys.exit(1 if bad or temps else 0)
P
}
tasks_in() { $PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["任务分工"]; print(sum(1 for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None))' "$1"; }

# A corpus of many notices: the shared generator where present, else copies.
make_corpus() {
	local dir=$1 n=$2
	mkdir -p "$dir"
	if [ -f ../shared/bench/gen_corpus.py ]; then
		$PY ../shared/bench/gen_corpus.py --n "$n" --out "$dir" --seed 3 >/dev/null 2>&1
		rm -f "$dir"/*.json "$dir"/manifest.tsv
	else
		for i in $(seq 1 "$n"); do cp samples/hy_2021_gb18030.txt "$dir/n$i.txt"; done
	fi
}

test_rerun_skips() {
	./run.sh -q -o "$tmp/r" samples >/dev/null 2>&1
	./run.sh -o "$tmp/r" samples >/dev/null 2>"$tmp/r.err"
	expect "a re-run exits 0" test $? -eq 0
	expect "a re-run skips every unchanged notice" test "$(field "$tmp/r" 2 samples | sort -u)" = skipped
	expect "the summary line counts the skipped" grep -q "converted 0, skipped 3, failed 0" "$tmp/r.err"
	expect "summary.xlsx still lists every task" test "$(tasks_in "$tmp/r/summary.xlsx")" -eq 25
	rm "$tmp/r/lc_2019_utf8bom.xlsx"
	./run.sh -q -o "$tmp/r" samples >/dev/null 2>&1
	expect "a deleted workbook is rebuilt" test -s "$tmp/r/lc_2019_utf8bom.xlsx"
	expect "only the deleted one is converted" test "$(field "$tmp/r" 2 lc_2019)" = ok
	./run.sh -q --force -o "$tmp/r" samples >/dev/null 2>&1
	expect "--force converts everything" test "$(field "$tmp/r" 2 samples | sort -u)" = ok
	mkdir -p "$tmp/in" && cp samples/hy_2021_gb18030.txt "$tmp/in/"
	./run.sh -q -o "$tmp/r2" "$tmp/in" >/dev/null 2>&1
	printf '\n' >>"$tmp/in/hy_2021_gb18030.txt"
	./run.sh -q -o "$tmp/r2" "$tmp/in" >/dev/null 2>&1
	expect "a changed notice is converted again" test "$(field "$tmp/r2" 2 hy_2021)" = ok
}

test_staff_edits_kept() {
	./run.sh -q -o "$tmp/e" samples >/dev/null 2>&1
	printf 'edited' >>"$tmp/e/hy_2021_gb18030.xlsx"
	cp "$tmp/e/hy_2021_gb18030.xlsx" "$tmp/edited.copy"
	./run.sh -q -o "$tmp/e" samples >/dev/null 2>&1
	expect "an edited workbook of an unchanged notice is left alone" cmp "$tmp/edited.copy" "$tmp/e/hy_2021_gb18030.xlsx"
	./run.sh -q --force -o "$tmp/e" samples >/dev/null 2>&1
	expect "an edited workbook is never overwritten" cmp "$tmp/edited.copy" "$tmp/e/hy_2021_gb18030.xlsx"
	expect "the new workbook goes beside it" compgen -G "$tmp/e/hy_2021_gb18030.[0-9]*-[0-9]*.xlsx"
	expect "the report says so" grep -q "was edited since it was written" "$tmp/e/report.tsv"
}

test_names() {
	mkdir -p "$tmp/n/a" "$tmp/n/b" "$tmp/odd"
	cp samples/hy_2021_gb18030.txt "$tmp/n/a/x.txt"
	cp samples/lc_2019_utf8bom.txt "$tmp/n/b/x.txt"
	./run.sh -q -o "$tmp/no" "$tmp/n" >/dev/null 2>&1
	expect "same base names in different folders keep their folders" test -s "$tmp/no/a/x.xlsx" -a -s "$tmp/no/b/x.xlsx"
	./run.sh -q -o "$tmp/nf" "$tmp/n/a/x.txt" "$tmp/n/b/x.txt" >/dev/null 2>&1
	expect "same base names given as files do not overwrite each other" test -s "$tmp/nf/x.xlsx" -a -s "$tmp/nf/x-2.xlsx"
	cp samples/qy_2022_utf16le.txt "$tmp/odd/-n 通知 (1).txt"
	./run.sh -q -o "$tmp/oo" -- "$tmp/odd/-n 通知 (1).txt" >/dev/null 2>&1
	expect "spaces, Chinese and a leading - in a name work" test -s "$tmp/oo/-n 通知 (1).xlsx"
	local gbname
	gbname=$(printf '\xbb\xe1\xd2\xe9.txt') # 会议.txt in GB18030 bytes, not UTF-8
	cp samples/hy_2021_gb18030.txt "$tmp/odd/$gbname"
	./run.sh -q -o "$tmp/og" "$tmp/odd/$gbname" >/dev/null 2>&1
	expect "a file name in GB18030 bytes converts" test $? -eq 0
	expect "the name shown in the workbook is valid UTF-8" $PY -c 'import openpyxl,sys,glob; wb=openpyxl.load_workbook([p for p in glob.glob(sys.argv[1]+"/*.xlsx") if not p.endswith("summary.xlsx")][0]); v=[r[1] for r in wb["文件信息"].iter_rows(values_only=True) if r[0]=="源文件"][0]; v.encode("utf-8"); sys.exit(0 if v.endswith("会议.txt") else 1)' "$tmp/og"
	expect "no output escapes the output directory" test -z "$(find "$tmp" -maxdepth 1 -name '*.xlsx')"
}

test_odd_inputs() {
	mkdir -p "$tmp/odd2"
	cp samples/hy_2021_gb18030.txt "$tmp/odd2/good.txt"
	mkfifo "$tmp/odd2/fifo.txt"
	ln -s /dev/zero "$tmp/odd2/zero.txt"
	ln -s "$tmp/odd2/good.txt" "$tmp/odd2/link.txt"
	timeout 60 ./run.sh -q -o "$tmp/oi" "$tmp/odd2" >/dev/null 2>"$tmp/oi.err"
	expect "a FIFO and a device link fail the run (exit 1) without hanging" test $? -eq 1
	expect "a FIFO is refused by name" grep -q "fifo.txt: not a regular file" "$tmp/oi.err"
	expect "a link to /dev/zero is refused by name" grep -q "zero.txt: not a regular file" "$tmp/oi.err"
	expect "a link to a regular file is followed" test -s "$tmp/oi/link.xlsx"
	./run.sh -q --max-size 1000 -o "$tmp/ms" samples/hy_2021_gb18030.txt >/dev/null 2>"$tmp/ms.err"
	expect "--max-size refuses a larger notice" grep -q "hy_2021_gb18030.txt: too large: 2916 bytes, over --max-size 1000" "$tmp/ms.err"
	printf '关于做好春节期间值班工作的通知\n\n各县区人民政府:\n\n请各单位安排好值班。\n\n2024年1月20日\n' >"$tmp/notask.txt"
	./run.sh -q -o "$tmp/nt" "$tmp/notask.txt" >/dev/null 2>&1
	expect "a notice with no tasks gets a workbook" test -s "$tmp/nt/notask.xlsx"
	expect "a notice with no tasks gets a 警告" $PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["校验结果"]; sys.exit(0 if any(r[1]=="task.none" and r[0]=="警告" for r in ws.iter_rows(values_only=True)) else 1)' "$tmp/nt/notask.xlsx"
	./run.sh -q -o "$tmp/iv" tests/fixtures/bad/gb18030_invalid.txt >/dev/null 2>&1
	expect "invalid bytes are counted and reported" $PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["校验结果"]; sys.exit(0 if any(r[1]=="encoding.invalid_bytes" for r in ws.iter_rows(values_only=True)) else 1)' "$tmp/iv/gb18030_invalid.xlsx"
}

test_strict() {
	./run.sh -q -o "$tmp/s1" tests/fixtures/notices/validation_a.txt >/dev/null 2>&1
	expect "findings alone do not fail a notice" test $? -eq 0
	./run.sh -q --strict -o "$tmp/s2" tests/fixtures/notices/validation_a.txt >/dev/null 2>"$tmp/s2.err"
	expect "--strict fails a notice with 警告" test $? -eq 1
	expect "--strict says why" grep -q "validation_a.txt: strict: " "$tmp/s2.err"
	expect "--strict still writes the workbook" test -s "$tmp/s2/validation_a.xlsx"
}

test_split_and_as_of() {
	./run.sh -q --split-by-unit -o "$tmp/u" samples >/dev/null 2>&1
	expect "--split-by-unit writes NAME/UNIT.xlsx" compgen -G "$tmp/u/hy_2021_gb18030/*.xlsx"
	expect "--split-by-unit writes 单位/UNIT.xlsx across the run" compgen -G "$tmp/u/单位/*.xlsx"
	expect "every unit workbook is complete" all_complete "$tmp/u"
}

test_parallel_same_output() {
	make_corpus "$tmp/c" 40
	./run.sh -q -j 1 -o "$tmp/j1" "$tmp/c" >/dev/null 2>&1
	./run.sh -q -j 2 -o "$tmp/j2" "$tmp/c" >/dev/null 2>&1
	local differ=0
	for f in "$tmp"/j1/*.xlsx; do cmp -s "$f" "$tmp/j2/$(basename "$f")" || differ=$((differ + 1)); done
	expect "-j 1 and -j 2 write the same workbooks" test "$differ" -eq 0
	expect "-j 2 reports in input order" cmp <(cut -f1,2,3 "$tmp/j1/report.tsv") <(cut -f1,2,3 "$tmp/j2/report.tsv")
}

test_sigterm() {
	make_corpus "$tmp/big" 300
	./run.sh -q -j 2 -o "$tmp/t" "$tmp/big" >/dev/null 2>"$tmp/t.err" &
	local pid=$!
	sleep 2
	kill -TERM "$pid"
	wait "$pid"
	local rc=$?
	expect "SIGTERM stops the run with a non-zero status" test "$rc" -ne 0
	expect "SIGTERM leaves only complete workbooks and no temporary file" all_complete "$tmp/t"
	expect "no chain is left running" test -z "$(pgrep -f "nm-xlsx -o $tmp/t" || true)"
	setsid ./run.sh -q -j 2 -o "$tmp/k" "$tmp/big" >/dev/null 2>&1 &
	pid=$!
	sleep 2
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sleep 0.5
	expect "after kill -9 every .xlsx in OUTDIR is complete" $PY - "$tmp/k" <<'P'
import sys, pathlib, zipfile
bad = [str(p) for p in pathlib.Path(sys.argv[1]).glob("*.xlsx") if not zipfile.is_zipfile(p)]
print("\n".join(bad))
sys.exit(1 if bad else 0)
P
	./run.sh -q -j 2 -o "$tmp/k" "$tmp/big" >/dev/null 2>&1
	expect "the next run finishes the job" test "$?" -eq 0 -a "$(ls "$tmp"/k/*.xlsx | grep -vc summary)" -eq 300
	expect "and leaves nothing partial" all_complete "$tmp/k"
}

test_unwritable_and_full() {
	mkdir -p "$tmp/ro"
	if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] &&
		! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$top/run.sh" 2>/dev/null; then
		skip "read-only output directory: the checkout is not reachable by an unprivileged user"
	elif command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
		chmod 755 "$tmp" "$tmp/ro"
		setpriv --reuid=65534 --regid=65534 --clear-groups ./run.sh -q -o "$tmp/ro" samples >/dev/null 2>"$tmp/ro.err"
		expect "an output directory that is not writable exits 2" test $? -eq 2
		expect "and says so" grep -q "ro" "$tmp/ro.err"
	else
		chmod 555 "$tmp/ro"
		./run.sh -q -o "$tmp/ro" samples >/dev/null 2>"$tmp/ro.err"
		expect "an output directory that is not writable exits 2" test $? -eq 2
	fi
	(
		trap '' XFSZ
		ulimit -f 16
		./run.sh -q -o "$tmp/full" samples >/dev/null 2>"$tmp/full.err"
	)
	expect "a full disk fails the notices with a message" grep -q "cannot write .*File too large" "$tmp/full.err"
	expect "a full disk leaves no partial workbook" all_complete "$tmp/full"
}

test_big_inputs() {
	$PY - "$tmp/bigin" <<'P'
import sys, os
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
head = "临政办〔2020〕3号\n关于印发测试方案的通知\n\n各县区人民政府:\n\n2020年3月1日\n一、主要任务\n"
open(d + "/long_line.txt", "w").write(head + "(一)加快建设," * 1000000 + "\n牵头单位:市水务局\n")
open(d + "/headings.txt", "w").write(head + "".join("(%d)任务%d。推进工作。\n牵头单位:市局%d\n" % (i % 99 + 1, i, i % 50) for i in range(5000)))
open(d + "/spaces.txt", "w").write(head + " " * 100000 + "x\n配合单位:" + "、" * 50000 + "\n牵头单位:市水务局\n")
open(d + "/many_tasks.txt", "w").write(head + "".join("%d.任务%d。\n牵头单位:市局%d\n" % (i % 99 + 1, i, i % 7) for i in range(16400)))
block = open("samples/lc_2019_utf8bom.txt", encoding="utf-8-sig").read()
with open(d + "/sixty_mb.txt", "w") as f:
    while f.tell() < 60 * 1024 * 1024:
        f.write(block)
P
	for name in long_line headings spaces many_tasks sixty_mb; do
		timeout 300 ./run.sh -q -o "$tmp/bo" "$tmp/bigin/$name.txt" >/dev/null 2>"$tmp/bo.err"
		expect "$name converts in reasonable time" test -s "$tmp/bo/$name.xlsx"
	done
	expect "big inputs leave nothing partial" all_complete "$tmp/bo"
	expect "more tasks than a sheet has columns: the matrix is transposed, with a note" $PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1], read_only=True)["责任矩阵"]; r=[c.value for c in next(ws.iter_rows(max_row=1))]; sys.exit(0 if any(v and "16384" in str(v) or v and "转置" in str(v) for v in r) else 1)' "$tmp/bo/many_tasks.xlsx"
}

test_rerun_skips
test_staff_edits_kept
test_names
test_odd_inputs
test_strict
test_split_and_as_of
test_parallel_same_output
test_sigterm
test_unwritable_and_full
test_big_inputs
echo "batch: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
