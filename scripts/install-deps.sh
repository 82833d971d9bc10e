#!/usr/bin/env bash
# Installs, with apt, every Debian 12 package certguard needs to build, test and run.
# Idempotent: packages already installed are skipped; apt-get update runs only when needed.
set -euo pipefail

PACKAGES=(
  build-essential cmake make pkg-config git ca-certificates
  g++ clang-14 clang-format-14 libclang-rt-14-dev libfuzzer-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev zlib1g-dev
  python3 python3-grpcio python3-grpc-tools python3-yaml python3-h2
)

# Node.js and npm for the Node client example and its test (client/node). A node and npm already
# on PATH (e.g. NodeSource's Node 20, which bundles npm) are used as they are; otherwise Debian's.
# CERTGUARD_DEPS_NODE=0 skips them (deploy/Dockerfile's build stage).
if [ "${CERTGUARD_DEPS_NODE:-1}" != 0 ] && { ! command -v node >/dev/null || ! command -v npm >/dev/null; }; then
  PACKAGES+=(nodejs npm)
fi

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
