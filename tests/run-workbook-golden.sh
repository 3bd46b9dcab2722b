#!/usr/bin/env bash
# run-workbook-golden.sh - nm-xlsx on stored task streams, every part of the
# workbook compared with its expected XML.
#
# tests/golden-xlsx/CASE/input.stream is a validate stream kept as it is
# (the extractor can change without touching these cases); expected/ holds
# every part of the workbook nm-xlsx writes from it (each sheet, shared
# strings, styles, charts...), unzipped and indented by xmllint so that a
# difference shows as a readable diff. Run from the top of the repository.
#   REGEN=1     rewrite expected/ (review the diff before committing)
#   VALGRIND=1  run nm-xlsx under valgrind
set -uo pipefail
bin=${BUILD:-build}/bin
run=()
[ -n "${VALGRIND:-}" ] && run=(valgrind -q --leak-check=full --error-exitcode=9)
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Unzips a workbook into DIR, each XML part indented one element a line.
parts() {
	mkdir -p "$2" && (cd "$2" && unzip -q -o "$1") || return 1
	find "$2" -type f \( -name '*.xml' -o -name '*.rels' -o -name '*.vml' \) -print0 |
		while IFS= read -r -d '' f; do
			xmllint --format --nonet "$f" >"$f.fmt" && mv "$f.fmt" "$f"
		done
}

for dir in tests/golden-xlsx/*/; do
	case=$(basename "$dir")
	out=$tmp/$case
	mkdir -p "$out/o"
	"${run[@]}" "$bin/nm-xlsx" -o "$out/o" --rules rules --no-fsync <"$dir/input.stream" >"$out/report" 2>"$out/err"
	rc=$?
	wb=$(awk -F'\t' '$1 == "report" { print $7 }' "$out/report")
	if [ $rc -ne 0 ] || [ -z "$wb" ] || ! parts "$out/o/$wb" "$out/x"; then
		failed=$((failed + 1))
		echo "FAIL workbook golden $case: nm-xlsx exit $rc"
		cat "$out/err" "$out/report" | head -20
		continue
	fi
	if [ -n "${REGEN:-}" ]; then
		rm -rf "$dir/expected" && cp -r "$out/x" "$dir/expected"
	fi
	# every part, so a sheet added or lost shows as well as one changed
	if diff -ru "$dir/expected" "$out/x" >"$out/diff"; then
		passed=$((passed + $(find "$dir/expected" -type f | wc -l)))
	else
		failed=$((failed + 1))
		echo "FAIL workbook golden $case"
		head -60 "$out/diff"
	fi
done
echo "workbook golden: $passed passed, $failed failed"
[ $failed -eq 0 ]
