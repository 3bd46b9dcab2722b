#!/usr/bin/env bash
# run-golden.sh - each stage on stored input, diffed against its expected stream.
#
# tests/golden/CASE/ holds 0-files.stream (file records) and the expected
# output of every stage in chain order: 1-decode, 2-segment, 3-extract,
# 4-validate. Each stage reads the previous stage's expected stream, so a
# failure points at one stage. tests/golden/CASE/decode.args, if present,
# holds extra options for decode. Run from the top of the repository.
#   REGEN=1   rewrite the expected streams (review the diff before committing)
#   VALGRIND=1  run every stage under valgrind
set -uo pipefail
bin=${BUILD:-build}/bin
run=()
if [ -n "${VALGRIND:-}" ]; then
	run=(valgrind -q --leak-check=full --error-exitcode=9)
	export NM_NO_JIT=1 # valgrind cannot follow PCRE2's JIT code
fi
stages=(decode segment extract validate)
passed=0 failed=0

for dir in tests/golden/*/; do
	case=$(basename "$dir")
	input=$dir/0-files.stream
	for i in "${!stages[@]}"; do
		stage=${stages[$i]}
		expected=$dir/$((i + 1))-$stage.stream
		args=()
		[ -f "$dir/$stage.args" ] && read -ra args <"$dir/$stage.args"
		actual=$(mktemp)
		"${run[@]}" "$bin/nm-$stage" ${args[@]+"${args[@]}"} <"$input" >"$actual" 2>"$actual.err"
		rc=$?
		if [ -n "${REGEN:-}" ]; then
			cp "$actual" "$expected"
		fi
		if [ $rc -eq 0 ] && diff -u "$expected" "$actual" >"$actual.diff"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL golden $case/$stage (exit $rc)"
			head -40 "$actual.diff" "$actual.err"
		fi
		rm -f "$actual" "$actual.err" "$actual.diff"
		input=$expected
	done
done
# The examples of every rules file, echoed with what they yielded.
check_rule_examples() {
	local expected=$1
	shift
	local actual
	actual=$(mktemp)
	"${run[@]}" "$bin/nm-ruletest" "$@" >"$actual" 2>&1
	local rc=$?
	[ -n "${REGEN:-}" ] && cp "$actual" "$expected"
	if [ $rc -eq 0 ] && diff -u "$expected" "$actual"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL rule examples ($expected, exit $rc)"
	fi
	rm -f "$actual"
}
check_rule_examples tests/rules.expected
check_rule_examples tests/fixtures/extra-rules/rules.expected --rules rules --rules tests/fixtures/extra-rules

echo "golden: $passed passed, $failed failed"
[ $failed -eq 0 ]
