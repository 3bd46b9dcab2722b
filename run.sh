#!/usr/bin/env bash
# run.sh - convert notices into responsibility workbooks (see README.md).
set -uo pipefail

VERSION=0.1.0
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
bin=${NM_BIN:-$top/build/bin} # NM_BIN: stages built elsewhere (the tests' sanitizer build)
BUILD_DEPS=(gcc make pkg-config libpcre2-dev libxlsxwriter-dev libxml2-dev libminizip-dev)

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
  --as-of DATE         name units as on DATE (YYYY-MM-DD or today) per rules/*.renames;
                       the names as written stay beside them
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

outdir=out jobs=$(nproc 2>/dev/null || echo 2) from= rules_dir=$top/rules
force=0 strict=0 split=0 max_size=67108864 keep=0 quiet=0 as_of=
extra_rules=() inputs=()

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		-o | -j | --from | --rules | --extra-rules | --max-size | --as-of)
			[ $# -ge 2 ] || die_usage "option $1 needs a value"
			case $1 in
			-o) outdir=$2 ;;
			-j) jobs=$2 ;;
			--from) from=$2 ;;
			--rules) rules_dir=$2 ;;
			--extra-rules) extra_rules+=("$2") ;;
			--max-size) max_size=$2 ;;
			--as-of) as_of=$2 ;;
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
	[ "$as_of" = today ] && as_of=$(date +%F)
	[ -z "$as_of" ] || [[ $as_of =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] ||
		die_usage "--as-of needs a date YYYY-MM-DD or 'today', not '$as_of'"
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
	[ -n "${NM_BIN:-}" ] || [ ! -f "$top/Makefile" ] && return 0 # built elsewhere, or installed
	if [ -x "$bin/nm-xlsx" ] && make -s -q -C "$top" all 2>/dev/null; then
		return 0
	fi
	install_build_deps
	if ! make -s -C "$top" all >"${TMPDIR:-/tmp}/notice-matrix-build.log" 2>&1; then
		cat "${TMPDIR:-/tmp}/notice-matrix-build.log" >&2
		echo "run.sh: build failed" >&2
		exit 2
	fi
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

# What the workbooks depend on besides the notices: the rules and the
# options that change what is written.
rules_hash() {
	{
		cat "$rules_dir"/* ${extra_rules[@]+"${extra_rules[@]/%//*}"} 2>/dev/null
		printf 'as-of %s split %s\n' "$as_of" "$split"
	} | sha256sum | cut -c1-16
}

# Escapes a field of the record stream (pipeline/FORMAT.md) into the
# variable named first; no subshell, as it runs once per input.
esc_to() {
	local s=${2//\\/\\\\}
	s=${s//$'\t'/\\t}
	s=${s//$'\n'/\\n}
	printf -v "$1" '%s' "${s//$'\r'/\\r}"
}

esc() {
	local out
	esc_to out "$1"
	printf '%s' "$out"
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
			printf 'report\t%s\tfailed\t0\t0\t\t\tno such file or directory\n' "$(esc "$in")" \
				>>"$work/missing"
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

lock_outdir() {
	exec 9>"$outdir/.notice-matrix.lock" || exit 2
	if ! flock -n 9; then
		echo "run.sh: another run is writing to $outdir" >&2
		exit 2
	fi
}

# Temporary workbooks of a run that was killed (the lock says none is running).
remove_stale_temps() {
	find "$outdir" -name '.*.tmp' -type f -delete 2>/dev/null
}

manifest_file() { printf '%s/.notice-matrix.manifest' "$outdir"; }
streams_dir() { printf '%s/.notice-matrix.streams' "$outdir"; }

# Reads the manifest: one line per workbook name (escaped):
# outname input_hash rules_hash version output_hash tasks findings encoding.
declare -A m_input=() m_rules=() m_version=() m_output=() m_line=()
read_manifest() {
	local f
	f=$(manifest_file)
	[ -f "$f" ] || return 0
	while IFS=$'\t' read -r key input rules version output rest; do
		m_input[$key]=$input m_rules[$key]=$rules m_version[$key]=$version
		m_output[$key]=$output m_line[$key]="$key"$'\t'"$input"$'\t'"$rules"$'\t'"$version"$'\t'"$output"$'\t'"$rest"
	done <"$f"
}

# Content hashes of the inputs, in the order of the pairs.
# (One sha256sum for all the regular files: opening a FIFO would block; what
# it cannot read gets "-".)
hash_inputs() {
	local path name hash
	declare -A sums=()
	while IFS= read -r -d '' line; do
		sums[${line:66}]=${line:0:64}
	done < <(while IFS= read -r -d '' path && IFS= read -r -d '' name; do
		[ -f "$path" ] && [ -r "$path" ] && printf '%s\0' "$path"
	done <"$1/pairs" | xargs -0 -r sha256sum -z -- 2>/dev/null)
	while IFS= read -r -d '' path && IFS= read -r -d '' name; do
		hash=${sums[$path]:--}
		[ -f "$path" ] || hash=-
		printf '%s\n' "$hash"
	done <"$1/pairs"
}

# Splits the inputs into chunk files of file records, and writes a report
# record for each input that is up to date. Chunk k holds the k-th share of
# the inputs in order, so the reports come out in input order.
plan() {
	local work=$1 n=0 path name key hash
	local all
	all=$(($(tr -cd '\0' <"$work/pairs" | wc -c) / 2))
	exec 3<"$work/hashes"
	local seen=-1 epath chunk streams
	streams=$(streams_dir)
	while IFS= read -r -d '' path && IFS= read -r -d '' name; do
		seen=$((seen + 1))
		IFS= read -r hash <&3
		esc_to key "$name"
		esc_to epath "$path"
		if [ "$force" = 0 ] && [ "$hash" != - ] && [ "${m_input[$key]:-}" = "$hash" ] &&
			[ "${m_rules[$key]}" = "$rhash" ] && [ "${m_version[$key]}" = "$VERSION" ] &&
			[ -e "$outdir/$name" ]; then
			IFS=$'\t' read -r _ _ _ _ _ tasks findings enc <<<"${m_line[$key]}"
			printf 'report\t%s\tskipped\t%s\t%s\t%s\t%s\tup to date\t%s\t%s\n' "$epath" \
				"${tasks:-0}" "${findings:-0}" "${enc:-}" "$key" "$key" "${m_output[$key]}" >>"$work/skipped"
			printf '%s\n' "${m_line[$key]}" >>"$work/kept"
			printf '%s/%s.stream\0' "$streams" "${m_output[$key]}" >>"$work/kept-list"
			continue
		fi
		printf -v chunk '%s/chunk.%05d' "$work" $((seen * jobs / all))
		printf 'file\t%s\t%s\t%s\n' "$epath" "$key" "${m_output[$key]:-}" >>"$chunk"
		printf '%s\t%s\n' "$key" "$hash" >>"$work/input-hashes"
		n=$((n + 1))
	done <"$work/pairs"
	exec 3<&-
	[ -f "$work/kept-list" ] && xargs -0 cat -- <"$work/kept-list" >"$work/kept-streams" 2>/dev/null
	total=$n
}

# A live line on a terminal: notices done of those to convert, failures, rate, ETA.
progress() {
	local work=$1 t0=$SECONDS done failed rate eta
	while sleep 1; do
		done=$(cat "$work"/chunk.*.out 2>/dev/null | grep -c '^report')
		failed=$(cat "$work"/chunk.*.out 2>/dev/null | grep -c '^report	[^	]*	failed')
		rate=$(((done * 10) / (SECONDS - t0 + 1)))
		eta=$(((total - done) * 10 / (rate > 0 ? rate : 1)))
		printf '\r%d/%d done, %d failed, %d.%d/s, ETA %ds   ' "$done" "$total" "$failed" \
			$((rate / 10)) $((rate % 10)) "$eta" >&2
	done
}

run_chains() {
	local work=$1
	local chain_opts=("${rules_args[@]}" --max-size "$max_size"
		--xlsx-opt --rules-hash --xlsx-opt "$rhash" --xlsx-opt --program-version --xlsx-opt "$VERSION")
	[ "$split" = 1 ] && chain_opts+=(--xlsx-opt --split-by-unit)
	[ -n "$from" ] && chain_opts+=(--from "$from")
	[ -n "$as_of" ] && chain_opts+=(--as-of "$as_of")
	local monitor=
	if [ "$quiet" = 0 ] && [ -t 2 ]; then
		progress "$work" &
		monitor=$!
	fi
	local keep_cmd=
	[ "$keep" = 1 ] && keep_cmd='mkdir -p "{}.keep" && NM_KEEP="{}.keep" && export NM_KEEP && '
	find "$work" -name 'chunk.*' ! -name '*.out' -print0 |
		xargs -0 -P "$jobs" -I{} sh -c "$keep_cmd"'exec "$0" "$@" < "{}" > "{}.out"' \
			"$top/pipeline/chain.sh" "$bin" "$outdir" "${chain_opts[@]}" &
	chains=$!
	wait "$chains"
	chains=
	if [ -n "$monitor" ]; then
		kill "$monitor" 2>/dev/null
		wait "$monitor" 2>/dev/null
		printf '\r\033[K' >&2
	fi
}

# The processes started by pid, and theirs, deepest first.
descendants() {
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		descendants "$child"
		echo "$child"
	done
}

# SIGINT/SIGTERM: stop every chain, remove their temporary files, exit non-zero.
on_signal() {
	trap - INT TERM
	local pids
	pids=$(descendants $$)
	[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
	wait 2>/dev/null
	remove_stale_temps
	echo "run.sh: interrupted; workbooks already written are complete, the rest are not" >&2
	exit "$1"
}

main() {
	parse_args "$@"
	build
	check_rules
	mkdir -p -- "$outdir" || exit 2
	outdir=$(cd -- "$outdir" && pwd)
	lock_outdir
	remove_stale_temps
	missing_inputs=0 total=0 chains=
	work=$(mktemp -d "${TMPDIR:-/tmp}/notice-matrix.XXXXXX")
	trap 'rm -rf -- "$work"' EXIT
	trap 'on_signal 130' INT
	trap 'on_signal 143' TERM
	rhash=$(rules_hash)
	read_manifest
	list_inputs >"$work/pairs"
	hash_inputs "$work" >"$work/hashes"
	plan "$work"
	local t0=$SECONDS
	[ "$total" -gt 0 ] && run_chains "$work"
	touch "$work/missing" "$work/skipped" "$work/kept-streams"
	shopt -s nullglob
	local chunks=("$work"/chunk.*.out)
	save_streams "${chunks[@]}"
	[ "$keep" = 1 ] && keep_stages "$work"
	cat "$work/kept-streams" "$work/missing" "$work/skipped" "${chunks[@]}" >"$work/run.stream"
	summarise "$work/run.stream"
	report "$((SECONDS - t0))" "$work" <"$work/run.stream"
}

# Keeps what the workbooks were made of (doc, head, task, finding records;
# no report) by workbook hash, for the summary of a later run that skips them.
save_streams() {
	[ $# -gt 0 ] || return 0
	mkdir -p "$(streams_dir)"
	awk -F'\t' -v dir="$(streams_dir)" '
	$1 == "doc" { n = 0 }
	$1 == "report" { hash = $10; next }
	{ group[++n] = $0 }
	$1 == "end" && hash != "" {
		file = dir "/" hash ".stream"
		for (i = 1; i <= n; i++) print group[i] > file
		close(file); hash = ""
	}' "$@"
}

# --keep-intermediate: each stage's stream of each notice in OUTDIR/NAME.stages/.
keep_stages() {
	local work=$1 chunk
	for chunk in "$work"/chunk.*.keep; do
		cp "${chunk%.keep}.out" "$chunk/5-xlsx.stream"
		awk -F'\t' -v outdir="$outdir" '
		function unesc(s) { gsub(/\\t/, "\t", s); gsub(/\\n/, "\n", s); gsub(/\\\\/, "\\", s); return s }
		function quote(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
		FNR == 1 { stage = FILENAME; sub(/.*\//, "", stage); out = "" }
		$1 == "doc" {
			if (out != "") close(out)
			dir = unesc($3); sub(/\.xlsx$/, "", dir); dir = outdir "/" dir ".stages"
			system("mkdir -p " quote(dir))
			out = dir "/" stage
		}
		out != "" { print > out }' "$chunk"/*.stream
	done
}

# summary.xlsx (and 单位/UNIT.xlsx with --split-by-unit) over the whole run.
summarise() {
	local opts=(-o "$outdir")
	[ "$split" = 1 ] && opts+=(--split-by-unit)
	"$bin/nm-summary" "${opts[@]}" <"$1" || echo "run.sh: summary.xlsx not written" >&2
}

# Streams no workbook of the manifest needs any more.
prune_streams() {
	local dir
	dir=$(streams_dir)
	[ -d "$dir" ] && [ -f "$(manifest_file)" ] || return 0
	declare -A keep=()
	local hash
	while IFS=$'\t' read -r _ _ _ _ hash _; do keep[$hash]=1; done <"$(manifest_file)"
	for f in "$dir"/*.stream; do
		hash=$(basename "$f" .stream)
		[ -n "${keep[$hash]:-}" ] || rm -f "$f"
	done
}

# Turns the report records into report.tsv, messages, the new manifest and
# the exit status.
report() {
	local seconds=$1 work=$2
	touch "$work/kept" "$work/input-hashes"
	awk -F'\t' -v strict="$strict" -v outdir="$outdir" -v seconds="$seconds" \
		-v rhash="$rhash" -v version="$VERSION" -v kept="$work/kept" \
		-v hashes="$work/input-hashes" -v manifest="$work/manifest" '
	function unesc(s) { gsub(/\\t/, "\t", s); gsub(/\\n/, " ", s); gsub(/\\\\/, "\\", s); return s }
	BEGIN {
		while ((getline line < hashes) > 0) { split(line, h, "\t"); input[h[1]] = h[2] }
		while ((getline line < kept) > 0) print line > manifest
		print "file\tstatus\ttasks\tfindings\tencoding\toutput\tmessage" > (outdir "/report.tsv")
	}
	$1 == "report" {
		status = $3; msg = $8
		if (strict && status == "warn") { status = "failed"; msg = "strict: " $5 " findings" }
		print $2 "\t" status "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" msg > (outdir "/report.tsv")
		if (status == "failed") { failed++; print unesc($2) ": " unesc(msg) > "/dev/stderr" }
		else if (status == "skipped") skipped++
		else converted++
		tasks += $4; findings += $5
		if ($3 != "failed" && $3 != "skipped" && $7 != "")
			print $9 "\t" input[$9] "\t" rhash "\t" version "\t" $10 "\t" $4 "\t" $5 "\t" $6 > manifest
	}
	END {
		printf "notice-matrix: converted %d, skipped %d, failed %d, tasks %d, findings %d, %d s\n",
			converted, skipped, failed, tasks, findings, seconds > "/dev/stderr"
		exit failed ? 1 : 0
	}'
	local rc=$?
	[ -f "$work/manifest" ] && mv -f "$work/manifest" "$(manifest_file)"
	prune_streams
	return $rc
}

main "$@"
