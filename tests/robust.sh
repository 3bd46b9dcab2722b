#!/usr/bin/env bash
# robust.sh - nm-decode on the hostile notices of issue 19: peak memory and
# CPU time of each, against the bounds the front end promises.
#
#   tests/robust.sh [NAME...]
#
# The notices are generated (tests/robust/gen_hostile.py) into a temporary
# directory, never committed. Each runs alone through nm-decode
# ($NM_DECODE, default build/bin/nm-decode; another binary can be measured
# the same way, each run stopped after $TIMEOUT s, default 900). Prints
# one line per notice:
#
#   notice  size  outcome  CPU s  s/MB  peak RSS MiB  bound MiB
#
# (s/MB for files of 1 MB or more; a small .docx is measured by what it
# unpacks to).
# The memory bound is 4 times the file plus 64 MiB (the reader holds at
# most 3 times the file plus 32 MB besides the file itself; the rest is
# the process, libxml2's buffers and the allocator); the time bound is
# linear, 1 s of CPU per MB plus 2 s. Exit status 1 when a notice is over
# either bound, 2 when nothing could be measured.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
NM_DECODE=${NM_DECODE:-$top/build/bin/nm-decode}
TIMEOUT=${TIMEOUT:-900}
if [ "$NM_DECODE" = "$top/build/bin/nm-decode" ]; then
	make -s build/bin/nm-decode >/dev/null || exit 2
fi
[ -x /usr/bin/time ] || { echo "robust: /usr/bin/time is needed (Debian package time)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/nm-robust.XXXXXX")
trap 'rm -rf "$T"' EXIT
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(lists80k.docx bomb100k.docx paras16m.docx page50m.html tags50m.html
	titles50m.html text60m.txt)
/usr/bin/python3 tests/robust/gen_hostile.py "$T" "${names[@]}" || exit 2

over=0
printf '%-16s %9s  %-60s %7s %6s %9s %9s\n' notice size outcome "CPU s" "s/MB" "RSS MiB" "bound"
for name in "${names[@]}"; do
	f=$T/$name
	bytes=$(stat -c %s "$f")
	printf 'file\t%s\tx.xlsx\n' "$f" |
		/usr/bin/time -f '%U %S %M' -o "$T/time" timeout "$TIMEOUT" "$NM_DECODE" >"$T/out" 2>"$T/err"
	rc=$?
	read -r user sys rss <"$T/time" 2>/dev/null || { user=0 sys=0 rss=0; }
	if [ "$rc" -eq 124 ]; then
		outcome="stopped after $TIMEOUT s"
	elif grep -q $'^fail\t' "$T/out"; then
		outcome="refused: $(grep $'^fail\t' "$T/out" | cut -f2 | cut -c1-60)"
	elif [ "$rc" -ne 0 ]; then
		outcome="nm-decode exit $rc"
	else
		outcome="$(grep -c $'^line\t' "$T/out") lines"
	fi
	read -r cpu per mib bound ok < <(awk -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" -v rc="$rc" 'BEGIN {
		cpu = u + s; mb = b / 1e6; mib = r / 1024; bound = 4 * b / 1048576 + 64
		ok = rc != 124 && mib <= bound && cpu <= mb + 2
		per = mb >= 1 ? sprintf("%.3f", cpu / mb) : "-"
		printf "%.2f %s %.1f %.1f %d\n", cpu, per, mib, bound, ok }')
	[ "$ok" = 1 ] || over=1
	size=$(awk -v b="$bytes" 'BEGIN { if (b >= 1048576) printf "%.1fM", b / 1048576; else printf "%dK", (b + 1023) / 1024 }')
	printf '%-16s %9s  %-60s %7s %6s %9s %9s%s\n' "$name" "$size" "${outcome:0:60}" "$cpu" "$per" \
		"$mib" "$bound" "$([ "$ok" = 1 ] || echo '  OVER')"
	if grep -q . "$T/err"; then
		echo "  stderr: $(head -c 200 "$T/err")"
		over=1
	fi
done
exit $over
