#!/usr/bin/env bash
# run-checks.sh - the validation rules, one small notice per case.
#
# tests/checks/RULE.NN.txt is a notice, fed as it is (line numbers matter)
# through nm-decode | nm-segment | nm-extract | nm-validate. Its sibling
# RULE.NN.expect lists the findings of rule RULE the notice must yield, one
# per line:
#
#   LINE RULE [LEVEL] [~TEXT] [@SEQ]
#
# LEVEL (错误, 警告 or 提示), when given, must be the finding's level; ~TEXT,
# when given, must occur in its 说明 (the repair the message suggests); @SEQ,
# when given, must be the 序号 of the task it names (0: none). The
# single line `none` says the rule must not fire at all. Lines starting with
# # are comments. Findings of other rules are allowed, and not compared.
# tests/checks/clean.NN.txt must yield no 警告 or 错误 of any rule (提示
# allowed) and needs no .expect file.
#
# Whatever the case, every finding of its rule must carry a 说明, a 规则名称,
# a 处理建议 and, at a line other than 0, about 30 characters of the original
# text of that line (at most 40); its level must be one the contract allows
# for the rule. Every stage must exit 0.
#
# Run from the top of the repository.
#   BUILD=DIR   the build directory (default build): stages in DIR/bin
#   VALGRIND=1  run every stage under valgrind
#   CHECKS=PAT  only the cases whose name matches the glob PAT (e.g. 'date.*')
set -uo pipefail
bin=${BUILD:-build}/bin
dir=tests/checks
run=()
if [ -n "${VALGRIND:-}" ] && [ "${VALGRIND}" != 0 ]; then
	run=(valgrind -q --leak-check=full --error-exitcode=9)
	export NM_NO_JIT=1 # valgrind cannot follow PCRE2's JIT code
fi
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The levels the contract (column 级别 of its rule ids) allows per rule id;
# leader.variant and rules.match_limit are extensions.
declare -A levels=(
	[encoding.invalid_bytes]=警告 [header.missing]=警告 [numbering.gap]=警告
	[numbering.duplicate]=警告 [task.missing_field]=警告 [date.malformed]=警告
	[date.invalid]=错误 [date.range_suspicious]=警告 [date.deadline_before_issue]=警告
	[docno.malformed]=警告 [docno.year_mismatch]=警告 [count.mismatch]=警告
	[unit.alias]=提示 [unit.renamed]="提示 警告" [leader.variant]=警告
	[rules.match_limit]="错误 警告 提示"
)

stages=(decode segment extract validate)
for stage in "${stages[@]}"; do
	if [ ! -x "$bin/nm-$stage" ]; then
		echo "run-checks.sh: $bin/nm-$stage not built (run make)" >&2
		exit 2
	fi
done

fail() { # fail CASE MESSAGE...
	failed=$((failed + 1))
	echo "FAIL checks $1: $2"
	shift 2
	local l
	for l in "$@"; do printf '    %s\n' "$l"; done
}

# The chain on one notice: the stream of decode in $tmp/dec, that of validate
# in $tmp/out, the exit statuses of the stages in $tmp/rc.
chain() {
	printf 'file\t%s\tx.xlsx\n' "$1" |
		"${run[@]}" "$bin/nm-decode" 2>>"$tmp/err" | tee "$tmp/dec" |
		"${run[@]}" "$bin/nm-segment" 2>>"$tmp/err" |
		"${run[@]}" "$bin/nm-extract" 2>>"$tmp/err" |
		"${run[@]}" "$bin/nm-validate" >"$tmp/out" 2>>"$tmp/err"
	local rc=("${PIPESTATUS[@]}")
	echo "${rc[1]} ${rc[3]} ${rc[4]} ${rc[5]}" >"$tmp/rc"
}

# Compares the findings of RULE in $tmp/out with the expect file; prints the
# problems, one a line, nothing when the case passes.
compare() { # compare RULE EXPECT
	LC_ALL=C awk -F'\t' -v rule="$1" -v allowed="${levels[$1]:-}" -v expfile="$2" '
	function unesc(s) { gsub(/\\n/, "\n", s); gsub(/\\t/, "\t", s); gsub(/\\\\/, "\\", s); return s }
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	BEGIN {
		nlev = split(allowed, al, " ")
		for (i = 1; i <= nlev; i++) ok_level[al[i]] = 1
		none = 0; nwant = 0
		while ((getline l < expfile) > 0) {
			sub(/\r$/, "", l)
			if (l ~ /^[ \t]*(#|$)/) continue
			if (trim(l) == "none") { none = 1; continue }
			n = split(l, w, /[ \t]+/)
			if (n < 2 || w[1] !~ /^[0-9]+$/) { print "bad expect line: " l; continue }
			nwant++
			wline[nwant] = w[1]; wrule[nwant] = w[2]; wlevel[nwant] = ""; wsay[nwant] = ""
			wseq[nwant] = ""
			for (k = 3; k <= n; k++) {
				if (w[k] ~ /^~/) wsay[nwant] = substr(w[k], 2)
				else if (w[k] ~ /^@[0-9]+$/) wseq[nwant] = substr(w[k], 2)
				else wlevel[nwant] = w[k]
			}
			if (w[2] != rule) print "expect line names another rule: " l
		}
		if (none && nwant) print "expect file says none and lists findings"
		if (!none && !nwant) print "expect file lists nothing (write none for a negative case)"
	}
	FILENAME != ARGV[2] { if ($1 == "line") text[$2] = trim(unesc($3)); next }
	$1 == "finding" && $4 == rule {
		ng++
		gline[ng] = $2; glevel[ng] = $3; gmsg[ng] = unesc($5); gtext[ng] = unesc($6)
		gseq[ng] = $7; gname[ng] = $8; gadvice[ng] = $9
	}
	END {
		for (i = 1; i <= ng; i++) {
			desc = gline[i] " " rule " " glevel[i] " — " gmsg[i]
			if (nlev && !(glevel[i] in ok_level))
				print "level " glevel[i] " not allowed for " rule ": " desc
			if (gmsg[i] == "")
				print "no 说明: " desc
			if (gname[i] == "")
				print "no 规则名称: " desc
			if (gadvice[i] == "")
				print "no 处理建议: " desc
			if (length(gtext[i]) > 40 * 3) # bytes: at most 40 Han characters
				print "原文 longer than about 30 characters: " desc " | " gtext[i]
			if (gline[i] > 0) {
				first = gtext[i]; sub(/\n.*/, "", first); first = trim(first)
				if (first == "")
					print "no original text: " desc
				else if (index(text[gline[i]], first) == 0 && index(first, text[gline[i]]) == 0)
					print "original text is not that of line " gline[i] ": " desc \
					      " | text: " first " | line " gline[i] ": " text[gline[i]]
			}
			matched = 0
			for (j = 1; j <= nwant; j++)
				if (wline[j] == gline[i] && (wlevel[j] == "" || wlevel[j] == glevel[i])) {
					matched = 1
					if ((wsay[j] == "" || index(gmsg[i], wsay[j])) &&
					    (wseq[j] == "" || wseq[j] == gseq[i])) wok[j] = 1
				}
			if (!matched)
				print "got  " desc " | " gtext[i]
		}
		for (j = 1; j <= nwant; j++)
			if (!wok[j]) {
				seen = 0
				for (i = 1; i <= ng; i++)
					if (wline[j] == gline[i] && (wlevel[j] == "" || wlevel[j] == glevel[i]))
						seen = 1
				print (seen ? "说明 lacks “" wsay[j] "” or 序号 is not " wseq[j] ": " : "want ") \
				      wline[j] " " rule (wlevel[j] != "" ? " " wlevel[j] : "") \
				      (wsay[j] != "" && !seen ? " ~" wsay[j] : "") (wseq[j] != "" && !seen ? " @" wseq[j] : "")
			}
	}' "$tmp/dec" "$tmp/out"
}

# A clean notice: no 警告 or 错误 of any rule.
compare_clean() {
	awk -F'\t' '$1 == "finding" && ($3 == "警告" || $3 == "错误") {
		print "got  " $2 " " $4 " " $3 " — " $5 " | " $6 }' "$tmp/out"
}

shopt -s nullglob
for notice in "$dir"/*.txt; do
	case=$(basename "$notice" .txt)
	# shellcheck disable=SC2053 # CHECKS is a glob
	[[ $case == ${CHECKS:-*} ]] || continue
	rule=${case%.*}
	: >"$tmp/err"
	chain "$notice"
	problems=()
	read -ra rcs <"$tmp/rc"
	for i in "${!rcs[@]}"; do
		[ "${rcs[$i]}" = 0 ] || problems+=("stage ${stages[$i]} exited ${rcs[$i]}: $(head -c 300 "$tmp/err")")
	done
	grep -q $'^fail\t' "$tmp/out" && problems+=("decode failed: $(grep $'^fail\t' "$tmp/out" | head -1)")
	if [ "$rule" = clean ]; then
		mapfile -t more < <(compare_clean)
	elif [ ! -f "$dir/$case.expect" ]; then
		more=("no $dir/$case.expect")
	elif [ -z "${levels[$rule]+x}" ]; then
		more=("unknown rule id $rule (file name RULE.NN.txt)")
	else
		mapfile -t more < <(compare "$rule" "$dir/$case.expect")
	fi
	problems+=(${more[@]+"${more[@]}"})
	if [ ${#problems[@]} -eq 0 ]; then
		passed=$((passed + 1))
	else
		fail "$case" "${#problems[@]} problem(s)" "${problems[@]}"
	fi
done
for expect in "$dir"/*.expect; do
	# shellcheck disable=SC2053 # CHECKS is a glob
	[[ $(basename "$expect" .expect) == ${CHECKS:-*} ]] || continue
	[ -f "${expect%.expect}.txt" ] || fail "$(basename "$expect" .expect)" "no notice beside $expect"
done

echo "checks: $passed passed, $failed failed"
[ $failed -eq 0 ]
