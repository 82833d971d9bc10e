# certguard — the two commands: `make run` and `make test`. See README.md.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# FUZZ_SMOKE=0 skips the fuzz smoke run (clang build + 20 s per target) at the end of make test.
FUZZ_SMOKE ?= 1
# make fuzz: seconds per fuzz target.
FUZZ_SECONDS ?= 180
SOAK_MINUTES ?= 10

.PHONY: all deps build run test test-asan test-tsan bench abuse fuzz soak clean check-policies format

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Starts the server in the foreground on 127.0.0.1:50051 with the demo registry
# (deploy/policies) and a demo PKI created on first run under .demo/.
run: build
	@bash scripts/run-demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 600
	@if [ "$(FUZZ_SMOKE)" != 0 ]; then bash scripts/fuzz.sh --smoke; fi

# libFuzzer targets (fuzz/README.md): clang-14 + ASan/UBSan build in build-fuzz/, each target
# replays fuzz/regressions/ then fuzzes for FUZZ_SECONDS.
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# Benchmarks (bench/README.md): Release build in build-bench/, corpora, microbenchmarks and the
# loopback load scenarios; writes bench/RESULTS.md (< 10 min on 2 cores). BENCH_ROUNDS, BENCH_SECONDS tune it.
bench: deps
	JOBS=$(JOBS) bash scripts/bench.sh

# Not in CI: every attack of the hostile-client review against a fresh server each (scripts/abuse.py,
# ~4 min): peak RSS and the legitimate client's p50/p99 under attack as a ratio to unattacked;
# writes bench/ABUSE.md.
abuse: build
	/usr/bin/python3 scripts/abuse.py $(BUILD_DIR)

# Not in CI: SOAK_MINUTES at 80% of the measured maximum rate; errors, RSS and latency drift.
soak: build
	SOAK_MINUTES=$(SOAK_MINUTES) bash scripts/soak.sh $(BUILD_DIR)

# The bounds tests (label `bounds`) assert on the release server's memory; ASan's shadow memory and
# quarantine make those figures meaningless, so they run in make test only.
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCERTGUARD_SANITIZE=address >/dev/null
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS) --timeout 900 -LE 'conformance|bounds|lint'

# Debian's gRPC, abseil and protobuf are not built with TSan: their own synchronization is
# invisible to it, so the memory they pass between threads (every call's buffers) looks racy
# where it is touched by an interceptor (memcpy, new/delete, epoll) called from inside them.
# ignore_noninstrumented_modules=1 drops exactly those interceptor accesses; every access made by
# instrumented code (certguard and the headers it inlines) is still checked (docs/hardening.md: Sanitizers).
# tests/tsan.supp names the one race in gRPC's inlined headers whose ordering lives in libgrpc.
test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCERTGUARD_SANITIZE=thread >/dev/null
	cmake --build build-tsan -j$(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1:ignore_noninstrumented_modules=1:history_size=7:suppressions=$(CURDIR)/tests/tsan.supp \
	  ctest --output-on-failure -j$(JOBS) --timeout 900 -L concurrency

# Applies .clang-format to every C++ file (the `format` test in make test checks it).
format: deps
	bash scripts/format.sh

check-policies: build
	$(BUILD_DIR)/server/certguard-server --check_policies --policy_dir deploy/policies

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz
