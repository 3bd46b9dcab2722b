#!/usr/bin/env bash
# run.sh - convert notices into responsibility workbooks (see README.md).
# Builds the program when its sources are newer (installing the build
# packages first when root), then runs the driver, build/bin/nm-run, with
# the arguments as given. NM_BIN: stages built elsewhere (the sanitizer
# build); the driver is taken from there too.
set -uo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
bin=${NM_BIN:-$top/build/bin}
export NM_HOME=$top NM_PROG=run.sh

build() {
	[ -z "${NM_BIN:-}" ] && [ -f "$top/Makefile" ] || return 0 # built elsewhere, or installed
	[ -x "$bin/nm-run" ] && make -s -q -C "$top" all 2>/dev/null && return 0
	# shellcheck source=pipeline/packages.sh
	. "$top/pipeline/packages.sh"
	nm_packages_ensure build || exit 2
	local log="${TMPDIR:-/tmp}/notice-matrix-build.$$.log"
	if ! make -s -C "$top" all >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		echo "run.sh: build failed" >&2
		exit 2
	fi
	rm -f "$log"
}

build
exec "$bin/nm-run" "$@"
