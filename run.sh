#!/usr/bin/env bash
# run.sh - convert notices into responsibility workbooks (see README.md).
set -uo pipefail

VERSION=0.1.0
top=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$top/build/bin
BUILD_DEPS=(gcc make pkg-config libpcre2-dev libxlsxwriter-dev)

usage() {
	cat <<EOF
usage: run.sh [OPTIONS] [INPUT...]
Converts each notice (a file, or every file under a directory) into
OUTDIR/NAME.xlsx, the 重点任务责任分工表 of the notice. No INPUT: samples/.

  -o DIR               output directory (default: out/)
  -j N                 notices converted in parallel (default: number of cores)
  --from ENC           decode every input as ENC (any iconv name) instead of detecting
  --rules DIR          rules directory instead of rules/
  --extra-rules DIR    more rules on top (a city's aliases, patterns); repeatable
  --force              convert even what is up to date
  --strict             a notice with 警告 or 错误 findings counts as failed
  --split-by-unit      also write NAME/UNIT.xlsx, one workbook per unit
  --max-size BYTES     refuse larger notices (default: 67108864, 64 MB)
  --keep-intermediate  keep each stage's stream in OUTDIR/NAME.stages/
  -q                   no progress line
  -h, --help           this help

Exit status: 0 all converted (findings allowed), 1 some notices failed,
2 usage error or bad rules (nothing converted).
EOF
}

die_usage() {
	echo "run.sh: $1" >&2
	echo "Try 'run.sh --help'." >&2
	exit 2
}

outdir=$top/out jobs=$(nproc 2>/dev/null || echo 2) from= rules_dir=$top/rules
force=0 strict=0 split=0 max_size=67108864 keep=0 quiet=0
extra_rules=() inputs=()

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		-o | -j | --from | --rules | --extra-rules | --max-size)
			[ $# -ge 2 ] || die_usage "option $1 needs a value"
			case $1 in
			-o) outdir=$2 ;;
			-j) jobs=$2 ;;
			--from) from=$2 ;;
			--rules) rules_dir=$2 ;;
			--extra-rules) extra_rules+=("$2") ;;
			--max-size) max_size=$2 ;;
			esac
			shift ;;
		--force) force=1 ;;
		--strict) strict=1 ;;
		--split-by-unit) split=1 ;;
		--keep-intermediate) keep=1 ;;
		-q) quiet=1 ;;
		--) shift; inputs+=("$@"); break ;;
		-*) die_usage "unknown option $1" ;;
		*) inputs+=("$1") ;;
		esac
		shift
	done
	[[ $jobs =~ ^[1-9][0-9]*$ ]] || die_usage "-j needs a positive number, not '$jobs'"
	[[ $max_size =~ ^[0-9]+$ ]] || die_usage "--max-size needs a number of bytes, not '$max_size'"
	[ ${#inputs[@]} -gt 0 ] || inputs=("$top/samples")
}

# Installs what the build needs when it is missing and we may (root).
install_build_deps() {
	local missing=()
	for p in "${BUILD_DEPS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "run.sh: missing build dependencies: ${missing[*]} (install them with apt-get as root)" >&2
		exit 2
	fi
	echo "run.sh: installing build dependencies: ${missing[*]}" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 ||
		{ echo "run.sh: apt-get failed" >&2; exit 2; }
}

build() {
	if [ -x "$bin/nm-xlsx" ] && make -s -q -C "$top" all 2>/dev/null; then
		return 0
	fi
	install_build_deps
	make -s -C "$top" all >&2 || { echo "run.sh: build failed" >&2; exit 2; }
}

rules_args=()
check_rules() {
	rules_args=(--rules "$rules_dir")
	for d in ${extra_rules[@]+"${extra_rules[@]}"}; do rules_args+=(--rules "$d"); done
	local stage
	for stage in segment extract validate; do
		"$bin/nm-$stage" "${rules_args[@]}" </dev/null >/dev/null || exit 2
	done
}

rules_hash() {
	cat "$rules_dir"/*.rules "$rules_dir"/*.aliases \
		${extra_rules[@]+"${extra_rules[@]/%//*}"} 2>/dev/null | sha256sum | cut -c1-16
}

# Escapes a field of the record stream (pipeline/FORMAT.md).
esc() {
	local s=${1//\\/\\\\}
	s=${s//$'\t'/\\t}
	s=${s//$'\n'/\\n}
	printf '%s' "${s//$'\r'/\\r}"
}

# Every input file with the name of its workbook, NUL-separated pairs.
list_inputs() {
	local in rel name
	declare -A taken=()
	for in in "${inputs[@]}"; do
		if [ -d "$in" ]; then
			while IFS= read -r -d '' f; do
				rel=${f#"$in"}
				rel=${rel#/}
				emit_pair "$f" "$rel"
			done < <(find "$in" -path "$outdir" -prune -o ! -type d -print0 | LC_ALL=C sort -z)
		elif [ -e "$in" ] || [ -L "$in" ]; then
			emit_pair "$in" "$(basename -- "$in")"
		else
			echo "$in: no such file or directory" >&2
			missing_inputs=$((missing_inputs + 1))
		fi
	done
}

# NAME.EXT becomes NAME.xlsx; a name already taken gets -2, -3, ...
emit_pair() {
	local path=$1 name=$2 base k=2
	base=${name%.*}
	case $base in "" | */) base=$name ;; esac
	name=$base.xlsx
	while [ -n "${taken[$name]:-}" ]; do
		name=$base-$k.xlsx
		k=$((k + 1))
	done
	taken[$name]=1
	printf '%s\0%s\0' "$path" "$name"
}

main() {
	parse_args "$@"
	build
	check_rules
	mkdir -p -- "$outdir" || exit 2
	outdir=$(cd -- "$outdir" && pwd)
	missing_inputs=0
	local work
	work=$(mktemp -d "${TMPDIR:-/tmp}/notice-matrix.XXXXXX")
	trap 'rm -rf -- "$work"' EXIT
	list_inputs >"$work/pairs"
	convert "$work"
}

convert() {
	local work=$1 chunks=$jobs n=0 path name
	local xlsx_opts=(--xlsx-opt --rules-hash --xlsx-opt "$(rules_hash)" --xlsx-opt --program-version
		--xlsx-opt "$VERSION")
	[ "$split" = 1 ] && xlsx_opts+=(--xlsx-opt --split-by-unit)
	while IFS= read -r -d '' path && IFS= read -r -d '' name; do
		printf 'file\t%s\t%s\n' "$(esc "$path")" "$(esc "$name")" >>"$work/chunk.$((n % chunks))"
		n=$((n + 1))
	done <"$work/pairs"
	local t0=$SECONDS
	if [ "$n" -gt 0 ]; then
		local chain_opts=("${rules_args[@]}" --max-size "$max_size" "${xlsx_opts[@]}")
		[ -n "$from" ] && chain_opts+=(--from "$from")
		find "$work" -name 'chunk.*' -print0 |
			xargs -0 -P "$jobs" -I{} sh -c '"$0" "$@" < "{}" > "{}.out"' \
				"$top/pipeline/chain.sh" "$bin" "$outdir" "${chain_opts[@]}"
	fi
	cat "$work"/chunk.*.out 2>/dev/null | report "$((SECONDS - t0))"
}

# Turns the report records into report.tsv, messages and the exit status.
report() {
	local seconds=$1
	awk -F'\t' -v strict="$strict" -v outdir="$outdir" -v seconds="$seconds" -v missing="$missing_inputs" '
	function unesc(s) { gsub(/\\t/, "\t", s); gsub(/\\n/, " ", s); gsub(/\\\\/, "\\", s); return s }
	$1 == "report" {
		status = $3; msg = $8
		if (strict && status == "warn") { status = "failed"; msg = "strict: " $5 " findings" }
		print $2 "\t" status "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" msg > (outdir "/report.tsv")
		if (status == "failed") { failed++; print unesc($2) ": " unesc(msg) > "/dev/stderr" }
		else converted++
		tasks += $4; findings += $5
	}
	BEGIN { print "file\tstatus\ttasks\tfindings\tencoding\toutput\tmessage" > (outdir "/report.tsv") }
	END {
		printf "notice-matrix: converted %d, skipped 0, failed %d, tasks %d, findings %d, %d s\n",
			converted, failed + missing, tasks, findings, seconds > "/dev/stderr"
		exit (failed + missing) ? 1 : 0
	}'
}

main "$@"
