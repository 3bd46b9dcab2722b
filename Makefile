# notice-matrix - one non-recursive Makefile.
#   make            build the stages into build/bin
#   make test       unit, rule, golden and end-to-end tests
#   make san        the same tests under AddressSanitizer + UBSan (build-san/)
#   make valgrind   the unit and golden tests under valgrind
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench      speed and memory against ../shared/bench/peer.py (RUNS=5)
#   make lint       the C code as .clang-format says, shellcheck on the scripts
#   make install    PREFIX=/usr/local DESTDIR=
# V=1 shows the commands.

PREFIX ?= /usr/local
BUILD ?= build
PKGS = libpcre2-8 xlsxwriter libxml-2.0 minizip
CC ?= cc
NM_CFLAGS = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Expanded when used: make test may have just installed cmocka (packages).
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)
ALL_CFLAGS = $(NM_CFLAGS) -Ipipeline/lib $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)

Q = @
SAY = @echo
ifeq ($(V),1)
Q =
SAY = @true
endif
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
SAY = @true
endif

STAGES = decode segment extract validate xlsx summary ruletest run keep
# The library the stages share, one folder per purpose (README.md, "Repository").
LIB_DIRS = stream rules notice front workbook batch
LIB_SRC = $(foreach d,$(LIB_DIRS),$(wildcard pipeline/lib/$(d)/*.c))
LIB_HDR = $(foreach d,$(LIB_DIRS),$(wildcard pipeline/lib/$(d)/*.h))
LIB_OBJ = $(LIB_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
BINS = $(STAGES:%=$(BUILD)/bin/nm-%)
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

all: $(BINS)

$(BUILD)/obj/%.o: pipeline/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(SAY) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libnm.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/nm-%: $(BUILD)/obj/%.o $(BUILD)/libnm.a
	@mkdir -p $(@D)
	$(SAY) "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnm.a
	@mkdir -p $(@D)
	$(SAY) "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_TESTS)
	$(Q)for t in $(UNIT_TESTS); do $$t || exit 1; done

# make test first installs what the tests need (as root), or names it and stops:
# pipeline/packages.sh holds the one list run.sh and .ci/run use too.
packages:
	$(Q)NM_PROG="make" pipeline/packages.sh ensure test

test: packages
	$(Q)$(MAKE) --no-print-directory test-run

test-run: all unit
	$(Q)BUILD=$(BUILD) tests/run-golden.sh
	$(Q)BUILD=$(BUILD) tests/run-workbook-golden.sh
	$(Q)BUILD=$(BUILD) tests/run-checks.sh
	$(Q)NM_BIN=$(CURDIR)/$(BUILD)/bin tests/run-e2e.sh
	$(Q)NM_BIN=$(CURDIR)/$(BUILD)/bin tests/run-batch.sh
	$(Q)tests/run-fuzz-regressions.sh

san:
	$(Q)NM_TEST_SLOW=1 $(MAKE) --no-print-directory BUILD=build-san \
		CFLAGS="-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" test

valgrind: packages
	$(Q)$(MAKE) --no-print-directory valgrind-run

valgrind-run: all $(UNIT_TESTS)
	$(Q)BUILD=$(BUILD) VALGRIND=1 tests/run-golden.sh
	$(Q)BUILD=$(BUILD) VALGRIND=1 tests/run-workbook-golden.sh
	$(Q)BUILD=$(BUILD) VALGRIND=1 tests/run-checks.sh
	$(Q)for t in $(UNIT_TESTS); do NM_NO_JIT=1 valgrind -q --leak-check=full --error-exitcode=9 $$t || exit 1; done
	$(Q)BUILD=$(BUILD) tests/valgrind-driver.sh

# libFuzzer targets (clang): tests/fuzz/fuzz_*.c, each run for FUZZ_SECONDS
# on its corpus tests/fuzz/corpus/NAME (seeded from the samples).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# The harness feeds damaged records and cut streams as they are
# (FUZZ_RAW_*; tests/fuzz/README.md); invalid UTF-8 it replaces, as rec_read does.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Ipipeline/lib $(PKG_CFLAGS) -DFUZZ_RAW_RECORDS -DFUZZ_RAW_TAIL

build-fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(LIB_HDR) pipeline/*.c
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

fuzz: $(FUZZ_TARGETS)
	$(Q)for t in $(FUZZ_TARGETS); do n=$$(basename $$t); mkdir -p build-fuzz/corpus/$$n; \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build-fuzz/corpus/$$n \
			tests/fuzz/corpus/$$n || exit 1; done

bench: all
	$(Q)tests/bench.sh $(RUNS)

# make lint: every C source and header under pipeline/ and tests/ as
# .clang-format lays it out (clang-format 14, as in CI), and the scripts
# clean under shellcheck. Fails on any deviation, naming each file with its
# first LINT_ERRORS places; a tool that is not installed is skipped, saying so.
# clang-format -i FILE... makes a file as it should be.
CLANG_FORMAT ?= $(firstword $(foreach c,clang-format-14 clang-format,$(shell command -v $(c) 2>/dev/null)) clang-format)
SHELLCHECK ?= shellcheck
LINT_ERRORS ?= 3
LINT_C = $(shell find pipeline tests -name '*.[ch]' | LC_ALL=C sort)
LINT_SH = run.sh $(wildcard pipeline/*.sh tests/*.sh) .ci/run

lint:
	$(Q)rc=0; \
	if command -v $(CLANG_FORMAT) >/dev/null 2>&1; then \
		v=$$($(CLANG_FORMAT) --version | sed -n 's/.*version \([0-9]*\).*/\1/p'); \
		[ "$$v" = 14 ] || echo "lint: $(CLANG_FORMAT) is version $$v; .clang-format is written for 14, which may lay out some lines otherwise"; \
		if $(CLANG_FORMAT) --dry-run --Werror --ferror-limit=$(LINT_ERRORS) $(LINT_C); then \
			echo "lint: $(words $(LINT_C)) C files as .clang-format lays them out"; \
		else \
			bad=$$(for f in $(LINT_C); do $(CLANG_FORMAT) --dry-run --Werror --ferror-limit=1 $$f >/dev/null 2>&1 || echo $$f; done); \
			echo "lint: not as .clang-format lays them out (clang-format -i FILE... fixes them):" $$bad; \
			rc=1; \
		fi; \
	else \
		echo "lint: $(CLANG_FORMAT) is not installed: C formatting not checked (Debian package clang-format)"; \
	fi; \
	if command -v $(SHELLCHECK) >/dev/null 2>&1; then \
		if $(SHELLCHECK) -x $(LINT_SH); then \
			echo "lint: $(words $(LINT_SH)) scripts clean under shellcheck"; \
		else \
			echo "lint: shellcheck found problems in the scripts"; rc=1; \
		fi; \
	else \
		echo "lint: $(SHELLCHECK) is not installed: scripts not checked (Debian package shellcheck)"; \
	fi; \
	exit $$rc

# The installed tree mirrors this one, so run.sh finds its stages and rules;
# PREFIX/bin/notice-matrix runs it.
NM_HOME = $(PREFIX)/lib/notice-matrix
install: all
	install -d $(DESTDIR)$(NM_HOME)/build/bin $(DESTDIR)$(NM_HOME)/rules \
		$(DESTDIR)$(NM_HOME)/pipeline $(DESTDIR)$(NM_HOME)/samples $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(NM_HOME)/build/bin/
	install -m 644 rules/* $(DESTDIR)$(NM_HOME)/rules/
	install -m 644 samples/* $(DESTDIR)$(NM_HOME)/samples/
	install -m 755 pipeline/chain.sh pipeline/records.sh pipeline/packages.sh $(DESTDIR)$(NM_HOME)/pipeline/
	install -m 755 run.sh $(DESTDIR)$(NM_HOME)/run.sh
	ln -sf ../lib/notice-matrix/run.sh $(DESTDIR)$(PREFIX)/bin/notice-matrix

clean:
	rm -rf build build-san build-fuzz

.PHONY: all unit packages test test-run san valgrind valgrind-run fuzz bench lint install clean
.SECONDARY: $(LIB_OBJ)
