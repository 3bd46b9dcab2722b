#!/usr/bin/env bash
# valgrind-driver.sh - the driver (nm-run) under valgrind: a first run, a
# re-run, a chain that dies, usage errors. The stages it starts run as
# they are; valgrind watches the driver's own memory. (make valgrind)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
bin=${BUILD:-build}/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
vg() { NM_HOME=$top valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=9 "$bin/nm-run" "$@"; }
check() { # check WHAT EXPECTED-STATUS ARGS...
	local what=$1 want=$2
	shift 2
	vg "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL driver-valgrind: $what (status $rc, wanted $want)"
		head -30 "$tmp/err"
	fi
}
check "a first run" 0 -q -j 2 -o "$tmp/o" samples
check "a re-run" 0 -q -j 2 -o "$tmp/o" samples
check "a forced run with --split-by-unit" 0 -q --force --split-by-unit -o "$tmp/o" samples
check "a missing input" 1 -q -o "$tmp/o" samples "$tmp/none.txt"
check "a dry run" 0 --dry-run -o "$tmp/o2" samples
check "a bad option value" 2 -j 0 samples
mkdir -p "$tmp/w"
for f in "$bin"/nm-*; do ln -s "$(readlink -f "$f")" "$tmp/w/"; done
rm "$tmp/w/nm-segment"
# nm-segment that dies after 300 bytes of output (none on the rules check's empty input)
# shellcheck disable=SC2016 # the $ belong to the wrapper
printf '#!/bin/sh\n"%s/nm-segment" "$@" | { head -c 300; [ -z "$(head -c 1)" ] || kill -9 $$; }\n' \
	"$(readlink -f "$bin")" >"$tmp/w/nm-segment"
chmod +x "$tmp/w/nm-segment"
NM_BIN=$tmp/w check "a chain whose stage dies" 1 -q -j 1 -o "$tmp/o3" samples
echo "driver-valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
