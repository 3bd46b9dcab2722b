#!/usr/bin/env bash
# chain.sh - one chain of stage processes: file records in, report stream out.
#
#   pipeline/chain.sh BINDIR OUTDIR [--from ENC] [--max-size N] [--rules DIR]... [--as-of DATE]
#                     [--xlsx-opt OPT]... < files > stream
#
# run.sh starts one chain per parallel job; the same command serves as a
# Hadoop Streaming mapper or a GNU parallel --sshlogin job. With NM_KEEP=DIR,
# each stage's output is also kept in DIR (run.sh --keep-intermediate).
set -euo pipefail
bin=$1 out=$2
shift 2
decode=() rules=() extract=() xlsx=()
while [ $# -gt 0 ]; do
	case $1 in
	--from | --max-size) decode+=("$1" "$2") ;;
	--rules) rules+=("$1" "$2") ;;
	--as-of) extract+=("$1" "$2") ;;
	--xlsx-opt) xlsx+=("$2") ;;
	*) echo "chain.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
keep() { if [ -n "${NM_KEEP:-}" ]; then tee "$NM_KEEP/$1"; else cat; fi; }
"$bin/nm-decode" ${decode[@]+"${decode[@]}"} | keep 1-decode.stream |
	"$bin/nm-segment" ${rules[@]+"${rules[@]}"} | keep 2-segment.stream |
	"$bin/nm-extract" ${rules[@]+"${rules[@]}"} ${extract[@]+"${extract[@]}"} |
	keep 3-extract.stream |
	"$bin/nm-validate" ${rules[@]+"${rules[@]}"} | keep 4-validate.stream |
	"$bin/nm-xlsx" -o "$out" ${xlsx[@]+"${xlsx[@]}"}
