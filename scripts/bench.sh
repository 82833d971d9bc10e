#!/usr/bin/env bash
# `make bench`: builds the benchmark targets (Release, own build dir), generates the corpora,
# runs the microbenchmarks and the loopback load scenarios, and writes bench/RESULTS.md.
# Tunables (environment): BUILD_DIR (build-bench), BENCH_ROUNDS (3), BENCH_SECONDS (4),
# BENCH_WARMUP (1), BENCH_CHANNELS (2), BENCH_IN_FLIGHT (16), BENCH_PIN (1), BENCH_CALLGRIND (4000 calls per RPC under
# callgrind; 0 = skip), BENCH_PROFILE (1 = perf profile
# of cold validate), JOBS. Extra arguments go to bench/run_bench.py (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$root/bench/run_bench.py" "$@"
