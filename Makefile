# cdc-pipes: one pattern rule builds every cmd/<tool>/ into $(BUILD)/bin/<tool>,
# each linked against the static $(BUILD)/libcommon.a made from common/*.c.
#
#   make                 build everything (installs missing Debian packages first)
#   make test            unit tests, then every bats file under tests/ (alias: check)
#   make asan            the suite again under ASan+UBSan, in build-asan/
#   make valgrind        memcheck over the test corpus
#   make fuzz            each libFuzzer target for FUZZ_SECONDS (default 30)
#   make demo            the shop pipeline on a throwaway PostgreSQL
#   make bench           the benchmarks in scripts/bench/
#   make install         PREFIX=/usr/local DESTDIR= BINDIR= MANDIR=
#
# WERROR=1 adds -Werror (CI sets it), V=1 shows the commands, CFLAGS=... adds
# to the flags below rather than replacing them.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BUILD       ?= build

CC          ?= cc
PKGS        := jansson libpq
STD_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN_CFLAGS := -Wall -Wextra -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith \
               -Wnull-dereference -Wundef
OPT_CFLAGS  ?= -O2 -g
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson -lpq)

ifeq ($(WERROR),1)
WARN_CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
OPT_CFLAGS  := -O1 -g
endif

ALL_CFLAGS   = $(STD_CFLAGS) $(WARN_CFLAGS) $(OPT_CFLAGS) $(SAN_FLAGS) \
               -DCDC_VERSION='"$(VERSION)"' -Icommon $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(SAN_FLAGS) $(LDFLAGS)
LIBS         = $(PKG_LIBS) -lgmp -lm
# Libraries only one binary needs: the Parquet codecs of to-parquet-csv.
LIBS_to-parquet-csv := -lzstd -lsnappy -lz

ifneq ($(V),1)
Q  := @
QE  = @printf '  %-6s %s\n'
else
QE  = @true
endif

TOOLS       := $(notdir $(wildcard cmd/*))
BINS        := $(addprefix $(BUILD)/bin/,$(TOOLS))
COMMON_SRC  := $(wildcard common/*.c)
COMMON_OBJ  := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
CMD_SRC     := $(wildcard cmd/*/*.c)
CMD_OBJ     := $(CMD_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
MANPAGES    := $(wildcard man/*.1 man/*.7)

# The stamp is made once dependencies are known to be present; install-deps
# itself is quick when they are, so a fresh Debian machine needs only `make`.
DEPS_STAMP  := $(BUILD)/.deps-ok

.PHONY: all test check unit bats asan demo bench fuzz valgrind install \
        uninstall clean lint deps
.DEFAULT_GOAL := all

all: $(BINS)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps tests/node/package-lock.json
	$(Q)scripts/install-deps
	$(Q)mkdir -p $(@D) && touch $@

$(BUILD)/libcommon.a: $(COMMON_OBJ)
	$(QE) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	$(QE) CC $<
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The one rule for every binary: its own objects plus libcommon.a. Each
# binary's object list is added as a prerequisite-only rule below.
$(BUILD)/bin/%: $(BUILD)/libcommon.a
	$(QE) LINK $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(BUILD)/libcommon.a $(LIBS_$(@F)) $(LIBS)
$(foreach t,$(TOOLS),$(eval $(BUILD)/bin/$(t): \
	$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cmd/$(t)/*.c))))

# -MMD here too: a unit test may include a tool's own source file.
$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libcommon.a
	$(QE) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -MF $@.d $(ALL_LDFLAGS) \
		-o $@ $< $(BUILD)/libcommon.a $(LIBS)

# Flags are part of the build: a change of WERROR, SANITIZE or CFLAGS rebuilds.
FLAGS_FILE  := $(BUILD)/.flags
FLAGS_NOW    = $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)
ifneq ($(file <$(FLAGS_FILE)),$(FLAGS_NOW))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_FILE),$(FLAGS_NOW))
endif
$(COMMON_OBJ) $(CMD_OBJ): $(FLAGS_FILE)

test check: all $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) scripts/run-tests $(BATS_FILES)

unit: $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) scripts/run-tests --unit-only

bats: all $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) scripts/run-tests --bats-only

# The whole suite again with AddressSanitizer and UBSan, in its own tree,
# but for the files that run none of the project's C code: the PostgreSQL
# harness, the traffic generator and the Parquet readers the tests judge
# with have nothing for the sanitizers to watch.
ASAN_SKIP := tests/pg-harness.bats tests/shop-traffic.bats tests/parquet-rows.bats
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 check \
	    BATS_FILES="$(filter-out $(ASAN_SKIP),$(wildcard tests/*.bats))"

fuzz: $(DEPS_STAMP)
	$(Q)BUILD=$(BUILD) tests/fuzz/run $(FUZZ_SECONDS)

# Memcheck over the test corpus: no memory error, no leak.
valgrind: all $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) scripts/valgrind-check

demo: all
	$(Q)scripts/demo

bench: all
	$(Q)for b in scripts/bench/*.sh; do BUILD=$(BUILD) $$b || exit 1; done

lint:
	$(Q)if command -v mandoc >/dev/null; then \
		mandoc -Tlint -Wwarning $(MANPAGES); fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.7,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man7

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANPAGES))))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(filter %.7,$(MANPAGES))))

clean:
	rm -rf build build-asan build-fuzz

-include $(COMMON_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BINS:=.d)
