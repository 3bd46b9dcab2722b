#!/usr/bin/env bash
# run-fuzz-regressions.sh - every input fuzzing once broke a stage with, run
# again through its libFuzzer target (built with clang, ASan and UBSan).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if ! command -v clang >/dev/null; then
	echo "SKIP fuzz regressions: clang is not installed"
	echo "fuzz regressions: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
passed=0 failed=0
for dir in tests/fuzz/regressions/*/; do
	target=$(basename "$dir")
	make -s "build-fuzz/$target" >/dev/null 2>&1 || { echo "FAIL fuzz: cannot build $target"; failed=$((failed + 1)); continue; }
	for input in "$dir"*; do
		[ -f "$input" ] || continue
		if "build-fuzz/$target" "$input" >/dev/null 2>&1; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL fuzz regression $input"
		fi
	done
done
echo "fuzz regressions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
