#!/usr/bin/env bash
# packages.sh - the one list of Debian packages the project needs, and the
# check that installs what is missing (as root) or names it and stops.
# Used by run.sh (build), make test (test) and .ci/run (ci).
#
#   pipeline/packages.sh ensure build|test|ci
#   . pipeline/packages.sh      (defines the lists and nm_packages_ensure)

# To build the stages and the driver.
NM_BUILD_PACKAGES=(gcc make pkg-config libc6-dev libpcre2-dev libxlsxwriter-dev libxml2-dev
	libminizip-dev)
# make test: unit tests, the workbook checkers, the GNU parallel recipe.
NM_TEST_PACKAGES=(libcmocka-dev python3-openpyxl parallel libxml2-utils unzip)
# Tests that are skipped, saying so, without them: .doc, .wps and PDF input,
# the workbook's formulas recalculated by LibreOffice.
NM_TEST_OPTIONAL_PACKAGES=(antiword catdoc poppler-utils libreoffice-calc-nogui fonts-noto-cjk
	fonts-crosextra-carlito)
# CI also runs make san, make valgrind and make lint (clang-format, shellcheck).
NM_CI_PACKAGES=(valgrind clang libclang-rt-14-dev clang-format shellcheck)

# The packages of a list that are not installed.
nm_packages_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || printf '%s\n' "$p"
	done
}

# Installs the named packages as root with apt-get; returns non-zero when it cannot.
nm_packages_install() {
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
	echo "${NM_PROG:-packages.sh}: installing $*" >&2
	{
		DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
	} >&2
}

# nm_packages_ensure build|test|ci: what the level needs is there afterwards,
# or the missing packages are named and it returns 2. Optional packages
# that cannot be installed are named as skipped.
nm_packages_ensure() {
	local need=() optional=() missing=() missing_opt=()
	need=("${NM_BUILD_PACKAGES[@]}")
	case ${1:-build} in
	build) ;;
	test) need+=("${NM_TEST_PACKAGES[@]}") optional=("${NM_TEST_OPTIONAL_PACKAGES[@]}") ;;
	ci) need+=("${NM_TEST_PACKAGES[@]}" "${NM_TEST_OPTIONAL_PACKAGES[@]}" "${NM_CI_PACKAGES[@]}") ;;
	*) echo "packages.sh: unknown level ${1}" >&2; return 2 ;;
	esac
	command -v dpkg-query >/dev/null || return 0 # not Debian: the build says what it lacks
	mapfile -t missing < <(nm_packages_missing "${need[@]}")
	mapfile -t missing_opt < <(nm_packages_missing ${optional[@]+"${optional[@]}"})
	if [ ${#missing[@]} -gt 0 ] || [ ${#missing_opt[@]} -gt 0 ]; then
		if nm_packages_install ${missing[@]+"${missing[@]}"} ${missing_opt[@]+"${missing_opt[@]}"}; then
			return 0
		fi
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		echo "${NM_PROG:-packages.sh}: missing packages: ${missing[*]} (run as root to install them with apt-get)" >&2
		return 2
	fi
	if [ ${#missing_opt[@]} -gt 0 ]; then
		echo "${NM_PROG:-packages.sh}: optional packages missing, their tests are skipped: ${missing_opt[*]}" >&2
	fi
	return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	case ${1:-} in
	ensure) nm_packages_ensure "${2:-build}"; exit $? ;;
	list) # list build|test|optional|ci: one package a line
		case ${2:-} in
		build) printf '%s\n' "${NM_BUILD_PACKAGES[@]}" ;;
		test) printf '%s\n' "${NM_TEST_PACKAGES[@]}" ;;
		optional) printf '%s\n' "${NM_TEST_OPTIONAL_PACKAGES[@]}" ;;
		ci) printf '%s\n' "${NM_CI_PACKAGES[@]}" ;;
		*) echo "usage: packages.sh list build|test|optional|ci" >&2; exit 2 ;;
		esac ;;
	*) echo "usage: packages.sh ensure build|test|ci | list build|test|optional|ci" >&2; exit 2 ;;
	esac
fi
