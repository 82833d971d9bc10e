#!/usr/bin/env bash
# `make run`: builds the demo registry (deploy/policies + the demo PKI's CA) under .demo/ and
# starts certguard-server in the foreground on 127.0.0.1:50051.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
demo="$root/.demo"
bash "$root/scripts/demo-pki.sh" "$demo/pki"
mkdir -p "$demo/policies/pki"
cp "$root"/deploy/policies/*.yaml "$demo/policies/"
cp "$demo/pki/demo-root-ca.pem" "$demo/pki/demo-intermediate-ca.pem" "$demo/policies/pki/"
cli="$root/$build/client/certguard"
cat <<MSG

certguard demo registry: $demo/policies (policies from deploy/policies, CA from $demo/pki)
When the server prints "listening", validate the demo client certificate from another shell:

  $cli validate --target 127.0.0.1:50051 --policy demo \\
      --header_name X-ARR-ClientCert --header_file $demo/pki/demo-client.x-arr-clientcert

It prints decision ALLOW with the client's identity. The admin API (list, inspect, reload the
policies) is on its own loopback listener, 127.0.0.1:50052:

  grpcurl -plaintext 127.0.0.1:50052 certguard.v1.RegistryAdmin/ListPolicies

Stop the server with Ctrl-C.

MSG
exec "$root/$build/server/certguard-server" --listen 127.0.0.1:50051 --policy_dir "$demo/policies"
