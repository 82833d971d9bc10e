#!/usr/bin/env bash
# Installs, with apt, every Debian 12 package certguard needs to build, test and run.
# Idempotent: packages already installed are skipped; apt-get update runs only when needed.
set -euo pipefail

PACKAGES=(
  build-essential cmake make pkg-config git ca-certificates
  g++ clang-14 libclang-rt-14-dev libfuzzer-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libcpp-httplib-dev zlib1g-dev
  python3 python3-grpcio python3-grpc-tools python3-yaml
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
