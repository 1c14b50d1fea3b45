# Thin driver over CMake: `make` builds build/flinkmem, `make test` runs every
# test (normal build, then again under ASan+UBSan), `make deps` installs the
# Debian 12 packages the build and tests need. `make install` (PREFIX,
# DESTDIR) installs the binary, man pages, completions, the kubectl plugin
# and the docs; `make deb` builds a Debian package (dist/make_deb.sh).
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
DEB_BUILD ?= build-deb
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEPS = build-essential cmake pkg-config libyaml-dev libjansson-dev libcmocka-dev \
       zlib1g-dev libvectorscan-dev scdoc clang libclang-rt-14-dev python3 hyperfine ripgrep \
       libxml2-utils bc time patch libcurl4-openssl-dev python3-jsonschema \
       lintian zsh fish man-db pre-commit chromium fonts-dejavu-core

.PHONY: all test test-fast test-asan deps clean bench fuzz install deb

all: $(BUILD)/flinkmem

$(BUILD)/flinkmem: FORCE
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: test-fast test-asan

test-fast: all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DFM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

install: all
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

deb:
	sh dist/make_deb.sh . $(DEB_BUILD) .

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEPS) >/dev/null

bench: all
	bash bench/run.sh
	bash bench/run_startup.sh
	bash bench/run_derive.sh
	bash bench/run_plan.sh
	bash bench/run_diagnose.sh

fuzz:
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DFM_LIBFUZZER=ON -DFM_TESTS=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz $(DEB_BUILD)

FORCE:
