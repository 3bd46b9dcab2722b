#!/usr/bin/env bash
# chain.sh - one chain of stage processes: file records in, report stream out.
#
#   pipeline/chain.sh BINDIR OUTDIR [--from ENC] [--max-size N] [--rules DIR]... [--as-of DATE]
#                     [--xlsx-opt OPT]... < files > stream
#
# The driver (nm-run) starts its chains itself; this script is the same
# chain for jobs outside it: a GNU parallel --sshlogin job, a Hadoop
# Streaming mapper (README.md, "Batch runs"). With NM_KEEP=1 each stage's
# stream is also kept in OUTDIR/NAME.stages/ (nm-keep), as
# run.sh --keep-intermediate does; without it the stages are joined by
# pipes and nothing else.
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
keep() { "$bin/nm-keep" -o "$out" "$1"; }
if [ -z "${NM_KEEP:-}" ]; then
	"$bin/nm-decode" ${decode[@]+"${decode[@]}"} |
		"$bin/nm-segment" ${rules[@]+"${rules[@]}"} |
		"$bin/nm-extract" ${rules[@]+"${rules[@]}"} ${extract[@]+"${extract[@]}"} |
		"$bin/nm-validate" ${rules[@]+"${rules[@]}"} |
		"$bin/nm-xlsx" -o "$out" ${xlsx[@]+"${xlsx[@]}"}
else
	"$bin/nm-decode" ${decode[@]+"${decode[@]}"} | keep 1-decode |
		"$bin/nm-segment" ${rules[@]+"${rules[@]}"} | keep 2-segment |
		"$bin/nm-extract" ${rules[@]+"${rules[@]}"} ${extract[@]+"${extract[@]}"} | keep 3-extract |
		"$bin/nm-validate" ${rules[@]+"${rules[@]}"} | keep 4-validate |
		"$bin/nm-xlsx" -o "$out" ${xlsx[@]+"${xlsx[@]}"} | keep 5-xlsx
fi
