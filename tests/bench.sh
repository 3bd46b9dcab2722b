#!/usr/bin/env bash
# bench.sh - notice-matrix against the plain Python script a user would
# otherwise write (../shared/bench/peer.py), on the same files in one run.
#
#   tests/bench.sh [RUNS]        (make bench; RUNS defaults to 3)
#
# Prints, per configuration, medians of RUNS runs: wall and CPU seconds,
# notices/s, MB/s, peak RSS (/usr/bin/time), the project/peer ratios, the
# time of each stage alone on the saved streams, how the big notice
# scales at 1x, 2x and 4x its size, a re-run over 2,000 unchanged notices,
# and the driver planning 10,000 and 20,000 small files (time and memory).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
shared=$top/../shared/bench
PY=/usr/bin/python3
RUNS=${1:-3}
if [ ! -f "$shared/gen_corpus.py" ] || [ ! -f "$shared/peer.py" ]; then
	echo "bench: ../shared/bench is absent; nothing to measure against" >&2
	exit 0
fi
make -s all >/dev/null || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/nm-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

corpus() { # corpus DIR ARGS...: the generator's notices, without its truth files
	local dir=$1
	shift
	$PY "$shared/gen_corpus.py" --out "$dir" "$@" >/dev/null 2>&1
	rm -f "$dir"/*.truth.json "$dir"/manifest.tsv
}
corpus "$T/c1k" --n 1000 --seed 1
for k in 1 2 4; do
	corpus "$T/big$k" --n 1 --seed 7 --size-scale $((670 * k)) --prefix big --encoding gb18030
done
ls "$T"/c1k/*.txt >"$T/all"
head -n 500 "$T/all" >"$T/half1"
tail -n +501 "$T/all" >"$T/half2"
mb_corpus=$(du -cb "$T"/c1k/*.txt | tail -1 | cut -f1)

# measure NAME NOTICES BYTES CMD...: RUNS runs, fresh output each time.
declare -A wall cpu rss rate mbs
measure() {
	local name=$1 notices=$2 bytes=$3
	shift 3
	local runs=()
	for _ in $(seq "$RUNS"); do
		rm -rf "$T/out"
		mkdir -p "$T/out"
		/usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >/dev/null 2>"$T/err" ||
			{ echo "bench: $name failed:" >&2; tail -3 "$T/err" >&2; }
		runs+=("$(cat "$T/time")")
	done
	local w c r
	read -r w c r < <(printf '%s\n' "${runs[@]}" |
		awk '{ w[NR] = $1; c[NR] = $2 + $3; if ($4 > m) m = $4 }
		function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		END { printf "%.3f %.3f %.1f\n", median(w, NR), median(c, NR), m / 1024 }')
	wall[$name]=$w cpu[$name]=$c rss[$name]=$r
	rate[$name]=$(awk -v n="$notices" -v w="${wall[$name]}" 'BEGIN { printf "%.1f", n / w }')
	mbs[$name]=$(awk -v b="$bytes" -v w="${wall[$name]}" 'BEGIN { printf "%.1f", b / 1048576 / w }')
}

big=$(du -b "$T"/big1/*.txt | cut -f1)
measure "project -j 2" 1000 "$mb_corpus" ./run.sh -q -j 2 -o "$T/out" "$T/c1k"
measure "peer, 2 processes" 1000 "$mb_corpus" sh -c \
	"$PY $shared/peer.py $T/out \$(cat $T/half1) & $PY $shared/peer.py $T/out \$(cat $T/half2); wait"
measure "project -j 1" 1000 "$mb_corpus" ./run.sh -q -j 1 -o "$T/out" "$T/c1k"
measure "peer, 1 process" 1000 "$mb_corpus" sh -c "$PY $shared/peer.py $T/out \$(cat $T/all)"
for k in 1 2 4; do
	bytes=$(du -b "$T"/big$k/*.txt | cut -f1)
	measure "project big ${k}x" 1 "$bytes" ./run.sh -q -j 1 --max-size 1000000000 -o "$T/out" "$T"/big$k/*.txt
done
measure "peer big 1x" 1 "$big" $PY "$shared/peer.py" "$T/out" "$T"/big1/*.txt

printf '\n%-20s %8s %8s %10s %7s %9s\n' configuration wall_s cpu_s notices/s MB/s rss_MiB
for name in "project -j 2" "peer, 2 processes" "project -j 1" "peer, 1 process" \
	"project big 1x" "peer big 1x" "project big 2x" "project big 4x"; do
	printf '%-20s %8s %8s %10s %7s %9s\n' "$name" "${wall[$name]}" "${cpu[$name]}" \
		"${rate[$name]}" "${mbs[$name]}" "${rss[$name]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "ratios (project / peer):"
echo "  notices/s, -j 2 vs 2 processes: $(ratio "${rate[project -j 2]}" "${rate[peer, 2 processes]}")x (target >= 2)"
echo "  notices/s, -j 1 vs 1 process:   $(ratio "${rate[project -j 1]}" "${rate[peer, 1 process]}")x (target >= 1.5)"
echo "  big notice wall:                ${wall[project big 1x]} s, $(ratio "${wall[project big 1x]}" "${wall[peer big 1x]}") of the peer's (target: <= 0.5 s)"
echo "  big notice peak RSS:            ${rss[project big 1x]} MiB, $(ratio "${rss[project big 1x]}" "${rss[peer big 1x]}") of the peer's (target <= 60 MiB)"
echo "  big notice 2x / 1x time:        $(ratio "${wall[project big 2x]}" "${wall[project big 1x]}") (target <= 2.2)"
echo "  big notice 4x / 1x time:        $(ratio "${wall[project big 4x]}" "${wall[project big 1x]}")"

# Each stage alone on the corpus's saved streams, one process each.
echo
echo "stages alone on the 1,000 notices (median of $RUNS, seconds):"
for f in "$T"/c1k/*.txt; do printf 'file\t%s\t%s.xlsx\n' "$f" "$(basename "$f" .txt)"; done >"$T/s0"
b=build/bin
prev=$T/s0
for stage in decode segment extract validate xlsx; do
	args=()
	[ $stage = xlsx ] && args=(-o "$T/out")
	"$b/nm-$stage" "${args[@]}" <"$prev" >"$T/s-$stage"
	measure "stage $stage" 1000 "$mb_corpus" sh -c "\"$b/nm-$stage\" ${args[*]} <\"$prev\" >/dev/null"
	printf '  %-9s wall %6s  cpu %6s  (stream in: %s MB)\n' "$stage" "${wall[stage $stage]}" \
		"${cpu[stage $stage]}" "$(($(stat -c %s "$prev") / 1048576))"
	prev=$T/s-$stage
done
measure "stage summary" 1000 "$mb_corpus" sh -c "\"$b/nm-summary\" -o \"$T/out\" <\"$prev\""
printf '  %-9s wall %6s  cpu %6s\n' summary "${wall[stage summary]}" "${cpu[stage summary]}"

# Re-runs: 2,000 unchanged notices (the corpus twice over, in two folders).
mkdir -p "$T/c2k"
cp -r "$T/c1k" "$T/c2k/a"
cp -r "$T/c1k" "$T/c2k/b"
rm -rf "$T/rr"
./run.sh -q -j 2 -o "$T/rr" "$T/c2k" >/dev/null 2>&1
/usr/bin/time -f '%e %M' -o "$T/time" ./run.sh -q -j 2 -o "$T/rr" "$T/c2k" >/dev/null 2>&1
read -r first_rerun _ <"$T/time"
rr=()
for _ in $(seq "$RUNS"); do
	/usr/bin/time -f '%e %M' -o "$T/time" ./run.sh -q -j 2 -o "$T/rr" "$T/c2k" >/dev/null 2>&1
	rr+=("$(cat "$T/time")")
done
echo
echo "re-run over 2,000 unchanged notices (target < 1 s):"
echo "  first re-run (summary.xlsx rewritten: its 批处理报告 now says skipped): $first_rerun s"
printf '  later re-runs, median of %s: %s s\n' "$RUNS" "$(printf '%s\n' "${rr[@]}" | cut -d' ' -f1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"

# Planning: 10,000 and 20,000 small files, until the first conversion would start.
echo
echo "planning before the first conversion (target: 20,000 files < 2 s; memory linear):"
for n in 10000 20000; do
	mkdir -p "$T/p$n"
	(cd "$T/p$n" && seq -f 'n%05g.txt' 1 "$n" | xargs touch)
	NM_TIMING=1 /usr/bin/time -f '%e %M' -o "$T/time" ./run.sh --dry-run -o "$T/po$n" "$T/p$n" >/dev/null 2>"$T/plan.err"
	read -r w m <"$T/time"
	printf '  %6d files: %s s wall, driver peak RSS %s MiB (%s)\n' "$n" "$w" \
		"$(awk -v m="$m" 'BEGIN { printf "%.1f", m / 1024 }')" "$(grep -o 'planned.*' "$T/plan.err")"
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
