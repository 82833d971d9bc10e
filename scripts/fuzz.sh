#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz/ and runs each one.
#
#   scripts/fuzz.sh [--smoke] [--seconds N] [--only NAME]
#
# For every target: first replays fuzz/regressions/<target>/* (each a past crash; must pass),
# then fuzzes for N seconds (FUZZ_SECONDS, default 180; --smoke: FUZZ_SMOKE_SECONDS, default 20)
# starting from the checked-in seeds fuzz/corpus/<target>/ plus the working corpus kept in
# build-fuzz/corpus/<target>/. Targets run FUZZ_JOBS (default 2) at a time. A crash, leak,
# sanitizer report, timeout (> 10 s per input) or OOM (> 2 GB) fails the run; the input is
# left in build-fuzz/artifacts/<target>/ — check it in under fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
SECONDS_EACH="${FUZZ_SECONDS:-180}"
ONLY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) MODE=smoke; SECONDS_EACH="${FUZZ_SMOKE_SECONDS:-20}" ;;
    --seconds) SECONDS_EACH="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    *) echo "usage: $0 [--smoke] [--seconds N] [--only NAME]" >&2; exit 2 ;;
  esac
  shift
done

BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
JOBS="${JOBS:-2}"
FUZZ_JOBS="${FUZZ_JOBS:-2}"

started=$(date +%s)
echo "== fuzz: building targets in $BUILD_DIR (clang-14, -fsanitize=fuzzer,address,undefined)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCERTGUARD_FUZZ=ON -DCERTGUARD_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target certguard_fuzzers >"$BUILD_DIR/fuzz-build.log" 2>&1 || {
  tail -50 "$BUILD_DIR/fuzz-build.log"; echo "fuzz: build failed" >&2; exit 1; }
built=$(date +%s)
echo "== fuzz: built in $((built - started)) s"

mapfile -t TARGETS < <(grep -v '^$' "$BUILD_DIR/fuzz/fuzzers.txt")
if [[ -n "$ONLY" ]]; then TARGETS=("$ONLY"); fi

# Runs one target: replay its regressions, then fuzz. Output goes to $BUILD_DIR/logs/<t>.log.
run_one() {
  local t="$1" bin="$BUILD_DIR/fuzz/$1" log="$BUILD_DIR/logs/$1.log"
  local corpus="$BUILD_DIR/corpus/$t" seeds="fuzz/corpus/$t" artifacts="$BUILD_DIR/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  : >"$log"
  local common=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 "-artifact_prefix=$artifacts")
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # Regressions: every file replays; a name ending in .open is a finding whose fix has not
  # landed yet — reported, not replayed (it would hang or crash the run), until renamed.
  local fixed=() open=() f
  for f in fuzz/regressions/"$t"/*; do
    [[ -f "$f" ]] || continue
    if [[ "$f" == *.open ]]; then open+=("$f"); else fixed+=("$f"); fi
  done
  for f in "${open[@]}"; do echo "OPEN $t: known unfixed finding $f (see fuzz/regressions/README.md)"; done
  if [[ ${#fixed[@]} -gt 0 ]]; then
    if ! "$bin" "${common[@]}" "${fixed[@]}" >>"$log" 2>&1; then
      echo "FAIL $t: a checked-in regression input crashes again (log: $log)"; return 1
    fi
  fi
  local dirs=("$corpus")
  [[ -d "$seeds" ]] && dirs+=("$seeds")
  if "$bin" "${common[@]}" -max_total_time="$SECONDS_EACH" -print_final_stats=1 "${dirs[@]}" >>"$log" 2>&1; then
    local execs
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
    echo "ok   $t: ${execs:-?} runs in ${SECONDS_EACH}s, corpus $(ls "$corpus" | wc -l) inputs"
  else
    echo "FAIL $t: finding in $artifacts (log: $log) — add the input to fuzz/regressions/$t/"
    grep -E 'ERROR: |SUMMARY: |fuzz contract violated' "$log" | head -5 | sed 's/^/     /'
    return 1
  fi
}
export -f run_one
export BUILD_DIR SECONDS_EACH

echo "== fuzz ($MODE): ${#TARGETS[@]} targets x ${SECONDS_EACH}s, $FUZZ_JOBS at a time"
status=0
printf '%s\n' "${TARGETS[@]}" | xargs -P "$FUZZ_JOBS" -I{} bash -c 'run_one "$@"' _ {} || status=1
echo "== fuzz: done in $(( $(date +%s) - started )) s (build $((built - started)) s)"
exit $status
