#!/usr/bin/env bash
# Soak: runs the Release server for SOAK_MINUTES (default 10) at SOAK_LOAD_PERCENT (default 80)
# of its measured maximum rate and fails unless every call succeeded, RSS grew by at most 10%
# and latency did not drift (last minute's p99 within 2x the first minute's, and +1 ms).
#
#   scripts/soak.sh [BUILD_DIR]          (make soak; not part of CI)
#
# Load comes from certguard-bench (client/bench) in open-loop mode, one minute per run so RSS
# and latency can be sampled between runs. The registry and a client certificate are made
# with the openssl CLI in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${1:-${BUILD_DIR:-build}}"
MINUTES="${SOAK_MINUTES:-10}"
PERCENT="${SOAK_LOAD_PERCENT:-80}"
SERVER="$BUILD_DIR/server/certguard-server"
BENCH="$BUILD_DIR/client/bench/certguard-bench"
[[ -x "$SERVER" ]] || { echo "soak: $SERVER not built (make build)" >&2; exit 2; }
[[ -x "$BENCH" ]] || { echo "soak: $BENCH not built (make build)" >&2; exit 2; }

WORK="$(mktemp -d -t certguard-soak.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- PKI and registry (valid for ~27 years from today; keys stay in $WORK) ---
mkdir -p "$WORK/policies/ca"
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout root.key \
  -subj "/O=certguard soak/CN=Soak Root" -days 10000 -out policies/ca/root.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key \
  -subj "/O=certguard soak/CN=soak.client" -out leaf.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:soak.client\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >leaf.ext
openssl x509 -req -in leaf.csr -CA policies/ca/root.pem -CAkey root.key -CAcreateserial -days 9000 \
  -extfile leaf.ext -out leaf.pem 2>/dev/null
openssl x509 -in leaf.pem -outform DER | base64 -w0 >leaf.header
cat >policies/soak.yaml <<'YAML'
id: bench
trust: {anchor_files: [ca/root.pem]}
identity: {subject: {cn: [soak.client]}}
YAML
cd - >/dev/null

# --- server ---
"$SERVER" --listen=127.0.0.1:0 --admin_listen=127.0.0.1:0 --policy_dir="$WORK/policies" --log_level=warning \
  >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
ADDRESS=""
for _ in $(seq 1 300); do
  ADDRESS=$(grep -ohE 'listening on [^ "]+' "$WORK/server.out" "$WORK/server.err" 2>/dev/null | head -1 | awk '{print $3}' || true)
  [[ -n "$ADDRESS" ]] && break
  sleep 0.1
done
[[ -n "$ADDRESS" ]] || { echo "soak: server did not start"; cat "$WORK/server.err"; exit 1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

bench() {  # bench ARGS... -> one JSON line
  "$BENCH" --target="$ADDRESS" --policy=bench --header_file="$WORK/leaf.header" --json "$@"
}
field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

echo "== soak: server $ADDRESS (pid $SERVER_PID), $MINUTES min at $PERCENT% of max rate"
# certguard-bench exits 1 when any call failed; the JSON still says how many, which is what counts.
# The maximum is what the open-loop generator achieves when offered more than the closed-loop
# maximum: the soak itself is open loop, and on a small machine the generator's own scheduling
# costs more per call than a closed loop's.
max_json=$(bench --duration=10s --warmup=2s --channels=2 --in_flight=32 --label=max || true)
CLOSED_RPS=$(echo "$max_json" | field 'd["rps"]')
over_json=$(bench --rate="$CLOSED_RPS" --duration=10s --warmup=2s --channels=2 --max_outstanding=256 --label=open-max || true)
MAX_RPS=$(echo "$over_json" | field 'd["ok"] / d["seconds"]')
RATE=$(python3 -c "print(round($MAX_RPS * $PERCENT / 100, 1))")
echo "max rate: $CLOSED_RPS calls/s closed loop, $MAX_RPS calls/s open loop -> soak rate $RATE calls/s"

RSS_START=$(rss_kb)
total_errors=0; total_requests=0; first_p99=""; last_p99=""
for minute in $(seq 1 "$MINUTES"); do
  # A bounded backlog: a generator that queues without limit turns one stall into minutes of
  # queueing (each late call is counted as dropped instead).
  json=$(bench --rate="$RATE" --duration=60s --warmup=0s --channels=2 --max_outstanding=1000 --label="minute-$minute" || true)
  [[ -n "$json" ]] || { echo "soak: certguard-bench printed nothing"; exit 1; }
  errors=$(echo "$json" | field 'sum(d["errors"].values()) + d["dropped"]')
  requests=$(echo "$json" | field 'd["requests"]')
  p50=$(echo "$json" | field 'd["latency_ms"]["p50"]')
  p99=$(echo "$json" | field 'd["latency_ms"]["p99"]')
  rps=$(echo "$json" | field 'd["rps"]')
  [[ -z "$first_p99" ]] && first_p99="$p99"
  last_p99="$p99"
  total_errors=$((total_errors + errors)); total_requests=$((total_requests + requests))
  printf 'minute %3d: %8.1f calls/s  p50 %.3f ms  p99 %.3f ms  errors+dropped %d  rss %d kB\n' \
    "$minute" "$rps" "$p50" "$p99" "$errors" "$(rss_kb)"
  if [[ "$minute" == 1 ]]; then RSS_START=$(rss_kb); fi   # after warm-up: caches and arenas filled
done
RSS_END=$(rss_kb)

verdict=$(python3 - "$total_errors" "$RSS_START" "$RSS_END" "$first_p99" "$last_p99" <<'PY'
import sys
errors, rss0, rss1, p0, p1 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
growth = (rss1 - rss0) / rss0 * 100
problems = []
if errors: problems.append(f"{errors} failed or dropped calls")
if growth > 10: problems.append(f"RSS grew {growth:.1f}% (> 10%)")
if p1 > 2 * p0 + 1: problems.append(f"p99 drifted {p0:.3f} -> {p1:.3f} ms")
print(f"RSS {rss0} -> {rss1} kB ({growth:+.1f}%), p99 first/last minute {p0:.3f}/{p1:.3f} ms")
print("FAIL: " + "; ".join(problems) if problems else "PASS")
PY
)
echo "== soak: $total_requests calls, $total_errors errors"
echo "$verdict"
[[ "$verdict" == *PASS* ]]
